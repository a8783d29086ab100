//! `qpv coverage`: facilities in and near each zone, per category and distance, with covered
//! area and population shares.

use std::path::PathBuf;

use clap::Args;
use qpv::output::coverage_json::write_coverage_json;
use qpv::output::coverage_notes::coverage_notes;
use qpv::output::coverage_rows::{gaps_summary, social_centre_note, views};

use qpv::analysis::coverage::{CoverageOptions, coverage};
use qpv::analysis::coverage_map::coverage_map;
use qpv::index::{FacilityIndex, ZoneIndex};
use qpv::model::{GridCell, GridSource};
use qpv::output::coverage_layers::coverage_layers;
use qpv::output::qgis_project::{project_path as qgis_project_path, write_qgis_project};
use qpv::output::{OutputFormat, write_views};

use super::layers::{CoverageInputs, check_distance};
use super::{CsvStyleArgs, GlobalArgs, OutputArgs};

/// Arguments of `qpv coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub inputs: CoverageInputs,
    /// No population-weighted shares.
    #[arg(long, conflicts_with = "grid")]
    pub no_grid: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub csv: CsvStyleArgs,
    /// Also write a QGIS project opening every layer of the GeoPackage, styled and zoomed to
    /// the QPV (default FILE: the GeoPackage's name with `.qgs`). Needs `-o FILE.gpkg`.
    #[arg(long, value_name = "FILE.qgs", num_args = 0..=1)]
    pub qgis_project: Option<Option<PathBuf>>,
}

/// Runs `qpv coverage`.
pub fn run(args: &CoverageArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Table,
    )?;
    if let Some(out) = args.output.output.as_deref() {
        let mut inputs: Vec<PathBuf> = [&args.inputs.zones.qpv, &args.inputs.grid.grid]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        inputs.extend(args.inputs.facilities.inputs());
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
    }
    format.check_output(args.output.output.as_deref())?;
    let csv_style = args.csv.csv_style.for_format(format)?;
    let project = qgis_project_path(
        args.qgis_project.as_ref(),
        args.output.output.as_deref(),
        format,
    )?;
    for &d in &args.inputs.distance {
        check_distance(d, "--distance")?;
    }
    // The two files are read at the same time, each indexed as soon as it is read (the zones,
    // read first, while the facilities are still being read); a problem with the zones is
    // still the one reported when both have one.
    let (zones, facilities) = rayon::join(
        || {
            args.inputs.zones.load(crs).map(|zones| {
                let index = ZoneIndex::new(&zones);
                (zones, index)
            })
        },
        || {
            args.inputs.facilities.load(crs).map(|loaded| {
                let index = FacilityIndex::new(&loaded.0);
                (loaded, index)
            })
        },
    );
    let (zones, zone_index) = zones?;
    let ((facilities, categories, unplaced), facility_index) = facilities?;
    let use_grid =
        !args.no_grid && (args.inputs.grid.grid.is_some() || args.inputs.zones.qpv.is_none());
    let (grid, grid_source): (Option<Vec<GridCell>>, Option<GridSource>) = if use_grid {
        let (cells, source) = args.inputs.grid.load(crs)?;
        (Some(cells), Some(source))
    } else {
        (None, None)
    };
    let options = CoverageOptions {
        distances_m: args.inputs.distance.clone(),
        categories,
        // Only GeoJSON features and GeoPackage layers carry the uncovered parts.
        uncovered: format.has_geometry(),
        ..CoverageOptions::default()
    };
    let records = coverage(&zone_index, &facility_index, grid.as_deref(), &options);
    let notes = coverage_notes(&records, zones.len(), &facilities, &unplaced);
    if !global.quiet {
        eprint!("{}", gaps_summary(&notes));
        eprint!("{}", social_centre_note(&notes));
    }
    if format == OutputFormat::Json {
        // Streamed record by record rather than built as one JSON value first.
        write_coverage_json(args.output.output.as_deref(), &records, &notes)?;
        // The process ends once the file is written: freeing the loaded data one allocation
        // at a time (60,000 national facilities with their attribute maps, the indexes, the
        // records) took about 0.1 s of a national run for nothing, as the operating system
        // takes the whole memory back at exit. `forget` only skips those frees.
        std::mem::forget((facility_index, zone_index));
        std::mem::forget((records, facilities, zones, unplaced, grid));
        return Ok(());
    }
    let mut views = views(&records, &notes, crs, format);
    if let Some(g) = &grid_source {
        views
            .markdown_preamble
            .push_str(&format!("Population shares from the {}.\n\n", g.label()));
    }
    views.csv_style = csv_style;
    if format == OutputFormat::Gpkg {
        let distances: Vec<f64> = records.iter().map(|r| r.distance_m).collect();
        let map = coverage_map(&zone_index, &facility_index, &distances);
        views.layers = coverage_layers(&records, &map, &zone_index, &facility_index, crs);
    }
    write_views(args.output.output.as_deref(), format, &views)?;
    if let (Some(project), Some(gpkg)) = (&project, args.output.output.as_deref()) {
        write_qgis_project(
            project,
            gpkg,
            &views.layers,
            "Couverture des QPV en équipements",
        )?;
    }
    Ok(())
}
