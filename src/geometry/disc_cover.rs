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

use std::sync::OnceLock;

use geo::{ConvexHull, Coord, LineString, MultiPoint, MultiPolygon, Point, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::FloatOverlay;

use super::convex_clip::{
    ClipScratch, HalfPlane, InnerDisc, clip_ring, clip_ring_around, signed_area,
};

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

/// The trigonometry of the regular `n`-gon, computed once per `n` and reused for every disc:
/// the cosines and sines of the vertices' angles and of the edges' middle angles (the
/// normals), the very values [`disc_vertices`] computes, so that a vertex built from them,
/// `c + R·(cos, sin)`, is the same point to the last bit.
#[derive(Debug, Default, Clone)]
struct UnitPolygon {
    /// Number of sides (at least 8), 0 before the first use.
    n: usize,
    /// `(cos, sin)` of `step·k`, the angle of vertex `k`.
    vertex: Vec<(f64, f64)>,
    /// `(sin, cos)` of `(k + 0.5)·step`, the direction of edge `k`'s outward normal.
    normal: Vec<(f64, f64)>,
}

impl UnitPolygon {
    /// Makes `self` the table of the `segments`-gon (at least 8 sides), unless it already is.
    fn prepare(&mut self, segments: usize) {
        let n = segments.max(8);
        if self.n == n {
            return;
        }
        let step = std::f64::consts::TAU / n as f64;
        self.n = n;
        self.vertex = (0..n)
            .map(|i| {
                let a = step * i as f64;
                (a.cos(), a.sin())
            })
            .collect();
        self.normal = (0..n)
            .map(|k| ((k as f64 + 0.5) * step).sin_cos())
            .collect();
    }

    /// Vertex `k` of the disc of circumradius `radius` around `c`, shifted by `-origin`
    /// (computed as [`disc_vertices`] then shifted: the same bits).
    #[inline]
    fn vertex(&self, c: Coord<f64>, radius: f64, k: usize, origin: Coord<f64>) -> Coord<f64> {
        let (cos, sin) = self.vertex[k];
        Coord {
            x: c.x + radius * cos,
            y: c.y + radius * sin,
        } - origin
    }
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
    rings: Rings,
    /// The convex hull's vertices of the outer rings: a half-plane holds all the outer
    /// vertices, none or some of them exactly when it holds all, none or some of these.
    hull: Vec<Coord<f64>>,
    corners: [Coord<f64>; 4],
    area: f64,
    /// For the `n`-gon's edge normals (`n` the first key), the largest and smallest
    /// projection of the hull's vertices on each (see [`CoverZone::support`]).
    support: OnceLock<(usize, Vec<(f64, f64)>)>,
}

/// Rings stored end to end (one allocation, reused from one clip to the next).
#[derive(Debug, Clone, Default)]
struct Rings {
    coords: Vec<Coord<f64>>,
    /// Where each ring ends in `coords`.
    ends: Vec<usize>,
}

impl Rings {
    fn clear(&mut self) {
        self.coords.clear();
        self.ends.clear();
    }

    fn push(&mut self, ring: &[Coord<f64>]) {
        self.coords.extend_from_slice(ring);
        self.ends.push(self.coords.len());
    }

    fn iter(&self) -> impl Iterator<Item = &[Coord<f64>]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.coords[start..end])
    }
}

/// Reusable buffers of [`CoverZone::covered_area`] (one per thread).
#[derive(Debug, Default)]
pub struct CoverScratch {
    clip: ClipScratch,
    /// A ring cut to a disc's bounding box, before the disc's own edges (see [`Cut::frame`]).
    near: ClipScratch,
    unit: UnitPolygon,
    /// The half-planes of every cut, end to end (see [`Cut::planes`]).
    planes: Vec<HalfPlane>,
    cuts: Vec<Cut>,
    /// The intersections of inclusion–exclusion, one level per disc chosen.
    levels: Vec<Rings>,
    ring: Vec<Coord<f64>>,
}

/// One disc that cuts the zone: its centre and the range in [`CoverScratch::planes`] of the
/// half-planes of the edges that cut the zone (the other edges' half-planes contain the whole
/// zone).
#[derive(Debug, Clone)]
struct Cut {
    centre: Coord<f64>,
    planes: std::ops::Range<usize>,
    /// A disc inside every half-plane of the disc, at the local origin.
    inner: InnerDisc,
    /// The disc's circumradius.
    reach: f64,
}

