//! Spatial indexes, built once per run and then queried many times (never rebuilt per query):
//! facilities in R-trees and bucket grids ([`FacilityIndex`]); zones as bounding boxes in an
//! R-tree, a lazy grid of candidate zones per cell, and per-zone edge groups or edge R-trees
//! ([`ZoneIndex`], [`PreparedPolygon`]).

mod facilities;
mod point_grid;
mod polygon;
mod zone_cells;
mod zones;

pub use facilities::{FacilityIndex, IndexedFacility, Neighbour};
pub use polygon::{Position, PreparedPolygon};
pub use zones::{IndexedZone, ZoneHit, ZoneIndex};
