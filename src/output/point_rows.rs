//! The one writer of the point commands (`locate`, `nearest`): each input point's fields
//! followed by the cells a [`PointRows`] producer adds, in every format. A CSV of points
//! written as plain CSV takes the chunked fast path ([`super::csv_stream`]); every other
//! combination goes through the row [`super::sink`]. Both write the same bytes.
//!
//! # Examples
//!
//! ```
//! use geo::{Coord, Geometry, Point};
//! use qpv::analysis::batch::NoProgress;
//! use qpv::crs::Crs;
//! use qpv::io::points::{PointOptions, PointReader};
//! use qpv::io::table::{TableOptions, TableReader};
//! use qpv::output::point_rows::{PointRows, RowOutput, write_point_rows};
//! use qpv::output::sink::Cell;
//! use qpv::output::{ColumnSelection, OutputFormat};
//!
//! /// Adds the point's x rounded to the metre.
//! struct Easting;
//! impl PointRows for Easting {
//!     type Found = f64;
//!     fn layer_name(&self) -> &'static str { "eastings" }
//!     fn columns(&self) -> Vec<String> { vec!["easting".into()] }
//!     fn search(&self, p: Coord<f64>) -> f64 { p.x.round() }
//!     fn rows(&self, p: Coord<f64>, x: &f64, emit: &mut qpv::output::point_rows::EmitRow) -> qpv::Result<()> {
//!         emit(&[Cell::Number(*x)], Geometry::Point(Point(p)))
//!     }
//! }
//! let dir = tempfile::tempdir().unwrap();
//! let (input, output) = (dir.path().join("p.csv"), dir.path().join("o.json"));
//! std::fs::write(&input, "id,x,y\na,1000.4,6700000\n").unwrap();
//! let options = PointOptions { source_crs: Some(Crs::LAMBERT93), ..PointOptions::default() };
//! let mut reader = PointReader::open(&input, &options, Crs::LAMBERT93).unwrap();
//! let columns = qpv::output::sink::append_columns(reader.headers(), &Easting.columns());
//! let select = ColumnSelection::new(&columns, &[]).unwrap();
//! let out = RowOutput { path: Some(&output), format: OutputFormat::Json, csv_style: Default::default(), crs: Crs::LAMBERT93 };
//! let mut count = 0;
//! write_point_rows(&mut reader, &Easting, select, &out, &mut NoProgress, &mut count, |n, _| *n += 1, |_| Default::default()).unwrap();
//! assert_eq!(count, 1);
//! assert!(std::fs::read_to_string(&output).unwrap().contains(r#""easting":1000.0"#));
//! ```

use std::path::Path;

use geo::{Coord, Geometry};
use serde_json::{Map, Value};

use super::csv_stream::stream_csv_points;
use super::csv_style::CsvStyle;
use super::sink::{Cell, write_rows};
use super::{ColumnSelection, OutputFormat};
use crate::analysis::batch::{DEFAULT_CHUNK, Progress, for_each_ordered};
use crate::crs::Crs;
use crate::error::Result;
use crate::io::points::PointReader;

/// Receives one output row: the cells added after the input fields, and its geometry.
pub type EmitRow<'a> = dyn FnMut(&[Cell], Geometry<f64>) -> Result<()> + 'a;

/// What a point command adds to each input point: its columns, once, and their cells.
pub trait PointRows: Sync {
    /// What the search finds for one point.
    type Found: Send;
    /// The name of the layer the rows form (GeoJSON, GeoPackage).
    fn layer_name(&self) -> &'static str;
    /// The added columns, in order.
    fn columns(&self) -> Vec<String>;
    /// The search for one point (run on worker threads).
    fn search(&self, p: Coord<f64>) -> Self::Found;
    /// Hands `emit` the added cells of the row(s) of point `p` and their geometry.
    fn rows(&self, p: Coord<f64>, found: &Self::Found, emit: &mut EmitRow) -> Result<()>;
    /// True when the search reads much index data per point: points are then searched in
    /// spatial order within a chunk on the fast path (same results, fewer cache misses).
    fn spatial_order(&self) -> bool {
        false
    }
}

/// Where and how the rows are written.
#[derive(Debug, Clone, Copy)]
pub struct RowOutput<'a> {
    /// The output file (`None` or `-`: standard output).
    pub path: Option<&'a Path>,
    /// The format.
    pub format: OutputFormat,
    /// The CSV dialect.
    pub csv_style: CsvStyle,
    /// The working CRS (GeoJSON is written in WGS84 from it).
    pub crs: Crs,
}

/// Writes a row per point of `reader` (input fields, then `producer`'s cells), keeping the
/// columns `select` keeps. `consume` gets each point's search result on the calling thread,
/// in input order, with `state` (counts, summaries); `extra` makes from the final `state` the
/// fields added to a JSON output. Returns the rows skipped for lack of coordinates.
#[allow(clippy::too_many_arguments)]
pub fn write_point_rows<P: PointRows, S>(
    reader: &mut PointReader,
    producer: &P,
    select: ColumnSelection,
    out: &RowOutput,
    progress: &mut dyn Progress,
    state: &mut S,
    mut consume: impl FnMut(&mut S, P::Found),
    extra: impl FnOnce(&S) -> Map<String, Value>,
) -> Result<u64> {
    if out.format == OutputFormat::Csv
        && out.csv_style == CsvStyle::Plain
        && let Some((raw, parser)) = reader.raw_csv()
    {
        return stream_csv_points(
            out.path,
            &select,
            raw,
            &parser,
            progress,
            producer.spatial_order(),
            |p| producer.search(p),
            |p, found, emit| {
                // Emitting into the encoder cannot fail (it keeps its own error).
                let _ = producer.rows(p, found, &mut |cells, _| {
                    emit(cells);
                    Ok(())
                });
            },
            |found| consume(state, found),
        );
    }
    let (format, crs, style) = (out.format, out.crs, out.csv_style);
    write_rows(
        out.path,
        format,
        select,
        producer.layer_name(),
        crs,
        style,
        |rows| {
            let points = (&mut *reader).map(|r| r.map(|row| (row.fields, row.point)));
            for_each_ordered(
                points,
                DEFAULT_CHUNK,
                |(_, p): &(Vec<String>, Coord<f64>)| producer.search(*p),
                |(fields, p), found| {
                    producer.rows(p, &found, &mut |added, geometry| {
                        let mut values: Vec<Value> =
                            fields.iter().cloned().map(Value::String).collect();
                        values.extend(added.iter().map(|c| c.to_value()));
                        rows.write(values, Some(geometry))
                    })?;
                    consume(state, found);
                    Ok(())
                },
                progress,
            )?;
            Ok(extra(state))
        },
    )?;
    Ok(0)
}
