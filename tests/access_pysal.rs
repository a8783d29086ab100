//! `qpv access` scores against PySAL `access` 1.1.10 on the embedded data (issue 14, item 2).
//!
//! Oracle: tests/data/access/expected.csv, written by scripts/peers/access_reference.py
//! (PySAL `access`: `two_stage_fca`, `enhanced_two_stage_fca` with `step_fn`, `two_stage_fca`
//! with `gaussian`, `weighted_catchment` with `gravity` and `gaussian`) from the committed
//! inputs cells.csv and facilities.csv. Agreement required: 1e-9 relative.

use std::path::Path;

use geo::Coord;
use qpv::analysis::access::{AccessMethod, Demand, Supply, access};
use qpv::crs::Crs;
use qpv::io::embedded::{self, GridYear};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/access");
const CATCHMENT: f64 = 1000.0;
const SIGMA: f64 = 500.0;

fn rows(name: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(Path::new(DIR).join(name)).unwrap();
    r.records().map(|r| r.unwrap()).collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

/// The committed inputs, as text: the embedded 2019 cells (centre to the mm, Ind) and the
/// embedded écoles élémentaires (supply 1).
fn inputs_from_embedded() -> (String, String) {
    let crs = Crs::LAMBERT93;
    let mut cells = String::from("id,x,y,demand\n");
    for c in embedded::grid(GridYear::Y2019, crs).unwrap() {
        let p = c.centre();
        cells.push_str(&format!(
            "{},{:.3},{:.3},{}\n",
            c.id, p.x, p.y, c.values.ind
        ));
    }
    let mut fac = String::from("id,x,y,supply\n");
    for f in embedded::facilities(crs).unwrap() {
        if f.category.as_str() == "ecole_elementaire" {
            fac.push_str(&format!(
                "{},{:.3},{:.3},1\n",
                f.id,
                f.point.x(),
                f.point.y()
            ));
        }
    }
    (cells, fac)
}

#[test]
fn reference_inputs_are_the_embedded_data() {
    let (cells, fac) = inputs_from_embedded();
    if std::env::var_os("QPV_WRITE_ACCESS_REFERENCE").is_some() {
        std::fs::write(Path::new(DIR).join("cells.csv"), &cells).unwrap();
        std::fs::write(Path::new(DIR).join("facilities.csv"), &fac).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(Path::new(DIR).join("cells.csv")).unwrap(),
        cells
    );
    assert_eq!(
        std::fs::read_to_string(Path::new(DIR).join("facilities.csv")).unwrap(),
        fac
    );
}

#[test]
fn scores_equal_pysal_access_to_1e_9_relative() {
    let demand: Vec<Demand> = rows("cells.csv")
        .iter()
        .map(|r| Demand {
            point: Coord {
                x: num(&r[1]),
                y: num(&r[2]),
            },
            demand: num(&r[3]),
        })
        .collect();
    let supply: Vec<Supply> = rows("facilities.csv")
        .iter()
        .map(|r| Supply {
            point: Coord {
                x: num(&r[1]),
                y: num(&r[2]),
            },
            supply: num(&r[3]),
        })
        .collect();
    let expected = rows("expected.csv");
    assert_eq!(expected.len(), 3490);
    let methods = [
        AccessMethod::two_step(CATCHMENT),
        AccessMethod::enhanced(CATCHMENT, AccessMethod::luo_qi_bands(CATCHMENT)),
        AccessMethod::gaussian_two_step(CATCHMENT, SIGMA),
        AccessMethod::gravity(CATCHMENT, 1000.0, -1.0, 100.0),
        AccessMethod::gaussian(CATCHMENT, SIGMA),
    ];
    for (col, m) in methods.iter().enumerate() {
        let got = access(&demand, &supply, m);
        let mut reached = 0;
        for (i, row) in expected.iter().enumerate() {
            let g = got.scores[i];
            match &row[col + 1] {
                // PySAL: NaN where no facility is in reach; qpv: 0.
                "" => assert_eq!(g, 0.0, "{} cell {}", m.name, &row[0]),
                text => {
                    let w = num(text);
                    reached += 1;
                    assert!(
                        (g - w).abs() <= 1e-9 * w.abs(),
                        "{} cell {}: qpv {g}, PySAL {w}",
                        m.name,
                        &row[0]
                    );
                }
            }
        }
        // Not a vacuous comparison: most of the agglomeration has a school within 1 km.
        assert_eq!(reached, 3490 - got.unreached, "{}", m.name);
        assert!(reached > 1000, "{} {reached}", m.name);
    }
}
