"""Compares W3 coverage answers: qpv's JSON (`qpv coverage --format json`) against a peer's CSV
(scripts/peers/coverage_*.py), value by value on every zone x category x D row.

Counts must be equal; the nearest facility must be the same id or one at the same distance
(0.01 m); covered areas must agree within 1e-6 relative on every row (qpv's JSON and the peers'
CSV write them unrounded; 1e-9 m² absolute for an area of zero in one tool). Prints one summary
line; exit 1 on any disagreement.
"""

import csv
import json
import sys


def main() -> None:
    qpv_json, peer_csv = sys.argv[1], sys.argv[2]
    with open(qpv_json, encoding="utf-8") as f:
        records = json.load(f)["records"]
    ours = {(r["code_qp"], r["category"], float(r["distance_m"])): r for r in records}
    bad = []
    n = 0
    max_rel = 0.0
    with open(peer_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["code_qp"], row["category"], float(row["distance_m"]))
            r = ours.pop(key, None)
            n += 1
            if r is None:
                bad.append(f"{key}: missing from qpv")
                continue
            for col in ("inside_count", "within_count"):
                if int(row[col]) != r[col]:
                    bad.append(f"{key}: {col} qpv {r[col]} peer {row[col]}")
            if (row["nearest_id"] or None) != r.get("nearest_id"):
                pd_ = float(row["nearest_distance_m"] or "nan")
                if abs(pd_ - (r.get("nearest_distance_m") or float("nan"))) > 0.011:
                    bad.append(f"{key}: nearest qpv {r.get('nearest_id')} peer {row['nearest_id']}")
            a, b = r["covered_area_m2"], float(row["covered_area_m2"])
            if abs(a - b) > max(1e-6 * max(abs(a), abs(b)), 1e-9):
                bad.append(f"{key}: covered_area_m2 qpv {a} peer {b}")
            elif b > 0.0:
                max_rel = max(max_rel, abs(a - b) / abs(b))
    bad.extend(f"{k}: missing from the peer" for k in ours)
    status = "agree" if not bad else f"{len(bad)} disagreements"
    print(
        f"{n} rows compared: {status}; counts exact, largest covered-area difference "
        f"{max_rel:.2e} relative"
    )
    for line in bad[:10]:
        print("  " + line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
