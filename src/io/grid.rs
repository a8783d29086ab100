//! The INSEE Filosofi grid (200 m squares in EPSG:3035) into [`GridCell`]s.
//!
//! A cell's position is its lower-left corner, taken from `x_laea`/`y_laea` when present, else
//! decoded from the INSPIRE id (`CRS3035RES200mN2730200E4079600`), as in INSEE's own files.
//! The four corners are reprojected, so that in Lambert-93 a cell is a slightly rotated
//! quadrilateral of the same area (± 0.1 %), not a re-squared approximation.

use std::path::Path;

use geo::{Coord, Rect};

use crate::crs::{Crs, ToMetric};
use crate::error::{Error, Location, Result};
use crate::model::{CellView, GridCell, GridValues};

use super::grid_key::{CanonicalId, IdLedger, SeenIds};
use super::plain_blocks::PlainText;
use super::problems::first_problem;
use super::row_batches::for_each_row;
use super::table::{TableOptions, TableReader, find_column, parse_number, trim_field};

/// The value columns, in [`GridValues`] order.
const VALUE_COLUMNS: [&str; 11] = [
    "Ind", "Men", "Men_pauv", "Ind_snv", "Men_1ind", "Men_5ind", "Men_fmp", "Men_prop", "Men_coll",
    "Men_mais", "Men_surf",
];

/// The largest value accepted in a column for one 200 m cell (4 ha): 100,000 people or
/// households (25 times the densest Paris blocks), 10^11 € of summed standard of living
/// (100,000 people at 10^6 € each), 10^8 m² of summed dwelling area. Larger values are typing
/// or export errors (1e308) that would overflow the sums into "NaN %".
fn max_per_cell(column: &str) -> f64 {
    match column {
        "Ind_snv" => 1e11,
        "Men_surf" => 1e8,
        _ => 1e5,
    }
}

/// Reads a Filosofi grid CSV into `target`, in file order.
pub fn read_grid(path: &Path, target: Crs) -> Result<Vec<GridCell>> {
    let mut cells = Vec::new();
    read_grid_checked(path, target, |_, _| true, |c| cells.push(c))?;
    Ok(cells)
}

/// Reads a Filosofi grid CSV into `target` cell by cell, in file order, handing each to
/// `each` instead of keeping them all (a national grid holds millions of cells); the first
/// problem is the error, reported once the whole file has been read.
pub fn read_grid_each(path: &Path, target: Crs, each: impl FnMut(GridCell)) -> Result<()> {
    read_grid_checked(path, target, |_, _| true, each)
}

/// [`read_grid_each`] reprojecting only the cells `wanted` accepts: `wanted` gets each cell's
/// square in the grid's own CRS (e.g. EPSG:3035) and says whether the cell can matter. Every
/// row is still checked as [`read_grid`] checks it (ids, corners, values, duplicates; the
/// position checks of the reprojection only for the cells kept); the cells handed to `each`
/// are exactly those [`read_grid`] would give. Reprojecting four
/// corners per cell is most of the time of reading a national grid: an analysis of a few
/// zones skips the cells far from them.
///
/// # Examples
///
/// ```
/// use qpv::crs::Crs;
/// use qpv::io::grid::read_grid_where;
/// let path = std::env::temp_dir().join(format!("qpv-doc-grid-where-{}.csv", std::process::id()));
/// std::fs::write(&path, "IdINSPIRE,Ind,Men,Men_pauv,Ind_snv,Men_1ind,Men_5ind,Men_fmp,Men_prop,Men_coll,Men_mais,Men_surf\n\
///     CRS3035RES200mN2730200E4079600,10,4,1,150000,1,0,0,2,2,2,300\n\
///     CRS3035RES200mN2730400E4079600,20,8,2,300000,2,0,0,4,4,4,600\n").unwrap();
/// let mut kept = Vec::new();
/// read_grid_where(&path, Crs::LAMBERT93, |_crs, square| square.min().y < 2_730_300.0, |c| kept.push(c.id))
///     .unwrap();
/// assert_eq!(kept, ["CRS3035RES200mN2730200E4079600"]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_grid_where(
    path: &Path,
    target: Crs,
    wanted: impl FnMut(Crs, Rect<f64>) -> bool,
    each: impl FnMut(GridCell),
) -> Result<()> {
    read_grid_checked(path, target, wanted, each)
}

