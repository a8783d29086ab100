//! No input makes a reader panic: every truncation of the real QPV GeoJSON and of the
//! Annuaire CSV, and arbitrary bytes, give either data or an error naming the file.

use std::path::Path;

use proptest::prelude::*;
use qpv::crs::Crs;
use qpv::io::geojson::parse_geojson;
use qpv::io::table::{TableOptions, TableReader};
use qpv::io::zones::{ZoneFields, zones_from_layer};
use qpv::io::{FacilityFields, PointOptions, PointReader};

const QPV: &[u8] = include_bytes!("../geodata/qpv_2024_territoire_de_belfort.geojson");
const ANNUAIRE: &[u8] = include_bytes!("../geodata/annuaire_education_territoire_de_belfort.csv");

fn zones_from(bytes: &[u8]) -> Result<usize, String> {
    let layer = parse_geojson(Path::new("t.geojson"), bytes).map_err(|e| e.to_string())?;
    zones_from_layer(layer, &ZoneFields::default(), Crs::LAMBERT93)
        .map(|z| z.len())
        .map_err(|e| e.to_string())
}

fn points_from(bytes: &[u8]) -> Result<usize, String> {
    let opts = PointOptions::default();
    let table =
        TableReader::from_bytes(Path::new("t.csv"), bytes.to_vec(), &TableOptions::default())
            .map_err(|e| e.to_string())?;
    let reader =
        PointReader::from_table(table, &opts, Crs::LAMBERT93).map_err(|e| e.to_string())?;
    let mut n = 0;
    for row in reader {
        row.map_err(|e| e.to_string())?;
        n += 1;
    }
    Ok(n)
}

#[test]
fn every_truncation_of_the_qpv_file_is_an_error_naming_the_file() {
    for cut in (0..QPV.len()).step_by(61) {
        let e = zones_from(&QPV[..cut]).expect_err("a cut file cannot be complete");
        assert!(e.starts_with("t.geojson"), "cut at {cut}: {e}");
    }
    assert_eq!(zones_from(QPV), Ok(7));
}

#[test]
fn every_truncation_of_the_annuaire_reads_or_fails_cleanly() {
    for cut in (0..ANNUAIRE.len()).step_by(397) {
        match points_from(&ANNUAIRE[..cut]) {
            Ok(n) => assert!(n <= 181),
            Err(e) => assert!(e.starts_with("t.csv"), "cut at {cut}: {e}"),
        }
    }
    assert_eq!(points_from(ANNUAIRE), Ok(181));
    let fields = FacilityFields::annuaire_education();
    let table =
        TableReader::from_bytes(Path::new("t.csv"), ANNUAIRE.to_vec(), &fields.points.table)
            .unwrap();
    let reader = PointReader::from_table(table, &fields.points, Crs::LAMBERT93).unwrap();
    assert_eq!(
        qpv::io::facilities::facilities_from_points(reader, &fields)
            .unwrap()
            .len(),
        164
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = zones_from(&bytes) {
            prop_assert!(e.starts_with("t.geojson"));
        }
        if let Err(e) = points_from(&bytes) {
            prop_assert!(e.starts_with("t.csv"));
        }
    }

    #[test]
    fn arbitrary_text_tables_never_panic(text in "[a-z0-9;,.\"\\n -]{0,300}") {
        if let Err(e) = points_from(text.as_bytes()) {
            prop_assert!(e.starts_with("t.csv"));
        }
    }
}
