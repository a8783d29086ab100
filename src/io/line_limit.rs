//! Line-by-line guards of a text table: a bound on the length of one line, so that a file
//! without line breaks (or a 50 MB header line) is refused with its line number instead of being
//! held whole in memory by the CSV parser, field by field; and one text encoding per file
//! ([`LineDecoder`]), so that rows in UTF-8 and in Latin-1 mixed in one file are refused with
//! the first odd line named instead of being garbled.
//!
//! # Examples
//!
//! ```
//! use std::io::Read;
//! use qpv::io::line_limit::{LineLimit, LineTooLong};
//!
//! let mut ok = String::new();
//! LineLimit::new("id,x\n1,2\n".as_bytes(), 8, 8).read_to_string(&mut ok).unwrap();
//! assert_eq!(ok, "id,x\n1,2\n");
//!
//! let mut long = String::new();
//! let e = LineLimit::new("id,x\n1,23456789\n".as_bytes(), 8, 8)
//!     .read_to_string(&mut long)
//!     .unwrap_err();
//! let too_long = e.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>()).unwrap();
//! assert_eq!((too_long.line, too_long.limit), (2, 8));
//! ```

use std::io::{self, Read};

/// Longest header line accepted: 1 MiB (tens of thousands of column names).
pub const MAX_HEADER_BYTES: usize = 1 << 20;

/// Longest data line accepted: 64 MiB (a row with a long WKT geometry still fits).
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// The error a [`LineLimit`] returns (inside an `io::Error`) for a line over its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTooLong {
    /// 1-based line number.
    pub line: u64,
    /// The limit in bytes.
    pub limit: usize,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} is longer than {} bytes", self.line, self.limit)
    }
}

impl std::error::Error for LineTooLong {}

/// A reader failing when a line (bytes between two `\n`) exceeds its limit: `header_limit` for
/// line 1, `line_limit` for the others.
#[derive(Debug)]
pub struct LineLimit<R> {
    inner: R,
    line: u64,
    length: usize,
    header_limit: usize,
    line_limit: usize,
}

impl<R: Read> LineLimit<R> {
    /// Wraps `inner`.
    pub fn new(inner: R, header_limit: usize, line_limit: usize) -> Self {
        LineLimit {
            inner,
            line: 1,
            length: 0,
            header_limit,
            line_limit,
        }
    }
}

impl<R> LineLimit<R> {
    /// The error for the current line, over `limit`.
    fn too_long(&self, limit: usize) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            LineTooLong {
                line: self.line,
                limit,
            },
        )
    }

    /// Counts the lines of `bytes` one by one, checking each against its limit.
    fn count_by_line(&mut self, bytes: &[u8]) -> io::Result<()> {
        for chunk in bytes.split_inclusive(|&b| b == b'\n') {
            let ends_line = chunk.last() == Some(&b'\n');
            self.length += chunk.len() - usize::from(ends_line);
            let limit = if self.line == 1 {
                self.header_limit
            } else {
                self.line_limit
            };
            if self.length > limit {
                return Err(self.too_long(limit));
            }
            if ends_line {
                self.line += 1;
                self.length = 0;
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let bytes = &buf[..n];
        // After the header, a buffer no longer than the limit can only hold complete lines
        // under it: only its first and last lines need a check, and its line breaks a count.
        if self.line == 1 || n > self.line_limit {
            self.count_by_line(bytes)?;
            return Ok(n);
        }
        match bytes.iter().rposition(|&b| b == b'\n') {
            None => self.length += n,
            Some(last) => {
                let first = bytes.iter().position(|&b| b == b'\n').unwrap_or(last);
                if self.length + first > self.line_limit {
                    return Err(self.too_long(self.line_limit));
                }
                self.line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                self.length = n - last - 1;
            }
        }
        if self.length > self.line_limit {
            return Err(self.too_long(self.line_limit));
        }
        Ok(n)
    }
}

/// Why a [`LineDecoder`] stopped (inside an `io::Error`): a line in another text encoding than
/// the lines before it, or in none qpv knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedEncoding {
    /// 1-based number of the offending line.
    pub line: u64,
    /// The first line with non-ASCII text, which set the file's encoding (`None` when the
    /// offending line is the first one).
    pub decided_at: Option<u64>,
    /// The file's encoding as set by `decided_at` ("UTF-8" or "windows-1252").
    pub encoding: &'static str,
}

