//! Points from tables and vector layers, streamed: a CSV of ten million addresses is read row
//! by row, each row keeping its original text fields (to be written back next to the results)
//! and gaining one coordinate in the working metric CRS.
//!
//! Coordinate columns are found by name (`longitude`/`latitude`, `lon`/`lat`/`lng`, `x`/`y`,
//! `coordonnee_x`/`coordonnee_y`, `coordX_origine`/`coordY_origine`...) or given by options; a
//! column holding the EPSG code of each row (`EPSG`, `epsg_origine`, `crs`, `srid`) is honoured.

use std::path::{Path, PathBuf};

use geo::{Coord, Geometry};

use crate::crs::{Crs, Implausible, ToMetric};
use crate::error::{Error, Location, Result};

use super::source::{
    SourceKind, detect, is_stdin, open_stdin, read_stdin_geojson, read_vector, stdin_name,
};
use super::table::{
    TableOptions, TableReader, column_key, find_column, parse_number, plain_decimal,
    unknown_separator,
};
use super::vector::{VectorFeature, VectorLayer};

/// How to find the points of a file.
#[derive(Debug, Clone, Default)]
pub struct PointOptions {
    /// Column of x / longitude (detected when `None`).
    pub x_column: Option<String>,
    /// Column of y / latitude (detected when `None`).
    pub y_column: Option<String>,
    /// Column giving each row's CRS (`EPSG:2154`, `2154`...); detected when `None`.
    pub crs_column: Option<String>,
    /// CRS of the coordinates when the file does not say. Defaults: WGS84 for lon/lat columns,
    /// the working CRS for x/y columns, the declared CRS for vector layers.
    pub source_crs: Option<Crs>,
    /// Layer of a multi-layer vector source.
    pub layer: Option<String>,
    /// Separator and header options for CSV.
    pub table: TableOptions,
    /// Skip (and count) rows whose two coordinates are both empty instead of failing.
    pub skip_empty: bool,
    /// Give the points of a vector layer two more columns, `x` and `y`: the position in the
    /// working CRS, to the cm. For outputs without geometry (CSV, JSON), which would otherwise
    /// lose it. (A CSV keeps its own coordinate columns.)
    pub layer_xy: bool,
}

/// One point with its source row.
#[derive(Debug, Clone)]
pub struct PointRow {
    /// Where it came from (CSV line or feature index).
    pub location: Location,
    /// The row's original values, in [`PointReader::headers`] order.
    pub fields: Vec<String>,
    /// Position in the working CRS.
    pub point: Coord<f64>,
}

/// Pairs of coordinate column names tried in order (x, y), projected first.
const PROJECTED_PAIRS: &[(&str, &str)] = &[
    ("coordonnee_x", "coordonnee_y"),
    ("coordX_origine", "coordY_origine"),
    ("coord_x", "coord_y"),
    ("x_l93", "y_l93"),
    ("x_lambert93", "y_lambert93"),
    ("lambert_x", "lambert_y"),
    ("x", "y"),
    ("xcoord", "ycoord"),
    ("easting", "northing"),
];
const GEOGRAPHIC_PAIRS: &[(&str, &str)] = &[
    ("longitude", "latitude"),
    ("lon", "lat"),
    ("lng", "lat"),
    ("long", "lat"),
    ("x_wgs84", "y_wgs84"),
    ("lon_wgs84", "lat_wgs84"),
];
const CRS_COLUMNS: &[&str] = &[
    "epsg",
    "epsg_origine",
    "crs",
    "srid",
    "code_epsg",
    "projection",
];

/// Which columns and CRS a table's points come from.
#[derive(Debug, Clone, PartialEq)]
pub struct CoordinateColumns {
    /// x / longitude column index.
    pub x: usize,
    /// y / latitude column index.
    pub y: usize,
    /// Per-row CRS column index.
    pub crs_column: Option<usize>,
    /// CRS for rows without a per-row CRS.
    pub default_crs: Crs,
}

