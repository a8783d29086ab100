//! Runs the MCLP of `qpv::analysis::site` on a covering instance written by
//! `scripts/peers/site_reference.py generate` (demand.csv: id,x,y,weight; candidates.csv:
//! id,x,y), the way `scripts/bench_site.sh` compares it with spopt + CBC.
//!
//! `cargo run --release --example site_instance -- DIR DISTANCE K exact|greedy [--lscp]`
//! prints one JSON line: the MCLP objective and its bound (greedy: lazy greedy + swaps, bound
//! from the greedy and the Lagrangian relaxation), with `--lscp` also the number of sites of
//! the set covering and its lower bound, and the seconds (reading included).

use std::time::Instant;

use geo::Point;
use qpv::analysis::site::{Instance, greedy, lscp, mclp};

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
    let mut line = format!(
        "{{\"method\":\"{method}\",\"mclp_objective\":{},\"upper_bound\":{}",
        s.newly_covered,
        s.upper_bound.unwrap_or(f64::NAN)
    );
    if a.iter().any(|x| x == "--lscp") {
        // spopt's LSCP keeps the demand points some candidate reaches; so does ours.
        let l = if method == "exact" {
            lscp::solve(&inst)?
        } else {
            greedy::lscp(&inst)
        };
        line += &format!(
            ",\"lscp_objective\":{},\"lscp_lower_bound\":{},\"lscp_unreachable\":{}",
            l.chosen.len(),
            l.lower_bound,
            l.unreachable.len()
        );
    }
    println!("{line},\"seconds\":{:.3}}}", t0.elapsed().as_secs_f64());
    Ok(())
}
