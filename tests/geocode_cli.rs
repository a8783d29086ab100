//! `qpv geocode` end to end on realistic messy files: `;` separator, Windows-1252 bytes, CRLF,
//! mixed case, abbreviations, missing postcodes, typos, complements, garbage.

use std::path::Path;

use geo::Coord;
use predicates::prelude::*;
use qpv::crs::{Crs, Reprojector};

const MESSY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/addresses_messy.csv"
);
const COLUMNS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/addresses_columns.csv"
);

mod common;
use common::qpv_cmd as qpv;

fn read_output(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

/// The Lambert-93 position of a BANO row, computed independently of the geocoder.
fn bano(id: &str) -> Coord<f64> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/bano-90.csv"))
        .unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .unwrap();
    let f: Vec<&str> = line.split(',').collect();
    let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    r.coord(Coord {
        x: f[7].parse().unwrap(),
        y: f[6].parse().unwrap(),
    })
    .unwrap()
}

#[test]
fn messy_latin1_semicolon_file_geocodes_with_expected_precisions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    qpv()
        .args(["geocode", MESSY, "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "20 addresses: 10 housenumber, 3 interpolated, 3 street, 4 not_found, 0 with postcode/commune corrected",
        ))
        .stderr(predicate::str::contains(
            "© les contributeurs d'OpenStreetMap sous licence ODbL",
        ));
    let (headers, rows) = read_output(&out);
    assert_eq!(
        headers,
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
            "reason"
        ]
    );
    assert_eq!(rows.len(), 20);
    // id → (precision, score, matched)
    let expected: [(&str, &str, &str, &str); 20] = [
        ("1", "street", "1.0", "Rue Danton, 90000 Belfort"),
        ("2", "interpolated", "1.0", "4 Rue de Madrid, 90000 Belfort"),
        (
            "3",
            "housenumber",
            "1.0",
            "12 Avenue Jean Jaurès, 90000 Belfort",
        ),
        // Belfort has no 18 ter (Delle has), only 18: not a `housenumber` (issue 12), placed
        // from the neighbours 18 and 20.
        (
            "4",
            "interpolated",
            "1.0",
            "18TER Faubourg de Montbéliard, 90000 Belfort",
        ),
        ("5", "housenumber", "0.85", "12 Rue Danton, 90000 Belfort"),
        (
            "6",
            "housenumber",
            "1.0",
            "4BIS Rue du Comte de la Suze, 90000 Belfort",
        ),
        (
            "7",
            "housenumber",
            "1.0",
            "2 Rue de la Gare, 90300 Offemont",
        ),
        ("8", "street", "1.0", "Avenue Jean Jaurès, 90000 Belfort"),
        ("9", "not_found", "0.0", ""),
        ("10", "not_found", "0.0", ""),
        ("11", "not_found", "0.0", ""),
        (
            "12",
            "interpolated",
            "1.0",
            "23 Rue de la Gare, 90300 Offemont",
        ),
        (
            "13",
            "housenumber",
            "1.0",
            "12 Avenue Jean Jaurès, 90000 Belfort",
        ),
        // Rue Saint-Antoine has only even numbers in BANO 2015: no odd side to interpolate on.
        ("14", "street", "1.0", "Rue Saint-Antoine, 90000 Belfort"),
        (
            "15",
            "housenumber",
            "0.95",
            "2TER Rue de l'Abbé Descharrières, 90000 Belfort",
        ),
        ("16", "housenumber", "0.9", "12 Rue Danton, 90000 Belfort"),
        ("17", "housenumber", "1.0", "12 Rue Danton, 90000 Belfort"),
        (
            "18",
            "housenumber",
            "1.0",
            "7 Avenue du Maréchal Foch, 90000 Belfort",
        ),
        (
            "19",
            "housenumber",
            "1.0",
            "5 Boulevard du Maréchal Joffre, 90000 Belfort",
        ),
        ("20", "not_found", "0.0", ""),
    ];
    for (row, (id, precision, score, matched)) in rows.iter().zip(expected) {
        assert_eq!(row[0], id);
        assert_eq!(
            (row[10].as_str(), row[11].as_str(), row[14].as_str()),
            (precision, score, matched),
            "row {id}: {row:?}"
        );
        let found = precision != "not_found";
        assert_eq!(!row[6].is_empty(), found, "row {id}");
        assert_eq!(row[15].is_empty(), found, "row {id}: reason {}", row[15]);
        assert_eq!(row[13], "false", "row {id}: not corrected");
    }
    // Input columns are kept, decoded from Windows-1252.
    assert_eq!(rows[0][1], "Mme DUPONT Hélène");
    assert_eq!(rows[11][5], "numéro absent de la BANO");
    assert_eq!(
        rows[10][15],
        "commune 'paris' is not in the address reference"
    );
    assert_eq!(rows[9][15], "empty address");
    // Positions: 12 rue Danton is BANO's point, to the centimetre.
    let danton12 = bano("900101825X-12");
    assert_eq!(rows[4][8], format!("{:.2}", danton12.x));
    assert_eq!(rows[4][9], format!("{:.2}", danton12.y));
    // 4 rue de Madrid: halfway between 2 and 6 (both even, BANO has no 4).
    let (m2, m6) = (bano("900102510S-2"), bano("900102510S-6"));
    assert_eq!(rows[1][8], format!("{:.2}", (m2.x + m6.x) / 2.0));
    assert_eq!(rows[1][9], format!("{:.2}", (m2.y + m6.y) / 2.0));
}

