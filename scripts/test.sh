#!/usr/bin/env bash
# Every check CI runs: formatting, lints, and all tests (unit, integration, doc, examples).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh gdal-bin
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
# lib, binary, integration, example builds and doc tests (benches are only compiled, by clippy)
cargo test --quiet
