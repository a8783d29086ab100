//! One result, several views: the command builds a table, a JSON value and geometry layers once,
//! and the chosen `--format` picks the view.

use std::path::Path;

use serde_json::Value;

use super::atomic::write_atomic;
use super::csv_style::CsvStyle;
use super::layer::GeoLayer;
use super::table::Table;
use super::{OutputFormat, geojson};
use crate::error::{Error, Result};

/// The views of one result.
#[derive(Debug, Clone, Default)]
pub struct Views {
    /// Rows for table, CSV and Markdown.
    pub table: Table,
    /// Records for JSON (often richer than the table: nested lists).
    pub json: Value,
    /// Geometry layers for GeoJSON (the first one) and GeoPackage (all of them).
    pub layers: Vec<GeoLayer>,
    /// Free text printed above a Markdown table (title, notes); optional.
    pub markdown_preamble: String,
    /// CSV dialect of the table's CSV view.
    pub csv_style: CsvStyle,
}

/// Writes `views` to `output` (standard output when `None` or `-`) in `format`.
pub fn write_views(output: Option<&Path>, format: OutputFormat, views: &Views) -> Result<()> {
    let path = output.unwrap_or(Path::new("-"));
    match format {
        OutputFormat::Gpkg => {
            format.check_output(Some(path))?;
            if views.layers.is_empty() {
                return Err(no_geometry());
            }
            (super::gdal_formats::gdal_writers(path)?.write_gpkg)(path, &views.layers)
        }
        OutputFormat::Geojson => {
            let layer = views.layers.first().ok_or_else(no_geometry)?;
            write_atomic(path, |w| geojson::write_layer(w, layer))
        }
        OutputFormat::Json => write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, &views.json)
                .map_err(|e| Error::Internal(format!("writing JSON: {e}")))?;
            w.write_all(b"\n").map_err(|e| Error::io(path, e))
        }),
        OutputFormat::Csv => {
            write_atomic(path, |w| views.table.write_csv_styled(w, views.csv_style))
        }
        OutputFormat::Table => write_atomic(path, |w| views.table.write_text(w)),
        OutputFormat::Html => Err(Error::usage(
            "this command has no HTML view",
            "use `qpv report` (coverage) or `qpv perimeter test --format html`, or choose \
             --format table, csv, json or markdown",
        )),
        OutputFormat::Markdown => write_atomic(path, |w| {
            w.write_all(views.markdown_preamble.as_bytes())
                .map_err(|e| Error::io(path, e))?;
            views.table.write_markdown(w)
        }),
    }
}

/// [`write_views`], with `note` (one line, e.g. what a comparison is measured against) above
/// the aligned text table; the other formats carry it in their own views.
pub fn write_views_noted(
    output: Option<&Path>,
    format: OutputFormat,
    views: &Views,
    note: &str,
) -> Result<()> {
    if format != OutputFormat::Table {
        return write_views(output, format, views);
    }
    let path = output.unwrap_or(Path::new("-"));
    write_atomic(path, |w| {
        writeln!(w, "{note}\n").map_err(|e| Error::io(path, e))?;
        views.table.write_text(w)
    })
}

fn no_geometry() -> Error {
    Error::usage(
        "this result has no geometry layer",
        "choose --format table, csv or json",
    )
}
