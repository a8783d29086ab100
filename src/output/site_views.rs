//! Views of a siting plan ([`crate::analysis::site::plan::SitePlan`]): the chosen sites as a
//! table, a Markdown report with the before/after table per QPV, the JSON record, and the
//! layers `sites` (points) and `cells` (demand cells, covered before/after).

use std::fmt::Write;

use geo::{Geometry, MultiPolygon};
use serde_json::{Map, Value, json};

use super::access_views::{category_plural, grid_label};
use super::report_html::{Lang, int_in, share_text as pct, tr};
use super::{GeoFeature, GeoLayer, OutputFormat, Table, Views};
use crate::analysis::site::SolveMethod;
use crate::analysis::site::demand::DemandKind;
use crate::analysis::site::plan::{Problem, SitePlan};
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::model::{GridCell, GridSource};

fn r1(x: f64) -> Value {
    super::number::json(x, 1)
}

/// The table of chosen sites; headings in `lang` when `for_people` (Markdown, text table),
/// machine-readable names otherwise (CSV).
pub fn sites_table(plan: &SitePlan, lang: Lang, for_people: bool) -> Table {
    let columns = if for_people && lang == Lang::Fr {
        ["rang", "id", "nom", "x", "y", "nouvellement couvert"]
    } else {
        ["rank", "id", "name", "x", "y", "newly_covered"]
    };
    let mut t = Table::new(columns);
    for s in &plan.sites {
        t.push(vec![
            json!(s.rank),
            json!(s.candidate.id),
            json!(s.candidate.name),
            json!((s.x * 100.0).round() / 100.0),
            json!((s.y * 100.0).round() / 100.0),
            r1(s.newly_covered),
        ]);
    }
    t
}

fn demand_label(kind: DemandKind, lang: Lang) -> &'static str {
    match kind {
        DemandKind::QpvResidents => tr(
            lang,
            "habitants des QPV (part de chaque carreau dans un QPV)",
            "QPV residents (areal share of each cell)",
        ),
        DemandKind::Residents => tr(lang, "habitants", "residents"),
        DemandKind::PoorHouseholds => tr(lang, "ménages pauvres", "poor households"),
    }
}

fn method_label(method: SolveMethod, lang: Lang) -> &'static str {
    match method {
        SolveMethod::Exact => tr(
            lang,
            "exacte (programme linéaire en nombres entiers, good_lp + microlp)",
            "exact (mixed integer programme, good_lp + microlp)",
        ),
        SolveMethod::Greedy => tr(
            lang,
            "heuristique gloutonne paresseuse puis échanges un à un (solution approchée, \
             écart à la borne indiqué)",
            "lazy greedy heuristic then one-for-one swaps (approximate solution, gap to the \
             bound stated)",
        ),
        SolveMethod::LpRelaxation => tr(lang, "relaxation linéaire", "LP relaxation"),
    }
}

fn question(o: &crate::analysis::site::plan::SiteOptions, lang: Lang) -> String {
    match (o.problem, lang) {
        (Problem::Mclp { k: 1 }, Lang::Fr) => {
            "le nouveau site couvrant le plus de demande".to_string()
        }
        (Problem::Mclp { k }, Lang::Fr) => {
            format!("les {k} nouveaux sites couvrant le plus de demande")
        }
        (Problem::Mclp { k: 1 }, Lang::En) => "the new site covering the most demand".into(),
        (Problem::Mclp { k }, Lang::En) => format!("the {k} new sites covering the most demand"),
        (Problem::Lscp, _) => tr(
            lang,
            "le moins de nouveaux sites couvrant toute la demande",
            "the fewest new sites covering all the demand",
        )
        .to_string(),
    }
}

fn totals(s: &mut String, plan: &SitePlan, lang: Lang) {
    let (before, after) = (plan.covered_before, plan.covered_after);
    let total = plan.demand_total;
    let (pb, pa) = (pct(before, total, lang), pct(after, total, lang));
    let int = |x: f64| int_in(x, lang);
    let (before, after, total) = (int(before), int(after), int(total));
    let _ = match lang {
        Lang::Fr => writeln!(
            s,
            "Couvert : {before} sur {total} avant ({pb}), {after} après ({pa})."
        ),
        Lang::En => writeln!(
            s,
            "Covered: {before} of {total} before ({pb}), {after} after ({pa})."
        ),
    };
    if let (Some(b), SolveMethod::Greedy) = (plan.covered_after_bound, plan.method) {
        let (before, after) = (plan.covered_before, plan.covered_after);
        let share = pct(after - before, b - before, lang);
        let _ = match lang {
            Lang::Fr => writeln!(
                s,
                "Aucun choix d'autant de sites ne peut couvrir plus de {} (borne) : la solution \
                 donnée atteint au moins {share} de l'optimum.",
                int(b)
            ),
            Lang::En => writeln!(
                s,
                "No choice of as many sites can cover more than {} (bound): the solution given \
                 reaches at least {share} of the optimum.",
                int(b)
            ),
        };
    }
    if let Some(lb) = plan
        .sites_lower_bound
        .filter(|_| plan.method == SolveMethod::Greedy)
    {
        let _ = match lang {
            Lang::Fr => writeln!(s, "Il faut au moins {lb} sites (borne)."),
            Lang::En => writeln!(s, "At least {lb} sites are needed (bound)."),
        };
    }
    if !plan.unreachable_cells.is_empty() {
        let (n, d) = (
            int_in(plan.unreachable_cells.len() as f64, lang),
            plan.options.distance_m,
        );
        let _ = match lang {
            Lang::Fr => writeln!(
                s,
                "{n} carreaux avec demande n'ont aucun candidat à moins de {d} m et restent non \
                 couverts."
            ),
            Lang::En => writeln!(
                s,
                "{n} demand cells have no candidate within {d} m and stay uncovered."
            ),
        };
    }
}

