//! The output formats every data-writing command accepts.

use std::path::Path;

use crate::error::{Error, Result};

/// Output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned text table for a person.
    Table,
    /// CSV for spreadsheets (`,` separator, UTF-8, `.` decimals).
    Csv,
    /// JSON records.
    Json,
    /// GeoJSON FeatureCollection, RFC 7946 (WGS84 lon/lat, 7 decimals ≈ 1 cm).
    Geojson,
    /// OGC GeoPackage (through GDAL), in the working CRS.
    Gpkg,
    /// Markdown report.
    Markdown,
    /// Self-contained HTML page for people (`qpv perimeter test`; `qpv report` writes HTML
    /// by default).
    Html,
}

impl OutputFormat {
    /// True for the formats that write each row's geometry (GeoJSON, GeoPackage).
    pub fn has_geometry(self) -> bool {
        matches!(self, OutputFormat::Geojson | OutputFormat::Gpkg)
    }

    /// Refuses a GeoPackage to standard output (`None` or `-`): GDAL writes files by name.
    pub fn check_output(self, output: Option<&Path>) -> Result<()> {
        if self == OutputFormat::Gpkg && output.is_none_or(|p| p == Path::new("-")) {
            return Err(Error::usage(
                "a GeoPackage cannot be written to standard output",
                "give -o FILE.gpkg",
            ));
        }
        Ok(())
    }

    /// The format given, else the one implied by the output file's extension, else `default`
    /// (also for standard output `-` and for a device or FIFO such as `/dev/null`).
    pub fn resolve(
        given: Option<impl Into<OutputFormat>>,
        output: Option<&Path>,
        default: OutputFormat,
    ) -> Result<Self> {
        if let Some(f) = given {
            return Ok(f.into());
        }
        let Some(path) = output else {
            return Ok(default);
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        Ok(match ext.as_str() {
            "csv" => OutputFormat::Csv,
            "json" => OutputFormat::Json,
            "geojson" => OutputFormat::Geojson,
            "gpkg" => OutputFormat::Gpkg,
            "md" => OutputFormat::Markdown,
            "html" | "htm" => OutputFormat::Html,
            "txt" => OutputFormat::Table,
            "" if path == Path::new("-") || super::atomic::is_special(path) => default,
            _ => {
                return Err(Error::usage(
                    format!("cannot tell the output format of '{}'", path.display()),
                    "add --format table|csv|json|geojson|gpkg|markdown|html, or use one of these extensions",
                ));
            }
        })
    }
}
