#!/usr/bin/env bash
# Builds the WebAssembly engine into pkg/ (never committed): pkg/web (--target web), pkg/node
# (--target nodejs) and pkg/bundler (--target bundler), all named donation_guard.
#
# Offline and reproducible: it installs what is missing (the wasm32 target, wasm-bindgen-cli at
# exactly Cargo.lock's wasm-bindgen version, wasm-pack) and never lets wasm-pack download:
# wasm-bindgen is on PATH at the right version, and wasm-pack runs with --no-opt.
# Idempotent: quick when pkg/ is newer than every input (FORCE=1 rebuilds).
#
# Size settings: the `wasm-release` profile (Cargo.toml: opt-level "z", LTO, one codegen unit,
# panic=abort) for the wasm only; native release stays at opt-level 3. Names are stripped
# here (strip-wasm.mjs). No CLI or server code: --no-default-features.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { echo "build-wasm: $*" >&2; }

# wasm-opt from npm's binaryen 132 (package.json devDependency; node_modules/.bin/wasm-opt),
# never Debian's binaryen 108, which breaks wasm-bindgen 0.2.130's externref table (it writes
# the table back as funcref, so `table.set(0, undefined)` in the glue throws and the module never
# starts). The flags, measured on gzip -9 (issue 9): binaryen's inlining is what makes its
# -Oz output larger after gzip (-Oz: +26 KB gzip though 31 KB smaller raw), so it is skipped;
# -O2 -s 2 without `inlining-optimizing` is the smallest gzip found (-4.5 KB against no
# wasm-opt; -O1 -2.2 KB, -Oz/-Os without inlining -3.6/-4.0 KB). The feature flags are those
# rustc's wasm32 target emits. Without binaryen the build still works, unoptimised (and `make
# test`'s size budget then fails): WASM_OPT_FLAGS= (empty) turns it off on purpose.
WASM_OPT=${WASM_OPT:-node_modules/.bin/wasm-opt}
WASM_OPT_FLAGS=${WASM_OPT_FLAGS-"-O2 -s 2 --skip-pass=inlining-optimizing --strip-debug --strip-producers --strip-target-features --enable-reference-types --enable-bulk-memory --enable-multivalue --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int"}
if [[ -n $WASM_OPT_FLAGS ]] && ! "$WASM_OPT" --version 2>/dev/null | grep -q 'version 1[3-9][0-9]'; then
  log "warning: no binaryen >= 130 at $WASM_OPT (npm ci installs it); building without wasm-opt"
  WASM_OPT_FLAGS=
fi

targets=(web node bundler)
stamp=pkg/.stamp

inputs_newer_than_stamp() {
  [[ -f $stamp ]] || return 0
  for t in "${targets[@]}"; do [[ -f pkg/$t/donation_guard_bg.wasm ]] || return 0; done
  [[ -n $(find src Cargo.toml Cargo.lock tests/tools/build-wasm.sh tests/tools/pkg-entry -newer "$stamp" -print -quit) ]]
}

if [[ ${FORCE:-0} != 1 ]] && ! inputs_newer_than_stamp; then
  log "pkg/ is up to date"
  exit 0
fi

# 1. The target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version in Cargo.lock (the JS glue and the wasm must agree).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [[ -z $want ]]; then
  log "no wasm-bindgen in Cargo.lock; run: cargo generate-lockfile"
  exit 2
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [[ $have != "$want" ]]; then
  log "installing wasm-bindgen-cli $want (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. wasm-pack.
if ! command -v wasm-pack >/dev/null; then
  log "installing wasm-pack"
  cargo install wasm-pack
fi

# 4. Build each target. Cargo's build is shared; only wasm-bindgen runs three times.
for t in "${targets[@]}"; do
  case $t in
    node) wp_target=nodejs ;;
    *) wp_target=$t ;;
  esac
  log "wasm-pack --target $wp_target -> pkg/$t"
  # --no-opt: wasm-pack would download binaryen if it missed it (see WASM_OPT_FLAGS below).
  WASM_PACK_CACHE="${TMPDIR:-/tmp}/wasm-pack-cache" wasm-pack --log-level warn build \
    --target "$wp_target" --out-dir "pkg/$t" --out-name donation_guard \
    --profile wasm-release --no-opt --no-pack . --no-default-features --locked
  rm -f "pkg/$t/.gitignore"
done

# 5. Function names, DWARF and producers out: 160 KB no browser reads.
node tests/tools/strip-wasm.mjs pkg/{web,node,bundler}/donation_guard_bg.wasm

# 6. wasm-opt (above), on each module (their import sections differ by target).
if [[ -n $WASM_OPT_FLAGS ]]; then
  for t in "${targets[@]}"; do
    wasm=pkg/$t/donation_guard_bg.wasm
    # shellcheck disable=SC2086
    "$WASM_OPT" $WASM_OPT_FLAGS "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
  done
fi

# 7. Module type markers and the package's own entry points (tests/tools/pkg-entry).
echo '{ "type": "module" }' > pkg/web/package.json
echo '{ "type": "module", "sideEffects": ["./donation_guard.js"] }' > pkg/bundler/package.json
echo '{ "type": "commonjs" }' > pkg/node/package.json
cp tests/tools/pkg-entry/web.js pkg/web/index.js
cp tests/tools/pkg-entry/web.d.ts pkg/web/index.d.ts
cp tests/tools/pkg-entry/node.mjs pkg/node/index.mjs
cp tests/tools/pkg-entry/node.d.mts pkg/node/index.d.mts
cp tests/tools/pkg-entry/node.cjs pkg/node/index.cjs
cp tests/tools/pkg-entry/node.d.cts pkg/node/index.d.cts
cp tests/tools/pkg-entry/bundler.js pkg/bundler/index.js
cp tests/tools/pkg-entry/bundler.d.ts pkg/bundler/index.d.ts

# 8. The browser's copy (pkg/web) minified: the JS glue and the init-once wrapper are what a
# page downloads besides the .wasm (-1.8 KB gzip). Exports and `import.meta.url` are kept
# (--module); node and bundler keep readable JS (a bundler minifies on its own). terser comes
# with webpack (package-lock.json); without it pkg/web stays unminified.
TERSER=node_modules/.bin/terser
if [[ -x $TERSER ]]; then
  for f in pkg/web/donation_guard.js pkg/web/index.js; do
    "$TERSER" "$f" --module --compress passes=2 --mangle --output "$f.min"
    mv "$f.min" "$f"
  done
else
  log "warning: no terser at $TERSER (npm ci installs it); pkg/web's JS stays unminified"
fi

touch "$stamp"
log "done: pkg/web/donation_guard_bg.wasm is $(stat -c %s pkg/web/donation_guard_bg.wasm) bytes"
