#!/usr/bin/env bash
# Installs the benchmark peers (GeoPandas, DuckDB + spatial) into target/bench-venv, once.
# The DuckDB spatial extension comes from the duckdb-extension-spatial wheel (PyPI), so nothing
# is downloaded at run time. Also installs GNU time if /usr/bin/time is missing (Debian).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${BENCH_VENV:-$ROOT/target/bench-venv}
REQ=$ROOT/scripts/peers/requirements.txt
if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time" >&2
    apt-get update -qq && apt-get install -y -qq time
fi
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements.txt"; then
    echo "setting up peers in $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
    cp "$REQ" "$VENV/.requirements.txt"
fi
