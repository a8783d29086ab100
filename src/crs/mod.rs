//! Coordinate reference systems: parsing CRS names, reprojecting through PROJ, and catching
//! coordinates that cannot belong to the CRS they are declared in.
//!
//! Every analysis runs in one metric CRS (Lambert-93, EPSG:2154, unless `--crs` says otherwise);
//! reprojection happens only when data enters (readers) or leaves (GeoJSON writers).
//!
//! One concern per file: [`Crs`] itself here; reading CRS names and the EPSG database in
//! `parse`; the choice of the working CRS (metric, little distortion) in `working`;
//! transformations and their process-wide cache in `transform`; the plausibility checks of
//! coordinates in `plausibility`; both together at the door of every reader in `to_metric`.

use std::fmt;

mod database;
mod parse;
mod plausibility;
mod to_metric;
mod transform;
mod working;

pub use database::{CrsInfo, wkt_and_proj4};
pub use parse::parse_user_point;
pub use plausibility::{Implausible, Plausibility};
pub use to_metric::ToMetric;
pub use transform::Reprojector;
pub use working::{MAX_SCALE_ERROR, scale_error};

/// A coordinate reference system known by its EPSG code.
///
/// `CRS84` (OGC's lon/lat WGS84) maps to EPSG:4326: PROJ is always asked for the
/// "visualisation" axis order, x = easting/longitude, y = northing/latitude.
///
/// # Examples
///
/// ```
/// use qpv::crs::Crs;
/// assert_eq!(Crs::epsg(2154), Crs::LAMBERT93);
/// assert_eq!(Crs::LAMBERT93.code(), 2154);
/// assert_eq!(Crs::LAMBERT93.to_string(), "EPSG:2154");
/// ```
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
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.0)
    }
}
