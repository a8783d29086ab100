//! Postal addresses to QPV status in one pass: each row is geocoded ([`AddressIndex`]) and its
//! position located among the zones ([`super::locate::locate`]), on every core, in input order
//! ([`super::batch::for_each_ordered`]).
//!
//! - A row that does not geocode is not an error: its status is `not_geocoded`, with the
//!   geocoder's reason.
//! - A position that stands for a number missing from the reference (`interpolated`, `street`)
//!   *needs a check* when it is `near` a boundary (within the tolerance) or when the boundary
//!   is within its geocoding uncertainty ([`Geocoded::uncertainty_m`]): the true address could
//!   lie on the other side. `housenumber` positions are never flagged beyond their `near`
//!   status (the reference point itself).

use geo::Coord;
use serde::Serialize;

use super::batch::{DEFAULT_CHUNK, Progress, for_each_ordered};
use super::locate::{LocateSummary, Located, Status, locate};
use crate::geocode::batch::Summary as PrecisionCounts;
use crate::geocode::{AddressColumns, AddressIndex, Geocoded};
use crate::index::ZoneIndex;
use crate::io::table::Row;

/// The status text of a row that did not geocode.
pub const NOT_GEOCODED: &str = "not_geocoded";

/// One address: its geocoding, its location (when geocoded) and why to check it, if so.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressLocation {
    /// The geocoding result.
    pub geocoded: Geocoded,
    /// The location of the geocoded position; `None` when not geocoded.
    pub located: Option<Located>,
    /// Why the QPV answer should be checked by hand (approximate position close to a
    /// boundary); `None` otherwise.
    pub check: Option<String>,
}

impl AddressLocation {
    /// `inside`, `near`, `outside` or `not_geocoded`.
    pub fn status(&self) -> &'static str {
        self.located
            .as_ref()
            .map_or(NOT_GEOCODED, |l| l.status.as_str())
    }

    /// The geocoded position, in the working CRS.
    pub fn point(&self) -> Option<Coord<f64>> {
        self.located.and(self.geocoded.point)
    }
}

/// Locates one geocoded address and decides whether it needs a check.
///
/// ```
/// use qpv::analysis::locate_addresses::locate_geocoded;
/// use qpv::crs::Crs;
/// use qpv::geocode::{AddressIndex, AddressQuery, Precision};
/// use qpv::index::ZoneIndex;
///
/// let zones = ZoneIndex::new(&qpv::io::embedded::zones(Crs::LAMBERT93).unwrap());
/// let addresses = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
/// // A BANO address point of Les Résidences.
/// let g = addresses.geocode(&AddressQuery::text("17 rue de Luxembourg 90000 Belfort"));
/// let a = locate_geocoded(&zones, g, 25.0);
/// assert_eq!(a.status(), "inside");
/// assert_eq!(zones.zone(a.located.unwrap().zone.unwrap()).code, "QN09004M");
/// assert_eq!(a.check, None);
/// // Nothing to locate.
/// let a = locate_geocoded(&zones, addresses.geocode(&AddressQuery::text("n'importe quoi")), 25.0);
/// assert_eq!((a.status(), a.located), ("not_geocoded", None));
/// ```
pub fn locate_geocoded(zones: &ZoneIndex, geocoded: Geocoded, tolerance_m: f64) -> AddressLocation {
    let Some(p) = geocoded.point else {
        return AddressLocation {
            geocoded,
            located: None,
            check: None,
        };
    };
    let located = locate(zones, p, tolerance_m);
    let check = check_reason(zones, &geocoded, &located);
    AddressLocation {
        geocoded,
        located: Some(located),
        check,
    }
}

fn check_reason(zones: &ZoneIndex, g: &Geocoded, located: &Located) -> Option<String> {
    if !g.precision.is_approximate() {
        return None;
    }
    let d = located.signed_distance_m?;
    let uncertainty = g.uncertainty_m.unwrap_or(0.0);
    if located.status != Status::Near && d.abs() > uncertainty {
        return None;
    }
    let code = &zones.zone(located.zone.or(located.nearest_zone)?).code;
    let side = if d < 0.0 {
        "inside"
    } else if d > 0.0 {
        "outside"
    } else {
        "on"
    };
    Some(format!(
        "{} position, uncertain by up to {uncertainty:.0} m, {:.1} m {side} the boundary of {code}",
        g.precision,
        d.abs()
    ))
}

/// Counts of an address run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AddressSummary {
    /// Rows read.
    pub rows: u64,
    /// The geocoded rows, located (inside / near / outside, per zone).
    pub located: LocateSummary,
    /// Rows that did not geocode.
    pub not_geocoded: u64,
    /// Rows flagged for a check.
    pub needs_check: u64,
    /// Rows by geocoding precision.
    pub precision: PrecisionCounts,
}

impl AddressSummary {
    /// Adds one row.
    pub fn add(&mut self, zones: &ZoneIndex, a: &AddressLocation) {
        self.rows += 1;
        self.precision.add(&a.geocoded);
        match &a.located {
            Some(l) => self.located.add(zones, l),
            None => self.not_geocoded += 1,
        }
        if a.check.is_some() {
            self.needs_check += 1;
        }
    }

    /// Percentage of `count` over the rows read (0 when there is none).
    pub fn percent(&self, count: u64) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            100.0 * count as f64 / self.rows as f64
        }
    }
}

