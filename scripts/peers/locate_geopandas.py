"""Peer: point-in-QPV with GeoPandas, end to end (read files -> write CSV id,code_qp).

Zones read with pyogrio, points with pandas.read_csv; both reprojected to Lambert-93
(EPSG:2154) with pyproj; gpd.sjoin(how="left", predicate="within") (STRtree). Every input point
gets one row, in input order; code_qp is empty outside every zone. Single-threaded.
"""

import argparse

import geopandas as gpd
import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--zones", required=True)
    ap.add_argument("--points", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    zones = gpd.read_file(a.zones, engine="pyogrio", columns=["code_qp"]).to_crs(2154)
    df = pd.read_csv(a.points, dtype={"id": "int64", "lon": "float64", "lat": "float64"})
    pts = gpd.GeoDataFrame(
        {"id": df["id"]}, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326
    ).to_crs(2154)
    del df
    joined = gpd.sjoin(pts, zones[["code_qp", "geometry"]], how="left", predicate="within")
    # Zones do not overlap, but keep one row per point whatever the input.
    joined = joined[~joined.index.duplicated(keep="first")]
    joined[["id", "code_qp"]].to_csv(a.out, index=False)


if __name__ == "__main__":
    main()
