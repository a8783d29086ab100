//! `qpv locate`: for each input point, the QPV containing it, its signed distance to the nearest
//! QPV boundary and a status inside / near / outside; with `--addresses`, postal addresses are
//! geocoded first. Plus the point input options and the streaming row writer shared with
//! `nearest`.

use std::path::{Path, PathBuf};

use clap::Args;
use geo::{Coord, Geometry, Point};
use serde_json::{Map, Value, json};

use qpv::analysis::batch::Progress;
use qpv::analysis::locate::{
    DEFAULT_TOLERANCE_M, LocateOptions, LocateSummary, Located, ZoneCounts, locate_stream,
    locate_with,
};
use qpv::analysis::locate_addresses::{AddressSummary, locate_address_stream};
use qpv::crs::Crs;
use qpv::geocode::columns::GEOCODING_COLUMNS;
use qpv::geocode::{AddressRows, ReferenceFormat};
use qpv::index::ZoneIndex;
use qpv::io::points::{PointOptions, PointReader};
use qpv::io::table::{TableOptions, TableReader};
use qpv::output::csv_stream::stream_csv_points;
use qpv::output::csv_style::CsvStyle;
use qpv::output::geocoded::geocoding_values;
use qpv::output::sink::{Cell, append_columns, io_err, text, write_rows as stream_output};
use qpv::output::{ColumnSelection, OutputFormat};

