//! The one rule for spelling numbers in every output: a value is rounded to a fixed number of
//! decimals per column (half away from zero), negative zero becomes `0` (a value that rounds
//! to zero from below is printed `0`, never `-0`), and the rounded value is written in its
//! shortest form (`1.5`, `1.0` in JSON and CSV, `12` where a report prints integers).
//! Non-finite values have no spelling: they become null (an empty CSV cell).
//!
//! # Examples
//!
//! ```
//! use qpv::output::number::{round, json};
//! assert_eq!(round(2.345_678, 2), 2.35);
//! assert_eq!(round(-0.001, 2).to_string(), "0"); // not "-0"
//! assert_eq!(json(-0.004, 2).to_string(), "0.0"); // not "-0.0"
//! assert_eq!(json(f64::NAN, 2), serde_json::Value::Null);
//! ```

use serde_json::Value;

/// `v` rounded to `decimals` decimals, half away from zero, without negative zero.
#[inline]
pub fn round(v: f64, decimals: i32) -> f64 {
    let s = 10f64.powi(decimals);
    // Adding +0.0 turns -0.0 into +0.0 and leaves every other value unchanged.
    (v * s).round() / s + 0.0
}

/// [`round`] as a JSON number; null when `v` is not finite.
pub fn json(v: f64, decimals: i32) -> Value {
    serde_json::Number::from_f64(round(v, decimals)).map_or(Value::Null, Value::Number)
}

/// [`json`] of a value that may be absent (null).
pub fn json_opt(v: Option<f64>, decimals: i32) -> Value {
    v.map_or(Value::Null, |v| json(v, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_is_zero_everywhere() {
        for v in [-0.0, -0.004, -1e-12] {
            assert!(round(v, 2).is_sign_positive(), "{v}");
            assert_eq!(json(v, 2).to_string(), "0.0");
        }
    }

    #[test]
    fn half_away_from_zero() {
        // 0.125 and 2.5 are exact in binary, so the tie is real.
        assert_eq!(round(0.125, 2), 0.13);
        assert_eq!(round(-0.125, 2), -0.13);
        assert_eq!(round(2.5, 0), 3.0);
    }

    #[test]
    fn non_finite_is_null() {
        assert_eq!(json(f64::INFINITY, 1), Value::Null);
        assert_eq!(json_opt(None, 1), Value::Null);
        assert_eq!(json_opt(Some(1.25), 1).to_string(), "1.3");
    }
}
