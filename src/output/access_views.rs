//! The views of an [`AccessReport`]: the table per QPV (Markdown, text, CSV), the JSON, the
//! grid layer with one score column per method (GeoJSON, GeoPackage), the per-cell scores
//! CSV written row by row, and [`run_access`], the whole of `qpv access`. Text for people
//! (Markdown, text table) is French by default ([`Lang`]); column names of CSV, JSON and
//! layers stay machine-readable.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::analysis::access::Decay;
use crate::analysis::access_cells::{AccessCells, CellId};
use crate::analysis::access_report::{AccessOptions, AccessReport, MethodResult, access_report};
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::model::{Facility, GridCell, GridSource, Zone};

use rayon::prelude::*;

use super::atomic::write_atomic;
use super::csv_record::{push_record, push_text_field};
use super::number::push_json;
use super::report_html::{Lang, decimal_in, int_in, tr};
use super::{GeoFeature, GeoLayer, OutputFormat, Table, Views, write_views};

/// Rounds to `digits` significant digits, so that layers stay readable and byte-stable.
fn sig(v: f64, digits: i32) -> Value {
    if v == 0.0 || !v.is_finite() {
        return json!(0.0);
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    json!((v * scale).round() / scale)
}

fn opt(v: Option<f64>, digits: i32) -> Value {
    v.map_or(Value::Null, |v| sig(v, digits))
}

/// The grid `qpv access` reads: a Filosofi CSV, read cell by cell, or cells already loaded.
pub enum AccessGrid {
    /// A Filosofi grid CSV and its vintage when known.
    File {
        /// The file.
        path: PathBuf,
        /// Filosofi vintage (`--grid-year`, or the year in the file name).
        vintage: Option<u16>,
    },
    /// Cells already loaded (the embedded grid, or a grid restricted to the communes).
    Cells(Vec<GridCell>, GridSource),
}

/// The facilities of a run: already read, or to be read while the grid file is read (on
/// another core: they are not needed before the grid is).
pub enum AccessFacilities<'a> {
    /// Read.
    Loaded(&'a [Facility]),
    /// How to read them; its error comes before any error of the grid.
    Load(Box<dyn FnOnce() -> Result<Vec<Facility>> + Send + 'a>),
}

impl<'a> AccessFacilities<'a> {
    /// The facilities and what `other` gives, `other` run while they are read (on another
    /// core); an error of the facilities comes before any error of `other`.
    fn alongside<T: Send>(
        self,
        other: impl FnOnce() -> Result<T> + Send,
    ) -> Result<(Cow<'a, [Facility]>, T)> {
        match self {
            AccessFacilities::Loaded(facilities) => Ok((Cow::Borrowed(facilities), other()?)),
            AccessFacilities::Load(load) => {
                let (facilities, other) = rayon::join(load, other);
                Ok((Cow::Owned(facilities?), other?))
            }
        }
    }
}

/// Everything `qpv access` needs, flags already turned into values.
pub struct AccessRun<'a> {
    /// The grid.
    pub grid: AccessGrid,
    /// Every facility (the category is chosen by `options`).
    pub facilities: AccessFacilities<'a>,
    /// The QPV.
    pub zones: &'a [Zone],
    /// The communes of the agglomeration (the `rest` row), if known.
    pub communes: Option<&'a [Zone]>,
    /// What to compute.
    pub options: &'a AccessOptions,
    /// Working CRS.
    pub crs: Crs,
    /// Output format and file (`None`: standard output).
    pub format: OutputFormat,
    /// Output file.
    pub output: Option<&'a Path>,
    /// Where to write every cell's scores (CSV), if anywhere.
    pub scores: Option<&'a Path>,
    /// Language of the text for people.
    pub lang: Lang,
}

/// Runs `qpv access`: reads the grid (a file cell by cell, keeping about 60 bytes a cell),
/// scores it, writes the views in the format asked and the per-cell scores.
///
/// # Errors
/// Those of [`access_report`], of the grid reader and of the writers.
pub fn run_access(run: AccessRun<'_>) -> Result<()> {
    let with_layer = matches!(run.format, OutputFormat::Geojson | OutputFormat::Gpkg);
    let kind = run.options.demand;
    let (cells, source, facilities) = match run.grid {
        AccessGrid::File { path, vintage } => {
            let (facilities, cells) = run.facilities.alongside(|| {
                AccessCells::read(&path, run.crs, kind, run.zones, run.communes, with_layer)
            })?;
            let origin = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            let source = GridSource {
                vintage,
                origin,
                restricted_to: None,
                cells: cells.len(),
                population: cells.population,
            };
            (cells, source, facilities)
        }
        AccessGrid::Cells(grid, source) => {
            let (facilities, cells) = run.facilities.alongside(|| {
                Ok(AccessCells::from_cells(
                    &grid,
                    kind,
                    run.zones,
                    run.communes,
                    with_layer,
                ))
            })?;
            (cells, source, facilities)
        }
    };
    let report = access_report(&cells, source, &facilities, run.zones, run.options)?;
    let views = access_views(&report, &cells, run.crs, run.lang, run.format)?;
    write_views(run.output, run.format, &views)?;
    if let Some(path) = run.scores {
        write_atomic(path, |w| write_cell_scores(w, &report, &cells))?;
    }
    let facilities = match facilities {
        Cow::Owned(loaded) => Some(loaded),
        Cow::Borrowed(_) => None,
    };
    free_in_background((cells, report, facilities, views));
    Ok(())
}

/// Frees `value` on a thread of its own (here inline when no thread can start): at the end
/// of a national run, the caller does not wait for the tens of thousands of frees of a
/// million cells, their scores and the facilities (about 10 ms, most of it memory that other
/// threads allocated), and a program that exits right after does not wait at all.
fn free_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// The views of `report` over the `cells` it was computed on, for `format`: the grid layer
/// only for GeoJSON and GeoPackage (a million polygons are not built for nothing); the table
/// headings and notes in `lang` for the formats people read (Markdown, text table).
///
/// # Errors
/// Only if the report cannot be serialised.
pub fn access_views(
    report: &AccessReport,
    cells: &AccessCells,
    crs: Crs,
    lang: Lang,
    format: OutputFormat,
) -> Result<Views> {
    let for_people = matches!(format, OutputFormat::Markdown | OutputFormat::Table);
    let columns = match (for_people, lang) {
        (true, Lang::Fr) => [
            "méthode",
            "code",
            "nom",
            "demande",
            "score moyen",
            "rapport au reste",
        ],
        _ => [
            "method",
            "code",
            "name",
            "demand",
            "mean_score",
            "ratio_to_rest",
        ],
    };
    let mut table = Table::new(columns);
    if for_people && lang == Lang::Fr {
        table.number_lang = Some(Lang::Fr);
    }
    for m in &report.methods {
        for a in &m.areas {
            let name = match (for_people, lang, a.code.as_str()) {
                (true, Lang::Fr, "rest") => "reste de l'agglomération",
                _ => a.name.as_str(),
            };
            table.push(vec![
                json!(m.method.name),
                json!(a.code),
                json!(name),
                json!((a.demand * 10.0).round() / 10.0),
                opt(a.mean_score, 6),
                opt(a.ratio_to_rest, 4),
            ]);
        }
    }
    let json = serde_json::to_value(report)
        .map_err(|e| Error::usage(format!("cannot serialise the result: {e}"), ""))?;
    let with_layer = matches!(format, OutputFormat::Geojson | OutputFormat::Gpkg);
    Ok(Views {
        csv_style: Default::default(),
        table,
        json,
        layers: if with_layer {
            vec![cell_layer(report, cells, crs)]
        } else {
            Vec::new()
        },
        markdown_preamble: preamble(report, lang),
    })
}

/// The values of cell `i`: id, demand, in_communes, one score per method at full precision
/// (the scores are exact to the last bit from run to run).
fn cell_values(report: &AccessReport, cells: &AccessCells, i: usize) -> Vec<Value> {
    let mut v = vec![
        json!(cells.id(i)),
        json!(cells.demand[i].demand),
        json!(cells.in_communes[i]),
    ];
    v.extend(report.methods.iter().map(|m| json!(m.scores[i])));
    v
}

fn cell_columns(report: &AccessReport) -> Vec<String> {
    let mut columns = vec!["id".to_string(), "demand".into(), "in_communes".into()];
    columns.extend(
        report
            .methods
            .iter()
            .map(|m| format!("score_{}", m.method.name)),
    );
    columns
}

/// Rows per block of the `--scores` file formatted at once (by one thread): small enough that
/// the blocks in flight take little memory (fresh memory is costly to touch).
const SCORE_ROWS: usize = 1 << 12;

/// Writes one CSV row per cell (id, demand, in_communes, `score_<method>`): the `--scores`
/// file, of a million rows on a national grid. Byte for byte the rows of the layer's values
/// through the plain [`super::csv_style::CsvStyle`] (numbers as JSON writes them, non-finite ones empty, ids
/// neutralised against formulas), formatted straight into bytes in blocks of rows, blocks
/// in parallel, and written in order by this thread while the next blocks are formatted.
///
/// # Errors
/// A write error.
pub fn write_cell_scores(
    w: &mut dyn std::io::Write,
    report: &AccessReport,
    cells: &AccessCells,
) -> Result<()> {
    let io_err = |e: std::io::Error| Error::io(Path::new("<scores>"), e);
    let mut head = Vec::new();
    push_record(&mut head, cell_columns(report));
    w.write_all(&head).map_err(io_err)?;
    let scores: Vec<&[f64]> = report.methods.iter().map(|m| m.scores.as_slice()).collect();
    let starts: Vec<usize> = (0..cells.len()).step_by(SCORE_ROWS).collect();
    // A few blocks per thread at a time, at most two batches waiting: memory stays bounded
    // whatever the grid.
    let batch = 4 * rayon::current_num_threads().max(1);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(1);
        let scores = &scores;
        s.spawn(move || {
            for batch in starts.chunks(batch) {
                let blocks = batch
                    .par_iter()
                    .map(|&start| {
                        let end = (start + SCORE_ROWS).min(cells.len());
                        score_rows(cells, scores, start..end)
                    })
                    .collect();
                // The writer stopped (a write error): nothing more to format.
                if tx.send(blocks).is_err() {
                    break;
                }
            }
        });
        for blocks in rx {
            for block in blocks {
                w.write_all(&block).map_err(io_err)?;
            }
        }
        Ok(())
    })?;
    w.flush().map_err(io_err)
}

