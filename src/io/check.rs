//! `qpv check`: load a file as a given layer type and list every problem (not only the first),
//! each with its file, feature or line, and a hint.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::crs::Crs;
use crate::error::{Error, Location};
use crate::model::{Facility, GridCell, Zone};

use super::facilities::{FacilityFields, check_facilities};
use super::grid::check_grid;
use super::points::{PointOptions, PointReader};
use super::source::read_vector;
use super::table::TableReader;
use super::zones::{ZoneFields, check_zones};

/// What a file is loaded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    /// Polygons with a code and a name (QPV, candidate perimeters).
    Zones,
    /// Points with an id, a name and a category.
    Facilities,
    /// Any points (addresses...).
    Points,
    /// An INSEE Filosofi grid CSV.
    Grid,
}

impl LayerKind {
    /// Plural noun for summaries.
    pub fn noun(self) -> &'static str {
        match self {
            LayerKind::Zones => "zones",
            LayerKind::Facilities => "facilities",
            LayerKind::Points => "points",
            LayerKind::Grid => "grid cells",
        }
    }
}

/// Field mappings used by [`check_file`].
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// For `zones`.
    pub zones: ZoneFields,
    /// For `facilities`.
    pub facilities: FacilityFields,
    /// For `points`.
    pub points: PointOptions,
}

/// The outcome of a check.
#[derive(Debug)]
pub struct CheckReport {
    /// The file.
    pub path: PathBuf,
    /// What it was loaded as.
    pub kind: LayerKind,
    /// How many items loaded without problem.
    pub loaded: usize,
    /// Every problem, in file order (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<Error>,
    /// Problems found beyond [`MAX_PROBLEMS`] (counted, not kept).
    pub more: usize,
    /// A short description of what loaded (codes of the zones, categories...).
    pub detail: String,
}

/// At most this many problems are kept (a file of 10 million bad rows must not fill memory).
pub const MAX_PROBLEMS: usize = 1000;

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// One line: `file: 7 zones, no problem (QN09001I … QN09007N)`.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{}: {} {}",
            self.path.display(),
            self.loaded,
            self.kind.noun()
        );
        if self.is_ok() {
            s.push_str(", no problem");
        } else {
            let n = self.problems.len() + self.more;
            s.push_str(&format!(", {n} problem{}", if n == 1 { "" } else { "s" }));
        }
        if !self.detail.is_empty() {
            s.push_str(&format!(" ({})", self.detail));
        }
        s
    }
}

/// Loads `path` as `kind` into `target`, collecting every problem.
pub fn check_file(
    path: &Path,
    kind: LayerKind,
    options: &CheckOptions,
    target: Crs,
) -> CheckReport {
    let mut problems = Vec::new();
    let mut uncounted = 0usize;
    let (loaded, detail) = match run(path, kind, options, target, &mut problems, &mut uncounted) {
        Ok(x) => x,
        Err(e) => {
            problems.push(e);
            (0, String::new())
        }
    };
    let more = problems.len().saturating_sub(MAX_PROBLEMS) + uncounted;
    problems.truncate(MAX_PROBLEMS);
    CheckReport {
        path: path.to_path_buf(),
        kind,
        loaded,
        problems,
        more,
        detail,
    }
}

fn run(
    path: &Path,
    kind: LayerKind,
    options: &CheckOptions,
    target: Crs,
    problems: &mut Vec<Error>,
    uncounted: &mut usize,
) -> crate::Result<(usize, String)> {
    match kind {
        LayerKind::Zones => {
            let layer = read_vector(path, options.zones.layer.as_deref())?;
            let zones: Vec<Zone> = check_zones(layer, &options.zones, target, problems)?;
            let detail = match (zones.first(), zones.last()) {
                (Some(a), Some(b)) if zones.len() > 1 => format!("{} … {}", a.code, b.code),
                (Some(a), _) => a.code.clone(),
                _ => String::new(),
            };
            Ok((zones.len(), detail))
        }
        LayerKind::Facilities => {
            let reader = PointReader::open(path, &options.facilities.points, target)?;
            let f: Vec<Facility> = check_facilities(reader, &options.facilities, problems)?;
            let mut cats: Vec<(String, usize)> = Vec::new();
            for x in &f {
                match cats.iter_mut().find(|(c, _)| c == x.category.as_str()) {
                    Some(slot) => slot.1 += 1,
                    None => cats.push((x.category.0.clone(), 1)),
                }
            }
            let detail = cats
                .iter()
                .map(|(c, n)| format!("{n} {c}"))
                .collect::<Vec<_>>()
                .join(", ");
            Ok((f.len(), detail))
        }
        LayerKind::Points => {
            let reader = PointReader::open(path, &options.points, target)?;
            let mut n = 0usize;
            for row in reader {
                match row {
                    Ok(_) => n += 1,
                    Err(e) => {
                        let fatal = matches!(
                            &e,
                            Error::Input {
                                location: Location::File,
                                ..
                            }
                        );
                        if problems.len() < MAX_PROBLEMS {
                            problems.push(e);
                        } else {
                            *uncounted += 1;
                        }
                        if fatal {
                            break;
                        }
                    }
                }
            }
            if n == 0 && problems.is_empty() {
                return Err(Error::input(
                    path,
                    Location::File,
                    "no points: the file has no data rows or features",
                    "give at least one point",
                ));
            }
            Ok((n, String::new()))
        }
        LayerKind::Grid => {
            let table = TableReader::open(path, &Default::default())?;
            let cells: Vec<GridCell> = check_grid(table, target, problems)?;
            let pop: f64 = cells.iter().map(|c| c.values.ind).sum();
            Ok((cells.len(), format!("{pop:.1} inhabitants")))
        }
    }
}