/// Finds coordinate columns among `headers` (see the module documentation).
pub fn coordinate_columns(
    path: &Path,
    headers: &[String],
    options: &PointOptions,
    target: Crs,
) -> Result<CoordinateColumns> {
    let named = |name: &str, role: &str| {
        find_column(headers, &[name]).ok_or_else(|| {
            Error::input(
                path,
                Location::Column(name.to_string()),
                format!("no column '{name}' for the {role}"),
                format!("columns are: {}", headers.join(", ")),
            )
        })
    };
    let crs_column = match &options.crs_column {
        Some(c) => Some(named(c, "CRS")?),
        None => find_column(headers, CRS_COLUMNS),
    };
    let find_pair = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .find_map(|(x, y)| Some((find_column(headers, &[x])?, find_column(headers, &[y])?)))
    };
    let source_geographic = options
        .source_crs
        .map(|c| c == Crs::WGS84 || c.info().map(|i| i.geographic).unwrap_or(false));
    let (x, y, geographic_names) = match (&options.x_column, &options.y_column) {
        (Some(x), Some(y)) => {
            let looks_geo = GEOGRAPHIC_PAIRS
                .iter()
                .any(|(gx, gy)| column_key(x) == column_key(gx) && column_key(y) == column_key(gy));
            (
                named(x, "x coordinate")?,
                named(y, "y coordinate")?,
                looks_geo,
            )
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(Error::usage(
                "give both the x and the y coordinate columns",
                "e.g. --x-column longitude --y-column latitude",
            ));
        }
        (None, None) => {
            let projected = find_pair(PROJECTED_PAIRS);
            let geographic = find_pair(GEOGRAPHIC_PAIRS);
            let prefer_projected = match source_geographic {
                Some(g) => !g,
                None => crs_column.is_some(),
            };
            match (projected, geographic) {
                (Some((x, y)), _) if prefer_projected || geographic.is_none() => (x, y, false),
                (_, Some((x, y))) => (x, y, true),
                _ => {
                    if let Some(e) = unknown_separator(path, headers) {
                        return Err(e);
                    }
                    return Err(Error::input(
                        path,
                        Location::File,
                        "no coordinate columns found",
                        format!(
                            "name them longitude/latitude (WGS84) or x/y (with an EPSG column or --source-crs), or give --x-column and --y-column; columns are: {}",
                            headers.join(", ")
                        ),
                    ));
                }
            }
        }
    };
    let default_crs =
        options
            .source_crs
            .unwrap_or(if geographic_names { Crs::WGS84 } else { target });
    Ok(CoordinateColumns {
        x,
        y,
        crs_column,
        default_crs,
    })
}

/// Streaming reader of points (CSV rows, or point features of a vector layer).
///
/// ```
/// use std::path::Path;
/// use qpv::crs::Crs;
/// use qpv::io::table::TableReader;
/// use qpv::io::{PointOptions, PointReader};
///
/// let csv = "nom;latitude;longitude\nLycée Condorcet;47,63252927885913;6,850322315354423\n";
/// let opts = PointOptions::default();
/// let table = TableReader::from_bytes(Path::new("ecoles.csv"), csv.into(), &opts.table).unwrap();
/// let mut points = PointReader::from_table(table, &opts, Crs::LAMBERT93).unwrap();
/// let row = points.next().unwrap().unwrap();
/// assert_eq!(row.fields[0], "Lycée Condorcet");
/// // PROJ's cs2cs gives 989031.7998 6732842.2045.
/// assert!((row.point.x - 989031.7998).abs() < 1e-3 && (row.point.y - 6732842.2045).abs() < 1e-3);
/// ```
pub struct PointReader {
    path: PathBuf,
    headers: Vec<String>,
    target: Crs,
    inner: Inner,
    skipped: u64,
}

enum Inner {
    Csv(CsvPoints),
    Vector(VectorPoints),
}

struct CsvPoints {
    table: TableReader,
    parser: PointParser,
}

struct VectorPoints {
    features: std::vec::IntoIter<VectorFeature>,
    to_metric: ToMetric,
    /// Attribute columns (the first headers); `x` and `y` follow with `layer_xy`.
    attributes: usize,
    xy: bool,
}

impl PointReader {
    /// Opens a CSV, GeoJSON or GDAL file of points, reprojecting into `target`.
    /// The path `-` reads a CSV or GeoJSON from standard input (named `<stdin>` in messages).
    pub fn open(path: &Path, options: &PointOptions, target: Crs) -> Result<Self> {
        if is_stdin(path) {
            let (kind, input) = open_stdin()?;
            return if kind == SourceKind::Csv {
                let table =
                    TableReader::from_reader(stdin_name(), Box::new(input), &options.table)?;
                Self::from_table(table, options, target)
            } else {
                let layer = read_stdin_geojson(input)?;
                Self::from_layer(stdin_name(), layer, options, target)
            };
        }
        match detect(path) {
            SourceKind::Csv => {
                let table = TableReader::open(path, &options.table)?;
                Self::from_table(table, options, target)
            }
            _ => {
                let layer = read_vector(path, options.layer.as_deref())?;
                Self::from_layer(path, layer, options, target)
            }
        }
    }

