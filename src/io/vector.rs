//! A vector layer as read from a file, before it becomes typed model data: geometries in the
//! source CRS, attributes as typed values, and enough metadata for `qpv info`.
//!
//! Readers for GeoJSON and GDAL sources produce a [`VectorLayer`]; the zone, facility and point
//! readers then check and reproject it. Keeping this intermediate step lets `qpv info` and
//! `qpv check` describe a file without deciding what it is for.

use std::path::{Path, PathBuf};

use geo::Geometry;

use crate::crs::Crs;
use crate::model::Attributes;

/// The type of an attribute field, as the source declares it (GDAL) or as seen in the values
/// (GeoJSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Whole numbers.
    Integer,
    /// Real numbers.
    Real,
    /// Text.
    String,
    /// True/false.
    Boolean,
    /// Dates and times (kept as text).
    Date,
    /// Values of several types, arrays or objects.
    Mixed,
}

impl FieldKind {
    /// Name shown by `qpv info`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Integer => "integer",
            FieldKind::Real => "real",
            FieldKind::String => "string",
            FieldKind::Boolean => "boolean",
            FieldKind::Date => "date",
            FieldKind::Mixed => "mixed",
        }
    }
}

/// One attribute field of a layer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Field {
    /// Name.
    pub name: String,
    /// Type.
    pub kind: FieldKind,
}

/// One feature, in the source CRS.
#[derive(Debug, Clone)]
pub struct VectorFeature {
    /// 0-based position in the layer (what error messages call "feature N").
    pub index: usize,
    /// The geometry; `None` for features without one (GeoJSON `"geometry": null`).
    pub geometry: Option<Geometry<f64>>,
    /// Attributes in field order.
    pub attributes: Attributes,
    /// Why the geometry could not be read (it is then `None`): readers keep going so that
    /// `qpv check` and `qpv info` can list every bad feature.
    pub error: Option<GeometryError>,
}

/// A geometry that could not be read (unclosed ring, position with one number, curve...).
#[derive(Debug, Clone, PartialEq)]
pub struct GeometryError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl VectorFeature {
    /// The geometry error as an input error of `path`.
    pub fn error_at(&self, path: &Path) -> Option<crate::Error> {
        self.error.as_ref().map(|e| {
            crate::Error::input(
                path,
                crate::Location::Feature(self.index),
                &e.message,
                &e.hint,
            )
        })
    }
}

/// A vector layer in its source CRS.
#[derive(Debug, Clone)]
pub struct VectorLayer {
    /// The file (or `<embedded:...>` name), for error messages.
    pub path: PathBuf,
    /// Format: `GeoJSON`, or the GDAL driver's short name (`ESRI Shapefile`, `GPKG`...).
    pub driver: String,
    /// Layer name.
    pub name: String,
    /// Every layer name of the source (one for GeoJSON).
    pub layer_names: Vec<String>,
    /// Declared CRS; `None` when the source declares none (and is not GeoJSON, whose default
    /// is WGS84).
    pub crs: Option<Crs>,
    /// The CRS as the source spells it (for `qpv info`), e.g. `urn:ogc:def:crs:EPSG::2154`.
    pub crs_text: String,
    /// Attribute fields.
    pub fields: Vec<Field>,
    /// Features in file order.
    pub features: Vec<VectorFeature>,
}

impl VectorLayer {
    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
