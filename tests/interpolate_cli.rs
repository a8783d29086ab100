//! `qpv interpolate` (issue 15, W4) on the embedded data (7 QPV × Filosofi 2019 grid) against
//! an independent oracle: tests/data/interpolate/embedded_2019_geopandas.csv, written by
//!
//!     python scripts/peers/interpolate_geopandas.py \
//!         --zones geodata/qpv_2024_territoire_de_belfort.geojson \
//!         --grid geodata/filosofi2019_200m_grand_belfort.csv \
//!         --out tests/data/interpolate/embedded_2019_geopandas.csv
//!
//! (GeoPandas 1.2.0, shapely 2.2.0 / GEOS overlay, pyproj 3.7.2 / PROJ 9.5.1; DuckDB spatial
//! 1.5.5 `scripts/peers/interpolate_duckdb.py` gives the same values to 4e-16.) Cells there are
//! built independently from the CSV (corners reprojected by pyproj), zones by pyogrio + pyproj.

mod common;

use std::collections::BTreeMap;

use common::{qpv, stdout_of};

type Rows = BTreeMap<String, BTreeMap<String, String>>;

fn parse_csv(text: &str) -> Rows {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> = headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (row["code_qp"].clone(), row)
        })
        .collect()
}

fn oracle() -> Rows {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/interpolate/embedded_2019_geopandas.csv"
    );
    parse_csv(&std::fs::read_to_string(path).unwrap())
}

const VALUES: [&str; 12] = [
    "area_m2", "ind", "men", "men_pauv", "ind_snv", "men_1ind", "men_5ind", "men_fmp", "men_prop",
    "men_coll", "men_mais", "men_surf",
];

/// Every zone, cell count exactly, every value within 1e-9 relative of the oracle.
fn assert_matches_oracle(got: &Rows) {
    let want = oracle();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (code, w) in &want {
        let g = &got[code];
        assert_eq!(g["cells"], w["cells"], "{code} cells");
        for v in VALUES {
            let (a, b): (f64, f64) = (g[v].parse().unwrap(), w[v].parse().unwrap());
            let rel = (a - b).abs() / b.abs().max(1e-300);
            assert!(
                rel <= 1e-9,
                "{code} {v}: qpv {a} vs GeoPandas {b} ({rel:e})"
            );
        }
    }
}

#[test]
fn embedded_default_matches_geopandas_overlay() {
    let out = stdout_of(qpv().args(["-q", "interpolate", "--format", "csv"]));
    let rows = parse_csv(&out);
    assert_matches_oracle(&rows);
    // Names come from the QPV layer.
    assert_eq!(rows["QN09001I"]["lib_qp"], "Bougenel - Mulhouse");
}

/// The same grid given as a file goes through the streaming reader (cells far from the zones
/// not reprojected): same figures, byte for byte.
#[test]
fn grid_file_read_row_by_row_gives_the_same_rows() {
    let embedded = stdout_of(qpv().args(["-q", "interpolate", "--format", "csv"]));
    let file = stdout_of(qpv().args([
        "-q",
        "interpolate",
        "--grid",
        "geodata/filosofi2019_200m_grand_belfort.csv",
        "--format",
        "csv",
    ]));
    assert_eq!(embedded, file);
    assert_matches_oracle(&parse_csv(&file));
}

#[test]
fn select_keeps_the_columns_asked_in_order() {
    let out = stdout_of(qpv().args([
        "-q",
        "interpolate",
        "--select",
        "men_pauv,code_qp,ind",
        "--format",
        "csv",
    ]));
    let first = out.lines().next().unwrap();
    assert_eq!(first, "men_pauv,code_qp,ind");
    assert_eq!(out.lines().count(), 8);
}

#[test]
fn json_and_geojson_carry_every_zone() {
    let json: serde_json::Value = serde_json::from_str(&stdout_of(qpv().args([
        "-q",
        "interpolate",
        "--format",
        "json",
    ])))
    .unwrap();
    let zones = json["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 7);
    let want = oracle();
    let z = &zones[0];
    let code = z["code_qp"].as_str().unwrap();
    let b: f64 = want[code]["men_pauv"].parse().unwrap();
    assert!((z["men_pauv"].as_f64().unwrap() - b).abs() <= 1e-9 * b);
    let geo: serde_json::Value = serde_json::from_str(&stdout_of(qpv().args([
        "-q",
        "interpolate",
        "--format",
        "geojson",
    ])))
    .unwrap();
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 7);
    assert_eq!(features[0]["geometry"]["type"], "MultiPolygon");
    // Same output twice, byte for byte.
    let again = stdout_of(qpv().args(["-q", "interpolate", "--format", "geojson"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&again).unwrap(),
        geo
    );
}
