"""Shared DuckDB set-up for the peer benchmark scripts: load the spatial extension shipped by the
`duckdb-extension-spatial` wheel (no network access at run time)."""

import pathlib

import duckdb
import duckdb_extension_spatial

TO_L93 = "'EPSG:4326', 'EPSG:2154', always_xy := true"


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory connection with `spatial` loaded from the wheel's own extension file."""
    con = duckdb.connect()
    root = pathlib.Path(duckdb_extension_spatial.__file__).parent
    found = sorted(root.glob("extensions/*/spatial.duckdb_extension"))
    if not found:
        raise SystemExit(f"spatial.duckdb_extension not found under {root}")
    con.execute(f"INSTALL '{found[-1]}'; LOAD spatial;")
    return con


def sql_str(path: str) -> str:
    """A path as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def create_zones(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Table `zones` (code_qp, geom in Lambert-93) from a vector file (ST_Read)."""
    con.execute(
        f"CREATE TABLE zones AS SELECT code_qp, ST_Transform(geom, {TO_L93}) AS geom "
        f"FROM ST_Read({sql_str(path)})"
    )


def create_points(con: duckdb.DuckDBPyConnection, table: str, path: str) -> None:
    """Table `table` (id, geom in Lambert-93) from a CSV id,lon,lat (read_csv)."""
    con.execute(
        f"CREATE TABLE {table} AS SELECT id, ST_Transform(ST_Point(lon, lat), {TO_L93}) AS geom "
        f"FROM read_csv({sql_str(path)}, columns = {{'id': 'BIGINT', 'lon': 'DOUBLE', 'lat': 'DOUBLE'}}, header = true)"
    )


# Search radii of `nearest_within_radii`, metres; the last one covers mainland France.
RADII = [1_000, 3_000, 10_000, 30_000, 2_000_000]


def nearest_within_radii(
    con: duckdb.DuckDBPyConnection, todo: str, targets: str, key: str, result: str
) -> None:
    """Table `result` (id, nearest, d): for each row of table `todo` (id, geom), the row of
    `targets` (`key`, geom) at the least distance d, ties to the smallest `key`. `todo` is
    consumed (its rows are removed as they are resolved).

    DuckDB spatial has no k-nearest-neighbour join: an exact expanding-radius search joins the
    points still unresolved to the targets with ST_DWithin(p, t, r) (a SPATIAL_JOIN) for each r
    of RADII. A point with a candidate within r is exact: every target closer than r was one.
    """
    con.execute(f"CREATE TABLE {result} (id BIGINT, nearest VARCHAR, d DOUBLE)")
    for r in RADII:
        con.execute(
            f"INSERT INTO {result} SELECT p.id, arg_min(t.{key}, (ST_Distance(p.geom, t.geom), t.{key})), "
            f"min(ST_Distance(p.geom, t.geom)) FROM {todo} p JOIN {targets} t "
            f"ON ST_DWithin(p.geom, t.geom, {r}) GROUP BY p.id"
        )
        con.execute(
            f"CREATE OR REPLACE TABLE {todo} AS SELECT * FROM {todo} ANTI JOIN {result} USING (id)"
        )
        if con.execute(f"SELECT count(*) FROM {todo}").fetchone()[0] == 0:
            break
