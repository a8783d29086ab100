//! Reading CRS names (`EPSG:2154`, URNs, `CRS84`) and points typed by users, and what the EPSG
//! database says about a code.

use geo::{Coord, Rect};

use super::database::{CrsInfo, describe};
use super::{Crs, ToMetric};
use crate::error::{Error, Result};

impl Crs {
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
            Ok(code) if code > 0 && (upper.contains("EPSG") || upper == digits) => {
                Ok(Crs::epsg(code))
            }
            _ => Err(Error::usage(
                format!("'{text}' is not a coordinate reference system this tool understands"),
                "write it as EPSG:<code>, e.g. EPSG:2154 (Lambert-93), EPSG:4326 (WGS84 lon/lat), EPSG:2975 (La Réunion)",
            )),
        }
    }

    /// Name, kind and area of use as PROJ's database knows them.
    pub fn info(self) -> Result<CrsInfo> {
        static KNOWN: std::sync::Mutex<Vec<CrsInfo>> = std::sync::Mutex::new(Vec::new());
        // Held while the database is read, so that threads asking at the same moment read it
        // once.
        let mut known = KNOWN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(i) = known.iter().find(|i| i.crs == self) {
            return Ok(i.clone());
        }
        let info = match self.builtin_info() {
            Some(info) => info,
            None => self.info_uncached()?,
        };
        known.push(info.clone());
        Ok(info)
    }

    /// What the EPSG database says of WGS84, Lambert-93 and LAEA Europe (the CRSs of French
    /// data and of the INSEE grid), written out: opening the database costs 10-20 ms at the
    /// start of every run. A unit test checks each against the database.
    fn builtin_info(self) -> Option<CrsInfo> {
        let (name, projected, (west, south, east, north)) = match self {
            Crs::WGS84 => ("WGS 84", false, (-180.0, -90.0, 180.0, 90.0)),
            Crs::LAMBERT93 => ("RGF93 v1 / Lambert-93", true, (-9.86, 41.15, 10.38, 51.56)),
            Crs::LAEA_EUROPE => (
                "ETRS89-extended / LAEA Europe",
                true,
                (-35.58, 24.6, 44.83, 84.73),
            ),
            _ => return None,
        };
        Some(CrsInfo {
            crs: self,
            name: name.to_string(),
            geographic: !projected,
            geocentric: false,
            projected,
            metres_per_unit: if projected { 1.0 } else { 0.0 },
            area_of_use_wgs84: Some(Rect::new(
                Coord { x: west, y: south },
                Coord { x: east, y: north },
            )),
        })
    }

    fn info_uncached(self) -> Result<CrsInfo> {
        describe(self)?.ok_or_else(|| self.unknown())
    }

    /// The error for a code the EPSG database does not hold (no PROJ or GDAL text in it).
    pub(super) fn unknown(self) -> Error {
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
}

/// `what: message` for a usage error.
fn prefix_usage(e: Error, what: &str) -> Error {
    match e {
        Error::Usage { message, hint } => Error::usage(format!("{what}: {message}"), hint),
        other => other,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The written-out descriptions are the database's, field for field.
    #[test]
    fn builtin_info_is_the_database_s() {
        for crs in [Crs::WGS84, Crs::LAMBERT93, Crs::LAEA_EUROPE] {
            assert_eq!(
                crs.builtin_info(),
                Some(crs.info_uncached().unwrap()),
                "{crs}"
            );
        }
        assert_eq!(Crs::epsg(2975).builtin_info(), None);
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(Crs::parse("lambert").is_err());
        assert_eq!(Crs::parse("2975").unwrap(), Crs::epsg(2975));
        assert_eq!(Crs::parse("EPSG:3035").unwrap(), Crs::LAEA_EUROPE);
    }
}
