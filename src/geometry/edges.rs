//! Edge R-trees: the edges of a polygon boundary indexed by their bounding boxes (rstar, bulk
//! loaded once), to find the rectangles a boundary may cross.

use geo::{LineString, MultiPolygon, Rect};
use rstar::primitives::Rectangle;
use rstar::{AABB, RTree};

/// The edges of a multipolygon in an R-tree of their bounding boxes, to know which cells (or
/// any rectangles) its boundary may cross: those need an exact overlay, the others are wholly
/// inside or wholly outside.
///
/// # Examples
///
/// ```
/// use geo::{polygon, MultiPolygon, Rect, coord};
/// use qpv::geometry::edges::EdgeIndex;
/// let square = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0),
///     (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)]]);
/// let edges = EdgeIndex::new(&square);
/// // A cell across the right edge; one inside; one outside.
/// assert!(edges.crosses(Rect::new(coord! { x: 9.0, y: 4.0 }, coord! { x: 11.0, y: 6.0 })));
/// assert!(!edges.crosses(Rect::new(coord! { x: 4.0, y: 4.0 }, coord! { x: 6.0, y: 6.0 })));
/// assert!(!edges.crosses(Rect::new(coord! { x: 20.0, y: 4.0 }, coord! { x: 22.0, y: 6.0 })));
/// ```
pub struct EdgeIndex {
    tree: RTree<Rectangle<[f64; 2]>>,
}

impl EdgeIndex {
    /// Indexes every edge of every ring (exteriors and holes).
    pub fn new(area: &MultiPolygon<f64>) -> Self {
        let rings = area
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
        let mut rects = Vec::new();
        for ring in rings {
            push_edges(ring, &mut rects);
        }
        EdgeIndex {
            tree: RTree::bulk_load(rects),
        }
    }

    /// Whether an edge's bounding box meets `rect` (conservative: may say yes for an edge that
    /// only passes near the cell; the overlay then gives the exact weight).
    pub fn crosses(&self, rect: Rect<f64>) -> bool {
        let env = AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        self.tree
            .locate_in_envelope_intersecting(&env)
            .next()
            .is_some()
    }
}

fn push_edges(ring: &LineString<f64>, out: &mut Vec<Rectangle<[f64; 2]>>) {
    for line in ring.lines() {
        out.push(Rectangle::from_corners(
            [line.start.x, line.start.y],
            [line.end.x, line.end.y],
        ));
    }
}
