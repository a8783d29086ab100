//! A bound on the length of one line of a text table, so that a file without line breaks (or a
//! 50 MB header line) is refused with its line number instead of being held whole in memory by
//! the CSV parser, field by field.
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

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for chunk in buf[..n].split_inclusive(|&b| b == b'\n') {
            let ends_line = chunk.last() == Some(&b'\n');
            self.length += chunk.len() - usize::from(ends_line);
            let limit = if self.line == 1 {
                self.header_limit
            } else {
                self.line_limit
            };
            if self.length > limit {
                let line = self.line;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    LineTooLong { line, limit },
                ));
            }
            if ends_line {
                self.line += 1;
                self.length = 0;
            }
        }
        Ok(n)
    }
}
