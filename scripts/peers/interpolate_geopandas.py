"""W4 peer (GeoPandas): areal interpolation of a Filosofi 200 m grid onto zones, the way a
GeoPandas notebook does it. Cells as 200 m squares in EPSG:3035 with their corners reprojected
to Lambert-93 (as qpv's grid loader does, see _grid_cells.py), zones read and reprojected to
Lambert-93, `gpd.overlay(zones, cells, how="intersection")`, weight = area(piece) / area(cell),
each Filosofi column times the weight summed per zone.

    python interpolate_geopandas.py --zones zones.geojson --grid grid.csv --out out.csv

Output CSV: code_qp, area_m2, cells (pieces of positive area), then the value columns (lower
case), zones in code order; full precision (repr)."""

import sys

import geopandas as gpd
import shapely

sys.path.insert(0, __import__("os").path.dirname(__file__))
from _grid_cells import VALUES, corners_l93, read_grid  # noqa: E402
from _peer_args import files  # noqa: E402


def main() -> None:
    args = files(__doc__, "zones", "grid")
    zones = gpd.read_file(args.zones, engine="pyogrio", columns=["code_qp"]).to_crs(2154)
    zones["area_m2"] = zones.geometry.area
    df = read_grid(args.grid)
    cells = gpd.GeoDataFrame(df[VALUES], geometry=shapely.polygons(corners_l93(df)), crs=2154)
    cells["cell_area"] = cells.geometry.area
    pieces = gpd.overlay(zones[["code_qp", "geometry"]], cells, how="intersection",
                         keep_geom_type=True)
    w = pieces.geometry.area / pieces["cell_area"]
    out = zones[["code_qp", "area_m2"]].set_index("code_qp")
    weighted = pieces[VALUES].mul(w, axis=0)
    weighted["code_qp"] = pieces["code_qp"]
    weighted["cells"] = (w > 0).astype("int64")
    sums = weighted.groupby("code_qp").sum()
    out = out.join(sums).fillna(0.0).sort_index()
    out["cells"] = out["cells"].astype("int64")
    out.columns = [c.lower() for c in out.columns]
    with open(args.out, "w") as f:
        f.write(",".join(["code_qp", "area_m2", "cells", *[v.lower() for v in VALUES]]) + "\n")
        for code, row in out.iterrows():
            vals = [repr(float(row["area_m2"])), str(int(row["cells"]))]
            vals += [repr(float(row[v.lower()])) for v in VALUES]
            f.write(",".join([code, *vals]) + "\n")


if __name__ == "__main__":
    main()
