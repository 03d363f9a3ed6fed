#!/usr/bin/env bash
# make run: a private PostgreSQL under .local/, migrations, every service, demo data,
# then logs in the foreground until Ctrl-C, which stops everything cleanly.
# Running it again reuses the cluster and keeps the data.
#
# Ports (all on 127.0.0.1; README.md and docs/operations.md, "Local stack"), each from
# its variable on every start, so that two checkouts can run side by side:
#   PDPS_PG_PORT (5442)
#   PDPS_REGISTRY_GRPC_PORT (7001)  PDPS_REFERRALS_GRPC_PORT (7002)  PDPS_WORKFORCE_GRPC_PORT (7004)
#   PDPS_REGISTRY_METRICS_PORT (9001) PDPS_REFERRALS_METRICS_PORT (9002) PDPS_WORKFORCE_METRICS_PORT (9004)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
LOCAL=$ROOT/.local
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PDPS_PG_PORT:-5442}
SOCK=$LOCAL/sock
DATA=$LOCAL/pg
LOGS=$LOCAL/logs
KEYS=$LOCAL/keys
DB=pdps
# In start order: the registry reads workforce's feed, workforce and referrals call the
# registry (peers retry, so the order only shortens the first seconds).
SERVICES=(workforce registry referrals)
declare -A GRPC_PORT=([registry]=${PDPS_REGISTRY_GRPC_PORT:-7001}
                      [referrals]=${PDPS_REFERRALS_GRPC_PORT:-7002}
                      [workforce]=${PDPS_WORKFORCE_GRPC_PORT:-7004})
declare -A METRICS_PORT=([registry]=${PDPS_REGISTRY_METRICS_PORT:-9001}
                         [referrals]=${PDPS_REFERRALS_METRICS_PORT:-9002}
                         [workforce]=${PDPS_WORKFORCE_METRICS_PORT:-9004})
die() { echo "make run: $*" >&2; exit 1; }

# One run per checkout at a time: a second would share (and, stopping, stop) the
# cluster. The lock is on fd 9, which long-lived children do not inherit (9>&-).
mkdir -p "$LOCAL"
exec 9>"$LOCAL/run.lock"
flock -n 9 || die "another 'make run' of this checkout is running; stop it first"

# ------------------------------------------------------------------- ports ---
# Every port must be free before anything starts: otherwise a health check could be
# answered by another copy's service (or PostgreSQL), and the demo data loaded into it.
# PostgreSQL's port may be held by this checkout's own cluster, left running.
pg_running() { [[ -f $DATA/PG_VERSION ]] && "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
AS_PG=()
if [[ $(id -u) == 0 ]]; then
  AS_PG=(runuser -u postgres --)
fi
declare -A PORT_VAR=([$PGPORT]=PDPS_PG_PORT)
for svc in "${SERVICES[@]}"; do
  for kind in GRPC METRICS; do
    var=PDPS_${svc^^}_${kind}_PORT
    [[ $kind == GRPC ]] && port=${GRPC_PORT[$svc]} || port=${METRICS_PORT[$svc]}
    [[ -z ${PORT_VAR[$port]:-} ]] || die "$var and ${PORT_VAR[$port]} are both $port; give each its own port"
    PORT_VAR[$port]=$var
  done
done
for port in "${!PORT_VAR[@]}"; do
  var=${PORT_VAR[$port]}
  [[ $port =~ ^[0-9]+$ ]] && (( port >= 1 && port <= 65535 )) || die "$var=$port is not a port number"
  if [[ $var == PDPS_PG_PORT ]] && pg_running; then
    own=$(sed -n 4p "$DATA/postmaster.pid")
    [[ $own == "$port" ]] && continue
  fi
  if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use (another copy of PDPS?); set $var to a free port"
  fi
done

# The environment a service needs beyond database, addresses and token checking.
service_env() {
  SERVICE_ENV=()
  case $1 in
    workforce)
      # Asks the registry who commissions a framework before framework-scoped writes and
      # follows the referrals feed for awarded packages; locally the expiry watch sweeps
      # every minute so the demo's lapses show soon.
      SERVICE_ENV=("PDPS_REGISTRY_ADDR=127.0.0.1:${GRPC_PORT[registry]}"
                   "PDPS_REFERRALS_ADDR=127.0.0.1:${GRPC_PORT[referrals]}"
                   "PDPS_SERVICE_KEY_FILE=$KEYS/dev-1.pem" "PDPS_SERVICE_KEY_ID=dev-1"
                   "PDPS_EXPIRY_SWEEP_INTERVAL=1m") ;;
    registry)
      # Reads workforce's feed (automatic suspension rules) as a service identity.
      SERVICE_ENV=("PDPS_WORKFORCE_ADDR=127.0.0.1:${GRPC_PORT[workforce]}"
                   "PDPS_SERVICE_KEY_FILE=$KEYS/dev-1.pem" "PDPS_SERVICE_KEY_ID=dev-1") ;;
    referrals)
      # Asks the registry who is eligible, under a service-identity token it mints itself
      # with the local development key; in production it reads PDPS_SERVICE_TOKEN_FILE.
      SERVICE_ENV=("PDPS_REGISTRY_ADDR=127.0.0.1:${GRPC_PORT[registry]}"
                   "PDPS_WORKFORCE_ADDR=127.0.0.1:${GRPC_PORT[workforce]}"
                   "PDPS_SERVICE_KEY_FILE=$KEYS/dev-1.pem" "PDPS_SERVICE_KEY_ID=dev-1") ;;
  esac
}

