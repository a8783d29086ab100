//! Facilities (schools, social centres...) from CSV tables or point layers.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use foldhash::fast::FixedState;
use rayon::prelude::*;

use crate::crs::Crs;
use crate::error::{Error, Location, Result};
use crate::model::{AttrValue, Attributes, Category, Facility};

use super::points::{PointOptions, PointParser, PointReader, PointRow, RawPoint, RawRows};
use super::problems::first_problem;
use super::row_batches::refill;
use super::table::find_column;

/// Column names tried for the category.
const CATEGORY_COLUMNS: &[&str] = &["category", "categorie", "type", "kind"];

/// Where a facility's category comes from.
#[derive(Debug, Clone, Default)]
pub enum CategorySource {
    /// A column named `category`, `categorie`, `type` or `kind`; for an Annuaire de
    /// l'éducation export (UAI and `code_nature` columns), the schools mapping of
    /// [`FacilityFields::annuaire_education`].
    #[default]
    Detect,
    /// This column.
    Column(String),
    /// The same category for every row (e.g. a file of social centres).
    Fixed(Category),
}

/// Which columns hold a facility's id, name and category, and where its point is.
#[derive(Debug, Clone, Default)]
pub struct FacilityFields {
    /// Id column; detected among `id`, `uai`, `numero_uai`, `identifiant_de_l_etablissement`,
    /// `identifiant`, `code`, `fid` when `None`; without any, ids are the 1-based row numbers.
    pub id: Option<String>,
    /// Name column; detected among `name`, `nom`, `appellation_officielle`,
    /// `nom_etablissement`, `denomination`, `libelle` when `None`.
    pub name: Option<String>,
    /// Category source.
    pub category: CategorySource,
    /// Raw category value → category. When not empty, rows whose value is not listed are
    /// skipped (e.g. keep only schools out of the Annuaire's 13 kinds of establishment).
    pub category_map: Vec<(String, Category)>,
    /// Coordinate columns, CRS, layer.
    pub points: PointOptions,
}

impl FacilityFields {
    /// The mapping for the Éducation nationale "Annuaire de l'éducation" export: UAI, name,
    /// Lambert-93 `coordX_origine`/`coordY_origine` with `epsg_origine`, and code_nature 101
    /// (maternelle), 151 (élémentaire/primaire), 340 (collège), 300 and 320 (lycées).
    pub fn annuaire_education() -> Self {
        let map = |code: &str, cat: &str| (code.to_string(), Category(cat.to_string()));
        FacilityFields {
            id: Some("Identifiant_de_l_etablissement".into()),
            name: Some("Nom_etablissement".into()),
            category: CategorySource::Column("code_nature".into()),
            category_map: vec![
                map("101", Category::ECOLE_MATERNELLE),
                map("151", Category::ECOLE_ELEMENTAIRE),
                map("340", Category::COLLEGE),
                map("300", Category::LYCEE),
                map("320", Category::LYCEE),
            ],
            points: PointOptions {
                x_column: Some("coordX_origine".into()),
                y_column: Some("coordY_origine".into()),
                crs_column: Some("epsg_origine".into()),
                ..PointOptions::default()
            },
        }
    }
}

/// Reads facilities from a CSV, GeoJSON or GDAL file into `target`, sorted by category then id.
pub fn read_facilities(path: &Path, fields: &FacilityFields, target: Crs) -> Result<Vec<Facility>> {
    let reader = PointReader::open(path, &fields.points, target)?;
    facilities_from_points(reader, fields)
}

/// Facilities from an open point reader; the first problem is the error.
pub fn facilities_from_points(
    reader: PointReader,
    fields: &FacilityFields,
) -> Result<Vec<Facility>> {
    let mut problems = Vec::new();
    let out = check_facilities(reader, fields, &mut problems)?;
    first_problem(problems)?;
    Ok(out)
}

/// Facilities from an open point reader, pushing every per-row problem to `problems` (the row
/// is skipped); whole-file problems are the error.
///
/// The rows of a CSV file are split in batches on the calling thread; each batch's points are
/// parsed and reprojected and its facilities built on every thread (while the next batch is
/// split), then taken in file order: the duplicate ids, the row numbers used as ids and the
/// problems are those of a loop over the rows.
pub fn check_facilities(
    reader: PointReader,
    fields: &FacilityFields,
    problems: &mut Vec<Error>,
) -> Result<Vec<Facility>> {
    check_facilities_by(reader, fields, problems, true)
}

