//! A national-size synthetic Filosofi 200 m grid for the national benchmarks (issue 15): the
//! real Grand Belfort Filosofi 2019 cells (repo `geodata/`) copied, as one rigid block, onto
//! each synthetic town (so every copy of the 7 QPV sits on the cells it was drawn from) and then
//! onto further synthetic sites until the requested number of populated cells is reached.
//!
//! Model, stated so nobody reads it as data:
//! - Sites: first the towns of [`National`] (in their order), then a seeded sample of the
//!   half-step sub-lattice nodes (a town-lattice node shifted by half a step east, north, or
//!   both) that fall in the coarse mainland rectangles. These extra sites are "towns without a
//!   QPV": most populated cells in France lie outside any QPV.
//! - A copy is a translation in EPSG:3035 (the grid's own CRS) by a whole number of 200 m cells:
//!   the offset between the LAEA position of the site and that of the source zones' bounding-box
//!   centre (both computed with PROJ from Lambert-93), rounded to 200 m. Lambert-93 and LAEA
//!   differ by a near-constant rotation over France (the spread is under 0.5°), so a copy is
//!   within about 100 m + 0.5° of the position the zones were copied to.
//! - Every column is copied verbatim (values, `imputed`); only `IdINSPIRE`, `x_laea`, `y_laea`
//!   change. A cell already written by an earlier copy (blocks may touch where sub-lattice
//!   sites are close) is skipped, so ids are unique; the number skipped goes to the manifest.
#![allow(dead_code)] // each user takes a different part

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use geo::Coord;
use qpv::crs::{Crs, Reprojector};

use crate::national::{National, SplitMix64, in_mainland};

/// The Filosofi 2019 grid of Grand Belfort shipped in the repository.
pub fn default_grid_source() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/geodata/filosofi2019_200m_grand_belfort.csv"
    ))
}

/// Default number of populated cells (France has about 2.3 million populated 200 m cells).
pub const DEFAULT_GRID_CELLS: usize = 2_300_000;

/// One source row: the lower-left corner in EPSG:3035 and the columns after `y_laea`, verbatim.
pub struct SourceCell {
    /// Corner easting (m, EPSG:3035).
    pub x: i64,
    /// Corner northing (m, EPSG:3035).
    pub y: i64,
    /// Every column after `x_laea,y_laea`, as written in the source (comma-separated).
    pub rest: String,
    /// Inhabitants (`Ind`), for the manifest's total.
    pub ind: f64,
}

/// The source grid: its header line and its rows.
pub struct SourceGrid {
    /// Header line, without the line end.
    pub header: String,
    /// Rows in file order.
    pub cells: Vec<SourceCell>,
}

/// Reads a Filosofi CSV whose first three columns are `IdINSPIRE,x_laea,y_laea` and whose
/// fourth is `Ind` (the layout of the files in `geodata/`).
pub fn read_grid_source(path: &Path) -> Result<SourceGrid> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let header = lines.next().context("empty grid source")?.to_string();
    if !header.starts_with("IdINSPIRE,x_laea,y_laea,Ind,") {
        bail!(
            "{}: expected the columns IdINSPIRE,x_laea,y_laea,Ind first",
            path.display()
        );
    }
    let mut cells = Vec::new();
    for (i, line) in lines.enumerate() {
        cells.push(
            source_cell(line).with_context(|| format!("{}: line {}", path.display(), i + 2))?,
        );
    }
    Ok(SourceGrid { header, cells })
}

