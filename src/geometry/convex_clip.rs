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

    /// Whether every point of the box `min`–`max` is inside (`Some(true)`), every one outside
    /// (`Some(false)`), or the line may cross it (`None`), from exact tests of two corners:
    /// the orientation is an affine function of the point, so its least and greatest values
    /// over a box are at the corners picked by the signs of the line's direction.
    fn box_side(&self, min: Coord<f64>, max: Coord<f64>) -> Option<bool> {
        let d = self.to - self.from;
        let low = Coord {
            x: if d.y > 0.0 { max.x } else { min.x },
            y: if d.x > 0.0 { min.y } else { max.y },
        };
        if self.contains(low) {
            return Some(true);
        }
        let high = Coord {
            x: if d.y > 0.0 { min.x } else { max.x },
            y: if d.x > 0.0 { max.y } else { min.y },
        };
        if self.contains(high) {
            None
        } else {
            Some(false)
        }
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
    a: Blocked,
    b: Blocked,
}

/// Most vertices in a block of [`Blocked`] filled vertex by vertex.
const BLOCK: usize = 16;

/// A ring as runs of consecutive vertices ("blocks") with their bounding boxes, so that a
/// pass can take or drop a whole block that lies on one side of the line after testing one
/// corner of its box, and test vertex by vertex only the blocks the line may cross.
#[derive(Debug, Default)]
struct Blocked {
    coords: Vec<Coord<f64>>,
    blocks: Vec<Block>,
    /// Where the block being filled starts in `coords`, and its box so far.
    open: usize,
    open_box: Option<(Coord<f64>, Coord<f64>)>,
    open_nan: bool,
    /// The box of every closed block, and whether one of them holds a NaN point.
    whole: Option<(Coord<f64>, Coord<f64>)>,
    any_nan: bool,
}

/// A block: it ends at `end` in [`Blocked::coords`] and its vertices lie in `min`–`max`
/// (a block holding a NaN point, which a box cannot bound, has the box of its other points
/// and `nan` set: it is always tested vertex by vertex).
#[derive(Debug, Clone, Copy)]
struct Block {
    end: usize,
    min: Coord<f64>,
    max: Coord<f64>,
    nan: bool,
}

/// The smallest box holding `b` and `p`.
#[inline]
fn grow(b: Option<(Coord<f64>, Coord<f64>)>, p: Coord<f64>) -> (Coord<f64>, Coord<f64>) {
    match b {
        None => (p, p),
        Some((min, max)) => (
            Coord {
                x: min.x.min(p.x),
                y: min.y.min(p.y),
            },
            Coord {
                x: max.x.max(p.x),
                y: max.y.max(p.y),
            },
        ),
    }
}

impl Blocked {
    fn clear(&mut self) {
        self.coords.clear();
        self.blocks.clear();
        self.open = 0;
        self.open_box = None;
        self.open_nan = false;
        self.whole = None;
        self.any_nan = false;
    }

    /// [`HalfPlane::box_side`] of the whole ring (`None` when it holds a NaN point).
    fn side(&self, plane: &HalfPlane) -> Option<bool> {
        let (min, max) = self.whole?;
        if self.any_nan {
            return None;
        }
        plane.box_side(min, max)
    }

    /// Records a closed block in the whole ring's box.
    fn add(&mut self, block: Block) {
        self.whole = Some(match self.whole {
            None => (block.min, block.max),
            Some(b) => (grow(Some(b), block.min).0, grow(Some(b), block.max).1),
        });
        self.any_nan |= block.nan;
        self.blocks.push(block);
    }

    /// Appends `p` to the block being filled, closing it when full.
    #[inline]
    fn push(&mut self, p: Coord<f64>) {
        self.coords.push(p);
        self.open_box = Some(grow(self.open_box, p));
        self.open_nan |= p.x.is_nan() || p.y.is_nan();
        if self.coords.len() - self.open >= BLOCK {
            self.close();
        }
    }

    /// Closes the block being filled (if it holds a vertex).
    fn close(&mut self) {
        if let Some((min, max)) = self.open_box.take() {
            self.add(Block {
                end: self.coords.len(),
                min,
                max,
                nan: self.open_nan,
            });
        }
        self.open = self.coords.len();
        self.open_nan = false;
    }

    /// Appends a whole block whose box is known, after `lead` (a crossing point) if any.
    fn push_block(&mut self, lead: Option<Coord<f64>>, points: &[Coord<f64>], block: &Block) {
        self.close();
        let (mut min, mut max, mut nan) = (block.min, block.max, block.nan);
        if let Some(p) = lead {
            self.coords.push(p);
            (min, max) = grow(Some((min, max)), p);
            nan |= p.x.is_nan() || p.y.is_nan();
        }
        self.coords.extend_from_slice(points);
        self.add(Block {
            end: self.coords.len(),
            min,
            max,
            nan,
        });
        self.open = self.coords.len();
    }

