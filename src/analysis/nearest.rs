//! The k nearest facilities of points (optionally of one category, optionally within a maximum
//! distance), with the tie rule of [`crate::index::FacilityIndex`]: equal distances go to the
//! lower facility id, then to the earlier input row.

use geo::Coord;

use super::batch::{Progress, for_each_ordered};
use crate::index::{FacilityIndex, Neighbour};
use crate::model::Category;

/// What to look for.
#[derive(Debug, Clone, PartialEq)]
pub struct NearestOptions {
    /// How many facilities per point (default 1).
    pub k: usize,
    /// Only this category (default: every facility).
    pub category: Option<Category>,
    /// Only facilities at most this far, metres (inclusive).
    pub max_distance_m: Option<f64>,
}

impl Default for NearestOptions {
    fn default() -> Self {
        NearestOptions {
            k: 1,
            category: None,
            max_distance_m: None,
        }
    }
}

/// The nearest facilities of `p`, nearest first (fewer than k when the index or the maximum
/// distance leaves fewer).
///
/// ```
/// use geo::{Coord, Point};
/// use qpv::analysis::nearest::{NearestOptions, nearest};
/// use qpv::index::FacilityIndex;
/// use qpv::model::{Attributes, Category, Facility};
///
/// let school = |id: &str, x| Facility { id: id.into(), name: id.into(),
///     category: Category::new("college"), point: Point::new(x, 0.0), attributes: Attributes::default() };
/// let index = FacilityIndex::new(&[school("0900001A", 300.0), school("0900002B", -100.0)]);
/// let found = nearest(&index, Coord { x: 0.0, y: 0.0 }, &NearestOptions { k: 3, ..Default::default() });
/// assert_eq!(found.len(), 2);
/// assert_eq!(index.facility(found[0].index).id, "0900002B");
/// assert_eq!(found[1].distance, 300.0);
/// ```
pub fn nearest(index: &FacilityIndex, p: Coord<f64>, options: &NearestOptions) -> Vec<Neighbour> {
    index.nearest(
        p,
        options.k,
        options.category.as_ref(),
        options.max_distance_m,
    )
}

/// Runs [`nearest`] over a stream of `(payload, point)` rows on every core, handing each row
/// and its neighbours to `sink` in input order. Returns the number of rows.
///
/// ```
/// use geo::{Coord, Point};
/// use qpv::analysis::batch::NoProgress;
/// use qpv::analysis::nearest::{NearestOptions, nearest_stream};
/// use qpv::index::FacilityIndex;
/// use qpv::model::{Attributes, Category, Facility};
///
/// let school = |id: &str, x| Facility { id: id.into(), name: id.into(),
///     category: Category::new("college"), point: Point::new(x, 0.0), attributes: Attributes::default() };
/// let index = FacilityIndex::new(&[school("A", 0.0), school("B", 100.0)]);
/// let rows = (0..100).map(|i| Ok::<_, qpv::Error>((i, Coord { x: i as f64, y: 0.0 })));
/// let mut nearest_ids = String::new();
/// let n = nearest_stream(&index, rows, &NearestOptions::default(), |_, _, found| {
///     nearest_ids.push_str(&index.facility(found[0].index).id);
///     Ok(())
/// }, &mut NoProgress).unwrap();
/// assert_eq!(n, 100);
/// // Ties (x = 50) go to the lower id.
/// assert_eq!(nearest_ids, format!("{}{}", "A".repeat(51), "B".repeat(49)));
/// ```
pub fn nearest_stream<I, T, E, S>(
    index: &FacilityIndex,
    rows: I,
    options: &NearestOptions,
    mut sink: S,
    progress: &mut dyn Progress,
) -> Result<u64, E>
where
    I: IntoIterator<Item = Result<(T, Coord<f64>), E>>,
    T: Send + Sync,
    S: FnMut(T, Coord<f64>, &[Neighbour]) -> Result<(), E>,
{
    for_each_ordered(
        rows,
        super::batch::DEFAULT_CHUNK,
        |(_, p)| nearest(index, *p, options),
        |(payload, p), found| sink(payload, p, &found),
        progress,
    )
}

/// The `k` nearest facilities of each category in `categories` (same order), within
/// `max_distance_m` if given: "the nearest collège and the nearest école" of an address.
pub fn nearest_per_category(
    index: &FacilityIndex,
    p: Coord<f64>,
    categories: &[Category],
    k: usize,
    max_distance_m: Option<f64>,
) -> Vec<Vec<Neighbour>> {
    categories
        .iter()
        .map(|c| index.nearest(p, k, Some(c), max_distance_m))
        .collect()
}
