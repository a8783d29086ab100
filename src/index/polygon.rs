//! A (multi)polygon prepared for many point queries: an exact point-in-polygon test and exact
//! distances to the boundary, by scanning groups of edges when there are at most 256,
//! otherwise through an R-tree of the edges, in about O(log n) per query even on perimeters
//! with thousands of vertices.

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Area, BoundingRect, Coord, MultiPolygon, Rect};
use rstar::primitives::Line;
use rstar::{AABB, RTree};

/// Where a point lies with respect to a (multi)polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    /// Strictly inside (in the interior, not on any ring).
    Inside,
    /// Exactly on an exterior or hole ring (robust orientation test, no tolerance).
    Boundary,
    /// Strictly outside (including inside a hole).
    Outside,
}

impl Position {
    /// True for `Inside` and `Boundary`: the convention of this crate is that a point on the
    /// perimeter belongs to the zone (the closed polygon, like geo's `Intersects`).
    pub fn is_in(self) -> bool {
        !matches!(self, Position::Outside)
    }
}

/// One boundary edge as stored in R-trees, as `[x, y]` pairs (rstar's native point type).
pub(crate) type Edge = Line<[f64; 2]>;

/// Polygons with at most this many edges are measured by scanning groups of edges.
const LINEAR_SCAN_MAX_EDGES: usize = 256;

/// Consecutive edges of a ring per group: a group is skipped when its bounding box is
/// farther than the best distance so far, or misses the ray of the point-in-polygon test.
const GROUP_EDGES: usize = 8;

/// An edge in canonical form (lexicographically smaller end first) with its inverse squared
/// length precomputed, for exact, direction-independent distances.
#[derive(Debug, Clone, Copy)]
struct FlatEdge {
    ax: f64,
    ay: f64,
    bx: f64,
    by: f64,
    inv_len2: f64,
}

impl FlatEdge {
    fn new(from: [f64; 2], to: [f64; 2]) -> Self {
        let (a, b) = if (from[0], from[1]) <= (to[0], to[1]) {
            (from, to)
        } else {
            (to, from)
        };
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        FlatEdge {
            ax: a[0],
            ay: a[1],
            bx: b[0],
            by: b[1],
            inv_len2: if len2 > 0.0 { 1.0 / len2 } else { 0.0 },
        }
    }

    /// Squared distance from (x, y) to the segment.
    #[inline]
    fn distance_2(&self, x: f64, y: f64) -> f64 {
        let (dx, dy) = (self.bx - self.ax, self.by - self.ay);
        let (px, py) = (x - self.ax, y - self.ay);
        let t = ((px * dx + py * dy) * self.inv_len2).clamp(0.0, 1.0);
        let (ex, ey) = (px - t * dx, py - t * dy);
        ex * ex + ey * ey
    }
}

/// [`GROUP_EDGES`] consecutive edges in canonical form, stored by coordinate (so that the
/// distance loop runs on all of them at once in vector registers); their bounding box is kept
/// apart (see `PreparedPolygon::group_boxes`). A last, partial group repeats its last edge,
/// which leaves minimum distances unchanged.
#[derive(Debug, Clone)]
struct EdgeGroup {
    /// Real edges in the group (the rest repeat the last one).
    len: usize,
    ax: [f64; GROUP_EDGES],
    ay: [f64; GROUP_EDGES],
    bx: [f64; GROUP_EDGES],
    by: [f64; GROUP_EDGES],
    inv_len2: [f64; GROUP_EDGES],
}

impl EdgeGroup {
    /// `edges` holds 1 to [`GROUP_EDGES`] edges.
    fn new(edges: &[FlatEdge]) -> Self {
        let mut g = EdgeGroup {
            len: edges.len(),
            ax: [0.0; GROUP_EDGES],
            ay: [0.0; GROUP_EDGES],
            bx: [0.0; GROUP_EDGES],
            by: [0.0; GROUP_EDGES],
            inv_len2: [0.0; GROUP_EDGES],
        };
        for i in 0..GROUP_EDGES {
            let e = edges[i.min(edges.len() - 1)];
            (g.ax[i], g.ay[i], g.bx[i], g.by[i]) = (e.ax, e.ay, e.bx, e.by);
            g.inv_len2[i] = e.inv_len2;
        }
        g
    }

