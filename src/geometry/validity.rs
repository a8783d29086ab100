//! Polygon validity in near-linear time: the same checks, in the same order, with the same first
//! error as `geo`'s `Validation::check_validation`, whose ring self-intersection test compares
//! every pair of edges (a 1 M-vertex polygon took over two minutes). Here the edges of a ring
//! go into an R-tree and each edge is tested only against the edges whose bounding boxes touch
//! its own; polygons of a multipolygon are related only when their bounding boxes touch (two
//! polygons with disjoint boxes can neither overlap nor share a line).
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

/// The first problem `geo`'s `check_validation` would report for `mp`, if any.
pub fn check_multipolygon(mp: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
    let boxes: Vec<_> = mp.0.iter().map(|p| p.bounding_rect()).collect();
    for (i, polygon) in mp.0.iter().enumerate() {
        check_polygon(polygon)
            .map_err(|e| InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))?;
        for (j, other) in mp.0.iter().enumerate().skip(i + 1) {
            let touching = match (boxes[i], boxes[j]) {
                (Some(a), Some(b)) => a.intersects(&b),
                _ => false, // an empty polygon relates to nothing
            };
            if !touching {
                continue;
            }
            let im = polygon.relate(other);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
        }
    }
    Ok(())
}

/// The first problem `geo`'s `check_validation` would report for `polygon`, if any.
pub fn check_polygon(polygon: &Polygon<f64>) -> Result<(), InvalidPolygon> {
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
    check_interiors(polygon)
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

/// Whether two edges of `ring` break `geo`'s rule, testing each edge against the edges whose
/// bounding boxes touch its own (an R-tree of the edges' boxes).
pub fn ring_has_self_intersection(ring: &LineString<f64>) -> bool {
    let finite = ring.0.iter().all(|c| c.x.is_finite() && c.y.is_finite());
    if !finite {
        // Boxes of non-finite coordinates cannot be indexed; such rings are refused by the
        // readers before (and by the next check here): the pairwise test is fine for them.
        return ring_has_self_intersection_pairwise(ring);
    }
    let lines: Vec<Line<f64>> = ring.lines().collect();
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