    /// Points from a vector layer read whole.
    fn from_layer(
        path: &Path,
        layer: VectorLayer,
        options: &PointOptions,
        target: Crs,
    ) -> Result<Self> {
        let headers: Vec<String> = layer.fields.iter().map(|f| f.name.clone()).collect();
        let source = options.source_crs.or(layer.crs).ok_or_else(|| {
            Error::input(
                path,
                Location::File,
                "the layer declares no coordinate reference system",
                "give it with --source-crs EPSG:<code>",
            )
        })?;
        let to_metric = ToMetric::new(source, target)?;
        let attributes = headers.len();
        let mut headers = headers;
        if options.layer_xy {
            for name in ["x", "y"] {
                let mut name = name.to_string();
                while headers.contains(&name) {
                    name = format!("qpv_{name}");
                }
                headers.push(name);
            }
        }
        Ok(PointReader {
            path: path.to_path_buf(),
            headers,
            target,
            inner: Inner::Vector(VectorPoints {
                features: layer.features.into_iter(),
                to_metric,
                attributes,
                xy: options.layer_xy,
            }),
            skipped: 0,
        })
    }

    /// Reads points from an open table (embedded data, tests).
    pub fn from_table(table: TableReader, options: &PointOptions, target: Crs) -> Result<Self> {
        let path = table.path().to_path_buf();
        let headers = table.headers().to_vec();
        let columns = coordinate_columns(&path, &headers, options, target)?;
        // Fails early (before any row) when the file's CRS cannot be transformed.
        with_transform(columns.default_crs, target, |_| ())?;
        Ok(PointReader {
            path: path.clone(),
            headers: headers.clone(),
            target,
            inner: Inner::Csv(CsvPoints {
                table,
                parser: PointParser {
                    path,
                    headers,
                    columns,
                    target,
                    skip_empty: options.skip_empty,
                },
            }),
            skipped: 0,
        })
    }

    /// Column names (CSV header, or the layer's attribute fields).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The working CRS the points are delivered in.
    pub fn target(&self) -> Crs {
        self.target
    }

    /// The coordinate columns used (CSV only).
    pub fn coordinate_columns(&self) -> Option<&CoordinateColumns> {
        match &self.inner {
            Inner::Csv(c) => Some(&c.parser.columns),
            Inner::Vector(_) => None,
        }
    }

    /// Rows skipped so far because both coordinates were empty (with `skip_empty`).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Splits a CSV reader into its raw rows and a [`PointParser`], so that the parsing and
    /// reprojection of each row can run on worker threads while the calling thread only splits
    /// records. `None` for vector layers (read with the iterator).
    pub fn raw_csv(&mut self) -> Option<(RawRows<'_>, PointParser)> {
        let Inner::Csv(c) = &mut self.inner else {
            return None;
        };
        Some((
            RawRows {
                table: &mut c.table,
            },
            c.parser.clone(),
        ))
    }

    fn next_point(&mut self) -> Option<Result<PointRow>> {
        match &mut self.inner {
            Inner::Csv(c) => loop {
                let row = match c.table.next_row()? {
                    Ok(r) => r,
                    Err(e) => return Some(Err(e)),
                };
                let raw = RawPoint {
                    line: row.line,
                    fields: row.fields,
                };
                match c.parser.row(&raw, self.headers.len()) {
                    Ok(Some(row)) => return Some(Ok(row)),
                    Ok(None) => self.skipped += 1,
                    Err(e) => return Some(Err(e)),
                }
            },
            Inner::Vector(v) => {
                let f = v.features.next()?;
                let loc = Location::Feature(f.index);
                if let Some(e) = f.error_at(&self.path) {
                    return Some(Err(e));
                }
                let c = match f.geometry {
                    Some(Geometry::Point(p)) => p.0,
                    Some(Geometry::MultiPoint(mp)) if mp.0.len() == 1 => mp.0[0].0,
                    None => {
                        return Some(Err(Error::input(
                            &self.path,
                            loc,
                            "a feature without geometry",
                            "remove the feature or give it a point",
                        )));
                    }
                    Some(g) => {
                        return Some(Err(Error::input(
                            &self.path,
                            loc,
                            format!("a {} where a point was expected", geometry_kind(&g)),
                            "give a layer of points (use centroids in a GIS if needed)",
                        )));
                    }
                };
                let point = match v.to_metric.coord(c) {
                    Ok(p) => p,
                    Err(e) => return Some(Err(Error::input(&self.path, loc, e.message, e.hint))),
                };
                let mut fields: Vec<String> = self.headers[..v.attributes]
                    .iter()
                    .map(|h| f.attributes.text(h))
                    .collect();
                if v.xy {
                    fields.push(format!("{:.2}", point.x));
                    fields.push(format!("{:.2}", point.y));
                }
                Some(Ok(PointRow {
                    location: loc,
                    fields,
                    point,
                }))
            }
        }
    }
}

