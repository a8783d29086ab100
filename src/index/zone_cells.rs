//! A uniform grid over the zones' surroundings whose cells remember which zones can matter to a
//! point inside them: the zones whose bounding box meets the cell (candidates for containment)
//! and the zones whose boundary can be the nearest one (candidates for the signed distance).
//!
//! Why: at national scale most located points lie kilometres away from every QPV, and walking
//! an R-tree of 1,600 boxes nearest-first for each of them costs more than everything else put
//! together. Points are dense where people live, so a cell's list, computed once on its first
//! point (lazily, from any thread), serves thousands of points.
//!
//! Exactness: a cell of centre `c` and half-diagonal `h` whose nearest zone boundary is `d*` away
//! from `c` has, for every point `p` in it, a nearest boundary at most `d* + h` away (distance is
//! 1-Lipschitz). A zone whose bounding box is farther than that from the cell cannot hold the
//! nearest boundary of any point of the cell, nor contain it. The list keeps every other zone,
//! sorted by the distance from the cell to its box (a lower bound of the distance from any point
//! of the cell to the zone), so a query can stop as soon as that bound exceeds its best distance.

use std::sync::OnceLock;

use geo::{Coord, Rect};

use crate::geometry::bounds;

/// Cells along each axis are capped so that the grid stays small (at most this many cells).
const MAX_CELLS: usize = 1 << 20;

/// Cell side, in median zone sizes. Larger cells have longer candidate lists (cheap: a box
/// test each) but fewer lists to build; on the national benchmark 8 beats 1, 2 and 4.
const CELL_ZONES: f64 = 8.0;

/// A zone that can matter to the points of one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CellCandidate {
    /// Squared distance from the cell to the zone's bounding box, rounded down (0 when the box
    /// meets the cell: only those zones can contain a point of the cell).
    pub lower_bound_2: f64,
    /// Index of the zone in the [`super::ZoneIndex`].
    pub zone: u32,
}

/// The grid; see the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct ZoneCells {
    min: Coord<f64>,
    size: f64,
    nx: usize,
    ny: usize,
    cells: Vec<OnceLock<Box<[CellCandidate]>>>,
}

impl ZoneCells {
    /// A grid over `extent` (the union of the zones' boxes) widened by a margin, with cells
    /// [`CELL_ZONES`] times the median size of a zone's box. `None` without zones.
    pub fn new(boxes: &[Rect<f64>]) -> Option<Self> {
        let all = bounds::union_of(boxes)?;
        let (lo, hi) = (all.min(), all.max());
        let mut sizes: Vec<f64> = boxes.iter().map(|b| b.width().max(b.height())).collect();
        sizes.sort_by(f64::total_cmp);
        let median = sizes[sizes.len() / 2];
        let span = (hi.x - lo.x).max(hi.y - lo.y);
        if !(span.is_finite() && median.is_finite()) {
            return None;
        }
        let mut size = (CELL_ZONES * median).max(span / 1024.0).max(1.0);
        let margin = 0.25 * span + 2.0 * size;
        let (w, h) = (hi.x - lo.x + 2.0 * margin, hi.y - lo.y + 2.0 * margin);
        while (w / size).ceil() * (h / size).ceil() > MAX_CELLS as f64 {
            size *= 1.25;
        }
        let nx = (w / size).ceil() as usize;
        let ny = (h / size).ceil() as usize;
        Some(ZoneCells {
            min: Coord {
                x: lo.x - margin,
                y: lo.y - margin,
            },
            size,
            nx,
            ny,
            cells: (0..nx * ny).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The candidates of the cell holding `p`, computed by `build(cell)` on first use; `None`
    /// when `p` is outside the grid (the caller then searches every zone).
    pub fn candidates(
        &self,
        p: Coord<f64>,
        build: impl FnOnce(Rect<f64>) -> Box<[CellCandidate]>,
    ) -> Option<&[CellCandidate]> {
        let fx = (p.x - self.min.x) / self.size;
        let fy = (p.y - self.min.y) / self.size;
        // Also rejects NaN.
        if !(fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64) {
            return None;
        }
        let (ix, iy) = (fx as usize, fy as usize);
        let cell = &self.cells[iy * self.nx + ix];
        Some(cell.get_or_init(|| {
            let min = Coord {
                x: self.min.x + ix as f64 * self.size,
                y: self.min.y + iy as f64 * self.size,
            };
            build(Rect::new(
                min,
                Coord {
                    x: min.x + self.size,
                    y: min.y + self.size,
                },
            ))
        }))
    }
}

/// Squared distance between two rectangles (0 when they meet).
pub(crate) fn rect_distance_2(a: &Rect<f64>, b: &Rect<f64>) -> f64 {
    let dx = (a.min().x - b.max().x).max(b.min().x - a.max().x).max(0.0);
    let dy = (a.min().y - b.max().y).max(b.min().y - a.max().y).max(0.0);
    dx * dx + dy * dy
}

/// Squared distance from a point to a rectangle (0 inside or on it).
#[inline]
pub(crate) fn point_rect_distance_2(p: Coord<f64>, r: &Rect<f64>) -> f64 {
    let dx = (r.min().x - p.x).max(p.x - r.max().x).max(0.0);
    let dy = (r.min().y - p.y).max(p.y - r.max().y).max(0.0);
    dx * dx + dy * dy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect<f64> {
        Rect::new(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 })
    }

    #[test]
    fn grid_covers_the_zones_with_a_margin_and_builds_each_cell_once() {
        let boxes = [
            rect(0.0, 0.0, 100.0, 50.0),
            rect(900.0, 900.0, 1000.0, 1000.0),
        ];
        let cells = ZoneCells::new(&boxes).unwrap();
        // Median box size 100 m -> 800 m cells; margin 0.25 * 1000 + 1600 = 1850 m.
        assert_eq!(cells.size, 800.0);
        assert_eq!((cells.min.x, cells.min.y), (-1850.0, -1850.0));
        assert_eq!((cells.nx, cells.ny), (6, 6));
        let mut built = Vec::new();
        for p in [
            (0.0, 0.0),
            (10.0, 10.0),
            (-1850.0, -1850.0),
            (2840.0, 2840.0),
        ] {
            let got = cells.candidates(Coord { x: p.0, y: p.1 }, |r| {
                built.push(r);
                Box::new([])
            });
            assert!(got.is_some(), "{p:?}");
        }
        // (0, 0) and (10, 10) share the cell [-250, 550]².
        assert_eq!(built.len(), 3);
        assert_eq!(built[0], rect(-250.0, -250.0, 550.0, 550.0));
        for p in [(-1850.1, 0.0), (0.0, 2950.0), (f64::NAN, 0.0)] {
            assert!(
                cells
                    .candidates(Coord { x: p.0, y: p.1 }, |_| unreachable!())
                    .is_none()
            );
        }
        assert!(ZoneCells::new(&[]).is_none());
    }

    #[test]
    fn rectangle_distances() {
        let a = rect(0.0, 0.0, 10.0, 10.0);
        assert_eq!(rect_distance_2(&a, &rect(13.0, 14.0, 20.0, 20.0)), 25.0);
        assert_eq!(rect_distance_2(&a, &rect(10.0, -5.0, 20.0, 0.0)), 0.0);
        assert_eq!(rect_distance_2(&a, &rect(-20.0, 2.0, -3.0, 3.0)), 9.0);
        assert_eq!(point_rect_distance_2(Coord { x: 5.0, y: 5.0 }, &a), 0.0);
        assert_eq!(point_rect_distance_2(Coord { x: -3.0, y: 14.0 }, &a), 25.0);
    }
}
