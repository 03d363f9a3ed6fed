#!/usr/bin/env bash
# Renders k8s/base and both overlays with kustomize and validates every object offline
# and strictly (validate.mjs; README.md beside this file). `make test` runs it via ctest.
#   KUBECTL=/path/to/kubectl   use that kubectl instead of the one on PATH
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
die() { echo "k8s: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is required (Debian: apt-get install nodejs npm)"

# The overlays use `resources:` directories and `patches:`, which need kustomize v4 or
# later: kubectl 1.21+ embeds it. Debian 12's kubernetes-client (1.20, kustomize v2.0)
# cannot render them, so say so rather than fail obscurely.
kubectl=${KUBECTL:-$(command -v kubectl || true)}
[[ -n $kubectl ]] || die "kubectl (1.21 or later, for its kustomize) is required and not on PATH"
kustomize_version=$("$kubectl" version --client -o json 2>/dev/null |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).kustomizeVersion||"")}catch{console.log("")}})')
[[ $kustomize_version =~ ^v([0-9]+) ]] && (( BASH_REMATCH[1] >= 4 )) ||
  die "$kubectl embeds kustomize '${kustomize_version:-unknown}'; v4 or later is needed (kubectl 1.21+)"

# Pinned schema packages; reinstalled when package-lock.json changes.
stamp=$here/node_modules/.pdps-lock
if ! cmp -s "$here/package-lock.json" "$stamp" 2>/dev/null; then
  command -v npm >/dev/null || die "npm is required to install tests/k8s/node_modules"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    die "npm ci failed in tests/k8s (is the npm registry reachable?)"
  cp "$here/package-lock.json" "$stamp"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
renders=()
for target in base overlays/dev overlays/production; do
  name=${target#overlays/}
  "$kubectl" kustomize "$root/k8s/$target" >"$out/$name.yaml" 2>"$out/$name.err" ||
    die "kustomize failed for k8s/$target: $(cat "$out/$name.err")"
  renders+=("$name=$out/$name.yaml")
done
node "$here/validate.mjs" "${renders[@]}"
node "$here/alerts.mjs" "$root"
