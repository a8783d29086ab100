//! Zones (QPV perimeters or candidate perimeters) from any vector layer.

use std::collections::HashSet;
use std::path::Path;

use geo::orient::{Direction, Orient};
use geo::{CoordsIter, Geometry, MultiPolygon};
use rayon::prelude::*;

use crate::crs::{Crs, ToMetric};
use crate::error::{Error, Location, Result};
use crate::model::Zone;

use super::points::{geometry_kind, with_transform};
use super::problems::first_problem;
use super::source::read_vector;
use super::table::find_column;
use super::vector::{VectorFeature, VectorLayer};

/// Which attributes hold a zone's code, name and communes, and how to read the file.
#[derive(Debug, Clone)]
pub struct ZoneFields {
    /// Code attribute (default `code_qp`, the ANCT name).
    pub code: String,
    /// Name attribute (default `lib_qp`).
    pub name: String,
    /// Attribute listing the INSEE codes of the communes, separated by `,` or `;` (default
    /// `insee_com`); zones get no communes when it is absent.
    pub communes: Option<String>,
    /// Layer of a multi-layer source.
    pub layer: Option<String>,
    /// CRS to assume when the source declares none.
    pub source_crs: Option<Crs>,
}

impl Default for ZoneFields {
    fn default() -> Self {
        ZoneFields {
            code: "code_qp".into(),
            name: "lib_qp".into(),
            communes: Some("insee_com".into()),
            layer: None,
            source_crs: None,
        }
    }
}

/// Reads zones from a GeoJSON or GDAL file into `target`, sorted by code; exterior rings
/// counter-clockwise, holes clockwise.
pub fn read_zones(path: &Path, fields: &ZoneFields, target: Crs) -> Result<Vec<Zone>> {
    let layer = read_vector(path, fields.layer.as_deref())?;
    zones_from_layer(layer, fields, target)
}

/// Zones from a layer already read; the first problem is the error.
pub fn zones_from_layer(layer: VectorLayer, fields: &ZoneFields, target: Crs) -> Result<Vec<Zone>> {
    let mut problems = Vec::new();
    let zones = check_zones(layer, fields, target, &mut problems)?;
    first_problem(problems)?;
    Ok(zones)
}

