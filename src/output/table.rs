//! A neutral table (columns × JSON values) and its views: aligned text for a person, CSV for
//! spreadsheets, Markdown for reports.

use std::io::Write;

use serde_json::Value;

use super::csv_style::CsvStyle;
pub use super::csv_style::cell_text;
use super::report_html::{Lang, digits_in};
use crate::error::{Error, Result};

/// Rows of values under named columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Value>>,
    /// The language in which the views for people (aligned text, Markdown) write numbers:
    /// `Some(Lang::Fr)` writes `5\u{202f}227,4` for 5227.4; `None` (and CSV, always) as JSON
    /// does.
    pub number_lang: Option<Lang>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Table {
            columns: columns.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            number_lang: None,
        }
    }

    /// A value as the views for people write it ([`Self::number_lang`]).
    fn people_text(&self, v: &Value) -> String {
        match (self.number_lang, v) {
            (Some(Lang::Fr), Value::Number(n)) => french_number(&n.to_string()),
            _ => cell_text(v),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }

    /// Aligned text: numbers right-aligned, text left-aligned.
    pub fn write_text(&self, w: &mut dyn Write) -> Result<()> {
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|v| self.people_text(v)).collect())
            .collect();
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for row in &cells {
            for (i, c) in row.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.chars().count());
                }
            }
        }
        let mut out = String::new();
        let header: Vec<String> = self
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| pad(c, *w, false))
            .collect();
        out.push_str(header.join("  ").trim_end());
        out.push('\n');
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for (row, values) in cells.iter().zip(&self.rows) {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .zip(values)
                .map(|((c, w), v)| pad(c, *w, v.is_number()))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        w.write_all(out.as_bytes()).map_err(io_err)
    }

    /// CSV with a header line (`,` separator, UTF-8, `.` decimals).
    pub fn write_csv(&self, w: &mut dyn Write) -> Result<()> {
        self.write_csv_styled(w, CsvStyle::Plain)
    }

    /// CSV with a header line in the dialect `style` (e.g. `;` and decimal commas).
    pub fn write_csv_styled(&self, w: &mut dyn Write, style: CsvStyle) -> Result<()> {
        let mut writer = style.writer(w)?;
        writer.write_record(&self.columns).map_err(csv_err)?;
        for row in &self.rows {
            writer
                .write_record(row.iter().map(|v| style.cell(v)))
                .map_err(csv_err)?;
        }
        writer.flush().map_err(io_err)
    }

    /// A Markdown (GitHub) table.
    pub fn write_markdown(&self, w: &mut dyn Write) -> Result<()> {
        let mut out = String::new();
        out.push_str(&format!("| {} |\n", self.columns.join(" | ")));
        let align: Vec<&str> = (0..self.columns.len())
            .map(|i| {
                if self
                    .rows
                    .iter()
                    .any(|r| r.get(i).is_some_and(Value::is_number))
                {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        out.push_str(&format!("|{}|\n", align.join("|")));
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|v| self.people_text(v).replace('|', "\\|"))
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        w.write_all(out.as_bytes()).map_err(io_err)
    }
}

/// A JSON number's text as a French reader writes it: a decimal comma, the digits before it
/// grouped by three with a narrow no-break space ([`digits_in`], as `format_number`); a small
/// number that JSON writes with an exponent is written out with the same digits (`5.15262e-6`
/// → `0,00000515262`), a large one keeps its exponent.
///
/// ```
/// use qpv::output::table::french_number;
/// assert_eq!(french_number("85040.1"), "85\u{202f}040,1");
/// assert_eq!(french_number("-1234"), "-1\u{202f}234");
/// assert_eq!(french_number("0.000059461"), "0,000059461");
/// assert_eq!(french_number("5.15262e-6"), "0,00000515262");
/// assert_eq!(french_number("1.5e21"), "1,5e21");
/// ```
pub fn french_number(text: &str) -> String {
    if let Some((mantissa, exponent)) = text.split_once(['e', 'E']) {
        let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i64;
        if let (Ok(e), Ok(v)) = (exponent.parse::<i64>(), text.parse::<f64>())
            && e < 0
            && decimals - e <= 24
        {
            return french_number(&format!("{:.*}", (decimals - e) as usize, v));
        }
        return text.replace('.', ",");
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    format!("{sign}{}", digits_in(digits, Lang::Fr))
}

fn pad(text: &str, width: usize, right: bool) -> String {
    let n = text.chars().count();
    let fill = " ".repeat(width.saturating_sub(n));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

fn io_err(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

fn csv_err(e: csv::Error) -> Error {
    Error::Internal(format!("writing CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Table {
        let mut t = Table::new(["code_qp", "inside_count", "name"]);
        t.push(vec![json!("QN09001I"), json!(3), json!("École, \"A\"")]);
        t.push(vec![json!("QN09002M"), json!(12), Value::Null]);
        t
    }

    #[test]
    fn text_aligns_numbers_right() {
        let mut b = Vec::new();
        sample().write_text(&mut b).unwrap();
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "code_qp   inside_count  name\n\
             --------  ------------  ----------\n\
             QN09001I             3  École, \"A\"\n\
             QN09002M            12\n"
        );
    }

    #[test]
    fn csv_quotes_when_needed() {
        let mut b = Vec::new();
        sample().write_csv(&mut b).unwrap();
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "code_qp,inside_count,name\nQN09001I,3,\"École, \"\"A\"\"\"\nQN09002M,12,\n"
        );
    }

    /// In French, numbers keep their place (right-aligned) and are written the French way;
    /// CSV keeps the JSON spelling.
    #[test]
    fn french_numbers_in_the_views_for_people_only() {
        let mut t = Table::new(["code", "demand", "score"]);
        t.push(vec![json!("QN09004M"), json!(5227.4), json!(0.000108859)]);
        t.push(vec![json!("rest"), json!(85040.1), json!(1.0)]);
        t.number_lang = Some(Lang::Fr);
        let view = |write: fn(&Table, &mut dyn Write) -> Result<()>| {
            let mut out = Vec::new();
            write(&t, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            view(Table::write_markdown),
            "| code | demand | score |\n|---|---:|---:|\n| QN09004M | 5\u{202f}227,4 | 0,000108859 |\n| rest | 85\u{202f}040,1 | 1,0 |\n"
        );
        assert!(view(Table::write_text).contains("  5\u{202f}227,4  0,000108859"));
        assert!(view(Table::write_csv).contains("QN09004M,5227.4,0.000108859"));
    }

    #[test]
    fn markdown_escapes_pipes() {
        let mut t = Table::new(["a"]);
        t.push(vec![json!("x|y")]);
        let mut b = Vec::new();
        t.write_markdown(&mut b).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), "| a |\n|---|\n| x\\|y |\n");
    }
}
