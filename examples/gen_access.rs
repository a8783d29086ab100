//! Reproducible generator of national-size inputs for `qpv access` and PySAL `access` (see
//! BENCHMARKS.md, scripts/bench_access.sh).
//!
//! ```text
//! cargo run --release --example gen_access -- [--out target/bench-access] [--seed 20261130]
//!     [--cells 1000000] [--facilities 20000] [--towns 2000]
//! ```
//!
//! Outputs, both in ETRS89-LAEA (EPSG:3035), so that qpv (run with `--crs EPSG:3035`) and the
//! peer measure the same straight-line distances with no reprojection:
//! - `grid.csv`: a Filosofi-shaped 200 m grid (IdINSPIRE, x_laea, y_laea = lower-left corner,
//!   Ind, Men, Men_pauv, Ind_snv, … , imputed), cells drawn around `--towns` synthetic town
//!   centres (gaussian, σ = 4 km) snapped to the INSPIRE lattice, each cell once, in drawing
//!   order. Synthetic: NOT real population.
//! - `facilities.csv`: `id,name,category,x,y,epsg,capacity`; 80 % gaussian around towns
//!   (σ = 3 km), 20 % uniform over the box; category `social_centre`; capacity 1–5.
//!
//! Determinism: SplitMix64 (defined here), seeded from `--seed`; same seed and sizes give
//! byte-identical files.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;

/// Generate national-size inputs for `qpv access` benchmarks.
#[derive(Parser, Debug)]
struct Args {
    /// Output directory.
    #[arg(long, default_value = "target/bench-access")]
    out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 20261130)]
    seed: u64,
    /// Number of grid cells.
    #[arg(long, default_value_t = 1_000_000)]
    cells: usize,
    /// Number of facilities.
    #[arg(long, default_value_t = 20_000)]
    facilities: usize,
    /// Number of synthetic towns.
    #[arg(long, default_value_t = 2_000)]
    towns: usize,
}

/// SplitMix64 (Steele, Lea & Flood 2014).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Box–Muller.
    fn gauss(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos()
    }
}

/// Mainland France's box in EPSG:3035, roughly (metres).
const X0: f64 = 3_250_000.0;
const X1: f64 = 4_250_000.0;
const Y0: f64 = 2_150_000.0;
const Y1: f64 = 3_100_000.0;

fn main() -> Result<()> {
    let a = Args::parse();
    std::fs::create_dir_all(&a.out)?;
    let mut rng = Rng(a.seed);
    let towns: Vec<(f64, f64)> = (0..a.towns)
        .map(|_| (X0 + rng.unit() * (X1 - X0), Y0 + rng.unit() * (Y1 - Y0)))
        .collect();
    let mut grid = BufWriter::new(File::create(a.out.join("grid.csv"))?);
    writeln!(
        grid,
        "IdINSPIRE,x_laea,y_laea,Ind,Men,Men_pauv,Ind_snv,Men_1ind,Men_5ind,Men_fmp,Men_prop,Men_coll,Men_mais,Men_surf,imputed"
    )?;
    let mut seen: HashSet<(i64, i64)> = HashSet::with_capacity(a.cells);
    while seen.len() < a.cells {
        let (tx, ty) = towns[(rng.next() % towns.len() as u64) as usize];
        let x = ((tx + rng.gauss() * 4000.0) / 200.0).floor() as i64 * 200;
        let y = ((ty + rng.gauss() * 4000.0) / 200.0).floor() as i64 * 200;
        let ind = 1 + rng.next() % 300;
        let men = (ind * 10 / 23).max(1);
        let pauv = rng.next() % (men / 3 + 1);
        if !seen.insert((x, y)) {
            continue;
        }
        writeln!(
            grid,
            "CRS3035RES200mN{y}E{x},{x},{y},{ind},{men},{pauv},{},0,0,0,0,0,0,0,0",
            ind * 21_000
        )?;
    }
    grid.flush()?;
    let mut fac = BufWriter::new(File::create(a.out.join("facilities.csv"))?);
    writeln!(fac, "id,name,category,x,y,epsg,capacity")?;
    for i in 0..a.facilities {
        let (x, y) = if rng.unit() < 0.8 {
            let (tx, ty) = towns[(rng.next() % towns.len() as u64) as usize];
            (tx + rng.gauss() * 3000.0, ty + rng.gauss() * 3000.0)
        } else {
            (X0 + rng.unit() * (X1 - X0), Y0 + rng.unit() * (Y1 - Y0))
        };
        let cap = 1 + rng.next() % 5;
        writeln!(
            fac,
            "F{i:06},Site {i},social_centre,{x:.2},{y:.2},3035,{cap}"
        )?;
    }
    fac.flush()?;
    eprintln!(
        "{} cells, {} facilities in {}",
        a.cells,
        a.facilities,
        a.out.display()
    );
    Ok(())
}
