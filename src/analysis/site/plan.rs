//! The siting analysis on QPV data: demand from the grid, candidates, existing facilities of a
//! category, the chosen problem and method, and the before/after coverage per cell and QPV.

use geo::Point;
use serde::Serialize;

use super::demand::{Demand, DemandKind, demand};
use super::lscp::LscpSolution;
use super::{Instance, SiteSolution, SolveMethod, greedy, lscp, mclp};
use crate::error::{Error, Result};
use crate::model::{Category, Facility, GridCell, Zone};

/// Which question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The `k` new sites covering the most demand.
    Mclp {
        /// Number of new sites.
        k: usize,
    },
    /// The fewest new sites covering all the demand.
    Lscp,
}

/// Which solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Exact when the instance has at most [`AUTO_EXACT_LIMIT`] coverage pairs, else greedy.
    #[default]
    Auto,
    /// Exact mixed integer programme.
    Exact,
    /// Lazy greedy with a bound.
    Greedy,
}

/// Above this many (candidate, demand point) coverage pairs, `auto` uses the greedy.
pub const AUTO_EXACT_LIMIT: usize = 200_000;

/// A candidate site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Id (cell id, BANO line, or the file's id).
    pub id: String,
    /// Name or address.
    pub name: String,
    /// Position, working CRS.
    #[serde(skip)]
    pub point: Point<f64>,
}

/// Options of the analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteOptions {
    /// Category of the new facilities.
    pub category: String,
    /// Covering distance D, metres.
    pub distance_m: f64,
    /// Demand to reach.
    pub demand: DemandKind,
    /// The question.
    pub problem: Problem,
    /// The solver.
    pub method: Method,
}

/// One chosen site.
#[derive(Debug, Clone, Serialize)]
pub struct ChosenSite {
    /// 1 = the site adding the most.
    pub rank: usize,
    /// The candidate.
    #[serde(flatten)]
    pub candidate: Candidate,
    /// x, y in the working CRS.
    pub x: f64,
    /// y.
    pub y: f64,
    /// Demand it newly covers after the sites ranked before it (existing facilities kept).
    pub newly_covered: f64,
}

/// One demand cell before and after.
#[derive(Debug, Clone, Serialize)]
pub struct CellOutcome {
    /// Grid cell id.
    pub cell_id: String,
    /// Index in the grid slice.
    #[serde(skip)]
    pub cell: usize,
    /// Its demand.
    pub demand: f64,
    /// Within D of an existing facility.
    pub covered_before: bool,
    /// Within D of an existing facility or a new site.
    pub covered_after: bool,
}

/// One QPV before and after.
#[derive(Debug, Clone, Serialize)]
pub struct QpvOutcome {
    /// QPV code.
    pub code: String,
    /// QPV name.
    pub name: String,
    /// Demand inside the QPV.
    pub demand: f64,
    /// Covered by existing facilities.
    pub covered_before: f64,
    /// Covered once the new sites are added.
    pub covered_after: f64,
}

/// The result.
#[derive(Debug, Clone, Serialize)]
pub struct SitePlan {
    /// Options used.
    pub options: SiteOptions,
    /// Existing facilities of the category.
    pub existing: usize,
    /// Candidates offered.
    pub candidates: usize,
    /// How it was solved.
    pub method: SolveMethod,
    /// Total demand.
    pub demand_total: f64,
    /// Covered before.
    pub covered_before: f64,
    /// Covered after.
    pub covered_after: f64,
    /// Upper bound on the best `covered_after` with k sites (MCLP).
    pub covered_after_bound: Option<f64>,
    /// LSCP: lower bound on the number of sites.
    pub sites_lower_bound: Option<usize>,
    /// Demand points no candidate reaches (LSCP), cell ids.
    pub unreachable_cells: Vec<String>,
    /// Chosen sites, rank order.
    pub sites: Vec<ChosenSite>,
    /// Each demand cell.
    pub cells: Vec<CellOutcome>,
    /// Each QPV, by code.
    pub qpv: Vec<QpvOutcome>,
}

/// Categories accepted even with no existing facility in the data.
pub const KNOWN_CATEGORIES: [&str; 6] = [
    Category::ECOLE_MATERNELLE,
    Category::ECOLE_ELEMENTAIRE,
    Category::COLLEGE,
    Category::LYCEE,
    Category::SOCIAL_CENTRE,
    Category::FRANCE_SERVICES,
];

