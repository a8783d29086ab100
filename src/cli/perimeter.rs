//! `qpv perimeter test | compare | build`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use geo::MultiPolygon;

use qpv::analysis::candidate;
use qpv::analysis::eligibility::{EligibilityOptions, IncomeProxy, NATIONAL_MEDIAN_2015};
use qpv::analysis::interpolate::GridIndex;
use qpv::analysis::perimeter::{self, Baseline, PerimeterOptions};
use qpv::crs::Crs;
use qpv::model::Facility;
use qpv::output::atomic::{check_destinations, write_text};
use qpv::output::report_html::{Lang, PerimeterMapLayers, perimeter_html};
use qpv::output::{
    OutputFormat, perimeter_layers, perimeter_views, report_markdown, write_views_noted,
};

use super::layers::{DataArgs, FacilityInput};
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
    Build(super::perimeter_build::BuildArgs),
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
    /// Language of the reports for people (Markdown, and HTML for `test`): fr (default) or
    /// en. CSV, JSON, the text table and layers do not change.
    #[arg(long, default_value = "fr", value_name = "fr|en")]
    lang: String,
}

/// The loaded inputs of `perimeter test` and `perimeter compare`.
struct Prepared {
    crs: Crs,
    lang: Lang,
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
        let lang = Lang::parse(&self.lang)?;
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
            lang,
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

/// Runs `qpv perimeter`.
pub fn run(args: &PerimeterArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    match &args.command {
        PerimeterCommand::Test(a) => run_test(a, global),
        PerimeterCommand::Compare(a) => run_compare(a, global),
        PerimeterCommand::Build(a) => super::perimeter_build::run(a, global),
    }
}

fn run_test(args: &TestArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let layer_files = args.layers.as_deref().map_or_else(Vec::new, |dir| {
        perimeter_layers::layer_files(dir, &perimeter_layers::TEST_LAYER_NAMES)
    });
    let run = args.opts.prepare(
        std::slice::from_ref(&args.candidate),
        &args.output,
        layer_files,
        global,
    )?;
    let (crs, format, lang) = (run.crs, run.format, run.lang);
    let (name, geometry) = &run.candidates[0];
    let grid = GridIndex::new(&run.cells);
    let (zones, facilities, options) = (&run.zones, &run.facilities, &run.options);
    let t = perimeter::test_perimeter(name, geometry, zones, &grid, facilities, options);
    let layers = perimeter_layers::perimeter_layers(&t, crs);
    if let Some(dir) = &args.layers {
        perimeter_layers::write_layer_dir(dir, &layers)?;
    }
    if format == OutputFormat::Markdown {
        let text = report_markdown::perimeter_test(&t, run.options.baseline, &run.grid, lang);
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
        let line = report_markdown::test_baseline_line(&t, run.options.baseline, Lang::En);
        let views = perimeter_views::test_views(&t, run.options.baseline, &run.grid, layers)?;
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
            &report_markdown::comparison(&c, run.options.baseline, &run.grid, run.lang),
        )?;
    } else {
        let line = report_markdown::comparison_baseline_line(&c, run.options.baseline, Lang::En);
        let views = perimeter_views::comparison_views(&c, run.options.baseline, &run.grid, crs)?;
        write_views_noted(args.output.output.as_deref(), format, &views, &line)?;
    }
    Ok(())
}
