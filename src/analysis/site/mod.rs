//! Where to put new facilities: maximal covering (MCLP: the k new sites reaching the most
//! demand within D) and set covering (LSCP: the fewest new sites reaching all of it), on the
//! 200 m grid, existing facilities kept.
//!
//! One algorithm per file: [`instance`] (coverage sets through an R-tree), [`demand`] (grid
//! cells to weighted demand points), [`mclp`] and [`lscp`] (exact, `good_lp` + `microlp`,
//! pure Rust: no system solver to install), [`greedy`] (lazy greedy), [`lagrangian`] (its
//! measured bound) and [`cover_bound`] (the set covering's), for instances too large for the exact solver, [`plan`] (the whole analysis on QPV data).
//!
//! Limits to keep in mind: straight-line distance (not walking distance), cell centres stand
//! for where people live, no capacity (a site "covers" everyone within D however many).

pub mod cover_bound;
pub mod demand;
pub mod greedy;
pub mod instance;
pub mod lagrangian;
pub mod lscp;
pub mod mclp;
pub mod plan;

pub use instance::Instance;
use serde::Serialize;

/// How a solution was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveMethod {
    /// Mixed integer programme solved to optimality (`good_lp` + `microlp`).
    Exact,
    /// Lazy greedy heuristic.
    Greedy,
    /// Linear relaxation (a bound, no sites).
    LpRelaxation,
}

/// An MCLP solution.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSolution {
    /// Chosen candidates (indices), ascending for exact solutions, in order of choice for
    /// greedy ones.
    pub chosen: Vec<usize>,
    /// Demand they cover beyond existing facilities.
    pub newly_covered: f64,
    /// Upper bound on the best possible `newly_covered` with k sites (equal when exact).
    pub upper_bound: Option<f64>,
    /// How it was solved.
    pub method: SolveMethod,
}

/// The candidates whose binary variable is set in a MIP solution.
fn chosen(
    solution: &impl good_lp::Solution,
    candidates: &[usize],
    x: &[good_lp::Variable],
) -> Vec<usize> {
    candidates
        .iter()
        .zip(x)
        .filter(|(_, v)| solution.value(**v) > 0.5)
        .map(|(&j, _)| j)
        .collect()
}
