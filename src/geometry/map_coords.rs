//! Fallible in-place coordinate mapping over any geometry.
//!
//! geo's `try_map_coords_in_place` recurses through generic closures and can hit the
//! compiler's recursion limit on `Geometry`; this walks the variants with a `dyn` closure.

use geo::{Coord, Geometry, LineString, Polygon};

/// Applies `f` to every coordinate of `g`, stopping at the first error (the geometry is then
/// partly mapped).
///
/// ```
/// use geo::{Geometry, Point, coord};
/// let mut g = Geometry::Point(Point::new(1.0, 2.0));
/// qpv::geometry::try_map_coords(&mut g, &mut |c| Ok::<_, ()>(coord! { x: c.x * 2.0, y: c.y }))
///     .unwrap();
/// assert_eq!(g, Geometry::Point(Point::new(2.0, 2.0)));
/// ```
pub fn try_map_coords<E>(
    g: &mut Geometry<f64>,
    f: &mut dyn FnMut(Coord<f64>) -> Result<Coord<f64>, E>,
) -> Result<(), E> {
    match g {
        Geometry::Point(p) => p.0 = f(p.0)?,
        Geometry::Line(l) => {
            l.start = f(l.start)?;
            l.end = f(l.end)?;
        }
        Geometry::LineString(ls) => map_line(ls, f)?,
        Geometry::Polygon(p) => map_polygon(p, f)?,
        Geometry::MultiPoint(mp) => {
            for p in mp.0.iter_mut() {
                p.0 = f(p.0)?;
            }
        }
        Geometry::MultiLineString(mls) => {
            for ls in mls.0.iter_mut() {
                map_line(ls, f)?;
            }
        }
        Geometry::MultiPolygon(mp) => {
            for p in mp.0.iter_mut() {
                map_polygon(p, f)?;
            }
        }
        Geometry::GeometryCollection(gc) => {
            for g in gc.0.iter_mut() {
                try_map_coords(g, f)?;
            }
        }
        Geometry::Rect(r) => {
            let (min, max) = (f(r.min())?, f(r.max())?);
            *r = geo::Rect::new(min, max);
        }
        Geometry::Triangle(t) => {
            *t = geo::Triangle::new(f(t.v1())?, f(t.v2())?, f(t.v3())?);
        }
    }
    Ok(())
}

fn map_line<E>(
    ls: &mut LineString<f64>,
    f: &mut dyn FnMut(Coord<f64>) -> Result<Coord<f64>, E>,
) -> Result<(), E> {
    for c in ls.0.iter_mut() {
        *c = f(*c)?;
    }
    Ok(())
}

fn map_polygon<E>(
    p: &mut Polygon<f64>,
    f: &mut dyn FnMut(Coord<f64>) -> Result<Coord<f64>, E>,
) -> Result<(), E> {
    let mut failure = None;
    p.exterior_mut(|ls| {
        if let Err(e) = map_line(ls, f) {
            failure = Some(e);
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    p.interiors_mut(|rings| {
        for ls in rings {
            if failure.is_none()
                && let Err(e) = map_line(ls, f)
            {
                failure = Some(e);
            }
        }
    });
    failure.map_or(Ok(()), Err)
}
