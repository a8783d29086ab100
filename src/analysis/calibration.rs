//! An income proxy calibrated on the official QPV of the territory: the poor-household share
//! (`Men_pauv / Men`) that every official QPV reaches on the same grid vintage.
//!
//! Why: the decree's test (median declared income per consumption unit below S) cannot be
//! computed from the Filosofi grid, which carries sums (no medians) of *disposable* income.
//! Its literal translation (mean standard of living below S) fails every official QPV of
//! Grand Belfort, which tells a planner nothing. The calibrated reference answers instead
//! "is this part at least as poor as the least poor official QPV here, measured the same way?".
//!
//! Rule: each official QPV's share is its areal estimate on the grid
//! ([`super::interpolate`]); the reference is the lowest of these shares among QPV with at
//! least one estimated household.

use serde::Serialize;

use super::interpolate::GridIndex;
use crate::model::Zone;

/// One official QPV's level on the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QpvLevel {
    /// QPV code.
    pub code: String,
    /// QPV name.
    pub name: String,
    /// Estimated population.
    pub population: f64,
    /// Poor-household share, 0–1.
    pub poor_share: Option<f64>,
    /// Mean standard of living, €.
    pub mean_standard_of_living: Option<f64>,
}

/// The calibrated reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// The lowest poor-household share of the official QPV, 0–1.
    pub reference_share: f64,
    /// The QPV that sets it.
    pub reference_code: String,
    /// Every official QPV, by code.
    pub qpv: Vec<QpvLevel>,
}

/// Calibrates on `zones` (the official QPV) with `grid`; `None` when no QPV has households.
///
/// # Examples
/// ```
/// use qpv::analysis::calibration::calibrate;
/// use qpv::analysis::interpolate::GridIndex;
/// use qpv::crs::Crs;
/// use qpv::io::embedded::{self, GridYear};
/// let cells = embedded::grid(GridYear::Y2019, Crs::LAMBERT93).unwrap();
/// let zones = embedded::zones(Crs::LAMBERT93).unwrap();
/// let c = calibrate(&zones, &GridIndex::new(&cells)).unwrap();
/// assert_eq!(c.qpv.len(), 7);
/// assert!(c.qpv.iter().all(|q| q.poor_share.unwrap() >= c.reference_share));
/// ```
pub fn calibrate(zones: &[Zone], grid: &GridIndex) -> Option<Calibration> {
    let mut qpv: Vec<QpvLevel> = zones
        .iter()
        .map(|z| {
            let i = grid.estimate(&z.geometry);
            QpvLevel {
                code: z.code.clone(),
                name: z.name.clone(),
                population: i.population,
                poor_share: (i.households >= 1.0)
                    .then_some(i.poor_household_share)
                    .flatten(),
                mean_standard_of_living: i.mean_standard_of_living,
            }
        })
        .collect();
    qpv.sort_by(|a, b| a.code.cmp(&b.code));
    let lowest = qpv
        .iter()
        .filter_map(|q| q.poor_share.map(|s| (s, q.code.clone())))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))?;
    Some(Calibration {
        reference_share: lowest.0,
        reference_code: lowest.1,
        qpv,
    })
}
