//! Areal interpolation of the Filosofi 200 m grid onto any polygon: the one routine the crate
//! uses to estimate how many people (households, poor households…) live in a perimeter.
//!
//! Each cell contributes `area(cell ∩ polygon) / area(cell)` of its values, i.e. people are
//! assumed evenly spread inside a cell. Figures are therefore *estimates*: a perimeter drawn
//! along streets cuts cells whose inhabitants may all live on one side.
//!
//! Filosofi publishes sums (individuals, households, sum of standards of living…), never
//! medians, so the derived income indicator is a *mean* standard of living (`Ind_snv / Ind`).
//!
//! Lambert-93 coordinates are around 10⁶ m; squared magnitudes (10¹²) would eat the precision
//! of areas of a few m². Every overlay and area is computed after shifting both geometries to
//! a local origin (the target's lower-left corner).

use geo::{Area, BooleanOps, BoundingRect, CoordsIter, Intersects, MultiPolygon, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::Serialize;

use crate::model::{GridCell, GridValues};

/// Indicators of a perimeter estimated from the grid.
///
/// Ratios are `None` when their denominator is zero (no household, nobody).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indicators {
    /// Area of the perimeter, m².
    pub area_m2: f64,
    /// Part of that area covered by grid cells (populated cells only: Filosofi omits empty
    /// cells), m². Less than `area_m2` when the perimeter has unpopulated land or leaves the grid.
    pub grid_area_m2: f64,
    /// Number of cells that overlap the perimeter (weight > 0).
    pub cells: usize,
    /// Estimated inhabitants (`Ind`).
    pub population: f64,
    /// Estimated households (`Men`).
    pub households: f64,
    /// Estimated poor households (`Men_pauv`, below 60 % of the national median).
    pub poor_households: f64,
    /// `Men_pauv / Men`.
    pub poor_household_share: Option<f64>,
    /// Mean yearly standard of living per inhabitant, € (`Ind_snv / Ind`). A mean, not the
    /// median of the decree: Filosofi cells only carry sums.
    pub mean_standard_of_living: Option<f64>,
    /// Owner households share (`Men_prop / Men`).
    pub owner_share: Option<f64>,
    /// Share of the estimated population that lives in cells INSEE imputed (fewer than 11
    /// households): weighted by population, not by cell count, because what matters is how
    /// much of the figure rests on imputed values.
    pub imputed_population_share: Option<f64>,
    /// The interpolated sums themselves.
    pub values: GridValues,
}

impl Indicators {
    /// Indicators from interpolated sums.
    ///
    /// `imputed_population` is the part of `values.ind` coming from imputed cells. Shares are
    /// `None` when their base is below [`MIN_RATIO_BASE`].
    pub fn from_values(
        values: GridValues,
        imputed_population: f64,
        area_m2: f64,
        grid_area_m2: f64,
        cells: usize,
    ) -> Self {
        // A ratio over less than half a person or household is overlay noise (slivers along
        // shared edges), not a statistic: leave it out.
        let ratio = |num: f64, den: f64| (den >= MIN_RATIO_BASE).then(|| num / den);
        Indicators {
            area_m2,
            grid_area_m2,
            cells,
            population: values.ind,
            households: values.men,
            poor_households: values.men_pauv,
            poor_household_share: ratio(values.men_pauv, values.men),
            mean_standard_of_living: ratio(values.ind_snv, values.ind),
            owner_share: ratio(values.men_prop, values.men),
            imputed_population_share: ratio(imputed_population, values.ind),
            values,
        }
    }

    /// Indicators of whole cells (weight 1 each), e.g. a group of simulated cells.
    pub fn of_cells<'a>(cells: impl IntoIterator<Item = &'a GridCell>) -> Self {
        let mut values = GridValues::default();
        let mut imputed = 0.0;
        let mut area = 0.0;
        let mut n = 0;
        for cell in cells {
            values.add_scaled(&cell.values, 1.0);
            if cell.imputed {
                imputed += cell.values.ind;
            }
            area += local_area(&cell.polygon);
            n += 1;
        }
        Indicators::from_values(values, imputed, area, area, n)
    }
}

/// The share of one cell that falls inside a perimeter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CellWeight {
    /// Index of the cell in the slice the [`GridIndex`] was built on.
    pub index: usize,
    /// `area(cell ∩ perimeter) / area(cell)`, in `(0, 1]`.
    pub weight: f64,
}

