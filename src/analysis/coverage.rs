//! Facility coverage of zones, per zone × facility category × distance D:
//! facilities inside, facilities within D of the perimeter (distance to the boundary, 0 inside),
//! the nearest facility, the share of the zone's area within D of a facility (with the uncovered
//! part as polygons), and, with a population grid, the same share weighted by population
//! (an areal-interpolation estimate).
//!
//! Conventions:
//! - a facility exactly on the perimeter is inside (closed polygons), distance 0;
//! - "within D" is inclusive and compares the unrounded distance; reported distances are
//!   rounded to 0.01 m;
//! - the covered area is `zone ∩ ⋃ disc(facility, D)` over the category's facilities; a disc
//!   is a regular polygon of [`CoverageOptions::circle_segments`] sides whose radius is scaled
//!   so that its area equals πD² (area error 0; the outline departs from the true circle by less
//!   than 0.03 % of D at 128 sides);
//! - the population estimate weights each grid cell's `ind` by the share of the cell's area in
//!   the (covered) zone: it assumes people are spread evenly inside each 200 m cell.

use geo::{BooleanOps, Coord, MultiPolygon, Polygon, unary_union};
use rayon::prelude::*;
use serde::Serialize;

use super::interpolate::GridIndex;
use crate::geometry::disc_cover::{CoverScratch, CoverZone, disc};
use crate::index::{FacilityIndex, IndexedZone, ZoneIndex};
use crate::model::{Category, GridCell};

/// Default coverage distance, metres (the Grand Belfort evaluation's "less than 300 m").
pub const DEFAULT_DISTANCE_M: f64 = 300.0;

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageOptions {
    /// Distances D in metres (default `[300.0]`); each gives its own records.
    pub distances_m: Vec<f64>,
    /// Categories to report (default: every category present among the facilities, sorted).
    /// A requested category without any facility still gets records (counts 0, no nearest).
    pub categories: Option<Vec<Category>>,
    /// Sides of the polygon approximating each disc of radius D (default 128).
    pub circle_segments: usize,
    /// Whether to compute each record's uncovered part (default true). Outputs without
    /// geometry set it to false: the difference is then skipped and `uncovered` left empty.
    pub uncovered: bool,
}

impl Default for CoverageOptions {
    fn default() -> Self {
        CoverageOptions {
            distances_m: vec![DEFAULT_DISTANCE_M],
            categories: None,
            circle_segments: 128,
            uncovered: true,
        }
    }
}

/// A facility within D of a zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithinFacility {
    /// Facility id (UAI for schools).
    pub id: String,
    /// Facility name.
    pub name: String,
    /// Distance to the zone's perimeter, metres, 0 inside, rounded to 0.01 m.
    pub distance_m: f64,
    /// For a facility placed by geocoding its address (attribute `geocoding_precision`, e.g.
    /// the embedded social centres): `street` or `interpolated`, an approximate position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geocoding_precision: Option<String>,
}

/// One zone × category × distance record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRecord {
    /// Zone code.
    pub code_qp: String,
    /// Zone name.
    pub lib_qp: String,
    /// Facility category.
    pub category: Category,
    /// The distance D, metres.
    pub distance_m: f64,
    /// Facilities inside the zone (or on its perimeter).
    pub inside_count: usize,
    /// Facilities within D of the perimeter, those inside included.
    pub within_count: usize,
    /// Those facilities, nearest first (ties: id).
    pub within: Vec<WithinFacility>,
    /// Nearest facility of the category (whatever D), if the category has any facility.
    pub nearest_id: Option<String>,
    /// Its name.
    pub nearest_name: Option<String>,
    /// Its distance to the perimeter, metres (0 inside), rounded to 0.01 m.
    pub nearest_distance_m: Option<f64>,
    /// Zone area, m².
    pub zone_area_m2: f64,
    /// Area of the zone within D of a facility of the category, m².
    pub covered_area_m2: f64,
    /// `covered_area_m2 / zone_area_m2` (0 for a zone of zero area).
    pub area_share_covered: f64,
    /// Estimated population of the zone (areal interpolation of the grid's `ind`); `None`
    /// without grid.
    pub population_estimate: Option<f64>,
    /// Estimated population within D of a facility; `None` without grid.
    pub population_covered_estimate: Option<f64>,
    /// `population_covered_estimate / population_estimate`; `None` without grid or when the
    /// zone's estimated population is 0.
    pub population_share_covered: Option<f64>,
    /// The part of the zone farther than D from every facility of the category (for a map).
    #[serde(skip)]
    pub uncovered: MultiPolygon<f64>,
}

/// Rounds to the centimetre.
fn round_cm(d: f64) -> f64 {
    (d * 100.0).round() / 100.0
}

