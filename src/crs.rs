//! Coordinate reference systems: parsing CRS names, reprojecting through PROJ, and catching
//! coordinates that cannot belong to the CRS they are declared in.
//!
//! Every analysis runs in one metric CRS (Lambert-93, EPSG:2154, unless `--crs` says otherwise);
//! reprojection happens only when data enters (readers) or leaves (GeoJSON writers).

use std::fmt;

use geo::{Coord, Geometry, Intersects, Rect};
use proj::Proj;

use crate::error::{Error, Result};

/// A coordinate reference system known by its EPSG code.
///
/// `CRS84` (OGC's lon/lat WGS84) maps to EPSG:4326: PROJ is always asked for the
/// "visualisation" axis order, x = easting/longitude, y = northing/latitude.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Crs(u32);

impl Crs {
    /// WGS84 longitude/latitude (RFC 7946 GeoJSON, GPS, web maps).
    pub const WGS84: Crs = Crs(4326);
    /// RGF93 / Lambert-93, the legal projection of metropolitan France.
    pub const LAMBERT93: Crs = Crs(2154);
    /// ETRS89 / LAEA Europe, the CRS of the INSEE/Eurostat 200 m grid.
    pub const LAEA_EUROPE: Crs = Crs(3035);

    /// The CRS with this EPSG code.
    pub const fn epsg(code: u32) -> Crs {
        Crs(code)
    }

    /// The EPSG code.
    pub const fn code(self) -> u32 {
        self.0
    }

    /// Parses the usual spellings: `EPSG:2154`, `2154`, `urn:ogc:def:crs:EPSG::2154`,
    /// `urn:ogc:def:crs:OGC:1.3:CRS84`, `CRS84`, `WGS84`, `Lambert-93`.
    ///
    /// ```
    /// use qpv::crs::Crs;
    /// assert_eq!(Crs::parse("urn:ogc:def:crs:EPSG::2154").unwrap(), Crs::LAMBERT93);
    /// assert_eq!(Crs::parse("urn:ogc:def:crs:OGC:1.3:CRS84").unwrap(), Crs::WGS84);
    /// assert!(Crs::parse("EPSG:abc").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Crs> {
        let t = text.trim();
        let upper = t.to_ascii_uppercase();
        if upper.ends_with("CRS84") || upper == "WGS84" || upper == "WGS 84" {
            return Ok(Crs::WGS84);
        }
        if upper == "LAMBERT-93" || upper == "LAMBERT93" || upper == "RGF93 / LAMBERT-93" {
            return Ok(Crs::LAMBERT93);
        }
        let digits = upper
            .rsplit([':', '/'])
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        match digits.parse::<u32>() {
            Ok(code) if code > 0 && (upper.contains("EPSG") || upper == digits) => Ok(Crs(code)),
            _ => Err(Error::usage(
                format!("'{text}' is not a coordinate reference system this tool understands"),
                "write it as EPSG:<code>, e.g. EPSG:2154 (Lambert-93), EPSG:4326 (WGS84 lon/lat), EPSG:2975 (La Réunion)",
            )),
        }
    }

    /// Name, kind and area of use as PROJ's database knows them.
    pub fn info(self) -> Result<CrsInfo> {
        static KNOWN: std::sync::Mutex<Vec<CrsInfo>> = std::sync::Mutex::new(Vec::new());
        if let Some(i) = KNOWN
            .lock()
            .ok()
            .and_then(|k| k.iter().find(|i| i.crs == self).cloned())
        {
            return Ok(i);
        }
        let info = self.info_uncached()?;
        if let Ok(mut k) = KNOWN.lock() {
            k.push(info.clone());
        }
        Ok(info)
    }

    fn info_uncached(self) -> Result<CrsInfo> {
        quiet_gdal();
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(self.0).map_err(|_| self.unknown())?;
        let area = srs.area_of_use().map(|a| {
            Rect::new(
                Coord {
                    x: a.west_lon_degree,
                    y: a.south_lat_degree,
                },
                Coord {
                    x: a.east_lon_degree,
                    y: a.north_lat_degree,
                },
            )
        });
        Ok(CrsInfo {
            crs: self,
            name: srs.name().unwrap_or_default(),
            geographic: srs.is_geographic(),
            geocentric: srs.is_geocentric(),
            projected: srs.is_projected(),
            metres_per_unit: if srs.is_projected() {
                srs.linear_units()
            } else {
                0.0
            },
            area_of_use_wgs84: area,
        })
    }

    /// The error for a code the EPSG database does not hold (no PROJ or GDAL text in it).
    fn unknown(self) -> Error {
        Error::usage(
            format!("{self} is not a known EPSG coordinate reference system"),
            "check the code on epsg.io; e.g. EPSG:2154 (Lambert-93), EPSG:4326 (WGS84 lon/lat), EPSG:2975 (La Réunion)",
        )
    }

    /// Parses `text` (as [`Crs::parse`]) and checks the code is in the EPSG database; `what`
    /// names where the text came from (`--source-crs`, a file's `crs` member) in the error.
    pub fn parse_known(text: &str, what: &str) -> Result<Crs> {
        let crs = Crs::parse(text).map_err(|e| prefix_usage(e, what))?;
        crs.info().map_err(|e| prefix_usage(e, what))?;
        Ok(crs)
    }

    /// Parses and checks the CRS an analysis runs in: distances and areas are measured in it,
    /// so it must be a projected CRS in metres. Geographic CRSs (degrees), geocentric ones
    /// (x, y, z from the Earth's centre) and projected ones in feet are refused. Whether its
    /// scale error is small over the data is checked when data is read ([`ToMetric`]).
    ///
    /// ```
    /// use qpv::crs::Crs;
    /// assert_eq!(Crs::working("EPSG:2154").unwrap(), Crs::LAMBERT93);
    /// let e = Crs::working("EPSG:4326").unwrap_err().to_string();
    /// assert!(e.contains("degrees"), "{e}");
    /// assert!(Crs::working("EPSG:4978").unwrap_err().to_string().contains("geocentric"));
    /// ```
    pub fn working(text: &str) -> Result<Crs> {
        let crs = Crs::parse_known(text, "--crs")?;
        let info = crs.info()?;
        let use_instead = "use a projected CRS in metres with small distortion over your data: EPSG:2154 (Lambert-93, metropolitan France), EPSG:2975 (La Réunion), EPSG:5490 (Antilles), EPSG:2972 (Guyane), EPSG:4471 (Mayotte)";
        let refuse = |why: String| {
            Err(Error::usage(
                format!("--crs {crs} ({}) {why}", info.name),
                use_instead,
            ))
        };
        if info.geographic {
            return refuse("is a geographic CRS: its coordinates are degrees of longitude and latitude, and distances in degrees are not metres".into());
        }
        if info.geocentric {
            return refuse("is a geocentric CRS (x, y, z from the Earth's centre): distances on the ground cannot be measured in its x, y plane".into());
        }
        if !info.projected {
            return refuse("is not a projected CRS".into());
        }
        if (info.metres_per_unit - 1.0).abs() > 1e-9 {
            return refuse(format!(
                "measures in units of {} m, not metres",
                info.metres_per_unit
            ));
        }
        Ok(crs)
    }
}

