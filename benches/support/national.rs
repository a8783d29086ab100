//! National-scale synthetic inputs shared by the generator (`examples/gen_national.rs`) and the
//! criterion benches: synthetic town positions, QPV-like zones copied from the 7 real Grand Belfort
//! perimeters, facilities and points. See the generator's documentation for the model.
#![allow(dead_code)] // each user takes a different part

use std::path::Path;

use anyhow::{Context, Result, bail};
use geo::{BoundingRect, Coord, Geometry, MultiPolygon, Rect, Translate};
use qpv::crs::{Crs, Reprojector};

/// Coarse rectangles (lon_min, lat_min, lon_max, lat_max) whose union roughly covers mainland
/// France. Deliberately coarse: they only spread synthetic towns and points over a France-sized
/// area.
pub const MAINLAND: [(f64, f64, f64, f64); 6] = [
    (-4.7, 47.3, 1.5, 48.8), // west (Brittany, Pays de la Loire)
    (0.0, 48.8, 4.0, 50.9),  // north
    (-1.2, 43.6, 7.0, 48.8), // centre
    (-1.5, 42.8, 3.0, 43.6), // south-west
    (3.0, 43.2, 7.5, 43.6),  // south-east
    (4.0, 47.5, 7.5, 49.2),  // north-east
];
pub const MAINLAND_BBOX: (f64, f64, f64, f64) = (-4.7, 42.8, 7.5, 50.9);

/// Lambert-93 envelope scanned by the town lattice.
pub const L93_XMIN: f64 = 100_000.0;
pub const L93_XMAX: f64 = 1_250_000.0;
pub const L93_YMIN: f64 = 6_040_000.0;
pub const L93_YMAX: f64 = 7_120_000.0;

pub const FACILITY_TOWN_SHARE: f64 = 0.7;
pub const FACILITY_SIGMA_M: f64 = 2_500.0;
pub const POINT_TOWN_SHARE: f64 = 0.8;
pub const POINT_SIGMA_M: f64 = 1_500.0;
/// (category, weight, label) — weights roughly follow the French school network plus centres.
pub const CATEGORIES: [(&str, f64, &str); 5] = [
    ("ecole_maternelle", 0.22, "Ecole maternelle"),
    ("ecole_elementaire", 0.50, "Ecole elementaire"),
    ("college", 0.10, "College"),
    ("lycee", 0.06, "Lycee"),
    ("social_centre", 0.12, "Centre social"),
];
/// Mean radius of the Earth (m), for the local metre → degree scale.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed here forever.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn new(seed: u64, stream: u64) -> Self {
        SplitMix64(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
    /// Two independent standard normal variates (Box–Muller).
    pub fn gauss2(&mut self) -> (f64, f64) {
        let u1 = 1.0 - self.unit(); // (0, 1]
        let u2 = self.unit();
        let r = (-2.0 * u1.ln()).sqrt();
        let t = std::f64::consts::TAU * u2;
        (r * t.cos(), r * t.sin())
    }
}

pub fn in_mainland(lon: f64, lat: f64) -> bool {
    MAINLAND
        .iter()
        .any(|&(x0, y0, x1, y1)| lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1)
}

pub fn uniform_mainland(rng: &mut SplitMix64) -> (f64, f64) {
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
pub struct Town {
    /// Lattice node, Lambert-93.
    pub l93: Coord<f64>,
    /// Longitude of the node (WGS84).
    pub lon: f64,
    /// Latitude of the node (WGS84).
    pub lat: f64,
}

impl Town {
    pub fn gaussian(&self, rng: &mut SplitMix64, sigma_m: f64) -> (f64, f64) {
        let (gx, gy) = rng.gauss2();
        let dlat = (gy * sigma_m / EARTH_RADIUS_M).to_degrees();
        let dlon = (gx * sigma_m / (EARTH_RADIUS_M * self.lat.to_radians().cos())).to_degrees();
        (self.lon + dlon, self.lat + dlat)
    }
}

/// Appends `v` with exactly `decimals` decimals (fast fixed-point formatting, no float printing).
pub fn push_fixed(buf: &mut Vec<u8>, v: f64, decimals: u32) {
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

pub fn push_uint(buf: &mut Vec<u8>, mut n: u64) {
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

pub struct SourceZone {
    /// Official code of the source perimeter.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Perimeter in Lambert-93.
    pub l93: MultiPolygon<f64>,
}

pub fn read_source(path: &Path) -> Result<Vec<SourceZone>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let gj: geojson::GeoJson = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
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
        zones.push(SourceZone {
            code,
            name,
            l93: mp,
        });
    }
    if zones.is_empty() {
        bail!("{} holds no zone", path.display());
    }
    Ok(zones)
}

pub fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
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
pub fn lattice(step: f64, to_wgs: &Reprojector) -> Result<Vec<Town>> {
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

/// Default seed of the generator and the benches.
pub const DEFAULT_SEED: u64 = 20241125;
/// Default number of towns (× 7 perimeters = 1,610 zones).
pub const DEFAULT_TOWNS: usize = 230;

/// The 7 real Grand Belfort QPV 2024 perimeters shipped in the repository.
pub fn default_source() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/geodata/qpv_2024_territoire_de_belfort.geojson"
    ))
}

