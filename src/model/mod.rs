//! Plain typed data, always in the working metric CRS (Lambert-93 unless told otherwise).
//!
//! Readers (`io`) build these from files; analyses take them; writers turn results back into
//! files. Nothing here does I/O.

mod attributes;
mod cell_id;
mod facility;
mod grid;
pub mod short_copy;
pub mod text;
mod zone;

pub use attributes::{AttrValue, Attributes};
pub use cell_id::CanonicalId;
pub use facility::{Category, Facility};
pub use grid::{CellView, GridCell, GridSource, GridValues};
pub use zone::Zone;
