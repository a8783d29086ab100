//! Small geometric helpers shared by readers, analyses and writers.

mod map_coords;
pub mod validity;

pub use map_coords::try_map_coords;
