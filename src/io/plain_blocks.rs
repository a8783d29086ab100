//! A plain delimited text file read in blocks of lines on every core.
//!
//! A national grid is 80 MB of CSV: one thread splitting it into fields is most of the time
//! of `qpv access`. When the text after the header line is plain (ASCII, no quote character,
//! `\r` only as part of a `\r\n` line ending, no line over [`MAX_LINE_BYTES`]), a row is a
//! non-empty line and its fields are what lies between the separators: exactly the records
//! the CSV reader of [`super::table::TableReader`] gives for it (it skips empty lines, reads
//! `\r\n` as one line ending, and has no quoting to undo). Such a file is cut at line starts
//! into blocks, each parsed by one thread, the results kept in file order. Any other file is
//! `None`: the caller reads it the general way (which also names the line of any problem).
//!
//! # Examples
//!
//! ```
//! use qpv::io::plain_blocks::PlainText;
//! let text = PlainText::from_bytes(b"n,m\r\n1,2\r\n\r\n3,4\r\n".to_vec()).unwrap();
//! let sums = text
//!     .blocks(b',', || (), |_, _| 0u32, |_, sum, fields| {
//!         *sum += fields.iter().map(|f| f.parse::<u32>().unwrap()).sum::<u32>();
//!         true
//!     })
//!     .unwrap();
//! assert_eq!(sums.iter().sum::<u32>(), 10);
//! let quoted = PlainText::from_bytes(b"n\n\"1\"\n".to_vec()).unwrap();
//! assert!(quoted.blocks(b',', || (), |_, _| (), |_, _, _| true).is_none());
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::line_limit::{MAX_HEADER_BYTES, MAX_LINE_BYTES};

/// Blocks per thread: enough that a thread slowed by another process leaves its share to the
/// others, few enough that each block's start-up costs nothing.
const BLOCKS_PER_THREAD: usize = 8;

/// Where the text is: a file, read block by block by each thread (never held whole), or bytes.
#[derive(Debug)]
enum Source {
    File(File),
    Bytes(Vec<u8>),
}

impl Source {
    /// Reads into `buf` from `offset` as many bytes as there are, up to its length.
    fn read_at(&self, buf: &mut [u8], offset: usize) -> Option<usize> {
        match self {
            Source::File(f) => {
                let mut done = 0;
                while done < buf.len() {
                    match f.read_at(&mut buf[done..], (offset + done) as u64) {
                        Ok(0) => break,
                        Ok(n) => done += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(_) => return None,
                    }
                }
                Some(done)
            }
            Source::Bytes(b) => {
                let from = offset.min(b.len());
                let n = buf.len().min(b.len() - from);
                buf[..n].copy_from_slice(&b[from..from + n]);
                Some(n)
            }
        }
    }
}

/// A text file whose header line is a plain first line, to be read in blocks of lines (which
/// are checked to be plain as they are read).
#[derive(Debug)]
pub struct PlainText {
    source: Source,
    /// Where the line after the header starts.
    data: usize,
    /// Length of the whole text.
    len: usize,
}

impl PlainText {
    /// The file at `path`, when its header is plain (see the module); `None` otherwise, or
    /// when it cannot be read.
    pub fn read(path: &Path) -> Option<PlainText> {
        let file = File::open(path).ok()?;
        let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
        let mut first = Vec::new();
        BufReader::new((&file).take(MAX_HEADER_BYTES as u64 + 4))
            .read_until(b'\n', &mut first)
            .ok()?;
        Self::new(Source::File(file), &first, len)
    }

    /// `bytes` when their header is plain (see the module).
    pub fn from_bytes(bytes: Vec<u8>) -> Option<PlainText> {
        let first = bytes[..memchr::memchr(b'\n', &bytes)? + 1].to_vec();
        let len = bytes.len();
        Self::new(Source::Bytes(bytes), &first, len)
    }

    /// The text of `source` whose first line (with its `\n`) is `first`, when that line is a
    /// plain header.
    fn new(source: Source, first: &[u8], len: usize) -> Option<PlainText> {
        let header = first.strip_suffix(b"\n")?;
        let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
        // The header record must be the first line, whole: not empty (the CSV reader would
        // skip it), no quote (a quoted field may span lines), no lone `\r` (a line ending).
        let header = header.strip_suffix(b"\r").unwrap_or(header);
        if header.is_empty() || memchr::memchr2(b'"', b'\r', header).is_some() {
            return None;
        }
        Some(PlainText {
            source,
            data: first.len(),
            len,
        })
    }

