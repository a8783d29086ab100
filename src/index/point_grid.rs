//! A uniform bucket grid over points for the single nearest neighbour: for tens of thousands
//! of facilities queried by millions of points, scanning the few cells around a query beats a
//! tree walk, whose priority queue dominated `qpv nearest`'s profile.
//!
//! Exact: cells are visited in square rings around the query's cell until the ring's
//! distance exceeds the best distance found, so every point at least as close as the answer
//! is seen (ties included) and the caller's tie rule decides.

use geo::Coord;

/// Points bucketed by cell, stored cell after cell (compressed rows).
#[derive(Debug, Clone)]
pub(crate) struct PointGrid {
    min: [f64; 2],
    cell: f64,
    nx: usize,
    ny: usize,
    /// `starts[c]..starts[c + 1]` are the items of cell `c = y * nx + x`.
    starts: Vec<u32>,
    /// (position, index in the caller's list).
    items: Vec<([f64; 2], usize)>,
}

/// Points per cell aimed at; a handful keeps both rings and cells short.
const POINTS_PER_CELL: f64 = 2.0;
/// Rounding margin when comparing a ring's distance with the best distance (metres).
const MARGIN: f64 = 1e-6;

impl PointGrid {
    /// Buckets `points`; `None` when there is none.
    pub(crate) fn new(points: &[([f64; 2], usize)]) -> Option<Self> {
        if points.is_empty() {
            return None;
        }
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for (p, _) in points {
            for a in 0..2 {
                min[a] = min[a].min(p[a]);
                max[a] = max[a].max(p[a]);
            }
        }
        let (w, h) = ((max[0] - min[0]).max(1.0), (max[1] - min[1]).max(1.0));
        let cell = (w * h * POINTS_PER_CELL / points.len() as f64)
            .sqrt()
            .max(1.0);
        let nx = ((w / cell).floor() as usize + 1).max(1);
        let ny = ((h / cell).floor() as usize + 1).max(1);
        let mut grid = PointGrid {
            min,
            cell,
            nx,
            ny,
            starts: vec![0; nx * ny + 1],
            items: Vec::with_capacity(points.len()),
        };
        let cells: Vec<usize> = points.iter().map(|(p, _)| grid.cell_of(*p)).collect();
        for &c in &cells {
            grid.starts[c + 1] += 1;
        }
        for c in 0..nx * ny {
            grid.starts[c + 1] += grid.starts[c];
        }
        let mut next: Vec<u32> = grid.starts[..nx * ny].to_vec();
        grid.items = vec![([0.0, 0.0], 0); points.len()];
        for (point, &c) in points.iter().zip(&cells) {
            grid.items[next[c] as usize] = *point;
            next[c] += 1;
        }
        Some(grid)
    }

    fn cell_of(&self, p: [f64; 2]) -> usize {
        let x = (((p[0] - self.min[0]) / self.cell) as usize).min(self.nx - 1);
        let y = (((p[1] - self.min[1]) / self.cell) as usize).min(self.ny - 1);
        y * self.nx + x
    }