/// `what: message` for a usage error.
fn prefix_usage(e: Error, what: &str) -> Error {
    match e {
        Error::Usage { message, hint } => Error::usage(format!("{what}: {message}"), hint),
        other => other,
    }
}

/// GDAL's own stderr messages silenced (once, process-wide): errors are reported by this
/// crate, with the file and a hint.
pub(crate) fn quiet_gdal() {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| gdal::config::set_error_handler(|_, _, _| {}));
}

/// A point typed by the user on the command line (`X,Y`): taken as metres in `working`, or as
/// longitude,latitude in WGS84 degrees (and reprojected) when both numbers look like degrees
/// (|x| ≤ 180, |y| ≤ 90: no point of a projected CRS used in France is that close to its
/// origin). `flag` names the option in errors.
///
/// ```
/// use qpv::crs::{parse_user_point, Crs};
/// let m = parse_user_point("989152.5,6734321", "--near-point", Crs::LAMBERT93).unwrap();
/// assert_eq!((m.x, m.y), (989152.5, 6734321.0));
/// // Belfort in degrees: reprojected to Lambert-93 (cs2cs gives 989031.80 6732842.20).
/// let d = parse_user_point("6.850322315354423,47.63252927885913", "--near-point", Crs::LAMBERT93).unwrap();
/// assert!((d.x - 989031.80).abs() < 0.01 && (d.y - 6732842.20).abs() < 0.01);
/// assert!(parse_user_point("47.6", "--near-point", Crs::LAMBERT93).is_err());
/// ```
pub fn parse_user_point(text: &str, flag: &str, working: Crs) -> Result<Coord<f64>> {
    let bad = || {
        Error::usage(
            format!("{flag} '{text}' is not X,Y"),
            format!(
                "give two numbers separated by a comma: metres in the working CRS (e.g. {flag} 989152.5,6734321.0) or longitude,latitude in degrees (e.g. {flag} 6.8503,47.6325)"
            ),
        )
    };
    let nums: Vec<f64> = text
        .split(',')
        .map(|t| t.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<Vec<f64>>>()
        .ok_or_else(bad)?;
    let [x, y] = nums[..] else {
        return Err(bad());
    };
    let c = Coord { x, y };
    if x.abs() > 180.0 || y.abs() > 90.0 {
        return Ok(c);
    }
    let to_metric = ToMetric::new(Crs::WGS84, working)?;
    to_metric.coord(c).map_err(|e| {
        Error::usage(
            format!("{flag} {text} (read as longitude,latitude): {}", e.message),
            e.hint,
        )
    })
}

/// PROJ's error text without the wrapper's words ("The underlying PROJ call failed").
fn clean_proj(text: &str) -> String {
    text.replace("The underlying PROJ call failed: ", "")
        .replace("PROJ", "the projection library")
}

/// Largest scale error of the working CRS accepted at the data (1 %: distances off by at most
/// 3 m at 300 m). Lambert-93 stays within 0.3 % over metropolitan France, UTM zones within
/// 0.1 %; Web Mercator is off by 48 % at Belfort's latitude.
pub const MAX_SCALE_ERROR: f64 = 0.01;

/// The scale error of `crs` at (lon, lat): the largest relative difference between a short
/// distance measured in the projected plane and the same distance on the WGS84 ellipsoid
/// (Karney's geodesic), north-south and east-west, over 100 m steps. 0.0 means exact.
///
/// ```
/// use qpv::crs::{scale_error, Crs};
/// // Web Mercator stretches by about 1/cos(latitude) (1.484 at 47.64°N on the sphere).
/// let e = scale_error(Crs::epsg(3857), 6.86, 47.64).unwrap();
/// assert!(e > 0.47 && e < 0.50, "{e}");
/// assert!(scale_error(Crs::LAMBERT93, 6.86, 47.64).unwrap() < 0.001);
/// ```
pub fn scale_error(crs: Crs, lon: f64, lat: f64) -> Result<f64> {
    use geo::{Distance, Geodesic, Point};
    let r = Reprojector::new(Crs::WGS84, crs)?;
    let at = Point::new(lon, lat);
    let here = r.coord(at.0)?;
    let mut worst: f64 = 0.0;
    // 100 m is about 0.0009° of latitude.
    for (dx, dy) in [
        (0.0, 0.0009),
        (0.0009 / lat.to_radians().cos().max(0.01), 0.0),
    ] {
        let there = Point::new(lon + dx, lat + dy);
        let plane = r.coord(there.0)?;
        let ground = Geodesic.distance(at, there);
        let projected = (plane.x - here.x).hypot(plane.y - here.y);
        worst = worst.max((projected / ground - 1.0).abs());
    }
    Ok(worst)
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.0)
    }
}

