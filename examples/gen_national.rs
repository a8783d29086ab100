//! Reproducible generator of national-scale benchmark inputs for `qpv locate` / `qpv nearest`
//! and their peers (GeoPandas, DuckDB spatial). See BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example gen_national -- [--out target/bench-data] [--seed 20241125]
//!     [--towns 230] [--facilities 60000] [--points 10000000] [--scale 1.0]
//! ```
//!
//! Outputs (every tool reads the same files):
//! - `zones.geojson`: RFC 7946 (WGS84, exterior rings counter-clockwise) QPV-like perimeters. The 7
//!   real Grand Belfort QPV 2024 perimeters (repo `geodata/`) are copied, as one rigid cluster, onto
//!   `--towns` synthetic town positions: the nodes of a square lattice in Lambert-93 kept when they
//!   fall in a coarse union of longitude/latitude rectangles around mainland France, then a seeded
//!   sample of them. The positions are synthetic, NOT real towns (some may lie in a neighbouring
//!   country or at sea). The lattice step is larger than the cluster, so no two zones overlap.
//!   Properties: `code_qp` (`QS` + 4-digit town + 2-digit copy), `lib_qp`, `source_code_qp`, `town`.
//! - `facilities.csv`: `id,name,category,lon,lat`; 70 % gaussian around towns (σ = 2.5 km), 30 %
//!   uniform over the rectangles; categories ecole_maternelle/ecole_elementaire/college/lycee/
//!   social_centre with fixed weights.
//! - `points.csv`: `id,lon,lat`; 80 % gaussian around towns (σ = 1.5 km), 20 % uniform.
//! - `grid.csv`: a national-size synthetic Filosofi 200 m grid (`--grid-cells`, default
//!   2,300,000 populated cells, about France's count): the real Grand Belfort Filosofi 2019 cells
//!   copied onto every town (so each copy of the 7 QPV lies on the cells it was drawn from) and
//!   onto further seeded sites, by whole 200 m steps in EPSG:3035; same columns as the source.
//!   Synthetic, NOT data: see `benches/support/national_grid.rs` for the model.
//! - `manifest.json`: seed, sizes, parameters and the share of a sample of points inside a zone.
//!
//! Degrees are written with 7 decimals (about 1 cm). Offsets around a town are drawn in metres
//! and turned into degrees with a local spherical scale (the town centre itself is projected with
//! PROJ); this keeps 10 million points off PROJ and is irrelevant to a benchmark.
//!
//! Determinism: the random numbers come from SplitMix64 (defined below, so the sequence can never
//! change with a dependency update), one stream per output, seeded from `--seed`. Same seed and
//! sizes give byte-identical files on the same platform (gaussians use `ln`/`cos`, whose last bit
//! may differ between libms; the 7-decimal rounding hides that in all but rare cases).

#[path = "../benches/support/national.rs"]
mod national;
#[path = "../benches/support/national_grid.rs"]
mod national_grid;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use geo::orient::{Direction, Orient};
use geo::{BoundingRect, Contains, Geometry, MultiPolygon, Point, Rect};
use national::{CATEGORIES, National, push_fixed, push_uint};
use qpv::crs::{Crs, Reprojector};

