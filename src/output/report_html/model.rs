//! The report as data: built once from the coverage records and the grid estimates, written
//! as JSON (`--format json`) and rendered as HTML. Every number the HTML shows is a field here.

use serde::Serialize;
use serde_json::Value;

use super::Lang;
use super::map::{DENSITY_CLASSES, DensityClass, MapLayers, quarter_map};
use crate::analysis::coverage::{CoverageOptions, CoverageRecord, coverage};
use crate::analysis::interpolate::{GridIndex, Indicators};
use crate::geocode::UnplacedCentre;
use crate::index::{FacilityIndex, ZoneIndex};
use crate::model::{Category, Facility, GridCell, Zone};
use crate::output::coverage_json::record_json;
use crate::output::coverage_notes::{CoverageNotes, coverage_notes};

/// The layers a coverage report is made of (all in the working metric CRS).
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The QPV.
    pub zones: &'a [Zone],
    /// The facilities (schools, placed social centres…).
    pub facilities: &'a [Facility],
    /// Social centres of the list left out for want of a position.
    pub unplaced_social_centres: &'a [UnplacedCentre],
    /// The 200 m grid and the name of its file (`None`: no population figures).
    pub grid: Option<(&'a [GridCell], &'a str)>,
    /// Commune outlines for the maps' background (may be empty).
    pub communes: &'a [Zone],
    /// Names of the QPV and facility files (`None`: the embedded data).
    pub zone_file: Option<&'a str>,
    /// See `zone_file`.
    pub facility_file: Option<&'a str>,
}

/// What to compute and how to say it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Distances D, metres (each gives its tables; the maps draw the first ring).
    pub distances_m: Vec<f64>,
    /// Categories (default: all present).
    pub categories: Option<Vec<Category>>,
    /// Language of the HTML.
    pub lang: Lang,
}

/// The grid a report used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridNote {
    /// Its file (`<embedded:…>` for the embedded grid).
    pub file: String,
    /// Filosofi vintage read from the file name (`None` when it does not say).
    pub vintage: Option<u16>,
    /// Cells loaded.
    pub cells: usize,
}

/// One data source, as the report cites it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceNote {
    /// Which layer.
    pub layer: String,
    /// Attribution text (producer, vintage, licence) or the user's file name.
    pub text: String,
}

/// Grid estimates of one QPV, rounded as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterIndicators {
    /// Area of the QPV, hectares (2 decimals).
    pub area_ha: f64,
    /// Estimated inhabitants (0.1).
    pub population: f64,
    /// Estimated households (0.1).
    pub households: f64,
    /// Estimated poor households (0.1).
    pub poor_households: f64,
    /// Poor households / households (4 decimals).
    pub poor_household_share: Option<f64>,
    /// Mean standard of living, € per year (whole euros).
    pub mean_standard_of_living: Option<f64>,
    /// Share of the estimate resting on cells INSEE imputed (4 decimals).
    pub imputed_population_share: Option<f64>,
    /// Grid cells overlapping the QPV.
    pub cells: usize,
}

/// One "fiche quartier".
#[derive(Debug, Clone, Serialize)]
pub struct Quarter {
    /// QPV code.
    pub code: String,
    /// QPV name.
    pub name: String,
    /// Names of its communes (codes when the commune layer does not know them).
    pub communes: Vec<String>,
    /// Grid estimates (`None` without grid).
    pub indicators: Option<QuarterIndicators>,
    /// Its coverage records (as `qpv coverage --format json` writes them), category order of
    /// the report, then distance.
    pub records: Vec<Value>,
    /// Length of the map's scale bar, metres.
    pub scale_bar_m: f64,
    /// Radius of the ring drawn on the map, metres.
    pub ring_m: f64,
    /// The map (inline SVG).
    #[serde(skip)]
    pub map_svg: String,
    /// The chart of covered shares (inline SVG).
    #[serde(skip)]
    pub chart_svg: String,
}

/// One row of a proximity table: a QPV and its facilities of a category within D.
#[derive(Debug, Clone, Serialize)]
pub struct ProximityRow {
    /// QPV code.
    pub code: String,
    /// QPV name.
    pub name: String,
    /// Facilities inside the QPV.
    pub inside_count: Value,
    /// Facilities inside or within D.
    pub within_count: Value,
    /// Those facilities (id, name, distance, geocoding precision), nearest first.
    pub within: Value,
}

