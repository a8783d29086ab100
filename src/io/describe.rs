//! What `qpv info` says about a file: format, layers, CRS, counts, extent (source CRS and
//! WGS84), fields with types, and the features whose geometry is missing, empty or invalid.

use std::path::Path;

use geo::{BoundingRect, Coord, Geometry, Rect, Validation};
use serde::Serialize;

use crate::crs::{Crs, Reprojector};
use crate::error::Result;

use super::gdal_readers::gdal_readers;
use super::geojson::read_geojson;
use super::points::{CoordinateColumns, PointOptions, coordinate_columns};
use super::source::{SourceKind, detect};
use super::table::{TableOptions, TableReader, parse_number};
use super::vector::{Field, FieldKind, VectorLayer};

/// A bounding box `[min_x, min_y, max_x, max_y]`.
pub type Bbox = [f64; 4];

/// One problem found in a feature or row.
#[derive(Debug, Clone, Serialize)]
pub struct FeatureProblem {
    /// `feature 12` or `line 40`.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

/// Description of one layer (or one CSV table).
#[derive(Debug, Clone, Serialize)]
pub struct LayerInfo {
    /// File (or embedded name).
    pub path: String,
    /// `GeoJSON`, `CSV`, or the GDAL driver (`ESRI Shapefile`, `GPKG`...).
    pub driver: String,
    /// Layer name.
    pub layer: String,
    /// Every layer of the source.
    pub layers: Vec<String>,
    /// Declared CRS as EPSG, when known.
    pub crs: Option<String>,
    /// The CRS as the source states it.
    pub crs_text: String,
    /// Features (or data rows).
    pub feature_count: usize,
    /// Geometry types and how many features have each.
    pub geometry_types: Vec<(String, usize)>,
    /// Extent in the source CRS.
    pub bbox: Option<Bbox>,
    /// Extent in WGS84 longitude/latitude.
    pub bbox_wgs84: Option<Bbox>,
    /// Fields with their types.
    pub fields: Vec<Field>,
    /// CSV only: separator, encoding and the coordinate columns found.
    pub table: Option<TableInfo>,
    /// Features without geometry, with an empty or invalid one (or CSV rows without a usable
    /// coordinate).
    pub problems: Vec<FeatureProblem>,
}

/// CSV specifics.
#[derive(Debug, Clone, Serialize)]
pub struct TableInfo {
    /// Separator.
    pub delimiter: String,
    /// Text encoding.
    pub encoding: String,
    /// x / longitude column.
    pub x_column: Option<String>,
    /// y / latitude column.
    pub y_column: Option<String>,
    /// Per-row CRS column.
    pub crs_column: Option<String>,
}

/// How many problems are listed per layer (the count is always complete).
pub const MAX_LISTED_PROBLEMS: usize = 200;

/// Describes every layer of a file (one for GeoJSON and CSV), or only `layer`.
pub fn describe_file(path: &Path, layer: Option<&str>) -> Result<Vec<LayerInfo>> {
    match detect(path) {
        SourceKind::Csv => Ok(vec![describe_table(
            TableReader::open(path, &TableOptions::default())?,
            &PointOptions::default(),
        )?]),
        SourceKind::GeoJson => Ok(vec![describe_layer(&read_geojson(path)?)]),
        SourceKind::Gdal => Ok((gdal_readers(path)?.read_layers)(path, layer)?
            .iter()
            .map(describe_layer)
            .collect()),
    }
}

/// Describes a vector layer already read.
pub fn describe_layer(layer: &VectorLayer) -> LayerInfo {
    let mut types: Vec<(String, usize)> = Vec::new();
    let mut problems = Vec::new();
    let mut bbox: Option<Rect<f64>> = None;
    for f in &layer.features {
        let kind = match &f.geometry {
            None if f.error.is_some() => "unreadable",
            None => "none",
            Some(g) => super::points::geometry_kind(g),
        };
        match types.iter_mut().find(|(k, _)| k == kind) {
            Some(slot) => slot.1 += 1,
            None => types.push((kind.to_string(), 1)),
        }
        let problem = match (&f.geometry, &f.error) {
            (_, Some(e)) => Some(e.message.clone()),
            (None, None) => Some("no geometry".to_string()),
            (Some(g), None) => geometry_problem(g),
        };
        if let Some(message) = problem {
            problems.push(FeatureProblem {
                location: format!("feature {}", f.index),
                message,
            });
        }
        if let Some(r) = f.geometry.as_ref().and_then(|g| g.bounding_rect()) {
            bbox = Some(union(bbox, r));
        }
    }
    types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    LayerInfo {
        path: layer.path.display().to_string(),
        driver: layer.driver.clone(),
        layer: layer.name.clone(),
        layers: layer.layer_names.clone(),
        crs: layer.crs.map(|c| c.to_string()),
        crs_text: layer.crs_text.clone(),
        feature_count: layer.features.len(),
        geometry_types: types,
        bbox: bbox.map(to_array),
        bbox_wgs84: bbox.and_then(|b| layer.crs.and_then(|c| bbox_to_wgs84(b, c))),
        fields: layer.fields.clone(),
        table: None,
        problems,
    }
}

/// Why a geometry is empty or invalid, if it is.
pub fn geometry_problem(g: &Geometry<f64>) -> Option<String> {
    let empty = match g {
        Geometry::MultiPolygon(mp) => {
            mp.0.is_empty() || mp.0.iter().all(|p| p.exterior().0.is_empty())
        }
        Geometry::Polygon(p) => p.exterior().0.is_empty(),
        Geometry::MultiPoint(mp) => mp.0.is_empty(),
        Geometry::LineString(l) => l.0.is_empty(),
        Geometry::MultiLineString(m) => m.0.is_empty(),
        Geometry::GeometryCollection(c) => c.0.is_empty(),
        _ => false,
    };
    if empty {
        return Some("empty geometry".into());
    }
    // Polygons through the near-linear check (same first error as geo's); the rest through geo.
    let problem = match g {
        Geometry::Polygon(p) => crate::geometry::validity::check_polygon(p)
            .err()
            .map(|e| e.to_string()),
        Geometry::MultiPolygon(mp) => crate::geometry::validity::check_multipolygon(mp)
            .err()
            .map(|e| e.to_string()),
        _ => g.check_validation().err().map(|e| e.to_string()),
    };
    problem.map(|e| format!("invalid geometry: {e}"))
}

/// Describes a CSV table: rows, columns with types, coordinate columns and their extent.
pub fn describe_table(mut table: TableReader, options: &PointOptions) -> Result<LayerInfo> {
    let path = table.path().to_path_buf();
    let headers = table.headers().to_vec();
    let columns = coordinate_columns(&path, &headers, options, Crs::LAMBERT93).ok();
    let mut kinds: Vec<Option<FieldKind>> = vec![None; headers.len()];
    let mut rows = 0usize;
    let mut problems = Vec::new();
    let mut bbox: Option<Rect<f64>> = None;
    let mut crs_seen: Vec<String> = Vec::new();
    while let Some(row) = table.next_row() {
        let row = row?;
        rows += 1;
        widen_kinds(&mut kinds, &row.fields);
        if let Some(c) = &columns {
            let get = |i: usize| row.fields.get(i).unwrap_or("");
            if let Some(ci) = c.crs_column {
                let t = get(ci).trim();
                if !t.is_empty() && !crs_seen.iter().any(|s| s == t) && crs_seen.len() < 10 {
                    crs_seen.push(t.to_string());
                }
            }
            match (parse_number(get(c.x)), parse_number(get(c.y))) {
                (Some(x), Some(y)) => {
                    let p = Coord { x, y };
                    bbox = Some(union(bbox, Rect::new(p, p)));
                }
                _ => problems.push(FeatureProblem {
                    location: format!("line {}", row.line),
                    message: format!("no usable coordinate ('{}', '{}')", get(c.x), get(c.y)),
                }),
            }
        }
    }
    let crs = match (&columns, crs_seen.len()) {
        (Some(_), 1) => Crs::parse(&crs_seen[0]).ok(),
        (Some(c), 0) => Some(c.default_crs),
        _ => None,
    };
    let crs_text = csv_crs_text(columns.as_ref(), &crs_seen, options);
    let fields = headers
        .iter()
        .zip(&kinds)
        .map(|(h, k)| Field {
            name: h.clone(),
            kind: k.unwrap_or(FieldKind::String),
        })
        .collect();
    Ok(LayerInfo {
        path: path.display().to_string(),
        driver: "CSV".into(),
        layer: path
            .file_stem()
            .map(|s| {
                s.to_string_lossy()
                    .trim_start_matches("<embedded:")
                    .to_string()
            })
            .unwrap_or_default(),
        layers: vec![],
        crs: crs.map(|c| c.to_string()),
        crs_text,
        feature_count: rows,
        geometry_types: if columns.is_some() {
            vec![("Point".into(), rows - problems.len())]
        } else {
            vec![]
        },
        bbox: bbox.map(to_array),
        bbox_wgs84: bbox.and_then(|b| crs.and_then(|c| bbox_to_wgs84(b, c))),
        fields,
        table: Some(TableInfo {
            delimiter: table.delimiter().to_string(),
            encoding: table.encoding().to_string(),
            x_column: columns.as_ref().map(|c| headers[c.x].clone()),
            y_column: columns.as_ref().map(|c| headers[c.y].clone()),
            crs_column: columns
                .as_ref()
                .and_then(|c| c.crs_column.map(|i| headers[i].clone())),
        }),
        problems,
    })
}

/// Widens each column's kind with a row's cells (integer < real < string; empty cells say
/// nothing).
fn widen_kinds(kinds: &mut [Option<FieldKind>], fields: &csv::StringRecord) {
    let n = kinds.len();
    for (i, v) in fields.iter().enumerate().take(n) {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let k = if v.parse::<i64>().is_ok() {
            FieldKind::Integer
        } else if parse_number(v).is_some() {
            FieldKind::Real
        } else {
            FieldKind::String
        };
        kinds[i] = Some(match (kinds[i], k) {
            (None, k) => k,
            (Some(a), b) if a == b => a,
            (Some(FieldKind::Integer), FieldKind::Real)
            | (Some(FieldKind::Real), FieldKind::Integer) => FieldKind::Real,
            _ => FieldKind::String,
        });
    }
}

/// How `qpv info` says where a CSV's CRS comes from.
fn csv_crs_text(
    columns: Option<&CoordinateColumns>,
    crs_seen: &[String],
    options: &PointOptions,
) -> String {
    match (columns, crs_seen.is_empty()) {
        (None, _) => String::new(),
        (Some(c), true) => {
            if options.source_crs.is_some() {
                format!("{} (given)", c.default_crs)
            } else if c.default_crs == Crs::WGS84 {
                "EPSG:4326 (longitude/latitude columns)".to_string()
            } else {
                format!(
                    "{} assumed (x/y columns without a CRS column)",
                    c.default_crs
                )
            }
        }
        (Some(_), false) => format!("from column: {}", crs_seen.join(", ")),
    }
}

fn union(a: Option<Rect<f64>>, b: Rect<f64>) -> Rect<f64> {
    match a {
        None => b,
        Some(a) => Rect::new(
            Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        ),
    }
}

fn to_array(r: Rect<f64>) -> Bbox {
    [r.min().x, r.min().y, r.max().x, r.max().y]
}

/// The WGS84 extent of a box in `crs`, from 21 points along each edge (a projected box is
/// not a box in longitude/latitude).
pub fn bbox_to_wgs84(b: Rect<f64>, crs: Crs) -> Option<Bbox> {
    let r = Reprojector::new(crs, Crs::WGS84).ok()?;
    let mut out: Option<Rect<f64>> = None;
    const N: usize = 20;
    for i in 0..=N {
        let t = i as f64 / N as f64;
        let x = b.min().x + t * b.width();
        let y = b.min().y + t * b.height();
        for c in [
            Coord { x, y: b.min().y },
            Coord { x, y: b.max().y },
            Coord { x: b.min().x, y },
            Coord { x: b.max().x, y },
        ] {
            if let Ok(p) = r.coord(c) {
                out = Some(union(out, Rect::new(p, p)));
            }
        }
    }
    out.map(to_array)
}
