//! The rows and summaries of `qpv locate`, declared once: the QPV columns added to each point
//! ([`LOCATED_COLUMNS`]: distances to the cm by the crate's number rule), those of
//! `--addresses` (the geocoding columns, then the QPV ones, `needs_check`, `check_reason`),
//! and the summary as JSON, as a per-QPV CSV and as the text for stderr.
//!
//! # Examples
//!
//! ```
//! use geo::Coord;
//! use qpv::crs::Crs;
//! use qpv::index::ZoneIndex;
//! use qpv::output::located::{LOCATED_COLUMNS, LocatedRows};
//! use qpv::output::point_rows::PointRows;
//! let zones = ZoneIndex::new(&qpv::io::embedded::zones(Crs::LAMBERT93).unwrap());
//! let rows = LocatedRows::new(&zones, qpv::analysis::locate::LocateOptions::default());
//! assert_eq!(rows.columns(), LOCATED_COLUMNS);
//! // A point 12 rue Danton, Belfort (outside every QPV).
//! let p = Coord { x: 989_020.92, y: 6_732_033.77 };
//! let found = rows.search(p);
//! let mut cells = Vec::new();
//! rows.rows(p, &found, &mut |c, _| { cells = c.iter().map(|c| c.to_value()).collect(); Ok(()) }).unwrap();
//! assert_eq!(cells[1], serde_json::json!(false));
//! assert_eq!(cells[4], serde_json::json!("outside"));
//! ```

use std::path::Path;

use geo::{Coord, Geometry, Point};
use serde_json::{Map, Value, json};

use super::ColumnSelection;
use super::geocoded::geocoding_values;
use super::number::round;
use super::point_rows::{EmitRow, PointRows, RowOutput};
use super::sink::{Cell, append_columns, io_err, text, write_rows};
use crate::analysis::batch::Progress;
use crate::analysis::locate::{LocateOptions, LocateSummary, Located, ZoneCounts, locate_with};
use crate::analysis::locate_addresses::{AddressSummary, locate_address_stream};
use crate::error::{Error, Result};
use crate::geocode::columns::GEOCODING_COLUMNS;
use crate::geocode::{AddressIndex, AddressRows};
use crate::index::ZoneIndex;

/// The QPV columns of a located point.
pub const LOCATED_COLUMNS: [&str; 6] = [
    "code_qp",
    "in_qpv",
    "lib_qp",
    "signed_distance_m",
    "status",
    "nearest_code_qp",
];

/// The QPV cells of a located point, in [`LOCATED_COLUMNS`] order.
fn located_cells<'a>(
    index: &'a ZoneIndex,
    located: Option<&Located>,
    status: &'a str,
) -> [Cell<'a>; 6] {
    let zone = located.and_then(|l| l.zone).map(|z| index.zone(z));
    [
        zone.map_or(Cell::Null, |z| Cell::Text(&z.code)),
        located.map_or(Cell::Null, |_| Cell::Bool(zone.is_some())),
        zone.map_or(Cell::Null, |z| Cell::Text(&z.name)),
        located
            .and_then(|l| l.signed_distance_m)
            .map_or(Cell::Null, |d| Cell::Number(round(d, 2))),
        Cell::Text(status),
        located
            .and_then(|l| l.nearest_zone)
            .map_or(Cell::Null, |z| Cell::Text(&index.zone(z).code)),
    ]
}

/// What `locate` adds to each point: the QPV columns.
#[derive(Debug)]
pub struct LocatedRows<'i> {
    index: &'i ZoneIndex,
    options: LocateOptions,
}

impl<'i> LocatedRows<'i> {
    /// Locates each point among the zones of `index` with `options`.
    pub fn new(index: &'i ZoneIndex, options: LocateOptions) -> Self {
        LocatedRows { index, options }
    }

    /// The options for a run that keeps the columns `select` keeps (the last
    /// [`LOCATED_COLUMNS`] of its available columns are the added ones): without the distance
    /// columns, distances matter only up to the tolerance (statuses), which is much faster;
    /// without the status either, and when no summary of statuses is `summarised`, only the
    /// containing zone is searched.
    pub fn options_for(
        select: &ColumnSelection,
        tolerance_m: f64,
        distance_limit_m: Option<f64>,
        summarised: bool,
    ) -> LocateOptions {
        let all = select.available();
        let added = &all[all.len() - LOCATED_COLUMNS.len()..];
        let base = LocateOptions {
            tolerance_m,
            distance_limit_m,
            limit_inside: false,
            zone_only: false,
        };
        if select.keeps(&added[3]) || select.keeps(&added[5]) {
            base
        } else if summarised || select.keeps(&added[4]) {
            LocateOptions {
                distance_limit_m: Some(tolerance_m),
                limit_inside: true,
                ..base
            }
        } else {
            LocateOptions {
                zone_only: true,
                ..base
            }
        }
    }
}

