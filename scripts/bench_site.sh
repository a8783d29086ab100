#!/usr/bin/env bash
# qpv site's solvers vs spopt MCLP + LSCP solved with CBC (bundled with PuLP), on the same
# instance, in the same run, alternating the tools.
#
#   bash scripts/bench_site.sh [COPIES RUNS]      # default 3 copies (10,470 cells), 3 runs
#   BENCH_CAP=1800 bash scripts/bench_site.sh     # CBC's time limit per problem, seconds
#   BENCH_EXACT=1 bash scripts/bench_site.sh      # also qpv's exact microlp MCLP (1 h cap)
#
# Instance (scripts/peers/site_reference.py grid, seed 2026): demand = the 3,490 populated
# 200 m cells of the Filosofi 2019 grid of Grand Belfort (geodata/), COPIES times side by
# side, each cell's inhabitants times a log-normal factor (sigma 0.25) so that copies differ;
# candidates = the centres of the cells with at least 50 inhabitants; D = 1,000 m (a
# 15-minute walk, straight line), k = 30 new sites (ten per copy of the agglomeration).
# qpv: examples/site_instance.rs (reading, coverage sets, lazy greedy + swaps + Lagrangian
# heuristic and bound; LSCP greedy + redundancy removal, Lagrangian lower bound). spopt: the
# cost matrix, MCLP and LSCP through PuLP + CBC, each capped at BENCH_CAP seconds; when capped,
# CBC's own best bound (its log) is reported. One more spopt run solves the LP relaxations with
# the same CBC (untimed), a second bound independent of qpv. Each timed run: GNU time -v (wall,
# peak RSS). Results: benches/results/site-<UTC>.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
COPIES=${1:-3}
RUNS=${2:-3}
CAP=${BENCH_CAP:-1800}
D=1000
K=30
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
DIR=$ROOT/target/site-bench/grid-$COPIES
mkdir -p "$DIR" benches/results
INSTANCE=$("$VENV/bin/python" scripts/peers/site_reference.py grid "$DIR" "$COPIES" 2026 50)

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
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$RUNS"); do
    measure qpv_greedy "$run" "$BIN" "$DIR" $D $K greedy --lscp
    measure spopt_cbc "$run" "$VENV/bin/python" scripts/peers/site_reference.py solve "$DIR" $D $K \
        --lscp --time-limit "$CAP"
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
measure spopt_lp 1 "$VENV/bin/python" scripts/peers/site_reference.py solve "$DIR" $D $K --lscp --relax
if [ "${BENCH_EXACT:-0}" = 1 ]; then
    measure qpv_exact 1 timeout 3600 "$BIN" "$DIR" $D $K exact || true
