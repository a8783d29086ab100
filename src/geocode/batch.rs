//! Geocoding whole tables: which columns hold the address (named by the user or detected from
//! the usual French headers), a streaming iterator for other commands (`locate`), and the
//! parallel loop behind `qpv geocode` (in chunks, output in input order; the writers are in
//! `qpv::output::geocoded`).

use std::path::Path;

use geo::Coord;
use rayon::prelude::*;

use super::index::AddressIndex;
use super::matcher::{AddressQuery, Geocoded, Precision};
use crate::crs::Crs;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::io::points::{PointOptions, coordinate_columns};
use crate::io::table::TableReader;

/// Column names the user gave (`None`: detect).
#[derive(Debug, Clone, Default)]
pub struct ColumnNames {
    /// Full address column.
    pub address: Option<String>,
    /// House number column.
    pub number: Option<String>,
    /// Repetition index column (bis, ter…).
    pub rep: Option<String>,
    /// Street column.
    pub street: Option<String>,
    /// Postcode column.
    pub postcode: Option<String>,
    /// Commune column.
    pub commune: Option<String>,
}

/// Usual French (and English) header names, compared loosely (case, accents, separators).
const ADDRESS: &[&str] = &[
    "adresse",
    "address",
    "adresse_complete",
    "adresse_postale",
    "adresse1",
    "adresse_1",
    "adr",
    "addr",
    "full_address",
    "libelle_adresse",
];
const NUMBER: &[&str] = &[
    "numero",
    "num",
    "n°",
    "no",
    "numero_voie",
    "num_voie",
    "housenumber",
    "house_number",
    "number",
];
const REP: &[&str] = &[
    "rep",
    "indice_repetition",
    "indice_de_repetition",
    "btq",
    "suffixe",
];
const STREET: &[&str] = &[
    "voie",
    "nom_voie",
    "rue",
    "libelle_voie",
    "lib_voie",
    "nom_rue",
    "type_et_nom_voie",
    "street",
];
const POSTCODE: &[&str] = &[
    "code_postal",
    "cp",
    "codepostal",
    "code_post",
    "postcode",
    "postal_code",
    "zip",
];
const COMMUNE: &[&str] = &[
    "commune",
    "ville",
    "nom_commune",
    "nom_comm",
    "localite",
    "libelle_commune",
    "city",
];

/// Which columns of a table hold which address part (0-based indexes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddressColumns {
    /// Full address.
    pub address: Option<usize>,
    /// House number.
    pub number: Option<usize>,
    /// Repetition index.
    pub rep: Option<usize>,
    /// Street.
    pub street: Option<usize>,
    /// Postcode.
    pub postcode: Option<usize>,
    /// Commune.
    pub commune: Option<usize>,
}

impl AddressColumns {
    /// Columns named in `names`, the others detected among `reader`'s headers. An address or a
    /// street column is required; a named column that does not exist is an error listing the
    /// columns.
    pub fn resolve(reader: &TableReader, names: &ColumnNames) -> Result<Self> {
        let pick =
            |given: &Option<String>, candidates: &[&str], what: &str| -> Result<Option<usize>> {
                match given {
                    Some(name) => reader.require_column(name, what).map(Some),
                    None => Ok(reader.find_column(candidates)),
                }
            };
        let columns = AddressColumns {
            address: pick(&names.address, ADDRESS, "the address")?,
            number: pick(&names.number, NUMBER, "the house number")?,
            rep: pick(&names.rep, REP, "the repetition index")?,
            street: pick(&names.street, STREET, "the street")?,
            postcode: pick(&names.postcode, POSTCODE, "the postcode")?,
            commune: pick(&names.commune, COMMUNE, "the commune")?,
        };
        if columns.address.is_none() && columns.street.is_none() {
            return Err(Error::input(
                reader.path(),
                Location::File,
                "no address column found",
                format!(
                    "name it with --address-column (one full address) or --street-column (with --number-column, --postcode-column, --commune-column); columns are: {}",
                    reader.headers().join(", ")
                ),
            ));
        }
        Ok(columns)
    }

    /// The query for one record.
    pub fn query<'r>(&self, record: &'r csv::StringRecord) -> AddressQuery<'r> {
        let get = |c: Option<usize>| c.and_then(|i| record.get(i)).unwrap_or_default();
        AddressQuery {
            address: get(self.address),
            number: get(self.number),
            rep: get(self.rep),
            street: get(self.street),
            postcode: get(self.postcode),
            commune: get(self.commune),
        }
    }
}

