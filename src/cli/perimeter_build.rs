//! `qpv perimeter build`: a candidate perimeter from QPV, communes and grid cells, without
//! drawing (the recipe is `qpv::analysis::candidate_recipe`'s).

use std::path::PathBuf;

use clap::Args;

use qpv::analysis::candidate::CellCondition;
use qpv::analysis::candidate_recipe::{self, Recipe};
use qpv::io::ZoneFields;
use qpv::output::atomic::ensure_not_input;
use qpv::output::{OutputFormat, perimeter_views, write_views};

use super::layers::{DataArgs, check_distance};
use super::{GlobalArgs, OutputArgs};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// QPV codes to include, comma-separated (e.g. QN09004M,QN09005M).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    qpv_codes: Vec<String>,
    /// Grid cells to include, by condition (e.g. "snv<13000 and population>=50").
    #[arg(long, value_name = "CONDITION")]
    cells_where: Option<String>,
    /// Communes to include, INSEE codes comma-separated (embedded Grand Belfort communes
    /// unless --communes-file).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    communes: Vec<String>,
    /// Communes layer (attributes: code, name). Default: embedded IGN communes.
    #[arg(long, value_name = "FILE")]
    communes_file: Option<PathBuf>,
    /// Grid cells within --near-distance of this point: x,y in the working CRS, or
    /// longitude,latitude in degrees (WGS84) when both look like degrees.
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    near_point: Option<String>,
    /// Distance for --near-point, metres.
    #[arg(long, default_value_t = 200.0, value_name = "M")]
    near_distance: f64,
    /// Grow (or shrink, if negative, e.g. `--buffer -100`) the result by this many metres.
    #[arg(
        long,
        default_value_t = 0.0,
        value_name = "M",
        allow_negative_numbers = true
    )]
    buffer: f64,
    /// Name of the candidate (a `name` property in the output).
    #[arg(long, default_value = "candidate")]
    name: String,
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// The attributes of a `--communes-file`.
fn commune_fields() -> ZoneFields {
    ZoneFields {
        code: "code".into(),
        name: "name".into(),
        communes: None,
        ..ZoneFields::default()
    }
}

/// Runs `qpv perimeter build`.
pub fn run(args: &BuildArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Geojson,
    )?;
    let mut inputs = args.data.inputs();
    inputs.extend(args.communes_file.iter().cloned());
    if let Some(out) = &args.output.output {
        ensure_not_input(out, &inputs)?;
    }
    if args.qpv_codes.is_empty()
        && args.cells_where.is_none()
        && args.communes.is_empty()
        && args.near_point.is_none()
    {
        anyhow::bail!(qpv::Error::usage(
            "nothing to build the candidate from",
            "give --qpv-codes, --cells-where, --communes and/or --near-point"
        ));
    }
    check_distance(args.near_distance, "--near-distance")?;
    if !args.buffer.is_finite() {
        anyhow::bail!(qpv::Error::usage(
            format!("--buffer {} is not a number of metres", args.buffer),
            "give metres: positive to grow the candidate, negative to shrink it, e.g. --buffer 50 or --buffer -100"
        ));
    }
    let near_point = args
        .near_point
        .as_deref()
        .map(|t| qpv::crs::parse_user_point(t, "--near-point", crs))
        .transpose()?;
    let zones = match args.qpv_codes.is_empty() {
        true => Vec::new(),
        false => args.data.zones(crs)?,
    };
    let communes = match (args.communes.is_empty(), &args.communes_file) {
        (true, _) => Vec::new(),
        (false, Some(p)) => qpv::io::read_zones(p, &commune_fields(), crs)?,
        (false, None) => qpv::io::embedded::communes(crs)?,
    };
    let grid = match args.cells_where.is_some() || near_point.is_some() {
        true => Some(args.data.cells(crs)?),
        false => None,
    };
    let grid_label = grid.as_ref().map(|(_, g)| g.label());
    let condition = args
        .cells_where
        .as_deref()
        .map(CellCondition::parse)
        .transpose()?;
    let recipe = Recipe {
        qpv: (!args.qpv_codes.is_empty()).then_some((&zones[..], &args.qpv_codes[..])),
        communes: (!args.communes.is_empty()).then_some((&communes[..], &args.communes[..])),
        cells: grid
            .as_ref()
            .zip(grid_label.as_deref())
            .map(|((c, _), l)| (&c[..], l)),
        cells_where: condition.as_ref().zip(args.cells_where.as_deref()),
        near: near_point.map(|p| (p, args.near_distance)),
        buffer_m: args.buffer,
    };
    let (geometry, words) = candidate_recipe::build(&recipe)?;
    let views = perimeter_views::candidate_views(&args.name, &words, &geometry, crs);
    write_views(args.output.output.as_deref(), format, &views)?;
    Ok(())
}
