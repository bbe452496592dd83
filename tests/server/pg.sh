#!/usr/bin/env bash
# Runs the ledger tests (limit race, idempotency, crash safety) against a real PostgreSQL:
# Debian's package, a throwaway cluster in a temp directory, on 127.0.0.1 and a free port.
# Skips (exit 0, with the reason) only when PostgreSQL cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "pg.sh: installing postgresql from Debian"
    (apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null 2>&1; }) || true
    BIN=$(find_bin || true)
  fi
fi
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "pg.sh: skipped: PostgreSQL is not installed and could not be installed (apt-get install postgresql)"
  exit 0
fi

DATA=$(mktemp -d /tmp/dg-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
AS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DATA"
  AS=(runuser -u postgres --)
fi
cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DATA/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

"${AS[@]}" "$BIN/initdb" -D "$DATA/db" -U dg --auth=trust -E UTF8 >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$DATA/db" -l "$DATA/db/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=on -c synchronous_commit=on -c max_connections=200" start >/dev/null
"$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U dg -d postgres -c "CREATE DATABASE dg_test" >/dev/null
echo "pg.sh: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

export DG_TEST_DATABASE_URL="postgres://dg@127.0.0.1:$PORT/dg_test"
# Each test creates its own database on this server with it (one ledger, one committee).
export DG_TEST_PSQL="$BIN/psql"
cargo test --release --test server -- pg_ --nocapture --test-threads 1 2>&1 | tee "$DATA/test.log"
if grep -q "skipped: DG_TEST_DATABASE_URL" "$DATA/test.log"; then
  echo "pg.sh: the PostgreSQL tests did not see the database" >&2
  exit 1
fi
