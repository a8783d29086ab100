//! Views of a siting plan ([`crate::analysis::site::plan::SitePlan`]): the chosen sites as a
//! table, a Markdown report with the before/after table per QPV, the JSON record, and the
//! layers `sites` (points) and `cells` (demand cells, covered before/after).

use std::fmt::Write;

use geo::{Geometry, MultiPolygon};
use serde_json::{Map, Value, json};

use super::report_markdown::int;
use super::{GeoFeature, GeoLayer, Table, Views};
use crate::analysis::site::SolveMethod;
use crate::analysis::site::demand::DemandKind;
use crate::analysis::site::plan::{Problem, SitePlan};
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::model::GridCell;

fn r1(x: f64) -> Value {
    json!((x * 10.0).round() / 10.0)
}

fn pct(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!("{:.1} %", 100.0 * part / whole)
    } else {
        "–".into()
    }
}

/// The table of chosen sites.
pub fn sites_table(plan: &SitePlan) -> Table {
    let mut t = Table::new(["rank", "id", "name", "x", "y", "newly_covered"]);
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

fn demand_label(kind: DemandKind) -> &'static str {
    match kind {
        DemandKind::QpvResidents => "QPV residents (areal share of each cell)",
        DemandKind::Residents => "residents",
        DemandKind::PoorHouseholds => "poor households",
    }
}

/// The Markdown text above the sites table: question, method, totals, per-QPV table.
pub fn markdown_preamble(plan: &SitePlan, grid_name: &str) -> Result<String> {
    let o = &plan.options;
    let mut s = String::new();
    let question = match o.problem {
        Problem::Mclp { k } => format!("the {k} new site(s) covering the most demand"),
        Problem::Lscp => "the fewest new sites covering all the demand".to_string(),
    };
    let method = match plan.method {
        SolveMethod::Exact => "exact (mixed integer programme, good_lp + microlp)",
        SolveMethod::Greedy => "lazy greedy heuristic",
        SolveMethod::LpRelaxation => "LP relaxation",
    };
    let _ = writeln!(s, "# New `{}` sites: {question}\n", o.category);
    let _ = writeln!(
        s,
        "Demand: {} from the {grid_name}; one point per cell at its centre; a cell is covered when \
         its centre lies within {} m (straight line) of a facility. Existing `{}` facilities \
         kept: {}. Candidates: {}. Method: {method}.\n",
        demand_label(o.demand),
        o.distance_m,
        o.category,
        plan.existing,
        plan.candidates
    );
    let _ = writeln!(
        s,
        "Covered: {} of {} before ({}), {} after ({}).",
        int(plan.covered_before),
        int(plan.demand_total),
        pct(plan.covered_before, plan.demand_total),
        int(plan.covered_after),
        pct(plan.covered_after, plan.demand_total)
    );
    if let (Some(b), SolveMethod::Greedy) = (plan.covered_after_bound, plan.method) {
        let _ = writeln!(
            s,
            "No choice of as many sites can cover more than {} (bound): the greedy reaches at \
             least {} of the optimum.",
            int(b),
            pct(
                plan.covered_after - plan.covered_before,
                b - plan.covered_before
            )
        );
    }
    if let Some(lb) = plan
        .sites_lower_bound
        .filter(|_| plan.method == SolveMethod::Greedy)
    {
        let _ = writeln!(s, "At least {lb} sites are needed (bound).");
    }
    if !plan.unreachable_cells.is_empty() {
        let _ = writeln!(
            s,
            "{} demand cells have no candidate within {} m and stay uncovered.",
            plan.unreachable_cells.len(),
            o.distance_m
        );
    }
    let _ = writeln!(s, "\n## Per QPV\n");
    let mut t = Table::new(["QPV", "name", "demand", "covered before", "covered after"]);
    for q in &plan.qpv {
        t.push(vec![
            json!(q.code),
            json!(q.name),
            json!(int(q.demand)),
            json!(format!(
                "{} ({})",
                int(q.covered_before),
                pct(q.covered_before, q.demand)
            )),
            json!(format!(
                "{} ({})",
                int(q.covered_after),
                pct(q.covered_after, q.demand)
            )),
        ]);
    }
    let mut buf = Vec::new();
    t.write_markdown(&mut buf)?;
    s.push_str(&String::from_utf8(buf).map_err(|e| Error::Internal(e.to_string()))?);
    let _ = writeln!(s, "\n## Chosen sites\n");
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

/// All the views of a plan.
pub fn views(plan: &SitePlan, cells: &[GridCell], crs: Crs, grid_name: &str) -> Result<Views> {
    Ok(Views {
        csv_style: Default::default(),
        table: sites_table(plan),
        json: {
            let mut v = serde_json::to_value(plan).map_err(|e| Error::Internal(e.to_string()))?;
            if let Some(o) = v.as_object_mut() {
                o.insert("grid".into(), json!(grid_name));
            }
            v
        },
        layers: layers(plan, cells, crs),
        markdown_preamble: markdown_preamble(plan, grid_name)?,
    })
}
