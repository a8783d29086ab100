//! GeoJSON writer, RFC 7946: WGS84 longitude/latitude, 7 decimals (≈ 1 cm), exterior rings
//! counter-clockwise and holes clockwise (the right-hand rule), one feature per line so that
//! outputs diff well and stay byte-for-byte reproducible.

use std::io::Write;

use geo::orient::{Direction, Orient};
use geo::{Coord, Geometry, LineString, Polygon};
use serde_json::{Map, Value};

use super::layer::{GeoFeature, GeoLayer};
use crate::crs::{Crs, Reprojector};
use crate::error::{Error, Result};

/// Decimal places of written coordinates: 1e-7° is about 1.1 cm of latitude.
pub const DECIMALS: i32 = 7;

/// Streams features into a GeoJSON FeatureCollection.
pub struct GeoJsonWriter<W: Write> {
    w: W,
    to_wgs84: Reprojector,
    count: usize,
}

impl<W: Write> GeoJsonWriter<W> {
    /// Starts a collection named `name` whose geometries are given in `from` (the working CRS).
    pub fn new(mut w: W, name: &str, from: Crs) -> Result<Self> {
        let header = format!(
            "{{\"type\":\"FeatureCollection\",\"name\":{},\"features\":[",
            Value::String(name.to_string())
        );
        w.write_all(header.as_bytes()).map_err(io_err)?;
        Ok(GeoJsonWriter {
            w,
            to_wgs84: Reprojector::new(from, Crs::WGS84)?,
            count: 0,
        })
    }

    /// Writes one feature (a `None` or empty geometry is written as `null`).
    pub fn write_feature(
        &mut self,
        geometry: Option<&Geometry<f64>>,
        properties: &Map<String, Value>,
    ) -> Result<()> {
        let mut text = String::with_capacity(256);
        text.push_str(if self.count == 0 { "\n" } else { ",\n" });
        text.push_str("{\"type\":\"Feature\",\"properties\":");
        text.push_str(
            &serde_json::to_string(properties).map_err(|e| Error::Internal(e.to_string()))?,
        );
        text.push_str(",\"geometry\":");
        match geometry {
            Some(g) if !is_empty(g) => {
                let mut g = g.clone();
                self.to_wgs84.geometry(&mut g)?;
                write_geometry(&mut text, &orient(g));
            }
            _ => text.push_str("null"),
        }
        text.push('}');
        self.w.write_all(text.as_bytes()).map_err(io_err)?;
        self.count += 1;
        Ok(())
    }

    /// Closes the collection and returns the writer.
    pub fn finish(mut self) -> Result<W> {
        self.w.write_all(b"\n]}\n").map_err(io_err)?;
        Ok(self.w)
    }
}

/// Writes a whole layer as a FeatureCollection.
pub fn write_layer(w: &mut dyn Write, layer: &GeoLayer) -> Result<()> {
    let mut writer = GeoJsonWriter::new(w, &layer.name, layer.crs)?;
    for GeoFeature {
        geometry,
        properties,
    } in &layer.features
    {
        writer.write_feature(geometry.as_ref(), properties)?;
    }
    writer.finish()?;
    Ok(())
}

fn io_err(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

fn is_empty(g: &Geometry<f64>) -> bool {
    use geo::CoordsIter;
    g.coords_count() == 0
}

/// RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
fn orient(g: Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(mp) => Geometry::MultiPolygon(mp.orient(Direction::Default)),
        Geometry::Rect(r) => Geometry::Polygon(r.to_polygon().orient(Direction::Default)),
        Geometry::Triangle(t) => Geometry::Polygon(t.to_polygon().orient(Direction::Default)),
        Geometry::GeometryCollection(gc) => {
            Geometry::GeometryCollection(gc.into_iter().map(orient).collect())
        }
        other => other,
    }
}

/// Rounds to [`DECIMALS`] and prints the shortest text that reads back to the rounded value.
fn push_number(out: &mut String, v: f64) {
    out.push_str(&super::number::round(v, DECIMALS).to_string());
}

fn push_coord(out: &mut String, c: Coord<f64>) {
    out.push('[');
    push_number(out, c.x);
    out.push(',');
    push_number(out, c.y);
    out.push(']');
}

