//! Appending short byte strings (numbers, ids) without a call to `memcpy` each: a million-row
//! CSV appends millions of them, and a call per string costs more than the copy.

/// Appends `bytes` to `out`: the same as `out.extend_from_slice(bytes)`, with strings of up to
/// 32 bytes copied as two overlapping fixed-size pieces (which compile to a few moves)
/// instead of a call to `memcpy`.
///
/// ```
/// use qpv::model::short_copy::push_short;
/// let mut out = b"x=".to_vec();
/// push_short(&mut out, b"0.30000000000000004");
/// assert_eq!(out, b"x=0.30000000000000004");
/// ```
#[inline]
pub fn push_short(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    if n > 32 {
        out.extend_from_slice(bytes);
        return;
    }
    let start = out.len();
    out.extend_from_slice(&[0u8; 32]);
    let to = &mut out[start..start + 32];
    if n >= 16 {
        to[..16].copy_from_slice(&bytes[..16]);
        to[n - 16..n].copy_from_slice(&bytes[n - 16..]);
    } else if n >= 8 {
        to[..8].copy_from_slice(&bytes[..8]);
        to[n - 8..n].copy_from_slice(&bytes[n - 8..]);
    } else if n >= 4 {
        to[..4].copy_from_slice(&bytes[..4]);
        to[n - 4..n].copy_from_slice(&bytes[n - 4..]);
    } else {
        for (t, &b) in to.iter_mut().zip(bytes) {
            *t = b;
        }
    }
    out.truncate(start + n);
}

#[cfg(test)]
mod tests {
    use super::*;

    // Oracle: `extend_from_slice`, for every length from 0 to 40 after every prefix length.
    #[test]
    fn appends_what_extend_from_slice_appends() {
        let source: Vec<u8> = (0..40u8)
            .map(|b| b.wrapping_mul(37).wrapping_add(11))
            .collect();
        for before in 0..5 {
            for n in 0..=source.len() {
                let mut ours = vec![7u8; before];
                let mut theirs = ours.clone();
                push_short(&mut ours, &source[..n]);
                theirs.extend_from_slice(&source[..n]);
                assert_eq!(ours, theirs, "{before} + {n}");
            }
        }
    }
}
