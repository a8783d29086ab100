//! The facilities in reach of a point, for floating catchments over millions of cells: the
//! facilities are bucketed on a uniform grid of squares at least as wide as the catchment,
//! so that a query reads 2–3 rows of 2–3 buckets (one contiguous run of memory per row)
//! instead of descending an R-tree, and the pairs in reach come out in the order in which
//! `rstar`'s `locate_within_distance` over the same facilities returns them: sums taken in
//! that order are the same to the last bit as those of the R-tree.
//!
//! A pair is in reach when `dx² + dy² ≤ r²` (the R-tree's test) and `√(dx² + dy²) ≤ r`
//! (the catchment's), with `dx = x_facility − x_point`, as the R-tree computes them.

use geo::{Coord, Rect};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::geometry::bounds::of_points;

/// At most this many buckets (4 bytes each): wider squares for small catchments over a
/// wide area.
const MAX_BUCKETS: f64 = (1u64 << 22) as f64;

/// A facility in reach: its index, its rank in the R-tree's order and its distance (m).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InReach {
    /// Index of the facility in the input.
    pub facility: usize,
    /// Distance from the point to the facility, in metres.
    pub distance: f64,
    /// Position of the facility in the R-tree's iteration order (the sort key).
    rank: u32,
}

/// The facilities bucketed for catchment queries of one radius.
///
/// # Examples
/// ```
/// use geo::Coord;
/// use qpv::analysis::access_reach::Reach;
/// let facilities = [Coord { x: 0.0, y: 0.0 }, Coord { x: 300.0, y: 400.0 }, Coord { x: 5000.0, y: 0.0 }];
/// let reach = Reach::new(&facilities, 500.0);
/// let mut found = Vec::new();
/// reach.within(Coord { x: 0.0, y: 0.0 }, &mut found);
/// let mut got: Vec<(usize, f64)> = found.iter().map(|f| (f.facility, f.distance)).collect();
/// got.sort_by_key(|p| p.0);
/// assert_eq!(got, [(0, 0.0), (1, 500.0)]);
/// ```
#[derive(Debug, Clone)]
pub struct Reach {
    radius: f64,
    radius2: f64,
    origin: Coord<f64>,
    end: Coord<f64>,
    size: f64,
    columns: usize,
    rows: usize,
    /// `starts[b]..starts[b + 1]`: the facilities of bucket `b` (row-major) in the arrays below.
    starts: Vec<u32>,
    /// One bit per bucket, set when it holds a facility: 32 times smaller than `starts`, so
    /// that it stays in cache and the empty buckets (most of a national grid) cost no
    /// memory access.
    occupied: Vec<u64>,
    points: Vec<[f64; 2]>,
    facility: Vec<u32>,
    rank: Vec<u32>,
}

impl Reach {
    /// Buckets `facilities` for queries of catchment `radius` (metres, > 0).
    pub fn new(facilities: &[Coord<f64>], radius: f64) -> Reach {
        let rank = rtree_ranks(facilities);
        let finite = facilities
            .iter()
            .copied()
            .filter(|p| p.x.is_finite() && p.y.is_finite());
        let zero = Coord { x: 0.0, y: 0.0 };
        let bounds = of_points(finite).unwrap_or(Rect::new(zero, zero));
        let (origin, end) = (bounds.min(), bounds.max());
        let (w, h) = (end.x - origin.x, end.y - origin.y);
        let mut size = radius.max(f64::MIN_POSITIVE);
        while (w / size + 1.0) * (h / size + 1.0) > MAX_BUCKETS {
            size *= 2.0;
        }
        let columns = (w / size) as usize + 1;
        let rows = (h / size) as usize + 1;
        let mut reach = Reach {
            radius,
            radius2: radius * radius,
            origin,
            end,
            size,
            columns,
            rows,
            starts: Vec::new(),
            occupied: Vec::new(),
            points: Vec::new(),
            facility: Vec::new(),
            rank: Vec::new(),
        };
        reach.fill(facilities, &rank);
        reach
    }

