//! Which Filosofi grid a command uses, and that every report names it (issue 14, item 1).

mod common;

use common::run as qpv;

// See: issue 14, "`qpv simulate --grid <the 2019 file>` still writes the grid is Filosofi 2015".
#[test]
fn simulate_on_a_2019_file_says_2019() {
    let (code, out, err) = qpv(&[
        "-q",
        "simulate",
        "--grid",
        "geodata/filosofi2019_200m_grand_belfort.csv",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "Grid: INSEE Filosofi 2019 200 m grid (filosofi2019_200m_grand_belfort.csv), 3490 cells."
        ),
        "{out}"
    );
    assert!(!out.contains("2015"), "{out}");
}

#[test]
fn default_grid_is_the_embedded_2019_one_and_2015_stays_selectable() {
    let (code, out, err) = qpv(&["-q", "simulate", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["grid"]["vintage"], 2019);
    assert_eq!(v["grid"]["cells"], 3490);
    assert_eq!(v["grid"]["restricted_to"], serde_json::Value::Null);
    let (code, out, err) = qpv(&["-q", "simulate", "--grid-year", "2015", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("INSEE Filosofi 2015 200 m grid"), "{out}");
    assert!(out.contains("619 cells"), "{out}");
}

// Oracle: GDAL 3.6 SpatiaLite SQL over the CSV and the communes (ogr2ogr to a GeoPackage in
// EPSG:2154, then SELECT COUNT(*), SUM(Ind) FROM grid WHERE EXISTS (SELECT 1 FROM communes c
// WHERE ST_Intersects(c.geom, ST_Transform(MakePoint(x_laea + 100, y_laea + 100, 3035),
// 2154)))): 1792 cells, 96476.5 inhabitants.
#[test]
fn restriction_to_the_52_communes_keeps_the_cells_centred_in_them_and_says_so() {
    let (code, out, err) = qpv(&[
        "-q",
        "simulate",
        "--grid-within-communes",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["grid"]["cells"], 1792);
    assert!((v["grid"]["population"].as_f64().unwrap() - 96476.5).abs() < 1e-6);
    assert_eq!(
        v["grid"]["restricted_to"],
        "the 52 communes of CA Grand Belfort"
    );
    let (code, out, err) = qpv(&["-q", "simulate", "--grid-within-communes", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("restricted to the cells whose centre lies in the 52 communes of CA Grand Belfort, 1792 cells"),
        "{out}"
    );
}

#[test]
fn an_unknown_embedded_year_is_a_usage_error() {
    let (code, _, err) = qpv(&["simulate", "--grid-year", "2017"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("qpv:"), "{err}");
    assert!(err.contains("no embedded Filosofi 2017 grid"), "{err}");
}
