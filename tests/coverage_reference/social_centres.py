"""The two embedded social centres placed independently from BANO (not through the Rust
geocoder), for compute.py and population.py:
- "13 rue Danton, 90000 Belfort": BANO has no 13 and both odd neighbours are missing on one
  side, so the position is the street's median address point (lower median of the points sorted
  by number, repetition index, file line);
- "4 rue de Madrid, 90000 Belfort": between the same-parity neighbours 2 and 6, at (4-2)/(6-2).
"""
import csv, re
from pyproj import Transformer

_t = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def _street(name, commune):
    pts = []
    with open("geodata/bano-90.csv", encoding="utf-8") as fh:
        for line, row in enumerate(csv.reader(fh)):
            if row[2] == name and row[4] == commune:
                m = re.match(r"(\d+)(.*)", row[1])
                x, y = _t.transform(float(row[7]), float(row[6]))
                pts.append((int(m.group(1)), m.group(2).strip().upper(), line, x, y))
    return sorted(pts)


def social_centres():
    danton = _street("Rue Danton", "Belfort")
    median = danton[(len(danton) - 1) // 2]
    madrid = {(n, rep): (x, y) for n, rep, _, x, y in _street("Rue de Madrid", "Belfort")}
    a, b = madrid[(2, "")], madrid[(6, "")]
    return [
        ("social_centre:centre-culturel-et-social-de-la-pepiniere-michel-legrand", median[3], median[4]),
        ("social_centre:centre-culturel-et-social-des-residences-bellevue",
         a[0] + (b[0] - a[0]) * 0.5, a[1] + (b[1] - a[1]) * 0.5),
    ]


if __name__ == "__main__":
    for c in social_centres():
        print(c)