/// The Markdown text above the sites table: question, method, totals, per-QPV table, in
/// `lang`.
///
/// The category is named as people call it ("centres sociaux", "social centres"); a category
/// of the user's own keeps its code.
pub fn markdown_preamble(plan: &SitePlan, grid_name: &str, lang: Lang) -> Result<String> {
    let o = &plan.options;
    let mut s = String::new();
    let method = method_label(plan.method, lang);
    let (demand, question) = (demand_label(o.demand, lang), question(o, lang));
    let (distance, existing) = (o.distance_m, plan.existing);
    let candidates = int_in(plan.candidates as f64, lang);
    // The category as people call it ("centres sociaux"), or the user's own code.
    let known = super::category_style::find(&o.category).is_some();
    let named = category_plural(&o.category, lang);
    let _ = match lang {
        Lang::Fr => {
            let (title, kept) = if known {
                (format!("Nouveaux {named}"), capitalised(&named))
            } else {
                (
                    format!("Nouveaux sites {named}"),
                    format!("Équipements {named}"),
                )
            };
            writeln!(
                s,
                "# {title} : {question}\n\nDemande : {demand}, d'après la {grid_name} ; un point \
                 par carreau, en son centre ; un carreau est couvert quand son centre est à \
                 {distance} m au plus (à vol d'oiseau) d'un équipement. {kept} existants \
                 conservés : {existing}. Candidats : {candidates}. Méthode : {method}.\n"
            )
        }
        Lang::En => {
            let (title, kept) = if known {
                (format!("New {named}"), format!("Existing {named}"))
            } else {
                (
                    format!("New {named} sites"),
                    format!("Existing {named} facilities"),
                )
            };
            writeln!(
                s,
                "# {title}: {question}\n\nDemand: {demand} from the {grid_name}; one point per \
                 cell at its centre; a cell is covered when its centre lies within {distance} m \
                 (straight line) of a facility. {kept} kept: {existing}. Candidates: \
                 {candidates}. Method: {method}.\n"
            )
        }
    };
    totals(&mut s, plan, lang);
    let _ = writeln!(s, "\n## {}\n", tr(lang, "Par QPV", "Per QPV"));
    let mut t = Table::new(match lang {
        Lang::Fr => ["QPV", "nom", "demande", "couvert avant", "couvert après"],
        Lang::En => ["QPV", "name", "demand", "covered before", "covered after"],
    });
    for q in &plan.qpv {
        let cov = |c: f64| json!(format!("{} ({})", int_in(c, lang), pct(c, q.demand, lang)));
        t.push(vec![
            json!(q.code),
            json!(q.name),
            json!(int_in(q.demand, lang)),
            cov(q.covered_before),
            cov(q.covered_after),
        ]);
    }
    let mut buf = Vec::new();
    t.write_markdown(&mut buf)?;
    s.push_str(&String::from_utf8(buf).map_err(|e| Error::Internal(e.to_string()))?);
    let _ = writeln!(s, "\n## {}\n", tr(lang, "Sites choisis", "Chosen sites"));
    Ok(s)
}

/// Layers `sites` (one point per chosen site) and `cells` (each demand cell).
pub fn layers(plan: &SitePlan, cells: &[GridCell], crs: Crs) -> Vec<GeoLayer> {
    let sites = plan
        .sites
        .iter()
        .map(|s| {
            let mut p = Map::new();
            p.insert("rank".into(), json!(s.rank));
            p.insert("id".into(), json!(s.candidate.id));
            p.insert("name".into(), json!(s.candidate.name));
            p.insert("newly_covered".into(), r1(s.newly_covered));
            GeoFeature {
                geometry: Some(Geometry::Point(s.candidate.point)),
                properties: p,
            }
        })
        .collect();
    let cell_features = plan
        .cells
        .iter()
        .map(|c| {
            let mut p = Map::new();
            p.insert("cell_id".into(), json!(c.cell_id));
            p.insert("demand".into(), r1(c.demand));
            p.insert("covered_before".into(), json!(c.covered_before));
            p.insert("covered_after".into(), json!(c.covered_after));
            GeoFeature {
                geometry: Some(Geometry::MultiPolygon(MultiPolygon(vec![
                    cells[c.cell].polygon.clone(),
                ]))),
                properties: p,
            }
        })
        .collect();
    vec![
        GeoLayer {
            style: None,
            name: "sites".into(),
            crs,
            features: sites,
        },
        GeoLayer {
            style: None,
            name: "cells".into(),
            crs,
            features: cell_features,
        },
    ]
}

/// All the views of a plan computed on `grid`, the text for people in `lang`.
pub fn views(
    plan: &SitePlan,
    cells: &[GridCell],
    crs: Crs,
    grid: &GridSource,
    lang: Lang,
    format: OutputFormat,
) -> Result<Views> {
    let for_people = matches!(format, OutputFormat::Markdown | OutputFormat::Table);
    let grid_name = grid.label();
    Ok(Views {
        csv_style: Default::default(),
        table: sites_table(plan, lang, for_people),
        json: {
            let mut v = serde_json::to_value(plan).map_err(|e| Error::Internal(e.to_string()))?;
            if let Some(o) = v.as_object_mut() {
                o.insert("grid".into(), json!(grid_name));
            }
            v
        },
        layers: layers(plan, cells, crs),
        markdown_preamble: markdown_preamble(plan, &grid_label(grid, lang), lang)?,
    })
}

/// `text` with its first letter in capitals ("centres sociaux" → "Centres sociaux").
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
