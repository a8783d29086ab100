//! R-trees over facility points, bulk-loaded once: one over every facility and one per
//! category, so that category-restricted queries never scan other categories; plus a bucket
//! grid per set for the single nearest neighbour, the common query at national scale.
//!
//! Tie rule (documented, deterministic): neighbours are ordered by squared Euclidean distance
//! computed as `dx² + dy²` in `f64`; equal distances are ordered by facility id (string order),
//! then by position in the input. The same rule decides which facility is kept when a tie
//! straddles the k-th place.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use geo::Coord;
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};

use super::point_grid::PointGrid;
use super::polygon::PreparedPolygon;
use crate::model::{Category, Facility};

/// A facility as stored in the index.
#[derive(Debug, Clone)]
pub struct IndexedFacility {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// Position (working metric CRS).
    pub point: Coord<f64>,
    /// The facility's `geocoding_precision` attribute, if any: a position placed by geocoding
    /// an address (`street`, `interpolated`) is approximate, and reports say so.
    pub geocoding_precision: Option<String>,
}

/// A facility found by a query: its position in the input `Vec` and its exact distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// Index of the facility in the input slice (and in [`FacilityIndex::facility`]).
    pub index: usize,
    /// Euclidean distance in CRS units (metres), unrounded.
    pub distance: f64,
}

type Tree = RTree<TreePoint>;

/// A facility's point in a tree, with its index in the facilities of the index.
type TreePoint = GeomWithData<[f64; 2], usize>;

/// Spatial index over facilities; see the module documentation for the tie rule.
#[derive(Debug, Clone)]
pub struct FacilityIndex {
    facilities: Vec<IndexedFacility>,
    /// The tree over every category, built at its first query (commands that ask per
    /// category, like `coverage`, never build it).
    all: OnceLock<Tree>,
    by_category: BTreeMap<Category, Tree>,
    /// Bucket grids for the single nearest neighbour (the common query), same keys; the one
    /// over every category built at its first query.
    all_grid: OnceLock<Option<PointGrid>>,
    grid_by_category: BTreeMap<Category, PointGrid>,
}

impl FacilityIndex {
    /// Bulk-loads the trees. Facilities with non-finite coordinates are kept in the list (so
    /// indices still match the input) but never found by queries.
    ///
    /// ```
    /// use geo::{Coord, Point};
    /// use qpv::index::FacilityIndex;
    /// use qpv::model::{Attributes, Category, Facility};
    ///
    /// let f = |id: &str, x, y| Facility { id: id.into(), name: id.into(),
    ///     category: Category::new("college"), point: Point::new(x, y), attributes: Attributes::default() };
    /// let index = FacilityIndex::new(&[f("B", 0.0, 10.0), f("A", 10.0, 0.0), f("C", 3.0, 4.0)]);
    /// let near = index.nearest(Coord { x: 0.0, y: 0.0 }, 2, None, None);
    /// assert_eq!(near.iter().map(|n| index.facility(n.index).id.as_str()).collect::<Vec<_>>(), ["C", "A"]);
    /// assert_eq!(near[0].distance, 5.0);
    /// ```
    pub fn new(facilities: &[Facility]) -> Self {
        let facilities: Vec<IndexedFacility> = facilities
            .par_iter()
            .map(|f| IndexedFacility {
                id: f.id.clone(),
                name: f.name.clone(),
                category: f.category.clone(),
                point: f.point.0,
                geocoding_precision: f.attributes.get("geocoding_precision").map(|v| v.to_text()),
            })
            .collect();
        // Few categories: a linear search from the last one found (facilities usually come
        // category by category) beats a map's comparisons, and no key is cloned per point.
        let mut grouped: Vec<(&Category, Vec<TreePoint>)> = Vec::new();
        let mut last = 0;
        for item in indexed_points(&facilities) {
            let category = &facilities[item.data].category;
            if grouped.get(last).is_none_or(|(c, _)| *c != category) {
                last = match grouped.iter().position(|(c, _)| *c == category) {
                    Some(i) => i,
                    None => {
                        grouped.push((category, Vec::new()));
                        grouped.len() - 1
                    }
                };
            }
            grouped[last].1.push(item);
        }
        // One category per thread task: its grid and its tree.
        let built: Vec<(Category, Option<PointGrid>, Tree)> = grouped
            .into_par_iter()
            .map(|(c, items)| {
                (
                    c.clone(),
                    PointGrid::new(&grid_points(&items)),
                    RTree::bulk_load(items),
                )
            })
            .collect();
        let mut grid_by_category = BTreeMap::new();
        let mut by_category = BTreeMap::new();
        for (c, grid, tree) in built {
            if let Some(grid) = grid {
                grid_by_category.insert(c.clone(), grid);
            }
            by_category.insert(c, tree);
        }
        FacilityIndex {
            facilities,
            all_grid: OnceLock::new(),
            grid_by_category,
            all: OnceLock::new(),
            by_category,
        }
    }

