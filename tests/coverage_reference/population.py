"""Independent reference for the population-weighted coverage of tests/coverage_embedded.rs.

Areal interpolation done with shapely/GEOS (not the Rust code): each Filosofi 200 m cell (its 4
EPSG:3035 corners reprojected to Lambert-93) gives ind × area(cell ∩ part) / area(cell); the
covered part is zone ∩ union of exact-ish buffers (256 segments per quarter circle).

Run: python3 -W ignore tests/coverage_reference/population.py > tests/coverage_reference/population.tsv
"""
import csv, json
from pyproj import Transformer
from shapely.geometry import shape, Point, Polygon
from shapely.ops import transform, unary_union

NATURE = {"101": "ecole_maternelle", "151": "ecole_elementaire", "340": "college",
          "300": "lycee", "320": "lycee"}
t = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
g3035 = Transformer.from_crs("EPSG:3035", "EPSG:2154", always_xy=True)
zones = sorted((f["properties"]["code_qp"], transform(t.transform, shape(f["geometry"])))
               for f in json.load(open("geodata/qpv_2024_territoire_de_belfort.geojson"))["features"])
fac = []
with open("geodata/annuaire_education_territoire_de_belfort.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh, delimiter=";"):
        if r["code_nature"] in NATURE:
            fac.append((NATURE[r["code_nature"]], float(r["coordX_origine"]), float(r["coordY_origine"])))
cells = []
with open("geodata/filosofi2015_200m_belfort_offemont.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        x, y = float(r["x_laea"]), float(r["y_laea"])
        ring = [g3035.transform(a, b) for a, b in ((x, y), (x + 200, y), (x + 200, y + 200), (x, y + 200))]
        cells.append((Polygon(ring), float(r["Ind"])))

def people(part):
    return sum(ind * c.intersection(part).area / c.area for c, ind in cells if c.intersects(part))

for D in (300.0,):
    for code, g in zones:
        total = people(g)
        for cat in sorted(set(c for c, _, _ in fac)):
            discs = [Point(x, y).buffer(D, quad_segs=256) for c, x, y in fac if c == cat and g.distance(Point(x, y)) <= D]
            covered = g.intersection(unary_union(discs)) if discs else Polygon()
            part = people(covered) if discs else 0.0
            print(f"{code}\t{cat}\t{int(D)}\t{total:.2f}\t{part:.2f}\t{part / total if total else 0:.4f}\t{covered.area / g.area:.6f}")
