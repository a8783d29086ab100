//! The one row sink of the crate: a producer hands it each row as the input row's cells, the
//! cells it adds and an optional geometry; the sink keeps the `--select`ed columns and writes
//! CSV (plain or Excel-FR), JSON, GeoJSON (streamed), GeoPackage (streamed in transactions),
//! or a table / Markdown (collected), through the atomic writer ([`super::atomic`]).
//! [`super::csv_stream`] is its chunked CSV specialisation for tens of millions of points; it
//! writes the same bytes.
//!
//! # Examples
//!
//! ```
//! use qpv::crs::Crs;
//! use qpv::output::csv_style::CsvStyle;
//! use qpv::output::sink::{Cell, Sink};
//! use qpv::output::{ColumnSelection, OutputFormat};
//! let columns = vec!["id".to_string(), "code_qp".into(), "distance_m".into()];
//! let select = ColumnSelection::new(&columns, &["distance_m".into(), "id".into()]).unwrap();
//! let mut bytes = Vec::new();
//! let mut sink = Sink::new(OutputFormat::Csv, &mut bytes, select, "points", Crs::LAMBERT93, CsvStyle::Plain).unwrap();
//! let added = [Cell::Text("QN09001I"), Cell::Number(12.5)];
//! let mut values = vec![serde_json::json!("p1")];
//! values.extend(added.iter().map(|c| c.to_value()));
//! sink.write(values, None).unwrap();
//! sink.finish(Default::default(), "points", Crs::LAMBERT93).unwrap();
//! assert_eq!(String::from_utf8(bytes).unwrap(), "distance_m,id\n12.5,p1\n");
//! ```

use std::io::Write;
use std::path::Path;

use geo::Geometry;
use serde_json::{Map, Value, json};

use super::csv_style::CsvStyle;
use super::gdal_formats::{LayerStream, gdal_writers};
use super::geojson::GeoJsonWriter;
use super::qgis_style::LayerStyle;
use super::{ColumnSelection, GeoFeature, GeoLayer, OutputFormat, Table};
use crate::crs::Crs;

/// Appends `wanted` to `headers`, prefixing `qpv_` to any name already taken.
pub fn append_columns(headers: &[String], wanted: &[String]) -> Vec<String> {
    let mut all = headers.to_vec();
    for name in wanted {
        let mut name = name.clone();
        while all.contains(&name) {
            name = format!("qpv_{name}");
        }
        all.push(name);
    }
    all
}

/// Writes rows as they come (CSV, JSON, GeoJSON) or collects them (table, Markdown, GeoPackage),
/// keeping the `--select`ed columns.
pub struct Sink<'w> {
    sink: Target<'w>,
    select: ColumnSelection,
}

