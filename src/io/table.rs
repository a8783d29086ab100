//! Delimited text tables as French users have them: `,` or `;` (or tab) separators detected,
//! UTF-8 with or without BOM, or Windows-1252 (what Excel writes in France) detected and decoded,
//! read as a stream so that files of millions of rows never sit in memory.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::line_limit::{
    LineDecoder, LineLimit, LineTooLong, MAX_HEADER_BYTES, MAX_LINE_BYTES, MixedEncoding,
};
use crate::error::{Error, Location, Result};

/// How to read a table.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Field separator; detected from the first line when `None`.
    pub delimiter: Option<u8>,
    /// Column names to use when the file has no header line (BANO); `None` = first line is
    /// the header.
    pub headers: Option<Vec<String>>,
}

/// One data row with its 1-based line number in the file.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line number (the header is line 1).
    pub line: u64,
    /// The fields, decoded to UTF-8.
    pub fields: csv::StringRecord,
}

/// A streaming reader over a delimited text file.
pub struct TableReader {
    path: PathBuf,
    headers: Vec<String>,
    encoding: &'static Encoding,
    delimiter: u8,
    reader: csv::Reader<Box<dyn Read + Send>>,
}

/// How many bytes are sniffed for encoding and separator.
const SNIFF_BYTES: usize = 64 * 1024;

impl TableReader {
    /// Opens a file.
    pub fn open(path: &Path, options: &TableOptions) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Self::from_reader(path, Box::new(file), options)
    }

    /// Reads from bytes already in memory (embedded data, tests); `name` is used in errors.
    pub fn from_bytes(name: &Path, bytes: Vec<u8>, options: &TableOptions) -> Result<Self> {
        Self::from_reader(name, Box::new(Cursor::new(bytes)), options)
    }

    pub(crate) fn from_reader(
        path: &Path,
        raw: Box<dyn Read + Send>,
        options: &TableOptions,
    ) -> Result<Self> {
        let mut buffered = BufReader::with_capacity(SNIFF_BYTES, raw);
        let sample = buffered
            .fill_buf()
            .map_err(|e| Error::io(path, e))?
            .to_vec();
        if sample.is_empty() {
            return Err(Error::input(
                path,
                Location::File,
                "the file is empty",
                "give a CSV file with a header line and at least one data row",
            ));
        }
        if looks_binary(&sample) {
            return Err(Error::input(
                path,
                Location::File,
                "this is not a text table (binary bytes found)",
                "export the sheet as CSV (UTF-8 or 'CSV (séparateur: point-virgule)') and give that file",
            ));
        }
        let encoding = sniff_encoding(&sample);
        let decoded_sample = decode_lossy(encoding, &sample);
        let first_line = decoded_sample.lines().next().unwrap_or_default();
        let delimiter = match options.delimiter {
            Some(d) => d,
            None => sniff_delimiter(first_line),
        };
        // One encoding for the whole file, line by line (issue 11: mixed rows were garbled).
        let decoder = LineDecoder::new(BufReader::new(LineLimit::new(
            buffered,
            MAX_HEADER_BYTES,
            MAX_LINE_BYTES,
        )));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(options.headers.is_none())
            .flexible(true)
            .from_reader(Box::new(decoder) as Box<dyn Read + Send>);
        let headers = match &options.headers {
            Some(h) => h.clone(),
            None => {
                let h = reader.headers().map_err(|e| csv_error(path, e))?;
                h.iter().map(|s| s.trim().to_string()).collect()
            }
        };
        if let Some(e) = duplicate_column(path, &headers) {
            return Err(e);
        }
        Ok(TableReader {
            path: path.to_path_buf(),
            headers,
            encoding,
            delimiter,
            reader,
        })
    }

    /// The file's path (or embedded name).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Column names, trimmed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The text encoding detected (`UTF-8` or `windows-1252`).
    pub fn encoding(&self) -> &'static str {
        self.encoding.name()
    }

    /// The field separator used.
    pub fn delimiter(&self) -> char {
        self.delimiter as char
    }

    /// Index of the first column whose name matches one of `candidates`, compared without case,
    /// accents, spaces, `_` or `-` (so `Code postal`, `code_postal` and `CODE-POSTAL` match).
    pub fn find_column(&self, candidates: &[&str]) -> Option<usize> {
        find_column(&self.headers, candidates)
    }

    /// Index of the column named `name` (same loose comparison), or an error listing the
    /// columns that exist.
    pub fn require_column(&self, name: &str, what: &str) -> Result<usize> {
        self.find_column(&[name]).ok_or_else(|| {
            Error::input(
                &self.path,
                Location::Column(name.to_string()),
                format!("no column '{name}' for {what}"),
                format!("columns are: {}", self.headers.join(", ")),
            )
        })
    }

    /// The next row, with its line number; `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<Row>> {
        let mut record = csv::StringRecord::new();
        let line = self.read_into(&mut record)?;
        Some(line.map(|line| Row {
            line,
            fields: record,
        }))
    }

    /// Reads the next row into `record`, reusing its memory (no allocation per row once the
    /// record is large enough); returns its line number, `None` at the end.
    pub fn read_into(&mut self, record: &mut csv::StringRecord) -> Option<Result<u64>> {
        match self.reader.read_record(record) {
            Ok(false) => None,
            // csv counts lines from 1 and includes the header line, as users do.
            Ok(true) => Some(Ok(record.position().map_or(0, |p| p.line()))),
            Err(e) => Some(Err(csv_error(&self.path, e))),
        }
    }
}

