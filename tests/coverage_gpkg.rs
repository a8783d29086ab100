//! `qpv coverage -o FILE.gpkg --qgis-project`: the GeoPackage read back with GDAL (layers,
//! fields, counts, the `layer_styles` rows QGIS reads default styles from), byte-identical
//! runs, and the project naming the GeoPackage relative to itself. QGIS itself opens and
//! renders both in scripts/qgis_check.sh.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::prelude::*;
use gdal::Dataset;
use gdal::vector::LayerAccess;
use serde_json::Value;

use common::qpv;

fn field_names(ds: &Dataset, layer: &str) -> Vec<String> {
    ds.layer_by_name(layer)
        .unwrap()
        .defn()
        .fields()
        .map(|f| f.name())
        .collect()
}

/// `qpv coverage --distance 300,500` in `format` (json or geojson), parsed.
fn coverage_300_500(format: &str) -> Value {
    let args = [
        "-q",
        "coverage",
        "--distance",
        "300,500",
        "--format",
        format,
    ];
    let out = qpv().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A text field of a feature (`None` when null).
fn text(f: &gdal::vector::Feature, name: &str) -> Option<String> {
    f.field_as_string(f.field_index(name).unwrap()).unwrap()
}

fn write_gpkg(dir: &Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let path = dir.join(name);
    qpv()
        .args(["-q", "coverage"])
        .args(extra)
        .args(["--qgis-project", "-o"])
        .arg(&path)
        .assert()
        .success();
    path
}

#[test]
fn coverage_gpkg_has_four_styled_layers() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gpkg(dir.path(), "cov.gpkg", &["--distance", "300,500"]);
    let ds = Dataset::open(&path).unwrap();
    let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
    assert_eq!(
        names,
        ["qpv", "facilities", "rings", "uncovered", "layer_styles"]
    );
    let count = |l: &str| ds.layer_by_name(l).unwrap().feature_count();
    // 7 QPV in the embedded 2024 geography (geodata/SOURCES.md).
    assert_eq!(count("qpv"), 7);
    // Python on geodata/annuaire_education_territoire_de_belfort.csv: code_nature 151 (96),
    // 101 (39), 340 (17), 300 (6), 320 (6) = 164 schools; plus the 2 social centres placed
    // by geocoding (the other 5 have no position and are not drawn), and the 4 France
    // Services sites of département 90 (geodata/france_services_territoire_de_belfort.csv).
    assert_eq!(count("facilities"), 170);
    // One ring per QPV and distance.
    assert_eq!(count("rings"), 14);
    // The GeoJSON view has one feature per record (7 QPV x 6 categories x 2 distances = 84),
    // 5 of them without geometry (nothing uncovered at 500 m; every QPV has parts farther than
    // 500 m from the 4 France Services); the GeoPackage keeps exactly the 79 with a geometry.
    let geojson = coverage_300_500("geojson");
    let with_geometry = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .count();
    assert_eq!(geojson["features"].as_array().unwrap().len(), 84);
    assert_eq!(with_geometry, 79);
    assert_eq!(count("uncovered"), 79);

    let qpv_fields = field_names(&ds, "qpv");
    for f in [
        "code_qp",
        "lib_qp",
        "college_inside",
        "college_within_300",
        "college_nearest_name",
        "college_nearest_m",
        "college_area_share_300",
        "college_pop_share_300",
        "college_within_500",
        "social_centre_within_300",
    ] {
        assert!(
            qpv_fields.iter().any(|n| n == f),
            "qpv lacks {f}: {qpv_fields:?}"
        );
    }
    assert_eq!(
        field_names(&ds, "facilities"),
        [
            "id",
            "name",
            "category",
            "category_label",
            "geocoding_precision",
            "nearest_code_qp",
            "nearest_lib_qp",
            "distance_m",
            "position"
        ]
    );

    // Wide columns equal the long records of the JSON view.
    let json = coverage_300_500("json");
    let mut expected = BTreeMap::new();
    for r in json["records"].as_array().unwrap() {
        if r["category"] == "college" && r["distance_m"] == 300.0 {
            expected.insert(
                r["code_qp"].as_str().unwrap().to_string(),
                r["within_count"].as_i64().unwrap(),
            );
        }
    }
    let mut layer = ds.layer_by_name("qpv").unwrap();
    let mut got = BTreeMap::new();
    for f in layer.features() {
        let code = text(&f, "code_qp").unwrap();
        let n = f
            .field_as_integer64(f.field_index("college_within_300").unwrap())
            .unwrap()
            .unwrap();
        got.insert(code, n);
    }
    assert_eq!(got, expected);
    // tests/coverage_embedded.rs: 4 of 7 QPV have a collège within 300 m.
    assert_eq!(got.values().filter(|&&n| n > 0).count(), 4);
}