/// What PROJ's database says about a CRS.
#[derive(Debug, Clone)]
pub struct CrsInfo {
    /// The CRS.
    pub crs: Crs,
    /// Its name, e.g. "RGF93 v1 / Lambert-93".
    pub name: String,
    /// True for longitude/latitude CRSs (degrees), false for projected ones (metres).
    pub geographic: bool,
    /// True for Earth-centred x, y, z CRSs (EPSG:4978).
    pub geocentric: bool,
    /// True for projected CRSs (map coordinates).
    pub projected: bool,
    /// Metres per unit of a projected CRS's coordinates (1.0 for metres; 0.0 otherwise).
    pub metres_per_unit: f64,
    /// Where the CRS may be used, in WGS84 degrees.
    pub area_of_use_wgs84: Option<Rect<f64>>,
}

/// A coordinate transformation between two CRSs through PROJ (identity when they are equal).
///
/// PROJ objects are not thread-safe: build one `Reprojector` per thread.
pub struct Reprojector {
    from: Crs,
    to: Crs,
    /// PROJ's whole transformation; `None` for the identity, or when a projection step
    /// verified earlier in the process stands in for it.
    proj: Option<Proj>,
    /// The projection step of the transformation, fed with radians (see [`projection_step`]).
    step: Option<Proj>,
}