/// The `--scores` rows of the cells `rows`.
fn score_rows(cells: &AccessCells, scores: &[&[f64]], rows: std::ops::Range<usize>) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * (48 + 24 * scores.len()));
    for (i, id) in rows.clone().zip(cells.ids(rows)) {
        match id {
            CellId::Text(text) => push_text_field(&mut out, text.as_bytes()),
            // Letters and digits from "CRS" on: nothing to quote or neutralise.
            CellId::Canonical(_) => id.write(&mut out),
        }
        out.push(b',');
        push_json(&mut out, cells.demand[i].demand);
        out.push(b',');
        out.extend_from_slice(if cells.in_communes[i] {
            b"true"
        } else {
            b"false"
        });
        for s in scores {
            out.push(b',');
            push_json(&mut out, s[i]);
        }
        out.push(b'\n');
    }
    out
}

fn cell_layer(report: &AccessReport, cells: &AccessCells, crs: Crs) -> GeoLayer {
    let columns = cell_columns(report);
    let features = (0..cells.len())
        .map(|i| GeoFeature {
            geometry: cells.polygon(i).map(|p| geo::Geometry::Polygon(p.clone())),
            properties: columns
                .iter()
                .cloned()
                .zip(cell_values(report, cells, i))
                .collect::<Map<String, Value>>(),
        })
        .collect();
    GeoLayer {
        style: None,
        name: "access_cells".into(),
        crs,
        features,
    }
}

