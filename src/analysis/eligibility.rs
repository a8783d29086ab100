//! The decree's eligibility test for a priority zone, approximated from the 200 m grid.
//!
//! Décret n° 2014-767 (art. 2 and 4; the 2024 update kept the method): a QPV is a continuous
//! urban area, in an urban unit of at least 10,000 inhabitants, with at least 1,000
//! inhabitants, whose *median* income per consumption unit is below
//! `S = 0.6 × (0.7 × national median + 0.3 × urban-unit median)` (weights 0.3 / 0.7 for urban
//! units of 5 million inhabitants or more), rounded up to the next 100 €.
//!
//! **What can and cannot be checked here.** Filosofi grid cells carry sums (individuals, sum of
//! standards of living, poor households), not medians, and describe *disposable* income
//! (after taxes and benefits) where the decree works on *declared* income per consumption
//! unit. The income test is therefore a proxy, chosen by [`IncomeProxy`]:
//! - [`IncomeProxy::MeanStandardOfLiving`] (default): `Ind_snv / Ind < S`. The mean of a
//!   right-skewed distribution exceeds its median, and disposable income exceeds declared
//!   income at the bottom of the scale, so this proxy is **stricter** than the decree: a zone
//!   passing it would pass the real test; a zone failing it may still be a QPV.
//! - [`IncomeProxy::PoorHouseholdShare`]: `Men_pauv / Men ≥ share`. When S is close to the
//!   poverty line (60 % of the national median), "median below S" means "at least half the
//!   people below the line", so a share of 0.5 is the literal translation; it is again
//!   stricter than the decree for the reasons above, which is why the share is an option.
//!
//! Defaults: national median standard of living 2015 = 20,300 € (INSEE, enquête Revenus
//! fiscaux et sociaux 2015, "Les niveaux de vie en 2015", Insee Résultats, February 2018,
//! <https://www.insee.fr/fr/statistiques/3055008>), the year of the embedded grid. No public
//! figure for the Belfort urban-unit median could be verified, so when it is not given the
//! national median is used in its place and the result says so (`urban_unit_median_assumed`).

use serde::Serialize;

use super::interpolate::Indicators;

/// National median standard of living used by default, € / year (INSEE, ERFS 2015).
pub const NATIONAL_MEDIAN_2015: f64 = 20_300.0;

/// Shares closer than this to the minimum share count as equal: a millionth of a share is
/// overlay noise (the same QPV read from two files differs by ~1e-9), not a statistic.
pub const SHARE_TOLERANCE: f64 = 1e-6;

/// Minimum population of a QPV (décret 2014-767, art. 2).
pub const MIN_POPULATION: f64 = 1_000.0;

/// Minimum population of the urban unit a QPV lies in (décret 2014-767, art. 2).
pub const MIN_URBAN_UNIT_POPULATION: f64 = 10_000.0;

/// Which grid figure stands in for the decree's median income test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "proxy", rename_all = "snake_case")]
pub enum IncomeProxy {
    /// Mean standard of living `Ind_snv / Ind` below the threshold S.
    MeanStandardOfLiving,
    /// Poor-household share `Men_pauv / Men` at or above `min_share`.
    PoorHouseholdShare {
        /// Minimum share, 0–1.
        min_share: f64,
    },
}

/// Parameters of the eligibility test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EligibilityOptions {
    /// National median income per consumption unit, € / year.
    pub national_median: f64,
    /// Median of the urban unit, € / year (`None`: the national median is assumed).
    pub urban_unit_median: Option<f64>,
    /// Population of the urban unit, when known (checked against 10,000 and used for the
    /// 5-million weights).
    pub urban_unit_population: Option<f64>,
    /// Minimum population of a part (1,000 in the decree).
    pub min_population: f64,
    /// The income proxy.
    pub proxy: IncomeProxy,
    /// When the poor-share threshold was calibrated on the official QPV, how
    /// ([`super::calibration`]); reports state the method from it.
    pub calibration: Option<super::calibration::Calibration>,
}

impl Default for EligibilityOptions {
    fn default() -> Self {
        EligibilityOptions {
            national_median: NATIONAL_MEDIAN_2015,
            urban_unit_median: None,
            urban_unit_population: None,
            min_population: MIN_POPULATION,
            proxy: IncomeProxy::MeanStandardOfLiving,
            calibration: None,
        }
    }
}

