//! Any vector source GDAL can open (Shapefile, GeoPackage, FlatGeobuf, GML, KML...).
//!
//! Geometries are converted by hand (not through gdal's `TryFrom`, which panics on curve
//! rings and rejects 3D types): Z and M are dropped, curves are reported as errors.

use std::path::Path;

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{
    FieldValue, Geometry as GdalGeometry, LayerAccess, OGRFieldType, OGRwkbGeometryType,
};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};

use crate::crs::Crs;
use crate::error::{Error, Location, Result};
use crate::model::{AttrValue, Attributes};

use super::vector::{Field, FieldKind, GeometryError, VectorFeature, VectorLayer};

/// Opens a vector dataset read-only, with a clear error when GDAL cannot.
///
/// GDAL's own stderr messages are silenced (once, process-wide): the last one is part of the
/// error this crate returns, with the file name and a hint.
pub fn open_dataset(path: &Path) -> Result<Dataset> {
    quiet_gdal();
    if !path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        ));
    }
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
        ..DatasetOptions::default()
    };
    Dataset::open_ex(path, options).map_err(|_| {
        Error::input(
            path,
            Location::File,
            "this file cannot be read as a vector layer (unknown format, or damaged)",
            "give a GeoJSON, Shapefile (.shp with its .shx, .dbf, .prj), GeoPackage, FlatGeobuf or CSV file",
        )
    })
}

/// GDAL's own stderr messages silenced (once, process-wide): errors are reported by this
/// crate, with the file and a hint.
pub(crate) fn quiet_gdal() {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| gdal::config::set_error_handler(|_, _, _| {}));
}

/// Names of the layers of a vector dataset.
///
/// A GeoPackage's `layer_styles` table (the QGIS default styles that qpv and QGIS write) holds
/// no features and is not listed: a styled one-layer GeoPackage still reads without --layer.
pub fn layer_names(dataset: &Dataset) -> Vec<String> {
    dataset
        .layers()
        .map(|l| l.name())
        .filter(|n| n != "layer_styles")
        .collect()
}

/// Reads `layer` of a GDAL vector source, or every layer when `None`.
pub fn read_layers(path: &Path, layer: Option<&str>) -> Result<Vec<VectorLayer>> {
    let dataset = open_dataset(path)?;
    let names = layer_names(&dataset);
    let selected: Vec<String> = match layer {
        Some(l) if names.iter().any(|n| n == l) => vec![l.to_string()],
        Some(l) => {
            return Err(Error::input(
                path,
                Location::File,
                format!("no layer '{l}'"),
                format!("layers are: {}", names.join(", ")),
            ));
        }
        None => names.clone(),
    };
    selected
        .iter()
        .map(|n| read_layer(path, &dataset, n, names.clone()))
        .collect()
}

/// Reads one layer of a GDAL vector source: `layer` by name, else the only layer.
pub fn read_gdal(path: &Path, layer: Option<&str>) -> Result<VectorLayer> {
    let dataset = open_dataset(path)?;
    let names = layer_names(&dataset);
    let name = match (layer, names.len()) {
        (Some(l), _) => {
            if !names.iter().any(|n| n == l) {
                return Err(Error::input(
                    path,
                    Location::File,
                    format!("no layer '{l}'"),
                    format!("layers are: {}", names.join(", ")),
                ));
            }
            l.to_string()
        }
        (None, 0) => {
            return Err(Error::input(
                path,
                Location::File,
                "the source holds no vector layer",
                "give a file with one layer of features",
            ));
        }
        (None, 1) => names[0].clone(),
        (None, _) => {
            return Err(Error::input(
                path,
                Location::File,
                format!("the source holds {} layers", names.len()),
                format!("choose one with --layer: {}", names.join(", ")),
            ));
        }
    };
    read_layer(path, &dataset, &name, names)
}

