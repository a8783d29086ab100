//! Any vector source GDAL can open (Shapefile, GeoPackage, FlatGeobuf, GML, KML...).

use std::path::Path;

use crate::error::{Error, Location, Result};

use super::vector::VectorLayer;

/// Reads one layer of a GDAL vector source (`layer` by name, else the only/first layer).
pub fn read_gdal(path: &Path, _layer: Option<&str>) -> Result<VectorLayer> {
    Err(Error::input(
        path,
        Location::File,
        "GDAL sources are not supported yet",
        "convert the file to GeoJSON",
    ))
}
