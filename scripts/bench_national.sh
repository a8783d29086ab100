#!/usr/bin/env bash
# National-scale benchmark of the commands beyond locate/nearest (issue 15), side by side with
# the peers, same inputs, answers compared value by value. So far:
#   W3  `qpv coverage` on 1,610 zones x 60,000 facilities x D = 300, 500, 1000 m: counts inside
#       and within D, nearest facility, covered area share — against GeoPandas (sjoin dwithin +
#       union/intersection areas) and DuckDB spatial (ST_DWithin, ST_Buffer, ST_Union_Agg,
#       ST_Area). All three build the same 128-gon discs, so areas agree to the rounding.
# (W4 areal interpolation of the national grid and W5 simulate: next; the generator already
# writes the national grid, grid.csv.)
#
#   scripts/bench_national.sh                 # full scale
#   BENCH_FACILITIES=6000 scripts/bench_national.sh   # quick check
#
# Environment: BENCH_SEED (20241125), BENCH_FACILITIES (60000), BENCH_RUNS (3, alternated),
# BENCH_TOOLS ("qpv geopandas duckdb"), BENCH_QPV and BENCH_GEN (prebuilt binaries: no build),
# BENCH_DATA (input folder; with BENCH_REUSE=1 and a manifest there, the inputs are reused, not
# regenerated), BENCH_QPV_OLD (a second qpv binary, e.g. main's: adds the tool `qpv_old`, run
# alternately with the others, whose JSON must be byte-identical to the new one's).
# Results: benches/results/national-<UTC stamp>.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SEED=${BENCH_SEED:-20241125}
NFAC=${BENCH_FACILITIES:-60000}
RUNS=${BENCH_RUNS:-3}
TOOLS=${BENCH_TOOLS:-"qpv geopandas duckdb"}
DATA=${BENCH_DATA:-$ROOT/target/bench-national}
OUT=$ROOT/target/bench-national-out
VENV=${BENCH_VENV:-$ROOT/target/bench-venv}
PY=$VENV/bin/python
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
RESULTS=$ROOT/benches/results/national-$STAMP.md
mkdir -p "$OUT" "$ROOT/benches/results"

REUSE=0
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$DATA/manifest.json" ]; then
    REUSE=1
fi
if [ -n "${BENCH_QPV_OLD:-}" ] && [[ " $TOOLS " != *" qpv_old "* ]]; then
    TOOLS="$TOOLS qpv_old"
fi
if [ -z "${BENCH_QPV:-}" ] || { [ -z "${BENCH_GEN:-}" ] && [ "$REUSE" = 0 ]; }; then
    echo "== building qpv and the generator (release)" >&2
    cargo build --release --quiet --bins --example gen_national
fi
QPV=${BENCH_QPV:-$ROOT/target/release/qpv}
GEN=${BENCH_GEN:-$ROOT/target/release/examples/gen_national}
if [[ " $TOOLS " == *" geopandas "* || " $TOOLS " == *" duckdb "* ]]; then
    "$ROOT/scripts/setup_peers.sh"
fi
[ -x /usr/bin/time ] || "$ROOT/scripts/setup_peers.sh"

if [ "$REUSE" = 1 ]; then
    echo "== reusing the inputs in $DATA" >&2
else
    echo "== generating inputs (seed $SEED, $NFAC facilities) into $DATA" >&2
    "$GEN" --out "$DATA" --seed "$SEED" \
        --facilities "$NFAC" --points 1000
fi
ZONES=$DATA/zones.geojson
FACS=$DATA/facilities.csv
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A CMD OUTF
OUTF[qpv]=$OUT/w3_qpv.json
CMD[qpv]="$QPV --quiet coverage --qpv $ZONES --facilities $FACS --category-field category --no-grid --distance 300,500,1000 --format json -o ${OUTF[qpv]}"
OUTF[qpv_old]=$OUT/w3_qpv_old.json
CMD[qpv_old]="${BENCH_QPV_OLD:-} --quiet coverage --qpv $ZONES --facilities $FACS --category-field category --no-grid --distance 300,500,1000 --format json -o ${OUTF[qpv_old]}"
OUTF[geopandas]=$OUT/w3_geopandas.csv
CMD[geopandas]="$PY $ROOT/scripts/peers/coverage_geopandas.py --zones $ZONES --facilities $FACS --out ${OUTF[geopandas]}"
OUTF[duckdb]=$OUT/w3_duckdb.csv
CMD[duckdb]="$PY $ROOT/scripts/peers/coverage_duckdb.py --zones $ZONES --facilities $FACS --out ${OUTF[duckdb]}"

