//! Readers of the national address references into plain rows.
//!
//! - **BANO** (OpenStreetMap France, ODbL): no header, `,`-separated:
//!   `id,numero,voie,code_post,nom_comm,source,lat,lon` (WGS84). The commune's INSEE code is the
//!   first 5 characters of `id`.
//! - **BAN** (Base Adresse Nationale, Licence Ouverte): `;`-separated with a header:
//!   `id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;…;x;y;lon;lat;…`.
//!   `lon`/`lat` (WGS84) are used, so the same code works in every territory.
//!
//! The format is detected from the first line (a BAN header names `nom_voie`) or forced.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::io::table::{Row, TableOptions, TableReader, parse_number};

/// Which address reference format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReferenceFormat {
    /// Detect from the first line.
    #[default]
    Auto,
    /// BANO CSV (no header).
    Bano,
    /// BAN CSV (`;`, header).
    Ban,
}

/// One address point as read, in WGS84.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAddress {
    /// Line in the file (1-based).
    pub line: u64,
    /// Commune INSEE code (may be empty when unknown).
    pub insee: String,
    /// Commune name.
    pub commune: String,
    /// Postcode.
    pub postcode: String,
    /// Street name as written.
    pub street: String,
    /// House number as written (`12`, `12BIS`).
    pub numero: String,
    /// Repetition index column (BAN `rep`; empty for BANO, whose numero holds it).
    pub rep: String,
    /// Longitude (degrees).
    pub lon: f64,
    /// Latitude (degrees).
    pub lat: f64,
}

/// BANO column names (the file has no header).
pub const BANO_COLUMNS: [&str; 8] = [
    "id",
    "numero",
    "voie",
    "code_post",
    "nom_comm",
    "source",
    "lat",
    "lon",
];

/// Reads every address row of a reference file into memory (small files, tests); prefer
/// [`ReferenceRows`], which streams.
pub fn read_file(path: &Path, format: ReferenceFormat) -> Result<Vec<RawAddress>> {
    ReferenceRows::open(path, format)?.collect()
}

/// Reads every address row from bytes in memory; `name` is used in errors.
pub fn read_bytes(name: &Path, bytes: Vec<u8>, format: ReferenceFormat) -> Result<Vec<RawAddress>> {
    ReferenceRows::from_bytes(name, bytes, format)?.collect()
}

/// BAN when the first line names `nom_voie`, else BANO.
pub fn detect(bytes: &[u8]) -> ReferenceFormat {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first).to_ascii_lowercase();
    if first.contains("nom_voie") {
        ReferenceFormat::Ban
    } else {
        ReferenceFormat::Bano
    }
}

/// Where the fields are.
enum Layout {
    Bano,
    Ban {
        numero: usize,
        rep: Option<usize>,
        nom_voie: usize,
        code_postal: usize,
        code_insee: Option<usize>,
        nom_commune: usize,
        lon: usize,
        lat: usize,
    },
}

/// A streaming reader of address rows (national BAN files hold 26 million rows: they are
/// never loaded whole).
pub struct ReferenceRows {
    reader: TableReader,
    layout: Layout,
}

impl ReferenceRows {
    /// Opens a BANO or BAN file (`Auto` detects it from the first line).
    pub fn open(path: &Path, format: ReferenceFormat) -> Result<Self> {
        let format = match format {
            ReferenceFormat::Auto => {
                let mut head = Vec::with_capacity(4096);
                std::fs::File::open(path)
                    .and_then(|f| f.take(4096).read_to_end(&mut head))
                    .map_err(|e| Error::io(path, e))?;
                detect(&head)
            }
            f => f,
        };
        let reader = TableReader::open(path, &Self::options(format))?;
        Self::with_reader(reader, format)
    }

    /// Reads from bytes in memory; `name` is used in errors.
    pub fn from_bytes(name: &Path, bytes: Vec<u8>, format: ReferenceFormat) -> Result<Self> {
        let format = match format {
            ReferenceFormat::Auto => detect(&bytes),
            f => f,
        };
        let reader = TableReader::from_bytes(name, bytes, &Self::options(format))?;
        Self::with_reader(reader, format)
    }

    /// The format being read (never `Auto`).
    pub fn format(&self) -> ReferenceFormat {
        match self.layout {
            Layout::Bano => ReferenceFormat::Bano,
            Layout::Ban { .. } => ReferenceFormat::Ban,
        }
    }

    fn options(format: ReferenceFormat) -> TableOptions {
        match format {
            ReferenceFormat::Ban => TableOptions::default(),
            _ => TableOptions {
                delimiter: Some(b','),
                headers: Some(BANO_COLUMNS.iter().map(|s| s.to_string()).collect()),
            },
        }
    }

