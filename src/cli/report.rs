//! `qpv report`: the French (or English) HTML report of facility coverage, one fiche per QPV.

use std::path::{Path, PathBuf};

use clap::Args;

use qpv::output::report_html::{
    Lang, ReportFormat, ReportInput, ReportOptions, write_coverage_report,
};

use super::GlobalArgs;
use super::layers::{CoverageInputs, check_distance};

/// Arguments of `qpv report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub inputs: CoverageInputs,
    /// Language of the report: fr (default) or en.
    #[arg(long, default_value = "fr", value_name = "fr|en")]
    pub lang: String,
    /// Output file (`-` or absent: standard output). Written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// html (default) or json (the report's data); default from the extension of -o.
    #[arg(long, value_name = "html|json")]
    pub format: Option<String>,
}

/// Runs `qpv report`.
pub fn run(args: &ReportArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    let lang = Lang::parse(&args.lang)?;
    let output = args.output.as_deref().unwrap_or(Path::new("-"));
    let format = ReportFormat::resolve(args.format.as_deref(), args.output.as_deref())?;
    let mut inputs = args.inputs.zones.inputs();
    inputs.extend(args.inputs.facilities.inputs());
    inputs.extend(args.inputs.grid.inputs());
    qpv::output::atomic::ensure_not_input(output, &inputs)?;
    for &d in &args.inputs.distance {
        check_distance(d, "--distance")?;
    }
    let zones = args.inputs.zones.load(crs)?;
    let (facilities, categories, unplaced) = args.inputs.facilities.load(crs)?;
    let (cells, source) = args.inputs.grid.load(crs)?;
    let grid_name = match (&args.inputs.grid.grid, source.vintage) {
        (Some(p), _) => p.display().to_string(),
        (None, Some(2015)) => qpv::io::embedded::GRID_2015_NAME.to_string(),
        (None, _) => qpv::io::embedded::GRID_2019_NAME.to_string(),
    };
    let communes = qpv::io::embedded::communes(crs)?;
    let zone_file = args
        .inputs
        .zones
        .qpv
        .as_ref()
        .map(|p| p.display().to_string());
    let facility_file = args
        .inputs
        .facilities
        .facilities
        .as_ref()
        .map(|p| p.display().to_string());
    let input = ReportInput {
        zones: &zones,
        facilities: &facilities,
        unplaced_social_centres: &unplaced,
        grid: Some((&cells, &grid_name)),
        communes: &communes,
        zone_file: zone_file.as_deref(),
        facility_file: facility_file.as_deref(),
    };
    let options = ReportOptions {
        distances_m: args.inputs.distance.clone(),
        categories,
        lang,
    };
    write_coverage_report(output, format, &input, &options)?;
    if !global.quiet && output != Path::new("-") {
        eprintln!("report written to {}", output.display());
    }
    Ok(())
}