    /// Nominal block starts, from the data start to the end: block `b` holds the lines that
    /// start from `nominal[b]` (a line starting exactly there included) to before those
    /// starting from `nominal[b + 1]`.
    fn nominal(&self, blocks: usize) -> Vec<usize> {
        let (start, end) = (self.data, self.len);
        let step = ((end - start) / blocks.max(1)).max(1);
        let mut cuts: Vec<usize> = (start..end).step_by(step).collect();
        cuts.push(end);
        cuts
    }

    /// The bytes of block `b` of `nominal` into `buf`, and where its lines start and end in
    /// it; `None` when it cannot be read or its lines are not plain.
    fn block(&self, nominal: &[usize], b: usize, buf: &mut Vec<u8>) -> Option<(usize, usize)> {
        // From the byte before the nominal start: a line starts at the nominal start exactly
        // when that byte is a `\n`.
        let (from, to) = (nominal[b] - 1, nominal[b + 1]);
        buf.resize(to - from, 0);
        if self.source.read_at(buf, from)? != buf.len() {
            return None;
        }
        // Then on to the end of the line that runs over the nominal end.
        let mut end = memchr::memchr(b'\n', &buf[to - from - 1..]).map(|i| to - from + i);
        while end.is_none() && from + buf.len() < self.len {
            if buf.len() > (to - from) + MAX_LINE_BYTES + 2 {
                return None;
            }
            let old = buf.len();
            buf.resize(old + (64 << 10), 0);
            let n = self.source.read_at(&mut buf[old..], from + old)?;
            buf.truncate(old + n);
            if n == 0 {
                // Shorter than when opened: let the general reader say what it reads.
                return None;
            }
            end = memchr::memchr(b'\n', &buf[old..]).map(|i| old + i + 1);
        }
        let end = end.unwrap_or(buf.len());
        let start = memchr::memchr(b'\n', &buf[..end]).map_or(end, |i| i + 1);
        plain_lines(&buf[start..end]).then_some((start, end))
    }

    /// Calls `row` on the fields (split at `delimiter`) of every non-empty data line, in file
    /// order within each block, the blocks shared among the threads. Each thread has its
    /// own state made by `worker`, each block its own result made by `block` (given the
    /// block's size in bytes); the results come in file order. Blocks are taken in file order:
    /// a thread's state has seen only rows before those of the block it works on. `None` as
    /// soon as a block is not plain or `row` returns `false` for any row.
    pub fn blocks<W, B: Send>(
        &self,
        delimiter: u8,
        worker: impl Fn() -> W + Sync,
        block: impl Fn(&mut W, usize) -> B + Sync,
        row: impl Fn(&mut W, &mut B, &[&str]) -> bool + Sync,
    ) -> Option<Vec<B>> {
        let threads = rayon::current_num_threads().max(1);
        let nominal = self.nominal(BLOCKS_PER_THREAD * threads);
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let parse = |w: &mut W, b: usize, buf: &mut Vec<u8>| -> Option<B> {
            let (start, end) = self.block(&nominal, b, buf)?;
            let text = std::str::from_utf8(&buf[start..end]).ok()?;
            let mut out = block(w, text.len());
            let mut fields: Vec<&str> = Vec::with_capacity(32);
            let mut line_start = 0;
            for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
                let line = &text[line_start..end];
                line_start = end + 1;
                let line = line.strip_suffix('\r').unwrap_or(line);
                if line.is_empty() {
                    continue;
                }
                split_fields(line, delimiter, &mut fields);
                if !row(w, &mut out, &fields) {
                    return None;
                }
            }
            Some(out)
        };
        let done: Vec<Vec<(usize, B)>> = (0..threads)
            .into_par_iter()
            .map(|_| {
                let mut w = worker();
                let mut buf = Vec::new();
                let mut done = Vec::new();
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b + 1 >= nominal.len() || failed.load(Ordering::Relaxed) {
                        return Some(done);
                    }
                    match parse(&mut w, b, &mut buf) {
                        Some(out) => done.push((b, out)),
                        None => {
                            failed.store(true, Ordering::Relaxed);
                            return None;
                        }
                    }
                }
            })
            .collect::<Option<_>>()?;
        let mut all: Vec<(usize, B)> = done.into_iter().flatten().collect();
        all.sort_unstable_by_key(|(b, _)| *b);
        Some(all.into_iter().map(|(_, out)| out).collect())
    }
}

