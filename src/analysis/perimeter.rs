//! Testing a candidate perimeter against the current QPV geography, and comparing candidates.
//!
//! The *baseline* is the part of the current geography the candidate is compared with: by
//! default the current QPV the candidate overlaps ([`Baseline::Touched`]), so that redrawing
//! one quarter does not report every other QPV of the territory as "removed"; or every current
//! QPV ([`Baseline::All`]). "Added" is candidate − baseline, "removed" baseline − candidate.
//!
//! Population figures are grid estimates (see [`super::interpolate`]).

use std::borrow::Cow;
use std::collections::BTreeMap;

use geo::{BoundingRect, CoordsIter, Distance, Euclidean, Intersects, MultiPolygon};
use serde::Serialize;

use super::candidate::{difference, dissolve, intersection};
use super::cell_clip::clip_to_rect;
use super::eligibility::{Assessment, EligibilityOptions, Threshold, assess};
use super::interpolate::{GridIndex, Indicators, local_area_multi};
use crate::model::{Facility, Zone};

/// Which current QPV the candidate is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Baseline {
    /// The current QPV that overlap the candidate (by a positive area).
    #[default]
    Touched,
    /// Every current QPV.
    All,
}

/// Options of a perimeter test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerimeterOptions {
    /// Facilities within this distance of the perimeter (boundary distance, 0 inside) are
    /// listed as "near", m. 300 m by default, an arbitrary walking-distance figure.
    pub facility_distance_m: f64,
    /// The baseline.
    pub baseline: Baseline,
    /// The eligibility test applied to each continuous part.
    pub eligibility: EligibilityOptions,
}

impl Default for PerimeterOptions {
    fn default() -> Self {
        PerimeterOptions {
            facility_distance_m: 300.0,
            baseline: Baseline::default(),
            eligibility: EligibilityOptions::default(),
        }
    }
}

/// A geometry with its grid indicators (added part, removed part, continuous part…).
#[derive(Debug, Clone, Serialize)]
pub struct Piece {
    /// Grid indicators.
    pub indicators: Indicators,
    /// The geometry, working CRS (left out of JSON: it goes to GeoJSON layers).
    #[serde(skip)]
    pub geometry: MultiPolygon<f64>,
}

/// The overlap of the candidate with one current QPV.
#[derive(Debug, Clone, Serialize)]
pub struct QpvOverlap {
    /// QPV code.
    pub code: String,
    /// QPV name.
    pub name: String,
    /// QPV area, m².
    pub qpv_area_m2: f64,
    /// QPV estimated population.
    pub qpv_population: f64,
    /// Area of candidate ∩ QPV, m².
    pub overlap_area_m2: f64,
    /// Estimated population of candidate ∩ QPV.
    pub overlap_population: f64,
    /// Overlap area as a % of the QPV's area.
    pub pct_of_qpv_area: f64,
    /// Overlap population as a % of the QPV's population (`None`: nobody in the QPV grid).
    pub pct_of_qpv_population: Option<f64>,
    /// Overlap area as a % of the candidate's area.
    pub pct_of_candidate_area: f64,
}

/// What happens to one facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityStatus {
    /// Inside both the candidate and the baseline.
    Kept,
    /// Inside the candidate, not the baseline.
    Gained,
    /// Inside the baseline, not the candidate.
    Lost,
    /// Inside neither, but within the distance of the candidate.
    Near,
}

/// A facility inside or near the candidate, or inside the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct FacilityRow {
    /// Identifier (UAI…).
    pub id: String,
    /// Name.
    pub name: String,
    /// Category.
    pub category: String,
    /// Distance to the candidate, m (0 inside).
    pub distance_to_candidate_m: f64,
    /// Distance to the baseline, m (0 inside; `None` when the baseline is empty).
    pub distance_to_baseline_m: Option<f64>,
    /// Status.
    pub status: FacilityStatus,
}

