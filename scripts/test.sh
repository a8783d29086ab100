#!/usr/bin/env bash
# Every check CI runs: formatting, lints, documentation links, and all tests (unit,
# integration, property, doc and example builds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh gdal-bin
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
# lib, binary, integration, example builds and doc tests (benches are only compiled, by clippy)
cargo test --quiet