use super::geocode::AddressArgs;
use super::layers::{ZoneInput, check_distance};
use super::{CsvStyleArgs, GlobalArgs, OutputArgs, SelectArgs};

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
    /// Opens the streaming reader; the points of a vector layer get `x` and `y` columns when
    /// the output `format` has no geometry.
    pub fn open(&self, crs: Crs, format: OutputFormat) -> qpv::Result<PointReader> {
        let mut options = PointOptions {
            x_column: self.x_column.clone(),
            y_column: self.y_column.clone(),
            layer: self.layer.clone(),
            skip_empty: self.skip_empty,
            layer_xy: !format.has_geometry(),
            ..PointOptions::default()
        };
        if let Some(c) = &self.source_crs {
            options.source_crs = Some(Crs::parse_known(c, "--source-crs")?);
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
    /// The input holds postal addresses, not coordinates: geocode each row offline (embedded
    /// BANO, or --reference) and locate it. Appends lon, lat, x, y, precision, score,
    /// uncertainty_m, matched, then the QPV columns, `needs_check` and `reason`. Rows that do
    /// not geocode get status `not_geocoded` with the reason; an `interpolated` or `street`
    /// position near a boundary, or within its uncertainty of one, gets `needs_check = true`.
    #[arg(long, conflicts_with_all = ["x_column", "y_column", "source_crs", "skip_empty", "layer"])]
    pub addresses: bool,
    #[command(flatten)]
    pub address: AddressArgs,
    #[command(flatten)]
    pub zones: ZoneInput,
    /// Distance to a boundary (metres, either side) under which the status is `near`.
    #[arg(long, value_name = "M", default_value_t = DEFAULT_TOLERANCE_M, allow_negative_numbers = true)]
    pub tolerance: f64,
    /// Measure the distance of points outside every QPV only up to this many metres (beyond:
    /// empty `signed_distance_m` and `nearest_code_qp`). Statuses are unchanged. Default: no
    /// limit. At national scale, where most points are kilometres from any QPV, this is most
    /// of the run time.
    #[arg(long, value_name = "M")]
    pub distance_limit: Option<f64>,
    /// Also write the summary to this file: counts per QPV as CSV, or the whole summary as
    /// JSON when the name ends in `.json` (stderr lists at most 20 QPV).
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub csv: CsvStyleArgs,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// The QPV columns of a located point.
const QPV_COLUMNS: [&str; 6] = [
    "code_qp",
    "in_qpv",
    "lib_qp",
    "signed_distance_m",
    "status",
    "nearest_code_qp",
];

/// The QPV values of a located point, in [`QPV_COLUMNS`] order.
fn qpv_values(index: &ZoneIndex, located: Option<&Located>, status: &str) -> [Value; 6] {
    qpv_cells(index, located, status).map(Cell::to_value)
}

/// The QPV cells of a located point, in [`QPV_COLUMNS`] order.
fn qpv_cells<'a>(
    index: &'a ZoneIndex,
    located: Option<&Located>,
    status: &'a str,
) -> [Cell<'a>; 6] {
    let zone = located.and_then(|l| l.zone).map(|z| index.zone(z));
    [
        zone.map_or(Cell::Null, |z| Cell::Text(&z.code)),
        located.map_or(Cell::Null, |_| Cell::Bool(zone.is_some())),
        zone.map_or(Cell::Null, |z| Cell::Text(&z.name)),
        located
            .and_then(|l| l.signed_distance_m)
            .map_or(Cell::Null, |d| {
                Cell::Number(qpv::output::number::round(d, 2))
            }),
        Cell::Text(status),
        located
            .and_then(|l| l.nearest_zone)
            .map_or(Cell::Null, |z| Cell::Text(&index.zone(z).code)),
    ]
}

/// Runs `qpv locate`.
pub fn run(args: &LocateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    check_distance(args.tolerance, "--tolerance")?;
    if let Some(limit) = args.distance_limit {
        check_distance(limit, "--distance-limit")?;
    }
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Csv,
    )?;
    let csv_style = args.csv.csv_style.for_format(format)?;
    if !args.addresses {
        check_no_address_options(&args.address)?;
    }
    let mut inputs = vec![args.input.points.clone()];
    inputs.extend(args.zones.qpv.clone());
    inputs.extend(args.address.reference.clone());
    if let Some(out) = args.output.output.as_deref() {
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
        // The summary must not overwrite the output either.
        inputs.push(out.to_path_buf());
    }
    if let Some(summary) = &args.summary
        && qpv::output::atomic::ensure_not_input(summary, &inputs).is_err()
    {
        return Err(qpv::Error::usage(
            format!(
                "the --summary file '{}' is also an input or the output: it would be destroyed",
                summary.display()
            ),
            "choose another --summary path",
        )
        .into());
    }
    let zones = args.zones.load(crs)?;
    let index = ZoneIndex::new(&zones);
    if args.addresses {
        return run_addresses(args, global, &index, format, crs);
    }
    let mut reader = args
        .input
        .open(crs, format)
        .map_err(|e| addresses_hint(e, &args.input))?;
    let columns = append_columns(reader.headers(), &QPV_COLUMNS.map(String::from));
    let select = ColumnSelection::new(&columns, &args.select.select)?;
    let mut progress = Progress::new("points", !global.quiet);
    let mut summary = LocateSummary::default();
    // Without the distance columns, distances matter only up to the tolerance (statuses).
    let added = &columns[reader.headers().len()..];
    let options = if select.keeps(&added[3]) || select.keeps(&added[5]) {
        LocateOptions {
            tolerance_m: args.tolerance,
            distance_limit_m: args.distance_limit,
            limit_inside: false,
        }
    } else {
        LocateOptions {
            tolerance_m: args.tolerance,
            distance_limit_m: Some(args.tolerance),
            limit_inside: true,
        }
    };
    let mut skipped = 0;
    if format == OutputFormat::Csv
        && csv_style == CsvStyle::Plain
        && let Some((raw, parser)) = reader.raw_csv()
    {
        skipped = stream_csv_points(
            args.output.output.as_deref(),
            &select,
            raw,
            &parser,
            &mut progress,
            true,
            |p| locate_with(&index, p, &options),
            |_, located, emit| {
                emit(&qpv_cells(&index, Some(located), located.status.as_str()));
            },
            |located| summary.add(&index, &located),
        )?;
    } else {
        stream_output(
            args.output.output.as_deref(),
            format,
            select,
            "located_points",
            crs,
            csv_style,
            |rows| {
                let points = (&mut reader).map(|r| r.map(|row| (row.fields, row.point)));
                summary = locate_stream(
                    &index,
                    points,
                    &options,
                    |fields: Vec<String>, p: Coord<f64>, located| {
                        let mut values: Vec<Value> =
                            fields.into_iter().map(Value::String).collect();
                        values.extend(qpv_values(&index, Some(located), located.status.as_str()));
                        rows.write(values, Some(Geometry::Point(Point(p))))
                    },
                    &mut progress,
                )?;
                let mut extra = Map::new();
                extra.insert("summary".into(), summary_json(&summary));
                Ok(extra)
            },
        )?;
    }
    progress.finish();
    if let Some(path) = &args.summary {
        write_summary(path, &summary, &summary_json(&summary))?;
    }
    if !global.quiet {
        eprint!("{}", summary_text(&summary));
        let skipped = skipped + reader.skipped();
        if skipped > 0 {
            eprintln!("{skipped} rows without coordinates skipped");
        }
    }
    Ok(())
}

