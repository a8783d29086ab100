//! `qpv simulate` on the embedded Filosofi 2015 grid: the decree's constraints hold for every
//! zone, checked independently of the implementation.

use std::collections::{HashMap, HashSet, VecDeque};

use assert_cmd::Command;
use qpv::analysis::simulate::{Contiguity, Criterion, SimulateOptions, simulate};
use qpv::crs::Crs;
use qpv::io::embedded;
use qpv::model::GridCell;

/// (column, row) of a cell from its INSPIRE id, parsed here without the library.
fn lattice(id: &str) -> (i64, i64) {
    let n_at = id.find("mN").unwrap() + 2;
    let e_at = id.rfind('E').unwrap();
    let n: i64 = id[n_at..e_at].parse().unwrap();
    let e: i64 = id[e_at + 1..].parse().unwrap();
    (e / 200, n / 200)
}

fn connected(ids: &[String], queen: bool) -> bool {
    let pos: HashSet<(i64, i64)> = ids.iter().map(|i| lattice(i)).collect();
    let start = *pos.iter().next().unwrap();
    let mut seen = HashSet::from([start]);
    let mut q = VecDeque::from([start]);
    while let Some((x, y)) = q.pop_front() {
        for dx in -1..=1i64 {
            for dy in -1..=1i64 {
                if (dx, dy) == (0, 0) || (!queen && dx != 0 && dy != 0) {
                    continue;
                }
                let n = (x + dx, y + dy);
                if pos.contains(&n) && seen.insert(n) {
                    q.push_back(n);
                }
            }
        }
    }
    seen.len() == pos.len()
}

fn check(cells: &[GridCell], opts: &SimulateOptions) -> usize {
    let zones = embedded::zones(Crs::LAMBERT93).unwrap();
    let s = simulate(cells, &zones, opts);
    let by_id: HashMap<&str, &GridCell> = cells.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut used = HashSet::new();
    for z in &s.zones {
        let pop: f64 = z
            .cell_ids
            .iter()
            .map(|i| by_id[i.as_str()].values.ind)
            .sum();
        let men: f64 = z
            .cell_ids
            .iter()
            .map(|i| by_id[i.as_str()].values.men)
            .sum();
        let pauv: f64 = z
            .cell_ids
            .iter()
            .map(|i| by_id[i.as_str()].values.men_pauv)
            .sum();
        let snv: f64 = z
            .cell_ids
            .iter()
            .map(|i| by_id[i.as_str()].values.ind_snv)
            .sum();
        assert!(pop >= 1_000.0, "{}: {pop}", z.id);
        assert!((z.piece.indicators.population - pop).abs() < 1e-6);
        match opts.criterion {
            Criterion::PoorShareAtLeast => assert!(pauv / men >= opts.threshold),
            Criterion::MeanIncomeBelow => assert!(snv / pop < opts.threshold),
        }
        assert!(
            connected(&z.cell_ids, opts.contiguity == Contiguity::Queen),
            "{}",
            z.id
        );
        for id in &z.cell_ids {
            let c = by_id[id.as_str()];
            let v = match opts.criterion {
                Criterion::PoorShareAtLeast => c.values.men_pauv / c.values.men >= opts.threshold,
                Criterion::MeanIncomeBelow => c.values.ind_snv / c.values.ind < opts.threshold,
            };
            assert!(v, "{id} is not low-income");
            assert!(used.insert(id.clone()), "{id} in two zones");
        }
        if opts.contiguity == Contiguity::Rook {
            assert_eq!(
                z.piece.geometry.0.len(),
                1,
                "{}: rook zones are one polygon",
                z.id
            );
        }
    }
    // Deterministic.
    let again = simulate(cells, &zones, opts);
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
    s.zones.len()
}

#[test]
fn constraints_hold_for_several_settings() {
    let cells = embedded::grid(embedded::GridYear::Y2015, Crs::LAMBERT93).unwrap();
    let mut counts = Vec::new();
    for (criterion, threshold) in [
        (Criterion::PoorShareAtLeast, 0.30),
        (Criterion::PoorShareAtLeast, 0.25),
        (Criterion::MeanIncomeBelow, 17_000.0),
    ] {
        for contiguity in [Contiguity::Rook, Contiguity::Queen] {
            let opts = SimulateOptions {
                criterion,
                threshold,
                contiguity,
                ..Default::default()
            };
            counts.push(check(&cells, &opts));
        }
    }
    // Regression on the embedded data (Filosofi 2015).
    assert_eq!(counts, [3, 4, 4, 4, 5, 6]);
}

#[test]
fn default_run_matches_official_qpv_where_expected() {
    let cells = embedded::grid(embedded::GridYear::Y2015, Crs::LAMBERT93).unwrap();
    let zones = embedded::zones(Crs::LAMBERT93).unwrap();
    let s = simulate(&cells, &zones, &SimulateOptions::default());
    let best: Vec<Option<&str>> = s
        .zones
        .iter()
        .map(|z| z.best_match().map(|m| m.code.as_str()))
        .collect();
    assert_eq!(best, [Some("QN09004M"), Some("QN09002M"), Some("QN09004M")]);
    assert!(
        s.overall_iou > 0.2 && s.overall_iou < 0.3,
        "{}",
        s.overall_iou
    );
}

#[test]
fn cli_json_and_bad_threshold() {
    let out = Command::cargo_bin("qpv")
        .unwrap()
        .args([
            "simulate",
            "--contiguity",
            "queen",
            "--format",
            "json",
            "-q",
            "--grid-year",
            "2015",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["options"]["contiguity"], "queen");
    assert_eq!(v["zones"].as_array().unwrap().len(), 4);
    let out = Command::cargo_bin("qpv")
        .unwrap()
        .args(["simulate", "--proxy", "poor-share", "--threshold", "30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a share"));
    // The default proxy is calibrated: a threshold of one's own needs --proxy poor-share.
    let out = Command::cargo_bin("qpv")
        .unwrap()
        .args(["simulate", "--threshold", "0.3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--proxy calibrated"));
}
