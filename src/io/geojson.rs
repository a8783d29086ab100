//! GeoJSON reader: RFC 7946 (WGS84 longitude/latitude) and the legacy `crs` member that ANCT
//! and IGN still publish (`urn:ogc:def:crs:EPSG::2154`); FeatureCollection, single Feature or
//! bare Geometry.
//!
//! Geometries are converted by hand rather than through `geo`'s `TryFrom`, so that an unclosed
//! ring, a position with one number or a ring with three points is reported with its feature
//! index instead of being silently "fixed".

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use geojson::JsonObject;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use crate::crs::Crs;
use crate::error::{Error, Location, Result};
use crate::model::{AttrValue, Attributes};

use super::vector::{Field, FieldKind, GeometryError, VectorFeature, VectorLayer};

/// Reads a GeoJSON file: parsed from memory up to 64 MiB (serde_json reads bytes in memory
/// faster than through a reader), streamed from disk above, where the file's bytes are never
/// held whole, only the features converted so far and the one being parsed (a 1.26 GB file
/// took 20 GB as one JSON tree). Both ways give the same layer and the same errors.
pub fn read_geojson(path: &Path) -> Result<VectorLayer> {
    read_geojson_within(path, IN_MEMORY_BYTES)
}

/// [`read_geojson`], parsing from memory a file of at most `in_memory` bytes.
fn read_geojson_within(path: &Path, in_memory: u64) -> Result<VectorLayer> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut input = BufReader::with_capacity(1 << 20, file);
    let head = input.fill_buf().map_err(|e| Error::io(path, e))?;
    let bom = head.starts_with(BOM);
    let whole = head.len() < (1 << 20);
    check_head(path, &head[if bom { BOM.len() } else { 0 }..], whole)?;
    if bom {
        input.consume(BOM.len());
    }
    // A regular file only: a pipe has no size to go by.
    let size = (input.get_ref().metadata().ok())
        .filter(|m| m.is_file())
        .map_or(u64::MAX, |m| m.len());
    if size <= in_memory {
        let mut bytes = Vec::with_capacity(size as usize);
        input
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let root = parse_root(path, &mut de, |n| line_of_file(path, n))?;
        return build_layer(path, root);
    }
    let mut de = serde_json::Deserializer::from_reader(input);
    let root = parse_root(path, &mut de, |n| line_of_file(path, n))?;
    build_layer(path, root)
}

/// Largest GeoJSON file parsed from memory (larger ones are streamed from disk).
const IN_MEMORY_BYTES: u64 = 64 << 20;

/// Parses GeoJSON bytes; `path` names the source in errors.
pub fn parse_geojson(path: &Path, bytes: &[u8]) -> Result<VectorLayer> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    check_head(path, body, true)?;
    let mut de = serde_json::Deserializer::from_slice(body);
    let root = parse_root(path, &mut de, |n| {
        body.split(|b| *b == b'\n').nth(n).map(<[u8]>::to_vec)
    })?;
    build_layer(path, root)
}

/// The UTF-8 byte-order mark, which RFC 7946 forbids but Windows tools write.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Refuses an empty (`whole`: `head` is the whole file) or binary file from its first bytes.
fn check_head(path: &Path, head: &[u8], whole: bool) -> Result<()> {
    if whole && head.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(
            path,
            Location::File,
            "the file is empty",
            "give a GeoJSON FeatureCollection",
        ));
    }
    if head.contains(&0) {
        return Err(Error::input(
            path,
            Location::File,
            "this is not GeoJSON text (binary bytes found)",
            "check the file: GeoJSON is UTF-8 text starting with '{'",
        ));
    }
    Ok(())
}

/// Line `n` (0-based) of a file, read again to describe a JSON syntax error.
fn line_of_file(path: &Path, n: usize) -> Option<Vec<u8>> {
    let file = File::open(path).ok()?;
    let mut line = Vec::new();
    let mut input = BufReader::new(file);
    for _ in 0..=n {
        line.clear();
        if input.read_until(b'\n', &mut line).ok()? == 0 {
            return None;
        }
    }
    if n == 0 && line.starts_with(BOM) {
        line.drain(..BOM.len());
    }
    Some(line)
}