/// PROJ's own text of the transformation it chose, when that is "degrees to radians, then one
/// projection" (as from WGS84 lon/lat to Lambert-93 or to any UTM zone).
const DEGREES_THEN_ONE_STEP: &str =
    "proj=pipeline step proj=unitconvert xy_in=deg xy_out=rad step ";

/// The projection step of `proj` as a PROJ object of its own, when `proj` is
/// [`DEGREES_THEN_ONE_STEP`] and the step, fed with `to_radians()` of the input, gives the
/// same bits as `proj` on a grid of 81 points over the transformation's area of use (the two
/// conversions multiply by the same double, and the step is the same PROJ code). Why: PROJ's
/// per-step overhead is a quarter of a reprojection, and national runs reproject tens of
/// millions of points. `None` (use `proj` itself) for any other transformation.
fn projection_step(proj: &Proj) -> Option<(Proj, String)> {
    // The proj crate panics if PROJ gives no text for the object.
    let definition = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| proj.def()))
        .ok()?
        .ok()?;
    let step = definition.strip_prefix(DEGREES_THEN_ONE_STEP)?;
    let tokens: Vec<&str> = step.split(' ').filter(|t| !t.is_empty()).collect();
    if !tokens.first()?.starts_with("proj=")
        || tokens
            .iter()
            .any(|t| *t == "step" || *t == "inv" || t.starts_with("proj=pipeline"))
    {
        return None;
    }
    let text: Vec<String> = tokens.iter().map(|t| format!("+{t}")).collect();
    let text = text.join(" ");
    let step = Proj::new(&text).ok()?;
    let (west, south, east, north) = match proj.area_of_use() {
        Ok((Some(a), _)) => (a.west, a.south, a.east, a.north),
        _ => (-180.0, -85.0, 180.0, 85.0),
    };
    for i in 0..=8 {
        for j in 0..=8 {
            let lon = west + (east - west) * f64::from(i) / 8.0;
            let lat = south + (north - south) * f64::from(j) / 8.0;
            let whole = proj.convert((lon, lat));
            let alone = step.project((lon.to_radians(), lat.to_radians()), false);
            match (whole, alone) {
                (Ok(a), Ok(b))
                    if a.0.to_bits() == b.0.to_bits() && a.1.to_bits() == b.1.to_bits() => {}
                (Err(_), Err(_)) => {}
                _ => return None,
            }
        }
    }
    Some((step, text))
}

/// The definition of each verified projection step, by transformation, for this process: later
/// transformations of the same pair (one per thread, per file) start from it, without PROJ's
/// database search and the verification (about 10 ms each).
static STEPS: std::sync::Mutex<Vec<(Crs, Crs, String)>> = std::sync::Mutex::new(Vec::new());

impl Reprojector {
    /// A transformation `from` → `to`, in x/y (lon/lat) axis order.
    pub fn new(from: Crs, to: Crs) -> Result<Self> {
        if from == to {
            return Ok(Reprojector {
                from,
                to,
                proj: None,
                step: None,
            });
        }
        let known = STEPS.lock().ok().and_then(|steps| {
            steps
                .iter()
                .find(|(f, t, _)| (*f, *t) == (from, to))
                .map(|(_, _, d)| d.clone())
        });
        if let Some(step) = known.and_then(|d| Proj::new(&d).ok()) {
            return Ok(Reprojector {
                from,
                to,
                proj: None,
                step: Some(step),
            });
        }
        // An unknown code is named as such, before PROJ would print its own log line.
        from.info()?;
        to.info()?;
        let proj = Proj::new_known_crs(&from.to_string(), &to.to_string(), None)
            .map_err(|_| Error::Crs(format!("no transformation is known from {from} to {to}")))?;
        let step = projection_step(&proj);
        if let Some((_, text)) = &step
            && let Ok(mut steps) = STEPS.lock()
        {
            steps.push((from, to, text.clone()));
        }
        Ok(Reprojector {
            from,
            to,
            proj: Some(proj),
            step: step.map(|(p, _)| p),
        })
    }

    /// Source CRS.
    pub fn from(&self) -> Crs {
        self.from
    }

    /// Target CRS.
    pub fn to(&self) -> Crs {
        self.to
    }

