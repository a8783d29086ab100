// The implementation at d2871ba (session 3), kept verbatim but for this header and its unit tests:
// the reference that tests/coverage_area_bits.rs compares the optimised one with, bit for bit.
#![allow(dead_code)]

//! Area of a polygon within D of a set of points, the discs of radius D being regular
//! polygons of equal area (what `qpv coverage` reports as the covered area), without building
//! the union of the discs.
//!
//! The area is `area(zone ∩ ⋃ discs)`, computed exactly (to floating-point rounding) by
//! splitting the discs into groups that cannot overlap one another (centres farther apart than
//! two circumradii), whose areas add up:
//! - a disc that contains the whole zone gives the zone's area at once;
//! - a disc whose polygon misses the zone is dropped;
//! - a lone disc gives the area of the zone clipped by it (Sutherland–Hodgman, exact for a
//!   convex clip region, [`super::convex_clip`]), only the few edges that cut the zone taken;
//! - a group of up to [`MAX_INCLUSION_EXCLUSION`] discs: inclusion–exclusion over the
//!   intersections of the discs (each convex), pruned where an intersection misses the zone;
//! - a larger group: one overlay (i_overlay), the zone against the group's discs cut to the
//!   zone's bounding box, non-zero fill rule.
//!
//! All of it at a local origin (the zone's lower-left corner): the shoelace sums then lose no
//! digits to Lambert-93 magnitudes.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::FloatOverlay;

use super::convex_clip::{ClipScratch, HalfPlane, clip_ring, clipped_signed_area, signed_area};

/// Largest group of mutually near discs handled by inclusion–exclusion (at most 2⁵ − 1 terms);
/// larger groups go through one overlay.
pub const MAX_INCLUSION_EXCLUSION: usize = 5;

/// Vertices of the regular `segments`-gon (at least 8 sides) around `c` whose area is that of
/// the disc of radius `r`, counter-clockwise from angle 0, not closed.
fn disc_vertices(c: Coord<f64>, r: f64, segments: usize) -> impl Iterator<Item = Coord<f64>> {
    let n = segments.max(8);
    let step = std::f64::consts::TAU / n as f64;
    let radius = circumradius(r, n);
    (0..n).map(move |i| {
        let a = step * i as f64;
        Coord {
            x: c.x + radius * a.cos(),
            y: c.y + radius * a.sin(),
        }
    })
}

/// Circumradius of the regular `n`-gon whose area is πr² (area of a regular n-gon of
/// circumradius R: n/2 R² sin(2π/n)).
fn circumradius(r: f64, n: usize) -> f64 {
    let step = std::f64::consts::TAU / n as f64;
    r * (std::f64::consts::TAU / (n as f64 * step.sin())).sqrt()
}

/// A disc of radius `r` around `c` as a regular polygon of `segments` sides (at least 8) with
/// the disc's exact area, counter-clockwise, first vertex at angle 0.
///
/// ```
/// use geo::{Area, coord};
/// use qpv::geometry::disc_cover::disc;
/// let d = disc(coord! { x: 0.0, y: 0.0 }, 300.0, 128);
/// assert_eq!(d.exterior().0.len(), 129);
/// assert!((d.unsigned_area() / (std::f64::consts::PI * 300.0 * 300.0) - 1.0).abs() < 1e-12);
/// ```
pub fn disc(c: Coord<f64>, r: f64, segments: usize) -> Polygon<f64> {
    let mut ring: Vec<Coord<f64>> = disc_vertices(c, r, segments).collect();
    ring.push(ring[0]);
    Polygon::new(LineString(ring), vec![])
}

/// A zone prepared for [`CoverZone::covered_area`]: its rings at a local origin, outer rings
/// counter-clockwise and holes clockwise.
#[derive(Debug, Clone)]
pub struct CoverZone {
    origin: Coord<f64>,
    rings: Vec<Vec<Coord<f64>>>,
    outer_vertices: Vec<Coord<f64>>,
    corners: [Coord<f64>; 4],
    area: f64,
}

/// Reusable buffers of [`CoverZone::covered_area`] (one per thread).
#[derive(Debug, Default)]
pub struct CoverScratch {
    clip: ClipScratch,
    vertices: Vec<Coord<f64>>,
}

/// One disc that cuts the zone: its centre and the half-planes of the edges that cut
/// the zone (the other edges' half-planes contain the whole zone).
struct Cut {
    centre: Coord<f64>,
    planes: Vec<HalfPlane>,
}