/// [`read_grid_each`] on every core: the cells are folded into parts, each made by `part`
/// (given the number of bytes of the file it will hold, to make room) and filled by `add` in
/// file order; the parts come in file order, so that handing the cells of the parts in turn
/// to `add` on one part gives the same part as [`read_grid_each`] would. A plain file with
/// no problem at all ([`PlainText`]: ASCII, no quotes, the usual line endings) is cut into
/// blocks of lines, one part each, read in parallel; any other file, and any file with a
/// problem, is read by [`read_grid_each`] into one part, which names the first problem.
///
/// # Examples
///
/// ```
/// use qpv::crs::Crs;
/// use qpv::io::grid::read_grid_parts;
/// let path = std::env::temp_dir().join(format!("qpv-doc-grid-parts-{}.csv", std::process::id()));
/// std::fs::write(&path, "IdINSPIRE,Ind,Men,Men_pauv,Ind_snv,Men_1ind,Men_5ind,Men_fmp,Men_prop,Men_coll,Men_mais,Men_surf\n\
///     CRS3035RES200mN2730200E4079600,10,4,1,150000,1,0,0,2,2,2,300\n\
///     CRS3035RES200mN2730400E4079600,20,8,2,300000,2,0,0,4,4,4,600\n").unwrap();
/// let parts = read_grid_parts(&path, Crs::LAMBERT93, |_| Vec::new(), |p, c| p.push(c.values.ind))
///     .unwrap();
/// assert_eq!(parts.concat(), [10.0, 20.0]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_grid_parts<P: Send>(
    path: &Path,
    target: Crs,
    part: impl Fn(usize) -> P + Sync,
    add: impl Fn(&mut P, CellView<'_>) + Sync,
) -> Result<Vec<P>> {
    if let Some(parts) = read_plain_parts(path, target, &part, &add) {
        return Ok(parts);
    }
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let mut one = part(usize::try_from(size).unwrap_or(usize::MAX));
    read_grid_each(path, target, |c| add(&mut one, c.view()))?;
    Ok(vec![one])
}

