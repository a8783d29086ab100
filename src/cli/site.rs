//! `qpv site`: where to put new facilities (MCLP / LSCP).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use qpv::analysis::site::demand::DemandKind;
use qpv::analysis::site::plan::{
    self, Candidate, Method, Problem, SiteOptions, candidates_from_addresses,
    candidates_from_cells, candidates_from_facilities,
};
use qpv::crs::Crs;
use qpv::io::facilities::{CategorySource, FacilityFields, read_facilities};
use qpv::model::{Category, GridCell};
use qpv::output::{OutputFormat, site_views, write_views};

use super::GlobalArgs;
use super::demand_args::DemandArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DemandArg {
    /// Residents of the QPV (each cell's inhabitants times its area share in a QPV).
    QpvResidents,
    /// Every resident of the grid.
    Residents,
    /// Poor households of the grid (Men_pauv).
    PoorHouseholds,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProblemArg {
    /// The k new sites covering the most demand (maximal covering).
    Mclp,
    /// The fewest new sites covering all the demand (set covering).
    Lscp,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MethodArg {
    /// Exact up to 200,000 coverage pairs, greedy above.
    Auto,
    /// Exact mixed integer programme (good_lp + microlp).
    Exact,
    /// Lazy greedy, with an upper bound on the optimum.
    Greedy,
}

/// Arguments of `qpv site`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The question: the k best new sites (mclp) or the fewest covering everyone (lscp).
    #[arg(long, value_enum, default_value = "mclp")]
    problem: ProblemArg,
    /// Number of new sites (mclp).
    #[arg(short, default_value_t = 1, value_name = "N")]
    k: usize,
    /// Covering distance, metres (straight line from a cell centre).
    #[arg(
        long,
        default_value_t = 500.0,
        value_name = "M",
        allow_hyphen_values = true
    )]
    distance: f64,
    /// What the sites should reach.
    #[arg(long, value_enum, default_value = "qpv-residents")]
    demand: DemandArg,
    /// Candidate sites: `grid` (centres of the populated 200 m cells), `bano` (the embedded
    /// BANO address points), or a file of points (CSV with coordinates, or a point layer).
    #[arg(long, default_value = "grid", value_name = "grid|bano|FILE")]
    candidates: String,
    /// Solver.
    #[arg(long, value_enum, default_value = "auto")]
    method: MethodArg,
    #[command(flatten)]
    common: DemandArgs,
}

impl SiteArgs {
    fn options(&self) -> anyhow::Result<SiteOptions> {
        Ok(SiteOptions {
            category: self.common.category("site")?,
            distance_m: self.distance,
            demand: match self.demand {
                DemandArg::QpvResidents => DemandKind::QpvResidents,
                DemandArg::Residents => DemandKind::Residents,
                DemandArg::PoorHouseholds => DemandKind::PoorHouseholds,
            },
            problem: match self.problem {
                ProblemArg::Mclp => Problem::Mclp { k: self.k },
                ProblemArg::Lscp => Problem::Lscp,
            },
            method: match self.method {
                MethodArg::Auto => Method::Auto,
                MethodArg::Exact => Method::Exact,
                MethodArg::Greedy => Method::Greedy,
            },
        })
    }

    fn candidates(&self, cells: &[GridCell], crs: Crs) -> qpv::Result<Vec<Candidate>> {
        Ok(match self.candidates.as_str() {
            "grid" => candidates_from_cells(cells),
            "bano" => candidates_from_addresses(&qpv::geocode::AddressIndex::embedded(crs)?),
            path => {
                let fields = FacilityFields {
                    category: CategorySource::Fixed(Category::new("candidate")),
                    ..FacilityFields::default()
                };
                candidates_from_facilities(&read_facilities(path.as_ref(), &fields, crs)?)
            }
        })
    }

    fn inputs(&self) -> Vec<PathBuf> {
        match self.candidates.as_str() {
            "grid" | "bano" => Vec::new(),
            file => vec![PathBuf::from(file)],
        }
    }
}

/// Runs `qpv site`.
pub fn run(args: &SiteArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    let options = args.options()?;
    let common = &args.common;
    let (format, lang) = common.format(OutputFormat::Markdown)?;
    common.check_outputs(None, &args.inputs())?;
    let zones = common.data.zones(crs)?;
    let (cells, grid) = common.cells(crs)?;
    let (facilities, _, _) = common.facilities.load(crs)?;
    let candidates = args.candidates(&cells, crs)?;
    let result = plan::plan(&cells, &zones, &facilities, &candidates, &options)?;
    let views = site_views::views(&result, &cells, crs, &grid, lang, format)?;
    write_views(common.output.output.as_deref(), format, &views)?;
    if !global.quiet {
        eprintln!(
            "{} new site(s): covered {:.0} -> {:.0} of {:.0}",
            result.sites.len(),
            result.covered_before,
            result.covered_after,
            result.demand_total
        );
    }
    Ok(())
}