/// The low-income threshold S and how it was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// National median used, €.
    pub national_median: f64,
    /// Urban-unit median used, €.
    pub urban_unit_median: f64,
    /// True when the urban-unit median was not given and the national one stood in for it.
    pub urban_unit_median_assumed: bool,
    /// Weight of the national median (0.7, or 0.3 for urban units of ≥ 5 million).
    pub national_weight: f64,
    /// S, rounded up to the next 100 €.
    pub value: f64,
}

/// `S = 0.6 × (w × national + (1 − w) × urban unit)`, rounded up to the next 100 €, with
/// `w = 0.7`, or `0.3` when the urban unit has 5 million inhabitants or more.
///
/// ```
/// use qpv::analysis::eligibility::low_income_threshold;
/// // 0.6 × (0.7 × 20,300 + 0.3 × 19,000) = 11,946 → 12,000 €
/// assert_eq!(low_income_threshold(20_300.0, 19_000.0, Some(80_000.0)), 12_000.0);
/// ```
pub fn low_income_threshold(
    national_median: f64,
    urban_unit_median: f64,
    urban_unit_population: Option<f64>,
) -> f64 {
    let w = national_weight(urban_unit_population);
    let raw = 0.6 * (w * national_median + (1.0 - w) * urban_unit_median);
    // Guard against 12,180.000000001 style noise before rounding up.
    ((raw - 1e-6) / 100.0).ceil() * 100.0
}

fn national_weight(urban_unit_population: Option<f64>) -> f64 {
    match urban_unit_population {
        Some(p) if p >= 5_000_000.0 => 0.3,
        _ => 0.7,
    }
}

impl EligibilityOptions {
    /// The threshold S these options give.
    pub fn threshold(&self) -> Threshold {
        let uu = self.urban_unit_median.unwrap_or(self.national_median);
        Threshold {
            national_median: self.national_median,
            urban_unit_median: uu,
            urban_unit_median_assumed: self.urban_unit_median.is_none(),
            national_weight: national_weight(self.urban_unit_population),
            value: low_income_threshold(self.national_median, uu, self.urban_unit_population),
        }
    }
}

/// The outcome of the test for one continuous part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Estimated population ≥ the minimum.
    pub population_ok: bool,
    /// Income proxy passes (`None` when it cannot be computed: nobody lives there).
    pub income_ok: Option<bool>,
    /// Urban unit large enough (`None` when its population was not given).
    pub urban_unit_ok: Option<bool>,
    /// All known criteria pass.
    pub eligible: bool,
    /// The value the income proxy was computed at (€ or share).
    pub proxy_value: Option<f64>,
    /// S, €.
    pub threshold: f64,
    /// Why it fails, in words (empty when eligible).
    pub reasons: Vec<String>,
    /// Margin to the proxy's reference: share − minimum share (poor-share proxies), or
    /// S − mean standard of living in € (mean-income proxy); positive passes.
    pub margin_to_reference: Option<f64>,
    /// Margin to the decree's formula as far as the grid allows: S − mean standard of living,
    /// € (positive: below S); always given, whatever the proxy, to read side by side.
    pub margin_to_decree_eur: Option<f64>,
}

