//! Maximal covering location (MCLP, Church & ReVelle 1974), solved exactly as a mixed
//! integer programme with `good_lp` over the pure-Rust `microlp` solver.
//!
//! ```text
//! max Σ_i w_i y_i   s.t.  y_i ≤ Σ_{j covers i} x_j,   Σ_j x_j ≤ k,   x_j ∈ {0,1},  0 ≤ y_i ≤ 1
//! ```
//! over the demand not covered by existing facilities. `y` can stay continuous: with binary
//! `x`, some optimum has every `y_i` at 0 or 1. The optimum equals spopt's `MCLP` (which asks
//! for exactly k sites: extra sites never lower coverage, so both optima coincide).

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, microlp, variable};

use super::{Instance, SiteSolution, SolveMethod};
use crate::error::{Error, Result};

/// Solves the MCLP exactly (`relaxed`: the LP relaxation, whose value bounds any choice of k
/// sites from above; its `chosen` is then empty).
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, mclp};
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0), Point::new(600.0, 0.0)];
/// let inst = Instance::build(&demand, &[5.0, 1.0, 3.0], &sites, &[], 160.0);
/// let best = mclp::solve(&inst, 1, false).unwrap();
/// assert_eq!((best.chosen.clone(), best.newly_covered), (vec![0], 6.0));
/// ```
pub fn solve(instance: &Instance, k: usize, relaxed: bool) -> Result<SiteSolution> {
    let (candidates, reach, _) = instance.reach();
    let mut vars = ProblemVariables::new();
    let x: Vec<_> = candidates
        .iter()
        .map(|_| {
            let v = variable().min(0.0).max(1.0);
            vars.add(if relaxed { v } else { v.integer() })
        })
        .collect();
    let rows: Vec<usize> = (0..reach.len()).filter(|&i| !reach[i].is_empty()).collect();
    let y: Vec<_> = rows
        .iter()
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let mut objective = Expression::with_capacity(rows.len());
    for (r, &i) in rows.iter().enumerate() {
        objective.add_mul(instance.demand[i], y[r]);
    }
    let mut model = vars.maximise(objective).using(microlp);
    let total: Expression = x.iter().copied().sum();
    model.add_constraint(total.leq(k as f64));
    for (r, &i) in rows.iter().enumerate() {
        let reached: Expression = reach[i].iter().map(|&s| x[s]).sum();
        model.add_constraint(Expression::from(y[r]).leq(reached));
    }
    let solution = model
        .solve()
        .map_err(|e| Error::Internal(format!("the MCLP solver failed: {e}")))?;
    let value: f64 = rows
        .iter()
        .enumerate()
        .map(|(r, &i)| instance.demand[i] * solution.value(y[r]))
        .sum();
    if relaxed {
        return Ok(SiteSolution {
            chosen: Vec::new(),
            newly_covered: value,
            upper_bound: Some(value),
            method: SolveMethod::LpRelaxation,
        });
    }
    let chosen = super::chosen(&solution, &candidates, &x);
    let newly_covered = instance.newly_covered(&chosen);
    Ok(SiteSolution {
        chosen,
        newly_covered,
        upper_bound: Some(newly_covered),
        method: SolveMethod::Exact,
    })
}
