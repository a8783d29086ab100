//! The door of every reader: a transformation into the working CRS with its plausibility and
//! scale checks.

use geo::{Coord, Geometry};

use super::working::scale_error_with;
use super::{Crs, Implausible, MAX_SCALE_ERROR, Plausibility, Reprojector, scale_error};
use crate::error::Result;

/// A [`Reprojector`] into the working CRS together with its [`Plausibility`] checks.
///
/// # Examples
///
/// ```
/// use qpv::crs::{Crs, ToMetric};
/// let m = ToMetric::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
/// // Lycée Condorcet, Belfort: cs2cs gives (989031.80, 6732842.20).
/// let c = m.coord(geo::coord! { x: 6.850322315354423, y: 47.63252927885913 }).unwrap();
/// assert!((c.x - 989031.80).abs() < 0.01 && (c.y - 6732842.20).abs() < 0.01);
/// // A point of La Réunion is refused in Lambert-93, with the local CRS as the hint.
/// let e = m.coord(geo::coord! { x: 55.45, y: -20.88 }).unwrap_err();
/// assert!(e.hint.contains("EPSG:2975"), "{e:?}");
/// ```
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
        // The checks first: the transformation they build for themselves is then given back
        // to the pool, and taken again just below.
        let plausibility = Plausibility::new(source, target)?;
        Ok(ToMetric {
            reprojector: Reprojector::new(source, target)?,
            plausibility,
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
        let error = if source == Crs::WGS84 {
            // This transformation is the one the scale is measured with.
            scale_error_with(&self.reprojector, c.x, c.y).map(|e| (c, e))
        } else {
            Reprojector::new(source, Crs::WGS84)
                .and_then(|r| r.coord(c))
                .and_then(|ll| Ok((ll, scale_error(target, ll.x, ll.y)?)))
        };
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

    /// The closed ring of the square cell of lower-left `corner` and side `size` (in the
    /// source CRS): its corners counter-clockwise from `corner`, each checked and
    /// transformed by [`Self::coord`] in that order, the first failure returned.
    ///
    /// # Examples
    /// ```
    /// use qpv::crs::{Crs, ToMetric};
    /// let laea = ToMetric::new(Crs::LAEA_EUROPE, Crs::LAEA_EUROPE).unwrap();
    /// let ring = laea.cell(geo::coord! { x: 4079600.0, y: 2730200.0 }, 200.0).unwrap();
    /// assert_eq!((ring[2].x, ring[2].y, ring[4]), (4079800.0, 2730400.0, ring[0]));
    /// ```
    ///
    /// # Performance
    /// In the identity between projected CRSs (a grid read in its own CRS), a square whose
    /// lower-left and upper-right corners pass the checks has its four corners inside the
    /// working CRS's area (a rectangle): the ring is written directly, without checking each
    /// corner again. Any other cell takes the corners one by one, with the same errors.
    pub fn cell(&self, corner: Coord<f64>, size: f64) -> Result<[Coord<f64>; 5], Implausible> {
        let far = Coord {
            x: corner.x + size,
            y: corner.y + size,
        };
        let corners = [
            corner,
            Coord {
                x: far.x,
                y: corner.y,
            },
            far,
            Coord {
                x: corner.x,
                y: far.y,
            },
        ];
        let source = self.reprojector.from();
        let direct = self.reprojector.is_identity()
            && !self.plausibility.is_geographic_source()
            && [corner, far]
                .iter()
                .all(|&c| self.plausibility.in_target_area(c))
            // The scale is measured at the first corner, as the first `coord` call would.
            && self
                .scale
                .get_or_init(|| self.check_scale(corner, source))
                .is_ok();
        let mut ring = [Coord::zero(); 5];
        if direct {
            ring[..4].copy_from_slice(&corners);
        } else {
            for (slot, c) in ring.iter_mut().zip(corners) {
                *slot = self.coord(c)?;
            }
        }
        ring[4] = ring[0];
        Ok(ring)
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

    /// Oracle: the four corners through `coord` one by one, in order (the general way).
    fn by_corners(m: &ToMetric, c: Coord<f64>, size: f64) -> Result<[Coord<f64>; 5], Implausible> {
        let far = coord! { x: c.x + size, y: c.y + size };
        let corners = [
            c,
            coord! { x: far.x, y: c.y },
            far,
            coord! { x: c.x, y: far.y },
        ];
        let mut ring = [Coord::zero(); 5];
        for (slot, c) in ring.iter_mut().zip(corners) {
            *slot = m.coord(c)?;
        }
        ring[4] = ring[0];
        Ok(ring)
    }

    // Cells inside, across and outside each edge of the working CRS's area, in the identity
    // (the direct way) and through real transformations: the same rings, bit for bit, and
    // the same first error.
    #[test]
    fn cell_rings_are_those_of_the_corners_one_by_one() {
        for (source, target, size) in [
            (Crs::LAEA_EUROPE, Crs::LAEA_EUROPE, 200.0),
            (Crs::LAMBERT93, Crs::LAMBERT93, 1000.0),
            (Crs::LAEA_EUROPE, Crs::LAMBERT93, 200.0),
            (Crs::WGS84, Crs::LAMBERT93, 0.01),
        ] {
            let probe = ToMetric::new(source, target).unwrap();
            let area = probe.plausibility.area_target;
            let mut xs = vec![area.min().x, area.max().x, area.center().x];
            let mut ys = vec![area.min().y, area.max().y, area.center().y];
            if source == Crs::WGS84 {
                let a = probe.plausibility.area_wgs84;
                (xs, ys) = (
                    vec![a.min().x, a.max().x, a.center().x, 6.8, 47.6],
                    vec![a.min().y, a.max().y, a.center().y, 47.6, 6.8],
                );
            }
            let mut cells = 0;
            for &x in &xs {
                for &y in &ys {
                    for dx in [-2.5, -1.0, -0.5, 0.0, 0.5, 1.0] {
                        for dy in [-2.5, -1.0, -0.5, 0.0, 0.5, 1.0] {
                            let c = coord! { x: x + dx * size, y: y + dy * size };
                            // Fresh each time: the scale is measured at the first corner.
                            let (one, other) = (
                                ToMetric::new(source, target).unwrap(),
                                ToMetric::new(source, target).unwrap(),
                            );
                            let bits = |r: Result<[Coord<f64>; 5], Implausible>| {
                                r.map(|ring| ring.map(|c| (c.x.to_bits(), c.y.to_bits())))
                            };
                            assert_eq!(
                                bits(one.cell(c, size)),
                                bits(by_corners(&other, c, size)),
                                "{source} -> {target} at {c:?}"
                            );
                            cells += 1;
                        }
                    }
                }
            }
            assert!(cells >= 324);
        }
        // Both ways were taken: a cell inside is direct, one across the edge is not.
        let m = ToMetric::new(Crs::LAEA_EUROPE, Crs::LAEA_EUROPE).unwrap();
        let area = m.plausibility.area_target;
        // Europe's centre first (where the scale is measured), then a cell across the edge.
        let inside = m
            .cell(coord! { x: 4321000.0, y: 3210000.0 }, 200.0)
            .unwrap();
        assert_eq!(inside[2], coord! { x: 4321200.0, y: 3210200.0 });
        let edge = area.max();
        let e = m
            .cell(coord! { x: edge.x - 100.0, y: edge.y - 300.0 }, 200.0)
            .unwrap_err();
        assert!(e.message.contains(&format!("{}", edge.x + 100.0)), "{e:?}");
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