/// Geocodes and locates a stream of table rows on every core (chunks of
/// [`DEFAULT_CHUNK`]), handing each row with its [`AddressLocation`] to `sink` in input order;
/// returns the summary. `columns` says where the address is in each row (see
/// [`crate::geocode::AddressRows`], which yields such rows).
///
/// ```
/// use std::path::Path;
/// use qpv::analysis::batch::NoProgress;
/// use qpv::analysis::locate_addresses::locate_address_stream;
/// use qpv::crs::Crs;
/// use qpv::geocode::{AddressIndex, AddressRows, batch::ColumnNames};
/// use qpv::index::ZoneIndex;
/// use qpv::io::table::{TableOptions, TableReader};
///
/// let zones = ZoneIndex::new(&qpv::io::embedded::zones(Crs::LAMBERT93).unwrap());
/// let addresses = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
/// let csv = "nom;adresse\nA;17 rue de Luxembourg 90000 Belfort\nB;nulle part\nC;12 rue Danton 90000 Belfort\n";
/// let reader = TableReader::from_bytes(Path::new("a.csv"), csv.into(), &TableOptions::default()).unwrap();
/// let rows = AddressRows::new(reader, &ColumnNames::default()).unwrap();
/// let columns = rows.columns();
/// let mut statuses = Vec::new();
/// let summary = locate_address_stream(&zones, &addresses, &columns, rows, 25.0, |row, a| {
///     statuses.push((row.fields[0].to_string(), a.status()));
///     Ok(())
/// }, &mut NoProgress).unwrap();
/// assert_eq!(statuses, [("A".into(), "inside"), ("B".into(), "not_geocoded"), ("C".into(), "outside")]);
/// assert_eq!((summary.rows, summary.located.inside, summary.not_geocoded), (3, 1, 1));
/// ```
pub fn locate_address_stream<I, E, S>(
    zones: &ZoneIndex,
    addresses: &AddressIndex,
    columns: &AddressColumns,
    rows: I,
    tolerance_m: f64,
    mut sink: S,
    progress: &mut dyn Progress,
) -> Result<AddressSummary, E>
where
    I: IntoIterator<Item = Result<Row, E>>,
    S: FnMut(Row, &AddressLocation) -> Result<(), E>,
{
    let mut summary = AddressSummary::default();
    for_each_ordered(
        rows,
        DEFAULT_CHUNK,
        |row: &Row| {
            let g = addresses.geocode(&columns.query(&row.fields));
            locate_geocoded(zones, g, tolerance_m)
        },
        |row, a| {
            summary.add(zones, &a);
            sink(row, &a)
        },
        progress,
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geocode::Precision;
    use crate::model::{Attributes, Zone};
    use geo::{MultiPolygon, polygon};

    fn square() -> ZoneIndex {
        let p = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
        ZoneIndex::new(&[Zone {
            code: "Z1".into(),
            name: "Square".into(),
            communes: vec![],
            geometry: MultiPolygon(vec![p]),
            attributes: Attributes::default(),
        }])
    }

    fn at(x: f64, precision: Precision, uncertainty: f64) -> Geocoded {
        Geocoded {
            precision,
            score: 1.0,
            point: Some(Coord { x, y: 50.0 }),
            lonlat: None,
            label: String::new(),
            reason: String::new(),
            uncertainty_m: Some(uncertainty),
            corrected: false,
        }
    }

    #[test]
    fn approximate_positions_near_or_within_their_uncertainty_of_a_boundary_are_flagged() {
        let z = square();
        // Inside, 40 m from the boundary: flagged only when the uncertainty reaches 40 m.
        let a = locate_geocoded(&z, at(60.0, Precision::Street, 39.9), 25.0);
        assert_eq!((a.status(), a.check.is_some()), ("inside", false));
        let a = locate_geocoded(&z, at(60.0, Precision::Street, 40.0), 25.0);
        assert_eq!(a.status(), "inside");
        assert_eq!(
            a.check.as_deref(),
            Some("street position, uncertain by up to 40 m, 40.0 m inside the boundary of Z1")
        );
        // Near (10 m outside), small uncertainty: flagged because near.
        let a = locate_geocoded(&z, at(110.0, Precision::Interpolated, 3.0), 25.0);
        assert_eq!(a.status(), "near");
        assert_eq!(
            a.check.as_deref(),
            Some(
                "interpolated position, uncertain by up to 3 m, 10.0 m outside the boundary of Z1"
            )
        );
        // An exact address point is never flagged, even near.
        let a = locate_geocoded(&z, at(110.0, Precision::Housenumber, 0.0), 25.0);
        assert_eq!((a.status(), a.check), ("near", None));
        // Far outside, far beyond the uncertainty.
        let a = locate_geocoded(&z, at(300.0, Precision::Street, 150.0), 25.0);
        assert_eq!((a.status(), a.check), ("outside", None));
        let a = locate_geocoded(&z, at(300.0, Precision::Street, 200.0), 25.0);
        assert_eq!(a.status(), "outside");
        assert!(a.check.unwrap().contains("200.0 m outside"));
    }

    #[test]
    fn summary_counts_rows_statuses_and_checks() {
        let z = square();
        let mut s = AddressSummary::default();
        for g in [
            at(50.0, Precision::Housenumber, 0.0),
            at(95.0, Precision::Street, 10.0),
            at(500.0, Precision::Interpolated, 5.0),
        ] {
            s.add(&z, &locate_geocoded(&z, g, 25.0));
        }
        let none = Geocoded {
            point: None,
            precision: Precision::NotFound,
            uncertainty_m: None,
            ..at(0.0, Precision::NotFound, 0.0)
        };
        s.add(&z, &locate_geocoded(&z, none, 25.0));
        assert_eq!(s.rows, 4);
        assert_eq!(
            (s.located.inside, s.located.near, s.located.outside),
            (1, 1, 1)
        );
        assert_eq!((s.not_geocoded, s.needs_check), (1, 1));
        assert_eq!(
            (
                s.precision.housenumber,
                s.precision.street,
                s.precision.interpolated,
                s.precision.not_found
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(s.percent(s.not_geocoded), 25.0);
    }
}
