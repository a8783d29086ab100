#!/usr/bin/env bash
# Old vs new qpv on the 10 M-point national inputs (W1 locate minimal job, locate full output,
# W2 nearest), alternated runs in ABBA order; medians of wall time and peak RSS; outputs compared byte for byte.
#   OLD=path/to/old/qpv NEW=target/release/qpv D=target/bench-data RUNS=3 scripts/bench_old_new.sh
# (inputs: cargo run --release --example gen_national -- --grid-cells 0)
set -euo pipefail
OLD=${OLD:?}; NEW=${NEW:?}; D=${D:-target/bench-data}; RUNS=${RUNS:-3}
O=${OUT:-target/bench-old-new}; mkdir -p $O
declare -A ARGS
ARGS[locate_min]="locate $D/points.csv --qpv $D/zones.geojson --format csv --select id,code_qp"
ARGS[locate_full]="locate $D/points.csv --qpv $D/zones.geojson --format csv"
ARGS[nearest]="nearest $D/points.csv --facilities $D/facilities.csv --category-field category --format csv"
: > $O/rows.tsv
for task in locate_min locate_full nearest; do
  for r in $(seq 1 $RUNS); do
    # ABBA order: odd runs old first, even runs new first (no drift favours either binary).
    order="old new"; [ $((r % 2)) = 0 ] && order="new old"
    for v in $order; do
      bin=$OLD; [ $v = new ] && bin=$NEW
      /usr/bin/time -f "%e %M" -o $O/t $bin --quiet ${ARGS[$task]} -o $O/$task.$v.csv
      echo "$task $v $(cat $O/t)" | tee -a $O/rows.tsv
    done
  done
  if cmp -s $O/$task.old.csv $O/$task.new.csv; then echo "$task: outputs byte-identical"; else echo "$task: outputs DIFFER"; fi | tee -a $O/rows.tsv
done
python3 - "$O/rows.tsv" <<'PY'
import statistics, collections, sys
d=collections.defaultdict(list); m=collections.defaultdict(list)
for l in open(sys.argv[1]):
    p=l.split()
    if len(p)==4: d[(p[0],p[1])].append(float(p[2])); m[(p[0],p[1])].append(int(p[3]))
for t in ['locate_min','locate_full','nearest']:
    o=statistics.median(d[(t,'old')]); n=statistics.median(d[(t,'new')])
    print(f"{t}: old {o:.2f} s ({statistics.median(m[(t,'old')])//1024} MiB), new {n:.2f} s ({statistics.median(m[(t,'new')])//1024} MiB), new/old {n/o:.3f}; runs old {d[(t,'old')]} new {d[(t,'new')]}")
PY
