//! Polygon validity in near-linear time: the same checks, in the same order, with the same first
//! error as `geo`'s `Validation::check_validation`, whose ring self-intersection test compares
//! every pair of edges (a 1 M-vertex polygon took over two minutes). Here each edge of a ring
//! is tested only against the edges whose bounding boxes touch its own, found by a sweep along
//! x (an R-tree for rings that fold back on themselves many times); polygons of a multipolygon
//! are related only when their bounding boxes touch (two polygons with disjoint boxes can
//! neither overlap nor share a line).
//!
//! # Examples
//!
//! ```
//! use geo::{MultiPolygon, polygon};
//! use qpv::geometry::validity::check_multipolygon;
//!
//! let square = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)];
//! assert!(check_multipolygon(&MultiPolygon(vec![square])).is_ok());
//! let bow_tie = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
//! let e = check_multipolygon(&MultiPolygon(vec![bow_tie])).unwrap_err();
//! assert_eq!(e.to_string(), "polygon at index 0 is invalid: exterior ring has a self-intersection");
//! ```
//!
//! `geo`'s `relate`, used for holes and between the polygons of a multipolygon, panics on some
//! degenerate rings ("topology position conflict"); that panic is caught (silently) and
//! reported as [`Problem::Unresolvable`], an invalid polygon like the others.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use geo::algorithm::validation::{
    CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    BoundingRect, Coord, Intersects, Line, LineString, MultiPolygon, Polygon, Relate,
    RemoveRepeatedPoints,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// Why a (multi)polygon is invalid: what `geo`'s `check_validation` reports (`E`), or a
/// polygon `geo` cannot even relate (its `relate` panics on it).
#[derive(Debug, Clone, PartialEq)]
pub enum Problem<E> {
    /// The first problem `geo`'s `check_validation` reports.
    Invalid(E),
    /// `geo`'s `relate` failed on these rings (degenerate or self-overlapping ones): the
    /// polygon (of index `polygon` in a multipolygon) is invalid.
    Unresolvable {
        /// The polygon's index in its multipolygon (`None` for a single polygon).
        polygon: Option<usize>,
    },
}

impl<E: std::fmt::Display> std::fmt::Display for Problem<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Invalid(e) => e.fmt(f),
            Problem::Unresolvable { polygon } => {
                if let Some(i) = polygon {
                    write!(f, "polygon at index {i} is invalid: ")?;
                }
                f.write_str(
                    "its rings overlap themselves or each other (self-intersecting or degenerate polygon)",
                )
            }
        }
    }
}

impl<E: std::fmt::Debug + std::fmt::Display> std::error::Error for Problem<E> {}

thread_local! {
    /// Set while [`relate_quietly`] runs, so that the panic hook stays silent for its panics.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// `f` (a `geo::Relate` call), with a panic caught and turned into `None` without the panic
/// message on stderr; panics elsewhere (other threads, other calls) are reported as usual.
fn relate_quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.ok()
}

/// The first problem `geo`'s `check_validation` would report for `mp`, if any (or
/// [`Problem::Unresolvable`] where `geo` would panic).
pub fn check_multipolygon(mp: &MultiPolygon<f64>) -> Result<(), Problem<InvalidMultiPolygon>> {
    let boxes: Vec<_> = mp.0.iter().map(|p| p.bounding_rect()).collect();
    for (i, polygon) in mp.0.iter().enumerate() {
        check_polygon(polygon).map_err(|e| match e {
            Problem::Invalid(e) => {
                Problem::Invalid(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))
            }
            Problem::Unresolvable { .. } => Problem::Unresolvable { polygon: Some(i) },
        })?;
        for (j, other) in mp.0.iter().enumerate().skip(i + 1) {
            let touching = match (boxes[i], boxes[j]) {
                (Some(a), Some(b)) => a.intersects(&b),
                _ => false, // an empty polygon relates to nothing
            };
            if !touching {
                continue;
            }
            let im = relate_quietly(|| polygon.relate(other))
                .ok_or(Problem::Unresolvable { polygon: Some(i) })?;
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(Problem::Invalid(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                )));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(Problem::Invalid(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                )));
            }
        }
    }
    Ok(())
}

