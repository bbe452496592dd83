#!/usr/bin/env bash
# `make bench` (part): CLI throughput over a generated file of LINES submissions (default
# 1,000,000), and peak memory, which must not grow with the file. Figures, not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BIN:-target/release/donation-guard}
lines=${LINES:-1000000}
dir=${TMPDIR:-/tmp}/dg-throughput
mkdir -p "$dir"
gen() {
  python3 - "$1" <<'PY'
import json, random, sys
n = int(sys.argv[1])
rnd = random.Random(7)
cases = [json.loads(l) for l in open("tests/fixtures/cases.jsonl", encoding="utf-8") if l.strip()]
lines = [c["input"] if "input" in c else json.dumps(c["submission"], separators=(",", ":"), ensure_ascii=False) for c in cases]
typical = [l for c, l in zip(cases, lines) if c["name"].startswith("happy")]
out = sys.stdout
for i in range(n):
    # Mostly typical submissions, as a real file would be, with every public case mixed in.
    out.write((rnd.choice(typical) if rnd.random() < 0.8 else rnd.choice(lines)) + "\n")
PY
}
for n in 100000 "$lines"; do
  f="$dir/submissions-$n.jsonl"
  [ -s "$f" ] || gen "$n" > "$f"
  size=$(stat -c %s "$f")
  /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" check "$f" > /dev/null
  read -r secs kb < "$dir/time"
  python3 -c "
n, secs, kb, size = $n, $secs, $kb, $size
print(f'CLI check: {n:>9,} lines ({size/1e6:,.0f} MB) in {secs:.2f} s = {n/secs:>10,.0f} lines/s; peak RSS {kb/1024:.1f} MiB')"
done
