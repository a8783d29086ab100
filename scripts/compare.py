"""Checks that two tools' outputs agree, on the point ids they have in common.

    compare.py locate  REF.csv OTHER.csv   # same zone code for every point, same counts per zone
    compare.py nearest REF.csv OTHER.csv   # same nearest facility id (or an equidistant one)

Columns are found by name, so qpv's own output (input columns kept, new ones appended) and the
peers' (id,code_qp / id,facility_id,distance_m) can be compared; override with --code-col /
--facility-col / --distance-col (applied to OTHER). Prints one line `OK ...` or `MISMATCH ...`
and exits 0 or 1.
"""

import argparse
import sys

import pandas as pd

CODE_COLS = ["code_qp", "qpv_code", "zone_code", "zone", "qpv"]
FAC_COLS = ["facility_id", "nearest_id", "nearest_facility_id", "facility", "nearest_1_id"]
DIST_COLS = ["distance_m", "nearest_distance_m", "distance", "nearest_1_distance_m"]


def pick(df: pd.DataFrame, given, candidates, what: str, path: str) -> str:
    if given:
        return given
    for c in candidates:
        if c in df.columns:
            return c
    sys.exit(f"{path}: no {what} column among {candidates}; columns are {list(df.columns)}")


EMPTY = {"", "none", "null", "NA", "NaN"}


def load(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("task", choices=["locate", "nearest"])
    ap.add_argument("ref")
    ap.add_argument("other")
    ap.add_argument("--code-col")
    ap.add_argument("--facility-col")
    ap.add_argument("--distance-col")
    ap.add_argument("--tie-tolerance-m", type=float, default=0.01)
    a = ap.parse_args()
    ref = load(a.ref)
    other = load(a.other)
    for df, p in ((ref, a.ref), (other, a.other)):
        if "id" not in df.columns:
            sys.exit(f"{p}: no id column")
    if a.task == "locate":
        rc = pick(ref, None, CODE_COLS, "zone code", a.ref)
        oc = pick(other, a.code_col, CODE_COLS, "zone code", a.other)
        m = ref[["id", rc]].merge(other[["id", oc]], on="id", suffixes=("_ref", "_other"))
        x, y = (rc + "_ref", oc + "_other") if rc == oc else (rc, oc)
        for c in (x, y):  # "no zone" may be written as an empty cell or a word
            m.loc[m[c].isin(EMPTY), c] = ""
        diff = m[m[x] != m[y]]
        inside_ref = (m[x] != "").sum()
        counts_ref = m[m[x] != ""].groupby(x).size()
        counts_other = m[m[y] != ""].groupby(y).size()
        zones_differ = (counts_ref.sub(counts_other, fill_value=0) != 0).sum()
        status = "OK" if len(diff) == 0 else "MISMATCH"
        print(
            f"{status} locate: {len(m)} common points, {inside_ref} inside a zone in ref, "
            f"{len(diff)} points with a different zone, {zones_differ} zones with a different count"
        )
        if len(diff):
            print(diff.head(10).to_string(index=False))
        return 0 if len(diff) == 0 else 1
    rf = pick(ref, None, FAC_COLS, "facility id", a.ref)
    rd = pick(ref, None, DIST_COLS, "distance", a.ref)
    of = pick(other, a.facility_col, FAC_COLS, "facility id", a.other)
    od = pick(other, a.distance_col, DIST_COLS, "distance", a.other)
    r = ref[["id", rf, rd]].rename(columns={rf: "f_ref", rd: "d_ref"})
    o = other[["id", of, od]].rename(columns={of: "f_other", od: "d_other"})
    m = r.merge(o, on="id")
    d_ref = pd.to_numeric(m["d_ref"])
    d_other = pd.to_numeric(m["d_other"])
    same_id = m["f_ref"] == m["f_other"]
    tie = (~same_id) & ((d_ref - d_other).abs() <= a.tie_tolerance_m)
    wrong = (~same_id) & (~tie)
    dist_off = same_id & ((d_ref - d_other).abs() > a.tie_tolerance_m)
    bad = int(wrong.sum() + dist_off.sum())
    status = "OK" if bad == 0 else "MISMATCH"
    print(
        f"{status} nearest: {len(m)} common points, {int(same_id.sum())} same facility, "
        f"{int(tie.sum())} equidistant alternatives (|Δd| <= {a.tie_tolerance_m} m), "
        f"{int(wrong.sum())} different facilities, {int(dist_off.sum())} distances off by > "
        f"{a.tie_tolerance_m} m, max |Δd| on same facility {float((d_ref - d_other)[same_id].abs().max() or 0):.3f} m"
    )
    if bad:
        print(m[wrong | dist_off].head(10).to_string(index=False))
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