/// The parts of [`read_grid_parts`] for a plain file in which every row is a cell and no id
/// is repeated; `None` for any other file (then read the general way).
///
/// Each thread builds its own transformations, when it first needs them; as it takes the
/// blocks in file order, the first cell of each CRS is the first its thread reprojects in
/// that CRS, as in [`read_grid_each`] (where the scale of the working CRS is checked).
fn read_plain_parts<P: Send>(
    path: &Path,
    target: Crs,
    part: &(impl Fn(usize) -> P + Sync),
    add: &(impl Fn(&mut P, CellView<'_>) + Sync),
) -> Option<Vec<P>> {
    // A regular file only: a pipe cannot be read twice (header, then blocks).
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let table = TableReader::open(path, &TableOptions::default()).ok()?;
    if super::table::unknown_separator(path, table.headers()).is_some() {
        return None;
    }
    let columns = GridColumns::find(path, table.headers()).ok()?;
    let delimiter = u8::try_from(table.delimiter()).ok()?;
    drop(table);
    let text = PlainText::read(path)?;
    struct Part<P> {
        cells: P,
        ids: IdLedger,
        count: usize,
    }
    let parts = text.blocks(
        delimiter,
        Vec::<(Crs, ToMetric)>::new,
        |_, bytes| {
            let mut ids = IdLedger::default();
            ids.reserve(bytes / 64);
            Part {
                cells: part(bytes),
                ids,
                count: 0,
            }
        },
        |transforms, p, fields| {
            let RowCheck::Cell {
                inspire,
                canonical,
                corner,
                values: Ok(numbers),
            } = columns.check(fields)
            else {
                return false;
            };
            let id = cell(fields, columns.id);
            p.ids.record(canonical, id);
            let Ok(to_metric) = to_metric_for(transforms, inspire.crs, target) else {
                return false;
            };
            let Ok(ring) = to_metric.cell(corner, inspire.size) else {
                return false;
            };
            let view = CellView {
                id,
                canonical,
                ring: &ring,
                values: &grid_values(numbers),
                imputed: columns.imputed(fields),
            };
            add(&mut p.cells, view);
            p.count += 1;
            true
        },
    )?;
    let mut ledgers = Vec::with_capacity(parts.len());
    let mut count = 0;
    let cells: Vec<P> = parts
        .into_iter()
        .map(|p| {
            ledgers.push(p.ids);
            count += p.count;
            p.cells
        })
        .collect();
    (count > 0 && !IdLedger::parts_have_duplicates(&ledgers)).then_some(cells)
}

/// [`read_grid_where`]: the duplicate ids are looked for once the file has been read (an
/// [`IdLedger`] sorted, instead of a set probed per row); when anything is wrong with the
/// file, it is read again the plain way ([`check_grid_filtered`] with a [`SeenIds`]) to name
/// the first problem exactly as before. `each` then may have had some cells, as before.
fn read_grid_checked(
    path: &Path,
    target: Crs,
    mut wanted: impl FnMut(Crs, Rect<f64>) -> bool,
    each: impl FnMut(GridCell),
) -> Result<()> {
    let table = TableReader::open(path, &TableOptions::default())?;
    let mut problems = Vec::new();
    let mut ledger = IdLedger::default();
    // Filosofi rows take 80 bytes or more.
    ledger.reserve((std::fs::metadata(path).map_or(0, |m| m.len()) / 64).min(1 << 28) as usize);
    let ids = Ids::Ledger(&mut ledger);
    let read = check_grid_filtered(table, target, &mut problems, &mut wanted, each, ids);
    if read.is_ok() && problems.is_empty() && !ledger.has_duplicates() {
        return Ok(());
    }
    let table = TableReader::open(path, &TableOptions::default())?;
    let mut problems = Vec::new();
    let ids = Ids::Seen(SeenIds::default());
    check_grid_filtered(table, target, &mut problems, wanted, |_| {}, ids)?;
    first_problem(problems)?;
    Err(Error::Internal(format!(
        "{}: the grid was refused, then accepted when read again",
        path.display()
    )))
}

/// How [`check_grid_filtered`] looks for duplicate ids.
enum Ids<'a> {
    /// Row by row: a duplicate is a problem of its row.
    Seen(SeenIds),
    /// Recorded, to be sorted once the file has been read (no row is a duplicate meanwhile).
    Ledger(&'a mut IdLedger),
}

/// Grid cells from an open table; the first problem is the error.
pub fn grid_from_table(table: TableReader, target: Crs) -> Result<Vec<GridCell>> {
    let mut problems = Vec::new();
    let cells = check_grid(table, target, &mut problems)?;
    first_problem(problems)?;
    Ok(cells)
}

/// The Filosofi vintage a file name states: the one year 2000–2099 written in it, standing
/// alone between non-digits (`filosofi2019_200m.csv` → 2019); `None` when there is none or
/// several.
///
/// ```
/// use std::path::Path;
/// use qpv::io::grid::vintage_in_name;
/// assert_eq!(vintage_in_name(Path::new("data/Filosofi2019_carreaux_200m.csv")), Some(2019));
/// assert_eq!(vintage_in_name(Path::new("grid.csv")), None);
/// assert_eq!(vintage_in_name(Path::new("grid_2015_vs_2019.csv")), None);
/// ```
pub fn vintage_in_name(path: &Path) -> Option<u16> {
    let name = path.file_name()?.to_string_lossy();
    let mut found: Option<u16> = None;
    for run in name.split(|c: char| !c.is_ascii_digit()) {
        if run.len() == 4 && run.starts_with("20") {
            let year: u16 = run.parse().ok()?;
            if found.is_some_and(|y| y != year) {
                return None;
            }
            found = Some(year);
        }
    }
    found
}

/// An INSPIRE grid id decoded: CRS, cell size (m), lower-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InspireId {
    /// CRS of the grid (3035 for Filosofi).
    pub crs: Crs,
    /// Cell size in metres.
    pub size: f64,
    /// Lower-left corner.
    pub corner: Coord<f64>,
}

/// Decodes `CRS3035RES200mN2730200E4079600`.
///
/// ```
/// use qpv::io::grid::parse_inspire_id;
/// let id = parse_inspire_id("CRS3035RES200mN2730200E4079600").unwrap();
/// assert_eq!((id.size, id.corner.x, id.corner.y), (200.0, 4079600.0, 2730200.0));
/// ```
pub fn parse_inspire_id(id: &str) -> Option<InspireId> {
    let rest = id.trim().strip_prefix("CRS")?;
    let (crs, rest) = rest.split_once("RES")?;
    let (size, rest) = rest.split_once("mN")?;
    let (north, east) = rest.split_once('E')?;
    Some(InspireId {
        crs: Crs::epsg(crs.parse().ok()?),
        size: size.parse().ok()?,
        corner: Coord {
            x: east.parse().ok()?,
            y: north.parse().ok()?,
        },
    })
}

/// Grid cells from an open table, pushing every per-row problem to `problems` (the row is
/// skipped); missing columns are the error.
pub fn check_grid(
    table: TableReader,
    target: Crs,
    problems: &mut Vec<Error>,
) -> Result<Vec<GridCell>> {
    let mut cells = Vec::new();
    check_grid_each(table, target, problems, |c| cells.push(c))?;
    Ok(cells)
}

/// [`check_grid`], handing each cell to `each` instead of collecting them.
pub fn check_grid_each(
    table: TableReader,
    target: Crs,
    problems: &mut Vec<Error>,
    each: impl FnMut(GridCell),
) -> Result<()> {
    let ids = Ids::Seen(SeenIds::default());
    check_grid_filtered(table, target, problems, |_, _| true, each, ids)
}

/// [`check_grid_each`] reprojecting only the cells whose square (grid CRS) `wanted` accepts.
///
/// The rows are read and their fields checked on a second thread ([`for_each_row`]); the
/// duplicate check, the choice of cells and their reprojection follow here, in file order, so
/// the problems and cells are those of a plain loop over the rows.
fn check_grid_filtered(
    table: TableReader,
    target: Crs,
    problems: &mut Vec<Error>,
    mut wanted: impl FnMut(Crs, Rect<f64>) -> bool,
    mut each: impl FnMut(GridCell),
    mut ids: Ids<'_>,
) -> Result<()> {
    let path = table.path().to_path_buf();
    let headers = table.headers().to_vec();
    if let Some(e) = super::table::unknown_separator(&path, &headers) {
        return Err(e);
    }
    let columns = GridColumns::find(&path, &headers)?;
    let mut transforms: Vec<(Crs, ToMetric)> = Vec::new();
    let mut count = 0usize;
    let parse = |fields: &csv::StringRecord| columns.check(fields);
    for_each_row(table, parse, |line, fields, checked| {
        let loc = Location::Line(line);
        let id = cell(fields, columns.id);
        let mut problem = |message: String, hint: String| {
            problems.push(Error::input(&path, loc.clone(), message, hint));
            Ok(())
        };
        let (inspire, canonical, corner, numbers) = match checked {
            RowCheck::BadId => {
                return problem(
                    format!("'{id}' is not an INSPIRE grid id"),
                    "ids look like CRS3035RES200mN2730200E4079600".into(),
                );
            }
            RowCheck::BadCorner(p) => return problem(p.0, p.1.into()),
            RowCheck::Cell {
                inspire,
                canonical,
                corner,
                values,
            } => (inspire, canonical, corner, values),
        };
        let fresh = match (&mut ids, canonical) {
            (Ids::Seen(seen), Some(c)) => seen.insert_canonical(c),
            (Ids::Seen(seen), None) => seen.insert(id),
            (Ids::Ledger(ledger), c) => {
                ledger.record(c, id);
                true
            }
        };
        if !fresh {
            return problem(
                format!("duplicate cell '{id}'"),
                "each cell must appear once".into(),
            );
        }
        let numbers = match numbers {
            Ok(n) => n,
            Err(p) => return problem(p.0, p.1.into()),
        };
        count += 1;
        let square = Rect::new(
            corner,
            Coord {
                x: corner.x + inspire.size,
                y: corner.y + inspire.size,
            },
        );
        if !wanted(inspire.crs, square) {
            return Ok(());
        }
        let imputed = columns.imputed(fields);
        let to_metric = to_metric_for(&mut transforms, inspire.crs, target)?;
        match grid_cell(id, imputed, &inspire, corner, numbers, to_metric) {
            Ok(c) => each(c),
            Err(e) => return problem(e.message, e.hint),
        }
        Ok(())
    })?;
    if count == 0 && problems.is_empty() {
        return Err(Error::input(
            &path,
            Location::File,
            "the grid file has a header but no cells",
            "give a Filosofi grid with at least one cell",
        ));
    }
    Ok(())
}

/// A row problem: the message and the hint.
type RowProblem = (String, &'static str);

/// What the checks of one row that need nothing but the row found (all but the duplicate
/// check), in the order the problems are reported.
enum RowCheck {
    /// The id is not an INSPIRE id.
    BadId,
    /// The x/y corner is not a number or not the id's.
    BadCorner(Box<RowProblem>),
    /// A cell, if its values are right.
    Cell {
        /// The id decoded.
        inspire: InspireId,
        /// The id as numbers, when written the canonical way.
        canonical: Option<CanonicalId>,
        /// Its lower-left corner.
        corner: Coord,
        /// The eleven counts, or their first problem (boxed: rows cross threads, and a
        /// small row is a fast one).
        values: Result<[f64; 11], Box<RowProblem>>,
    },
}

/// The fields of one row, however the row was split.
trait Fields {
    /// Field `i`, untrimmed; `None` when the row is short.
    fn field(&self, i: usize) -> Option<&str>;
}

impl Fields for csv::StringRecord {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
}

impl Fields for [&str] {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i).copied()
    }
}

