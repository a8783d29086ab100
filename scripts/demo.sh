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
