#!/usr/bin/env bash
# Installs what qpv needs on Debian 12 (GDAL 3.6, PROJ 9.1, libclang for bindgen), only when
# missing. Pass extra package names as arguments (the tests add gdal-bin for ogrinfo).
set -euo pipefail
packages=(libgdal-dev libproj-dev libclang-dev pkg-config "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "qpv setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "qpv setup: cargo not found; install Rust (rustup) first" >&2
  exit 1
fi
