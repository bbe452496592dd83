#!/usr/bin/env bash
# Installs everything the build and the tests need, on a fresh Debian machine or this one.
# Idempotent: each step checks first, so a machine that has everything takes about a second.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

# `setup.sh serve` installs only what building and serving need (`make run`): the Rust build
# and the wasm tools. `setup.sh` (every test target) also installs the test machinery.
mode="${1:-all}"

# System packages: Chromium for the browser tests,
# PostgreSQL for the ledger tests, wrk for the server benchmark.
need=()
if [ "$mode" = all ]; then
command -v chromium >/dev/null || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v wrk >/dev/null || need+=(wrk)
command -v python3 >/dev/null || need+=(python3)
fi
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Rust: the wasm target, wasm-pack, and wasm-bindgen-cli at exactly Cargo.lock's version.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
command -v wasm-pack >/dev/null || { say "cargo install wasm-pack"; cargo install -q wasm-pack; }
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ -n "$want" ] && [ "$want" != "$have" ]; then
  # Not --locked: one of its locked dependencies is missing from the registry mirror.
  say "cargo install wasm-bindgen-cli --version $want (had: ${have:-none})"
  cargo install -q --force wasm-bindgen-cli --version "$want"
fi

# npm packages (playwright-core, axe-core, typescript), from the lock file.
if [ "$mode" = all ] && [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