type CellEnvelope = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The grid with an R-tree over its cells, built once and queried for many perimeters.
pub struct GridIndex<'a> {
    cells: &'a [GridCell],
    tree: RTree<CellEnvelope>,
}

impl<'a> GridIndex<'a> {
    /// Indexes `cells` (any order; the index refers to positions in this slice).
    pub fn new(cells: &'a [GridCell]) -> Self {
        let entries = cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let r = c.polygon.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        GridIndex {
            cells,
            tree: RTree::bulk_load(entries),
        }
    }

    /// The indexed cells.
    pub fn cells(&self) -> &'a [GridCell] {
        self.cells
    }

    /// Indices of the cells whose bounding box meets `rect`, ascending.
    pub fn cells_in_rect(&self, rect: Rect<f64>) -> Vec<usize> {
        let env = AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut out: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
            .collect();
        out.sort_unstable();
        out
    }

    /// The weight of every cell overlapping `area`, by ascending cell index.
    ///
    /// `area` must be valid (disjoint parts, holes inside their outer ring). Beyond
    /// [`CLIP_VERTICES`] vertices, the area of each cell inside it comes from
    /// [`areas_in_cells`]: the polygon is clipped hierarchically to groups of cells, so that
    /// each cell only meets the boundary around it (a 1 M-vertex candidate no longer costs a
    /// whole overlay per boundary cell).
    pub fn weights(&self, area: &MultiPolygon<f64>) -> Vec<CellWeight> {
        let Some(bbox) = area.bounding_rect() else {
            return Vec::new();
        };
        let origin = bbox.min();
        let local = shift(area, origin);
        if area.coords_count() <= CLIP_VERTICES {
            return self.weights_overlay(&local, bbox, origin);
        }
        self.weights_clipped(&local, bbox, origin, snap)
    }

    /// [`Self::weights`] by [`areas_in_cells`] whatever the number of vertices: exact up to
    /// rounding (the overlay snaps coordinates, moving weights by about 1e-8), and without the
    /// report figures' [`WEIGHT_SNAP`]: a real sliver of a cell counts, however small.
    pub fn exact_weights(&self, area: &MultiPolygon<f64>) -> Vec<CellWeight> {
        let Some(bbox) = area.bounding_rect() else {
            return Vec::new();
        };
        self.weights_clipped(&shift(area, bbox.min()), bbox, bbox.min(), exact)
    }

    /// The clipped weights of `local` (`area` shifted to `origin`, of box `bbox`), each passed
    /// through `round` ([`snap`] for the report figures, [`exact`] for `qpv interpolate`).
    fn weights_clipped(
        &self,
        local: &MultiPolygon<f64>,
        bbox: Rect<f64>,
        origin: geo::Coord<f64>,
        round: fn(f64) -> f64,
    ) -> Vec<CellWeight> {
        let mut indices = Vec::new();
        let mut cells = Vec::new();
        for index in self.cells_in_rect(bbox) {
            let cell = shift_polygon(&self.cells[index].polygon, origin);
            if cell.unsigned_area() > 0.0 {
                indices.push(index);
                cells.push(cell);
            }
        }
        let inside = areas_in_cells(local, &cells);
        let mut out = Vec::new();
        for ((index, cell), inter) in indices.into_iter().zip(&cells).zip(inside) {
            let weight = round((inter / cell.unsigned_area()).clamp(0.0, 1.0));
            if weight > 0.0 {
                out.push(CellWeight { index, weight });
            }
        }
        out
    }

    /// [`Self::weights`] of a polygon of at most [`CLIP_VERTICES`] vertices, already shifted to
    /// `origin`: cells no edge comes near are classified whole (weight 1 or 0) by a
    /// point-in-polygon test; only the cells an edge crosses are overlaid with the polygon.
    fn weights_overlay(
        &self,
        local: &MultiPolygon<f64>,
        bbox: Rect<f64>,
        origin: geo::Coord<f64>,
    ) -> Vec<CellWeight> {
        let edges = EdgeIndex::new(local);
        let mut out = Vec::new();
        for index in self.cells_in_rect(bbox) {
            let cell = shift_polygon(&self.cells[index].polygon, origin);
            let Some(cell_box) = cell.bounding_rect() else {
                continue;
            };
            let cell_area = cell.unsigned_area();
            if cell_area <= 0.0 {
                continue;
            }
            let weight = if edges.crosses(cell_box) {
                let inter = local.intersection(&cell).unsigned_area();
                snap((inter / cell_area).clamp(0.0, 1.0))
            } else if local.intersects(&Point::from(cell_box.center())) {
                1.0
            } else {
                0.0
            };
            if weight > 0.0 {
                out.push(CellWeight { index, weight });
            }
        }
        out
    }

    /// Estimated indicators of `area` (see the module documentation for the method).
    ///
    /// ```
    /// use geo::{polygon, MultiPolygon};
    /// use qpv::analysis::interpolate::GridIndex;
    /// use qpv::model::{GridCell, GridValues};
    ///
    /// let cell = GridCell {
    ///     id: "c".into(),
    ///     polygon: polygon![(x: 1000.0, y: 2000.0), (x: 1200.0, y: 2000.0),
    ///                       (x: 1200.0, y: 2200.0), (x: 1000.0, y: 2200.0)],
    ///     values: GridValues { ind: 100.0, men: 40.0, ..Default::default() },
    ///     imputed: false,
    /// };
    /// let cells = [cell];
    /// let grid = GridIndex::new(&cells);
    /// // The western half of the cell holds half its people.
    /// let half = MultiPolygon(vec![polygon![(x: 1000.0, y: 2000.0), (x: 1100.0, y: 2000.0),
    ///                                       (x: 1100.0, y: 2200.0), (x: 1000.0, y: 2200.0)]]);
    /// let est = grid.estimate(&half);
    /// assert!((est.population - 50.0).abs() < 1e-9);
    /// assert!((est.area_m2 - 20_000.0).abs() < 1e-6);
    /// ```
    pub fn estimate(&self, area: &MultiPolygon<f64>) -> Indicators {
        self.estimate_from(area, &self.weights(area))
    }

    /// [`Self::estimate`] with [`Self::exact_weights`] (`qpv interpolate`: figures compared
    /// with other tools to 1e-9).
    pub fn estimate_exact(&self, area: &MultiPolygon<f64>) -> Indicators {
        self.estimate_from(area, &self.exact_weights(area))
    }

    /// Indicators of `area` from its cell weights.
    fn estimate_from(&self, area: &MultiPolygon<f64>, weights: &[CellWeight]) -> Indicators {
        let mut values = GridValues::default();
        let mut imputed = 0.0;
        let mut grid_area = 0.0;
        for w in weights {
            let cell = &self.cells[w.index];
            values.add_scaled(&cell.values, w.weight);
            if cell.imputed {
                imputed += cell.values.ind * w.weight;
            }
            grid_area += local_area(&cell.polygon) * w.weight;
        }
        Indicators::from_values(
            values,
            imputed,
            local_area_multi(area),
            grid_area,
            weights.len(),
        )
    }
}

