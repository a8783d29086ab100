//! The map of a fiche quartier, drawn by the tool as inline SVG: population cells as a light
//! background, commune boundaries, the QPV and its D-metre ring, facilities by category with
//! their names, scale bar, north arrow, legend and sources. No tiles, nothing fetched.

use geo::{BoundingRect, Coord, MultiPolygon, Rect};
use serde::Serialize;

use super::Lang;
use super::labels::{Shape, category_label, category_style};
use super::numbers::format_number;
use super::svg::{Svg, Viewport, a, px};
use crate::analysis::candidate::buffer;
use crate::analysis::interpolate::GridIndex;
use crate::geometry::bounds::widened;
use crate::model::{Category, Facility, Zone};

/// A class of the population background: inhabitants per 200 m cell in `[min, max)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DensityClass {
    /// Lower bound (inclusive).
    pub min: f64,
    /// Upper bound (exclusive); `None` for the last class.
    pub max: Option<f64>,
    /// Fill colour.
    #[serde(skip)]
    pub colour: &'static str,
}

/// The classes of the background, light so that the QPV and facilities stand out.
pub const DENSITY_CLASSES: [DensityClass; 5] = [
    DensityClass {
        min: 0.0,
        max: Some(25.0),
        colour: "#fbfaf6",
    },
    DensityClass {
        min: 25.0,
        max: Some(50.0),
        colour: "#f5f0e4",
    },
    DensityClass {
        min: 50.0,
        max: Some(100.0),
        colour: "#eee4d0",
    },
    DensityClass {
        min: 100.0,
        max: Some(200.0),
        colour: "#e5d6ba",
    },
    DensityClass {
        min: 200.0,
        max: None,
        colour: "#dac6a0",
    },
];

/// The layers every map draws from.
#[derive(Clone, Copy)]
pub struct MapLayers<'a> {
    /// All QPV (the others are drawn lightly).
    pub zones: &'a [Zone],
    /// Commune outlines.
    pub communes: &'a [Zone],
    /// All facilities.
    pub facilities: &'a [Facility],
    /// The grid, if any.
    pub grid: Option<&'a GridIndex<'a>>,
}

/// A drawn map.
#[derive(Debug, Clone)]
pub struct Map {
    /// The `<svg>` element.
    pub svg: String,
    /// Length of its scale bar, metres.
    pub scale_bar_m: f64,
}

pub(super) const MAP_W: f64 = 560.0;
pub(super) const MAP_H: f64 = 440.0;
pub(super) const LEGEND_W: f64 = 210.0;
pub(super) const QPV_COLOUR: &str = "#6a3d9a";

pub(super) fn tr(lang: Lang, fr: &str, en: &str) -> String {
    match lang {
        Lang::Fr => fr.into(),
        Lang::En => en.into(),
    }
}

/// The longest "round" length at most a quarter of the map's width.
pub(super) fn scale_bar_length(ground_width_m: f64) -> f64 {
    [
        25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0,
    ]
    .into_iter()
    .rev()
    .find(|l| *l <= ground_width_m / 4.0)
    .unwrap_or(25.0)
}