/// Generate national-scale benchmark inputs (deterministic for a given seed and sizes).
#[derive(Parser, Debug)]
struct Args {
    /// Output directory.
    #[arg(long, default_value = "target/bench-data")]
    out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = national::DEFAULT_SEED)]
    seed: u64,
    /// Number of synthetic towns; each receives a copy of the 7 Belfort QPV (230 → 1,610 zones).
    #[arg(long, default_value_t = national::DEFAULT_TOWNS)]
    towns: usize,
    /// Number of facilities (before --scale).
    #[arg(long, default_value_t = 60_000)]
    facilities: usize,
    /// Number of points (before --scale).
    #[arg(long, default_value_t = 10_000_000)]
    points: usize,
    /// Multiplies --facilities and --points (zones are kept: index cost stays national).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Populated 200 m grid cells to write to `grid.csv` (at least; whole copies of the source
    /// grid). 0 writes no grid.
    #[arg(long, default_value_t = national_grid::DEFAULT_GRID_CELLS)]
    grid_cells: usize,
    /// Source grid copied onto the towns (Filosofi CSV in EPSG:3035).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/filosofi2019_200m_grand_belfort.csv"))]
    grid_source: PathBuf,
    /// Source perimeters (WGS84 GeoJSON).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/qpv_2024_territoire_de_belfort.geojson"))]
    source: PathBuf,
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.scale.is_nan() || args.scale <= 0.0 {
        bail!("--scale must be > 0");
    }
    let n_fac = ((args.facilities as f64) * args.scale).round().max(1.0) as usize;
    let n_pts = ((args.points as f64) * args.scale).round().max(1.0) as usize;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let t0 = Instant::now();
    let nat = National::build(&args.source, args.seed, args.towns)?;
    let to_wgs = Reprojector::new(Crs::LAMBERT93, Crs::WGS84)?;

    // Zones.
    let zones_path = args.out.join("zones.geojson");
    let mut zone_shapes: Vec<(Rect<f64>, MultiPolygon<f64>)> = Vec::new();
    {
        let mut w = BufWriter::new(File::create(&zones_path)?);
        w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
        for (i, z) in nat.zones.iter().enumerate() {
            let mut g = Geometry::MultiPolygon(z.l93.clone());
            to_wgs.geometry(&mut g)?;
            let Geometry::MultiPolygon(wgs) = g else {
                unreachable!()
            };
            // RFC 7946 right-hand rule: exterior rings counter-clockwise.
            let wgs = wgs.orient(Direction::Default);
            let feature = serde_json::json!({
                "type": "Feature",
                "properties": {
                    "code_qp": z.code,
                    "lib_qp": z.name,
                    "source_code_qp": z.source_code,
                    "town": z.town,
                },
                "geometry": geojson::Geometry::from(&wgs),
            });
            if i > 0 {
                w.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut w, &feature)?;
            zone_shapes.push((wgs.bounding_rect().expect("non-empty"), wgs));
        }
        w.write_all(b"\n]}\n")?;
        w.flush()?;
    }
    let t_zones = t0.elapsed();

    // Facilities.
    let fac_path = args.out.join("facilities.csv");
    {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&fac_path)?);
        let mut buf = Vec::with_capacity(128);
        w.write_all(b"id,name,category,lon,lat\n")?;
        for (i, (lon, lat, cat)) in (1..=n_fac).zip(nat.facilities(args.seed)) {
            let (category, _, label) = CATEGORIES[cat];
            buf.clear();
            write!(buf, "F{i:06},{label} F{i:06},{category},")?;
            push_fixed(&mut buf, lon, 7);
            buf.push(b',');
            push_fixed(&mut buf, lat, 7);
            buf.push(b'\n');
            w.write_all(&buf)?;
        }
        w.flush()?;
    }
    let t_fac = t0.elapsed();

    // Points, and the share of a sample inside a zone (brute force) as a sanity figure.
    let pts_path = args.out.join("points.csv");
    let sample_n = n_pts.min(20_000);
    let mut sample_inside = 0usize;
    {
        let mut w = BufWriter::with_capacity(1 << 22, File::create(&pts_path)?);
        let mut buf = Vec::with_capacity(1 << 16);
        buf.extend_from_slice(b"id,lon,lat\n");
        for (i, (lon, lat)) in (1..=n_pts).zip(nat.points(args.seed)) {
            if i <= sample_n {
                let p = Point::new(lon, lat);
                if zone_shapes
                    .iter()
                    .any(|(r, mp)| r.contains(&p) && mp.contains(&p))
                {
                    sample_inside += 1;
                }
            }
            push_uint(&mut buf, i as u64);
            buf.push(b',');
            push_fixed(&mut buf, lon, 7);
            buf.push(b',');
            push_fixed(&mut buf, lat, 7);
            buf.push(b'\n');
            if buf.len() > (1 << 16) - 64 {
                w.write_all(&buf)?;
                buf.clear();
            }
        }
        w.write_all(&buf)?;
        w.flush()?;
    }
    let t_pts = t0.elapsed();

    // Grid (issue 15): copies of the real Grand Belfort cells around the towns and beyond.
    let grid_path = args.out.join("grid.csv");
    let grid = if args.grid_cells > 0 {
        let source = national_grid::read_grid_source(&args.grid_source)?;
        let mut w = BufWriter::with_capacity(1 << 22, File::create(&grid_path)?);
        let summary = national_grid::write_grid(&mut w, &nat, &source, args.seed, args.grid_cells)?;
        w.flush()?;
        Some(summary)
    } else {
        let _ = std::fs::remove_file(&grid_path);
        None
    };
    let t_grid = t0.elapsed();

    let manifest = serde_json::json!({
        "generator": "examples/gen_national.rs",
        "seed": args.seed,
        "towns": nat.towns.len(),
        "lattice_step_m": nat.step,
        "zones": nat.zones.len(),
        "facilities": n_fac,
        "points": n_pts,
        "facility_town_share": national::FACILITY_TOWN_SHARE,
        "facility_sigma_m": national::FACILITY_SIGMA_M,
        "point_town_share": national::POINT_TOWN_SHARE,
        "point_sigma_m": national::POINT_SIGMA_M,
        "sample_points": sample_n,
        "sample_points_inside_a_zone": sample_inside,
        "grid_source": args.grid_source.file_name().map(|n| n.to_string_lossy().into_owned()),
        "grid_copies": grid.as_ref().map(|g| g.copies),
        "grid_cells": grid.as_ref().map(|g| g.cells),
        "grid_cells_skipped_overlap": grid.as_ref().map(|g| g.skipped_overlap),
        "grid_inhabitants": grid.as_ref().map(|g| g.inhabitants.round() as u64),
    });
    std::fs::write(
        args.out.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;

    let mib = |p: &Path| file_size(p) as f64 / (1024.0 * 1024.0);
    eprintln!(
        "towns: {} (lattice step {:.0} m, cluster {:.0} m)",
        nat.towns.len(),
        nat.step,
        nat.cluster_extent
    );
    eprintln!(
        "{}: {} zones, {:.1} MiB, {:.2} s",
        zones_path.display(),
        zone_shapes.len(),
        mib(&zones_path),
        t_zones.as_secs_f64()
    );
    eprintln!(
        "{}: {} facilities, {:.1} MiB, {:.2} s",
        fac_path.display(),
        n_fac,
        mib(&fac_path),
        (t_fac - t_zones).as_secs_f64()
    );
    eprintln!(
        "{}: {} points, {:.1} MiB, {:.2} s",
        pts_path.display(),
        n_pts,
        mib(&pts_path),
        (t_pts - t_fac).as_secs_f64()
    );
    if let Some(g) = &grid {
        eprintln!(
            "{}: {} cells ({} copies, {} overlapping cells skipped), {:.0} inhabitants, {:.1} MiB, {:.2} s",
            grid_path.display(),
            g.cells,
            g.copies,
            g.skipped_overlap,
            g.inhabitants,
            mib(&grid_path),
            (t_grid - t_pts).as_secs_f64()
        );
    }
    eprintln!(
        "sample: {sample_inside} of the first {sample_n} points lie inside a zone ({:.1} %)",
        100.0 * sample_inside as f64 / sample_n as f64
    );
    Ok(())
}
