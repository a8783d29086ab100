//! Boolean operations on multipolygons (union, difference, intersection) at a local origin,
//! with deterministic, canonical results (largest part first, outer rings counter-clockwise).

use geo::{
    Area, BooleanOps, BoundingRect, MultiPolygon, Orient, Polygon, orient::Direction, unary_union,
};

use super::area::{shift, unshift};

/// Union of polygons and multipolygons, computed at a local origin, outer rings
/// counter-clockwise. Polygons sharing an edge merge; the result's polygons are the
/// continuous parts.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use qpv::geometry::overlay::dissolve;
/// let a = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]]);
/// let b = MultiPolygon(vec![polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)]]);
/// assert_eq!(dissolve([&a, &b]).0.len(), 1);
/// ```
pub fn dissolve<'a>(parts: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> MultiPolygon<f64> {
    let parts: Vec<&MultiPolygon<f64>> = parts.into_iter().collect();
    let Some(origin) = parts
        .iter()
        .filter_map(|p| p.bounding_rect())
        .map(|r| r.min())
        .reduce(|a, b| geo::coord! { x: a.x.min(b.x), y: a.y.min(b.y) })
    else {
        return MultiPolygon(Vec::new());
    };
    let local: Vec<Polygon<f64>> = parts
        .iter()
        .flat_map(|p| shift(p, origin).0)
        .filter(|p| p.unsigned_area() > 0.0)
        .map(|p| p.orient(Direction::Default))
        .collect();
    if local.is_empty() {
        return MultiPolygon(Vec::new());
    }
    let merged = unary_union(&local);
    canonical(unshift(&merged, origin))
}

/// Sorts the parts (largest first, ties by position) so that outputs are deterministic.
pub(crate) fn canonical(mut mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.0.retain(|p| p.unsigned_area() > 1e-6);
    mp.0.sort_by(|a, b| {
        let (ra, rb) = (a.bounding_rect(), b.bounding_rect());
        b.unsigned_area()
            .total_cmp(&a.unsigned_area())
            .then_with(|| match (ra, rb) {
                (Some(ra), Some(rb)) => ra
                    .min()
                    .x
                    .total_cmp(&rb.min().x)
                    .then(ra.min().y.total_cmp(&rb.min().y)),
                _ => std::cmp::Ordering::Equal,
            })
    });
    mp.orient(Direction::Default)
}

/// `a − b` at a local origin.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use qpv::geometry::area::local_area_multi;
/// use qpv::geometry::overlay::{difference, intersection};
/// let a = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 0.0, y: 1.0)]]);
/// let b = MultiPolygon(vec![polygon![(x: 1.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 1.0), (x: 1.0, y: 1.0)]]);
/// assert_eq!(local_area_multi(&difference(&a, &b)), 1.0);
/// assert_eq!(local_area_multi(&intersection(&a, &b)), 1.0);
/// ```
pub fn difference(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    overlay(a, b, |x, y| x.difference(y))
}

/// `a ∩ b` at a local origin.
pub fn intersection(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    overlay(a, b, |x, y| x.intersection(y))
}

fn overlay(
    a: &MultiPolygon<f64>,
    b: &MultiPolygon<f64>,
    op: impl Fn(&MultiPolygon<f64>, &MultiPolygon<f64>) -> MultiPolygon<f64>,
) -> MultiPolygon<f64> {
    let origin = match (a.bounding_rect(), b.bounding_rect()) {
        (Some(ra), Some(rb)) => {
            geo::coord! { x: ra.min().x.min(rb.min().x), y: ra.min().y.min(rb.min().y) }
        }
        (Some(ra), None) => ra.min(),
        (None, Some(rb)) => rb.min(),
        (None, None) => return MultiPolygon(Vec::new()),
    };
    let r = op(&shift(a, origin), &shift(b, origin));
    canonical(unshift(&r, origin))
}