/// The fields of an ASCII `line` between the `delimiter`s, into `fields` (what
/// `line.split(delimiter)` gives). The separators of each run of 64 bytes are found at once,
/// eight bytes at a time ([`zero_bytes`]), as the bits of one number, then taken in order:
/// one hard-to-predict branch per 64 bytes instead of one per byte.
fn split_fields<'a>(line: &'a str, delimiter: u8, fields: &mut Vec<&'a str>) {
    fields.clear();
    let bytes = line.as_bytes();
    let pattern = u64::from_ne_bytes([delimiter; 8]);
    // The separators of 8 bytes as the low 8 bits (byte k at bit k).
    let separators = |word: u64| -> u64 {
        (zero_bytes(word ^ pattern) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
    };
    let mut start = 0;
    let mut base = 0;
    while base < bytes.len() {
        let end = (base + 64).min(bytes.len());
        let mut found = 0u64;
        let mut at = base;
        while at + 8 <= end {
            let w = &bytes[at..at + 8];
            let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            found |= separators(word) << (at - base);
            at += 8;
        }
        if at < end {
            // The last bytes of the line, the rest of the word zero (never a separator).
            let word = bytes[at..end]
                .iter()
                .enumerate()
                .fold(0u64, |w, (k, &b)| w | u64::from(b) << (8 * k));
            found |= separators(word) << (at - base);
        }
        while found != 0 {
            let at = base + found.trailing_zeros() as usize;
            fields.push(&line[start..at]);
            start = at + 1;
            found &= found - 1;
        }
        base = end;
    }
    fields.push(&line[start..]);
}