/// Reads the layer `name` of an open dataset.
pub fn read_layer(
    path: &Path,
    dataset: &Dataset,
    name: &str,
    layer_names: Vec<String>,
) -> Result<VectorLayer> {
    let mut layer = dataset.layer_by_name(name).map_err(|e| {
        Error::input(
            path,
            Location::File,
            format!("cannot open layer '{name}': {e}"),
            "",
        )
    })?;
    let fields: Vec<Field> = layer
        .defn()
        .fields()
        .map(|f| Field {
            name: f.name(),
            kind: field_kind(f.field_type()),
        })
        .collect();
    let (crs, crs_text) = match layer.spatial_ref() {
        Some(srs) => crs_of(&srs),
        None => (None, String::new()),
    };
    let mut features = Vec::new();
    for (index, feature) in layer.features().enumerate() {
        let (geometry, error) = match feature.geometry() {
            // A NULL shape (Shapefile type 0, GeoPackage NULL blob) may come as an empty
            // geometry of no type: the feature has no geometry.
            Some(g) if g.is_empty() || g.geometry_name().is_empty() => (None, None),
            None => (None, None),
            Some(g) => match convert(g) {
                Ok(g) => (Some(g), None),
                Err(message) => (
                    None,
                    Some(GeometryError {
                        message,
                        hint: "convert curves to lines in a GIS, or repair the geometry".into(),
                    }),
                ),
            },
        };
        let mut attributes = Attributes(Vec::with_capacity(fields.len()));
        for (i, field) in fields.iter().enumerate() {
            let value = feature
                .field(i)
                .ok()
                .flatten()
                .map(attr_value)
                .unwrap_or(AttrValue::Null);
            attributes.0.push((field.name.clone(), value));
        }
        features.push(VectorFeature {
            index,
            geometry,
            attributes,
            error,
        });
    }
    let announced = layer.feature_count();
    if announced != features.len() as u64 {
        return Err(Error::input(
            path,
            Location::File,
            format!(
                "the file announces {announced} features but {} could be read",
                features.len()
            ),
            "the file is truncated or damaged (for a Shapefile, its .dbf, .shx and .shp must come from the same export): export it again",
        ));
    }
    shapefile_counts_agree(path)?;
    Ok(VectorLayer {
        path: path.to_path_buf(),
        driver: dataset.driver().short_name(),
        name: name.to_string(),
        layer_names,
        crs,
        crs_text,
        fields,
        features,
    })
}

/// For a Shapefile, the record count of the .dbf header against the count of shapes in the
/// .shx index (100-byte header, 8 bytes per shape): GDAL reads the smaller silently.
fn shapefile_counts_agree(path: &Path) -> Result<()> {
    let is_shp = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if !is_shp {
        return Ok(());
    }
    let sibling = |ext: &str| {
        ["", "upper"].iter().find_map(|case| {
            let e = if case.is_empty() {
                ext.to_string()
            } else {
                ext.to_ascii_uppercase()
            };
            let p = path.with_extension(e);
            p.exists().then_some(p)
        })
    };
    let (Some(dbf), Some(shx)) = (sibling("dbf"), sibling("shx")) else {
        return Ok(());
    };
    let shapes = std::fs::metadata(&shx)
        .map_err(|e| Error::io(&shx, e))?
        .len()
        .saturating_sub(100)
        / 8;
    let mut head = [0u8; 12];
    let mut f = std::fs::File::open(&dbf).map_err(|e| Error::io(&dbf, e))?;
    std::io::Read::read_exact(&mut f, &mut head).map_err(|e| Error::io(&dbf, e))?;
    let records = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]));
    let header = u64::from(u16::from_le_bytes([head[8], head[9]]));
    let record = u64::from(u16::from_le_bytes([head[10], head[11]]));
    let size = std::fs::metadata(&dbf)
        .map_err(|e| Error::io(&dbf, e))?
        .len();
    let complete = size >= header + records * record;
    if records != shapes || !complete {
        let name = dbf
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        return Err(Error::input(
            path,
            Location::File,
            if complete {
                format!("{name} holds {records} records but the shapes number {shapes}")
            } else {
                format!(
                    "{name} is truncated: its header announces {records} records, the file holds {}",
                    size.saturating_sub(header) / record.max(1)
                )
            },
            "the .shp, .shx and .dbf must come from the same export: export the Shapefile again",
        ));
    }
    Ok(())
}

