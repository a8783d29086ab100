//! The map layers of a coverage run, each with its default QGIS style:
//! - `qpv`: one polygon per QPV with wide per-category columns (`college_inside`,
//!   `college_within_300`, `college_nearest_name`, `college_nearest_m`,
//!   `college_area_share_300`, `college_pop_share_300`...);
//! - `facilities`: one point per facility with its nearest QPV, the distance to that QPV's
//!   perimeter (0 inside) and `position` = `inside`, `near` (within the largest D) or `outside`;
//! - `rings`: the QPV grown by each distance D (what "within D of the perimeter" covers);
//! - `uncovered`: the parts of each QPV farther than D from every facility of a category
//!   (records whose uncovered part is empty are left out).
//!
//! # Examples
//!
//! ```
//! use geo::{MultiPolygon, Point, polygon};
//! use qpv::analysis::coverage::{CoverageOptions, coverage};
//! use qpv::analysis::coverage_map::coverage_map;
//! use qpv::crs::Crs;
//! use qpv::index::{FacilityIndex, ZoneIndex};
//! use qpv::model::{Attributes, Category, Facility, Zone};
//! use qpv::output::coverage_layers::coverage_layers;
//!
//! let square = polygon![(x: 0.0, y: 0.0), (x: 1000.0, y: 0.0), (x: 1000.0, y: 1000.0), (x: 0.0, y: 1000.0)];
//! let zones = ZoneIndex::new(&[Zone { code: "Z1".into(), name: "Square".into(), communes: vec![],
//!     geometry: MultiPolygon(vec![square]), attributes: Attributes::default() }]);
//! let school = Facility { id: "C1".into(), name: "Collège".into(), category: Category::new("college"),
//!     point: Point::new(1200.0, 500.0), attributes: Attributes::default() };
//! let facilities = FacilityIndex::new(&[school]);
//! let records = coverage(&zones, &facilities, None, &CoverageOptions::default());
//! let map = coverage_map(&zones, &facilities, &[300.0]);
//! let layers = coverage_layers(&records, &map, &zones, &facilities, Crs::LAMBERT93);
//! let names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
//! assert_eq!(names, ["qpv", "facilities", "rings", "uncovered"]);
//! let qpv = &layers[0].features[0].properties;
//! assert_eq!(qpv["college_within_300"], 1);
//! assert_eq!(qpv["college_nearest_m"], 200.0);
//! assert_eq!(layers[1].features[0].properties["position"], "near");
//! ```

use geo::{Area, Geometry};
use serde_json::{Map, Value, json};

use super::qgis_style::{LayerStyle, category_label};
use super::{GeoFeature, GeoLayer};
use crate::analysis::coverage::CoverageRecord;
use crate::analysis::coverage_map::CoverageMap;
use crate::crs::Crs;
use crate::index::{FacilityIndex, ZoneIndex};

/// The four layers of a coverage run (see the module docs) from its records and its `map`
/// (computed for the records' distances), in drawing order from top:
/// `qpv`, `facilities`, `rings`, `uncovered`.
pub fn coverage_layers(
    records: &[CoverageRecord],
    map: &CoverageMap,
    zones: &ZoneIndex,
    facilities: &FacilityIndex,
    crs: Crs,
) -> Vec<GeoLayer> {
    let layer = |name: &str, style, features| GeoLayer {
        name: name.into(),
        crs,
        features,
        style: Some(style),
    };
    vec![
        layer("qpv", LayerStyle::Qpv, qpv_features(records, zones)),
        layer(
            "facilities",
            LayerStyle::Facilities,
            facility_features(map, zones, facilities),
        ),
        layer("rings", LayerStyle::Rings, ring_features(map, zones)),
        layer(
            "uncovered",
            LayerStyle::Uncovered,
            uncovered_features(records),
        ),
    ]
}

/// `300` for 300 m, `12_5` for 12.5 m: a distance in a column name.
fn distance_key(d: f64) -> String {
    d.to_string().replace(['.', '-'], "_")
}

use super::number::json as round;

