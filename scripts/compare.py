"""Checks that two tools' outputs agree, on the point ids they have in common.

    compare.py locate  REF.csv OTHER.csv   # same zone code for every point, same counts per zone
    compare.py nearest REF.csv OTHER.csv   # same nearest facility id (or an equidistant one)
    compare.py locate_full REF.csv OTHER.csv   # same zone, status, signed distance (0.01 m),
                                               # nearest zone (or a tie at the same distance)

Columns are found by name, so qpv's own output (input columns kept, new ones appended) and the
peers' (id,code_qp / id,facility_id,distance_m) can be compared; override with --code-col /
--facility-col / --distance-col (applied to OTHER). A different nearest facility counts as a tie
only when --points and --facilities are given and its recomputed distance equals the
reference's within --tie-tolerance-m. Prints one line `OK ...` or `MISMATCH ...`
and exits 0 or 1.
"""

import argparse
import csv
import sys

import pandas as pd

CODE_COLS = ["code_qp", "qpv_code", "zone_code", "zone", "qpv"]
FAC_COLS = ["facility_id", "nearest_id", "nearest_facility_id", "facility", "nearest_1_id"]
DIST_COLS = ["distance_m", "nearest_distance_m", "distance", "nearest_1_distance_m"]


def pick(columns: list, given, candidates, what: str, path: str) -> str:
    if given:
        if given not in columns:
            sys.exit(f"{path}: no column {given!r}; columns are {columns}")
        return given
    for c in candidates:
        if c in columns:
            return c
    sys.exit(f"{path}: no {what} column among {candidates}; columns are {columns}")


EMPTY = {"", "none", "null", "NA", "NaN"}


def header(path: str) -> list:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f))


