//! Whether this program reads files through GDAL (GeoPackage, Shapefile, FlatGeobuf, GML,
//! KML...): off until [`enable`] is called.
//!
//! Linking GDAL costs every run 40-50 ms before `main` (its 110 libraries loaded and their
//! symbols bound), also runs that read only CSV and GeoJSON. So the readers are reached only
//! through the function pointers set here: a program that never calls [`enable`] has no
//! reference to GDAL, and the linker leaves GDAL out of it. The `qpv` binary is such a
//! program; it hands runs that need GDAL to `qpv-gdal`, which enables it
//! ([`crate::output::gdal_formats::enable`] enables the readers and the writers).
//!
//! # Examples
//!
//! ```
//! use qpv::io::gdal_readers;
//! use qpv::io::source::read_vector;
//! use std::path::Path;
//!
//! let path = Path::new("no_such_file.gpkg");
//! assert!(matches!(read_vector(path, None), Err(qpv::Error::NeedsGdal { .. })));
//! gdal_readers::enable();
//! // Now read through GDAL: the file is missing, and the error says so.
//! assert!(matches!(read_vector(path, None), Err(qpv::Error::Io { .. })));
//! ```

use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};

use super::vector::VectorLayer;

/// The GDAL readers, once enabled.
pub(crate) struct GdalReaders {
    /// One layer: by name, else the only one ([`super::gdal_source::read_gdal`]).
    pub(crate) read_layer: fn(&Path, Option<&str>) -> Result<VectorLayer>,
    /// One layer by name, or all ([`super::gdal_source::read_layers`]).
    pub(crate) read_layers: fn(&Path, Option<&str>) -> Result<Vec<VectorLayer>>,
}

static READERS: OnceLock<GdalReaders> = OnceLock::new();

/// Lets this program read files through GDAL (links GDAL into it).
pub fn enable() {
    READERS.get_or_init(|| GdalReaders {
        read_layer: super::gdal_source::read_gdal,
        read_layers: super::gdal_source::read_layers,
    });
}

/// Whether [`enable`] was called.
pub fn enabled() -> bool {
    READERS.get().is_some()
}

/// The readers, or [`Error::NeedsGdal`] naming `path` when GDAL is not enabled.
pub(crate) fn gdal_readers(path: &Path) -> Result<&'static GdalReaders> {
    READERS.get().ok_or_else(|| Error::NeedsGdal {
        path: path.to_path_buf(),
    })
}
