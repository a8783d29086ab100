"""Peer: point-in-QPV with GeoPandas, end to end (read files -> write CSV id,code_qp).

Zones read with pyogrio, points with pandas.read_csv; both reprojected to Lambert-93
(EPSG:2154) with pyproj; gpd.sjoin(how="left", predicate="within") (STRtree). Every input point
gets one row, in input order; code_qp is empty outside every zone. Single-threaded.
"""

import geopandas as gpd

from _geopandas_common import read_points, read_zones
from _peer_args import files


def main() -> None:
    a = files(__doc__, "zones", "points")
    zones = read_zones(a.zones)
    pts = read_points(a.points)
    joined = gpd.sjoin(pts, zones[["code_qp", "geometry"]], how="left", predicate="within")
    # Zones do not overlap, but keep one row per point whatever the input.
    joined = joined[~joined.index.duplicated(keep="first")]
    joined[["id", "code_qp"]].to_csv(a.out, index=False)


if __name__ == "__main__":
    main()
