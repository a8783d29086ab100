//! Point (address) location among zones: which zone contains the point, how far it is from the
//! nearest zone boundary, and whether that answer is certain given geocoding error.
//!
//! Status, with tolerance `t` (default 25 m) and signed distance `d` (negative inside):
//! - `near` when a zone boundary is at most `t` away, on either side (`|d| <= t`): a geocoding
//!   error of `t` could flip the answer;
//! - otherwise `inside` when a zone contains the point (`d < -t`), `outside` when none does
//!   (`d > t`, or no zone at all).
//!
//! A point exactly on a boundary belongs to the zone (closed polygons); on a boundary shared by
//! two zones, to the lowest code (see [`crate::index::ZoneIndex`]).

use std::collections::BTreeMap;

use geo::Coord;
use serde::Serialize;

use super::batch::{Progress, for_each_ordered};
use crate::index::ZoneIndex;

/// Default tolerance, metres: typical error of address geocoding.
pub const DEFAULT_TOLERANCE_M: f64 = 25.0;

/// Certainty of a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In a zone, farther than the tolerance from any boundary.
    Inside,
    /// Within the tolerance of a boundary, inside or outside.
    Near,
    /// In no zone, farther than the tolerance from every zone.
    Outside,
}

impl Status {
    /// `inside`, `near` or `outside`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Inside => "inside",
            Status::Near => "near",
            Status::Outside => "outside",
        }
    }
}

/// The location of one point. Zones are indices into the [`ZoneIndex`] (cheap to copy for
/// millions of points; look codes and names up with [`ZoneIndex::zone`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    /// Containing zone (interior or boundary), if any.
    pub zone: Option<usize>,
    /// Signed distance to the nearest zone boundary, metres (negative inside); `None` when
    /// there is no zone, or none within [`LocateOptions::distance_limit_m`].
    pub signed_distance_m: Option<f64>,
    /// Certainty status (see the module documentation).
    pub status: Status,
    /// Containing zone, else the zone with the nearest boundary.
    pub nearest_zone: Option<usize>,
}

/// Locates one point.
///
/// ```
/// use geo::{Coord, MultiPolygon, polygon};
/// use qpv::analysis::locate::{Status, locate};
/// use qpv::index::ZoneIndex;
/// use qpv::model::{Attributes, Zone};
///
/// let square = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
/// let zones = ZoneIndex::new(&[Zone { code: "Z1".into(), name: "Square".into(), communes: vec![],
///     geometry: MultiPolygon(vec![square]), attributes: Attributes::default() }]);
/// assert_eq!(locate(&zones, Coord { x: 50.0, y: 50.0 }, 25.0).status, Status::Inside);
/// assert_eq!(locate(&zones, Coord { x: 90.0, y: 50.0 }, 25.0).status, Status::Near);
/// assert_eq!(locate(&zones, Coord { x: 120.0, y: 50.0 }, 25.0).status, Status::Near);
/// assert_eq!(locate(&zones, Coord { x: 130.0, y: 50.0 }, 25.0).status, Status::Outside);
/// ```
pub fn locate(index: &ZoneIndex, p: Coord<f64>, tolerance_m: f64) -> Located {
    locate_with(
        index,
        p,
        &LocateOptions {
            tolerance_m,
            ..LocateOptions::default()
        },
    )
}

/// How points are located.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocateOptions {
    /// Distance to a boundary under which the status is `near` (metres).
    pub tolerance_m: f64,
    /// Points outside every zone get their distance to the nearest boundary only when it is
    /// at most this far (`None`: always). At national scale most points are kilometres from
    /// any QPV and their exact distance is most of the cost; the status does not depend on it
    /// as long as the limit is at least the tolerance.
    pub distance_limit_m: Option<f64>,
    /// Apply the limit to points inside a zone too (their distance is then `None` when the
    /// boundary is farther): for outputs that need the status but no distance.
    pub limit_inside: bool,
    /// Find only the containing zone: no distance, no nearest zone, and a status that says
    /// only whether a zone contains the point (`inside` or `outside`, never `near`). For
    /// outputs that write neither distances nor statuses (`--select id,code_qp`), where the
    /// boundary search would be most of the work.
    pub zone_only: bool,
}