/// [`check_facilities`]; `batches`: the rows of a CSV file in batches (the tests also take
/// them one by one through the reader's iterator, as for the other sources, to compare).
fn check_facilities_by(
    mut reader: PointReader,
    fields: &FacilityFields,
    problems: &mut Vec<Error>,
    batches: bool,
) -> Result<Vec<Facility>> {
    let path = reader.path().to_path_buf();
    let headers = reader.headers().to_vec();
    if let Some(e) = super::table::unknown_separator(&path, &headers) {
        return Err(e);
    }
    let fields = with_annuaire_preset(fields, &headers);
    let fields = fields.as_ref();
    let columns = FacilityColumns::find(&path, &headers, fields)?;
    let rows = RowFacilities {
        path: &path,
        headers: &headers,
        fields,
        columns: &columns,
    };
    let mut taken = Taken {
        path: &path,
        seen: HashSet::default(),
        out: Vec::new(),
        rows: 0,
    };
    match if batches { reader.raw_csv() } else { None } {
        Some((raw, parser)) => take_batches(raw, &parser, &rows, &mut taken, problems)?,
        None => {
            for row in reader {
                match row {
                    Ok(row) => taken.take(rows.of_row(row), problems),
                    Err(e) => taken.table_error(e, problems)?,
                }
            }
        }
    }
    let mut out = taken.out;
    if out.is_empty() && problems.is_empty() {
        return Err(no_facilities(&path, fields));
    }
    // Ids are unique (a duplicate is a problem above), so no two keys are equal and an
    // unstable sort gives the one order; in parallel, as the other file may be read by then.
    out.par_sort_unstable_by(|a, b| a.category.cmp(&b.category).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// Takes the rows of a CSV file in batches: each batch is converted on the pool while the
/// next one is read on this thread, then taken in file order. A row the table cannot read is
/// a problem of its row, and the reading goes on, as in the row loop.
fn take_batches(
    mut raw: RawRows<'_>,
    parser: &PointParser,
    rows: &RowFacilities<'_>,
    taken: &mut Taken<'_>,
    problems: &mut Vec<Error>,
) -> Result<()> {
    let read = |raw: &mut RawRows<'_>, batch: &mut Vec<RawPoint>| {
        refill(&mut |row: &mut RawPoint| raw.read_into(row), batch, BATCH)
    };
    let (mut batch, mut next): (Vec<RawPoint>, Vec<RawPoint>) = (Vec::new(), Vec::new());
    let mut current = read(&mut raw, &mut batch);
    if matches!(current, (BATCH, None)) {
        taken.reserve(estimated_rows(rows.path, &batch));
    }
    let rows_of = |batch: &[RawPoint]| -> Vec<RowFacility> {
        batch.par_iter().map(|r| rows.of_raw(r, parser)).collect()
    };
    loop {
        let (len, error) = current;
        // A full batch without error: more rows may follow.
        let full = len == BATCH && error.is_none();
        let mut made = Vec::new();
        let prefetched = if full {
            rayon::scope(|s| {
                s.spawn(|_| made = rows_of(&batch[..len]));
                Some(read(&mut raw, &mut next))
            })
        } else {
            made = rows_of(&batch[..len]);
            None
        };
        for row in made {
            taken.take(row, problems);
        }
        match error {
            Some(e) => taken.table_error(e, problems)?,
            None if !full => return Ok(()),
            None => {}
        }
        current = match prefetched {
            Some(read) => read,
            None => read(&mut raw, &mut next),
        };
        std::mem::swap(&mut batch, &mut next);
    }
}

/// Rows of a CSV file read at once, their points parsed on every thread.
const BATCH: usize = 8192;

/// The rows of the file at `path` guessed from its first `rows` (their mean length), so that
/// the facilities and ids of a large file are not copied each time their room doubles (two
/// thirds of the time of reading 600,000 facilities went to touching fresh memory).
fn estimated_rows(path: &Path, rows: &[RawPoint]) -> usize {
    let read = rows
        .last()
        .and_then(|r| r.fields.position())
        .map_or(0, |p| p.byte());
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if read == 0 || rows.is_empty() {
        return 0;
    }
    let per_row = read as f64 / (rows.len() - 1).max(1) as f64;
    // 2 % over, for rows a little longer further down; at most 2²⁶ rows.
    ((size as f64 / per_row * 1.02) as usize).min(1 << 26)
}

/// What one row gives.
enum RowFacility {
    /// Nothing, and not counted as a row: no coordinates, skipped on request.
    Skipped,
    /// No facility: the row's problem, if any (none: outside the category map).
    Refused(Option<Error>),
    /// A facility from the row at `location`; `numbered`: the file has no id column, the id
    /// is the row's number, given when the rows are taken in order.
    Facility {
        facility: Facility,
        location: Location,
        numbered: bool,
    },
}

/// Makes the facility of each row (anything but the checks across rows).
struct RowFacilities<'a> {
    path: &'a Path,
    headers: &'a [String],
    fields: &'a FacilityFields,
    columns: &'a FacilityColumns,
}

