//! The calibrated income proxy (the default of `perimeter` and `simulate`): every official
//! QPV passes a reference calibrated on them, margins are reported side by side, and both
//! commands take the same flags.

mod common;

use assert_cmd::prelude::*;

use common::qpv;

/// Testing the official QPV themselves: every part passes the income test, including the
/// QPV that sets the reference (margin exactly 0, not "24.0 % below 24.0 %": the bug found
/// when the two estimates differed in the last bits).
#[test]
fn official_qpv_pass_their_own_reference() {
    let out = qpv()
        .args([
            "perimeter",
            "test",
            "geodata/qpv_2024_territoire_de_belfort.geojson",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let parts = v["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 7);
    for p in parts {
        assert_eq!(p["assessment"]["income_ok"], true, "{p}");
        assert!(p["assessment"]["margin_to_reference"].as_f64().unwrap() >= 0.0);
        // The decree's formula on means fails them all (mean above S = 12,200 €).
        assert!(p["assessment"]["margin_to_decree_eur"].as_f64().unwrap() < 0.0);
    }
    let c = &v["options"]["eligibility"]["calibration"];
    assert_eq!(c["reference_code"], "QN09001I");
}

#[test]
fn same_flags_in_perimeter_and_simulate() {
    for args in [
        vec!["simulate", "--proxy", "poor-share", "--threshold", "0.3"],
        vec![
            "perimeter",
            "test",
            "geodata/qpv_2024_territoire_de_belfort.geojson",
            "--proxy",
            "poor-share",
            "--threshold",
            "0.3",
        ],
        vec!["simulate", "--proxy", "calibrated"],
        vec![
            "perimeter",
            "test",
            "geodata/qpv_2024_territoire_de_belfort.geojson",
            "--proxy",
            "mean-income",
        ],
    ] {
        qpv().args(&args).arg("-q").assert().success();
    }
    for args in [
        vec!["simulate", "--proxy", "poor-share", "--threshold", "1.5"],
        vec![
            "perimeter",
            "test",
            "geodata/qpv_2024_territoire_de_belfort.geojson",
            "--threshold",
            "0.2",
        ],
    ] {
        qpv().args(&args).assert().code(2);
    }
}
