//! Bounding boxes of several boxes or points, and a box widened by a margin.
//!
//! # Examples
//! ```
//! use geo::{Coord, Rect};
//! use qpv::geometry::bounds::{of_points, union_of, widened};
//!
//! let a = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 });
//! let b = Rect::new(Coord { x: 2.0, y: -1.0 }, Coord { x: 3.0, y: 0.5 });
//! let u = union_of([&a, &b]).unwrap();
//! assert_eq!((u.min(), u.max()), (Coord { x: 0.0, y: -1.0 }, Coord { x: 3.0, y: 1.0 }));
//! assert_eq!(union_of(std::iter::empty::<&Rect<f64>>()), None);
//! let p = of_points([Coord { x: 5.0, y: 1.0 }, Coord { x: 4.0, y: 2.0 }]).unwrap();
//! assert_eq!((p.min(), p.max()), (Coord { x: 4.0, y: 1.0 }, Coord { x: 5.0, y: 2.0 }));
//! let w = widened(a, 10.0);
//! assert_eq!((w.min(), w.max()), (Coord { x: -10.0, y: -10.0 }, Coord { x: 11.0, y: 11.0 }));
//! ```

use geo::{Coord, Rect};

/// The smallest box holding every box of `rects`; `None` when there is none.
pub fn union_of<'a>(rects: impl IntoIterator<Item = &'a Rect<f64>>) -> Option<Rect<f64>> {
    let mut rects = rects.into_iter();
    let first = rects.next()?;
    let (mut lo, mut hi) = (first.min(), first.max());
    for r in rects {
        lo = Coord {
            x: lo.x.min(r.min().x),
            y: lo.y.min(r.min().y),
        };
        hi = Coord {
            x: hi.x.max(r.max().x),
            y: hi.y.max(r.max().y),
        };
    }
    Some(Rect::new(lo, hi))
}

/// The smallest box holding every point of `points`; `None` when there is none.
pub fn of_points(points: impl IntoIterator<Item = Coord<f64>>) -> Option<Rect<f64>> {
    let mut points = points.into_iter();
    let first = points.next()?;
    let (mut lo, mut hi) = (first, first);
    for p in points {
        lo = Coord {
            x: lo.x.min(p.x),
            y: lo.y.min(p.y),
        };
        hi = Coord {
            x: hi.x.max(p.x),
            y: hi.y.max(p.y),
        };
    }
    Some(Rect::new(lo, hi))
}

/// `r` grown by `margin` on every side, in `r`'s units (metres; degrees for a WGS84 box).
pub fn widened(r: Rect<f64>, margin: f64) -> Rect<f64> {
    Rect::new(
        Coord {
            x: r.min().x - margin,
            y: r.min().y - margin,
        },
        Coord {
            x: r.max().x + margin,
            y: r.max().y + margin,
        },
    )
}
