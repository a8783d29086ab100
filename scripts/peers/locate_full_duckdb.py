"""Peer: qpv locate's full job with DuckDB spatial, end to end (read files -> write CSV
id,code_qp,signed_distance_m,status,nearest_code_qp).

For every point: the zone containing it (boundary included: ST_Intersects, a SPATIAL_JOIN;
lowest code when several); the distance to the nearest zone boundary by the exact
expanding-radius search of `_duckdb_common.nearest_within_radii` on the zones' boundaries
(lowest code on ties), signed (negative inside); the status with a 25 m tolerance (`near` when
|d| <= 25, else `inside` / `outside`); the containing zone, else the zone with the nearest
boundary. Lambert-93; all cores; input order.
"""

from _duckdb_common import connect, create_points, create_zones, nearest_within_radii, sql_str
from _peer_args import files

TOLERANCE_M = 25.0


def main() -> None:
    a = files(__doc__, "zones", "points")
    con = connect()
    create_zones(con, a.zones)
    con.execute("CREATE TABLE bnd AS SELECT code_qp, ST_Boundary(geom) AS geom FROM zones")
    create_points(con, "pts", a.points)
    con.execute(
        "CREATE TABLE inz AS SELECT p.id, min(z.code_qp) AS code_qp FROM pts p "
        "JOIN zones z ON ST_Intersects(z.geom, p.geom) GROUP BY p.id"
    )
    con.execute("CREATE TABLE todo AS SELECT id, geom FROM pts")
    nearest_within_radii(con, "todo", "bnd", "code_qp", "nb")
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