    /// Number of facilities (including any with non-finite coordinates).
    pub fn len(&self) -> usize {
        self.facilities.len()
    }

    /// `k` capped at the number of facilities: asking for more neighbours than there are
    /// facilities gives every facility (so `-k 18446744073709551615` costs what `-k len` costs,
    /// instead of allocating for k). At least 1, so that an output always has its columns.
    ///
    /// # Examples
    ///
    /// ```
    /// use geo::{Coord, Point};
    /// use qpv::index::FacilityIndex;
    /// use qpv::model::{Attributes, Category, Facility};
    ///
    /// let f = Facility { id: "a".into(), name: "A".into(), category: Category::new("college"),
    ///     point: Point::new(0.0, 0.0), attributes: Attributes::default() };
    /// let index = FacilityIndex::new(&[f]);
    /// assert_eq!(index.capped_k(usize::MAX), 1);
    /// assert_eq!(index.nearest(Coord { x: 1.0, y: 0.0 }, usize::MAX, None, None).len(), 1);
    /// ```
    pub fn capped_k(&self, k: usize) -> usize {
        k.min(self.len()).max(1)
    }

    /// True when there is no facility.
    pub fn is_empty(&self) -> bool {
        self.facilities.is_empty()
    }

    /// The facility at `index` (input order).
    pub fn facility(&self, index: usize) -> &IndexedFacility {
        &self.facilities[index]
    }

    /// The categories present, in sorted order.
    pub fn categories(&self) -> impl Iterator<Item = &Category> {
        self.by_category.keys()
    }

    /// Number of indexed facilities of `category` (all of them with `None`).
    pub fn count(&self, category: Option<&Category>) -> usize {
        self.tree(category).map_or(0, RTree::size)
    }

    fn grid(&self, category: Option<&Category>) -> Option<&PointGrid> {
        match category {
            None => self
                .all_grid
                .get_or_init(|| PointGrid::new(&grid_points(&indexed_points(&self.facilities))))
                .as_ref(),
            Some(c) => self.grid_by_category.get(c),
        }
    }

    fn tree(&self, category: Option<&Category>) -> Option<&Tree> {
        match category {
            None => Some(
                self.all
                    .get_or_init(|| RTree::bulk_load(indexed_points(&self.facilities))),
            ),
            Some(c) => self.by_category.get(c),
        }
    }

    /// The tie rule: (squared distance, id, input position).
    fn cmp(&self, a: (usize, f64), b: (usize, f64)) -> std::cmp::Ordering {
        a.1.total_cmp(&b.1)
            .then_with(|| self.facilities[a.0].id.cmp(&self.facilities[b.0].id))
            .then(a.0.cmp(&b.0))
    }

    /// The `k` nearest facilities to `p` (of `category` if given, within `max_distance`
    /// inclusive if given), nearest first, with the module's tie rule.
    pub fn nearest(
        &self,
        p: Coord<f64>,
        k: usize,
        category: Option<&Category>,
        max_distance: Option<f64>,
    ) -> Vec<Neighbour> {
        let mut out = Vec::with_capacity(k.min(self.len()));
        self.nearest_into(p, k, category, max_distance, &mut out);
        out
    }

