#!/usr/bin/env bash
# Renders `qpv report` (embedded Grand Belfort data) the way people see it: headless Chromium
# screenshots of the summary and of one fiche quartier, the PDF that "Print to PDF" gives,
# and one PDF page as PNG. Usage: bash scripts/report_check.sh [OUT_DIR] (default target/report_check).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/report_check}
mkdir -p "$out"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v convert >/dev/null 2>&1 || need+=(imagemagick)
if ((${#need[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y "${need[@]}"
fi
cargo build --quiet
qpv=target/debug/qpv
"$qpv" report -o "$out/rapport.html"
"$qpv" report --lang en -o "$out/report_en.html"
"$qpv" report -o "$out/rapport.json"
html=$(realpath "$out/rapport.html")
chrome() {
  local profile
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" "$@" \
    2>/dev/null
  rm -rf "$profile"
}
# The summary (first page) as a person sees it on screen.
chrome --screenshot="$out/summary_full.png" --window-size=1000,1500 "file://$html"
# The PDF a committee prints, and its pages as PNG.
chrome --print-to-pdf="$out/rapport.pdf" --no-pdf-header-footer "file://$html"
pages=$(pdfinfo "$out/rapport.pdf" | awk '/^Pages:/ {print $2}')
echo "PDF: $out/rapport.pdf, $pages pages"
pdftoppm -r 60 -png "$out/rapport.pdf" "$out/page"
# The fiche of Les Résidences (QN09004M): the page whose text names it as a fiche.
fiche_page=""
for p in $(seq 1 "$pages"); do
  if pdftotext -f "$p" -l "$p" "$out/rapport.pdf" - | grep -q "QN09004M" &&
     pdftotext -f "$p" -l "$p" "$out/rapport.pdf" - | grep -qi "fiche quartier"; then
    fiche_page=$p; break
  fi
done
echo "fiche QN09004M on PDF page $fiche_page"
pdftoppm -r 110 -png -f "$fiche_page" -l "$fiche_page" -singlefile "$out/rapport.pdf" "$out/fiche_QN09004M"
pdftoppm -r 110 -png -f 1 -l 1 -singlefile "$out/rapport.pdf" "$out/summary_page1"
echo "screenshots: $out/summary_full.png $out/summary_page1.png $out/fiche_QN09004M.png"