impl Cut {
    /// The four half-planes of a box around the disc, at the local origin: the box holds
    /// every vertex of the disc's polygon (their rounding is below a micrometre, the margin a
    /// millimetre), so a ring cut to the box then to the disc keeps the part inside the disc.
    fn frame(&self) -> [HalfPlane; 4] {
        let c = self.inner.centre;
        let half = self.reach * (1.0 + 1e-9) + 1e-3;
        let half = Coord { x: half, y: half };
        box_planes(c - half, c + half)
    }

    /// `ring` (at the local origin) clipped by the disc: first by [`Self::frame`], which drops
    /// the vertices far from the disc in four cheap passes, then by the disc's `planes`, which
    /// only see what is near. The same part of the ring as clipping by the disc alone (the
    /// crossings are computed from other points of the same edges: the same to rounding).
    fn clip<'s>(
        &self,
        ring: &[Coord<f64>],
        planes: &[HalfPlane],
        clip: &'s mut ClipScratch,
        near: &mut ClipScratch,
    ) -> &'s [Coord<f64>] {
        let ring = clip_ring(ring, &self.frame(), near);
        clip_ring_around(ring, planes, self.inner, clip)
    }
}

/// How a disc meets the zone.
enum Meets {
    /// The disc misses the zone.
    Misses,
    /// The disc holds the whole zone.
    Covers,
    /// The disc cuts the zone: the half-planes of its cutting edges were pushed.
    Cuts,
}

/// A disc's circumradius, the apothem it is tested against, and the n-gon's trigonometry.
#[derive(Clone, Copy)]
struct DiscShape<'a> {
    reach: f64,
    apothem: f64,
    /// The apothem itself (the edges' distance to the centre).
    edge: f64,
    /// The hull's projections on the edges' normals ([`CoverZone::support`]), if known.
    support: Option<&'a [(f64, f64)]>,
    unit: &'a UnitPolygon,
}