fi

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
stat() { awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$DIR/runs.txt" | median; }
field() { # tool key: the value of "key" in the tool's first run ("-" when absent)
    awk -v t="$1" '$1 == t {print $5; exit}' "$DIR/runs.txt" |
        "$VENV/bin/python" -c "import json,sys; print(json.loads(sys.stdin.read()).get('$2', '-'))"
}
QW=$(stat qpv_greedy 3); QM=$(stat qpv_greedy 4); SW=$(stat spopt_cbc 3); SM=$(stat spopt_cbc 4)
QOBJ=$(field qpv_greedy mclp_objective); QUB=$(field qpv_greedy upper_bound)
QL=$(field qpv_greedy lscp_objective); QLB=$(field qpv_greedy lscp_lower_bound)
SOBJ=$(field spopt_cbc mclp_objective); SST=$(field spopt_cbc mclp_status)
SUB=$(field spopt_cbc mclp_cbc_bound); SRES=$(field spopt_cbc mclp_cbc_result)
SL=$(field spopt_cbc lscp_objective); SLST=$(field spopt_cbc lscp_status)
SLB=$(field spopt_cbc lscp_cbc_bound)
LPM=$(field spopt_lp mclp_objective); LPL=$(field spopt_lp lscp_objective)
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT=benches/results/site-$STAMP.md
{
    echo "# qpv site vs spopt + CBC — $STAMP"
    echo
    echo "Instance: $INSTANCE (scripts/peers/site_reference.py grid DIR $COPIES 2026 50:"
    echo "the Filosofi 2019 grid of Grand Belfort $COPIES times), D = $D m, MCLP k = $K and LSCP."
    echo "$RUNS alternating runs, medians; CBC capped at $CAP s per problem. Machine: $(nproc)"
    echo "cores shared with other engineers' jobs (load $LOAD0 at the start, $LOAD1 at the end)."
    echo
    echo "| tool | wall (s) | peak RSS (MiB) | MCLP covered (k = $K) | MCLP upper bound | LSCP sites | LSCP lower bound |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    echo "| qpv lazy greedy + swaps + Lagrangian | $QW | $QM | $QOBJ | $QUB | $QL | $QLB |"
    echo "| spopt $(grep -i '^spopt==' "$REQ" | cut -d= -f3) + CBC (PuLP $(grep -i '^pulp==' "$REQ" | cut -d= -f3)) | $SW | $SM | $SOBJ ($SST) | $SUB | $SL ($SLST) | $SLB |"
    echo "| LP relaxations (the same CBC, untimed) | | | | $LPM | | $LPL |"
    echo
    echo "CBC's MCLP run: \"$SRES\"."
    "$VENV/bin/python" - "$QW" "$SW" "$QM" "$SM" "$QOBJ" "$QUB" "$SOBJ" "$SST" "$SUB" "$LPM" \
        "$QL" "$QLB" "$SL" "$SLST" "$SLB" "$LPL" <<'PY'
import math, sys
a = sys.argv[1:]
num = lambda s: float(s) if s not in ("-", "", "None") else math.nan
qw, sw, qm, sm, q, qub, s, sst, sub, lpm, ql, qlb, sl, slst, slb, lpl = a
qw, sw, qm, sm, q, qub, s, sub, lpm = map(num, (qw, sw, qm, sm, q, qub, s, sub, lpm))
ql, qlb, sl, slb, lpl = map(num, (ql, qlb, sl, slb, lpl))
mclp_opt, lscp_opt = sst.startswith("Optimal"), slst.startswith("Optimal")
print(f"\nSpeed: qpv is {sw / qw:.0f}x faster than spopt + CBC; memory {sm / qm:.0f}x less.")
# CBC may print a maximisation's bound with the sign of its internal minimisation: abs().
ubs = [qub, abs(sub), lpm] + ([s] if mclp_opt else [])
bound = min(x for x in ubs if not math.isnan(x))
opt = f"CBC's optimum {s:,.0f}: qpv reaches {100 * q / s:.2f} %" if mclp_opt else \
    f"CBC stopped at {s:,.0f} (not proven optimal)"
print(f"MCLP: qpv covers {q:,.0f}; {opt}; the best proven upper bound is {bound:,.2f},")
print(f"so qpv's plan is at least {100 * q / bound:.2f} % of the optimum (qpv's own bound alone: {100 * q / qub:.2f} %).")
lbs = [qlb, slb, math.ceil(lpl - 1e-6) if not math.isnan(lpl) else math.nan]
lb = max(x for x in lbs + ([sl] if lscp_opt else []) if not math.isnan(x))
lopt = f"CBC's optimum {sl:.0f}" if lscp_opt else f"CBC's best {sl:.0f} (not proven)"
print(f"LSCP: qpv {ql:.0f} sites, {lopt}; proven lower bound {lb:.0f} (qpv's own: {qlb:.0f}),")
print(f"so qpv uses at most {100 * (ql / lb - 1):.1f} % more sites than the optimum.")
PY
    echo
    echo "Runs (tool, run, wall s, RSS MiB, output):"
    echo
    sed 's/^/    /' "$DIR/runs.txt"
} > "$OUT"
cat "$OUT"
