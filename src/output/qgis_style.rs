//! Default QGIS styles (QML) for the layers qpv writes, so that a GeoPackage opens styled in
//! QGIS: facilities categorized with one colour-blind-safe palette (Okabe–Ito) and French
//! legend labels, QPV outlines labelled with their names, translucent rings, hatched uncovered
//! parts. A style travels with its [`GeoLayer`](super::GeoLayer); the GeoPackage writer stores it
//! in the `layer_styles` table (QGIS's convention) and the QGIS project writer embeds it.
//!
//! The QML is the QGIS 3.22 format (renderer `renderer-v2`, symbol layer properties as
//! `<Option type="Map">`), checked by `scripts/qgis_check.sh`, which renders it with QGIS.
//!
//! # Examples
//!
//! ```
//! use qpv::output::qgis_style::LayerStyle;
//!
//! let qml = LayerStyle::Facilities.qml();
//! assert!(qml.contains(r#"value="college" label="Collège""#));
//! assert!(qml.contains("213,94,0,255")); // Okabe–Ito vermillion
//! ```

use super::category_style::{OTHER, Shape};
use super::palette;

pub use super::category_style::{CATEGORIES, CategoryStyle};

/// The French label of a category value (the value itself when unknown).
pub fn category_label(value: &str) -> &str {
    super::category_style::find(value).map_or(value, |c| c.label)
}

/// The default style of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerStyle {
    /// QPV polygons: dark outline, no fill, labelled with `lib_qp`.
    Qpv,
    /// Facility points categorized on `category`.
    Facilities,
    /// D-metre rings around the QPV: translucent blue fill, dashed outline.
    Rings,
    /// Uncovered parts: hatched, coloured by `category`.
    Uncovered,
    /// Hub lines (point → facility): thin grey lines.
    HubLines,
    /// Located points categorized on `status` (inside, near, outside).
    LocatedPoints,
    /// Candidate or simulated perimeters: orange outline, light fill.
    Perimeter,
    /// Parts added to a perimeter: green translucent fill.
    Added,
    /// Parts removed from a perimeter: hatched vermillion.
    Removed,
}

impl LayerStyle {
    /// The style of the layers that streamed commands name: `located_points` and
    /// `located_addresses` (status), `nearest_lines` (hub lines).
    pub fn for_layer_name(name: &str) -> Option<LayerStyle> {
        match name {
            "located_points" | "located_addresses" => Some(LayerStyle::LocatedPoints),
            "nearest_lines" => Some(LayerStyle::HubLines),
            _ => None,
        }
    }

