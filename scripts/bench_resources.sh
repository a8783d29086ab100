#!/usr/bin/env bash
# Resource bounds of issue 11: time and peak memory (/usr/bin/time -v) of qpv on inputs built to
# break naive code, generated deterministically (no randomness) under target/bench-resources/.
#
#   bash scripts/bench_resources.sh [QPV_BINARY] [GEOJSON_MB]
#
# QPV_BINARY defaults to target/release/qpv (built if missing); GEOJSON_MB (default 1024) is the
# size of the big GeoJSON. Prints a Markdown table (the one in BENCHMARKS.md, "Resource bounds").
# Each run is capped at 300 s and 20 GB (ulimit -v) so that a regression fails instead of
# swapping the machine. Slow (minutes): not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v /usr/bin/time >/dev/null || { sudo apt-get install -y time || apt-get install -y time; }
QPV=${1:-target/release/qpv}
MB=${2:-1024}
if [[ ! -x $QPV ]]; then cargo build --release --bins; fi
DIR=target/bench-resources
mkdir -p "$DIR"

python3 - "$DIR" "$MB" <<'PY'
import json, math, os, sys
out, mb = sys.argv[1], int(sys.argv[2])
def ring(n, cx, cy, r, jag):
    # A jagged circle: vertex i at its own angle, radius alternating by `jag` (a long,
    # finely surveyed boundary). Lon/lat, 9 decimals.
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        rr = r + (jag if i % 2 else 0.0)
        pts.append([round(cx + rr * math.cos(a) / math.cos(math.radians(cy)), 9),
                    round(cy + rr * math.sin(a), 9)])
    pts.append(pts[0])
    return pts
def zone(n):
    return {"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"code_qp": "QN09999X", "lib_qp": f"{n} vertices"},
        "geometry": {"type": "Polygon", "coordinates": [ring(n, 6.86, 47.64, 0.02, 1e-7)]}}]}
p = os.path.join(out, "polygon_1m.geojson")
if not os.path.exists(p):
    with open(p, "w") as f: json.dump(zone(1_000_000), f)
# Points: a 200 m lattice around Belfort.
p = os.path.join(out, "points.csv")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write("id,lon,lat\n")
        for i in range(10_000):
            f.write(f"{i},{6.80 + (i % 100) * 0.0012:.6f},{47.60 + (i // 100) * 0.0009:.6f}\n")
# A 50 MB header line (2.5 M column names) and one row.
p = os.path.join(out, "header_50mb.csv")
if not os.path.exists(p):
    with open(p, "w") as f:
        names = ["id", "lon", "lat"] + [f"c{i:07d}" for i in range(6_000_000)]
        line = ",".join(names)[:50_000_000]
        f.write(line.rsplit(",", 1)[0] + "\n1,6.86,47.64\n")
# A big GeoJSON of points (MB megabytes), written feature by feature (text templates: the
# same bytes as json.dumps would give, ten times faster).
p = os.path.join(out, f"points_{mb}mb.geojson")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        i, size, limit, chunk = 0, 0, mb * 1_000_000, []
        while size < limit:
            x = round(6.80 + (i % 1000) * 0.00012, 7)
            y = round(47.60 + (i // 1000 % 1000) * 0.00009, 7)
            s = ('{"type": "Feature", "properties": {"id": %d, "name": "point %d"}, '
                 '"geometry": {"type": "Point", "coordinates": [%r, %r]}}') % (i, i, x, y)
            s = ("," if i else "") + s + "\n"
            chunk.append(s); size += len(s); i += 1
            if len(chunk) == 100_000:
                f.write("".join(chunk)); chunk = []
        f.write("".join(chunk))
        f.write("]}\n")
# 5 M points for the GeoPackage output (a 1 km-wide strip of a 0.0001-degree lattice).
p = os.path.join(out, "points_5m.csv")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write("id,lon,lat\n")
        for k in range(0, 5_000_000, 100_000):
            f.write("".join(f"{i},{6.70 + (i % 2500) * 0.0001:.6f},{47.55 + (i // 2500) * 0.00009:.6f}\n"
                            for i in range(k, k + 100_000)))
PY

# Runs one case: NAME BOUND_S BOUND_MB ARGS...; prints a table row.
run() {
  local name=$1 bound_s=$2 bound_mb=$3; shift 3
  local log=$DIR/time.log status
  set +e
  (ulimit -v 20000000; timeout 300 /usr/bin/time -v "$QPV" "$@" >/dev/null 2>"$log")
  status=$?
  set -e
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  local verdict=met
  if [[ -z $secs ]]; then secs=">300"; verdict="NOT met (timeout)"
  elif awk -v s="$secs" -v b="$bound_s" -v r="${rss:-0}" -v m="$bound_mb" 'BEGIN{exit !(s>b || r>m)}'; then verdict="NOT met"; fi
  local last
  last=$( (grep '^qpv:' "$log" | head -1 | cut -c1-90) || true)
  printf '| %s | `qpv %s` | %s | %s | %s | %s s, %s MB | %s |\n' \
    "$name" "$*" "$status" "$secs" "${rss:-?}" "$bound_s" "$bound_mb" "$verdict"
  [[ -n $last ]] && echo "|   | ↳ stderr: ${last//|/\\|} | | | | | |" || true
}

echo "| case | command | exit | time (s) | peak RSS (MB) | bound | |"
echo "|---|---|---|---|---|---|---|"
run "1 M-vertex polygon, check" 30 1000 check "$DIR/polygon_1m.geojson" --as zones
run "1 M-vertex polygon, locate 10,000 points" 30 1000 locate "$DIR/points.csv" --qpv "$DIR/polygon_1m.geojson" -q
run "1 M-vertex polygon, coverage" 60 1000 coverage --qpv "$DIR/polygon_1m.geojson"
run "1 M-vertex polygon, perimeter test" 30 1000 perimeter test "$DIR/polygon_1m.geojson"
run "50 MB CSV header line" 5 200 locate "$DIR/header_50mb.csv" -q
run "huge k (10,000 points × every facility)" 60 500 nearest "$DIR/points.csv" -k 18446744073709551615 -q
run "${MB} MB GeoJSON of points" 300 $((MB * 3)) check "$DIR/points_${MB}mb.geojson" --as points
rm -f "$DIR/out_5m.gpkg"
run "5 M-row GeoPackage output (locate)" 300 2000 locate "$DIR/points_5m.csv" -o "$DIR/out_5m.gpkg" -q
run "5 M-row CSV output (locate, for comparison)" 120 500 locate "$DIR/points_5m.csv" -o "$DIR/out_5m.csv" -q
rm -f "$DIR/out_5m.gpkg" "$DIR/out_5m.csv"
