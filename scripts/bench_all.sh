#!/usr/bin/env bash
# The national benchmark W1–W5 (issue 15) in one dated run, one report:
#   W1/W2  `qpv locate` / `qpv nearest`, 10 M points (scripts/bench.sh; the peers on the first
#          BENCH_PEER_POINTS points, qpv on those and on all of them);
#   W3     `qpv coverage`, 1,610 zones x 60,000 facilities x 300/500/1000 m (bench_national.sh);
#   W4     `qpv interpolate`, the 2.3 M-cell grid onto the 1,610 zones (bench_w4.sh);
#   W5     `qpv simulate` on 1/4, 1/2 and all of the grid (bench_w5.sh).
# Each step is the script named, run as it is (same inputs for every tool, answers compared value
# by value); this script runs them one after the other with one qpv binary and gathers their
# reports into benches/results/all-<UTC stamp>.md, under the stamp of the whole run.
#
#   scripts/bench_all.sh                          # everything, 3 runs of W3-W5
#   BENCH_STEPS="w3 w4" scripts/bench_all.sh      # some steps only
#
# Environment: BENCH_STEPS ("w12 w3 w4 w5"), BENCH_RUNS (3; W1/W2 run once per tool),
# BENCH_PEER_POINTS (1000000), BENCH_POINTS_DATA (target/bench-data: 10 M points),
# BENCH_DATA (target/bench-national: the grid), BENCH_QPV (a prebuilt qpv: no build).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STEPS=${BENCH_STEPS:-"w12 w3 w4 w5"}
export BENCH_RUNS=${BENCH_RUNS:-3}
POINTS_DATA=${BENCH_POINTS_DATA:-$ROOT/target/bench-data}
export BENCH_DATA=${BENCH_DATA:-$ROOT/target/bench-national}
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
REPORT=$ROOT/benches/results/all-$STAMP.md
PARTS=$(mktemp -d)
trap 'rm -rf "$PARTS"' EXIT
mkdir -p "$ROOT/benches/results"

if [ -z "${BENCH_QPV:-}" ]; then
    echo "== building qpv and the generator (release)" >&2
    cargo build --release --quiet --bins --example gen_national
    export BENCH_QPV=$ROOT/target/release/qpv
fi
export BENCH_GEN=${BENCH_GEN:-$ROOT/target/release/examples/gen_national}
if [ -f "$BENCH_DATA/manifest.json" ]; then
    export BENCH_REUSE=1
fi

# step NAME SCRIPT PATTERN [VAR=VALUE...]: runs SCRIPT with the variables and moves the one new
# report named PATTERN (the script's own naming) out of benches/results into this run's parts;
# any other file that appears there meanwhile is left alone.
step() {
    local name=$1 script=$2 pattern=$3
    shift 3
    local before new
    before=$(cd "$ROOT/benches/results" && ls $pattern 2>/dev/null || true)
    echo "== $name: $script" >&2
    env "$@" bash "$ROOT/scripts/$script"
    new=$(comm -13 <(echo "$before") <(cd "$ROOT/benches/results" && ls $pattern 2>/dev/null || true))
    if [ "$(echo "$new" | grep -c .)" != 1 ]; then
        echo "bench_all.sh: $script did not write exactly one report $pattern" >&2
        exit 1
    fi
    mv "$ROOT/benches/results/$new" "$PARTS/$name.md"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for s in $STEPS; do
    case $s in
        w12) step w12 bench.sh '20*.md' BENCH_DATA="$POINTS_DATA" BENCH_TASKS="locate nearest" \
            BENCH_PEER_POINTS="${BENCH_PEER_POINTS:-1000000}" ;;
        w3) step w3 bench_national.sh 'national-*.md' ;;
        w4) step w4 bench_w4.sh 'w4-*.md' ;;
        w5) step w5 bench_w5.sh 'w5-*.md' ;;
        *) echo "bench_all.sh: unknown step '$s' (w12, w3, w4, w5)" >&2; exit 2 ;;
    esac
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "# National benchmark W1–W5, one run — $STAMP"
    echo
    echo "Command: \`BENCH_STEPS=\"$STEPS\" BENCH_RUNS=$BENCH_RUNS BENCH_PEER_POINTS=${BENCH_PEER_POINTS:-1000000} scripts/bench_all.sh\`;"
    echo "qpv $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') ($BENCH_QPV), release build."
    echo "Machine: $(nproc) CPU, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM; load average at the start"
    echo "$LOAD0, at the end $LOAD1. Each part below is the report of the script named."
    for s in $STEPS; do
        echo
        sed -e '1s/^# /## /' -e '2,$s/^#/##/' "$PARTS/$s.md"
    done
} >"$REPORT"
echo "$REPORT"