impl Iterator for TableReader {
    type Item = Result<Row>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_row()
    }
}

/// When a header has a single column that looks like several names glued by an unusual
/// separator (`id:lon:lat`), the error to give instead of "missing column".
pub fn unknown_separator(path: &Path, headers: &[String]) -> Option<Error> {
    let [only] = headers else { return None };
    let sep = only
        .chars()
        .find(|c| !c.is_alphanumeric() && !matches!(c, '_' | '-' | ' ' | '\'' | '"' | '.'))?;
    Some(Error::input(
        path,
        Location::Line(1),
        format!(
            "the header is one single column '{only}': the separator '{sep}' is not one this tool reads"
        ),
        "save the table as CSV with ',' or ';' (or tab or '|') between columns",
    ))
}

/// Loose column-name comparison key: lower case, no accents, no separators.
pub fn column_key(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter_map(|c| {
            let c = fold_accent(c.to_lowercase().next().unwrap_or(c));
            (c.is_alphanumeric()).then_some(c)
        })
        .collect()
}

/// Two columns with the same name (ignoring surrounding spaces): which one a reader or a user
/// means is unknowable, so the file is refused, naming both positions.
fn duplicate_column(path: &Path, headers: &[String]) -> Option<Error> {
    for (j, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(i) = headers[..j].iter().position(|g| g == h) {
            return Some(Error::input(
                path,
                Location::Line(1),
                format!(
                    "the column '{h}' appears twice (columns {} and {})",
                    i + 1,
                    j + 1
                ),
                "rename or remove one of them: every column needs its own name",
            ));
        }
    }
    None
}

/// See [`TableReader::find_column`].
pub fn find_column(headers: &[String], candidates: &[&str]) -> Option<usize> {
    let keys: Vec<String> = headers.iter().map(|h| column_key(h)).collect();
    candidates.iter().find_map(|c| {
        let k = column_key(c);
        keys.iter().position(|h| *h == k)
    })
}

pub use crate::model::text::fold_accent;

/// Parses a number the way French spreadsheets write it: `6.85`, `6,85`, ` 1 234,5 `.
/// Returns `None` for empty text, words, NaN and infinities.
///
/// ```
/// use qpv::io::table::parse_number;
/// assert_eq!(parse_number("6,85"), Some(6.85));
/// assert_eq!(parse_number(" 989031.8 "), Some(989031.8));
/// assert_eq!(parse_number("1 234,5"), Some(1234.5));
/// assert_eq!(parse_number("NaN"), None);
/// ```
#[inline]
pub fn parse_number(text: &str) -> Option<f64> {
    // Fastest path, same answer: a plain count (every value of a Filosofi grid), inlined
    // where numbers are read.
    match plain_integer(text.as_bytes()) {
        Some(v) => Some(v),
        None => parse_number_general(text),
    }
}

