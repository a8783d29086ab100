"""Independent reference for the `qpv locate` test on BANO (tests/coverage_cli.rs): shapely
intersects / boundary distance over the 7 QPV, tolerance 25 m.

Run: python3 -W ignore tests/coverage_reference/locate_bano.py
"""
import csv, json, collections
from pyproj import Transformer
from shapely.geometry import shape, Point
from shapely.ops import transform

t = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
zones = sorted((f["properties"]["code_qp"], transform(t.transform, shape(f["geometry"])))
               for f in json.load(open("geodata/qpv_2024_territoire_de_belfort.geojson"))["features"])
counts = collections.Counter()
per_zone = collections.Counter()
with open("geodata/bano-90.csv", encoding="utf-8") as fh:
    for row in csv.reader(fh):
        x, y = t.transform(float(row[7]), float(row[6]))
        p = Point(x, y)
        inside = [c for c, g in zones if g.intersects(p)]
        d = min(g.boundary.distance(p) for _, g in zones)
        status = "near" if d <= 25 else ("inside" if inside else "outside")
        counts[status] += 1
        counts["in_zone"] += bool(inside)
        if inside:
            per_zone[(inside[0], status)] += 1
print(dict(counts))
print(sorted(per_zone.items()))
