"""Peer: qpv locate's full job with DuckDB spatial, end to end (read files -> write CSV
id,code_qp,signed_distance_m,status,nearest_code_qp).

For every point: the zone containing it (boundary included: ST_Intersects, a SPATIAL_JOIN; lowest
code when several); the distance to the nearest zone boundary by the exact expanding-radius
search of nearest_duckdb.py (ST_DWithin(point, boundary, r) for r = 1, 3, 10, 30, 2000 km on the
points still unresolved; lowest code on ties), signed (negative inside); the status with a 25 m
tolerance (`near` when |d| <= 25, else `inside` / `outside`); the containing zone, else the zone
with the nearest boundary. Lambert-93; all cores; input order.
"""

import argparse

from _duckdb_common import TO_L93, connect, sql_str

RADII = [1_000, 3_000, 10_000, 30_000, 2_000_000]
TOLERANCE_M = 25.0


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
    con.execute("CREATE TABLE bnd AS SELECT code_qp, ST_Boundary(geom) AS geom FROM zones")
    con.execute(
        f"CREATE TABLE pts AS SELECT id, ST_Transform(ST_Point(lon, lat), {TO_L93}) AS geom "
        f"FROM read_csv({sql_str(a.points)}, columns = {{'id': 'BIGINT', 'lon': 'DOUBLE', 'lat': 'DOUBLE'}}, header = true)"
    )
    con.execute(
        "CREATE TABLE inz AS SELECT p.id, min(z.code_qp) AS code_qp FROM pts p "
        "JOIN zones z ON ST_Intersects(z.geom, p.geom) GROUP BY p.id"
    )
    con.execute("CREATE TABLE todo AS SELECT id, geom FROM pts")
    con.execute("CREATE TABLE nb (id BIGINT, nearest VARCHAR, d DOUBLE)")
    for r in RADII:
        con.execute(
            "INSERT INTO nb SELECT p.id, arg_min(b.code_qp, (ST_Distance(p.geom, b.geom), b.code_qp)), "
            "min(ST_Distance(p.geom, b.geom)) FROM todo p JOIN bnd b "
            f"ON ST_DWithin(p.geom, b.geom, {r}) GROUP BY p.id"
        )
        con.execute("CREATE OR REPLACE TABLE todo AS SELECT * FROM todo ANTI JOIN nb USING (id)")
        if con.execute("SELECT count(*) FROM todo").fetchone()[0] == 0:
            break
    con.execute(
        "COPY (SELECT p.id, i.code_qp, "
        "round(CASE WHEN i.code_qp IS NULL THEN n.d ELSE -n.d END, 2) + 0.0 AS signed_distance_m, "
        f"CASE WHEN n.d <= {TOLERANCE_M} THEN 'near' WHEN i.code_qp IS NOT NULL THEN 'inside' "
        "ELSE 'outside' END AS status, coalesce(i.code_qp, n.nearest) AS nearest_code_qp "
        "FROM pts p LEFT JOIN inz i USING (id) LEFT JOIN nb n USING (id) ORDER BY p.id) "
        f"TO {sql_str(a.out)} (HEADER, DELIMITER ',')"
    )


if __name__ == "__main__":
    main()