fn check(options: &SiteOptions, facilities: &[Facility], candidates: &[Candidate]) -> Result<()> {
    let d = options.distance_m;
    if !(d.is_finite() && d >= 0.0) {
        return Err(Error::usage(
            format!("--distance {d} is not a distance in metres"),
            "give a number of metres ≥ 0, e.g. --distance 500",
        ));
    }
    if options.problem == (Problem::Mclp { k: 0 }) {
        return Err(Error::usage(
            "-k 0 asks for no new site",
            "give the number of new sites, e.g. -k 1",
        ));
    }
    if candidates.is_empty() {
        return Err(Error::usage(
            "the candidate set is empty: there is nowhere to put a site",
            "give candidates with at least one point (--candidates grid, bano or FILE)",
        ));
    }
    let cat = Category::new(&options.category);
    let mut present: Vec<&str> = facilities.iter().map(|f| f.category.as_str()).collect();
    present.extend(KNOWN_CATEGORIES);
    present.sort_unstable();
    present.dedup();
    if !present.contains(&cat.as_str()) {
        return Err(Error::usage(
            format!("unknown category '{}'", options.category),
            format!("choose one of: {}", present.join(", ")),
        ));
    }
    Ok(())
}

/// Runs the analysis: the facilities of `options.category` among `facilities` are kept, new
/// sites are chosen among `candidates`.
///
/// # Examples
/// ```
/// use qpv::analysis::site::plan::{plan, candidates_from_cells, Problem, SiteOptions, Method};
/// use qpv::analysis::site::demand::DemandKind;
/// use qpv::crs::Crs;
/// let crs = Crs::LAMBERT93;
/// let cells = qpv::io::embedded::grid(qpv::io::embedded::GridYear::Y2015, crs).unwrap();
/// let zones = qpv::io::embedded::zones(crs).unwrap();
/// let options = SiteOptions {
///     category: "social_centre".into(),
///     distance_m: 500.0,
///     demand: DemandKind::QpvResidents,
///     problem: Problem::Mclp { k: 1 },
///     method: Method::Greedy,
/// };
/// let p = plan(&cells, &zones, &[], &candidates_from_cells(&cells), &options).unwrap();
/// assert_eq!(p.sites.len(), 1);
/// assert!(p.covered_after > p.covered_before);
/// ```
pub fn plan(
    cells: &[GridCell],
    zones: &[Zone],
    facilities: &[Facility],
    candidates: &[Candidate],
    options: &SiteOptions,
) -> Result<SitePlan> {
    check(options, facilities, candidates)?;
    let cat = Category::new(&options.category);
    let existing: Vec<Point<f64>> = facilities
        .iter()
        .filter(|f| f.category == cat)
        .map(|f| f.point)
        .collect();
    let d = demand(cells, zones, options.demand);
    let points: Vec<Point<f64>> = candidates.iter().map(|c| c.point).collect();
    let inst = Instance::build(
        &d.points,
        &d.weights,
        &points,
        &existing,
        options.distance_m,
    );
    let pairs: usize = inst.covers.iter().map(Vec::len).sum();
    let exact = match options.method {
        Method::Exact => true,
        Method::Greedy => false,
        Method::Auto => pairs <= AUTO_EXACT_LIMIT,
    };
    let (chosen, method, bound, lower, unreachable) = match options.problem {
        Problem::Mclp { k } => {
            let s: SiteSolution = if exact {
                mclp::solve(&inst, k, false)?
            } else {
                greedy::mclp(&inst, k)
            };
            (s.chosen, s.method, s.upper_bound, None, Vec::new())
        }
        Problem::Lscp => {
            let s: LscpSolution = if exact {
                lscp::solve(&inst)?
            } else {
                greedy::lscp(&inst)
            };
            (s.chosen, s.method, None, Some(s.lower_bound), s.unreachable)
        }
    };
    Ok(outcome(
        &inst,
        &d,
        cells,
        zones,
        candidates,
        chosen,
        (method, bound, lower, unreachable),
        options,
        existing.len(),
    ))
}