#[test]
fn every_layer_has_a_default_qgis_style() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gpkg(dir.path(), "cov.gpkg", &[]);
    let ds = Dataset::open(&path).unwrap();
    let mut styles = ds.layer_by_name("layer_styles").unwrap();
    let mut rows = Vec::new();
    for f in styles.features() {
        let text = |n: &str| text(&f, n);
        rows.push((
            text("f_table_schema"),
            text("f_table_name").unwrap(),
            text("f_geometry_column").unwrap(),
            f.field_as_integer(f.field_index("useAsDefault").unwrap())
                .unwrap(),
            text("styleQML").unwrap(),
        ));
    }
    let tables: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(tables, ["qpv", "facilities", "rings", "uncovered"]);
    for (schema, table, geom, default, qml) in &rows {
        // What QGIS matches on (QgsOgrProvider: f_table_schema = '' for GeoPackage).
        assert_eq!(schema.as_deref(), Some(""), "{table}");
        assert_eq!(geom, "geom", "{table}");
        assert_eq!(*default, Some(1), "{table}");
        assert!(qml.starts_with("<!DOCTYPE qgis"), "{table}");
    }
    let qml = |t: &str| rows.iter().find(|r| r.1 == t).unwrap().4.as_str();
    for label in [
        "Collège",
        "École élémentaire",
        "École maternelle",
        "Lycée",
        "Centre social",
        "France Services",
    ] {
        assert!(
            qml("facilities").contains(&format!("label=\"{label}\"")),
            "{label}"
        );
    }
    assert!(qml("qpv").contains("fieldName=\"lib_qp\""));
    assert!(qml("uncovered").contains("LinePatternFill"));
}

#[test]
fn gpkg_is_byte_identical_between_runs_and_project_is_relative() {
    let dir = tempfile::tempdir().unwrap();
    let a = write_gpkg(dir.path(), "a.gpkg", &[]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = write_gpkg(dir.path(), "b.gpkg", &[]);
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    let ds = Dataset::open(&a).unwrap();
    let mut rs = ds
        .execute_sql(
            "SELECT DISTINCT last_change FROM gpkg_contents",
            None,
            gdal::vector::sql::Dialect::DEFAULT,
        )
        .unwrap()
        .unwrap();
    let dates: Vec<String> = rs
        .features()
        .map(|f| f.field_as_string(0).unwrap().unwrap())
        .collect();
    // Stored as 1970-01-01T00:00:00.000Z; GDAL reads it back as a date-time.
    assert_eq!(dates, ["1970/01/01 00:00:00+00"]);
    let project = std::fs::read_to_string(dir.path().join("a.qgs")).unwrap();
    assert!(project.contains("<datasource>./a.gpkg|layername=qpv</datasource>"));
    // Points drawn above the QPV outlines, above uncovered parts, above the rings.
    let pos = |name: &str| project.find(&format!("layername={name}\"")).unwrap();
    assert!(pos("facilities") < pos("qpv") && pos("qpv") < pos("uncovered"));
    assert!(pos("uncovered") < pos("rings"));
}