impl RowFacilities<'_> {
    /// A raw CSV row: its point parsed and reprojected by `parser`, then as [`Self::of_row`].
    fn of_raw(&self, raw: &RawPoint, parser: &PointParser) -> RowFacility {
        match parser.row(raw, self.headers.len()) {
            Ok(Some(row)) => self.of_row(row),
            Ok(None) => RowFacility::Skipped,
            Err(e) => RowFacility::Refused(Some(e)),
        }
    }

    /// The facility of a row read with its point.
    fn of_row(&self, row: PointRow) -> RowFacility {
        let get = |i: Option<usize>| {
            i.and_then(|i| row.fields.get(i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let category = match row_category(self.fields, get(self.columns.category)) {
            Ok(Some(c)) => c,
            Ok(None) => return RowFacility::Refused(None),
            Err((message, hint)) => {
                let e = Error::input(self.path, row.location, message, hint);
                return RowFacility::Refused(Some(e));
            }
        };
        let numbered = self.columns.id.is_none();
        let id = get(self.columns.id).to_string();
        let name = get(self.columns.name).to_string();
        RowFacility::Facility {
            facility: Facility {
                id,
                name,
                category,
                point: row.point.into(),
                attributes: row_attributes(self.headers, row.fields),
            },
            location: row.location,
            numbered,
        }
    }
}

/// The facilities taken so far, in file order, with the checks across rows.
struct Taken<'a> {
    path: &'a Path,
    // foldhash rather than SipHash: the ids of a local file need no protection against
    // flooding, and hashing 60,000 national ids was a visible part of loading them.
    seen: HashSet<String, FixedState>,
    out: Vec<Facility>,
    /// Rows counted so far (the row number of a facility of a file without ids).
    rows: usize,
}

impl Taken<'_> {
    /// Makes room for `rows` more rows.
    fn reserve(&mut self, rows: usize) {
        self.out.reserve(rows);
        self.seen.reserve(rows);
    }

    /// Takes the next row's outcome.
    fn take(&mut self, row: RowFacility, problems: &mut Vec<Error>) {
        match row {
            RowFacility::Skipped => {}
            RowFacility::Refused(problem) => {
                self.rows += 1;
                problems.extend(problem);
            }
            RowFacility::Facility {
                mut facility,
                location,
                numbered,
            } => {
                self.rows += 1;
                if numbered {
                    facility.id = self.rows.to_string();
                }
                match id_problem(&facility.id, &mut self.seen) {
                    Some((message, hint)) => {
                        problems.push(Error::input(self.path, location, message, hint));
                    }
                    None => self.out.push(facility),
                }
            }
        }
    }

    /// A row the table could not read: the error when it ends the file (unbalanced
    /// quotes...), else a problem of its row.
    fn table_error(&mut self, e: Error, problems: &mut Vec<Error>) -> Result<()> {
        if matches!(
            &e,
            Error::Input {
                location: Location::File,
                ..
            }
        ) {
            return Err(e);
        }
        self.rows += 1;
        problems.push(e);
        Ok(())
    }
}

/// An export of the Annuaire de l'éducation without a category column: use its nature codes.
fn with_annuaire_preset<'a>(
    fields: &'a FacilityFields,
    headers: &[String],
) -> Cow<'a, FacilityFields> {
    if matches!(fields.category, CategorySource::Detect)
        && fields.category_map.is_empty()
        && find_column(headers, CATEGORY_COLUMNS).is_none()
        && find_column(headers, &["code_nature"]).is_some()
        && find_column(headers, &["Identifiant_de_l_etablissement"]).is_some()
    {
        let annuaire = FacilityFields::annuaire_education();
        Cow::Owned(FacilityFields {
            category: annuaire.category,
            category_map: annuaire.category_map,
            ..fields.clone()
        })
    } else {
        Cow::Borrowed(fields)
    }
}

