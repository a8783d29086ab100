//! GeoPackage writer through GDAL: one table per layer, geometries in the working CRS (QGIS
//! reads the CRS from the file), written to a temporary file then renamed.

use std::path::Path;

use gdal::DriverManager;
use gdal::spatial_ref::SpatialRef;
use gdal::vector::{
    FieldDefn, Layer, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType, ToGdal,
};
use serde_json::Value;

use super::atomic::{commit_path, temp_path_beside};
use super::layer::GeoLayer;
use super::table::cell_text;
use crate::error::{Error, Result};

/// Writes `layers` into a new GeoPackage at `path` (replacing it atomically).
pub fn write_gpkg(path: &Path, layers: &[GeoLayer]) -> Result<()> {
    let temp = temp_path_beside(path)?;
    write_into(&temp, layers)
        .map_err(|e| Error::Internal(format!("writing GeoPackage {}: {e}", path.display())))?;
    commit_path(temp, path)
}

fn write_into(path: &Path, layers: &[GeoLayer]) -> gdal::errors::Result<()> {
    let driver = DriverManager::get_driver_by_name("GPKG")?;
    let mut ds = driver.create_vector_only(path)?;
    for layer in layers {
        let srs = SpatialRef::from_epsg(layer.crs.code())?;
        let mut txn = ds.start_transaction()?;
        let mut out = txn.create_layer(LayerOptions {
            name: &layer.name,
            srs: Some(&srs),
            ty: geometry_type(layer),
            options: None,
        })?;
        let columns = columns(layer);
        for (name, kind) in &columns {
            FieldDefn::new(name, *kind)?.add_to_layer(&out)?;
        }
        write_features(&mut out, layer, &columns)?;
        txn.commit()?;
    }
    Ok(())
}

fn write_features(
    out: &mut Layer<'_>,
    layer: &GeoLayer,
    columns: &[(String, OGRFieldType::Type)],
) -> gdal::errors::Result<()> {
    for f in &layer.features {
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
fn columns(layer: &GeoLayer) -> Vec<(String, OGRFieldType::Type)> {
    let mut cols: Vec<(String, Option<OGRFieldType::Type>)> = Vec::new();
    for f in &layer.features {
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

fn geometry_type(layer: &GeoLayer) -> OGRwkbGeometryType::Type {
    use geo::Geometry as G;
    let mut kinds = layer
        .features
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
}
