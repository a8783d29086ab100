//! Readers: files (GeoJSON, any GDAL vector source, CSV tables, the Filosofi grid) into the
//! typed model, reprojected into the working metric CRS at the door.

pub mod table;