/// [`parse_number`] of any text.
#[inline(never)]
fn parse_number_general(text: &str) -> Option<f64> {
    // Fast path, same answer: without spaces, commas or non-ASCII bytes, the filtering and
    // comma replacement below leave the trimmed text as it is (no String built per field).
    let trimmed = trim_field(text);
    if trimmed
        .bytes()
        .all(|b| b.is_ascii() && b != b' ' && b != b',')
    {
        if let Some(v) = plain_decimal(trimmed.as_bytes()) {
            return Some(v);
        }
        if trimmed.is_empty() {
            return None;
        }
        let v: f64 = trimmed.parse().ok()?;
        return v.is_finite().then_some(v);
    }
    parse_number_spaced(text)
}

/// `text.trim()`, without looking for Unicode spaces when the text starts and ends with a
/// visible ASCII character (every field of a national grid).
///
/// ```
/// use qpv::io::table::trim_field;
/// assert_eq!(trim_field(" 12,5\u{a0}"), "12,5");
/// assert_eq!(trim_field("CRS3035"), "CRS3035");
/// ```
pub fn trim_field(text: &str) -> &str {
    let b = text.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        text
    } else {
        text.trim()
    }
}

/// 1 to 15 ASCII digits and nothing else, read exactly: an integer below 2^53 is an `f64`
/// exactly, so this is what `str::parse` gives; anything else returns `None`.
#[inline]
fn plain_integer(b: &[u8]) -> Option<f64> {
    if b.is_empty() || b.len() > 15 {
        return None;
    }
    let mut n: u64 = 0;
    for &c in b {
        let digit = c.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + u64::from(digit);
    }
    Some(n as f64)
}

/// `[-]digits[.digits]` with at most 15 significant digits and 22 decimals, read exactly:
/// the digits make an integer below 2^53 and 10^decimals is exact too, so one division gives
/// the correctly rounded value, the same as `str::parse` (Clinger's fast path). Coordinates
/// written with 7 decimals take this path; anything else returns `None`.
#[inline]
pub(crate) fn plain_decimal(b: &[u8]) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0usize;
    let mut decimals: Option<usize> = None;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            }
            b'.' if decimals.is_none() && count > 0 => decimals = Some(0),
            _ => return None,
        }
        if count > 15 {
            return None;
        }
    }
    let decimals = decimals.unwrap_or(0);
    if count == 0 || (decimals == 0 && digits.last() == Some(&b'.')) || decimals > 22 {
        return None;
    }
    let v = mantissa as f64 / POW10[decimals];
    Some(if negative { -v } else { v })
}

/// [`parse_number`] of any text: thousands separators (spaces) dropped, a lone decimal comma
/// read as a point.
fn parse_number_spaced(text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if t.is_empty() {
        return None;
    }
    let t = if t.contains(',') && !t.contains('.') && t.matches(',').count() == 1 {
        t.replace(',', ".")
    } else {
        t
    };
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(long) = io.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>())
    {
        let what = if long.line == 1 {
            "header line"
        } else {
            "line"
        };
        return Error::input(
            path,
            Location::Line(long.line),
            format!(
                "the {what} is longer than {} MiB: this is not a table qpv can read",
                long.limit >> 20
            ),
            "check that the file has line breaks and the right separator, or shorten the field",
        );
    }
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(mixed) = io.get_ref().and_then(|e| e.downcast_ref::<MixedEncoding>())
    {
        return Error::input(
            path,
            Location::Line(mixed.line),
            mixed.to_string(),
            "re-save the whole file in one encoding (LibreOffice/Excel: CSV UTF-8) and give it again",
        );
    }
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let location = if line > 0 {
        Location::Line(line)
    } else {
        Location::File
    };
    Error::input(
        path,
        location,
        format!("cannot read the table: {e}"),
        "check that quotes are balanced and the file is a CSV export",
    )
}

fn looks_binary(sample: &[u8]) -> bool {
    sample.contains(&0)
        || sample
            .iter()
            .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
            .count()
            > sample.len() / 100 + 1
}

