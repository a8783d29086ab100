//! A geometry layer ready to be written: features in the working CRS with JSON properties.

use geo::Geometry;
use serde_json::{Map, Value};

use super::qgis_style::LayerStyle;
use crate::crs::Crs;

/// One feature to write.
#[derive(Debug, Clone)]
pub struct GeoFeature {
    /// Geometry in the layer's CRS (`None`: no geometry).
    pub geometry: Option<Geometry<f64>>,
    /// Properties, in column order.
    pub properties: Map<String, Value>,
}

/// A named layer of features in one CRS (the working metric CRS).
#[derive(Debug, Clone)]
pub struct GeoLayer {
    /// Layer name (GeoPackage table name, GeoJSON "name").
    pub name: String,
    /// CRS of the geometries.
    pub crs: Crs,
    /// Features, in output order.
    pub features: Vec<GeoFeature>,
    /// Default QGIS style (stored in a GeoPackage's `layer_styles`); `None`: QGIS's default.
    pub style: Option<LayerStyle>,
}