/// Computes every zone × category × distance record, sorted by zone code, category, distance.
/// Zones are processed in parallel.
///
/// ```
/// use geo::{MultiPolygon, Point, polygon};
/// use qpv::analysis::coverage::{CoverageOptions, coverage};
/// use qpv::index::{FacilityIndex, ZoneIndex};
/// use qpv::model::{Attributes, Category, Facility, Zone};
///
/// let square = polygon![(x: 0.0, y: 0.0), (x: 1000.0, y: 0.0), (x: 1000.0, y: 1000.0), (x: 0.0, y: 1000.0)];
/// let zones = ZoneIndex::new(&[Zone { code: "Z1".into(), name: "Square".into(), communes: vec![],
///     geometry: MultiPolygon(vec![square]), attributes: Attributes::default() }]);
/// let school = |id: &str, x, y| Facility { id: id.into(), name: id.into(),
///     category: Category::new("college"), point: Point::new(x, y), attributes: Attributes::default() };
/// let facilities = FacilityIndex::new(&[school("in", 500.0, 500.0), school("out", 1200.0, 500.0)]);
/// let records = coverage(&zones, &facilities, None, &CoverageOptions::default());
/// assert_eq!(records.len(), 1);
/// assert_eq!((records[0].inside_count, records[0].within_count), (1, 2));
/// assert_eq!(records[0].within[1].distance_m, 200.0);
/// // One full disc of 300 m inside plus a 100 m-deep sliver of the outer one.
/// assert!((records[0].area_share_covered - 0.31372).abs() < 0.0001);
/// assert_eq!(records[0].population_share_covered, None);
/// ```
pub fn coverage(
    zones: &ZoneIndex,
    facilities: &FacilityIndex,
    grid: Option<&[GridCell]>,
    options: &CoverageOptions,
) -> Vec<CoverageRecord> {
    let categories: Vec<Category> = match &options.categories {
        Some(list) => {
            let mut list = list.clone();
            list.sort();
            list.dedup();
            list
        }
        None => facilities.categories().cloned().collect(),
    };
    let mut distances = options.distances_m.clone();
    distances.sort_by(f64::total_cmp);
    distances.dedup();
    let grid = grid.map(GridIndex::new);
    // Zones in code order (ties: input order); each zone's records come out sorted by
    // category then distance, so the records need no sort afterwards.
    let mut order: Vec<usize> = (0..zones.len()).collect();
    order.sort_by(|&a, &b| zones.zone(a).code.cmp(&zones.zone(b).code).then(a.cmp(&b)));
    order
        .into_par_iter()
        .flat_map_iter(|z| {
            zone_records(
                zones.zone(z),
                facilities,
                grid.as_ref(),
                &categories,
                &distances,
                options,
            )
        })
        .collect()
}

fn zone_records(
    zone: &IndexedZone,
    facilities: &FacilityIndex,
    grid: Option<&GridIndex>,
    categories: &[Category],
    distances: &[f64],
    options: &CoverageOptions,
) -> Vec<CoverageRecord> {
    let shape = &zone.shape;
    let zone_area = shape.area();
    let population = grid.map(|g| g.estimate(shape.geometry()).population);
    let cover = CoverZone::new(shape.geometry());
    let mut scratch = CoverScratch::default();
    let mut out = Vec::with_capacity(categories.len() * distances.len());
    for category in categories {
        let nearest = facilities.nearest_to(shape, Some(category));
        let farthest = distances.last().copied().unwrap_or(0.0);
        // One query at the largest D, then filtered for the smaller ones.
        let all_within = facilities.within_distance_of(shape, farthest, Some(category));
        for &d in distances {
            let within: Vec<_> = all_within.iter().filter(|n| n.distance <= d).collect();
            let inside_count = within.iter().filter(|n| n.distance == 0.0).count();
            let centres: Vec<Coord<f64>> = within
                .iter()
                .map(|n| facilities.facility(n.index).point)
                .collect();
            let covered_area = if centres.is_empty() {
                0.0
            } else {
                cover.covered_area(&centres, d, options.circle_segments, &mut scratch)
            };
            // The covered and uncovered parts as polygons only for outputs that use them.
            let (covered, uncovered) = if grid.is_none() && !options.uncovered {
                (MultiPolygon(vec![]), MultiPolygon(vec![]))
            } else {
                parts(shape.geometry(), &centres, d, options)
            };
            let (population_covered, population_share) = match (grid, population) {
                (Some(g), Some(total)) => {
                    let part = if covered.0.is_empty() {
                        0.0
                    } else {
                        g.estimate(&covered).population
                    };
                    (Some(part), (total > 0.0).then(|| part / total))
                }
                _ => (None, None),
            };
            out.push(CoverageRecord {
                code_qp: zone.code.clone(),
                lib_qp: zone.name.clone(),
                category: category.clone(),
                distance_m: d,
                inside_count,
                within_count: within.len(),
                within: within
                    .iter()
                    .map(|n| {
                        let f = facilities.facility(n.index);
                        WithinFacility {
                            id: f.id.clone(),
                            name: f.name.clone(),
                            distance_m: round_cm(n.distance),
                            geocoding_precision: f.geocoding_precision.clone(),
                        }
                    })
                    .collect(),
                nearest_id: nearest.map(|n| facilities.facility(n.index).id.clone()),
                nearest_name: nearest.map(|n| facilities.facility(n.index).name.clone()),
                nearest_distance_m: nearest.map(|n| round_cm(n.distance)),
                zone_area_m2: zone_area,
                covered_area_m2: covered_area,
                area_share_covered: if zone_area > 0.0 {
                    (covered_area / zone_area).min(1.0)
                } else {
                    0.0
                },
                population_estimate: population,
                population_covered_estimate: population_covered,
                population_share_covered: population_share,
                uncovered,
            });
        }
    }
    out
}

/// The parts of `zone` within `d` of the `centres` and farther (the latter only when
/// `options.uncovered`), as polygons: union of the discs, then intersection and difference.
fn parts(
    zone: &MultiPolygon<f64>,
    centres: &[Coord<f64>],
    d: f64,
    options: &CoverageOptions,
) -> (MultiPolygon<f64>, MultiPolygon<f64>) {
    if centres.is_empty() {
        let uncovered = if options.uncovered {
            zone.clone()
        } else {
            MultiPolygon(vec![])
        };
        return (MultiPolygon(vec![]), uncovered);
    }
    let discs: Vec<Polygon<f64>> = centres
        .iter()
        .map(|&c| disc(c, d, options.circle_segments))
        .collect();
    let union = unary_union(&discs);
    let uncovered = if options.uncovered {
        zone.difference(&union)
    } else {
        MultiPolygon(vec![])
    };
    (zone.intersection(&union), uncovered)
}
