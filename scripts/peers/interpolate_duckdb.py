"""W4 peer (DuckDB spatial): areal interpolation of a Filosofi 200 m grid onto zones in SQL.
Cells built as qpv's grid loader builds them (the 200 m square at the lower-left corner in
EPSG:3035, its four corners ST_Transform-ed to Lambert-93 and joined: ST_MakePolygon), zones
ST_Read and ST_Transform-ed, a spatial join on ST_Intersects, weight =
ST_Area(ST_Intersection(zone, cell)) / ST_Area(cell), each Filosofi column times the weight
summed per zone.

    python interpolate_duckdb.py --zones zones.geojson --grid grid.csv --out out.csv

Output CSV as interpolate_geopandas.py's (code_qp, area_m2, cells, value columns lower case)."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _duckdb_common import connect, create_zones, sql_str  # noqa: E402
from _grid_cells import VALUES  # noqa: E402
from _peer_args import files  # noqa: E402

T = "'EPSG:3035', 'EPSG:2154', always_xy := true"


def corner(dx: str, dy: str) -> str:
    return f"ST_Transform(ST_Point(x0 + {dx}, y0 + {dy}), {T})"


def main() -> None:
    args = files(__doc__, "zones", "grid")
    con = connect()
    create_zones(con, args.zones)
    types = ", ".join(f"'{v}': 'DOUBLE'" for v in VALUES)
    con.execute(
        f"CREATE TABLE raw AS SELECT * FROM read_csv({sql_str(args.grid)}, header = true, "
        f"types = {{{types}}})"
    )
    cols = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
    if "x_laea" in cols and "y_laea" in cols:
        xy = "x_laea::DOUBLE AS x0, y_laea::DOUBLE AS y0"
    else:
        xy = ("regexp_extract(IdINSPIRE, 'E(\\d+)$', 1)::DOUBLE AS x0, "
              "regexp_extract(IdINSPIRE, 'mN(\\d+)E', 1)::DOUBLE AS y0")
    size = "regexp_extract(IdINSPIRE, 'RES(\\d+)m', 1)::DOUBLE AS s"
    vals = ", ".join(f'"{v}"' for v in VALUES)
    ring = ", ".join(corner(dx, dy) for dx, dy in [("0", "0"), ("s", "0"), ("s", "s"), ("0", "s"), ("0", "0")])
    con.execute(
        f"CREATE TABLE cells AS SELECT {vals}, ST_MakePolygon(ST_MakeLine([{ring}])) AS geom "
        f"FROM (SELECT *, {xy}, {size} FROM raw)"
    )
    con.execute("DROP TABLE raw")
    sums = ", ".join(f'sum("{v}" * w) AS {v.lower()}' for v in VALUES)
    rows = con.execute(
        f"""
        WITH pieces AS (
            SELECT z.code_qp, c.*, ST_Area(ST_Intersection(z.geom, c.geom)) / ST_Area(c.geom) AS w
            FROM zones z JOIN cells c ON ST_Intersects(z.geom, c.geom)
        ), agg AS (
            SELECT code_qp, count(*) FILTER (WHERE w > 0) AS cells, {sums} FROM pieces GROUP BY code_qp
        )
        SELECT z.code_qp, ST_Area(z.geom), coalesce(a.cells, 0),
               {", ".join(f"coalesce(a.{v.lower()}, 0)" for v in VALUES)}
        FROM zones z LEFT JOIN agg a USING (code_qp) ORDER BY z.code_qp
        """
    ).fetchall()
    with open(args.out, "w") as f:
        f.write(",".join(["code_qp", "area_m2", "cells", *[v.lower() for v in VALUES]]) + "\n")
        for r in rows:
            f.write(",".join([r[0], repr(float(r[1])), str(int(r[2])), *[repr(float(x)) for x in r[3:]]]) + "\n")


if __name__ == "__main__":
    main()