/// Polygons with more vertices than this get their cell areas from the hierarchical clipping
/// of [`areas_in_cells`] (work proportional to the boundary near each cell); smaller ones from
/// the per-cell boolean overlay, whose figures every report and golden file has carried so far
/// (both agree within 1e-8 of a cell's area, tests/interpolate_local.rs).
pub const CLIP_VERTICES: usize = 20_000;

/// Smallest population or household count a share is computed over.
pub const MIN_RATIO_BASE: f64 = 0.5;

/// Overlay noise (the integer snapping of the boolean operations) leaves weights like
/// 0.999999998 for a whole cell and 5e-9 for a neighbour sharing an edge: weights within
/// [`WEIGHT_SNAP`] of 0 or 1 are snapped (1e-6 of a 200 m cell is 0.04 m²).
pub const WEIGHT_SNAP: f64 = 1e-6;

/// Exact clipping leaves only floating-point noise (about 1e-15 of a cell) where a polygon
/// merely touches a cell: weights within [`EXACT_NOISE`] of 0 or 1 are rounded to it, every
/// real sliver is kept (a 0.003 m² corner of a cell is 7e-8 of it; GeoPandas keeps it too).
pub const EXACT_NOISE: f64 = 1e-12;

fn exact(w: f64) -> f64 {
    if w < EXACT_NOISE {
        0.0
    } else if w > 1.0 - EXACT_NOISE {
        1.0
    } else {
        w
    }
}

fn snap(w: f64) -> f64 {
    if w < WEIGHT_SNAP {
        0.0
    } else if w > 1.0 - WEIGHT_SNAP {
        1.0
    } else {
        w
    }
}

/// One-off estimate for a single perimeter (builds the index; use [`GridIndex`] for many).
pub fn interpolate(cells: &[GridCell], area: &MultiPolygon<f64>) -> Indicators {
    GridIndex::new(cells).estimate(area)
}

