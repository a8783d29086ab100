//! `qpv nearest`: for each input point, the k nearest facilities (optionally of given
//! categories, per category, within a maximum distance), input columns kept.

use clap::Args;
use serde_json::Map;

use qpv::index::FacilityIndex;
use qpv::model::Category;
use qpv::output::nearest_rows::NearestRows;
use qpv::output::point_rows::{PointRows, RowOutput, write_point_rows};
use qpv::output::sink::append_columns;
use qpv::output::{ColumnSelection, OutputFormat};

use super::layers::{FacilityInput, check_distance};
use super::points::PointInput;
use super::progress::ProgressBar;
use super::{CsvStyleArgs, GlobalArgs, OutputArgs, SelectArgs};

/// Arguments of `qpv nearest`.
#[derive(Debug, Args)]
pub struct NearestArgs {
    #[command(flatten)]
    pub input: PointInput,
    #[command(flatten)]
    pub facilities: FacilityInput,
    /// How many facilities per point (per category with --per-category).
    #[arg(short, long, default_value_t = 1)]
    pub k: usize,
    /// The k nearest of each category (columns `<category>_<rank>_...`).
    #[arg(long)]
    pub per_category: bool,
    /// Only facilities at most this far (metres).
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    pub max_distance: Option<f64>,
    /// One row per point-facility pair with a LineString from the point to the facility
    /// ("hub lines" for QGIS), instead of one row per point.
    #[arg(long)]
    pub lines: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub csv: CsvStyleArgs,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Runs `qpv nearest`.
pub fn run(args: &NearestArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    if let Some(m) = args.max_distance {
        check_distance(m, "--max-distance")?;
    }
    if args.k == 0 {
        return Err(qpv::Error::usage("-k 0 asks for no facility", "give -k 1 or more").into());
    }
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Csv,
    )?;
    let csv_style = args.csv.csv_style.for_format(format)?;
    if let Some(out) = args.output.output.as_deref() {
        let mut inputs = vec![args.input.points.clone()];
        inputs.extend(args.facilities.inputs());
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
    }
    let (facilities, wanted, _) = args.facilities.load(crs)?;
    let index = FacilityIndex::new(&facilities);
    let k = index.capped_k(args.k);
    // Groups of facilities searched separately: one per category with --per-category, else
    // one group over the (already filtered) facilities.
    let groups: Vec<Option<Category>> = if args.per_category {
        match wanted {
            Some(list) => list.into_iter().map(Some).collect(),
            None => index.categories().cloned().map(Some).collect(),
        }
    } else {
        vec![None]
    };
    let mut reader = args.input.open(crs, format)?;
    let producer = NearestRows::new(&index, groups, k, args.max_distance, args.lines);
    let select = ColumnSelection::new(
        &append_columns(reader.headers(), &producer.columns()),
        &args.select.select,
    )?;
    let out = RowOutput {
        path: args.output.output.as_deref(),
        format,
        csv_style,
        crs,
    };
    let mut progress = ProgressBar::new("points", !global.quiet);
    let mut rows_written = 0u64;
    let skipped = write_point_rows(
        &mut reader,
        &producer,
        select,
        &out,
        &mut progress,
        &mut rows_written,
        |n, _| *n += 1,
        |_| Map::new(),
    )?;
    progress.finish();
    if !global.quiet {
        eprintln!(
            "{rows_written} points, {} facilities searched",
            index.count(None)
        );
        let skipped = skipped + reader.skipped();
        if skipped > 0 {
            eprintln!("{skipped} rows without coordinates skipped");
        }
    }
    Ok(())
}
