//! `qpv report`: one self-contained HTML file (inline CSS and SVG, nothing fetched) for a
//! steering committee — a summary of which QPV lack which facility, the "collèges dans le
//! quartier ou à moins de 300 m" tables with names, sources and limits, then one fiche per QPV
//! with a map drawn by the tool, grid estimates and a chart — or the same report as JSON.
//!
//! The HTML is a view of [`CoverageReport`]: every number it shows is a field of the JSON
//! (and the coverage figures are spelt as `qpv coverage --format json` spells them).

pub mod chart;
pub mod labels;
pub mod map;
mod model;
mod numbers;
mod perimeter;
mod render;
pub mod svg;

use std::path::Path;

pub use model::{
    CoverageReport, GridNote, ProximityRow, ProximityTable, Quarter, QuarterIndicators,
    ReportInput, ReportOptions, SourceNote, build_report, grid_vintage,
};
pub use numbers::{decimal_in, digits_in, format_number, int_in, share_text};
pub use perimeter::{PerimeterMapLayers, perimeter_html};
pub use render::render_html;

use crate::error::{Error, Result};
use crate::output::atomic::write_atomic;

/// Language of a report for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French (default: the committees' language).
    #[default]
    Fr,
    /// English.
    En,
}

/// `fr` or `en` text, as `lang` asks.
///
/// ```
/// use qpv::output::report_html::{tr, Lang};
/// assert_eq!(tr(Lang::Fr, "carreau", "cell"), "carreau");
/// ```
pub fn tr<'a>(lang: Lang, fr: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

impl Lang {
    /// Parses `fr` or `en` (any case).
    ///
    /// ```
    /// use qpv::output::report_html::Lang;
    /// assert_eq!(Lang::parse("EN").unwrap(), Lang::En);
    /// assert!(Lang::parse("de").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        match text.to_ascii_lowercase().as_str() {
            "fr" => Ok(Lang::Fr),
            "en" => Ok(Lang::En),
            _ => Err(Error::usage(
                format!("--lang {text} is not a report language"),
                "give --lang fr (default) or --lang en",
            )),
        }
    }

    /// `fr` or `en` (the HTML `lang` attribute).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// What `qpv report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// The self-contained HTML page.
    Html,
    /// The report's data ([`CoverageReport`]) as JSON.
    Json,
}

impl ReportFormat {
    /// The format given (`html`, `json`), else the one implied by the extension of `output`
    /// (`.json` → JSON), else HTML.
    pub fn resolve(given: Option<&str>, output: Option<&Path>) -> Result<Self> {
        let from_ext = output
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match given.map(str::to_ascii_lowercase).as_deref() {
            Some("html") => Ok(ReportFormat::Html),
            Some("json") => Ok(ReportFormat::Json),
            Some(other) => Err(Error::usage(
                format!("--format {other} is not a report format"),
                "give --format html (default) or --format json",
            )),
            None if from_ext.as_deref() == Some("json") => Ok(ReportFormat::Json),
            None => Ok(ReportFormat::Html),
        }
    }
}

/// Builds the coverage report of `input` and writes it to `output` (`-`: standard output)
/// atomically, in `format`. A directory as `output` is refused before any work.
pub fn write_coverage_report(
    output: &Path,
    format: ReportFormat,
    input: &ReportInput,
    options: &ReportOptions,
) -> Result<()> {
    if output.is_dir() {
        return Err(Error::usage(
            "the output (-o) is a directory, not a file",
            "give a file name, e.g. -o rapport.html",
        ));
    }
    let report = build_report(input, options);
    let bytes = match format {
        ReportFormat::Html => render_html(&report, options.lang)?.into_bytes(),
        ReportFormat::Json => {
            let mut v = serde_json::to_vec_pretty(&report)
                .map_err(|e| Error::Internal(format!("writing JSON: {e}")))?;
            v.push(b'\n');
            v
        }
    };
    write_atomic(output, |w| {
        w.write_all(&bytes).map_err(|e| Error::io(output, e))
    })
}
