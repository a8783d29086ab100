//! `qpv perimeter test | compare | build`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use geo::{MultiPolygon, Point};
use serde_json::{Value, json};

use qpv::analysis::candidate::{self, CellCondition};
use qpv::analysis::eligibility::{EligibilityOptions, IncomeProxy, NATIONAL_MEDIAN_2015};
use qpv::analysis::interpolate::GridIndex;
use qpv::analysis::perimeter::{self, Baseline, PerimeterOptions, PerimeterTest};
use qpv::crs::Crs;
use qpv::io::ZoneFields;
use qpv::model::Facility;
use qpv::output::atomic::{check_destinations, ensure_not_input, write_atomic};
use qpv::output::report_html::{Lang, PerimeterMapLayers, perimeter_html};
use qpv::output::{
    GeoLayer, OutputFormat, Table, Views, perimeter_layers, report_markdown, write_views,
    write_views_noted,
};

use super::layers::{DataArgs, FacilityInput, check_distance};
use super::proxy::{ProxyArg, ProxyArgs};
use super::{GlobalArgs, OutputArgs};

/// Arguments of `qpv perimeter`.
#[derive(Debug, Args)]
pub struct PerimeterArgs {
    #[command(subcommand)]
    command: PerimeterCommand,
}

#[derive(Debug, Subcommand)]
enum PerimeterCommand {
    /// Test a candidate perimeter against the current QPV: grid indicators, overlap with each
    /// QPV, added and removed parts, facilities gained and lost, eligibility of each part.
    Test(TestArgs),
    /// The same indicators side by side for several candidates, the current QPV first.
    Compare(CompareArgs),
    /// Build a candidate without drawing: union of QPV, communes, grid cells, with a buffer.
    Build(BuildArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BaselineArg {
    /// The current QPV the candidate overlaps.
    Touched,
    /// Every current QPV.
    All,
}

/// Test options shared by `test` and `compare`.
#[derive(Debug, Args)]
struct TestOptions {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    facilities: FacilityInput,
    /// Facilities within this distance of the perimeter are listed as near, metres.
    #[arg(long, default_value_t = 300.0, value_name = "M")]
    distance: f64,
    /// Which current QPV the candidate is compared with.
    #[arg(long, value_enum, default_value = "touched")]
    baseline: BaselineArg,
    /// National median income per consumption unit, € (default: INSEE 2015, 20,300 €).
    #[arg(long, default_value_t = NATIONAL_MEDIAN_2015, value_name = "EUR")]
    national_median: f64,
    /// Median income of the urban unit, € (default: the national median stands in for it).
    #[arg(long, value_name = "EUR")]
    urban_unit_median: Option<f64>,
    /// Population of the urban unit (≥ 5 million switches the weights to 0.3 / 0.7).
    #[arg(long, value_name = "N")]
    urban_unit_population: Option<f64>,
    #[command(flatten)]
    proxy: ProxyArgs,
    /// Minimum population of a part.
    #[arg(long, default_value_t = 1000.0, value_name = "N")]
    min_population: f64,
    /// Attribute of the candidate file naming it (default: `name`, else the file name).
    /// (--name-field names the attribute of the QPV names, as in every command.)
    #[arg(long, value_name = "FIELD")]
    candidate_name_field: Option<String>,
    /// CRS of a candidate file that declares none (e.g. EPSG:2154).
    #[arg(long, value_name = "EPSG:CODE")]
    source_crs: Option<String>,
}

/// The loaded inputs of `perimeter test` and `perimeter compare`.
struct Prepared {
    crs: Crs,
    options: PerimeterOptions,
    format: OutputFormat,
    candidates: Vec<(String, MultiPolygon<f64>)>,
    zones: Vec<qpv::model::Zone>,
    cells: Vec<qpv::model::GridCell>,
    grid: qpv::model::GridSource,
    facilities: Vec<Facility>,
}

impl TestOptions {
    fn options(&self) -> anyhow::Result<PerimeterOptions> {
        if !(self.distance >= 0.0 && self.distance.is_finite()) {
            anyhow::bail!(qpv::Error::usage(
                format!("--distance {} is not a distance", self.distance),
                "give metres, e.g. --distance 300"
            ));
        }
        if self.proxy.proxy == ProxyArg::MeanIncome && self.proxy.threshold.is_some() {
            anyhow::bail!(qpv::Error::usage(
                "--threshold with --proxy mean-income",
                "in perimeter tests S comes from --national-median and --urban-unit-median"
            ));
        }
        Ok(PerimeterOptions {
            facility_distance_m: self.distance,
            baseline: match self.baseline {
                BaselineArg::Touched => Baseline::Touched,
                BaselineArg::All => Baseline::All,
            },
            eligibility: EligibilityOptions {
                national_median: self.national_median,
                urban_unit_median: self.urban_unit_median,
                urban_unit_population: self.urban_unit_population,
                min_population: self.min_population,
                // Resolved against the data in `prepare`.
                proxy: IncomeProxy::MeanStandardOfLiving,
                calibration: None,
            },
        })
    }

    fn facilities(&self, crs: Crs) -> qpv::Result<Vec<Facility>> {
        Ok(self.facilities.load(crs)?.0)
    }

    /// Everything `test` and `compare` need, loaded once: options, output format (checked not
    /// to overwrite an input), candidates, current QPV, grid and facilities.
    fn prepare(
        &self,
        candidate_paths: &[PathBuf],
        output: &OutputArgs,
        layer_files: Vec<PathBuf>,
        global: &GlobalArgs,
    ) -> anyhow::Result<Prepared> {
        let crs = global.crs()?;
        let mut options = self.options()?;
        let format = OutputFormat::resolve(
            output.format,
            output.output.as_deref(),
            OutputFormat::Markdown,
        )?;
        let mut inputs = self.inputs();
        inputs.extend(candidate_paths.iter().cloned());
        let mut outputs: Vec<PathBuf> = output.output.iter().cloned().collect();
        outputs.extend(layer_files);
        check_destinations(&outputs, &inputs)?;
        let candidates = candidate_paths
            .iter()
            .map(|p| self.candidate(p, crs))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let (cells, grid) = self.data.cells(crs)?;
        let zones = self.data.zones(crs)?;
        let resolved = self.proxy.resolve(&zones, &cells)?;
        options.eligibility.proxy = resolved.proxy;
        options.eligibility.calibration = resolved.calibration;
        Ok(Prepared {
            crs,
            options,
            format,
            candidates,
            zones,
            cells,
            grid,
            facilities: self.facilities(crs)?,
        })
    }

    fn candidate(&self, path: &Path, crs: Crs) -> anyhow::Result<(String, MultiPolygon<f64>)> {
        let assumed = self
            .source_crs
            .as_deref()
            .map(|c| Crs::parse_known(c, "--source-crs"))
            .transpose()?;
        let layer = qpv::io::source::read_vector(path, None)?;
        let c = candidate::from_layer(layer, assumed, crs, self.candidate_name_field.as_deref())?;
        Ok(c)
    }

    fn inputs(&self) -> Vec<PathBuf> {
        let mut v = self.data.inputs();
        v.extend(self.facilities.inputs());
        v
    }
}

#[derive(Debug, Args)]
struct TestArgs {
    /// Candidate perimeter: GeoJSON or any GDAL polygon layer, one or several features
    /// (dissolved into one perimeter).
    candidate: PathBuf,
    #[command(flatten)]
    opts: TestOptions,
    /// Also write the layers candidate.geojson, added.geojson, removed.geojson here.
    #[arg(long, value_name = "DIR")]
    layers: Option<PathBuf>,
    /// Language of `--format html`: fr (default) or en.
    #[arg(long, default_value = "fr", value_name = "fr|en")]
    lang: String,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
struct CompareArgs {
    /// Candidate perimeters (two or more files, or one).
    #[arg(required = true)]
    candidates: Vec<PathBuf>,
    #[command(flatten)]
    opts: TestOptions,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
struct BuildArgs {
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

/// Runs `qpv perimeter`.
pub fn run(args: &PerimeterArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    match &args.command {
        PerimeterCommand::Test(a) => run_test(a, global),
        PerimeterCommand::Compare(a) => run_compare(a, global),
        PerimeterCommand::Build(a) => run_build(a, global),
    }
}

fn run_test(args: &TestArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let lang = Lang::parse(&args.lang)?;
    let layer_files = args.layers.as_deref().map_or_else(Vec::new, |dir| {
        perimeter_layers::layer_files(dir, &perimeter_layers::TEST_LAYER_NAMES)
    });
    let run = args.opts.prepare(
        std::slice::from_ref(&args.candidate),
        &args.output,
        layer_files,
        global,
    )?;
    let (crs, format) = (run.crs, run.format);
    let (name, geometry) = &run.candidates[0];
    let grid = GridIndex::new(&run.cells);
    let (zones, facilities, options) = (&run.zones, &run.facilities, &run.options);
    let t = perimeter::test_perimeter(name, geometry, zones, &grid, facilities, options);
    let layers = perimeter_layers::perimeter_layers(&t, crs);
    if let Some(dir) = &args.layers {
        perimeter_layers::write_layer_dir(dir, &layers)?;
    }
    if format == OutputFormat::Markdown {
        let text = report_markdown::perimeter_test(&t, run.options.baseline, &run.grid);
        write_text(args.output.output.as_deref(), &text)?;
    } else if format == OutputFormat::Html {
        let communes = qpv::io::embedded::communes(crs)?;
        let layers = PerimeterMapLayers {
            communes: &communes,
            facilities,
            grid: Some(&grid),
        };
        let text = perimeter_html(&t, &layers, lang)?;
        write_text(args.output.output.as_deref(), &text)?;
    } else {
        let line = report_markdown::test_baseline_line(&t, run.options.baseline);
        let mut json = serde_json::to_value(&t).context("serialising the result")?;
        json["baseline_rule"] = json!(line);
        json["grid"] = serde_json::to_value(&run.grid).context("serialising the result")?;
        let views = Views {
            table: test_table(&t),
            json,
            layers,
            markdown_preamble: format!("Grid: {}.\n\n", run.grid.label()),
            csv_style: Default::default(),
        };
        write_views_noted(args.output.output.as_deref(), format, &views, &line)?;
    }
    if !global.quiet {
        let c = &t.candidate.indicators;
        eprintln!(
            "{name}: {} inhabitants (estimate), {} ha, {} of {} parts eligible",
            report_markdown::int(c.population),
            report_markdown::ha(c.area_m2),
            t.parts.iter().filter(|p| p.assessment.eligible).count(),
            t.parts.len()
        );
    }
    Ok(())
}

fn run_compare(args: &CompareArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let run = args
        .opts
        .prepare(&args.candidates, &args.output, Vec::new(), global)?;
    let (crs, format) = (run.crs, run.format);
    let grid = GridIndex::new(&run.cells);
    let c = perimeter::compare(
        &run.candidates,
        &run.zones,
        &grid,
        &run.facilities,
        &run.options,
    );
    if format == OutputFormat::Markdown {
        write_text(
            args.output.output.as_deref(),
            &report_markdown::comparison(&c, run.options.baseline, &run.grid),
        )?;
    } else {
        let mut table = Table::new([
            "perimeter",
            "area_m2",
            "population",
            "households",
            "poor_share",
            "mean_standard_of_living",
            "pct_area_in_current_qpv",
            "pct_of_current_population",
            "added_population",
            "removed_population",
            "parts",
            "eligible_parts",
        ]);
        for r in &c.rows {
            let i = &r.indicators;
            table.push(vec![
                json!(r.name),
                round(i.area_m2, 2),
                round(i.population, 1),
                round(i.households, 1),
                opt(i.poor_household_share, 4),
                opt(i.mean_standard_of_living, 0),
                opt(r.pct_area_in_current_qpv, 2),
                opt(r.pct_of_current_population, 2),
                round(r.added_population, 1),
                round(r.removed_population, 1),
                json!(r.parts),
                json!(r.eligible_parts),
            ]);
        }
        let line = report_markdown::comparison_baseline_line(&c, run.options.baseline);
        let mut json = serde_json::to_value(&c).context("serialising the result")?;
        json["baseline_rule"] = json!(line);
        json["grid"] = serde_json::to_value(&run.grid).context("serialising the result")?;
        let views = Views {
            table,
            json,
            layers: vec![perimeter_layers::comparison_layer(&c, crs)],
            markdown_preamble: format!("Grid: {}.\n\n", run.grid.label()),
            csv_style: Default::default(),
        };
        write_views_noted(args.output.output.as_deref(), format, &views, &line)?;
    }
    Ok(())
}

fn run_build(args: &BuildArgs, global: &GlobalArgs) -> anyhow::Result<()> {
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
    let mut parts: Vec<MultiPolygon<f64>> = Vec::new();
    let mut recipe = Vec::new();
    if !args.qpv_codes.is_empty() {
        let zones = args.data.zones(crs)?;
        parts.push(candidate::from_zones(&zones, &args.qpv_codes, "QPV")?);
        recipe.push(format!("QPV {}", args.qpv_codes.join(", ")));
    }
    if !args.communes.is_empty() {
        let communes = match &args.communes_file {
            Some(p) => qpv::io::read_zones(
                p,
                &ZoneFields {
                    code: "code".into(),
                    name: "name".into(),
                    communes: None,
                    ..ZoneFields::default()
                },
                crs,
            )?,
            None => qpv::io::embedded::communes(crs)?,
        };
        parts.push(candidate::from_zones(&communes, &args.communes, "commune")?);
        recipe.push(format!("communes {}", args.communes.join(", ")));
    }
    if args.cells_where.is_some() || args.near_point.is_some() {
        let (cells, grid) = args.data.cells(crs)?;
        recipe.push(format!("(cells of the {})", grid.label()));
        if let Some(cond) = &args.cells_where {
            let c = CellCondition::parse(cond)?;
            parts.push(candidate::from_cells(&cells, &c));
            recipe.push(format!("grid cells where {cond}"));
        }
        if let Some(p) = near_point {
            let (x, y) = (p.x, p.y);
            parts.push(candidate::cells_near(
                &cells,
                Point::new(x, y),
                args.near_distance,
            ));
            recipe.push(format!(
                "grid cells within {} m of ({x}, {y})",
                args.near_distance
            ));
        }
    }
    let mut geometry = candidate::dissolve(&parts);
    if args.buffer != 0.0 {
        geometry = candidate::buffer(&geometry, args.buffer);
        recipe.push(format!("buffer {} m", args.buffer));
    }
    if geometry.0.is_empty() {
        anyhow::bail!(qpv::Error::usage(
            "the candidate is empty",
            "loosen --cells-where or check the codes"
        ));
    }
    let layer = GeoLayer {
        name: "candidate".into(),
        crs,
        style: Some(qpv::output::qgis_style::LayerStyle::Perimeter),
        features: vec![qpv::output::GeoFeature {
            geometry: Some(geo::Geometry::MultiPolygon(geometry.clone())),
            properties: [
                ("name".to_string(), json!(args.name)),
                ("recipe".to_string(), json!(recipe.join(" + "))),
                ("parts".to_string(), json!(geometry.0.len())),
                (
                    "area_m2".to_string(),
                    round(qpv::analysis::interpolate::local_area_multi(&geometry), 2),
                ),
            ]
            .into_iter()
            .collect(),
        }],
    };
    let mut table = Table::new(["name", "recipe", "parts", "area_m2"]);
    table.push(layer.features[0].properties.values().cloned().collect());
    let views = Views {
        table,
        json: Value::Object(layer.features[0].properties.clone()),
        layers: vec![layer],
        markdown_preamble: String::new(),
        csv_style: Default::default(),
    };
    write_views(args.output.output.as_deref(), format, &views)?;
    Ok(())
}

fn test_table(t: &PerimeterTest) -> Table {
    let mut table = Table::new([
        "piece",
        "area_m2",
        "population",
        "households",
        "poor_households",
        "poor_share",
        "mean_standard_of_living",
        "owner_share",
        "imputed_population_share",
        "eligible",
    ]);
    let mut push = |label: String, i: &qpv::analysis::interpolate::Indicators, eligible: Value| {
        table.push(vec![
            json!(label),
            round(i.area_m2, 2),
            round(i.population, 1),
            round(i.households, 1),
            round(i.poor_households, 1),
            opt(i.poor_household_share, 4),
            opt(i.mean_standard_of_living, 0),
            opt(i.owner_share, 4),
            opt(i.imputed_population_share, 4),
            eligible,
        ]);
    };
    push("candidate".into(), &t.candidate.indicators, Value::Null);
    push("current".into(), &t.baseline.indicators, Value::Null);
    push("added".into(), &t.added.indicators, Value::Null);
    push("removed".into(), &t.removed.indicators, Value::Null);
    for p in &t.parts {
        push(
            format!("part {}", p.part),
            &p.piece.indicators,
            json!(p.assessment.eligible),
        );
    }
    table
}

use qpv::output::number::{json as round, json_opt as opt};

fn write_text(path: Option<&Path>, text: &str) -> qpv::Result<()> {
    let path = path.unwrap_or(Path::new("-"));
    write_atomic(path, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| qpv::Error::io(path, e))
    })
}