fn decay_text(decay: &Decay, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    match decay {
        Decay::Unit if fr => "poids 1 dans tout le rayon".to_string(),
        Decay::Unit => "weight 1 within the catchment".to_string(),
        Decay::Steps { bands } => {
            let parts: Vec<String> = bands
                .iter()
                .map(|(b, w)| format!("≤ {} m : {}", int_in(*b, lang), decimal_in(*w, lang)))
                .collect();
            let parts = parts.join(", ");
            if fr {
                format!("poids par palier {parts}")
            } else {
                format!("step weights {}", parts.replace(" : ", ": "))
            }
        }
        Decay::Gaussian { sigma_m } if fr => {
            format!("décroissance gaussienne, σ = {} m", int_in(*sigma_m, lang))
        }
        Decay::Gaussian { sigma_m } => format!("Gaussian decay, σ = {} m", int_in(*sigma_m, lang)),
        Decay::Power {
            scale_m,
            alpha,
            min_m,
        } => format!(
            "{} (max(d, {} m) / {} m)^{alpha}",
            if fr {
                "décroissance gravitaire"
            } else {
                "gravity decay"
            },
            int_in(*min_m, lang),
            int_in(*scale_m, lang)
        ),
    }
}

fn method_text(m: &MethodResult, lang: Lang) -> String {
    let c = int_in(m.method.catchment_m, lang);
    let decay = decay_text(&m.method.decay, lang);
    let name = &m.method.name;
    // French puts a space before `:` and `;`.
    let (colon, semicolon) = (tr(lang, " :", ":"), tr(lang, " ;", ";"));
    let kind = if m.method.two_step {
        tr(
            lang,
            "deux étapes : l'offre de chaque équipement est partagée entre la demande de son \
             rayon",
            "two-step: facility supply shared among the demand in its catchment",
        )
    } else {
        tr(
            lang,
            "une étape : somme pondérée de l'offre à portée, sans concurrence",
            "one-step: weighted sum of the supply in reach, no competition",
        )
    };
    let cells = counted(
        m.unreached_cells,
        lang,
        tr(
            lang,
            "carreau n'atteint aucun équipement",
            "cell reaches no facility",
        ),
        tr(
            lang,
            "carreaux n'atteignent aucun équipement",
            "cells reach no facility",
        ),
    );
    // Counted by the two-step methods only (their first step).
    let facilities = if m.method.two_step {
        let f = counted(
            m.facilities_without_demand,
            lang,
            tr(
                lang,
                "équipement n'a aucune demande à portée",
                "facility has no demand in reach",
            ),
            tr(
                lang,
                "équipements n'ont aucune demande à portée",
                "facilities have no demand in reach",
            ),
        );
        format!("{semicolon} {f}")
    } else {
        String::new()
    };
    let radius = tr(lang, "rayon", "catchment");
    format!("- `{name}`{colon} {radius} ≤ {c} m, {decay}{semicolon} {kind}. {cells}{facilities}.")
}

