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

/// Appends `v` as `serde_json` writes it (its shortest round-trip form, `.0` on integers:
/// what `json!(v).to_string()` gives), without building a JSON value; nothing when `v` is not
/// finite (null: an empty CSV cell). For the writers of millions of numbers.
///
/// ```
/// let mut out = Vec::new();
/// qpv::output::number::push_json(&mut out, 12.0);
/// qpv::output::number::push_json(&mut out, f64::NAN);
/// qpv::output::number::push_json(&mut out, 0.1 + 0.2);
/// assert_eq!(out, b"12.00.30000000000000004");
/// ```
#[inline]
pub fn push_json(out: &mut Vec<u8>, v: f64) {
    // Fast path, same text: a whole number from 0 to 10^9 (a count of people, a score of 0)
    // is its digits and `.0`. A NaN fails `v < 1e9`; -0.0 is not sign-positive.
    if v.is_sign_positive() && v < 1e9 {
        let n = v as u32;
        if f64::from(n) == v {
            crate::model::short_copy::push_short(out, itoa::Buffer::new().format(n).as_bytes());
            out.extend_from_slice(b".0");
            return;
        }
    }
    // zmij's shortest form is what serde_json writes for a finite float.
    if v.is_finite() {
        crate::model::short_copy::push_short(out, zmij::Buffer::new().format_finite(v).as_bytes());
    }
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

    /// Oracle: `serde_json`. Whole numbers on both sides of the fast path's bounds, and
    /// values next to them that are not whole (random bits are rarely whole numbers).
    #[test]
    fn push_json_writes_whole_numbers_as_serde_json_does() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1e9,
            1e9 - 1.0,
            1e9 + 1.0,
            1e15,
            1e16,
            4294967296.0,
        ];
        values.extend([
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ]);
        for k in 0..=9 {
            let p = 10f64.powi(k);
            values.extend([
                p,
                p - 1.0,
                -p,
                p.next_up(),
                p.next_down(),
                12_345.0 * p / 1e4,
            ]);
        }
        values.extend((0..2000).map(f64::from));
        for v in values {
            let mut out = Vec::new();
            push_json(&mut out, v);
            let want = if v.is_finite() {
                serde_json::json!(v).to_string()
            } else {
                String::new()
            };
            assert_eq!(String::from_utf8(out).unwrap(), want, "{v:e}");
        }
    }

    #[test]
    fn half_away_from_zero() {
        // 0.125 and 2.5 are exact in binary, so the tie is real.
        assert_eq!(round(0.125, 2), 0.13);
        assert_eq!(round(-0.125, 2), -0.13);
        assert_eq!(round(2.5, 0), 3.0);
    }

    // Oracle: serde_json's own spelling of the number, on every kind of float.
    #[test]
    fn push_json_writes_what_serde_json_writes() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -12.0,
            0.1 + 0.2,
            1e21,
            1e-7,
            5e-324,
            f64::MAX,
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            values.push(f64::from_bits(crate::test_random::xorshift(&mut x)));
        }
        for v in values {
            let mut ours = Vec::new();
            push_json(&mut ours, v);
            let theirs = serde_json::Number::from_f64(v).map_or(String::new(), |n| n.to_string());
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{v:e}");
        }
    }

    #[test]
    fn non_finite_is_null() {
        assert_eq!(json(f64::INFINITY, 1), Value::Null);
        assert_eq!(json_opt(None, 1), Value::Null);
        assert_eq!(json_opt(Some(1.25), 1).to_string(), "1.3");
    }
}
