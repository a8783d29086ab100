#!/usr/bin/env bash
# End-to-end benchmark of `qpv locate` and `qpv nearest` against GeoPandas and DuckDB spatial,
# in the same run, on the same generated files (read files -> write results). See BENCHMARKS.md.
#
#   scripts/bench.sh                      # full scale: 1,610 zones, 60,000 facilities, 10 M points
#   BENCH_SCALE=0.01 scripts/bench.sh     # quick check (100,000 points)
#
# Environment:
#   BENCH_SCALE=1               generator --scale (points and facilities; zones stay 1,610)
#   BENCH_SEED=20241125         generator seed
#   BENCH_PEER_POINTS=1000000   peers run on the first N points (0 = all points); qpv runs on both
#                               the full file and the same subset, so every ratio compares equal inputs
#   BENCH_TOOLS="qpv geopandas duckdb"
#   BENCH_TASKS="locate nearest locate_full"   (locate_full: qpv's default locate output —
#               zone, signed distance to the nearest boundary, status, nearest zone — computed by
#               every tool; GeoPandas needs about 10 GiB of RAM for it on 10 M points)
#   QPV_LOCATE_ARGS / QPV_NEAREST_ARGS   extra arguments for qpv (e.g. "--tolerance 25")
#
# Each run is timed with GNU time (/usr/bin/time -v: wall seconds, CPU seconds, peak RSS).
# Outputs are compared (scripts/compare.py): same zone for every common point; same nearest
# facility (or an equidistant one). Results: benches/results/<UTC date>.md (a Markdown table to
# paste into BENCHMARKS.md) and the raw GNU time files under target/bench-out/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SCALE=${BENCH_SCALE:-1}
SEED=${BENCH_SEED:-20241125}
PEER_POINTS=${BENCH_PEER_POINTS:-1000000}
TOOLS=${BENCH_TOOLS:-"qpv geopandas duckdb"}
TASKS=${BENCH_TASKS:-"locate nearest locate_full"}
DATA=${BENCH_DATA:-$ROOT/target/bench-data}
OUT=$ROOT/target/bench-out
VENV=${BENCH_VENV:-$ROOT/target/bench-venv}
PY=$VENV/bin/python
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
RESULTS=$ROOT/benches/results/$STAMP.md
ROWS=$OUT/rows.tsv
CHECKS=$OUT/checks.txt
mkdir -p "$OUT" "$ROOT/benches/results"
: >"$ROWS"
: >"$CHECKS"

has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }
has_task() { [[ " $TASKS " == *" $1 "* ]]; }

# --- build and set up -------------------------------------------------------------------------
echo "== building qpv and the generator (release)" >&2
cargo build --release --quiet --bins --example gen_national
QPV=${BENCH_QPV:-$ROOT/target/release/qpv}
if has_tool geopandas || has_tool duckdb; then
    "$ROOT/scripts/setup_peers.sh"
fi
[ -x /usr/bin/time ] || "$ROOT/scripts/setup_peers.sh"

# --- data -------------------------------------------------------------------------------------
echo "== generating inputs (scale $SCALE, seed $SEED) into $DATA" >&2
"$ROOT/target/release/examples/gen_national" --out "$DATA" --scale "$SCALE" --seed "$SEED" \
    --grid-cells "${BENCH_GRID_CELLS:-0}"
TOTAL=$(($(wc -l <"$DATA/points.csv") - 1))
if [ "$PEER_POINTS" -le 0 ] || [ "$PEER_POINTS" -ge "$TOTAL" ]; then
    PEER_POINTS=$TOTAL
    SUBSET=$DATA/points.csv
else
    SUBSET=$DATA/points_first_$PEER_POINTS.csv
    head -n $((PEER_POINTS + 1)) "$DATA/points.csv" >"$SUBSET"
