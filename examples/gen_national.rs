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

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use geo::orient::{Direction, Orient};
use geo::{BoundingRect, Contains, Coord, Geometry, MultiPolygon, Point, Rect, Translate};
use qpv::crs::{Crs, Reprojector};

/// Generate national-scale benchmark inputs (deterministic for a given seed and sizes).
#[derive(Parser, Debug)]
struct Args {
    /// Output directory.
    #[arg(long, default_value = "target/bench-data")]
    out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 20241125)]
    seed: u64,
    /// Number of synthetic towns; each receives a copy of the 7 Belfort QPV (230 → 1,610 zones).
    #[arg(long, default_value_t = 230)]
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
    /// Source perimeters (WGS84 GeoJSON).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/qpv_2024_territoire_de_belfort.geojson"))]
    source: PathBuf,
}

/// Coarse rectangles (lon_min, lat_min, lon_max, lat_max) whose union roughly covers mainland
/// France. Deliberately coarse: they only spread synthetic towns and points over a France-sized
/// area.
const MAINLAND: [(f64, f64, f64, f64); 6] = [
    (-4.7, 47.3, 1.5, 48.8), // west (Brittany, Pays de la Loire)
    (0.0, 48.8, 4.0, 50.9),  // north
    (-1.2, 43.6, 7.0, 48.8), // centre
    (-1.5, 42.8, 3.0, 43.6), // south-west
    (3.0, 43.2, 7.5, 43.6),  // south-east
    (4.0, 47.5, 7.5, 49.2),  // north-east
];
const MAINLAND_BBOX: (f64, f64, f64, f64) = (-4.7, 42.8, 7.5, 50.9);

/// Lambert-93 envelope scanned by the town lattice.
const L93_XMIN: f64 = 100_000.0;
const L93_XMAX: f64 = 1_250_000.0;
const L93_YMIN: f64 = 6_040_000.0;
const L93_YMAX: f64 = 7_120_000.0;

const FACILITY_TOWN_SHARE: f64 = 0.7;
const FACILITY_SIGMA_M: f64 = 2_500.0;
const POINT_TOWN_SHARE: f64 = 0.8;
const POINT_SIGMA_M: f64 = 1_500.0;
/// (category, weight, label) — weights roughly follow the French school network plus centres.
const CATEGORIES: [(&str, f64, &str); 5] = [
    ("ecole_maternelle", 0.22, "Ecole maternelle"),
    ("ecole_elementaire", 0.50, "Ecole elementaire"),
    ("college", 0.10, "College"),
    ("lycee", 0.06, "Lycee"),
    ("social_centre", 0.12, "Centre social"),
];
/// Mean radius of the Earth (m), for the local metre → degree scale.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed here forever.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64, stream: u64) -> Self {
        SplitMix64(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
    /// Two independent standard normal variates (Box–Muller).
    fn gauss2(&mut self) -> (f64, f64) {
        let u1 = 1.0 - self.unit(); // (0, 1]
        let u2 = self.unit();
        let r = (-2.0 * u1.ln()).sqrt();
        let t = std::f64::consts::TAU * u2;
        (r * t.cos(), r * t.sin())
    }
}

fn in_mainland(lon: f64, lat: f64) -> bool {
    MAINLAND
        .iter()
        .any(|&(x0, y0, x1, y1)| lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1)
}

fn uniform_mainland(rng: &mut SplitMix64) -> (f64, f64) {
    let (x0, y0, x1, y1) = MAINLAND_BBOX;
    loop {
        let lon = x0 + (x1 - x0) * rng.unit();
        let lat = y0 + (y1 - y0) * rng.unit();
        if in_mainland(lon, lat) {
            return (lon, lat);
        }
    }
}

/// A synthetic town: lattice node in Lambert-93 and its WGS84 position.
struct Town {
    l93: Coord<f64>,
    lon: f64,
    lat: f64,
}

impl Town {
    fn gaussian(&self, rng: &mut SplitMix64, sigma_m: f64) -> (f64, f64) {
        let (gx, gy) = rng.gauss2();
        let dlat = (gy * sigma_m / EARTH_RADIUS_M).to_degrees();
        let dlon = (gx * sigma_m / (EARTH_RADIUS_M * self.lat.to_radians().cos())).to_degrees();
        (self.lon + dlon, self.lat + dlat)
    }
}

