#!/usr/bin/env bash
# Geocoding bench (issue 12): qpv geocode against addok (the engine of the national address
# API) on the same messy addresses and the same reference. Not in CI (several minutes).
#
#   bash scripts/bench_geocode.sh [N] [SEED]        (defaults: 3000 addresses, seed 2026)
#
# Installs addok, addok-fr, addok-france (pinned: scripts/bench_geocode/requirements.txt) into
# target/addok-venv and Debian's redis-server if missing; starts Redis on 127.0.0.1 on a
# non-default port (ADDOK_BENCH_REDIS_PORT, default 6391) with no persistence, indexes the
# reference in addok, geocodes the messy set with both engines (addok in-process through its
# Python API, qpv through `qpv geocode`, release build), writes the report to
# benches/results/geocode-<UTC date>.md, and stops Redis.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-3000}
SEED=${2:-2026}
PORT=${ADDOK_BENCH_REDIS_PORT:-6391}
OUT=$ROOT/target/bench_geocode
VENV=$ROOT/target/addok-venv
REQ=$ROOT/scripts/bench_geocode/requirements.txt

if ! command -v redis-server >/dev/null; then
    echo "installing redis-server" >&2
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-server
fi
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements.txt"; then
    echo "setting up addok in $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
    cp "$REQ" "$VENV/.requirements.txt"
fi
(cd "$ROOT" && cargo build --release --quiet)

rm -rf "$OUT" && mkdir -p "$OUT"
python3 "$ROOT/scripts/bench_geocode/gen_messy_addresses.py" "$ROOT/geodata/bano-90.csv" "$OUT" "$N" "$SEED"

redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$OUT/redis.pid" --dir "$OUT" --logfile "$OUT/redis.log"
stop_redis() { redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; }
trap stop_redis EXIT
for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export ADDOK_BENCH_REDIS_PORT=$PORT
export ADDOK_CONFIG_MODULE=$ROOT/scripts/bench_geocode/addok_conf.py
"$VENV/bin/addok" reset >/dev/null 2>&1 || true
"$VENV/bin/addok" batch "$OUT/addok.jsonl" >/dev/null 2>&1
"$VENV/bin/addok" ngrams >/dev/null 2>&1

REPORT=$ROOT/benches/results/geocode-$(date -u +%Y-%m-%dT%H%M%SZ).md
BENCH_SEED=$SEED "$VENV/bin/python" "$ROOT/scripts/bench_geocode/bench.py" "$ROOT/target/release/qpv" "$OUT" "$REPORT" \
    2> >(grep -v -e '^Loaded' -e '^addok\.' >&2)
echo "report: ${REPORT#$ROOT/}" >&2
