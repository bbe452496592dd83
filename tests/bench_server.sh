#!/usr/bin/env bash
# make bench-server: drives the release server from a second process (wrk) on loopback and
# reports requests/s and p50/p99 latency for
#   POST /v1/check                          (target: >= 30,000 req/s, p99 <= 2 ms)
#   POST /v1/contributions on SQLite, durable (target: >= 5,000 req/s; WAL, synchronous=FULL,
#                                             group commit)
# BENCH_SECONDS (default 10) sets each run's length. Not a test: it reports, it does not fail
# on a missed target.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${BENCH_SECONDS:-10}
command -v wrk >/dev/null || { echo "bench_server.sh: wrk is needed (apt-get install wrk)" >&2; exit 2; }

cargo build --release -q --bin donation-guard
WORK=$(mktemp -d /tmp/dg-bench.XXXXXX)
./target/release/donation-guard serve --listen 127.0.0.1:0 --db "$WORK/ledger.sqlite" --www www \
  >"$WORK/out" 2>"$WORK/err" &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/out" | head -n 1)
[ -n "$URL" ] || { echo "bench_server.sh: the server did not start" >&2; cat "$WORK/err" >&2; exit 1; }

run() { # name script connections
  local name=$1 script=$2 conns=$3
  wrk -t1 -c1 -d1s -s "$script" "$URL" >/dev/null 2>&1 || true # warm-up
  local line before after requests
  before=$(cpu_ticks)
  line=$(DG_RUN="$name-$conns-$$" wrk -t1 -c"$conns" -d"${SECONDS_EACH}s" --timeout 5s -s "$script" "$URL" | grep '^RESULT')
  after=$(cpu_ticks)
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  # The server's own CPU time per request (user + system), which other load on the machine
  # disturbs less than requests/s do.
  local cpu_us=$(( (after - before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))
  printf '%-32s %-5s %s server_cpu_us_per_req=%s\n' "$name" "c=$conns" "${line#RESULT }" "$cpu_us"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }

echo "donation-guard $(./target/release/donation-guard --version | awk '{print $2}'), $(nproc) cores, server and wrk on the same machine (loopback); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run "POST /v1/check" tests/server/bench/check.lua 16
run "POST /v1/check" tests/server/bench/check.lua 64
run "POST /v1/contributions (SQLite)" tests/server/bench/contributions.lua 64
run "POST /v1/contributions (SQLite)" tests/server/bench/contributions.lua 256
rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from contributions').fetchone()[0])" "$WORK/ledger.sqlite" 2>/dev/null || echo '?')
echo "ledger rows written: $rows; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
