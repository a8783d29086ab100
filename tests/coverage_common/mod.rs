//! The real embedded Grand Belfort layers in Lambert-93, for the coverage and property tests.
#![allow(dead_code)]

use qpv::crs::Crs;
use qpv::model::{Facility, GridCell, Zone};

/// The 7 QPV 2024 of the Territoire de Belfort.
pub fn zones() -> Vec<Zone> {
    qpv::io::embedded::zones(Crs::LAMBERT93).unwrap()
}

/// The default facility set without the France Services (added later, not in the oracle
/// figures): the schools of the Annuaire de l'éducation (natures 101, 151, 340, 300, 320) and
/// the 2 social centres whose address geocodes.
pub fn facilities() -> Vec<Facility> {
    let mut f = qpv::analysis::default_facilities::facilities_with_social_centres(Crs::LAMBERT93)
        .unwrap()
        .facilities;
    f.retain(|f| f.category.as_str() != qpv::model::Category::FRANCE_SERVICES);
    f
}

/// The Filosofi 2015 200 m cells.
pub fn grid() -> Vec<GridCell> {
    qpv::io::embedded::grid(qpv::io::embedded::GridYear::Y2015, Crs::LAMBERT93).unwrap()
}