/// The trimmed cell of column `i` (empty when the row is short).
fn cell<F: Fields + ?Sized>(fields: &F, i: usize) -> &str {
    trim_field(fields.field(i).unwrap_or(""))
}

/// The cell of a row whose checks all passed, its square reprojected by `to_metric`.
fn grid_cell(
    id: &str,
    imputed: bool,
    inspire: &InspireId,
    corner: Coord,
    numbers: [f64; 11],
    to_metric: &ToMetric,
) -> Result<GridCell, crate::crs::Implausible> {
    let ring = to_metric.cell(corner, inspire.size)?;
    let view = CellView {
        id,
        canonical: None,
        ring: &ring,
        values: &grid_values(numbers),
        imputed,
    };
    Ok(view.to_cell())
}

/// The columns of a Filosofi grid table.
struct GridColumns {
    id: usize,
    x: Option<usize>,
    y: Option<usize>,
    imputed: Option<usize>,
    values: [usize; 11],
    /// The plausible maximum of each value column ([`max_per_cell`], looked up once).
    maxima: [f64; 11],
}

impl GridColumns {
    /// Finds the columns; a missing id or value column is the error.
    fn find(path: &Path, headers: &[String]) -> Result<Self> {
        let missing = |name: &str| {
            Error::input(
                path,
                Location::Column(name.to_string()),
                format!("no column '{name}': this does not look like an INSEE Filosofi grid file"),
                format!(
                    "a Filosofi grid has IdINSPIRE, Ind, Men, Men_pauv, Ind_snv, Men_1ind, Men_5ind, Men_fmp, Men_prop, Men_coll, Men_mais, Men_surf; columns are: {}",
                    headers.join(", ")
                ),
            )
        };
        let id = find_column(headers, &["IdINSPIRE", "id_inspire", "idcar_200m", "id"])
            .ok_or_else(|| missing("IdINSPIRE"))?;
        let x = find_column(headers, &["x_laea", "x"]);
        let y = find_column(headers, &["y_laea", "y"]);
        let imputed = find_column(headers, &["imputed", "I_est_200", "I_est_cr"]);
        let mut values = [0usize; 11];
        for (slot, name) in values.iter_mut().zip(VALUE_COLUMNS) {
            *slot = find_column(headers, &[name]).ok_or_else(|| missing(name))?;
        }
        Ok(GridColumns {
            id,
            x,
            y,
            imputed,
            values,
            maxima: VALUE_COLUMNS.map(max_per_cell),
        })
    }