    /// The style's name in the `layer_styles` table.
    pub fn name(self) -> &'static str {
        match self {
            LayerStyle::Qpv => "qpv",
            LayerStyle::Facilities => "facilities",
            LayerStyle::Rings => "rings",
            LayerStyle::Uncovered => "uncovered",
            LayerStyle::HubLines => "hub_lines",
            LayerStyle::LocatedPoints => "located_points",
            LayerStyle::Perimeter => "perimeter",
            LayerStyle::Added => "added",
            LayerStyle::Removed => "removed",
        }
    }

    /// A one-line description (French, shown by QGIS in the style manager).
    pub fn description(self) -> &'static str {
        match self {
            LayerStyle::Qpv => "Quartiers prioritaires, contour et nom",
            LayerStyle::Facilities => "Équipements par catégorie (palette Okabe–Ito)",
            LayerStyle::Rings => "Distance au périmètre du quartier",
            LayerStyle::Uncovered => "Parties du quartier sans équipement à la distance D",
            LayerStyle::HubLines => "Lignes vers l'équipement le plus proche",
            LayerStyle::LocatedPoints => "Points localisés : dans, près de, hors QPV",
            LayerStyle::Perimeter => "Périmètre",
            LayerStyle::Added => "Parties ajoutées",
            LayerStyle::Removed => "Parties retirées",
        }
    }

    /// The renderer and labeling elements (the children of the QML's `<qgis>` element that a
    /// QGIS project's `<maplayer>` also takes).
    pub fn body(self) -> String {
        match self {
            LayerStyle::Qpv => {
                let sym = fill_symbol("0", "0,0,0,0", "no", "40,40,40,255", "solid", "0.7");
                single(&sym) + &labeling("lib_qp")
            }
            LayerStyle::Facilities => facilities_renderer(),
            LayerStyle::Rings => single(&fill_symbol(
                "0",
                &format!("{},28", palette::BLUE.rgb),
                "solid",
                &format!("{},200", palette::BLUE.rgb),
                "dash",
                "0.4",
            )),
            LayerStyle::Uncovered => uncovered_renderer(None),
            LayerStyle::HubLines => single(&line_symbol("0", "90,90,90,160", "0.25", "solid")),
            LayerStyle::LocatedPoints => categorized(
                "status",
                &[
                    (
                        "inside",
                        "Dans un QPV",
                        marker_symbol("0", palette::VERMILLION.rgb, "circle", "1.6"),
                    ),
                    (
                        "near",
                        "Près d'une limite",
                        marker_symbol("1", palette::ORANGE.rgb, "circle", "1.6"),
                    ),
                    (
                        "outside",
                        "Hors QPV",
                        marker_symbol("2", palette::SKY_BLUE.rgb, "circle", "1.2"),
                    ),
                ],
                None,
            ),
            LayerStyle::Perimeter => single(&fill_symbol(
                "0",
                &format!("{},50", palette::ORANGE.rgb),
                "solid",
                &format!("{},255", palette::ORANGE.rgb),
                "solid",
                "0.8",
            )),
            LayerStyle::Added => single(&fill_symbol(
                "0",
                &format!("{},110", palette::BLUISH_GREEN.rgb),
                "solid",
                &format!("{},255", palette::BLUISH_GREEN.rgb),
                "solid",
                "0.4",
            )),
            LayerStyle::Removed => single(&hatch_symbol("0", palette::VERMILLION.rgb, 45.0)),
        }
    }

    /// The style a QGIS project gives the layer: the default one, except that the uncovered
    /// parts show only the collège category (the evaluation's first question), the others
    /// being one tick away in the legend.
    pub fn project_body(self) -> String {
        match self {
            LayerStyle::Uncovered => uncovered_renderer(Some("college")),
            other => other.body(),
        }
    }

    /// The layer's title in a QGIS project's legend (French).
    pub fn title(self) -> &'static str {
        match self {
            LayerStyle::Qpv => "Quartiers prioritaires (QPV)",
            LayerStyle::Facilities => "Équipements",
            LayerStyle::Rings => "Bande autour du QPV",
            LayerStyle::Uncovered => "Parties du QPV hors de portée",
            LayerStyle::HubLines => "Équipement le plus proche",
            LayerStyle::LocatedPoints => "Points localisés",
            LayerStyle::Perimeter => "Périmètre",
            LayerStyle::Added => "Parties ajoutées",
            LayerStyle::Removed => "Parties retirées",
        }
    }

    /// The whole QML document.
    pub fn qml(self) -> String {
        format!(
            "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
             <qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology|Labeling\" \
             labelsEnabled=\"{}\">\n{}</qgis>\n",
            u8::from(self.labelled()),
            self.body()
        )
    }

    /// True when the style labels features.
    pub fn labelled(self) -> bool {
        self == LayerStyle::Qpv
    }
}

/// Escapes text for an XML attribute.
pub(crate) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn options(props: &[(&str, &str)]) -> String {
    let mut out = String::from("<Option type=\"Map\">");
    for (k, v) in props {
        out.push_str(&format!(
            "<Option type=\"QString\" name=\"{k}\" value=\"{}\"/>",
            xml_escape(v)
        ));
    }
    out.push_str("</Option>");
    out
}

fn symbol(kind: &str, name: &str, layers: &str) -> String {
    format!(
        "<symbol type=\"{kind}\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" \
         force_rhr=\"0\">{layers}</symbol>"
    )
}

fn symbol_layer(class: &str, props: &[(&str, &str)], inner: &str) -> String {
    format!(
        "<layer class=\"{class}\" enabled=\"1\" locked=\"0\" pass=\"0\">{}{inner}</layer>",
        options(props)
    )
}

