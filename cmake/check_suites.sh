#!/usr/bin/env bash
# Fails if a GoogleTest binary has suites that ctest does not run: pdps_test(... SUITES)
# registers one ctest entry per listed suite, so a new suite must be listed too.
#   check_suites.sh BINARY SUITE...
set -euo pipefail
bin=$1
shift
have=$("$bin" --gtest_list_tests | grep -E '^[A-Za-z_0-9]+\.$' | tr -d '.' | sort)
want=$(printf '%s\n' "$@" | sort)
if [[ $have != "$want" ]]; then
  echo "suites in $bin and in its pdps_test(SUITES ...) differ:" >&2
  diff <(echo "$want") <(echo "$have") >&2 || true
  exit 1
fi
