#!/usr/bin/env bash
# `qpv access` against PySAL `access` on a generated national-size grid, in the same run, on
# the same files, alternating the tools; outputs compared (1e-9 relative). See BENCHMARKS.md.
#
#   scripts/bench_access.sh                       # 1,000,000 cells, 20,000 facilities, 3 runs
#   BENCH_CELLS=100000 BENCH_RUNS=1 scripts/bench_access.sh   # quick check
#
# Both tools: 2SFCA and E2SFCA (bands of 1/3 of the catchment, weights 1, 0.68, 0.22),
# catchment 1,000 m, demand = Ind, supply = the `capacity` column, straight-line distances in
# EPSG:3035 (qpv runs with --crs EPSG:3035, so neither tool reprojects). qpv also computes its
# per-QPV table (embedded QPV) and writes every cell's scores; PySAL needs a long-format cost
# table, built with scipy's cKDTree within the catchment (a dense 1 M x 20 k matrix would not
# fit), and its time includes that step.
# Each run is timed with GNU time -v (wall seconds, peak RSS). Results:
# benches/results/access-<UTC date>.md and target/bench-access-out/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CELLS=${BENCH_CELLS:-1000000}
FACILITIES=${BENCH_FACILITIES:-20000}
RUNS=${BENCH_RUNS:-3}
DATA=target/bench-access/$CELLS-$FACILITIES
OUT=target/bench-access-out
VENV=target/access-venv
REQ=scripts/peers/access_requirements.txt

if [ ! -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time
fi
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements.txt"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
    cp "$REQ" "$VENV/.requirements.txt"
fi
cargo build --release --bins --example gen_access
if [ ! -f "$DATA/grid.csv" ]; then
    target/release/examples/gen_access --out "$DATA" --cells "$CELLS" --facilities "$FACILITIES"
fi
mkdir -p "$OUT" benches/results

measure() { # name run command...
    local name=$1 run=$2
    shift 2
    /usr/bin/time -v -o "$OUT/$name.$run.time" "$@" 2> "$OUT/$name.$run.err" > /dev/null
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$OUT/$name.$run.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$OUT/$name.$run.time")
    echo "$name $run $wall $rss" | tee -a "$OUT/runs.txt"
}

: > "$OUT/runs.txt"
for run in $(seq 1 "$RUNS"); do
    measure qpv "$run" target/release/qpv --crs EPSG:3035 -q access \
        --grid "$DATA/grid.csv" --facilities "$DATA/facilities.csv" \
        --category social_centre --capacity capacity --method 2sfca,e2sfca \
        --catchment 1000 --format json -o "$OUT/qpv.json" --scores "$OUT/qpv_scores.csv"
    measure pysal "$run" "$VENV/bin/python" scripts/peers/access_pysal.py \
        "$DATA/grid.csv" "$DATA/facilities.csv" "$OUT/pysal_scores.csv" --catchment 1000
done
COMPARE=$("$VENV/bin/python" scripts/peers/access_compare.py "$OUT/qpv_scores.csv" "$OUT/pysal_scores.csv")
echo "$COMPARE"

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
stat() { awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$OUT/runs.txt" | median; }
QW=$(stat qpv 3); QM=$(stat qpv 4); PW=$(stat pysal 3); PM=$(stat pysal 4)
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
{
    echo "# qpv access vs PySAL access — $STAMP"
    echo
    echo "$CELLS cells, $FACILITIES facilities (examples/gen_access.rs, default seed), catchment"
    echo "1,000 m, 2SFCA + E2SFCA, $RUNS alternating runs, medians; machine: $(nproc) cores,"
    echo "shared with other jobs ($(uptime | sed 's/.*load average/load average/'))."
    echo
    echo "| tool | wall (s) | peak RSS (MiB) |"
    echo "|---|---:|---:|"
    echo "| qpv $(target/release/qpv --version | awk '{print $2}') | $QW | $QM |"
    echo "| PySAL access $(grep '^access==' $REQ | cut -d= -f3) (+ scipy cKDTree cost table) | $PW | $PM |"
    echo
    echo "qpv is $(awk -v a="$PW" -v b="$QW" 'BEGIN {printf "%.1f", a / b}')x faster, with"
    echo "$(awk -v a="$PM" -v b="$QM" 'BEGIN {printf "%.1f", a / b}')x less memory. Outputs: $COMPARE."
    echo
    echo "Runs (tool, run, wall s, RSS MiB):"
    echo
    sed 's/^/    /' "$OUT/runs.txt"
} > "benches/results/access-$STAMP.md"
cat "benches/results/access-$STAMP.md"
