//! `qpv locate`: for each input point, the QPV containing it, its signed distance to the nearest
//! QPV boundary and a status inside / near / outside; plus the point input options and the
//! streaming row writer shared with `nearest`.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use geo::{Coord, Geometry, Point};
use serde_json::{Map, Value, json};

use qpv::analysis::batch::Progress;
use qpv::analysis::locate::{DEFAULT_TOLERANCE_M, LocateSummary, locate_stream};
use qpv::crs::Crs;
use qpv::index::ZoneIndex;
use qpv::io::points::{PointOptions, PointReader};
use qpv::output::geojson::GeoJsonWriter;
use qpv::output::table::cell_text;
use qpv::output::{GeoFeature, GeoLayer, OutputFormat, Table};

use super::coverage::{ZoneInput, check_distance};
use super::{GlobalArgs, OutputArgs};

/// Where the points come from.
#[derive(Debug, Args)]
pub struct PointInput {
    /// Points: CSV with coordinate columns (lon/lat, x/y... detected), or a point layer
    /// (GeoJSON, GeoPackage, Shapefile...).
    #[arg(value_name = "POINTS")]
    pub points: PathBuf,
    /// Column of x / longitude (default: detected).
    #[arg(long, value_name = "NAME")]
    pub x_column: Option<String>,
    /// Column of y / latitude (default: detected).
    #[arg(long, value_name = "NAME")]
    pub y_column: Option<String>,
    /// CRS of the coordinates when the file does not say (default: WGS84 for lon/lat columns,
    /// the working CRS for x/y).
    #[arg(long, value_name = "EPSG:CODE")]
    pub source_crs: Option<String>,
    /// Skip (and count) rows whose coordinates are both empty, e.g. addresses that could not be
    /// geocoded, instead of stopping at the first one.
    #[arg(long)]
    pub skip_empty: bool,
    /// Column names for a CSV without header line (e.g. BANO:
    /// `id,numero,voie,code_post,nom_comm,source,lat,lon`).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Layer of a multi-layer file.
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
}

impl PointInput {
    /// Opens the streaming reader.
    pub fn open(&self, crs: Crs) -> qpv::Result<PointReader> {
        let mut options = PointOptions {
            x_column: self.x_column.clone(),
            y_column: self.y_column.clone(),
            layer: self.layer.clone(),
            skip_empty: self.skip_empty,
            ..PointOptions::default()
        };
        if let Some(c) = &self.source_crs {
            options.source_crs = Some(Crs::parse(c)?);
        }
        if !self.columns.is_empty() {
            options.table.headers = Some(self.columns.clone());
        }
        PointReader::open(&self.points, &options, crs)
    }
}

/// Arguments of `qpv locate`.
#[derive(Debug, Args)]
pub struct LocateArgs {
    #[command(flatten)]
    pub input: PointInput,
    #[command(flatten)]
    pub zones: ZoneInput,
    /// Distance to a boundary (metres, either side) under which the status is `near`.
    #[arg(long, value_name = "M", default_value_t = DEFAULT_TOLERANCE_M, allow_negative_numbers = true)]
    pub tolerance: f64,
    #[command(flatten)]
    pub output: OutputArgs,
}

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

/// Writes rows as they come (CSV, JSON, GeoJSON) or collects them (table, Markdown, GeoPackage).
pub enum RowWriter<'w> {
    /// CSV, streamed.
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
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
}

fn io_err(e: std::io::Error) -> qpv::Error {
    qpv::Error::io("<output>", e)
}

impl<'w> RowWriter<'w> {
    /// A writer for `format` (Gpkg and Markdown collect).
    pub fn new(
        format: OutputFormat,
        w: &'w mut dyn Write,
        columns: Vec<String>,
        layer: &str,
        crs: Crs,
    ) -> qpv::Result<Self> {
        Ok(match format {
            OutputFormat::Csv => {
                let mut csv = csv::Writer::from_writer(w);
                csv.write_record(&columns)
                    .map_err(|e| qpv::Error::Internal(format!("writing CSV: {e}")))?;
                RowWriter::Csv(Box::new(csv))
            }
            OutputFormat::Json => {
                w.write_all(b"{\"points\": [").map_err(io_err)?;
                RowWriter::Json {
                    w,
                    columns,
                    count: 0,
                }
            }
            OutputFormat::Geojson => {
                RowWriter::Geojson(GeoJsonWriter::new(w, layer, crs)?, columns)
            }
            _ => RowWriter::Collect(Table::new(columns), Vec::new()),
        })
    }

