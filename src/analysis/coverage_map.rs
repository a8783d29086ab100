//! What the map of a coverage run shows beyond the records: where each facility stands against
//! the QPV (inside, near within the largest distance, or outside, with its nearest QPV and its
//! distance to that perimeter) and each QPV grown by each distance (the rings "within D of the
//! perimeter" covers). The writers (`qpv::output::coverage_layers`) only spell these.
//!
//! # Examples
//!
//! ```
//! use geo::{MultiPolygon, Point, polygon};
//! use qpv::analysis::coverage_map::{Position, coverage_map};
//! use qpv::index::{FacilityIndex, ZoneIndex};
//! use qpv::model::{Attributes, Category, Facility, Zone};
//!
//! let square = polygon![(x: 0.0, y: 0.0), (x: 1000.0, y: 0.0), (x: 1000.0, y: 1000.0), (x: 0.0, y: 1000.0)];
//! let zones = ZoneIndex::new(&[Zone { code: "Z1".into(), name: "Square".into(), communes: vec![],
//!     geometry: MultiPolygon(vec![square]), attributes: Attributes::default() }]);
//! let school = Facility { id: "C1".into(), name: "Collège".into(), category: Category::new("college"),
//!     point: Point::new(1200.0, 500.0), attributes: Attributes::default() };
//! let facilities = FacilityIndex::new(&[school]);
//! let map = coverage_map(&zones, &facilities, &[300.0]);
//! assert_eq!(map.positions[0].position, Position::Near);
//! assert_eq!(map.positions[0].distance_m, Some(200.0));
//! assert_eq!((map.rings.len(), map.rings[0].distance_m), (1, 300.0));
//! ```

use geo::MultiPolygon;

use crate::geometry::buffer::buffer;
use crate::index::{FacilityIndex, ZoneIndex};

/// Where a facility stands against the QPV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// In a QPV (boundary included).
    Inside,
    /// Outside, within the largest distance of a QPV perimeter.
    Near,
    /// Farther.
    Outside,
}

impl Position {
    /// `inside`, `near` or `outside`.
    pub fn as_str(self) -> &'static str {
        match self {
            Position::Inside => "inside",
            Position::Near => "near",
            Position::Outside => "outside",
        }
    }
}

/// One facility against the QPV.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FacilityPosition {
    /// The facility, as an index into [`FacilityIndex::facility`].
    pub facility: usize,
    /// The QPV containing it, else the one with the nearest perimeter ([`ZoneIndex::zone`]).
    pub nearest_zone: Option<usize>,
    /// Distance to that perimeter, metres (0 inside).
    pub distance_m: Option<f64>,
    /// Inside, near or outside.
    pub position: Position,
}

/// One QPV grown by one distance.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    /// The QPV ([`ZoneIndex::zone`]).
    pub zone: usize,
    /// The distance, metres.
    pub distance_m: f64,
    /// The QPV grown by it.
    pub geometry: MultiPolygon<f64>,
}

/// The map data of a coverage run.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageMap {
    /// Every facility, in index order.
    pub positions: Vec<FacilityPosition>,
    /// Per QPV in index order, its rings from the largest distance to the smallest.
    pub rings: Vec<Ring>,
}

/// The positions of every facility (near: within the largest of `distances_m`) and the rings
/// of every QPV at each of `distances_m` (sorted, without repeats).
pub fn coverage_map(
    zones: &ZoneIndex,
    facilities: &FacilityIndex,
    distances_m: &[f64],
) -> CoverageMap {
    let mut distances = distances_m.to_vec();
    distances.sort_by(f64::total_cmp);
    distances.dedup();
    let near_m = distances.last().copied().unwrap_or(0.0);
    let positions = (0..facilities.len())
        .map(|i| {
            let hit = zones.locate(facilities.facility(i).point);
            let distance_m = hit.signed_distance.map(|d| d.max(0.0));
            let position = match (hit.zone, distance_m) {
                (Some(_), _) => Position::Inside,
                (None, Some(d)) if d <= near_m => Position::Near,
                _ => Position::Outside,
            };
            FacilityPosition {
                facility: i,
                nearest_zone: hit.nearest_zone,
                distance_m,
                position,
            }
        })
        .collect();
    let mut rings = Vec::new();
    for (z, zone) in zones.zones().iter().enumerate() {
        for &d in distances.iter().rev() {
            rings.push(Ring {
                zone: z,
                distance_m: d,
                geometry: buffer(zone.shape.geometry(), d),
            });
        }
    }
    CoverageMap { positions, rings }
}
