#!/usr/bin/env python3
"""Deterministic messy-address generator for the geocoding bench (issue 12).

From a BANO CSV (no header: id, numero, voie, cp, commune, source, lat, lon), draws N address
points with a fixed seed and writes them the way hand-typed files do: complements before the
number or between the street and the postcode (Bât., Appt, Apt, Résidence, Chez, BP, CS, Esc.,
étage, Porte, parentheses), abbreviated street types, upper case, accents dropped, one typo
(two neighbouring letters swapped), postcode missing or wrong, repetition suffixes spelt
apart ("4 bis", "4 B"). 10 % of the drawn points are removed from the reference both engines
index: their numbers are absent, as in real files.

Writes DIR/reference.csv (BANO format, the reference to index), DIR/messy.csv
(id, adresse, true_lon, true_lat, absent) and DIR/addok.jsonl (the same reference as addok
documents: one street per line with its housenumbers).

Usage: gen_messy_addresses.py BANO.csv DIR [N] [SEED]
"""
import csv
import json
import random
import sys
import unicodedata
from collections import OrderedDict
from pathlib import Path

ABBREVIATIONS = {
    "Rue": ["R.", "R", "rue"],
    "Avenue": ["Av.", "Ave", "av"],
    "Boulevard": ["Bd", "Bld", "bd"],
    "Faubourg": ["Fbg", "Fg"],
    "Impasse": ["Imp.", "Imp"],
    "Place": ["Pl.", "Pl"],
    "Chemin": ["Ch.", "Chem."],
    "Allée": ["All.", "Allee"],
    "Route": ["Rte", "Rte."],
}
COMPLEMENTS = [
    "Bât. C", "Bat B", "Bâtiment 3", "Appt 12", "Apt 30", "Appartement n° 5", "Esc. 2",
    "3e étage", "Porte 5", "Résidence Les Lilas", "Rés. du Parc", "Chez M. Dupont",
    "c/o Mme Martin", "BP 20", "CS 10123", "TSA 40001", "(fond de cour)", "Logement 4",
]


def no_accents(s):
    return "".join(
        c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn"
    )


def typo(rng, name):
    words = name.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) < 5:
        return name
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def number_text(rng, numero):
    digits = "".join(c for c in numero if c.isdigit())
    suffix = numero[len(digits):]
    if not suffix:
        return digits
    spelt = {"BIS": ["bis", "BIS", "B"], "TER": ["ter", "TER", "T"]}.get(
        suffix.upper(), [suffix, suffix.lower()]
    )
    return digits + rng.choice(["", " "]) + rng.choice(spelt)


def messy(rng, row, postcodes):
    numero, voie, cp, commune = row[1], row[2], row[3], row[4]
    first, _, rest = voie.partition(" ")
    if first in ABBREVIATIONS and rng.random() < 0.4:
        voie = rng.choice(ABBREVIATIONS[first]) + " " + rest
    if rng.random() < 0.15:
        voie = typo(rng, voie)
    street = f"{number_text(rng, numero)} {voie}"
    r = rng.random()
    if r < 0.15:
        place = commune
    elif r < 0.22:
        wrong = rng.choice([p for p in postcodes if p != cp])
        place = f"{wrong} {commune}"
    else:
        place = f"{cp} {commune}"
    if rng.random() < 0.35:
        c = rng.choice(COMPLEMENTS)
        where = rng.random()
        if where < 0.4:
            street = f"{c}{rng.choice([', ', ' - ', ' '])}{street}"
        elif where < 0.8:
            street = f"{street}{rng.choice([', ', ' '])}{c}"
        else:
            place = f"{place} {c}"
    text = f"{street}{rng.choice([', ', ' '])}{place}"
    if rng.random() < 0.3:
        text = no_accents(text)
    if rng.random() < 0.3:
        text = text.upper()
    return text


def addok_documents(rows):
    streets = OrderedDict()
    for r in rows:
        key = (r[0].split("-")[0], r[2], r[3], r[4])
        s = streets.setdefault(key, {"points": [], "lat": [], "lon": []})
        s["points"].append(r)
    for (sid, voie, cp, commune), s in streets.items():
        pts = s["points"]
        mid = pts[(len(pts) - 1) // 2]
        yield {
            "id": sid + "_" + cp,
            "type": "street",
            "name": voie,
            "postcode": cp,
            "city": commune,
            "lat": float(mid[6]),
            "lon": float(mid[7]),
            "importance": 0.5,
            "housenumbers": {
                r[1]: {"lat": float(r[6]), "lon": float(r[7])} for r in pts
            },
        }


def main():
    bano, out = Path(sys.argv[1]), Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 2026
    rng = random.Random(seed)
    with open(bano, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r and r[1][:1].isdigit()]
    picked = rng.sample(range(len(rows)), n)
    absent = set(rng.sample(picked, n // 10))
    postcodes = sorted({r[3] for r in rows})
    out.mkdir(parents=True, exist_ok=True)
    reference = [r for i, r in enumerate(rows) if i not in absent]
    with open(out / "reference.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(reference)
    with open(out / "addok.jsonl", "w", encoding="utf-8") as f:
        for doc in addok_documents(reference):
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    with open(out / "messy.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "adresse", "true_lon", "true_lat", "absent"])
        for k, i in enumerate(picked):
            r = rows[i]
            w.writerow([k + 1, messy(rng, r, postcodes), r[7], r[6], int(i in absent)])


if __name__ == "__main__":
    main()
