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
echo
echo "== GeoPackage and QGIS project for the map"
mkdir -p target/demo
"$qpv" -q coverage -o target/demo/coverage.gpkg --qgis-project
echo "wrote target/demo/coverage.gpkg (layers qpv, facilities, rings, uncovered, styled) and"
echo "target/demo/coverage.qgs: open the project in QGIS"