impl std::fmt::Display for MixedEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.decided_at {
            Some(first) => write!(
                f,
                "this line is not {} text like line {first}: the file mixes text encodings",
                if self.encoding == "UTF-8" {
                    "UTF-8"
                } else {
                    "Latin-1 (Windows-1252)"
                }
            ),
            None => f.write_str("this line is neither UTF-8 nor Latin-1 (Windows-1252) text"),
        }
    }
}

impl std::error::Error for MixedEncoding {}

/// Bytes that Windows-1252 leaves undefined: a line holding one is not Windows-1252 text.
const UNDEFINED_IN_WINDOWS_1252: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Decodes a text table to UTF-8 line by line, with one encoding for the whole file: the
/// first line holding non-ASCII text sets it (UTF-8 when that line is valid UTF-8, else
/// Windows-1252, the superset of Latin-1 that Excel writes in France), and any later line in
/// the other encoding stops the reading with a [`MixedEncoding`] naming it, so that a file
/// whose rows were pasted from two sources is never garbled silently. A UTF-8 byte-order
/// mark is dropped and sets UTF-8.
///
/// # Examples
///
/// ```
/// use std::io::Read;
/// use qpv::io::line_limit::{LineDecoder, MixedEncoding};
///
/// let mut text = String::new();
/// LineDecoder::new(&b"nom\nB\xe9thonvilliers\n"[..]).read_to_string(&mut text).unwrap();
/// assert_eq!(text, "nom\nBéthonvilliers\n");
///
/// let e = LineDecoder::new(&b"nom\nD\xc3\xa9le\nB\xe9thonvilliers\n"[..])
///     .read_to_string(&mut text)
///     .unwrap_err();
/// let mixed = e.get_ref().and_then(|e| e.downcast_ref::<MixedEncoding>()).unwrap();
/// assert_eq!((mixed.line, mixed.decided_at), (3, Some(2)));
/// ```
#[derive(Debug)]
pub struct LineDecoder<R> {
    inner: R,
    /// The encoding and the line that set it.
    decided: Option<(&'static encoding_rs::Encoding, u64)>,
    /// Number of the next line to read.
    line: u64,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
}

impl<R: io::BufRead> LineDecoder<R> {
    /// Wraps `inner` (bound its lines first, e.g. with [`LineLimit`]).
    pub fn new(inner: R) -> Self {
        LineDecoder {
            inner,
            decided: None,
            line: 1,
            raw: Vec::new(),
            out: Vec::new(),
            pos: 0,
        }
    }

    /// The encoding set so far (`None` while every line was ASCII).
    pub fn encoding(&self) -> Option<&'static encoding_rs::Encoding> {
        self.decided.map(|(e, _)| e)
    }

    /// Reads and decodes the next line into `out`; false at the end.
    fn next_line(&mut self) -> io::Result<bool> {
        use encoding_rs::{UTF_8, WINDOWS_1252};
        self.raw.clear();
        self.out.clear();
        self.pos = 0;
        if self.inner.read_until(b'\n', &mut self.raw)? == 0 {
            return Ok(false);
        }
        let line = self.line;
        self.line += 1;
        let mut body = &self.raw[..];
        if line == 1
            && let Some(rest) = body.strip_prefix(b"\xEF\xBB\xBF")
        {
            body = rest;
            self.decided = Some((UTF_8, 1));
        }
        if body.is_ascii() {
            self.out.extend_from_slice(body);
            return Ok(true);
        }
        let found = if std::str::from_utf8(body).is_ok() {
            UTF_8
        } else if body.iter().any(|b| UNDEFINED_IN_WINDOWS_1252.contains(b)) {
            return Err(mixed(line, None, ""));
        } else {
            WINDOWS_1252
        };
        let (encoding, first) = *self.decided.get_or_insert((found, line));
        if encoding != found {
            return Err(mixed(line, Some(first), encoding.name()));
        }
        if found == UTF_8 {
            self.out.extend_from_slice(body);
        } else {
            let (text, _, _) = WINDOWS_1252.decode(body);
            self.out.extend_from_slice(text.as_bytes());
        }
        Ok(true)
    }
}

fn mixed(line: u64, decided_at: Option<u64>, encoding: &'static str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        MixedEncoding {
            line,
            decided_at,
            encoding,
        },
    )
}

