#!/usr/bin/env python3
"""Reference objective values of MCLP and LSCP on a covering instance, by spopt solved with
CBC (bundled with PuLP). Independent of qpv: only the instance files are shared.

    site_reference.py generate DIR N_DEMAND N_CANDIDATES SEED   # writes DIR/demand.csv, candidates.csv
    site_reference.py solve DIR DISTANCE K [--lscp] [--json OUT]  # prints the objectives

The instance: points in a 10 km square, demand clustered around 8 centres (as people are),
integer weights 1-400; candidates uniform. Coverage rule: Euclidean distance <= DISTANCE,
spopt's rule (cost matrix <= service radius).
"""
import csv
import json
import sys
import time

import numpy as np


def generate(out, n_demand, n_cand, seed):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(1000, 9000, size=(8, 2))
    which = rng.integers(0, 8, size=n_demand)
    pts = centres[which] + rng.normal(0, 900, size=(n_demand, 2))
    # Round to the centimetre so that both sides read the very same numbers.
    pts = np.round(pts, 2)
    w = rng.integers(1, 401, size=n_demand)
    cand = np.round(rng.uniform(0, 10000, size=(n_cand, 2)), 2)
    with open(f"{out}/demand.csv", "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["id", "x", "y", "weight"])
        for i, (p, wi) in enumerate(zip(pts, w)):
            wr.writerow([f"d{i}", f"{p[0]:.2f}", f"{p[1]:.2f}", int(wi)])
    with open(f"{out}/candidates.csv", "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["id", "x", "y"])
        for j, c in enumerate(cand):
            wr.writerow([f"c{j}", f"{c[0]:.2f}", f"{c[1]:.2f}"])


def read(d):
    dem = np.loadtxt(f"{d}/demand.csv", delimiter=",", skiprows=1, usecols=(1, 2, 3))
    cand = np.loadtxt(f"{d}/candidates.csv", delimiter=",", skiprows=1, usecols=(1, 2))
    return dem[:, :2], dem[:, 2], cand


def solve(d, distance, k, lscp, out):
    import pulp
    from spopt.locate import LSCP, MCLP

    t0 = time.perf_counter()
    pts, w, cand = read(d)
    diff = pts[:, None, :] - cand[None, :, :]
    cost = np.sqrt((diff**2).sum(axis=2))
    solver = pulp.PULP_CBC_CMD(msg=False)
    m = MCLP.from_cost_matrix(cost, w, service_radius=distance, p_facilities=k, name="mclp")
    m = m.solve(solver)
    covered = float(pulp.value(m.problem.objective))
    result = {"distance": distance, "k": k, "mclp_objective": covered}
    if lscp:
        # LSCP needs every demand point reachable: keep those some candidate reaches.
        reach = (cost <= distance).any(axis=1)
        s = LSCP.from_cost_matrix(cost[reach], service_radius=distance, name="lscp")
        s = s.solve(solver)
        result["lscp_objective"] = int(round(pulp.value(s.problem.objective)))
        result["lscp_unreachable"] = int((~reach).sum())
    result["seconds"] = round(time.perf_counter() - t0, 3)
    text = json.dumps(result, indent=1)
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "generate":
        generate(a[1], int(a[2]), int(a[3]), int(a[4]))
    else:
        js = a[a.index("--json") + 1] if "--json" in a else None
        solve(a[1], float(a[2]), int(a[3]), "--lscp" in a, js)
