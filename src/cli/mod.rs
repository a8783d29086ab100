//! Command-line layer: one file per subcommand turning flags into library calls. No geometry
//! here; everything it computes comes from the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use qpv::crs::Crs;
use qpv::output::OutputFormat;

mod geocode;
mod info;

const EXAMPLES: &str = "\
Examples:
  qpv info                                  describe the embedded Grand Belfort layers
  qpv info communes.gpkg                    describe any GeoJSON / GDAL / CSV file
  qpv geocode adresses.csv -o points.csv    add lon, lat, x, y, precision to an address list
";

/// Priority-geography analyser for French urban policy (QPV).
///
/// Runs with no input on the embedded Grand Belfort data (ANCT QPV 2024, INSEE Filosofi 200 m
/// grid, Éducation nationale schools, IGN communes); every layer can be replaced by your own
/// file.
#[derive(Debug, Parser)]
#[command(name = "qpv", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Metric CRS the analysis runs in (EPSG:2154 Lambert-93; e.g. EPSG:2975 for La Réunion).
    #[arg(
        long,
        global = true,
        default_value = "EPSG:2154",
        value_name = "EPSG:CODE"
    )]
    pub crs: String,
    /// No progress bars or summaries on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl GlobalArgs {
    /// The working CRS.
    pub fn crs(&self) -> qpv::Result<Crs> {
        Crs::parse(&self.crs)
    }
}

/// Where and how a data-writing command writes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output file (`-` or absent: standard output). Written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the extension of -o, else table).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a data file (driver, layers, CRS, counts, extent, fields, invalid geometries),
    /// or every embedded layer when no file is given.
    Info(info::InfoArgs),
    /// Geocode a CSV of postal addresses offline (BANO / BAN): keeps every column and adds
    /// lon, lat, x, y, precision (housenumber | interpolated | street | not_found), score,
    /// matched address and reason. Writes CSV.
    Geocode(Box<geocode::GeocodeArgs>),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Info(args) => info::run(args, &cli.global),
        Command::Geocode(args) => geocode::run(args, &cli.global),
    }
}
