//! A QGIS project (`.qgs`) opening the layers of a GeoPackage qpv wrote: each layer with its
//! default style, points above lines above outlines above hatched and translucent areas,
//! labels on, the map zoomed to the QPV; the GeoPackage is named relative to the project so
//! both can be moved together.
//!
//! # Examples
//!
//! ```
//! use geo::{Geometry, Point};
//! use qpv::crs::Crs;
//! use qpv::output::qgis_project::write_qgis_project;
//! use qpv::output::qgis_style::LayerStyle;
//! use qpv::output::{GeoFeature, GeoLayer};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let point = GeoFeature { geometry: Some(Geometry::Point(Point::new(989031.8, 6732842.2))),
//!     properties: Default::default() };
//! let layer = GeoLayer { name: "facilities".into(), crs: Crs::LAMBERT93,
//!     features: vec![point], style: Some(LayerStyle::Facilities) };
//! let project = dir.path().join("map.qgs");
//! write_qgis_project(&project, &dir.path().join("map.gpkg"), &[layer], "Carte").unwrap();
//! let text = std::fs::read_to_string(&project).unwrap();
//! assert!(text.contains("<datasource>./map.gpkg|layername=facilities</datasource>"));
//! ```

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use geo::{BoundingRect, Geometry, Rect};

use super::atomic::write_atomic;
use super::qgis_style::{LayerStyle, xml_escape};
use super::{GeoLayer, OutputFormat};
use crate::crs::Crs;
use crate::error::{Error, Result};

/// Where `--qgis-project` writes: the path given, else the GeoPackage's path with `.qgs`;
/// `None` when not asked. Refused without a GeoPackage output, or onto the GeoPackage.
pub fn project_path(
    asked: Option<&Option<PathBuf>>,
    output: Option<&Path>,
    format: OutputFormat,
) -> Result<Option<PathBuf>> {
    let Some(asked) = asked else {
        return Ok(None);
    };
    let gpkg = match output {
        Some(p) if format == OutputFormat::Gpkg && p != Path::new("-") => p,
        _ => {
            return Err(Error::usage(
                "--qgis-project opens the layers of a GeoPackage, and this run writes none",
                "add -o FILE.gpkg",
            ));
        }
    };
    let project = asked.clone().unwrap_or_else(|| gpkg.with_extension("qgs"));
    if project.extension().and_then(|e| e.to_str()) != Some("qgs") {
        return Err(Error::usage(
            format!(
                "the QGIS project '{}' must end in .qgs",
                project.file_name().unwrap_or_default().to_string_lossy()
            ),
            "give --qgis-project FILE.qgs",
        ));
    }
    Ok(Some(project))
}

/// Writes the project `path` opening `layers` from the GeoPackage `gpkg` (written before).
pub fn write_qgis_project(
    path: &Path,
    gpkg: &Path,
    layers: &[GeoLayer],
    title: &str,
) -> Result<()> {
    let source = relative_source(path, gpkg);
    let mut shown: Vec<(&GeoLayer, &str)> = layers
        .iter()
        .filter_map(|l| geometry_kind(l).map(|k| (l, k)))
        .collect();
    shown.sort_by_key(|(l, _)| draw_rank(l.style));
    let crs = layers.first().map_or(2154, |l| l.crs.code());
    let srs = spatialrefsys(crs)?;
    let extent = zoom(&shown).map_or_else(String::new, |r| extent_xml(&r));
    let mut tree = String::new();
    let mut maps = String::new();
    for (layer, kind) in &shown {
        // QGIS regenerates ids shorter than 10 characters.
        let id = format!("{}_qpv_layer", layer.name);
        let ds = xml_escape(&format!("{source}|layername={}", layer.name));
        let name = xml_escape(&layer.name);
        let _ = &name;
        let title = xml_escape(&legend_title(layer));
        let _ = writeln!(
            tree,
            "<layer-tree-layer id=\"{id}\" name=\"{title}\" source=\"{ds}\" providerKey=\"ogr\" \
             checked=\"Qt::Checked\" expanded=\"1\"><customproperties/></layer-tree-layer>"
        );
        let style = layer
            .style
            .map(LayerStyle::project_body)
            .unwrap_or_default();
        let labels = u8::from(layer.style.is_some_and(LayerStyle::labelled));
        let _ = write!(
            maps,
            "<maplayer type=\"vector\" geometry=\"{kind}\" labelsEnabled=\"{labels}\" \
             hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\">\n\
             <id>{id}</id>\n<datasource>{ds}</datasource>\n<layername>{title}</layername>\n\
             <srs>{srs}</srs>\n<provider encoding=\"UTF-8\">ogr</provider>\n{style}</maplayer>\n"
        );
    }
    let title = xml_escape(title);
    let text = format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis projectname=\"{title}\" version=\"3.22.16-Białowieża\">\n\
         <homePath path=\"\"/>\n<title>{title}</title>\n\
         <projectCrs>{srs}</projectCrs>\n\
         <layer-tree-group><customproperties/>\n{tree}</layer-tree-group>\n\
         <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\"><units>meters</units>\
         {extent}<rotation>0</rotation><destinationsrs>{srs}</destinationsrs>\
         <rendermaptile>0</rendermaptile></mapcanvas>\n\
         <projectlayers>\n{maps}</projectlayers>\n\
         <properties><SpatialRefSys><ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\
         </SpatialRefSys><Paths><Absolute type=\"bool\">false</Absolute></Paths>\
         <Measure><Ellipsoid type=\"QString\">NONE</Ellipsoid></Measure></properties>\n\
         </qgis>\n"
    );
    write_atomic(path, |w| {
        w.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
    })
}

