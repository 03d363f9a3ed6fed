#!/usr/bin/env bash
# ctest fixture: starts one throwaway PostgreSQL 15 cluster for the whole test run and
# writes its superuser conninfo to $1/env. Each test suite makes its own database in it.
set -euo pipefail
OUT=$1
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
mkdir -p "$OUT"
if [[ -f $OUT/datadir ]] && [[ -f "$(cat "$OUT/datadir")/postmaster.pid" ]]; then
  bash "$(dirname "$0")/stop.sh" "$OUT" || true
fi
DATA=$(mktemp -d /tmp/pdps-test-pg.XXXXXX)
SOCK=$DATA/sock
mkdir -p "$SOCK"
RUN=()
if [[ $(id -u) == 0 ]]; then
  chown -R postgres: "$DATA"
  RUN=(runuser -u postgres --)
fi
# A free port on 127.0.0.1 (the cluster also listens on its private socket).
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${RUN[@]}" "$PGBIN/initdb" -D "$DATA/data" --auth=trust -E UTF8 --locale=C.UTF-8 -U postgres >"$OUT/initdb.log"
cat >>"$DATA/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
CONF
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$DATA/data" -l "$DATA/postgres.log" -w start >/dev/null
echo "$DATA" >"$OUT/datadir"
echo "host=$SOCK port=$PORT user=postgres dbname=postgres" >"$OUT/env"
echo "test PostgreSQL on $SOCK:$PORT"
