//! How close `qpv simulate` (default: calibrated poor-share proxy, rook, 1,000 inhabitants)
//! comes to the 2024 QPV on the Filosofi 2015 and 2019 grids: the best IoU of each QPV with a
//! simulated zone. Oracle: tests/data/simulate_iou/expected.json, computed by shapely on the
//! GeoJSON layers `qpv simulate --grid-year Y --layers DIR` wrote, reprojected to EPSG:2154
//! by pyproj (scripts/peers/simulate_iou.py). GeoJSON keeps 7 decimals (about 1 cm), hence
//! the 1e-4 tolerance.

use qpv::analysis::calibration::calibrate;
use qpv::analysis::interpolate::GridIndex;
use qpv::analysis::simulate::{Criterion, SimulateOptions, simulate};
use qpv::crs::Crs;
use qpv::io::embedded::{self, GridYear};

#[test]
fn iou_per_qpv_2015_and_2019_match_shapely() {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/simulate_iou/expected.json").unwrap(),
    )
    .unwrap();
    let zones = embedded::zones(Crs::LAMBERT93).unwrap();
    for (year, key) in [(GridYear::Y2015, "2015"), (GridYear::Y2019, "2019")] {
        let cells = embedded::grid(year, Crs::LAMBERT93).unwrap();
        let c = calibrate(&zones, &GridIndex::new(&cells)).unwrap();
        let options = SimulateOptions {
            criterion: Criterion::PoorShareAtLeast,
            threshold: c.reference_share,
            calibration: Some(c),
            ..SimulateOptions::default()
        };
        let s = simulate(&cells, &zones, &options);
        assert_eq!(s.qpv.len(), 7);
        for q in &s.qpv {
            let want = expected[key][&q.code].as_f64().unwrap();
            assert!(
                (q.best_iou - want).abs() < 1e-4,
                "{key} {}: qpv {} shapely {want}",
                q.code,
                q.best_iou
            );
        }
    }
}
