"""Independent reference for tests/coverage_embedded.rs (shapely + pyproj, not the Rust code).

Counts: exact distances from shapely (point to polygon, 0 inside). Area shares: fine sampling of
each zone on a regular 5 m lattice (a point is covered when some facility of the category is
within D of it), so it shares no polygon-buffer code with the Rust implementation.

Run: pip install shapely pyproj numpy
     python3 -W ignore tests/coverage_reference/compute.py 2 > tests/coverage_reference/expected_2m.tsv
"""
import csv, json, sys
import numpy as np
from pyproj import Transformer
from shapely.geometry import shape, Point
from shapely.ops import transform
from shapely import contains_xy

NATURE = {"101": "ecole_maternelle", "151": "ecole_elementaire", "340": "college",
          "300": "lycee", "320": "lycee"}
t = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
zones = []
for f in json.load(open("geodata/qpv_2024_territoire_de_belfort.geojson"))["features"]:
    g = transform(t.transform, shape(f["geometry"]))
    zones.append((f["properties"]["code_qp"], f["properties"]["lib_qp"], g))
zones.sort()
fac = []
with open("geodata/annuaire_education_territoire_de_belfort.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh, delimiter=";"):
        if r["code_nature"] in NATURE:
            fac.append((r["Identifiant_de_l_etablissement"], NATURE[r["code_nature"]],
                        float(r["coordX_origine"]), float(r["coordY_origine"])))
cats = sorted(set(c for _, c, _, _ in fac))
STEP = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
for D in (300.0, 500.0):
    for code, name, g in zones:
        minx, miny, maxx, maxy = g.bounds
        xs = np.arange(minx + STEP / 2, maxx, STEP)
        ys = np.arange(miny + STEP / 2, maxy, STEP)
        X, Y = np.meshgrid(xs, ys)
        X, Y = X.ravel(), Y.ravel()
        m = contains_xy(g, X, Y)
        X, Y = X[m], Y[m]
        for c in cats:
            ds = sorted((round(g.distance(Point(x, y)), 2), i) for i, cc, x, y in fac if cc == c)
            inside = sum(1 for d, _ in ds if d == 0)
            within = [(i, d) for d, i in ds if d <= D]
            pts = [(x, y) for i, cc, x, y in fac if cc == c and g.distance(Point(x, y)) <= D]
            cov = np.zeros(len(X), dtype=bool)
            for x, y in pts:
                cov |= (X - x) ** 2 + (Y - y) ** 2 <= D * D
            share = cov.mean() if len(X) else 0.0
            print(f"{code}\t{c}\t{int(D)}\t{inside}\t{len(within)}\t{ds[0][1]}\t{ds[0][0]:.2f}\t{share:.4f}\t"
                  + ",".join(f"{i}:{d:.2f}" for i, d in within))
