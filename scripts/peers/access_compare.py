#!/usr/bin/env python3
"""Compares qpv's --scores CSV with the PySAL peer's: same cells, scores equal to 1e-9 relative.

    access_compare.py QPV_SCORES.csv PEER_SCORES.csv
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        return {row["id"]: row for row in r}


q, p = read(sys.argv[1]), read(sys.argv[2])
assert q.keys() == p.keys(), "different cells"
worst, reached = 0.0, 0
for cid, prow in p.items():
    for col in ("score_2sfca", "score_e2sfca"):
        a, b = float(q[cid][col]), float(prow[col])
        if b != 0.0:
            reached += 1
            worst = max(worst, abs(a - b) / abs(b))
        elif a != 0.0:
            sys.exit(f"{cid} {col}: qpv {a}, PySAL 0")
print(f"{len(p)} cells, {reached} non-zero scores, worst relative difference {worst:.2e}")
sys.exit(0 if worst <= 1e-9 else 1)