/// The layer from the parsed top-level object and features.
fn build_layer(
    path: &Path,
    (root, streamed): (JsonObject, Option<Vec<VectorFeature>>),
) -> Result<VectorLayer> {
    let kind = root.get("type").and_then(Json::as_str).unwrap_or("");
    let (crs, crs_text) = legacy_crs(path, root.get("crs"))?;
    let name = root
        .get("name")
        .and_then(Json::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let features = match kind {
        "FeatureCollection" => streamed.ok_or_else(|| no_features_array(path))?,
        "Feature" => vec![feature(path, 0, &Json::Object(root.clone()))?],
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon"
        | "GeometryCollection" => {
            let geometry = geometry(path, 0, &Json::Object(root.clone()))?;
            vec![VectorFeature {
                index: 0,
                geometry: Some(geometry),
                attributes: Attributes::default(),
                error: None,
            }]
        }
        other => {
            return Err(Error::input(
                path,
                Location::File,
                if other.is_empty() {
                    "the JSON object has no GeoJSON \"type\"".to_string()
                } else {
                    format!("\"type\": \"{other}\" is not a GeoJSON type")
                },
                "GeoJSON is a FeatureCollection, a Feature or a Geometry",
            ));
        }
    };
    let fields = infer_fields(&features);
    Ok(VectorLayer {
        path: path.to_path_buf(),
        driver: "GeoJSON".into(),
        layer_names: vec![name.clone()],
        name,
        crs: Some(crs),
        crs_text,
        fields,
        features,
    })
}

fn no_features_array(path: &Path) -> Error {
    Error::input(
        path,
        Location::File,
        "a FeatureCollection without a \"features\" array",
        "add \"features\": [...]",
    )
}

/// The top-level object, every member but `features`, and the features converted one at a time
/// while parsing (`None` when there is no `features` member): the file never exists as a
/// whole JSON tree (a 1.26 GB file took 20 GB that way), only one feature's tree at a time.
/// `line(n)` gives line `n` (0-based) of the text, to describe a syntax error.
fn parse_root<'de, R: serde_json::de::Read<'de>>(
    path: &Path,
    de: &mut serde_json::Deserializer<R>,
    line: impl Fn(usize) -> Option<Vec<u8>>,
) -> Result<(JsonObject, Option<Vec<VectorFeature>>)> {
    let state = StreamState {
        path,
        failure: RefCell::new(None),
        in_features: Cell::new(false),
        feature: Cell::new(None),
    };
    let parsed = serde::de::Deserializer::deserialize_any(&mut *de, RootVisitor(&state))
        .and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => Ok(v),
        Err(e) => Err(match state.failure.into_inner() {
            Some(failure) => failure,
            None if e.is_data() && state.in_features.get() => no_features_array(path),
            None if e.is_data() => Error::input(
                path,
                Location::File,
                "the JSON text is not a GeoJSON object",
                "GeoJSON starts with '{\"type\": \"FeatureCollection\"'",
            ),
            None => json_error(path, line(e.line().saturating_sub(1)), &e),
        }),
    }
}

/// What the streaming visitors share: the file, the first feature error (reported as is,
/// rather than as a JSON error), and whether the `features` member is being read.
struct StreamState<'a> {
    path: &'a Path,
    failure: RefCell<Option<Error>>,
    in_features: Cell<bool>,
    /// The index of the feature being read, while reading the `features` array.
    feature: Cell<Option<usize>>,
}

struct RootVisitor<'s, 'a>(&'s StreamState<'a>);

impl<'de> Visitor<'de> for RootVisitor<'_, '_> {
    type Value = (JsonObject, Option<Vec<VectorFeature>>);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GeoJSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut root = JsonObject::new();
        let mut features = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                if features.is_some() {
                    return Err(self.0.duplicate(&key));
                }
                self.0.in_features.set(true);
                features = Some(map.next_value_seed(FeaturesSeed(self.0))?);
                self.0.in_features.set(false);
            } else {
                let value = map.next_value_seed(StrictValue(self.0))?;
                if root.contains_key(&key) {
                    return Err(self.0.duplicate(&key));
                }
                root.insert(key, value);
            }
        }
        Ok((root, features))
    }
}

