#!/usr/bin/env bash
# make bench: the registry, referrals and workforce under closed-loop load, next to
# ../shared/rawlimit in the same run, every figure also as a percentage of the reference's.
#
#   1. a throwaway PostgreSQL 15 (rawlimit's settings), migrations, the registry with
#      authentication, tenancy and JSON logging on, as in production
#   2. seeds 1,000 providers admitted on one lot and 100,000 compliance documents
#   3. GetProvider, ListEligibleProviders and CreateCapacityReturn (a row + its outbox
#      event) at 1, 8 and 32 concurrent callers, DUR seconds each, the registry alone
#   4. starts workforce and referrals wired to the registry and each other as
#      deploy/local/run.sh wires them; seeds the lot's training matrix, REFERRALS
#      referrals raised and opened on the lot, STAFF_PER_PROVIDER workers with their
#      training for each of the first STAFF_PROVIDERS providers
#   5. GetReferral (an officer), ListOffers live_only (a provider's inbox),
#      CheckWorkerEligibility (the gate, as care planning's service identity) and
#      CreateTrainingRecord (a provider's write) at the same concurrencies
#   6. rawlimit's read and create at the same concurrencies
#   7. prints the table (also bench/out/results.md); stops only what it started
# Tunables: DUR (10), CONCS ("1 8 32"), PROVIDERS (1000), DOCUMENTS (100000),
# REFERRALS (300), STAFF_PROVIDERS (100), STAFF_PER_PROVIDER (10), POOL (16); ports on
# 127.0.0.1: PGPORT (55442), REGISTRY_PORT (7101), REFERRALS_PORT (7102),
# WORKFORCE_PORT (7104), each service's metrics on its port + 2000.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SHARED=${SHARED:-$ROOT/../shared}
OUT=$ROOT/bench/out
SCRATCH=${SCRATCH:-/tmp/pdps-bench}
DUR=${DUR:-10}
CONCS=${CONCS:-"1 8 32"}
PROVIDERS=${PROVIDERS:-1000}
DOCUMENTS=${DOCUMENTS:-100000}
REFERRALS=${REFERRALS:-300}
STAFF_PROVIDERS=${STAFF_PROVIDERS:-100}
STAFF_PER_PROVIDER=${STAFF_PER_PROVIDER:-10}
PGPORT=${PGPORT:-55442}
declare -A PORT=([registry]=${REGISTRY_PORT:-7101} [referrals]=${REFERRALS_PORT:-7102}
                 [workforce]=${WORKFORCE_PORT:-7104})
GRPC=127.0.0.1:${PORT[registry]}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
mkdir -p "$OUT"
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH/keys/public" "$SCRATCH/sock"
AS_PG=()
[[ $(id -u) == 0 ]] && AS_PG=(runuser -u postgres --)

PIDS=()
stop_services() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_services
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$SCRATCH/pg" -m fast -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