impl PointRows for LocatedRows<'_> {
    type Found = Located;

    fn layer_name(&self) -> &'static str {
        "located_points"
    }

    fn columns(&self) -> Vec<String> {
        LOCATED_COLUMNS.map(String::from).to_vec()
    }

    #[inline]
    fn search(&self, p: Coord<f64>) -> Located {
        locate_with(self.index, p, &self.options)
    }

    #[inline]
    fn rows(&self, p: Coord<f64>, found: &Located, emit: &mut EmitRow) -> Result<()> {
        let cells = located_cells(self.index, Some(found), found.status.as_str());
        emit(&cells, Geometry::Point(Point(p)))
    }

    fn spatial_order(&self) -> bool {
        true
    }
}

/// Geocodes and locates every row of `rows` (`locate --addresses`) and writes the input
/// columns followed by the geocoding columns, the QPV columns, `needs_check` and
/// `check_reason`, keeping the `wanted` columns (all when empty). Returns the summary.
#[allow(clippy::too_many_arguments)]
pub fn write_located_addresses(
    zones: &ZoneIndex,
    addresses: &AddressIndex,
    rows: &mut AddressRows,
    tolerance_m: f64,
    wanted: &[String],
    out: &RowOutput,
    progress: &mut dyn Progress,
) -> Result<AddressSummary> {
    let address_columns = rows.columns();
    let width = rows.headers().len();
    let added: Vec<String> = GEOCODING_COLUMNS
        .iter()
        .chain(LOCATED_COLUMNS.iter())
        .chain(["needs_check", "check_reason"].iter())
        .map(|c| c.to_string())
        .collect();
    let select = ColumnSelection::new(&append_columns(rows.headers(), &added), wanted)?;
    let mut summary = AddressSummary::default();
    let (format, crs, style) = (out.format, out.crs, out.csv_style);
    write_rows(
        out.path,
        format,
        select,
        "located_addresses",
        crs,
        style,
        |sink| {
            summary = locate_address_stream(
                zones,
                addresses,
                &address_columns,
                &mut *rows,
                tolerance_m,
                |row, a| {
                    let mut values: Vec<Value> = row.fields.iter().map(text).collect();
                    values.resize(width, Value::String(String::new()));
                    values.extend(geocoding_values(&a.geocoded));
                    let status = a.status();
                    let cells = located_cells(zones, a.located.as_ref(), status);
                    values.extend(cells.map(Cell::to_value));
                    values.push(Value::Bool(a.check.is_some()));
                    values.push(text(a.check.as_deref().unwrap_or_default()));
                    let geometry = a.point().map(|p| Geometry::Point(Point(p)));
                    sink.write(values, geometry)
                },
                progress,
            )?;
            let mut extra = Map::new();
            let json = address_summary_json(&summary, addresses.attribution());
            extra.insert("summary".into(), json);
            Ok(extra)
        },
    )?;
    Ok(summary)
}

fn per_zone_json(s: &LocateSummary) -> Value {
    Value::Array(
        s.per_zone
            .iter()
            .map(|(code, c)| {
                json!({
                    "code_qp": code, "lib_qp": c.name, "inside": c.inside,
                    "near_inside": c.near_inside, "near_outside": c.near_outside,
                })
            })
            .collect(),
    )
}

/// The summary of located points as JSON (the `summary` of a JSON output, `--summary F.json`).
pub fn summary_json(s: &LocateSummary) -> Value {
    let pct = |n: u64| (s.percent(n) * 100.0).round() / 100.0;
    json!({
        "total": s.total,
        "inside": s.inside,
        "near": s.near,
        "outside": s.outside,
        "inside_pct": pct(s.inside),
        "near_pct": pct(s.near),
        "outside_pct": pct(s.outside),
        "in_a_zone": s.in_zone,
        "per_zone": per_zone_json(s),
    })
}

