//! Duplicate INSPIRE cell ids, found without a string per cell: a national grid holds millions
//! of ids, and hashing each as a `String` with SipHash was a fifth of the time of reading it.
//!
//! An id written the canonical way (`CRS3035RES200mN2730200E4079600`: decimal integers without
//! sign or leading zero, as INSEE writes them) is one number per (CRS, size) pair: two canonical
//! ids are the same text exactly when they have the same numbers. Any other spelling that
//! `qpv::io::grid::parse_inspire_id` still accepts (`RES200.0m`, `N02730200`, …) is kept as
//! text, in a set of its own: a canonical and a non-canonical id are never the same text, so
//! "same id" still means "same text", as before.
//!
//! # Examples
//!
//! ```
//! use qpv::io::grid_key::SeenIds;
//! let mut seen = SeenIds::default();
//! assert!(seen.insert("CRS3035RES200mN2730200E4079600"));
//! assert!(seen.insert("CRS3035RES200mN02730200E4079600")); // other text: another id
//! assert!(!seen.insert("CRS3035RES200mN2730200E4079600"));
//! assert!(!seen.insert("CRS3035RES200mN02730200E4079600"));
//! ```

use std::collections::{HashMap, HashSet};

use foldhash::fast::FixedState;

pub use crate::model::CanonicalId;

/// The corners met in one `(crs, size)` pair. Corners on the pair's own lattice (multiples of
/// the size, every INSEE cell) are bits of 8 × 8 blocks of cells: neighbouring rows of a file
/// touch the same few blocks, so the set stays small and in cache; other corners are kept as
/// numbers.
#[derive(Debug, Default)]
struct Corners {
    blocks: HashMap<u64, u64, FixedState>,
    off_lattice: HashSet<u64, FixedState>,
}

impl Corners {
    /// Records the corner of `id`; `false` when it was already there.
    fn insert(&mut self, id: CanonicalId) -> bool {
        let on_lattice =
            id.size > 0 && id.north.is_multiple_of(id.size) && id.east.is_multiple_of(id.size);
        if !on_lattice {
            return self.off_lattice.insert(id.corner_key());
        }
        let (row, col) = (id.north / id.size, id.east / id.size);
        let block = (u64::from(row >> 3) << 32) | u64::from(col >> 3);
        let bit = 1u64 << ((row & 7) * 8 + (col & 7));
        let bits = self.blocks.entry(block).or_insert(0);
        let fresh = *bits & bit == 0;
        *bits |= bit;
        fresh
    }
}

/// The ids met so far.
#[derive(Debug, Default)]
pub struct SeenIds {
    /// Canonical ids: the corners of each `(crs, size)` pair (a file has one, usually).
    canonical: Vec<((u32, u32), Corners)>,
    /// Every other spelling, as text.
    other: HashSet<String, FixedState>,
}

impl SeenIds {
    /// Records `id` (trimmed text); `false` when it was already there.
    pub fn insert(&mut self, id: &str) -> bool {
        match CanonicalId::parse(id) {
            Some(c) => self.insert_canonical(c),
            None => self.other.insert(id.to_string()),
        }
    }

    /// Records an id already read by [`CanonicalId::parse`]; `false` when it was already there.
    pub fn insert_canonical(&mut self, id: CanonicalId) -> bool {
        let pair = (id.crs, id.size);
        let slot = match self.canonical.iter().position(|(p, _)| *p == pair) {
            Some(i) => i,
            None => {
                self.canonical.push((pair, Corners::default()));
                self.canonical.len() - 1
            }
        };
        self.canonical[slot].1.insert(id)
    }
}

