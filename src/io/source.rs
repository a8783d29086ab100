//! What kind of file an input is (CSV table, GeoJSON, or anything GDAL reads) and the vector
//! reader for it. The path `-` means standard input (CSV or GeoJSON, told apart by the first
//! character, `{` for GeoJSON).

use std::io::{BufRead, BufReader, Read, Stdin};
use std::path::Path;

use crate::error::{Error, Location, Result};

use super::vector::VectorLayer;

/// The reader family for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Delimited text (`.csv`, `.txt`, `.tsv`).
    Csv,
    /// GeoJSON (`.geojson`, `.json`), read by this crate's own reader.
    GeoJson,
    /// Any other vector format, through GDAL (Shapefile, GeoPackage, FlatGeobuf, GML, KML...).
    Gdal,
}

/// Guesses the reader from the extension, then from the first bytes (`{` = GeoJSON).
pub fn detect(path: &Path) -> SourceKind {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" | "tsv" | "tab" => SourceKind::Csv,
        "geojson" | "json" => SourceKind::GeoJson,
        "" => {
            let mut head = [0u8; 64];
            let n = std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
                .unwrap_or(0);
            let first = head[..n].iter().find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'{') {
                SourceKind::GeoJson
            } else {
                SourceKind::Csv
            }
        }
        _ => SourceKind::Gdal,
    }
}

/// Whether `path` is `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

static STDIN_READ: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process has started reading standard input ([`open_stdin`]): a run that did
/// cannot be started again from the beginning.
pub fn stdin_was_read() -> bool {
    STDIN_READ.load(std::sync::atomic::Ordering::Relaxed)
}

/// The name standard input goes by in messages.
pub fn stdin_name() -> &'static Path {
    Path::new("<stdin>")
}

/// Standard input, buffered, with the reader it needs: [`SourceKind::GeoJson`] when the first
/// character that is not white space is `{`, else [`SourceKind::Csv`] (other formats cannot be
/// streamed through a pipe).
pub fn open_stdin() -> Result<(SourceKind, BufReader<Stdin>)> {
    STDIN_READ.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut input = BufReader::with_capacity(64 * 1024, std::io::stdin());
    let first = loop {
        let head = input.fill_buf().map_err(|e| Error::io(stdin_name(), e))?;
        match head.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(head[i]),
            None if head.is_empty() => break None,
            // Leading white space only: a CSV header cannot start there either.
            None => {
                let n = head.len();
                input.consume(n);
            }
        }
    };
    let kind = if first == Some(b'{') {
        SourceKind::GeoJson
    } else {
        SourceKind::Csv
    };
    Ok((kind, input))
}

/// The rest of standard input (opened by [`open_stdin`]) read as GeoJSON.
pub fn read_stdin_geojson(mut input: BufReader<Stdin>) -> Result<VectorLayer> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(stdin_name(), e))?;
    super::geojson::parse_geojson(stdin_name(), &bytes)
}

/// Reads a vector file (GeoJSON or GDAL); `layer` picks a layer of a multi-layer source. `-`
/// reads GeoJSON from standard input.
pub fn read_vector(path: &Path, layer: Option<&str>) -> Result<VectorLayer> {
    if is_stdin(path) {
        let (kind, input) = open_stdin()?;
        if kind != SourceKind::GeoJson {
            return Err(Error::input(
                stdin_name(),
                Location::File,
                "standard input does not hold GeoJSON (it does not start with '{')",
                "pipe a GeoJSON FeatureCollection, or give the file's path instead of -",
            ));
        }
        return read_stdin_geojson(input);
    }
    if path.is_dir() {
        return Err(Error::directory(path));
    }
    match detect(path) {
        SourceKind::GeoJson => super::geojson::read_geojson(path),
        SourceKind::Gdal => (super::gdal_readers::gdal_readers(path)?.read_layer)(path, layer),
        SourceKind::Csv => Err(Error::input(
            path,
            Location::File,
            "this is a table, not a vector layer",
            "read it as points (CSV with coordinate columns)",
        )),
    }
}
