//! `qpv perimeter build | test | compare` end to end on the embedded data.

mod common;

use serde_json::Value;

use common::run as qpv;

fn s(p: &std::path::Path) -> String {
    p.display().to_string()
}

#[test]
fn build_then_test_a_current_qpv() {
    let dir = tempfile::tempdir().unwrap();
    let cand = dir.path().join("res.geojson");
    let (code, _, err) = qpv(&[
        "perimeter",
        "build",
        "--qpv-codes",
        "QN09004M",
        "--name",
        "Résidences",
        "-o",
        &s(&cand),
    ]);
    assert_eq!(code, 0, "{err}");
    let layers = dir.path().join("layers");
    let (code, out, err) = qpv(&[
        "perimeter",
        "test",
        &s(&cand),
        "--format",
        "json",
        "--layers",
        &s(&layers),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["name"], "Résidences");
    let overlaps = v["overlaps"].as_array().unwrap();
    assert_eq!(overlaps.len(), 1);
    assert_eq!(overlaps[0]["code"], "QN09004M");
    // Through GeoJSON (WGS84, 7 decimals ≈ 1 cm) the perimeter comes back to within 0.01 %.
    assert!((overlaps[0]["pct_of_qpv_area"].as_f64().unwrap() - 100.0).abs() < 0.01);
    assert!(v["added"]["indicators"]["population"].as_f64().unwrap() < 1.0);
    assert!(v["removed"]["indicators"]["population"].as_f64().unwrap() < 1.0);
    let statuses: Vec<&str> = v["facilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(
        !statuses.contains(&"gained") && !statuses.contains(&"lost"),
        "{statuses:?}"
    );
    for name in ["candidate", "added", "removed"] {
        assert!(layers.join(format!("{name}.geojson")).exists(), "{name}");
    }
}

#[test]
fn markdown_report_and_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.geojson");
    let b = dir.path().join("b.geojson");
    assert_eq!(
        qpv(&[
            "perimeter",
            "build",
            "--qpv-codes",
            "QN09002M",
            "-o",
            &s(&a)
        ])
        .0,
        0
    );
    let (code, _, err) = qpv(&[
        "perimeter",
        "build",
        "--qpv-codes",
        "QN09002M",
        "--cells-where",
        "poor_share>=0.4 and population>=100",
        "--buffer",
        "20",
        "-o",
        &s(&b),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = qpv(&["perimeter", "test", &s(&b), "-q", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# Perimeter test: candidate"), "{out}");
    assert!(out.contains("| QN09002M | Les Glacis Du Château |"));
    assert!(out.contains("**12,200 €**"));
    let (code, out, err) = qpv(&["perimeter", "compare", &s(&a), &s(&b), "-q", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| perimeter"))
        .collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows[0].starts_with("| current QPV |"));
    let csv_out = dir.path().join("cmp.csv");
    assert_eq!(
        qpv(&[
            "perimeter",
            "compare",
            &s(&a),
            &s(&b),
            "-o",
            &s(&csv_out),
            "-q"
        ])
        .0,
        0
    );
    let text = std::fs::read_to_string(&csv_out).unwrap();
    assert!(text.starts_with("perimeter,area_m2,population"));
    assert_eq!(text.lines().count(), 4);
}

#[test]
fn bad_candidates_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    // Unknown QPV code.
    let (code, _, err) = qpv(&[
        "perimeter",
        "build",
        "--qpv-codes",
        "QN09099X",
        "-o",
        &s(&dir.path().join("x.geojson")),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("QN09099X") && err.contains("QN09004M"),
        "{err}"
    );
    // A point (the Collège Châteaudun, WGS84 from the Annuaire) instead of a polygon.
    let point = dir.path().join("point.geojson");
    std::fs::write(
        &point,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[6.852888130471386,47.645771115844525]}}]}"#,
    )
    .unwrap();
    let (code, _, err) = qpv(&["perimeter", "test", &s(&point)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("point.geojson") && err.contains("feature"),
        "{err}"
    );
    // Nothing to build from.
    let (code, _, err) = qpv(&["perimeter", "build"]);
    assert_eq!(code, 2);
    assert!(err.contains("--qpv-codes"), "{err}");
    // Bad cell condition.
    let (code, _, err) = qpv(&["perimeter", "build", "--cells-where", "income ~ 3"]);
    assert_eq!(code, 2);
    assert!(err.contains("no comparison"), "{err}");
    // Missing file.
    let (code, _, _) = qpv(&["perimeter", "test", &s(&dir.path().join("absent.geojson"))]);
    assert_eq!(code, 2);
}
