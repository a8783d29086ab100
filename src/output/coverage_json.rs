//! Coverage records as JSON values: the one spelling of a record shared by `qpv coverage`
//! (table, CSV, JSON, layers) and the HTML report, so that both show the same rounded numbers.

use serde_json::{Map, Value, json};

use crate::analysis::coverage::CoverageRecord;

use super::number::{json as number, json_opt as opt_number};

/// "id (12.34 m); id (0 m)" for a person, CSV and QGIS attribute tables; a facility placed by
/// geocoding shows its precision: "id (214.76 m, street)".
fn within_text(r: &CoverageRecord) -> String {
    r.within
        .iter()
        .map(|w| match &w.geocoding_precision {
            Some(p) => format!("{} ({} m, {p})", w.id, w.distance_m),
            None => format!("{} ({} m)", w.id, w.distance_m),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One record as flat properties (table, CSV, GeoJSON): shares to 4 decimals, populations to
/// 0.1, distances as computed (0.01 m).
pub fn record_flat(r: &CoverageRecord) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("code_qp".into(), json!(r.code_qp));
    m.insert("lib_qp".into(), json!(r.lib_qp));
    m.insert("category".into(), json!(r.category));
    m.insert("distance_m".into(), json!(r.distance_m));
    m.insert("inside_count".into(), json!(r.inside_count));
    m.insert("within_count".into(), json!(r.within_count));
    m.insert("within".into(), json!(within_text(r)));
    m.insert("nearest_id".into(), json!(r.nearest_id));
    m.insert("nearest_name".into(), json!(r.nearest_name));
    m.insert("nearest_distance_m".into(), json!(r.nearest_distance_m));
    m.insert("area_share_covered".into(), number(r.area_share_covered, 4));
    m.insert(
        "population_share_covered".into(),
        opt_number(r.population_share_covered, 4),
    );
    m.insert(
        "population_estimate".into(),
        opt_number(r.population_estimate, 1),
    );
    m
}

/// One record for JSON: the flat fields with `within` as a list (id, name, distance, and the
/// geocoding precision of facilities placed by geocoding), plus areas.
///
/// ```
/// use qpv::analysis::coverage::CoverageRecord;
/// use qpv::model::Category;
/// let r = CoverageRecord { code_qp: "Z".into(), lib_qp: "Zone".into(),
///     category: Category::new("college"), distance_m: 300.0, inside_count: 0, within_count: 0,
///     within: vec![], nearest_id: None, nearest_name: None, nearest_distance_m: None,
///     zone_area_m2: 10.0, covered_area_m2: 0.0, area_share_covered: 0.0,
///     population_estimate: Some(12.345), population_covered_estimate: Some(0.0),
///     population_share_covered: Some(0.0), uncovered: geo::MultiPolygon(vec![]) };
/// let v = qpv::output::coverage_json::record_json(&r);
/// assert_eq!(v["population_estimate"], 12.3);
/// assert_eq!(v["within"], serde_json::json!([]));
/// ```
pub fn record_json(r: &CoverageRecord) -> Value {
    let mut m = record_flat(r);
    m.insert(
        "within".into(),
        Value::Array(
            r.within
                .iter()
                .map(|w| {
                    let mut item = json!({"id": w.id, "name": w.name, "distance_m": w.distance_m});
                    if let Some(p) = &w.geocoding_precision {
                        item["geocoding_precision"] = json!(p);
                    }
                    item
                })
                .collect(),
        ),
    );
    m.insert("zone_area_m2".into(), number(r.zone_area_m2, 1));
    m.insert("covered_area_m2".into(), number(r.covered_area_m2, 1));
    m.insert(
        "population_covered_estimate".into(),
        opt_number(r.population_covered_estimate, 1),
    );
    Value::Object(m)
}

/// The JSON document of a coverage run, `{"records": [...], "notes": ...}`, serialized one
/// record at a time: the same bytes as building the whole [`Value`] first, without holding
/// every record's value at once (24,150 national records made about 200 MB of `Value`s).
struct Document<'a, N> {
    records: &'a [CoverageRecord],
    notes: &'a N,
}

impl<N: serde::Serialize> serde::Serialize for Document<'_, N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Records<'a>(&'a [CoverageRecord]);
        impl serde::Serialize for Records<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(record_json))
            }
        }
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("records", &Records(self.records))?;
        map.serialize_entry("notes", self.notes)?;
        map.end()
    }
}

/// Writes the JSON view of a coverage run (records as [`record_json`], then `notes`) to
/// `output` (standard output when `None` or `-`), pretty-printed, atomically.
///
/// ```
/// use qpv::output::coverage_json::write_coverage_json;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("c.json");
/// write_coverage_json(Some(&path), &[], &serde_json::json!({"gaps": []})).unwrap();
/// let text = std::fs::read_to_string(&path).unwrap();
/// assert_eq!(text, "{\n  \"records\": [],\n  \"notes\": {\n    \"gaps\": []\n  }\n}\n");
/// ```
pub fn write_coverage_json(
    output: Option<&std::path::Path>,
    records: &[CoverageRecord],
    notes: &impl serde::Serialize,
) -> crate::error::Result<()> {
    use crate::error::Error;
    let path = output.unwrap_or(std::path::Path::new("-"));
    super::atomic::write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, &Document { records, notes })
            .map_err(|e| Error::Internal(format!("writing JSON: {e}")))?;
        w.write_all(b"\n").map_err(|e| Error::io(path, e))
    })
}