/// `n` and the words that follow it, singular or plural as `lang` wants: French takes the
/// singular for 0 and 1 ("0 carreau n'atteint"), English for 1 only ("0 cells reach").
///
/// ```
/// use qpv::output::access_views::counted;
/// use qpv::output::report_html::Lang;
/// assert_eq!(counted(0, Lang::Fr, "équipement n'a", "équipements n'ont"), "0 équipement n'a");
/// assert_eq!(counted(1200, Lang::Fr, "carreau", "carreaux"), "1\u{202f}200 carreaux");
/// assert_eq!(counted(0, Lang::En, "cell reaches", "cells reach"), "0 cells reach");
/// assert_eq!(counted(1, Lang::En, "cell reaches", "cells reach"), "1 cell reaches");
/// ```
pub fn counted(n: usize, lang: Lang, singular: &str, plural: &str) -> String {
    let one = match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    format!(
        "{} {}",
        int_in(n as f64, lang),
        if one { singular } else { plural }
    )
}

/// The category as people call it, in the plural ("centres sociaux", "social centres"); the
/// code itself for a category of the user's own.
pub(crate) fn category_plural(code: &str, lang: Lang) -> String {
    match super::category_style::find(code) {
        Some(style) => match lang {
            Lang::Fr => style.fr.1.to_string(),
            Lang::En => style.en.1.to_string(),
        },
        None => format!("`{code}`"),
    }
}