ROWS=$OUT/w3_rows.tsv
: >"$ROWS"
for run in $(seq 1 "$RUNS"); do
    for tool in $TOOLS; do
        tf=$OUT/w3_$tool.$run.time
        echo "== W3 $tool, run $run" >&2
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$tf" ${CMD[$tool]} >"$OUT/w3_$tool.$run.log" 2>&1
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tf")
        rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tf")
        printf '%s\t%s\t%s\n' "$tool" "$wall" "$rss" >>"$ROWS"
        echo "   $wall s, $rss MiB" >&2
    done
done

CHECKS=""
for peer in geopandas duckdb; do
    [[ " $TOOLS " == *" $peer "* && " $TOOLS " == *" qpv "* ]] || continue
    line=$("$PY" "$ROOT/scripts/peers/coverage_compare.py" "${OUTF[qpv]}" "${OUTF[$peer]}" | head -1 || true)
    CHECKS+="- qpv vs $peer: $line"$'\n'
done

if [[ " $TOOLS " == *" qpv_old "* && " $TOOLS " == *" qpv "* ]]; then
    if cmp -s "${OUTF[qpv]}" "${OUTF[qpv_old]}"; then
        CHECKS+="- qpv vs qpv_old ($BENCH_QPV_OLD): JSON byte-identical"$'\n'
    else
        changed=$(diff "${OUTF[qpv]}" "${OUTF[qpv_old]}" | grep -c '^<' || true)
        fields=$(diff "${OUTF[qpv]}" "${OUTF[qpv_old]}" | grep '^<' | sed 's/^< *"\([a-z_0-9]*\)".*/\1/' | sort | uniq -c | tr -s ' ' | paste -sd, - || true)
        CHECKS+="- qpv vs qpv_old ($BENCH_QPV_OLD): JSON differs on $changed lines (by field:$fields)"$'\n'
    fi
fi

{
    echo "# National benchmark run $STAMP (W3 coverage)"
    echo
    echo "Command: \`BENCH_SEED=$SEED BENCH_FACILITIES=$NFAC BENCH_RUNS=$RUNS BENCH_TOOLS=\"$TOOLS\" scripts/bench_national.sh\`"
    echo
    echo "- Inputs: $(tr -d '\n ' <"$DATA/manifest.json" | sed 's/,/, /g')"
    echo "- Machine: $(nproc) CPU, $(free -g | awk '/Mem:/ {print $2}') GiB RAM; load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- qpv: $QPV ($(git -C "$ROOT" rev-parse --short HEAD) checked out), release build${BENCH_QPV_OLD:+; qpv_old: $BENCH_QPV_OLD}"
    echo
    echo "| tool | runs | wall median (s) | wall min–max (s) | peak RSS median (MiB) |"
    echo "|---|---:|---:|---:|---:|"
    for tool in $TOOLS; do
        awk -F'\t' -v t="$tool" '$1 == t {print $2 "\t" $3}' "$ROWS" | sort -n | awk -F'\t' -v t="$tool" '
            { w[NR] = $1; r[NR] = $2 }
            END { m = int((NR + 1) / 2); printf "| %s | %d | %s | %s–%s | %s |\n", t, NR, w[m], w[1], w[NR], r[m] }'
    done
    echo
    echo "Agreement (counts exact, nearest same id or same distance, covered areas within 1e-6 relative, unrounded):"
    echo
    printf '%s' "$CHECKS"
} >"$RESULTS"
cat "$RESULTS"
