"""Peer: qpv locate's full job with GeoPandas, end to end (read files -> write CSV
id,code_qp,signed_distance_m,status,nearest_code_qp).

For every point: the zone containing it (boundary included: `sjoin(predicate="intersects")`,
lowest code when several), the distance to the nearest zone boundary (`sjoin_nearest` on the
zones' boundaries, STRtree; lowest code on ties), signed (negative inside), the status with a
25 m tolerance (`near` when |d| <= 25, else `inside` / `outside`) and the containing zone, else
the zone with the nearest boundary. Lambert-93 through pyproj; single thread; input order.
"""

import geopandas as gpd
import numpy as np
import pandas as pd

from _geopandas_common import read_points, read_zones
from _peer_args import files

TOLERANCE_M = 25.0


def first_per_point(joined: pd.DataFrame, code: str) -> pd.DataFrame:
    """One row per point (the index): the lowest code among its matches."""
    joined = joined.reset_index(names="row").sort_values(["row", code], na_position="last")
    return joined.drop_duplicates("row", keep="first").set_index("row")


def main() -> None:
    a = files(__doc__, "zones", "points")
    zones = read_zones(a.zones)
    pts = read_points(a.points)
    inside = gpd.sjoin(pts, zones[["code_qp", "geometry"]], how="left", predicate="intersects")
    inside = first_per_point(inside[["code_qp"]], "code_qp")
    bounds = gpd.GeoDataFrame(
        {"nearest": zones["code_qp"]}, geometry=zones.boundary, crs=zones.crs
    )
    near = gpd.sjoin_nearest(pts, bounds, how="left", distance_col="d")
    near = first_per_point(near[["nearest", "d"]], "nearest")
    code = inside["code_qp"].reindex(pts.index)
    d = near["d"].reindex(pts.index).to_numpy()
    is_in = code.notna().to_numpy()
    signed = np.where(is_in, -d, d)
    status = np.where(
        np.abs(signed) <= TOLERANCE_M, "near", np.where(is_in, "inside", "outside")
    )
    out = pd.DataFrame(
        {
            "id": pts["id"].to_numpy(),
            "code_qp": code.to_numpy(),
            "signed_distance_m": np.round(signed, 2) + 0.0,
            "status": status,
            "nearest_code_qp": np.where(is_in, code.to_numpy(), near["nearest"].reindex(pts.index).to_numpy()),
        }
    )
    out.to_csv(a.out, index=False)


if __name__ == "__main__":
    main()