    /// [`nearest`](Self::nearest) writing into a reused buffer (cleared first), for hot loops.
    pub fn nearest_into(
        &self,
        p: Coord<f64>,
        k: usize,
        category: Option<&Category>,
        max_distance: Option<f64>,
        out: &mut Vec<Neighbour>,
    ) {
        out.clear();
        let k = k.min(self.len());
        let Some(tree) = self.tree(category) else {
            return;
        };
        if k == 0 {
            return;
        }
        if k == 1 {
            // The common case. The bucket grid answers queries inside its extent; outside it,
            // rstar's single nearest-neighbour search (its queue stays on the stack) followed
            // by every facility at exactly that distance, for the tie rule.
            use rstar::PointDistance;
            let better = |a: (usize, f64), b: (usize, f64)| self.cmp(a, b).is_lt();
            let found = match self.grid(category).and_then(|g| g.nearest(p, better)) {
                Some(hit) => hit,
                None => {
                    let query = [p.x, p.y];
                    let Some(first) = tree.nearest_neighbor(&query) else {
                        return;
                    };
                    let mut best = (first.data, first.distance_2(&query));
                    for item in tree.locate_within_distance(query, best.1) {
                        if item.data == first.data {
                            continue;
                        }
                        let candidate = (item.data, item.distance_2(&query));
                        if candidate.1 <= best.1 && better(candidate, best) {
                            best = candidate;
                        }
                    }
                    best
                }
            };
            if max_distance.is_some_and(|m| found.1.sqrt() > m) {
                return;
            }
            out.push(Neighbour {
                index: found.0,
                distance: found.1.sqrt(),
            });
            return;
        }
        // Collect in distance order up to k, then every further one tied with the k-th.
        let mut found: Vec<(usize, f64)> = Vec::with_capacity(k + 1);
        for (item, d2) in tree.nearest_neighbor_iter_with_distance_2(&[p.x, p.y]) {
            if max_distance.is_some_and(|m| d2.sqrt() > m) {
                break;
            }
            if found.len() >= k && d2 > found[k - 1].1 {
                break;
            }
            found.push((item.data, d2));
        }
        if found.len() > k {
            found.sort_by(|a, b| self.cmp(*a, *b));
            found.truncate(k);
        } else {
            found.sort_by(|a, b| self.cmp(*a, *b));
        }
        out.extend(found.into_iter().map(|(index, d2)| Neighbour {
            index,
            distance: d2.sqrt(),
        }));
    }

    /// Every facility within `distance` (inclusive) of point `p`, nearest first (tie rule).
    pub fn within_distance_of_point(
        &self,
        p: Coord<f64>,
        distance: f64,
        category: Option<&Category>,
    ) -> Vec<Neighbour> {
        let Some(tree) = self.tree(category) else {
            return Vec::new();
        };
        let mut found: Vec<(usize, f64)> = tree
            .locate_within_distance([p.x, p.y], distance * distance * (1.0 + 1e-12) + 1e-12)
            .map(|item| {
                let dx = item.geom()[0] - p.x;
                let dy = item.geom()[1] - p.y;
                (item.data, dx * dx + dy * dy)
            })
            .filter(|(_, d2)| d2.sqrt() <= distance)
            .collect();
        found.sort_by(|a, b| self.cmp(*a, *b));
        found
            .into_iter()
            .map(|(index, d2)| Neighbour {
                index,
                distance: d2.sqrt(),
            })
            .collect()
    }

    /// Every facility whose distance to `shape` (0 inside or on the boundary, else distance to
    /// the boundary) is at most `distance`, nearest first (tie rule on the distance itself).
    pub fn within_distance_of(
        &self,
        shape: &PreparedPolygon,
        distance: f64,
        category: Option<&Category>,
    ) -> Vec<Neighbour> {
        let (Some(tree), Some(bbox)) = (self.tree(category), shape.bbox()) else {
            return Vec::new();
        };
        let envelope = AABB::from_corners(
            [bbox.min().x - distance, bbox.min().y - distance],
            [bbox.max().x + distance, bbox.max().y + distance],
        );
        let mut found: Vec<Neighbour> = tree
            .locate_in_envelope(&envelope)
            .map(|item| Neighbour {
                index: item.data,
                distance: shape.distance(Coord {
                    x: item.geom()[0],
                    y: item.geom()[1],
                }),
            })
            .filter(|n| n.distance <= distance)
            .collect();
        found.sort_by(|a, b| self.cmp((a.index, a.distance), (b.index, b.distance)));
        found
    }