impl CoverZone {
    /// Prepares `zone` (a valid multipolygon, in metres).
    pub fn new(zone: &MultiPolygon<f64>) -> Self {
        let origin = zone
            .0
            .iter()
            .flat_map(|p| p.exterior().0.iter())
            .copied()
            .reduce(|a, b| Coord {
                x: a.x.min(b.x),
                y: a.y.min(b.y),
            })
            .unwrap_or_default();
        let mut rings = Vec::new();
        let mut outer_vertices = Vec::new();
        for polygon in &zone.0 {
            let outer = local_ring(polygon.exterior(), origin, true);
            outer_vertices.extend_from_slice(&outer);
            rings.push(outer);
            rings.extend(
                polygon
                    .interiors()
                    .iter()
                    .map(|h| local_ring(h, origin, false)),
            );
        }
        let max = outer_vertices
            .iter()
            .copied()
            .reduce(|a, b| Coord {
                x: a.x.max(b.x),
                y: a.y.max(b.y),
            })
            .unwrap_or_default();
        let area = rings.iter().map(|r| signed_area(r)).sum();
        CoverZone {
            origin,
            rings,
            outer_vertices,
            corners: [
                Coord { x: 0.0, y: 0.0 },
                Coord { x: max.x, y: 0.0 },
                max,
                Coord { x: 0.0, y: max.y },
            ],
            area,
        }
    }

    /// The zone's area, m² (computed at the local origin).
    pub fn area(&self) -> f64 {
        self.area
    }

    /// Area of the zone within the union of the discs of radius `r` (regular `segments`-gons
    /// of the disc's area, as [`disc`]) around `centres`, m².
    ///
    /// # Examples
    ///
    /// ```
    /// use geo::{MultiPolygon, coord, polygon};
    /// use qpv::geometry::disc_cover::{CoverScratch, CoverZone};
    /// // A 1 km square at Lambert-93 magnitudes, one disc of 300 m at its centre (inside).
    /// let square = polygon![(x: 989_000.0, y: 6_734_000.0), (x: 990_000.0, y: 6_734_000.0),
    ///     (x: 990_000.0, y: 6_735_000.0), (x: 989_000.0, y: 6_735_000.0)];
    /// let zone = CoverZone::new(&MultiPolygon(vec![square]));
    /// let mut scratch = CoverScratch::default();
    /// let centre = coord! { x: 989_500.0, y: 6_734_500.0 };
    /// let area = zone.covered_area(&[centre], 300.0, 128, &mut scratch);
    /// assert!((area - std::f64::consts::PI * 300.0 * 300.0).abs() < 1e-6);
    /// // A disc of 800 m there covers it all.
    /// assert_eq!(zone.covered_area(&[centre], 800.0, 128, &mut scratch), 1e6);
    /// ```
    pub fn covered_area(
        &self,
        centres: &[Coord<f64>],
        r: f64,
        segments: usize,
        scratch: &mut CoverScratch,
    ) -> f64 {
        let mut cuts = Vec::new();
        for &c in centres {
            match self.cut(c, r, segments, &mut scratch.vertices) {
                Some(Cut { planes, .. }) if planes.is_empty() => return self.area,
                Some(cut) => cuts.push(cut),
                None => {}
            }
        }
        let reach = 2.0 * circumradius(r, segments.max(8));
        groups(&cuts, reach)
            .iter()
            .map(|group| match group.len() {
                1 => self.clipped_area(&cuts[group[0]].planes, scratch),
                n if n <= MAX_INCLUSION_EXCLUSION => {
                    Self::inclusion_exclusion(&self.rings, &cuts, group, 0, 1.0, &mut scratch.clip)
                }
                _ => self.overlay_area(group.iter().map(|&i| cuts[i].centre), r, segments, scratch),
            })
            .sum()
    }

    /// The disc around `c` (global) as the half-planes of its edges that cut the zone; `None`
    /// when the disc misses the zone (some edge has the whole zone outside).
    fn cut(
        &self,
        c: Coord<f64>,
        r: f64,
        segments: usize,
        vertices: &mut Vec<Coord<f64>>,
    ) -> Option<Cut> {
        let local = c - self.origin;
        let n = segments.max(8);
        let reach = circumradius(r, n);
        let far = self.corners[2];
        if local.x + reach < 0.0
            || local.y + reach < 0.0
            || local.x - reach > far.x
            || local.y - reach > far.y
        {
            return None;
        }
        // Global vertices shifted afterwards: the same points as `disc` builds.
        vertices.clear();
        vertices.extend(disc_vertices(c, r, segments).map(|v| v - self.origin));
        let step = std::f64::consts::TAU / n as f64;
        // An edge's line is at the apothem from the centre, along the normal at the middle
        // angle: a box corner clearly short of it (by far more than rounding) is inside, and
        // the exact predicate is left to the edges that come near the zone's box.
        let apothem = reach * (step / 2.0).cos() - 1e-6 * (1.0 + reach);
        let mut planes = Vec::new();
        for k in 0..n {
            let (sin, cos) = ((k as f64 + 0.5) * step).sin_cos();
            let clear = self
                .corners
                .iter()
                .all(|p| (p.x - local.x) * cos + (p.y - local.y) * sin < apothem);
            if clear {
                continue;
            }
            let plane = HalfPlane {
                from: vertices[k],
                to: vertices[(k + 1) % n],
            };
            if self.corners.iter().all(|&p| plane.contains(p)) {
                continue;
            }
            let inside = self
                .outer_vertices
                .iter()
                .filter(|&&p| plane.contains(p))
                .count();
            if inside == 0 {
                return None;
            }
            if inside < self.outer_vertices.len() {
                planes.push(plane);
            }
        }
        Some(Cut { centre: c, planes })
    }