fn qpv_features(records: &[CoverageRecord], zones: &ZoneIndex) -> Vec<GeoFeature> {
    let mut order: Vec<usize> = (0..zones.len()).collect();
    order.sort_by(|&a, &b| zones.zone(a).code.cmp(&zones.zone(b).code).then(a.cmp(&b)));
    order
        .into_iter()
        .map(|z| {
            let zone = zones.zone(z);
            let geometry = zone.shape.geometry();
            let mut p = Map::new();
            p.insert("code_qp".into(), json!(zone.code));
            p.insert("lib_qp".into(), json!(zone.name));
            p.insert("area_m2".into(), round(geometry.unsigned_area(), 1));
            let mine: Vec<&CoverageRecord> =
                records.iter().filter(|r| r.code_qp == zone.code).collect();
            if let Some(pop) = mine.first().and_then(|r| r.population_estimate) {
                p.insert("population_estimate".into(), round(pop, 1));
            }
            wide_columns(&mine, &mut p);
            GeoFeature {
                geometry: Some(Geometry::MultiPolygon(geometry.clone())),
                properties: p,
            }
        })
        .collect()
}

/// Per category: inside count and nearest (whatever D), then per D: within count and shares.
fn wide_columns(records: &[&CoverageRecord], p: &mut Map<String, Value>) {
    let mut seen: Vec<&str> = Vec::new();
    for r in records {
        let c = r.category.as_str();
        if !seen.contains(&c) {
            seen.push(c);
            p.insert(format!("{c}_inside"), json!(r.inside_count));
            p.insert(format!("{c}_nearest_name"), json!(r.nearest_name));
            p.insert(format!("{c}_nearest_m"), json!(r.nearest_distance_m));
        }
        let d = distance_key(r.distance_m);
        p.insert(format!("{c}_within_{d}"), json!(r.within_count));
        p.insert(
            format!("{c}_area_share_{d}"),
            round(r.area_share_covered, 4),
        );
        p.insert(
            format!("{c}_pop_share_{d}"),
            r.population_share_covered
                .map_or(Value::Null, |s| round(s, 4)),
        );
    }
}

fn facility_features(
    map: &CoverageMap,
    zones: &ZoneIndex,
    facilities: &FacilityIndex,
) -> Vec<GeoFeature> {
    map.positions
        .iter()
        .map(|fp| {
            let f = facilities.facility(fp.facility);
            let nearest = fp.nearest_zone.map(|z| zones.zone(z));
            let mut p = Map::new();
            p.insert("id".into(), json!(f.id));
            p.insert("name".into(), json!(f.name));
            p.insert("category".into(), json!(f.category));
            p.insert(
                "category_label".into(),
                json!(category_label(f.category.as_str())),
            );
            p.insert("geocoding_precision".into(), json!(f.geocoding_precision));
            p.insert("nearest_code_qp".into(), json!(nearest.map(|z| &z.code)));
            p.insert("nearest_lib_qp".into(), json!(nearest.map(|z| &z.name)));
            p.insert(
                "distance_m".into(),
                fp.distance_m.map_or(Value::Null, |d| round(d, 2)),
            );
            p.insert("position".into(), json!(fp.position.as_str()));
            GeoFeature {
                geometry: Some(Geometry::Point(f.point.into())),
                properties: p,
            }
        })
        .collect()
}

fn ring_features(map: &CoverageMap, zones: &ZoneIndex) -> Vec<GeoFeature> {
    map.rings
        .iter()
        .map(|r| {
            let z = zones.zone(r.zone);
            let mut p = Map::new();
            p.insert("code_qp".into(), json!(z.code));
            p.insert("lib_qp".into(), json!(z.name));
            p.insert("distance_m".into(), json!(r.distance_m));
            GeoFeature {
                geometry: Some(Geometry::MultiPolygon(r.geometry.clone())),
                properties: p,
            }
        })
        .collect()
}

fn uncovered_features(records: &[CoverageRecord]) -> Vec<GeoFeature> {
    records
        .iter()
        .filter(|r| !r.uncovered.0.is_empty())
        .map(|r| {
            let mut p = Map::new();
            p.insert("code_qp".into(), json!(r.code_qp));
            p.insert("lib_qp".into(), json!(r.lib_qp));
            p.insert("category".into(), json!(r.category));
            p.insert(
                "category_label".into(),
                json!(category_label(r.category.as_str())),
            );
            p.insert("distance_m".into(), json!(r.distance_m));
            p.insert(
                "uncovered_area_m2".into(),
                round(r.zone_area_m2 - r.covered_area_m2, 1),
            );
            GeoFeature {
                geometry: Some(Geometry::MultiPolygon(r.uncovered.clone())),
                properties: p,
            }
        })
        .collect()
}