/// One data row: `IdINSPIRE,x_laea,y_laea,Ind,...`. A missing or non-numeric `Ind` is an error
/// (it would otherwise count the cell's inhabitants as 0 in the manifest's total).
fn source_cell(line: &str) -> Result<SourceCell> {
    let mut parts = line.splitn(4, ',');
    let (_id, x, y, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
    let coordinate = |s: Option<&str>, name: &str| -> Result<i64> {
        let s = s.with_context(|| format!("no {name} column"))?;
        s.parse()
            .with_context(|| format!("{name} is {s:?}, not a whole number of metres"))
    };
    let (x, y) = (coordinate(x, "x_laea")?, coordinate(y, "y_laea")?);
    let rest = rest.context("no Ind column")?.to_string();
    let ind_text = rest.split(',').next().unwrap_or("");
    let ind: f64 = ind_text
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .with_context(|| format!("Ind is {ind_text:?}, not a number of inhabitants"))?;
    Ok(SourceCell { x, y, rest, ind })
}

/// Where the grid copies go, in Lambert-93: the towns, then a seeded sample of sub-lattice
/// sites, `copies` in all.
pub fn grid_sites(nat: &National, seed: u64, copies: usize) -> Result<Vec<Coord<f64>>> {
    let mut sites: Vec<Coord<f64>> = nat.towns.iter().map(|t| t.l93).collect();
    if copies <= sites.len() {
        sites.truncate(copies);
        return Ok(sites);
    }
    let to_wgs = Reprojector::new(Crs::LAMBERT93, Crs::WGS84)?;
    let half = nat.step / 2.0;
    let mut extra = Vec::new();
    for node in crate::national::lattice(nat.step, &to_wgs)? {
        for (dx, dy) in [(half, 0.0), (0.0, half), (half, half)] {
            let c = Coord {
                x: node.l93.x + dx,
                y: node.l93.y + dy,
            };
            let w = to_wgs.coord(c)?;
            if in_mainland(w.x, w.y) {
                extra.push(c);
            }
        }
    }
    let wanted = copies - sites.len();
    if extra.len() < wanted {
        bail!(
            "{copies} grid copies do not fit: {} towns + {} sub-lattice sites",
            sites.len(),
            extra.len()
        );
    }
    let mut rng = SplitMix64::new(seed, 4);
    for i in 0..wanted {
        let j = i + rng.below(extra.len() - i);
        extra.swap(i, j);
    }
    sites.extend_from_slice(&extra[..wanted]);
    Ok(sites)
}

/// What [`write_grid`] wrote.
pub struct GridSummary {
    /// Copies of the source block.
    pub copies: usize,
    /// Cells written.
    pub cells: usize,
    /// Cells skipped because an earlier copy already wrote that id.
    pub skipped_overlap: usize,
    /// Sum of `Ind` over the written cells.
    pub inhabitants: f64,
}

/// Writes the grid: enough copies of `source` for at least `min_cells` cells (all copies
/// complete), onto the sites of [`grid_sites`]. Deterministic for a seed.
pub fn write_grid(
    out: &mut impl Write,
    nat: &National,
    source: &SourceGrid,
    seed: u64,
    min_cells: usize,
) -> Result<GridSummary> {
    let n_src = source.cells.len().max(1);
    let copies = min_cells.div_ceil(n_src).max(1);
    let sites = grid_sites(nat, seed, copies)?;
    let to_laea = Reprojector::new(Crs::LAMBERT93, Crs::epsg(3035))?;
    let origin = to_laea.coord(nat.cluster_centre)?;
    let mut seen: HashSet<(i64, i64)> = HashSet::with_capacity(copies * n_src);
    let mut summary = GridSummary {
        copies: sites.len(),
        cells: 0,
        skipped_overlap: 0,
        inhabitants: 0.0,
    };
    writeln!(out, "{}", source.header)?;
    for site in &sites {
        let at = to_laea.coord(*site)?;
        let dx = ((at.x - origin.x) / 200.0).round() as i64 * 200;
        let dy = ((at.y - origin.y) / 200.0).round() as i64 * 200;
        for cell in &source.cells {
            let (x, y) = (cell.x + dx, cell.y + dy);
            if !seen.insert((x, y)) {
                summary.skipped_overlap += 1;
                continue;
            }
            writeln!(out, "CRS3035RES200mN{y}E{x},{x},{y},{}", cell.rest)?;
            summary.cells += 1;
            summary.inhabitants += cell.ind;
        }
    }
    Ok(summary)
}