/// Facility counts for one category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    /// Category.
    pub category: String,
    /// Inside the candidate.
    pub inside: usize,
    /// Within the distance of the candidate (inside included).
    pub within_distance: usize,
    /// Inside the baseline.
    pub inside_baseline: usize,
    /// Gained (inside the candidate, not the baseline).
    pub gained: usize,
    /// Lost (inside the baseline, not the candidate).
    pub lost: usize,
}

/// One continuous part of the candidate and its eligibility.
#[derive(Debug, Clone, Serialize)]
pub struct PartResult {
    /// 1-based number (parts are ordered largest first).
    pub part: usize,
    /// The part and its indicators.
    #[serde(flatten)]
    pub piece: Piece,
    /// The decree test.
    pub assessment: Assessment,
}

/// The full result of a perimeter test.
#[derive(Debug, Clone, Serialize)]
pub struct PerimeterTest {
    /// Candidate name.
    pub name: String,
    /// Options used.
    pub options: PerimeterOptions,
    /// The threshold S used.
    pub threshold: Threshold,
    /// Candidate indicators (geometry = the dissolved candidate).
    pub candidate: Piece,
    /// Codes of the current QPV forming the baseline.
    pub baseline_codes: Vec<String>,
    /// Baseline indicators.
    pub baseline: Piece,
    /// Overlap with each current QPV the candidate touches (by code).
    pub overlaps: Vec<QpvOverlap>,
    /// Candidate − baseline.
    pub added: Piece,
    /// Baseline − candidate.
    pub removed: Piece,
    /// Candidate vertices moved onto a QPV vertex or edge within
    /// [`SNAP_TOLERANCE_M`](super::snap::SNAP_TOLERANCE_M) before the overlay.
    pub snapped_vertices: usize,
    /// Facilities by category.
    pub facility_counts: Vec<CategoryCount>,
    /// Facilities inside or near the candidate or inside the baseline (by category, id).
    pub facilities: Vec<FacilityRow>,
    /// Continuous parts and their eligibility.
    pub parts: Vec<PartResult>,
}

impl PerimeterTest {
    /// Facilities of a status, in output order.
    pub fn with_status(&self, status: FacilityStatus) -> impl Iterator<Item = &FacilityRow> {
        self.facilities.iter().filter(move |f| f.status == status)
    }
}

/// Areas below this (m²) are treated as empty: slivers from overlaying identical boundaries.
pub const SLIVER_M2: f64 = 0.01;