/// One CSV row not parsed yet: its line number and its fields.
#[derive(Debug, Clone, Default)]
pub struct RawPoint {
    /// Line number (the header is line 1).
    pub line: u64,
    /// The row's fields, in [`PointReader::headers`] order.
    pub fields: csv::StringRecord,
}

/// The raw rows of a CSV [`PointReader`] (see [`PointReader::raw_csv`]).
pub struct RawRows<'r> {
    table: &'r mut TableReader,
}

impl RawRows<'_> {
    /// Reads the next row into `row`, reusing its memory; `None` at the end.
    pub fn read_into(&mut self, row: &mut RawPoint) -> Option<Result<()>> {
        Some(
            self.table
                .read_into(&mut row.fields)?
                .map(|line| row.line = line),
        )
    }
}

impl Iterator for RawRows<'_> {
    type Item = Result<RawPoint>;
    fn next(&mut self) -> Option<Self::Item> {
        Some(self.table.next_row()?.map(|row| RawPoint {
            line: row.line,
            fields: row.fields,
        }))
    }
}

/// Turns [`RawPoint`]s into coordinates in the working CRS, with the same checks and error
/// messages as [`PointReader`]. It can be shared by threads: the PROJ transformations, which
/// must not be, are kept per thread.
#[derive(Debug, Clone)]
pub struct PointParser {
    path: PathBuf,
    headers: Vec<String>,
    columns: CoordinateColumns,
    target: Crs,
    skip_empty: bool,
}

/// Per-thread PROJ transformations (source, target) and the last CRS text parsed.
struct ThreadTransforms {
    transforms: Vec<(Crs, Crs, ToMetric)>,
    last_crs: Option<(String, Crs)>,
}

thread_local! {
    static TRANSFORMS: std::cell::RefCell<ThreadTransforms> =
        const { std::cell::RefCell::new(ThreadTransforms { transforms: Vec::new(), last_crs: None }) };
}

/// Runs `f` with this thread's transformation `source` → `target` (built on first use; PROJ
/// objects are not thread-safe, and building one costs milliseconds).
pub(crate) fn with_transform<R>(
    source: Crs,
    target: Crs,
    f: impl FnOnce(&ToMetric) -> R,
) -> Result<R> {
    TRANSFORMS.with(|cell| {
        let mut state = cell.borrow_mut();
        let slot = match state
            .transforms
            .iter()
            .position(|(s, t, _)| *s == source && *t == target)
        {
            Some(i) => i,
            None => {
                let t = ToMetric::new(source, target)?;
                state.transforms.push((source, target, t));
                state.transforms.len() - 1
            }
        };
        Ok(f(&state.transforms[slot].2))
    })
}

/// `text` parsed as a CRS, remembering the last text of this thread (usually one per file).
fn parse_crs_cached(text: &str) -> Result<Crs> {
    TRANSFORMS.with(|cell| {
        let mut state = cell.borrow_mut();
        if let Some((t, crs)) = &state.last_crs
            && t == text
        {
            return Ok(*crs);
        }
        let crs = Crs::parse(text)?;
        state.last_crs = Some((text.to_string(), crs));
        Ok(crs)
    })
}