/// Where [`Sink`] puts the rows.
enum Target<'w> {
    /// CSV, streamed.
    Csv(Box<csv::Writer<&'w mut dyn Write>>, CsvStyle),
    /// JSON `{"points": [...], ...}`, streamed.
    Json {
        /// Destination.
        w: &'w mut dyn Write,
        /// Column names.
        columns: Vec<String>,
        /// Rows written so far.
        count: u64,
    },
    /// GeoJSON features, streamed.
    Geojson(GeoJsonWriter<&'w mut dyn Write>, Vec<String>),
    /// Collected rows and features.
    Collect(Table, Vec<GeoFeature>),
    /// GeoPackage features, streamed in bounded transactions.
    Gpkg(Box<dyn LayerStream>, Vec<String>),
}

/// An I/O error of the output.
pub fn io_err(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::io("<output>", e)
}

impl<'w> Sink<'w> {
    /// A writer for `format` (Gpkg and Markdown collect) of the columns `select` keeps.
    pub fn new(
        format: OutputFormat,
        w: &'w mut dyn Write,
        select: ColumnSelection,
        layer: &str,
        crs: Crs,
        style: CsvStyle,
    ) -> crate::error::Result<Self> {
        let columns = select.columns().to_vec();
        let sink = match format {
            OutputFormat::Csv => {
                let mut csv = style.writer(w)?;
                csv.write_record(&columns)
                    .map_err(|e| crate::error::Error::Internal(format!("writing CSV: {e}")))?;
                Target::Csv(Box::new(csv), style)
            }
            OutputFormat::Json => {
                w.write_all(b"{\"points\": [").map_err(io_err)?;
                Target::Json {
                    w,
                    columns,
                    count: 0,
                }
            }
            OutputFormat::Geojson => Target::Geojson(GeoJsonWriter::new(w, layer, crs)?, columns),
            _ => Target::Collect(Table::new(columns), Vec::new()),
        };
        Ok(Sink { sink, select })
    }

    /// A writer that streams the rows into a GeoPackage layer.
    fn gpkg(
        path: &Path,
        select: ColumnSelection,
        layer: &str,
        crs: Crs,
    ) -> crate::error::Result<Self> {
        let mut gpkg = (gdal_writers(path)?.create_gpkg)(path)?;
        gpkg.begin_layer(layer, crs, LayerStyle::for_layer_name(layer))?;
        Ok(Sink {
            sink: Target::Gpkg(gpkg, select.columns().to_vec()),
            select,
        })
    }

    /// Writes one row (values in the order of every available column) with its geometry.
    pub fn write(
        &mut self,
        values: Vec<Value>,
        geometry: Option<Geometry<f64>>,
    ) -> crate::error::Result<()> {
        let values = self.select.apply(values);
        match &mut self.sink {
            Target::Csv(csv, style) => write_csv_values(csv, &values, *style),
            Target::Json { w, columns, count } => {
                let object: Map<String, Value> = columns.iter().cloned().zip(values).collect();
                let text = serde_json::to_string(&object)
                    .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
                let sep = if *count == 0 { "\n" } else { ",\n" };
                *count += 1;
                w.write_all(format!("{sep}{text}").as_bytes())
                    .map_err(io_err)
            }
            Target::Geojson(writer, columns) => {
                let properties: Map<String, Value> = columns.iter().cloned().zip(values).collect();
                writer.write_feature(geometry.as_ref(), &properties)
            }
            Target::Gpkg(gpkg, columns) => gpkg.write(GeoFeature {
                geometry,
                properties: columns.iter().cloned().zip(values).collect(),
            }),
            Target::Collect(table, features) => {
                features.push(GeoFeature {
                    geometry,
                    properties: table
                        .columns
                        .iter()
                        .cloned()
                        .zip(values.iter().cloned())
                        .collect(),
                });
                table.push(values);
                Ok(())
            }
        }
    }

    /// Ends the output; `extra` fields are added to the JSON object (e.g. a summary). Returns
    /// the collected table and layer for the formats that collect.
    pub fn finish(
        self,
        extra: Map<String, Value>,
        layer: &str,
        crs: Crs,
    ) -> crate::error::Result<Option<(Table, GeoLayer)>> {
        match self.sink {
            Target::Csv(mut csv, _) => {
                csv.flush().map_err(io_err)?;
                Ok(None)
            }
            Target::Json { w, .. } => {
                let mut tail = String::from("\n]");
                for (k, v) in extra {
                    let v = serde_json::to_string_pretty(&v)
                        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
                    tail.push_str(&format!(",\n{}: {v}", Value::String(k)));
                }
                tail.push_str("}\n");
                w.write_all(tail.as_bytes()).map_err(io_err)?;
                Ok(None)
            }
            Target::Geojson(writer, _) => {
                writer.finish()?;
                Ok(None)
            }
            Target::Gpkg(gpkg, _) => {
                gpkg.finish()?;
                Ok(None)
            }
            Target::Collect(table, features) => Ok(Some((
                table,
                GeoLayer {
                    name: layer.into(),
                    crs,
                    style: LayerStyle::for_layer_name(layer),
                    features,
                },
            ))),
        }
    }
}

/// Writes one row of values as CSV cells (strings as they are, numbers as JSON spells them,
/// null as an empty cell).
fn write_csv_values<W: Write>(
    csv: &mut csv::Writer<W>,
    values: &[Value],
    style: CsvStyle,
) -> crate::error::Result<()> {
    csv.write_record(values.iter().map(|v| style.cell(v)))
        .map_err(|e| crate::error::Error::Internal(format!("writing CSV: {e}")))
}

/// One output cell, borrowed where it can be: the fast CSV path encodes it directly, the other
/// formats take [`Cell::to_value`]; both give the same text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Empty cell (JSON null).
    Null,
    /// Text.
    Text(&'a str),
    /// A number, spelt as JSON spells it (non-finite: null).
    Number(f64),
    /// A count or rank.
    Int(u64),
    /// True or false (CSV `true` / `false`).
    Bool(bool),
}

impl Cell<'_> {
    /// The JSON value of the cell.
    pub fn to_value(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(s) => Value::String(s.to_string()),
            Cell::Number(x) => json!(x),
            Cell::Int(i) => json!(i),
            Cell::Bool(b) => json!(b),
        }
    }
}

/// The error the streamed CSV writer gives for a row whose length differs from the header's.
pub(crate) fn unequal_length_error(columns: &[String], values: &[Value]) -> crate::error::Error {
    let mut csv = csv::Writer::from_writer(std::io::sink());
    if let Err(e) = csv.write_record(columns) {
        return crate::error::Error::Internal(format!("writing CSV: {e}"));
    }
    match write_csv_values(&mut csv, values, CsvStyle::Plain) {
        Err(e) => e,
        Ok(()) => crate::error::Error::Internal("writing CSV: a row of unexpected length".into()),
    }
}

/// Streams `fill` into the output: through `write_atomic` for text formats, or collected and
/// written as a GeoPackage, keeping the columns `select` keeps. `fill` gets a writer and
/// returns the extra JSON fields.
pub fn write_rows(
    output: Option<&Path>,
    format: OutputFormat,
    select: ColumnSelection,
    layer: &str,
    crs: Crs,
    style: CsvStyle,
    fill: impl FnOnce(&mut Sink) -> crate::error::Result<Map<String, Value>>,
) -> crate::error::Result<()> {
    let path = output.unwrap_or(Path::new("-"));
    if format == OutputFormat::Gpkg {
        if path == Path::new("-") {
            return Err(crate::error::Error::usage(
                "a GeoPackage cannot be written to standard output",
                "give -o FILE.gpkg",
            ));
        }
        let mut rows = Sink::gpkg(path, select, layer, crs)?;
        let extra = fill(&mut rows)?;
        rows.finish(extra, layer, crs)?;
        return Ok(());
    }
    super::atomic::write_atomic(path, |w| {
        let mut rows = Sink::new(format, w, select, layer, crs, style)?;
        let extra = fill(&mut rows)?;
        if let Some((table, _)) = rows.finish(extra, layer, crs)? {
            match format {
                OutputFormat::Markdown => table.write_markdown(w)?,
                _ => table.write_text(w)?,
            }
        }
        Ok(())
    })
}

/// A text cell as a JSON value.
pub fn text(s: &str) -> Value {
    Value::String(s.to_string())
}
