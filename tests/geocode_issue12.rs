//! Issue 12 end to end: complements removed wherever they stand, a street given with the wrong
//! commune found in a neighbouring one or elsewhere in the département (flagged `corrected`), `housenumber` only for the number
//! and suffix asked, and one spelling of the geocoding columns in `qpv geocode` and
//! `qpv locate --addresses`.
//!
//! Expected positions are the BANO rows themselves (`geodata/bano-90.csv`, quoted below),
//! reprojected here with PROJ (`Reprojector`), independently of the index.

use assert_cmd::Command;
use geo::Coord;
use qpv::crs::{Crs, Reprojector};
use qpv::geocode::{AddressIndex, AddressQuery, Precision};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/addresses_complements.csv"
);

fn bano_xy(lat: f64, lon: f64) -> Coord<f64> {
    Reprojector::new(Crs::WGS84, Crs::LAMBERT93)
        .unwrap()
        .coord(Coord { x: lon, y: lat })
        .unwrap()
}

#[test]
fn complements_wrong_communes_and_suffixes() {
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let g = |t: &str| index.geocode(&AddressQuery::text(t));
    // BANO: 900100410J-7,7,Rue du Barcot,90000,Belfort,C+O,47.656292,6.845398
    let barcot7 = bano_xy(47.656292, 6.845398);
    for text in [
        "BP 20 - 7 rue du Barcot 90000 Belfort",
        "Apt 30 7 R. du Barcot, 90000 Belfort",
        "CS 10123 7 rue du Barcot 90000 BELFORT CEDEX",
        "7 rue du Barcot Bât. C Esc. 2 3e étage 90000 Belfort",
        "Chez M. Dupont, Résidence Les Lilas, 7 rue du Barcot (fond de cour) 90000 Belfort",
    ] {
        let r = g(text);
        assert_eq!(
            (r.precision, r.label.as_str(), r.score),
            (
                Precision::Housenumber,
                "7 Rue du Barcot, 90000 Belfort",
                1.0
            ),
            "{text}"
        );
        let p = r.point.unwrap();
        assert!((p.x - barcot7.x).hypot(p.y - barcot7.y) < 0.01, "{text}");
    }
    // BANO has Rue de Kiev only in Bavilliers (90800):
    // 900080211B-4,4,Rue de Kiev,90800,Bavilliers,C+O,47.634941,6.834946
    let r = g("4 rue de Kiev, 90000 BELFORT");
    assert_eq!(r.precision, Precision::Housenumber);
    assert_eq!(r.label, "4 Rue de Kiev, 90800 Bavilliers");
    assert!(r.corrected);
    assert_eq!(r.score, 0.7);
    assert_eq!(
        r.reason,
        "postcode/commune corrected: no such street in Belfort; found in Bavilliers, a neighbouring commune"
    );
    let (p, kiev4) = (r.point.unwrap(), bano_xy(47.634941, 6.834946));
    assert!((p.x - kiev4.x).hypot(p.y - kiev4.y) < 0.01);
    // Given in Delle (90100, about 20 km south): not in Delle, in no commune sharing 90100
    // nor within 6 km; found elsewhere in the département, in one commune only. The street
    // may be another of the same name, so the answer is `street`, uncertain by the distance
    // to the farthest BANO point of Delle (the address may be there), and so checked.
    let r = g("4 rue de Kiev, 90100 Delle");
    assert_eq!(
        (r.precision, r.label.as_str(), r.score, r.corrected),
        (
            Precision::Street,
            "4 Rue de Kiev, 90800 Bavilliers",
            0.5,
            true
        )
    );
    assert_eq!(
        r.reason,
        "postcode/commune corrected: no such street in Delle; found in Bavilliers, elsewhere in the département"
    );
    let p = r.point.unwrap();
    assert!((p.x - kiev4.x).hypot(p.y - kiev4.y) < 0.01);
    // The farthest point of Delle, from the BANO rows read here and reprojected with PROJ.
    let farthest = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/bano-90.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[4] == "Delle")
        .map(|r| {
            let q = bano_xy(r[6].parse().unwrap(), r[7].parse().unwrap());
            (q.x - kiev4.x).hypot(q.y - kiev4.y)
        })
        .fold(0.0, f64::max);
    assert!(farthest > 15_000.0, "{farthest}");
    assert_eq!(r.uncertainty_m, Some(farthest.round()));
    // Found where asked: not corrected.
    assert!(!g("4 rue de Kiev 90800 Bavilliers").corrected);
    // 17, 17A and 17B exist, not 17C: never `housenumber`.
    let r = g("17C rue du Barcot 90000 Belfort");
    assert_eq!(r.precision, Precision::Interpolated);
    assert!(r.uncertainty_m.unwrap() >= 100.0);
}

/// The value of `column` in each row of a CSV text, as written.
fn column(text: &str, column: &str) -> Vec<String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let at = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap();
    r.records().map(|x| x.unwrap()[at].to_string()).collect()
}

#[test]
fn geocode_and_locate_spell_the_geocoding_columns_identically() {
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("qpv")
            .unwrap()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let geocoded = run(&["-q", "geocode", FILE]);
    let located = run(&["-q", "locate", "--addresses", FILE]);
    for c in qpv::geocode::columns::GEOCODING_COLUMNS {
        assert_eq!(column(&geocoded, c), column(&located, c), "{c}");
    }
    // The first row as both write it, byte for byte.
    let first = "1,\"4 rue de Kiev, 90000 BELFORT\",6.834946,47.634941,987865.45,6733053.66,\
                 housenumber,0.7,0.0,true,\"4 Rue de Kiev, 90800 Bavilliers\",\"postcode/commune \
                 corrected: no such street in Belfort; found in Bavilliers, a neighbouring commune\"";
    assert_eq!(geocoded.lines().nth(1).unwrap(), first);
    assert!(located.lines().nth(1).unwrap().starts_with(first));
}
