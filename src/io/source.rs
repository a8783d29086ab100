//! What kind of file an input is (CSV table, GeoJSON, or anything GDAL reads) and the vector
//! reader for it.

use std::path::Path;

use crate::error::{Error, Location, Result};

use super::vector::VectorLayer;

/// The reader family for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Delimited text (`.csv`, `.txt`, `.tsv`).
    Csv,
    /// GeoJSON (`.geojson`, `.json`), read by this crate's own reader.
    GeoJson,
    /// Any other vector format, through GDAL (Shapefile, GeoPackage, FlatGeobuf, GML, KML...).
    Gdal,
}

/// Guesses the reader from the extension, then from the first bytes (`{` = GeoJSON).
pub fn detect(path: &Path) -> SourceKind {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" | "tsv" | "tab" => SourceKind::Csv,
        "geojson" | "json" => SourceKind::GeoJson,
        "" => {
            let mut head = [0u8; 64];
            let n = std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
                .unwrap_or(0);
            let first = head[..n].iter().find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'{') {
                SourceKind::GeoJson
            } else {
                SourceKind::Csv
            }
        }
        _ => SourceKind::Gdal,
    }
}

/// Reads a vector file (GeoJSON or GDAL); `layer` picks a layer of a multi-layer source.
pub fn read_vector(path: &Path, layer: Option<&str>) -> Result<VectorLayer> {
    if path.is_dir() {
        return Err(Error::directory(path));
    }
    match detect(path) {
        SourceKind::GeoJson => super::geojson::read_geojson(path),
        SourceKind::Gdal => super::gdal_source::read_gdal(path, layer),
        SourceKind::Csv => Err(Error::input(
            path,
            Location::File,
            "this is a table, not a vector layer",
            "read it as points (CSV with coordinate columns)",
        )),
    }
}