/// Address options only make sense with --addresses.
fn check_no_address_options(a: &AddressArgs) -> qpv::Result<()> {
    let given = [
        (a.address_col.is_some(), "--address-column"),
        (a.number_col.is_some(), "--number-column"),
        (a.rep_col.is_some(), "--rep-column"),
        (a.street_col.is_some(), "--street-column"),
        (a.postcode_col.is_some(), "--postcode-column"),
        (a.commune_col.is_some(), "--commune-column"),
        (a.reference.is_some(), "--reference"),
        (
            a.reference_format != ReferenceFormat::Auto,
            "--reference-format",
        ),
    ];
    match given.iter().find(|(g, _)| *g) {
        Some((_, flag)) => Err(qpv::Error::usage(
            format!("{flag} applies to postal addresses"),
            "add --addresses to geocode the input's addresses before locating them",
        )),
        None => Ok(()),
    }
}

/// A CSV without coordinates but with address columns: say that --addresses exists.
fn addresses_hint(e: qpv::Error, input: &PointInput) -> qpv::Error {
    let qpv::Error::Input { message, .. } = &e else {
        return e;
    };
    if !message.contains("no coordinate columns") {
        return e;
    }
    let mut options = TableOptions::default();
    if !input.columns.is_empty() {
        options.headers = Some(input.columns.clone());
    }
    let has_addresses = TableReader::open(&input.points, &options)
        .and_then(|r| AddressRows::new(r, &Default::default()))
        .is_ok();
    if !has_addresses {
        return e;
    }
    qpv::Error::usage(
        format!(
            "{} has no coordinate columns but has postal addresses",
            input.points.display()
        ),
        "add --addresses to geocode them first (offline, embedded BANO or --reference)",
    )
}

/// `qpv locate --addresses`: geocode, then locate, row by row in input order.
fn run_addresses(
    args: &LocateArgs,
    global: &GlobalArgs,
    index: &ZoneIndex,
    format: OutputFormat,
    crs: Crs,
) -> anyhow::Result<()> {
    let csv_style = args.csv.csv_style.for_format(format)?;
    let addresses = args.address.index(global)?;
    let mut options = TableOptions::default();
    if !args.input.columns.is_empty() {
        options.headers = Some(args.input.columns.clone());
    }
    let reader = TableReader::open(&args.input.points, &options)?;
    let mut rows = AddressRows::new(reader, &args.address.column_names())?;
    let address_columns = rows.columns();
    let width = rows.headers().len();
    let added: Vec<String> = GEOCODING_COLUMNS
        .iter()
        .chain(QPV_COLUMNS.iter())
        .chain(["needs_check", "check_reason"].iter())
        .map(|c| c.to_string())
        .collect();
    let columns = append_columns(rows.headers(), &added);
    let mut progress = Progress::new("addresses", !global.quiet);
    let mut summary = AddressSummary::default();
    stream_output(
        args.output.output.as_deref(),
        format,
        ColumnSelection::new(&columns, &args.select.select)?,
        "located_addresses",
        crs,
        csv_style,
        |out| {
            summary = locate_address_stream(
                index,
                &addresses,
                &address_columns,
                &mut rows,
                args.tolerance,
                |row, a| {
                    let mut values: Vec<Value> = row
                        .fields
                        .iter()
                        .map(|f| Value::String(f.to_string()))
                        .collect();
                    values.resize(width, Value::String(String::new()));
                    values.extend(geocoding_values(&a.geocoded));
                    values.extend(qpv_values(index, a.located.as_ref(), a.status()));
                    values.push(Value::Bool(a.check.is_some()));
                    values.push(text(a.check.as_deref().unwrap_or_default()));
                    let geometry = a.point().map(|p| Geometry::Point(Point(p)));
                    out.write(values, geometry)
                },
                &mut progress,
            )?;
            let mut extra = Map::new();
            extra.insert(
                "summary".into(),
                address_summary_json(&summary, addresses.attribution()),
            );
            Ok(extra)
        },
    )?;
    progress.finish();
    if let Some(path) = &args.summary {
        let json = address_summary_json(&summary, addresses.attribution());
        write_summary(path, &summary.located, &json)?;
    }
    if !global.quiet {
        eprint!("{}", address_summary_text(&summary));
        eprintln!("  {}: {}", addresses.source(), addresses.attribution());
    }
    Ok(())
}

fn per_zone_json(s: &LocateSummary) -> Value {
    Value::Array(
        s.per_zone
            .iter()
            .map(|(code, c)| {
                json!({
                    "code_qp": code, "lib_qp": c.name, "inside": c.inside,
                    "near_inside": c.near_inside, "near_outside": c.near_outside,
                })
            })
            .collect(),
    )
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
        "per_zone": per_zone_json(s),
    })
}