struct FeaturesSeed<'s, 'a>(&'s StreamState<'a>);

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_, '_> {
    type Value = Vec<VectorFeature>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_, '_> {
    type Value = Vec<VectorFeature>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a \"features\" array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        self.0.feature.set(Some(0));
        while let Some(item) = seq.next_element_seed(StrictValue(self.0))? {
            self.0.feature.set(Some(out.len() + 1));
            match feature(self.0.path, out.len(), &item) {
                Ok(f) => out.push(f),
                Err(e) => {
                    *self.0.failure.borrow_mut() = Some(e);
                    return Err(serde::de::Error::custom("invalid feature"));
                }
            }
        }
        self.0.feature.set(None);
        Ok(out)
    }
}

impl StreamState<'_> {
    /// Records that `key` appears twice in one JSON object (of the feature being read, if
    /// any) and returns the error that stops the parse.
    fn duplicate<E: serde::de::Error>(&self, key: &str) -> E {
        let location = match self.feature.get() {
            Some(i) => Location::Feature(i),
            None => Location::File,
        };
        let mut failure = self.failure.borrow_mut();
        if failure.is_none() {
            *failure = Some(Error::input(
                self.path,
                location,
                format!("the key \"{key}\" appears twice in the same JSON object"),
                "keep only one of them: JSON readers disagree on which one counts (QGIS keeps the last, others the first)",
            ));
        }
        E::custom("duplicate key")
    }
}

/// A JSON value like `serde_json::Value`, refusing an object that repeats a key (serde_json
/// would keep the last one silently).
struct StrictValue<'s, 'a>(&'s StreamState<'a>);

impl<'de> DeserializeSeed<'de> for StrictValue<'_, '_> {
    type Value = Json;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_, '_> {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(StrictValue(self.0))? {
            out.push(v);
        }
        Ok(Json::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = JsonObject::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(StrictValue(self.0))?;
            if out.contains_key(&key) {
                return Err(self.0.duplicate(&key));
            }
            out.insert(key, value);
        }
        Ok(Json::Object(out))
    }
}

/// `line`: the text of the line where `e` happened.
fn json_error(path: &Path, line: Option<Vec<u8>>, e: &serde_json::Error) -> Error {
    let line = line.unwrap_or_default();
    let at = line.get(e.column().saturating_sub(1)..).unwrap_or_default();
    let non_finite = ["NaN", "Infinity", "-Infinity", "inf", "-inf", "nan"]
        .iter()
        .find(|w| at.starts_with(w.as_bytes()));
    if let Some(word) = non_finite {
        return Error::input(
            path,
            Location::Line(e.line() as u64),
            format!(
                "{word} at column {} is not a number JSON allows (NaN/Infinity coordinate?)",
                e.column()
            ),
            "remove or fix the feature holding it: coordinates must be finite numbers",
        );
    }
    let (message, hint) = match e.classify() {
        serde_json::error::Category::Eof => (
            format!(
                "the JSON text ends too early (truncated file?) at column {}",
                e.column()
            ),
            "the file was cut during download or copy: get it again",
        ),
        _ => (
            format!("invalid JSON: {e}"),
            "GeoJSON must be valid JSON; NaN and Infinity are not JSON numbers",
        ),
    };
    Error::input(path, Location::Line(e.line() as u64), message, hint)
}

