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