/// The CRS as QGIS stores it (QGIS reads the WKT; the EPSG code alone is not enough).
fn spatialrefsys(code: u32) -> Result<String> {
    let (wkt, proj4) = crate::crs::wkt_and_proj4(Crs::epsg(code))?
        .ok_or_else(|| Error::Internal(format!("no definition of EPSG:{code}")))?;
    Ok(format!(
        "<spatialrefsys nativeFormat=\"Wkt\"><wkt>{}</wkt><proj4>{}</proj4><srid>{code}</srid>\
         <authid>EPSG:{code}</authid><geographicflag>false</geographicflag></spatialrefsys>",
        xml_escape(&wkt),
        xml_escape(&proj4)
    ))
}

/// The legend title: the style's French title, with the distance of rings and uncovered
/// parts ("Bande autour du QPV (300 m)"); the table name without a style.
fn legend_title(layer: &GeoLayer) -> String {
    let Some(style) = layer.style else {
        return layer.name.clone();
    };
    let d = layer
        .features
        .first()
        .and_then(|f| f.properties.get("distance_m")?.as_f64());
    match (style, d) {
        (LayerStyle::Rings, Some(d)) => format!("{} ({d} m)", style.title()),
        (LayerStyle::Uncovered, Some(d)) => format!("Sans collège à {d} m"),
        _ => style.title().to_string(),
    }
}

/// `Point`, `Line` or `Polygon` (QGIS's names), `None` for a layer without geometry.
fn geometry_kind(layer: &GeoLayer) -> Option<&'static str> {
    layer
        .features
        .iter()
        .find_map(|f| match f.geometry.as_ref()? {
            Geometry::Point(_) | Geometry::MultiPoint(_) => Some("Point"),
            Geometry::Line(_) | Geometry::LineString(_) | Geometry::MultiLineString(_) => {
                Some("Line")
            }
            _ => Some("Polygon"),
        })
}

/// Layer-tree position, top (drawn last) first.
fn draw_rank(style: Option<LayerStyle>) -> u8 {
    match style {
        Some(LayerStyle::Facilities | LayerStyle::LocatedPoints) => 0,
        Some(LayerStyle::HubLines) => 1,
        Some(LayerStyle::Qpv) => 2,
        Some(LayerStyle::Perimeter) => 3,
        Some(LayerStyle::Added | LayerStyle::Removed) => 4,
        Some(LayerStyle::Uncovered) => 5,
        Some(LayerStyle::Rings) => 6,
        None => 7,
    }
}

/// The extent of the QPV layer (else every layer), with an 8 % margin.
fn zoom(layers: &[(&GeoLayer, &str)]) -> Option<Rect<f64>> {
    let pick: Vec<&GeoLayer> = match layers
        .iter()
        .find(|(l, _)| l.style == Some(LayerStyle::Qpv))
    {
        Some((l, _)) => vec![l],
        None => layers.iter().map(|(l, _)| *l).collect(),
    };
    let rect = pick
        .iter()
        .flat_map(|l| &l.features)
        .filter_map(|f| f.geometry.as_ref()?.bounding_rect())
        .reduce(|a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })?;
    let m = 0.08 * rect.width().max(rect.height()).max(100.0);
    Some(Rect::new(
        geo::coord! { x: rect.min().x - m, y: rect.min().y - m },
        geo::coord! { x: rect.max().x + m, y: rect.max().y + m },
    ))
}

fn extent_xml(r: &Rect<f64>) -> String {
    format!(
        "<extent><xmin>{:.2}</xmin><ymin>{:.2}</ymin><xmax>{:.2}</xmax><ymax>{:.2}</ymax></extent>",
        r.min().x,
        r.min().y,
        r.max().x,
        r.max().y
    )
}

/// The GeoPackage as seen from the project's folder (`./name.gpkg`, `../data/name.gpkg`);
/// absolute when the two are on unrelated paths.
fn relative_source(project: &Path, gpkg: &Path) -> String {
    let dir_of = |p: &Path| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()
    };
    let file = gpkg.file_name().map(|f| f.to_string_lossy().into_owned());
    let (Some(from), Some(to), Some(file)) = (dir_of(project), dir_of(gpkg), file) else {
        return gpkg.display().to_string();
    };
    let (a, b): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = String::from(".");
    for _ in common..a.len() {
        rel.push_str("/..");
    }
    for c in &b[common..] {
        rel.push('/');
        rel.push_str(&c.as_os_str().to_string_lossy());
    }
    format!("{rel}/{file}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpkg_path_is_relative_to_the_project() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        let s = relative_source(
            &dir.path().join("a/b/p.qgs"),
            &dir.path().join("data/c.gpkg"),
        );
        assert_eq!(s, "./../../data/c.gpkg");
        let s = relative_source(&dir.path().join("p.qgs"), &dir.path().join("c.gpkg"));
        assert_eq!(s, "./c.gpkg");
    }

    #[test]
    fn project_needs_a_gpkg_output() {
        let e = project_path(Some(&None), Some(Path::new("a.csv")), OutputFormat::Csv);
        assert!(e.unwrap_err().to_string().contains("add -o FILE.gpkg"));
        let p = project_path(Some(&None), Some(Path::new("d/a.gpkg")), OutputFormat::Gpkg);
        assert_eq!(p.unwrap(), Some(PathBuf::from("d/a.qgs")));
        assert_eq!(project_path(None, None, OutputFormat::Table).unwrap(), None);
    }
}
