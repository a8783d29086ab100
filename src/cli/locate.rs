//! `qpv locate`: for each input point, the QPV containing it, its signed distance to the nearest
//! QPV boundary and a status inside / near / outside; with `--addresses`, postal addresses are
//! geocoded first. The rows and summaries are `qpv::output::located`'s.

use std::path::PathBuf;

use clap::Args;

use qpv::analysis::locate::DEFAULT_TOLERANCE_M;
use qpv::geocode::AddressRows;
use qpv::geocode::batch::addresses_hint;
use qpv::index::ZoneIndex;
use qpv::io::table::{TableOptions, TableReader};
use qpv::output::located::{self, LocatedRows};
use qpv::output::point_rows::{RowOutput, write_point_rows};
use qpv::output::sink::append_columns;
use qpv::output::{ColumnSelection, OutputFormat};

use super::geocode::AddressArgs;
use super::layers::{ZoneInput, check_distance};
use super::points::PointInput;
use super::progress::ProgressBar;
use super::{CsvStyleArgs, GlobalArgs, OutputArgs, SelectArgs};

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
    let out = RowOutput {
        path: args.output.output.as_deref(),
        format,
        csv_style: args.csv.csv_style.for_format(format)?,
        crs,
    };
    if !args.addresses {
        check_no_address_options(&args.address)?;
    }
    check_outputs(args)?;
    let zones = args.zones.load(crs)?;
    let index = ZoneIndex::new(&zones);
    if args.addresses {
        return run_addresses(args, global, &index, &out);
    }
    let options = args.input.options(format)?;
    let mut reader = qpv::io::points::PointReader::open(&args.input.points, &options, crs)
        .map_err(|e| addresses_hint(e, &args.input.points, &options, crs))?;
    let columns = append_columns(
        reader.headers(),
        &located::LOCATED_COLUMNS.map(String::from),
    );
    let select = ColumnSelection::new(&columns, &args.select.select)?;
    // The summary goes to stderr, to --summary, or into a JSON output; else it is not made.
    let summarised = !global.quiet || args.summary.is_some() || format != OutputFormat::Csv;
    let options =
        LocatedRows::options_for(&select, args.tolerance, args.distance_limit, summarised);
    let producer = LocatedRows::new(&index, options);
    let mut progress = ProgressBar::new("points", !global.quiet);
    let mut summary = qpv::analysis::locate::LocateSummary::default();
    let skipped = write_point_rows(
        &mut reader,
        &producer,
        select,
        &out,
        &mut progress,
        &mut summary,
        |s, found| {
            if summarised {
                s.add(&index, &found)
            }
        },
        |s| {
            [("summary".to_string(), located::summary_json(s))]
                .into_iter()
                .collect()
        },
    )?;
    progress.finish();
    if let Some(path) = &args.summary {
        located::write_summary(path, &summary, &located::summary_json(&summary))?;
    }
    if !global.quiet {
        eprint!("{}", located::summary_text(&summary));
        let skipped = skipped + reader.skipped();
        if skipped > 0 {
            eprintln!("{skipped} rows without coordinates skipped");
        }
    }
    Ok(())
}

/// Neither the output nor the summary may overwrite an input, nor the summary the output.
fn check_outputs(args: &LocateArgs) -> qpv::Result<()> {
    let mut inputs = vec![args.input.points.clone()];
    inputs.extend(args.zones.qpv.clone());
    inputs.extend(args.address.reference.clone());
    if let Some(out) = args.output.output.as_deref() {
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
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
        ));
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
            a.reference_format != super::value_enums::ReferenceFormatArg::Auto,
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

/// `qpv locate --addresses`: geocode, then locate, row by row in input order.
fn run_addresses(
    args: &LocateArgs,
    global: &GlobalArgs,
    index: &ZoneIndex,
    out: &RowOutput,
) -> anyhow::Result<()> {
    let addresses = args.address.index(global)?;
    let mut options = TableOptions::default();
    if !args.input.columns.is_empty() {
        options.headers = Some(args.input.columns.clone());
    }
    let reader = TableReader::open(&args.input.points, &options)?;
    let mut rows = AddressRows::new(reader, &args.address.column_names())?;
    let mut progress = ProgressBar::new("addresses", !global.quiet);
    let summary = located::write_located_addresses(
        index,
        &addresses,
        &mut rows,
        args.tolerance,
        &args.select.select,
        out,
        &mut progress,
    )?;
    progress.finish();
    if let Some(path) = &args.summary {
        let json = located::address_summary_json(&summary, addresses.attribution());
        located::write_summary(path, &summary.located, &json)?;
    }
    if !global.quiet {
        eprint!("{}", located::address_summary_text(&summary));
        eprintln!("  {}: {}", addresses.source(), addresses.attribution());
    }
    Ok(())
}