fi
ZONES=$DATA/zones.geojson
FACS=$DATA/facilities.csv

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- timing -----------------------------------------------------------------------------------
# run NAME TASK POINTS OUTPUT -- COMMAND...: times COMMAND, records one row.
run() {
    local name=$1 task=$2 npts=$3 output=$4
    shift 5
    local tf=$OUT/$name.$task.$npts.time
    echo "== $name $task on $npts points" >&2
    rm -f "$output"
    if ! /usr/bin/time -v -o "$tf" "$@" >"$OUT/$name.$task.$npts.log" 2>&1; then
        echo "   FAILED (see $OUT/$name.$task.$npts.log)" >&2
        tail -5 "$OUT/$name.$task.$npts.log" >&2 || true
        printf '%s\t%s\t%s\tfailed\t\t\t\n' "$name" "$task" "$npts" >>"$ROWS"
        return 0
    fi
    local wall rss cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tf")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tf")
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u+s}' "$tf")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$task" "$npts" "$wall" "$rss" "$cpu" "$output" >>"$ROWS"
    echo "   $wall s wall, $cpu s CPU, $rss MiB peak RSS" >&2
}

qpv_has() { "$QPV" "$1" --help >/dev/null 2>&1; }

for task in locate nearest locate_full; do
    has_task "$task" || continue
    if has_tool qpv; then
        if qpv_has "${task%_full}"; then
            inputs=("$DATA/points.csv")
            if [ "$SUBSET" != "$DATA/points.csv" ]; then inputs+=("$SUBSET"); fi
            for pts in "${inputs[@]}"; do
                n=$(($(wc -l <"$pts") - 1))
                o=$OUT/qpv_$task.$n.csv
                if [ "$task" = locate_full ]; then
                    # The peers' full job: the same five output columns.
                    # shellcheck disable=SC2086
                    run qpv locate_full "$n" "$o" -- "$QPV" --quiet locate "$pts" --qpv "$ZONES" \
                        --output "$o" --format csv \
                        --select id,code_qp,signed_distance_m,status,nearest_code_qp ${QPV_LOCATE_ARGS:-}
                elif [ "$task" = locate ]; then
                    # shellcheck disable=SC2086
                    run qpv locate "$n" "$o" -- "$QPV" --quiet locate "$pts" --qpv "$ZONES" \
                        --output "$o" --format csv ${QPV_LOCATE_ARGS:-}
                    # The peers' job exactly: the same two output columns (id,code_qp).
                    o=$OUT/qpv_select_$task.$n.csv
                    # shellcheck disable=SC2086
                    run qpv_select locate "$n" "$o" -- "$QPV" --quiet locate "$pts" --qpv "$ZONES" \
                        --output "$o" --format csv --select id,code_qp ${QPV_LOCATE_ARGS:-}
                else
                    # shellcheck disable=SC2086
                    run qpv nearest "$n" "$o" -- "$QPV" --quiet nearest "$pts" --facilities "$FACS" \
                        --category-field category --output "$o" --format csv ${QPV_NEAREST_ARGS:-}
                fi
            done
        else
            echo "== qpv $task: not available in this build (skipped)" >&2
            printf 'qpv\t%s\t%s\tnot available\t\t\t\n' "$task" "$TOTAL" >>"$ROWS"
        fi
    fi
    for peer in geopandas duckdb; do
        has_tool "$peer" || continue
        o=$OUT/${peer}_$task.$PEER_POINTS.csv
        if [ "$task" != nearest ]; then
            run "$peer" "$task" "$PEER_POINTS" "$o" -- "$PY" "$ROOT/scripts/peers/${task}_$peer.py" \
                --zones "$ZONES" --points "$SUBSET" --out "$o"
        else
            run "$peer" nearest "$PEER_POINTS" "$o" -- "$PY" "$ROOT/scripts/peers/nearest_$peer.py" \
                --facilities "$FACS" --points "$SUBSET" --out "$o"
        fi
    done
done

