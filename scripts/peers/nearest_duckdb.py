"""Peer: nearest facility (k = 1) with DuckDB spatial, end to end (read files -> write CSV
id,facility_id,distance_m).

DuckDB spatial has no k-nearest-neighbour join: the exact expanding-radius search of
`_duckdb_common.nearest_within_radii` (ST_DWithin(p, f, r), a SPATIAL_JOIN, for r = 1, 3, 10,
30, 2000 km on the points still unresolved). Ties: smallest facility id. Distances in
Lambert-93 metres, 2 decimals. Output in input order.
"""

from _duckdb_common import TO_L93, connect, create_points, nearest_within_radii, sql_str
from _peer_args import files


def main() -> None:
    a = files(__doc__, "facilities", "points")
    con = connect()
    con.execute(
        f"CREATE TABLE facs AS SELECT id, ST_Transform(ST_Point(lon, lat), {TO_L93}) AS geom "
        f"FROM read_csv({sql_str(a.facilities)}, header = true, "
        "columns = {'id': 'VARCHAR', 'name': 'VARCHAR', 'category': 'VARCHAR', 'lon': 'DOUBLE', 'lat': 'DOUBLE'})"
    )
    create_points(con, "todo", a.points)
    nearest_within_radii(con, "todo", "facs", "id", "res")
    con.execute(
        "COPY (SELECT id, nearest AS facility_id, round(d, 2) AS distance_m FROM res ORDER BY id) "
        f"TO {sql_str(a.out)} (HEADER, DELIMITER ',')"
    )


if __name__ == "__main__":
    main()