    /// `[min x, min y, max x, max y]` of the group's edges.
    fn bbox(&self) -> [f64; 4] {
        let xs = self.ax.iter().chain(&self.bx);
        let ys = self.ay.iter().chain(&self.by);
        [
            xs.clone().copied().fold(f64::INFINITY, f64::min),
            ys.clone().copied().fold(f64::INFINITY, f64::min),
            xs.copied().fold(f64::NEG_INFINITY, f64::max),
            ys.copied().fold(f64::NEG_INFINITY, f64::max),
        ]
    }

    /// The least squared distance from (x, y) to an edge of the group: the same value, bit
    /// for bit, as [`FlatEdge::distance_2`] on each edge.
    #[inline]
    fn distance_2(&self, x: f64, y: f64) -> f64 {
        let mut d = [0.0f64; GROUP_EDGES];
        for (i, d) in d.iter_mut().enumerate() {
            let (dx, dy) = (self.bx[i] - self.ax[i], self.by[i] - self.ay[i]);
            let (px, py) = (x - self.ax[i], y - self.ay[i]);
            let t = ((px * dx + py * dy) * self.inv_len2[i]).clamp(0.0, 1.0);
            let (ex, ey) = (px - t * dx, py - t * dy);
            *d = ex * ex + ey * ey;
        }
        let mut best = d[0];
        for v in &d[1..] {
            if *v < best {
                best = *v;
            }
        }
        best
    }
}

/// Bounding boxes of edge groups, stored by coordinate so that the distance bounds of all the
/// groups are computed in one loop of vector instructions.
#[derive(Debug, Clone, Default)]
struct GroupBoxes {
    min_x: Vec<f64>,
    min_y: Vec<f64>,
    max_x: Vec<f64>,
    max_y: Vec<f64>,
}

impl GroupBoxes {
    /// From `[min x, min y, max x, max y]` boxes.
    fn new(boxes: impl Iterator<Item = [f64; 4]>) -> Self {
        let mut b = GroupBoxes::default();
        for [x0, y0, x1, y1] in boxes {
            b.min_x.push(x0);
            b.min_y.push(y0);
            b.max_x.push(x1);
            b.max_y.push(y1);
        }
        b
    }

    /// The squared distance from `p` to each box (the first `out.len()`), rounded down a
    /// little so that it stays below the computed distance of every edge in the box.
    #[inline]
    fn lower_bounds_2(&self, p: Coord<f64>, out: &mut [f64]) {
        let n = out.len();
        let (x0, y0) = (&self.min_x[..n], &self.min_y[..n]);
        let (x1, y1) = (&self.max_x[..n], &self.max_y[..n]);
        for i in 0..n {
            let dx = (x0[i] - p.x).max(p.x - x1[i]).max(0.0);
            let dy = (y0[i] - p.y).max(p.y - y1[i]).max(0.0);
            out[i] = (dx * dx + dy * dy) * (1.0 - 1e-12);
        }
    }
}

/// How an edge meets the eastward ray from a point.
enum Crossing {
    /// The point is on the edge.
    OnEdge,
    /// The ray crosses the edge (half-open rule: exactly one end strictly above the point).
    Crosses,
    /// Neither.
    Misses,
}

