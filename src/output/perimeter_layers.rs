//! Geometry layers of perimeter tests and simulations (candidate, added, removed, parts,
//! simulated zones), each feature carrying its grid indicators, ready for GeoJSON or
//! GeoPackage.

use std::path::{Path, PathBuf};

use geo::{Geometry, MultiPolygon};
use serde_json::{Map, Value, json};

use super::qgis_style::LayerStyle;
use super::{GeoFeature, GeoLayer};
use crate::analysis::interpolate::Indicators;
use crate::analysis::perimeter::{Comparison, PerimeterTest};
use crate::analysis::simulate::Simulation;
use crate::crs::Crs;
use crate::error::Result;

/// Rounds to 2 decimals (cm², hundredths of a person): stable text, no float noise.
fn r2(x: f64) -> Value {
    super::number::json(x, 2)
}

fn r4(x: Option<f64>) -> Value {
    super::number::json_opt(x, 4)
}

/// The indicator columns, in a fixed order.
pub fn indicator_properties(i: &Indicators, into: &mut Map<String, Value>) {
    into.insert("area_m2".into(), r2(i.area_m2));
    into.insert("population".into(), r2(i.population));
    into.insert("households".into(), r2(i.households));
    into.insert("poor_households".into(), r2(i.poor_households));
    into.insert("poor_share".into(), r4(i.poor_household_share));
    into.insert(
        "mean_standard_of_living".into(),
        i.mean_standard_of_living.map_or(Value::Null, r2),
    );
    into.insert("owner_share".into(), r4(i.owner_share));
    into.insert(
        "imputed_population_share".into(),
        r4(i.imputed_population_share),
    );
    into.insert("cells".into(), json!(i.cells));
}

fn feature(geometry: &MultiPolygon<f64>, props: Map<String, Value>) -> GeoFeature {
    GeoFeature {
        geometry: (!geometry.0.is_empty()).then(|| Geometry::MultiPolygon(geometry.clone())),
        properties: props,
    }
}

fn piece_feature(name: &str, kind: &str, g: &MultiPolygon<f64>, i: &Indicators) -> GeoFeature {
    let mut p = Map::new();
    p.insert("candidate".into(), json!(name));
    p.insert("layer".into(), json!(kind));
    indicator_properties(i, &mut p);
    feature(g, p)
}

/// The layers `perimeter test --layers DIR` writes, in order.
pub const TEST_LAYER_NAMES: [&str; 3] = ["candidate", "added", "removed"];

/// The layer `simulate --layers DIR` writes.
pub const SIMULATION_LAYER_NAME: &str = "simulated_zones";

/// The files `--layers DIR` writes for layers named `names`: `DIR/<name>.geojson` (to check
/// them against the inputs before anything is written).
pub fn layer_files(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| dir.join(format!("{n}.geojson")))
        .collect()
}

/// Writes each layer as `DIR/<layer name>.geojson`, creating DIR if needed.
pub fn write_layer_dir(dir: &Path, layers: &[GeoLayer]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| super::atomic::write_error(dir, e))?;
    for layer in layers {
        let path = dir.join(format!("{}.geojson", layer.name));
        super::atomic::write_atomic(&path, |w| super::geojson::write_layer(w, layer))?;
    }
    Ok(())
}

/// Layers `candidate` (one feature per continuous part, with its eligibility), `added` and
/// `removed` (one feature each, possibly without geometry when empty).
pub fn perimeter_layers(t: &PerimeterTest, crs: Crs) -> Vec<GeoLayer> {
    let parts = t
        .parts
        .iter()
        .map(|p| {
            let mut props = Map::new();
            props.insert("candidate".into(), json!(t.name));
            props.insert("layer".into(), json!("candidate"));
            props.insert("part".into(), json!(p.part));
            indicator_properties(&p.piece.indicators, &mut props);
            props.insert("eligible".into(), json!(p.assessment.eligible));
            props.insert("threshold_eur".into(), json!(p.assessment.threshold));
            props.insert("why_not".into(), json!(p.assessment.reasons.join("; ")));
            feature(&p.piece.geometry, props)
        })
        .collect();
    vec![
        GeoLayer {
            name: TEST_LAYER_NAMES[0].into(),
            crs,
            style: Some(LayerStyle::Perimeter),
            features: parts,
        },
        GeoLayer {
            name: TEST_LAYER_NAMES[1].into(),
            crs,
            style: Some(LayerStyle::Added),
            features: vec![piece_feature(
                &t.name,
                "added",
                &t.added.geometry,
                &t.added.indicators,
            )],
        },
        GeoLayer {
            name: TEST_LAYER_NAMES[2].into(),
            crs,
            style: Some(LayerStyle::Removed),
            features: vec![piece_feature(
                &t.name,
                "removed",
                &t.removed.geometry,
                &t.removed.indicators,
            )],
        },
    ]
}

/// One layer `perimeters`: the baseline then every candidate, one feature each.
pub fn comparison_layer(c: &Comparison, crs: Crs) -> GeoLayer {
    GeoLayer {
        name: "perimeters".into(),
        crs,
        style: Some(LayerStyle::Perimeter),
        features: c
            .tests
            .iter()
            .map(|t| {
                piece_feature(
                    &t.name,
                    "perimeter",
                    &t.candidate.geometry,
                    &t.candidate.indicators,
                )
            })
            .collect(),
    }
}

/// One layer `simulated_zones`.
pub fn simulation_layer(s: &Simulation, crs: Crs) -> GeoLayer {
    GeoLayer {
        name: SIMULATION_LAYER_NAME.into(),
        crs,
        style: Some(LayerStyle::Perimeter),
        features: s
            .zones
            .iter()
            .map(|z| {
                let mut p = Map::new();
                p.insert("zone".into(), json!(z.id));
                p.insert("cell_count".into(), json!(z.cell_ids.len()));
                indicator_properties(&z.piece.indicators, &mut p);
                let best = z.best_match();
                p.insert("best_qpv".into(), json!(best.map(|m| m.code.clone())));
                p.insert("best_qpv_name".into(), json!(best.map(|m| m.name.clone())));
                p.insert("iou".into(), r4(best.map(|m| m.iou)));
                feature(&z.piece.geometry, p)
            })
            .collect(),
    }
}
