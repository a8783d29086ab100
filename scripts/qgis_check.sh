#!/usr/bin/env bash
# Opens qpv's outputs in the real client, QGIS (headless), and checks that it reads what qpv
# wrote: the same points in each QPV, and valid geometries. Not part of CI (QGIS is a large
# install); run it by hand after changing a writer:
#   apt-get install -y qgis python3-qgis && bash scripts/qgis_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -u)}
if ! command -v qgis_process.bin >/dev/null || ! /usr/bin/python3 -c "import qgis.core" 2>/dev/null; then
  echo "installing QGIS (qgis python3-qgis)" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y qgis python3-qgis
fi
cargo build --release --quiet
qpv=target/release/qpv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
qgis() { qgis_process.bin run "$@" 2>/dev/null; }

# 1. Every BANO address point of the département, located by qpv, counted in each QPV by QGIS.
"$qpv" -q locate geodata/bano-90.csv --columns id,numero,voie,code_post,nom_comm,source,lat,lon \
  --format geojson -o "$out/bano.geojson"
qgis native:countpointsinpolygon -- POLYGONS=geodata/qpv_2024_territoire_de_belfort.geojson \
  POINTS="$out/bano.geojson" FIELD=NUMPOINTS OUTPUT="$out/counts.geojson" >/dev/null
python3 - "$out" <<'PY'
import collections, json, sys
out = sys.argv[1]
ours = collections.Counter(f["properties"]["code_qp"] for f in json.load(open(f"{out}/bano.geojson"))["features"])
theirs = {f["properties"]["code_qp"]: int(f["properties"]["NUMPOINTS"]) for f in json.load(open(f"{out}/counts.geojson"))["features"]}
bad = 0
for code in sorted(theirs):
    flag = "ok" if ours[code] == theirs[code] else "MISMATCH"
    bad += flag != "ok"
    print(f"{code}: qpv {ours[code]:4d}  QGIS {theirs[code]:4d}  {flag}")
sys.exit(1 if bad else 0)
PY

# 2. Polygon layers written by qpv are valid for QGIS (GEOS method).
"$qpv" -q coverage --format geojson -o "$out/uncovered.geojson"
"$qpv" -q simulate --format geojson -o "$out/simulated.geojson" 2>/dev/null || true
for layer in "$out"/uncovered.geojson "$out"/simulated.geojson; do
  [ -s "$layer" ] || continue
  result=$(qgis qgis:checkvalidity -- INPUT_LAYER="$layer" METHOD=2 \
    VALID_OUTPUT="$out/v.geojson" INVALID_OUTPUT="$out/i.geojson" ERROR_OUTPUT="$out/e.geojson")
  valid=$(grep -E '^VALID_COUNT' <<<"$result" | cut -f2)
  invalid=$(grep -E '^INVALID_COUNT' <<<"$result" | cut -f2)
  echo "$(basename "$layer"): QGIS valid $valid, invalid $invalid"
  [ "$invalid" = "0" ] || exit 1
done
# 3. The coverage GeoPackage and its QGIS project as a user opens them: default styles from
#    layer_styles, layer order, labels, CRS; the project rendered by QGIS's layout engine.
#    PNG=docs/img/coverage_qgis.png bash scripts/qgis_check.sh refreshes the README's picture.
"$qpv" -q coverage -o "$out/coverage.gpkg" --qgis-project
/usr/bin/python3 scripts/qgis_render.py "$out/coverage.gpkg" "$out/coverage.qgs" "$out/coverage.png" 2>/dev/null
if [ -n "${PNG:-}" ]; then
  command -v convert >/dev/null && convert "$out/coverage.png" -strip -colors 128 "PNG8:$PNG" || cp "$out/coverage.png" "$PNG"
  echo "wrote $PNG"
fi
echo "QGIS reads qpv's outputs as written."
