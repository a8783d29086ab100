#!/usr/bin/env python3
"""Independent IoU of `qpv simulate`'s zones with the 2024 QPV, by shapely/GeoPandas on the
GeoJSON outputs (reprojected to EPSG:2154 by pyproj): for each QPV, the best IoU with any
simulated zone. Writes the JSON that tests/simulate_iou.rs checks.

    simulate_iou.py OUT.json 2015=target/simiou/2015/simulated_zones.geojson 2019=...
"""
import json
import sys

import geopandas as gpd

qpv = gpd.read_file("geodata/qpv_2024_territoire_de_belfort.geojson").to_crs(2154)
out = {}
for arg in sys.argv[2:]:
    year, path = arg.split("=")
    sim = gpd.read_file(path).to_crs(2154)
    rows = {}
    for _, q in qpv.sort_values("code_qp").iterrows():
        best = 0.0
        for _, s in sim.iterrows():
            inter = q.geometry.intersection(s.geometry).area
            union = q.geometry.area + s.geometry.area - inter
            best = max(best, inter / union if union > 0 else 0.0)
        rows[q["code_qp"]] = round(best, 6)
    out[year] = rows
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
print(json.dumps(out, indent=1, sort_keys=True))
