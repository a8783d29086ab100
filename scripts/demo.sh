#!/usr/bin/env bash
# The main job on the embedded Grand Belfort data: describe the layers, then report which
# facilities lie in or near each QPV. Extra arguments go to `qpv coverage`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet
qpv=target/release/qpv
echo "== qpv info (embedded layers)"
"$qpv" info
if "$qpv" coverage --help >/dev/null 2>&1; then
  echo
  echo "== qpv coverage (embedded facilities vs the 7 QPV of Grand Belfort, 300 m)"
  "$qpv" coverage "$@"
fi
if "$qpv" report --help >/dev/null 2>&1; then
  out=target/demo
  mkdir -p "$out"
  echo
  echo "== qpv report (HTML for the steering committee) and the coverage GeoPackage (QGIS)"
  "$qpv" -q report -o "$out/rapport.html"
  "$qpv" -q coverage -o "$out/coverage.gpkg" --qgis-project
  echo "report:     $(realpath "$out/rapport.html")  (open in a browser; Print to PDF = one QPV per A4 page)"
  echo "GeoPackage: $(realpath "$out/coverage.gpkg")  (layers qpv, facilities, rings, uncovered, styled)"
  echo "QGIS project: $(realpath "$out/coverage.qgs")  (open it in QGIS)"
fi
