//! Analyses: one algorithm per file, plain functions over model types and indexes, no I/O.

/// Chunked, parallel, order-preserving batch driver for streams of points.
pub mod batch;
/// Facility coverage of zones: counts inside and within D, nearest, covered area and population.
pub mod coverage;
/// Point location among zones: containing zone, signed distance, inside/near/outside.
pub mod locate;
/// k nearest facilities of points.
pub mod nearest;
