"""Peer: point-in-QPV with DuckDB spatial, end to end (read files -> write CSV id,code_qp).

Zones (GeoJSON, WGS84) and points (CSV id,lon,lat) are reprojected to Lambert-93 (EPSG:2154)
with ST_Transform(..., always_xy := true); the LEFT JOIN on ST_Contains is planned by DuckDB as a
SPATIAL_JOIN (R-tree built on the fly). Every input point gets one row, in input order (ORDER BY
id); code_qp is empty outside every zone. Uses all DuckDB threads (default: one per core).
"""

from _duckdb_common import connect, create_points, create_zones, sql_str
from _peer_args import files


def main() -> None:
    a = files(__doc__, "zones", "points")
    con = connect()
    create_zones(con, a.zones)
    create_points(con, "pts", a.points)
    con.execute(
        "COPY (SELECT p.id, z.code_qp FROM pts p LEFT JOIN zones z ON ST_Contains(z.geom, p.geom) "
        f"ORDER BY p.id) TO {sql_str(a.out)} (HEADER, DELIMITER ',')"
    )


if __name__ == "__main__":
    main()