/// The first problem `geo`'s `check_validation` would report for `polygon`, if any (or
/// [`Problem::Unresolvable`] where `geo` would panic).
pub fn check_polygon(polygon: &Polygon<f64>) -> Result<(), Problem<InvalidPolygon>> {
    if polygon.exterior().0.is_empty() {
        return Ok(());
    }
    check_rings(polygon).map_err(Problem::Invalid)?;
    relate_quietly(|| check_interiors(polygon))
        .ok_or(Problem::Unresolvable { polygon: None })?
        .map_err(Problem::Invalid)
}

/// Each ring on its own: enough points, no self-intersection, finite coordinates.
fn check_rings(polygon: &Polygon<f64>) -> Result<(), InvalidPolygon> {
    if polygon.exterior().0.is_empty() {
        return Ok(());
    }
    let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
    for (index, ring) in rings.enumerate() {
        if ring.0.is_empty() {
            continue;
        }
        let role = if index == 0 {
            RingRole::Exterior
        } else {
            RingRole::Interior(index - 1)
        };
        if ring.remove_repeated_points().0.len() < 4 {
            return Err(InvalidPolygon::TooFewPointsInRing(role));
        }
        if ring_has_self_intersection(ring) {
            return Err(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(i) = ring
            .0
            .iter()
            .position(|c| !(c.x.is_finite() && c.y.is_finite()))
        {
            return Err(InvalidPolygon::NonFiniteCoord(role, CoordIndex(i)));
        }
    }
    Ok(())
}

/// The holes: inside the exterior, not touching it along a line, not overlapping each other
/// (`geo`'s relate-based checks, unchanged: they are not the quadratic part).
fn check_interiors(polygon: &Polygon<f64>) -> Result<(), InvalidPolygon> {
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let holes = polygon.interiors();
    for (i, hole) in holes.iter().enumerate() {
        if hole.0.is_empty() {
            continue;
        }
        let role = RingRole::Interior(i);
        let im = exterior.relate(hole);
        if !im.is_contains() {
            return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role));
        }
        if im.get(CoordPos::OnBoundary, CoordPos::Inside) == Dimensions::OneDimensional {
            return Err(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                role,
            ));
        }
        let hole_polygon = Polygon::new(hole.clone(), vec![]);
        for (j, other) in holes.iter().enumerate().skip(i + 1) {
            let im = hole_polygon.relate(&Polygon::new(other.clone(), vec![]));
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnAnArea(
                    role,
                    RingRole::Interior(j),
                ));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnALine(
                    role,
                    RingRole::Interior(j),
                ));
            }
        }
    }
    Ok(())
}

/// `geo`'s rule: two distinct edges intersect, other than where one ends and the other starts.
fn edges_cross(a: &Line<f64>, b: &Line<f64>) -> bool {
    a.intersects(b) && a.start != b.end && a.end != b.start
}

/// Whether two edges of `ring` break `geo`'s rule, testing each edge only against the edges
/// whose bounding boxes touch its own: found by a sweep along x, or, for a ring that folds
/// back on itself so often that the sweep would near the pairwise test, an R-tree of the
/// edges' boxes.
pub fn ring_has_self_intersection(ring: &LineString<f64>) -> bool {
    let finite = ring.0.iter().all(|c| c.x.is_finite() && c.y.is_finite());
    if !finite {
        // Boxes of non-finite coordinates cannot be indexed; such rings are refused by the
        // readers before (and by the next check here): the pairwise test is fine for them.
        return ring_has_self_intersection_pairwise(ring);
    }
    let lines: Vec<Line<f64>> = ring.lines().collect();
    edges_crossing(&lines, SWEEP_PAIRS_PER_EDGE * lines.len() + 1024)
}

/// The sweep's budget: pairs of edges overlapping in x, per edge, before the R-tree is used
/// instead (a zone's ring has a few: the edges on the other side of the zone at that x).
const SWEEP_PAIRS_PER_EDGE: usize = 64;