/// "Collèges dans le quartier ou à moins de 300 m": one category and distance, every QPV.
#[derive(Debug, Clone, Serialize)]
pub struct ProximityTable {
    /// Facility category.
    pub category: Category,
    /// The distance D, metres.
    pub distance_m: f64,
    /// One row per QPV, by code.
    pub rows: Vec<ProximityRow>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageReport {
    /// Distances D, ascending.
    pub distances_m: Vec<f64>,
    /// Categories, in reading order (schools by level, then the others).
    pub categories: Vec<Category>,
    /// Number of QPV.
    pub qpv_count: usize,
    /// Number of facilities counted.
    pub facility_count: usize,
    /// Gaps, geocoded and uncounted facilities.
    pub notes: CoverageNotes,
    /// Per category and distance, every QPV's facilities within D.
    pub proximity: Vec<ProximityTable>,
    /// Sources and licences.
    pub sources: Vec<SourceNote>,
    /// The grid used, if any.
    pub grid: Option<GridNote>,
    /// Classes of the maps' population background (inhabitants per 200 m cell).
    pub density_classes: Vec<DensityClass>,
    /// One fiche per QPV, by code.
    pub quarters: Vec<Quarter>,
}

/// Reading order of the usual categories; others follow alphabetically.
fn category_rank(c: &Category) -> (usize, String) {
    let order = [
        Category::ECOLE_MATERNELLE,
        Category::ECOLE_ELEMENTAIRE,
        Category::COLLEGE,
        Category::LYCEE,
        Category::SOCIAL_CENTRE,
    ];
    let rank = order
        .iter()
        .position(|o| *o == c.as_str())
        .unwrap_or(order.len());
    (rank, c.0.clone())
}

/// The Filosofi vintage in a grid file name (`filosofi2019_…` → 2019), if it says.
///
/// ```
/// use qpv::output::report_html::grid_vintage;
/// assert_eq!(grid_vintage("<embedded:filosofi2015_200m_belfort_offemont.csv>"), Some(2015));
/// assert_eq!(grid_vintage("Filosofi_2019_carreaux_200m.csv"), Some(2019));
/// assert_eq!(grid_vintage("grid.csv"), None);
/// ```
pub fn grid_vintage(file: &str) -> Option<u16> {
    let lower = file.to_ascii_lowercase();
    let rest = &lower[lower.find("filosofi")? + "filosofi".len()..];
    let digits: String = rest
        .trim_start_matches(['_', '-', ' '])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

use crate::output::number::round;

fn quarter_indicators(i: &Indicators) -> QuarterIndicators {
    QuarterIndicators {
        area_ha: round(i.area_m2 / 10_000.0, 2),
        population: round(i.population, 1),
        households: round(i.households, 1),
        poor_households: round(i.poor_households, 1),
        poor_household_share: i.poor_household_share.map(|v| round(v, 4)),
        mean_standard_of_living: i.mean_standard_of_living.map(|v| round(v, 0)),
        imputed_population_share: i.imputed_population_share.map(|v| round(v, 4)),
        cells: i.cells,
    }
}

fn sources(input: &ReportInput, grid: Option<&GridNote>) -> Vec<SourceNote> {
    let note = |layer: &str, text: String| SourceNote {
        layer: layer.into(),
        text,
    };
    let mut out = vec![match input.zone_file {
        Some(f) => note("qpv", f.to_string()),
        None => note(
            "qpv",
            "ANCT, SIG Ville, QPV 2024 — Licence Ouverte / Etalab 2.0".into(),
        ),
    }];
    match input.facility_file {
        Some(f) => out.push(note("facilities", f.to_string())),
        None => {
            out.push(note(
                "facilities",
                "Ministère de l'Éducation nationale, Annuaire de l'éducation (extrait du \
                 27/05/2026) — Licence Ouverte / Etalab 2.0"
                    .into(),
            ));
            out.push(note(
                "social_centres",
                "Évaluation du Contrat de Ville de Grand Belfort (2022) ; adresses géocodées sur \
                 BANO (© les contributeurs d'OpenStreetMap, ODbL)"
                    .into(),
            ));
        }
    }
    if let Some(g) = grid {
        let text = match (g.file.starts_with("<embedded:"), g.vintage) {
            (true, Some(v)) => format!(
                "Insee, Filosofi {v}, données carroyées à 200 m — Licence Ouverte / Etalab 2.0"
            ),
            _ => g.file.clone(),
        };
        out.push(note("grid", text));
    }
    if !input.communes.is_empty() {
        out.push(note(
            "communes",
            "IGN, ADMIN EXPRESS (COG 2018), contours simplifiés — Licence Ouverte / Etalab 2.0"
                .into(),
        ));
    }
    out
}

/// Builds the report: coverage of every QPV, grid estimates, maps and charts.
pub fn build_report(input: &ReportInput, options: &ReportOptions) -> CoverageReport {
    let zone_index = ZoneIndex::new(input.zones);
    let facility_index = FacilityIndex::new(input.facilities);
    let cov_options = CoverageOptions {
        distances_m: options.distances_m.clone(),
        categories: options.categories.clone(),
        // The report's maps draw the discs, not the uncovered parts.
        uncovered: false,
        ..CoverageOptions::default()
    };
    let cells = input.grid.map(|(c, _)| c);
    let records = coverage(&zone_index, &facility_index, cells, &cov_options);
    let mut distances = options.distances_m.clone();
    distances.sort_by(f64::total_cmp);
    distances.dedup();
    let mut categories: Vec<Category> = records.iter().map(|r| r.category.clone()).collect();
    categories.sort_by_key(category_rank);
    categories.dedup();
    let grid_index = cells.map(GridIndex::new);
    let grid = input.grid.map(|(c, file)| GridNote {
        file: file.to_string(),
        vintage: grid_vintage(file),
        cells: c.len(),
    });
    let layers = MapLayers {
        zones: input.zones,
        communes: input.communes,
        facilities: input.facilities,
        grid: grid_index.as_ref(),
    };
    let quarters = input
        .zones
        .iter()
        .map(|z| quarter(z, &records, &distances, &layers, input, options))
        .collect();
    let mut quarters: Vec<Quarter> = quarters;
    quarters.sort_by(|a, b| a.code.cmp(&b.code));
    CoverageReport {
        proximity: proximity_tables(&records, &categories, &distances),
        notes: coverage_notes(
            &records,
            input.zones.len(),
            input.facilities,
            input.unplaced_social_centres,
        ),
        sources: sources(input, grid.as_ref()),
        grid,
        distances_m: distances,
        categories,
        qpv_count: input.zones.len(),
        facility_count: input.facilities.len(),
        density_classes: DENSITY_CLASSES.to_vec(),
        quarters,
    }
}

fn proximity_tables(
    records: &[CoverageRecord],
    categories: &[Category],
    distances: &[f64],
) -> Vec<ProximityTable> {
    let mut out = Vec::new();
    for &d in distances {
        for c in categories {
            let rows = records
                .iter()
                .filter(|r| &r.category == c && r.distance_m == d)
                .map(|r| {
                    let v = record_json(r);
                    ProximityRow {
                        code: r.code_qp.clone(),
                        name: r.lib_qp.clone(),
                        inside_count: v["inside_count"].clone(),
                        within_count: v["within_count"].clone(),
                        within: v["within"].clone(),
                    }
                })
                .collect();
            out.push(ProximityTable {
                category: c.clone(),
                distance_m: d,
                rows,
            });
        }
    }
    // The Contrat de Ville's own table ("collèges dans le quartier ou à moins de 300 m") first.
    out.sort_by_key(|t| t.category.as_str() != Category::COLLEGE);
    out
}

fn quarter(
    zone: &Zone,
    records: &[CoverageRecord],
    distances: &[f64],
    layers: &MapLayers,
    input: &ReportInput,
    options: &ReportOptions,
) -> Quarter {
    let mut own: Vec<&CoverageRecord> = records.iter().filter(|r| r.code_qp == zone.code).collect();
    own.sort_by(|a, b| {
        category_rank(&a.category)
            .cmp(&category_rank(&b.category))
            .then(a.distance_m.total_cmp(&b.distance_m))
    });
    let ring_m = distances.first().copied().unwrap_or(0.0);
    let near: Vec<&str> = own
        .iter()
        .filter(|r| r.distance_m == ring_m)
        .flat_map(|r| r.within.iter().map(|w| w.id.as_str()))
        .collect();
    let map = quarter_map(
        zone,
        ring_m,
        &near,
        layers,
        options.lang,
        &sources_short(input),
    );
    let chart_records: Vec<&CoverageRecord> = own
        .iter()
        .copied()
        .filter(|r| r.distance_m == ring_m)
        .collect();
    Quarter {
        code: zone.code.clone(),
        name: zone.name.clone(),
        communes: zone
            .communes
            .iter()
            .map(|code| {
                input
                    .communes
                    .iter()
                    .find(|c| &c.code == code)
                    .map_or(code.clone(), |c| c.name.clone())
            })
            .collect(),
        indicators: layers
            .grid
            .map(|g| quarter_indicators(&g.estimate(&zone.geometry))),
        records: own.iter().map(|r| record_json(r)).collect(),
        scale_bar_m: map.scale_bar_m,
        ring_m,
        map_svg: map.svg,
        chart_svg: super::chart::coverage_chart(&chart_records, options.lang),
    }
}

/// The one-line source credit printed on each map (strings the sources list also carries).
fn sources_short(input: &ReportInput) -> String {
    let mut parts = vec![if input.zone_file.is_some() {
        "QPV"
    } else {
        "ANCT QPV 2024"
    }];
    parts.push(if input.facility_file.is_some() {
        "équipements"
    } else {
        "Éducation nationale, BANO"
    });
    if input.grid.is_some() {
        parts.push("Insee Filosofi");
    }
    if !input.communes.is_empty() {
        parts.push("IGN");
    }
    parts.join(" ; ")
}
