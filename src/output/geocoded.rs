//! The geocoding columns as outputs spell them: `qpv geocode` and `qpv locate --addresses`
//! append [`GEOCODING_COLUMNS`] with these values, the same for the same address. Numbers follow
//! the crate's one rule ([`super::number`]): `lon`, `lat` to 7 decimals (about 1 cm), `x`, `y`
//! and `uncertainty_m` to the cm, `score` to 2 decimals; JSON numbers in JSON-like outputs and
//! spelt as JSON writes them in CSV (shortest form: `6.849653`, `1.0`); empty values are null
//! (empty in CSV).
//!
//! # Examples
//!
//! ```
//! use qpv::crs::Crs;
//! use qpv::geocode::columns::GEOCODING_COLUMNS;
//! use qpv::geocode::{AddressIndex, AddressQuery};
//! use qpv::output::geocoded::geocoding_texts;
//! let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
//! let g = index.geocode(&AddressQuery::text("12 r. Danton 90000 BELFORT"));
//! let texts = geocoding_texts(&g);
//! assert_eq!(texts.len(), GEOCODING_COLUMNS.len());
//! assert_eq!(texts[..6], ["6.849653", "47.625266", "989020.92", "6732033.77", "housenumber", "1.0"]);
//! ```

use std::io::Write;
use std::path::Path;

use geo::{Geometry, Point};
use serde_json::{Map, Value};

use super::atomic::write_atomic;
use super::csv_style::CsvStyle;
use super::number::{json as rounded, json_opt};
use super::point_rows::RowOutput;
use super::sink::write_rows;
use super::table::cell_text;
use super::{ColumnSelection, OutputFormat};
use crate::error::{Error, Result};
use crate::geocode::batch::{AddressRows, ColumnNames, Summary, for_each_geocoded, output_header};
use crate::geocode::columns::GEOCODING_COLUMNS;
use crate::geocode::{AddressIndex, Geocoded};
use crate::io::table::TableReader;

/// The values of [`GEOCODING_COLUMNS`] for one answer.
pub fn geocoding_values(g: &Geocoded) -> Vec<Value> {
    let pair = |c: Option<geo::Coord<f64>>, d: i32| {
        c.map_or([Value::Null, Value::Null], |c| {
            [rounded(c.x, d), rounded(c.y, d)]
        })
    };
    let mut values = Vec::with_capacity(GEOCODING_COLUMNS.len());
    values.extend(pair(g.lonlat, 7));
    values.extend(pair(g.point, 2));
    values.push(Value::String(g.precision.as_str().to_string()));
    values.push(rounded(g.score, 2));
    values.push(json_opt(g.uncertainty_m, 2));
    values.push(Value::Bool(g.corrected));
    values.push(Value::String(g.label.clone()));
    values.push(Value::String(g.reason.clone()));
    values
}

/// [`geocoding_values`] as CSV cells ([`cell_text`]).
pub fn geocoding_texts(g: &Geocoded) -> Vec<String> {
    geocoding_values(g).iter().map(cell_text).collect()
}

/// Geocodes every row of `reader` and writes a CSV (`,`, UTF-8): the input columns unchanged,
/// then the [`GEOCODING_COLUMNS`] as [`geocoding_texts`] spells them. An input column already
/// named like one of these gets the appended one prefixed with `geocode_`.
pub fn write_csv(
    index: &AddressIndex,
    reader: TableReader,
    names: &ColumnNames,
    out: &mut dyn Write,
) -> Result<Summary> {
    let rows = AddressRows::new(reader, names)?;
    let mut writer = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| Error::Internal(format!("writing CSV: {e}"));
    writer
        .write_record(output_header(rows.headers()))
        .map_err(csv_err)?;
    let summary = for_each_geocoded(index, rows, |mut fields, g| {
        fields.extend(geocoding_texts(g));
        writer.write_record(&fields).map_err(csv_err)
    })?;
    writer
        .flush()
        .map_err(|e| Error::Internal(format!("writing CSV: {e}")))?;
    Ok(summary)
}

/// Geocodes every row of `reader` and writes the input columns followed by the
/// [`GEOCODING_COLUMNS`] to `out` in its format: plain CSV through [`write_csv`], the other
/// formats through the row sink (the geocoded position as the row's point).
pub fn write_geocoded(
    index: &AddressIndex,
    reader: TableReader,
    names: &ColumnNames,
    out: &RowOutput,
) -> Result<Summary> {
    if out.format == OutputFormat::Csv && out.csv_style == CsvStyle::Plain {
        let mut summary = Summary::default();
        write_atomic(out.path.unwrap_or(Path::new("-")), |w| {
            summary = write_csv(index, reader, names, w)?;
            Ok(())
        })?;
        return Ok(summary);
    }
    let rows = AddressRows::new(reader, names)?;
    let columns = output_header(rows.headers());
    let select = ColumnSelection::all(&columns);
    let mut summary = Summary::default();
    let (format, crs, style) = (out.format, out.crs, out.csv_style);
    write_rows(
        out.path,
        format,
        select,
        "geocoded_addresses",
        crs,
        style,
        |sink| {
            summary = for_each_geocoded(index, rows, |fields, g| {
                let mut values: Vec<Value> = fields.into_iter().map(Value::String).collect();
                values.extend(geocoding_values(g));
                sink.write(values, g.point.map(|p| Geometry::Point(Point(p))))
            })?;
            Ok(Map::new())
        },
    )?;
    Ok(summary)
}