/// One synthetic zone, in Lambert-93.
pub struct SynthZone {
    /// `QS` + 4-digit town + 2-digit copy number.
    pub code: String,
    /// Source name and town number.
    pub name: String,
    /// Code of the copied real perimeter.
    pub source_code: String,
    /// Town index.
    pub town: usize,
    /// Perimeter, Lambert-93.
    pub l93: MultiPolygon<f64>,
}

/// Towns and zones of a national run.
pub struct National {
    /// Synthetic towns, sorted south to north then west to east.
    pub towns: Vec<Town>,
    /// Lattice step (m).
    pub step: f64,
    /// Largest side of the copied cluster's bounding box (m).
    pub cluster_extent: f64,
    /// Centre of the copied cluster's bounding box, Lambert-93 (a town receives the cluster
    /// translated by `town - cluster_centre`).
    pub cluster_centre: Coord<f64>,
    /// Zones, town by town, in source order within a town.
    pub zones: Vec<SynthZone>,
}

impl National {
    /// Towns on a lattice and the source cluster copied onto each (deterministic for a seed).
    pub fn build(source: &Path, seed: u64, n_towns: usize) -> Result<National> {
        if n_towns == 0 {
            bail!("at least one town is needed");
        }
        let source = read_source(source)?;
        let cluster = source
            .iter()
            .map(|z| z.l93.bounding_rect().expect("non-empty polygon"))
            .reduce(union_rect)
            .expect("at least one zone");
        let centre = cluster.center();
        let extent = cluster.width().max(cluster.height());

        // The largest 1 km lattice step giving enough nodes, then a seeded sample of them.
        let to_wgs = Reprojector::new(Crs::LAMBERT93, Crs::WGS84)?;
        let mut step = 120_000.0;
        let mut nodes = lattice(step, &to_wgs)?;
        while nodes.len() < n_towns {
            step -= 1_000.0;
            // A step larger than the cluster (plus 1 km) keeps copies from overlapping.
            if step < extent + 1_000.0 {
                bail!(
                    "{n_towns} towns do not fit: the lattice step would fall below the cluster size ({extent:.0} m)"
                );
            }
            nodes = lattice(step, &to_wgs)?;
        }
        let mut rng = SplitMix64::new(seed, 1);
        for i in 0..n_towns {
            let j = i + rng.below(nodes.len() - i);
            nodes.swap(i, j);
        }
        nodes.truncate(n_towns);
        nodes.sort_by(|a, b| {
            a.l93
                .y
                .total_cmp(&b.l93.y)
                .then(a.l93.x.total_cmp(&b.l93.x))
        });

        let mut zones = Vec::with_capacity(n_towns * source.len());
        for (t, town) in nodes.iter().enumerate() {
            let (dx, dy) = (town.l93.x - centre.x, town.l93.y - centre.y);
            for (k, src) in source.iter().enumerate() {
                zones.push(SynthZone {
                    code: format!("QS{t:04}{:02}", k + 1),
                    name: format!("{} (copie {t})", src.name),
                    source_code: src.code.clone(),
                    town: t,
                    l93: src.l93.translate(dx, dy),
                });
            }
        }
        Ok(National {
            towns: nodes,
            step,
            cluster_extent: extent,
            cluster_centre: centre,
            zones,
        })
    }

    /// The facility stream: `(lon, lat, category index into CATEGORIES)`.
    pub fn facilities(&self, seed: u64) -> impl Iterator<Item = (f64, f64, usize)> + '_ {
        let mut rng = SplitMix64::new(seed, 2);
        let total: f64 = CATEGORIES.iter().map(|c| c.1).sum();
        std::iter::repeat_with(move || {
            let (lon, lat) = if rng.unit() < FACILITY_TOWN_SHARE {
                self.towns[rng.below(self.towns.len())].gaussian(&mut rng, FACILITY_SIGMA_M)
            } else {
                uniform_mainland(&mut rng)
            };
            let mut u = rng.unit() * total;
            let mut cat = CATEGORIES.len() - 1;
            for (i, c) in CATEGORIES.iter().enumerate() {
                if u < c.1 {
                    cat = i;
                    break;
                }
                u -= c.1;
            }
            (lon, lat, cat)
        })
    }

    /// The point stream: `(lon, lat)`.
    pub fn points(&self, seed: u64) -> impl Iterator<Item = (f64, f64)> + '_ {
        let mut rng = SplitMix64::new(seed, 3);
        std::iter::repeat_with(move || {
            if rng.unit() < POINT_TOWN_SHARE {
                self.towns[rng.below(self.towns.len())].gaussian(&mut rng, POINT_SIGMA_M)
            } else {
                uniform_mainland(&mut rng)
            }
        })
    }
}

/// The first `n` items of a `(lon, lat, ...)` stream reprojected to Lambert-93 (for benches).
pub fn to_l93(lonlat: impl Iterator<Item = (f64, f64)>, n: usize) -> Vec<Coord<f64>> {
    let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).expect("PROJ WGS84 -> Lambert-93");
    lonlat
        .take(n)
        .map(|(x, y)| r.coord(Coord { x, y }).expect("reprojection"))
        .collect()
}