    /// Counting sort of the facilities by bucket (input order within a bucket).
    fn fill(&mut self, facilities: &[Coord<f64>], rank: &[u32]) {
        let bucket: Vec<usize> = facilities
            .iter()
            .map(|p| self.row(p.y) * self.columns + self.column(p.x))
            .collect();
        let buckets = self.columns * self.rows;
        let mut starts = vec![0u32; buckets + 1];
        self.occupied = vec![0; buckets.div_ceil(64)];
        for &b in &bucket {
            starts[b + 1] += 1;
            self.occupied[b / 64] |= 1 << (b % 64);
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        let mut next = starts.clone();
        let n = facilities.len();
        (self.points, self.facility, self.rank) = (vec![[0.0; 2]; n], vec![0; n], vec![0; n]);
        for (j, (p, &b)) in facilities.iter().zip(&bucket).enumerate() {
            let k = next[b] as usize;
            next[b] += 1;
            self.points[k] = [p.x, p.y];
            self.facility[k] = j as u32;
            self.rank[k] = rank[j];
        }
        self.starts = starts;
    }

    // `v.max(0.0) as usize` is `v.floor().max(0.0) as usize` for every `v` (NaN included: 0),
    // without a call to `floor`, which x86-64 has no baseline instruction for: a value at
    // least 0 is truncated towards zero, which is its floor.
    fn column(&self, x: f64) -> usize {
        (((x - self.origin.x) / self.size).max(0.0) as usize).min(self.columns - 1)
    }

    fn row(&self, y: f64) -> usize {
        (((y - self.origin.y) / self.size).max(0.0) as usize).min(self.rows - 1)
    }

    /// The catchment radius (metres).
    pub fn radius(&self) -> f64 {
        self.radius
    }

    /// Replaces `found` by the facilities in reach of `p`, in the R-tree's order.
    pub fn within(&self, p: Coord<f64>, found: &mut Vec<InReach>) {
        self.within_any_order(p, found);
        if found.len() > 1 {
            found.sort_unstable_by_key(|f| f.rank);
        }
    }

    /// Replaces `found` by the facilities in reach of `p`, in no particular order.
    pub fn within_any_order(&self, p: Coord<f64>, found: &mut Vec<InReach>) {
        found.clear();
        // A margin far above rounding, so that no pair the exact test accepts is missed.
        let margin = self.radius * (1.0 + 1e-9) + (p.x.abs() + p.y.abs()) * 1e-9;
        if self.facility.is_empty()
            || !(p.x + margin >= self.origin.x
                && p.x - margin <= self.end.x
                && p.y + margin >= self.origin.y
                && p.y - margin <= self.end.y)
        {
            return;
        }
        let (c0, c1) = (self.column(p.x - margin), self.column(p.x + margin));
        for row in self.row(p.y - margin)..=self.row(p.y + margin) {
            let first = row * self.columns;
            let occupied = |b: usize| self.occupied[b / 64] & (1 << (b % 64)) != 0;
            if !(first + c0..=first + c1).any(occupied) {
                continue;
            }
            let from = self.starts[first + c0] as usize;
            let to = self.starts[first + c1 + 1] as usize;
            for k in from..to {
                let [x, y] = self.points[k];
                let (dx, dy) = (x - p.x, y - p.y);
                let d2 = dx * dx + dy * dy;
                if d2 <= self.radius2 {
                    let distance = d2.sqrt();
                    if distance <= self.radius {
                        found.push(InReach {
                            facility: self.facility[k] as usize,
                            distance,
                            rank: self.rank[k],
                        });
                    }
                }
            }
        }
    }
}

/// The R-tree `access` queried before the buckets: the facilities bulk-loaded in input
/// order, each with its index.
fn facility_tree(facilities: &[Coord<f64>]) -> RTree<GeomWithData<[f64; 2], usize>> {
    RTree::bulk_load(
        facilities
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new([p.x, p.y], i))
            .collect(),
    )
}

/// Each facility's position in the iteration order of the R-tree bulk-loaded from the
/// facilities in input order (`rstar` 0.12). That iterator and `locate_within_distance`
/// walk the tree the same way (a stack of nodes, children pushed in order, the last popped
/// first) and a query only prunes subtrees, so a query returns its points in this order.
fn rtree_ranks(facilities: &[Coord<f64>]) -> Vec<u32> {
    let tree = facility_tree(facilities);
    let mut rank = vec![u32::MAX; facilities.len()];
    for (k, item) in tree.iter().enumerate() {
        rank[item.data] = k as u32;
    }
    rank
}

