//! Greedy heuristics with lazy evaluation (Minoux's accelerated greedy): a candidate's gain
//! can only shrink as sites are added, so stale gains kept in a max-heap are upper bounds and
//! only the top of the heap is re-evaluated.
//!
//! The MCLP greedy also returns an upper bound on the optimum, so that its gap is measured,
//! not assumed: by submodularity, for any set S built along the way,
//! `OPT ≤ f(S) + (sum of the k largest gains with respect to S)` (Nemhauser, Wolsey & Fisher
//! 1978; the "online bound" of Leskovec et al. 2007). The smallest such bound is kept, and
//! tightened by the Lagrangian bound ([`super::lagrangian`], which reaches the LP relaxation's).
//! The greedy's sites are then improved by one-for-one swaps ([`swap_improve`]), and so is
//! the best plan of the Lagrangian heuristic; the better of the two is returned.

use std::collections::BinaryHeap;

use super::{Instance, SiteSolution, SolveMethod, lscp::LscpSolution};

/// Subgradient steps of the Lagrangian relaxation (it stops earlier once its step is tiny or
/// the bound meets the plan's value).
const LAGRANGIAN_STEPS: usize = 2000;

/// Gain (exact integer bits of an f64 ≥ 0 order like the value) and candidate; ties go to the
/// lowest candidate index.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry(u64, std::cmp::Reverse<usize>);

fn gain(instance: &Instance, covered: &[bool], j: usize) -> f64 {
    instance.covers[j]
        .iter()
        .filter(|&&i| !covered[i as usize])
        .map(|&i| instance.demand[i as usize])
        .sum()
}

/// Lazy greedy MCLP: up to `k` sites, each the one adding the most demand.
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, greedy};
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0)];
/// let inst = Instance::build(&demand, &[5.0, 1.0, 3.0], &sites, &[], 160.0);
/// let g = greedy::mclp(&inst, 1);
/// assert_eq!((g.chosen.clone(), g.newly_covered), (vec![0], 6.0));
/// assert!(g.upper_bound.unwrap() >= 6.0);
/// ```
pub fn mclp(instance: &Instance, k: usize) -> SiteSolution {
    let mut covered = instance.covered_before.clone();
    let candidates = instance.useful_candidates();
    let mut heap: BinaryHeap<Entry> = candidates
        .iter()
        .map(|&j| Entry(gain(instance, &covered, j).to_bits(), std::cmp::Reverse(j)))
        .collect();
    let mut chosen = Vec::new();
    let mut value = 0.0;
    let mut bound = f64::INFINITY;
    while chosen.len() < k {
        // Bound with respect to the current set: stale gains are upper bounds of true ones.
        bound = bound.min(value + top_sum(&heap, k));
        let Some(Entry(stale, std::cmp::Reverse(j))) = heap.pop() else {
            break;
        };
        let fresh = gain(instance, &covered, j);
        if fresh.to_bits() != stale {
            if fresh > 0.0 {
                heap.push(Entry(fresh.to_bits(), std::cmp::Reverse(j)));
            }
            continue;
        }
        if fresh <= 0.0 {
            break;
        }
        for &i in &instance.covers[j] {
            covered[i as usize] = true;
        }
        value += fresh;
        chosen.push(j);
    }
    bound = bound.min(value + top_sum(&heap, k));
    let value = swap_improve(instance, &mut chosen, &candidates);
    let relaxed = super::lagrangian::relax(instance, k, value, LAGRANGIAN_STEPS);
    bound = bound.min(relaxed.bound);
    // The best Lagrangian plan, improved by the same swaps, replaces the greedy's if better.
    let mut other = relaxed.sites;
    if !other.is_empty() && swap_improve(instance, &mut other, &candidates) > value {
        chosen = other;
    }
    SiteSolution {
        newly_covered: instance.newly_covered(&chosen),
        chosen,
        upper_bound: Some(bound.max(value)),
        method: SolveMethod::Greedy,
    }
}