/// The high bit of each byte of `x` that is zero, and no other bit (exact: no carry from one
/// byte into the next, unlike the shorter `(x - 0x01..) & !x & 0x80..`).
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Whether whole lines are plain: ASCII, no quote, `\r` only before `\n`, none too long.
fn plain_lines(bytes: &[u8]) -> bool {
    if !bytes.is_ascii() || memchr::memchr(b'"', bytes).is_some() {
        return false;
    }
    let mut crs = memchr::memchr_iter(b'\r', bytes);
    if !crs.all(|i| bytes.get(i + 1) == Some(&b'\n')) {
        return false;
    }
    // The lines between the `\n`s (the last one after the last), found by `memchr`.
    let mut start = 0;
    memchr::memchr_iter(b'\n', bytes)
        .chain([bytes.len()])
        .all(|end| {
            let short = end - start <= MAX_LINE_BYTES;
            start = end + 1;
            short
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::table::{TableOptions, TableReader};
    use proptest::prelude::*;

    /// Oracle: the records of the general reader ([`TableReader`], the `csv` crate), fields
    /// as text.
    fn general(bytes: &[u8]) -> Vec<Vec<String>> {
        let table = TableReader::from_bytes(
            Path::new("t.csv"),
            bytes.to_vec(),
            &TableOptions {
                delimiter: Some(b','),
                headers: None,
            },
        )
        .unwrap();
        table
            .map(|r| r.unwrap().fields.iter().map(String::from).collect())
            .collect()
    }

    fn blocked(text: &PlainText) -> Option<Vec<Vec<String>>> {
        let blocks = text.blocks(
            b',',
            || (),
            |_, _| Vec::new(),
            |_, out: &mut Vec<Vec<String>>, fields| {
                out.push(fields.iter().map(|f| f.to_string()).collect());
                true
            },
        )?;
        Some(blocks.into_iter().flatten().collect())
    }

    /// Lines of fields, sometimes empty, with `\n` or `\r\n` endings, sometimes a last line
    /// without an ending, sometimes something that is not plain.
    fn file() -> impl Strategy<Value = Vec<u8>> {
        let line = prop_oneof![
            8 => "[a-z0-9 ,.]{0,12}",
            1 => Just(String::new()),
            1 => Just("x\ry".to_string()),
            1 => Just("\"a,b\",c".to_string()),
            1 => Just("é,1".to_string()),
        ];
        (
            // Distinct column names (the reader refuses a header naming one twice).
            (1usize..5).prop_map(|n| {
                (0..n)
                    .map(|i| format!("c{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            }),
            proptest::collection::vec((line, any::<bool>()), 0..300),
            any::<bool>(),
        )
            .prop_map(|(header, lines, last)| {
                let mut text = format!("{header}\n");
                let n = lines.len();
                for (i, (line, crlf)) in lines.into_iter().enumerate() {
                    text.push_str(&line);
                    if i + 1 < n || last {
                        text.push_str(if crlf { "\r\n" } else { "\n" });
                    }
                }
                text.into_bytes()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        // Oracle: `str::split`. Lines of every length around the 8-byte words, separators
        // (and bytes differing from them by one bit, or with the high bit) anywhere.
        #[test]
        fn fields_are_those_of_split(line in "[,;a\\-\u{2c}\u{0c}\u{2d}\u{3b}\u{00}0-9]{0,150}") {
            for delimiter in [b',', b';'] {
                let mut fields = Vec::new();
                split_fields(&line, delimiter, &mut fields);
                let expected: Vec<&str> = line.split(char::from(delimiter)).collect();
                prop_assert_eq!(fields, expected);
            }
        }
    }

    #[test]
    fn zero_bytes_marks_exactly_the_zero_bytes() {
        for x in [
            0u64,
            u64::MAX,
            0x0100_0001_8000_ff00,
            0x8080_8080_8080_8080,
            0x0101_0101_0101_0101,
        ] {
            let expected = (0..8).fold(0u64, |m, k| {
                if (x >> (8 * k)) & 0xff == 0 {
                    m | 0x80 << (8 * k)
                } else {
                    m
                }
            });
            assert_eq!(zero_bytes(x), expected, "{x:#018x}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn plain_files_give_the_records_of_the_csv_reader(bytes in file()) {
            let rows = PlainText::from_bytes(bytes.clone()).and_then(|p| blocked(&p));
            let text = String::from_utf8_lossy(&bytes).to_string();
            let expect_plain = !text.contains('"') && text.is_ascii()
                && !text.replace("\r\n", "").contains('\r');
            prop_assert_eq!(rows.is_some(), expect_plain, "{:?}", text);
            if let Some(rows) = rows {
                prop_assert_eq!(rows, general(&bytes), "{:?}", text);
            }
        }
    }

    #[test]
    fn blocks_cut_at_line_starts_in_file_order() {
        let mut text = String::from("a,b\n");
        for i in 0..5000 {
            text.push_str(&format!("{i},{}\r\n", i * 2));
            if i % 7 == 0 {
                text.push('\n');
            }
        }
        let plain = PlainText::from_bytes(text.clone().into_bytes()).unwrap();
        assert!(plain.nominal(16).len() > 2);
        assert_eq!(blocked(&plain), Some(general(text.as_bytes())));
        // From a file, read block by block: the same.
        let path = std::env::temp_dir().join(format!("qpv-plain-{}.csv", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        let from_file = blocked(&PlainText::read(&path).unwrap());
        std::fs::remove_file(&path).unwrap();
        assert_eq!(from_file, Some(general(text.as_bytes())));
    }

    #[test]
    fn a_header_only_file_has_no_rows_and_odd_headers_are_not_plain() {
        let plain = PlainText::from_bytes(b"a,b\n".to_vec()).unwrap();
        assert_eq!(blocked(&plain), Some(vec![]));
        for odd in [
            &b"\na,b\n1,2\n"[..],
            b"a,b",
            b"\"a\",b\n1,2\n",
            b"a\rb\n1\n",
        ] {
            assert!(PlainText::from_bytes(odd.to_vec()).is_none(), "{odd:?}");
        }
    }

    #[test]
    fn a_refused_row_stops_every_block() {
        let mut text = String::from("a\n");
        for i in 0..20_000 {
            text.push_str(&format!("{i}\n"));
        }
        let plain = PlainText::from_bytes(text.into_bytes()).unwrap();
        let r = plain.blocks(b',', || (), |_, _| (), |_, _, f| f[0] != "12345");
        assert!(r.is_none());
    }
}