    /// Transforms one coordinate. Non-finite results are errors.
    ///
    /// ```
    /// use qpv::crs::{Crs, Reprojector};
    /// let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    /// // The Lambert-93 origin meridian (3°E) at 46.5°N is (700000, 6600000).
    /// let c = r.coord(geo::coord! { x: 3.0, y: 46.5 }).unwrap();
    /// assert!((c.x - 700_000.0).abs() < 1e-3 && (c.y - 6_600_000.0).abs() < 1e-3);
    /// ```
    pub fn coord(&self, c: Coord<f64>) -> Result<Coord<f64>> {
        let converted = match (&self.step, &self.proj) {
            (Some(step), _) => step.project((c.x.to_radians(), c.y.to_radians()), false),
            (None, Some(p)) => p.convert((c.x, c.y)),
            (None, None) => Ok((c.x, c.y)),
        };
        let (x, y) = converted.map_err(|e| {
            Error::Crs(format!(
                "({}, {}) cannot be transformed from {} to {} ({})",
                c.x,
                c.y,
                self.from,
                self.to,
                clean_proj(&e.to_string())
            ))
        })?;
        let out = Coord { x, y };
        if out.x.is_finite() && out.y.is_finite() {
            Ok(out)
        } else {
            Err(Error::Crs(format!(
                "({}, {}) has no position in {} when read as {}",
                c.x, c.y, self.to, self.from
            )))
        }
    }

    /// Transforms a run of coordinates in place, in one PROJ call: the same values as
    /// [`Self::coord`] on each, with less overhead per point. On any failure the run is left
    /// unspecified and the error says only that one point failed: redo the run with
    /// [`Self::coord`] to learn which and why.
    pub fn coords(&self, run: &mut [(f64, f64)]) -> Result<()> {
        let done = match (&self.step, &self.proj) {
            (None, None) => return Ok(()),
            (Some(step), _) => {
                for c in run.iter_mut() {
                    *c = (c.0.to_radians(), c.1.to_radians());
                }
                step.project_array(run, false).map(|_| ())
            }
            (None, Some(p)) => p.convert_array(run).map(|_| ()),
        };
        done.map_err(|e| {
            Error::Crs(format!(
                "a point cannot be transformed ({})",
                clean_proj(&e.to_string())
            ))
        })?;
        if run.iter().all(|c| c.0.is_finite() && c.1.is_finite()) {
            Ok(())
        } else {
            Err(Error::Crs(
                "a point has no position in the target CRS".into(),
            ))
        }
    }

    /// Transforms every coordinate of a geometry in place.
    pub fn geometry(&self, g: &mut Geometry<f64>) -> Result<()> {
        if self.from == self.to {
            return Ok(());
        }
        crate::geometry::try_map_coords(g, &mut |c| self.coord(c))
    }
}

/// Catches coordinates that cannot belong to their declared CRS before they reach an analysis:
/// swapped latitude/longitude, metres declared as degrees, degrees declared as metres, points
/// outside the working CRS's area of use.
#[derive(Debug, Clone)]
pub struct Plausibility {
    source_geographic: bool,
    /// Area of use of the working CRS in WGS84 degrees, widened by a margin.
    area_wgs84: Rect<f64>,
    /// The same area as an envelope in the working CRS.
    area_target: Rect<f64>,
    target: Crs,
}

/// Why a coordinate was rejected: a message and a hint, to be wrapped with a file location.
#[derive(Debug, Clone, PartialEq)]
pub struct Implausible {
    /// What was seen.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Margin around a CRS's area of use within which points are still accepted (degrees).
const AREA_MARGIN_DEG: f64 = 0.5;

impl Plausibility {
    /// Checks for data read in `source` and analysed in `target` (computed once per pair and
    /// process: the area is mapped with a thousand reprojections).
    pub fn new(source: Crs, target: Crs) -> Result<Self> {
        static KNOWN: std::sync::Mutex<Vec<(Crs, Crs, Plausibility)>> =
            std::sync::Mutex::new(Vec::new());
        let known = KNOWN.lock().ok().and_then(|k| {
            k.iter()
                .find(|(s, t, _)| (*s, *t) == (source, target))
                .map(|(_, _, p)| p.clone())
        });
        if let Some(p) = known {
            return Ok(p);
        }
        let p = Self::compute(source, target)?;
        if let Ok(mut k) = KNOWN.lock() {
            k.push((source, target, p.clone()));
        }
        Ok(p)
    }

