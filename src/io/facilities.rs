//! Facilities (schools, social centres...) from CSV tables or point layers.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use foldhash::fast::FixedState;
use rayon::slice::ParallelSliceMut;

use crate::crs::Crs;
use crate::error::{Error, Location, Result};
use crate::model::{AttrValue, Attributes, Category, Facility};

use super::points::{PointOptions, PointReader};
use super::problems::first_problem;
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
pub fn check_facilities(
    reader: PointReader,
    fields: &FacilityFields,
    problems: &mut Vec<Error>,
) -> Result<Vec<Facility>> {
    let path = reader.path().to_path_buf();
    let headers = reader.headers().to_vec();
    if let Some(e) = super::table::unknown_separator(&path, &headers) {
        return Err(e);
    }
    let fields = with_annuaire_preset(fields, &headers);
    let fields = fields.as_ref();
    let columns = FacilityColumns::find(&path, &headers, fields)?;
    // foldhash rather than SipHash: the ids of a local file need no protection against
    // flooding, and hashing 60,000 national ids was a visible part of loading them.
    let mut seen: HashSet<String, FixedState> = HashSet::default();
    let mut out = Vec::new();
    for (n, row) in reader.enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                // Errors of the table itself (unbalanced quotes...) end the file.
                if matches!(
                    &e,
                    Error::Input {
                        location: Location::File,
                        ..
                    }
                ) {
                    return Err(e);
                }
                problems.push(e);
                continue;
            }
        };
        let get = |i: Option<usize>| {
            i.and_then(|i| row.fields.get(i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let Some(category) = row_category(
            fields,
            get(columns.category),
            &path,
            &row.location,
            problems,
        ) else {
            continue;
        };
        let id = match columns.id {
            Some(_) => get(columns.id).to_string(),
            None => (n + 1).to_string(),
        };
        if let Some(problem) = id_problem(&id, &mut seen) {
            problems.push(Error::input(&path, row.location, problem.0, problem.1));
            continue;
        }
        let name = get(columns.name).to_string();
        out.push(Facility {
            id,
            name,
            category,
            point: row.point.into(),
            attributes: row_attributes(&headers, row.fields),
        });
    }
    if out.is_empty() && problems.is_empty() {
        return Err(no_facilities(&path, fields));
    }
    // Ids are unique (a duplicate is a problem above), so no two keys are equal and an
    // unstable sort gives the one order; in parallel, as the other file may be read by then.
    out.par_sort_unstable_by(|a, b| a.category.cmp(&b.category).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
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

/// The category of a row (`raw` is its category cell); `None` skips the row, after pushing a
/// problem when the category is missing (rows outside a category map are skipped silently: the
/// map selects the rows).
fn row_category(
    fields: &FacilityFields,
    raw: &str,
    path: &Path,
    location: &Location,
    problems: &mut Vec<Error>,
) -> Option<Category> {
    match &fields.category {
        CategorySource::Fixed(c) => Some(c.clone()),
        _ if fields.category_map.is_empty() => {
            if raw.is_empty() {
                problems.push(Error::input(
                    path,
                    location.clone(),
                    "empty category",
                    "give every facility a category",
                ));
                return None;
            }
            Some(Category::new(raw))
        }
        _ => fields
            .category_map
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(raw))
            .map(|(_, c)| c.clone()),
    }
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
