#!/usr/bin/env python3
"""Writes a synthetic FEC itcont file (21 pipe-separated columns) for `make bench-screen`.

usage: gen_itcont.py ROWS DONORS > itcont.txt   (deterministic; no real names)
"""
import random
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
donors = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
rnd = random.Random(42)
first = ["JOHN", "MARY", "ANN", "JAMES", "LINDA", "ROBERT", "SUSAN", "DAVID", "KAREN", "PAUL"]
cmtes = [f"C{n:08d}" for n in range(1, 2001)]
out = sys.stdout
buf = []
for i in range(rows):
    d = rnd.randrange(donors)
    last = f"DONOR{d:07d}"
    name = f"{last}, {first[d % 10]} {chr(65 + d % 26)}"
    zip_ = f"{10000 + d % 89999:05d}{'' if d % 3 else '1234'}"
    cm = cmtes[d % 2000] if rnd.random() < 0.8 else rnd.choice(cmtes)
    month = rnd.randrange(1, 13)
    day = rnd.randrange(1, 29)
    year = 2023 + rnd.randrange(2)
    amt = rnd.choice([5, 10, 25, 50, 100, 250, 500, 1000, 2800, 3300])
    tp = "22Y" if rnd.random() < 0.01 else "15"
    memo = "X" if rnd.random() < 0.02 else ""
    st = "ZZ" if rnd.random() < 0.001 else "NY"
    buf.append(
        f"{cm}|N|Q1|P{2024}|2024{i:014d}|{tp}|IND|{name}|CITY|{st}|{zip_}|EMPLOYER|OCCUPATION|"
        f"{month:02d}{day:02d}{year}|{amt}||T{i}|1|{memo}||{4000000000000000000 + i}\n"
    )
    if len(buf) >= 100_000:
        out.write("".join(buf))
        buf.clear()
out.write("".join(buf))
