//! The local (hierarchically clipped) cell areas of `analysis::cell_clip::areas_in_cells`, used
//! by `GridIndex::weights` beyond `CLIP_VERTICES` vertices, against the previous method as the
//! oracle: every cell overlaid with the WHOLE polygon by geo's boolean operations
//! (`BooleanOps::intersection`, i_overlay), weight = area(cell ∩ polygon) / area(cell), snapped
//! as `GridIndex::weights` snaps. The overlay snaps coordinates to an integer grid (i_overlay:
//! about 2e-6 m at the few-km extent of these cases), which moves a crossing 200 m cell's area
//! by up to about 200 m × 2e-6 m = 4e-4 m², i.e. 1e-8 of its weight (measured here: 1.1e-9 on
//! an octagon, 1.5e-8 on a rotated grid); the clipping is exact up to rounding, which the sum
//! check shows (weights × cell areas = the polygon's shoelace area to 1e-11 relative). Hence
//! the tolerance of 5e-8 on a weight (2 mm² of a 4 ha cell). Random valid polygons at Lambert-93 magnitudes: star-shaped
//! outer rings, holes, several parts, vertices moved onto cell edges and corners, cells square
//! or slightly rotated (as the grid loader's reprojected 3035 squares are).

use geo::{Area, BooleanOps, Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use qpv::analysis::cell_clip::areas_in_cells;
use qpv::analysis::interpolate::{GridIndex, WEIGHT_SNAP};
use qpv::geometry::validity::check_multipolygon;
use qpv::model::{GridCell, GridValues};

const X0: f64 = 989_000.0;
const Y0: f64 = 6_734_000.0;
const SIDE: f64 = 200.0;

/// An `n × n` grid; `rotation` (radians) turns each cell about its lower-left corner, as the
/// reprojection from EPSG:3035 does (about 0.01 rad in France).
fn grid(n: usize, rotation: f64) -> Vec<GridCell> {
    let (s, c) = rotation.sin_cos();
    let mut cells = Vec::new();
    for i in 0..n {
        for j in 0..n {
            let o = Coord {
                x: X0 + SIDE * i as f64,
                y: Y0 + SIDE * j as f64,
            };
            let corner = |u: f64, v: f64| Coord {
                x: o.x + u * c - v * s,
                y: o.y + u * s + v * c,
            };
            let ring = vec![
                corner(0.0, 0.0),
                corner(SIDE, 0.0),
                corner(SIDE, SIDE),
                corner(0.0, SIDE),
                corner(0.0, 0.0),
            ];
            cells.push(GridCell {
                id: format!("c{i}_{j}"),
                polygon: Polygon::new(LineString(ring), vec![]),
                values: GridValues {
                    ind: 1.0,
                    ..Default::default()
                },
                imputed: false,
            });
        }
    }
    cells
}

/// A star-shaped ring around `c`: `radii.len()` vertices at evenly spaced angles (jittered),
/// vertices within `snap` m of a grid line moved onto it.
fn star(c: Coord<f64>, radii: &[f64], jitter: &[f64], snap: f64, reverse: bool) -> LineString<f64> {
    let n = radii.len();
    let mut pts: Vec<Coord<f64>> = (0..n)
        .map(|k| {
            let a = std::f64::consts::TAU * (k as f64 + 0.4 * jitter[k]) / n as f64;
            let mut p = Coord {
                x: c.x + radii[k] * a.cos(),
                y: c.y + radii[k] * a.sin(),
            };
            p.x = onto_line(p.x, X0, snap);
            p.y = onto_line(p.y, Y0, snap);
            p
        })
        .collect();
    if reverse {
        pts.reverse();
    }
    pts.push(pts[0]);
    LineString(pts)
}

/// `v` moved onto the nearest grid line (`base + k × SIDE`) when within `snap` of it.
fn onto_line(v: f64, base: f64, snap: f64) -> f64 {
    let line = base + ((v - base) / SIDE).round() * SIDE;
    if (v - line).abs() < snap { line } else { v }
}

/// Parameters of one random part: centre offset, outer radii, jitter, optional hole scale.
type PartSpec = ((f64, f64), Vec<f64>, Vec<f64>, Option<f64>);

fn part_spec() -> impl Strategy<Value = PartSpec> {
    (8usize..40).prop_flat_map(|n| {
        (
            (0.0..1.0f64, 0.0..1.0f64),
            prop::collection::vec(250.0..700.0f64, n),
            prop::collection::vec(-1.0..1.0f64, n),
            prop::option::of(0.2..0.45f64),
        )
    })
}

fn build(parts: &[PartSpec], snap: f64) -> MultiPolygon<f64> {
    let mut polys = Vec::new();
    for (k, (off, radii, jitter, hole)) in parts.iter().enumerate() {
        // Parts 1,600 m apart: disjoint (radii ≤ 700 m).
        let c = Coord {
            x: X0 + 800.0 + 1_600.0 * k as f64 + 150.0 * off.0,
            y: Y0 + 800.0 + 150.0 * off.1,
        };
        let outer = star(c, radii, jitter, snap, false);
        let interiors = hole
            .map(|h| {
                let r: Vec<f64> = radii.iter().map(|r| r * h).collect();
                vec![star(c, &r, jitter, snap, true)]
            })
            .unwrap_or_default();
        polys.push(Polygon::new(outer, interiors));
    }
    MultiPolygon(polys)
}

/// The previous `GridIndex::weights`: each candidate cell overlaid with the whole polygon.
fn oracle(cells: &[GridCell], area: &MultiPolygon<f64>) -> Vec<(usize, f64)> {
    let origin = Coord { x: X0, y: Y0 };
    let shift = |c: Coord<f64>| c - origin;
    use geo::MapCoords;
    let local = area.map_coords(shift);
    let mut out = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let cell = cell.polygon.map_coords(shift);
        let w = (local.intersection(&cell).unsigned_area() / cell.unsigned_area()).clamp(0.0, 1.0);
        let w = if w < WEIGHT_SNAP {
            0.0
        } else if w > 1.0 - WEIGHT_SNAP {
            1.0
        } else {
            w
        };
        if w > 0.0 {
            out.push((i, w));
        }
    }
    out
}

