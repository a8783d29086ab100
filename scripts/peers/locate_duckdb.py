"""Peer: point-in-QPV with DuckDB spatial, end to end (read files -> write CSV id,code_qp).

Zones (GeoJSON, WGS84) and points (CSV id,lon,lat) are reprojected to Lambert-93 (EPSG:2154)
with ST_Transform(..., always_xy := true); the LEFT JOIN on ST_Contains is planned by DuckDB as a
SPATIAL_JOIN (R-tree built on the fly). Every input point gets one row, in input order (ORDER BY
id); code_qp is empty outside every zone. Uses all DuckDB threads (default: one per core).
"""

import argparse

from _duckdb_common import TO_L93, connect, sql_str


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--zones", required=True)
    ap.add_argument("--points", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    con = connect()
    con.execute(
        f"CREATE TABLE zones AS SELECT code_qp, ST_Transform(geom, {TO_L93}) AS geom "
        f"FROM ST_Read({sql_str(a.zones)})"
    )
    con.execute(
        f"CREATE TABLE pts AS SELECT id, ST_Transform(ST_Point(lon, lat), {TO_L93}) AS geom "
        f"FROM read_csv({sql_str(a.points)}, columns = {{'id': 'BIGINT', 'lon': 'DOUBLE', 'lat': 'DOUBLE'}}, header = true)"
    )
    con.execute(
        "COPY (SELECT p.id, z.code_qp FROM pts p LEFT JOIN zones z ON ST_Contains(z.geom, p.geom) "
        f"ORDER BY p.id) TO {sql_str(a.out)} (HEADER, DELIMITER ',')"
    )


if __name__ == "__main__":
    main()
