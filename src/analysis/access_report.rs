//! `qpv access` as a library call: facilities of one category and the grid cells into supply
//! and demand, the scores of each method ([`super::access`]), and their population-weighted
//! mean per QPV against the rest of the agglomeration.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::io::table::parse_number;
use crate::model::{Facility, GridSource, Zone};

use super::access::{AccessMethod, Decay, Demand, Supply, access_all};
use super::access_cells::AccessCells;
use super::interpolate::GridIndex;

pub use super::access_cells::DemandKind;

/// Options of [`access_report`].
#[derive(Debug, Clone)]
pub struct AccessOptions {
    /// The facility category (facilities of other categories are ignored).
    pub category: String,
    /// Demand of each cell.
    pub demand: DemandKind,
    /// Facility attribute holding its capacity; `None`: 1 per facility.
    pub capacity: Option<String>,
    /// Methods, each giving one score per cell.
    pub methods: Vec<AccessMethod>,
}

/// The mean score over some demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaAccess {
    /// QPV code, or `rest` for the rest of the agglomeration.
    pub code: String,
    /// Name.
    pub name: String,
    /// Demand counted (cells weighted by their share inside the area).
    pub demand: f64,
    /// Demand-weighted mean score (`None` when the area holds no demand).
    pub mean_score: Option<f64>,
    /// `mean_score` / the rest's mean score.
    pub ratio_to_rest: Option<f64>,
}

/// One method's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodResult {
    /// The method and its parameters.
    pub method: AccessMethod,
    /// Cells with no facility in reach.
    pub unreached_cells: usize,
    /// Two-step methods: facilities with no demand in their catchment.
    pub facilities_without_demand: usize,
    /// Per QPV (sorted by code), then the rest of the agglomeration.
    pub areas: Vec<AreaAccess>,
    /// The score of every cell, in grid order.
    #[serde(skip)]
    pub scores: Vec<f64>,
}

/// Everything `qpv access` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessReport {
    /// The grid used (all its cells are demand; the rest row is restricted, see `rest`).
    pub grid: GridSource,
    /// Facility category.
    pub category: String,
    /// Number of facilities of that category.
    pub facilities: usize,
    /// Where supply comes from: "1 per facility" or the capacity column.
    pub supply: String,
    /// Demand kind.
    pub demand: DemandKind,
    /// What the `rest` row covers.
    pub rest: String,
    /// Number of communes the `rest` row is restricted to (`None`: the whole grid).
    #[serde(skip)]
    pub communes: Option<usize>,
    /// One result per method.
    pub methods: Vec<MethodResult>,
}

/// Scores every cell of `cells` for access to the `options.category` facilities, and sums
/// them up per QPV of `zones` and for the rest: the cells whose centre lies in the communes
/// the cells were built with (every cell when none), minus their share inside a QPV.
///
/// # Errors
/// A usage error, naming the problem, when no facility has the category, a capacity is not a
/// number ≥ 0, the cells hold no demand, or a method's parameters are not valid.
///
/// # Examples
/// ```
/// use qpv::analysis::access::AccessMethod;
/// use qpv::analysis::access_cells::AccessCells;
/// use qpv::analysis::access_report::{AccessOptions, DemandKind, access_report};
/// use qpv::crs::Crs;
/// use qpv::io::embedded::{self, GridYear};
/// let crs = Crs::LAMBERT93;
/// let grid = embedded::grid(GridYear::Y2019, crs).unwrap();
/// let source = embedded::grid_source(GridYear::Y2019, &grid);
/// let zones = embedded::zones(crs).unwrap();
/// let communes = embedded::communes(crs).unwrap();
/// let cells = AccessCells::from_cells(&grid, DemandKind::Inhabitants, &zones, Some(&communes), false);
/// let options = AccessOptions {
///     category: "france_services".into(),
///     demand: DemandKind::Inhabitants,
///     capacity: None,
///     methods: vec![AccessMethod::two_step(5000.0)],
/// };
/// let r = access_report(&cells, source, &embedded::france_services(crs).unwrap(), &zones,
///     &options).unwrap();
/// assert_eq!(r.facilities, 4);
/// assert_eq!(r.methods[0].areas.len(), 7 + 1);
/// ```
pub fn access_report(
    cells: &AccessCells,
    grid: GridSource,
    facilities: &[Facility],
    zones: &[Zone],
    options: &AccessOptions,
) -> Result<AccessReport> {
    let supply = supply_points(facilities, options)?;
    let demand = &cells.demand;
    if demand.iter().map(|d| d.demand).sum::<f64>() <= 0.0 {
        return Err(Error::usage(
            format!(
                "the grid holds no demand: every cell has 0 {}",
                options.demand.label()
            ),
            "choose another --demand or a grid with people in it",
        ));
    }
    for m in &options.methods {
        check_method(m)?;
    }
    let weights = zone_weights(cells, zones);
    let methods = access_all(demand, &supply, &options.methods)
        .into_iter()
        .zip(&options.methods)
        .map(|(s, m)| {
            let areas = areas(zones, &weights, demand, &s.scores, &cells.in_communes);
            MethodResult {
                method: m.clone(),
                unreached_cells: s.unreached,
                facilities_without_demand: s.ratios.iter().filter(|r| r.is_none()).count(),
                areas,
                scores: s.scores,
            }
        })
        .collect();
    Ok(AccessReport {
        grid,
        category: options.category.clone(),
        facilities: supply.len(),
        supply: options
            .capacity
            .as_ref()
            .map_or("1 per facility".to_string(), |c| format!("column '{c}'")),
        demand: options.demand,
        rest: match cells.communes {
            Some(n) => format!(
                "cells whose centre lies in the {n} communes, outside the QPV (share of each \
                 cell inside a QPV removed)"
            ),
            None => "every cell of the grid, outside the QPV (share of each cell inside a QPV \
                     removed)"
                .to_string(),
        },
        communes: cells.communes,
        methods,
    })
}

