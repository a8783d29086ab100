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

use super::Instance;

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
    let (candidates, reach, _) = instance.reach();
    let rows: Vec<usize> = (0..reach.len()).filter(|&i| !reach[i].is_empty()).collect();
    if rows.is_empty() || candidates.is_empty() {
        return lower.max(0.0);
    }
    let w: Vec<f64> = rows.iter().map(|&i| instance.demand[i]).collect();
    // Row lists per candidate slot, on the compact row numbering.
    let mut cols: Vec<Vec<u32>> = vec![Vec::new(); candidates.len()];
    for (r, &i) in rows.iter().enumerate() {
        for &s in &reach[i] {
            cols[s].push(r as u32);
        }
    }
    let mut lambda: Vec<f64> = w.iter().map(|x| x / 2.0).collect();
    let mut best = f64::INFINITY;
    let mut theta = 2.0;
    let mut since = 0;
    let mut c = vec![0.0; cols.len()];
    let mut order: Vec<usize> = (0..cols.len()).collect();
    let mut g = vec![0.0; w.len()];
    for _ in 0..iterations {
        for (s, col) in cols.iter().enumerate() {
            c[s] = col.iter().map(|&r| lambda[r as usize]).sum();
        }
        let top = k.min(order.len());
        if top < order.len() {
            order.select_nth_unstable_by(top, |&a, &b| c[b].total_cmp(&c[a]));
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
        if value < best - 1e-9 {
            best = value;
            since = 0;
        } else {
            since += 1;
            if since >= 20 {
                theta /= 2.0;
                since = 0;
            }
        }
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 || best - lower <= 1e-9 * best.abs().max(1.0) {
            break;
        }
        let step = theta * (value - lower).max(1e-9) / norm;
        for r in 0..w.len() {
            lambda[r] = (lambda[r] - step * g[r]).clamp(0.0, w[r]);
        }
    }
    best.max(lower)
}
