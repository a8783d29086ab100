//! Sutherland–Hodgman clipping of a ring by half-planes, for the area of a polygon inside a
//! convex region.
//!
//! Clipping a closed ring by a half-plane gives a closed ring whose winding number is the
//! original one inside the half-plane and 0 outside, so the clipped ring's signed area is
//! exactly the signed area of the part of the ring inside, even for a non-convex ring (the
//! output may then run back and forth along the clipping line: those degenerate edges enclose
//! no area). Clipping by every edge of a convex polygon therefore gives the signed area of
//! `ring ∩ convex`; holes, oriented the other way, subtract themselves.
//!
//! Which side a vertex is on is decided exactly: the side value `d × (p − from)` (`d = to −
//! from`) is computed once per vertex in floating point and its sign is taken when it clears
//! Shewchuk's static error bound for orientation (`(3 + 16ε)ε·(|left| + |right|)`, the fast
//! path of geo's robust predicate); only a vertex within that bound of the line goes through
//! geo's robust (adaptive exact) predicate. The crossing point is computed in floating point
//! from the two side values already at hand (an error of about 1e-16 of the coordinates).

use geo::{Coord, Kernel, Orientation};

/// Shewchuk's `ccwerrboundA`, `(3 + 16ε)ε` with ε = 2⁻⁵³: when `|l − r|` exceeds this times
/// `|l| + |r|` (`l`, `r` the two rounded products of a 2 × 2 orientation determinant of
/// rounded differences), the rounded determinant has the exact determinant's sign
/// (Shewchuk 1997, "Adaptive precision floating-point arithmetic and fast robust geometric
/// predicates", section 4.2; the same constant as in the `robust` crate behind geo).
const ORIENT_ERROR_BOUND: f64 = (3.0 + 16.0 * EPS) * EPS;
const EPS: f64 = f64::EPSILON / 2.0;

/// A closed half-plane: the points on the left of the directed line through `from` and `to`
/// (or on it). The inside of a counter-clockwise convex polygon is the intersection of the
/// half-planes of its edges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HalfPlane {
    /// A point of the boundary line.
    pub from: Coord<f64>,
    /// A second point of the boundary line; the inside is on its left seen from `from`.
    pub to: Coord<f64>,
}

impl HalfPlane {
    /// Whether `p` is inside or on the line (exact: the same answer as geo's robust
    /// orientation predicate).
    ///
    /// ```
    /// use geo::coord;
    /// use qpv::geometry::convex_clip::HalfPlane;
    /// let left_of_up = HalfPlane { from: coord! { x: 0.0, y: 0.0 }, to: coord! { x: 0.0, y: 1.0 } };
    /// assert!(left_of_up.contains(coord! { x: -1e-300, y: 5.0 }));
    /// assert!(left_of_up.contains(coord! { x: 0.0, y: -7.0 })); // on the line
    /// assert!(!left_of_up.contains(coord! { x: 1e-300, y: 5.0 }));
    /// ```
    #[inline]
    pub fn contains(&self, p: Coord<f64>) -> bool {
        Line::new(self).side(p).1
    }

    /// The exact predicate: geo's robust orientation test.
    #[cold]
    #[inline(never)]
    fn contains_exactly(&self, p: Coord<f64>) -> bool {
        geo::kernels::RobustKernel::orient2d(self.from, self.to, p) != Orientation::Clockwise
    }
}

/// A half-plane's line prepared for many side tests (its direction computed once).
#[derive(Clone, Copy)]
struct Line<'a> {
    plane: &'a HalfPlane,
    d: Coord<f64>,
}

impl<'a> Line<'a> {
    #[inline]
    fn new(plane: &'a HalfPlane) -> Self {
        Line {
            plane,
            d: plane.to - plane.from,
        }
    }

    /// The side value `d × (p − from)` (positive on the left) and whether `p` is inside (on
    /// the left or on the line), decided exactly.
    ///
    /// The value is `robust::orient2d(to, p, from)`'s floating-point determinant operation for
    /// operation (`(to − from).x·(p − from).y − (to − from).y·(p − from).x`), whose exact value
    /// has the sign of `orient2d(from, to, p)` (a cyclic permutation): beyond the static error
    /// bound its sign is the exact sign, within it geo's robust predicate decides.
    #[inline(always)]
    fn side(&self, p: Coord<f64>) -> (f64, bool) {
        let (side, bound) = self.filtered(p);
        let inside = if side > bound {
            true
        } else if -side > bound {
            false
        } else {
            self.plane.contains_exactly(p)
        };
        (side, inside)
    }

