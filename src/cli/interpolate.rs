//! `qpv interpolate`.

use std::path::PathBuf;

use clap::Args;

use qpv::io::grid::vintage_in_name;
use qpv::output::OutputFormat;
use qpv::output::interpolate_views::{InterpolateGrid, InterpolateRun, run_interpolate};

use super::layers::{GridInput, ZoneInput};
use super::{CsvStyleArgs, GlobalArgs, OutputArgs, SelectArgs};

/// Arguments of `qpv interpolate`.
#[derive(Debug, Args)]
pub struct InterpolateArgs {
    #[command(flatten)]
    pub zones: ZoneInput,
    /// Filosofi 200 m grid CSV, read row by row (a national grid is fine); default: the
    /// embedded Filosofi 2019 grid of Grand Belfort.
    #[command(flatten)]
    pub grid: GridInput,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub csv: CsvStyleArgs,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Runs `qpv interpolate`.
pub fn run(args: &InterpolateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    let output = args.output.output.as_deref();
    let format = OutputFormat::resolve(args.output.format, output, OutputFormat::Table)?;
    if let Some(out) = output {
        let mut inputs: Vec<PathBuf> = args.zones.inputs();
        inputs.extend(args.grid.inputs());
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
    }
    format.check_output(output)?;
    let csv_style = args.csv.csv_style.for_format(format)?;
    let zones = args.zones.load(crs)?;
    let grid = match &args.grid.grid {
        Some(path) if !args.grid.grid_within_communes => InterpolateGrid::File {
            path: path.clone(),
            vintage: args.grid.grid_year.or_else(|| vintage_in_name(path)),
        },
        _ => {
            let (cells, source) = args.grid.load(crs)?;
            InterpolateGrid::Cells(cells, source)
        }
    };
    let rows = run_interpolate(InterpolateRun {
        zones: &zones,
        grid,
        select: &args.select.select,
        crs,
        format,
        output,
        csv_style,
    })?;
    if !global.quiet {
        let people: f64 = rows.iter().map(|r| r.values.ind).sum();
        eprintln!(
            "{} zones, {:.0} inhabitants in them (area-weighted grid estimate)",
            rows.len(),
            people
        );
    }
    Ok(())
}