impl PointParser {
    /// The row with its point in the working CRS and its fields as text, `width` of them (a
    /// short row's missing last fields are empty, as in a spreadsheet); `None` for a row
    /// without coordinates skipped on request (`skip_empty`).
    pub fn row(&self, raw: &RawPoint, width: usize) -> Result<Option<PointRow>> {
        let Some(point) = self.parse(raw)? else {
            return Ok(None);
        };
        let mut fields: Vec<String> = raw.fields.iter().map(str::to_string).collect();
        fields.resize(width, String::new());
        Ok(Some(PointRow {
            location: Location::Line(raw.line),
            fields,
            point,
        }))
    }

    /// The row's point in the working CRS; `None` for a row without coordinates skipped on
    /// request (`skip_empty`).
    pub fn parse(&self, row: &RawPoint) -> Result<Option<Coord<f64>>> {
        let Some((coord, crs)) = self.source(row)? else {
            return Ok(None);
        };
        self.transform(row, coord, crs)
    }

    /// Parses and reprojects `rows` as [`Self::parse`] does one by one, appending `(index in
    /// rows, point)` to `out` up to the first error, which is returned with the number of rows
    /// skipped. Reprojects the whole run in one PROJ call when the file has no CRS column:
    /// the same values, with less overhead per point.
    pub fn parse_run(
        &self,
        rows: &[RawPoint],
        out: &mut Vec<(u32, Coord<f64>)>,
    ) -> (u64, Option<Error>) {
        let mut skipped = 0;
        let start = out.len();
        let crs = self.columns.default_crs;
        let batched = if self.columns.crs_column.is_some() {
            None
        } else {
            with_transform(crs, self.target, |t| {
                // 1. Source coordinates, checked, up to the first bad row.
                let mut error = None;
                let mut run: Vec<(f64, f64)> = Vec::with_capacity(rows.len());
                for (i, row) in rows.iter().enumerate() {
                    match self.source(row) {
                        Ok(Some((c, _))) => match t.plausibility.check_source(c, crs) {
                            Ok(()) => {
                                out.push((i as u32, c));
                                run.push((c.x, c.y));
                            }
                            Err(e) => {
                                error = Some(self.implausible(row, e));
                                break;
                            }
                        },
                        Ok(None) => skipped += 1,
                        Err(e) => {
                            error = Some(e);
                            break;
                        }
                    }
                }
                // 2. One PROJ call, then the target checks; any failure: undo, go row by row.
                if t.reprojector.coords(&mut run).is_err() {
                    return None;
                }
                for ((_, c), p) in out[start..].iter_mut().zip(&run) {
                    let p = Coord { x: p.0, y: p.1 };
                    if t.plausibility.check_target(*c, p, crs).is_err() {
                        return None;
                    }
                    *c = p;
                }
                Some(error)
            })
            .ok()
            .flatten()
        };
        if let Some(error) = batched {
            return (skipped, error);
        }
        out.truncate(start);
        skipped = 0;
        for (i, row) in rows.iter().enumerate() {
            match self.parse(row) {
                Ok(Some(p)) => out.push((i as u32, p)),
                Ok(None) => skipped += 1,
                Err(e) => return (skipped, Some(e)),
            }
        }
        (skipped, None)
    }

    /// The row's coordinates as written and their CRS; `None` for a row without coordinates
    /// skipped on request.
    fn source(&self, row: &RawPoint) -> Result<Option<(Coord<f64>, Crs)>> {
        let c = &self.columns;
        let loc = Location::Line(row.line);
        if row.fields.len() > self.headers.len() {
            // Outputs keep the input columns: a longer row would shift every column after it.
            return Err(Error::input(
                &self.path,
                loc,
                format!(
                    "the row has {} fields but the header has {}",
                    row.fields.len(),
                    self.headers.len()
                ),
                "a separator inside a value? quote the value (\"…\"), or remove the extra field",
            ));
        }
        let get = |i: usize| row.fields.get(i).unwrap_or("");
        let (xs, ys) = (get(c.x), get(c.y));
        if xs.trim().is_empty() && ys.trim().is_empty() && self.skip_empty {
            return Ok(None);
        }
        let coord = match (number(xs), number(ys)) {
            (Some(x), Some(y)) => Coord { x, y },
            _ => {
                let (name, text) = if number(xs).is_none() {
                    (&self.headers[c.x], xs)
                } else {
                    (&self.headers[c.y], ys)
                };
                let what = if row.fields.len() <= c.x.max(c.y) {
                    format!(
                        "the row has {} fields, the coordinate column '{name}' is missing",
                        row.fields.len()
                    )
                } else if text.trim().is_empty() {
                    format!("empty coordinate in column '{name}'")
                } else {
                    format!("'{text}' in column '{name}' is not a finite number")
                };
                return Err(Error::input(
                    &self.path,
                    loc,
                    what,
                    "fix or remove the row (decimal comma and point are both accepted); --skip-empty skips rows without coordinates",
                ));
            }
        };
        let crs = match c.crs_column.map(get) {
            Some(t) if !t.trim().is_empty() => match parse_crs_cached(t) {
                Ok(crs) => crs,
                Err(_) => {
                    return Err(Error::input(
                        &self.path,
                        loc,
                        format!(
                            "'{t}' in column '{}' is not a CRS",
                            self.headers[c.crs_column.unwrap_or(0)]
                        ),
                        "write EPSG:<code>, e.g. EPSG:2154",
                    ));
                }
            },
            _ => c.default_crs,
        };
        Ok(Some((coord, crs)))
    }