    /// The floating-point side value of `p` and its error bound: beyond the bound, the value
    /// has the sign of the exact one.
    #[inline(always)]
    fn filtered(&self, p: Coord<f64>) -> (f64, f64) {
        let from = self.plane.from;
        let left = self.d.x * (p.y - from.y);
        let right = self.d.y * (p.x - from.x);
        // The smallest normal number covers products that underflow (absolute errors).
        let bound = ORIENT_ERROR_BOUND * (left.abs() + right.abs()) + f64::MIN_POSITIVE;
        (left - right, bound)
    }

    /// An error bound valid for the side value of every point of `bounds`: the per-point
    /// bound grows with `|d.x|·|p.y − from.y|` and `|d.y|·|p.x − from.x|`, each at most its
    /// value at the farther edge of the box (floating-point rounding is monotonic), so this
    /// bound, computed with the same operations from those extremes, is at least every
    /// point's.
    #[inline]
    fn band(&self, bounds: &Bounds) -> f64 {
        let from = self.plane.from;
        let Bounds { min, max } = *bounds;
        let dy = (max.y - from.y).abs().max((min.y - from.y).abs());
        let dx = (max.x - from.x).abs().max((min.x - from.x).abs());
        ORIENT_ERROR_BOUND * (self.d.x.abs() * dy + self.d.y.abs() * dx) + f64::MIN_POSITIVE
    }

    /// As [`Line::side`] for a point of the box `band` was computed for ([`Line::band`]).
    #[inline(always)]
    fn side_within(&self, p: Coord<f64>, band: f64) -> (f64, bool) {
        let from = self.plane.from;
        let side = self.d.x * (p.y - from.y) - self.d.y * (p.x - from.x);
        let inside = if side > band {
            true
        } else if side < -band {
            false
        } else {
            self.plane.contains_exactly(p)
        };
        (side, inside)
    }

    /// Whether every point of `bounds` is strictly inside, by the static filter alone (`false`
    /// when it cannot tell): the side value is affine in the point, so its least value over
    /// the box is at the corner picked by the signs of the line's direction, and a corner
    /// whose floating-point side value clears the error bound has an exact side value of
    /// that sign.
    #[inline]
    fn holds(&self, bounds: &Bounds) -> bool {
        let Bounds { min, max } = *bounds;
        let low = Coord {
            x: if self.d.y > 0.0 { max.x } else { min.x },
            y: if self.d.x > 0.0 { min.y } else { max.y },
        };
        let (side, bound) = self.filtered(low);
        side > bound
    }
}

/// Where the segment `a`–`b` (one end inside, the other outside) crosses the line, from the
/// side values `sa`, `sb` of its ends.
#[inline(always)]
fn crossing(a: Coord<f64>, sa: f64, b: Coord<f64>, sb: f64) -> Coord<f64> {
    let t = sa / (sa - sb);
    Coord {
        x: a.x + t * (b.x - a.x),
        y: a.y + t * (b.y - a.y),
    }
}

/// Reusable buffers for [`clipped_signed_area`], so that clipping allocates nothing once warm.
#[derive(Debug, Default)]
pub struct ClipScratch {
    a: Vec<Coord<f64>>,
    b: Vec<Coord<f64>>,
    /// The ring as pieces, for [`clip_ring_around`] (two buffers, one pass to the next).
    pieces: Vec<Piece>,
    next: Vec<Piece>,
}

/// A disc inside every half-plane of a clip: every point `p` with
/// `(p − centre)² < radius²` (computed in floating point) is inside each of them, exactly.
/// The caller guarantees it, with a margin that covers the rounding of that test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InnerDisc {
    /// Its centre.
    pub centre: Coord<f64>,
    /// Its radius (nothing is taken as inside when it is 0 or less).
    pub radius: f64,
}

impl InnerDisc {
    #[inline(always)]
    fn holds(&self, p: Coord<f64>) -> bool {
        let d = p - self.centre;
        self.radius > 0.0 && d.x * d.x + d.y * d.y < self.radius * self.radius
    }
}

