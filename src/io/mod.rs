//! Readers: files (GeoJSON, any GDAL vector source, CSV tables, the Filosofi grid) into the
//! typed model, reprojected into the working metric CRS at the door.

pub mod check;
pub mod describe;
pub mod embedded;
pub mod facilities;
pub mod gdal_readers;
pub mod gdal_source;
pub mod geojson;
pub mod grid;
pub mod grid_key;
pub mod line_limit;
pub mod plain_blocks;
pub mod points;
pub mod problems;
pub mod row_batches;
pub mod source;
pub mod table;
pub mod vector;
pub mod zones;

pub use facilities::{CategorySource, FacilityFields, read_facilities};
pub use grid::read_grid;
pub use points::{PointOptions, PointReader, PointRow};
pub use vector::{Field, FieldKind, VectorFeature, VectorLayer};
pub use zones::{ZoneFields, read_zones};
