//! `qpv simulate`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use qpv::analysis::eligibility::{EligibilityOptions, IncomeProxy};
use qpv::analysis::simulate::{Contiguity, Criterion, SimulateOptions, simulate};
use qpv::output::atomic::{check_destinations, write_text};
use qpv::output::report_html::Lang;
use qpv::output::{OutputFormat, perimeter_layers, perimeter_views, report_markdown, write_views};

use super::layers::DataArgs;
use super::proxy::ProxyArgs;
use super::{GlobalArgs, OutputArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ContiguityArg {
    /// Cells sharing an edge.
    Rook,
    /// Cells sharing an edge or a corner.
    Queen,
}

/// Arguments of `qpv simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    proxy: ProxyArgs,
    /// Which marked cells are joined.
    #[arg(long, value_enum, default_value = "rook")]
    contiguity: ContiguityArg,
    /// Minimum population of a zone.
    #[arg(long, default_value_t = 1000.0, value_name = "N")]
    min_population: f64,
    /// Do not require the group-level figure to pass the test (each cell passing suffices).
    #[arg(long)]
    no_group_test: bool,
    /// Also write simulated_zones.geojson here.
    #[arg(long, value_name = "DIR")]
    layers: Option<PathBuf>,
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Language of the Markdown report: fr (default) or en. CSV, JSON, the text table and
    /// layers do not change.
    #[arg(long, default_value = "fr", value_name = "fr|en")]
    lang: String,
}

/// Runs `qpv simulate`.
pub fn run(args: &SimulateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    let lang = Lang::parse(&args.lang)?;
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Markdown,
    )?;
    let zones = args.data.zones(crs)?;
    let (cells, grid) = args.data.cells(crs)?;
    let resolved = args.proxy.resolve(&zones, &cells)?;
    let (criterion, threshold) = match resolved.proxy {
        IncomeProxy::PoorHouseholdShare { min_share } => (Criterion::PoorShareAtLeast, min_share),
        IncomeProxy::MeanStandardOfLiving => (
            Criterion::MeanIncomeBelow,
            args.proxy
                .threshold
                .unwrap_or_else(|| EligibilityOptions::default().threshold().value),
        ),
    };
    let options = SimulateOptions {
        criterion,
        threshold,
        calibration: resolved.calibration,
        contiguity: match args.contiguity {
            ContiguityArg::Rook => Contiguity::Rook,
            ContiguityArg::Queen => Contiguity::Queen,
        },
        min_population: args.min_population,
        group_test: !args.no_group_test,
    };
    let mut outputs: Vec<PathBuf> = args.output.output.iter().cloned().collect();
    if let Some(dir) = &args.layers {
        outputs.extend(perimeter_layers::layer_files(
            dir,
            &[perimeter_layers::SIMULATION_LAYER_NAME],
        ));
    }
    check_destinations(&outputs, &args.data.inputs())?;
    let s = simulate(&cells, &zones, &options);
    let layer = perimeter_layers::simulation_layer(&s, crs);
    if let Some(dir) = &args.layers {
        perimeter_layers::write_layer_dir(dir, std::slice::from_ref(&layer))?;
    }
    if format == OutputFormat::Markdown {
        let text = report_markdown::simulation(&s, &grid, lang);
        write_text(args.output.output.as_deref(), &text)?;
    } else {
        let views = perimeter_views::simulation_views(&s, &grid, layer)?;
        write_views(args.output.output.as_deref(), format, &views)?;
    }
    if !global.quiet {
        eprintln!(
            "{} zones, IoU with the official QPV {:.3}",
            s.zones.len(),
            s.overall_iou
        );
    }
    Ok(())
}