/// The exact crossing test of one edge (robust orientation predicate); the result does not
/// depend on the direction of the edge.
#[inline]
fn crossing(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> Crossing {
    let orientation = RobustKernel::orient2d(a, b, p);
    if orientation == Orientation::Collinear
        && p.x >= a.x.min(b.x)
        && p.x <= a.x.max(b.x)
        && p.y >= a.y.min(b.y)
        && p.y <= a.y.max(b.y)
    {
        return Crossing::OnEdge;
    }
    if (a.y > p.y) != (b.y > p.y) {
        let crosses_east = if b.y > a.y {
            orientation == Orientation::CounterClockwise
        } else {
            orientation == Orientation::Clockwise
        };
        if crosses_east {
            return Crossing::Crosses;
        }
    }
    Crossing::Misses
}

/// A multipolygon with its ring edges (exteriors and holes together) in groups of 8 when
/// there are at most 256, in an R-tree otherwise.
///
/// The point-in-polygon test counts crossings of a horizontal ray going east (even-odd rule over
/// all rings, exact for valid multipolygons), looking only at the edges the ray can meet (the
/// groups whose box it meets, or what the R-tree returns), and decides each crossing with robust orientation predicates (`geo`'s
/// [`RobustKernel`]), so that points on vertices and edges are classified exactly.
#[derive(Debug, Clone)]
pub struct PreparedPolygon {
    geometry: MultiPolygon<f64>,
    /// The edges, indexed when there are many (empty otherwise: the groups serve).
    edges: RTree<Edge>,
    /// Number of boundary edges.
    edge_count: usize,
    /// The edges in canonical form and ring order when there are few, in groups.
    groups: Vec<EdgeGroup>,
    /// The groups' boxes, side by side: most queries only look at the boxes.
    group_boxes: GroupBoxes,
    bbox: Option<Rect<f64>>,
    area: f64,
}

impl PreparedPolygon {
    /// Indexes the edges of `geometry` (built once, then queried many times).
    pub fn new(geometry: MultiPolygon<f64>) -> Self {
        let edges: Vec<Edge> = geometry
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| ring.lines())
            .map(|l| Line::new([l.start.x, l.start.y], [l.end.x, l.end.y]))
            .collect();
        let bbox = geometry.bounding_rect();
        let area = geometry.unsigned_area();
        let flat: Vec<FlatEdge> = if edges.len() <= LINEAR_SCAN_MAX_EDGES {
            edges.iter().map(|e| FlatEdge::new(e.from, e.to)).collect()
        } else {
            Vec::new()
        };
        let groups: Vec<EdgeGroup> = flat.chunks(GROUP_EDGES).map(EdgeGroup::new).collect();
        let group_boxes = GroupBoxes::new(groups.iter().map(EdgeGroup::bbox));
        let edge_count = edges.len();
        PreparedPolygon {
            geometry,
            // A polygon of few edges is scanned by groups: its R-tree would never be read
            // (national QPV: 80 edges each, 1,610 trees built for nothing).
            edges: if groups.is_empty() {
                RTree::bulk_load(edges)
            } else {
                RTree::new()
            },
            edge_count,
            groups,
            group_boxes,
            bbox,
            area,
        }
    }

    /// The polygon as given.
    pub fn geometry(&self) -> &MultiPolygon<f64> {
        &self.geometry
    }

    /// Bounding box (`None` for an empty multipolygon).
    pub fn bbox(&self) -> Option<Rect<f64>> {
        self.bbox
    }

    /// Planar area in square CRS units (m² in a metric CRS).
    pub fn area(&self) -> f64 {
        self.area
    }

    /// Number of boundary edges.
    pub fn edge_count(&self) -> usize {
        self.edge_count
    }

    /// Exact position of `p`: inside, on the boundary, or outside.
    pub fn position(&self, p: Coord<f64>) -> Position {
        let Some(bbox) = self.bbox else {
            return Position::Outside;
        };
        if p.x < bbox.min().x || p.x > bbox.max().x || p.y < bbox.min().y || p.y > bbox.max().y {
            return Position::Outside;
        }
        // Every edge that the eastward ray can cross, or that contains p, has an envelope
        // meeting the segment [p.x, max x] at height p.y.
        let mut inside = false;
        if !self.groups.is_empty() {
            let b = &self.group_boxes;
            for (k, g) in self.groups.iter().enumerate() {
                if p.y < b.min_y[k] || p.y > b.max_y[k] || p.x > b.max_x[k] {
                    continue;
                }
                for i in 0..g.len {
                    let (a, b) = (
                        Coord {
                            x: g.ax[i],
                            y: g.ay[i],
                        },
                        Coord {
                            x: g.bx[i],
                            y: g.by[i],
                        },
                    );
                    if p.y < a.y.min(b.y) || p.y > a.y.max(b.y) || p.x > a.x.max(b.x) {
                        continue;
                    }
                    match crossing(a, b, p) {
                        Crossing::OnEdge => return Position::Boundary,
                        Crossing::Crosses => inside = !inside,
                        Crossing::Misses => {}
                    }
                }
            }
        } else {
            let ray = AABB::from_corners([p.x, p.y], [bbox.max().x, p.y]);
            for edge in self.edges.locate_in_envelope_intersecting(&ray) {
                let a = Coord {
                    x: edge.from[0],
                    y: edge.from[1],
                };
                let b = Coord {
                    x: edge.to[0],
                    y: edge.to[1],
                };
                match crossing(a, b, p) {
                    Crossing::OnEdge => return Position::Boundary,
                    Crossing::Crosses => inside = !inside,
                    Crossing::Misses => {}
                }
            }
        }
        if inside {
            Position::Inside
        } else {
            Position::Outside
        }
    }

    /// Distance from `p` to the nearest boundary edge (exterior or hole), whichever side `p`
    /// is on; infinite for an empty multipolygon.
    pub fn boundary_distance(&self, p: Coord<f64>) -> f64 {
        self.boundary_distance_2(p).sqrt()
    }

    /// Squared [`Self::boundary_distance`] (exact comparisons without a square root).
    ///
    /// The value depends only on the segment, not on the direction a ring runs through it, so a
    /// boundary shared by two zones is at exactly the same distance from both (the tie rule of
    /// [`crate::index::ZoneIndex`] relies on it).
    pub fn boundary_distance_2(&self, p: Coord<f64>) -> f64 {
        if !self.groups.is_empty() {
            return self.scan_distance_2(p, f64::INFINITY);
        }
        // The single nearest-neighbour search keeps its queue on the stack.
        self.edges
            .nearest_neighbor(&[p.x, p.y])
            .map_or(f64::INFINITY, |e| {
                FlatEdge::new(e.from, e.to).distance_2(p.x, p.y)
            })
    }

    /// [`Self::boundary_distance_2`] when it is at most `bound`; otherwise some value above
    /// `bound` (possibly infinite). Exact wherever the answer matters to a search for the
    /// nearest of several polygons that has already found one at `bound`, and cheaper: parts
    /// of the boundary farther than `bound` are not measured.
    pub fn boundary_distance_2_within(&self, p: Coord<f64>, bound: f64) -> f64 {
        if self.groups.is_empty() {
            return self.boundary_distance_2(p);
        }
        self.scan_distance_2(p, bound)
    }

    /// The nearest edge by groups: the group with the nearest box first, then every group
    /// whose box is not farther than the best distance so far (nor than `bound`). The result
    /// is the minimum over every edge, as a plain scan would give, whenever that minimum is at
    /// most `bound`.
    fn scan_distance_2(&self, p: Coord<f64>, bound: f64) -> f64 {
        let mut all = [0.0f64; LINEAR_SCAN_MAX_EDGES.div_ceil(GROUP_EDGES)];
        let bounds = &mut all[..self.groups.len()];
        self.group_boxes.lower_bounds_2(p, bounds);
        let mut first = 0;
        for (i, b) in bounds.iter().enumerate() {
            if *b < bounds[first] {
                first = i;
            }
        }
        if bounds[first] > bound {
            return f64::INFINITY;
        }
        let mut best = self.groups[first].distance_2(p.x, p.y);
        for (i, g) in self.groups.iter().enumerate() {
            if i != first && bounds[i] <= best && bounds[i] <= bound {
                best = best.min(g.distance_2(p.x, p.y));
            }
        }
        best
    }

    /// Distance from `p` to the polygon: 0 inside or on the boundary, else the distance to the
    /// boundary (the usual "distance to the perimeter" of facility counts).
    pub fn distance(&self, p: Coord<f64>) -> f64 {
        if self.position(p).is_in() {
            0.0
        } else {
            self.boundary_distance(p)
        }
    }

    /// Signed distance to the boundary: negative inside, 0 on the boundary, positive outside.
    pub fn signed_distance(&self, p: Coord<f64>) -> f64 {
        match self.position(p) {
            Position::Inside => -self.boundary_distance(p),
            Position::Boundary => 0.0,
            Position::Outside => self.boundary_distance(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Intersects, Point, polygon};

    fn square_with_hole() -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0)]],
        )])
    }

    /// A slanted ring with `n` vertices (so both the linear scan and the tree path run).
    fn slanted_ring(n: usize, clockwise: bool) -> MultiPolygon<f64> {
        let mut ring: Vec<Coord<f64>> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                Coord {
                    x: 989_000.0 + 300.0 * a.cos() + 0.37 * i as f64,
                    y: 6_733_000.0 + 200.0 * a.sin(),
                }
            })
            .collect();
        if clockwise {
            ring.reverse();
        }
        MultiPolygon(vec![geo::Polygon::new(geo::LineString(ring), vec![])])
    }

    #[test]
    fn boundary_distance_is_brute_force_and_direction_independent() {
        for n in [12, LINEAR_SCAN_MAX_EDGES + 40] {
            let ccw = PreparedPolygon::new(slanted_ring(n, false));
            let cw = PreparedPolygon::new(slanted_ring(n, true));
            assert_eq!(ccw.groups.is_empty(), n > LINEAR_SCAN_MAX_EDGES);
            for k in 0..500 {
                let t = k as f64 * 0.731;
                let p = Coord {
                    x: 989_000.0 + 700.0 * t.sin(),
                    y: 6_733_000.0 + 500.0 * (1.3 * t).cos(),
                };
                // Brute force with geo's own segment distance.
                let brute = ccw.geometry().0[0]
                    .exterior()
                    .lines()
                    .map(|l| {
                        use geo::{Distance, Euclidean};
                        Euclidean.distance(&l, &Point::from(p))
                    })
                    .fold(f64::INFINITY, f64::min);
                let d = ccw.boundary_distance(p);
                assert!((d - brute).abs() < 1e-6, "n={n} p={p:?}: {d} vs {brute}");
                // Bit-identical whichever way the ring runs (shared boundaries tie exactly).
                assert_eq!(ccw.boundary_distance_2(p), cw.boundary_distance_2(p));
            }
        }
    }

    #[test]
    fn bounded_distance_is_exact_up_to_the_bound_and_above_it_beyond() {
        let poly = PreparedPolygon::new(slanted_ring(97, false));
        for k in 0..2_000 {
            let t = k as f64 * 0.377;
            let p = Coord {
                x: 989_000.0 + 900.0 * t.sin(),
                y: 6_733_000.0 + 700.0 * (0.7 * t).cos(),
            };
            let full = poly.boundary_distance_2(p);
            for bound in [0.0, 100.0, full * 0.999, full, full * 1.001, 1e9] {
                let d = poly.boundary_distance_2_within(p, bound);
                if full <= bound {
                    assert_eq!(d, full, "{p:?} bound {bound}");
                } else {
                    assert!(d > bound, "{p:?} bound {bound}: {d}");
                }
            }
        }
    }

    #[test]
    fn positions_on_vertices_edges_holes() {
        let p = PreparedPolygon::new(square_with_hole());
        let at = |x, y| p.position(Coord { x, y });
        assert_eq!(at(1.0, 1.0), Position::Inside);
        assert_eq!(at(0.0, 0.0), Position::Boundary);
        assert_eq!(at(10.0, 5.0), Position::Boundary);
        assert_eq!(at(5.0, 10.0), Position::Boundary);
        assert_eq!(at(4.0, 5.0), Position::Boundary);
        assert_eq!(at(6.0, 6.0), Position::Boundary);
        assert_eq!(at(5.0, 5.0), Position::Outside);
        assert_eq!(at(-1.0, 0.0), Position::Outside);
        assert_eq!(at(11.0, 10.0), Position::Outside);
        // A ray through a vertex (y = 4 passes the hole's corners) must not double count.
        assert_eq!(at(1.0, 4.0), Position::Inside);
        assert_eq!(at(7.0, 6.0), Position::Inside);
        assert_eq!(p.signed_distance(Coord { x: 1.0, y: 5.0 }), -1.0);
        assert_eq!(p.signed_distance(Coord { x: 5.0, y: 5.0 }), 1.0);
        assert_eq!(p.signed_distance(Coord { x: 13.0, y: 14.0 }), 5.0);
        assert_eq!(p.distance(Coord { x: 2.0, y: 2.0 }), 0.0);
        assert_eq!(p.area(), 96.0);
        let mp = square_with_hole();
        for (x, y) in [(1.0, 4.0), (5.0, 5.0), (4.0, 5.0), (0.5, 9.5)] {
            let pt = Point::new(x, y);
            assert_eq!(at(x, y) == Position::Inside, mp.contains(&pt));
            assert_eq!(at(x, y).is_in(), mp.intersects(&pt));
        }
    }

    #[test]
    fn empty_polygon_is_outside_everything() {
        let p = PreparedPolygon::new(MultiPolygon(vec![]));
        assert_eq!(p.position(Coord { x: 0.0, y: 0.0 }), Position::Outside);
        assert_eq!(p.boundary_distance(Coord { x: 0.0, y: 0.0 }), f64::INFINITY);
    }
}
