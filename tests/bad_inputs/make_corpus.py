#!/usr/bin/env python3
"""Writes the bad-input corpus used by tests/io_bad_inputs.rs.

Every coordinate comes from the real embedded data (geodata/): vertices of the QPV QN09001I
perimeter, schools of the Annuaire de l'education, Filosofi cells; they are only broken
(cut, swapped, duplicated, mis-declared) here. Run from the repository root:
    python3 tests/bad_inputs/make_corpus.py
"""
import csv, json, os, subprocess

OUT = "tests/bad_inputs"
qpv_text = open("geodata/qpv_2024_territoire_de_belfort.geojson", encoding="utf-8").read()
qpv = json.loads(qpv_text)
f0 = qpv["features"][0]
props = f0["properties"]
ring = f0["geometry"]["coordinates"][0][0]           # closed, 77 positions (lon, lat)
schools = list(csv.DictReader(open("geodata/annuaire_education_territoire_de_belfort.csv", encoding="utf-8"), delimiter=";"))
grid_lines = open("geodata/filosofi2015_200m_belfort_offemont.csv", encoding="utf-8").read().splitlines()


def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(OUT, name), mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(data)


def fc(features, crs=None):
    d = {"type": "FeatureCollection", "features": features}
    if crs:
        d["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(d)


def feat(geometry, **p):
    return {"type": "Feature", "properties": dict(props, **p), "geometry": geometry}


def mpoly(r):
    return {"type": "MultiPolygon", "coordinates": [[r]]}


def to_l93(points):
    txt = "".join(f"{lat} {lon}\n" for lon, lat in points)
    out = subprocess.run(["cs2cs", "-f", "%.2f", "EPSG:4326", "EPSG:2154"], input=txt, capture_output=True, text=True, check=True).stdout
    return [[float(v) for v in line.split()[:2]] for line in out.splitlines()]


# --- GeoJSON loaded as zones ---------------------------------------------------------------
write("truncated.geojson", qpv_text[:1500])
write("points_as_zones.geojson", fc([feat({"type": "Point", "coordinates": ring[0]})]))
write("linestring_as_zones.geojson", fc([feat({"type": "LineString", "coordinates": ring[:10]})]))
write("unclosed_ring.geojson", fc([feat(mpoly(ring)), feat(mpoly(ring[:-1]), code_qp="QN09002M")]))
# West-most, east-most, south-most, north-most vertices joined in that order: the W-E and S-N
# edges cross.
west, east = min(ring, key=lambda c: c[0]), max(ring, key=lambda c: c[0])
south, north = min(ring, key=lambda c: c[1]), max(ring, key=lambda c: c[1])
bowtie = [west, east, south, north, west]
write("self_intersecting.geojson", fc([feat({"type": "Polygon", "coordinates": [bowtie]})]))
# Two lobes joined at one vertex (a "figure eight", a quarter drawn as two blocks touching at a
# corner): west, south, the vertex nearest the box's centre, east, north, that vertex again.
centre = ((west[0] + east[0]) / 2, (south[1] + north[1]) / 2)
pinch = min(ring, key=lambda c: (c[0] - centre[0]) ** 2 + (c[1] - centre[1]) ** 2)
lobes = [west, south, pinch, east, north, pinch, west]
write("touching_lobes.geojson", fc([feat({"type": "Polygon", "coordinates": [lobes]})]))
write("empty_collection.geojson", fc([]))
write("nan_coordinate.geojson", fc([feat(mpoly(ring))]).replace(str(ring[5][0]), "NaN", 1))
write("infinity_coordinate.geojson", fc([feat(mpoly(ring))]).replace(str(ring[5][0]), "Infinity", 1))
write("swapped_axes.geojson", fc([feat(mpoly([[lat, lon] for lon, lat in ring]))]))
write("metres_as_degrees.geojson", fc([feat(mpoly(to_l93(ring)))]))
write("degrees_as_metres.geojson", fc([feat(mpoly(ring))], crs="urn:ogc:def:crs:EPSG::2154"))
write("duplicate_codes.geojson", fc([feat(mpoly(ring)), feat(mpoly(ring))]))
write("missing_code_field.geojson", fc([{"type": "Feature", "properties": {"nom": "Bougenel - Mulhouse"}, "geometry": mpoly(ring)}]))
write("empty_geometry.geojson", fc([feat(mpoly(ring)), feat({"type": "MultiPolygon", "coordinates": []}, code_qp="QN09002M")]))
write("null_geometry.geojson", fc([feat(mpoly(ring)), feat(mpoly(ring), code_qp="QN09002M"), feat(None, code_qp="QN09003I")]))
write("short_position.geojson", fc([feat(mpoly([ring[0], [ring[1][0]]] + ring[2:]))]))
write("ring_too_short.geojson", fc([feat(mpoly([ring[0], ring[1], ring[0]]))]))
write("bad_crs_member.geojson", fc([feat(mpoly(ring))], crs="urn:ogc:def:crs:EPSG::Lambert"))
write("many_problems.geojson", fc([
    feat(mpoly(ring)),
    feat(mpoly(ring[:-1]), code_qp="QN09002M"),
    feat({"type": "Point", "coordinates": ring[0]}, code_qp="QN09003I"),
    feat(mpoly(ring)),
    feat({"type": "Polygon", "coordinates": [bowtie]}, code_qp="QN09005M"),
]))
write("not_geojson.json", json.dumps({"features": [], "name": "QPV"}))
write("binary_garbage.geojson", bytes(range(256)) * 4)
write("empty.geojson", b"")

# --- CSV loaded as points / facilities -------------------------------------------------------
s = schools[:4]
def lonlat_rows(rows, fmt=lambda r: (r["longitude"], r["latitude"])):
    return "".join(f"{r['Identifiant_de_l_etablissement']},{fmt(r)[0]},{fmt(r)[1]}\n" for r in rows)
write("empty.csv", b"")
write("header_only.csv", "id,name,category,longitude,latitude\n")
write("missing_coordinates.csv", "id,name,category,commune\n" + "".join(f"{r['Identifiant_de_l_etablissement']},{r['Nom_etablissement']},lycee,{r['Nom_commune']}\n" for r in s))
write("unknown_separator.csv", "id:longitude:latitude\n" + "".join(f"{r['Identifiant_de_l_etablissement']}:{r['longitude']}:{r['latitude']}\n" for r in s))
write("binary_garbage.csv", bytes(range(256)) * 4)
write("nan_coordinate.csv", "id,longitude,latitude\n" + lonlat_rows(s[:1]) + f"{s[1]['Identifiant_de_l_etablissement']},NaN,{s[1]['latitude']}\n")
write("infinity_coordinate.csv", "id;longitude;latitude\n" + f"{s[0]['Identifiant_de_l_etablissement']};{s[0]['longitude']};inf\n")
write("swapped_latlon.csv", "id,longitude,latitude\n" + lonlat_rows(s[:1], lambda r: (r["latitude"], r["longitude"])))
write("metres_in_lonlat.csv", "id,longitude,latitude\n" + lonlat_rows(s[:2]) + lonlat_rows(s[2:3], lambda r: (r["coordX_origine"], r["coordY_origine"])))
write("degrees_in_xy_epsg2154.csv", "id,x,y,EPSG\n" + "".join(f"{r['Identifiant_de_l_etablissement']},{r['longitude']},{r['latitude']},EPSG:2154\n" for r in s[:1]))
write("bad_number.csv", "id;x;y;epsg\n" + "".join(f"{r['Identifiant_de_l_etablissement']};{r['coordX_origine']};{r['coordY_origine']};2154\n" for r in s[:2]) + f"{s[2]['Identifiant_de_l_etablissement']};{s[2]['coordX_origine']};abc;2154\n")
write("short_row.csv", "id,longitude,latitude\n" + lonlat_rows(s[:1]) + f"{s[1]['Identifiant_de_l_etablissement']},{s[1]['longitude']}\n")
write("extra_field.csv", "id,longitude,latitude\n" + lonlat_rows(s[:1]) + f"{s[1]['Identifiant_de_l_etablissement']},{s[1]['longitude']},{s[1]['latitude']},Lycée Courbet\n")
write("bad_epsg.csv", "id,x,y,EPSG\n" + "".join(f"{r['Identifiant_de_l_etablissement']},{r['coordX_origine']},{r['coordY_origine']},EPSG:Lambert\n" for r in s[:1]))
write("empty_coordinate.csv", "id,longitude,latitude\n" + lonlat_rows(s[:2]) + f"{s[2]['Identifiant_de_l_etablissement']},,\n")
dup = s[:3] + [s[1]]
write("duplicate_ids.csv", "id,name,category,longitude,latitude\n" + "".join(f"{r['Identifiant_de_l_etablissement']},{r['Nom_etablissement']},school,{r['longitude']},{r['latitude']}\n" for r in dup))
write("empty_category.csv", "id,name,category,longitude,latitude\n" + "".join(f"{r['Identifiant_de_l_etablissement']},{r['Nom_etablissement']},{'' if i == 1 else 'school'},{r['longitude']},{r['latitude']}\n" for i, r in enumerate(s[:2])))
write("no_category_column.csv", "id,name,longitude,latitude\n" + "".join(f"{r['Identifiant_de_l_etablissement']},{r['Nom_etablissement']},{r['longitude']},{r['latitude']}\n" for r in s[:2]))
write("polygon_as_points.geojson", fc([feat(mpoly(ring))]))

# --- Filosofi grid -----------------------------------------------------------------------------
head, rows = grid_lines[0], grid_lines[1:]
write("grid_missing_column.csv", "\n".join([head.replace(",Men_pauv", "")] + [",".join(c for i, c in enumerate(r.split(",")) if i != 5) for r in rows[:3]]) + "\n")
write("grid_bad_id.csv", "\n".join([head, rows[0], "cell-2" + rows[1][rows[1].index(","):]]) + "\n")
def swap_xy(r):
    c = r.split(","); c[1], c[2] = c[2], c[1]; return ",".join(c)
write("grid_swapped_corner.csv", "\n".join([head, rows[0], rows[1], swap_xy(rows[2])]) + "\n")
def neg(r):
    c = r.split(","); c[3] = "-" + c[3]; return ",".join(c)
write("grid_negative_count.csv", "\n".join([head, neg(rows[0])]) + "\n")
write("grid_header_only.csv", head + "\n")
write("grid_duplicate_cell.csv", "\n".join([head, rows[0], rows[1], rows[0]]) + "\n")

# --- GDAL ----------------------------------------------------------------------------------------
write("garbage.gpkg", b"SQLite format 3\x00" + bytes(range(256)) * 8)
write("garbage.shp", bytes(range(256)) * 4)
