//! CSV dialects: plain (`,`, `.` decimals, UTF-8 without BOM: what programs read) and
//! `excel-fr` (`;`, decimal commas, UTF-8 with BOM: what Excel set up for French opens
//! with columns and numbers on a double click). Only the numbers qpv writes get a decimal
//! comma; text (input columns, names, "12.5 m" inside a text cell) is written as it is.
//!
//! # Examples
//!
//! ```
//! use qpv::output::csv_style::CsvStyle;
//! use serde_json::json;
//!
//! let mut out = Vec::new();
//! {
//!     let mut csv = CsvStyle::ExcelFr.writer(&mut out).unwrap();
//!     csv.write_record(["code_qp", "share"]).unwrap();
//!     let row = [json!("QN09007N"), json!(0.1281)];
//!     csv.write_record(row.iter().map(|v| CsvStyle::ExcelFr.cell(v))).unwrap();
//! }
//! assert_eq!(out, "\u{feff}code_qp;share\nQN09007N;0,1281\n".as_bytes());
//! ```

use std::borrow::Cow;
use std::io::Write;

use serde_json::Value;

use super::OutputFormat;
use crate::error::{Error, Result};

/// The CSV dialect (`--csv-style`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CsvStyle {
    /// `,` separator, `.` decimals, UTF-8 without BOM.
    #[default]
    Plain,
    /// `;` separator, decimal commas, UTF-8 with a byte-order mark (Excel, French settings).
    ExcelFr,
}

impl CsvStyle {
    /// The field separator.
    pub fn delimiter(self) -> u8 {
        match self {
            CsvStyle::Plain => b',',
            CsvStyle::ExcelFr => b';',
        }
    }

    /// A CSV writer of this dialect over `w`; writes the BOM first when the dialect has one.
    pub fn writer<W: Write>(self, mut w: W) -> Result<csv::Writer<W>> {
        if self == CsvStyle::ExcelFr {
            w.write_all("\u{feff}".as_bytes())
                .map_err(|e| Error::io("<output>", e))?;
        }
        Ok(csv::WriterBuilder::new()
            .delimiter(self.delimiter())
            .from_writer(w))
    }

    /// How a value is spelt in a cell of this dialect (numbers with a decimal comma in
    /// `excel-fr`; text cells that a spreadsheet would run as formulas neutralised; everything
    /// else as [`cell_text`]).
    pub fn cell(self, v: &Value) -> Cow<'_, [u8]> {
        match (self, v) {
            // Text that a spreadsheet would run as a formula is written as text.
            (_, Value::String(s)) => super::csv_record::neutralise_formula(s.as_bytes()),
            (CsvStyle::ExcelFr, Value::Number(n)) => {
                Cow::Owned(n.to_string().replace('.', ",").into_bytes())
            }
            _ => Cow::Owned(cell_text(v).into_bytes()),
        }
    }

    /// Refuses a non-plain dialect for a format that is not CSV (it would be ignored).
    pub fn for_format(self, format: OutputFormat) -> Result<Self> {
        if self != CsvStyle::Plain && format != OutputFormat::Csv {
            return Err(Error::usage(
                "--csv-style applies to CSV output only",
                "add --format csv (or -o FILE.csv), or drop --csv-style",
            ));
        }
        Ok(self)
    }
}

/// How a value shows in a cell: text as is, numbers as JSON writes them, null empty,
/// arrays and objects as compact JSON.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn excel_fr_quotes_fields_holding_semicolons_only() {
        let mut out = Vec::new();
        {
            let mut csv = CsvStyle::ExcelFr.writer(&mut out).unwrap();
            let row = [
                json!("a; b"),
                json!("1,5"),
                json!(-2.25),
                json!(3),
                Value::Null,
            ];
            csv.write_record(row.iter().map(|v| CsvStyle::ExcelFr.cell(v)))
                .unwrap();
        }
        // A comma no longer needs quotes; a semicolon does.
        assert_eq!(out, "\u{feff}\"a; b\";1,5;-2,25;3;\n".as_bytes());
    }

    #[test]
    fn only_csv_takes_a_style() {
        assert!(CsvStyle::ExcelFr.for_format(OutputFormat::Json).is_err());
        assert_eq!(
            CsvStyle::ExcelFr.for_format(OutputFormat::Csv).unwrap(),
            CsvStyle::ExcelFr
        );
        assert_eq!(
            CsvStyle::Plain.for_format(OutputFormat::Json).unwrap(),
            CsvStyle::Plain
        );
    }
}
