//! The income-proxy flags shared by `perimeter test|compare` and `simulate`: same names, same
//! defaults.

use clap::{Args, ValueEnum};

use qpv::analysis::calibration::{Calibration, calibrate};
use qpv::analysis::eligibility::IncomeProxy;
use qpv::analysis::interpolate::GridIndex;
use qpv::model::{GridCell, Zone};

/// Default minimum share of `--proxy poor-share`.
pub const DEFAULT_POOR_SHARE: f64 = 0.30;

/// Which income proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProxyArg {
    /// Poor-household share at least the lowest share of the official QPV on the same grid.
    Calibrated,
    /// Poor-household share (Men_pauv / Men) at least --threshold (default 0.30).
    PoorShare,
    /// Mean standard of living (Ind_snv / Ind) below S (the decree's formula on means).
    MeanIncome,
}

/// `--proxy` and `--threshold`.
#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// Income proxy of the eligibility test (default: calibrated on the official QPV).
    #[arg(long, value_enum, default_value = "calibrated", alias = "criterion")]
    pub proxy: ProxyArg,
    /// Minimum poor-household share for --proxy poor-share (0–1, default 0.30); for
    /// `simulate --proxy mean-income`, the euro threshold (default S).
    #[arg(long, value_name = "VALUE", alias = "poor-share")]
    pub threshold: Option<f64>,
}

/// The proxy resolved against the data.
pub struct Resolved {
    /// The proxy.
    pub proxy: IncomeProxy,
    /// The calibration, with --proxy calibrated.
    pub calibration: Option<Calibration>,
}

impl ProxyArgs {
    /// Resolves the proxy; `zones` are the official QPV the calibration uses.
    pub fn resolve(&self, zones: &[Zone], cells: &[GridCell]) -> qpv::Result<Resolved> {
        match self.proxy {
            ProxyArg::Calibrated => {
                if let Some(t) = self.threshold {
                    return Err(qpv::Error::usage(
                        format!("--threshold {t} with --proxy calibrated"),
                        "the calibrated threshold comes from the official QPV; to set it \
                         yourself use --proxy poor-share --threshold SHARE",
                    ));
                }
                let c = calibrate(zones, &GridIndex::new(cells)).ok_or_else(|| {
                    qpv::Error::usage(
                        "no official QPV has households on this grid: the proxy cannot be \
                         calibrated",
                        "use --proxy poor-share --threshold SHARE, or a grid covering the QPV",
                    )
                })?;
                Ok(Resolved {
                    proxy: IncomeProxy::PoorHouseholdShare {
                        min_share: c.reference_share,
                    },
                    calibration: Some(c),
                })
            }
            ProxyArg::PoorShare => {
                let t = self.threshold.unwrap_or(DEFAULT_POOR_SHARE);
                if !(0.0..=1.0).contains(&t) {
                    return Err(qpv::Error::usage(
                        format!("--threshold {t} is not a share"),
                        "for --proxy poor-share give a value between 0 and 1, e.g. --threshold 0.3",
                    ));
                }
                Ok(Resolved {
                    proxy: IncomeProxy::PoorHouseholdShare { min_share: t },
                    calibration: None,
                })
            }
            ProxyArg::MeanIncome => Ok(Resolved {
                proxy: IncomeProxy::MeanStandardOfLiving,
                calibration: None,
            }),
        }
    }
}
