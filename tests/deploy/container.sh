#!/usr/bin/env bash
# The Dockerfile's runtime stage, run without a Docker daemon: a Debian bookworm minbase root
# (debootstrap, the base of debian:bookworm-slim) gets the stage's RUN, COPY, ENV, USER,
# ENTRYPOINT and CMD as deploy/Dockerfile writes them, read from the file, so the test follows
# the file. The server then runs in a chroot as the image's user, and must answer /healthz with
# a writable ledger, check a submission with a key (a happy case, sent with no widget response:
# review, since the image's command has --require-widget), refuse one without, and create its ledger 0600 under /data.
# Also `systemd-analyze verify` on the unit. What this cannot show: the build stage (it needs the
# rust image from Docker Hub, which this machine cannot reach); the binary comes from
# target/release, built on bookworm as that stage builds it.
# Needs root (chroot, mount). Listens on 127.0.0.1 only (DG_LISTEN is overridden, as
# `docker run -e DG_LISTEN=...` would).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
bin=$repo/target/release/donation-guard
[ -x "$bin" ] || { echo "container.sh: build first (cargo build --release)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "container.sh: needs root (chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

base=$repo/target/container/bookworm-minbase
if [ ! -f "$base/.complete" ]; then
  rm -rf "$base"; mkdir -p "$(dirname "$base")"
  echo "container.sh: debootstrap bookworm (once, cached in target/container)"
  debootstrap --variant=minbase bookworm "$base" http://deb.debian.org/debian >"$base.log" 2>&1 \
    || { tail -20 "$base.log" >&2; exit 1; }
  touch "$base/.complete"
fi
root=$(mktemp -d /tmp/dg-image.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
cp -a "$base/." "$root/"

# The last stage of the Dockerfile, with continuation lines joined.
stage=$(awk '/^FROM /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' deploy/Dockerfile \
  | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | grep -v '^\s*#' | grep -v '^\s*$')
from=$(printf '%s\n' "$stage" | sed -n 's/^FROM \([^ ]*\).*/\1/p')
[ "$from" = "debian:bookworm-slim" ] || { echo "container.sh: the runtime base is $from, not debian:bookworm-slim" >&2; exit 1; }
declare -a envs=()
user=root entry= cmd=
while IFS= read -r line; do
  instr=${line%% *}; rest=${line#* }
  case $instr in
    FROM|VOLUME|EXPOSE|LABEL|HEALTHCHECK) ;;
    RUN) chroot "$root" /bin/sh -ec "$rest" ;;
    COPY)
      set -- $rest
      if [ "$1" = "--from=build" ]; then
        [ "$2" = /src/target/release/donation-guard ] || { echo "container.sh: unknown build artefact $2" >&2; exit 1; }
        src=$bin; dst=$3
      else src=$repo/$1; dst=$2; fi
      mkdir -p "$root$(dirname "$dst")"; cp -a "$src" "$root$dst" ;;
    ENV) for kv in $rest; do envs+=("$kv"); done ;;
    USER) user=$rest ;;
    ENTRYPOINT) entry=$rest ;;
    CMD) cmd=$rest ;;
    *) echo "container.sh: the test does not know the Dockerfile instruction $instr" >&2; exit 1 ;;
  esac
done <<<"$(printf '%s\n' "$stage" | tail -n +2)"
[ "$user" != root ] || { echo "container.sh: the image runs as root" >&2; exit 1; }
uid=$(chroot "$root" id -u "$user"); gid=$(chroot "$root" id -g "$user")
[ "$uid" != 0 ] || { echo "container.sh: the image's user is uid 0" >&2; exit 1; }
mapfile -t argv < <(python3 -c 'import json,sys; [print(a) for a in json.loads(sys.argv[1]) + json.loads(sys.argv[2])]' "$entry" "$cmd")

mount -t proc proc "$root/proc"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${envs[@]}" DG_LISTEN="127.0.0.1:$port" DG_API_KEYS="$key" DG_SECRET="$secret" \
  "$(command -v chroot)" --userspec="$uid:$gid" "$root" "${argv[@]}" >"$root/server.log" 2>&1 &
pid=$!
ok=
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/healthz" -o "$root/healthz.json" 2>/dev/null; then ok=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$ok" ] || { echo "container.sh: the server did not answer /healthz:" >&2; cat "$root/server.log" >&2; exit 1; }
grep -q '"ledger_write":"ok"' "$root/healthz.json" || { echo "container.sh: healthz: $(cat "$root/healthz.json")" >&2; exit 1; }
body=$(sed -n 1p tests/fixtures/cases.jsonl | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read())["submission"]))')
code=$(curl -sS -o "$root/check.json" -w '%{http_code}' -H "authorization: Bearer $key" -H 'content-type: application/json' \
  --data-binary "$body" "http://127.0.0.1:$port/v1/check")
[ "$code" = 200 ] && grep -q '"client_verdict_missing"' "$root/check.json" || { echo "container.sh: /v1/check gave $code: $(cat "$root/check.json")" >&2; exit 1; }
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data-binary "$body" "http://127.0.0.1:$port/v1/check")
[ "$code" = 401 ] || { echo "container.sh: a keyless request gave $code, not 401" >&2; exit 1; }
run_uid=$(awk '/^Uid:/{print $2}' "/proc/$(pgrep -P "$pid" -f donation-guard || echo "$pid")/status")
[ "$run_uid" = "$uid" ] || { echo "container.sh: the server runs as uid $run_uid, not $uid" >&2; exit 1; }
db=$(printf '%s\n' "${envs[@]}" | sed -n 's/^DG_DB=//p')
mode=$(stat -c '%a %u' "$root$db")
[ "$mode" = "600 $uid" ] || { echo "container.sh: $db is $mode, want 600 owned by $uid" >&2; exit 1; }
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
echo "container.sh: the Dockerfile's runtime stage runs as uid $uid on bookworm: healthz ok, check 200 (client_verdict_missing), keyless 401, ledger 0600"

if command -v systemd-analyze >/dev/null; then
  unit=$(mktemp -d)/donation-guard.service
  sed "s|^ExecStart=/usr/local/bin/donation-guard|ExecStart=$bin|" deploy/donation-guard.service >"$unit"
  out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e 'network-online.target' -e '^$' || true)
  rm -rf "$(dirname "$unit")"
  [ -z "$out" ] || { echo "container.sh: systemd-analyze verify: $out" >&2; exit 1; }
  echo "container.sh: systemd-analyze verify: the unit is clean"
fi