#[allow(clippy::too_many_arguments)]
fn outcome(
    inst: &Instance,
    d: &Demand,
    cells: &[GridCell],
    zones: &[Zone],
    candidates: &[Candidate],
    chosen: Vec<usize>,
    (method, bound, lower, unreachable): (SolveMethod, Option<f64>, Option<usize>, Vec<usize>),
    options: &SiteOptions,
    existing: usize,
) -> SitePlan {
    let after = inst.covered_after(&chosen);
    let before_total = inst.demand_covered_before();
    let sites = rank(inst, &chosen)
        .into_iter()
        .enumerate()
        .map(|(r, (j, gain))| ChosenSite {
            rank: r + 1,
            candidate: candidates[j].clone(),
            x: candidates[j].point.x(),
            y: candidates[j].point.y(),
            newly_covered: gain,
        })
        .collect();
    let mut qpv: Vec<QpvOutcome> = zones
        .iter()
        .map(|z| QpvOutcome {
            code: z.code.clone(),
            name: z.name.clone(),
            demand: 0.0,
            covered_before: 0.0,
            covered_after: 0.0,
        })
        .collect();
    for (i, shares) in d.in_zone.iter().enumerate() {
        for &(z, v) in shares {
            qpv[z].demand += v;
            qpv[z].covered_before += if inst.covered_before[i] { v } else { 0.0 };
            qpv[z].covered_after += if after[i] { v } else { 0.0 };
        }
    }
    qpv.sort_by(|a, b| a.code.cmp(&b.code));
    let cell_out = (0..d.points.len())
        .map(|i| CellOutcome {
            cell_id: cells[d.cell[i]].id.clone(),
            cell: d.cell[i],
            demand: d.weights[i],
            covered_before: inst.covered_before[i],
            covered_after: after[i],
        })
        .collect();
    SitePlan {
        options: options.clone(),
        existing,
        candidates: candidates.len(),
        method,
        demand_total: d.weights.iter().sum(),
        covered_before: before_total,
        covered_after: before_total + inst.newly_covered(&chosen),
        covered_after_bound: bound.map(|b| before_total + b),
        sites_lower_bound: lower,
        unreachable_cells: unreachable
            .iter()
            .map(|&i| cells[d.cell[i]].id.clone())
            .collect(),
        sites,
        cells: cell_out,
        qpv,
    }
}

/// Chosen sites in the order a greedy would add them, with each one's marginal demand; ties
/// to the lowest index.
fn rank(inst: &Instance, chosen: &[usize]) -> Vec<(usize, f64)> {
    let mut covered = inst.covered_before.clone();
    let mut left: Vec<usize> = chosen.to_vec();
    left.sort_unstable();
    let mut out = Vec::new();
    while !left.is_empty() {
        let gains: Vec<f64> = left
            .iter()
            .map(|&j| {
                inst.covers[j]
                    .iter()
                    .filter(|&&i| !covered[i as usize])
                    .map(|&i| inst.demand[i as usize])
                    .sum()
            })
            .collect();
        let mut best = 0;
        for (p, g) in gains.iter().enumerate() {
            if *g > gains[best] {
                best = p;
            }
        }
        let j = left.remove(best);
        for &i in &inst.covers[j] {
            covered[i as usize] = true;
        }
        out.push((j, gains[best]));
    }
    out
}

/// One candidate per grid cell, at its centre (id = cell id). Filosofi omits empty cells, so
/// these are populated places.
pub fn candidates_from_cells(cells: &[GridCell]) -> Vec<Candidate> {
    use geo::Centroid;
    cells
        .iter()
        .filter_map(|c| {
            Some(Candidate {
                id: c.id.clone(),
                name: String::new(),
                point: c.polygon.centroid()?,
            })
        })
        .collect()
}

/// One candidate per facility-like point (id, name, position), e.g. a file of possible sites.
pub fn candidates_from_facilities(points: &[Facility]) -> Vec<Candidate> {
    points
        .iter()
        .map(|f| Candidate {
            id: f.id.clone(),
            name: f.name.clone(),
            point: f.point,
        })
        .collect()
}

/// One candidate per address point of an address index (BANO), id = `bano:LINE`, name = the
/// address.
pub fn candidates_from_addresses(index: &crate::geocode::AddressIndex) -> Vec<Candidate> {
    let mut out = Vec::new();
    for s in 0..index.streets().len() as u32 {
        for p in index.street_points(s) {
            out.push(Candidate {
                id: format!("bano:{}", p.line),
                name: index.label(s, Some(&index.house_number(p))),
                point: Point::from(p.xy),
            });
        }
    }
    out.sort_by(|a, b| a.id.len().cmp(&b.id.len()).then_with(|| a.id.cmp(&b.id)));
    out
}