/// The CRS of a GeoJSON object: WGS84 unless a legacy `crs` member says otherwise.
fn legacy_crs(path: &Path, member: Option<&Json>) -> Result<(Crs, String)> {
    let Some(member) = member.filter(|m| !m.is_null()) else {
        return Ok((
            Crs::WGS84,
            "RFC 7946 default: WGS84 longitude/latitude".into(),
        ));
    };
    let props = member.get("properties");
    let text = props
        .and_then(|p| p.get("name"))
        .and_then(Json::as_str)
        .map(str::to_string)
        .or_else(|| {
            props.and_then(|p| p.get("code")).map(|c| {
                format!(
                    "EPSG:{}",
                    c.as_str().map(str::to_string).unwrap_or(c.to_string())
                )
            })
        });
    let Some(text) = text else {
        return Err(Error::input(
            path,
            Location::File,
            format!("unreadable \"crs\" member: {member}"),
            "write it as {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:2154\"}} or remove it for WGS84",
        ));
    };
    match Crs::parse(&text) {
        Ok(c) if c.info().is_err() => Err(Error::input(
            path,
            Location::File,
            format!("the \"crs\" member '{text}' is not a known EPSG coordinate reference system"),
            "check the code on epsg.io (e.g. EPSG:2154 for Lambert-93), or reproject the file to WGS84 and remove the member",
        )),
        Ok(c) => Ok((c, text)),
        Err(_) => Err(Error::input(
            path,
            Location::File,
            format!("the \"crs\" member '{text}' is not an EPSG code"),
            "write it as EPSG:<code> (e.g. EPSG:2154), or reproject the file to WGS84 and remove the member",
        )),
    }
}

fn feature(path: &Path, index: usize, item: &Json) -> Result<VectorFeature> {
    let loc = Location::Feature(index);
    let Json::Object(obj) = item else {
        return Err(Error::input(
            path,
            loc,
            "a feature that is not a JSON object",
            "each element of \"features\" must be {\"type\": \"Feature\", ...}",
        ));
    };
    if obj.get("type").and_then(Json::as_str) != Some("Feature") {
        return Err(Error::input(
            path,
            loc,
            "an element of \"features\" whose \"type\" is not \"Feature\"",
            "each element of \"features\" must be {\"type\": \"Feature\", \"geometry\": ..., \"properties\": ...}",
        ));
    }
    let (geometry, error) = match obj.get("geometry") {
        None | Some(Json::Null) => (None, None),
        Some(g) => match geometry(path, index, g) {
            Ok(g) => (Some(g), None),
            Err(Error::Input { message, hint, .. }) => {
                (None, Some(GeometryError { message, hint }))
            }
            Err(e) => return Err(e),
        },
    };
    let mut attributes = Attributes::default();
    match obj.get("properties") {
        None | Some(Json::Null) => {}
        Some(Json::Object(props)) => {
            attributes.0.reserve(props.len());
            for (k, v) in props {
                attributes.0.push((k.clone(), attr_value(v)));
            }
        }
        Some(_) => {
            return Err(Error::input(
                path,
                loc,
                "\"properties\" is not a JSON object",
                "write \"properties\": {\"name\": value, ...}",
            ));
        }
    }
    if let Some(id) = obj.get("id")
        && attributes.get("id").is_none()
        && !id.is_null()
    {
        attributes.0.insert(0, ("id".into(), attr_value(id)));
    }
    Ok(VectorFeature {
        index,
        geometry,
        attributes,
        error,
    })
}

/// A JSON value as an attribute (arrays and objects kept as JSON text).
pub fn attr_value(v: &Json) -> AttrValue {
    match v {
        Json::Null => AttrValue::Null,
        Json::Bool(b) => AttrValue::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => AttrValue::Int(i),
            None => AttrValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => AttrValue::Text(s.clone()),
        other => AttrValue::Text(other.to_string()),
    }
}

fn infer_fields(features: &[VectorFeature]) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    for f in features {
        for (name, value) in &f.attributes.0 {
            let kind = match value {
                AttrValue::Null => None,
                AttrValue::Bool(_) => Some(FieldKind::Boolean),
                AttrValue::Int(_) => Some(FieldKind::Integer),
                AttrValue::Float(_) => Some(FieldKind::Real),
                AttrValue::Text(_) => Some(FieldKind::String),
            };
            match fields.iter_mut().find(|fd| fd.name == *name) {
                None => fields.push(Field {
                    name: name.clone(),
                    kind: kind.unwrap_or(FieldKind::String),
                }),
                Some(fd) => {
                    if let Some(k) = kind
                        && k != fd.kind
                    {
                        fd.kind = match (fd.kind, k) {
                            (FieldKind::Integer, FieldKind::Real)
                            | (FieldKind::Real, FieldKind::Integer) => FieldKind::Real,
                            _ => FieldKind::Mixed,
                        };
                    }
                }
            }
        }
    }
    fields
}

