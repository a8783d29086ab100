"""Peer (W3): facility coverage of every zone with GeoPandas, end to end (read files -> CSV).

The job of `qpv coverage --distance 300,500,1000 --no-grid`, per zone x category x D:
- inside_count: facilities in the zone, boundary included (sjoin, predicate "intersects");
- within_count: facilities whose distance to the zone is <= D (sjoin, predicate "dwithin");
- nearest_id, nearest_distance_m: the nearest facility of the category (sjoin_nearest);
- covered_area_m2, area_share_covered: area of zone ∩ ⋃ disc(facility, D) over the facilities
  within D of that zone. Discs are built exactly as qpv builds them: a regular 128-gon with a
  vertex at angle 0 whose circumradius is scaled so that its area is πD²
  (R = D·sqrt(2π / (n·sin(2π/n)))), so both tools intersect the same polygons.
Inputs: zones (GeoJSON, WGS84, `code_qp`), facilities (CSV id,name,category,lon,lat), all
reprojected to Lambert-93 (EPSG:2154) with pyproj. Output rows sorted by code_qp, category, D.
"""

import argparse
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from _geopandas_common import read_zones

N_SIDES = 128


def disc_polygons(xs: np.ndarray, ys: np.ndarray, d: float) -> np.ndarray:
    """qpv's discs: regular N_SIDES-gons of area πd² centred on (xs, ys)."""
    step = 2 * math.pi / N_SIDES
    radius = d * math.sqrt(2 * math.pi / (N_SIDES * math.sin(step)))
    angles = step * np.arange(N_SIDES)
    ring_x = xs[:, None] + radius * np.cos(angles)[None, :]
    ring_y = ys[:, None] + radius * np.sin(angles)[None, :]
    coords = np.stack([ring_x, ring_y], axis=-1)
    coords = np.concatenate([coords, coords[:, :1, :]], axis=1)
    return shapely.polygons(coords)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--zones", required=True)
    ap.add_argument("--facilities", required=True)
    ap.add_argument("--distances", default="300,500,1000")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    distances = sorted({float(x) for x in a.distances.split(",")})

    zones = read_zones(a.zones).reset_index(drop=True)
    df = pd.read_csv(a.facilities, dtype={"id": str, "name": str, "category": str})
    fac = gpd.GeoDataFrame(
        df[["id", "category"]],
        geometry=gpd.points_from_xy(df["lon"], df["lat"]),
        crs=4326,
    ).to_crs(2154)
    zone_area = zones.geometry.area.to_numpy()
    rows = []
    for category in sorted(fac["category"].unique()):
        fc = fac[fac["category"] == category].reset_index(drop=True)
        inside = gpd.sjoin(fc, zones, predicate="intersects", how="inner")
        inside_count = inside.groupby("index_right").size()
        nearest = gpd.sjoin_nearest(zones, fc, how="left", distance_col="dist")
        # Ties: the facility that comes first in the file (stable sort on the file order).
        nearest = nearest.sort_values(["dist", "index_right"], kind="stable")
        nearest = nearest[~nearest.index.duplicated(keep="first")].sort_index()
        fx, fy = fc.geometry.x.to_numpy(), fc.geometry.y.to_numpy()
        for d in distances:
            pairs = gpd.sjoin(fc, zones, predicate="dwithin", distance=d, how="inner")
            within_count = pairs.groupby("index_right").size()
            covered = np.zeros(len(zones))
            if len(pairs):
                fidx = pairs.index.to_numpy()
                zidx = pairs["index_right"].to_numpy()
                discs = disc_polygons(fx[fidx], fy[fidx], d)
                order = np.argsort(zidx, kind="stable")
                zs, ds = zidx[order], discs[order]
                bounds = np.flatnonzero(np.diff(zs)) + 1
                starts = np.concatenate([[0], bounds])
                ends = np.concatenate([bounds, [len(zs)]])
                unions = [shapely.union_all(ds[s:e]) for s, e in zip(starts, ends)]
                z_of = zs[starts]
                inter = shapely.intersection(zones.geometry.to_numpy()[z_of], np.array(unions))
                covered[z_of] = shapely.area(inter)
            nz = len(zones)
            near_idx = nearest["index_right"].to_numpy()
            has_near = ~pd.isna(near_idx)
            near_id = np.full(nz, "", dtype=object)
            near_id[has_near] = fc["id"].to_numpy()[near_idx[has_near].astype(int)]
            near_d = nearest["dist"].round(2).to_numpy()
            share = np.where(zone_area > 0, np.minimum(covered / np.where(zone_area > 0, zone_area, 1), 1.0), 0.0)
            rows.append(
                pd.DataFrame(
                    {
                        "code_qp": zones["code_qp"].to_numpy(),
                        "category": category,
                        "distance_m": d,
                        "inside_count": inside_count.reindex(range(nz), fill_value=0).to_numpy(),
                        "within_count": within_count.reindex(range(nz), fill_value=0).to_numpy(),
                        "nearest_id": near_id,
                        "nearest_distance_m": near_d,
                        "covered_area_m2": covered,
                        "area_share_covered": share,
                    }
                )
            )
    out = pd.concat(rows).sort_values(["code_qp", "category", "distance_m"], kind="stable")
    out.to_csv(a.out, index=False)  # floats unrounded (shortest round-trip form)


if __name__ == "__main__":
    main()
