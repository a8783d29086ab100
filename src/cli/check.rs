//! `qpv check`: load a file as a layer type and list every problem.

use std::path::PathBuf;

use clap::Args;

use qpv::crs::Crs;
use qpv::io::check::{CheckOptions, LayerKind, check_file};
use qpv::io::{CategorySource, FacilityFields, PointOptions, ZoneFields};
use qpv::model::Category;
use qpv::{Error, Location};

use super::GlobalArgs;

/// Arguments of `qpv check`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when the file loads without any problem, 2 otherwise (every problem is listed on stderr).

Examples:
  qpv check qpv.geojson --as zones
  qpv check ecoles.csv --as facilities --category-field type
  qpv check centres.csv --as facilities --category social_centre
  qpv check adresses.csv --as points --x-column lon --y-column lat
  qpv check carreaux.csv --as grid"
)]
pub struct CheckArgs {
    /// The file to check.
    pub file: PathBuf,
    /// What the file should be.
    #[arg(long = "as", value_enum, value_name = "KIND")]
    pub kind: super::value_enums::LayerKindArg,
    /// Layer of a multi-layer source (GeoPackage...).
    #[arg(long)]
    pub layer: Option<String>,
    /// CRS of the coordinates when the file does not declare it.
    #[arg(long, value_name = "EPSG:CODE")]
    pub source_crs: Option<String>,
    /// Zones: attribute holding the code.
    #[arg(long, default_value = "code_qp")]
    pub code_field: String,
    /// Zones: attribute holding the name.
    #[arg(long, default_value = "lib_qp")]
    pub name_field: String,
    /// Zones: attribute listing the INSEE codes of the communes.
    #[arg(long, default_value = "insee_com")]
    pub communes_field: String,
    /// Facilities: id column (default: detected).
    #[arg(long)]
    pub id_column: Option<String>,
    /// Facilities: name column (default: detected).
    #[arg(long)]
    pub name_column: Option<String>,
    /// Facilities: category column (default: detected). Same flag as in coverage and nearest
    /// (--category-column is kept as an alias).
    #[arg(
        long = "category-field",
        alias = "category-column",
        value_name = "NAME",
        conflicts_with = "category"
    )]
    pub category_column: Option<String>,
    /// Facilities: one category for every row.
    #[arg(long)]
    pub category: Option<String>,
    /// Points: x / longitude column (default: detected).
    #[arg(long, requires = "y_column")]
    pub x_column: Option<String>,
    /// Points: y / latitude column (default: detected).
    #[arg(long, requires = "x_column")]
    pub y_column: Option<String>,
    /// Points: column giving each row's EPSG code (default: detected).
    #[arg(long)]
    pub crs_column: Option<String>,
    /// Points: skip rows whose coordinates are both empty.
    #[arg(long)]
    pub skip_empty: bool,
}

/// Runs `qpv check`.
pub fn run(args: &CheckArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let target = global.crs()?;
    let source_crs = args
        .source_crs
        .as_deref()
        .map(|c| Crs::parse_known(c, "--source-crs"))
        .transpose()?;
    let points = PointOptions {
        x_column: args.x_column.clone(),
        y_column: args.y_column.clone(),
        crs_column: args.crs_column.clone(),
        source_crs,
        layer: args.layer.clone(),
        skip_empty: args.skip_empty,
        ..PointOptions::default()
    };
    let options = CheckOptions {
        zones: ZoneFields {
            code: args.code_field.clone(),
            name: args.name_field.clone(),
            communes: Some(args.communes_field.clone()),
            layer: args.layer.clone(),
            source_crs,
        },
        facilities: FacilityFields {
            id: args.id_column.clone(),
            name: args.name_column.clone(),
            category: match (&args.category, &args.category_column) {
                (Some(c), _) => CategorySource::Fixed(Category::new(c)),
                (None, Some(c)) => CategorySource::Column(c.clone()),
                (None, None) => CategorySource::Detect,
            },
            category_map: vec![],
            points: points.clone(),
        },
        points,
    };
    let report = check_file(&args.file, args.kind.into(), &options, target);
    if report.is_ok() {
        if !global.quiet {
            println!("{}", report.summary());
        }
        return Ok(());
    }
    // Each problem on lines of its own, prefixed like every message of the tool.
    for p in &report.problems {
        eprintln!("qpv: {p}");
    }
    if report.more > 0 {
        eprintln!("qpv: ... and {} more problems", report.more);
    }
    Err(Error::input(
        &args.file,
        Location::File,
        format!(
            "{} problem(s) listed above; {} {} loaded without problem",
            report.problems.len() + report.more,
            report.loaded,
            LayerKind::from(args.kind).noun()
        ),
        "",
    )
    .into())
}