/// Weights agree within `5e-8` (absolute on a weight, i.e. relative to the cell area); a cell
/// may be missing on one side only when its weight is within 1e-8 of the snapping threshold.
fn same_weights(got: &[(usize, f64)], want: &[(usize, f64)]) -> Result<(), TestCaseError> {
    let lookup = |v: &[(usize, f64)], i: usize| v.iter().find(|(j, _)| *j == i).map(|(_, w)| *w);
    for &(i, w) in want.iter().chain(got) {
        let (a, b) = (
            lookup(got, i).unwrap_or(0.0),
            lookup(want, i).unwrap_or(0.0),
        );
        let near_snap = [a, b]
            .iter()
            .any(|&x| (x - WEIGHT_SNAP).abs() < 1e-8 || (x - 1.0 + WEIGHT_SNAP).abs() < 1e-8);
        prop_assert!(
            (a - b).abs() <= 5e-8 || near_snap,
            "cell {i}: local {a} vs overlay {b} (w {w})"
        );
    }
    Ok(())
}

/// The clipped weights of every cell (shifted as `GridIndex::weights` shifts), snapped.
fn local(cells: &[GridCell], area: &MultiPolygon<f64>) -> Vec<(usize, f64)> {
    use geo::MapCoords;
    let origin = Coord { x: X0, y: Y0 };
    let shifted = area.map_coords(|c| c - origin);
    let polys: Vec<Polygon<f64>> = cells
        .iter()
        .map(|c| c.polygon.map_coords(|p| p - origin))
        .collect();
    let areas = areas_in_cells(&shifted, &polys);
    let mut out = Vec::new();
    for (i, (a, p)) in areas.iter().zip(&polys).enumerate() {
        let w = snap((a / p.unsigned_area()).clamp(0.0, 1.0));
        if w > 0.0 {
            out.push((i, w));
        }
    }
    out
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn local_weights_equal_the_whole_overlay(
        parts in prop::collection::vec(part_spec(), 1..3),
        snap in prop::sample::select(vec![0.0, 30.0]),
        rotation in prop::sample::select(vec![0.0, 0.012, -0.3]),
    ) {
        let area = build(&parts, snap);
        prop_assume!(check_multipolygon(&area).is_ok());
        let cells = grid(18, rotation);
        let got = local(&cells, &area);
        let want = oracle(&cells, &area);
        same_weights(&got, &want)?;
        // Unrotated, the cells tile the plane under the polygon: the clipped areas sum to the
        // polygon's own area (shoelace at a local origin), to rounding.
        // (Raw areas: the weights' snapping drops slivers under 0.04 m².)
        if rotation == 0.0 {
            use geo::MapCoords;
            let origin = Coord { x: X0, y: Y0 };
            let polys: Vec<Polygon<f64>> =
                cells.iter().map(|c| c.polygon.map_coords(|p| p - origin)).collect();
            let sum: f64 = areas_in_cells(&area.map_coords(|c| c - origin), &polys).iter().sum();
            let whole = qpv::geometry::area::local_area_multi(&area);
            prop_assert!((sum - whole).abs() <= 1e-11 * whole, "{sum} vs {whole}");
        }
    }
}