struct Ctx<'a> {
    path: &'a Path,
    index: usize,
}

impl Ctx<'_> {
    fn err(&self, message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::input(self.path, Location::Feature(self.index), message, hint)
    }
}

fn geometry(path: &Path, index: usize, g: &Json) -> Result<Geometry<f64>> {
    let ctx = Ctx { path, index };
    convert_geometry(&ctx, g, 0)
}

fn convert_geometry(ctx: &Ctx, g: &Json, depth: usize) -> Result<Geometry<f64>> {
    let Json::Object(obj) = g else {
        return Err(ctx.err(
            "\"geometry\" is not a JSON object",
            "write {\"type\": \"Polygon\", \"coordinates\": [...]}, or null",
        ));
    };
    let kind = obj.get("type").and_then(Json::as_str).unwrap_or("");
    if kind == "GeometryCollection" {
        if depth > 8 {
            return Err(ctx.err(
                "GeometryCollections nested too deeply",
                "flatten the collection",
            ));
        }
        let Some(Json::Array(items)) = obj.get("geometries") else {
            return Err(ctx.err(
                "a GeometryCollection without a \"geometries\" array",
                "add \"geometries\": [...]",
            ));
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(convert_geometry(ctx, item, depth + 1)?);
        }
        return Ok(Geometry::GeometryCollection(geo::GeometryCollection(out)));
    }
    let coords = coordinates(ctx, obj, kind)?;
    Ok(match kind {
        "Point" => Geometry::Point(Point(position(ctx, coords)?)),
        "MultiPoint" => Geometry::MultiPoint(MultiPoint(
            array(ctx, coords, "MultiPoint")?
                .iter()
                .map(|p| position(ctx, p).map(Point))
                .collect::<Result<_>>()?,
        )),
        "LineString" => Geometry::LineString(line(ctx, coords)?),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString(
            array(ctx, coords, "MultiLineString")?
                .iter()
                .map(|l| line(ctx, l))
                .collect::<Result<_>>()?,
        )),
        "Polygon" => Geometry::Polygon(polygon(ctx, coords, None)?),
        "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon(
            array(ctx, coords, "MultiPolygon")?
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(ctx, p, Some(i)))
                .collect::<Result<_>>()?,
        )),
        _ => unreachable!("checked by coordinates()"),
    })
}

fn coordinates<'a>(ctx: &Ctx, obj: &'a JsonObject, kind: &str) -> Result<&'a Json> {
    if !matches!(
        kind,
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon"
    ) {
        return Err(ctx.err(
            if kind.is_empty() {
                "a geometry without \"type\"".to_string()
            } else {
                format!("\"{kind}\" is not a GeoJSON geometry type")
            },
            "use Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon or GeometryCollection",
        ));
    }
    obj.get("coordinates")
        .filter(|c| !c.is_null())
        .ok_or_else(|| {
            ctx.err(
                format!("a {kind} without \"coordinates\""),
                "add the coordinates or set the geometry to null",
            )
        })
}

fn array<'a>(ctx: &Ctx, v: &'a Json, what: &str) -> Result<&'a Vec<Json>> {
    v.as_array().ok_or_else(|| {
        ctx.err(
            format!("the coordinates of a {what} are not an array"),
            "check the nesting of [ ] in \"coordinates\"",
        )
    })
}

