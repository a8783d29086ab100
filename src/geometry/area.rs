//! Areas measured at a local origin: Lambert-93 coordinates are about 10⁶ m, and the shoelace
//! sum over them loses digits to cancellation; shifting to the shape's corner first keeps areas
//! exact to the square millimetre (geo's `area.rs` tests the same with a 1.5e8 shift).

use geo::{Area, BoundingRect, Coord, MapCoords, MultiPolygon, Polygon};

/// Area of a polygon computed at a local origin (its first vertex), exact for Lambert-93
/// magnitudes.
///
/// # Examples
///
/// ```
/// use geo::polygon;
/// use qpv::geometry::area::local_area;
/// // A 200 m cell at Lambert-93 magnitudes: 40,000 m² exactly.
/// let cell = polygon![(x: 989_000.0, y: 6_734_000.0), (x: 989_200.0, y: 6_734_000.0),
///     (x: 989_200.0, y: 6_734_200.0), (x: 989_000.0, y: 6_734_200.0)];
/// assert_eq!(local_area(&cell), 40_000.0);
/// ```
pub fn local_area(polygon: &Polygon<f64>) -> f64 {
    match polygon.exterior().0.first() {
        Some(&o) => shift_polygon(polygon, o).unsigned_area(),
        None => 0.0,
    }
}

/// Area of a multipolygon computed at a local origin.
pub fn local_area_multi(area: &MultiPolygon<f64>) -> f64 {
    match area.bounding_rect() {
        Some(b) => shift(area, b.min()).unsigned_area(),
        None => 0.0,
    }
}

/// `geometry − origin`.
pub fn shift(area: &MultiPolygon<f64>, origin: Coord<f64>) -> MultiPolygon<f64> {
    area.map_coords(|c| c - origin)
}

/// `geometry + origin` (undoes [`shift`]).
pub fn unshift(area: &MultiPolygon<f64>, origin: Coord<f64>) -> MultiPolygon<f64> {
    area.map_coords(|c| c + origin)
}

/// `polygon − origin` (the polygon form of [`shift`]).
pub fn shift_polygon(p: &Polygon<f64>, origin: Coord<f64>) -> Polygon<f64> {
    p.map_coords(|c| c - origin)
}
