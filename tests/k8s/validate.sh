#!/usr/bin/env bash
# Renders the kustomize base and every overlay and validates them offline and strictly
# (tests/k8s/validate.mjs). Run by `make test`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
command -v kubectl >/dev/null || { echo "k8s: kubectl is required (deploy/install-deps.sh installs it)" >&2; exit 1; }
command -v node >/dev/null || { echo "k8s: node is required (deploy/install-deps.sh installs it)" >&2; exit 1; }
if [[ ! -d $HERE/node_modules/@kubernetes/client-node || ! -d $HERE/node_modules/yaml ]]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for target in base overlays/dev overlays/production; do
  name=${target//\//-}
  kubectl kustomize "$ROOT/k8s/$target" >"$OUT/$name.yaml"
done
node "$HERE/validate.mjs" "$OUT"/*.yaml