#[test]
fn separate_columns_with_french_headers_are_detected() {
    let output = qpv()
        .args(["--quiet", "geocode", COLUMNS])
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "N°",
            "Voie",
            "Code postal",
            "Commune",
            "lon",
            "lat",
            "x",
            "y",
            "precision",
            "score",
            "uncertainty_m",
            "corrected",
            "matched",
            "reason"
        ]
    );
    let precisions: Vec<String> = r.records().map(|r| r.unwrap()[8].to_string()).collect();
    assert_eq!(
        precisions,
        [
            "housenumber",
            "housenumber",
            "interpolated",
            "street",
            "not_found"
        ]
    );
}

#[test]
fn explicit_columns_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "qui;ligne1;ville\nA;12 r Danton;Belfort\n").unwrap();
    // Nothing looks like an address: exit 2 with the columns and the options to use.
    qpv()
        .args(["geocode"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no address column found"))
        .stderr(predicate::str::contains("--address-col"))
        .stderr(predicate::str::contains("qui, ligne1, ville"));
    qpv()
        .args(["geocode", "--address-col", "adresse"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no column 'adresse'"));
    qpv()
        .args(["-q", "geocode", "--address-col", "ligne1"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "A,12 r Danton,Belfort,6.849653,47.625266,989020.92,6732033.77,housenumber,1.0,0.0,false,\"12 Rue Danton, 90000 Belfort\",",
        ));
    // Never over the input.
    qpv()
        .args(["geocode", "--address-col", "ligne1", "-o"])
        .arg(&input)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("also an input"));
    // One address column with unquoted commas: the pieces are joined back.
    let one = dir.path().join("one.csv");
    std::fs::write(&one, "adresse\n12 rue Danton, 90000 Belfort\n").unwrap();
    qpv()
        .args(["-q", "geocode"])
        .arg(&one)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"12 rue Danton, 90000 Belfort\",6.849653,47.625266,989020.92,6732033.77,housenumber,1.0,0.0,false,",
        ));
    // Several columns and a stray field: exit 2 naming the line.
    let stray = dir.path().join("stray.csv");
    std::fs::write(
        &stray,
        "nom;adresse\nA;12 rue Danton\nB;4 rue de Madrid;x\n",
    )
    .unwrap();
    qpv()
        .args(["geocode"])
        .arg(&stray)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 3: 3 fields where the header has 2",
        ));
    qpv()
        .args(["geocode", "--format", "geojson"])
        .arg(&input)
        .assert()
        .code(2);
}

