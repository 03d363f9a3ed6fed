#!/usr/bin/env bash
# Installs exactly the Debian 12 packages PDPS needs to build, test and run locally.
# Idempotent: asks apt only for what is missing, and refreshes the package lists at
# most once per run.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config ccache git
  # gRPC, Protocol Buffers, Abseil, and the google/rpc protos compiled from source
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  golang-github-gogo-googleapis-dev
  # PostgreSQL client library and server (the embedded local cluster and test harness)
  libpq-dev postgresql-15 postgresql-client-15
  # JSON, JWT (RS256/ES256 over OpenSSL), HTTP for /metrics
  nlohmann-json3-dev libjwt-dev libssl-dev libcpp-httplib-dev openssl
  # Europe/London civil time
  tzdata
  # tests
  libgtest-dev libgmock-dev
  # manifest checks: the schema validator's runtime
  nodejs npm
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
# kubectl with kustomize v5 (kubectl >= 1.21) renders the manifests in the tests. Our
# machine image has one (Google Cloud SDK); Debian 12's own kubernetes-client (1.20) is
# too old, so it is not installed here and tests/k8s/validate.sh says what is missing.
# Node.js may come from NodeSource rather than Debian; then npm is bundled with it.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) != 0 ]]; then
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
