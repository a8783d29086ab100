//! The flag values that name a library enum (`--format`, `--csv-style`): clap's derive lives
//! here, on the command line's side, each mapped to the library's type, so the library has no
//! command-line types. The doc comments are the `--help` texts of the values.

use clap::ValueEnum;
use qpv::output::OutputFormat;
use qpv::output::csv_style::CsvStyle;

/// Output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned text table for a person.
    Table,
    /// CSV for spreadsheets (`,` separator, UTF-8, `.` decimals).
    Csv,
    /// JSON records.
    Json,
    /// GeoJSON FeatureCollection, RFC 7946 (WGS84 lon/lat, 7 decimals ≈ 1 cm).
    Geojson,
    /// OGC GeoPackage (through GDAL), in the working CRS.
    Gpkg,
    /// Markdown report.
    Markdown,
    /// Self-contained HTML page for people (`qpv perimeter test`; `qpv report` writes HTML
    /// by default).
    Html,
}

impl From<FormatArg> for OutputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => OutputFormat::Table,
            FormatArg::Csv => OutputFormat::Csv,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Geojson => OutputFormat::Geojson,
            FormatArg::Gpkg => OutputFormat::Gpkg,
            FormatArg::Markdown => OutputFormat::Markdown,
            FormatArg::Html => OutputFormat::Html,
        }
    }
}

/// The CSV dialect (`--csv-style`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CsvStyleArg {
    /// `,` separator, `.` decimals, UTF-8 without BOM.
    #[default]
    Plain,
    /// `;` separator, decimal commas, UTF-8 with a byte-order mark (Excel, French settings).
    ExcelFr,
}

impl CsvStyleArg {
    /// The library's dialect, refused for a format that is not CSV (it would be ignored).
    pub fn for_format(self, format: OutputFormat) -> qpv::Result<CsvStyle> {
        let style = match self {
            CsvStyleArg::Plain => CsvStyle::Plain,
            CsvStyleArg::ExcelFr => CsvStyle::ExcelFr,
        };
        style.for_format(format)
    }
}

/// Which address reference format a file is in (`--reference-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ReferenceFormatArg {
    /// Detect from the first line.
    #[default]
    Auto,
    /// BANO CSV (no header).
    Bano,
    /// BAN CSV (`;`, header).
    Ban,
}

impl From<ReferenceFormatArg> for qpv::geocode::ReferenceFormat {
    fn from(f: ReferenceFormatArg) -> Self {
        use qpv::geocode::ReferenceFormat;
        match f {
            ReferenceFormatArg::Auto => ReferenceFormat::Auto,
            ReferenceFormatArg::Bano => ReferenceFormat::Bano,
            ReferenceFormatArg::Ban => ReferenceFormat::Ban,
        }
    }
}

/// What a file is loaded as (`qpv check --as`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayerKindArg {
    /// Polygons with a code and a name (QPV, candidate perimeters).
    Zones,
    /// Points with an id, a name and a category.
    Facilities,
    /// Any points (addresses...).
    Points,
    /// An INSEE Filosofi grid CSV.
    Grid,
}

impl From<LayerKindArg> for qpv::io::check::LayerKind {
    fn from(k: LayerKindArg) -> Self {
        use qpv::io::check::LayerKind;
        match k {
            LayerKindArg::Zones => LayerKind::Zones,
            LayerKindArg::Facilities => LayerKind::Facilities,
            LayerKindArg::Points => LayerKind::Points,
            LayerKindArg::Grid => LayerKind::Grid,
        }
    }
}