fn position(ctx: &Ctx, v: &Json) -> Result<Coord<f64>> {
    let items = v.as_array().ok_or_else(|| {
        ctx.err(
            format!("a position is not an array of numbers: {}", short(v)),
            "each position is [x, y] (longitude, latitude in RFC 7946 GeoJSON)",
        )
    })?;
    if items.len() < 2 {
        return Err(ctx.err(
            format!("a position has {} number(s): {}", items.len(), short(v)),
            "each position is [x, y]",
        ));
    }
    let num = |j: &Json| {
        j.as_f64().ok_or_else(|| {
            ctx.err(
                format!("a coordinate is not a number: {}", short(v)),
                "coordinates are JSON numbers, without quotes",
            )
        })
    };
    let c = Coord {
        x: num(&items[0])?,
        y: num(&items[1])?,
    };
    if !c.x.is_finite() || !c.y.is_finite() {
        return Err(ctx.err(
            format!("a coordinate is not finite: {}", short(v)),
            "remove or fix the position",
        ));
    }
    Ok(c)
}

fn line(ctx: &Ctx, v: &Json) -> Result<LineString<f64>> {
    let pts = array(ctx, v, "LineString")?;
    if pts.len() < 2 {
        return Err(ctx.err(
            format!("a LineString with {} position(s)", pts.len()),
            "a line needs at least two positions",
        ));
    }
    Ok(LineString(
        pts.iter()
            .map(|p| position(ctx, p))
            .collect::<Result<_>>()?,
    ))
}

fn polygon(ctx: &Ctx, v: &Json, part: Option<usize>) -> Result<Polygon<f64>> {
    let rings = array(ctx, v, "Polygon")?;
    let where_ = |r: usize| match part {
        Some(p) => format!("polygon {p}, ring {r}"),
        None => format!("ring {r}"),
    };
    if rings.is_empty() {
        return Err(ctx.err(
            format!(
                "{}: a polygon without any ring",
                part.map(|p| format!("polygon {p}"))
                    .unwrap_or_else(|| "Polygon".into())
            ),
            "remove the empty polygon or give its exterior ring",
        ));
    }
    let mut out = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let pts = array(ctx, ring, "Polygon ring")?;
        let coords: Vec<Coord<f64>> = pts
            .iter()
            .map(|p| position(ctx, p))
            .collect::<Result<_>>()?;
        if coords.len() < 4 {
            return Err(ctx.err(
                format!("{}: a ring with {} positions (at least 4 are needed, the last repeating the first)", where_(r), coords.len()),
                "fix the polygon in a GIS (QGIS: Vector > Geometry Tools > Check Validity)",
            ));
        }
        if coords.first() != coords.last() {
            return Err(ctx.err(
                format!("{}: the ring is not closed (its last position differs from the first)", where_(r)),
                "GeoJSON rings must repeat their first position at the end; re-export the file from a GIS",
            ));
        }
        out.push(LineString(coords));
    }
    let exterior = out.remove(0);
    Ok(Polygon::new(exterior, out))
}

fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!(
            "{}...",
            &s[..s
                .char_indices()
                .take_while(|(i, _)| *i < 60)
                .last()
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(0)]
        )
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Oracle: the reader streamed from disk, as before files were parsed from memory. Every
    /// GeoJSON file of the misuse corpus and of geodata/ gives the same layer (its `Debug`
    /// text, every coordinate to the last digit) or the same error both ways.
    #[test]
    fn memory_and_stream_give_the_same_layer_or_error() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> = ["tests/bad_inputs", "geodata"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
            .collect();
        files.sort();
        // JSON syntax errors, whose messages name a line and a column.
        let dir = tempfile::tempdir().unwrap();
        let broken = [
            "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\",",
            "{\"type\":\"FeatureCollection\",\"features\":[]}\n}",
            "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\" \"x\"}]}",
            "\u{feff}{\"type\":\"Point\",\"coordinates\":[6.8,47.6,]}",
        ];
        for (k, text) in broken.iter().enumerate() {
            let path = dir.path().join(format!("broken{k}.geojson"));
            std::fs::write(&path, text).unwrap();
            files.push(path);
        }
        let (mut layers, mut errors) = (0, 0);
        for path in &files {
            let shown = |r: Result<VectorLayer>| match r {
                Ok(layer) => Ok(format!("{layer:?}")),
                Err(e) => Err(e.to_string()),
            };
            let memory = shown(read_geojson_within(path, u64::MAX));
            let stream = shown(read_geojson_within(path, 0));
            assert_eq!(memory, stream, "{}", path.display());
            match memory {
                Ok(_) => layers += 1,
                Err(_) => errors += 1,
            }
        }
        assert!(
            layers >= 15 && errors >= 10,
            "{layers} layers, {errors} errors"
        );
    }

    fn parse(text: &str) -> Result<VectorLayer> {
        parse_geojson(Path::new("t.geojson"), text.as_bytes())
    }

    #[test]
    fn legacy_crs_member_is_honoured() {
        let l = parse(r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[989031.8,6732842.2]}}]}"#).unwrap();
        assert_eq!(l.crs, Some(Crs::LAMBERT93));
        assert_eq!(l.features.len(), 1);
        assert_eq!(l.fields[0].kind, FieldKind::Integer);
    }

    #[test]
    fn bare_geometry_and_single_feature() {
        let l = parse(r#"{"type":"Point","coordinates":[6.85,47.63]}"#).unwrap();
        assert_eq!(l.crs, Some(Crs::WGS84));
        assert!(matches!(l.features[0].geometry, Some(Geometry::Point(_))));
        let f = parse(r#"{"type":"Feature","id":"a","properties":null,"geometry":null}"#).unwrap();
        assert!(f.features[0].geometry.is_none());
        assert_eq!(f.features[0].attributes.text("id"), "a");
    }

    #[test]
    fn unclosed_ring_names_feature() {
        let l = parse(r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[6.8,47.6]}},{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[6.8,47.6],[6.9,47.6],[6.9,47.7],[6.8,47.7]]]}}]}"#).unwrap();
        assert!(l.features[0].error.is_none());
        let s = l.features[1].error_at(&l.path).unwrap().to_string();
        assert!(
            s.starts_with("t.geojson, feature 1: ring 0: the ring is not closed"),
            "{s}"
        );
    }

    /// Coordinates are read correctly rounded, as Rust's `str::parse` and the CSV reader read
    /// them: the same text gives the same point in every format (issue 11: 7 vertices of the
    /// embedded QPV were 1 ulp apart, so CSV points on them fell outside).
    #[test]
    fn coordinates_are_parsed_correctly_rounded() {
        for text in ["6.852999155630932", "47.6410962165527", "6.870649626566562"] {
            let l = parse(&format!(
                r#"{{"type":"Point","coordinates":[{text},47.6]}}"#
            ))
            .unwrap();
            let Some(Geometry::Point(p)) = &l.features[0].geometry else {
                panic!()
            };
            assert_eq!(
                p.x().to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
        }
    }

    /// serde_json keeps the last of two equal keys silently; QGIS/GDAL keep the last too
    /// while other readers keep the first: the file is ambiguous, so it is refused.
    #[test]
    fn duplicate_keys_are_refused_naming_feature_and_key() {
        let e = parse(r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":null},{"type":"Feature","properties":{"code":"A","code":"B"},"geometry":null}]}"#).unwrap_err();
        assert_eq!(
            e.to_string().lines().next().unwrap(),
            "t.geojson, feature 1: the key \"code\" appears twice in the same JSON object"
        );
        let e = parse(r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2],"coordinates":[3,4]},"properties":{}}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.geojson, feature 0: the key \"coordinates\""),
            "{e}"
        );
        let e = parse(r#"{"type":"FeatureCollection","type":"FeatureCollection","features":[]}"#)
            .unwrap_err();
        assert!(
            e.to_string().starts_with("t.geojson: the key \"type\""),
            "{e}"
        );
        let e = parse(r#"{"type":"FeatureCollection","features":[],"features":[]}"#).unwrap_err();
        assert!(
            e.to_string().starts_with("t.geojson: the key \"features\""),
            "{e}"
        );
        // Equal keys in different objects are fine.
        parse(r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"type":1},"geometry":null}]}"#).unwrap();
    }

    #[test]
    fn truncated_json_is_named() {
        let e = parse(r#"{"type":"FeatureCollection","features":[{"type":"#).unwrap_err();
        assert!(e.to_string().contains("ends too early"), "{e}");
    }
}
