//! Command-line layer: one file per subcommand turning flags into library calls. No geometry
//! here; everything it computes comes from the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use qpv::crs::Crs;

mod access;
mod check;
mod coverage;
mod demand_args;
mod geocode;
mod info;
mod interpolate;
mod layers;
mod locate;
mod nearest;
mod perimeter;
mod perimeter_build;
mod points;
pub mod process;
mod progress;
mod proxy;
mod report;
mod simulate;
mod site;
mod value_enums;

const EXAMPLES: &str = "\
Examples:
  qpv info                                  describe the embedded Grand Belfort layers
  qpv info communes.gpkg                    describe any GeoJSON / GDAL / CSV file
  qpv check ecoles.csv --as facilities      list every problem of a file (exit 2 if any)
  qpv coverage                              embedded schools and social centres vs the 7 QPV, 300 m
  qpv coverage --distance 300,500 -o cov.geojson   uncovered parts of each QPV, for QGIS
  qpv coverage --facilities centres.csv --category social_centre
  qpv locate points.csv -o located.csv      is each point in a QPV? (inside/near/outside)
  qpv locate --addresses adresses.csv -o located.csv   postal addresses: geocode, then locate
  qpv nearest addresses.csv -k 3 --category college --lines -o hubs.geojson
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
    #[allow(dead_code)] // used by the data commands as they land
    pub fn crs(&self) -> qpv::Result<Crs> {
        Crs::working(&self.crs)
    }
}

/// Where and how a data-writing command writes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output file (`-` or absent: standard output). Written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the extension of -o, else the command's own: table for
    /// info and coverage, CSV for locate, nearest and geocode, Markdown for perimeter test,
    /// perimeter compare and simulate, GeoJSON for perimeter build).
    #[arg(long, value_enum)]
    pub format: Option<value_enums::FormatArg>,
}

/// The CSV dialect, for the commands whose tables people open in a spreadsheet.
#[derive(Debug, Args)]
pub struct CsvStyleArgs {
    /// CSV dialect: `plain` (`,`, `.` decimals) or `excel-fr` (`;`, decimal commas, UTF-8
    /// BOM: opens in columns in a French Excel). CSV output only.
    #[arg(long, value_enum, default_value = "plain")]
    pub csv_style: value_enums::CsvStyleArg,
}

/// Which output columns a command that writes one row per input row keeps.
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Write only these columns, in this order: input columns and added ones (e.g.
    /// `--select id,code_qp`). What only the left-out columns need is not computed: `locate`
    /// without `signed_distance_m` and `nearest_code_qp` measures distances only up to the
    /// tolerance (what the status and the summary need).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub select: Vec<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a data file (driver, layers, CRS, counts, extent, fields, invalid geometries),
    /// or every embedded layer when no file is given.
    Info(info::InfoArgs),
    /// Load a file as zones, facilities, points or grid and list every problem (exit 2 if any).
    Check(Box<check::CheckArgs>),
    /// Facilities inside and within D metres of each QPV, per category: counts, list, nearest,
    /// covered share of area and population, uncovered parts as polygons.
    Coverage(coverage::CoverageArgs),
    /// For each input point, the k nearest facilities with their distances (input columns
    /// kept); `--lines` draws point-to-facility segments.
    Nearest(nearest::NearestArgs),
    /// For each input point, the QPV containing it, its signed distance to the nearest QPV
    /// boundary (negative inside) and a status: `near` within --tolerance of a boundary on
    /// either side, else `inside` or `outside` (input columns kept). A point on a boundary is in
    /// the QPV; on a boundary shared by two QPV, in the one with the lowest code.
    Locate(locate::LocateArgs),
    /// Test, compare and build candidate perimeters against the current QPV geography.
    Perimeter(Box<perimeter::PerimeterArgs>),
    /// Delineate candidate priority zones from the 200 m grid, like the decree's method, and
    /// compare them with the official QPV.
    Simulate(Box<simulate::SimulateArgs>),
    /// Geocode a CSV of postal addresses offline (BANO / BAN): keeps every column and adds
    /// lon, lat, x, y, precision (housenumber | interpolated | street | not_found), score,
    /// uncertainty_m, corrected, matched address and reason (CSV by default; JSON, GeoJSON,
    /// GeoPackage).
    Geocode(Box<geocode::GeocodeArgs>),
    /// Accessibility of each 200 m cell to a facility category (2SFCA, E2SFCA, Gaussian,
    /// gravity; straight-line distances), and its population-weighted mean per QPV against
    /// the rest of the agglomeration.
    Access(Box<access::AccessArgs>),
    /// Where to put new facilities of a category: the k sites covering the most QPV residents
    /// (or residents, poor households) within D (MCLP), or the fewest covering them all
    /// (LSCP); existing facilities kept; before/after coverage per QPV.
    Site(Box<site::SiteArgs>),
    /// One self-contained HTML report (French by default, `--lang en`): which QPV lack which
    /// facility, the per-quarter tables of facilities in or within D metres with their names,
    /// sources and limits, then one fiche per QPV with a map, grid estimates and a chart.
    /// `--format json` writes the same report as data.
    Report(Box<report::ReportArgs>),
    /// Areal interpolation of the 200 m grid onto zones: per zone its area, the cells it
    /// overlaps and every Filosofi count (population `ind`, households `men`, poor households
    /// `men_pauv`…), each cell counting for the share of its area inside the zone.
    Interpolate(Box<interpolate::InterpolateArgs>),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Info(args) => info::run(args, &cli.global),
        Command::Check(args) => check::run(args, &cli.global),
        Command::Coverage(args) => coverage::run(args, &cli.global),
        Command::Nearest(args) => nearest::run(args, &cli.global),
        Command::Locate(args) => locate::run(args, &cli.global),
        Command::Perimeter(args) => perimeter::run(args, &cli.global),
        Command::Simulate(args) => simulate::run(args, &cli.global),
        Command::Geocode(args) => geocode::run(args, &cli.global),
        Command::Access(args) => access::run(args, &cli.global),
        Command::Site(args) => site::run(args, &cli.global),
        Command::Report(args) => report::run(args, &cli.global),
        Command::Interpolate(args) => interpolate::run(args, &cli.global),
    }
}
