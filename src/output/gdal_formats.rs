//! Whether this program writes GeoPackages and reads files through GDAL: off until [`enable`]
//! is called (see [`crate::io::gdal_readers`] for why: a program that never enables GDAL
//! does not link it, and starts 40-50 ms sooner).
//!
//! # Examples
//!
//! ```
//! use qpv::crs::Crs;
//! use qpv::output::{gdal_formats, write_views, GeoLayer, OutputFormat, Views};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("empty.gpkg");
//! let layer = GeoLayer { name: "zones".into(), crs: Crs::LAMBERT93, features: vec![], style: None };
//! let views = Views { layers: vec![layer], ..Views::default() };
//! let before = write_views(Some(&path), OutputFormat::Gpkg, &views);
//! assert!(matches!(before, Err(qpv::Error::NeedsGdal { .. })));
//! assert!(!path.exists());
//! gdal_formats::enable();
//! assert!(gdal_formats::enabled() && qpv::io::gdal_readers::enabled());
//! write_views(Some(&path), OutputFormat::Gpkg, &views).unwrap();
//! assert!(path.exists());
//! ```

use std::path::Path;
use std::sync::OnceLock;

use super::gpkg::GpkgWriter;
use super::layer::{GeoFeature, GeoLayer};
use super::qgis_style::LayerStyle;
use crate::crs::Crs;
use crate::error::{Error, Result};

/// A GeoPackage being written row by row (what [`super::sink`] streams into).
pub(crate) trait LayerStream {
    /// Ends the current layer and starts the layer `name`.
    fn begin_layer(&mut self, name: &str, crs: Crs, style: Option<LayerStyle>) -> Result<()>;
    /// Adds a feature to the current layer.
    fn write(&mut self, feature: GeoFeature) -> Result<()>;
    /// Ends the file (renamed onto its destination).
    fn finish(self: Box<Self>) -> Result<()>;
}

impl LayerStream for GpkgWriter {
    fn begin_layer(&mut self, name: &str, crs: Crs, style: Option<LayerStyle>) -> Result<()> {
        GpkgWriter::begin_layer(self, name, crs, style)
    }

    fn write(&mut self, feature: GeoFeature) -> Result<()> {
        GpkgWriter::write(self, feature)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        GpkgWriter::finish(*self)
    }
}

/// The GDAL writers, once enabled.
pub(crate) struct GdalWriters {
    /// Whole layers into a new GeoPackage ([`super::gpkg::write_gpkg`]).
    pub(crate) write_gpkg: fn(&Path, &[GeoLayer]) -> Result<()>,
    /// A GeoPackage to stream rows into.
    pub(crate) create_gpkg: fn(&Path) -> Result<Box<dyn LayerStream>>,
}

static WRITERS: OnceLock<GdalWriters> = OnceLock::new();

fn create_gpkg(path: &Path) -> Result<Box<dyn LayerStream>> {
    Ok(Box::new(GpkgWriter::create(path)?))
}

/// Lets this program read and write files through GDAL (links GDAL into it).
pub fn enable() {
    crate::io::gdal_readers::enable();
    WRITERS.get_or_init(|| GdalWriters {
        write_gpkg: super::gpkg::write_gpkg,
        create_gpkg,
    });
}

/// Whether [`enable`] was called.
pub fn enabled() -> bool {
    WRITERS.get().is_some()
}

/// The writers, or [`Error::NeedsGdal`] naming `path` when GDAL is not enabled.
pub(crate) fn gdal_writers(path: &Path) -> Result<&'static GdalWriters> {
    WRITERS.get().ok_or_else(|| Error::NeedsGdal {
        path: path.to_path_buf(),
    })
}
