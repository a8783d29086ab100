#!/usr/bin/env bash
# qpv site's solvers vs spopt MCLP + LSCP solved with CBC (bundled with PuLP), on the same
# generated instance, in the same run, alternating the tools.
#
#   bash scripts/bench_site.sh [N_DEMAND N_CAND RUNS]      # default 10,000 x 2,000, 3 runs
#   BENCH_EXACT=1 bash scripts/bench_site.sh               # also qpv's exact microlp (1 h cap)
#
# Instance: scripts/peers/site_reference.py generate (seed 2026, committed): demand clustered
# around 8 centres of a 10 km square, integer weights 1-400, candidates uniform, D = 500 m,
# k = 20. qpv: examples/site_instance.rs (reading, coverage sets, lazy greedy + one-for-one
# swaps, greedy/Lagrangian bound; LSCP greedy + redundancy removal). spopt: the cost matrix,
# MCLP and LSCP through PuLP + CBC to proven optimality. Both do MCLP and LSCP in one process.
# Each run is timed with GNU time -v (wall, peak RSS). Results: benches/results/site-<UTC>.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N_DEMAND=${1:-10000}
N_CAND=${2:-2000}
RUNS=${3:-3}
D=500
K=20
VENV=$ROOT/target/site-venv
REQ=$ROOT/scripts/peers/site_requirements.txt
if [ ! -x /usr/bin/time ]; then apt-get update -qq && apt-get install -y -qq time; fi
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements.txt"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
    cp "$REQ" "$VENV/.requirements.txt"
fi
cargo build --release -q --example site_instance
BIN=$ROOT/target/release/examples/site_instance
DIR=$ROOT/target/site-bench/${N_DEMAND}x${N_CAND}
mkdir -p "$DIR" benches/results
"$VENV/bin/python" scripts/peers/site_reference.py generate "$DIR" "$N_DEMAND" "$N_CAND" 2026

measure() { # name run command...
    local name=$1 run=$2
    shift 2
    /usr/bin/time -v -o "$DIR/$name.$run.time" "$@" > "$DIR/$name.$run.out"
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$DIR/$name.$run.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$DIR/$name.$run.time")
    echo "$name $run $wall $rss $(tr -d ' \n' < "$DIR/$name.$run.out")" | tee -a "$DIR/runs.txt"
}

: > "$DIR/runs.txt"
for run in $(seq "$RUNS"); do
    measure qpv_greedy "$run" "$BIN" "$DIR" $D $K greedy --lscp
    measure spopt_cbc "$run" "$VENV/bin/python" scripts/peers/site_reference.py solve "$DIR" $D $K --lscp
done
if [ "${BENCH_EXACT:-0}" = 1 ]; then
    measure qpv_exact 1 timeout 3600 "$BIN" "$DIR" $D $K exact || true
fi

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
stat() { awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$DIR/runs.txt" | median; }
field() { # tool key: the value of "key" in the tool's first run
    awk -v t="$1" '$1 == t {print $5; exit}' "$DIR/runs.txt" |
        "$VENV/bin/python" -c "import json,sys; print(json.loads(sys.stdin.read())['$2'])"
}
QW=$(stat qpv_greedy 3); QM=$(stat qpv_greedy 4); SW=$(stat spopt_cbc 3); SM=$(stat spopt_cbc 4)
QOBJ=$(field qpv_greedy mclp_objective); QUB=$(field qpv_greedy upper_bound)
SOBJ=$(field spopt_cbc mclp_objective)
QL=$(field qpv_greedy lscp_objective); QLB=$(field qpv_greedy lscp_lower_bound)
SL=$(field spopt_cbc lscp_objective)
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT=benches/results/site-$STAMP.md
{
    echo "# qpv site vs spopt + CBC — $STAMP"
    echo
    echo "Instance: $N_DEMAND demand points x $N_CAND candidates (scripts/peers/site_reference.py"
    echo "generate, seed 2026), D = $D m, MCLP k = $K and LSCP. $RUNS alternating runs, medians;"
    echo "machine: $(nproc) cores shared with other engineers' builds (load $(cut -d' ' -f1-3 /proc/loadavg))."
    echo
    echo "| tool | wall (s) | peak RSS (MiB) | MCLP covered | MCLP bound | LSCP sites |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| qpv lazy greedy + swaps | $QW | $QM | $QOBJ | $QUB | $QL (lower bound $QLB) |"
    echo "| spopt $(grep -i '^spopt==' "$REQ" | cut -d= -f3) + CBC (PuLP $(grep -i '^pulp==' "$REQ" | cut -d= -f3)) | $SW | $SM | $SOBJ (optimal) | = | $SL (optimal) |"
    echo
    awk -v qw="$QW" -v sw="$SW" -v qm="$QM" -v sm="$SM" -v q="$QOBJ" -v s="$SOBJ" -v ub="$QUB" \
        -v ql="$QL" -v sl="$SL" 'BEGIN {
        printf "qpv is %.1fx faster with %.1fx less memory. MCLP: qpv covers %.2f %% of the CBC optimum\n", sw / qw, sm / qm, 100 * q / s
        printf "(and at least %.2f %% of its own bound, known without CBC). LSCP: qpv %d sites, CBC %d (%.2f %%).\n", 100 * q / ub, ql, sl, 100 * sl / ql }'
    echo
    echo "Runs (tool, run, wall s, RSS MiB, output):"
    echo
    sed 's/^/    /' "$DIR/runs.txt"
} > "$OUT"
cat "$OUT"
