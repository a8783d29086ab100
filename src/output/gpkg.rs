//! GeoPackage writer through GDAL: one table per layer, geometries in the working CRS (QGIS
//! reads the CRS from the file), each layer's default QGIS style in the `layer_styles` table,
//! written to a temporary file then renamed.
//!
//! Rows are streamed: [`GpkgWriter`] keeps at most [`CHUNK_ROWS`] features in memory and
//! writes them in one transaction each, so a layer of millions of rows costs a bounded amount
//! of memory. The bytes do not depend on when the file is written: `gpkg_contents.last_change`
//! and the styles' `update_time` are fixed ([`timestamp`]).
//!
//! # Examples
//!
//! ```
//! use geo::{Geometry, Point};
//! use qpv::crs::Crs;
//! use qpv::output::gpkg::GpkgWriter;
//! use qpv::output::qgis_style::LayerStyle;
//! use qpv::output::GeoFeature;
//! use gdal::vector::LayerAccess;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("points.gpkg");
//! let mut gpkg = GpkgWriter::create(&path).unwrap();
//! gpkg.begin_layer("facilities", Crs::LAMBERT93, Some(LayerStyle::Facilities)).unwrap();
//! let mut properties = serde_json::Map::new();
//! properties.insert("category".into(), "college".into());
//! gpkg.write(GeoFeature { geometry: Some(Geometry::Point(Point::new(989031.8, 6732842.2))), properties }).unwrap();
//! gpkg.finish().unwrap();
//! let ds = gdal::Dataset::open(&path).unwrap();
//! assert_eq!(ds.layer_by_name("facilities").unwrap().feature_count(), 1);
//! assert_eq!(ds.layer_by_name("layer_styles").unwrap().feature_count(), 1);
//! ```

use std::path::{Path, PathBuf};

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{
    FieldDefn, Layer, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType, ToGdal,
};
use gdal::{Dataset, DriverManager};
use serde_json::Value;

use super::atomic::{commit_path, temp_path_beside};
use super::layer::{GeoFeature, GeoLayer};
use super::qgis_style::LayerStyle;
use super::table::cell_text;
use crate::crs::Crs;
use crate::error::{Error, Result};

/// Features kept in memory and written per transaction.
pub const CHUNK_ROWS: usize = 20_000;

/// Name of the geometry column of every spatial table.
pub const GEOMETRY_COLUMN: &str = "geom";

/// The date a GeoPackage records (`gpkg_contents.last_change`, styles' `update_time`):
/// `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) when set, else
/// 1970-01-01, so that the same input gives the same bytes.
pub fn timestamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0);
    iso_utc(secs)
}

/// `secs` since 1970 as `YYYY-MM-DDTHH:MM:SS.000Z` (days to civil date: H. Hinnant's
/// algorithm).
fn iso_utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

type Columns = Vec<(String, OGRFieldType::Type)>;

/// The layer being written.
struct OpenLayer {
    name: String,
    crs: Crs,
    style: Option<LayerStyle>,
    /// Declared, or inferred from the first chunk.
    schema: Option<(Columns, OGRwkbGeometryType::Type)>,
    created: bool,
    buffer: Vec<GeoFeature>,
}

/// A GeoPackage being written, layer after layer, row after row (see the module docs).
pub struct GpkgWriter {
    // Closed before the temporary file is removed (fields drop in order).
    ds: Dataset,
    temp: super::atomic::TempOutput,
    path: PathBuf,
    current: Option<OpenLayer>,
    styles: Vec<(String, String, LayerStyle)>,
}

impl GpkgWriter {
    /// Starts a GeoPackage that [`GpkgWriter::finish`] renames onto `path`.
    pub fn create(path: &Path) -> Result<Self> {
        let temp = temp_path_beside(path)?;
        crate::io::gdal_source::quiet_gdal();
        gdal::config::set_thread_local_config_option("OGR_CURRENT_DATE", &timestamp())
            .map_err(|e| gdal_error(path, e))?;
        let ds = DriverManager::get_driver_by_name("GPKG")
            .and_then(|d| d.create_vector_only(&temp))
            .map_err(|e| gdal_error(path, e))?;
        Ok(GpkgWriter {
            ds,
            temp,
            path: path.to_path_buf(),
            current: None,
            styles: Vec::new(),
        })
    }