/// Fits a record to the header's width: a one-column file whose address holds unquoted commas
/// gets its pieces joined back; empty trailing fields (a trailing separator) are dropped; other
/// extra fields are an error naming the line.
pub fn fit_record(
    path: &std::path::Path,
    line: u64,
    width: usize,
    record: csv::StringRecord,
) -> Result<csv::StringRecord> {
    if record.len() <= width {
        return Ok(record);
    }
    if width == 1 {
        let joined: Vec<&str> = record.iter().collect();
        return Ok(csv::StringRecord::from(vec![joined.join(",")]));
    }
    if record.iter().skip(width).all(|f| f.trim().is_empty()) {
        return Ok(record.iter().take(width).collect());
    }
    Err(Error::input(
        path,
        Location::Line(line),
        format!("{} fields where the header has {width}", record.len()),
        "quote fields that contain the separator, or add the missing column names",
    ))
}

/// One input row with its geocoding.
#[derive(Debug, Clone)]
pub struct GeocodedRow {
    /// Line in the input file (header = 1).
    pub line: u64,
    /// The input fields, unchanged.
    pub fields: csv::StringRecord,
    /// The result.
    pub result: Geocoded,
}

impl GeocodedRow {
    /// The position in the working CRS, when found.
    pub fn point(&self) -> Option<Coord<f64>> {
        self.result.point
    }

    /// What the position stands for.
    pub fn precision(&self) -> Precision {
        self.result.precision
    }

    /// Match confidence, 0–1.
    pub fn score(&self) -> f64 {
        self.result.score
    }
}

/// Streams a table's rows, fitted to the header's width ([`fit_record`]), with the address
/// columns resolved: the input of a parallel geocoding run (`locate --addresses` maps each
/// row with [`AddressColumns::query`] and [`AddressIndex::geocode`] on every core).
pub struct AddressRows {
    reader: TableReader,
    columns: AddressColumns,
}

impl AddressRows {
    /// `reader`'s rows with the address columns named in `names` or detected.
    pub fn new(reader: TableReader, names: &ColumnNames) -> Result<Self> {
        let columns = AddressColumns::resolve(&reader, names)?;
        Ok(AddressRows { reader, columns })
    }

    /// The input's column names.
    pub fn headers(&self) -> &[String] {
        self.reader.headers()
    }

    /// The columns used.
    pub fn columns(&self) -> AddressColumns {
        self.columns
    }
}

impl Iterator for AddressRows {
    type Item = Result<crate::io::table::Row>;

    fn next(&mut self) -> Option<Self::Item> {
        let row = match self.reader.next()? {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        let width = self.reader.headers().len();
        Some(
            fit_record(self.reader.path(), row.line, width, row.fields).map(|fields| {
                crate::io::table::Row {
                    line: row.line,
                    fields,
                }
            }),
        )
    }
}

/// Streams a table's rows with their geocoding, in input order, one row at a time (for
/// parallel runs, map [`AddressRows`] instead).
///
/// ```
/// use std::path::Path;
/// use qpv::crs::Crs;
/// use qpv::geocode::{AddressIndex, GeocodedRows, Precision, batch::ColumnNames};
/// use qpv::io::table::{TableOptions, TableReader};
/// let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
/// let csv = "nom;adresse\nA;12 rue Danton 90000 Belfort\nB;nulle part\n";
/// let reader = TableReader::from_bytes(Path::new("a.csv"), csv.into(), &TableOptions::default()).unwrap();
/// let rows: Vec<_> = GeocodedRows::new(&index, reader, &ColumnNames::default())
///     .unwrap()
///     .collect::<qpv::Result<_>>()
///     .unwrap();
/// assert_eq!(rows[0].precision(), Precision::Housenumber);
/// assert!(rows[0].point().is_some());
/// assert_eq!(rows[1].precision(), Precision::NotFound);
/// ```
pub struct GeocodedRows<'i> {
    index: &'i AddressIndex,
    rows: AddressRows,
}

impl<'i> GeocodedRows<'i> {
    /// Geocodes `reader`'s rows against `index`, with columns named or detected.
    pub fn new(index: &'i AddressIndex, reader: TableReader, names: &ColumnNames) -> Result<Self> {
        Ok(GeocodedRows {
            index,
            rows: AddressRows::new(reader, names)?,
        })
    }

    /// The input's column names.
    pub fn headers(&self) -> &[String] {
        self.rows.headers()
    }

    /// The columns used.
    pub fn columns(&self) -> AddressColumns {
        self.rows.columns()
    }
}

