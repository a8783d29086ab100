//! The geocoding columns, defined once: `qpv geocode` and `qpv locate --addresses` append the
//! same columns, spelt the same, for the same address.
//!
//! | column | meaning |
//! |---|---|
//! | `lon`, `lat` | WGS84 position, rounded to 7 decimals (about 1 cm) |
//! | `x`, `y` | position in the working CRS (EPSG:2154 by default), rounded to the cm |
//! | `precision` | `housenumber`, `interpolated`, `street` or `not_found` |
//! | `score` | confidence of the text match, 0–1, 2 decimals |
//! | `uncertainty_m` | how far the true address may lie, in metres (0 for `housenumber`) |
//! | `corrected` | `true` when the street was found outside the postcode/commune given |
//! | `matched` | the matched address as the reference spells it |
//! | `reason` | why nothing was found, or where a corrected street was found |
//!
//! How each value is spelt (rounding, JSON numbers, CSV text) is the output layer's part:
//! `qpv::output::geocoded`.

/// The geocoding columns, in order.
pub const GEOCODING_COLUMNS: [&str; 10] = [
    "lon",
    "lat",
    "x",
    "y",
    "precision",
    "score",
    "uncertainty_m",
    "corrected",
    "matched",
    "reason",
];