impl Default for LocateOptions {
    fn default() -> Self {
        LocateOptions {
            tolerance_m: DEFAULT_TOLERANCE_M,
            distance_limit_m: None,
            limit_inside: false,
            zone_only: false,
        }
    }
}

/// Locates one point with [`LocateOptions`] (see [`locate`]).
pub fn locate_with(index: &ZoneIndex, p: Coord<f64>, options: &LocateOptions) -> Located {
    if options.zone_only {
        let zone = index.containing_zone(p);
        return Located {
            zone,
            signed_distance_m: None,
            status: if zone.is_some() {
                Status::Inside
            } else {
                Status::Outside
            },
            nearest_zone: zone,
        };
    }
    let tolerance_m = options.tolerance_m;
    // The status needs the distance up to the tolerance, whatever the limit.
    let limit = options
        .distance_limit_m
        .map_or(f64::INFINITY, |l| l.max(tolerance_m));
    let hit = if options.limit_inside {
        index.locate_bounded(p, limit)
    } else {
        index.locate_within(p, limit)
    };
    let status = match hit.signed_distance {
        Some(d) if d.abs() <= tolerance_m => Status::Near,
        _ if hit.zone.is_some() => Status::Inside,
        _ => Status::Outside,
    };
    Located {
        zone: hit.zone,
        signed_distance_m: hit.signed_distance,
        status,
        nearest_zone: hit.nearest_zone,
    }
}

/// Counts of a location run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LocateSummary {
    /// Points located.
    pub total: u64,
    /// Points with status `inside`.
    pub inside: u64,
    /// Points with status `near`.
    pub near: u64,
    /// Points with status `outside`.
    pub outside: u64,
    /// Points contained in a zone (status `inside`, or `near` on the inner side).
    pub in_zone: u64,
    /// Per zone code: points by status, attributed to the containing zone, else the nearest.
    pub per_zone: BTreeMap<String, ZoneCounts>,
}

/// Per-zone counts of a location run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ZoneCounts {
    /// Zone name.
    pub name: String,
    /// Points inside the zone, farther than the tolerance from its boundary.
    pub inside: u64,
    /// Points within the tolerance of its boundary, inside it.
    pub near_inside: u64,
    /// Points within the tolerance of its boundary, outside it.
    pub near_outside: u64,
}

impl LocateSummary {
    /// Adds one located point.
    pub fn add(&mut self, index: &ZoneIndex, located: &Located) {
        self.total += 1;
        match located.status {
            Status::Inside => self.inside += 1,
            Status::Near => self.near += 1,
            Status::Outside => self.outside += 1,
        }
        if located.zone.is_some() {
            self.in_zone += 1;
        }
        if located.status == Status::Outside {
            return;
        }
        let Some(z) = located.zone.or(located.nearest_zone) else {
            return;
        };
        let zone = index.zone(z);
        let count = |counts: &mut ZoneCounts| match (located.status, located.zone.is_some()) {
            (Status::Inside, _) => counts.inside += 1,
            (_, true) => counts.near_inside += 1,
            _ => counts.near_outside += 1,
        };
        // Looked up before inserting: no copy of the code for every point.
        if let Some(counts) = self.per_zone.get_mut(&zone.code) {
            count(counts);
            return;
        }
        let mut counts = ZoneCounts {
            name: zone.name.clone(),
            ..ZoneCounts::default()
        };
        count(&mut counts);
        self.per_zone.insert(zone.code.clone(), counts);
    }

    /// Percentage of `count` over the total (0 when there is no point).
    pub fn percent(&self, count: u64) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * count as f64 / self.total as f64
        }
    }
}