    /// Ends the current layer and starts the layer `name`; its columns and geometry type come
    /// from the first [`CHUNK_ROWS`] features.
    pub fn begin_layer(&mut self, name: &str, crs: Crs, style: Option<LayerStyle>) -> Result<()> {
        self.end_layer()?;
        self.current = Some(OpenLayer {
            name: name.to_string(),
            crs,
            style,
            schema: None,
            created: false,
            buffer: Vec::new(),
        });
        Ok(())
    }

    /// Adds a feature to the current layer.
    pub fn write(&mut self, feature: GeoFeature) -> Result<()> {
        let layer = self
            .current
            .as_mut()
            .ok_or_else(|| Error::Internal("a GeoPackage feature before its layer".into()))?;
        layer.buffer.push(feature);
        if layer.buffer.len() >= CHUNK_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes a whole layer (columns and geometry type from all its features).
    pub fn write_layer(&mut self, layer: &GeoLayer) -> Result<()> {
        self.begin_layer(&layer.name, layer.crs, layer.style)?;
        if let Some(open) = self.current.as_mut() {
            open.schema = Some((columns(&layer.features), geometry_type(&layer.features)));
        }
        for f in &layer.features {
            self.write(f.clone())?;
        }
        Ok(())
    }

    /// Ends the file: the last layer, the styles, then the rename onto the destination.
    pub fn finish(mut self) -> Result<()> {
        self.end_layer()?;
        let GpkgWriter {
            mut ds,
            temp,
            path,
            styles,
            ..
        } = self;
        write_styles(&mut ds, &styles)
            .and_then(|()| ds.close())
            .map_err(|e| gdal_error(&path, e))?;
        let _ = gdal::config::clear_thread_local_config_option("OGR_CURRENT_DATE");
        commit_path(temp, &path)
    }

    fn flush(&mut self) -> Result<()> {
        let GpkgWriter {
            ds, current, path, ..
        } = self;
        match current {
            Some(layer) => flush_layer(ds, layer).map_err(|e| gdal_error(path, e)),
            None => Ok(()),
        }
    }

    fn end_layer(&mut self) -> Result<()> {
        self.flush()?;
        if let Some(layer) = self.current.take()
            && let Some(style) = layer.style
        {
            let geom = match layer.schema {
                Some((_, OGRwkbGeometryType::wkbNone)) | None => "",
                Some(_) => GEOMETRY_COLUMN,
            };
            self.styles.push((layer.name, geom.to_string(), style));
        }
        Ok(())
    }
}

/// Writes `layers` into a new GeoPackage at `path` (replacing it atomically), each with its
/// default style.
pub fn write_gpkg(path: &Path, layers: &[GeoLayer]) -> Result<()> {
    let mut gpkg = GpkgWriter::create(path)?;
    for layer in layers {
        gpkg.write_layer(layer)?;
    }
    gpkg.finish()
}

fn gdal_error(path: &Path, e: gdal::errors::GdalError) -> Error {
    Error::Internal(format!("writing GeoPackage {}: {e}", path.display()))
}

/// Creates the layer on the first call, then writes the buffered features in one transaction.
fn flush_layer(ds: &mut Dataset, layer: &mut OpenLayer) -> gdal::errors::Result<()> {
    if layer.created && layer.buffer.is_empty() {
        return Ok(());
    }
    let features = std::mem::take(&mut layer.buffer);
    let (columns, ty) = layer
        .schema
        .get_or_insert_with(|| (columns(&features), geometry_type(&features)))
        .clone();
    let mut txn = ds.start_transaction()?;
    if !layer.created {
        let srs = SpatialRef::from_epsg(layer.crs.code())?;
        let geometry_name = format!("GEOMETRY_NAME={GEOMETRY_COLUMN}");
        let out = txn.create_layer(LayerOptions {
            name: &layer.name,
            srs: (ty != OGRwkbGeometryType::wkbNone).then_some(&srs),
            ty,
            options: Some(&[geometry_name.as_str()]),
        })?;
        for (name, kind) in &columns {
            FieldDefn::new(name, *kind)?.add_to_layer(&out)?;
        }
        layer.created = true;
    }
    let mut out = txn.layer_by_name(&layer.name)?;
    write_features(&mut out, &features, &columns)?;
    txn.commit()
}

/// The `layer_styles` table QGIS reads default styles from (its own column set).
fn write_styles(
    ds: &mut Dataset,
    styles: &[(String, String, LayerStyle)],
) -> gdal::errors::Result<()> {
    if styles.is_empty() {
        return Ok(());
    }
    let text = OGRFieldType::OFTString;
    let fields: [(&str, OGRFieldType::Type); 13] = [
        ("f_table_catalog", text),
        ("f_table_schema", text),
        ("f_table_name", text),
        ("f_geometry_column", text),
        ("styleName", text),
        ("styleQML", text),
        ("styleSLD", text),
        ("useAsDefault", OGRFieldType::OFTInteger),
        ("description", text),
        ("owner", text),
        ("ui", text),
        ("update_time", OGRFieldType::OFTDateTime),
        ("type", text),
    ];
    let mut txn = ds.start_transaction()?;
    let out = txn.create_layer(LayerOptions {
        name: "layer_styles",
        srs: None,
        ty: OGRwkbGeometryType::wkbNone,
        options: None,
    })?;
    for (name, kind) in fields {
        FieldDefn::new(name, kind)?.add_to_layer(&out)?;
    }
    let date = timestamp();
    for (table, geom, style) in styles {
        let mut f = gdal::vector::Feature::new(out.defn())?;
        let values = [
            "",
            "",
            table.as_str(),
            geom.as_str(),
            style.name(),
            &style.qml(),
            "",
            "",
            style.description(),
            "",
            "",
            &date,
            "",
        ];
        for (i, v) in values.iter().enumerate() {
            match i {
                7 => f.set_field_integer(i, 1)?,
                0 | 6 | 9 | 10 | 12 => f.set_field_null(i)?,
                _ => f.set_field_string(i, v)?,
            }
        }
        f.create(&out)?;
    }
    txn.commit()
}

fn write_features(
    out: &mut Layer<'_>,
    features: &[GeoFeature],
    columns: &[(String, OGRFieldType::Type)],
) -> gdal::errors::Result<()> {
    for f in features {
        let defn = out.defn();
        let mut feature = gdal::vector::Feature::new(defn)?;
        if let Some(g) = &f.geometry {
            feature.set_geometry(g.to_gdal()?)?;
        }
        for (i, (name, kind)) in columns.iter().enumerate() {
            match (f.properties.get(name), *kind) {
                (None | Some(Value::Null), _) => feature.set_field_null(i)?,
                (Some(v), OGRFieldType::OFTInteger64) => match v.as_i64() {
                    Some(n) => feature.set_field_integer64(i, n)?,
                    None => feature.set_field_null(i)?,
                },
                (Some(v), OGRFieldType::OFTReal) => match v.as_f64() {
                    Some(x) => feature.set_field_double(i, x)?,
                    None => feature.set_field_null(i)?,
                },
                (Some(Value::Bool(b)), _) => feature.set_field_integer(i, i32::from(*b))?,
                (Some(v), _) => feature.set_field_string(i, &cell_text(v))?,
            }
        }
        feature.create(out)?;
    }
    Ok(())
}

/// Column types from the values: integers, reals, booleans (as integers), text otherwise.
fn columns(features: &[GeoFeature]) -> Columns {
    let mut cols: Vec<(String, Option<OGRFieldType::Type>)> = Vec::new();
    for f in features {
        for (name, v) in &f.properties {
            let kind = match v {
                Value::Null => None,
                Value::Bool(_) => Some(OGRFieldType::OFTInteger),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some(OGRFieldType::OFTInteger64),
                Value::Number(_) => Some(OGRFieldType::OFTReal),
                _ => Some(OGRFieldType::OFTString),
            };
            match cols.iter_mut().find(|(c, _)| c == name) {
                None => cols.push((name.clone(), kind)),
                Some((_, slot)) => *slot = widen(*slot, kind),
            }
        }
    }
    cols.into_iter()
        .map(|(n, k)| (n, k.unwrap_or(OGRFieldType::OFTString)))
        .collect()
}
fn widen(
    a: Option<OGRFieldType::Type>,
    b: Option<OGRFieldType::Type>,
) -> Option<OGRFieldType::Type> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) if x == y => Some(x),
        (Some(OGRFieldType::OFTInteger64), Some(OGRFieldType::OFTReal))
        | (Some(OGRFieldType::OFTReal), Some(OGRFieldType::OFTInteger64)) => {
            Some(OGRFieldType::OFTReal)
        }
        _ => Some(OGRFieldType::OFTString),
    }
}

