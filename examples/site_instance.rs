//! Runs the MCLP of `qpv::analysis::site` on a covering instance written by
//! `scripts/peers/site_reference.py generate` (demand.csv: id,x,y,weight; candidates.csv:
//! id,x,y), the way `scripts/bench_site.sh` compares it with spopt + CBC.
//!
//! `cargo run --release --example site_instance -- DIR DISTANCE K exact|greedy`
//! prints one JSON line: objective, bound, seconds (reading included).

use std::time::Instant;

use geo::Point;
use qpv::analysis::site::{Instance, greedy, mclp};

fn read(path: &str, cols: usize) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .skip(1)
                .take(cols)
                .map(|v| v.parse().expect("a number"))
                .collect()
        })
        .collect()
}

fn main() -> qpv::Result<()> {
    let a: Vec<String> = std::env::args().collect();
    let (dir, distance, k, method) = (
        &a[1],
        a[2].parse::<f64>().unwrap(),
        a[3].parse().unwrap(),
        &a[4],
    );
    let t0 = Instant::now();
    let d = read(&format!("{dir}/demand.csv"), 3);
    let c = read(&format!("{dir}/candidates.csv"), 2);
    let pts: Vec<Point<f64>> = d.iter().map(|r| Point::new(r[0], r[1])).collect();
    let w: Vec<f64> = d.iter().map(|r| r[2]).collect();
    let cand: Vec<Point<f64>> = c.iter().map(|r| Point::new(r[0], r[1])).collect();
    let inst = Instance::build(&pts, &w, &cand, &[], distance);
    let s = if method == "exact" {
        mclp::solve(&inst, k, false)?
    } else {
        greedy::mclp(&inst, k)
    };
    println!(
        "{{\"method\":\"{method}\",\"mclp_objective\":{},\"upper_bound\":{},\"seconds\":{:.3}}}",
        s.newly_covered,
        s.upper_bound.unwrap_or(f64::NAN),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
