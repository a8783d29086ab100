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
//! Which side a vertex is on comes from geo's robust orientation predicate; the crossing point
//! itself is computed in floating point (an error of about 1e-16 of the coordinates).

use geo::{Coord, Kernel, Orientation};

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
    /// Whether `p` is inside or on the line.
    pub fn contains(&self, p: Coord<f64>) -> bool {
        geo::kernels::RobustKernel::orient2d(self.from, self.to, p) != Orientation::Clockwise
    }

    /// Where the segment `a`–`b` (one end inside, the other outside) crosses the line.
    fn crossing(&self, a: Coord<f64>, b: Coord<f64>) -> Coord<f64> {
        let d = self.to - self.from;
        let side = |p: Coord<f64>| d.x * (p.y - self.from.y) - d.y * (p.x - self.from.x);
        let (sa, sb) = (side(a), side(b));
        let t = sa / (sa - sb);
        Coord {
            x: a.x + t * (b.x - a.x),
            y: a.y + t * (b.y - a.y),
        }
    }
}

/// Reusable buffers for [`clipped_signed_area`], so that clipping allocates nothing once warm.
#[derive(Debug, Default)]
pub struct ClipScratch {
    a: Vec<Coord<f64>>,
    b: Vec<Coord<f64>>,
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
pub fn clip_ring<'s>(
    ring: &[Coord<f64>],
    planes: &[HalfPlane],
    scratch: &'s mut ClipScratch,
) -> &'s [Coord<f64>] {
    let ClipScratch { a, b } = scratch;
    let Some((first, rest)) = planes.split_first() else {
        a.clear();
        a.extend_from_slice(ring);
        return a;
    };
    // The first pass reads the ring itself (no copy), the others go back and forth.
    clip_by(ring, first, a);
    for plane in rest {
        if a.is_empty() {
            break;
        }
        clip_by(a, plane, b);
        std::mem::swap(a, b);
    }
    a
}

/// One Sutherland–Hodgman pass: the (open) ring `from` clipped by `plane`, into `to`.
#[inline]
fn clip_by(from: &[Coord<f64>], plane: &HalfPlane, to: &mut Vec<Coord<f64>>) {
    to.clear();
    let Some(&last) = from.last() else {
        return;
    };
    let mut prev = last;
    let mut prev_in = plane.contains(prev);
    for &cur in from {
        let cur_in = plane.contains(cur);
        if cur_in != prev_in {
            to.push(plane.crossing(prev, cur));
        }
        if cur_in {
            to.push(cur);
        }
        (prev, prev_in) = (cur, cur_in);
    }
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
}
