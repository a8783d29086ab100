"""Independent reference for `qpv locate --addresses` (tests/locate_addresses_cli.rs).

Input: the positions `qpv geocode` gives (x, y, precision, matched), not the locate code. Status
from shapely over the 7 QPV (tolerance 25 m, boundary distance); geocoding uncertainty recomputed
from BANO itself: `street` = farthest point of the street from the returned point;
`interpolated` = farther of the two same-parity neighbours; needs_check = approximate position
and (near, or boundary within that uncertainty).

Run: for f in addresses_messy addresses_association; do
       qpv -q geocode tests/data/$f.csv -o /tmp/$f.geocoded.csv; done
     python3 -W ignore tests/coverage_reference/locate_addresses.py /tmp/addresses_messy.geocoded.csv \
       /tmp/addresses_association.geocoded.csv
"""
import csv, json, math, re, sys, collections
from pyproj import Transformer
from shapely.geometry import shape, Point
from shapely.ops import transform

t = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
zones = sorted((f["properties"]["code_qp"], transform(t.transform, shape(f["geometry"])))
               for f in json.load(open("geodata/qpv_2024_territoire_de_belfort.geojson"))["features"])
streets = collections.defaultdict(list)  # (voie, commune) -> [(number, rep, x, y)]
with open("geodata/bano-90.csv", encoding="utf-8") as fh:
    for row in csv.reader(fh):
        m = re.match(r"(\d+)(.*)", row[1])
        x, y = t.transform(float(row[7]), float(row[6]))
        streets[(row[2], row[4])].append((int(m.group(1)), m.group(2).strip().upper(), x, y))


def uncertainty(precision, matched, x, y):
    name, _, locality = matched.rpartition(", ")
    commune = locality.split(" ", 1)[1]
    if precision == "street":
        pts = streets[(name, commune)]
        return max(math.hypot(px - x, py - y) for _, _, px, py in pts)
    number, street = name.split(" ", 1)
    n = int(number)
    pts = streets[(street, commune)]

    def at(k):  # plain-number point, else the first indexed variant
        cands = sorted((rep != "", rep, px, py) for nn, rep, px, py in pts if nn == k)
        return cands[0][2], cands[0][3]

    lo = max(k for k, _, _, _ in pts if k < n and k % 2 == n % 2)
    hi = min(k for k, _, _, _ in pts if k > n and k % 2 == n % 2)
    return max(math.hypot(at(k)[0] - x, at(k)[1] - y) for k in (lo, hi))


for path in sys.argv[1:]:
    print(path)
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rid = r.get("id") or r.get("Dossier")
            if r["precision"] == "not_found":
                print(f"  {rid}\tnot_geocoded\t-\t-\tfalse")
                continue
            x, y = float(r["x"]), float(r["y"])
            p = Point(x, y)
            inside = [c for c, g in zones if g.intersects(p)]
            d = min(g.boundary.distance(p) for _, g in zones)
            signed = -d if inside else d
            status = "near" if d <= 25 else ("inside" if inside else "outside")
            check = False
            if r["precision"] in ("street", "interpolated"):
                u = uncertainty(r["precision"], r["matched"], x, y)
                check = status == "near" or d <= u
            print(f"  {rid}\t{status}\t{inside[0] if inside else '-'}\t{signed:.2f}\t{str(check).lower()}")