/// The summary of located addresses as JSON, naming the address reference.
pub fn address_summary_json(s: &AddressSummary, attribution: &str) -> Value {
    let pct = |n: u64| (s.percent(n) * 100.0).round() / 100.0;
    let l = &s.located;
    json!({
        "total": s.rows,
        "inside": l.inside,
        "near": l.near,
        "outside": l.outside,
        "not_geocoded": s.not_geocoded,
        "inside_pct": pct(l.inside),
        "near_pct": pct(l.near),
        "outside_pct": pct(l.outside),
        "not_geocoded_pct": pct(s.not_geocoded),
        "needs_check": s.needs_check,
        "in_a_zone": l.in_zone,
        "geocoding": s.precision,
        "geocoding_source": attribution,
        "per_zone": per_zone_json(l),
    })
}

/// QPV listed one per line in the stderr summary; at national scale the others are counted.
const PER_ZONE_LISTED: usize = 20;

/// One line per QPV with points in or near it, in code order; past [`PER_ZONE_LISTED`] QPV,
/// those with the most points, then a count of the others.
fn per_zone_text(s: &LocateSummary) -> String {
    let mut zones: Vec<(&String, &ZoneCounts)> = s.per_zone.iter().collect();
    let more = zones.len().saturating_sub(PER_ZONE_LISTED);
    if more > 0 {
        let points = |c: &ZoneCounts| c.inside + c.near_inside + c.near_outside;
        zones.sort_by(|a, b| points(b.1).cmp(&points(a.1)).then(a.0.cmp(b.0)));
        zones.truncate(PER_ZONE_LISTED);
        zones.sort_by(|a, b| a.0.cmp(b.0));
    }
    let mut out = String::new();
    for (code, c) in zones {
        out.push_str(&format!(
            "  {code} {}: {} inside, {} near inside, {} near outside\n",
            c.name, c.inside, c.near_inside, c.near_outside
        ));
    }
    if more > 0 {
        out.push_str(&format!(
            "  ... and {more} more QPV (the {PER_ZONE_LISTED} with the most points are listed; \
             all of them: --summary FILE.csv, or --format json)\n"
        ));
    }
    out
}

/// Writes the summary to `path`: per-QPV counts as CSV (`.csv`, or any other extension), or
/// the whole summary `json` (`.json`), atomically.
pub fn write_summary(path: &Path, per_zone: &LocateSummary, json: &Value) -> Result<()> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    super::atomic::write_atomic(path, |w| {
        if is_json {
            let text =
                serde_json::to_string_pretty(json).map_err(|e| Error::Internal(e.to_string()))?;
            return w.write_all(format!("{text}\n").as_bytes()).map_err(io_err);
        }
        let mut out = Vec::new();
        super::csv_record::push_record(
            &mut out,
            ["code_qp", "lib_qp", "inside", "near_inside", "near_outside"],
        );
        for (code, c) in &per_zone.per_zone {
            super::csv_record::push_record(
                &mut out,
                [
                    code.as_str(),
                    c.name.as_str(),
                    &c.inside.to_string(),
                    &c.near_inside.to_string(),
                    &c.near_outside.to_string(),
                ],
            );
        }
        w.write_all(&out).map_err(io_err)
    })
}

/// The summary for stderr: first how many points are in a QPV, then how many are near a
/// boundary on each side.
pub fn summary_text(s: &LocateSummary) -> String {
    format!(
        "located {} points: {} in a QPV ({:.1} %), {} not in a QPV ({:.1} %); {}\n{}",
        s.total,
        s.in_zone,
        s.percent(s.in_zone),
        s.total - s.in_zone,
        s.percent(s.total - s.in_zone),
        near_text(s),
        per_zone_text(s)
    )
}

/// "N near a boundary: A inside, B outside" (points within the tolerance, by side).
fn near_text(s: &LocateSummary) -> String {
    let near_inside = s.in_zone.saturating_sub(s.inside);
    format!(
        "{} near a boundary ({} inside, {} outside)",
        s.near,
        near_inside,
        s.near.saturating_sub(near_inside)
    )
}

/// The `--addresses` summary for stderr.
pub fn address_summary_text(s: &AddressSummary) -> String {
    let l = &s.located;
    let p = &s.precision;
    format!(
        "located {} addresses: {} in a QPV ({:.1} %), {} not in a QPV ({:.1} %), {} not \
         geocoded ({:.1} %); {}; {} to check (needs_check)\n  geocoding: {} \
         housenumber, {} interpolated, {} street, {} not_found\n{}",
        s.rows,
        l.in_zone,
        s.percent(l.in_zone),
        l.total - l.in_zone,
        s.percent(l.total - l.in_zone),
        s.not_geocoded,
        s.percent(s.not_geocoded),
        near_text(l),
        s.needs_check,
        p.housenumber,
        p.interpolated,
        p.street,
        p.not_found,
        per_zone_text(l)
    )
}