    /// Whether the row says its values were imputed.
    fn imputed<F: Fields + ?Sized>(&self, fields: &F) -> bool {
        self.imputed
            .is_some_and(|c| matches!(cell(fields, c), "1" | "true" | "TRUE" | "oui"))
    }

    /// The checks of one row that need nothing but the row.
    fn check<F: Fields + ?Sized>(&self, fields: &F) -> RowCheck {
        let id = cell(fields, self.id);
        let (inspire, canonical) = match CanonicalId::parse(id) {
            Some(c) => (canonical_inspire(c), Some(c)),
            None => match parse_inspire_id(id) {
                Some(inspire) => (inspire, None),
                None => return RowCheck::BadId,
            },
        };
        match self.corner(fields, &inspire) {
            Ok(corner) => RowCheck::Cell {
                inspire,
                canonical,
                corner,
                values: self.values(fields).map_err(Box::new),
            },
            Err(p) => RowCheck::BadCorner(Box::new(p)),
        }
    }

    /// The lower-left corner: the id's, checked against the x/y columns when there are some.
    fn corner<F: Fields + ?Sized>(
        &self,
        fields: &F,
        inspire: &InspireId,
    ) -> Result<Coord, RowProblem> {
        let (Some(xc), Some(yc)) = (self.x, self.y) else {
            return Ok(inspire.corner);
        };
        let (x, y) = (cell(fields, xc), cell(fields, yc));
        let corner = match (parse_number(x), parse_number(y)) {
            (Some(x), Some(y)) => Coord { x, y },
            _ => {
                return Err((
                    format!("corner coordinates '{x}', '{y}' are not numbers"),
                    "fix the x_laea / y_laea values",
                ));
            }
        };
        if corner != inspire.corner {
            return Err((
                format!(
                    "the corner ({}, {}) does not match the id {} (x = E{}, y = N{})",
                    corner.x,
                    corner.y,
                    cell(fields, self.id),
                    inspire.corner.x,
                    inspire.corner.y
                ),
                "x_laea / y_laea are the lower-left corner in EPSG:3035; are they swapped or centres?",
            ));
        }
        Ok(corner)
    }

    /// The eleven counts, each a number from 0 to its plausible maximum.
    fn values<F: Fields + ?Sized>(&self, fields: &F) -> Result<[f64; 11], RowProblem> {
        let mut numbers = [0.0f64; 11];
        for ((slot, (&col, name)), &max) in numbers
            .iter_mut()
            .zip(self.values.iter().zip(VALUE_COLUMNS))
            .zip(&self.maxima)
        {
            match parse_number(cell(fields, col)) {
                Some(v) if (0.0..=max).contains(&v) => *slot = v,
                _ => {
                    return Err((
                        format!(
                            "'{}' in column '{name}' is not a count of a 200 m cell (a number from 0 to {})",
                            cell(fields, col),
                            max_per_cell(name)
                        ),
                        "INSEE values are non-negative numbers of plausible size; fix the row",
                    ));
                }
            }
        }
        Ok(numbers)
    }
}

/// A canonical id decoded, exactly as [`parse_inspire_id`] decodes the same text (integers
/// below 10⁹ are exact in an `f64`).
fn canonical_inspire(c: CanonicalId) -> InspireId {
    InspireId {
        crs: Crs::epsg(c.crs),
        size: f64::from(c.size),
        corner: Coord {
            x: f64::from(c.east),
            y: f64::from(c.north),
        },
    }
}

/// The transformation from the grid's CRS, built once per CRS met in the file.
fn to_metric_for(
    transforms: &mut Vec<(Crs, ToMetric)>,
    crs: Crs,
    target: Crs,
) -> Result<&ToMetric> {
    let slot = match transforms.iter().position(|(c, _)| *c == crs) {
        Some(i) => i,
        None => {
            transforms.push((crs, ToMetric::new(crs, target)?));
            transforms.len() - 1
        }
    };
    Ok(&transforms[slot].1)
}

