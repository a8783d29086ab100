//! `qpv locate --addresses` end to end on two realistic association files (Windows-1252, `;`,
//! CRLF): every row's status, QPV, check flag and signed distance, plus the summaries.
//!
//! Expected values come from tests/coverage_reference/locate_addresses.py: the positions of
//! `qpv geocode`, located with shapely against the QPV polygons, and geocoding uncertainties
//! recomputed from BANO (not from this crate's locate code).

mod common;

use assert_cmd::prelude::*;
use predicates::prelude::*;
use serde_json::Value;

use common::{data, qpv};

/// (id, precision, status, containing QPV or "", signed distance (m), needs_check).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    bool,
);

const NA: f64 = f64::NAN;

#[rustfmt::skip]
const MESSY: &[Row] = &[
    ("1", "street", "outside", "", 214.75, false),
    ("2", "interpolated", "inside", "QN09004M", -27.94, true),
    ("3", "housenumber", "outside", "", 262.81, false),
    // 18 ter: Belfort has only 18, placed from its neighbours (issue 12), not `housenumber`.
    ("4", "interpolated", "outside", "", 324.10, false),
    ("5", "housenumber", "outside", "", 212.90, false),
    ("6", "housenumber", "outside", "", 317.32, false),
    ("7", "housenumber", "outside", "", 1456.60, false),
    ("8", "street", "outside", "", 509.66, true),
    ("9", "not_found", "not_geocoded", "", NA, false),
    ("10", "not_found", "not_geocoded", "", NA, false),
    ("11", "not_found", "not_geocoded", "", NA, false),
    ("12", "interpolated", "outside", "", 1612.77, false),
    ("13", "housenumber", "outside", "", 262.81, false),
    ("14", "street", "outside", "", 123.10, true),
    ("15", "housenumber", "outside", "", 312.04, false),
    ("16", "housenumber", "outside", "", 212.90, false),
    ("17", "housenumber", "outside", "", 212.90, false),
    ("18", "housenumber", "outside", "", 343.22, false),
    ("19", "housenumber", "outside", "", 72.34, false),
    ("20", "not_found", "not_geocoded", "", NA, false),
];

#[rustfmt::skip]
const ASSOCIATION: &[Row] = &[
    ("A-001", "housenumber", "inside", "QN09004M", -79.86, false),
    ("A-002", "housenumber", "inside", "QN09004M", -125.07, false),
    ("A-003", "housenumber", "inside", "QN09004M", -93.27, false),
    ("A-004", "housenumber", "inside", "QN09004M", -47.39, false),
    ("A-005", "housenumber", "near", "", 12.00, false),
    ("A-006", "housenumber", "inside", "QN09002M", -90.28, false),
    ("A-007", "housenumber", "inside", "QN09002M", -83.41, false),
    ("A-008", "housenumber", "inside", "QN09002M", -37.51, false),
    ("A-009", "housenumber", "inside", "QN09003I", -112.80, false),
    ("A-010", "housenumber", "inside", "QN09003I", -75.96, false),
    ("A-011", "housenumber", "near", "QN09003I", -4.18, false),
    ("A-012", "housenumber", "inside", "QN09006M", -82.33, false),
    ("A-013", "housenumber", "inside", "QN09006M", -34.23, false),
    ("A-014", "housenumber", "inside", "QN09006M", -34.86, false),
    ("A-015", "housenumber", "inside", "QN09007N", -87.87, false),
    ("A-016", "housenumber", "inside", "QN09007N", -59.23, false),
    ("A-017", "housenumber", "inside", "QN09007N", -62.64, false),
    ("A-018", "housenumber", "near", "", 7.83, false),
    ("A-019", "housenumber", "inside", "QN09005M", -60.15, false),
    ("A-020", "housenumber", "inside", "QN09005M", -46.94, false),
    ("A-021", "housenumber", "inside", "QN09005M", -28.86, false),
    ("A-022", "housenumber", "inside", "QN09001I", -52.02, false),
    ("A-023", "housenumber", "inside", "QN09001I", -36.12, false),
    // Uncertain by 78.72 m (issue 12: distance between the neighbours + 25 m): flagged.
    ("A-024", "interpolated", "inside", "QN09004M", -76.39, true),
    ("A-025", "street", "inside", "QN09002M", -34.68, true),
    ("A-026", "interpolated", "inside", "QN09004M", -31.13, true),
    ("A-027", "interpolated", "near", "", 2.65, true),
    // Street extent + 25 m = 127.13 m > 113.67 m: flagged.
    ("A-028", "street", "inside", "QN09004M", -113.68, true),
    ("A-029", "housenumber", "outside", "", 212.90, false),
    ("A-030", "housenumber", "outside", "", 1456.60, false),
    ("A-031", "housenumber", "inside", "QN09004M", -79.86, false),
    ("A-032", "not_found", "not_geocoded", "", NA, false),
    ("A-033", "not_found", "not_geocoded", "", NA, false),
    ("A-034", "not_found", "not_geocoded", "", NA, false),
];

