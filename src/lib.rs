//! `qpv`: priority-geography analysis for French urban policy (politique de la ville).
//!
//! Data flows one way: [`io`] reads files into the typed [`model`] (always in a metric CRS,
//! Lambert-93 by default, through [`crs`]); `index` builds spatial indexes once; `analysis`
//! answers questions with plain functions; `output` writes tables, CSV, JSON, GeoJSON and
//! GeoPackage. The `qpv` binary is a thin layer over this library.
#![deny(missing_docs)]

pub mod analysis;
pub mod crs;
pub mod error;
pub mod geocode;
pub mod geometry;
pub mod index;
pub mod io;
pub mod model;
pub mod output;
#[cfg(test)]
mod test_random;

pub use error::{Error, ErrorKind, Location, Result};