fn geometry_type(features: &[GeoFeature]) -> OGRwkbGeometryType::Type {
    use geo::Geometry as G;
    let mut kinds = features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .map(|g| match g {
            G::Point(_) => OGRwkbGeometryType::wkbPoint,
            G::LineString(_) | G::Line(_) => OGRwkbGeometryType::wkbLineString,
            G::Polygon(_) | G::Rect(_) | G::Triangle(_) => OGRwkbGeometryType::wkbPolygon,
            G::MultiPoint(_) => OGRwkbGeometryType::wkbMultiPoint,
            G::MultiLineString(_) => OGRwkbGeometryType::wkbMultiLineString,
            G::MultiPolygon(_) => OGRwkbGeometryType::wkbMultiPolygon,
            G::GeometryCollection(_) => OGRwkbGeometryType::wkbGeometryCollection,
        });
    let first = kinds.next();
    match first {
        None => OGRwkbGeometryType::wkbNone,
        Some(k) if kinds.all(|o| o == k) => k,
        Some(_) => OGRwkbGeometryType::wkbUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::Crs;
    use crate::output::layer::GeoFeature;
    use gdal::Dataset;
    use geo::{Geometry, Point};
    use serde_json::{Map, json};

    #[test]
    fn gpkg_round_trips_through_gdal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.gpkg");
        let mut props = Map::new();
        props.insert("id".into(), json!("0900002N"));
        props.insert("count".into(), json!(3));
        props.insert("distance_m".into(), json!(12.34));
        let layer = GeoLayer {
            name: "facilities".into(),
            crs: Crs::LAMBERT93,
            style: None,
            features: vec![GeoFeature {
                geometry: Some(Geometry::Point(Point::new(989031.8, 6732842.2))),
                properties: props,
            }],
        };
        write_gpkg(&path, &[layer]).unwrap();
        let ds = Dataset::open(&path).unwrap();
        let mut l = ds.layer_by_name("facilities").unwrap();
        assert_eq!(l.feature_count(), 1);
        assert_eq!(l.spatial_ref().unwrap().auth_code().unwrap(), 2154);
        let f = l.features().next().unwrap();
        assert_eq!(
            f.field_as_string(f.field_index("id").unwrap())
                .unwrap()
                .as_deref(),
            Some("0900002N")
        );
        assert_eq!(
            f.field_as_integer64(f.field_index("count").unwrap())
                .unwrap(),
            Some(3)
        );
        assert_eq!(
            f.field_as_double(f.field_index("distance_m").unwrap())
                .unwrap(),
            Some(12.34)
        );
        let p = f.geometry().unwrap().get_point(0);
        assert_eq!((p.0, p.1), (989031.8, 6732842.2));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn dates_are_utc_civil_dates() {
        // `date -u -d @1700000000` and `date -u -d @951782400` (2000-02-29, a leap day).
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(1_700_000_000), "2023-11-14T22:13:20.000Z");
        assert_eq!(iso_utc(951_782_400), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn streamed_layer_spans_several_transactions_and_is_reproducible() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str| {
            let path = dir.path().join(name);
            let mut gpkg = GpkgWriter::create(&path).unwrap();
            gpkg.begin_layer("points", Crs::LAMBERT93, Some(LayerStyle::LocatedPoints))
                .unwrap();
            for i in 0..(2 * CHUNK_ROWS + 7) {
                let mut props = Map::new();
                props.insert("i".into(), json!(i));
                props.insert(
                    "status".into(),
                    json!(if i % 2 == 0 { "inside" } else { "outside" }),
                );
                gpkg.write(GeoFeature {
                    geometry: Some(Geometry::Point(Point::new(9.9e5 + i as f64, 6.7e6))),
                    properties: props,
                })
                .unwrap();
            }
            gpkg.finish().unwrap();
            path
        };
        let a = write("a.gpkg");
        let ds = Dataset::open(&a).unwrap();
        let mut l = ds.layer_by_name("points").unwrap();
        assert_eq!(l.feature_count(), (2 * CHUNK_ROWS + 7) as u64);
        let last = l.features().last().unwrap();
        assert_eq!(
            last.field_as_integer64(0).unwrap(),
            Some((2 * CHUNK_ROWS + 6) as i64)
        );
        let b = write("b.gpkg");
        assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    }
}