/// A piece of a ring being clipped by [`clip_ring_around`]: one vertex, or a run of the input
/// ring's vertices (`start..end`) inside the [`InnerDisc`], hence inside every half-plane.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Vertex(Coord<f64>),
    Run(usize, usize),
}

/// Signed area (shoelace, counter-clockwise positive) of `ring` clipped by every half-plane
/// of `planes`: the signed area of the part of the ring inside their intersection.
///
/// `ring` is open or closed (a repeated first vertex adds a zero-length edge, no area).
///
/// # Units
/// Square units of the coordinates; pass coordinates near the origin (shift Lambert-93 first)
/// to keep the shoelace sum free of cancellation.
///
/// # Examples
///
/// ```
/// use geo::coord;
/// use qpv::geometry::convex_clip::{ClipScratch, HalfPlane, clipped_signed_area};
/// // A 2 × 2 square clipped by x ≤ 1 (left of the upward line x = 1): half of it, area 2.
/// let square = [coord! { x: 0.0, y: 0.0 }, coord! { x: 2.0, y: 0.0 },
///     coord! { x: 2.0, y: 2.0 }, coord! { x: 0.0, y: 2.0 }];
/// let left_of_x1 = HalfPlane { from: coord! { x: 1.0, y: 0.0 }, to: coord! { x: 1.0, y: 1.0 } };
/// let mut scratch = ClipScratch::default();
/// assert_eq!(clipped_signed_area(&square, &[left_of_x1], &mut scratch), 2.0);
/// // The same ring clockwise: the area is negative (a hole subtracts itself).
/// let reversed: Vec<_> = square.iter().rev().copied().collect();
/// assert_eq!(clipped_signed_area(&reversed, &[left_of_x1], &mut scratch), -2.0);
/// ```
pub fn clipped_signed_area(
    ring: &[Coord<f64>],
    planes: &[HalfPlane],
    scratch: &mut ClipScratch,
) -> f64 {
    signed_area(clip_ring(ring, planes, scratch))
}

/// `ring` clipped by every half-plane of `planes` (Sutherland–Hodgman), open, in `scratch`'s
/// buffer. For a convex ring the result is the convex intersection; for a non-convex one it
/// may run back and forth along a clipping line (degenerate edges, no area).
///
/// A pass whose line leaves the ring's whole bounding box inside (one exact corner test) is
/// skipped: it would give the ring itself.
pub fn clip_ring<'s>(
    ring: &[Coord<f64>],
    planes: &[HalfPlane],
    scratch: &'s mut ClipScratch,
) -> &'s [Coord<f64>] {
    let ClipScratch { a, b, .. } = scratch;
    let mut bounds = Bounds::of(ring);
    let mut planes = planes.iter();
    // The first pass that changes the ring reads the ring itself (no copy), the others go
    // back and forth between the two buffers.
    let mut changed = false;
    for plane in planes.by_ref() {
        if Line::new(plane).holds(&bounds) {
            continue;
        }
        if let Some(out) = clip_by(ring, &bounds, plane, a) {
            (bounds, changed) = (out, true);
            break;
        }
    }
    if !changed {
        a.clear();
        a.extend_from_slice(ring);
        return a;
    }
    for plane in planes {
        if a.is_empty() {
            break;
        }
        if Line::new(plane).holds(&bounds) {
            continue;
        }
        if let Some(out) = clip_by(a, &bounds, plane, b) {
            bounds = out;
            std::mem::swap(a, b);
        }
    }
    a
}