/// Draws the map of `zone` with its `ring_m` ring; facilities whose id is in `near` are named.
pub fn quarter_map(
    zone: &Zone,
    ring_m: f64,
    near: &[&str],
    layers: &MapLayers,
    lang: Lang,
    sources: &str,
) -> Map {
    let ring = buffer(&zone.geometry, ring_m);
    let extent = ring.bounding_rect().unwrap_or(Rect::new(
        Coord { x: 0.0, y: 0.0 },
        Coord { x: 1.0, y: 1.0 },
    ));
    let margin = (0.15 * extent.width().max(extent.height())).max(120.0);
    let ground = widened(extent, margin);
    let vp = Viewport::fit(ground, MAP_W, MAP_H);
    let mut svg = map_frame(&format!("clip-{}", zone.code));
    draw_cells(&mut svg, &vp, layers.grid);
    for c in layers.communes {
        svg.empty(
            "path",
            a![
                ("d", vp.path_data(&c.geometry)),
                ("fill", "none"),
                ("stroke", "#8c8c8c"),
                ("stroke-width", "0.8"),
                ("stroke-dasharray", "4 3")
            ],
        );
    }
    for other in layers.zones.iter().filter(|z| z.code != zone.code) {
        svg.empty(
            "path",
            a![
                ("d", vp.path_data(&other.geometry)),
                ("fill", QPV_COLOUR),
                ("fill-opacity", "0.05"),
                ("stroke", QPV_COLOUR),
                ("stroke-width", "1"),
                ("stroke-dasharray", "2 2")
            ],
        );
    }
    if ring_m > 0.0 {
        svg.empty(
            "path",
            a![
                ("d", ring_path(&vp, &ring, &zone.geometry)),
                ("fill", "#0072B2"),
                ("fill-opacity", "0.07"),
                ("fill-rule", "evenodd"),
                ("stroke", "#0072B2"),
                ("stroke-width", "1.2"),
                ("stroke-dasharray", "6 3")
            ],
        );
    }
    svg.empty(
        "path",
        a![
            ("d", vp.path_data(&zone.geometry)),
            ("fill", QPV_COLOUR),
            ("fill-opacity", "0.16"),
            ("stroke", QPV_COLOUR),
            ("stroke-width", "2.5")
        ],
    );
    let shown = draw_facilities(&mut svg, &vp, layers.facilities, near);
    svg.close_group();
    let scale_bar_m = scale_bar_length(vp.ground.width());
    draw_scale_and_north(&mut svg, &vp, scale_bar_m, lang);
    draw_legend(&mut svg, ring_m, &shown, lang, sources);
    Map {
        svg: svg.finish(
            MAP_W + LEGEND_W,
            MAP_H,
            &format!(
                "{} {} ({})",
                tr(lang, "Carte du quartier", "Map of"),
                zone.name,
                zone.code
            ),
            "map",
        ),
        scale_bar_m,
    }
}

/// A new map: white frame of the map area, and an open group clipped to it (close it with
/// [`Svg::close_group`] before drawing the furniture outside).
pub(super) fn map_frame(clip: &str) -> Svg {
    let mut svg = Svg::new();
    svg.raw_element(
        "clipPath",
        a![("id", clip)],
        &format!("<rect x=\"0\" y=\"0\" width=\"{MAP_W}\" height=\"{MAP_H}\"/>"),
    );
    svg.empty(
        "rect",
        a![
            ("x", "0"),
            ("y", "0"),
            ("width", px(MAP_W)),
            ("height", px(MAP_H)),
            ("fill", "#ffffff"),
            ("stroke", "#999")
        ],
    );
    svg.open_group(a![("clip-path", format!("url(#{clip})"))]);
    svg
}

/// The ring minus the QPV (drawn with the even-odd rule so the QPV keeps its own fill).
fn ring_path(vp: &Viewport, ring: &MultiPolygon<f64>, zone: &MultiPolygon<f64>) -> String {
    let mut d = vp.path_data(ring);
    d.push_str(&vp.path_data(zone));
    d
}

pub(super) fn draw_cells(svg: &mut Svg, vp: &Viewport, grid: Option<&GridIndex>) {
    let Some(grid) = grid else { return };
    let mut paths = vec![String::new(); DENSITY_CLASSES.len()];
    for i in grid.cells_in_rect(vp.ground) {
        let cell = &grid.cells()[i];
        let k = DENSITY_CLASSES
            .iter()
            .rposition(|c| cell.values.ind >= c.min)
            .unwrap_or(0);
        paths[k].push_str(&vp.path_data(&MultiPolygon(vec![cell.polygon.clone()])));
    }
    for (class, d) in DENSITY_CLASSES.iter().zip(paths) {
        if !d.is_empty() {
            svg.empty(
                "path",
                a![
                    ("d", d),
                    ("fill", class.colour),
                    ("stroke", "#ffffff"),
                    ("stroke-width", "0.5")
                ],
            );
        }
    }
}