    fn compute(source: Crs, target: Crs) -> Result<Self> {
        let source_info = source.info()?;
        let target_info = target.info()?;
        let area = target_info.area_of_use_wgs84.ok_or_else(|| {
            Error::Crs(format!(
                "{target} has no area of use in the EPSG database; choose a projected CRS for the analysis"
            ))
        })?;
        let area_wgs84 = Rect::new(
            Coord {
                x: area.min().x - AREA_MARGIN_DEG,
                y: area.min().y - AREA_MARGIN_DEG,
            },
            Coord {
                x: area.max().x + AREA_MARGIN_DEG,
                y: area.max().y + AREA_MARGIN_DEG,
            },
        );
        let to_target = Reprojector::new(Crs::WGS84, target)?;
        let (mut min, mut max) = (
            Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        );
        const STEPS: usize = 32;
        for i in 0..=STEPS {
            for j in 0..=STEPS {
                let t = i as f64 / STEPS as f64;
                let u = j as f64 / STEPS as f64;
                let c = Coord {
                    x: area_wgs84.min().x + t * area_wgs84.width(),
                    y: area_wgs84.min().y + u * area_wgs84.height(),
                };
                if let Ok(p) = to_target.coord(c) {
                    min.x = min.x.min(p.x);
                    min.y = min.y.min(p.y);
                    max.x = max.x.max(p.x);
                    max.y = max.y.max(p.y);
                }
            }
        }
        if !min.x.is_finite() {
            return Err(Error::Crs(format!(
                "the area of use of {target} cannot be mapped into it; choose another CRS for the analysis"
            )));
        }
        Ok(Plausibility {
            source_geographic: source_info.geographic,
            area_wgs84,
            area_target: Rect::new(min, max),
            target,
        })
    }

    /// Checks a source coordinate before reprojection (catches swapped and mis-declared axes).
    pub fn check_source(&self, c: Coord<f64>, source: Crs) -> Result<(), Implausible> {
        if !c.x.is_finite() || !c.y.is_finite() {
            return Err(Implausible {
                message: format!("coordinate ({}, {}) is not a finite number", c.x, c.y),
                hint:
                    "remove the feature or fix its coordinates (NaN and Infinity are not positions)"
                        .into(),
            });
        }
        let looks_degrees = c.x.abs() <= 180.0 && c.y.abs() <= 90.0;
        if self.source_geographic {
            if !looks_degrees {
                return Err(Implausible {
                    message: format!(
                        "coordinate ({}, {}) is declared in degrees ({source}) but looks like metres",
                        c.x, c.y
                    ),
                    hint: "declare the real CRS (e.g. EPSG:2154 for Lambert-93 metres): a GeoJSON \"crs\" member, the CSV's EPSG column, or --source-crs".into(),
                });
            }
            if !self.area_wgs84.intersects(&c) {
                let swapped = Coord { x: c.y, y: c.x };
                if self.area_wgs84.intersects(&swapped) {
                    return Err(Implausible {
                        message: format!(
                            "coordinate ({}, {}) lies outside the area of {}, but ({}, {}) lies inside: latitude and longitude look swapped",
                            c.x, c.y, self.target, c.y, c.x
                        ),
                        hint: "write longitude first (x = lon, y = lat) as RFC 7946 requires, or name the columns with --x-column/--y-column".into(),
                    });
                }
                return Err(self.outside(c, source));
            }
        } else if looks_degrees && !self.area_target.intersects(&c) {
            return Err(Implausible {
                message: format!(
                    "coordinate ({}, {}) is declared in metres ({source}) but looks like longitude/latitude degrees",
                    c.x, c.y
                ),
                hint: "declare the data as EPSG:4326 (GeoJSON without a \"crs\" member, CSV lon/lat columns, or --source-crs EPSG:4326)".into(),
            });
        }
        Ok(())
    }

    /// Checks a coordinate after reprojection into the working CRS.
    pub fn check_target(
        &self,
        source_coord: Coord<f64>,
        c: Coord<f64>,
        source: Crs,
    ) -> Result<(), Implausible> {
        if self.area_target.intersects(&c) {
            Ok(())
        } else {
            Err(self.outside(source_coord, source))
        }
    }