fn run_json(file: &str) -> (Value, String) {
    let out = qpv()
        .args(["locate", "--addresses", &data(file), "--format", "json"])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    (
        serde_json::from_slice(&out.get_output().stdout).unwrap(),
        stderr,
    )
}

/// Every row as expected; returns (inside, near, outside, not_geocoded, needs_check).
fn check_rows(v: &Value, id_column: &str, expected: &[Row]) -> [u64; 5] {
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), expected.len());
    let mut counts = [0u64; 5];
    for (p, e) in points.iter().zip(expected) {
        let (id, precision, status, code, distance, check) = *e;
        assert_eq!(p[id_column], id);
        assert_eq!(p["precision"], precision, "{id}");
        assert_eq!(p["status"], status, "{id}");
        assert_eq!(p["code_qp"].as_str().unwrap_or(""), code, "{id}");
        assert_eq!(p["needs_check"], check, "{id}");
        if distance.is_nan() {
            for c in ["lon", "lat", "x", "y", "signed_distance_m", "code_qp"] {
                assert!(p[c].is_null(), "{id} {c}");
            }
            assert!(!p["reason"].as_str().unwrap().is_empty(), "{id}: a reason");
        } else {
            // The reference located `qpv geocode`'s positions rounded to the cm.
            let d = p["signed_distance_m"].as_f64().unwrap();
            assert!((d - distance).abs() <= 0.02, "{id}: {d} vs {distance}");
            assert_eq!(
                p["check_reason"].as_str().unwrap().is_empty(),
                !check,
                "{id}: a check reason exactly when flagged"
            );
        }
        let slot = match status {
            "inside" => 0,
            "near" => 1,
            "outside" => 2,
            _ => 3,
        };
        counts[slot] += 1;
        counts[4] += u64::from(check);
    }
    counts
}