fn push_line(out: &mut String, ls: &LineString<f64>) {
    out.push('[');
    for (i, c) in ls.0.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_coord(out, *c);
    }
    out.push(']');
}

fn push_polygon(out: &mut String, p: &Polygon<f64>) {
    out.push('[');
    push_line(out, p.exterior());
    for ring in p.interiors() {
        out.push(',');
        push_line(out, ring);
    }
    out.push(']');
}

fn push_list<T>(out: &mut String, items: &[T], mut each: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, item);
    }
    out.push(']');
}

fn write_geometry(out: &mut String, g: &Geometry<f64>) {
    let open = |out: &mut String, kind: &str| {
        out.push_str("{\"type\":\"");
        out.push_str(kind);
        out.push_str("\",\"coordinates\":");
    };
    match g {
        Geometry::Point(p) => {
            open(out, "Point");
            push_coord(out, p.0);
        }
        Geometry::Line(l) => {
            open(out, "LineString");
            push_line(out, &LineString::from(vec![l.start, l.end]));
        }
        Geometry::LineString(ls) => {
            open(out, "LineString");
            push_line(out, ls);
        }
        Geometry::Polygon(p) => {
            open(out, "Polygon");
            push_polygon(out, p);
        }
        Geometry::MultiPoint(mp) => {
            open(out, "MultiPoint");
            push_list(out, &mp.0, |o, p| push_coord(o, p.0));
        }
        Geometry::MultiLineString(ml) => {
            open(out, "MultiLineString");
            push_list(out, &ml.0, push_line);
        }
        Geometry::MultiPolygon(mp) => {
            open(out, "MultiPolygon");
            push_list(out, &mp.0, push_polygon);
        }
        Geometry::GeometryCollection(gc) => {
            out.push_str("{\"type\":\"GeometryCollection\",\"geometries\":");
            push_list(out, &gc.0, write_geometry);
        }
        // Rect and Triangle were turned into polygons by `orient`; kept for completeness.
        Geometry::Rect(r) => return write_geometry(out, &Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => return write_geometry(out, &Geometry::Polygon(t.to_polygon())),
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Point, polygon};

    fn write(layer: &GeoLayer) -> String {
        let mut buf = Vec::new();
        write_layer(&mut buf, layer).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn point_is_reprojected_and_rounded() {
        // Lycée Condorcet, Belfort: Lambert-93 from cs2cs (see crs tests).
        let mut props = Map::new();
        props.insert("id".into(), Value::String("0900002N".into()));
        let layer = GeoLayer {
            name: "t".into(),
            crs: Crs::LAMBERT93,
            style: None,
            features: vec![GeoFeature {
                geometry: Some(Geometry::Point(Point::new(989031.7998, 6732842.2045))),
                properties: props,
            }],
        };
        let text = write(&layer);
        assert_eq!(
            text,
            "{\"type\":\"FeatureCollection\",\"name\":\"t\",\"features\":[\n\
             {\"type\":\"Feature\",\"properties\":{\"id\":\"0900002N\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.8503223,47.6325293]}}\n]}\n"
        );
    }

    #[test]
    fn clockwise_exterior_is_written_counter_clockwise() {
        // A clockwise square in Lambert-93 near Belfort.
        let p = polygon![
            (x: 989000.0, y: 6733000.0),
            (x: 989000.0, y: 6733100.0),
            (x: 989100.0, y: 6733100.0),
            (x: 989100.0, y: 6733000.0),
        ];
        let layer = GeoLayer {
            name: "sq".into(),
            crs: Crs::LAMBERT93,
            style: None,
            features: vec![GeoFeature {
                geometry: Some(Geometry::Polygon(p)),
                properties: Map::new(),
            }],
        };
        let text = write(&layer);
        let v: Value = serde_json::from_str(&text).unwrap();
        let ring = v["features"][0]["geometry"]["coordinates"][0]
            .as_array()
            .unwrap();
        assert_eq!(ring.len(), 5);
        assert_eq!(ring[0], ring[4]);
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
            .collect();
        let twice_area: f64 = pts
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(twice_area > 0.0, "exterior must be counter-clockwise");
    }
}
