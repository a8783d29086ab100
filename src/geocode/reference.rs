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

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::io::table::{TableOptions, TableReader, parse_number};

/// Which address reference format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
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

/// Reads every address row of a reference file.
pub fn read_file(path: &Path, format: ReferenceFormat) -> Result<Vec<RawAddress>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    read_bytes(path, bytes, format)
}

/// Reads every address row from bytes in memory; `name` is used in errors.
pub fn read_bytes(name: &Path, bytes: Vec<u8>, format: ReferenceFormat) -> Result<Vec<RawAddress>> {
    let format = match format {
        ReferenceFormat::Auto => detect(&bytes),
        f => f,
    };
    match format {
        ReferenceFormat::Ban => read_ban(name, bytes),
        _ => read_bano(name, bytes),
    }
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

fn read_bano(name: &Path, bytes: Vec<u8>) -> Result<Vec<RawAddress>> {
    let options = TableOptions {
        delimiter: Some(b','),
        headers: Some(BANO_COLUMNS.iter().map(|s| s.to_string()).collect()),
    };
    let reader = TableReader::from_bytes(name, bytes, &options)?;
    let mut out = Vec::with_capacity(40_000);
    for row in reader {
        let row = row?;
        let f = &row.fields;
        if f.len() < 8 {
            return Err(Error::input(
                name,
                Location::Line(row.line),
                format!("{} fields where BANO has 8", f.len()),
                "BANO rows are id,numero,voie,code_post,nom_comm,source,lat,lon; give --reference-format ban for a BAN file",
            ));
        }
        let id = &f[0];
        out.push(RawAddress {
            line: row.line,
            insee: id.get(..5).unwrap_or_default().to_string(),
            commune: f[4].to_string(),
            postcode: f[3].to_string(),
            street: f[2].to_string(),
            numero: f[1].to_string(),
            rep: String::new(),
            lat: coordinate(name, row.line, &f[6], "latitude")?,
            lon: coordinate(name, row.line, &f[7], "longitude")?,
        });
    }
    Ok(out)
}

fn read_ban(name: &Path, bytes: Vec<u8>) -> Result<Vec<RawAddress>> {
    let reader = TableReader::from_bytes(name, bytes, &TableOptions::default())?;
    let path: PathBuf = name.to_path_buf();
    let col = |n: &str| reader.require_column(n, "a BAN address file");
    let (numero, nom_voie, code_postal, nom_commune, lon, lat) = (
        col("numero")?,
        col("nom_voie")?,
        col("code_postal")?,
        col("nom_commune")?,
        col("lon")?,
        col("lat")?,
    );
    let rep = reader.find_column(&["rep"]);
    let insee = reader.find_column(&["code_insee"]);
    let mut out = Vec::new();
    for row in reader {
        let row = row?;
        let f = &row.fields;
        let get = |i: usize| f.get(i).unwrap_or_default().to_string();
        out.push(RawAddress {
            line: row.line,
            insee: insee.map(get).unwrap_or_default(),
            commune: get(nom_commune),
            postcode: get(code_postal),
            street: get(nom_voie),
            numero: get(numero),
            rep: rep.map(get).unwrap_or_default(),
            lon: coordinate(&path, row.line, f.get(lon).unwrap_or_default(), "longitude")?,
            lat: coordinate(&path, row.line, f.get(lat).unwrap_or_default(), "latitude")?,
        });
    }
    Ok(out)
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