/// [`clip_ring`] for half-planes that all hold `inner`: the same points, bit for bit, in the
/// same order.
///
/// Sutherland–Hodgman keeps a vertex inside every half-plane through every pass and computes
/// a crossing only from the two ends of an edge that changes side, so the runs of input
/// vertices inside `inner` are carried through the passes whole, untouched: a pass reads each
/// run's two ends (the side values a crossing needs) instead of every vertex.
///
/// # Examples
///
/// ```
/// use geo::coord;
/// use qpv::geometry::convex_clip::{ClipScratch, HalfPlane, InnerDisc, clip_ring, clip_ring_around};
/// // A 4 × 4 square, clipped by x ≤ 3 and y ≤ 3; the disc of radius 1 around (1, 1) is inside both.
/// let square = [coord! { x: 0.0, y: 0.0 }, coord! { x: 4.0, y: 0.0 },
///     coord! { x: 4.0, y: 4.0 }, coord! { x: 0.0, y: 4.0 }];
/// let planes = [
///     HalfPlane { from: coord! { x: 3.0, y: 0.0 }, to: coord! { x: 3.0, y: 1.0 } },
///     HalfPlane { from: coord! { x: 1.0, y: 3.0 }, to: coord! { x: 0.0, y: 3.0 } },
/// ];
/// let inner = InnerDisc { centre: coord! { x: 1.0, y: 1.0 }, radius: 1.5 };
/// let mut scratch = ClipScratch::default();
/// let fast = clip_ring_around(&square, &planes, inner, &mut scratch).to_vec();
/// assert_eq!(fast, clip_ring(&square, &planes, &mut scratch));
/// assert_eq!(fast.len(), 4);
/// ```
pub fn clip_ring_around<'s>(
    ring: &[Coord<f64>],
    planes: &[HalfPlane],
    inner: InnerDisc,
    scratch: &'s mut ClipScratch,
) -> &'s [Coord<f64>] {
    // The box of the vertices inside `inner` (kept by every pass) and of the others.
    let (mut kept, mut bounds) = (Bounds::EMPTY, Bounds::EMPTY);
    let pieces = &mut scratch.pieces;
    pieces.clear();
    let mut i = 0;
    while i < ring.len() {
        let start = i;
        while i < ring.len() && inner.holds(ring[i]) {
            kept.add(ring[i]);
            i += 1;
        }
        if i > start {
            pieces.push(Piece::Run(start, i));
        } else {
            bounds.add(ring[i]);
            pieces.push(Piece::Vertex(ring[i]));
            i += 1;
        }
    }
    if pieces.len() == ring.len() {
        // No vertex inside: nothing to carry.
        return clip_ring(ring, planes, scratch);
    }
    let ClipScratch {
        a, pieces, next, ..
    } = scratch;
    for plane in planes {
        if pieces.is_empty() {
            break;
        }
        let line = Line::new(plane);
        // The runs are inside every half-plane: a pass whose line holds the single vertices
        // changes nothing.
        if line.holds(&bounds) {
            continue;
        }
        let all = bounds.union(&kept);
        if let Some(out) = clip_pieces(ring, pieces, &line, line.band(&all), next) {
            bounds = out;
            std::mem::swap(pieces, next);
        }
    }
    a.clear();
    for piece in pieces.iter() {
        match *piece {
            Piece::Vertex(p) => a.push(p),
            Piece::Run(start, end) => a.extend_from_slice(&ring[start..end]),
        }
    }
    a
}

/// One Sutherland–Hodgman pass over pieces ([`clip_by`]'s vertices and crossings), into `to`;
/// returns the box of the output's single vertices, or `None` when every vertex is inside.
fn clip_pieces(
    ring: &[Coord<f64>],
    from: &[Piece],
    line: &Line,
    band: f64,
    to: &mut Vec<Piece>,
) -> Option<Bounds> {
    let last = match *from.last()? {
        Piece::Vertex(p) => p,
        Piece::Run(_, end) => ring[end - 1],
    };
    to.clear();
    let mut out = Bounds::EMPTY;
    let mut changed = false;
    let mut prev = last;
    let (mut prev_side, mut prev_in) = line.side_within(prev, band);
    for piece in from {
        match *piece {
            Piece::Vertex(cur) => {
                let (cur_side, cur_in) = line.side_within(cur, band);
                if cur_in != prev_in {
                    changed = true;
                    let c = crossing(prev, prev_side, cur, cur_side);
                    out.add(c);
                    to.push(Piece::Vertex(c));
                }
                if cur_in {
                    out.add(cur);
                    to.push(*piece);
                }
                (prev, prev_side, prev_in) = (cur, cur_side, cur_in);
            }
            Piece::Run(start, end) => {
                if !prev_in {
                    changed = true;
                    let first = ring[start];
                    let c = crossing(prev, prev_side, first, line.side_within(first, band).0);
                    out.add(c);
                    to.push(Piece::Vertex(c));
                }
                to.push(*piece);
                prev = ring[end - 1];
                (prev_side, prev_in) = (line.side_within(prev, band).0, true);
            }
        }
    }
    if !changed && !prev_in {
        // No crossing and the last vertex outside: every vertex outside (no run left).
        to.clear();
        return Some(out);
    }
    changed.then_some(out)
}