/// A symbol of `shape` centred on (x, y).
pub fn symbol(svg: &mut Svg, shape: Shape, x: f64, y: f64, r: f64, colour: &str) {
    let style = [
        ("fill", colour.to_string()),
        ("stroke", "#ffffff".to_string()),
        ("stroke-width", "1.2".to_string()),
    ];
    match shape {
        Shape::Circle => {
            let mut a = vec![("cx", px(x)), ("cy", px(y)), ("r", px(r))];
            a.extend(style);
            svg.empty("circle", &a);
        }
        Shape::Square => {
            let mut a = vec![
                ("x", px(x - r)),
                ("y", px(y - r)),
                ("width", px(2.0 * r)),
                ("height", px(2.0 * r)),
            ];
            a.extend(style);
            svg.empty("rect", &a);
        }
        Shape::Triangle | Shape::Diamond | Shape::Star => {
            let pts = if shape == Shape::Star {
                star_points(x, y, 1.5 * r)
            } else if shape == Shape::Triangle {
                format!(
                    "{},{} {},{} {},{}",
                    px(x),
                    px(y - 1.2 * r),
                    px(x + 1.1 * r),
                    px(y + 0.8 * r),
                    px(x - 1.1 * r),
                    px(y + 0.8 * r)
                )
            } else {
                format!(
                    "{},{} {},{} {},{} {},{}",
                    px(x),
                    px(y - 1.3 * r),
                    px(x + 1.3 * r),
                    px(y),
                    px(x),
                    px(y + 1.3 * r),
                    px(x - 1.3 * r),
                    px(y)
                )
            };
            let mut a = vec![("points", pts)];
            a.extend(style);
            svg.empty("polygon", &a);
        }
    }
}

