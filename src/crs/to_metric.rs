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
