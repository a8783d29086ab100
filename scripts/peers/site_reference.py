#!/usr/bin/env python3
"""Reference objective values of MCLP and LSCP on a covering instance, by spopt solved with
CBC (bundled with PuLP). Independent of qpv: only the instance files are shared.

    site_reference.py generate DIR N_DEMAND N_CANDIDATES SEED   # writes DIR/demand.csv, candidates.csv
    site_reference.py grid DIR COPIES SEED MIN_IND               # the same, from the Filosofi grid
    site_reference.py solve DIR DISTANCE K [--lscp] [--json OUT] [--time-limit S] [--relax]

The instance: points in a 10 km square, demand clustered around 8 centres (as people are),
integer weights 1-400; candidates uniform. Coverage rule: Euclidean distance <= DISTANCE,
spopt's rule (cost matrix <= service radius).
"""
import csv
import json
import re
import shutil
import sys
import tempfile
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


def generate_grid(out, copies, seed, min_ind):
    """Demand = the 200 m cells of the Filosofi 2019 grid of Grand Belfort (committed in
    geodata/), `copies` times side by side (the next copy 200 m east of the previous one's
    box), each cell's inhabitants multiplied by a log-normal factor (sigma 0.25, seeded) and
    rounded (at least 1), so that the copies are not identical; candidates = the centres of
    the cells with at least `min_ind` inhabitants (places dense enough to host a facility).
    Coordinates: cell centres, metres, origin at the box's corner."""
    rng = np.random.default_rng(seed)
    with open("geodata/filosofi2019_200m_grand_belfort.csv", newline="") as f:
        src = list(csv.DictReader(f))
    x = np.array([float(r["x_laea"]) for r in src])
    y = np.array([float(r["y_laea"]) for r in src])
    ind = np.array([float(r["Ind"]) for r in src])
    width = x.max() - x.min() + 200
    dem, cand = [], []
    for c in range(copies):
        w = np.maximum(1, np.rint(ind * rng.lognormal(0.0, 0.25, size=len(src)))).astype(int)
        cx = x - x.min() + c * width + 100
        cy = y - y.min() + 100
        for i in range(len(src)):
            dem.append((cx[i], cy[i], w[i]))
            if w[i] >= min_ind:
                cand.append((cx[i], cy[i]))
    with open(f"{out}/demand.csv", "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["id", "x", "y", "weight"])
        for i, (a, b, w) in enumerate(dem):
            wr.writerow([f"d{i}", f"{a:.0f}", f"{b:.0f}", int(w)])
    with open(f"{out}/candidates.csv", "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["id", "x", "y"])
        for j, (a, b) in enumerate(cand):
            wr.writerow([f"c{j}", f"{a:.0f}", f"{b:.0f}"])
    print(f"{len(dem)} demand cells ({sum(d[2] for d in dem)} inhabitants), {len(cand)} candidates")


def read(d):
    dem = np.loadtxt(f"{d}/demand.csv", delimiter=",", skiprows=1, usecols=(1, 2, 3))
    cand = np.loadtxt(f"{d}/candidates.csv", delimiter=",", skiprows=1, usecols=(1, 2))
    return dem[:, :2], dem[:, 2], cand


def cbc_log(path):
    """CBC's own account of a run: its status line, best solution and best bound."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"Result - (.*)", line)
            if m:
                out["cbc_result"] = m.group(1).strip()
            m = re.match(r"Objective value:\s+(\S+)", line)
            if m:
                out["cbc_objective"] = float(m.group(1))
            m = re.match(r"(Lower|Upper) bound:\s+(\S+)", line)
            if m:
                out["cbc_bound"] = float(m.group(2))
    return out


def run(model, problem, cap, log, relax):
    """Solves an spopt model with CBC (time cap `cap` seconds, log kept), or its LP
    relaxation when `relax` (every variable made continuous, the same CBC)."""
    import pulp

    if relax:
        for v in model.problem.variables():
            v.cat = pulp.LpContinuous
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=cap, logPath=log)
    t0 = time.perf_counter()
    if relax:
        model.problem.solve(solver)
    else:
        model = model.solve(solver)
    value = pulp.value(model.problem.objective)  # None when capped before any solution
    res = {
        f"{problem}_objective": None if value is None else float(value),
        f"{problem}_status": pulp.LpSolution[model.problem.sol_status],
        f"{problem}_seconds": round(time.perf_counter() - t0, 3),
    }
    res.update({f"{problem}_{k}": v for k, v in cbc_log(log).items()})
    return res


def solve(d, distance, k, lscp, out, cap=None, relax=False):
    """spopt's MCLP (and LSCP) on the instance in `d`, solved by CBC. `cap`: CBC's time
    limit in seconds (the best bound is then read from CBC's log); `relax`: the LP
    relaxations instead (bounds, no sites)."""
    from spopt.locate import LSCP, MCLP

    t0 = time.perf_counter()
    pts, w, cand = read(d)
    diff = pts[:, None, :] - cand[None, :, :]
    cost = np.sqrt((diff**2).sum(axis=2))
    del diff
    result = {"distance": distance, "k": k}
    m = MCLP.from_cost_matrix(cost, w, service_radius=distance, p_facilities=k, name="mclp")
    logs = tempfile.mkdtemp()
    result.update(run(m, "mclp", cap, f"{logs}/mclp.log", relax))
    if lscp:
        # LSCP needs every demand point reachable: keep those some candidate reaches.
        reach = (cost <= distance).any(axis=1)
        s = LSCP.from_cost_matrix(cost[reach], service_radius=distance, name="lscp")
        result.update(run(s, "lscp", cap, f"{logs}/lscp.log", relax))
        result["lscp_unreachable"] = int((~reach).sum())
    shutil.rmtree(logs)
    result["seconds"] = round(time.perf_counter() - t0, 3)
    text = json.dumps(result)
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "generate":
        generate(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif a[0] == "grid":
        generate_grid(a[1], int(a[2]), int(a[3]), int(a[4]))
    else:
        js = a[a.index("--json") + 1] if "--json" in a else None
        cap = float(a[a.index("--time-limit") + 1]) if "--time-limit" in a else None
        solve(a[1], float(a[2]), int(a[3]), "--lscp" in a, js, cap, "--relax" in a)