/// Tests `candidate` against the current QPV `zones`.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use qpv::analysis::interpolate::GridIndex;
/// use qpv::analysis::perimeter::{test_perimeter, PerimeterOptions};
/// use qpv::model::Zone;
///
/// let square = MultiPolygon(vec![polygon![(x: 989_000.0, y: 6_734_000.0),
///     (x: 989_100.0, y: 6_734_000.0), (x: 989_100.0, y: 6_734_100.0), (x: 989_000.0, y: 6_734_100.0)]]);
/// let qpv = Zone { code: "QN1".into(), name: "Q".into(), communes: vec![],
///                  geometry: square.clone(), attributes: Default::default() };
/// let grid = GridIndex::new(&[]);
/// let t = test_perimeter("same", &square, &[qpv], &grid, &[], &PerimeterOptions::default());
/// assert_eq!(t.overlaps[0].pct_of_qpv_area, 100.0);
/// assert!(t.added.geometry.0.is_empty() && t.removed.geometry.0.is_empty());
/// ```
pub fn test_perimeter(
    name: &str,
    candidate: &MultiPolygon<f64>,
    zones: &[Zone],
    grid: &GridIndex,
    facilities: &[Facility],
    options: &PerimeterOptions,
) -> PerimeterTest {
    let (snapped, snapped_vertices) =
        super::snap::snap_to_zones(candidate, zones, super::snap::SNAP_TOLERANCE_M);
    let candidate = dissolve([&snapped]);
    let cand_ind = grid.estimate(&candidate);
    let cand_area = cand_ind.area_m2;

    let mut sorted: Vec<&Zone> = zones.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let mut overlaps = Vec::new();
    let mut baseline_parts = Vec::new();
    let mut baseline_codes = Vec::new();
    let cand_box = candidate.bounding_rect();
    for z in sorted {
        // Bounding boxes first: at national scale most QPV are far away.
        let near = match (cand_box, z.geometry.bounding_rect()) {
            (Some(a), Some(b)) => a.intersects(&b),
            _ => false,
        };
        let inter = if near {
            intersection(&near_part(&candidate, &z.geometry), &z.geometry)
        } else {
            MultiPolygon(Vec::new())
        };
        let inter_area = local_area_multi(&inter);
        let touched = inter_area > SLIVER_M2;
        if touched || options.baseline == Baseline::All {
            baseline_parts.push(&z.geometry);
            baseline_codes.push(z.code.clone());
        }
        if !touched {
            continue;
        }
        let q = grid.estimate(&z.geometry);
        let o = grid.estimate(&inter);
        overlaps.push(QpvOverlap {
            code: z.code.clone(),
            name: z.name.clone(),
            qpv_area_m2: q.area_m2,
            qpv_population: q.population,
            overlap_area_m2: inter_area,
            overlap_population: o.population,
            pct_of_qpv_area: pct(inter_area, q.area_m2).unwrap_or(0.0),
            pct_of_qpv_population: pct(o.population, q.population),
            pct_of_candidate_area: pct(inter_area, cand_area).unwrap_or(0.0),
        });
    }
    let baseline = dissolve(baseline_parts);
    let added = drop_slivers(difference(&candidate, &baseline));
    let removed = drop_slivers(difference(&baseline, &near_part(&candidate, &baseline)));

    let (facility_counts, rows) = facilities_against(
        &candidate,
        &baseline,
        facilities,
        options.facility_distance_m,
    );

    let parts = candidate_parts(&candidate, grid, options);

    PerimeterTest {
        name: name.to_string(),
        options: options.clone(),
        threshold: options.eligibility.threshold(),
        candidate: Piece {
            indicators: cand_ind,
            geometry: candidate,
        },
        baseline_codes,
        baseline: piece(grid, baseline),
        overlaps,
        added: piece(grid, added),
        removed: piece(grid, removed),
        snapped_vertices,
        facility_counts,
        facilities: rows,
        parts,
    }
}

/// Each polygon of the candidate on its own, estimated and assessed (part numbers from 1).
fn candidate_parts(
    candidate: &MultiPolygon<f64>,
    grid: &GridIndex,
    options: &PerimeterOptions,
) -> Vec<PartResult> {
    candidate
        .0
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let g = MultiPolygon(vec![p.clone()]);
            let indicators = grid.estimate(&g);
            PartResult {
                part: i + 1,
                assessment: assess(&indicators, &options.eligibility),
                piece: Piece {
                    indicators,
                    geometry: g,
                },
            }
        })
        .collect()
}

/// Candidates with more vertices than this are cut to the neighbourhood of the other operand
/// before an overlay with it ([`near_part`]); smaller ones are overlaid whole (cheap, and their
/// results stay those of the whole overlay to the last bit).
const CUT_VERTICES: usize = 20_000;

/// Margin around the other operand's box kept by [`near_part`], m: the cut's own edges (along
/// the box) stay well away from it.
const CUT_MARGIN_M: f64 = 10.0;

/// The part of a huge `candidate` that can meet `other` (its box plus [`CUT_MARGIN_M`]), cut in
/// linear time ([`clip_to_rect`]), so that the overlay with `other` costs in proportion to the
/// candidate's boundary near `other` and not to all of it. Small candidates are returned whole.
fn near_part<'a>(
    candidate: &'a MultiPolygon<f64>,
    other: &MultiPolygon<f64>,
) -> Cow<'a, MultiPolygon<f64>> {
    let (Some(b), true) = (
        other.bounding_rect(),
        candidate.coords_count() > CUT_VERTICES,
    ) else {
        return Cow::Borrowed(candidate);
    };
    let around = geo::Rect::new(
        geo::coord! { x: b.min().x - CUT_MARGIN_M, y: b.min().y - CUT_MARGIN_M },
        geo::coord! { x: b.max().x + CUT_MARGIN_M, y: b.max().y + CUT_MARGIN_M },
    );
    Cow::Owned(clip_to_rect(candidate, around))
}