    /// The facility nearest to `shape` (distance 0 inside), with the tie rule; `None` when
    /// there is no facility of the category.
    pub fn nearest_to(
        &self,
        shape: &PreparedPolygon,
        category: Option<&Category>,
    ) -> Option<Neighbour> {
        let tree = self.tree(category)?;
        let bbox = shape.bbox()?;
        if tree.size() == 0 {
            return None;
        }
        // Grow a search margin around the bounding box until the best distance found is within
        // it: any facility closer than that margin lies inside the enlarged box, so the answer
        // is exact.
        let span = (bbox.width().max(bbox.height())).max(1.0);
        let mut margin = span;
        loop {
            let found = self.within_distance_of(shape, margin, category);
            if let Some(first) = found.first() {
                return Some(*first);
            }
            let tree_box = tree.root().envelope();
            let reach = (tree_box.upper()[0] - bbox.min().x)
                .abs()
                .max((tree_box.lower()[0] - bbox.max().x).abs())
                .max((tree_box.upper()[1] - bbox.min().y).abs())
                .max((tree_box.lower()[1] - bbox.max().y).abs());
            if margin > 4.0 * (reach + span) {
                return None;
            }
            margin *= 4.0;
        }
    }
}

/// The facilities with finite coordinates as tree items (input order).
fn indexed_points(facilities: &[IndexedFacility]) -> Vec<GeomWithData<[f64; 2], usize>> {
    facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| f.point.x.is_finite() && f.point.y.is_finite())
        .map(|(i, f)| GeomWithData::new([f.point.x, f.point.y], i))
        .collect()
}

/// Tree items as the points of a [`PointGrid`].
fn grid_points(items: &[GeomWithData<[f64; 2], usize>]) -> Vec<([f64; 2], usize)> {
    items.iter().map(|i| (*i.geom(), i.data)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attributes;
    use geo::{MultiPolygon, Point, polygon};

    fn f(id: &str, category: &str, x: f64, y: f64) -> Facility {
        Facility {
            id: id.into(),
            name: id.into(),
            category: Category::new(category),
            point: Point::new(x, y),
            attributes: Attributes::default(),
        }
    }

    fn square() -> PreparedPolygon {
        PreparedPolygon::new(MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)
        ]]))
    }

    #[test]
    fn nearest_to_a_zone_searches_far_enough_and_breaks_ties_by_id() {
        let index = FacilityIndex::new(&[
            f("Z", "college", 10_010.0, 5.0),
            f("B", "college", 5.0, 10_010.0),
            f("A", "college", 5.0, -10_000.0),
            f("N", "lycee", f64::NAN, 0.0),
        ]);
        let n = index
            .nearest_to(&square(), Some(&Category::new("college")))
            .unwrap();
        assert_eq!(
            (index.facility(n.index).id.as_str(), n.distance),
            ("A", 10_000.0)
        );
        assert_eq!(
            index.nearest_to(&square(), Some(&Category::new("lycee"))),
            None
        );
        assert_eq!(
            index.nearest_to(&square(), Some(&Category::new("other"))),
            None
        );
        assert_eq!(index.count(Some(&Category::new("lycee"))), 0);
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn within_distance_of_a_zone_counts_inside_and_boundary_as_zero() {
        let index = FacilityIndex::new(&[
            f("in", "c", 5.0, 5.0),
            f("edge", "c", 10.0, 3.0),
            f("near", "c", 13.0, 14.0),
            f("far", "c", 30.0, 5.0),
        ]);
        let found: Vec<(&str, f64)> = index
            .within_distance_of(&square(), 5.0, None)
            .iter()
            .map(|n| (index.facility(n.index).id.as_str(), n.distance))
            .collect();
        assert_eq!(found, [("edge", 0.0), ("in", 0.0), ("near", 5.0)]);
        let around: Vec<usize> = index
            .within_distance_of_point(Coord { x: 10.0, y: 3.0 }, 5.4, None)
            .iter()
            .map(|n| n.index)
            .collect();
        assert_eq!(around, [1, 0]);
    }

    #[test]
    fn k_nearest_keeps_ties_by_id_then_input_order() {
        let index = FacilityIndex::new(&[
            f("C", "c", 1.0, 0.0),
            f("B", "c", 0.0, 1.0),
            f("B", "c", -1.0, 0.0),
            f("A", "c", 0.0, -2.0),
        ]);
        let ids: Vec<usize> = index
            .nearest(Coord { x: 0.0, y: 0.0 }, 2, None, None)
            .iter()
            .map(|n| n.index)
            .collect();
        assert_eq!(ids, [1, 2]);
        assert!(
            index
                .nearest(Coord { x: 0.0, y: 0.0 }, 3, None, Some(0.5))
                .is_empty()
        );
        assert!(
            index
                .nearest(Coord { x: 0.0, y: 0.0 }, 0, None, None)
                .is_empty()
        );
    }
}