fn marker_symbol(name: &str, rgb: &str, shape: &str, size: &str) -> String {
    let color = format!("{rgb},255");
    symbol(
        "marker",
        name,
        &symbol_layer(
            "SimpleMarker",
            &[
                ("color", &color),
                ("name", shape),
                ("outline_color", "35,35,35,255"),
                ("outline_style", "solid"),
                ("outline_width", "0.3"),
                ("outline_width_unit", "MM"),
                ("size", size),
                ("size_unit", "MM"),
            ],
            "",
        ),
    )
}

fn fill_symbol(
    name: &str,
    color: &str,
    style: &str,
    outline: &str,
    outline_style: &str,
    width: &str,
) -> String {
    symbol(
        "fill",
        name,
        &symbol_layer(
            "SimpleFill",
            &[
                ("color", color),
                ("style", style),
                ("outline_color", outline),
                ("outline_style", outline_style),
                ("outline_width", width),
                ("outline_width_unit", "MM"),
                ("joinstyle", "round"),
            ],
            "",
        ),
    )
}

fn line_symbol(name: &str, color: &str, width: &str, style: &str) -> String {
    symbol(
        "line",
        name,
        &symbol_layer(
            "SimpleLine",
            &[
                ("line_color", color),
                ("line_width", width),
                ("line_width_unit", "MM"),
                ("line_style", style),
                ("capstyle", "round"),
                ("joinstyle", "round"),
            ],
            "",
        ),
    )
}

/// A fill hatched with lines of colour `rgb` at `angle`°, with a thin outline.
fn hatch_symbol(name: &str, rgb: &str, angle: f64) -> String {
    let angle = angle.to_string();
    let line = format!("{rgb},220");
    let hatch = symbol_layer(
        "LinePatternFill",
        &[
            ("angle", &angle),
            ("distance", "1.6"),
            ("distance_unit", "MM"),
            ("line_width", "0.3"),
            ("line_width_unit", "MM"),
            ("color", &line),
        ],
        &line_symbol(&format!("@{name}@0"), &line, "0.3", "solid"),
    );
    let outline = symbol_layer(
        "SimpleFill",
        &[
            ("color", "0,0,0,0"),
            ("style", "no"),
            ("outline_color", &line),
            ("outline_style", "solid"),
            ("outline_width", "0.3"),
            ("outline_width_unit", "MM"),
        ],
        "",
    );
    symbol("fill", name, &(hatch + &outline))
}

fn single(sym: &str) -> String {
    format!(
        "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" \
         enableorderby=\"0\" referencescale=\"-1\"><symbols>{sym}</symbols></renderer-v2>\n"
    )
}

/// A categorized renderer on `attr`; `other`: the symbol of every other value ("Autre").
fn categorized(attr: &str, cats: &[(&str, &str, String)], other: Option<String>) -> String {
    let mut list = String::new();
    let mut symbols = String::new();
    for (i, (value, label, sym)) in cats.iter().enumerate() {
        list.push_str(&format!(
            "<category render=\"true\" symbol=\"{i}\" value=\"{}\" label=\"{}\" type=\"string\"/>",
            xml_escape(value),
            xml_escape(label)
        ));
        symbols.push_str(sym);
    }
    if let Some(sym) = other {
        list.push_str(&format!(
            "<category render=\"true\" symbol=\"{}\" value=\"\" label=\"Autre\" type=\"string\"/>",
            cats.len()
        ));
        symbols.push_str(&sym);
    }
    format!(
        "<renderer-v2 type=\"categorizedSymbol\" attr=\"{attr}\" forceraster=\"0\" \
         symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\"><categories>{list}\
         </categories><symbols>{symbols}</symbols></renderer-v2>\n"
    )
}