impl<R: io::BufRead> LineDecoder<R> {
    /// Copies to `buf` the whole lines at the start of the inner buffer when they are all
    /// ASCII (text the same in every encoding, so nothing to decide or decode), counting them;
    /// 0 when there are none such (the caller then reads line by line).
    fn copy_ascii_lines(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.line == 1 {
            // The header may start with a byte-order mark.
            return Ok(0);
        }
        let available = self.inner.fill_buf()?;
        let take = &available[..available.len().min(buf.len())];
        let Some(last) = take.iter().rposition(|&b| b == b'\n') else {
            return Ok(0);
        };
        let lines = &take[..=last];
        if !lines.is_ascii() {
            return Ok(0);
        }
        buf[..lines.len()].copy_from_slice(lines);
        self.line += lines.iter().filter(|&&b| b == b'\n').count() as u64;
        let n = lines.len();
        self.inner.consume(n);
        Ok(n)
    }
}

impl<R: io::BufRead> Read for LineDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.out.len() {
            let n = self.copy_ascii_lines(buf)?;
            if n > 0 {
                return Ok(n);
            }
        }
        while self.pos == self.out.len() {
            if !self.next_line()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A reader handing out at most `step` bytes per call (the buffers of a real file vary).
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Lines of ASCII text, sometimes long, sometimes with `é` in UTF-8 or in Latin-1.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        let line = prop_oneof![
            6 => "[a-z0-9,]{0,12}".prop_map(String::into_bytes),
            1 => "[a-z]{20,40}".prop_map(String::into_bytes),
            1 => Just(b"D\xc3\xa9le".to_vec()),
            1 => Just(b"B\xe9thonvilliers".to_vec()),
        ];
        (proptest::collection::vec(line, 0..40), any::<bool>()).prop_map(|(lines, end)| {
            let mut text = lines.join(&b'\n');
            if end {
                text.push(b'\n');
            }
            text
        })
    }

    proptest! {
        /// The limiter fails exactly at the first line over its limit (counted independently,
        /// by splitting the whole text), whatever the sizes of the reads; else passes all.
        #[test]
        fn line_limit_fails_at_the_first_long_line(
            text in text(),
            step in 1usize..64,
            header_limit in 1usize..30,
            line_limit in 1usize..30,
        ) {
            let expected = text.split(|&b| b == b'\n').enumerate().find_map(|(i, line)| {
                let limit = if i == 0 { header_limit } else { line_limit };
                (line.len() > limit).then_some((i as u64 + 1, limit))
            });
            let mut out = Vec::new();
            let got = LineLimit::new(Trickle { bytes: &text, step }, header_limit, line_limit)
                .read_to_end(&mut out);
            match expected {
                None => prop_assert_eq!(out, text),
                Some((line, limit)) => {
                    let e = got.unwrap_err();
                    let e = e.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>()).unwrap();
                    prop_assert_eq!((e.line, e.limit), (line, limit));
                }
            }
        }

        /// The decoder gives the text of the encoding set by the first non-ASCII line, or fails
        /// at the first line in the other one (decided independently, line by line), whatever
        /// the sizes of the reads.
        #[test]
        fn decoder_decides_on_the_first_non_ascii_line(text in text(), step in 1usize..64) {
            let mut decided: Option<(bool, u64)> = None;
            let mut expected: std::result::Result<Vec<u8>, (u64, Option<u64>)> = Ok(Vec::new());
            for (i, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
                let n = i as u64 + 1;
                let utf8 = std::str::from_utf8(line).is_ok();
                if !line.is_ascii() {
                    let (first_utf8, first) = *decided.get_or_insert((utf8, n));
                    if first_utf8 != utf8 {
                        expected = Err((n, Some(first)));
                        break;
                    }
                }
                if let Ok(out) = &mut expected {
                    let (decoded, _, _) = if utf8 {
                        encoding_rs::UTF_8.decode(line)
                    } else {
                        encoding_rs::WINDOWS_1252.decode(line)
                    };
                    out.extend_from_slice(decoded.as_bytes());
                }
            }
            let reader = io::BufReader::with_capacity(step.max(8), Trickle { bytes: &text, step });
            let mut out = Vec::new();
            let got = LineDecoder::new(reader).read_to_end(&mut out);
            match expected {
                Ok(text) => {
                    prop_assert!(got.is_ok());
                    prop_assert_eq!(out, text);
                }
                Err((line, first)) => {
                    let e = got.unwrap_err();
                    let e = e.get_ref().and_then(|e| e.downcast_ref::<MixedEncoding>()).unwrap();
                    prop_assert_eq!((e.line, e.decided_at), (line, first));
                }
            }
        }
    }
}
