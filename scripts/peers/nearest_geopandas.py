"""Peer: nearest facility (k = 1) with GeoPandas, end to end (read files -> write CSV
id,facility_id,distance_m).

Points and facilities read with pandas.read_csv, reprojected to Lambert-93 (EPSG:2154) with
pyproj, gpd.sjoin_nearest(how="left", distance_col=...) (STRtree nearest). sjoin_nearest returns
every equidistant facility: ties are resolved to the smallest facility id. Distances in metres,
2 decimals. Output in input order. Single-threaded.
"""

import geopandas as gpd
import pandas as pd

from _geopandas_common import read_points
from _peer_args import files


def main() -> None:
    a = files(__doc__, "facilities", "points")
    facs = read_points(a.facilities, {"id": "str", "name": "str", "category": "str"})
    facs = facs.rename(columns={"id": "facility_id"})[["facility_id", "geometry"]]
    pts = read_points(a.points)
    joined = gpd.sjoin_nearest(pts, facs, how="left", distance_col="distance_m")
    dup = joined.index.duplicated(keep=False)
    if dup.any():
        ties = joined[dup].reset_index().sort_values(["index", "facility_id"], kind="stable")
        ties = ties.drop_duplicates("index").set_index("index")
        joined = pd.concat([joined[~dup], ties]).sort_index(kind="stable")
    joined[["id", "facility_id", "distance_m"]].to_csv(a.out, index=False, float_format="%.2f")


if __name__ == "__main__":
    main()