/// The columns of the id, name and category, given or detected.
struct FacilityColumns {
    id: Option<usize>,
    name: Option<usize>,
    category: Option<usize>,
}

impl FacilityColumns {
    fn find(path: &Path, headers: &[String], fields: &FacilityFields) -> Result<Self> {
        let column =
            |given: &Option<String>, candidates: &[&str], what: &str| -> Result<Option<usize>> {
                match given {
                    Some(name) => find_column(headers, &[name]).map(Some).ok_or_else(|| {
                        Error::input(
                            path,
                            Location::Column(name.clone()),
                            format!("no column '{name}' for the facility {what}"),
                            format!("columns are: {}", headers.join(", ")),
                        )
                    }),
                    None => Ok(find_column(headers, candidates)),
                }
            };
        let id = column(
            &fields.id,
            &[
                "id",
                "uai",
                "numero_uai",
                "identifiant_de_l_etablissement",
                "identifiant",
                "code",
                "fid",
            ],
            "id",
        )?;
        let name = column(
            &fields.name,
            &[
                "name",
                "nom",
                "appellation_officielle",
                "nom_etablissement",
                "denomination",
                "libelle",
            ],
            "name",
        )?;
        let category = match &fields.category {
            CategorySource::Fixed(_) => None,
            CategorySource::Column(c) => column(&Some(c.clone()), &[], "category")?,
            CategorySource::Detect => Some(column(&None, CATEGORY_COLUMNS, "category")?.ok_or_else(|| {
                Error::input(
                    path,
                    Location::File,
                    "no category column found",
                    format!(
                        "name it 'category', choose it with --category-column, or give one category for all rows with --category; columns are: {}",
                        headers.join(", ")
                    ),
                )
            })?),
        };
        Ok(FacilityColumns { id, name, category })
    }
}

/// The category of a row (`raw` is its category cell): `None` skips the row silently (rows
/// outside a category map: the map selects the rows); the problem of a missing category.
fn row_category(
    fields: &FacilityFields,
    raw: &str,
) -> std::result::Result<Option<Category>, (&'static str, &'static str)> {
    Ok(match &fields.category {
        CategorySource::Fixed(c) => Some(c.clone()),
        _ if fields.category_map.is_empty() => {
            if raw.is_empty() {
                return Err(("empty category", "give every facility a category"));
            }
            Some(Category::new(raw))
        }
        _ => fields
            .category_map
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(raw))
            .map(|(_, c)| c.clone()),
    })
}

/// What is wrong with a row's id (message, hint), if anything; records it in `seen`.
fn id_problem(id: &str, seen: &mut HashSet<String, FixedState>) -> Option<(String, &'static str)> {
    if id.is_empty() {
        return Some(("empty facility id".into(), "give every facility an id"));
    }
    if !seen.insert(id.to_string()) {
        return Some((
            format!("duplicate facility id '{id}'"),
            "ids must be unique: remove the duplicate row or give it another id",
        ));
    }
    None
}

/// Every cell of a row as an attribute named after its column (empty cells are null).
fn row_attributes(headers: &[String], cells: Vec<String>) -> Attributes {
    Attributes(
        headers
            .iter()
            .zip(cells)
            .map(|(h, v)| {
                let value = if v.is_empty() {
                    AttrValue::Null
                } else {
                    AttrValue::Text(v)
                };
                (h.clone(), value)
            })
            .collect(),
    )
}

