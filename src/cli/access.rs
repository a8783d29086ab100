//! `qpv access`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use qpv::analysis::access::AccessMethod;
use qpv::analysis::access_report::{AccessOptions, DemandKind};
use qpv::output::OutputFormat;
use qpv::output::access_views::{AccessFacilities, AccessGrid, AccessRun, run_access};

use super::GlobalArgs;
use super::demand_args::DemandArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodArg {
    /// Two-step floating catchment (Luo & Wang 2003): supply / demand in reach, weight 1.
    #[value(name = "2sfca")]
    TwoStep,
    /// Enhanced 2SFCA (Luo & Qi 2009): step weights per distance band (--bands, --weights).
    E2sfca,
    /// Gaussian 2SFCA (Dai 2010): Gaussian decay of width --sigma.
    G2sfca,
    /// Gravity potential: supply in reach weighted by (max(d, --gravity-min) / --gravity-scale)^--gravity-alpha.
    Gravity,
    /// Gaussian potential: supply in reach weighted by exp(-d² / 2 --sigma²).
    Gaussian,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DemandArg {
    /// Inhabitants of each cell (Ind).
    Inhabitants,
    /// Poor households of each cell (Men_pauv).
    PoorHouseholds,
}

/// Arguments of `qpv access`.
#[derive(Debug, Args)]
pub struct AccessArgs {
    /// Methods, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "2sfca,e2sfca,gravity"
    )]
    method: Vec<MethodArg>,
    /// Catchment: only cell–facility pairs at most this far apart count (metres, straight line).
    #[arg(
        long,
        default_value_t = 1000.0,
        value_name = "M",
        allow_negative_numbers = true
    )]
    catchment: f64,
    /// E2SFCA band upper bounds in metres (default: thirds of the catchment).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "M,M,M",
        allow_hyphen_values = true
    )]
    bands: Vec<f64>,
    /// E2SFCA weights, one per band (default: 1,0.68,0.22, Luo & Qi 2009).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "W,W,W",
        allow_hyphen_values = true
    )]
    weights: Vec<f64>,
    /// Gaussian width σ in metres (default: half the catchment).
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    sigma: Option<f64>,
    /// Gravity scale in metres.
    #[arg(
        long,
        default_value_t = 1000.0,
        value_name = "M",
        allow_negative_numbers = true
    )]
    gravity_scale: f64,
    /// Gravity exponent.
    #[arg(long, default_value_t = -1.0, value_name = "A", allow_negative_numbers = true)]
    gravity_alpha: f64,
    /// Gravity minimum distance in metres (half a cell: a facility inside a cell does not
    /// weigh infinitely).
    #[arg(
        long,
        default_value_t = 100.0,
        value_name = "M",
        allow_negative_numbers = true
    )]
    gravity_min: f64,
    /// Demand of each cell.
    #[arg(long, value_enum, default_value = "inhabitants")]
    demand: DemandArg,
    /// Facility column holding each facility's capacity (default: 1 per facility).
    #[arg(long, value_name = "COLUMN")]
    capacity: Option<String>,
    /// Also write every cell's scores (id, demand, in_communes, score_<method>) to this CSV.
    #[arg(long, value_name = "FILE")]
    scores: Option<PathBuf>,
    #[command(flatten)]
    common: DemandArgs,
}

impl AccessArgs {
    fn methods(&self) -> qpv::Result<Vec<AccessMethod>> {
        let c = self.catchment;
        let bands = if self.bands.is_empty() && self.weights.is_empty() {
            AccessMethod::luo_qi_bands(c)
        } else {
            let bounds = if self.bands.is_empty() {
                AccessMethod::luo_qi_bands(c).iter().map(|b| b.0).collect()
            } else {
                self.bands.clone()
            };
            let weights = if self.weights.is_empty() {
                qpv::analysis::access::LUO_QI_WEIGHTS.to_vec()
            } else {
                self.weights.clone()
            };
            if bounds.len() != weights.len() {
                return Err(qpv::Error::usage(
                    format!("{} --bands but {} --weights", bounds.len(), weights.len()),
                    "give one weight per band, e.g. --bands 333,667,1000 --weights 1,0.68,0.22",
                ));
            }
            bounds.into_iter().zip(weights).collect()
        };
        let sigma = self.sigma.unwrap_or(c / 2.0);
        Ok(self
            .method
            .iter()
            .map(|m| match m {
                MethodArg::TwoStep => AccessMethod::two_step(c),
                MethodArg::E2sfca => AccessMethod::enhanced(c, bands.clone()),
                MethodArg::G2sfca => AccessMethod::gaussian_two_step(c, sigma),
                MethodArg::Gravity => AccessMethod::gravity(
                    c,
                    self.gravity_scale,
                    self.gravity_alpha,
                    self.gravity_min,
                ),
                MethodArg::Gaussian => AccessMethod::gaussian(c, sigma),
            })
            .collect())
    }
}

/// Runs `qpv access`.
pub fn run(args: &AccessArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    let common = &args.common;
    let (format, lang) = common.format(OutputFormat::Markdown)?;
    let options = AccessOptions {
        category: common.category("access")?,
        demand: match args.demand {
            DemandArg::Inhabitants => DemandKind::Inhabitants,
            DemandArg::PoorHouseholds => DemandKind::PoorHouseholds,
        },
        capacity: args.capacity.clone(),
        methods: args.methods()?,
    };
    common.check_outputs(args.scores.as_ref(), &[])?;
    let load = || common.facilities.load_all(crs).map(|(f, _, _)| f);
    let grid_input = &common.data.grid;
    // A grid file is read cell by cell (a national grid does not fit as whole cells), while
    // the facilities are read; any other grid after them, as before.
    let file = match &grid_input.grid {
        Some(path) if !grid_input.grid_within_communes => Some(AccessGrid::File {
            path: path.clone(),
            vintage: grid_input
                .grid_year
                .or_else(|| qpv::io::grid::vintage_in_name(path)),
        }),
        _ => None,
    };
    let loaded = match file {
        None => Some(load()?),
        Some(_) => None,
    };
    let inputs = || -> qpv::Result<_> {
        let zones = common.data.zones(crs)?;
        let grid = match file {
            Some(file) => file,
            None => {
                let (cells, source) = common.cells(crs)?;
                AccessGrid::Cells(cells, source)
            }
        };
        // The rest of the agglomeration: the embedded communes go with the embedded QPV only.
        let communes = match &common.data.zones.qpv {
            None => Some(qpv::io::embedded::communes(crs)?),
            Some(_) => None,
        };
        Ok((zones, grid, communes))
    };
    let (zones, grid, communes) = match inputs() {
        Ok(inputs) => inputs,
        // A problem of the facilities is named first, whatever else is wrong.
        Err(e) => {
            if loaded.is_none() {
                load()?;
            }
            return Err(e.into());
        }
    };
    let facilities = match &loaded {
        Some(facilities) => AccessFacilities::Loaded(facilities),
        None => AccessFacilities::Load(Box::new(load)),
    };
    run_access(AccessRun {
        grid,
        facilities,
        zones: &zones,
        communes: communes.as_deref(),
        options: &options,
        crs,
        format,
        output: common.output.output.as_deref(),
        scores: args.scores.as_deref(),
        lang,
    })?;
    Ok(())
}