def load(path: str, columns: list) -> pd.DataFrame:
    """Only the needed columns: qpv's output keeps every input column, at 10 M rows."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, usecols=columns)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("task", choices=["locate", "nearest", "locate_full"])
    ap.add_argument("ref")
    ap.add_argument("other")
    ap.add_argument("--code-col")
    ap.add_argument("--facility-col")
    ap.add_argument("--distance-col")
    ap.add_argument("--tie-tolerance-m", type=float, default=0.01)
    ap.add_argument("--points", help="input points CSV (id,lon,lat): verifies equidistant alternatives")
    ap.add_argument("--facilities", help="facilities CSV (id,...,lon,lat): same")
    a = ap.parse_args()
    ref_cols, other_cols = header(a.ref), header(a.other)
    for cols, p in ((ref_cols, a.ref), (other_cols, a.other)):
        if "id" not in cols:
            sys.exit(f"{p}: no id column; columns are {cols}")
    if a.task == "locate_full":
        return compare_full(a.ref, a.other, a.tie_tolerance_m)
    if a.task == "locate":
        rc = pick(ref_cols, None, CODE_COLS, "zone code", a.ref)
        oc = pick(other_cols, a.code_col, CODE_COLS, "zone code", a.other)
        ref, other = load(a.ref, ["id", rc]), load(a.other, ["id", oc])
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
    rf = pick(ref_cols, None, FAC_COLS, "facility id", a.ref)
    rd = pick(ref_cols, None, DIST_COLS, "distance", a.ref)
    of = pick(other_cols, a.facility_col, FAC_COLS, "facility id", a.other)
    od = pick(other_cols, a.distance_col, DIST_COLS, "distance", a.other)
    ref, other = load(a.ref, ["id", rf, rd]), load(a.other, ["id", of, od])
    r = ref[["id", rf, rd]].rename(columns={rf: "f_ref", rd: "d_ref"})
    o = other[["id", of, od]].rename(columns={of: "f_other", od: "d_other"})
    m = r.merge(o, on="id")
    d_ref = pd.to_numeric(m["d_ref"])
    d_other = pd.to_numeric(m["d_other"])
    same_id = m["f_ref"] == m["f_other"]
    dist_off = same_id & ((d_ref - d_other).abs() > a.tie_tolerance_m)
    differ = m[~same_id]
    # A different facility is fine only if it really is as near as the reference's: recompute its
    # distance from the input files (Lambert-93 through pyproj).
    tie = pd.Series(False, index=m.index)
    if len(differ) and a.points and a.facilities:
        from pyproj import Transformer

        to_l93 = Transformer.from_crs(4326, 2154, always_xy=True)
        pts = pd.read_csv(a.points, dtype={"id": str}, usecols=["id", "lon", "lat"])
        pts = pts[pts["id"].isin(set(differ["id"]))].set_index("id")
        facs = pd.read_csv(a.facilities, dtype={"id": str}, usecols=["id", "lon", "lat"]).set_index("id")
        px, py = to_l93.transform(pts.loc[differ["id"], "lon"].values, pts.loc[differ["id"], "lat"].values)
        fo = facs.reindex(differ["f_other"])
        fx, fy = to_l93.transform(fo["lon"].values, fo["lat"].values)
        actual = ((px - fx) ** 2 + (py - fy) ** 2) ** 0.5
        ok = (abs(actual - d_ref[differ.index].values) <= a.tie_tolerance_m)
        tie.loc[differ.index] = ok
    wrong = (~same_id) & (~tie)
    bad = int(wrong.sum() + dist_off.sum())
    status = "OK" if bad == 0 else "MISMATCH"
    print(
        f"{status} nearest: {len(m)} common points, {int(same_id.sum())} same facility, "
        f"{int(tie.sum())} verified equidistant alternatives (|Δd| <= {a.tie_tolerance_m} m), "
        f"{int(wrong.sum())} different facilities (not verified equidistant), "
        f"{int(dist_off.sum())} distances off by > {a.tie_tolerance_m} m, max |Δd| on same "
        f"facility {float((d_ref - d_other)[same_id].abs().max() or 0):.3f} m"
    )
    if bad:
        print(m[wrong | dist_off].head(10).to_string(index=False))
    return 0 if bad == 0 else 1


def compare_full(ref_path: str, other_path: str, tol: float) -> int:
    """qpv locate's full output against a peer's: zone, status, signed distance, nearest zone."""
    cols = ["id", "code_qp", "signed_distance_m", "status", "nearest_code_qp"]
    ref, other = load(ref_path, cols), load(other_path, cols)
    m = ref.merge(other, on="id", suffixes=("_r", "_o"))
    for c in ("code_qp", "nearest_code_qp"):
        for side in ("_r", "_o"):
            m.loc[m[c + side].isin(EMPTY), c + side] = ""
    d_r = pd.to_numeric(m["signed_distance_m_r"])
    d_o = pd.to_numeric(m["signed_distance_m_o"])
    zone = m["code_qp_r"] != m["code_qp_o"]
    dist = (d_r - d_o).abs() > tol
    # A status may differ where |d| is within the tolerance of 25 m (rounding of either tool).
    status = (m["status_r"] != m["status_o"]) & ((d_r.abs() - 25.0).abs() > tol)
    # Outside every zone, another nearest zone at the same distance is a tie.
    nearest = (m["nearest_code_qp_r"] != m["nearest_code_qp_o"]) & ((m["code_qp_r"] != "") | dist)
    ties = int(((m["nearest_code_qp_r"] != m["nearest_code_qp_o"]) & ~nearest).sum())
    bad = zone | dist | status | nearest
    verdict = "OK" if not bad.any() else "MISMATCH"
    print(
        f"{verdict} locate_full: {len(m)} common points, {int(zone.sum())} different zones, "
        f"{int(dist.sum())} signed distances off by > {tol} m (max {float((d_r - d_o).abs().max()):.3f} m), "
        f"{int(status.sum())} different statuses, {int(nearest.sum())} different nearest zones "
        f"({ties} equidistant ties)"
    )
    if bad.any():
        print(m[bad].head(10).to_string(index=False))
    return 0 if not bad.any() else 1


if __name__ == "__main__":
    sys.exit(main())
