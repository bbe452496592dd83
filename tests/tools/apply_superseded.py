#!/usr/bin/env python3
"""Prints a case file with the expectations that later additions of the contract changed.

    python3 apply_superseded.py CASES.jsonl tests/fixtures/superseded.jsonl > OUT.jsonl

Each line of the superseded file names a case, its new "expect" and "why". A superseded name
that the case file lacks is an error, so the list cannot go stale silently.
"""
import json
import sys

cases_path, superseded_path = sys.argv[1], sys.argv[2]
superseded = {}
for line in open(superseded_path, encoding="utf-8"):
    if line.strip():
        entry = json.loads(line)
        superseded[entry["name"]] = entry["expect"]
seen = set()
for line in open(cases_path, encoding="utf-8"):
    if not line.strip():
        continue
    case = json.loads(line)
    if case["name"] in superseded:
        case["expect"] = superseded[case["name"]]
        seen.add(case["name"])
        line = json.dumps(case, ensure_ascii=False) + "\n"
    sys.stdout.write(line)
missing = set(superseded) - seen
if missing:
    sys.exit(f"apply_superseded.py: {cases_path} has no case named {sorted(missing)}")
