#!/usr/bin/env bash
# `make fuzz`: coverage-guided fuzzing of the JSON entry point with cargo-fuzz (libFuzzer).
# Seeds the corpus with the public cases. FUZZ_SECONDS (default 60) bounds the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
corpus=tests/fuzz/corpus/check_json
mkdir -p "$corpus"
if [ -f tests/fixtures/cases.jsonl ]; then
  python3 - "$corpus" <<'PY'
import hashlib, json, sys
for line in open("tests/fixtures/cases.jsonl", encoding="utf-8"):
    if not line.strip():
        continue
    case = json.loads(line)
    data = case["input"] if "input" in case else json.dumps(case["submission"], separators=(",", ":"), ensure_ascii=False)
    data = data.encode()
    open(f"{sys.argv[1]}/{hashlib.sha1(data).hexdigest()}", "wb").write(data)
PY
fi
cargo +nightly fuzz run --fuzz-dir tests/fuzz check_json "$corpus" -- -max_total_time="${FUZZ_SECONDS:-60}" -max_len=70000