/// Locates a stream of `(payload, point)` rows on every core, handing each row with its
/// location to `sink` in input order, and returns the summary. The payload (e.g. the input
/// columns) is carried through untouched.
///
/// ```
/// use geo::{Coord, MultiPolygon, polygon};
/// use qpv::analysis::batch::NoProgress;
/// use qpv::analysis::locate::{LocateOptions, Status, locate_stream};
/// use qpv::index::ZoneIndex;
/// use qpv::model::{Attributes, Zone};
///
/// let square = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
/// let zones = ZoneIndex::new(&[Zone { code: "Z1".into(), name: "Square".into(), communes: vec![],
///     geometry: MultiPolygon(vec![square]), attributes: Attributes::default() }]);
/// let rows = (0..300).map(|i| Ok::<_, qpv::Error>((i, Coord { x: i as f64, y: 50.0 })));
/// let mut statuses = Vec::new();
/// let options = LocateOptions { tolerance_m: 25.0, ..LocateOptions::default() };
/// let summary = locate_stream(&zones, rows, &options, |i, _, located| {
///     statuses.push((i, located.status));
///     Ok(())
/// }, &mut NoProgress).unwrap();
/// // Inside: 26..=74; near: 0..=25, 75..=125 (boundary ± 25 m); outside: 126..=299.
/// assert_eq!((summary.inside, summary.near, summary.outside), (49, 77, 174));
/// assert_eq!(statuses[50], (50, Status::Inside));
/// ```
pub fn locate_stream<I, T, E, S>(
    index: &ZoneIndex,
    rows: I,
    options: &LocateOptions,
    mut sink: S,
    progress: &mut dyn Progress,
) -> Result<LocateSummary, E>
where
    I: IntoIterator<Item = Result<(T, Coord<f64>), E>>,
    T: Send + Sync,
    S: FnMut(T, Coord<f64>, &Located) -> Result<(), E>,
{
    let mut summary = LocateSummary::default();
    for_each_ordered(
        rows,
        super::batch::DEFAULT_CHUNK,
        |(_, p)| locate_with(index, *p, options),
        |(payload, p), located| {
            summary.add(index, &located);
            sink(payload, p, &located)
        },
        progress,
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::Crs;

    /// The distance limit changes neither statuses nor zones, and keeps every distance that is
    /// within it, on the real QPV of Grand Belfort and a lattice of points around them.
    #[test]
    fn distance_limit_keeps_statuses_and_near_distances() {
        let zones = crate::io::embedded::zones(Crs::LAMBERT93).unwrap();
        let index = ZoneIndex::new(&zones);
        let limited = LocateOptions {
            tolerance_m: 25.0,
            distance_limit_m: Some(150.0),
            limit_inside: false,
            zone_only: false,
        };
        let bounded = LocateOptions {
            distance_limit_m: Some(25.0),
            limit_inside: true,
            ..limited
        };
        let (mut kept, mut dropped, mut bounded_far) = (0, 0, 0);
        for i in 0..120 {
            for j in 0..120 {
                let p = Coord {
                    x: 986_000.0 + 60.0 * i as f64 + 0.13 * j as f64,
                    y: 6_731_000.0 + 70.0 * j as f64,
                };
                let full = locate(&index, p, 25.0);
                let lim = locate_with(&index, p, &limited);
                assert_eq!((full.zone, full.status), (lim.zone, lim.status), "{p:?}");
                // Both sides bounded at the tolerance: same status and zone, and a distance
                // exactly when the boundary is within the tolerance.
                let near = locate_with(&index, p, &bounded);
                assert_eq!((full.zone, full.status), (near.zone, near.status), "{p:?}");
                let d = full.signed_distance_m.unwrap();
                if d.abs() <= 25.0 {
                    assert_eq!(near.signed_distance_m, Some(d), "{p:?}");
                    assert_eq!(near.nearest_zone, full.nearest_zone, "{p:?}");
                } else {
                    assert_eq!(near.signed_distance_m, None, "{p:?}");
                    bounded_far += 1;
                }
                match lim.signed_distance_m {
                    Some(d) => {
                        assert_eq!(Some(d), full.signed_distance_m);
                        assert_eq!(lim.nearest_zone, full.nearest_zone);
                        kept += 1;
                    }
                    None => {
                        assert!(full.signed_distance_m.unwrap() > 150.0, "{p:?}");
                        assert_eq!(lim.nearest_zone, None);
                        dropped += 1;
                    }
                }
            }
        }
        assert!(
            kept > 1000 && dropped > 1000 && bounded_far > 10_000,
            "{kept} kept, {dropped} dropped, {bounded_far} beyond the tolerance"
        );
    }
}