/// A 1 M-vertex candidate is what the clipping is for; here 24,000 vertices (beyond
/// `CLIP_VERTICES`) through `GridIndex::weights` itself, against the whole overlay.
#[test]
fn huge_polygon_through_the_grid_index() {
    let n = 24_000;
    let radii: Vec<f64> = (0..n)
        .map(|k| if k % 2 == 0 { 600.0 } else { 600.3 })
        .collect();
    let jitter = vec![0.0; n];
    let ring = star(
        Coord {
            x: X0 + 1_000.0,
            y: Y0 + 1_000.0,
        },
        &radii,
        &jitter,
        0.0,
        false,
    );
    let area = MultiPolygon(vec![Polygon::new(ring, vec![])]);
    assert!(area.0[0].exterior().0.len() > qpv::analysis::interpolate::CLIP_VERTICES);
    let cells = grid(10, 0.012);
    let got: Vec<(usize, f64)> = GridIndex::new(&cells)
        .weights(&area)
        .iter()
        .map(|w| (w.index, w.weight))
        .collect();
    let want = oracle(&cells, &area);
    assert_eq!(got.len(), want.len());
    same_weights(&got, &want).unwrap();
}

/// A polygon whose edges run along cell edges and through cell corners: weights 1, 0.5, 0, by
/// the clipping, the grid index and the overlay alike.
#[test]
fn edges_on_cell_boundaries() {
    let cells = grid(4, 0.0);
    let p = |x: f64, y: f64| Coord {
        x: X0 + x * SIDE,
        y: Y0 + y * SIDE,
    };
    // Cells (0,0) and (1,0) whole, plus the lower-right triangle of (1,1) (corner to corner).
    let ring = LineString(vec![
        p(0.0, 0.0),
        p(2.0, 0.0),
        p(2.0, 2.0),
        p(1.0, 1.0),
        p(0.0, 1.0),
        p(0.0, 0.0),
    ]);
    let area = MultiPolygon(vec![Polygon::new(ring, vec![])]);
    let got: Vec<(usize, f64)> = GridIndex::new(&cells)
        .weights(&area)
        .iter()
        .map(|w| (w.index, w.weight))
        .collect();
    // Index = i * 4 + j.
    assert_eq!(got, vec![(0, 1.0), (4, 1.0), (5, 0.5)]);
    assert_eq!(got, oracle(&cells, &area));
    assert_eq!(got, local(&cells, &area));
}