/// Zones from a layer, pushing every per-feature problem (bad geometry, duplicate code...) to
/// `problems` and skipping that feature; whole-file problems are returned as the error.
pub fn check_zones(
    layer: VectorLayer,
    fields: &ZoneFields,
    target: Crs,
    problems: &mut Vec<Error>,
) -> Result<Vec<Zone>> {
    let path = layer.path.clone();
    let names: Vec<String> = layer.fields.iter().map(|f| f.name.clone()).collect();
    let field = |name: &str| {
        find_column(&names, &[name])
            .map(|i| names[i].clone())
            .ok_or_else(|| {
                Error::input(
                    &path,
                    Location::Column(name.to_string()),
                    format!("no attribute '{name}' for the zone code/name"),
                    format!(
                        "choose the attributes with --code-field / --name-field; attributes are: {}",
                        if names.is_empty() { "(none)".to_string() } else { names.join(", ") }
                    ),
                )
            })
    };
    if layer.features.is_empty() {
        return Err(Error::input(
            &path,
            Location::File,
            "the layer has no features",
            "give a layer with at least one zone polygon",
        ));
    }
    let code_field = field(&fields.code)?;
    let name_field = field(&fields.name)?;
    let communes_field = fields
        .communes
        .as_deref()
        .and_then(|c| find_column(&names, &[c]))
        .map(|i| names[i].clone());
    let source = source_crs(&layer, fields.source_crs)?;
    // Fails here, once, if PROJ cannot make the transformation.
    let to_metric = ToMetric::new(source, target)?;
    let mut features = layer.features;
    let mut prepared = metric_polygons(&path, &mut features, to_metric);
    let mut seen: HashSet<String> = HashSet::new();
    let mut zones = Vec::with_capacity(features.len());
    for (f, geometry) in features.into_iter().zip(prepared.drain(..)) {
        let loc = Location::Feature(f.index);
        if let Some(e) = f.error_at(&path) {
            problems.push(e);
            continue;
        }
        let code = f.attributes.text(&code_field).trim().to_string();
        if code.is_empty() {
            problems.push(Error::input(
                &path,
                loc,
                format!("empty zone code ('{code_field}')"),
                "every zone needs a code",
            ));
            continue;
        }
        if !seen.insert(code.clone()) {
            problems.push(Error::input(
                &path,
                loc,
                format!("duplicate zone code '{code}'"),
                "zone codes must be unique: merge the parts into one MultiPolygon or rename one",
            ));
            continue;
        }
        let geometry = match geometry {
            Ok(g) => g,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let communes = communes_field
            .as_deref()
            .map(|c| split_codes(&f.attributes.text(c)))
            .unwrap_or_default();
        zones.push(Zone {
            name: f.attributes.text(&name_field).trim().to_string(),
            code,
            communes,
            geometry,
            attributes: f.attributes,
        });
    }
    zones.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(zones)
}

/// Below this many vertices in a layer, its geometries are validated and reprojected on the
/// calling thread: another thread would first build its own PROJ transformation (50-100 ms
/// when PROJ's database must be searched), about the time of reprojecting this many
/// vertices a hundred times over.
const PARALLEL_FROM_VERTICES: usize = 20_000;

/// Every feature's geometry (taken out of it) validated and reprojected with `to_metric`, on
/// every core for a large layer (validation is quadratic in the length of a ring); in feature
/// order. `to_metric` is dropped once done with, so that its transformation can serve the next
/// reader (see [`crate::crs::Reprojector`]).
fn metric_polygons(
    path: &Path,
    features: &mut [VectorFeature],
    to_metric: ToMetric,
) -> Vec<Result<MultiPolygon<f64>>> {
    let geometries: Vec<(usize, Option<Geometry<f64>>)> = features
        .iter_mut()
        .map(|f| (f.index, f.geometry.take()))
        .collect();
    let vertices: usize = geometries
        .iter()
        .filter_map(|(_, g)| g.as_ref())
        .map(|g| g.coords_count())
        .sum();
    if vertices < PARALLEL_FROM_VERTICES {
        return geometries
            .into_iter()
            .map(|(index, geometry)| metric_polygon(path, index, geometry, &to_metric))
            .collect();
    }
    let (source, target) = (to_metric.reprojector.from(), to_metric.reprojector.to());
    drop(to_metric);
    geometries
        .into_par_iter()
        .map(|(index, geometry)| {
            with_transform(source, target, |t| metric_polygon(path, index, geometry, t))?
        })
        .collect()
}

/// A zone's geometry checked ([`polygonal`]), reprojected into the working CRS and oriented:
/// exteriors counter-clockwise, holes clockwise, whatever the source (Shapefiles store
/// exteriors clockwise, GeoJSON counter-clockwise).
fn metric_polygon(
    path: &Path,
    index: usize,
    geometry: Option<Geometry<f64>>,
    to_metric: &ToMetric,
) -> Result<MultiPolygon<f64>> {
    let mut g = Geometry::MultiPolygon(polygonal(path, index, geometry)?);
    if let Err(e) = to_metric.geometry(&mut g) {
        return Err(Error::input(
            path,
            Location::Feature(index),
            e.message,
            e.hint,
        ));
    }
    let Geometry::MultiPolygon(geometry) = g else {
        unreachable!("reprojection keeps the geometry type")
    };
    Ok(geometry.orient(Direction::Default))
}

/// The CRS of a layer, or the assumed one, or an error.
pub(crate) fn source_crs(layer: &VectorLayer, assumed: Option<Crs>) -> Result<Crs> {
    layer.crs.or(assumed).ok_or_else(|| {
        Error::input(
            &layer.path,
            Location::File,
            "the layer declares no coordinate reference system",
            "give it with --source-crs EPSG:<code> (e.g. add the .prj file of a Shapefile)",
        )
    })
}

/// A polygonal, valid, non-empty geometry as a MultiPolygon, or the problem with it.
pub(crate) fn polygonal(
    path: &Path,
    index: usize,
    geometry: Option<Geometry<f64>>,
) -> Result<MultiPolygon<f64>> {
    let loc = Location::Feature(index);
    let mp = match geometry {
        None => {
            return Err(Error::input(
                path,
                loc,
                "the feature has no geometry (null)",
                "give every zone or candidate its polygon, or remove the feature",
            ));
        }
        Some(Geometry::Polygon(p)) => MultiPolygon(vec![p]),
        Some(Geometry::MultiPolygon(mp)) => mp,
        Some(other) => {
            return Err(Error::input(
                path,
                loc,
                format!("a {} where a polygon was expected", geometry_kind(&other)),
                "zones and candidates are Polygons or MultiPolygons; points and lines cannot be perimeters",
            ));
        }
    };
    if mp.0.is_empty() || mp.0.iter().all(|p| p.exterior().0.is_empty()) {
        return Err(Error::input(
            path,
            loc,
            "an empty polygon",
            "give the zone its perimeter, or remove the feature",
        ));
    }
    if let Some(i) = mp.0.iter().position(|p| {
        geo::Area::unsigned_area(&geo::Polygon::new(p.exterior().clone(), vec![])) == 0.0
    }) {
        return Err(Error::input(
            path,
            loc,
            format!("polygon {i} has no area (its points are all on one line)"),
            "draw the zone's real outline, or remove the feature",
        ));
    }
    if let Err(e) = crate::geometry::validity::check_multipolygon(&mp) {
        return Err(Error::input(
            path,
            loc,
            format!("invalid polygon: {e}"),
            "repair it in a GIS (QGIS: Vector > Geometry Tools > Fix Geometries; PostGIS: ST_MakeValid)",
        ));
    }
    Ok(mp)
}

/// Splits `90008, 90010` or `90008;90010` into codes.
pub fn split_codes(text: &str) -> Vec<String> {
    text.split([',', ';', '|', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
