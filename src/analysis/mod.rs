//! Analyses: one algorithm per file, plain functions over model types, no I/O, no printing.

pub mod candidate;
pub mod eligibility;
pub mod interpolate;
pub mod perimeter;
pub mod simulate;