    /// `coord`, read in `crs` on `row`, checked and reprojected into the working CRS.
    /// The error for a row whose coordinates failed the CRS checks.
    fn implausible(&self, row: &RawPoint, e: Implausible) -> Error {
        Error::input(&self.path, Location::Line(row.line), e.message, e.hint)
    }

    fn transform(&self, row: &RawPoint, coord: Coord<f64>, crs: Crs) -> Result<Option<Coord<f64>>> {
        let loc = Location::Line(row.line);
        match with_transform(crs, self.target, |t| t.coord(coord)) {
            Ok(Ok(p)) => Ok(Some(p)),
            Ok(Err(e)) => Err(self.implausible(row, e)),
            Err(e) => Err(Error::input(
                &self.path,
                loc,
                e.to_string(),
                "check the EPSG code of the row",
            )),
        }
    }
}

impl Iterator for PointReader {
    type Item = Result<PointRow>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_point()
    }
}

/// A finite number, fast paths first (`6.8503223`), then French spellings (`6,85`, `1 234,5`).
fn number(text: &str) -> Option<f64> {
    if let Some(v) = plain_decimal(text.as_bytes()) {
        return Some(v);
    }
    match text.trim().parse::<f64>() {
        Ok(v) => v.is_finite().then_some(v),
        Err(_) => parse_number(text),
    }
}