fn piece(grid: &GridIndex, geometry: MultiPolygon<f64>) -> Piece {
    Piece {
        indicators: grid.estimate(&geometry),
        geometry,
    }
}

fn drop_slivers(mut mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.0.retain(|p| local_area_multi(&MultiPolygon(vec![p.clone()])) > SLIVER_M2);
    mp
}

fn pct(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| 100.0 * part / whole)
}

fn facilities_against(
    candidate: &MultiPolygon<f64>,
    baseline: &MultiPolygon<f64>,
    facilities: &[Facility],
    distance: f64,
) -> (Vec<CategoryCount>, Vec<FacilityRow>) {
    let mut counts: BTreeMap<String, CategoryCount> = BTreeMap::new();
    let mut rows = Vec::new();
    let grow = |r: geo::Rect<f64>, d: f64| {
        geo::Rect::new(
            geo::coord! { x: r.min().x - d, y: r.min().y - d },
            geo::coord! { x: r.max().x + d, y: r.max().y + d },
        )
    };
    let cand_box = candidate.bounding_rect().map(|r| grow(r, distance));
    let base_box = baseline.bounding_rect();
    for f in facilities {
        // Far from both boxes: neither inside nor near, no distance to compute.
        let near_c = cand_box.is_some_and(|r| r.intersects(&f.point));
        let near_b = base_box.is_some_and(|r| r.intersects(&f.point));
        if !near_c && !near_b {
            continue;
        }
        let dc = if candidate.0.is_empty() {
            f64::INFINITY
        } else {
            Euclidean.distance(candidate, &f.point)
        };
        let db = (!baseline.0.is_empty()).then(|| Euclidean.distance(baseline, &f.point));
        let in_c = dc == 0.0;
        let in_b = db == Some(0.0);
        let status = match (in_c, in_b) {
            (true, true) => FacilityStatus::Kept,
            (true, false) => FacilityStatus::Gained,
            (false, true) => FacilityStatus::Lost,
            (false, false) if dc <= distance => FacilityStatus::Near,
            _ => continue,
        };
        let cat = f.category.as_str().to_string();
        let c = counts.entry(cat.clone()).or_insert_with(|| CategoryCount {
            category: cat.clone(),
            ..Default::default()
        });
        c.inside += usize::from(in_c);
        c.within_distance += usize::from(dc <= distance);
        c.inside_baseline += usize::from(in_b);
        c.gained += usize::from(status == FacilityStatus::Gained);
        c.lost += usize::from(status == FacilityStatus::Lost);
        rows.push(FacilityRow {
            id: f.id.clone(),
            name: f.name.clone(),
            category: cat,
            distance_to_candidate_m: dc,
            distance_to_baseline_m: db,
            status,
        });
    }
    rows.sort_by(|a, b| {
        a.category
            .cmp(&b.category)
            .then(a.status.cmp(&b.status))
            .then(
                a.distance_to_candidate_m
                    .total_cmp(&b.distance_to_candidate_m),
            )
            .then(a.id.cmp(&b.id))
    });
    (counts.into_values().collect(), rows)
}

/// One row of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// Candidate name (or `current QPV` for the baseline row).
    pub name: String,
    /// Indicators.
    pub indicators: Indicators,
    /// Area shared with the baseline, % of the candidate's area.
    pub pct_area_in_current_qpv: Option<f64>,
    /// Population shared with the baseline, % of the baseline's population.
    pub pct_of_current_population: Option<f64>,
    /// Estimated population added (outside the baseline).
    pub added_population: f64,
    /// Estimated population removed (baseline outside the candidate).
    pub removed_population: f64,
    /// Facilities inside, by category.
    pub facilities_inside: BTreeMap<String, usize>,
    /// Continuous parts.
    pub parts: usize,
    /// Parts passing the eligibility test.
    pub eligible_parts: usize,
}

