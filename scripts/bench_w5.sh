#!/usr/bin/env bash
# W5 of the national benchmark (issue 15): `qpv simulate` on the national 200 m grid
# (examples/gen_national.rs: 2,303,400 cells, 1,610 official zones), on 1/4, 1/2 and all of the
# grid, to show that time and memory grow linearly. The peers have no equivalent command.
#
#   scripts/bench_w5.sh                       # generates the inputs if missing, 3 runs per size
#
# Environment: BENCH_DATA (inputs: zones.geojson, grid.csv; default target/bench-national,
# generated with the same seed as scripts/bench_national.sh when missing), BENCH_RUNS (3;
# the sizes are alternated within each round), BENCH_QPV / BENCH_GEN (prebuilt binaries: no
# build). The subsets are the first 1/4 and 1/2 of grid.csv's rows (the generator writes the
# grid town by town, so a prefix is a smaller country, not a thinner one).
# Results: benches/results/w5-<UTC stamp>.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SEED=${BENCH_SEED:-20241125}
RUNS=${BENCH_RUNS:-3}
DATA=${BENCH_DATA:-$ROOT/target/bench-national}
OUT=$ROOT/target/bench-w5-out
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
RESULTS=$ROOT/benches/results/w5-$STAMP.md
mkdir -p "$OUT" "$ROOT/benches/results"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

if [ -z "${BENCH_QPV:-}" ] || [ -z "${BENCH_GEN:-}" ]; then
    echo "== building qpv and the generator (release)" >&2
    cargo build --release --quiet --bins --example gen_national
fi
QPV=${BENCH_QPV:-$ROOT/target/release/qpv}
GEN=${BENCH_GEN:-$ROOT/target/release/examples/gen_national}
if [ ! -s "$DATA/grid.csv" ] || [ ! -s "$DATA/zones.geojson" ]; then
    echo "== generating inputs (seed $SEED) into $DATA" >&2
    "$GEN" --out "$DATA" --seed "$SEED" --facilities 60000 --points 1000
fi

TOTAL=$(($(wc -l <"$DATA/grid.csv") - 1))
declare -A GRID CELLS
for part in 4 2; do
    GRID[$part]=$OUT/grid_1_$part.csv
    CELLS[$part]=$((TOTAL / part))
    head -n $((CELLS[$part] + 1)) "$DATA/grid.csv" >"${GRID[$part]}"
done
GRID[1]=$DATA/grid.csv
CELLS[1]=$TOTAL
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

: >"$OUT/runs.txt"
for run in $(seq "$RUNS"); do
    for part in 4 2 1; do
        tf=$OUT/time.$part.$run
        /usr/bin/time -v -o "$tf" "$QPV" --quiet simulate --qpv "$DATA/zones.geojson" \
            --grid "${GRID[$part]}" --format json -o "$OUT/sim_1_$part.json"
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0;
            for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tf")
        rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$tf")
        echo "$part $run $wall $rss" | tee -a "$OUT/runs.txt" >&2
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
stat() { awk -v p="$1" -v c="$2" '$1 == p {print $c}' "$OUT/runs.txt" | median; }
zones() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['zones']))" "$1"; }

{
    echo "# W5: qpv simulate on the national grid, $STAMP"
    echo
    echo "Command: \`BENCH_RUNS=$RUNS scripts/bench_w5.sh\` (\`qpv --quiet simulate --qpv zones.geojson --grid <part of grid.csv> --format json\`)"
    echo
    echo "- Inputs: $DATA (seed $SEED), $TOTAL grid cells, the first 1/4 and 1/2 of the rows for the smaller runs"
    echo "- Machine: $(nproc) CPU, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM; load average before/after: $LOAD_BEFORE / $LOAD_AFTER"
    echo "- qpv: $(git rev-parse --short HEAD 2>/dev/null || echo unknown), release build"
    echo
    echo "| grid | cells | runs | wall median (s) | µs per cell | peak RSS median (MiB) | bytes per cell | zones kept |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for part in 4 2 1; do
        w=$(stat "$part" 3)
        m=$(stat "$part" 4)
        awk -v p="$part" -v c="${CELLS[$part]}" -v w="$w" -v m="$m" -v r="$RUNS" -v z="$(zones "$OUT/sim_1_$part.json")" \
            'BEGIN {printf "| 1/%s | %d | %d | %.2f | %.2f | %d | %.0f | %d |\n", p, c, r, w, w * 1e6 / c, m, m * 1048576 / c, z}'
    done
} >"$RESULTS"
cat "$RESULTS"
