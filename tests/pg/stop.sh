#!/usr/bin/env bash
# ctest fixture cleanup: stops and deletes the throwaway cluster.
set -uo pipefail
OUT=$1
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[[ -f $OUT/datadir ]] || exit 0
DATA=$(cat "$OUT/datadir")
RUN=()
[[ $(id -u) == 0 ]] && RUN=(runuser -u postgres --)
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$DATA/data" -m fast -w stop >/dev/null 2>&1
rm -rf "$DATA" "$OUT/datadir" "$OUT/env"
