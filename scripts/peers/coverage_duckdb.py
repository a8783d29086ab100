"""Peer (W3): facility coverage of every zone with DuckDB spatial, end to end (read files -> CSV).

The same job and output as scripts/peers/coverage_geopandas.py (see there): inside counts
(ST_Intersects), within-D counts (ST_DWithin, planned as a spatial join), the nearest facility
per zone and category (ST_Distance over the category, ties by file order), and the covered area
ST_Area(ST_Intersection(zone, ST_Union_Agg(disc))) where a disc is
ST_Buffer(point, R, 32) — GEOS's 128-gon with a vertex at angle 0 — with R scaled as qpv does so
that its area is πD². Uses all DuckDB threads.
"""

import argparse
import math

from _duckdb_common import TO_L93, connect, create_zones, sql_str

N_SIDES = 128


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--zones", required=True)
    ap.add_argument("--facilities", required=True)
    ap.add_argument("--distances", default="300,500,1000")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    distances = sorted({float(x) for x in a.distances.split(",")})
    scale = math.sqrt(2 * math.pi / (N_SIDES * math.sin(2 * math.pi / N_SIDES)))

    con = connect()
    create_zones(con, a.zones)
    con.execute(
        "CREATE TABLE fac AS SELECT row_number() OVER () AS ord, id, category, "
        f"ST_Transform(ST_Point(lon, lat), {TO_L93}) AS geom "
        f"FROM read_csv({sql_str(a.facilities)}, header = true, "
        "columns = {'id': 'VARCHAR', 'name': 'VARCHAR', 'category': 'VARCHAR', "
        "'lon': 'DOUBLE', 'lat': 'DOUBLE'})"
    )
    con.execute(
        "CREATE TABLE dist AS SELECT unnest(?::DOUBLE[]) AS d", [distances]
    )
    con.execute(
        "CREATE TABLE cats AS SELECT DISTINCT category FROM fac"
    )
    # Pairs within the largest D, with their distance (a spatial join on ST_DWithin).
    dmax = distances[-1]
    con.execute(
        "CREATE TABLE pairs AS SELECT z.code_qp, f.category, f.ord, f.geom AS fgeom, "
        "ST_Distance(z.geom, f.geom) AS dist "
        f"FROM zones z JOIN fac f ON ST_DWithin(z.geom, f.geom, {dmax})"
    )
    con.execute(
        "CREATE TABLE covered AS SELECT p.code_qp, p.category, d.d, "
        "count(*) AS within_count, count(*) FILTER (WHERE p.dist = 0) AS inside_count, "
        f"ST_Union_Agg(ST_Buffer(p.fgeom, d.d * {scale!r}, 32)) AS discs "
        "FROM pairs p JOIN dist d ON p.dist <= d.d GROUP BY ALL"
    )
    # Nearest per zone and category: among the pairs within the largest D when there are any,
    # else over every facility of the category (ties: file order).
    con.execute(
        "CREATE TABLE nearest AS SELECT code_qp, category, "
        "arg_min(id, (dist, ord)) AS nearest_id, min(dist) AS nearest_distance_m FROM ("
        "SELECT p.code_qp, p.category, f.id, p.ord, p.dist FROM pairs p JOIN fac f USING (ord)) "
        "GROUP BY ALL"
    )
    con.execute(
        "INSERT INTO nearest SELECT code_qp, category, "
        "arg_min(id, (dist, ord)), min(dist) FROM ("
        "SELECT z.code_qp, f.category, f.id, f.ord, ST_Distance(z.geom, f.geom) AS dist "
        "FROM zones z JOIN fac f ON NOT EXISTS (SELECT 1 FROM nearest n "
        "WHERE n.code_qp = z.code_qp AND n.category = f.category)) GROUP BY ALL"
    )
    con.execute(
        "COPY (SELECT z.code_qp, c.category, d.d AS distance_m, "
        "coalesce(v.inside_count, 0) AS inside_count, coalesce(v.within_count, 0) AS within_count, "
        "n.nearest_id, round(n.nearest_distance_m, 2) AS nearest_distance_m, "
        "coalesce(ST_Area(ST_Intersection(z.geom, v.discs)), 0) AS covered_area_m2, "
        "least(coalesce(ST_Area(ST_Intersection(z.geom, v.discs)), 0) / ST_Area(z.geom), 1.0) "
        "AS area_share_covered "
        "FROM zones z CROSS JOIN cats c CROSS JOIN dist d "
        "LEFT JOIN covered v ON v.code_qp = z.code_qp AND v.category = c.category AND v.d = d.d "
        "LEFT JOIN nearest n ON n.code_qp = z.code_qp AND n.category = c.category "
        "ORDER BY z.code_qp, c.category, d.d"
        f") TO {sql_str(a.out)} (HEADER, DELIMITER ',')"
    )


if __name__ == "__main__":
    main()