    /// Signed area of the zone clipped by `planes` (their intersection, convex).
    fn clipped_area(&self, planes: &[HalfPlane], scratch: &mut CoverScratch) -> f64 {
        self.rings
            .iter()
            .map(|ring| clipped_signed_area(ring, planes, &mut scratch.clip))
            .sum()
    }

    /// Σ over the subsets S of `group[from..]` of ±area(`rings` ∩ ⋂S), `rings` being the zone
    /// already clipped by the discs chosen above: inclusion–exclusion, each intersection
    /// clipped from its parent's (so only by the new disc's planes), a branch dropped as soon
    /// as its intersection misses the zone.
    fn inclusion_exclusion(
        rings: &[Vec<Coord<f64>>],
        cuts: &[Cut],
        group: &[usize],
        from: usize,
        sign: f64,
        clip: &mut ClipScratch,
    ) -> f64 {
        let mut total = 0.0;
        for (k, &i) in group.iter().enumerate().skip(from) {
            let clipped: Vec<Vec<Coord<f64>>> = rings
                .iter()
                .map(|ring| clip_ring(ring, &cuts[i].planes, clip).to_vec())
                .filter(|ring| ring.len() >= 3)
                .collect();
            let area: f64 = clipped.iter().map(|r| signed_area(r)).sum();
            if area > 0.0 {
                total += sign * area;
                total += Self::inclusion_exclusion(&clipped, cuts, group, k + 1, -sign, clip);
            }
        }
        total
    }

    /// Area of the zone within the discs around `centres` by one overlay: the zone
    /// against the discs cut to the zone's bounding box (plus 1 m), non-zero fill rule.
    fn overlay_area(
        &self,
        centres: impl Iterator<Item = Coord<f64>>,
        r: f64,
        n: usize,
        scratch: &mut CoverScratch,
    ) -> f64 {
        let far = self.corners[2];
        let frame = [
            (Coord { x: -1.0, y: 0.0 }, Coord { x: -1.0, y: -1.0 }),
            (Coord { x: 0.0, y: -1.0 }, Coord { x: 1.0, y: -1.0 }),
            (
                Coord {
                    x: far.x + 1.0,
                    y: 0.0,
                },
                Coord {
                    x: far.x + 1.0,
                    y: 1.0,
                },
            ),
            (
                Coord {
                    x: 0.0,
                    y: far.y + 1.0,
                },
                Coord {
                    x: -1.0,
                    y: far.y + 1.0,
                },
            ),
        ]
        .map(|(from, to)| HalfPlane { from, to });
        let mut ring = Vec::with_capacity(n.max(8));
        let clip: Vec<Vec<[f64; 2]>> = centres
            .map(|c| {
                ring.clear();
                ring.extend(disc_vertices(c, r, n).map(|v| v - self.origin));
                clip_ring(&ring, &frame, &mut scratch.clip)
                    .iter()
                    .map(|c| [c.x, c.y])
                    .collect()
            })
            .collect();
        let subject: Vec<Vec<[f64; 2]>> = self
            .rings
            .iter()
            .map(|ring| ring.iter().map(|c| [c.x, c.y]).collect())
            .collect();
        let shapes = FloatOverlay::with_subj_and_clip(&subject, &clip)
            .overlay(OverlayRule::Intersect, FillRule::NonZero);
        shapes
            .iter()
            .flatten()
            .map(|contour| {
                let coords: Vec<Coord<f64>> =
                    contour.iter().map(|p| Coord { x: p[0], y: p[1] }).collect();
                signed_area(&coords)
            })
            .sum()
    }
}

/// `ring` (open) at `origin`, counter-clockwise when `ccw`, clockwise otherwise.
fn local_ring(ring: &LineString<f64>, origin: Coord<f64>, ccw: bool) -> Vec<Coord<f64>> {
    let mut local: Vec<Coord<f64>> = ring.0.iter().map(|&c| c - origin).collect();
    if local.len() > 1 && local.first() == local.last() {
        local.pop();
    }
    if (signed_area(&local) > 0.0) != ccw {
        local.reverse();
    }
    local
}

/// Groups of cuts whose centres are linked by chains of distances below `reach` (two discs
/// farther apart cannot overlap), each group's indexes ascending, groups by first index.
fn groups(cuts: &[Cut], reach: f64) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..cuts.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..cuts.len() {
        for j in i + 1..cuts.len() {
            let d = cuts[i].centre - cuts[j].centre;
            if d.x.hypot(d.y) < reach {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut slot = vec![usize::MAX; cuts.len()];
    for i in 0..cuts.len() {
        let r = root(&mut parent, i);
        if slot[r] == usize::MAX {
            slot[r] = out.len();
            out.push(Vec::new());
        }
        out[slot[r]].push(i);
    }
    out
}