/// A box holding every vertex of a ring whose coordinates are not NaN (a vertex with a NaN
/// coordinate is on every line for the predicate, so inside every half-plane).
#[derive(Clone, Copy)]
struct Bounds {
    min: Coord<f64>,
    max: Coord<f64>,
}

impl Bounds {
    /// No vertex yet.
    const EMPTY: Bounds = Bounds {
        min: Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        },
        max: Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        },
    };

    fn of(ring: &[Coord<f64>]) -> Bounds {
        let mut bounds = Bounds::EMPTY;
        for &p in ring {
            bounds.add(p);
        }
        bounds
    }

    /// The box of both boxes' points.
    fn union(&self, other: &Bounds) -> Bounds {
        Bounds {
            min: Coord {
                x: self.min.x.min(other.min.x),
                y: self.min.y.min(other.min.y),
            },
            max: Coord {
                x: self.max.x.max(other.max.x),
                y: self.max.y.max(other.max.y),
            },
        }
    }

    #[inline(always)]
    fn add(&mut self, p: Coord<f64>) {
        // Comparisons rather than `f64::min`: a NaN coordinate leaves the box as it is.
        self.min.x = if p.x < self.min.x { p.x } else { self.min.x };
        self.min.y = if p.y < self.min.y { p.y } else { self.min.y };
        self.max.x = if p.x > self.max.x { p.x } else { self.max.x };
        self.max.y = if p.y > self.max.y { p.y } else { self.max.y };
    }
}

/// One Sutherland–Hodgman pass: the (open) ring `from`, whose vertices are in `bounds`,
/// clipped by `plane`, into `to`; returns the box of the output, or `None` (and `to` left
/// alone) when every vertex is inside: the pass would give `from` itself.
///
/// Each vertex's side value is computed once and serves both the inside test and the
/// crossings; the runs of inside vertices are copied whole.
#[inline]
fn clip_by(
    from: &[Coord<f64>],
    bounds: &Bounds,
    plane: &HalfPlane,
    to: &mut Vec<Coord<f64>>,
) -> Option<Bounds> {
    let &last = from.last()?;
    let line = Line::new(plane);
    let band = line.band(bounds);
    let mut out = Bounds::EMPTY;
    let mut prev = last;
    let (mut prev_side, mut prev_in) = line.side_within(prev, band);
    // Where the run of inside vertices being read started, and whether `to` was cleared.
    let (mut run, mut started) = (0, false);
    for (i, &cur) in from.iter().enumerate() {
        let (cur_side, cur_in) = line.side_within(cur, band);
        if cur_in != prev_in {
            if !started {
                to.clear();
                started = true;
            }
            if !cur_in {
                to.extend_from_slice(&from[run..i]);
            }
            let c = crossing(prev, prev_side, cur, cur_side);
            out.add(c);
            to.push(c);
            run = i;
        }
        if cur_in {
            out.add(cur);
        }
        (prev, prev_side, prev_in) = (cur, cur_side, cur_in);
    }
    if !started {
        // No crossing: every vertex inside (the identity) or every one outside (nothing).
        if prev_in {
            return None;
        }
        to.clear();
        return Some(out);
    }
    if prev_in {
        to.extend_from_slice(&from[run..]);
    }
    Some(out)
}

/// Shoelace signed area of an open or closed ring, counter-clockwise positive.
pub fn signed_area(ring: &[Coord<f64>]) -> f64 {
    let Some(&last) = ring.last() else {
        return 0.0;
    };
    let mut prev = last;
    let mut twice = 0.0;
    for &c in ring {
        twice += prev.x * c.y - c.x * prev.y;
        prev = c;
    }
    twice / 2.0
}

