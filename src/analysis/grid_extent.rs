//! Restricting grid cells to an area: the cells whose centre lies in one of some zones (e.g.
//! the 52 communes of Grand Belfort, out of an extract whose box also takes in neighbours).

use crate::index::ZoneIndex;
use crate::model::GridCell;

/// The cells whose centre ([`GridCell::centre`]) lies in one of the zones, boundary included,
/// in their input order.
///
/// # Assumptions
/// Cells and zones in the same metric CRS.
///
/// # Examples
/// ```
/// use qpv::analysis::grid_extent::restrict_to_zones;
/// use qpv::crs::Crs;
/// use qpv::index::ZoneIndex;
/// use qpv::io::embedded::{GridYear, communes, grid};
/// let cells = grid(GridYear::Y2019, Crs::LAMBERT93).unwrap();
/// let communes = ZoneIndex::new(&communes(Crs::LAMBERT93).unwrap());
/// let inside = restrict_to_zones(cells, &communes);
/// assert!(inside.len() < 3490);
/// ```
///
/// # Performance
/// One R-tree lookup and a point-in-polygon test per cell.
pub fn restrict_to_zones(mut cells: Vec<GridCell>, zones: &ZoneIndex) -> Vec<GridCell> {
    cells.retain(|c| zones.containing(c.centre()).is_some());
    cells
}
