//! Coverage records as JSON values: the one spelling of a record shared by `qpv coverage`
//! (table, CSV, JSON, layers) and the HTML report, so that both show the same rounded numbers.

use serde_json::{Map, Value, json};

use crate::analysis::coverage::CoverageRecord;

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

/// One record as flat properties (table, CSV, GeoJSON): the fields of [`record_json`] up to
/// `population_estimate`, with `within` as text ("id (12.34 m); id (0 m)"). Shares to 4 decimals,
/// populations to 0.1, distances as computed (0.01 m).
pub fn record_flat(r: &CoverageRecord) -> Map<String, Value> {
    let mut m = record_map(r);
    // Replaces the list in place: the key keeps its position.
    m.insert("within".into(), json!(within_text(r)));
    for key in [
        "zone_area_m2",
        "covered_area_m2",
        "population_covered_estimate",
    ] {
        m.shift_remove(key);
    }
    m
}

/// One record for JSON: the flat fields with `within` as a list (id, name, distance, and the
/// geocoding precision of facilities placed by geocoding), plus areas.
///
/// The areas (`zone_area_m2`, `covered_area_m2`, m²) are not rounded: they are the areas of
/// the zone and of its part inside the 128-gon discs as computed, for comparing with other
/// tools (GEOS through GeoPandas and DuckDB gives the same to 2.1e-9 relative on the 24,150
/// national rows, `scripts/bench_national.sh`); rounded to 0.1 m², a sliver of 0.05 m²
/// would differ by 100 %. The shares, populations and distances are rounded for people.
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
/// assert_eq!(v["zone_area_m2"], 10.0);
/// assert_eq!(v["within"], serde_json::json!([]));
/// ```
pub fn record_json(r: &CoverageRecord) -> Value {
    Value::Object(record_map(r))
}

/// [`RecordView`] as a JSON map (the order of its fields).
fn record_map(r: &CoverageRecord) -> Map<String, Value> {
    match serde_json::to_value(RecordView::new(r)) {
        Ok(Value::Object(m)) => m,
        _ => unreachable!("a struct of strings, numbers and lists serializes to a JSON object"),
    }
}

/// Records serialized at once by the threads, then written in order: the text of 4,096
/// records at most is held (about 4 MB), never the whole document.
const BATCH: usize = 4096;

/// Records per thread task within a batch.
const TASK: usize = 256;

/// `value` as pretty JSON (serde_json's two-space style), every line after the first indented
/// by `indent` more: the bytes serde_json writes for it `indent` deeper in a document (a
/// JSON string holds no raw line break, so every line break is the formatter's).
fn pretty_at(
    value: &impl serde::Serialize,
    indent: &[u8],
    out: &mut Vec<u8>,
) -> crate::error::Result<()> {
    pretty_at_with(value, indent, out, &mut Vec::new())
}

/// [`pretty_at`] with a buffer for the text before indenting (reused from one record to the
/// next).
fn pretty_at_with(
    value: &impl serde::Serialize,
    indent: &[u8],
    out: &mut Vec<u8>,
    text: &mut Vec<u8>,
) -> crate::error::Result<()> {
    text.clear();
    serde_json::to_writer_pretty(&mut *text, value)
        .map_err(|e| crate::error::Error::Internal(format!("writing JSON: {e}")))?;
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(indent);
        }
        out.extend_from_slice(line);
    }
    Ok(())
}

/// A number rounded as [`number`] spells it: `null` when not finite (serde_json writes a
/// non-finite `f64` as `null`, as [`number`] makes it `Value::Null`).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Rounded(f64);

impl Rounded {
    fn new(v: f64, decimals: i32) -> Self {
        Rounded(super::number::round(v, decimals))
    }
}

/// The one spelling of a coverage record: its fields, in this order, rounded as [`Rounded`]
/// says. Serialized directly into the JSON document, without building a `Value`; as a `Value`
/// by [`record_json`] (the HTML report) and [`record_flat`] (table, CSV, layers).
#[derive(serde::Serialize)]
struct RecordView<'a> {
    code_qp: &'a str,
    lib_qp: &'a str,
    category: &'a crate::model::Category,
    distance_m: f64,
    inside_count: usize,
    within_count: usize,
    within: &'a [crate::analysis::coverage::WithinFacility],
    nearest_id: &'a Option<String>,
    nearest_name: &'a Option<String>,
    nearest_distance_m: Option<f64>,
    area_share_covered: Rounded,
    population_share_covered: Option<Rounded>,
    population_estimate: Option<Rounded>,
    /// Unrounded (see [`record_json`]).
    zone_area_m2: f64,
    /// Unrounded (see [`record_json`]).
    covered_area_m2: f64,
    population_covered_estimate: Option<Rounded>,
}

impl<'a> RecordView<'a> {
    fn new(r: &'a CoverageRecord) -> Self {
        let opt = |v: Option<f64>, d| v.map(|v| Rounded::new(v, d));
        RecordView {
            code_qp: &r.code_qp,
            lib_qp: &r.lib_qp,
            category: &r.category,
            distance_m: r.distance_m,
            inside_count: r.inside_count,
            within_count: r.within_count,
            within: &r.within,
            nearest_id: &r.nearest_id,
            nearest_name: &r.nearest_name,
            nearest_distance_m: r.nearest_distance_m,
            area_share_covered: Rounded::new(r.area_share_covered, 4),
            population_share_covered: opt(r.population_share_covered, 4),
            population_estimate: opt(r.population_estimate, 1),
            // +0.0: never a negative zero.
            zone_area_m2: r.zone_area_m2 + 0.0,
            covered_area_m2: r.covered_area_m2 + 0.0,
            population_covered_estimate: opt(r.population_covered_estimate, 1),
        }
    }
}