/// The error for a file that gave no facility and no problem.
fn no_facilities(path: &Path, fields: &FacilityFields) -> Error {
    Error::input(
        path,
        Location::File,
        if fields.category_map.is_empty() {
            "no facilities: the file has no data rows or features".to_string()
        } else {
            let keys: Vec<&str> = fields
                .category_map
                .iter()
                .map(|(k, _)| k.as_str())
                .collect();
            format!("no row has a category among {}", keys.join(", "))
        },
        "give at least one facility",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A facilities CSV of `rows` rows over three batches, with every kind of row problem
    /// spread through it: coordinates empty or not numbers, empty categories and ids,
    /// duplicate ids, short rows, and near the end a row in another text encoding (which ends
    /// the reading).
    fn messy_csv(dir: &Path, with_ids: bool, rows: usize) -> std::path::PathBuf {
        let path = dir.join(if with_ids { "ids.csv" } else { "no_ids.csv" });
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let head = if with_ids {
            "id,name,category,lon,lat,extra"
        } else {
            "name,category,lon,lat,extra"
        };
        writeln!(f, "{head}").unwrap();
        for i in 0..rows {
            let id = match i {
                _ if i % 3001 == 3000 => format!("F{}", i / 2),
                _ if i % 4001 == 4000 => String::new(),
                _ => format!("F{i}"),
            };
            let category = match i % 7 {
                _ if i % 2003 == 2002 => "",
                0 | 1 => "college",
                2 => "ecole_elementaire",
                _ => "centre_social",
            };
            let (lon, lat) = match i {
                _ if i % 997 == 996 => (String::new(), String::new()),
                _ if i % 1499 == 1498 => ("abc".into(), "47.6".into()),
                _ if i % 5003 == 5002 => ("200.0".into(), "47.6".into()),
                _ => (
                    format!("{:.6}", 6.80 + (i % 173) as f64 * 1e-3),
                    format!("{:.6}", 47.60 + (i % 211) as f64 * 1e-3),
                ),
            };
            let id_field = if with_ids {
                format!("{id},")
            } else {
                String::new()
            };
            if i % 6007 == 6006 {
                writeln!(f, "{id_field}short").unwrap();
            } else if i == rows - 200 {
                f.write_all(id_field.as_bytes()).unwrap();
                f.write_all(b"bad \xff name,college,6.8,47.6,x\n").unwrap();
            } else {
                // An accent in UTF-8 early on: the byte 0xFF further down is then a row in
                // another encoding, which the table refuses (a problem of that row).
                let site = if i == 5 { "Sité" } else { "Site" };
                writeln!(f, "{id_field}{site} {i},{category},{lon},{lat},{}", i % 5).unwrap();
            }
        }
        path
    }

    fn run(
        path: &Path,
        fields: &FacilityFields,
        batches: bool,
    ) -> (Result<Vec<Facility>>, Vec<String>) {
        let reader = PointReader::open(path, &fields.points, Crs::LAMBERT93).unwrap();
        let mut problems = Vec::new();
        let out = check_facilities_by(reader, fields, &mut problems, batches);
        (out, problems.iter().map(|e| e.to_string()).collect())
    }

    fn key(f: &Facility) -> (String, String, String, u64, u64, String) {
        (
            f.id.clone(),
            f.name.clone(),
            f.category.0.clone(),
            f.point.x().to_bits(),
            f.point.y().to_bits(),
            format!("{:?}", f.attributes),
        )
    }

    /// Oracle: the rows taken one by one through the reader's iterator, as before the
    /// batches: the same facilities, in the same order, to the bit, and the same problems in
    /// the same order, with ids, without ids (row numbers), with a category map and with
    /// empty coordinates skipped.
    #[test]
    fn batches_give_what_rows_one_by_one_give() {
        let dir = tempfile::tempdir().unwrap();
        let map = vec![
            ("college".to_string(), Category::new("college")),
            ("centre_social".to_string(), Category::new("centre_social")),
        ];
        let mut checked = 0;
        for with_ids in [true, false] {
            let path = messy_csv(dir.path(), with_ids, 2 * BATCH + 1234);
            for (category_map, skip_empty) in [(vec![], false), (map.clone(), true)] {
                let fields = FacilityFields {
                    category_map,
                    points: PointOptions {
                        skip_empty,
                        ..PointOptions::default()
                    },
                    ..FacilityFields::default()
                };
                let (batched, batched_problems) = run(&path, &fields, true);
                let (one, one_problems) = run(&path, &fields, false);
                let (batched, one) = (batched.unwrap(), one.unwrap());
                assert_eq!(batched_problems, one_problems);
                let keys: Vec<_> = batched.iter().map(key).collect();
                assert_eq!(keys, one.iter().map(key).collect::<Vec<_>>());
                assert!(batched.len() > 10_000, "{}", batched.len());
                let has = |what: &str| batched_problems.iter().any(|p| p.contains(what));
                assert!(has("mixes text encodings"), "{batched_problems:?}");
                assert!(has("is not a finite number") && has("looks like metres"));
                assert_eq!(has("empty coordinate"), !skip_empty);
                assert_eq!(has("empty category"), !skip_empty);
                assert_eq!(has("duplicate facility id"), with_ids);
                assert_eq!(has("empty facility id"), with_ids);
                checked += 1;
            }
        }
        assert_eq!(checked, 4);
    }
}
