//! A lower bound on the number of sites of the set covering (LSCP) by Lagrangian relaxation
//! of its covering constraints `Σ_{j covers i} x_j ≥ 1` (multipliers `u_i ≥ 0`), maximised by
//! subgradient steps (Beasley 1990). For any u,
//!
//! ```text
//! L(u) = Σ_i u_i + Σ_j min(0, 1 − Σ_{i covered by j} u_i)
//! ```
//! is at most the number of sites of every cover (x in {0, 1}, each site costing 1); its
//! maximum equals the LP relaxation's value, and since the count is an integer, the bound is
//! `⌈L⌉`. It replaces the weak "open points / largest coverage set".

use super::Instance;

/// The largest `⌈L(u)⌉` found in at most `iterations` subgradient steps, given the size
/// `upper` of a known cover (to size the steps). Never above `upper`.
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, cover_bound};
/// // Three points 300 m apart, each site reaches one or two of them: 2 sites are needed.
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0), Point::new(600.0, 0.0)];
/// let inst = Instance::build(&demand, &[1.0; 3], &sites, &[], 160.0);
/// assert_eq!(cover_bound::lower_bound(&inst, 2, 200), 2);
/// ```
pub fn lower_bound(instance: &Instance, upper: usize, iterations: usize) -> usize {
    relax(instance, upper, iterations).lower_bound
}

/// The relaxation's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverRelaxation {
    /// `⌈L(u)⌉`, the largest found, at most the `upper` given.
    pub lower_bound: usize,
    /// The smallest cover built from the multipliers along the way (Beasley's Lagrangian
    /// heuristic: the sites of negative reduced cost, completed by the cheapest site of each
    /// point left, redundant sites dropped), candidate indices ascending; empty when none.
    pub sites: Vec<usize>,
}

/// The bound and the best Lagrangian cover (see [`CoverRelaxation`]).
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, cover_bound};
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0), Point::new(600.0, 0.0)];
/// let inst = Instance::build(&demand, &[1.0; 3], &sites, &[], 160.0);
/// let r = cover_bound::relax(&inst, 3, 200);
/// assert_eq!((r.lower_bound, r.sites.len()), (2, 2));
/// ```
pub fn relax(instance: &Instance, upper: usize, iterations: usize) -> CoverRelaxation {
    let (candidates, reach, _) = instance.reach();
    let rows: Vec<usize> = (0..reach.len()).filter(|&i| !reach[i].is_empty()).collect();
    let mut out = CoverRelaxation {
        lower_bound: 0,
        sites: Vec::new(),
    };
    if rows.is_empty() {
        return out;
    }
    let mut cols: Vec<Vec<u32>> = vec![Vec::new(); candidates.len()];
    for (r, &i) in rows.iter().enumerate() {
        for &s in &reach[i] {
            cols[s].push(r as u32);
        }
    }
    let row_slots: Vec<&[usize]> = rows.iter().map(|&i| reach[i].as_slice()).collect();
    // Start: each point priced at the smallest share of a site reaching it.
    let mut u: Vec<f64> = row_slots
        .iter()
        .map(|slots| {
            let most = slots.iter().map(|&s| cols[s].len()).max().unwrap_or(1);
            1.0 / most as f64
        })
        .collect();
    let (mut best, mut theta, mut since) = (0.0f64, 2.0, 0);
    let mut target = upper as f64;
    let mut g = vec![0.0; rows.len()];
    let mut reduced = vec![0.0; cols.len()];
    for it in 0..iterations {
        let mut value: f64 = u.iter().sum();
        g.iter_mut().for_each(|x| *x = 1.0);
        for (s, col) in cols.iter().enumerate() {
            reduced[s] = 1.0 - col.iter().map(|&r| u[r as usize]).sum::<f64>();
            if reduced[s] < 0.0 {
                value += reduced[s];
                col.iter().for_each(|&r| g[r as usize] -= 1.0);
            }
        }
        if it % 10 == 0 {
            let cover = heuristic(&cols, &row_slots, &reduced);
            if out.sites.is_empty() || cover.len() < out.sites.len() {
                target = target.min(cover.len() as f64);
                out.sites = cover.iter().map(|&s| candidates[s]).collect();
            }
        }
        if value > best + 1e-9 {
            (best, since) = (value, 0);
        } else {
            since += 1;
            if since >= 20 {
                (theta, since) = (theta / 2.0, 0);
            }
        }
        // Once ⌈best⌉ reaches the known cover, nothing better can be proven.
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 || ceil(best) as f64 >= target || theta < 1e-6 {
            break;
        }
        let step = theta * (target - value).max(1e-3) / norm;
        for (x, gi) in u.iter_mut().zip(&g) {
            *x = (*x + step * gi).max(0.0);
        }
    }
    out.sites.sort_unstable();
    out.lower_bound = ceil(best).min(upper);
    out
}

/// Beasley's Lagrangian heuristic: the slots of negative reduced cost, then for each point
/// still open the slot of least reduced cost reaching it, then redundant slots dropped,
/// costliest first. Returns a cover (slots).
fn heuristic(cols: &[Vec<u32>], row_slots: &[&[usize]], reduced: &[f64]) -> Vec<usize> {
    let mut count = vec![0u32; row_slots.len()];
    let mut chosen: Vec<usize> = (0..cols.len()).filter(|&s| reduced[s] < 0.0).collect();
    for &s in &chosen {
        cols[s].iter().for_each(|&r| count[r as usize] += 1);
    }
    for (r, slots) in row_slots.iter().enumerate() {
        if count[r] == 0 {
            let s = *slots
                .iter()
                .min_by(|&&a, &&b| reduced[a].total_cmp(&reduced[b]).then(a.cmp(&b)))
                .expect("a reachable point");
            cols[s].iter().for_each(|&q| count[q as usize] += 1);
            chosen.push(s);
        }
    }
    chosen.sort_by(|&a, &b| reduced[b].total_cmp(&reduced[a]).then(a.cmp(&b)));
    chosen.retain(|&s| {
        let redundant = cols[s].iter().all(|&r| count[r as usize] > 1);
        if redundant {
            cols[s].iter().for_each(|&r| count[r as usize] -= 1);
        }
        !redundant
    });
    chosen
}

/// `⌈x⌉` with a margin for rounding (a value within 1e-6 of an integer counts as it).
fn ceil(x: f64) -> usize {
    (x - 1e-6).ceil().max(0.0) as usize
}
