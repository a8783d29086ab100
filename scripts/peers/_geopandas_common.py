"""Readers shared by the GeoPandas peer scripts: inputs reprojected to Lambert-93 (EPSG:2154)."""

import geopandas as gpd
import pandas as pd

POINT_COLUMNS = {"id": "int64", "lon": "float64", "lat": "float64"}


def read_points(path: str, columns: dict = POINT_COLUMNS) -> gpd.GeoDataFrame:
    """A CSV with lon/lat columns (pandas.read_csv) as points in Lambert-93 (pyproj)."""
    df = pd.read_csv(path, dtype=columns)
    return gpd.GeoDataFrame(
        df.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(df["lon"], df["lat"]),
        crs=4326,
    ).to_crs(2154)


def read_zones(path: str) -> gpd.GeoDataFrame:
    """The zones' code_qp and polygons (pyogrio) in Lambert-93."""
    return gpd.read_file(path, engine="pyogrio", columns=["code_qp"]).to_crs(2154)
