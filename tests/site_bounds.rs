//! The heuristics' bounds hold on small random instances, checked against brute force (every
//! subset of the 12 candidates): the MCLP greedy's value ≤ the best k-subset's ≤ its upper
//! bound, and the LSCP Lagrangian lower bound ≤ the smallest cover ≤ the greedy's cover,
//! which covers every reachable point. Instances: a fixed linear congruential generator, so
//! the test is the same every run.

use geo::Point;
use qpv::analysis::site::{Instance, greedy};

/// Numbers in [0, 1) from a 64-bit LCG (Knuth's MMIX constants).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn instance(seed: u64) -> Instance {
    let mut r = Lcg(seed);
    let demand: Vec<Point<f64>> = (0..40)
        .map(|_| Point::new(1000.0 * r.next(), 1000.0 * r.next()))
        .collect();
    let weights: Vec<f64> = (0..40).map(|_| (1.0 + 99.0 * r.next()).floor()).collect();
    let sites: Vec<Point<f64>> = (0..12)
        .map(|_| Point::new(1000.0 * r.next(), 1000.0 * r.next()))
        .collect();
    Instance::build(&demand, &weights, &sites, &[], 300.0)
}

/// Best demand newly covered by any `k` of the candidates, and the size of the smallest set
/// of candidates covering every point some candidate reaches.
fn brute_force(inst: &Instance, k: usize) -> (f64, usize) {
    let n = inst.covers.len();
    let reachable = inst.covered_after(&(0..n).collect::<Vec<_>>());
    let (mut best, mut fewest) = (0.0f64, n);
    for mask in 0u32..(1 << n) {
        let chosen: Vec<usize> = (0..n).filter(|&j| mask & (1 << j) != 0).collect();
        if chosen.len() == k {
            best = best.max(inst.newly_covered(&chosen));
        }
        if chosen.len() < fewest && inst.covered_after(&chosen) == reachable {
            fewest = chosen.len();
        }
    }
    (best, fewest)
}

#[test]
fn bounds_hold_against_brute_force() {
    for seed in 1..=25 {
        let inst = instance(seed);
        let (best, fewest) = brute_force(&inst, 3);
        let g = greedy::mclp(&inst, 3);
        assert!(g.chosen.len() <= 3);
        assert!(g.newly_covered <= best + 1e-9, "seed {seed}");
        assert!(g.upper_bound.unwrap() >= best - 1e-6, "seed {seed}");
        let c = greedy::lscp(&inst);
        assert!(
            c.lower_bound <= fewest && fewest <= c.chosen.len(),
            "seed {seed}"
        );
        let all: Vec<usize> = (0..inst.covers.len()).collect();
        assert_eq!(inst.covered_after(&c.chosen), inst.covered_after(&all));
    }
}
