#!/usr/bin/env python3
"""Which embedded communes touch, and how far apart their address centres are (issue 12: the
fallback to neighbouring communes uses centre distance, NEIGHBOUR_KM = 6 km; this checks that
every pair of touching communes is within it). Pure Python, independent of qpv: the outlines of
geodata/communes_grand_belfort.geojson and the points of geodata/bano-90.csv in a local
equirectangular projection (metres; exact enough at 10 km for a 50 m / 6 km test).

Two communes touch when some vertex of one lies within 50 m of a boundary segment of the other
(the outlines are simplified: shared borders do not coincide exactly). A commune's centre is the
mean of its BANO points (INSEE code = first 5 characters of the BANO id).

Usage: python3 scripts/bench_geocode/commune_adjacency.py   (from the repository root)
Prints the counts quoted in tests/geocode_neighbours.rs.
"""
import csv
import json
import math
from collections import defaultdict

LAT0 = math.radians(47.6)


def proj(lon, lat):
    return (lon * 111320 * math.cos(LAT0), lat * 110574)


def seg_distance(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0 if length2 == 0 else max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def boundary_distance(rings_a, rings_b):
    best = math.inf
    for ra in rings_a:
        for rb in rings_b:
            for p in ra:
                for i in range(len(rb) - 1):
                    best = min(best, seg_distance(p, rb[i], rb[i + 1]))
    return best


def main():
    with open("geodata/communes_grand_belfort.geojson", encoding="utf-8") as f:
        layer = json.load(f)
    rings = {}
    for feature in layer["features"]:
        g = feature["geometry"]
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings[feature["properties"]["insee"]] = [
            [proj(*c) for c in ring] for polygon in polygons for ring in polygon
        ]
    sums = defaultdict(lambda: [0.0, 0.0, 0])
    with open("geodata/bano-90.csv", encoding="utf-8") as f:
        for row in csv.reader(f):
            x, y = proj(float(row[7]), float(row[6]))
            s = sums[row[0][:5]]
            s[0] += x
            s[1] += y
            s[2] += 1
    centre = {k: (v[0] / v[2], v[1] / v[2]) for k, v in sums.items()}
    codes = sorted(rings)
    touching, within_6km = [], 0
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            d = math.dist(centre[a], centre[b])
            within_6km += d <= 6000
            if boundary_distance(rings[a], rings[b]) < 50:
                touching.append((a, b, d))
    print(f"communes with an outline: {len(codes)}; communes in BANO 90: {len(centre)}")
    print(f"touching pairs: {len(touching)}; pairs with centres within 6 km: {within_6km}")
    far = max(touching, key=lambda t: t[2])
    print(f"touching pairs with centres over 6 km apart: {sum(t[2] > 6000 for t in touching)}")
    print(f"largest centre distance of touching communes: {far[2]:.0f} m ({far[0]}-{far[1]})")


if __name__ == "__main__":
    main()
