//! Demand points from the 200 m grid: one point per cell, at the cell's centre, weighted by
//! what the planner wants to reach.
//!
//! Rule: a cell is covered when its **centre** lies within D of a site (the usual rule of
//! MCLP on gridded demand, also spopt's with cell centroids). The weight of a cell is
//! - residents of QPV: `Ind × area(cell ∩ QPV) / area(cell)` (areal share, the rule of
//!   [`crate::analysis::interpolate`]: people evenly spread inside a cell);
//! - all residents: `Ind`;
//! - poor households: `Men_pauv`.
//!
//! Each cell also keeps its areal share in every QPV, for the per-QPV table.

use geo::{Centroid, Point};
use serde::Serialize;

use crate::analysis::interpolate::GridIndex;
use crate::model::{GridCell, Zone};

/// What a site should reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandKind {
    /// Residents of the QPV (areal share of each cell's inhabitants).
    #[default]
    QpvResidents,
    /// Every resident of the grid.
    Residents,
    /// Poor households (`Men_pauv`) of the grid.
    PoorHouseholds,
}

/// The demand points of a grid.
#[derive(Debug, Clone, Default)]
pub struct Demand {
    /// Index of the cell of each point in the grid slice.
    pub cell: Vec<usize>,
    /// Cell centres, working CRS.
    pub points: Vec<Point<f64>>,
    /// Weights.
    pub weights: Vec<f64>,
    /// For each point, `(zone index, demand of this point inside that zone)`.
    pub in_zone: Vec<Vec<(usize, f64)>>,
}

/// Builds the demand of `kind` from `cells`, with shares in `zones`. Points with no weight
/// are left out.
///
/// # Examples
/// ```
/// use geo::polygon;
/// use qpv::analysis::site::demand::{demand, DemandKind};
/// use qpv::model::{GridCell, GridValues};
/// let cell = GridCell {
///     id: "c".into(),
///     polygon: polygon![(x: 0.0, y: 0.0), (x: 200.0, y: 0.0), (x: 200.0, y: 200.0), (x: 0.0, y: 200.0)],
///     values: GridValues { ind: 100.0, men_pauv: 7.0, ..Default::default() },
///     imputed: false,
/// };
/// let d = demand(&[cell.clone()], &[], DemandKind::PoorHouseholds);
/// assert_eq!((d.weights.clone(), d.points[0].x()), (vec![7.0], 100.0));
/// // Outside every QPV: no QPV residents.
/// assert!(demand(&[cell], &[], DemandKind::QpvResidents).weights.is_empty());
/// ```
pub fn demand(cells: &[GridCell], zones: &[Zone], kind: DemandKind) -> Demand {
    let grid = GridIndex::new(cells);
    let mut shares: Vec<Vec<(usize, f64)>> = vec![Vec::new(); cells.len()];
    for (z, zone) in zones.iter().enumerate() {
        for w in grid.weights(&zone.geometry) {
            shares[w.index].push((z, w.weight));
        }
    }
    let mut out = Demand::default();
    for (i, cell) in cells.iter().enumerate() {
        let value = match kind {
            DemandKind::QpvResidents | DemandKind::Residents => cell.values.ind,
            DemandKind::PoorHouseholds => cell.values.men_pauv,
        };
        let in_zone: Vec<(usize, f64)> = shares[i].iter().map(|&(z, w)| (z, value * w)).collect();
        let weight = match kind {
            DemandKind::QpvResidents => in_zone.iter().map(|p| p.1).sum(),
            _ => value,
        };
        let Some(centre) = cell.polygon.centroid() else {
            continue;
        };
        if weight > 0.0 {
            out.cell.push(i);
            out.points.push(centre);
            out.weights.push(weight);
            out.in_zone.push(in_zone);
        }
    }
    out
}