/// UTF-8 when the sample decodes as UTF-8 (a cut multi-byte character at the end is allowed),
/// else Windows-1252, the superset of Latin-1 that Excel writes in France.
fn sniff_encoding(sample: &[u8]) -> &'static Encoding {
    let body = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    match std::str::from_utf8(body) {
        Ok(_) => UTF_8,
        Err(e) if e.error_len().is_none() && body.len() == SNIFF_BYTES => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

fn decode_lossy(encoding: &'static Encoding, bytes: &[u8]) -> String {
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// The most frequent of `;`, `,`, tab and `|` outside quotes in the header line (`,` when none).
fn sniff_delimiter(line: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == b) {
            slot.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| *d)
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> (TableReader, Vec<Row>) {
        let mut t =
            TableReader::from_bytes(Path::new("t.csv"), bytes.to_vec(), &TableOptions::default())
                .unwrap();
        let rows = t.by_ref().collect::<Result<Vec<_>>>().unwrap();
        (t, rows)
    }

    #[test]
    fn semicolon_latin1_with_decimal_comma() {
        let (t, rows) = read(b"nom;x;y\nCr\xe8che Ren\xe9;6,85;47,63\n");
        assert_eq!(t.delimiter(), ';');
        assert_eq!(t.encoding(), "windows-1252");
        assert_eq!(&rows[0].fields[0], "Crèche René");
        assert_eq!(parse_number(&rows[0].fields[1]), Some(6.85));
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn utf8_bom_and_comma() {
        let (t, rows) = read("\u{feff}Nom,Longitude\n\"A, b\",6.8\n".as_bytes());
        assert_eq!(t.headers(), ["Nom", "Longitude"]);
        assert_eq!(t.delimiter(), ',');
        assert_eq!(&rows[0].fields[0], "A, b");
        assert_eq!(t.find_column(&["longitude"]), Some(1));
    }

    #[test]
    fn column_names_compare_loosely() {
        let h = vec!["Code Postal".to_string(), "Numéro".to_string()];
        assert_eq!(find_column(&h, &["code_postal"]), Some(0));
        assert_eq!(find_column(&h, &["NUMERO"]), Some(1));
    }

    proptest::proptest! {
        // Oracle: the general path, which every text took before the fast path existed.
        #[test]
        fn fast_number_path_gives_the_general_answer(
            text in "[ \u{a0}\u{202f}\t]{0,2}[-+]?[0-9 ,.eE]{0,8}(inf|NaN|x)?[ \u{a0}\t]{0,2}"
        ) {
            let general = parse_number_spaced(&text);
            proptest::prop_assert_eq!(parse_number(&text).map(f64::to_bits), general.map(f64::to_bits));
        }

        #[test]
        fn plain_integers_are_read_as_the_standard_parser_reads_them(text in "[0-9]{0,20}") {
            let general = parse_number_spaced(&text);
            proptest::prop_assert_eq!(parse_number(&text).map(f64::to_bits), general.map(f64::to_bits));
            proptest::prop_assert_eq!(plain_integer(text.as_bytes()).map(f64::to_bits), text.parse::<f64>().ok().filter(|_| !text.is_empty() && text.len() <= 15).map(f64::to_bits));
        }

        #[test]
        fn plain_decimals_are_read_as_the_standard_parser_reads_them(
            text in "[0-9]{0,17}[.]?[0-9]{0,17}"
        ) {
            let general = parse_number_spaced(&text);
            proptest::prop_assert_eq!(parse_number(&text).map(f64::to_bits), general.map(f64::to_bits));
        }
    }

    #[test]
    fn empty_and_binary_are_errors() {
        let e = TableReader::from_bytes(Path::new("e.csv"), vec![], &TableOptions::default());
        assert!(e.err().unwrap().to_string().contains("empty"));
        let b = TableReader::from_bytes(
            Path::new("b.csv"),
            vec![0, 1, 2, 3],
            &TableOptions::default(),
        );
        assert!(b.err().unwrap().to_string().contains("binary"));
    }
}
