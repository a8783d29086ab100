//! Location set covering (LSCP, Toregas et al. 1971): the fewest new sites such that every
//! open demand point (positive weight, not already covered by an existing facility) lies
//! within D of one, solved exactly with `good_lp` over `microlp`.
//!
//! ```text
//! min Σ_j x_j   s.t.  Σ_{j covers i} x_j ≥ 1 for every open demand point i,   x_j ∈ {0,1}
//! ```
//! Demand points that no candidate reaches cannot be covered by any choice: they are left
//! out of the constraints and returned in [`LscpSolution::unreachable`] (spopt would report
//! the whole problem infeasible).

use good_lp::{Expression, ProblemVariables, SolverModel, microlp, variable};

use super::{Instance, SolveMethod};
use crate::error::{Error, Result};

/// The outcome of an LSCP.
#[derive(Debug, Clone, PartialEq)]
pub struct LscpSolution {
    /// Chosen candidates, ascending.
    pub chosen: Vec<usize>,
    /// Open demand points that no candidate reaches.
    pub unreachable: Vec<usize>,
    /// A lower bound on the number of sites (equal to `chosen.len()` when exact).
    pub lower_bound: usize,
    /// How it was solved.
    pub method: SolveMethod,
}

/// Solves the LSCP exactly.
///
/// # Examples
/// ```
/// use geo::Point;
/// use qpv::analysis::site::{Instance, lscp};
/// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(600.0, 0.0)];
/// let sites = [Point::new(150.0, 0.0), Point::new(450.0, 0.0), Point::new(0.0, 10.0)];
/// let inst = Instance::build(&demand, &[1.0; 3], &sites, &[], 160.0);
/// let s = lscp::solve(&inst).unwrap();
/// assert_eq!(s.chosen, vec![0, 1]);
/// ```
pub fn solve(instance: &Instance) -> Result<LscpSolution> {
    let (candidates, reach, unreachable) = instance.reach();
    let mut vars = ProblemVariables::new();
    let x: Vec<_> = candidates
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    let objective: Expression = x.iter().copied().sum();
    let mut model = vars.minimise(objective).using(microlp);
    for slots in reach.iter().filter(|s| !s.is_empty()) {
        let reached: Expression = slots.iter().map(|&s| x[s]).sum();
        model.add_constraint(reached.geq(1.0));
    }
    let solution = model
        .solve()
        .map_err(|e| Error::Internal(format!("the LSCP solver failed: {e}")))?;
    let chosen = super::chosen(&solution, &candidates, &x);
    Ok(LscpSolution {
        lower_bound: chosen.len(),
        chosen,
        unreachable,
        method: SolveMethod::Exact,
    })
}