    fn outside(&self, c: Coord<f64>, source: Crs) -> Implausible {
        Implausible {
            message: format!(
                "coordinate ({}, {}) in {source} lies outside the area of use of the working CRS {}",
                c.x, c.y, self.target
            ),
            hint: format!(
                "check the declared CRS of the input; for overseas territories choose the local metric CRS with --crs (e.g. EPSG:2975 La Réunion, EPSG:5490 Antilles, EPSG:2972 Guyane, EPSG:4471 Mayotte); working CRS area is lon {:.1}..{:.1}, lat {:.1}..{:.1}",
                self.area_wgs84.min().x,
                self.area_wgs84.max().x,
                self.area_wgs84.min().y,
                self.area_wgs84.max().y
            ),
        }
    }
}

/// A [`Reprojector`] into the working CRS together with its [`Plausibility`] checks.
pub struct ToMetric {
    /// The transformation.
    pub reprojector: Reprojector,
    /// The checks.
    pub plausibility: Plausibility,
    /// The working CRS's scale error measured at the first coordinate (see [`scale_error`]):
    /// refused above [`MAX_SCALE_ERROR`].
    scale: std::sync::OnceLock<Result<(), Implausible>>,
}

impl ToMetric {
    /// Transformation and checks for data in `source` analysed in `target`.
    pub fn new(source: Crs, target: Crs) -> Result<Self> {
        Ok(ToMetric {
            reprojector: Reprojector::new(source, target)?,
            plausibility: Plausibility::new(source, target)?,
            scale: std::sync::OnceLock::new(),
        })
    }

    /// Checks and transforms one coordinate.
    pub fn coord(&self, c: Coord<f64>) -> Result<Coord<f64>, Implausible> {
        let source = self.reprojector.from();
        self.plausibility.check_source(c, source)?;
        let out = self.reprojector.coord(c).map_err(|e| Implausible {
            message: e.to_string(),
            hint: "check the declared CRS of the input".into(),
        })?;
        self.plausibility.check_target(c, out, source)?;
        self.scale
            .get_or_init(|| self.check_scale(c, source))
            .clone()?;
        Ok(out)
    }

    /// The working CRS's scale error at `c` (in `source`), refused above [`MAX_SCALE_ERROR`].
    fn check_scale(&self, c: Coord<f64>, source: Crs) -> Result<(), Implausible> {
        let target = self.reprojector.to();
        let lonlat = if source == Crs::WGS84 {
            Ok(c)
        } else {
            Reprojector::new(source, Crs::WGS84).and_then(|r| r.coord(c))
        };
        let error = lonlat.and_then(|ll| Ok((ll, scale_error(target, ll.x, ll.y)?)));
        match error {
            Ok((ll, e)) if e > MAX_SCALE_ERROR => Err(Implausible {
                message: format!(
                    "the working CRS {target} distorts distances by {:.1} % at the data (lon {:.3}, lat {:.3}; measured against the WGS84 ellipsoid), more than the {} % accepted",
                    e * 100.0,
                    ll.x,
                    ll.y,
                    MAX_SCALE_ERROR * 100.0
                ),
                hint: "use a projected CRS made for the region with --crs: EPSG:2154 (Lambert-93, metropolitan France), EPSG:2975 (La Réunion), EPSG:5490 (Antilles), EPSG:2972 (Guyane), EPSG:4471 (Mayotte)".into(),
            }),
            _ => Ok(()),
        }
    }