use super::cell_clip::areas_in_cells;
use crate::geometry::area::shift_polygon;
pub use crate::geometry::area::{local_area, local_area_multi, shift, unshift};
use crate::geometry::edges::EdgeIndex;

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, polygon, unary_union};

    /// A zone overlapping its neighbour cell by a 0.1 mm strip: `qpv interpolate`'s exact
    /// weights keep that sliver (5e-7 of the cell, as GeoPandas' overlay does), the report
    /// figures snap it away (below WEIGHT_SNAP). The 2.3 M-cell national run disagreed with
    /// both peers on 24 zones while the exact path snapped.
    #[test]
    fn exact_weights_keep_a_sliver_the_report_weights_snap() {
        let cells = grid(2);
        let index = GridIndex::new(&cells);
        let (x0, y0) = (989_000.0, 6_734_000.0);
        let zone = MultiPolygon(vec![polygon![
            (x: x0 + 199.9999, y: y0), (x: x0 + 400.0, y: y0),
            (x: x0 + 400.0, y: y0 + 200.0), (x: x0 + 199.9999, y: y0 + 200.0)]]);
        let exact = index.exact_weights(&zone);
        let sliver = exact.iter().find(|w| cells[w.index].id == "c0_0");
        let weight = sliver.expect("the sliver of c0_0 is kept").weight;
        assert!((weight - 5e-7).abs() < 1e-12, "{weight}");
        let whole = exact.iter().find(|w| cells[w.index].id == "c1_0");
        assert_eq!(whole.map(|w| w.weight), Some(1.0));
        assert_eq!(exact.len(), 2);
        let report = index.weights(&zone);
        assert!(report.iter().all(|w| cells[w.index].id != "c0_0"));
    }

    /// A `n × n` grid of 200 m cells at Lambert-93 magnitudes, values depending on position.
    fn grid(n: usize) -> Vec<GridCell> {
        let (x0, y0) = (989_000.0, 6_734_000.0);
        let mut cells = Vec::new();
        for i in 0..n {
            for j in 0..n {
                let x = x0 + 200.0 * i as f64;
                let y = y0 + 200.0 * j as f64;
                let k = (i * n + j) as f64;
                cells.push(GridCell {
                    id: format!("c{i}_{j}"),
                    polygon: polygon![(x: x, y: y), (x: x + 200.0, y: y),
                        (x: x + 200.0, y: y + 200.0), (x: x, y: y + 200.0)],
                    values: GridValues {
                        ind: 10.0 + k,
                        men: 4.0 + k / 2.0,
                        men_pauv: 1.0 + k / 10.0,
                        ind_snv: (10.0 + k) * (15_000.0 + 100.0 * k),
                        men_prop: 2.0,
                        ..Default::default()
                    },
                    imputed: (i + j) % 3 == 0,
                });
            }
        }
        cells
    }

    fn total(cells: &[GridCell]) -> GridValues {
        let mut v = GridValues::default();
        for c in cells {
            v.add_scaled(&c.values, 1.0);
        }
        v
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1e-12)
    }

    #[test]
    fn whole_cells_equal_their_sum() {
        let cells = grid(5);
        let chosen = [0usize, 1, 6, 7, 12, 18];
        let polys: Vec<Polygon<f64>> = chosen.iter().map(|&i| cells[i].polygon.clone()).collect();
        let union = unary_union(&polys);
        let est = interpolate(&cells, &union);
        let mut expected = GridValues::default();
        let mut imputed = 0.0;
        for &i in &chosen {
            expected.add_scaled(&cells[i].values, 1.0);
            if cells[i].imputed {
                imputed += cells[i].values.ind;
            }
        }
        assert_eq!(est.cells, chosen.len());
        assert!(rel(est.population, expected.ind) < 1e-9, "{est:?}");
        assert!(rel(est.values.ind_snv, expected.ind_snv) < 1e-9);
        assert!(rel(est.households, expected.men) < 1e-9);
        assert!(rel(est.poor_households, expected.men_pauv) < 1e-9);
        assert!(rel(est.area_m2, 6.0 * 40_000.0) < 1e-12);
        assert!(rel(est.grid_area_m2, 6.0 * 40_000.0) < 1e-9);
        assert!(
            rel(
                est.imputed_population_share.unwrap(),
                imputed / expected.ind
            ) < 1e-9
        );
        assert!(
            rel(
                est.mean_standard_of_living.unwrap(),
                expected.ind_snv / expected.ind
            ) < 1e-9
        );
    }

    #[test]
    fn split_cell_halves_add_up() {
        let cells = grid(3);
        let c = &cells[4]; // centre cell
        let r = c.polygon.bounding_rect().unwrap();
        let (x0, y0, x1, y1) = (r.min().x, r.min().y, r.max().x, r.max().y);
        // Split along the diagonal: two triangles, exactly half each.
        let a = MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1)],
        ]);
        let b = MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x1, y: y1), (x: x0, y: y1)],
        ]);
        let index = GridIndex::new(&cells);
        let ea = index.estimate(&a);
        let eb = index.estimate(&b);
        assert_eq!(
            index.weights(&a),
            vec![CellWeight {
                index: 4,
                weight: 0.5
            }]
        );
        assert!(rel(ea.population, c.values.ind / 2.0) < 1e-12);
        assert!(rel(ea.population + eb.population, c.values.ind) < 1e-12);
        assert!(rel(ea.values.ind_snv + eb.values.ind_snv, c.values.ind_snv) < 1e-12);
        assert!(rel(ea.area_m2 + eb.area_m2, 40_000.0) < 1e-12);
    }

    #[test]
    fn partition_sums_to_grid_total() {
        let cells = grid(6);
        let (x0, y0) = (989_000.0 - 50.0, 6_734_000.0 - 50.0);
        let (x1, y1) = (989_000.0 + 1_250.0, 6_734_000.0 + 1_250.0);
        // Cut the extent by an oblique line and a vertical line: four pieces.
        let (xm, ya, yb) = (989_537.3, 6_734_311.7, 6_734_902.1);
        let pieces = [
            polygon![(x: x0, y: y0), (x: xm, y: y0), (x: xm, y: ya + (yb - ya) * (xm - x0) / (x1 - x0)), (x: x0, y: ya)],
            polygon![(x: xm, y: y0), (x: x1, y: y0), (x: x1, y: yb), (x: xm, y: ya + (yb - ya) * (xm - x0) / (x1 - x0))],
            polygon![(x: x0, y: ya), (x: xm, y: ya + (yb - ya) * (xm - x0) / (x1 - x0)), (x: xm, y: y1), (x: x0, y: y1)],
            polygon![(x: xm, y: ya + (yb - ya) * (xm - x0) / (x1 - x0)), (x: x1, y: yb), (x: x1, y: y1), (x: xm, y: y1)],
        ];
        let index = GridIndex::new(&cells);
        let mut sum = GridValues::default();
        for p in pieces {
            let e = index.estimate(&MultiPolygon(vec![p]));
            sum.add_scaled(&e.values, 1.0);
        }
        let t = total(&cells);
        assert!(rel(sum.ind, t.ind) < 1e-6, "{} vs {}", sum.ind, t.ind);
        assert!(rel(sum.men, t.men) < 1e-6);
        assert!(rel(sum.men_pauv, t.men_pauv) < 1e-6);
        assert!(rel(sum.ind_snv, t.ind_snv) < 1e-6);
    }

    #[test]
    fn outside_and_empty() {
        let cells = grid(2);
        let far = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0)],
        ]);
        let e = interpolate(&cells, &far);
        assert_eq!(e.cells, 0);
        assert_eq!(e.population, 0.0);
        assert_eq!(e.mean_standard_of_living, None);
        assert_eq!(interpolate(&cells, &MultiPolygon(vec![])).area_m2, 0.0);
    }

    #[test]
    fn hole_is_excluded() {
        let cells = grid(3);
        let r0 = cells[0].polygon.bounding_rect().unwrap();
        let r8 = cells[8].polygon.bounding_rect().unwrap();
        let c4 = cells[4].polygon.bounding_rect().unwrap();
        let outer = LineString::from(vec![
            (r0.min().x, r0.min().y),
            (r8.max().x, r0.min().y),
            (r8.max().x, r8.max().y),
            (r0.min().x, r8.max().y),
            (r0.min().x, r0.min().y),
        ]);
        let hole = LineString::from(vec![
            (c4.min().x, c4.min().y),
            (c4.min().x, c4.max().y),
            (c4.max().x, c4.max().y),
            (c4.max().x, c4.min().y),
            (c4.min().x, c4.min().y),
        ]);
        let ring = MultiPolygon(vec![Polygon::new(outer, vec![hole])]);
        let e = interpolate(&cells, &ring);
        let expected = total(&cells).ind - cells[4].values.ind;
        assert!(rel(e.population, expected) < 1e-9);
        assert_eq!(e.cells, 8);
    }
}