/// Appends `v` with exactly `decimals` decimals (fast fixed-point formatting, no float printing).
fn push_fixed(buf: &mut Vec<u8>, v: f64, decimals: u32) {
    let scale = 10f64.powi(decimals as i32);
    let n = (v * scale).round() as i64;
    if n < 0 {
        buf.push(b'-');
    }
    let n = n.unsigned_abs();
    let p = 10u64.pow(decimals);
    push_uint(buf, n / p);
    buf.push(b'.');
    let frac = n % p;
    let start = buf.len();
    push_uint(buf, frac);
    let written = buf.len() - start;
    let pad = decimals as usize - written;
    if pad > 0 {
        buf.splice(start..start, std::iter::repeat_n(b'0', pad));
    }
}

fn push_uint(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

struct SourceZone {
    code: String,
    name: String,
    l93: MultiPolygon<f64>,
}

fn read_source(path: &Path) -> Result<Vec<SourceZone>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let gj: geojson::GeoJson = text.parse().with_context(|| format!("parsing {}", path.display()))?;
    let geojson::GeoJson::FeatureCollection(fc) = gj else {
        bail!("{} is not a FeatureCollection", path.display());
    };
    let to_l93 = Reprojector::new(Crs::WGS84, Crs::LAMBERT93)?;
    let mut zones = Vec::new();
    for f in fc.features {
        let prop = |k: &str| {
            f.property(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let (code, name) = (prop("code_qp"), prop("lib_qp"));
        let geom = f
            .geometry
            .as_ref()
            .with_context(|| format!("{code} has no geometry"))?;
        let mut g: Geometry<f64> = geom.clone().try_into()?;
        to_l93.geometry(&mut g)?;
        let mp = match g {
            Geometry::MultiPolygon(mp) => mp,
            Geometry::Polygon(p) => MultiPolygon(vec![p]),
            _ => bail!("{code}: not a polygon"),
        };
        zones.push(SourceZone { code, name, l93: mp });
    }
    if zones.is_empty() {
        bail!("{} holds no zone", path.display());
    }
    Ok(zones)
}

fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

/// Lattice nodes inside the mainland rectangles for a given step, in row-major order.
fn lattice(step: f64, to_wgs: &Reprojector) -> Result<Vec<Town>> {
    let mut out = Vec::new();
    let mut y = L93_YMIN + step / 2.0;
    while y < L93_YMAX {
        let mut x = L93_XMIN + step / 2.0;
        while x < L93_XMAX {
            let c = to_wgs.coord(Coord { x, y })?;
            if in_mainland(c.x, c.y) {
                out.push(Town {
                    l93: Coord { x, y },
                    lon: c.x,
                    lat: c.y,
                });
            }
            x += step;
        }
        y += step;
    }
    Ok(out)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.scale.is_nan() || args.scale <= 0.0 || args.towns == 0 {
        bail!("--scale must be > 0 and --towns >= 1");
    }
    let n_fac = ((args.facilities as f64) * args.scale).round().max(1.0) as usize;
    let n_pts = ((args.points as f64) * args.scale).round().max(1.0) as usize;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let t0 = Instant::now();

    // Source cluster.
    let source = read_source(&args.source)?;
    let cluster = source
        .iter()
        .map(|z| z.l93.bounding_rect().expect("non-empty polygon"))
        .reduce(union_rect)
        .expect("at least one zone");
    let centre = cluster.center();
    let extent = cluster.width().max(cluster.height());

    // Town lattice: the largest 1 km step giving enough nodes, then a seeded sample.
    let to_wgs = Reprojector::new(Crs::LAMBERT93, Crs::WGS84)?;
    let mut step = 120_000.0;
    let mut nodes = lattice(step, &to_wgs)?;
    while nodes.len() < args.towns {
        step -= 1_000.0;
        if step < extent + 1_000.0 {
            bail!(
                "--towns {} does not fit: the lattice step would fall below the cluster size ({:.0} m)",
                args.towns,
                extent
            );
        }
        nodes = lattice(step, &to_wgs)?;
    }
    let mut rng = SplitMix64::new(args.seed, 1);
    for i in 0..args.towns {
        let j = i + rng.below(nodes.len() - i);
        nodes.swap(i, j);
    }
    nodes.truncate(args.towns);
    nodes.sort_by(|a, b| a.l93.y.total_cmp(&b.l93.y).then(a.l93.x.total_cmp(&b.l93.x)));
    let towns = nodes;

    // Zones.
    let zones_path = args.out.join("zones.geojson");
    let mut zone_shapes: Vec<(Rect<f64>, MultiPolygon<f64>)> = Vec::new();
    {
        let mut w = BufWriter::new(File::create(&zones_path)?);
        w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
        let mut first = true;
        for (t, town) in towns.iter().enumerate() {
            let (dx, dy) = (town.l93.x - centre.x, town.l93.y - centre.y);
            for (k, src) in source.iter().enumerate() {
                let moved = src.l93.translate(dx, dy);
                let mut g = Geometry::MultiPolygon(moved);
                to_wgs.geometry(&mut g)?;
                let Geometry::MultiPolygon(wgs) = g else {
                    unreachable!()
                };
                let wgs = wgs.orient(Direction::Default);
                let code = format!("QS{t:04}{:02}", k + 1);
                let props = serde_json::json!({
                    "code_qp": code,
                    "lib_qp": format!("{} (copie {t})", src.name),
                    "source_code_qp": src.code,
                    "town": t,
                });
                let feature = serde_json::json!({
                    "type": "Feature",
                    "properties": props,
                    "geometry": geojson::Geometry::from(&wgs),
                });
                if !first {
                    w.write_all(b",\n")?;
                }
                first = false;
                serde_json::to_writer(&mut w, &feature)?;
                zone_shapes.push((wgs.bounding_rect().expect("non-empty"), wgs));
            }
        }
        w.write_all(b"\n]}\n")?;
        w.flush()?;
    }
    let t_zones = t0.elapsed();

    // Facilities.
    let fac_path = args.out.join("facilities.csv");
    {
        let mut rng = SplitMix64::new(args.seed, 2);
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&fac_path)?);
        let mut buf = Vec::with_capacity(128);
        w.write_all(b"id,name,category,lon,lat\n")?;
        let total: f64 = CATEGORIES.iter().map(|c| c.1).sum();
        for i in 1..=n_fac {
            let (lon, lat) = if rng.unit() < FACILITY_TOWN_SHARE {
                towns[rng.below(towns.len())].gaussian(&mut rng, FACILITY_SIGMA_M)
            } else {
                uniform_mainland(&mut rng)
            };
            let mut u = rng.unit() * total;
            let mut cat = &CATEGORIES[CATEGORIES.len() - 1];
            for c in &CATEGORIES {
                if u < c.1 {
                    cat = c;
                    break;
                }
                u -= c.1;
            }
            buf.clear();
            write!(buf, "F{i:06},{} F{i:06},{},", cat.2, cat.0)?;
            push_fixed(&mut buf, lon, 7);
            buf.push(b',');
            push_fixed(&mut buf, lat, 7);
            buf.push(b'\n');
            w.write_all(&buf)?;
        }
        w.flush()?;
    }
    let t_fac = t0.elapsed();

    // Points.
    let pts_path = args.out.join("points.csv");
    let sample_n = n_pts.min(20_000);
    let mut sample_inside = 0usize;
    {
        let mut rng = SplitMix64::new(args.seed, 3);
        let mut w = BufWriter::with_capacity(1 << 22, File::create(&pts_path)?);
        let mut buf = Vec::with_capacity(1 << 16);
        buf.extend_from_slice(b"id,lon,lat\n");
        for i in 1..=n_pts {
            let (lon, lat) = if rng.unit() < POINT_TOWN_SHARE {
                towns[rng.below(towns.len())].gaussian(&mut rng, POINT_SIGMA_M)
            } else {
                uniform_mainland(&mut rng)
            };
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

    let manifest = serde_json::json!({
        "generator": "examples/gen_national.rs",
        "seed": args.seed,
        "towns": towns.len(),
        "lattice_step_m": step,
        "zones": zone_shapes.len(),
        "facilities": n_fac,
        "points": n_pts,
        "facility_town_share": FACILITY_TOWN_SHARE,
        "facility_sigma_m": FACILITY_SIGMA_M,
        "point_town_share": POINT_TOWN_SHARE,
        "point_sigma_m": POINT_SIGMA_M,
        "sample_points": sample_n,
        "sample_points_inside_a_zone": sample_inside,
    });
    std::fs::write(
        args.out.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;

    let mib = |p: &Path| file_size(p) as f64 / (1024.0 * 1024.0);
    eprintln!(
        "towns: {} (lattice step {:.0} m, cluster {:.0} m)",
        towns.len(),
        step,
        extent
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
    eprintln!(
        "sample: {sample_inside} of the first {sample_n} points lie inside a zone ({:.1} %)",
        100.0 * sample_inside as f64 / sample_n as f64
    );
    Ok(())
}
