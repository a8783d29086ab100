//! An upper bound on the MCLP optimum by Lagrangian relaxation of the coverage constraints
//! `y_i ≤ Σ_{j covers i} x_j` (multipliers `λ_i ∈ [0, w_i]`), minimised by subgradient steps
//! (Polyak step, Held, Wolfe & Crowder 1974). For any λ,
//!
//! ```text
//! L(λ) = Σ_i max(0, w_i − λ_i) + (sum of the k largest c_j),   c_j = Σ_{i covered by j} λ_i
//! ```
//! bounds every choice of k sites from above (y in [0, 1], x with at most k ones); its
//! minimum equals the LP relaxation's value. Used to measure the greedy's gap on instances too
//! large for the exact solver.
//!
//! Every step also yields a plan (the Lagrangian heuristic, Galvão & ReVelle 1996): the k
//! sites of largest `c_j`, whose true coverage is evaluated; the best one is returned, as a
//! second starting point for the local search.

use super::Instance;

/// The outcome of the relaxation.
#[derive(Debug, Clone, PartialEq)]
pub struct Relaxation {
    /// The smallest `L(λ)` found, never below the `lower` given.
    pub bound: f64,
    /// The best plan met along the way (candidate indices, ascending), empty when none.
    pub sites: Vec<usize>,
    /// The demand it covers beyond the existing facilities.
    pub value: f64,
}

/// The smallest `L(λ)` found in `iterations` subgradient steps, given a feasible value
/// `lower` (the greedy's) to size the steps. Never below `lower`.
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, lagrangian};
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0)];
/// let inst = Instance::build(&demand, &[5.0, 1.0, 3.0], &sites, &[], 160.0);
/// let b = lagrangian::upper_bound(&inst, 1, 6.0, 200);
/// assert!(b >= 6.0 && b < 6.0 + 1e-3); // the optimum is 6 (site 0)
/// ```
pub fn upper_bound(instance: &Instance, k: usize, lower: f64, iterations: usize) -> f64 {
    relax(instance, k, lower, iterations).bound
}

/// The rows (open demand points some candidate reaches) with their weights, and the rows
/// of each useful candidate, on the compact row numbering.
struct Compact {
    candidates: Vec<usize>,
    w: Vec<f64>,
    cols: Vec<Vec<u32>>,
}

fn compact(instance: &Instance) -> Compact {
    let (candidates, reach, _) = instance.reach();
    let rows: Vec<usize> = (0..reach.len()).filter(|&i| !reach[i].is_empty()).collect();
    let w: Vec<f64> = rows.iter().map(|&i| instance.demand[i]).collect();
    let mut cols: Vec<Vec<u32>> = vec![Vec::new(); candidates.len()];
    for (r, &i) in rows.iter().enumerate() {
        for &s in &reach[i] {
            cols[s].push(r as u32);
        }
    }
    Compact {
        candidates,
        w,
        cols,
    }
}

/// Demand covered by the slots `top`; `stamp`/`mark` avoid clearing a vector each time.
fn coverage(p: &Compact, top: &[usize], mark: &mut [u32], stamp: u32) -> f64 {
    let mut v = 0.0;
    for &s in top {
        for &r in &p.cols[s] {
            if mark[r as usize] != stamp {
                mark[r as usize] = stamp;
                v += p.w[r as usize];
            }
        }
    }
    v
}

/// The relaxation: its bound and the best Lagrangian plan (see the module).
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, lagrangian};
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0)];
/// let inst = Instance::build(&demand, &[5.0, 1.0, 3.0], &sites, &[], 160.0);
/// let r = lagrangian::relax(&inst, 1, 0.0, 200);
/// assert_eq!((r.sites.clone(), r.value), (vec![0], 6.0));
/// assert!(r.bound >= 6.0);
/// ```
pub fn relax(instance: &Instance, k: usize, lower: f64, iterations: usize) -> Relaxation {
    let p = compact(instance);
    let mut out = Relaxation {
        bound: f64::INFINITY,
        sites: Vec::new(),
        value: 0.0,
    };
    if p.w.is_empty() || p.candidates.is_empty() || k == 0 {
        out.bound = lower.max(0.0);
        return out;
    }
    let (w, cols) = (&p.w, &p.cols);
    let mut lambda: Vec<f64> = w.iter().map(|x| x / 2.0).collect();
    let (mut theta, mut since) = (2.0, 0);
    let mut c = vec![0.0; cols.len()];
    let mut order: Vec<usize> = (0..cols.len()).collect();
    let mut g = vec![0.0; w.len()];
    let mut mark = vec![0u32; w.len()];
    let mut lower = lower;
    let top = k.min(order.len());
    for it in 0..iterations {
        for (s, col) in cols.iter().enumerate() {
            c[s] = col.iter().map(|&r| lambda[r as usize]).sum();
        }
        if top < order.len() {
            order.select_nth_unstable_by(top, |&a, &b| c[b].total_cmp(&c[a]).then(a.cmp(&b)));
        }
        let heuristic = coverage(&p, &order[..top], &mut mark, it as u32 + 1);
        if heuristic > out.value {
            out.value = heuristic;
            out.sites = order[..top].iter().map(|&s| p.candidates[s]).collect();
            lower = lower.max(heuristic);
        }
        let mut value: f64 = order[..top].iter().map(|&s| c[s]).sum();
        for r in 0..w.len() {
            let y = w[r] > lambda[r];
            value += if y { w[r] - lambda[r] } else { 0.0 };
            g[r] = -f64::from(u8::from(y));
        }
        for &s in &order[..top] {
            for &r in &cols[s] {
                g[r as usize] += 1.0;
            }
        }
        if value < out.bound - 1e-9 {
            (out.bound, since) = (value, 0);
        } else {
            since += 1;
            if since >= 20 {
                (theta, since) = (theta / 2.0, 0);
            }
        }
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 || out.bound - lower <= 1e-9 * out.bound.abs().max(1.0) || theta < 1e-6 {
            break;
        }
        let step = theta * (value - lower).max(1e-9) / norm;
        for r in 0..w.len() {
            lambda[r] = (lambda[r] - step * g[r]).clamp(0.0, w[r]);
        }
    }
    out.sites.sort_unstable();
    out.bound = out.bound.max(lower);
    out
}