#[test]
fn a_ban_reference_file_can_replace_the_embedded_bano() {
    let dir = tempfile::tempdir().unwrap();
    let ban = dir.path().join("ban.csv");
    std::fs::write(
        &ban,
        "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat\n\
         90010_1825_00012;90010_1825;12;;Rue Danton;90000;90010;Belfort;;;989020.9;6732033.8;6.849653;47.625266\n\
         90010_1825_00016;90010_1825;16;bis;Rue Danton;90000;90010;Belfort;;;989010.0;6731990.0;6.849459;47.624790\n",
    )
    .unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "adresse\n16 bis rue Danton Belfort\n14 rue Danton Belfort\n",
    )
    .unwrap();
    let out = qpv()
        .args(["-q", "geocode", "--reference"])
        .arg(&ban)
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].contains(",housenumber,1.0,0.0,false,\"16BIS Rue Danton, 90000 Belfort\""),
        "{text}"
    );
    // 14 between 12 and 16 bis (same parity).
    assert!(lines[2].contains(",interpolated,1.0,"), "{text}");
}

#[test]
fn working_crs_is_honoured_and_a_reference_outside_it_is_refused() {
    // x, y in LAEA Europe (EPSG:3035) with --crs; lon/lat unchanged.
    let out = qpv()
        .args(["-q", "--crs", "EPSG:3035", "geocode", COLUMNS])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let line = text.lines().nth(1).unwrap();
    let f: Vec<&str> = line.split(',').collect();
    let r = Reprojector::new(Crs::WGS84, Crs::LAEA_EUROPE).unwrap();
    let p = r
        .coord(Coord {
            x: f[4].parse().unwrap(),
            y: f[5].parse().unwrap(),
        })
        .unwrap();
    assert!((f[6].parse::<f64>().unwrap() - p.x).abs() < 0.01, "{line}");
    assert!((f[7].parse::<f64>().unwrap() - p.y).abs() < 0.01, "{line}");
    // Belfort is outside La Réunion's CRS: a clear error, not 5 not_found rows.
    qpv()
        .args(["--crs", "EPSG:2975", "geocode", COLUMNS])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no usable address point in the reference",
        ));
}

/// The GeoJSON view carries exactly the CSV's rows: same columns, same text, the appended
/// numbers as numbers, a point where the CSV has lon/lat and no geometry where it has none;
/// GDAL reads it as 20 points in WGS84.
#[test]
fn geojson_output_is_the_csv_rows_with_points() {
    let dir = tempfile::tempdir().unwrap();
    let csv_out = dir.path().join("out.csv");
    let geojson_out = dir.path().join("out.geojson");
    qpv()
        .args(["-q", "geocode", MESSY, "-o"])
        .arg(&csv_out)
        .assert()
        .success();
    qpv()
        .args(["-q", "geocode", MESSY, "-o"])
        .arg(&geojson_out)
        .assert()
        .success();
    let (headers, rows) = read_output(&csv_out);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geojson_out).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), rows.len());
    assert_eq!(rows.len(), 20);
    let mut with_point = 0;
    for (row, f) in rows.iter().zip(features) {
        let props = f["properties"].as_object().unwrap();
        assert_eq!(props.keys().cloned().collect::<Vec<_>>(), headers);
        for (h, text) in headers.iter().zip(row) {
            let value = &props[h];
            match value {
                serde_json::Value::Number(n) => {
                    assert_eq!(n.as_f64().unwrap(), text.parse::<f64>().unwrap(), "{h}")
                }
                serde_json::Value::Null => assert_eq!(text, "", "{h}"),
                serde_json::Value::Bool(b) => assert_eq!(&b.to_string(), text, "{h}"),
                other => assert_eq!(other.as_str().unwrap(), text, "{h}"),
            }
        }
        let lon = &row[headers.iter().position(|h| h == "lon").unwrap()];
        if lon.is_empty() {
            assert!(f["geometry"].is_null());
        } else {
            with_point += 1;
            let c = &f["geometry"]["coordinates"];
            assert_eq!(c[0].as_f64().unwrap(), lon.parse::<f64>().unwrap());
        }
    }
    assert_eq!(
        with_point, 16,
        "16 of the 20 messy rows geocode (4 not_found)"
    );
    let info = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(&geojson_out)
        .output()
        .expect("ogrinfo (gdal-bin) is installed by scripts/test.sh");
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("Feature Count: 20"), "{text}");
    assert!(text.contains("Geometry: Point"), "{text}");
}
