//! `qpv coverage`: facilities in and near each zone, per category and distance, with covered
//! area and population shares.

use std::path::PathBuf;

use clap::Args;
use geo::Geometry;

use qpv::output::coverage_json::{record_flat as flat, write_coverage_json};
use qpv::output::coverage_notes::{CoverageNotes, coverage_notes};

use qpv::analysis::coverage::{CoverageOptions, CoverageRecord, coverage};
use qpv::crs::Crs;
use qpv::index::{FacilityIndex, ZoneIndex};
use qpv::model::{Category, GridCell, GridSource};
use qpv::output::coverage_layers::coverage_layers;
use qpv::output::qgis_project::{project_path as qgis_project_path, write_qgis_project};
use qpv::output::{GeoFeature, GeoLayer, OutputFormat, Table, Views, write_views};

use super::layers::{FacilityInput, GridInput, ZoneInput, check_distance};
use super::{CsvStyleArgs, GlobalArgs, OutputArgs};

/// Arguments of `qpv coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub zones: ZoneInput,
    #[command(flatten)]
    pub facilities: FacilityInput,
    /// Distances to the perimeter in metres, comma-separated (each gives its own records).
    #[arg(
        long,
        value_name = "M[,M...]",
        value_delimiter = ',',
        default_value = "300",
        allow_negative_numbers = true
    )]
    pub distance: Vec<f64>,
    /// Filosofi 200 m grid for population-weighted shares; default with the embedded QPV:
    /// the embedded grid.
    #[command(flatten)]
    pub grid: GridInput,
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
        let mut inputs: Vec<PathBuf> = [&args.zones.qpv, &args.grid.grid]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        inputs.extend(args.facilities.inputs());
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
    }
    format.check_output(args.output.output.as_deref())?;
    let csv_style = args.csv.csv_style.for_format(format)?;
    let project = qgis_project_path(
        args.qgis_project.as_ref(),
        args.output.output.as_deref(),
        format,
    )?;
    for &d in &args.distance {
        check_distance(d, "--distance")?;
    }
    let zones = args.zones.load(crs)?;
    let (facilities, categories, unplaced) = args.facilities.load(crs)?;
    let use_grid = !args.no_grid && (args.grid.grid.is_some() || args.zones.qpv.is_none());
    let (grid, grid_source): (Option<Vec<GridCell>>, Option<GridSource>) = if use_grid {
        let (cells, source) = args.grid.load(crs)?;
        (Some(cells), Some(source))
    } else {
        (None, None)
    };
    let zone_index = ZoneIndex::new(&zones);
    let facility_index = FacilityIndex::new(&facilities);
    let options = CoverageOptions {
        distances_m: args.distance.clone(),
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
        return Ok(write_coverage_json(
            args.output.output.as_deref(),
            &records,
            &notes,
        )?);
    }
    let mut views = views(&records, &notes, crs, format);
    if let Some(g) = &grid_source {
        views
            .markdown_preamble
            .push_str(&format!("Population shares from the {}.\n\n", g.label()));
    }
    views.csv_style = csv_style;
    if format == OutputFormat::Gpkg {
        views.layers = coverage_layers(&records, &zone_index, &facility_index, crs);
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

/// Table and the uncovered-area layer of a coverage run (the JSON view is streamed by
/// `write_coverage_json`), only the one `format` shows; the Markdown report carries the notes
/// too.
pub fn views(
    records: &[CoverageRecord],
    notes: &CoverageNotes,
    crs: Crs,
    format: OutputFormat,
) -> Views {
    let columns = [
        "code_qp",
        "lib_qp",
        "category",
        "distance_m",
        "inside_count",
        "within_count",
        "nearest_id",
        "nearest_distance_m",
        "area_share_covered",
        "population_share_covered",
        "within",
    ];
    let mut table = Table::new(columns);
    let mut features = Vec::new();
    for r in records {
        let props = flat(r);
        if !format.has_geometry() {
            table.push(columns.iter().map(|c| props[*c].clone()).collect());
            continue;
        }
        features.push(GeoFeature {
            geometry: (!r.uncovered.0.is_empty())
                .then(|| Geometry::MultiPolygon(r.uncovered.clone())),
            properties: props,
        });
    }
    Views {
        table,
        json: serde_json::Value::Null,
        layers: vec![GeoLayer {
            name: "coverage_uncovered".into(),
            crs,
            style: Some(qpv::output::qgis_style::LayerStyle::Uncovered),
            features,
        }],
        markdown_preamble: "# Facility coverage of the QPV\n\n`within`: facilities at most \
            `distance_m` from the perimeter (0 inside); shares: part of the zone's area (and \
            estimated population, areal interpolation of the 200 m grid) within that distance.\n\n"
            .to_string()
            + &notes.markdown()
            + "## Records\n\n",
        csv_style: Default::default(),
    }
}

/// What the social-centre figures rest on, for stderr: the centres placed by geocoding
/// (approximate positions) and those not counted for want of a position.
fn social_centre_note(notes: &CoverageNotes) -> String {
    let placed: Vec<String> = notes
        .geocoded_facilities
        .iter()
        .filter(|f| f.category.as_str() == Category::SOCIAL_CENTRE)
        .map(|f| format!("{} ({})", f.name, f.geocoding_precision))
        .collect();
    let mut out = String::new();
    if !placed.is_empty() {
        out.push_str(&format!(
            "  social centres placed by geocoding their address (approximate): {}\n",
            placed.join(", ")
        ));
    }
    let unplaced = &notes.uncounted_facilities;
    if !unplaced.is_empty() {
        out.push_str(&format!(
            "  {} social centres without a known position are not counted: {}\n",
            unplaced.len(),
            unplaced
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

/// "college within 300 m: 4 of 7 QPV; none for QN09002M, ..." lines for stderr.
fn gaps_summary(notes: &CoverageNotes) -> String {
    let mut out = String::new();
    for g in &notes.gaps {
        let missing: Vec<&str> = g.missing.iter().map(|z| z.code.as_str()).collect();
        out.push_str(&format!(
            "{} within {} m: {} of {} QPV",
            g.category, g.distance_m, g.covered, g.zones
        ));
        out.push_str(&missing_text(&missing));
        out.push('\n');
    }
    out
}

/// QPV codes listed by name on stderr per category; at national scale the rest is counted (the
/// output has every record).
const GAPS_LISTED: usize = 10;

/// "; none for A, B" — or, past [`GAPS_LISTED`] codes, "; none for 149 QPV: A, B, ... and
/// 139 more (`within_count` = 0 in the output)"; empty when nothing is missing.
fn missing_text(missing: &[&str]) -> String {
    match missing.len() {
        0 => String::new(),
        n if n <= GAPS_LISTED => format!("; none for {}", missing.join(", ")),
        n => format!(
            "; none for {n} QPV: {} and {} more (`within_count` = 0 in the output)",
            missing[..GAPS_LISTED].join(", "),
            n - GAPS_LISTED
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_of_uncovered_qpv_are_cut() {
        assert_eq!(missing_text(&[]), "");
        assert_eq!(missing_text(&["A", "B"]), "; none for A, B");
        let ten: Vec<String> = (0..10).map(|i| format!("Q{i}")).collect();
        let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
        assert_eq!(missing_text(&ten), format!("; none for {}", ten.join(", ")));
        let many: Vec<String> = (0..149).map(|i| format!("Q{i:03}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            missing_text(&many),
            "; none for 149 QPV: Q000, Q001, Q002, Q003, Q004, Q005, Q006, Q007, Q008, Q009 \
             and 139 more (`within_count` = 0 in the output)"
        );
    }
}