/// The EPSG code of a GDAL spatial reference, identified if needed, and its name.
pub fn crs_of(srs: &SpatialRef) -> (Option<Crs>, String) {
    let name = srs.name().unwrap_or_default();
    let code = |s: &SpatialRef| {
        (s.auth_name().as_deref() == Some("EPSG"))
            .then(|| s.auth_code().ok())
            .flatten()
            .filter(|c| *c > 0)
            .map(|c| Crs::epsg(c as u32))
    };
    if let Some(c) = code(srs) {
        return (Some(c), format!("{c} ({name})"));
    }
    if let Ok(wkt) = srs.to_wkt()
        && let Ok(mut copy) = SpatialRef::from_wkt(&wkt)
        && copy.auto_identify_epsg().is_ok()
        && let Some(c) = code(&copy)
    {
        return (Some(c), format!("{c} ({name})"));
    }
    if let Some(c) = same_parameters_as_known(srs) {
        return (
            Some(c),
            format!("{c} (identified from the parameters of '{name}')"),
        );
    }
    (None, name)
}

/// The projected CRSs used for French data: Lambert-93, the nine conic conformal zones
/// CC42–CC50, LAEA Europe and the overseas UTM CRSs.
const FRENCH_PROJECTED: [u32; 15] = [
    2154, 3942, 3943, 3944, 3945, 3946, 3947, 3948, 3949, 3950, 3035, 2975, 5490, 2972, 4471,
];

/// A CRS without EPSG code whose projection parameters (PROJ.4 form, without the datum-shift
/// and bookkeeping terms) are exactly those of one of [`FRENCH_PROJECTED`]: a `.prj` written
/// by a GIS that named Lambert-93 its own way ("Lambert93", datum "D_unknown" on GRS80),
/// which GDAL's identification rates only 60 % sure.
fn same_parameters_as_known(srs: &SpatialRef) -> Option<Crs> {
    fn key(proj4: &str) -> Vec<String> {
        let mut terms: Vec<String> = proj4
            .split_whitespace()
            .filter(|t| {
                !["+towgs84", "+no_defs", "+type", "+wktext"]
                    .iter()
                    .any(|p| t.starts_with(p))
            })
            .map(str::to_string)
            .collect();
        // The two standard parallels of a conic projection play the same role: their order
        // varies between writers.
        let mut parallels: Vec<String> = Vec::new();
        terms.retain(|t| {
            let p = t.starts_with("+lat_1=") || t.starts_with("+lat_2=");
            if p {
                parallels.push(t[7..].to_string());
            }
            !p
        });
        parallels.sort();
        terms.push(format!("+lat_1_2={}", parallels.join(",")));
        terms.sort();
        terms
    }
    let own = key(&srs.to_proj4().ok()?);
    FRENCH_PROJECTED.iter().find_map(|&code| {
        let known = SpatialRef::from_epsg(code).ok()?.to_proj4().ok()?;
        (key(&known) == own).then_some(Crs::epsg(code))
    })
}

fn field_kind(t: OGRFieldType::Type) -> FieldKind {
    match t {
        OGRFieldType::OFTInteger | OGRFieldType::OFTInteger64 => FieldKind::Integer,
        OGRFieldType::OFTReal => FieldKind::Real,
        OGRFieldType::OFTString => FieldKind::String,
        OGRFieldType::OFTDate | OGRFieldType::OFTDateTime | OGRFieldType::OFTTime => {
            FieldKind::Date
        }
        _ => FieldKind::Mixed,
    }
}

fn attr_value(v: FieldValue) -> AttrValue {
    match v {
        FieldValue::IntegerValue(i) => AttrValue::Int(i as i64),
        FieldValue::Integer64Value(i) => AttrValue::Int(i),
        FieldValue::RealValue(f) => AttrValue::Float(f),
        FieldValue::StringValue(s) => AttrValue::Text(s),
        FieldValue::DateValue(d) => AttrValue::Text(d.to_string()),
        FieldValue::DateTimeValue(d) => AttrValue::Text(d.to_string()),
        FieldValue::IntegerListValue(l) => AttrValue::Text(format!("{l:?}")),
        FieldValue::Integer64ListValue(l) => AttrValue::Text(format!("{l:?}")),
        FieldValue::RealListValue(l) => AttrValue::Text(format!("{l:?}")),
        FieldValue::StringListValue(l) => AttrValue::Text(format!("{l:?}")),
    }
}

