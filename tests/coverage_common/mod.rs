//! The real embedded Grand Belfort layers in Lambert-93, for the coverage and property tests.
#![allow(dead_code)]

use qpv::crs::Crs;
use qpv::model::{Facility, GridCell, Zone};

/// The 7 QPV 2024 of the Territoire de Belfort.
pub fn zones() -> Vec<Zone> {
    qpv::io::embedded::zones(Crs::LAMBERT93).unwrap()
}

/// The schools of the Annuaire de l'éducation (natures 101, 151, 340, 300, 320).
pub fn facilities() -> Vec<Facility> {
    qpv::io::embedded::facilities(Crs::LAMBERT93).unwrap()
}

/// The Filosofi 2015 200 m cells.
pub fn grid() -> Vec<GridCell> {
    qpv::io::embedded::grid(Crs::LAMBERT93).unwrap()
}