/// The clipping before the side values were shared, kept in tests/reference_disc_cover/ as
/// the oracle of tests/coverage_area_bits.rs: geo's robust predicate for every vertex, the
/// crossing's side values computed again, every pass done.
#[cfg(test)]
#[path = "../../tests/reference_disc_cover/convex_clip.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<Coord<f64>> {
        vec![
            coord! { x: x0, y: y0 },
            coord! { x: x0 + s, y: y0 },
            coord! { x: x0 + s, y: y0 + s },
            coord! { x: x0, y: y0 + s },
        ]
    }

    #[test]
    fn a_non_convex_ring_keeps_the_exact_area_of_its_inside_part() {
        // A U shape (3 × 3 square minus the 1 × 2 slot x ∈ [1, 2], y ∈ [1, 3]), area 7, clipped
        // by y ≤ 2: the bottom 3 × 1 bar plus the two 1 × 1 arms, area 5 (by hand).
        let u = [
            coord! { x: 0.0, y: 0.0 },
            coord! { x: 3.0, y: 0.0 },
            coord! { x: 3.0, y: 3.0 },
            coord! { x: 2.0, y: 3.0 },
            coord! { x: 2.0, y: 1.0 },
            coord! { x: 1.0, y: 1.0 },
            coord! { x: 1.0, y: 3.0 },
            coord! { x: 0.0, y: 3.0 },
        ];
        let below_2 = HalfPlane {
            from: coord! { x: 1.0, y: 2.0 },
            to: coord! { x: 0.0, y: 2.0 },
        };
        let mut s = ClipScratch::default();
        assert_eq!(signed_area(&u), 7.0);
        assert_eq!(clipped_signed_area(&u, &[below_2], &mut s), 5.0);
    }

    #[test]
    fn disjoint_and_containing_regions() {
        let mut s = ClipScratch::default();
        let ring = square(0.0, 0.0, 1.0);
        let far_right = HalfPlane {
            from: coord! { x: 5.0, y: 1.0 },
            to: coord! { x: 5.0, y: 0.0 },
        };
        assert_eq!(clipped_signed_area(&ring, &[far_right], &mut s), 0.0);
        let everything = HalfPlane {
            from: coord! { x: 5.0, y: 0.0 },
            to: coord! { x: 5.0, y: 1.0 },
        };
        assert_eq!(clipped_signed_area(&ring, &[everything], &mut s), 1.0);
    }

    /// The plain clipping as the oracle of the same points to the bit.
    mod plain {
        use geo::Coord;

        use super::super::reference;
        use super::HalfPlane;

        pub fn clip_ring(ring: &[Coord<f64>], planes: &[HalfPlane]) -> Vec<Coord<f64>> {
            let planes: Vec<reference::HalfPlane> = planes
                .iter()
                .map(|p| reference::HalfPlane {
                    from: p.from,
                    to: p.to,
                })
                .collect();
            reference::clip_ring(ring, &planes, &mut reference::ClipScratch::default()).to_vec()
        }
    }

    fn bits(ring: &[Coord<f64>]) -> Vec<(u64, u64)> {
        ring.iter()
            .map(|c| (c.x.to_bits(), c.y.to_bits()))
            .collect()
    }

    /// `x` moved by `ulps` units in the last place (toward +∞ for positive `ulps`).
    fn nudge(x: f64, ulps: i64) -> f64 {
        let mut x = x;
        for _ in 0..ulps.unsigned_abs() {
            x = if ulps > 0 { x.next_up() } else { x.next_down() };
        }
        x
    }

    /// A point on or within a few ulps of the line through `from` and `to`, or anywhere.
    fn point_near(from: Coord<f64>, to: Coord<f64>) -> impl Strategy<Value = Coord<f64>> {
        prop_oneof![
            // On the line up to the rounding of `from + t (to − from)`, then nudged.
            (-2.0f64..3.0, -3i64..=3, -3i64..=3).prop_map(move |(t, ux, uy)| {
                let p = from + (to - from) * t;
                coord! { x: nudge(p.x, ux), y: nudge(p.y, uy) }
            }),
            // Exactly on the line: `from + k (to − from)` for a small integer k, exact when the
            // coordinates are small integers.
            (-4i32..6).prop_map(move |k| from + (to - from) * f64::from(k)),
            Just(from),
            Just(to),
            (-2000.0f64..2000.0, -2000.0f64..2000.0).prop_map(|(x, y)| coord! { x: x, y: y }),
        ]
    }

    fn any_coord() -> impl Strategy<Value = Coord<f64>> {
        prop_oneof![
            // Small integers: many exactly collinear triples.
            (-8i32..8, -8i32..8).prop_map(|(x, y)| coord! { x: f64::from(x), y: f64::from(y) }),
            // Local Lambert-93 metres (what disc_cover passes).
            (-3000.0f64..3000.0, -3000.0f64..3000.0).prop_map(|(x, y)| coord! { x: x, y: y }),
            // Raw Lambert-93 magnitudes.
            (900_000.0f64..1_000_000.0, 6_700_000.0f64..6_800_000.0)
                .prop_map(|(x, y)| coord! { x: x, y: y }),
        ]
    }

    fn plane_and_points() -> impl Strategy<Value = (HalfPlane, Vec<Coord<f64>>)> {
        (any_coord(), any_coord()).prop_flat_map(|(from, to)| {
            (
                Just(HalfPlane { from, to }),
                proptest::collection::vec(point_near(from, to), 1..40),
            )
        })
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The filtered side test (per point, and with the bound of a box holding the points)
        /// says inside exactly when geo's robust predicate does, on random, nearly collinear
        /// and exactly collinear points.
        #[test]
        fn the_filtered_side_test_is_the_robust_predicate((plane, points) in plane_and_points()) {
            let line = Line::new(&plane);
            let bounds = Bounds::of(&points);
            let band = line.band(&bounds);
            for &p in &points {
                let robust = geo::kernels::RobustKernel::orient2d(plane.from, plane.to, p)
                    != Orientation::Clockwise;
                prop_assert_eq!(line.side(p).1, robust);
                prop_assert_eq!(plane.contains(p), robust);
                prop_assert_eq!(line.side_within(p, band).1, robust);
                // The side value is the one the crossing formula of ca7883b used.
                let d = plane.to - plane.from;
                let side = d.x * (p.y - plane.from.y) - d.y * (p.x - plane.from.x);
                prop_assert_eq!(line.side_within(p, band).0.to_bits(), side.to_bits());
            }
            // A box said to be inside has every point inside.
            if line.holds(&bounds) {
                prop_assert!(points.iter().all(|&p| plane.contains(p)));
            }
        }

        /// Clipping a ring (random, with vertices on and near the lines) gives the very points
        /// of the plain pass-by-pass clipping of ca7883b, to the bit.
        #[test]
        fn clipping_gives_the_points_of_the_plain_clipping(
            (plane, ring) in plane_and_points(),
            more in proptest::collection::vec((any_coord(), any_coord()), 0..12),
        ) {
            let mut planes = vec![plane];
            planes.extend(more.into_iter().map(|(from, to)| HalfPlane { from, to }));
            let mut scratch = ClipScratch::default();
            let fast = clip_ring(&ring, &planes, &mut scratch).to_vec();
            prop_assert_eq!(bits(&fast), bits(&plain::clip_ring(&ring, &planes)));
        }

        /// The same with the planes of a regular polygon's edges around the ring (the shape
        /// of disc_cover's clips: many passes, most leaving the ring whole).
        #[test]
        fn clipping_by_a_polygon_gives_the_points_of_the_plain_clipping(
            ring in proptest::collection::vec(
                (-1000.0f64..1000.0, -1000.0f64..1000.0).prop_map(|(x, y)| coord! { x: x, y: y }),
                3..60,
            ),
            centre in (-800.0f64..800.0, -800.0f64..800.0),
            radius in 10.0f64..1500.0,
            sides in 8usize..130,
        ) {
            let step = std::f64::consts::TAU / sides as f64;
            let vertex = |k: usize| {
                let a = step * k as f64;
                coord! { x: centre.0 + radius * a.cos(), y: centre.1 + radius * a.sin() }
            };
            let planes: Vec<HalfPlane> = (0..sides)
                .map(|k| HalfPlane { from: vertex(k), to: vertex((k + 1) % sides) })
                .collect();
            let mut scratch = ClipScratch::default();
            let fast = clip_ring(&ring, &planes, &mut scratch).to_vec();
            prop_assert_eq!(bits(&fast), bits(&plain::clip_ring(&ring, &planes)));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Clipping by some edges of a regular polygon (as disc_cover's cuts), the runs of
        /// vertices inside its inner disc carried whole, gives the very points of the plain
        /// pass-by-pass clipping, to the bit: rings of vertices around the polygon's centre,
        /// inside, across and outside it, some right at the inner disc's edge, at local and
        /// Lambert-93 magnitudes.
        #[test]
        fn clipping_around_an_inner_disc_gives_the_points_of_the_plain_clipping(
            polar in proptest::collection::vec((0.0f64..2.0, 0.0f64..std::f64::consts::TAU), 3..80),
            near_edge in proptest::collection::vec(0usize..80, 0..6),
            centre in prop_oneof![
                (-800.0f64..800.0, -800.0f64..800.0),
                (900_000.0f64..1_000_000.0, 6_700_000.0f64..6_800_000.0),
            ],
            radius in 10.0f64..1500.0,
            sides in 8usize..130,
            keep in proptest::collection::vec(any::<bool>(), 130),
        ) {
            let step = std::f64::consts::TAU / sides as f64;
            let vertex = |k: usize| {
                let a = step * k as f64;
                coord! { x: centre.0 + radius * a.cos(), y: centre.1 + radius * a.sin() }
            };
            // A subset of the edges, in order (the edges of a cut that meet the zone).
            let planes: Vec<HalfPlane> = (0..sides)
                .filter(|&k| keep[k])
                .map(|k| HalfPlane { from: vertex(k), to: vertex((k + 1) % sides) })
                .collect();
            let apothem = radius * (step / 2.0).cos();
            let inner = InnerDisc {
                centre: coord! { x: centre.0, y: centre.1 },
                radius: apothem - 1e-6 * (1.0 + radius)
                    - 1e-12 * (centre.0.abs() + centre.1.abs() + radius) * (sides as f64 + 1.0),
            };
            let mut ring: Vec<Coord<f64>> = polar
                .iter()
                .map(|&(f, a)| coord! { x: centre.0 + f * radius * a.cos(), y: centre.1 + f * radius * a.sin() })
                .collect();
            for &i in &near_edge {
                // A vertex just inside the inner disc, or just outside.
                let (f, a) = polar[i % polar.len()];
                let r = inner.radius * if f < 1.0 { 1.0 - 1e-12 } else { 1.0 + 1e-12 };
                ring[i % polar.len()] = coord! { x: centre.0 + r * a.cos(), y: centre.1 + r * a.sin() };
            }
            let mut scratch = ClipScratch::default();
            let fast = clip_ring_around(&ring, &planes, inner, &mut scratch).to_vec();
            prop_assert_eq!(bits(&fast), bits(&plain::clip_ring(&ring, &planes)));
        }
    }

    #[test]
    fn a_ring_inside_the_inner_disc_or_without_vertices_in_it_as_the_plain_clipping() {
        let p = |x: f64, y: f64| coord! { x: x, y: y };
        // The square [-2, 2]² clipped by x ≤ 3 and y ≤ 1: the disc of radius 0.5 around the
        // origin is inside both.
        let planes = [
            HalfPlane {
                from: p(3.0, 0.0),
                to: p(3.0, 1.0),
            },
            HalfPlane {
                from: p(0.0, 1.0),
                to: p(-1.0, 1.0),
            },
        ];
        let inner = InnerDisc {
            centre: p(0.0, 0.0),
            radius: 0.5,
        };
        let square = square(-2.0, -2.0, 4.0);
        let small = square.iter().map(|&c| c * 0.1).collect::<Vec<_>>();
        let far = square.iter().map(|&c| c + p(10.0, 0.0)).collect::<Vec<_>>();
        for ring in [square, small, far, vec![]] {
            let mut scratch = ClipScratch::default();
            let fast = clip_ring_around(&ring, &planes, inner, &mut scratch).to_vec();
            assert_eq!(bits(&fast), bits(&plain::clip_ring(&ring, &planes)));
        }
    }

    #[test]
    fn degenerate_planes_and_rings_as_the_plain_clipping() {
        let p = |x: f64, y: f64| coord! { x: x, y: y };
        let ring = [
            p(0.0, 0.0),
            p(2.0, 0.0),
            p(2.0, 2.0),
            p(f64::NAN, 1.0),
            p(0.0, 2.0),
        ];
        let planes = [
            // A point, not a line: every vertex is on it (inside).
            HalfPlane {
                from: p(1.0, 1.0),
                to: p(1.0, 1.0),
            },
            // Through two vertices.
            HalfPlane {
                from: p(2.0, 0.0),
                to: p(0.0, 2.0),
            },
            HalfPlane {
                from: p(0.0, 1.0),
                to: p(1.0, 1.0),
            },
        ];
        for n in 0..=planes.len() {
            let mut scratch = ClipScratch::default();
            let fast = clip_ring(&ring, &planes[..n], &mut scratch).to_vec();
            assert_eq!(
                bits(&fast),
                bits(&plain::clip_ring(&ring, &planes[..n])),
                "{n} planes"
            );
        }
        let mut scratch = ClipScratch::default();
        assert!(clip_ring(&[], &planes, &mut scratch).is_empty());
    }
}
