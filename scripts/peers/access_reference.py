#!/usr/bin/env python3
"""Expected accessibility scores for tests/access_pysal.rs, computed by PySAL `access`.

Inputs (committed, written by `QPV_WRITE_ACCESS_REFERENCE=1 cargo test --test access_pysal`
from the embedded data): tests/data/access/cells.csv (id, x, y, demand: the 3,490 cells of
the embedded Filosofi 2019 grid, centre in Lambert-93 to the mm, Ind) and
tests/data/access/facilities.csv (id, x, y, supply: the 96 embedded écoles élémentaires, 1
each). The cost table is every cell-facility pair with its straight-line distance, computed
here with numpy (sqrt(dx*dx + dy*dy)); PySAL applies the catchment itself (cost <= max_cost).

Output: tests/data/access/expected.csv, one row per cell, one column per method (full
precision repr; empty where PySAL gives NaN: no facility in reach).

Usage: python3 scripts/peers/access_reference.py   (installs target/access-venv if needed)
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, "target", "access-venv")
REQ = os.path.join(ROOT, "scripts", "peers", "access_requirements.txt")

if sys.prefix != VENV:
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "-r", REQ])
    os.execv(python, [python] + sys.argv)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from access import Access, weights  # noqa: E402

CATCHMENT = 1000.0
SIGMA = 500.0
DATA = os.path.join(ROOT, "tests", "data", "access")


def main():
    cells = pd.read_csv(os.path.join(DATA, "cells.csv"), dtype={"id": str})
    fac = pd.read_csv(os.path.join(DATA, "facilities.csv"), dtype={"id": str})
    dx = cells["x"].to_numpy()[:, None] - fac["x"].to_numpy()[None, :]
    dy = cells["y"].to_numpy()[:, None] - fac["y"].to_numpy()[None, :]
    cost = pd.DataFrame({
        "origin": np.repeat(cells["id"].to_numpy(), len(fac)),
        "dest": np.tile(fac["id"].to_numpy(), len(cells)),
        "cost": np.sqrt(dx * dx + dy * dy).ravel(),
    })
    a = Access(demand_df=cells, demand_index="id", demand_value="demand",
               supply_df=fac, supply_index="id", supply_value="supply",
               cost_df=cost, cost_origin="origin", cost_dest="dest", cost_name="cost")
    c = CATCHMENT
    bands = {c * 1 / 3: 1.0, c * 2 / 3: 0.68, c: 0.22}
    a.two_stage_fca(name="2sfca", max_cost=c)
    a.enhanced_two_stage_fca(name="e2sfca", max_cost=c, weight_fn=weights.step_fn(bands))
    a.two_stage_fca(name="g2sfca", max_cost=c, weight_fn=weights.gaussian(SIGMA))
    a.weighted_catchment(name="gravity", max_cost=c,
                         weight_fn=weights.gravity(scale=1000.0, alpha=-1.0, min_dist=100.0))
    a.weighted_catchment(name="gaussian", max_cost=c, weight_fn=weights.gaussian(SIGMA))
    out = a.access_df.reindex(cells["id"])
    names = ["2sfca", "e2sfca", "g2sfca", "gravity", "gaussian"]
    with open(os.path.join(DATA, "expected.csv"), "w") as f:
        f.write("id," + ",".join(names) + "\n")
        for cid, row in out.iterrows():
            vals = [row[n + "_supply"] for n in names]
            f.write(cid + "," + ",".join("" if np.isnan(v) else repr(float(v)) for v in vals) + "\n")
    print(f"{len(out)} cells, {len(fac)} facilities", file=sys.stderr)


main()
