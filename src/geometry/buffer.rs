//! Buffers of perimeters, computed at a local origin.

use geo::{BoundingRect, Buffer, MultiPolygon};

use super::area::{shift, unshift};
use super::overlay::canonical;

/// Grows (or with a negative distance shrinks) a perimeter by `metres`, rounded corners.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use qpv::geometry::area::local_area_multi;
/// use qpv::geometry::buffer::buffer;
/// let square = MultiPolygon(vec![polygon![(x: 989_000.0, y: 6_734_000.0),
///     (x: 989_100.0, y: 6_734_000.0), (x: 989_100.0, y: 6_734_100.0), (x: 989_000.0, y: 6_734_100.0)]]);
/// // 100 m square grown by 10 m: 100² + 4·100·10 + π·10² ≈ 14,314 m² (rounded corners).
/// let area = local_area_multi(&buffer(&square, 10.0));
/// assert!((area - 14_314.16).abs() < 5.0, "{area}");
/// assert_eq!(buffer(&square, 0.0), square);
/// ```
pub fn buffer(area: &MultiPolygon<f64>, metres: f64) -> MultiPolygon<f64> {
    if metres == 0.0 {
        return area.clone();
    }
    let Some(r) = area.bounding_rect() else {
        return area.clone();
    };
    let origin = r.min();
    canonical(unshift(&shift(area, origin).buffer(metres), origin))
}