    /// `ring` cut into blocks of [`BLOCK`] vertices.
    fn fill(&mut self, ring: &[Coord<f64>]) {
        self.clear();
        for &p in ring {
            self.push(p);
        }
        self.close();
    }
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
    a.fill(ring);
    for plane in planes {
        if a.coords.is_empty() {
            break;
        }
        // A pass by a line that leaves the whole ring on one side gives the ring itself or
        // nothing.
        match a.side(plane) {
            Some(true) => continue,
            Some(false) => {
                a.clear();
                break;
            }
            None => {
                clip_by(a, plane, b);
                std::mem::swap(a, b);
            }
        }
    }
    &a.coords
}

/// One Sutherland–Hodgman pass: the (open) ring `from` clipped by `plane`, into `to`.
///
/// The points written are exactly those of the vertex-by-vertex pass: a block whose box has
/// its least-inside corner inside (exact predicate) has every vertex inside, one whose box
/// has its most-inside corner strictly outside has every vertex outside (the orientation is
/// an affine function of the point, so its extremes over a box are at these corners); only
/// the crossing points at the ends of such blocks and the other blocks' vertices are
/// computed one by one, in the same order.
fn clip_by(from: &Blocked, plane: &HalfPlane, to: &mut Blocked) {
    to.clear();
    let Some(&last) = from.coords.last() else {
        return;
    };
    let mut prev = last;
    let mut prev_in = plane.contains(prev);
    let mut start = 0;
    for block in &from.blocks {
        let points = &from.coords[start..block.end];
        start = block.end;
        let (Some(&first), Some(&end)) = (points.first(), points.last()) else {
            continue;
        };
        let side = if block.nan {
            None
        } else {
            plane.box_side(block.min, block.max)
        };
        match side {
            Some(true) => {
                let lead = (!prev_in).then(|| plane.crossing(prev, first));
                to.push_block(lead, points, block);
                (prev, prev_in) = (end, true);
                continue;
            }
            Some(false) => {
                if prev_in {
                    to.push(plane.crossing(prev, first));
                }
                (prev, prev_in) = (end, false);
                continue;
            }
            None => {}
        }
        for &cur in points {
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
    to.close();
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

    /// The plain vertex-by-vertex pass (the code before blocks), as the oracle.
    fn plain_clip(ring: &[Coord<f64>], planes: &[HalfPlane]) -> Vec<Coord<f64>> {
        let mut cur = ring.to_vec();
        for plane in planes {
            let mut out = Vec::new();
            if let Some(&last) = cur.last() {
                let (mut prev, mut prev_in) = (last, plane.contains(last));
                for &p in &cur {
                    let p_in = plane.contains(p);
                    if p_in != prev_in {
                        out.push(plane.crossing(prev, p));
                    }
                    if p_in {
                        out.push(p);
                    }
                    (prev, prev_in) = (p, p_in);
                }
            }
            cur = out;
        }
        cur
    }

    #[test]
    fn blocks_give_the_points_of_the_plain_pass_to_the_bit() {
        // Random wiggly rings (up to 200 vertices, on a 1 m lattice so that many vertices lie
        // exactly on the lines) clipped by random regular polygons' edges, horizontal and
        // vertical lines included: the same points, bit for bit, as the plain pass.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut scratch = ClipScratch::default();
        for case in 0..400 {
            let n = 3 + next(200) as usize;
            let ring: Vec<Coord<f64>> = (0..n)
                .map(|i| {
                    let a = std::f64::consts::TAU * i as f64 / n as f64;
                    let r = 40.0 + next(60) as f64;
                    coord! { x: (50.0 + r * a.cos()).round(), y: (50.0 + r * a.sin()).round() }
                })
                .collect();
            let sides = 4 + next(12) as usize;
            let (cx, cy, r) = (next(100) as f64, next(100) as f64, 10.0 + next(80) as f64);
            let vertex = |k: usize| {
                let a = std::f64::consts::TAU * k as f64 / sides as f64;
                if case % 3 == 0 {
                    // Axis-aligned edges through lattice points.
                    coord! { x: (cx + r * a.cos()).round(), y: (cy + r * a.sin()).round() }
                } else {
                    coord! { x: cx + r * a.cos(), y: cy + r * a.sin() }
                }
            };
            let planes: Vec<HalfPlane> = (0..sides)
                .map(|k| HalfPlane {
                    from: vertex(k),
                    to: vertex(k + 1),
                })
                .filter(|p| p.from != p.to)
                .collect();
            let expected = plain_clip(&ring, &planes);
            let got = clip_ring(&ring, &planes, &mut scratch);
            let bits = |v: &[Coord<f64>]| -> Vec<(u64, u64)> {
                v.iter().map(|c| (c.x.to_bits(), c.y.to_bits())).collect()
            };
            assert_eq!(bits(got), bits(&expected), "case {case}");
        }
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
