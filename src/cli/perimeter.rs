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
use qpv::output::atomic::{ensure_not_input, write_atomic};
use qpv::output::report_html::{Lang, PerimeterMapLayers, perimeter_html};
use qpv::output::{
    GeoLayer, OutputFormat, Table, Views, geojson, perimeter_layers, report_markdown, write_views,
};

use super::layers::{DataArgs, FacilityInput};
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
enum ProxyArg {
    /// Mean standard of living (Ind_snv / Ind) below S.
    MeanIncome,
    /// Poor-household share at least --poor-share.
    PoorShare,
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
    /// Income proxy of the eligibility test.
    #[arg(long, value_enum, default_value = "mean-income")]
    proxy: ProxyArg,
    /// Minimum poor-household share for --proxy poor-share (0–1).
    #[arg(long, default_value_t = 0.5, value_name = "SHARE")]
    poor_share: f64,
    /// Minimum population of a part.
    #[arg(long, default_value_t = 1000.0, value_name = "N")]
    min_population: f64,
    /// Attribute of the candidate file naming it (default: `name`, else the file name).
    #[arg(long, value_name = "FIELD")]
    name_field: Option<String>,
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
        if !(0.0..=1.0).contains(&self.poor_share) {
            anyhow::bail!(qpv::Error::usage(
                format!("--poor-share {} is not a share", self.poor_share),
                "give a value between 0 and 1, e.g. --poor-share 0.5"
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
                proxy: match self.proxy {
                    ProxyArg::MeanIncome => IncomeProxy::MeanStandardOfLiving,
                    ProxyArg::PoorShare => IncomeProxy::PoorHouseholdShare {
                        min_share: self.poor_share,
                    },
                },
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
        global: &GlobalArgs,
    ) -> anyhow::Result<Prepared> {
        let crs = global.crs()?;
        let options = self.options()?;
        let format = OutputFormat::resolve(
            output.format,
            output.output.as_deref(),
            OutputFormat::Markdown,
        )?;
        let mut inputs = self.inputs();
        inputs.extend(candidate_paths.iter().cloned());
        if let Some(out) = &output.output {
            ensure_not_input(out, &inputs)?;
        }
        let candidates = candidate_paths
            .iter()
            .map(|p| self.candidate(p, crs))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Prepared {
            crs,
            options,
            format,
            candidates,
            zones: self.data.zones(crs)?,
            cells: self.data.cells(crs)?,
            facilities: self.facilities(crs)?,
        })
    }

    fn candidate(&self, path: &Path, crs: Crs) -> anyhow::Result<(String, MultiPolygon<f64>)> {
        let assumed = self.source_crs.as_deref().map(Crs::parse).transpose()?;
        let layer = qpv::io::source::read_vector(path, None)?;
        let c = candidate::from_layer(layer, assumed, crs, self.name_field.as_deref())?;
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
    /// Grid cells within --near-distance of this point (x,y in the working CRS).
    #[arg(long, value_name = "X,Y")]
    near_point: Option<String>,
    /// Distance for --near-point, metres.
    #[arg(long, default_value_t = 200.0, value_name = "M")]
    near_distance: f64,
    /// Grow (or shrink, if negative) the result by this many metres.
    #[arg(long, default_value_t = 0.0, value_name = "M")]
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
    let run = args
        .opts
        .prepare(std::slice::from_ref(&args.candidate), &args.output, global)?;
    let (crs, format) = (run.crs, run.format);
    let (name, geometry) = &run.candidates[0];
    let grid = GridIndex::new(&run.cells);
    let (zones, facilities, options) = (&run.zones, &run.facilities, &run.options);
    let t = perimeter::test_perimeter(name, geometry, zones, &grid, facilities, options);
    let layers = perimeter_layers::perimeter_layers(&t, crs);
    if let Some(dir) = &args.layers {
        write_layers(dir, &layers)?;
    }
    if format == OutputFormat::Markdown {
        let text = report_markdown::perimeter_test(&t);
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
        let views = Views {
            table: test_table(&t),
            json: serde_json::to_value(&t).context("serialising the result")?,
            layers,
            markdown_preamble: String::new(),
        };
        write_views(args.output.output.as_deref(), format, &views)?;
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
    let run = args.opts.prepare(&args.candidates, &args.output, global)?;
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
            &report_markdown::comparison(&c),
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
        let views = Views {
            table,
            json: serde_json::to_value(&c).context("serialising the result")?,
            layers: vec![perimeter_layers::comparison_layer(&c, crs)],
            markdown_preamble: String::new(),
        };
        write_views(args.output.output.as_deref(), format, &views)?;
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
        let cells = args.data.cells(crs)?;
        if let Some(cond) = &args.cells_where {
            let c = CellCondition::parse(cond)?;
            parts.push(candidate::from_cells(&cells, &c));
            recipe.push(format!("grid cells where {cond}"));
        }
        if let Some(text) = &args.near_point {
            let (x, y) = parse_point(text)?;
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
    };
    write_views(args.output.output.as_deref(), format, &views)?;
    Ok(())
}

fn parse_point(text: &str) -> qpv::Result<(f64, f64)> {
    let nums: Vec<Option<f64>> = text.split(',').map(qpv::io::table::parse_number).collect();
    match nums[..] {
        [Some(x), Some(y)] => Ok((x, y)),
        _ => Err(qpv::Error::usage(
            format!("--near-point '{text}' is not X,Y"),
            "give two numbers in the working CRS, e.g. --near-point 989152.5,6734321.0",
        )),
    }
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

fn round(x: f64, decimals: i32) -> Value {
    let f = 10f64.powi(decimals);
    json!((x * f).round() / f)
}

fn opt(x: Option<f64>, decimals: i32) -> Value {
    x.map_or(Value::Null, |v| round(v, decimals))
}

fn write_text(path: Option<&Path>, text: &str) -> qpv::Result<()> {
    let path = path.unwrap_or(Path::new("-"));
    write_atomic(path, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| qpv::Error::io(path, e))
    })
}

/// Writes each layer as `<dir>/<layer name>.geojson`.
pub fn write_layers(dir: &Path, layers: &[GeoLayer]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for layer in layers {
        let path = dir.join(format!("{}.geojson", layer.name));
        write_atomic(&path, |w| geojson::write_layer(w, layer))?;
    }
    Ok(())
}