#[test]
fn messy_file_every_row_has_the_expected_status() {
    let (v, stderr) = run_json("addresses_messy.csv");
    let counts = check_rows(&v, "id", MESSY);
    assert_eq!(counts, [1, 0, 15, 4, 3]);
    let s = &v["summary"];
    assert_eq!(
        [
            &s["total"],
            &s["inside"],
            &s["near"],
            &s["outside"],
            &s["not_geocoded"],
            &s["needs_check"]
        ],
        [20, 1, 0, 15, 4, 3].map(Value::from).each_ref()
    );
    assert_eq!(s["geocoding"]["housenumber"], 10);
    assert_eq!(s["geocoding"]["interpolated"], 3);
    assert_eq!(s["geocoding"]["street"], 3);
    assert_eq!(s["geocoding"]["not_found"], 4);
    // Input columns first, in order (the Windows-1252 header decoded), then the new ones.
    let keys: Vec<&str> = v["points"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "Nom",
            "Adresse",
            "CP",
            "Ville",
            "Remarque",
            "lon",
            "lat",
            "x",
            "y",
            "precision",
            "score",
            "uncertainty_m",
            "corrected",
            "matched",
            "reason",
            "code_qp",
            "in_qpv",
            "lib_qp",
            "signed_distance_m",
            "status",
            "nearest_code_qp",
            "needs_check",
            "check_reason"
        ]
    );
    // Uncertainties recomputed from BANO: 4 rue de Madrid sits halfway between 2 and 6
    // (121.33 m apart, + the 25 m margin); the street point of rue Danton is 113.32 m from
    // its farthest number (+ 25 m).
    assert_eq!(v["points"][1]["uncertainty_m"], 146.33);
    assert_eq!(v["points"][0]["uncertainty_m"], 138.32);
    assert_eq!(v["points"][2]["uncertainty_m"], 0.0);
    assert!(v["points"][8]["uncertainty_m"].is_null());
    let p = &v["points"][1];
    assert_eq!(p["Nom"], "M. Müller");
    assert_eq!(p["matched"], "4 Rue de Madrid, 90000 Belfort");
    assert_eq!(p["lib_qp"], "Les Résidences");
    assert_eq!(
        p["check_reason"],
        "interpolated position, uncertain by up to 146 m, 27.9 m inside the boundary of QN09004M"
    );
    assert_eq!(
        v["points"][10]["reason"],
        "commune 'paris' is not in the address reference"
    );
    assert!(
        stderr.contains(
            "located 20 addresses: 1 in a QPV (5.0 %), 15 not in a QPV (75.0 %), 4 not \
             geocoded (20.0 %); 0 near a boundary (0 inside, 0 outside); 3 to check (needs_check)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("geocoding: 10 housenumber, 3 interpolated, 3 street, 4 not_found"));
    assert!(stderr.contains("QN09004M Les Résidences: 1 inside, 0 near inside, 0 near outside"));
    assert!(stderr.contains("licence ODbL"), "BANO attribution");
}

#[test]
fn association_beneficiaries_inside_each_qpv() {
    let (v, stderr) = run_json("addresses_association.csv");
    let counts = check_rows(&v, "Dossier", ASSOCIATION);
    assert_eq!(counts, [25, 4, 2, 3, 5]);
    let s = &v["summary"];
    assert_eq!(s["total"], 34);
    assert_eq!(s["in_a_zone"], 26);
    let per_zone: Vec<(String, u64, u64, u64)> = s["per_zone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["code_qp"].as_str().unwrap().to_string(),
                z["inside"].as_u64().unwrap(),
                z["near_inside"].as_u64().unwrap(),
                z["near_outside"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("QN09001I", 2, 0, 0),
        ("QN09002M", 4, 0, 0),
        ("QN09003I", 2, 1, 0),
        ("QN09004M", 8, 0, 1),
        ("QN09005M", 3, 0, 1),
        ("QN09006M", 3, 0, 0),
        ("QN09007N", 3, 0, 1),
    ];
    assert_eq!(
        per_zone,
        expected
            .map(|(c, i, ni, no)| (c.to_string(), i, ni, no))
            .to_vec()
    );
    assert_eq!(v["points"][0]["Bénéficiaire"], "Bénéficiaire 1");
    // 25 inside + 1 near inside (the per-QPV counts above) are in a QPV.
    assert!(
        stderr.contains("34 addresses: 26 in a QPV (76.5 %)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 near a boundary (1 inside, 3 outside)"),
        "{stderr}"
    );
}

#[test]
fn csv_and_geojson_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("out.csv");
    qpv()
        .args([
            "-q",
            "locate",
            "--addresses",
            &data("addresses_association.csv"),
            "-o",
        ])
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 35);
    assert_eq!(
        lines[0],
        "Dossier,Bénéficiaire,Adresse,CP,Commune,Inscription,lon,lat,x,y,precision,score,\
         uncertainty_m,corrected,matched,reason,code_qp,in_qpv,lib_qp,signed_distance_m,status,nearest_code_qp,needs_check,check_reason"
    );
    assert!(lines[33].starts_with(
        "A-033,Bénéficiaire 33,,,Belfort,15/03/2024,,,,,not_found,0.0,,false,,no street name in the address,,,,,not_geocoded,,false,"
    ));
    let geojson = dir.path().join("out.geojson");
    qpv()
        .args([
            "-q",
            "locate",
            "--addresses",
            &data("addresses_association.csv"),
            "-o",
        ])
        .arg(&geojson)
        .assert()
        .success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 34);
    assert_eq!(
        features.iter().filter(|f| f["geometry"].is_null()).count(),
        3,
        "rows that did not geocode have no geometry"
    );
}

