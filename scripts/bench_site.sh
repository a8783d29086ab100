#!/usr/bin/env bash
# qpv site (library MCLP: exact good_lp + microlp, and lazy greedy with its Lagrangian bound)
# vs spopt MCLP solved with CBC (PuLP), on the same generated instance:
# N_DEMAND demand points (default 10,000) x N_CAND candidates (default 2,000), D = 500 m,
# k = 20, seed 2026 (scripts/peers/site_reference.py generate). Runs alternate; medians of
# wall time and peak RSS (GNU time) go to benches/results/site-<UTC>.md.
#   bash scripts/bench_site.sh [N_DEMAND N_CAND RUNS]
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
mkdir -p "$DIR"
"$VENV/bin/python" scripts/peers/site_reference.py generate "$DIR" "$N_DEMAND" "$N_CAND" 2026
measure() { # name, command...
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$DIR/$name.time" "$@" > "$DIR/$name.out"
    echo "$name $(cat "$DIR/$name.time") $(tr -d '\n' < "$DIR/$name.out")" >> "$DIR/runs.txt"
}
: > "$DIR/runs.txt"
for r in $(seq "$RUNS"); do
    measure qpv_greedy "$BIN" "$DIR" $D $K greedy
    measure spopt_cbc "$VENV/bin/python" scripts/peers/site_reference.py solve "$DIR" $D $K
    measure qpv_exact timeout 3600 "$BIN" "$DIR" $D $K exact || true
done
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT=benches/results/site-$STAMP.md
mkdir -p benches/results
{
    echo "# qpv site vs spopt + CBC, $STAMP ($(nproc) cores, shared machine, load $(cut -d' ' -f1 /proc/loadavg))"
    echo
    echo "Instance: $N_DEMAND demand points x $N_CAND candidates, D = $D m, k = $K, seed 2026."
    echo
    echo '| run | wall s | peak RSS KiB | result |'
    echo '|---|---:|---:|---|'
    awk '{n=$1; t=$2; m=$3; $1=$2=$3=""; print "| " n " | " t " | " m " | " $0 " |"}' "$DIR/runs.txt"
} > "$OUT"
cat "$OUT"