echo "== PostgreSQL and registry"
mkdir -p "$SCRATCH/pg"
[[ ${#AS_PG[@]} -gt 0 ]] && chown -R postgres: "$SCRATCH/pg" "$SCRATCH/sock"
"${AS_PG[@]}" "$PGBIN/initdb" -D "$SCRATCH/pg" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$SCRATCH/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$SCRATCH/sock'
max_connections = 200
shared_buffers = 2GB
max_wal_size = 4GB
checkpoint_timeout = 15min
CONF
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$SCRATCH/pg" -l "$SCRATCH/pg/postgres.log" -w start >/dev/null
SUPER="host=$SCRATCH/sock port=$PGPORT user=postgres"
psql "$SUPER dbname=postgres" -qc "CREATE DATABASE pdps" >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SCRATCH/keys/bench-1.pem" 2>/dev/null
openssl pkey -in "$SCRATCH/keys/bench-1.pem" -pubout -out "$SCRATCH/keys/public/bench-1.pem" 2>/dev/null

export PDPS_JWT_ISSUER=https://pdps.local/bench PDPS_JWT_AUDIENCE=pdps
export PDPS_JWT_KEYS_DIR=$SCRATCH/keys/public
# start SERVICE [VAR=VALUE...]: migrates it, serves it on its port in the background (its
# log in $SCRATCH) and waits until it answers health checks.
start() {
  local svc=$1 port=${PORT[$1]}
  shift
  env "$@" PDPS_BOOTSTRAP_DATABASE_URL="$SUPER dbname=pdps" \
    PDPS_MIGRATION_DATABASE_URL="host=$SCRATCH/sock port=$PGPORT user=${svc}_owner dbname=pdps" \
    "$BUILD/services/$svc/$svc" migrate >>"$SCRATCH/migrate.log" 2>&1
  env "$@" PDPS_DATABASE_URL="host=$SCRATCH/sock port=$PGPORT user=${svc}_app dbname=pdps" \
    PDPS_GRPC_ADDR=127.0.0.1:$port PDPS_METRICS_ADDR=127.0.0.1:$((port + 2000)) \
    PDPS_DB_POOL_SIZE=${POOL:-16} "$BUILD/services/$svc/$svc" serve >"$SCRATCH/$svc.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -n 5 "$SCRATCH/$svc.log"; exit 1; }
    "$BUILD/tools/pdpsctl/pdpsctl" health --addr=127.0.0.1:$port >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "$svc did not become healthy; see $SCRATCH/$svc.log" >&2
  exit 1
}
# Each service calls its peers under a service identity it mints with the bench key.
KEY=(PDPS_SERVICE_KEY_FILE="$SCRATCH/keys/bench-1.pem" PDPS_SERVICE_KEY_ID=bench-1)
# The registry needs workforce's address (decision 0076). Workforce starts after the
# registry's points, so until then the registry's polls of its feed fail, one a second.
start registry "${KEY[@]}" PDPS_WORKFORCE_ADDR=127.0.0.1:${PORT[workforce]}

BENCH="$BUILD/bench/pdps-bench"
COMMON=(--target=$GRPC --key="$SCRATCH/keys/bench-1.pem" --state="$SCRATCH/state.txt")
echo "== seeding $PROVIDERS providers and $DOCUMENTS compliance documents"
time "$BENCH" seed "${COMMON[@]}" --providers="$PROVIDERS" --documents="$DOCUMENTS"
# The write points make each provider's capacity returns for months counting back from
# 2000-01 (load.cc), and a return is owed only from the month of first admission
# (RETURN_BEFORE_ADMISSION): date the seeded admissions back far enough for every run.
psql "$SUPER dbname=pdps" -qc "UPDATE registry.admission_transitions
  SET at = at - interval '150 years' WHERE to_state = 'ACTIVE'" >/dev/null
psql "$SUPER dbname=pdps" -qc "VACUUM ANALYZE" >/dev/null

RESULTS=$SCRATCH/pdps.tsv
: >"$RESULTS"
RUN_NO=0
# points SERVICE METHOD...: each method at each of CONCS against SERVICE, into $RESULTS.
points() {
  local svc=$1 m c line
  shift
  for m in "$@"; do
    for c in $CONCS; do
      RUN_NO=$((RUN_NO + 1))
      line=$("$BENCH" run "${COMMON[@]}" --target=127.0.0.1:${PORT[$svc]} --method=$m \
        --concurrency=$c --duration="$DUR" --warmup=1 --threads=4 \
        --seq-start=$((RUN_NO * PROVIDERS * 100)))
      echo "$line"
      declare -A kv=()
      for f in $line; do kv[${f%%=*}]=${f#*=}; done
      printf "%s\t%s\t%s\t%s\t%s\t%s\n" "$m" "$c" "${kv[qps]}" "${kv[p50_ms]}" "${kv[p99_ms]}" "${kv[errors]}" >>"$RESULTS"
    done
  done
}
echo "== registry"
points registry get_provider eligible create

echo "== workforce and referrals"
# Wired as deploy/local/run.sh wires them.
start workforce "${KEY[@]}" PDPS_REGISTRY_ADDR=$GRPC PDPS_REFERRALS_ADDR=127.0.0.1:${PORT[referrals]}
start referrals "${KEY[@]}" PDPS_REGISTRY_ADDR=$GRPC PDPS_WORKFORCE_ADDR=127.0.0.1:${PORT[workforce]}
echo "== seeding $REFERRALS referrals, $STAFF_PROVIDERS × $STAFF_PER_PROVIDER staff with training"
time "$BENCH" seed-care "${COMMON[@]}" --referrals-target=127.0.0.1:${PORT[referrals]} \
  --workforce-target=127.0.0.1:${PORT[workforce]} --referrals="$REFERRALS" \
  --staff-providers="$STAFF_PROVIDERS" --staff-per-provider="$STAFF_PER_PROVIDER"
psql "$SUPER dbname=pdps" -qc "VACUUM ANALYZE" >/dev/null
points referrals get_referral offers
points workforce gate training
stop_services
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$SCRATCH/pg" -m fast -w stop >/dev/null

echo "== reference: ../shared/rawlimit (read, create)"
SCRATCH=$SCRATCH/rawlimit DUR=$DUR REPS=1 CONCS="$CONCS" METHODS="read create" PGBENCH=0 \
  bash "$SHARED/rawlimit/run.sh" >"$SCRATCH/rawlimit.out" 2>&1 || { cat "$SCRATCH/rawlimit.out"; exit 1; }
REF=$SCRATCH/rawlimit/results.tsv

declare -A NAME=([get_provider]=GetProvider [eligible]=ListEligibleProviders
                 [create]=CreateCapacityReturn [get_referral]=GetReferral
                 [offers]="ListOffers (inbox, live)" [gate]=CheckWorkerEligibility
                 [training]=CreateTrainingRecord)
{
  echo "| RPC | callers | req/s | p50 ms | p99 ms | errors | reference | ref req/s | ref p99 ms | throughput % of ref | p99 × ref |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  while IFS=$'\t' read -r m c qps p50 p99 err; do
    ref=read; [[ $m == create || $m == training ]] && ref=create
    rq=$(awk -F'\t' -v m=$ref -v c=$c '$1=="grpc" && $2==m && $3==c {print $5}' "$REF")
    rp=$(awk -F'\t' -v m=$ref -v c=$c '$1=="grpc" && $2==m && $3==c {print $7}' "$REF")
    name=${NAME[$m]}
    awk -v n="$name" -v c="$c" -v q="$qps" -v a="$p50" -v b="$p99" -v e="$err" -v r="$ref" -v rq="$rq" -v rp="$rp" \
      'BEGIN { printf "| %s | %s | %.0f | %.2f | %.2f | %s | %s | %.0f | %.2f | %.0f %% | %.1f |\n", n, c, q, a, b, e, r, rq, rp, (rq>0?100*q/rq:0), (rp>0?b/rp:0) }'
  done <"$RESULTS"
} | tee "$OUT/results.md"
echo "(machine: $(nproc) cores, $(date -u +%FT%TZ); figures also in bench/out/results.md)"
# A point whose calls failed measured an error path, not the RPC: say so, and fail.
failed=$(awk -F'\t' '$6 != "" && $6 != "0" {printf "%s at %s callers (%s errors); ", $1, $2, $6}' "$RESULTS")
if [[ -n $failed ]]; then
  echo "calls failed, these figures are not the RPC's: $failed(the first error of each is printed above)" >&2
  exit 1
fi