fn facilities_renderer() -> String {
    let cats: Vec<(&str, &str, String)> = CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let size = if c.shape == Shape::Star { "3.4" } else { "2.6" };
            let shape = c.shape.qgis_name();
            (
                c.value,
                c.label,
                marker_symbol(&i.to_string(), c.colour.rgb, shape, size),
            )
        })
        .collect();
    let (colour, shape) = OTHER;
    let other = marker_symbol(
        &cats.len().to_string(),
        colour.rgb,
        shape.qgis_name(),
        "2.2",
    );
    categorized("category", &cats, Some(other))
}

/// Uncovered parts by category; `shown`: the only category drawn (the others stay in the
/// legend, unticked), so that a map does not pile up six hatchings.
fn uncovered_renderer(shown: Option<&str>) -> String {
    let cats: Vec<(&str, &str, String)> = CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let angle = 30.0 + 30.0 * i as f64;
            (
                c.value,
                c.label,
                hatch_symbol(&i.to_string(), c.colour.rgb, angle),
            )
        })
        .collect();
    let other = hatch_symbol(&cats.len().to_string(), OTHER.0.rgb, 0.0);
    let mut xml = categorized("category", &cats, Some(other));
    if let Some(shown) = shown {
        xml = xml.replace("render=\"true\"", "render=\"false\"").replacen(
            &format!("render=\"false\" symbol=\"{}\"", position(shown)),
            &format!("render=\"true\" symbol=\"{}\"", position(shown)),
            1,
        );
    }
    xml
}

/// Index of a category in [`CATEGORIES`] (the "other" symbol when unknown).
fn position(value: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|c| c.value == value)
        .unwrap_or(CATEGORIES.len())
}

/// Labels of polygons with `field`: dark text with a white halo, placed inside the polygon.
fn labeling(field: &str) -> String {
    format!(
        "<labeling type=\"simple\"><settings calloutType=\"simple\">\
         <text-style fieldName=\"{field}\" isExpression=\"0\" fontFamily=\"DejaVu Sans\" \
         fontSize=\"8.5\" fontSizeUnit=\"Point\" fontWeight=\"75\" fontItalic=\"0\" \
         textColor=\"25,25,25,255\" textOpacity=\"1\" namedStyle=\"Bold\">\
         <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" \
         bufferColor=\"255,255,255,255\" bufferOpacity=\"0.9\" bufferJoinStyle=\"128\" \
         bufferNoFill=\"1\" bufferBlendMode=\"0\"/></text-style>\
         <text-format wrapChar=\"\" autoWrapLength=\"18\" multilineAlign=\"1\"/>\
         <placement placement=\"0\" centroidInside=\"1\" centroidWhole=\"0\" \
         fitInPolygonOnly=\"0\" priority=\"8\" dist=\"0\" offsetType=\"0\"/>\
         <rendering obstacle=\"1\" drawLabels=\"1\" upsidedownLabels=\"0\" \
         displayAll=\"1\" labelPerPart=\"0\" mergeLines=\"0\" limitNumLabels=\"0\" \
         scaleVisibility=\"0\" fontLimitPixelSize=\"0\"/></settings></labeling>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_is_well_formed_enough() {
        for s in [
            LayerStyle::Qpv,
            LayerStyle::Facilities,
            LayerStyle::Rings,
            LayerStyle::Uncovered,
            LayerStyle::HubLines,
            LayerStyle::LocatedPoints,
            LayerStyle::Perimeter,
            LayerStyle::Added,
            LayerStyle::Removed,
        ] {
            let q = s.qml();
            // Balanced elements: as many openings as closings (self-closing tags excluded).
            let opens = q.matches("<symbol ").count();
            assert_eq!(opens, q.matches("</symbol>").count(), "{s:?}");
            assert_eq!(q.matches("<layer ").count(), q.matches("</layer>").count());
            assert!(q.starts_with("<!DOCTYPE qgis"));
        }
    }

    #[test]
    fn labels_are_french_and_palette_fixed() {
        assert_eq!(category_label("ecole_maternelle"), "École maternelle");
        assert_eq!(category_label("mairie"), "mairie");
        let colours: Vec<&str> = CATEGORIES.iter().map(|c| c.colour.rgb).collect();
        let mut unique = colours.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), colours.len(), "one colour per category");
    }
}