/// Several candidates side by side, the current geography first.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Codes of the current QPV in the baseline row.
    pub baseline_codes: Vec<String>,
    /// Baseline row first, then the candidates in the order given.
    pub rows: Vec<ComparisonRow>,
    /// The full test of each candidate.
    #[serde(skip)]
    pub tests: Vec<PerimeterTest>,
}

/// Compares `candidates` (name, geometry). The baseline row is the union of the current QPV
/// that any candidate touches (every QPV with [`Baseline::All`]), so all rows are measured
/// against the same reference.
pub fn compare(
    candidates: &[(String, MultiPolygon<f64>)],
    zones: &[Zone],
    grid: &GridIndex,
    facilities: &[Facility],
    options: &PerimeterOptions,
) -> Comparison {
    // First pass: which QPV does any candidate touch?
    let all = dissolve(candidates.iter().map(|(_, g)| g));
    let mut codes: Vec<String> = zones
        .iter()
        .filter(|z| {
            let near = match (all.bounding_rect(), z.geometry.bounding_rect()) {
                (Some(a), Some(b)) => a.intersects(&b),
                _ => false,
            };
            options.baseline == Baseline::All
                || (near && local_area_multi(&intersection(&all, &z.geometry)) > SLIVER_M2)
        })
        .map(|z| z.code.clone())
        .collect();
    codes.sort();
    let reference: Vec<Zone> = zones
        .iter()
        .filter(|z| codes.contains(&z.code))
        .cloned()
        .collect();
    let fixed = PerimeterOptions {
        baseline: Baseline::All,
        ..options.clone()
    };
    let baseline_geom = dissolve(reference.iter().map(|z| &z.geometry));
    let base = test_perimeter(
        "current QPV",
        &baseline_geom,
        &reference,
        grid,
        facilities,
        &fixed,
    );
    let mut tests = vec![base];
    for (name, g) in candidates {
        tests.push(test_perimeter(
            name, g, &reference, grid, facilities, &fixed,
        ));
    }
    let rows = tests
        .iter()
        .map(|t| ComparisonRow {
            name: t.name.clone(),
            indicators: t.candidate.indicators.clone(),
            pct_area_in_current_qpv: pct(
                t.candidate.indicators.area_m2 - t.added.indicators.area_m2,
                t.candidate.indicators.area_m2,
            ),
            pct_of_current_population: pct(
                t.baseline.indicators.population - t.removed.indicators.population,
                t.baseline.indicators.population,
            ),
            added_population: t.added.indicators.population,
            removed_population: t.removed.indicators.population,
            facilities_inside: t
                .facility_counts
                .iter()
                .map(|c| (c.category.clone(), c.inside))
                .collect(),
            parts: t.parts.len(),
            eligible_parts: t.parts.iter().filter(|p| p.assessment.eligible).count(),
        })
        .collect();
    Comparison {
        baseline_codes: codes,
        rows,
        tests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, GridCell, GridValues};
    use geo::{Point, polygon};

    fn sq(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h)],
        ])
    }

    const X: f64 = 989_000.0;
    const Y: f64 = 6_734_000.0;

    fn cells() -> Vec<GridCell> {
        (0..4)
            .map(|i| GridCell {
                id: format!("c{i}"),
                polygon: sq(X + 200.0 * i as f64, Y, 200.0, 200.0).0.remove(0),
                values: GridValues {
                    ind: 400.0,
                    men: 200.0,
                    men_pauv: 80.0,
                    ind_snv: 400.0 * 11_000.0,
                    ..Default::default()
                },
                imputed: false,
            })
            .collect()
    }

    fn fac(id: &str, x: f64, y: f64) -> Facility {
        Facility {
            id: id.into(),
            name: id.into(),
            category: Category::new(Category::COLLEGE),
            point: Point::new(x, y),
            attributes: Default::default(),
        }
    }

    fn zones() -> Vec<Zone> {
        vec![
            Zone {
                code: "Q1".into(),
                name: "One".into(),
                communes: vec![],
                geometry: sq(X, Y, 400.0, 200.0),
                attributes: Default::default(),
            },
            Zone {
                code: "Q2".into(),
                name: "Two".into(),
                communes: vec![],
                geometry: sq(X + 2_000.0, Y, 100.0, 100.0),
                attributes: Default::default(),
            },
        ]
    }

    #[test]
    fn qpv_as_its_own_candidate() {
        let cells = cells();
        let grid = GridIndex::new(&cells);
        let z = zones();
        let f = [
            fac("in", X + 50.0, Y + 50.0),
            fac("near", X + 450.0, Y + 50.0),
            fac("far", X + 5_000.0, Y),
        ];
        let t = test_perimeter(
            "Q1",
            &z[0].geometry,
            &z,
            &grid,
            &f,
            &PerimeterOptions::default(),
        );
        assert_eq!(t.overlaps.len(), 1);
        assert_eq!(t.overlaps[0].code, "Q1");
        assert!((t.overlaps[0].pct_of_qpv_area - 100.0).abs() < 1e-9);
        assert!((t.overlaps[0].pct_of_qpv_population.unwrap() - 100.0).abs() < 1e-9);
        assert!((t.overlaps[0].overlap_population - 800.0).abs() < 1e-9);
        assert!(t.added.geometry.0.is_empty() && t.removed.geometry.0.is_empty());
        assert_eq!(t.added.indicators.population, 0.0);
        assert_eq!(t.with_status(FacilityStatus::Gained).count(), 0);
        assert_eq!(t.with_status(FacilityStatus::Lost).count(), 0);
        let ids: Vec<&str> = t.facilities.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["in", "near"]);
        assert_eq!(t.facility_counts[0].inside, 1);
        assert_eq!(t.facility_counts[0].within_distance, 2);
        assert!((t.facilities[1].distance_to_candidate_m - 50.0).abs() < 1e-9);
        assert_eq!(t.baseline_codes, ["Q1"]);
        // 800 inhabitants: fails the population test only.
        assert_eq!(t.parts.len(), 1);
        assert!(!t.parts[0].assessment.population_ok);
        assert_eq!(t.parts[0].assessment.income_ok, Some(true));
    }

    #[test]
    fn shifted_candidate_adds_and_removes() {
        let cells = cells();
        let grid = GridIndex::new(&cells);
        let z = zones();
        // Cells 1..3 instead of 0..1: adds cells 2 and 3, removes cell 0.
        let cand = sq(X + 200.0, Y, 600.0, 200.0);
        let f = [
            fac("a", X + 100.0, Y + 100.0),
            fac("b", X + 700.0, Y + 100.0),
        ];
        let t = test_perimeter("shift", &cand, &z, &grid, &f, &PerimeterOptions::default());
        assert!((t.added.indicators.population - 800.0).abs() < 1e-9);
        assert!((t.removed.indicators.population - 400.0).abs() < 1e-9);
        assert!((t.added.indicators.area_m2 - 80_000.0).abs() < 1e-6);
        assert!((t.overlaps[0].pct_of_qpv_area - 50.0).abs() < 1e-9);
        assert!((t.overlaps[0].pct_of_candidate_area - 100.0 / 3.0).abs() < 1e-9);
        let gained: Vec<&str> = t
            .with_status(FacilityStatus::Gained)
            .map(|f| f.id.as_str())
            .collect();
        let lost: Vec<&str> = t
            .with_status(FacilityStatus::Lost)
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!((gained, lost), (vec!["b"], vec!["a"]));
        assert!(
            t.parts[0].assessment.eligible,
            "{:?}",
            t.parts[0].assessment
        );

        let cmp = compare(
            &[("shift".into(), cand.clone())],
            &z,
            &grid,
            &f,
            &PerimeterOptions::default(),
        );
        assert_eq!(cmp.baseline_codes, ["Q1"]);
        assert_eq!(cmp.rows.len(), 2);
        assert!((cmp.rows[0].indicators.population - 800.0).abs() < 1e-9);
        assert!((cmp.rows[1].indicators.population - 1200.0).abs() < 1e-9);
        assert!((cmp.rows[1].pct_of_current_population.unwrap() - 50.0).abs() < 1e-9);
        assert_eq!(cmp.rows[1].eligible_parts, 1);
    }
}