/// One-for-one swap local search (the "interchange" of Teitz & Bart 1968): for each chosen
/// site in turn, the candidate adding the most demand once that site is removed replaces it
/// when it covers strictly more than the site alone did; passes repeat until none improves
/// (at most 100). Every swap raises the covered demand, so the result is never below the
/// greedy's. Returns the demand newly covered by `chosen`.
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, greedy};
/// // Site 0 reaches only the empty middle point; site 1 (the lowest of the two best) replaces it.
/// let demand = [Point::new(0.0, 0.0), Point::new(100.0, 0.0), Point::new(200.0, 0.0)];
/// let sites = [Point::new(100.0, 0.0), Point::new(-50.0, 0.0), Point::new(250.0, 0.0)];
/// let inst = Instance::build(&demand, &[2.0, 0.0, 2.0], &sites, &[], 60.0);
/// let mut chosen = vec![0];
/// assert_eq!(greedy::swap_improve(&inst, &mut chosen, &[0, 1, 2]), 2.0);
/// assert_eq!(chosen, [1]);
/// ```
pub fn swap_improve(instance: &Instance, chosen: &mut [usize], candidates: &[usize]) -> f64 {
    let w: Vec<f64> = (0..instance.demand.len())
        .map(|i| {
            if instance.covered_before[i] {
                0.0
            } else {
                instance.demand[i]
            }
        })
        .collect();
    let mut count = vec![0u32; w.len()];
    let mut in_plan = vec![false; instance.covers.len()];
    for &j in chosen.iter() {
        in_plan[j] = true;
        instance.covers[j]
            .iter()
            .for_each(|&i| count[i as usize] += 1);
    }
    let lone = |count: &[u32], j: usize| -> f64 {
        instance.covers[j]
            .iter()
            .filter(|&&i| count[i as usize] == 0)
            .map(|&i| w[i as usize])
            .sum()
    };
    for _ in 0..100 {
        let mut improved = false;
        for site in chosen.iter_mut() {
            let s = *site;
            instance.covers[s]
                .iter()
                .for_each(|&i| count[i as usize] -= 1);
            let loss = lone(&count, s);
            let mut best = (loss, s);
            for &j in candidates.iter().filter(|&&j| !in_plan[j]) {
                let g = lone(&count, j);
                if g > best.0 + 1e-9 * best.0.max(1.0) {
                    best = (g, j);
                }
            }
            let j = best.1;
            instance.covers[j]
                .iter()
                .for_each(|&i| count[i as usize] += 1);
            if j != s {
                (in_plan[s], in_plan[j], *site) = (false, true, j);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    instance.newly_covered(chosen)
}

/// Removes, latest choice first, the sites every point of which another chosen site also
/// covers (the greedy's early picks are often made redundant by later ones).
fn drop_redundant(instance: &Instance, reach: &[Vec<usize>], chosen: &mut Vec<usize>) {
    let mut count = vec![0u32; reach.len()];
    for &j in chosen.iter() {
        instance.covers[j]
            .iter()
            .for_each(|&i| count[i as usize] += 1);
    }
    for pos in (0..chosen.len()).rev() {
        let j = chosen[pos];
        let needed = instance.covers[j]
            .iter()
            .any(|&i| count[i as usize] == 1 && !reach[i as usize].is_empty());
        if !needed {
            instance.covers[j]
                .iter()
                .for_each(|&i| count[i as usize] -= 1);
            chosen.remove(pos);
        }
    }
}

fn top_sum(heap: &BinaryHeap<Entry>, k: usize) -> f64 {
    let mut gains: Vec<f64> = heap.iter().map(|e| f64::from_bits(e.0)).collect();
    if gains.len() > k {
        gains.select_nth_unstable_by(k, |a, b| b.total_cmp(a));
        gains.truncate(k);
    }
    gains.iter().sum()
}

/// Greedy LSCP: sites covering the most still-open demand points, until every reachable one
/// is covered, then redundant sites dropped; the Lagrangian heuristic's cover of
/// [`super::cover_bound`] replaces it when smaller. `lower_bound` is the Lagrangian bound of
/// [`super::cover_bound`] (and at least the open points divided by the largest coverage set,
/// rounded up).
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, greedy};
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0), Point::new(600.0, 0.0)];
/// let inst = Instance::build(&demand, &[1.0; 3], &sites, &[], 160.0);
/// assert_eq!(greedy::lscp(&inst).chosen, vec![0, 1]);
/// ```
pub fn lscp(instance: &Instance) -> LscpSolution {
    let (candidates, reach, unreachable) = instance.reach();
    let mut open: Vec<bool> = reach.iter().map(|r| !r.is_empty()).collect();
    let remaining: usize = open.iter().filter(|o| **o).count();
    let count = |open: &[bool], j: usize| -> u64 {
        instance.covers[j]
            .iter()
            .filter(|&&i| open[i as usize])
            .count() as u64
    };
    let mut heap: BinaryHeap<Entry> = candidates
        .iter()
        .map(|&j| Entry(count(&open, j), std::cmp::Reverse(j)))
        .collect();
    let largest = heap.peek().map_or(1, |e| e.0.max(1)) as usize;
    let mut chosen = Vec::new();
    while let Some(Entry(stale, std::cmp::Reverse(j))) = heap.pop() {
        let fresh = count(&open, j);
        if fresh == 0 {
            continue;
        }
        if fresh != stale {
            heap.push(Entry(fresh, std::cmp::Reverse(j)));
            continue;
        }
        for &i in &instance.covers[j] {
            open[i as usize] = false;
        }
        chosen.push(j);
    }
    drop_redundant(instance, &reach, &mut chosen);
    chosen.sort_unstable();
    let relaxed = super::cover_bound::relax(instance, chosen.len(), LAGRANGIAN_STEPS);
    if !relaxed.sites.is_empty() && relaxed.sites.len() < chosen.len() {
        chosen = relaxed.sites;
    }
    LscpSolution {
        lower_bound: remaining.div_ceil(largest).max(relaxed.lower_bound),
        chosen,
        unreachable,
        method: SolveMethod::Greedy,
    }
}
