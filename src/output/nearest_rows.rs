//! The rows `qpv nearest` adds to each input point, declared once: the columns (one group of
//! `<prefix>_<rank>_{id,name,category,distance_m}` per searched group, or one row per pair
//! with `--lines`), the search, and the cells of each point, spelt by the crate's number rule
//! (distances to the cm). Both the streamed CSV path and the [`super::sink::Sink`] path write
//! these cells.
//!
//! # Examples
//!
//! ```
//! use geo::Coord;
//! use qpv::index::FacilityIndex;
//! use qpv::model::{Category, Facility};
//! use qpv::output::nearest_rows::NearestRows;
//! use qpv::output::point_rows::PointRows;
//! let school = |id: &str, x: f64| Facility {
//!     id: id.into(),
//!     name: format!("École {id}"),
//!     category: Category::new("college"),
//!     point: geo::Point::new(x, 0.0),
//!     attributes: Default::default(),
//! };
//! let facilities = vec![school("a", 100.0), school("b", 250.0)];
//! let index = FacilityIndex::new(&facilities);
//! let rows = NearestRows::new(&index, vec![None], 1, None, false);
//! assert_eq!(rows.columns(), ["nearest_1_id", "nearest_1_name", "nearest_1_category", "nearest_1_distance_m"]);
//! let p = Coord { x: 0.0, y: 0.0 };
//! let found = rows.search(p);
//! let mut seen = Vec::new();
//! rows.rows(p, &found, &mut |cells, _| {
//!     seen.push(cells.iter().map(|c| c.to_value().to_string()).collect::<Vec<_>>());
//!     Ok(())
//! })
//! .unwrap();
//! assert_eq!(seen, [["\"a\"", "\"École a\"", "\"college\"", "100.0"]]);
//! ```

use geo::{Coord, Geometry, LineString, Point};

use super::number::round;
use super::point_rows::PointRows;
use super::sink::Cell;
use crate::analysis::nearest::nearest_per_category;
use crate::error::Result;
use crate::index::{FacilityIndex, Neighbour};
use crate::model::Category;

pub use super::point_rows::EmitRow;

/// What `nearest` searches and writes for each point.
#[derive(Debug)]
pub struct NearestRows<'i> {
    index: &'i FacilityIndex,
    /// Groups searched separately: `[None]` (every facility), or one per category.
    groups: Vec<Option<Category>>,
    k: usize,
    max_distance: Option<f64>,
    lines: bool,
}

fn metres(d: f64) -> Cell<'static> {
    Cell::Number(round(d, 2))
}

impl<'i> NearestRows<'i> {
    /// The k nearest (capped by the caller) of each group within `max_distance`; `lines`: one
    /// row per point–facility pair with a segment.
    pub fn new(
        index: &'i FacilityIndex,
        groups: Vec<Option<Category>>,
        k: usize,
        max_distance: Option<f64>,
        lines: bool,
    ) -> Self {
        NearestRows {
            index,
            groups,
            k,
            max_distance,
            lines,
        }
    }
}

impl PointRows for NearestRows<'_> {
    type Found = Vec<Vec<Neighbour>>;

    fn layer_name(&self) -> &'static str {
        if self.lines {
            "nearest_lines"
        } else {
            "nearest"
        }
    }

    fn columns(&self) -> Vec<String> {
        if self.lines {
            return [
                "rank",
                "facility_id",
                "facility_name",
                "category",
                "distance_m",
            ]
            .map(String::from)
            .to_vec();
        }
        let mut added = Vec::new();
        for group in &self.groups {
            let prefix = group
                .as_ref()
                .map_or("nearest".to_string(), |c| c.to_string());
            for r in 1..=self.k {
                for field in ["id", "name", "category", "distance_m"] {
                    if group.is_some() && field == "category" {
                        continue;
                    }
                    added.push(format!("{prefix}_{r}_{field}"));
                }
            }
        }
        added
    }

    /// The neighbours of `p`, one list per group.
    #[inline]
    fn search(&self, p: Coord<f64>) -> Vec<Vec<Neighbour>> {
        match self.groups.as_slice() {
            [None] => vec![self.index.nearest(p, self.k, None, self.max_distance)],
            _ => {
                let categories: Vec<Category> = self.groups.iter().flatten().cloned().collect();
                nearest_per_category(self.index, p, &categories, self.k, self.max_distance)
            }
        }
    }

    /// Hands `emit` the rows of point `p` given what [`PointRows::search`] found: one row
    /// per point, or one per point–facility pair with `lines`.
    #[inline]
    fn rows(&self, p: Coord<f64>, found: &Vec<Vec<Neighbour>>, emit: &mut EmitRow) -> Result<()> {
        let index = self.index;
        if self.lines {
            for (rank, n) in found.iter().flatten().enumerate() {
                let f = index.facility(n.index);
                let values = [
                    Cell::Int(rank as u64 + 1),
                    Cell::Text(&f.id),
                    Cell::Text(&f.name),
                    Cell::Text(f.category.as_str()),
                    metres(n.distance),
                ];
                emit(&values, Geometry::LineString(LineString(vec![p, f.point])))?;
            }
            return Ok(());
        }
        let mut values = Vec::new();
        for (group, neighbours) in self.groups.iter().zip(found) {
            for r in 0..self.k {
                let n = neighbours
                    .get(r)
                    .map(|n| (index.facility(n.index), n.distance));
                values.push(n.map_or(Cell::Null, |(f, _)| Cell::Text(&f.id)));
                values.push(n.map_or(Cell::Null, |(f, _)| Cell::Text(&f.name)));
                if group.is_none() {
                    values.push(n.map_or(Cell::Null, |(f, _)| Cell::Text(f.category.as_str())));
                }
                values.push(n.map_or(Cell::Null, |(_, d)| metres(d)));
            }
        }
        emit(&values, Geometry::Point(Point(p)))
    }
}