impl<'a> DiscShape<'a> {
    /// The disc of radius `r` as `unit`'s polygon (see [`disc`]).
    fn new(r: f64, unit: &'a UnitPolygon, support: Option<&'a [(f64, f64)]>) -> Self {
        let reach = circumradius(r, unit.n);
        let step = std::f64::consts::TAU / unit.n as f64;
        let edge = reach * (step / 2.0).cos();
        // An edge's line is at the apothem from the centre, along the normal at the middle
        // angle: a box corner clearly short of it (by far more than rounding) is inside, and
        // the exact predicate is left to the edges that come near the zone's box.
        DiscShape {
            reach,
            apothem: edge - 1e-6 * (1.0 + reach),
            edge,
            support,
            unit,
        }
    }
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
        let mut rings = Rings::default();
        let mut outer_vertices = Vec::new();
        for polygon in &zone.0 {
            let outer = local_ring(polygon.exterior(), origin, true);
            outer_vertices.extend_from_slice(&outer);
            rings.push(&outer);
            for hole in polygon.interiors() {
                rings.push(&local_ring(hole, origin, false));
            }
        }
        let max = outer_vertices
            .iter()
            .copied()
            .reduce(|a, b| Coord {
                x: a.x.max(b.x),
                y: a.y.max(b.y),
            })
            .unwrap_or_default();
        let area = rings.iter().map(signed_area).sum();
        CoverZone {
            origin,
            rings,
            hull: hull_vertices(&outer_vertices),
            corners: [
                Coord { x: 0.0, y: 0.0 },
                Coord { x: max.x, y: 0.0 },
                max,
                Coord { x: 0.0, y: max.y },
            ],
            area,
            support: OnceLock::new(),
        }
    }

    /// The largest and smallest of `v · normal` over the hull's vertices `v`, for each edge
    /// normal of `unit`: computed once per zone for the first polygon asked (the one every
    /// distance of a run uses), `None` for another, and for a zone without vertices.
    fn support(&self, unit: &UnitPolygon) -> Option<&[(f64, f64)]> {
        if self.hull.is_empty() {
            return None;
        }
        let (n, support) = self.support.get_or_init(|| {
            let support = unit
                .normal
                .iter()
                .map(|&(sin, cos)| {
                    self.hull
                        .iter()
                        .map(|p| p.x * cos + p.y * sin)
                        .fold((f64::NEG_INFINITY, f64::INFINITY), |(hi, lo), t| {
                            (hi.max(t), lo.min(t))
                        })
                })
                .collect();
            (unit.n, support)
        });
        (*n == unit.n).then_some(support.as_slice())
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
        let CoverScratch {
            clip,
            near,
            unit,
            planes,
            cuts,
            levels,
            ring,
        } = scratch;
        unit.prepare(segments);
        let shape = DiscShape::new(r, unit, self.support(unit));
        let reach = shape.reach;
        planes.clear();
        cuts.clear();
        for &c in centres {
            let start = planes.len();
            match self.cut(c, &shape, planes) {
                Meets::Covers => return self.area,
                Meets::Cuts => cuts.push(Cut {
                    centre: c,
                    planes: start..planes.len(),
                    inner: self.inner_disc(c, &shape),
                    reach,
                }),
                Meets::Misses => planes.truncate(start),
            }
        }
        if levels.len() < MAX_INCLUSION_EXCLUSION {
            levels.resize_with(MAX_INCLUSION_EXCLUSION, Rings::default);
        }
        let (cuts, planes) = (&cuts[..], &planes[..]);
        groups(cuts, 2.0 * reach)
            .iter()
            .map(|group| match group.len() {
                1 => self.clipped_area(&cuts[group[0]], planes, clip, near),
                n if n <= MAX_INCLUSION_EXCLUSION => {
                    let set = CutSet {
                        cuts,
                        planes,
                        group,
                    };
                    Self::inclusion_exclusion(&self.rings, &set, 0, 1.0, (clip, near), levels)
                }
                _ => {
                    let centres = group.iter().map(|&i| cuts[i].centre);
                    self.overlay_area(centres, &shape, clip, ring)
                }
            })
            .sum()
    }

    /// Whether the disc around `c` (global) misses the zone, holds it, or cuts it; in the
    /// last case the half-planes of its edges that cut the zone are pushed onto `planes`
    /// (some may have been pushed when it misses).
    fn cut(&self, c: Coord<f64>, shape: &DiscShape, planes: &mut Vec<HalfPlane>) -> Meets {
        let local = c - self.origin;
        let DiscShape {
            reach,
            apothem,
            edge,
            support,
            unit,
        } = *shape;
        let n = unit.n;
        let far = self.corners[2];
        // Where an edge's line lies against the hull, from the hull's projections on its
        // normal, when that is clear by far more than rounding: the vertices' (about
        // 1e-9 m at Lambert-93 magnitudes) and the tilt this gives an edge's line over the
        // zone (about 1e-9 m over the edge's length, times the zone's width).
        let tolerance = 1e-6 * (1.0 + reach + far.x + far.y);
        if local.x + reach < 0.0
            || local.y + reach < 0.0
            || local.x - reach > far.x
            || local.y - reach > far.y
        {
            return Meets::Misses;
        }
        // The box's corners seen from the centre: x among `low.x`, `high.x`, y likewise.
        let (low, high) = (self.corners[0] - local, self.corners[2] - local);
        let start = planes.len();
        for (k, &(sin, cos)) in unit.normal.iter().enumerate() {
            // The corner farthest along the normal, whose product `x * cos + y * sin` (the
            // same as `(p.x - local.x) * cos + (p.y - local.y) * sin`) is the largest of the
            // four as computed (rounding is monotonic): every corner is short of the apothem
            // exactly when this one is.
            let x = if cos > 0.0 { high.x } else { low.x };
            let y = if sin > 0.0 { high.y } else { low.y };
            if x * cos + y * sin < apothem {
                continue;
            }
            // Global vertices shifted afterwards: the same points as `disc` builds.
            let plane = HalfPlane {
                from: unit.vertex(c, reach, k, self.origin),
                to: unit.vertex(c, reach, (k + 1) % n, self.origin),
            };
            if self.corners.iter().all(|&p| plane.contains(p)) {
                continue;
            }
            if let Some(support) = support {
                let (hi, lo) = support[k];
                let along = local.x * cos + local.y * sin;
                let (hi, lo) = (hi - along, lo - along);
                if hi < edge - tolerance {
                    // Every vertex of the hull inside.
                    continue;
                }
                if lo > edge + tolerance {
                    // None inside.
                    return Meets::Misses;
                }
                if lo < edge - tolerance && hi > edge + tolerance {
                    planes.push(plane);
                    continue;
                }
            }
            // Too near to tell: the exact predicate for each vertex.
            let (mut any_in, mut any_out) = (false, false);
            for &p in &self.hull {
                if plane.contains(p) {
                    any_in = true;
                } else {
                    any_out = true;
                }
                if any_in && any_out {
                    break;
                }
            }
            if !any_in {
                return Meets::Misses;
            }
            if any_out {
                planes.push(plane);
            }
        }
        if planes.len() == start {
            Meets::Covers
        } else {
            Meets::Cuts
        }
    }

    /// Signed area of the zone clipped by the disc of `cut` (the intersection of its planes in
    /// `planes`, convex).
    fn clipped_area(
        &self,
        cut: &Cut,
        planes: &[HalfPlane],
        clip: &mut ClipScratch,
        near: &mut ClipScratch,
    ) -> f64 {
        let planes = &planes[cut.planes.clone()];
        self.rings
            .iter()
            .map(|ring| signed_area(cut.clip(ring, planes, clip, near)))
            .sum()
    }

    /// The disc around `c` (global) inside every edge's half-plane of its polygon, at the local
    /// origin: the apothem less a margin for the rounding of the polygon's vertices (about
    /// 2ε·(|c| + R) each, which tilts an edge's line by at most that times 1 + n over the
    /// disc, an edge being longer than 4R/n) and of the distance test, taken a thousand times
    /// over.
    fn inner_disc(&self, c: Coord<f64>, shape: &DiscShape) -> InnerDisc {
        let n = shape.unit.n as f64;
        let rounding = 1e-12 * (c.x.abs() + c.y.abs() + shape.reach) * (n + 1.0);
        InnerDisc {
            centre: c - self.origin,
            radius: shape.apothem - rounding,
        }
    }

    /// Σ over the subsets S of `set.group[from..]` of ±area(`rings` ∩ ⋂S), `rings` being the
    /// zone already clipped by the discs chosen above: inclusion–exclusion, each intersection
    /// clipped from its parent's (so only by the new disc's planes), a branch dropped as soon
    /// as its intersection misses the zone. `levels` holds one buffer per disc still to choose.
    fn inclusion_exclusion(
        rings: &Rings,
        set: &CutSet,
        from: usize,
        sign: f64,
        (clip, near): (&mut ClipScratch, &mut ClipScratch),
        levels: &mut [Rings],
    ) -> f64 {
        let Some((clipped, deeper)) = levels.split_first_mut() else {
            return 0.0;
        };
        let mut total = 0.0;
        for (k, &i) in set.group.iter().enumerate().skip(from) {
            clipped.clear();
            let cut = &set.cuts[i];
            let planes = &set.planes[cut.planes.clone()];
            for ring in rings.iter() {
                let ring = cut.clip(ring, planes, clip, near);
                if ring.len() >= 3 {
                    clipped.push(ring);
                }
            }
            let area: f64 = clipped.iter().map(signed_area).sum();
            if area > 0.0 {
                total += sign * area;
                total += Self::inclusion_exclusion(
                    clipped,
                    set,
                    k + 1,
                    -sign,
                    (&mut *clip, &mut *near),
                    deeper,
                );
            }
        }
        total
    }

    /// Area of the zone within the discs around `centres` by one overlay: the zone
    /// against the discs cut to the zone's bounding box (plus 1 m), non-zero fill rule.
    fn overlay_area(
        &self,
        centres: impl Iterator<Item = Coord<f64>>,
        shape: &DiscShape,
        scratch: &mut ClipScratch,
        ring: &mut Vec<Coord<f64>>,
    ) -> f64 {
        let far = self.corners[2];
        let frame = box_planes(
            Coord { x: -1.0, y: -1.0 },
            Coord {
                x: far.x + 1.0,
                y: far.y + 1.0,
            },
        );
        let unit = shape.unit;
        let clip: Vec<Vec<[f64; 2]>> = centres
            .map(|c| {
                ring.clear();
                ring.extend((0..unit.n).map(|k| unit.vertex(c, shape.reach, k, self.origin)));
                clip_ring(ring, &frame, scratch)
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

/// The half-planes whose intersection is the box from `min` to `max`: x ≥ min.x, y ≥ min.y,
/// x ≤ max.x, y ≤ max.y, each line given by two points a unit apart.
fn box_planes(min: Coord<f64>, max: Coord<f64>) -> [HalfPlane; 4] {
    [
        (Coord { x: min.x, y: 0.0 }, Coord { x: min.x, y: -1.0 }),
        (Coord { x: 0.0, y: min.y }, Coord { x: 1.0, y: min.y }),
        (Coord { x: max.x, y: 0.0 }, Coord { x: max.x, y: 1.0 }),
        (Coord { x: 0.0, y: max.y }, Coord { x: -1.0, y: max.y }),
    ]
    .map(|(from, to)| HalfPlane { from, to })
}

/// The cuts of one group of near discs, for inclusion–exclusion.
struct CutSet<'a> {
    cuts: &'a [Cut],
    planes: &'a [HalfPlane],
    group: &'a [usize],
}

/// The vertices of the convex hull of `points` (geo's quickhull, exact orientation tests):
/// every point is in their convex hull, so a half-plane (convex) holds all the points when
/// it holds these, and none when it holds none of these.
fn hull_vertices(points: &[Coord<f64>]) -> Vec<Coord<f64>> {
    if points.is_empty() {
        return Vec::new();
    }
    let hull = MultiPoint(points.iter().map(|&c| Point(c)).collect()).convex_hull();
    let mut ring = hull.exterior().0.clone();
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    ring
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_random::{uniform, xorshift};

    /// A star-shaped zone of `n` vertices around a Lambert-93 point.
    fn star(seed: &mut u64, n: usize) -> MultiPolygon<f64> {
        let (cx, cy) = (
            600_000.0 + 4e5 * uniform(seed),
            6_300_000.0 + 7e5 * uniform(seed),
        );
        let mut ring: Vec<Coord<f64>> = (0..n)
            .map(|i| {
                let a = std::f64::consts::TAU * (i as f64 + 0.4 * uniform(seed)) / n as f64;
                let r = 50.0 + 900.0 * uniform(seed);
                Coord {
                    x: cx + r * a.cos(),
                    y: cy + r * a.sin(),
                }
            })
            .collect();
        ring.push(ring[0]);
        MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
    }

    fn kind(m: &Meets) -> u8 {
        match m {
            Meets::Misses => 0,
            Meets::Covers => 1,
            Meets::Cuts => 2,
        }
    }

    /// Oracle: the edges classified against every hull vertex with the exact predicate
    /// (`support` left out). Centres are random near the zone, and also placed so that a
    /// hull vertex lies on an edge's line, where only the exact predicate can tell.
    #[test]
    fn the_hull_projections_classify_the_edges_as_the_exact_predicate() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let (mut unit, mut cases, mut near) = (UnitPolygon::default(), 0, 0);
        for zone_no in 0..60 {
            let polygon = star(&mut seed, 5 + zone_no % 40);
            for &(r, segments) in &[(300.0, 128), (1000.0, 128), (1.0, 128), (50.0, 8)] {
                // The projections are kept for the first polygon asked: a zone per polygon.
                let zone = CoverZone::new(&polygon);
                unit.prepare(segments);
                let n = unit.n;
                let exact = DiscShape::new(r, &unit, None);
                let fast = DiscShape::new(r, &unit, zone.support(&unit));
                assert!(fast.support.is_some());
                for i in 0..200 {
                    let c = if i % 2 == 0 {
                        let spread = 2.0 * (1200.0 + r);
                        zone.origin
                            + Coord {
                                x: spread * uniform(&mut seed) - 300.0 - r,
                                y: spread * uniform(&mut seed) - 300.0 - r,
                            }
                    } else {
                        // A hull vertex on the line of edge k (to rounding).
                        near += 1;
                        let v = zone.hull[xorshift(&mut seed) as usize % zone.hull.len()];
                        let k = xorshift(&mut seed) as usize % n;
                        let (sin, cos) = unit.normal[k];
                        zone.origin + v
                            - Coord {
                                x: fast.edge * cos,
                                y: fast.edge * sin,
                            }
                    };
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    let (want, got) = (zone.cut(c, &exact, &mut a), zone.cut(c, &fast, &mut b));
                    assert_eq!(kind(&got), kind(&want), "{c:?} r = {r}");
                    if kind(&want) == 2 {
                        assert_eq!(a, b, "{c:?} r = {r}");
                    }
                    cases += 1;
                }
            }
        }
        assert_eq!((cases, near), (48_000, 24_000));
    }
}
