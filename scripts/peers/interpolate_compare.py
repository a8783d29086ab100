"""Compares two W4 outputs (qpv interpolate CSV, or a peer's CSV): same zones, same number of
cells per zone, every value (area and Filosofi columns) within a relative tolerance.

    python interpolate_compare.py A.csv B.csv [--rel 1e-6]

Prints one line: "agree: N zones x M values, max relative difference D" (exit 0) or the
disagreements (exit 1)."""

import argparse
import csv
import sys

VALUES = ["area_m2", "ind", "men", "men_pauv", "ind_snv", "men_1ind", "men_5ind", "men_fmp",
          "men_prop", "men_coll", "men_mais", "men_surf"]


def read(path: str) -> dict:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return {r["code_qp"]: r for r in csv.DictReader(f)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rel", type=float, default=1e-6)
    ap.add_argument("--cells", choices=["exact", "ignore"], default="exact")
    args = ap.parse_args()
    a, b = read(args.a), read(args.b)
    bad = []
    if set(a) != set(b):
        bad.append(f"zones differ: {sorted(set(a) ^ set(b))[:10]}")
    worst = 0.0
    for code in sorted(set(a) & set(b)):
        ra, rb = a[code], b[code]
        if args.cells == "exact" and int(ra["cells"]) != int(rb["cells"]):
            bad.append(f"{code}: cells {ra['cells']} vs {rb['cells']}")
        for v in VALUES:
            x, y = float(ra[v]), float(rb[v])
            rel = abs(x - y) / max(abs(x), abs(y), 1e-300) if (x or y) else 0.0
            worst = max(worst, rel)
            if rel > args.rel:
                bad.append(f"{code} {v}: {x!r} vs {y!r} (relative {rel:.2e})")
    if bad:
        print(f"DISAGREE: {len(bad)} differences; " + "; ".join(bad[:20]))
        sys.exit(1)
    print(f"agree: {len(a)} zones x {len(VALUES)} values, max relative difference {worst:.2e}")


if __name__ == "__main__":
    main()