    /// The nearest point to `p` and its squared distance (`dx² + dy²`), the tie between equal
    /// distances decided by `better(candidate, best)`. `None` when `p` lies outside the grid's
    /// extent (the caller then asks its tree).
    pub(crate) fn nearest(
        &self,
        p: Coord<f64>,
        better: impl Fn((usize, f64), (usize, f64)) -> bool,
    ) -> Option<(usize, f64)> {
        let (fx, fy) = (
            (p.x - self.min[0]) / self.cell,
            (p.y - self.min[1]) / self.cell,
        );
        if !(fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64) {
            return None;
        }
        let (cx, cy) = (fx as usize, fy as usize);
        let last_ring = cx.max(self.nx - 1 - cx).max(cy).max(self.ny - 1 - cy);
        let mut best: Option<(usize, f64)> = None;
        for r in 0..=last_ring {
            if r > 0
                && let Some((_, d2)) = best
            {
                // Every cell of ring r lies outside the (2r - 1)² block around p's cell.
                let left = self.min[0] + (cx as f64 - (r as f64 - 1.0)) * self.cell;
                let right = self.min[0] + (cx as f64 + r as f64) * self.cell;
                let bottom = self.min[1] + (cy as f64 - (r as f64 - 1.0)) * self.cell;
                let top = self.min[1] + (cy as f64 + r as f64) * self.cell;
                let gap = (p.x - left)
                    .min(right - p.x)
                    .min(p.y - bottom)
                    .min(top - p.y)
                    - MARGIN;
                if gap > 0.0 && gap * gap > d2 {
                    break;
                }
            }
            self.visit_ring(cx, cy, r, |c| {
                for &(q, index) in &self.items[self.starts[c] as usize..self.starts[c + 1] as usize]
                {
                    let (dx, dy) = (q[0] - p.x, q[1] - p.y);
                    let candidate = (index, dx * dx + dy * dy);
                    if best.is_none_or(|b| better(candidate, b)) {
                        best = Some(candidate);
                    }
                }
            });
        }
        best
    }

    /// Calls `f` on every existing cell at Chebyshev distance `r` from (cx, cy).
    fn visit_ring(&self, cx: usize, cy: usize, r: usize, mut f: impl FnMut(usize)) {
        let (cx, cy, r) = (cx as isize, cy as isize, r as isize);
        let (nx, ny) = (self.nx as isize, self.ny as isize);
        let mut cell = |x: isize, y: isize| {
            if x >= 0 && y >= 0 && x < nx && y < ny {
                f((y * nx + x) as usize);
            }
        };
        if r == 0 {
            cell(cx, cy);
            return;
        }
        for x in cx - r..=cx + r {
            cell(x, cy - r);
            cell(x, cy + r);
        }
        for y in cy - r + 1..cy + r {
            cell(cx - r, y);
            cell(cx + r, y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force with the same tie rule (distance, then index).
    fn brute(points: &[([f64; 2], usize)], p: Coord<f64>) -> (usize, f64) {
        points
            .iter()
            .map(|(q, i)| (*i, (q[0] - p.x).powi(2) + (q[1] - p.y).powi(2)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .unwrap()
    }

    #[test]
    fn nearest_equals_brute_force_with_ties_and_clusters() {
        // A deterministic mix: a lattice (many exact ties), a dense cluster, scattered points.
        let mut points = Vec::new();
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut rand = || crate::test_random::uniform(&mut seed);
        for i in 0..40 {
            for j in 0..40 {
                points.push((
                    [900_000.0 + 250.0 * i as f64, 6_700_000.0 + 250.0 * j as f64],
                    points.len(),
                ));
            }
        }
        for _ in 0..3000 {
            points.push((
                [903_000.0 + 400.0 * rand(), 6_703_000.0 + 300.0 * rand()],
                points.len(),
            ));
        }
        for _ in 0..500 {
            points.push((
                [
                    880_000.0 + 60_000.0 * rand(),
                    6_690_000.0 + 30_000.0 * rand(),
                ],
                points.len(),
            ));
        }
        let grid = PointGrid::new(&points).unwrap();
        let better = |a: (usize, f64), b: (usize, f64)| (a.1, a.0) < (b.1, b.0);
        let mut outside = 0;
        for k in 0..20_000 {
            let p = Coord {
                x: 875_000.0 + 70_000.0 * rand(),
                y: 6_685_000.0 + 40_000.0 * rand(),
            };
            // Every eighth query sits exactly on a lattice point or a cell corner.
            let p = if k % 8 == 0 {
                Coord {
                    x: 900_000.0 + 250.0 * (k % 40) as f64,
                    y: 6_700_000.0 + 125.0 * (k % 80) as f64,
                }
            } else {
                p
            };
            match grid.nearest(p, better) {
                Some(found) => assert_eq!(found, brute(&points, p), "{p:?}"),
                None => outside += 1,
            }
        }
        assert!(
            outside > 0 && outside < 20_000,
            "{outside} queries outside the grid"
        );
    }
}