/// Applies the test to the indicators of one continuous part.
///
/// ```
/// use qpv::analysis::eligibility::{assess, EligibilityOptions};
/// use qpv::analysis::interpolate::Indicators;
/// use qpv::model::GridValues;
///
/// let v = GridValues { ind: 1_500.0, men: 600.0, ind_snv: 1_500.0 * 11_000.0, ..Default::default() };
/// let a = assess(&Indicators::from_values(v, 0.0, 1e5, 1e5, 3), &EligibilityOptions::default());
/// assert!(a.eligible); // 11,000 € < S = 12,200 €
/// ```
pub fn assess(indicators: &Indicators, options: &EligibilityOptions) -> Assessment {
    let threshold = options.threshold().value;
    let mut reasons = Vec::new();
    let population_ok = indicators.population >= options.min_population;
    if !population_ok {
        reasons.push(format!(
            "population {:.0} below {:.0}",
            indicators.population.round(),
            options.min_population
        ));
    }
    let (proxy_value, income_ok) = match options.proxy {
        IncomeProxy::MeanStandardOfLiving => {
            let v = indicators.mean_standard_of_living;
            let ok = v.map(|m| m < threshold);
            if ok == Some(false) {
                reasons.push(format!(
                    "mean standard of living {:.0} € not below S = {threshold:.0} €",
                    v.unwrap_or_default()
                ));
            }
            (v, ok)
        }
        IncomeProxy::PoorHouseholdShare { min_share } => {
            let v = indicators.poor_household_share;
            // A QPV tested against a reference calibrated on itself must pass: the two
            // estimates come from different overlay paths and may differ in the last bits.
            let ok = v.map(|s| s >= min_share - SHARE_TOLERANCE);
            if ok == Some(false) {
                reasons.push(format!(
                    "poor-household share {:.1} % below {:.1} %",
                    100.0 * v.unwrap_or_default(),
                    100.0 * min_share
                ));
            }
            (v, ok)
        }
    };
    if income_ok.is_none() {
        reasons.push("no household: income cannot be assessed".into());
    }
    let urban_unit_ok = options
        .urban_unit_population
        .map(|p| p >= MIN_URBAN_UNIT_POPULATION);
    if urban_unit_ok == Some(false) {
        reasons.push("urban unit below 10,000 inhabitants".into());
    }
    let margin_to_decree_eur = indicators.mean_standard_of_living.map(|m| threshold - m);
    let margin_to_reference = match options.proxy {
        IncomeProxy::MeanStandardOfLiving => margin_to_decree_eur,
        IncomeProxy::PoorHouseholdShare { min_share } => indicators
            .poor_household_share
            .map(|v| v - min_share)
            .map(|m| if m.abs() <= SHARE_TOLERANCE { 0.0 } else { m }),
    };
    Assessment {
        margin_to_reference,
        margin_to_decree_eur,
        population_ok,
        income_ok,
        urban_unit_ok,
        eligible: population_ok && income_ok == Some(true) && urban_unit_ok != Some(false),
        proxy_value,
        threshold,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GridValues;

    fn ind(pop: f64, snv: f64, men: f64, pauv: f64) -> Indicators {
        let v = GridValues {
            ind: pop,
            men,
            men_pauv: pauv,
            ind_snv: pop * snv,
            ..Default::default()
        };
        Indicators::from_values(v, 0.0, 1.0, 1.0, 1)
    }

    #[test]
    fn threshold_rounds_up_to_100() {
        // 0.6 × 20,300 = 12,180 → 12,200
        assert_eq!(EligibilityOptions::default().threshold().value, 12_200.0);
        assert!(
            EligibilityOptions::default()
                .threshold()
                .urban_unit_median_assumed
        );
        // 0.6 × (0.7 × 20,000 + 0.3 × 20,000) = 12,000 exactly: stays 12,000
        assert_eq!(low_income_threshold(20_000.0, 20_000.0, None), 12_000.0);
        // ≥ 5 million: 0.6 × (0.3 × 20,000 + 0.7 × 25,000) = 14,100
        assert_eq!(
            low_income_threshold(20_000.0, 25_000.0, Some(10_000_000.0)),
            14_100.0
        );
        // < 5 million: 0.6 × (0.7 × 20,000 + 0.3 × 25,000) = 12,900
        assert_eq!(
            low_income_threshold(20_000.0, 25_000.0, Some(100_000.0)),
            12_900.0
        );
    }

    #[test]
    fn criteria() {
        let o = EligibilityOptions::default();
        assert!(assess(&ind(1000.0, 12_199.0, 400.0, 100.0), &o).eligible);
        let a = assess(&ind(999.0, 10_000.0, 400.0, 100.0), &o);
        assert!(!a.eligible && !a.population_ok && a.income_ok == Some(true));
        let a = assess(&ind(5000.0, 12_200.0, 400.0, 100.0), &o);
        assert!(!a.eligible && a.income_ok == Some(false));
        assert_eq!(a.reasons.len(), 1);
        let share = EligibilityOptions {
            proxy: IncomeProxy::PoorHouseholdShare { min_share: 0.25 },
            ..o.clone()
        };
        assert!(assess(&ind(5000.0, 30_000.0, 400.0, 100.0), &share).eligible);
        assert!(!assess(&ind(5000.0, 30_000.0, 400.0, 99.0), &share).eligible);
        let small_uu = EligibilityOptions {
            urban_unit_population: Some(9_000.0),
            ..o
        };
        assert!(!assess(&ind(5000.0, 10_000.0, 400.0, 100.0), &small_uu).eligible);
        assert_eq!(assess(&ind(0.0, 0.0, 0.0, 0.0), &share).income_ok, None);
    }
}
