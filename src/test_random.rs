//! The unit tests' pseudo-random numbers: Marsaglia's xorshift64, the same on every run.

/// Advances `x` one step and returns its new value (`x` must not be 0).
pub(crate) fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// The next number in [0, 1) from `x` (one [`xorshift`] step, its top 53 bits).
pub(crate) fn uniform(x: &mut u64) -> f64 {
    (xorshift(x) >> 11) as f64 / (1u64 << 53) as f64
}
