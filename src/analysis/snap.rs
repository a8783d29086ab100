//! Snapping a candidate perimeter onto the current QPV boundaries before the overlay, so that
//! a candidate drawn from the QPV and stored with rounded coordinates (GeoJSON's 7 decimals of
//! a degree, about 1 cm) is compared with the QPV it was made of, not with millimetre slivers.

use geo::{Coord, MapCoords, MultiPolygon};
use rstar::primitives::Line;
use rstar::{PointDistance, RTree};

use crate::model::Zone;

/// How far a candidate vertex may move onto a QPV vertex or edge: 5 cm, five times the
/// rounding of a GeoJSON coordinate written with 7 decimals (1.1 cm of latitude) and far
/// below any boundary a person would draw on purpose.
pub const SNAP_TOLERANCE_M: f64 = 0.05;

/// `candidate` with each vertex within `tolerance_m` of a QPV vertex moved onto the nearest
/// such vertex, else, within `tolerance_m` of a QPV edge, onto the nearest point of that edge;
/// returned with the number of vertices moved. Vertices farther away are kept bit for bit.
///
/// # Units
/// Metres of the working CRS.
///
/// # Examples
/// ```
/// use geo::{polygon, MultiPolygon};
/// use qpv::analysis::snap::snap_to_zones;
/// use qpv::model::Zone;
/// let square = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0),
///                                          (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)]]);
/// let qpv = Zone { code: "Q".into(), name: "Q".into(), communes: vec![],
///                  geometry: square.clone(), attributes: Default::default() };
/// let rounded = MultiPolygon(vec![polygon![(x: 0.004, y: -0.003), (x: 100.0, y: 0.0),
///                                           (x: 100.0, y: 100.0), (x: 50.0, y: 100.02),
///                                           (x: 0.0, y: 100.0)]]);
/// let (snapped, moved) = snap_to_zones(&rounded, &[qpv], 0.05);
/// // The first vertex (also the ring's closing one) and (50, 100.02) moved: 3 coordinates.
/// assert_eq!(moved, 3);
/// assert_eq!(snapped.0[0].exterior().0[0], geo::coord! { x: 0.0, y: 0.0 });
/// assert_eq!(snapped.0[0].exterior().0[3], geo::coord! { x: 50.0, y: 100.0 });
/// ```
///
/// Performance: two R-trees over the QPV vertices and edges, one nearest-neighbour query per
/// candidate vertex.
pub fn snap_to_zones(
    candidate: &MultiPolygon<f64>,
    zones: &[Zone],
    tolerance_m: f64,
) -> (MultiPolygon<f64>, usize) {
    let mut vertices = Vec::new();
    let mut edges = Vec::new();
    for z in zones {
        for p in &z.geometry.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for l in ring.lines() {
                    vertices.push([l.start.x, l.start.y]);
                    edges.push(Line::new([l.start.x, l.start.y], [l.end.x, l.end.y]));
                }
            }
        }
    }
    let vertices = RTree::bulk_load(vertices);
    let edges = RTree::bulk_load(edges);
    let limit = tolerance_m * tolerance_m;
    let moved = std::cell::Cell::new(0);
    let (vertices, edges) = (&vertices, &edges);
    let snapped = candidate.map_coords(|c: Coord<f64>| {
        let p = [c.x, c.y];
        let target = vertices
            .nearest_neighbor(&p)
            .filter(|v| v.distance_2(&p) <= limit)
            .copied()
            .or_else(|| {
                edges
                    .nearest_neighbor(&p)
                    .map(|e| e.nearest_point(&p))
                    .filter(|q| q.distance_2(&p) <= limit)
            });
        match target {
            Some([x, y]) if (x, y) != (c.x, c.y) => {
                moved.set(moved.get() + 1);
                Coord { x, y }
            }
            _ => c,
        }
    });
    (snapped, moved.get())
}
