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
//! Numbers are JSON numbers in JSON-like outputs and spelt as JSON writes them in CSV
//! (shortest form: `6.849653`, `1.0`); empty values are null (empty in CSV).
//!
//! ```
//! use qpv::crs::Crs;
//! use qpv::geocode::columns::{GEOCODING_COLUMNS, geocoding_texts};
//! use qpv::geocode::{AddressIndex, AddressQuery};
//! let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
//! let g = index.geocode(&AddressQuery::text("12 r. Danton 90000 BELFORT"));
//! let texts = geocoding_texts(&g);
//! assert_eq!(texts.len(), GEOCODING_COLUMNS.len());
//! assert_eq!(texts[..6], ["6.849653", "47.625266", "989020.92", "6732033.77", "housenumber", "1.0"]);
//! ```

use serde_json::Value;

use super::matcher::Geocoded;
use crate::output::table::cell_text;

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

fn rounded(v: f64, decimals: i32) -> Value {
    let s = 10f64.powi(decimals);
    serde_json::Number::from_f64((v * s).round() / s + 0.0).map_or(Value::Null, Value::Number)
}

/// The values of [`GEOCODING_COLUMNS`] for one answer.
pub fn geocoding_values(g: &Geocoded) -> Vec<Value> {
    let pair = |c: Option<geo::Coord<f64>>, d: i32| {
        c.map_or([Value::Null, Value::Null], |c| {
            [rounded(c.x, d), rounded(c.y, d)]
        })
    };
    let mut values = Vec::with_capacity(GEOCODING_COLUMNS.len());
    values.extend(pair(g.lonlat, 7));
    values.extend(pair(g.point, 2));
    values.push(Value::String(g.precision.as_str().to_string()));
    values.push(rounded(g.score, 2));
    values.push(g.uncertainty_m.map_or(Value::Null, |u| rounded(u, 2)));
    values.push(Value::Bool(g.corrected));
    values.push(Value::String(g.label.clone()));
    values.push(Value::String(g.reason.clone()));
    values
}

/// [`geocoding_values`] as CSV cells ([`cell_text`]).
pub fn geocoding_texts(g: &Geocoded) -> Vec<String> {
    geocoding_values(g).iter().map(cell_text).collect()
}
