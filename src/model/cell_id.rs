//! The INSPIRE id of a cell written the canonical way, as numbers.
//!
//! `CRS3035RES200mN2730200E4079600` (decimal integers without sign or leading zero, as INSEE
//! writes them) is four numbers; the text is exactly what the numbers print, so a grid of
//! millions of cells keeps 8 bytes a cell for its ids instead of 30.

/// A canonical id as numbers: `(crs, size)` and the corner `(north, east)`, each below 10⁹.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanonicalId {
    /// EPSG code.
    pub crs: u32,
    /// Cell size, m.
    pub size: u32,
    /// `N` (northing of the lower-left corner), m.
    pub north: u32,
    /// `E` (easting of the lower-left corner), m.
    pub east: u32,
}

impl CanonicalId {
    /// Reads `CRS<crs>RES<size>mN<north>E<east>` with canonical decimal integers of at most 9
    /// digits; `None` for any other text (which may still be an id: see the module).
    ///
    /// ```
    /// use qpv::model::CanonicalId;
    /// let id = CanonicalId::parse("CRS3035RES200mN2730200E4079600").unwrap();
    /// assert_eq!((id.crs, id.size, id.north, id.east), (3035, 200, 2730200, 4079600));
    /// assert_eq!(CanonicalId::parse("CRS3035RES200mN2730200E04079600"), None);
    /// assert_eq!(CanonicalId::parse(" CRS3035RES200mN2730200E4079600"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        // Fast path, same answer: every id of INSEE's 200 m grid of metropolitan France.
        let b = text.as_bytes();
        if b.len() == FILOSOFI_LEN
            && b[..FILOSOFI.len()] == *FILOSOFI
            && b[FILOSOFI_E] == b'E'
            && let (Some(north), Some(east)) = (
                seven_digits(&b[FILOSOFI.len()..FILOSOFI_E]),
                seven_digits(&b[FILOSOFI_E + 1..]),
            )
        {
            return Some(CanonicalId {
                crs: 3035,
                size: 200,
                north,
                east,
            });
        }
        Self::parse_general(b)
    }

    /// [`Self::parse`] of any text.
    fn parse_general(text: &[u8]) -> Option<Self> {
        let rest = text.strip_prefix(b"CRS")?;
        let (crs, rest) = integer(rest)?;
        let rest = rest.strip_prefix(b"RES")?;
        let (size, rest) = integer(rest)?;
        let rest = rest.strip_prefix(b"mN")?;
        let (north, rest) = integer(rest)?;
        let rest = rest.strip_prefix(b"E")?;
        let (east, rest) = integer(rest)?;
        rest.is_empty().then_some(CanonicalId {
            crs,
            size,
            north,
            east,
        })
    }

    /// The id of the `corner_key` of a `(crs, size)` pair.
    pub fn from_corner_key(crs: u32, size: u32, key: u64) -> Self {
        CanonicalId {
            crs,
            size,
            north: (key >> 32) as u32,
            east: key as u32,
        }
    }

    /// Appends the id's text: exactly the text it was read from.
    ///
    /// ```
    /// use qpv::model::CanonicalId;
    /// let text = "CRS3035RES200mN2730200E4079600";
    /// let mut out = Vec::new();
    /// CanonicalId::parse(text).unwrap().write(&mut out);
    /// assert_eq!(out, text.as_bytes());
    /// ```
    pub fn write(self, out: &mut Vec<u8>) {
        use super::short_copy::push_short;
        // Fast path, same text: an id of INSEE's 200 m grid of metropolitan France, written
        // whole on the stack and appended at once.
        let seven = 1_000_000..10_000_000;
        if self.crs == 3035
            && self.size == 200
            && seven.contains(&self.north)
            && seven.contains(&self.east)
        {
            let mut text = [0u8; FILOSOFI_LEN];
            text[..FILOSOFI.len()].copy_from_slice(FILOSOFI);
            put_seven_digits(&mut text[FILOSOFI.len()..FILOSOFI_E], self.north);
            text[FILOSOFI_E] = b'E';
            put_seven_digits(&mut text[FILOSOFI_E + 1..], self.east);
            out.extend_from_slice(&text);
            return;
        }
        let mut digits = itoa::Buffer::new();
        out.extend_from_slice(b"CRS");
        push_short(out, digits.format(self.crs).as_bytes());
        out.extend_from_slice(b"RES");
        push_short(out, digits.format(self.size).as_bytes());
        out.extend_from_slice(b"mN");
        push_short(out, digits.format(self.north).as_bytes());
        out.push(b'E');
        push_short(out, digits.format(self.east).as_bytes());
    }

    /// The corner as one number (unique within a `(crs, size)` pair).
    pub fn corner_key(self) -> u64 {
        (u64::from(self.north) << 32) | u64::from(self.east)
    }
}