/// Uniform numbers in [0, 1) from `seed`, the same on every machine (a 64-bit LCG, Knuth's
/// MMIX constants): layouts for the tests of this module and of `access`.
#[cfg(test)]
pub(crate) fn uniform(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(seed: u64, n: usize, side: f64) -> Vec<Coord<f64>> {
        let mut next = uniform(seed);
        (0..n)
            .map(|_| Coord {
                // Snapped to 10 m so that many pairs fall exactly on the catchment's edge.
                x: 3_000_000.0 + (next() * side / 10.0).round() * 10.0,
                y: 2_000_000.0 + (next() * side / 10.0).round() * 10.0,
            })
            .collect()
    }

    /// Oracle: `rstar`'s `locate_within_distance` with the catchment test, as `access`
    /// queried it before the buckets: same pairs, same order, same distances to the bit.
    #[test]
    fn same_pairs_in_the_same_order_as_the_rtree() {
        let mut facilities = layout(7, 3000, 20_000.0);
        // Duplicates: several facilities at one place.
        facilities.extend_from_within(..50);
        let tree = facility_tree(&facilities);
        let points = layout(11, 5000, 24_000.0);
        let mut found = Vec::new();
        let mut pairs = 0;
        for radius in [1000.0, 250.0, 3000.0] {
            let reach = Reach::new(&facilities, radius);
            for p in &points {
                let want: Vec<(usize, u64)> = tree
                    .locate_within_distance([p.x, p.y], radius * radius)
                    .filter_map(|item| {
                        let [x, y] = *item.geom();
                        let (dx, dy) = (x - p.x, y - p.y);
                        let d = (dx * dx + dy * dy).sqrt();
                        (d <= radius).then_some((item.data, d.to_bits()))
                    })
                    .collect();
                reach.within(*p, &mut found);
                let got: Vec<(usize, u64)> = found
                    .iter()
                    .map(|f| (f.facility, f.distance.to_bits()))
                    .collect();
                assert_eq!(got, want, "{p:?} r = {radius}");
                pairs += got.len();
            }
        }
        assert!(pairs > 50_000, "{pairs}");
    }

    #[test]
    fn tiny_catchment_over_a_wide_area_caps_the_buckets() {
        let facilities = [Coord { x: 0.0, y: 0.0 }, Coord { x: 1e7, y: 1e7 }];
        let reach = Reach::new(&facilities, 1.0);
        assert!(reach.starts.len() as f64 <= MAX_BUCKETS + 1.0);
        let mut found = Vec::new();
        reach.within(
            Coord {
                x: 1e7,
                y: 1e7 - 1.0,
            },
            &mut found,
        );
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].facility, found[0].distance), (1, 1.0));
        reach.within(Coord { x: -5.0, y: 0.0 }, &mut found);
        assert!(found.is_empty());
    }

    /// Oracle: the bucket of `floor`, for values on both sides of every bucket edge, far
    /// outside, infinite and NaN.
    #[test]
    fn buckets_are_those_of_floor() {
        let facilities = [
            Coord { x: -500.0, y: 10.0 },
            Coord {
                x: 9_500.0,
                y: 7_010.0,
            },
        ];
        let reach = Reach::new(&facilities, 1000.0);
        let floor_column = |x: f64| {
            (((x - reach.origin.x) / reach.size).floor().max(0.0) as usize).min(reach.columns - 1)
        };
        let floor_row = |y: f64| {
            (((y - reach.origin.y) / reach.size).floor().max(0.0) as usize).min(reach.rows - 1)
        };
        let mut values = vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            -1e300,
            1e300,
        ];
        for k in -3..14 {
            let edge = -500.0 + 1000.0 * f64::from(k);
            values.extend([
                edge,
                edge.next_down(),
                edge.next_up(),
                edge + 0.5,
                edge - 0.5,
            ]);
        }
        for v in values {
            assert_eq!(reach.column(v), floor_column(v), "x = {v}");
            assert_eq!(reach.row(v + 510.0), floor_row(v + 510.0), "y = {v}");
        }
    }

    #[test]
    fn no_facility_reaches_nothing() {
        let reach = Reach::new(&[], 1000.0);
        let mut found = vec![];
        reach.within(Coord { x: 0.0, y: 0.0 }, &mut found);
        assert!(found.is_empty());
    }
}
