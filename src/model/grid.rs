//! INSEE Filosofi 200 m grid cells.

use geo::Polygon;
use serde::Serialize;

/// The additive values of a Filosofi cell (sums, never medians: they can be split by area).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GridValues {
    /// Individuals (`Ind`).
    pub ind: f64,
    /// Households (`Men`).
    pub men: f64,
    /// Poor households, below 60 % of the national median standard of living (`Men_pauv`).
    pub men_pauv: f64,
    /// Sum of individuals' yearly standards of living, € (`Ind_snv`).
    pub ind_snv: f64,
    /// One-person households (`Men_1ind`).
    pub men_1ind: f64,
    /// Households of five or more (`Men_5ind`).
    pub men_5ind: f64,
    /// Single-parent households (`Men_fmp`).
    pub men_fmp: f64,
    /// Owner households (`Men_prop`).
    pub men_prop: f64,
    /// Households in flats (`Men_coll`).
    pub men_coll: f64,
    /// Households in houses (`Men_mais`).
    pub men_mais: f64,
    /// Sum of dwelling surfaces, m² (`Men_surf`).
    pub men_surf: f64,
}

impl GridValues {
    /// `self + other × weight`, for areal interpolation.
    pub fn add_scaled(&mut self, other: &GridValues, weight: f64) {
        self.ind += other.ind * weight;
        self.men += other.men * weight;
        self.men_pauv += other.men_pauv * weight;
        self.ind_snv += other.ind_snv * weight;
        self.men_1ind += other.men_1ind * weight;
        self.men_5ind += other.men_5ind * weight;
        self.men_fmp += other.men_fmp * weight;
        self.men_prop += other.men_prop * weight;
        self.men_coll += other.men_coll * weight;
        self.men_mais += other.men_mais * weight;
        self.men_surf += other.men_surf * weight;
    }
}

/// One 200 m cell, reprojected into the working CRS.
#[derive(Debug, Clone)]
pub struct GridCell {
    /// INSPIRE id, e.g. `CRS3035RES200mN2730200E4079600`.
    pub id: String,
    /// The square (a slightly rotated quadrilateral once in Lambert-93).
    pub polygon: Polygon<f64>,
    /// Its values.
    pub values: GridValues,
    /// True when INSEE imputed the values (cells with fewer than 11 households).
    pub imputed: bool,
}