/// Whether two of `lines` (finite) break `geo`'s rule: a sweep along x that gives up after
/// `budget` pairs of edges overlapping in x, then an R-tree.
fn edges_crossing(lines: &[Line<f64>], budget: usize) -> bool {
    // (min x, max x, min y, max y, index), by min x.
    let mut boxes: Vec<([f64; 4], usize)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (a, b) = (l.start, l.end);
            ([a.x.min(b.x), a.x.max(b.x), a.y.min(b.y), a.y.max(b.y)], i)
        })
        .collect();
    boxes.sort_unstable_by(|a, b| a.0[0].total_cmp(&b.0[0]));
    let mut spent = 0usize;
    for (k, (a, i)) in boxes.iter().enumerate() {
        for (b, j) in &boxes[k + 1..] {
            if b[0] > a[1] {
                break;
            }
            spent += 1;
            if spent > budget {
                return edges_crossing_indexed(lines);
            }
            // The boxes touch; the pair in index order, as the pairwise test takes it.
            if b[2] <= a[3] && a[2] <= b[3] && edges_cross(&lines[*i.min(j)], &lines[*i.max(j)]) {
                return true;
            }
        }
    }
    false
}

/// Whether two of `lines` (finite) break `geo`'s rule, through an R-tree of their boxes.
fn edges_crossing_indexed(lines: &[Line<f64>]) -> bool {
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| GeomWithData::new(Rectangle::from_corners(xy(l.start), xy(l.end)), i))
        .collect();
    let tree = RTree::bulk_load(boxes);
    lines.iter().enumerate().any(|(i, line)| {
        let envelope = AABB::from_corners(xy(line.start), xy(line.end));
        tree.locate_in_envelope_intersecting(&envelope)
            .any(|other| other.data > i && edges_cross(line, &lines[other.data]))
    })
}

/// The pairwise test, as `geo` does it: the oracle of the property tests.
pub fn ring_has_self_intersection_pairwise(ring: &LineString<f64>) -> bool {
    let lines: Vec<Line<f64>> = ring.lines().collect();
    (0..lines.len()).any(|i| ((i + 1)..lines.len()).any(|j| edges_cross(&lines[i], &lines[j])))
}

fn xy(c: Coord<f64>) -> [f64; 2] {
    [c.x, c.y]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rings of random points in a small square (many crossings, many touching boxes, shared
    /// vertices), and star-shaped rings (mostly simple).
    fn rings() -> Vec<LineString<f64>> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: u64| (crate::test_random::xorshift(&mut x) % m) as f64;
        (0..2_000)
            .map(|k| {
                let n = 3 + (k % 40);
                let mut points: Vec<Coord<f64>> = if k % 2 == 0 {
                    (0..n)
                        .map(|_| Coord {
                            x: next(8),
                            y: next(8),
                        })
                        .collect()
                } else {
                    // Star-shaped around the origin, angles increasing: simple, with edges
                    // whose boxes overlap on both sides of the centre.
                    (0..n)
                        .map(|i| {
                            let angle = std::f64::consts::TAU * i as f64 / n as f64;
                            let r = 500.0 + next(500);
                            Coord {
                                x: (r * angle.cos()).round(),
                                y: (r * angle.sin()).round(),
                            }
                        })
                        .collect()
                };
                points.push(points[0]);
                LineString(points)
            })
            .collect()
    }

    // Oracle: every pair of edges. The sweep (no budget), the R-tree (no sweep at all) and the
    // two together (a budget spent half-way) give its answer.
    #[test]
    fn sweep_and_index_answer_as_the_pairwise_test() {
        let mut crossing = 0;
        for ring in rings() {
            let lines: Vec<Line<f64>> = ring.lines().collect();
            let expected = ring_has_self_intersection_pairwise(&ring);
            crossing += usize::from(expected);
            assert_eq!(edges_crossing(&lines, usize::MAX), expected, "{lines:?}");
            assert_eq!(edges_crossing(&lines, 0), expected, "{lines:?}");
            assert_eq!(
                edges_crossing(&lines, lines.len() / 2),
                expected,
                "{lines:?}"
            );
            assert_eq!(edges_crossing_indexed(&lines), expected, "{lines:?}");
        }
        // Both answers are common.
        assert!((500..1_500).contains(&crossing), "{crossing}");
    }
}