/// The geometry type name as GeoJSON spells it.
pub fn geometry_kind(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_read_exactly_like_str_parse() {
        for t in [
            "0",
            "7",
            "-0",
            "6.8503223",
            "-4.6800000",
            "49.8606313",
            "1234567.8901234",
            "999999999999999",
            "0.0000001",
            "-123456789.012345",
            "12.",
            ".5",
            "1e5",
            "+3",
            "1.2.3",
            "--1",
            "",
            "-",
            "1234567890123456",
            "0.1234567890123456",
        ] {
            let fast = plain_decimal(t.as_bytes());
            let std = t.parse::<f64>().ok();
            match fast {
                Some(v) => assert_eq!(Some(v.to_bits()), std.map(f64::to_bits), "{t}"),
                None => assert!(
                    matches!(t, "12." | ".5" | "1e5" | "+3" | "1.2.3" | "--1" | "" | "-")
                        || t.len() >= 16,
                    "{t} should take the fast path"
                ),
            }
        }
        // Every 7-decimal coordinate of a sweep, bit for bit.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            crate::test_random::xorshift(&mut x);
            let t = format!(
                "{}{}.{:07}",
                if x & 1 == 0 { "-" } else { "" },
                (x >> 8) % 2_000_000,
                (x >> 30) % 10_000_000
            );
            assert_eq!(
                plain_decimal(t.as_bytes()).map(f64::to_bits),
                t.parse::<f64>().ok().map(f64::to_bits),
                "{t}"
            );
        }
    }

    fn reader(text: &str, options: &PointOptions) -> Result<PointReader> {
        let t =
            TableReader::from_bytes(Path::new("p.csv"), text.as_bytes().to_vec(), &options.table)?;
        PointReader::from_table(t, options, Crs::LAMBERT93)
    }

    #[test]
    fn lat_lon_columns_are_wgs84() {
        let r = reader(
            "nom;latitude;longitude\nCondorcet;47,63252927885913;6,850322315354423\n",
            &PointOptions::default(),
        )
        .unwrap();
        let rows: Vec<PointRow> = r.collect::<Result<_>>().unwrap();
        assert_eq!(
            rows[0].fields,
            ["Condorcet", "47,63252927885913", "6,850322315354423"]
        );
        // cs2cs EPSG:4326 EPSG:2154: 989031.7998 6732842.2045
        assert!((rows[0].point.x - 989031.7998).abs() < 1e-3);
        assert!((rows[0].point.y - 6732842.2045).abs() < 1e-3);
    }

    #[test]
    fn epsg_column_selects_projected_pair() {
        let r = reader(
            "x,y,EPSG,latitude,longitude\n989031.8,6732842.2,EPSG:2154,47.0,6.0\n",
            &PointOptions::default(),
        )
        .unwrap();
        let c = r.coordinate_columns().unwrap().clone();
        assert_eq!((c.x, c.y, c.crs_column), (0, 1, Some(2)));
        let rows: Vec<PointRow> = r.collect::<Result<_>>().unwrap();
        assert_eq!(
            rows[0].point,
            Coord {
                x: 989031.8,
                y: 6732842.2
            }
        );
    }

    #[test]
    fn bad_number_names_line_and_column() {
        let r = reader("lon,lat\n6.85,47.63\n6.85,abc\n", &PointOptions::default()).unwrap();
        let e = r.collect::<Result<Vec<_>>>().unwrap_err().to_string();
        assert!(e.starts_with("p.csv, line 3: 'abc' in column 'lat'"), "{e}");
    }

    // Row 2 in Lambert-93, row 3 in WGS84 (cs2cs EPSG:4326 EPSG:2154 gives 989031.7998
    // 6732842.2045 for the Lycée Condorcet), row 4 without a CRS: the file default (x/y names
    // → the working CRS).
    #[test]
    fn per_row_epsg_is_honoured() {
        let text = "id;x;y;epsg\nA;989031,8;6732842,2;EPSG:2154\nB;6,850322315354423;47,63252927885913;4326\nC;989031.8;6732842.2;\n";
        let rows: Vec<PointRow> = reader(text, &PointOptions::default())
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(
            rows[0].point,
            Coord {
                x: 989031.8,
                y: 6732842.2
            }
        );
        assert!(
            (rows[1].point.x - 989031.7998).abs() < 1e-3
                && (rows[1].point.y - 6732842.2045).abs() < 1e-3
        );
        assert_eq!(
            rows[2].point,
            Coord {
                x: 989031.8,
                y: 6732842.2
            }
        );
        assert_eq!(rows[2].location, Location::Line(4));
    }

    #[test]
    fn empty_rows_skipped_only_when_asked() {
        let text = "lon,lat\n6.85,47.63\n,\n6.86,47.64\n";
        let opts = PointOptions {
            skip_empty: true,
            ..PointOptions::default()
        };
        let mut r = reader(text, &opts).unwrap();
        let rows: Vec<PointRow> = r.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].location, Location::Line(4));
        assert_eq!(r.skipped(), 1);
        let e = reader(text, &PointOptions::default())
            .unwrap()
            .collect::<Result<Vec<_>>>()
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("p.csv, line 3: empty coordinate in column 'lon'"),
            "{e}"
        );
    }

    #[test]
    fn given_columns_and_source_crs() {
        let text = "a;b;c\nZ;4083440.5979;2729054.0652\n";
        let opts = PointOptions {
            x_column: Some("b".into()),
            y_column: Some("c".into()),
            source_crs: Some(Crs::LAEA_EUROPE),
            ..PointOptions::default()
        };
        let rows: Vec<PointRow> = reader(text, &opts).unwrap().collect::<Result<_>>().unwrap();
        // The same school (Collège Simone Signoret) in EPSG:3035 and, by cs2cs, in Lambert-93:
        // 988284.9998 6732462.9045.
        assert!(
            (rows[0].point.x - 988284.9998).abs() < 1e-3,
            "{:?}",
            rows[0].point
        );
        assert!(
            (rows[0].point.y - 6732462.9045).abs() < 1e-3,
            "{:?}",
            rows[0].point
        );
    }

    #[test]
    fn missing_columns_listed() {
        let e = reader("a,b\n1,2\n", &PointOptions::default())
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("no coordinate columns") && e.contains("a, b"),
            "{e}"
        );
    }
}