impl Iterator for GeocodedRows<'_> {
    type Item = Result<GeocodedRow>;

    fn next(&mut self) -> Option<Self::Item> {
        let columns = self.rows.columns();
        Some(self.rows.next()?.map(|row| {
            let result = self.index.geocode(&columns.query(&row.fields));
            GeocodedRow {
                line: row.line,
                fields: row.fields,
                result,
            }
        }))
    }
}

/// Geocodes a slice of rows in parallel (rayon), results in the same order: for callers that
/// read rows in chunks (`locate` on millions of addresses).
pub fn geocode_rows(
    index: &AddressIndex,
    columns: &AddressColumns,
    rows: &[crate::io::table::Row],
) -> Vec<Geocoded> {
    rows.par_iter()
        .map(|r| index.geocode(&columns.query(&r.fields)))
        .collect()
}

/// Counts by precision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Rows read.
    pub rows: usize,
    /// `housenumber` results.
    pub housenumber: usize,
    /// `interpolated` results.
    pub interpolated: usize,
    /// `street` results.
    pub street: usize,
    /// `not_found` results.
    pub not_found: usize,
    /// Results whose postcode/commune was corrected.
    pub corrected: usize,
}

impl Summary {
    /// Counts one result.
    pub fn add(&mut self, g: &Geocoded) {
        self.rows += 1;
        self.corrected += usize::from(g.corrected);
        let p = g.precision;
        match p {
            Precision::Housenumber => self.housenumber += 1,
            Precision::Interpolated => self.interpolated += 1,
            Precision::Street => self.street += 1,
            Precision::NotFound => self.not_found += 1,
        }
    }
}

/// Columns appended to the input's: [`super::columns::GEOCODING_COLUMNS`].
pub const OUTPUT_COLUMNS: [&str; 10] = super::columns::GEOCODING_COLUMNS;

/// Rows geocoded per parallel chunk.
const CHUNK: usize = 8192;

/// The output columns: the input's, then [`OUTPUT_COLUMNS`] (prefixed with `geocode_` when
/// the input already has a column of that name).
pub fn output_header(headers: &[String]) -> Vec<String> {
    let taken: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    let mut header = headers.to_vec();
    for c in OUTPUT_COLUMNS {
        if taken.iter().any(|t| t == c) {
            header.push(format!("geocode_{c}"));
        } else {
            header.push(c.to_string());
        }
    }
    header
}

/// Geocodes every row (in parallel chunks, input order kept) and hands `sink` the input
/// fields (padded to the header) with the result; the one loop behind every output format of
/// `qpv geocode`.
pub fn for_each_geocoded(
    index: &AddressIndex,
    mut rows: AddressRows,
    mut sink: impl FnMut(Vec<String>, &Geocoded) -> Result<()>,
) -> Result<Summary> {
    let columns = rows.columns();
    let width = rows.headers().len();
    let mut summary = Summary::default();
    let mut chunk: Vec<crate::io::table::Row> = Vec::with_capacity(CHUNK);
    let mut done = false;
    while !done {
        chunk.clear();
        while chunk.len() < CHUNK {
            match rows.next() {
                Some(row) => chunk.push(row?),
                None => {
                    done = true;
                    break;
                }
            }
        }
        let results = geocode_rows(index, &columns, &chunk);
        for (row, g) in chunk.iter().zip(&results) {
            summary.add(g);
            let mut fields: Vec<String> = row.fields.iter().map(str::to_string).collect();
            fields.resize(width, String::new());
            sink(fields, g)?;
        }
    }
    Ok(summary)
}
/// `error`, from opening `path` as points, made into a hint to geocode first when `path` is a
/// table with no coordinate columns but with postal addresses (`qpv locate --addresses`).
/// Decided on the table's columns, never on the error's text.
pub fn addresses_hint(error: Error, path: &Path, options: &PointOptions, target: Crs) -> Error {
    if error.kind() != ErrorKind::Input || options.x_column.is_some() || options.y_column.is_some()
    {
        return error;
    }
    let Ok(reader) = TableReader::open(path, &options.table) else {
        return error;
    };
    if coordinate_columns(path, reader.headers(), options, target).is_ok()
        || AddressRows::new(reader, &ColumnNames::default()).is_err()
    {
        return error;
    }
    Error::usage(
        format!(
            "{} has no coordinate columns but has postal addresses",
            path.display()
        ),
        "add --addresses to geocode them first (offline, embedded BANO or --reference)",
    )
}