/// The grid named in `lang` ([`GridSource::label`] in English).
pub fn grid_label(g: &GridSource, lang: Lang) -> String {
    if lang == Lang::En {
        return g.label();
    }
    let vintage = match g.vintage {
        Some(y) => format!("grille carroyée Filosofi {y} de l'Insee (carreaux de 200 m)"),
        None => "grille carroyée Filosofi (200 m) de millésime non précisé".to_string(),
    };
    let french =
        |text: &str| crate::io::embedded::in_french(text).map_or(text.to_string(), String::from);
    let restricted = match &g.restricted_to {
        Some(r) => format!(
            ", réduite aux carreaux dont le centre est dans {}",
            french(r)
        ),
        None => String::new(),
    };
    format!(
        "{vintage} ({}){restricted}, {} carreaux",
        french(&g.origin),
        int_in(g.cells as f64, lang)
    )
}

fn preamble(r: &AccessReport, lang: Lang) -> String {
    let mut out = String::new();
    if lang == Lang::En {
        let _ = writeln!(
            out,
            "# Access to {} from the 200 m grid\n",
            category_plural(&r.category, lang)
        );
        let _ = writeln!(
            out,
            "Grid: {}. Demand: {} of every cell (the whole extract, for edge effects). Supply: {} \
             ({}). Distances: straight lines from cell centre to facility in the working CRS, \
             not walking or driving routes.\n",
            r.grid.label(),
            r.demand.label(),
            r.supply,
            counted(r.facilities, lang, "facility", "facilities")
        );
    } else {
        let category = match super::category_style::find(&r.category) {
            Some(_) => format!("aux {}", category_plural(&r.category, lang)),
            None => format!(": {}", category_plural(&r.category, lang)),
        };
        let _ = writeln!(
            out,
            "# Accessibilité {category} depuis les carreaux de 200 m\n"
        );
        let demand = match r.demand {
            crate::analysis::access_report::DemandKind::Inhabitants => "habitants (Ind)",
            crate::analysis::access_report::DemandKind::PoorHouseholds => {
                "ménages pauvres (Men_pauv)"
            }
        };
        let supply = match r.supply.strip_prefix("column ") {
            Some(column) => format!("colonne {column}"),
            None => "1 par équipement".to_string(),
        };
        let _ = writeln!(
            out,
            "Grille : {}. Demande : {demand} de chaque carreau (tout l'extrait, pour les effets \
             de bord). Offre : {supply} ({}). Distances : à vol d'oiseau du centre du carreau \
             à l'équipement dans le système de coordonnées de travail, pas à pied ni en \
             voiture.\n",
            grid_label(&r.grid, lang),
            counted(r.facilities, lang, "équipement", "équipements")
        );
    }
    for m in &r.methods {
        let _ = writeln!(out, "{}", method_text(m, lang));
    }
    let _ = writeln!(out, "\n{}\n", rest_note(r, lang));
    out
}

