//! Catching coordinates that cannot belong to their declared CRS: swapped axes, metres
//! declared as degrees and the reverse, points outside the working CRS's area of use.

use geo::{Coord, Intersects, Rect};

use super::{Crs, Reprojector};
use crate::error::{Error, Result};
use crate::geometry::bounds::{of_points, widened};

/// Catches coordinates that cannot belong to their declared CRS before they reach an analysis:
/// swapped latitude/longitude, metres declared as degrees, degrees declared as metres, points
/// outside the working CRS's area of use.
///
/// # Examples
///
/// ```
/// use qpv::crs::{Crs, Plausibility};
/// let p = Plausibility::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
/// // Belfort, longitude first: fine; latitude first: named as swapped.
/// assert!(p.check_source(geo::coord! { x: 6.85, y: 47.63 }, Crs::WGS84).is_ok());
/// let e = p.check_source(geo::coord! { x: 47.63, y: 6.85 }, Crs::WGS84).unwrap_err();
/// assert!(e.message.contains("swapped"), "{e:?}");
/// ```
#[derive(Debug, Clone)]
pub struct Plausibility {
    source_geographic: bool,
    /// Area of use of the working CRS in WGS84 degrees, widened by a margin.
    pub(crate) area_wgs84: Rect<f64>,
    /// The same area as an envelope in the working CRS.
    pub(crate) area_target: Rect<f64>,
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
        // Held while computing, so that threads asking at the same moment compute it once.
        let mut known = KNOWN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, _, p)) = known.iter().find(|(s, t, _)| (*s, *t) == (source, target)) {
            return Ok(p.clone());
        }
        let p = Self::compute(source, target)?;
        known.push((source, target, p.clone()));
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
        let area_wgs84 = widened(area, AREA_MARGIN_DEG);
        let to_target = Reprojector::new(Crs::WGS84, target)?;
        const STEPS: usize = 32;
        let to_target = &to_target;
        let samples = (0..=STEPS).flat_map(|i| {
            (0..=STEPS).filter_map(move |j| {
                let t = i as f64 / STEPS as f64;
                let u = j as f64 / STEPS as f64;
                let c = Coord {
                    x: area_wgs84.min().x + t * area_wgs84.width(),
                    y: area_wgs84.min().y + u * area_wgs84.height(),
                };
                to_target.coord(c).ok()
            })
        });
        let Some(area_target) = of_points(samples).filter(|r| r.min().x.is_finite()) else {
            return Err(Error::Crs(format!(
                "the area of use of {target} cannot be mapped into it; choose another CRS for the analysis"
            )));
        };
        Ok(Plausibility {
            source_geographic: source_info.geographic,
            area_wgs84,
            area_target,
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

    /// True when the source CRS is geographic (degrees).
    pub fn is_geographic_source(&self) -> bool {
        self.source_geographic
    }

    /// True when `c` is finite and lies in the working CRS's area (a rectangle, widened by
    /// a margin): in the identity between projected CRSs, exactly the coordinates that pass
    /// both [`Self::check_source`] and [`Self::check_target`].
    pub fn in_target_area(&self, c: Coord<f64>) -> bool {
        c.x.is_finite() && c.y.is_finite() && self.area_target.intersects(&c)
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