/// The facilities of the category as supply points.
fn supply_points(facilities: &[Facility], options: &AccessOptions) -> Result<Vec<Supply>> {
    let chosen: Vec<&Facility> = facilities
        .iter()
        .filter(|f| f.category.as_str() == options.category)
        .collect();
    if chosen.is_empty() {
        let mut known: Vec<&str> = facilities.iter().map(|f| f.category.as_str()).collect();
        known.dedup();
        return Err(Error::usage(
            format!("no facility of category '{}'", options.category),
            format!("categories present: {}", known.join(", ")),
        ));
    }
    chosen
        .into_iter()
        .map(|f| {
            let supply = match &options.capacity {
                None => 1.0,
                Some(column) => capacity(f, column)?,
            };
            Ok(Supply {
                point: f.point.0,
                supply,
            })
        })
        .collect()
}

fn capacity(f: &Facility, column: &str) -> Result<f64> {
    if f.attributes.get(column).is_none() {
        return Err(Error::usage(
            format!("the facilities have no column '{column}' for --capacity"),
            "name a column of the facility file holding numbers",
        ));
    }
    let text = f.attributes.text(column);
    match parse_number(&text) {
        Some(v) if v >= 0.0 => Ok(v),
        _ => Err(Error::usage(
            format!(
                "facility '{}': capacity '{text}' in column '{column}' is not a number ≥ 0",
                f.id
            ),
            "fix the value, or drop --capacity to count 1 per facility",
        )),
    }
}

fn check_method(m: &AccessMethod) -> Result<()> {
    let bad = |what: String, hint: &str| Err(Error::usage(what, hint.to_string()));
    if !(m.catchment_m.is_finite() && m.catchment_m > 0.0) {
        return bad(
            format!(
                "--catchment {} is not a distance > 0 in metres",
                m.catchment_m
            ),
            "give a number of metres > 0, e.g. --catchment 1000",
        );
    }
    match &m.decay {
        Decay::Unit => Ok(()),
        Decay::Steps { bands } => {
            let increasing = bands.windows(2).all(|w| w[0].0 < w[1].0);
            let valid = bands
                .iter()
                .all(|(b, w)| b.is_finite() && *b > 0.0 && w.is_finite() && *w >= 0.0);
            if bands.is_empty() || !increasing || !valid {
                return bad(
                    "--bands must be increasing distances > 0 in metres, with as many \
                     --weights ≥ 0"
                        .into(),
                    "e.g. --bands 333,667,1000 --weights 1,0.68,0.22",
                );
            }
            Ok(())
        }
        Decay::Gaussian { sigma_m } if !(sigma_m.is_finite() && *sigma_m > 0.0) => bad(
            format!("--sigma {sigma_m} is not a distance > 0 in metres"),
            "e.g. --sigma 500",
        ),
        Decay::Power {
            scale_m,
            alpha,
            min_m,
        } if !(scale_m.is_finite()
            && *scale_m > 0.0
            && alpha.is_finite()
            && min_m.is_finite()
            && *min_m >= 0.0) =>
        {
            bad(
                format!(
                    "gravity parameters scale {scale_m} m, alpha {alpha}, minimum {min_m} m are not valid"
                ),
                "give a scale > 0, a finite alpha and a minimum distance ≥ 0 (metres)",
            )
        }
        _ => Ok(()),
    }
}

/// For each zone, the share of each cell inside it (cell index, share), ascending: only the
/// cells near a zone can have one.
fn zone_weights(cells: &AccessCells, zones: &[Zone]) -> Vec<Vec<(usize, f64)>> {
    let (positions, near) = cells.near_zones();
    let index = GridIndex::new(near);
    zones
        .iter()
        .map(|z| {
            index
                .weights(&z.geometry)
                .into_iter()
                .map(|w| (positions[w.index], w.weight))
                .collect()
        })
        .collect()
}

fn areas(
    zones: &[Zone],
    weights: &[Vec<(usize, f64)>],
    demand: &[Demand],
    scores: &[f64],
    in_communes: &[bool],
) -> Vec<AreaAccess> {
    let mean = |pairs: &mut dyn Iterator<Item = (usize, f64)>| {
        let (mut d, mut ds) = (0.0, 0.0);
        for (i, w) in pairs {
            d += w * demand[i].demand;
            ds += w * demand[i].demand * scores[i];
        }
        (d, (d > 0.0).then(|| ds / d))
    };
    let mut outside = vec![1.0f64; demand.len()];
    for zone in weights {
        for &(i, w) in zone {
            outside[i] -= w;
        }
    }
    let (rest_demand, rest_mean) = mean(
        &mut (0..demand.len())
            .filter(|&i| in_communes[i])
            .map(|i| (i, outside[i].max(0.0))),
    );
    let ratio = |m: Option<f64>| match (m, rest_mean) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    let mut out: Vec<AreaAccess> = zones
        .iter()
        .zip(weights)
        .map(|(z, w)| {
            let (d, m) = mean(&mut w.iter().copied());
            AreaAccess {
                code: z.code.clone(),
                name: z.name.clone(),
                demand: d,
                mean_score: m,
                ratio_to_rest: ratio(m),
            }
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out.push(AreaAccess {
        code: "rest".into(),
        name: "rest of the agglomeration".into(),
        demand: rest_demand,
        mean_score: rest_mean,
        ratio_to_rest: rest_mean.map(|_| 1.0),
    });
    out
}