fn address_summary_json(s: &AddressSummary, attribution: &str) -> Value {
    let pct = |n: u64| (s.percent(n) * 100.0).round() / 100.0;
    let l = &s.located;
    json!({
        "total": s.rows,
        "inside": l.inside,
        "near": l.near,
        "outside": l.outside,
        "not_geocoded": s.not_geocoded,
        "inside_pct": pct(l.inside),
        "near_pct": pct(l.near),
        "outside_pct": pct(l.outside),
        "not_geocoded_pct": pct(s.not_geocoded),
        "needs_check": s.needs_check,
        "in_a_zone": l.in_zone,
        "geocoding": s.precision,
        "geocoding_source": attribution,
        "per_zone": per_zone_json(l),
    })
}

/// QPV listed one per line in the stderr summary; at national scale the others are counted.
const PER_ZONE_LISTED: usize = 20;

/// One line per QPV with points in or near it, in code order; past [`PER_ZONE_LISTED`] QPV,
/// those with the most points, then a count of the others.
fn per_zone_text(s: &LocateSummary) -> String {
    let mut zones: Vec<(&String, &ZoneCounts)> = s.per_zone.iter().collect();
    let more = zones.len().saturating_sub(PER_ZONE_LISTED);
    if more > 0 {
        let points = |c: &ZoneCounts| c.inside + c.near_inside + c.near_outside;
        zones.sort_by(|a, b| points(b.1).cmp(&points(a.1)).then(a.0.cmp(b.0)));
        zones.truncate(PER_ZONE_LISTED);
        zones.sort_by(|a, b| a.0.cmp(b.0));
    }
    let mut out = String::new();
    for (code, c) in zones {
        out.push_str(&format!(
            "  {code} {}: {} inside, {} near inside, {} near outside\n",
            c.name, c.inside, c.near_inside, c.near_outside
        ));
    }
    if more > 0 {
        out.push_str(&format!(
            "  ... and {more} more QPV (the {PER_ZONE_LISTED} with the most points are listed; \
             all of them: --summary FILE.csv, or --format json)\n"
        ));
    }
    out
}

/// Writes the summary to `path`: per-QPV counts as CSV (`.csv`, or any other extension), or
/// the whole summary as JSON (`.json`), atomically.
fn write_summary(path: &Path, per_zone: &LocateSummary, json: &Value) -> qpv::Result<()> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    qpv::output::atomic::write_atomic(path, |w| {
        if is_json {
            let text = serde_json::to_string_pretty(json)
                .map_err(|e| qpv::Error::Internal(e.to_string()))?;
            return w.write_all(format!("{text}\n").as_bytes()).map_err(io_err);
        }
        let mut out = Vec::new();
        qpv::output::csv_record::push_record(
            &mut out,
            ["code_qp", "lib_qp", "inside", "near_inside", "near_outside"],
        );
        for (code, c) in &per_zone.per_zone {
            qpv::output::csv_record::push_record(
                &mut out,
                [
                    code.as_str(),
                    c.name.as_str(),
                    &c.inside.to_string(),
                    &c.near_inside.to_string(),
                    &c.near_outside.to_string(),
                ],
            );
        }
        w.write_all(&out).map_err(io_err)
    })
}

/// The summary for stderr: first how many points are in a QPV, then how many are near a
/// boundary on each side.
fn summary_text(s: &LocateSummary) -> String {
    format!(
        "located {} points: {} in a QPV ({:.1} %), {} not in a QPV ({:.1} %); {}\n{}",
        s.total,
        s.in_zone,
        s.percent(s.in_zone),
        s.total - s.in_zone,
        s.percent(s.total - s.in_zone),
        near_text(s),
        per_zone_text(s)
    )
}

/// "N near a boundary: A inside, B outside" (points within the tolerance, by side).
fn near_text(s: &LocateSummary) -> String {
    let near_inside = s.in_zone.saturating_sub(s.inside);
    format!(
        "{} near a boundary ({} inside, {} outside)",
        s.near,
        near_inside,
        s.near.saturating_sub(near_inside)
    )
}

/// The --addresses summary for stderr.
fn address_summary_text(s: &AddressSummary) -> String {
    let l = &s.located;
    let p = &s.precision;
    format!(
        "located {} addresses: {} in a QPV ({:.1} %), {} not in a QPV ({:.1} %), {} not \
         geocoded ({:.1} %); {}; {} to check (needs_check)\n  geocoding: {} \
         housenumber, {} interpolated, {} street, {} not_found\n{}",
        s.rows,
        l.in_zone,
        s.percent(l.in_zone),
        l.total - l.in_zone,
        s.percent(l.total - l.in_zone),
        s.not_geocoded,
        s.percent(s.not_geocoded),
        near_text(l),
        s.needs_check,
        p.housenumber,
        p.interpolated,
        p.street,
        p.not_found,
        per_zone_text(l)
    )
}