/// The eleven counts in [`VALUE_COLUMNS`] order as named values.
fn grid_values(n: [f64; 11]) -> GridValues {
    GridValues {
        ind: n[0],
        men: n[1],
        men_pauv: n[2],
        ind_snv: n[3],
        men_1ind: n[4],
        men_5ind: n[5],
        men_fmp: n[6],
        men_prop: n[7],
        men_coll: n[8],
        men_mais: n[9],
        men_surf: n[10],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::table::TableOptions;
    use geo::{LineString, Polygon};
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// Oracle: the reader as it was before the second thread, the id numbers and the number
    /// fast path (a plain loop, a set of id texts, the text id parser).
    fn reference(
        table: TableReader,
        target: Crs,
        problems: &mut Vec<Error>,
        mut wanted: impl FnMut(Crs, Rect<f64>) -> bool,
    ) -> Result<Vec<GridCell>> {
        let path = table.path().to_path_buf();
        let columns = GridColumns::find(&path, table.headers())?;
        let mut transforms: Vec<(Crs, ToMetric)> = Vec::new();
        let mut seen = HashSet::new();
        let mut cells = Vec::new();
        for row in table {
            let row = row?;
            let loc = Location::Line(row.line);
            let fields = &row.fields;
            let id = cell(fields, columns.id);
            let Some(inspire) = parse_inspire_id(id) else {
                problems.push(Error::input(
                    &path,
                    loc,
                    format!("'{id}' is not an INSPIRE grid id"),
                    "ids look like CRS3035RES200mN2730200E4079600",
                ));
                continue;
            };
            let checked = columns
                .corner(fields, &inspire)
                .and_then(|corner| {
                    if seen.insert(id.to_string()) {
                        Ok(corner)
                    } else {
                        Err((
                            format!("duplicate cell '{id}'"),
                            "each cell must appear once",
                        ))
                    }
                })
                .and_then(|corner| Ok((corner, columns.values(fields)?)));
            let (corner, numbers) = match checked {
                Ok(found) => found,
                Err((message, hint)) => {
                    problems.push(Error::input(&path, loc, message, hint));
                    continue;
                }
            };
            let size = inspire.size;
            let square = Rect::new(
                corner,
                Coord {
                    x: corner.x + size,
                    y: corner.y + size,
                },
            );
            if !wanted(inspire.crs, square) {
                continue;
            }
            let imputed = columns
                .imputed
                .is_some_and(|c| matches!(cell(fields, c), "1" | "true" | "TRUE" | "oui"));
            let to_metric = to_metric_for(&mut transforms, inspire.crs, target)?;
            match to_metric.cell(corner, size).map(|r| r.to_vec()) {
                Ok(ring) => cells.push(GridCell {
                    id: id.to_string(),
                    polygon: Polygon::new(LineString(ring), vec![]),
                    values: grid_values(numbers),
                    imputed,
                }),
                Err(e) => problems.push(Error::input(&path, loc, e.message, e.hint)),
            }
        }
        Ok(cells)
    }

    /// What a reading gave, as text: the cells (or the error) and the problems.
    fn outcome(
        bytes: &[u8],
        read: impl FnOnce(TableReader, &mut Vec<Error>) -> Result<Vec<GridCell>>,
    ) -> String {
        let table = match TableReader::from_bytes(
            Path::new("g.csv"),
            bytes.to_vec(),
            &TableOptions::default(),
        ) {
            Ok(t) => t,
            Err(e) => return format!("open: {e}"),
        };
        let mut problems = Vec::new();
        let cells = read(table, &mut problems);
        let problems: Vec<String> = problems.iter().map(|e| e.to_string()).collect();
        match cells {
            Ok(cells) => format!("{cells:?}\n{problems:?}"),
            Err(e) => format!("error: {e}\n{problems:?}"),
        }
    }

    /// The field separator and the line ending of a generated file.
    fn separators(semicolon: bool, crlf: bool) -> (&'static str, &'static str) {
        (
            if semicolon { ";" } else { "," },
            if crlf { "\r\n" } else { "\n" },
        )
    }

    /// The header line of a generated file (without its ending).
    fn header(sep: &str, xy: bool) -> String {
        let mut head = vec!["IdINSPIRE"];
        if xy {
            head.extend(["x_laea", "y_laea"]);
        }
        head.extend(VALUE_COLUMNS);
        head.push("imputed");
        head.join(sep)
    }

    /// A random grid file: ids canonical or not, repeated, bad; corners right, wrong or
    /// missing; values as French spreadsheets write them or wrong; `,` or `;`; BOM; CRLF;
    /// quotes.
    fn grid_file() -> impl Strategy<Value = Vec<u8>> {
        let id = prop_oneof![
            (0u32..3, 0u32..3).prop_map(|(n, e)| format!(
                "CRS3035RES200mN{}E{}",
                2_730_200 + 200 * n,
                4_079_600 + 200 * e
            )),
            (0u32..3).prop_map(|n| format!("CRS3035RES200.0mN{}E4079600", 2_730_200 + 200 * n)),
            Just("CRS3035RES200mN02730200E4079600".to_string()),
            Just(" CRS3035RES200mN2730400E4079800 ".to_string()),
            Just("\"CRS3035RES200mN2730200E4079800\"".to_string()),
            Just("CRS3035RES200mN2730200".to_string()),
            Just(String::new()),
        ];
        let corner = prop_oneof![
            Just(None),
            Just(Some(("4079600", "2730200"))),
            Just(Some(("4079600,0", "2730200"))),
            Just(Some(("x", "2730200"))),
        ];
        let value = prop_oneof![
            Just("1"),
            Just("2.5"),
            Just("\"3,5\""),
            Just(" 4 "),
            Just("1e3"),
            Just(""),
            Just("-1"),
            Just("1e300"),
            Just("abc"),
            Just("0"),
        ];
        let row = (id, corner, proptest::collection::vec(value, 11), 0usize..3);
        (
            proptest::collection::vec(row, 1..25),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(rows, semicolon, bom, crlf, xy)| {
                let (sep, end) = separators(semicolon, crlf);
                let mut text = if bom {
                    "\u{feff}".to_string()
                } else {
                    String::new()
                };
                text.push_str(&header(sep, xy));
                text.push_str(end);
                for (id, corner, values, imputed) in rows {
                    let mut fields = vec![id];
                    if xy {
                        let (x, y) = corner.unwrap_or(("4079600", "2730200"));
                        fields.extend([x.replace(',', sep), y.to_string()]);
                    }
                    let quote = |v: &str| {
                        if sep == ";" {
                            v.replace('"', "")
                        } else {
                            v.to_string()
                        }
                    };
                    fields.extend(values.iter().map(|v| quote(v)));
                    fields.push(["1", "0", "oui"][imputed].to_string());
                    text.push_str(&fields.join(sep));
                    text.push_str(end);
                }
                text.into_bytes()
            })
    }

    /// What [`read_grid_where`] gave on `bytes` written to a file: the cells, or the error
    /// (then the cells `each` may have had do not count).
    fn read_outcome(bytes: &[u8], wanted: impl FnMut(Crs, Rect<f64>) -> bool) -> String {
        let path = std::env::temp_dir().join(format!(
            "qpv-grid-ledger-{}-{:?}.csv",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, bytes).unwrap();
        let mut cells = Vec::new();
        let r = read_grid_where(&path, Crs::LAMBERT93, wanted, |c| cells.push(c));
        std::fs::remove_file(&path).unwrap();
        match r {
            Ok(()) => format!("{cells:?}"),
            Err(e) => format!("error: {e}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // Oracle: the reading row by row with a set of the ids (itself checked against the
        // plain loop above), its first problem with the count of the others.
        #[test]
        fn reading_a_file_gives_what_the_row_by_row_check_gave(bytes in grid_file(), keep_low in any::<bool>()) {
            let wanted = |_: Crs, r: Rect<f64>| !keep_low || r.min().x < 4_079_700.0;
            let table = TableReader::from_bytes(Path::new("g.csv"), bytes.clone(), &TableOptions::default());
            let mut problems = Vec::new();
            let mut cells = Vec::new();
            let ids = Ids::Seen(SeenIds::default());
            let want = match table
                .and_then(|t| check_grid_filtered(t, Crs::LAMBERT93, &mut problems, wanted, |c| cells.push(c), ids))
                .and_then(|()| first_problem(problems))
            {
                Ok(()) => format!("{cells:?}"),
                Err(e) => format!("error: {e}"),
            };
            let got = read_outcome(&bytes, wanted);
            // The file names differ: compare what follows them.
            let strip = |s: &str| s.rsplit(".csv").next().unwrap_or("").to_string();
            prop_assert_eq!(strip(&got), strip(&want), "{}", String::from_utf8_lossy(&bytes));
        }
    }

    /// A grid file most often plain (ASCII, no quotes) and right, of up to a few hundred rows
    /// (several blocks each): `\n` or `\r\n`, blank lines, x/y columns or not, sometimes a
    /// bad row (id, corner, value, duplicate, a lone `\r`, a quote, a Latin-1 byte)
    /// anywhere, so also at the edges of blocks; sometimes no row at all.
    fn plain_grid_file() -> impl Strategy<Value = Vec<u8>> {
        let bad = prop_oneof![
            Just("CRS3035RES200mN2730200"),
            Just("dup"),
            Just("x"),
            Just("-1"),
            Just("1e300"),
            Just("\r"),
            Just("\""),
            Just("\u{e9}"),
            Just("CRS3035RES200mN02730200E4079600"),
        ];
        let row = (
            0u32..400,
            0u32..1000,
            0usize..4,
            proptest::option::weighted(0.003, bad),
        );
        (
            proptest::collection::vec(row, 0..400),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(rows, semicolon, crlf, xy, last_end)| {
                let (sep, end) = separators(semicolon, crlf);
                let mut text = header(sep, xy);
                text.push_str(end);
                let mut previous = String::new();
                for (i, (n, ind, blank, bad)) in rows.iter().enumerate() {
                    if *blank == 0 {
                        text.push_str(end);
                    }
                    // Every id its own (by `i`), all in France.
                    let (n, e) = (2_500_000 + 200 * n, 3_800_000 + 200 * i as u32);
                    let mut id = format!("CRS3035RES200mN{n}E{e}");
                    let mut value = ind.to_string();
                    match *bad {
                        Some("dup") if !previous.is_empty() => id = previous.clone(),
                        Some(
                            b @ ("CRS3035RES200mN2730200" | "CRS3035RES200mN02730200E4079600"),
                        ) => {
                            id = b.to_string();
                        }
                        Some(b) => value = format!("{value}{b}"),
                        None => {}
                    }
                    previous = id.clone();
                    let mut fields = vec![id];
                    if xy {
                        fields.extend([e.to_string(), n.to_string()]);
                    }
                    fields.push(value);
                    fields.extend(
                        ["4", "1", "150000", "1", "0", "0", "2", "2", "2", "300"].map(String::from),
                    );
                    fields.push(["1", "0", "oui", ""][*blank].to_string());
                    text.push_str(&fields.join(sep));
                    if i + 1 < rows.len() || last_end {
                        text.push_str(end);
                    }
                }
                text.into_bytes()
            })
    }

    /// What [`read_grid_parts`] (`parts`) or [`read_grid_each`] gave on `bytes` written to a
    /// file: the cells in order, or the error; and the number of parts.
    fn parts_outcome(bytes: &[u8], parts: bool) -> (String, usize) {
        let path = std::env::temp_dir().join(format!(
            "qpv-grid-parts-{}-{:?}.csv",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, bytes).unwrap();
        let read = if parts {
            read_grid_parts(
                &path,
                Crs::LAMBERT93,
                |_| Vec::new(),
                |p, c| p.push(c.to_cell()),
            )
        } else {
            let mut cells = Vec::new();
            read_grid_each(&path, Crs::LAMBERT93, |c| cells.push(c)).map(|()| vec![cells])
        };
        std::fs::remove_file(&path).unwrap();
        match read {
            Ok(parts) => (format!("{:?}", parts.concat()), parts.len()),
            Err(e) => (format!("error: {e}"), 0),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        // Oracle: the reader of one thread, row by row ([`read_grid_each`]): same cells in
        // the same order, or the same error (its file, line and message).
        #[test]
        fn parts_give_what_the_row_by_row_reader_gave(bytes in plain_grid_file()) {
            let (got, _) = parts_outcome(&bytes, true);
            let (want, _) = parts_outcome(&bytes, false);
            prop_assert_eq!(got, want, "{}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn a_plain_right_file_is_read_in_blocks_and_anything_else_whole() {
        let mut text = String::from(
            "IdINSPIRE;Ind;Men;Men_pauv;Ind_snv;Men_1ind;Men_5ind;Men_fmp;Men_prop;Men_coll;Men_mais;Men_surf\r\n",
        );
        for i in 0..3000 {
            text.push_str(&format!(
                "CRS3035RES200mN{}E{};{};4;1;150000;1;0;0;2;2;2;300\r\n",
                2_500_000 + 200 * (i % 50),
                3_800_000 + 200 * (i / 50),
                i % 7
            ));
        }
        let (cells, parts) = parts_outcome(text.as_bytes(), true);
        assert!(parts > 1, "{parts}");
        assert_eq!(cells, parts_outcome(text.as_bytes(), false).0);
        // A quote anywhere: read whole, the same cells.
        let quoted = text.replacen(";4;", ";\"4\";", 1);
        let (cells_q, parts_q) = parts_outcome(quoted.as_bytes(), true);
        assert_eq!((cells_q, parts_q), (cells, 1));
    }

    #[test]
    fn canonical_ids_decode_as_the_text_parser_does() {
        for text in [
            "CRS3035RES200mN2730200E4079600",
            "CRS3035RES1000mN0E0",
            "CRS2154RES200mN999999999E1",
        ] {
            let c = CanonicalId::parse(text).unwrap();
            assert_eq!(Some(canonical_inspire(c)), parse_inspire_id(text), "{text}");
        }
    }

    proptest! {
        #[test]
        fn canonical_parse_agrees_with_the_text_parser(
            crs in 0u32..1_000_000_000, size in 0u32..100_000, n in 0u32..1_000_000_000,
            e in 0u32..1_000_000_000,
        ) {
            let text = format!("CRS{crs}RES{size}mN{n}E{e}");
            let c = CanonicalId::parse(&text).unwrap();
            prop_assert_eq!((c.crs, c.size, c.north, c.east), (crs, size, n, e));
            prop_assert_eq!(Some(canonical_inspire(c)), parse_inspire_id(&text));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn reader_gives_what_the_plain_loop_gave(bytes in grid_file(), keep_low in any::<bool>()) {
            let wanted = |_: Crs, r: Rect<f64>| !keep_low || r.min().x < 4_079_700.0;
            let fast = outcome(&bytes, |t, p| {
                let mut cells = Vec::new();
                check_grid_filtered(t, Crs::LAMBERT93, p, wanted, |c| cells.push(c), Ids::Seen(SeenIds::default()))?;
                Ok(cells)
            });
            let old = outcome(&bytes, |t, p| reference(t, Crs::LAMBERT93, p, wanted));
            prop_assert_eq!(fast, old, "{}", String::from_utf8_lossy(&bytes));
        }
    }
}
