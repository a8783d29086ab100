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
//! assert!(PlainText::from_bytes(b"n\n\"1\"\n".to_vec()).is_none());
//! ```

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::line_limit::MAX_LINE_BYTES;

/// Blocks per thread: enough that a thread slowed by another process leaves its share to the
/// others, few enough that each block's start-up costs nothing.
const BLOCKS_PER_THREAD: usize = 8;

/// A whole file in memory whose data lines (after the header line) are plain text.
#[derive(Debug)]
pub struct PlainText {
    bytes: Vec<u8>,
    /// Where the line after the header starts.
    data: usize,
}

impl PlainText {
    /// The file at `path`, when it is plain (see the module); `None` otherwise, or when it
    /// cannot be read.
    pub fn read(path: &Path) -> Option<PlainText> {
        Self::from_bytes(std::fs::read(path).ok()?)
    }

    /// `bytes` when they are a plain file (see the module).
    pub fn from_bytes(bytes: Vec<u8>) -> Option<PlainText> {
        let header_end = memchr::memchr(b'\n', &bytes)?;
        let header = &bytes[..header_end];
        let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
        // The header record must be the first line, whole: not empty (the CSV reader would
        // skip it), no quote (a quoted field may span lines), no lone `\r` (a line ending).
        let header = header.strip_suffix(b"\r").unwrap_or(header);
        if header.is_empty() || memchr::memchr2(b'"', b'\r', header).is_some() {
            return None;
        }
        let text = PlainText {
            data: header_end + 1,
            bytes,
        };
        let plain = text
            .cuts(BLOCKS_PER_THREAD * rayon::current_num_threads().max(1))
            .par_windows(2)
            .all(|w| plain_lines(&text.bytes[w[0]..w[1]]));
        plain.then_some(text)
    }

    /// Block boundaries: `blocks + 1` offsets at most, from the data start to the end, each at
    /// a line start.
    fn cuts(&self, blocks: usize) -> Vec<usize> {
        let (start, end) = (self.data, self.bytes.len());
        let step = ((end - start) / blocks.max(1)).max(1);
        let mut cuts = vec![start];
        let mut at = start;
        while at < end {
            let target = (at + step).min(end);
            at = match memchr::memchr(b'\n', &self.bytes[target - 1..]) {
                Some(i) => target + i,
                None => end,
            };
            cuts.push(at);
        }
        cuts
    }

    /// Calls `row` on the fields (split at `delimiter`) of every non-empty data line, in file
    /// order within each block, the blocks shared among the threads. Each thread has its
    /// own state made by `worker`, each block its own result made by `block` (given the
    /// block's size in bytes); the results come in file order. Blocks are taken in file order:
    /// a thread's state has seen only rows before those of the block it works on. `None` as
    /// soon as `row` returns `false` for any row.
    pub fn blocks<W, B: Send>(
        &self,
        delimiter: u8,
        worker: impl Fn() -> W + Sync,
        block: impl Fn(&mut W, usize) -> B + Sync,
        row: impl Fn(&mut W, &mut B, &[&str]) -> bool + Sync,
    ) -> Option<Vec<B>> {
        let threads = rayon::current_num_threads().max(1);
        let cuts = self.cuts(BLOCKS_PER_THREAD * threads);
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let parse = |w: &mut W, b: usize| -> Option<B> {
            let bytes = &self.bytes[cuts[b]..cuts[b + 1]];
            let text = std::str::from_utf8(bytes).ok()?;
            let mut out = block(w, bytes.len());
            let mut fields: Vec<&str> = Vec::with_capacity(32);
            for line in text.split('\n') {
                let line = line.strip_suffix('\r').unwrap_or(line);
                if line.is_empty() {
                    continue;
                }
                fields.clear();
                fields.extend(line.split(delimiter as char));
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
                let mut done = Vec::new();
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b + 1 >= cuts.len() || failed.load(Ordering::Relaxed) {
                        return Some(done);
                    }
                    match parse(&mut w, b) {
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

/// Whether whole lines are plain: ASCII, no quote, `\r` only before `\n`, none too long.
fn plain_lines(bytes: &[u8]) -> bool {
    if !bytes.is_ascii() || memchr::memchr(b'"', bytes).is_some() {
        return false;
    }
    let mut crs = memchr::memchr_iter(b'\r', bytes);
    if crs.all(|i| bytes.get(i + 1) == Some(&b'\n'))
        && bytes
            .split(|&b| b == b'\n')
            .all(|line| line.len() <= MAX_LINE_BYTES)
    {
        return true;
    }
    false
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

    fn blocked(text: &PlainText) -> Vec<Vec<String>> {
        let blocks = text
            .blocks(
                b',',
                || (),
                |_, _| Vec::new(),
                |_, out: &mut Vec<Vec<String>>, fields| {
                    out.push(fields.iter().map(|f| f.to_string()).collect());
                    true
                },
            )
            .unwrap();
        blocks.into_iter().flatten().collect()
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
            "[a-z]{1,3}(,[a-z]{1,3}){0,3}",
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
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn plain_files_give_the_records_of_the_csv_reader(bytes in file()) {
            let plain = PlainText::from_bytes(bytes.clone());
            let text = String::from_utf8_lossy(&bytes).to_string();
            let expect_plain = !text.contains('"') && text.is_ascii()
                && !text.replace("\r\n", "").contains('\r');
            prop_assert_eq!(plain.is_some(), expect_plain, "{:?}", text);
            if let Some(plain) = plain {
                prop_assert_eq!(blocked(&plain), general(&bytes), "{:?}", text);
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
        assert!(plain.cuts(16).len() > 2);
        assert_eq!(blocked(&plain), general(text.as_bytes()));
    }

    #[test]
    fn a_header_only_file_has_no_rows_and_odd_headers_are_not_plain() {
        let plain = PlainText::from_bytes(b"a,b\n".to_vec()).unwrap();
        assert!(blocked(&plain).is_empty());
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
