//! A priority zone: an official QPV or a candidate perimeter.

use geo::MultiPolygon;

use super::Attributes;

/// A QPV (or a candidate perimeter) in the working metric CRS.
#[derive(Debug, Clone)]
pub struct Zone {
    /// Official code (`QN09001I`) or the candidate's id.
    pub code: String,
    /// Name (`Bougenel - Mulhouse`).
    pub name: String,
    /// INSEE codes of the communes it spans (may be empty for candidates).
    pub communes: Vec<String>,
    /// The perimeter.
    pub geometry: MultiPolygon<f64>,
    /// Every attribute of the source feature.
    pub attributes: Attributes,
}