#[test]
fn address_options_need_addresses_and_address_files_get_a_hint() {
    qpv()
        .args(["locate", &data("addresses_messy.csv")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "has no coordinate columns but has postal addresses",
        ))
        .stderr(predicate::str::contains("add --addresses"));
    qpv()
        .args([
            "locate",
            &data("addresses_messy.csv"),
            "--address-col",
            "Adresse",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--address-column applies to postal addresses",
        ));
    qpv()
        .args([
            "locate",
            "--addresses",
            &data("addresses_messy.csv"),
            "--x-column",
            "x",
        ])
        .assert()
        .code(2);
    // Named columns that do not exist.
    qpv()
        .args([
            "locate",
            "--addresses",
            &data("addresses_messy.csv"),
            "--street-col",
            "rue",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rue"));
}

#[test]
fn whole_bano_as_addresses_gets_the_status_of_its_coordinates() {
    // Every BANO point written back as an address (number, street, postcode, commune columns)
    // goes through the geocoder, then locate; the coordinates go through locate directly.
    let dir = tempfile::tempdir().unwrap();
    let bano = format!("{}/geodata/bano-90.csv", env!("CARGO_MANIFEST_DIR"));
    let addresses = dir.path().join("bano_addresses.csv");
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(&addresses)
        .unwrap();
    w.write_record(["id", "numero", "voie", "code_postal", "commune"])
        .unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(&bano)
        .unwrap();
    for row in r.records() {
        let row = row.unwrap();
        w.write_record([&row[0], &row[1], &row[2], &row[3], &row[4]])
            .unwrap();
    }
    w.flush().unwrap();
    let by_address = dir.path().join("a.json");
    qpv()
        .args(["-q", "locate", "--addresses"])
        .arg(&addresses)
        .arg("-o")
        .arg(&by_address)
        .assert()
        .success();
    let by_coordinates = dir.path().join("c.json");
    qpv()
        .args([
            "-q",
            "locate",
            &bano,
            "--columns",
            "id,numero,voie,code_post,nom_comm,source,lat,lon",
            "-o",
        ])
        .arg(&by_coordinates)
        .assert()
        .success();
    let read = |p: &std::path::Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let (a, c) = (read(&by_address), read(&by_coordinates));
    let (pa, pc) = (
        a["points"].as_array().unwrap(),
        c["points"].as_array().unwrap(),
    );
    assert_eq!(pa.len(), 35_847);
    assert_eq!(pa.len(), pc.len());
    let mut different = Vec::new();
    for (x, y) in pa.iter().zip(pc) {
        assert_eq!(x["id"], y["id"]);
        if (&x["status"], &x["code_qp"]) != (&y["status"], &y["code_qp"]) {
            different.push((x["id"].as_str().unwrap(), x["status"].as_str().unwrap()));
        }
    }
    // The one BANO row whose street is named like a house number ("N° 19 Bis", Dorans).
    assert_eq!(different, [("900350023E-19B", "not_geocoded")]);
    let s = &a["summary"];
    assert_eq!(
        [&s["inside"], &s["near"], &s["outside"], &s["not_geocoded"]],
        [481, 637, 34_728, 1].map(Value::from).each_ref()
    );
    assert_eq!(s["needs_check"], 0);
    assert_eq!(s["geocoding"]["housenumber"], 35_846);
}