    /// Writes one row (values in column order) with its geometry.
    pub fn write(
        &mut self,
        values: Vec<Value>,
        geometry: Option<Geometry<f64>>,
    ) -> qpv::Result<()> {
        match self {
            RowWriter::Csv(csv) => csv
                .write_record(values.iter().map(|v| match v {
                    Value::String(s) => Cow::Borrowed(s.as_bytes()),
                    other => Cow::Owned(cell_text(other).into_bytes()),
                }))
                .map_err(|e| qpv::Error::Internal(format!("writing CSV: {e}"))),
            RowWriter::Json { w, columns, count } => {
                let object: Map<String, Value> = columns.iter().cloned().zip(values).collect();
                let text = serde_json::to_string(&object)
                    .map_err(|e| qpv::Error::Internal(e.to_string()))?;
                let sep = if *count == 0 { "\n" } else { ",\n" };
                *count += 1;
                w.write_all(format!("{sep}{text}").as_bytes())
                    .map_err(io_err)
            }
            RowWriter::Geojson(writer, columns) => {
                let properties: Map<String, Value> = columns.iter().cloned().zip(values).collect();
                writer.write_feature(geometry.as_ref(), &properties)
            }
            RowWriter::Collect(table, features) => {
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
    ) -> qpv::Result<Option<(Table, GeoLayer)>> {
        match self {
            RowWriter::Csv(mut csv) => {
                csv.flush().map_err(io_err)?;
                Ok(None)
            }
            RowWriter::Json { w, .. } => {
                let mut tail = String::from("\n]");
                for (k, v) in extra {
                    let v = serde_json::to_string_pretty(&v)
                        .map_err(|e| qpv::Error::Internal(e.to_string()))?;
                    tail.push_str(&format!(",\n{}: {v}", Value::String(k)));
                }
                tail.push_str("}\n");
                w.write_all(tail.as_bytes()).map_err(io_err)?;
                Ok(None)
            }
            RowWriter::Geojson(writer, _) => {
                writer.finish()?;
                Ok(None)
            }
            RowWriter::Collect(table, features) => Ok(Some((
                table,
                GeoLayer {
                    name: layer.into(),
                    crs,
                    features,
                },
            ))),
        }
    }
}

/// Streams `fill` into the output: through `write_atomic` for text formats, or collected and
/// written as a GeoPackage. `fill` gets a writer and returns the extra JSON fields.
pub fn stream_output(
    output: Option<&Path>,
    format: OutputFormat,
    columns: Vec<String>,
    layer: &str,
    crs: Crs,
    fill: impl FnOnce(&mut RowWriter) -> qpv::Result<Map<String, Value>>,
) -> qpv::Result<()> {
    let path = output.unwrap_or(Path::new("-"));
    if format == OutputFormat::Gpkg {
        if path == Path::new("-") {
            return Err(qpv::Error::usage(
                "a GeoPackage cannot be written to standard output",
                "give -o FILE.gpkg",
            ));
        }
        let mut rows = RowWriter::Collect(Table::new(columns), Vec::new());
        let extra = fill(&mut rows)?;
        if let Some((_, layer)) = rows.finish(extra, layer, crs)? {
            qpv::output::gpkg::write_gpkg(path, &[layer])?;
        }
        return Ok(());
    }
    qpv::output::atomic::write_atomic(path, |w| {
        let mut rows = RowWriter::new(format, w, columns, layer, crs)?;
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

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// Runs `qpv locate`.
pub fn run(args: &LocateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    check_distance(args.tolerance, "--tolerance")?;
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Csv,
    )?;
    if let Some(out) = args.output.output.as_deref() {
        let mut inputs = vec![args.input.points.clone()];
        inputs.extend(args.zones.qpv.clone());
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
    }
    let zones = args.zones.load(crs)?;
    let index = ZoneIndex::new(&zones);
    let mut reader = args.input.open(crs)?;
    let added = [
        "code_qp",
        "lib_qp",
        "signed_distance_m",
        "status",
        "nearest_code_qp",
    ]
    .map(String::from);
    let columns = append_columns(reader.headers(), &added);
    let mut progress = Progress::new("points", !global.quiet);
    let mut summary = LocateSummary::default();
    stream_output(
        args.output.output.as_deref(),
        format,
        columns,
        "located_points",
        crs,
        |rows| {
            let points = (&mut reader).map(|r| r.map(|row| (row.fields, row.point)));
            summary = locate_stream(
                &index,
                points,
                args.tolerance,
                |fields: Vec<String>, p: Coord<f64>, located| {
                    let mut values: Vec<Value> = fields.into_iter().map(Value::String).collect();
                    let zone = located.zone.map(|z| index.zone(z));
                    values.push(zone.map_or(Value::Null, |z| text(&z.code)));
                    values.push(zone.map_or(Value::Null, |z| text(&z.name)));
                    values.push(
                        located
                            .signed_distance_m
                            .map_or(Value::Null, |d| json!((d * 100.0).round() / 100.0 + 0.0)),
                    );
                    values.push(text(located.status.as_str()));
                    values.push(
                        located
                            .nearest_zone
                            .map_or(Value::Null, |z| text(&index.zone(z).code)),
                    );
                    rows.write(values, Some(Geometry::Point(Point(p))))
                },
                &mut progress,
            )?;
            let mut extra = Map::new();
            extra.insert("summary".into(), summary_json(&summary));
            Ok(extra)
        },
    )?;
    progress.finish();
    if !global.quiet {
        eprint!("{}", summary_text(&summary));
        if reader.skipped() > 0 {
            eprintln!("{} rows without coordinates skipped", reader.skipped());
        }
    }
    Ok(())
}

fn summary_json(s: &LocateSummary) -> Value {
    let pct = |n: u64| (s.percent(n) * 100.0).round() / 100.0;
    json!({
        "total": s.total,
        "inside": s.inside,
        "near": s.near,
        "outside": s.outside,
        "inside_pct": pct(s.inside),
        "near_pct": pct(s.near),
        "outside_pct": pct(s.outside),
        "in_a_zone": s.in_zone,
        "per_zone": s.per_zone.iter().map(|(code, c)| json!({
            "code_qp": code, "lib_qp": c.name, "inside": c.inside,
            "near_inside": c.near_inside, "near_outside": c.near_outside,
        })).collect::<Vec<_>>(),
    })
}

/// The summary for stderr.
fn summary_text(s: &LocateSummary) -> String {
    let mut out = format!(
        "located {} points: {} inside ({:.1} %), {} near a boundary ({:.1} %), {} outside ({:.1} %)\n",
        s.total,
        s.inside,
        s.percent(s.inside),
        s.near,
        s.percent(s.near),
        s.outside,
        s.percent(s.outside)
    );
    for (code, c) in &s.per_zone {
        out.push_str(&format!(
            "  {code} {}: {} inside, {} near inside, {} near outside\n",
            c.name, c.inside, c.near_inside, c.near_outside
        ));
    }
    out
}