/// The ten corners of a five-pointed star, point up, of outer radius `r` centred on (x, y).
fn star_points(x: f64, y: f64, r: f64) -> String {
    (0..10)
        .map(|i| {
            let radius = if i % 2 == 0 { r } else { 0.45 * r };
            let angle = std::f64::consts::PI * (i as f64) / 5.0;
            format!(
                "{},{}",
                px(x + radius * angle.sin()),
                px(y - radius * angle.cos())
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pixel box of a label, for collision tests.
type LabelBox = (f64, f64, f64, f64);

fn overlaps(a: &LabelBox, b: &LabelBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Draws the facilities in view; names those in `near` where a label fits. Returns the
/// categories shown (for the legend).
fn draw_facilities(
    svg: &mut Svg,
    vp: &Viewport,
    facilities: &[Facility],
    near: &[&str],
) -> Vec<Category> {
    let mut shown: Vec<Category> = Vec::new();
    let mut visible: Vec<(&Facility, f64, f64)> = facilities
        .iter()
        .filter_map(|f| {
            let (x, y) = vp.px(f.point.0);
            ((0.0..=MAP_W).contains(&x) && (0.0..=MAP_H).contains(&y)).then_some((f, x, y))
        })
        .collect();
    // Named (near) facilities drawn last, on top.
    visible.sort_by_key(|(f, _, _)| near.contains(&f.id.as_str()));
    for (f, x, y) in &visible {
        let (colour, shape) = category_style(&f.category);
        let r = if near.contains(&f.id.as_str()) {
            6.0
        } else {
            4.0
        };
        symbol(svg, shape, *x, *y, r, colour);
        if !shown.contains(&f.category) {
            shown.push(f.category.clone());
        }
    }
    let mut boxes: Vec<LabelBox> = visible
        .iter()
        .map(|(_, x, y)| (x - 6.0, y - 6.0, x + 6.0, y + 6.0))
        .collect();
    for (f, x, y) in visible
        .iter()
        .filter(|(f, _, _)| near.contains(&f.id.as_str()))
    {
        let w = 5.6 * f.name.chars().count() as f64;
        let candidates = [
            (x + 9.0, y + 4.0, "start"),
            (x - 9.0, y + 4.0, "end"),
            (*x, y - 10.0, "middle"),
            (*x, y + 18.0, "middle"),
        ];
        for (lx, ly, anchor) in candidates {
            let left = match anchor {
                "start" => lx,
                "end" => lx - w,
                _ => lx - w / 2.0,
            };
            let b = (left, ly - 10.0, left + w, ly + 2.0);
            if b.0 < 0.0
                || b.2 > MAP_W
                || b.1 < 0.0
                || b.3 > MAP_H
                || boxes.iter().any(|o| overlaps(o, &b))
            {
                continue;
            }
            boxes.push(b);
            svg.text_element(
                "text",
                a![
                    ("x", px(lx)),
                    ("y", px(ly)),
                    ("text-anchor", anchor),
                    ("class", "label")
                ],
                &f.name,
            );
            break;
        }
    }
    shown.sort_by_key(|c| c.0.clone());
    shown
}

pub(super) fn draw_scale_and_north(svg: &mut Svg, vp: &Viewport, scale_bar_m: f64, lang: Lang) {
    let len = scale_bar_m * vp.scale;
    let (x0, y0) = (16.0, MAP_H - 18.0);
    svg.empty(
        "rect",
        a![
            ("x", px(x0 - 6.0)),
            ("y", px(y0 - 20.0)),
            ("width", px(len + 60.0)),
            ("height", "30"),
            ("fill", "#ffffff"),
            ("fill-opacity", "0.8")
        ],
    );
    svg.empty(
        "rect",
        a![
            ("x", px(x0)),
            ("y", px(y0)),
            ("width", px(len / 2.0)),
            ("height", "5"),
            ("fill", "#222")
        ],
    );
    svg.empty(
        "rect",
        a![
            ("x", px(x0 + len / 2.0)),
            ("y", px(y0)),
            ("width", px(len / 2.0)),
            ("height", "5"),
            ("fill", "#fff"),
            ("stroke", "#222")
        ],
    );
    svg.raw_element(
        "text",
        a![
            ("x", px(x0 + len + 6.0)),
            ("y", px(y0 + 5.0)),
            ("class", "small")
        ],
        &format!(
            "<tspan class=\"n\" data-v=\"{scale_bar_m}\">{}</tspan> m",
            format_number(scale_bar_m, 0, lang)
        ),
    );
    let (nx, ny) = (MAP_W - 28.0, 18.0);
    svg.empty(
        "polygon",
        a![
            (
                "points",
                format!(
                    "{},{} {},{} {},{} {},{}",
                    px(nx),
                    px(ny),
                    px(nx + 9.0),
                    px(ny + 26.0),
                    px(nx),
                    px(ny + 20.0),
                    px(nx - 9.0),
                    px(ny + 26.0)
                )
            ),
            ("fill", "#222")
        ],
    );
    svg.text_element(
        "text",
        a![
            ("x", px(nx)),
            ("y", px(ny + 40.0)),
            ("text-anchor", "middle"),
            ("class", "north")
        ],
        "N",
    );
}

/// A legend swatch: an 18 × 12 rectangle whose text baseline is `y`, drawn with `[fill,
/// fill-opacity, stroke, stroke-dasharray]`.
pub(super) fn legend_swatch(
    svg: &mut Svg,
    x: f64,
    y: f64,
    [fill, opacity, stroke, dash]: [&str; 4],
) {
    svg.empty(
        "rect",
        a![
            ("x", px(x)),
            ("y", px(y - 10.0)),
            ("width", "18"),
            ("height", "12"),
            ("fill", fill),
            ("fill-opacity", opacity),
            ("stroke", stroke),
            ("stroke-width", "1.5"),
            ("stroke-dasharray", dash)
        ],
    );
}

fn draw_legend(svg: &mut Svg, ring_m: f64, shown: &[Category], lang: Lang, sources: &str) {
    let x = MAP_W + 14.0;
    let mut y = 22.0;
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", px(y)), ("class", "legend-title")],
        &tr(lang, "Légende", "Key"),
    );
    y += 22.0;
    let swatch = |svg: &mut Svg, y: f64, fill: &str, opacity: &str, stroke: &str, dash: &str| {
        legend_swatch(svg, x, y, [fill, opacity, stroke, dash]);
    };
    swatch(svg, y, QPV_COLOUR, "0.16", QPV_COLOUR, "none");
    svg.text_element(
        "text",
        a![("x", px(x + 26.0)), ("y", px(y)), ("class", "small")],
        &tr(lang, "Ce quartier (QPV)", "This QPV"),
    );
    y += 20.0;
    if ring_m > 0.0 {
        swatch(svg, y, "#0072B2", "0.07", "#0072B2", "6 3");
        svg.raw_element(
            "text",
            a![("x", px(x + 26.0)), ("y", px(y)), ("class", "small")],
            &format!(
                "{} <tspan class=\"n\" data-v=\"{ring_m}\">{}</tspan> m",
                tr(lang, "À moins de", "Within"),
                format_number(ring_m, 0, lang)
            ),
        );
        y += 20.0;
    }
    swatch(svg, y, QPV_COLOUR, "0.05", QPV_COLOUR, "2 2");
    svg.text_element(
        "text",
        a![("x", px(x + 26.0)), ("y", px(y)), ("class", "small")],
        &tr(lang, "Autre QPV", "Other QPV"),
    );
    y += 20.0;
    svg.empty(
        "line",
        a![
            ("x1", px(x)),
            ("y1", px(y - 4.0)),
            ("x2", px(x + 18.0)),
            ("y2", px(y - 4.0)),
            ("stroke", "#8c8c8c"),
            ("stroke-dasharray", "4 3")
        ],
    );
    svg.text_element(
        "text",
        a![("x", px(x + 26.0)), ("y", px(y)), ("class", "small")],
        &tr(lang, "Limite de commune", "Commune boundary"),
    );
    y += 26.0;
    y = draw_category_keys(svg, x, y, shown, lang);
    draw_density_key(svg, x, y, lang);
    draw_sources(svg, x, sources, lang);
}

/// One symbol per category shown, from `y`; returns the `y` below them.
fn draw_category_keys(svg: &mut Svg, x: f64, mut y: f64, shown: &[Category], lang: Lang) -> f64 {
    for c in shown {
        let (colour, shape) = category_style(c);
        symbol(svg, shape, x + 9.0, y - 4.0, 5.5, colour);
        let (_, plural) = category_label(c, lang);
        svg.text_element(
            "text",
            a![("x", px(x + 26.0)), ("y", px(y)), ("class", "small")],
            &capitalise(&plural),
        );
        y += 18.0;
    }
    y
}

/// The population density classes of the grid, from `y`.
fn draw_density_key(svg: &mut Svg, x: f64, mut y: f64, lang: Lang) {
    y += 10.0;
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", px(y)), ("class", "small")],
        &tr(
            lang,
            "Habitants par carreau de 200 m",
            "Inhabitants per 200 m cell",
        ),
    );
    y += 6.0;
    for class in &DENSITY_CLASSES {
        y += 16.0;
        svg.empty(
            "rect",
            a![
                ("x", px(x)),
                ("y", px(y - 10.0)),
                ("width", "18"),
                ("height", "12"),
                ("fill", class.colour),
                ("stroke", "#bbb")
            ],
        );
        let n = |v: f64| {
            format!(
                "<tspan class=\"n\" data-v=\"{v}\">{}</tspan>",
                format_number(v, 0, lang)
            )
        };
        let text = match class.max {
            Some(max) => format!("{} – {}", n(class.min), n(max)),
            None => format!("{} {}", n(class.min), tr(lang, "et plus", "or more")),
        };
        svg.raw_element(
            "text",
            a![("x", px(x + 26.0)), ("y", px(y)), ("class", "small")],
            &text,
        );
    }
    y += 22.0;
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", px(y)), ("class", "tiny")],
        &tr(
            lang,
            "Estimation Filosofi ; carreaux vides",
            "Filosofi estimate; empty cells",
        ),
    );
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", px(y + 12.0)), ("class", "tiny")],
        &tr(lang, "non publiés (blanc).", "not published (white)."),
    );
}

/// The sources, one per line, at the bottom of the key.
fn draw_sources(svg: &mut Svg, x: f64, sources: &str, lang: Lang) {
    let lines: Vec<&str> = sources.split(" ; ").collect();
    let mut y = MAP_H - 8.0 - 11.0 * lines.len() as f64;
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", px(y)), ("class", "tiny")],
        &tr(lang, "Sources :", "Sources:"),
    );
    for line in lines {
        y += 11.0;
        svg.text_element(
            "text",
            a![("x", px(x)), ("y", px(y)), ("class", "tiny")],
            line,
        );
    }
}

/// "écoles maternelles" → "Écoles maternelles".
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}