/// The ids of a whole file, checked for duplicates once the file has been read: a sort of
/// one number per canonical id instead of a set probed per row (a national file lists its
/// cells in no spatial order, so that every probe of a set misses the cache). Whether two ids
/// are the same is decided as [`SeenIds`] decides it (same text), but not where: callers
/// that must name the first duplicate read the file again with [`SeenIds`].
///
/// ```
/// use qpv::io::grid_key::{CanonicalId, IdLedger};
/// let mut ids = IdLedger::default();
/// for text in ["CRS3035RES200mN2730200E4079600", "CRS3035RES200mN02730200E4079600"] {
///     ids.record(CanonicalId::parse(text), text);
/// }
/// assert!(!ids.has_duplicates());
/// ids.record(CanonicalId::parse("CRS3035RES200mN2730200E4079600"), "CRS3035RES200mN2730200E4079600");
/// assert!(ids.has_duplicates());
/// ```
#[derive(Debug, Default)]
pub struct IdLedger {
    /// Canonical ids: the corners of each `(crs, size)` pair.
    canonical: Vec<((u32, u32), Vec<u64>)>,
    /// Every other spelling, as text.
    other: Vec<String>,
    /// Room to make for the first pair's corners.
    room: usize,
}

impl IdLedger {
    /// Records one id: `canonical` when [`CanonicalId::parse`] read it, else its `text`.
    pub fn record(&mut self, canonical: Option<CanonicalId>, text: &str) {
        let Some(id) = canonical else {
            self.other.push(text.to_string());
            return;
        };
        let pair = (id.crs, id.size);
        let slot = match self.canonical.iter().position(|(p, _)| *p == pair) {
            Some(i) => i,
            None => {
                let room = std::mem::take(&mut self.room);
                self.canonical.push((pair, Vec::with_capacity(room)));
                self.canonical.len() - 1
            }
        };
        self.canonical[slot].1.push(id.corner_key());
    }

    /// Makes room for `ids` canonical ids of the first `(crs, size)` pair met (a file has
    /// one, usually), so that the list is not copied as it grows.
    pub fn reserve(&mut self, ids: usize) {
        self.room = ids;
    }

    /// Whether an id was recorded twice: the corners of each `(crs, size)` pair are marked in
    /// a bit per cell of their extent when they lie on one lattice of that size and the
    /// extent is at most 64 bits per id (`repeated_on_lattice`); otherwise (and for other
    /// spellings) the ids are sorted, in parallel.
    pub fn has_duplicates(&self) -> bool {
        repeated_in(&[self])
    }

    /// Whether an id was recorded twice in all of `parts` (the parts of one file), as one
    /// ledger of them all would say, without copying the corners into one list when they lie
    /// on a lattice: every part marks its corners in one bitmap, in parallel. Only the pairs
    /// that must be sorted are joined.
    pub fn parts_have_duplicates(parts: &[IdLedger]) -> bool {
        repeated_in(&parts.iter().collect::<Vec<_>>())
    }
}

/// [`IdLedger::parts_have_duplicates`] of `parts`.
fn repeated_in(parts: &[&IdLedger]) -> bool {
    use rayon::slice::ParallelSliceMut;
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (pair, _) in parts.iter().flat_map(|p| &p.canonical) {
        if !pairs.contains(pair) {
            pairs.push(*pair);
        }
    }
    let repeated = pairs.iter().any(|&pair| {
        let lists: Vec<&[u64]> = parts
            .iter()
            .flat_map(|p| &p.canonical)
            .filter(|(p, _)| *p == pair)
            .map(|(_, keys)| keys.as_slice())
            .collect();
        repeated_on_lattice(&lists, pair.1).unwrap_or_else(|| {
            let mut keys = lists.concat();
            keys.par_sort_unstable();
            keys.windows(2).any(|w| w[0] == w[1])
        })
    });
    repeated || {
        let mut other: Vec<&str> = parts
            .iter()
            .flat_map(|p| p.other.iter().map(String::as_str))
            .collect();
        other.par_sort_unstable();
        other.windows(2).any(|w| w[0] == w[1])
    }
}

