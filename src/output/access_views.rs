//! The views of an [`AccessReport`]: the table per QPV (Markdown, CSV, table), the JSON, and
//! the grid layer with one score column per method (GeoJSON, GeoPackage).

use std::fmt::Write;

use serde_json::{Map, Value, json};

use crate::analysis::access::Decay;
use crate::analysis::access_report::{AccessReport, MethodResult};
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::model::GridCell;

use super::report_markdown::int;
use super::{GeoFeature, GeoLayer, Table, Views};

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

/// The views of `report` over the `cells` it was computed on; the grid layer only when
/// `with_layer` (GeoJSON, GeoPackage: a million polygons are not built for nothing).
///
/// # Errors
/// Only if the report cannot be serialised.
pub fn access_views(
    report: &AccessReport,
    cells: &[GridCell],
    crs: Crs,
    with_layer: bool,
) -> Result<Views> {
    let mut table = Table::new([
        "method",
        "code",
        "name",
        "demand",
        "mean_score",
        "ratio_to_rest",
    ]);
    for m in &report.methods {
        for a in &m.areas {
            table.push(vec![
                json!(m.method.name),
                json!(a.code),
                json!(a.name),
                json!((a.demand * 10.0).round() / 10.0),
                opt(a.mean_score, 6),
                opt(a.ratio_to_rest, 4),
            ]);
        }
    }
    let json = serde_json::to_value(report)
        .map_err(|e| Error::usage(format!("cannot serialise the result: {e}"), ""))?;
    Ok(Views {
        csv_style: Default::default(),
        table,
        json,
        layers: if with_layer {
            vec![cell_layer(report, cells, crs)]
        } else {
            Vec::new()
        },
        markdown_preamble: preamble(report),
    })
}

fn cell_properties(report: &AccessReport, c: &GridCell, i: usize) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("id".into(), json!(c.id));
    p.insert("demand".into(), json!(report.demand.of(c)));
    p.insert("in_communes".into(), json!(report.in_communes[i]));
    for m in &report.methods {
        // Full precision: the scores are exact to the last bit from run to run.
        p.insert(format!("score_{}", m.method.name), json!(m.scores[i]));
    }
    p
}

/// One row per cell: id, demand, whether its centre lies in the communes, one score per
/// method at full precision (the `--scores` CSV).
pub fn cell_scores(report: &AccessReport, cells: &[GridCell]) -> Table {
    let mut columns = vec!["id".to_string(), "demand".into(), "in_communes".into()];
    columns.extend(
        report
            .methods
            .iter()
            .map(|m| format!("score_{}", m.method.name)),
    );
    let mut table = Table::new(columns);
    for (i, c) in cells.iter().enumerate() {
        table.push(
            cell_properties(report, c, i)
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
        );
    }
    table
}

fn cell_layer(report: &AccessReport, cells: &[GridCell], crs: Crs) -> GeoLayer {
    let features = cells
        .iter()
        .enumerate()
        .map(|(i, c)| GeoFeature {
            geometry: Some(geo::Geometry::Polygon(c.polygon.clone())),
            properties: cell_properties(report, c, i),
        })
        .collect();
    GeoLayer {
        style: None,
        name: "access_cells".into(),
        crs,
        features,
    }
}

fn method_text(m: &MethodResult) -> String {
    let c = int(m.method.catchment_m);
    let decay = match &m.method.decay {
        Decay::Unit => "weight 1 within the catchment".to_string(),
        Decay::Steps { bands } => {
            let parts: Vec<String> = bands
                .iter()
                .map(|(b, w)| format!("≤ {} m: {w}", int(*b)))
                .collect();
            format!("step weights {}", parts.join(", "))
        }
        Decay::Gaussian { sigma_m } => format!("Gaussian decay, σ = {} m", int(*sigma_m)),
        Decay::Power {
            scale_m,
            alpha,
            min_m,
        } => format!(
            "gravity decay (max(d, {} m) / {} m)^{alpha}",
            int(*min_m),
            int(*scale_m)
        ),
    };
    let kind = if m.method.two_step {
        "two-step: facility supply shared among the demand in its catchment"
    } else {
        "one-step: weighted sum of the supply in reach, no competition"
    };
    format!(
        "- `{}`: catchment ≤ {c} m, {decay}; {kind}. {} cells reach no facility; {} \
         facilities have no demand in reach.",
        m.method.name, m.unreached_cells, m.facilities_without_demand
    )
}

fn preamble(r: &AccessReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Access to {} from the 200 m grid\n", r.category);
    let _ = writeln!(
        out,
        "Grid: {}. Demand: {} of every cell (the whole extract, for edge effects). Supply: {} \
         ({} facilities). Distances: straight lines from cell centre to facility in the \
         working CRS, not walking or driving routes.\n",
        r.grid.label(),
        r.demand.label(),
        r.supply,
        r.facilities
    );
    for m in &r.methods {
        let _ = writeln!(out, "{}", method_text(m));
    }
    let _ = writeln!(
        out,
        "\nPer QPV: mean score weighted by the demand of each cell's share inside the QPV. \
         `rest`: {}; `ratio_to_rest` < 1 means the QPV's residents have less access than the \
         rest of the agglomeration.\n",
        r.rest
    );
    out
}