# --- agreement --------------------------------------------------------------------------------
# The reference is GeoPandas when it ran, else DuckDB; every other output is compared with it on
# the point ids they share.
for task in locate nearest locate_full; do
    ref=""
    for peer in geopandas duckdb; do
        f=$OUT/${peer}_$task.$PEER_POINTS.csv
        if [ -s "$f" ] && grep -q "^$peer	$task	$PEER_POINTS	[0-9]" "$ROWS"; then
            ref=$f
            break
        fi
    done
    [ -n "$ref" ] || continue
    awk -F'\t' -v t="$task" '$2 == t && $4 ~ /^[0-9]/ {print $1 "\t" $3 "\t" $7}' "$ROWS" |
        while IFS=$'\t' read -r name n f; do
            [ "$f" = "$ref" ] && continue
            echo "== checking $name $task ($n points) against $(basename "$ref")" >&2
            extra=()
            [ "$task" = nearest ] && extra=(--points "$SUBSET" --facilities "$FACS")
            line=$("$PY" "$ROOT/scripts/compare.py" "$task" "$ref" "$f" "${extra[@]}" 2>&1 | head -1 || true)
            if [ "$(head -1 "$f")" = "$(head -1 "$ref")" ]; then
                if cmp -s "$f" "$ref"; then line="$line; byte-identical files"; else line="$line; files differ in bytes"; fi
            fi
            echo "   $line" >&2
            printf '%s %s (%s points) vs %s: %s\n' "$name" "$task" "$n" "$(basename "$ref")" "$line" >>"$CHECKS"
        done
done

# --- report -----------------------------------------------------------------------------------
{
    echo "# Benchmark run $STAMP"
    echo
    echo "Command: \`BENCH_SCALE=$SCALE BENCH_SEED=$SEED BENCH_PEER_POINTS=$PEER_POINTS scripts/bench.sh\`"
    echo
    echo "- Inputs: $(tr -d '\n ' <"$DATA/manifest.json" | sed 's/,/, /g')"
    echo "- Machine: $(nproc) CPU ($(lscpu | awk -F': +' '/Model name/ {print $2; exit}')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, shared; load average before/after the runs: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg); page cache warm (files just written)"
    echo "- qpv: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ' + uncommitted changes in src/'), release build"
    if [ -x "$PY" ]; then
        echo "- Peers: $("$PY" -c 'import geopandas, shapely, pyproj, duckdb, pandas; print(f"geopandas {geopandas.__version__}, shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), pandas {pandas.__version__}, duckdb {duckdb.__version__} + spatial")')"
    fi
    echo
    echo "| tool | task | points | wall (s) | points/s | peak RSS (MiB) | CPU (s) |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    while IFS=$'\t' read -r name task n wall rss cpu _; do
        if [[ "$wall" =~ ^[0-9] ]]; then
            pps=$(awk -v n="$n" -v w="$wall" 'BEGIN { if (w > 0) printf "%.0f", n / w; else print "-" }')
            echo "| $name | $task | $n | $wall | $pps | $rss | $cpu |"
        else
            echo "| $name | $task | $n | $wall | | | |"
        fi
    done <"$ROWS"
    echo
    # Speed-ups on equal inputs (qpv vs each peer on the subset).
    awk -F'\t' -v n="$PEER_POINTS" '
        $3 == n && $4 ~ /^[0-9]/ { w[$1 "/" $2] = $4 }
        END {
            for (q in w) {
                split(q, b, "/")
                if (b[1] !~ /^qpv/) continue
                for (p in w) {
                    split(p, a, "/")
                    if (a[2] == b[2] && a[1] !~ /^qpv/)
                        printf "- %s on %d points: wall-clock speed-up of %s over %s: %.1fx\n", b[2], n, b[1], a[1], w[p] / w[q]
                }
            }
        }' "$ROWS" | sort
    if [ -s "$CHECKS" ]; then
        echo
        echo "Agreement:"
        echo
        sed 's/^/- /' "$CHECKS"
    fi
} >"$RESULTS"
echo >&2
cat "$RESULTS"
echo >&2
echo "written: $RESULTS" >&2
if grep -q "MISMATCH" "$CHECKS" || grep -qP '\tfailed\t' "$ROWS"; then
    echo "some runs failed or disagree: see $RESULTS" >&2
    exit 1
fi
