#!/usr/bin/env python3
"""Geocoding bench (issue 12): addok (in-process, Python API) against `qpv geocode` on the
same messy addresses and the same reference. Run by scripts/bench_geocode.sh, which starts
Redis, indexes the reference in addok and sets ADDOK_CONFIG_MODULE.

Usage: bench.py QPV_BINARY DIR REPORT.md
DIR holds messy.csv and reference.csv (gen_messy_addresses.py). Accuracy is the distance from
the answer to the true point (the BANO point the address was written from, haversine on a
6,371,008.8 m sphere), counted within 1 / 25 / 100 m; "false housenumber" = an answer
labelled housenumber more than 25 m off. Throughput: addresses per second of the search loop
(addok) and of the whole `qpv geocode` run, index build included (qpv). The machine may be
shared, so the two alternate: 5 whole qpv runs (median kept) interleaved with addok's loop
cut into 4 consecutive quarters of the file (its time is their sum), so that a change of load
falls on both. Each qpv run is followed by one on the first address alone (start-up and index
build of the reference), whose median, taken from the whole run's, leaves qpv's search time.
"""
import csv
import datetime
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path


def haversine(lon1, lat1, lon2, lat2):
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def stats(rows, answers):
    """answers: id -> (lon, lat, is_housenumber) or None."""
    n = len(rows)
    s = {"n": n, "1m": 0, "25m": 0, "100m": 0, "not_found": 0, "false_hn": 0}
    for r in rows:
        a = answers.get(r["id"])
        if a is None:
            s["not_found"] += 1
            continue
        d = haversine(a[0], a[1], float(r["true_lon"]), float(r["true_lat"]))
        s["1m"] += d <= 1
        s["25m"] += d <= 25
        s["100m"] += d <= 100
        s["false_hn"] += a[2] and d > 25
    return s


def addok_search():
    from addok.config import config

    config.load()
    from addok.core import search

    return search


def addok_chunk(search, rows, answers):
    """Geocodes rows with addok, first result only; returns the seconds spent."""
    started = time.perf_counter()
    for r in rows:
        found = search(r["adresse"], limit=1)
        if found:
            f = found[0].format()
            lon, lat = f["geometry"]["coordinates"]
            answers[r["id"]] = (lon, lat, f["properties"]["type"] == "housenumber")
    return time.perf_counter() - started


def qpv_run(binary, directory, name="messy.csv", out="qpv_out.csv"):
    """One whole `qpv geocode` run of DIR/name; returns the seconds spent."""
    args = [binary, "-q", "geocode", str(directory / name), "--address-column",
            "adresse", "--reference", str(directory / "reference.csv"),
            "--reference-format", "bano", "-o", str(directory / out)]
    started = time.perf_counter()
    subprocess.run(args, check=True)
    return time.perf_counter() - started


def qpv_answers(directory):
    answers = {}
    with open(directory / "qpv_out.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["lon"]:
                answers[r["id"]] = (float(r["lon"]), float(r["lat"]), r["precision"] == "housenumber")
    return answers


def run_both(binary, directory, rows):
    """qpv, addok quarter, qpv, …, qpv: 5 qpv runs around 4 addok quarters. Each qpv run is
    followed by a run on the first address alone (index build and start-up), so that qpv's
    search rate can be told from its whole-run rate."""
    with open(directory / "messy.csv", encoding="utf-8") as f:
        (directory / "one.csv").write_text("".join(f.readlines()[:2]), encoding="utf-8")
    search = addok_search()
    a_answers, a_time, q_times, one_times = {}, 0.0, [], []

    def qpv_pair():
        q_times.append(qpv_run(binary, directory))
        one_times.append(qpv_run(binary, directory, "one.csv", "one_out.csv"))

    quarters = [rows[i * len(rows) // 4:(i + 1) * len(rows) // 4] for i in range(4)]
    for quarter in quarters:
        qpv_pair()
        a_time += addok_chunk(search, quarter, a_answers)
    qpv_pair()
    return qpv_answers(directory), q_times, one_times, a_answers, a_time


def git_commit(directory):
    out = subprocess.run(["git", "-C", str(directory), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(directory), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def main():
    binary, directory, report = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    with open(directory / "messy.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    q_answers, q_times, one_times, a_answers, a_time = run_both(binary, directory, rows)
    q_time, one_time = statistics.median(q_times), statistics.median(one_times)
    search_time = max(q_time - one_time, 1e-9)
    q, a = stats(rows, q_answers), stats(rows, a_answers)
    pct = lambda s, k: 100.0 * s[k] / s["n"]
    lines = [
        f"# Geocoding bench — {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H%M%SZ}",
        "",
        f"{len(rows)} messy addresses (scripts/bench_geocode/gen_messy_addresses.py, seed "
        f"{os.environ.get('BENCH_SEED', '2026')}, "
        f"{sum(r['absent'] == '1' for r in rows)} numbers absent from the reference), "
        f"reference: geodata/bano-90.csv minus those points. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, shared with other jobs (timings are noisy).",
        "",
        "| engine | within 1 m | within 25 m | within 100 m | not found | false housenumber (> 25 m) | addresses/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s, t in [("qpv geocode", q, q_time), ("addok 1.3.2 + addok-fr + addok-france", a, a_time)]:
        lines.append(
            f"| {name} | {pct(s, '1m'):.1f} % | {pct(s, '25m'):.1f} % | {pct(s, '100m'):.1f} % "
            f"| {s['not_found']} | {s['false_hn']} | {s['n'] / t:,.0f} |"
        )
    lines += [
        "",
        f"qpv ahead by {pct(q, '25m') - pct(a, '25m'):.1f} points within 25 m; throughput "
        f"ratio {(q['n'] / q_time) / (a['n'] / a_time):.0f}x whole runs, "
        f"{(q['n'] / search_time) / (a['n'] / a_time):.0f}x search alone "
        f"(qpv: median of 5 whole runs, index build of the reference included, {q_time:.3f} s "
        f"(runs: {', '.join(f'{t:.3f}' for t in q_times)}); the same on one address, i.e. "
        f"start-up and index build, {one_time:.3f} s (runs: "
        f"{', '.join(f'{t:.3f}' for t in one_times)}), so {q['n'] / search_time:,.0f} "
        f"addresses/s searching; addok: in-process search loop, "
        f"{a_time:.1f} s in 4 quarters alternating with the qpv runs, index already built in "
        f"Redis). qpv: {subprocess.run([binary, '--version'], capture_output=True, text=True).stdout.strip()}, "
        f"commit {git_commit(directory)}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
