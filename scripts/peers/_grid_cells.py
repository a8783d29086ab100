"""The Filosofi 200 m grid as the qpv grid loader builds it: each cell is the square of side RES
at its lower-left corner (x_laea/y_laea, else decoded from the INSPIRE id
CRS3035RES200mN2730200E4079600) in EPSG:3035, its four corners reprojected to Lambert-93
(EPSG:2154) one by one and joined by straight edges (pyproj, always_xy)."""

import numpy as np
import pandas as pd
import pyproj

VALUES = ["Ind", "Men", "Men_pauv", "Ind_snv", "Men_1ind", "Men_5ind", "Men_fmp", "Men_prop",
          "Men_coll", "Men_mais", "Men_surf"]


def read_grid(path: str) -> pd.DataFrame:
    """IdINSPIRE, the value columns and x0, y0, size (EPSG:3035 lower-left corner, side)."""
    head = pd.read_csv(path, nrows=0).columns
    cols = ["IdINSPIRE", *VALUES] + [c for c in ("x_laea", "y_laea") if c in head]
    df = pd.read_csv(path, usecols=cols, dtype={c: "float64" for c in VALUES + ["x_laea", "y_laea"]})
    parts = df["IdINSPIRE"].str.extract(r"^CRS(\d+)RES(\d+)mN(\d+)E(\d+)$")
    if (parts[0] != "3035").any():
        raise SystemExit("only EPSG:3035 grids are handled")
    df["size"] = parts[1].astype("float64")
    df["x0"] = df["x_laea"] if "x_laea" in df else parts[3].astype("float64")
    df["y0"] = df["y_laea"] if "y_laea" in df else parts[2].astype("float64")
    return df


def corners_l93(df: pd.DataFrame) -> np.ndarray:
    """Array (n, 5, 2): the closed ring of each cell in Lambert-93, corners in the loader's
    order (lower-left, lower-right, upper-right, upper-left)."""
    t = pyproj.Transformer.from_crs(3035, 2154, always_xy=True)
    x0, y0, s = df["x0"].to_numpy(), df["y0"].to_numpy(), df["size"].to_numpy()
    xs = np.stack([x0, x0 + s, x0 + s, x0], axis=1)
    ys = np.stack([y0, y0, y0 + s, y0 + s], axis=1)
    X, Y = t.transform(xs.ravel(), ys.ravel())
    ring = np.stack([np.asarray(X).reshape(-1, 4), np.asarray(Y).reshape(-1, 4)], axis=2)
    return np.concatenate([ring, ring[:, :1, :]], axis=1)