    /// Checks and transforms every coordinate of a geometry in place; the first failure is
    /// returned and the geometry is then left partly transformed.
    pub fn geometry(&self, g: &mut Geometry<f64>) -> Result<(), Implausible> {
        crate::geometry::try_map_coords(g, &mut |c| self.coord(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    /// The projection-step shortcut: taken for lon/lat to Lambert-93 and to UTM 40S (La
    /// Réunion), bit for bit PROJ's whole transformation on 20,000 points; not taken where the
    /// transformation is anything else.
    #[test]
    fn projection_step_is_bit_identical_and_only_taken_when_it_applies() {
        for (to, west, south) in [(Crs::LAMBERT93, -5.0, 41.0), (Crs(2975), 55.0, -21.5)] {
            let r = Reprojector::new(Crs::WGS84, to).unwrap();
            assert!(r.step.is_some(), "{to}");
            // The second one of the pair starts from the remembered step.
            let again = Reprojector::new(Crs::WGS84, to).unwrap();
            assert!(again.step.is_some() && again.proj.is_none(), "{to}");
            let whole = Proj::new_known_crs("EPSG:4326", &to.to_string(), None).unwrap();
            let mut x: u64 = 0x2545_f491_4f6c_dd1d;
            let (mut run, mut each) = (Vec::new(), Vec::new());
            for _ in 0..10_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let lon = west + (x % 1_000_000) as f64 * 1e-5;
                let lat = south + ((x >> 20) % 1_000_000) as f64 * 1e-5;
                let a = whole.convert((lon, lat)).unwrap();
                let b = r.coord(coord! { x: lon, y: lat }).unwrap();
                assert_eq!(
                    (a.0.to_bits(), a.1.to_bits()),
                    (b.x.to_bits(), b.y.to_bits())
                );
                run.push((lon, lat));
                each.push(a);
            }
            // One PROJ call for the whole run: the same bits.
            again.coords(&mut run).unwrap();
            for (a, b) in each.iter().zip(&run) {
                assert_eq!(
                    (a.0.to_bits(), a.1.to_bits()),
                    (b.0.to_bits(), b.1.to_bits())
                );
            }
        }
        // Without the shortcut too, and a failing point fails the run.
        let ntf = Reprojector::new(Crs(27572), Crs::LAMBERT93).unwrap();
        let mut run = vec![(600_000.0, 2_400_000.0), (990_000.0, 2_300_000.0)];
        let each: Vec<Coord<f64>> = run
            .iter()
            .map(|c| ntf.coord(coord! { x: c.0, y: c.1 }).unwrap())
            .collect();
        ntf.coords(&mut run).unwrap();
        assert_eq!(run, each.iter().map(|c| (c.x, c.y)).collect::<Vec<_>>());
        let mut bad = vec![(3.0, 46.0), (f64::NAN, 46.0)];
        assert!(
            Reprojector::new(Crs::WGS84, Crs::LAMBERT93)
                .unwrap()
                .coords(&mut bad)
                .is_err()
        );
        // NTF (Paris) Lambert II étendu to Lambert-93 goes through a datum shift: no shortcut.
        assert!(
            Reprojector::new(Crs(27572), Crs::LAMBERT93)
                .unwrap()
                .step
                .is_none()
        );
        assert!(
            Reprojector::new(Crs::LAMBERT93, Crs::WGS84)
                .unwrap()
                .step
                .is_none()
        );
    }

    // Reference values from PROJ 9.1's cs2cs (EPSG:4326 takes latitude first there):
    //   echo "47.63252927885913 6.850322315354423" | cs2cs -f %.4f EPSG:4326 EPSG:2154
    //   989031.7998	6732842.2045
    // The Annuaire de l'éducation gives (989031.8, 6732842.2) for this school (Lycée Condorcet).
    #[test]
    fn wgs84_to_lambert93_matches_cs2cs() {
        let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
        let c = r
            .coord(coord! { x: 6.850322315354423, y: 47.63252927885913 })
            .unwrap();
        assert!((c.x - 989031.7998).abs() < 1e-3, "{c:?}");
        assert!((c.y - 6732842.2045).abs() < 1e-3, "{c:?}");
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(Crs::parse("lambert").is_err());
        assert_eq!(Crs::parse("2975").unwrap(), Crs::epsg(2975));
        assert_eq!(Crs::parse("EPSG:3035").unwrap(), Crs::LAEA_EUROPE);
    }

    #[test]
    fn swapped_lat_lon_is_named() {
        let m = ToMetric::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
        let e = m.coord(coord! { x: 47.63, y: 6.85 }).unwrap_err();
        assert!(e.message.contains("swapped"), "{e:?}");
    }

    #[test]
    fn metres_declared_as_degrees_is_named() {
        let m = ToMetric::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
        let e = m.coord(coord! { x: 989031.8, y: 6732842.2 }).unwrap_err();
        assert!(e.message.contains("looks like metres"), "{e:?}");
    }

    #[test]
    fn degrees_declared_as_metres_is_named() {
        let m = ToMetric::new(Crs::LAMBERT93, Crs::LAMBERT93).unwrap();
        let e = m.coord(coord! { x: 6.85, y: 47.63 }).unwrap_err();
        assert!(e.message.contains("looks like longitude/latitude"), "{e:?}");
    }

    #[test]
    fn point_in_reunion_is_outside_lambert93() {
        let m = ToMetric::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
        let e = m.coord(coord! { x: 55.45, y: -20.88 }).unwrap_err();
        assert!(e.hint.contains("EPSG:2975"), "{e:?}");
        let reunion = ToMetric::new(Crs::WGS84, Crs::epsg(2975)).unwrap();
        assert!(reunion.coord(coord! { x: 55.45, y: -20.88 }).is_ok());
    }
}