/// Records `first..` of the document as [`RecordView`]s in the `records`
/// array, each after its separator (none before the document's first record).
fn records_text(records: &[CoverageRecord], first: usize) -> crate::error::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(records.len() * 1024);
    let mut text = Vec::with_capacity(4096);
    for (i, r) in records.iter().enumerate() {
        out.extend_from_slice(if first + i == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        pretty_at_with(&RecordView::new(r), b"    ", &mut out, &mut text)?;
    }
    Ok(out)
}

/// Writes the JSON view of a coverage run (records as [`record_json`], then `notes`) to
/// `output` (standard output when `None` or `-`), pretty-printed, atomically. The bytes are
/// those of serde_json's pretty printer on `{"records": [...], "notes": ...}`; the records are
/// formatted by batches on every thread, without holding every record's value at once (24,150
/// national records made about 200 MB of `Value`s).
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
    use rayon::prelude::*;
    let path = output.unwrap_or(std::path::Path::new("-"));
    super::atomic::write_atomic(path, |w| {
        let io = |e| Error::io(path, e);
        w.write_all(b"{\n  \"records\": [").map_err(io)?;
        for (b, batch) in records.chunks(BATCH).enumerate() {
            let texts = batch
                .par_chunks(TASK)
                .enumerate()
                .map(|(t, task)| records_text(task, b * BATCH + t * TASK))
                .collect::<crate::error::Result<Vec<Vec<u8>>>>()?;
            for text in &texts {
                w.write_all(text).map_err(io)?;
            }
        }
        let close: &[u8] = if records.is_empty() { b"]" } else { b"\n  ]" };
        let mut tail = close.to_vec();
        tail.extend_from_slice(b",\n  \"notes\": ");
        pretty_at(notes, b"  ", &mut tail)?;
        tail.extend_from_slice(b"\n}\n");
        w.write_all(&tail).map_err(io)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::coverage::WithinFacility;
    use crate::model::Category;
    use crate::output::number::{json as number, json_opt as opt_number};

    fn record(within: Vec<WithinFacility>, grid: bool, odd: f64) -> CoverageRecord {
        CoverageRecord {
            code_qp: "QN0\"01\\é".into(),
            lib_qp: "Les Résidences\tnord".into(),
            category: Category::new("college"),
            distance_m: 300.0,
            inside_count: 1,
            within_count: within.len(),
            nearest_id: within.first().map(|w| w.id.clone()),
            nearest_name: within.first().map(|w| w.name.clone()),
            nearest_distance_m: within.first().map(|w| w.distance_m),
            within,
            zone_area_m2: 75_289.649_999,
            covered_area_m2: odd,
            area_share_covered: odd / 75_289.649_999,
            population_estimate: grid.then_some(1234.55),
            population_covered_estimate: grid.then_some(odd),
            population_share_covered: grid.then_some(-1e-9),
            uncovered: geo::MultiPolygon(vec![]),
        }
    }

    /// The record as the project spelt it before [`RecordView`] (a map built key by key),
    /// kept as the oracle of the tests below; `flat` is the old [`record_flat`].
    fn old_value(r: &CoverageRecord, flat: bool) -> Value {
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
        if flat {
            return Value::Object(m);
        }
        let within = r
            .within
            .iter()
            .map(|w| {
                let mut item = json!({"id": w.id, "name": w.name, "distance_m": w.distance_m});
                if let Some(p) = &w.geocoding_precision {
                    item["geocoding_precision"] = json!(p);
                }
                item
            })
            .collect();
        m.insert("within".into(), Value::Array(within));
        m.insert("zone_area_m2".into(), json!(r.zone_area_m2 + 0.0));
        m.insert("covered_area_m2".into(), json!(r.covered_area_m2 + 0.0));
        m.insert(
            "population_covered_estimate".into(),
            opt_number(r.population_covered_estimate, 1),
        );
        Value::Object(m)
    }

    /// The direct writer, [`record_json`] and [`record_flat`] against the old path
    /// ([`old_value`], through serde_json's pretty printer, indented afterwards line by line):
    /// the same bytes for records with and without facilities, geocoded ones, grid shares,
    /// negative zeros, NaN and infinities.
    #[test]
    fn direct_records_are_the_bytes_of_the_value_path() {
        let near = |id: &str, d: f64, p: Option<&str>| WithinFacility {
            id: id.into(),
            name: format!("Centre « {id} »"),
            distance_m: d,
            geocoding_precision: p.map(String::from),
        };
        let records = vec![
            record(vec![], false, 0.0),
            record(vec![near("F1", 14.51, None)], true, 63_687.249_9),
            record(
                vec![near("F2", 0.0, Some("street")), near("F3", 299.99, None)],
                true,
                -0.0,
            ),
            record(vec![near("F4", f64::NAN, None)], true, f64::NAN),
            record(vec![], true, f64::INFINITY),
            record(vec![], false, 1e21),
        ];
        let mut old = Vec::new();
        for (i, r) in records.iter().enumerate() {
            old.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
            let text = serde_json::to_vec_pretty(&old_value(r, false)).unwrap();
            let (json, flat) = (record_json(r), Value::Object(record_flat(r)));
            assert_eq!(json.to_string(), old_value(r, false).to_string());
            assert_eq!(flat.to_string(), old_value(r, true).to_string());
            for (k, line) in text.split(|&b| b == b'\n').enumerate() {
                if k > 0 {
                    old.extend_from_slice(b"\n    ");
                }
                old.extend_from_slice(line);
            }
        }
        let new = records_text(&records, 0).unwrap();
        assert_eq!(
            String::from_utf8(new).unwrap(),
            String::from_utf8(old).unwrap()
        );
    }
}