/// Whether a corner key ([`CanonicalId::corner_key`]) occurs twice in `lists`, read from a
/// bitmap of the cells of their extent (about 3 MB for the 2.3 M cells of a national grid,
/// where sorting 8 bytes an id took a tenth of `access`'s CPU time), the lists marked in
/// parallel blocks (an atomic bit test-and-set per corner); `None` when a corner is off the
/// lattice of `size` m through the smallest corners, or when the extent holds more than 64
/// cells per id (then sort).
fn repeated_on_lattice(lists: &[&[u64]], size: u32) -> Option<bool> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    /// Corners per parallel task.
    const BLOCK: usize = 1 << 15;
    let (north, east) = (|k: u64| k >> 32, |k: u64| k & u64::from(u32::MAX));
    let size = u64::from(size);
    let count: usize = lists.iter().map(|l| l.len()).sum();
    if count < 2 {
        return Some(false);
    }
    if size == 0 {
        return None;
    }
    let blocks = || lists.par_iter().flat_map(|l| l.par_chunks(BLOCK));
    let (n0, n1, e0, e1) = blocks()
        .map(|block| {
            block
                .iter()
                .fold((u64::MAX, 0, u64::MAX, 0), |(n0, n1, e0, e1), &k| {
                    (
                        n0.min(north(k)),
                        n1.max(north(k)),
                        e0.min(east(k)),
                        e1.max(east(k)),
                    )
                })
        })
        .reduce(
            || (u64::MAX, 0, u64::MAX, 0),
            |a, b| (a.0.min(b.0), a.1.max(b.1), a.2.min(b.2), a.3.max(b.3)),
        );
    // Cells of the extent (each side below 2^32; their product may overflow: then sort).
    let (rows, columns) = ((n1 - n0) / size + 1, (e1 - e0) / size + 1);
    let cells = rows.checked_mul(columns)?;
    if cells > 64 * count as u64 {
        return None;
    }
    let words = usize::try_from(cells.div_ceil(64)).ok()?;
    let seen: Vec<AtomicU64> = (0..words).map(|_| AtomicU64::new(0)).collect();
    // (a corner met twice, a corner off the lattice): a repeat found among corners on the
    // lattice is a repeat whatever the others are.
    let (repeated, off) = blocks()
        .map(|block| {
            for &k in block {
                let (dn, de) = (north(k) - n0, east(k) - e0);
                if dn % size != 0 || de % size != 0 {
                    return (false, true);
                }
                let cell = (dn / size) * columns + de / size;
                let (word, bit) = ((cell / 64) as usize, 1u64 << (cell % 64));
                if seen[word].fetch_or(bit, Ordering::Relaxed) & bit != 0 {
                    return (true, false);
                }
            }
            (false, false)
        })
        .reduce(|| (false, false), |a, b| (a.0 || b.0, a.1 || b.1));
    if repeated {
        Some(true)
    } else if off {
        None
    } else {
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // Oracle: one ledger that recorded every id of every part.
        #[test]
        fn joined_parts_have_duplicates_as_one_ledger_would(
            ids in proptest::collection::vec((0u32..3, 0u32..40, any::<bool>()), 0..60),
            cuts in proptest::collection::vec(0usize..60, 0..4),
        ) {
            let text = |(pair, n, odd): (u32, u32, bool)| {
                let zero = if odd { "0" } else { "" };
                format!("CRS3035RES{}mN{zero}{}E0", 200 * (pair + 1), 200 * n)
            };
            let mut one = IdLedger::default();
            let mut parts = vec![IdLedger::default()];
            for (i, id) in ids.into_iter().enumerate() {
                if cuts.contains(&i) {
                    parts.push(IdLedger::default());
                }
                let t = text(id);
                one.record(CanonicalId::parse(&t), &t);
                parts.last_mut().unwrap().record(CanonicalId::parse(&t), &t);
            }
            let expected = one.has_duplicates();
            prop_assert_eq!(IdLedger::parts_have_duplicates(&parts), expected);
        }
    }

    proptest! {
        // Oracle: a set of every key. Corners on and off the lattice, dense and sparse
        // extents, sizes that divide or not, so that both the bitmap and the sort answer.
        #[test]
        fn duplicates_are_found_as_a_set_finds_them(
            corners in proptest::collection::vec((0u32..30, 0u32..30, 0u32..4), 0..80),
            size in prop_oneof![Just(200u32), Just(1000u32), 1u32..500],
            spread in prop_oneof![Just(1u32), Just(50u32)],
            base in (0u32..3_000_000, 0u32..3_000_000),
        ) {
            let keys: Vec<u64> = corners
                .iter()
                .map(|&(n, e, off)| {
                    let off = if off == 0 { 7 } else { 0 };
                    let north = base.0 + n * size * spread + off;
                    let east = base.1 + e * size + off;
                    (u64::from(north) << 32) | u64::from(east)
                })
                .collect();
            let set: std::collections::HashSet<u64> = keys.iter().copied().collect();
            let ledger = IdLedger {
                canonical: vec![((3035, size), keys.clone())],
                ..IdLedger::default()
            };
            prop_assert_eq!(ledger.has_duplicates(), set.len() < keys.len());
            if let Some(found) = repeated_on_lattice(&[&keys], size) {
                prop_assert_eq!(found, set.len() < keys.len());
            }
        }
    }

    #[test]
    fn the_bitmap_answers_on_a_lattice_and_not_off_it() {
        let key = |n: u64, e: u64| (n << 32) | e;
        let lattice = [key(2_000_000, 4_000_000), key(2_000_200, 4_000_200)];
        assert_eq!(repeated_on_lattice(&[&lattice[..]], 200), Some(false));
        let twice = [lattice[0], lattice[1], lattice[0]];
        assert_eq!(repeated_on_lattice(&[&twice[..]], 200), Some(true));
        let off = [lattice[0], key(2_000_100, 4_000_000)];
        assert_eq!(repeated_on_lattice(&[&off[..]], 200), None);
        let sparse = [key(0, 0), key(200 * 1000, 200 * 1000)];
        assert_eq!(repeated_on_lattice(&[&sparse[..]], 200), None);
    }

    #[test]
    fn other_spellings_are_not_canonical() {
        for text in [
            "CRS3035RES200.0mN2730200E4079600",
            "CRS3035RES200mN+2730200E4079600",
            "CRS03035RES200mN2730200E4079600",
            "CRS3035RES200mN2730200E4079600 ",
            "CRS3035RES200mN2730200E1000000000",
            "CRS3035RES200mN2730200E",
            "CRS3035RES200mN2730200E4079600x",
            "crs3035RES200mN2730200E4079600",
        ] {
            assert_eq!(CanonicalId::parse(text), None, "{text}");
        }
    }

    proptest! {
        // Oracle: the old duplicate check, a set of the ids' text.
        #[test]
        fn same_id_means_same_text(
            ids in proptest::collection::vec(
                (0usize..3, 0usize..4, 0u32..10, 0u32..10, 0u32..2, any::<bool>()),
                1..120,
            )
        ) {
            let mut seen = SeenIds::default();
            let mut oracle = HashSet::new();
            for (crs, size, n, e, off, pad) in ids {
                let crs = ["3035", "2154", "03035"][crs];
                let size = ["200", "200.0", "1000", "0"][size];
                let pad = if pad { "0" } else { "" };
                let (n, e) = (2_730_200 + 200 * n, 4_079_600 + 200 * e + 7 * off);
                let text = format!("CRS{crs}RES{size}mN{pad}{n}E{e}");
                prop_assert_eq!(seen.insert(&text), oracle.insert(text.clone()), "{}", text);
            }
        }

        // Oracle: the set of the ids' text, as above; the ledger says only whether.
        #[test]
        fn ledger_finds_a_repeat_exactly_when_the_text_repeats(
            ids in proptest::collection::vec(
                (0usize..3, 0usize..3, 0u32..6, 0u32..6, any::<bool>()),
                1..60,
            ),
            reserve in any::<bool>(),
        ) {
            let mut ledger = IdLedger::default();
            if reserve {
                ledger.reserve(8);
            }
            let mut oracle = HashSet::new();
            let mut repeated = false;
            for (crs, size, n, e, pad) in ids {
                let crs = ["3035", "2154", "03035"][crs];
                let size = ["200", "200.0", "1000"][size];
                let pad = if pad { "0" } else { "" };
                let text = format!("CRS{crs}RES{size}mN{pad}{}E{}", 2_730_200 + 200 * n, 4_079_600 + 200 * e);
                ledger.record(CanonicalId::parse(&text), &text);
                repeated |= !oracle.insert(text);
            }
            prop_assert_eq!(ledger.has_duplicates(), repeated);
        }
    }
}