fn coords(g: &GdalGeometry) -> Vec<Coord<f64>> {
    let mut pts = Vec::with_capacity(g.point_count());
    g.get_points(&mut pts);
    pts.into_iter().map(|(x, y, _)| Coord { x, y }).collect()
}

fn polygon(g: &GdalGeometry) -> std::result::Result<Polygon<f64>, String> {
    let n = g.geometry_count();
    if n == 0 {
        return Ok(Polygon::new(LineString(vec![]), vec![]));
    }
    let mut rings = Vec::with_capacity(n);
    for i in 0..n {
        let r = g.get_geometry(i);
        let flat = gdal::vector::geometry_type_flatten(r.geometry_type());
        if flat != OGRwkbGeometryType::wkbLineString && flat != OGRwkbGeometryType::wkbLinearRing {
            return Err(format!(
                "a polygon ring of type {} (curves are not supported)",
                r.geometry_name()
            ));
        }
        rings.push(LineString(coords(&r)));
    }
    let exterior = rings.remove(0);
    Ok(Polygon::new(exterior, rings))
}

/// Converts a GDAL geometry to `geo`, 2D.
fn convert(g: &GdalGeometry) -> std::result::Result<Geometry<f64>, String> {
    let flat = gdal::vector::geometry_type_flatten(g.geometry_type());
    let parts = |f: &dyn Fn(&GdalGeometry) -> std::result::Result<Geometry<f64>, String>| {
        (0..g.geometry_count())
            .map(|i| f(&g.get_geometry(i)))
            .collect::<std::result::Result<Vec<_>, String>>()
    };
    if flat == OGRwkbGeometryType::wkbPoint && g.is_empty() {
        return Err("an empty Point".into());
    }
    Ok(match flat {
        OGRwkbGeometryType::wkbPoint => {
            let (x, y, _) = g.get_point(0);
            Geometry::Point(Point::new(x, y))
        }
        OGRwkbGeometryType::wkbLineString | OGRwkbGeometryType::wkbLinearRing => {
            Geometry::LineString(LineString(coords(g)))
        }
        OGRwkbGeometryType::wkbPolygon => Geometry::Polygon(polygon(g)?),
        OGRwkbGeometryType::wkbMultiPoint => Geometry::MultiPoint(MultiPoint(
            parts(&|p| {
                let (x, y, _) = p.get_point(0);
                Ok(Geometry::Point(Point::new(x, y)))
            })?
            .into_iter()
            .filter_map(|g| match g {
                Geometry::Point(p) => Some(p),
                _ => None,
            })
            .collect(),
        )),
        OGRwkbGeometryType::wkbMultiLineString => Geometry::MultiLineString(MultiLineString(
            (0..g.geometry_count())
                .map(|i| LineString(coords(&g.get_geometry(i))))
                .collect(),
        )),
        OGRwkbGeometryType::wkbMultiPolygon => Geometry::MultiPolygon(MultiPolygon(
            (0..g.geometry_count())
                .map(|i| {
                    let p = g.get_geometry(i);
                    if gdal::vector::geometry_type_flatten(p.geometry_type())
                        != OGRwkbGeometryType::wkbPolygon
                    {
                        return Err(format!("a multipolygon part of type {}", p.geometry_name()));
                    }
                    polygon(&p)
                })
                .collect::<std::result::Result<_, _>>()?,
        )),
        OGRwkbGeometryType::wkbGeometryCollection => {
            Geometry::GeometryCollection(geo::GeometryCollection(parts(&convert)?))
        }
        _ => return Err(format!("unsupported geometry type {}", g.geometry_name())),
    })
}