fn rest_note(r: &AccessReport, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Per QPV: mean score weighted by the demand of each cell's share inside the QPV. \
             `rest`: {}; `ratio_to_rest` < 1 means the QPV's residents have less access than \
             the rest of the agglomeration.",
            r.rest
        ),
        Lang::Fr => {
            let rest = match r.communes {
                None => "tous les carreaux de la grille, hors QPV (part de chaque carreau dans \
                         un QPV retirée)"
                    .to_string(),
                Some(n) => format!(
                    "carreaux dont le centre est dans les {n} communes, hors QPV (part de \
                     chaque carreau dans un QPV retirée)"
                ),
            };
            format!(
                "Par QPV : score moyen pondéré par la demande de la part de chaque carreau \
                 située dans le QPV. Reste de l'agglomération (code `rest`) : {rest} ; un \
                 « rapport au reste » < 1 signifie que \
                 les habitants du QPV ont un accès moindre que le reste de l'agglomération."
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::access::AccessMethod;
    use crate::analysis::access_cells::CellsBuilder;
    use crate::analysis::access_report::DemandKind;
    use crate::model::GridValues;
    use crate::output::csv_style::CsvStyle;
    use geo::{Rect, coord};

    /// The writer before session 4: a `serde_json::Value` per field through the `csv` crate.
    fn with_values(report: &AccessReport, cells: &AccessCells) -> Vec<u8> {
        let style = CsvStyle::Plain;
        let mut writer = style.writer(Vec::new()).unwrap();
        writer.write_record(cell_columns(report)).unwrap();
        for i in 0..cells.len() {
            let row = cell_values(report, cells, i);
            writer
                .write_record(row.iter().map(|v| style.cell(v)))
                .unwrap();
        }
        writer.into_inner().unwrap()
    }

    // Oracle: the previous writer (serde_json values, `csv` crate), on ids that need quotes
    // or neutralising, integral, tiny, huge and non-finite numbers, over several blocks.
    #[test]
    fn scores_file_is_byte_identical_to_the_value_writer() {
        let ids = ["=1+1", "a,b", "say \"x\"", "-12.5", "@x", "plain", "é", "-"];
        let mut b = CellsBuilder::new(DemandKind::Inhabitants, &[], None, false);
        let n = 2 * SCORE_ROWS + 7;
        for i in 0..n {
            let x = (i % 1000) as f64 * 200.0;
            // Canonical ids first (of two cell sizes in turn: blocks of numbers), then any
            // text.
            let id = if i < n / 2 {
                let size = [200, 1000][i / 1000 % 2];
                format!("CRS3035RES{size}mN{}E{}", 2_000_000 + 200 * i, 4_000_000)
            } else {
                format!("{}{i}", ids[i % ids.len()])
            };
            b.push(GridCell {
                id,
                polygon: Rect::new(coord! { x: x, y: 0.0 }, coord! { x: x + 200.0, y: 200.0 })
                    .to_polygon(),
                values: GridValues {
                    ind: [0.0, 1.0, 12.5, 1e21, 3e-7][i % 5],
                    ..GridValues::default()
                },
                imputed: false,
            });
        }
        let cells = b.finish();
        let odd = [
            0.1 + 0.2,
            1.0 / 3.0,
            0.0,
            1e-300,
            5e22,
            f64::NAN,
            f64::INFINITY,
            2.0,
        ];
        let method = |name: &str, k: usize| MethodResult {
            method: AccessMethod {
                name: name.into(),
                ..AccessMethod::two_step(1000.0)
            },
            unreached_cells: 0,
            facilities_without_demand: 0,
            areas: Vec::new(),
            scores: (0..n)
                .map(|i| odd[(i + k) % odd.len()] * (i as f64))
                .collect(),
        };
        let report = AccessReport {
            grid: GridSource {
                vintage: None,
                origin: "t".into(),
                restricted_to: None,
                cells: n,
                population: 0.0,
            },
            category: "c".into(),
            facilities: 1,
            supply: "1 per facility".into(),
            demand: DemandKind::Inhabitants,
            rest: String::new(),
            communes: None,
            methods: vec![method("2sfca", 0), method("e2sfca", 3)],
        };
        let mut ours = Vec::new();
        write_cell_scores(&mut ours, &report, &cells).unwrap();
        let want = with_values(&report, &cells);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }
}