mkdir -p "$LOCAL" "$LOGS" "$KEYS/public"

# ---------------------------------------------------------- development keys ---
# Local only: tokens for the walk-through are signed with this key. Production keys
# come from the identity provider and are never in the repository or .local.
if [[ ! -f $KEYS/dev-1.pem ]]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$KEYS/dev-1.pem" 2>/dev/null
  chmod 600 "$KEYS/dev-1.pem"
fi
openssl pkey -in "$KEYS/dev-1.pem" -pubout -out "$KEYS/public/dev-1.pem" 2>/dev/null

# ------------------------------------------------------------------ postgres ---
# Created beside its final place and moved there once complete, so that a run stopped
# or failed half-way never leaves a cluster the next run would trust.
if [[ ! -f $DATA/PG_VERSION ]]; then
  echo "Creating the local PostgreSQL cluster in $DATA"
  rm -rf "$DATA.new"
  mkdir -p "$DATA.new" "$SOCK"
  [[ ${#AS_PG[@]} -gt 0 ]] && chown postgres: "$DATA.new" "$SOCK"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$DATA.new" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 \
    >"$LOGS/initdb.log" 2>&1 || die "initdb failed; see $LOGS/initdb.log"
  # The port is not written here: each start passes PDPS_PG_PORT.
  cat >>"$DATA.new/postgresql.conf" <<CONF
# PDPS local development cluster: unix socket and loopback only.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
max_connections = 200
shared_buffers = 256MB
CONF
  rm -rf "$DATA"
  mv "$DATA.new" "$DATA"
fi
mkdir -p "$SOCK"
[[ ${#AS_PG[@]} -gt 0 ]] && chown postgres: "$SOCK"
# The cluster is private to this checkout: start it if a previous run left it down (and
# restart it if one left it up on another port: no other run holds the lock), and stop
# it when this run ends, whoever started it.
if pg_running && [[ $(sed -n 4p "$DATA/postmaster.pid") != "$PGPORT" ]]; then
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
fi
if ! pg_running; then
  if ! "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/postgres.log" -o "-p $PGPORT" -w start \
      >/dev/null 2>&1 9>&-; then
    echo "make run: PostgreSQL did not start; its log is $DATA/postgres.log, which ends:" >&2
    tail -n 15 "$DATA/postgres.log" >&2 || true
    exit 1
  fi
fi
SUPER="host=$SOCK port=$PGPORT user=postgres"
if ! psql "$SUPER dbname=postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql "$SUPER dbname=postgres" -qc "CREATE DATABASE $DB" >/dev/null
fi

# ------------------------------------------------------------------ services ---
PIDS=()
STOPPING=0
stop_all() {
  trap - INT TERM EXIT
  STOPPING=1
  echo
  echo "Stopping PDPS..."
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n ${TAIL_PID:-} ]] && kill "$TAIL_PID" 2>/dev/null || true
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
  echo "Stopped. Data is kept in $LOCAL (delete it to start afresh)."
}
# Ctrl-C or SIGTERM is a normal stop (status 0); any other exit keeps its status.
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

export PDPS_JWT_ISSUER=https://pdps.local/dev
export PDPS_JWT_AUDIENCE=pdps
export PDPS_JWT_KEYS_DIR=$KEYS/public
export PDPS_LOG_LEVEL=${PDPS_LOG_LEVEL:-info}
CTL="$BUILD/tools/pdpsctl/pdpsctl"
for svc in "${SERVICES[@]}"; do
  service_env "$svc"
  env "${SERVICE_ENV[@]}" \
  PDPS_BOOTSTRAP_DATABASE_URL="$SUPER dbname=$DB" \
  PDPS_MIGRATION_DATABASE_URL="host=$SOCK port=$PGPORT user=${svc}_owner dbname=$DB" \
    "$BUILD/services/$svc/$svc" migrate >>"$LOGS/$svc.log" 2>&1 ||
    { echo "migration of $svc failed; see $LOGS/$svc.log" >&2; exit 1; }
  env "${SERVICE_ENV[@]}" \
  PDPS_DATABASE_URL="host=$SOCK port=$PGPORT user=${svc}_app dbname=$DB" \
  PDPS_GRPC_ADDR=127.0.0.1:${GRPC_PORT[$svc]} \
  PDPS_METRICS_ADDR=127.0.0.1:${METRICS_PORT[$svc]} \
    setsid "$BUILD/services/$svc/$svc" serve >>"$LOGS/$svc.log" 2>&1 9>&- &
  # In their own session, services do not see the terminal's Ctrl-C: this script stops
  # them in order (SIGTERM, graceful drain), then PostgreSQL.
  PIDS+=($!)
  # Each service is healthy before the next starts (referrals needs the registry). The
  # port was free, and the service must still be running, so the answer is its own.
  for _ in $(seq 1 100); do
    kill -0 "${PIDS[-1]}" 2>/dev/null ||
      { echo "$svc exited at start; see $LOGS/$svc.log, which ends:" >&2; tail -n 5 "$LOGS/$svc.log" >&2; exit 1; }
    "$CTL" health --addr=127.0.0.1:${GRPC_PORT[$svc]} >/dev/null 2>&1 && break
    sleep 0.1
  done
  kill -0 "${PIDS[-1]}" 2>/dev/null && "$CTL" health --addr=127.0.0.1:${GRPC_PORT[$svc]} >/dev/null ||
    { echo "$svc did not become healthy; see $LOGS/$svc.log" >&2; exit 1; }
done

# ----------------------------------------------------------------- demo data ---
if [[ ! -f $LOCAL/demo-loaded ]]; then
  echo "Loading demonstration data through the APIs..."
  # Referrals' own database connection stands in for the clock: one mini-competition's
  # bid deadline passes now rather than in 5 working days, so the demo has EVALUATING.
  (cd "$ROOT" && "$BUILD/deploy/demo/pdps-demo" --registry=127.0.0.1:${GRPC_PORT[registry]} \
    --referrals=127.0.0.1:${GRPC_PORT[referrals]} --workforce=127.0.0.1:${GRPC_PORT[workforce]} \
    --referrals-database="host=$SOCK port=$PGPORT user=referrals_app dbname=$DB" \
    --key="$KEYS/dev-1.pem")
  date -u +%FT%TZ >"$LOCAL/demo-loaded"
fi

R=127.0.0.1:${GRPC_PORT[registry]} F=127.0.0.1:${GRPC_PORT[referrals]} W=127.0.0.1:${GRPC_PORT[workforce]}
cat <<MSG

PDPS is running.
  registry   gRPC $R   metrics http://127.0.0.1:${METRICS_PORT[registry]}/metrics
  referrals  gRPC $F   metrics http://127.0.0.1:${METRICS_PORT[referrals]}/metrics
  workforce  gRPC $W   metrics http://127.0.0.1:${METRICS_PORT[workforce]}/metrics
  PostgreSQL $SOCK (port $PGPORT), database $DB
  logs       $LOGS/

Try it (in another terminal, from $ROOT):
  export PATH=$BUILD/tools/pdpsctl:\$PATH
  # where pdpsctl finds the services (or --addr, --referrals-addr, --workforce-addr)
  export PDPS_REGISTRY_ADDR=$R PDPS_REFERRALS_ADDR=$F PDPS_WORKFORCE_ADDR=$W
  export PDPS_TOKEN=\$(pdpsctl token --org-name="London Borough of Southwark" --roles=commissioner)
  pdpsctl frameworks list
  pdpsctl admissions list --state=ACTIVE
  pdpsctl documents list --expiring-within=30
  pdpsctl eligible --lot=<LOT_ID from 'pdpsctl lots list --framework=ID'> --area=Southwark
  export PDPS_TOKEN=\$(pdpsctl token --org-name="London Borough of Lewisham" --roles=commissioner)
  pdpsctl admissions list --state=SUSPENDED --json

Brokerage:
  export PDPS_TOKEN=\$(pdpsctl token --org-name="London Borough of Southwark" --roles=brokerage_officer)
  pdpsctl referrals list --state=OPEN
  pdpsctl offers list --referral=<REFERRAL_ID>           # who holds the first refusal
  export PDPS_TOKEN=\$(pdpsctl token --org=<PROVIDER_ID from offers> --roles=provider_admin)
  pdpsctl inbox --live                                   # pen portraits only
  pdpsctl accept <OFFER_ID>      # or: pdpsctl decline <OFFER_ID> --reason=NO_CAPACITY --rationale="..."
  pdpsctl referrals person <REFERRAL_ID> --purpose="arrange the first visit"   # once awarded

Workforce:
  export PDPS_TOKEN=\$(pdpsctl token --org-name="Bermondsey Home Care" --roles=provider_admin)
  pdpsctl expiries --within=30 --lot=<LOT_ID>            # DBS, training, supervision lapsing
  pdpsctl staff list
  pdpsctl eligibility --staff=<STAFF_ID> --lot=<LOT_ID>  # the gate, with every reason
  pdpsctl complaints list --overdue                      # past their answer deadline (15 working days by default)
  export PDPS_TOKEN=\$(pdpsctl token --org-name="Peterborough City Council" --roles=commissioner)
  pdpsctl compliance --provider=<PROVIDER_ID> --lot=<LOT_ID>   # counts only, no names
  pdpsctl visits list                                    # one rated INADEQUATE...
  pdpsctl admissions list --state=SUSPENDED              # ...and the registry suspended it
  export PDPS_TOKEN=\$(pdpsctl token --org-name="London Borough of Lewisham" --roles=commissioner)
  pdpsctl packages workers <REFERRAL_ID from 'referrals list --state=AWARDED'>   # who works on it

Streaming logs; Ctrl-C stops everything.
MSG

LOGFILES=()
for svc in "${SERVICES[@]}"; do LOGFILES+=("$LOGS/$svc.log"); done
tail -n 0 -F "${LOGFILES[@]}" 2>/dev/null 9>&- &
TAIL_PID=$!
# Sleep until a service exits or the user presses Ctrl-C.
wait -n "${PIDS[@]}" || true
if [[ $STOPPING == 0 ]]; then
  echo "a service exited unexpectedly; see $LOGS" >&2
  exit 1
fi
