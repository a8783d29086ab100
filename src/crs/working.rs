//! The policy for the working CRS: projected, in metres, and with little distortion at the data.

use super::{Crs, Reprojector};
use crate::error::{Error, Result};

impl Crs {
    /// Parses and checks the CRS an analysis runs in: distances and areas are measured in it,
    /// so it must be a projected CRS in metres. Geographic CRSs (degrees), geocentric ones
    /// (x, y, z from the Earth's centre) and projected ones in feet are refused. Whether its
    /// scale error is small over the data is checked when data is read
    /// ([`ToMetric`](super::ToMetric)).
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
    scale_error_with(&Reprojector::new(Crs::WGS84, crs)?, lon, lat)
}

/// [`scale_error`] measured with `r`, a transformation from WGS84 lon/lat to the CRS.
pub(super) fn scale_error_with(r: &Reprojector, lon: f64, lat: f64) -> Result<f64> {
    use geo::{Distance, Geodesic, Point};
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