    fn with_reader(reader: TableReader, format: ReferenceFormat) -> Result<Self> {
        let layout = match format {
            ReferenceFormat::Ban => {
                let col = |n: &str| reader.require_column(n, "a BAN address file");
                Layout::Ban {
                    numero: col("numero")?,
                    rep: reader.find_column(&["rep"]),
                    nom_voie: col("nom_voie")?,
                    code_postal: col("code_postal")?,
                    code_insee: reader.find_column(&["code_insee"]),
                    nom_commune: col("nom_commune")?,
                    lon: col("lon")?,
                    lat: col("lat")?,
                }
            }
            _ => Layout::Bano,
        };
        Ok(ReferenceRows { reader, layout })
    }

    fn convert(&self, row: Row) -> Result<RawAddress> {
        let path = self.reader.path();
        let f = &row.fields;
        let get = |i: usize| f.get(i).unwrap_or_default();
        Ok(match &self.layout {
            Layout::Bano => {
                if f.len() < 8 {
                    return Err(Error::input(
                        path,
                        Location::Line(row.line),
                        format!("{} fields where BANO has 8", f.len()),
                        "BANO rows are id,numero,voie,code_post,nom_comm,source,lat,lon; give --reference-format ban for a BAN file",
                    ));
                }
                RawAddress {
                    line: row.line,
                    insee: get(0).get(..5).unwrap_or_default().to_string(),
                    commune: get(4).to_string(),
                    postcode: get(3).to_string(),
                    street: get(2).to_string(),
                    numero: get(1).to_string(),
                    rep: String::new(),
                    lat: coordinate(path, row.line, get(6), "latitude")?,
                    lon: coordinate(path, row.line, get(7), "longitude")?,
                }
            }
            Layout::Ban {
                numero,
                rep,
                nom_voie,
                code_postal,
                code_insee,
                nom_commune,
                lon,
                lat,
            } => RawAddress {
                line: row.line,
                insee: code_insee.map(get).unwrap_or_default().to_string(),
                commune: get(*nom_commune).to_string(),
                postcode: get(*code_postal).to_string(),
                street: get(*nom_voie).to_string(),
                numero: get(*numero).to_string(),
                rep: rep.map(get).unwrap_or_default().to_string(),
                lon: coordinate(path, row.line, get(*lon), "longitude")?,
                lat: coordinate(path, row.line, get(*lat), "latitude")?,
            },
        })
    }
}

impl Iterator for ReferenceRows {
    type Item = Result<RawAddress>;

    fn next(&mut self) -> Option<Self::Item> {
        let row = self.reader.next()?;
        Some(row.and_then(|r| self.convert(r)))
    }
}

fn coordinate(path: &Path, line: u64, text: &str, what: &str) -> Result<f64> {
    parse_number(text).ok_or_else(|| {
        Error::input(
            path,
            Location::Line(line),
            format!("{what} '{text}' is not a number"),
            "the address reference must give WGS84 lon/lat for every row",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ban_and_bano_are_detected_and_read() {
        let ban = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat\n\
90010_1000_00013;90010_1000;13;bis;Rue Danton;90000;90010;Belfort;;;989000.1;6732000.2;6.8591;47.6401\n";
        assert_eq!(detect(ban.as_bytes()), ReferenceFormat::Ban);
        let rows = read_bytes(
            Path::new("ban.csv"),
            ban.as_bytes().to_vec(),
            ReferenceFormat::Auto,
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].numero.as_str(), rows[0].rep.as_str()),
            ("13", "bis")
        );
        assert_eq!((rows[0].lon, rows[0].lat), (6.8591, 47.6401));
        assert_eq!(rows[0].insee, "90010");

        let bano = "900100010A-1,1,Rue Danton,90000,Belfort,C+O,47.64,6.859\n";
        assert_eq!(detect(bano.as_bytes()), ReferenceFormat::Bano);
        let rows = read_bytes(
            Path::new("bano.csv"),
            bano.as_bytes().to_vec(),
            ReferenceFormat::Auto,
        )
        .unwrap();
        assert_eq!(rows[0].street, "Rue Danton");
        assert_eq!((rows[0].lon, rows[0].lat), (6.859, 47.64));
        assert_eq!(rows[0].line, 1);
    }

    #[test]
    fn bad_coordinate_names_the_line() {
        let bano = "a-1,1,Rue A,90000,Belfort,C+O,47.64,6.8\na-2,2,Rue A,90000,Belfort,C+O,x,6.8\n";
        let e = read_bytes(
            Path::new("b.csv"),
            bano.as_bytes().to_vec(),
            ReferenceFormat::Bano,
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
