//! `qpv access` on the embedded data: the per-QPV means against an independent GEOS
//! computation, the layer as GDAL reads it, the grid named, byte-identical reruns.

use std::process::Command as Process;

mod common;
use common::qpv_cmd as qpv;

const ARGS: [&str; 5] = [
    "access",
    "--category",
    "ecole_elementaire",
    "--method",
    "2sfca,gravity",
];

// Oracle: GDAL 3.6 SpatiaLite over the GeoPackage qpv writes (`-o a.gpkg`, layer
// access_cells) with the QPV GeoJSON added in EPSG:2154 (`ogr2ogr -update a.gpkg
// geodata/qpv_2024_territoire_de_belfort.geojson -nln qpv -t_srs EPSG:2154`):
// SELECT code_qp, SUM(f·demand), SUM(f·demand·score)/SUM(f·demand) with
// f = ST_Area(ST_Intersection(cell, qpv)) / ST_Area(cell); rest = cells with in_communes = 1,
// f = 1 − (area of the cell inside any QPV) / area of the cell.
// (code, demand, mean 2sfca, mean gravity)
const GEOS: [(&str, f64, f64, f64); 8] = [
    (
        "QN09001I",
        644.393067076636,
        0.000549272158890526,
        16.7871183189229,
    ),
    (
        "QN09002M",
        1255.05366083689,
        0.000372381001665021,
        7.80208956568796,
    ),
    (
        "QN09003I",
        1323.80360197853,
        0.000465661550107691,
        9.42106038151954,
    ),
    (
        "QN09004M",
        5227.36934270256,
        0.000413145656755858,
        13.5881182807022,
    ),
    (
        "QN09005M",
        1188.46340140609,
        0.000406101131513575,
        6.53667599352482,
    ),
    (
        "QN09006M",
        841.488998662339,
        0.000350002996943126,
        3.02787469284249,
    ),
    (
        "QN09007N",
        955.783763932471,
        0.000479302689501477,
        6.75217185462041,
    ),
    (
        "rest",
        85040.1441634045,
        0.000630805719232065,
        6.07678685665715,
    ),
];

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs()
}

#[test]
fn per_qpv_means_agree_with_geos_and_json_is_byte_stable() {
    let run = || {
        let out = qpv()
            .args(ARGS)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run();
    assert_eq!(first, run(), "two runs differ");
    let v: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(v["grid"]["vintage"], 2019);
    assert_eq!(v["facilities"], 96);
    let methods = v["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 2);
    for (m, col) in methods.iter().zip([2usize, 3]) {
        let areas = m["areas"].as_array().unwrap();
        assert_eq!(areas.len(), GEOS.len());
        let rest = GEOS[7];
        for (a, e) in areas.iter().zip(GEOS) {
            let want = [e.1, e.2, e.3];
            assert_eq!(a["code"], e.0);
            // To 1e-8 relative: GEOS's overlay areas and qpv's differ by up to 1.1e-9 (Le
            // Mont), and the layer GDAL read holds scores to 10 significant digits.
            assert!(close(a["demand"].as_f64().unwrap(), e.1, 1e-8), "{a}");
            assert!(
                close(a["mean_score"].as_f64().unwrap(), want[col - 1], 1e-8),
                "{a}"
            );
            let rest_mean = [rest.2, rest.3][col - 2];
            let ratio = want[col - 1] / rest_mean;
            assert!(
                close(a["ratio_to_rest"].as_f64().unwrap(), ratio, 1e-8),
                "{a}"
            );
        }
    }
}

#[test]
fn geopackage_layer_has_every_cell_and_a_score_column_per_method() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.gpkg");
    qpv()
        .args(ARGS)
        .arg("-q")
        .arg("-o")
        .arg(&path)
        .assert()
        .success();
    let info = Process::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(&path)
        .arg("access_cells")
        .output()
        .expect("ogrinfo (gdal-bin) is needed for this test");
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("Feature Count: 3490"), "{text}");
    assert!(text.contains("score_2sfca: Real"), "{text}");
    assert!(text.contains("score_gravity: Real"), "{text}");
    assert!(text.contains("in_communes: Integer"), "{text}");
}

fn markdown(lang: Option<&str>) -> String {
    let mut args = vec![
        "access",
        "--category",
        "france_services",
        "--grid-year",
        "2015",
    ];
    if let Some(l) = lang {
        args.extend(["--lang", l]);
    }
    let out = qpv().args(args).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

// English on request (--lang en): the grid, the distance and the bands, as before.
#[test]
fn markdown_names_the_grid_the_method_and_the_distance_used() {
    let text = markdown(Some("en"));
    for want in [
        "# Access to France Services centres from the 200 m grid",
        "Supply: 1 per facility (4 facilities).",
        "499 cells reach no facility; 2 facilities have no demand in reach.",
        // One-step methods do not count facilities without demand (they wrote "0").
        "sum of the supply in reach, no competition. 499 cells reach no facility.\n",
        "Grid: INSEE Filosofi 2015 200 m grid",
        "straight lines from cell centre to facility",
        "step weights ≤ 333 m: 1, ≤ 667 m: 0.68, ≤ 1,000 m: 0.22",
        "| method | code | name | demand | mean_score | ratio_to_rest |",
        "rest of the agglomeration",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
}

// French by default: the same facts in French, table headings for people, no English left
// in the headings and notes.
#[test]
fn markdown_is_french_by_default() {
    let text = markdown(None);
    assert_eq!(text, markdown(Some("fr")));
    for want in [
        "# Accessibilité aux France Services depuis les carreaux de 200 m",
        "Offre : 1 par équipement (4 équipements).",
        "499 carreaux n'atteignent aucun équipement ; 2 équipements n'ont aucune demande à portée.",
        "sans concurrence. 499 carreaux n'atteignent aucun équipement.\n",
        "Reste de l'agglomération (code `rest`) : carreaux dont le centre",
        "Grille : grille carroyée Filosofi 2015 de l'Insee (carreaux de 200 m)",
        "à vol d'oiseau du centre du carreau à l'équipement",
        // French numbers: "1,000 m" would read as one metre.
        "rayon ≤ 1\u{202f}000 m",
        "poids par palier ≤ 333 m : 1, ≤ 667 m : 0,68, ≤ 1\u{202f}000 m : 0,22",
        "(extrait intégré autour de Belfort et d'Offemont), 619 carreaux",
        "| méthode | code | nom | demande | score moyen | rapport au reste |",
        "reste de l'agglomération",
        "Par QPV : score moyen pondéré",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
    for english in [
        "france_services",
        "`rest` :",
        "Grid:",
        "catchment",
        "Per QPV",
        "rest of the agglomeration",
        "embedded extract",
        "1,000",
    ] {
        assert!(!text.contains(english), "{english}\n{text}");
    }
    // The per-QPV table writes its numbers the French way too (it wrote `644.4`), right-aligned.
    assert!(text.contains("|---|---|---|---:|---:|---:|"), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| 2sfca |"))
        .collect();
    assert!(!rows.is_empty(), "{text}");
    for row in rows {
        let b = row.as_bytes();
        let point = b
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit());
        assert!(!point && row.contains(','), "{row}");
    }
}

// The CSV keeps machine-readable column names whatever the language.
#[test]
fn csv_columns_stay_machine_readable_in_french() {
    let out = qpv()
        .args(["access", "--category", "france_services", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("method,code,name,demand,mean_score,ratio_to_rest\n"),
        "{text}"
    );
}
