"""Peer: nearest facility (k = 1) with DuckDB spatial, end to end (read files -> write CSV
id,facility_id,distance_m).

DuckDB spatial has no k-nearest-neighbour join, so this uses an exact expanding-radius search:
for radius r in RADII, the still-unresolved points are joined to the facilities with
ST_DWithin(p, f, r) (planned as a SPATIAL_JOIN) and each point keeps its closest candidate. A point
with at least one candidate within r is exact: every facility closer than r was a candidate. The
others go on to the next radius; the last radius (2,000 km) covers mainland France. Ties: smallest
facility id. Distances in Lambert-93 metres, 2 decimals. Output in input order.
"""

import argparse

from _duckdb_common import TO_L93, connect, sql_str

RADII = [1_000, 3_000, 10_000, 30_000, 2_000_000]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--facilities", required=True)
    ap.add_argument("--points", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    con = connect()
    con.execute(
        f"CREATE TABLE facs AS SELECT id, ST_Transform(ST_Point(lon, lat), {TO_L93}) AS geom "
        f"FROM read_csv({sql_str(a.facilities)}, header = true, "
        "columns = {'id': 'VARCHAR', 'name': 'VARCHAR', 'category': 'VARCHAR', 'lon': 'DOUBLE', 'lat': 'DOUBLE'})"
    )
    con.execute(
        f"CREATE TABLE todo AS SELECT id, ST_Transform(ST_Point(lon, lat), {TO_L93}) AS geom "
        f"FROM read_csv({sql_str(a.points)}, columns = {{'id': 'BIGINT', 'lon': 'DOUBLE', 'lat': 'DOUBLE'}}, header = true)"
    )
    con.execute("CREATE TABLE res (id BIGINT, facility_id VARCHAR, distance_m DOUBLE)")
    for r in RADII:
        con.execute(
            "INSERT INTO res SELECT p.id, arg_min(f.id, (ST_Distance(p.geom, f.geom), f.id)), "
            "min(ST_Distance(p.geom, f.geom)) FROM todo p JOIN facs f "
            f"ON ST_DWithin(p.geom, f.geom, {r}) GROUP BY p.id"
        )
        con.execute("CREATE OR REPLACE TABLE todo AS SELECT * FROM todo ANTI JOIN res USING (id)")
        if con.execute("SELECT count(*) FROM todo").fetchone()[0] == 0:
            break
    con.execute(
        "COPY (SELECT id, facility_id, round(distance_m, 2) AS distance_m FROM res ORDER BY id) "
        f"TO {sql_str(a.out)} (HEADER, DELIMITER ',')"
    )


if __name__ == "__main__":
    main()
