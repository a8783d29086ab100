//! The views of `qpv perimeter test | compare | build` and `qpv simulate`, declared once: the
//! table columns of each result with how each value is spelt (the crate's number rule: areas
//! to the m², populations to 0.1, shares to 4 decimals, incomes to the euro), its JSON (the
//! result with the baseline rule and the grid named) and its layers.
//!
//! # Examples
//!
//! ```
//! use geo::{MultiPolygon, polygon};
//! use qpv::crs::Crs;
//! use qpv::output::perimeter_views::candidate_views;
//! let square = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
//! let views = candidate_views("c", "QPV QN09001I", &MultiPolygon(vec![square]), Crs::LAMBERT93);
//! assert_eq!(views.table.columns, ["name", "recipe", "parts", "area_m2"]);
//! assert_eq!(views.json["area_m2"], serde_json::json!(10000.0));
//! ```

use geo::MultiPolygon;
use serde_json::{Value, json};

use super::number::{json as round, json_opt as opt};
use super::qgis_style::LayerStyle;
use super::report_html::Lang;
use super::{GeoFeature, GeoLayer, Table, Views, perimeter_layers, report_markdown};
use crate::analysis::interpolate::{Indicators, local_area_multi};
use crate::analysis::perimeter::{Baseline, Comparison, PerimeterTest};
use crate::analysis::simulate::Simulation;
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::model::GridSource;

fn to_json(value: &impl serde::Serialize) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(format!("serialising the result: {e}")))
}

/// The views of a perimeter test (every format but Markdown and HTML, which are reports).
pub fn test_views(
    t: &PerimeterTest,
    baseline: Baseline,
    grid: &GridSource,
    layers: Vec<GeoLayer>,
) -> Result<Views> {
    let line = report_markdown::test_baseline_line(t, baseline, Lang::En);
    let mut json = to_json(t)?;
    json["baseline_rule"] = json!(line);
    json["grid"] = to_json(grid)?;
    Ok(Views {
        table: test_table(t),
        json,
        layers,
        markdown_preamble: format!("Grid: {}.\n\n", grid.label()),
        csv_style: Default::default(),
    })
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
    let mut push = |label: String, i: &Indicators, eligible: Value| {
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

/// The views of a comparison of perimeters (every format but Markdown).
pub fn comparison_views(
    c: &Comparison,
    baseline: Baseline,
    grid: &GridSource,
    crs: Crs,
) -> Result<Views> {
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
    let line = report_markdown::comparison_baseline_line(c, baseline, Lang::En);
    let mut json = to_json(c)?;
    json["baseline_rule"] = json!(line);
    json["grid"] = to_json(grid)?;
    Ok(Views {
        table,
        json,
        layers: vec![perimeter_layers::comparison_layer(c, crs)],
        markdown_preamble: format!("Grid: {}.\n\n", grid.label()),
        csv_style: Default::default(),
    })
}

/// The views of a built candidate: one feature with its name, recipe, parts and area.
pub fn candidate_views(name: &str, recipe: &str, geometry: &MultiPolygon<f64>, crs: Crs) -> Views {
    let layer = GeoLayer {
        name: "candidate".into(),
        crs,
        style: Some(LayerStyle::Perimeter),
        features: vec![GeoFeature {
            geometry: Some(geo::Geometry::MultiPolygon(geometry.clone())),
            properties: [
                ("name".to_string(), json!(name)),
                ("recipe".to_string(), json!(recipe)),
                ("parts".to_string(), json!(geometry.0.len())),
                ("area_m2".to_string(), round(local_area_multi(geometry), 2)),
            ]
            .into_iter()
            .collect(),
        }],
    };
    let mut table = Table::new(["name", "recipe", "parts", "area_m2"]);
    table.push(layer.features[0].properties.values().cloned().collect());
    Views {
        table,
        json: Value::Object(layer.features[0].properties.clone()),
        layers: vec![layer],
        markdown_preamble: String::new(),
        csv_style: Default::default(),
    }
}

/// The views of a simulation (every format but Markdown), with its layer.
pub fn simulation_views(s: &Simulation, grid: &GridSource, layer: GeoLayer) -> Result<Views> {
    let mut table = Table::new([
        "zone",
        "cells",
        "area_m2",
        "population",
        "poor_share",
        "mean_standard_of_living",
        "best_qpv",
        "iou",
    ]);
    for z in &s.zones {
        let i = &z.piece.indicators;
        let best = z.best_match();
        table.push(vec![
            json!(z.id),
            json!(z.cell_ids.len()),
            round(i.area_m2, 2),
            round(i.population, 1),
            opt(i.poor_household_share, 4),
            opt(i.mean_standard_of_living, 0),
            json!(best.map(|m| m.code.clone())),
            opt(best.map(|m| m.iou), 4),
        ]);
    }
    let mut json = to_json(s)?;
    json["grid"] = to_json(grid)?;
    Ok(Views {
        table,
        json,
        layers: vec![layer],
        markdown_preamble: format!("Grid: {}.\n\n", grid.label()),
        csv_style: Default::default(),
    })
}