impl std::fmt::Display for CanonicalId {
    /// The id's text, as [`CanonicalId::write`] appends it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CRS{}RES{}mN{}E{}",
            self.crs, self.size, self.north, self.east
        )
    }
}

/// The start of every id of INSEE's 200 m grid of metropolitan France, up to the northing.
const FILOSOFI: &[u8; 15] = b"CRS3035RES200mN";

/// Where the `E` of such an id is: after the prefix and the seven digits of the northing.
const FILOSOFI_E: usize = FILOSOFI.len() + 7;

/// The length of such an id: the prefix, seven digits, `E`, seven digits.
const FILOSOFI_LEN: usize = FILOSOFI_E + 1 + 7;

/// Seven digits, the first not a zero (a canonical integer of seven digits), as a number.
fn seven_digits(b: &[u8]) -> Option<u32> {
    if b.len() != 7 || b[0] == b'0' {
        return None;
    }
    b.iter().try_fold(0u32, |v, &c| {
        let digit = c.wrapping_sub(b'0');
        (digit <= 9).then_some(v * 10 + u32::from(digit))
    })
}

/// Writes `v` (below 10⁷) as seven digits into `to`.
fn put_seven_digits(to: &mut [u8], mut v: u32) {
    for slot in to.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// A canonical decimal integer (no sign, no leading zero, 1 to 9 digits) at the start of
/// `bytes`, and the bytes after it.
fn integer(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 || (digits > 1 && bytes[0] == b'0') {
        return None;
    }
    let value = bytes[..digits]
        .iter()
        .fold(0u32, |v, &b| v * 10 + u32::from(b - b'0'));
    Some((value, &bytes[digits..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Seven digits, the first not a zero, mostly; else one change away: a leading zero, a
    /// sign or a space instead of a digit, a digit more or less.
    fn seven_digits_or_near() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[1-9][0-9]{6}",
            1 => "0[0-9]{6}",
            1 => "[1-9][0-9]{0,5}[+ ][0-9]{0,5}",
            1 => "[1-9][0-9]{5}",
            1 => "[1-9][0-9]{7}",
        ]
    }

    proptest! {
        // Oracle: the text read. Every canonical id prints back as read; any text that is not
        // canonical (leading zeros, signs, other letters) is refused.
        #[test]
        fn canonical_ids_print_back_as_read(
            crs in 0u32..1_000_000_000,
            size in 0u32..1_000_000_000,
            north in 0u32..1_000_000_000,
            east in 0u32..1_000_000_000,
            zero in any::<bool>(),
        ) {
            let text = format!("CRS{crs}RES{size}mN{north}E{east}");
            let id = CanonicalId::parse(&text).unwrap();
            prop_assert_eq!((id.crs, id.size, id.north, id.east), (crs, size, north, east));
            let mut out = Vec::new();
            id.write(&mut out);
            prop_assert_eq!(&out, text.as_bytes());
            prop_assert_eq!(id.to_string(), text.clone());
            let key = CanonicalId::from_corner_key(crs, size, id.corner_key());
            prop_assert_eq!(key, id);
            let padded = format!("CRS{crs}RES{size}mN{}{north}E{east}", if zero { "0" } else { "+" });
            prop_assert_eq!(CanonicalId::parse(&padded), None);
        }

        // Oracle: the general reader, and the general writer (`Display`). The ids of the fast
        // path, and texts one character away from them (another digit, a leading zero, a
        // sign, another letter, a digit more or less).
        #[test]
        fn the_fast_path_reads_and_writes_as_the_general_one(
            north in seven_digits_or_near(),
            east in seven_digits_or_near(),
            letter in prop::sample::select(vec!['E', 'E', 'E', 'e', 'x']),
        ) {
            let text = format!("CRS3035RES200mN{north}{letter}{east}");
            let id = CanonicalId::parse(&text);
            prop_assert_eq!(id, CanonicalId::parse_general(text.as_bytes()));
            if let Some(id) = id {
                let mut out = Vec::new();
                id.write(&mut out);
                prop_assert_eq!(&out, text.as_bytes());
                prop_assert_eq!(id.to_string(), text);
            }
        }

        #[test]
        fn the_fast_writer_writes_what_display_writes(north in 0u32..20_000_000, east in 0u32..20_000_000) {
            let id = CanonicalId { crs: 3035, size: 200, north, east };
            let mut out = Vec::new();
            id.write(&mut out);
            prop_assert_eq!(String::from_utf8(out).unwrap(), id.to_string());
        }
    }
}
