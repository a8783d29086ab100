//! The HTML page of `qpv perimeter test --format html`: the candidate and today's QPV on one
//! map (added and removed parts coloured, facilities gained and lost named), the indicators,
//! the overlaps, the facilities and the eligibility of each part — a view of the same
//! [`PerimeterTest`] that `--format json` writes.

use geo::{BoundingRect, Coord, MultiPolygon, Rect};
use minijinja::context;
use minijinja::value::Value as JinjaValue;

use super::Lang;
use super::labels::category_style;
use super::map::{
    LEGEND_W, MAP_H, MAP_W, QPV_COLOUR, draw_cells, draw_scale_and_north, legend_swatch, map_frame,
    symbol, tr,
};
use super::render::{STYLE, environment};
use super::svg::{Svg, Viewport, a, px};
use crate::analysis::interpolate::GridIndex;
use crate::analysis::perimeter::{FacilityStatus, PerimeterTest};
use crate::error::{Error, Result};
use crate::geometry::bounds::widened;
use crate::model::{Category, Facility, Zone};

const ADDED: &str = crate::output::palette::BLUISH_GREEN.hex;
const REMOVED: &str = crate::output::palette::VERMILLION.hex;

/// The layers the perimeter map draws besides the test's own pieces.
#[derive(Clone, Copy)]
pub struct PerimeterMapLayers<'a> {
    /// Commune outlines (may be empty).
    pub communes: &'a [Zone],
    /// The facilities the test used (positions of those it lists).
    pub facilities: &'a [Facility],
    /// The grid, for the population background.
    pub grid: Option<&'a GridIndex<'a>>,
}

/// The self-contained HTML page of a perimeter test, in `lang`.
pub fn perimeter_html(
    t: &PerimeterTest,
    layers: &PerimeterMapLayers,
    lang: Lang,
) -> Result<String> {
    let env = environment(lang)?;
    let template = env
        .get_template("perimeter.html")
        .map_err(|e| Error::Internal(format!("perimeter template: {e}")))?;
    let (map, scale_bar_m) = perimeter_map(t, layers, lang);
    template
        .render(context! {
            t => JinjaValue::from_serialize(t),
            map => JinjaValue::from_safe_string(map),
            scale_bar_m,
            fr => lang == Lang::Fr,
            lang => lang.code(),
            css => JinjaValue::from_safe_string(STYLE.to_string()),
        })
        .map_err(|e| Error::Internal(format!("rendering the perimeter report: {e}")))
}

/// Fill, fill opacity, stroke, stroke width, dash pattern.
type PieceStyle<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

fn piece(svg: &mut Svg, vp: &Viewport, area: &MultiPolygon<f64>, style: PieceStyle) {
    if area.0.is_empty() {
        return;
    }
    let (fill, opacity, stroke, width, dash) = style;
    svg.empty(
        "path",
        a![
            ("d", vp.path_data(area)),
            ("fill", fill),
            ("fill-opacity", opacity),
            ("stroke", stroke),
            ("stroke-width", width),
            ("stroke-dasharray", dash)
        ],
    );
}

/// The map: grid background, communes, today's QPV, added and removed parts, the candidate's
/// outline, the facilities the test lists (gained and lost named). Returns the SVG and the
/// scale bar's length in metres.
fn perimeter_map(t: &PerimeterTest, layers: &PerimeterMapLayers, lang: Lang) -> (String, f64) {
    let e = map_extent(t);
    let m = (0.12 * e.width().max(e.height())).max(150.0);
    let vp = Viewport::fit(widened(e, m), MAP_W, MAP_H);
    let mut svg = map_frame("clip-perimeter");
    draw_cells(&mut svg, &vp, layers.grid);
    for c in layers.communes {
        piece(
            &mut svg,
            &vp,
            &c.geometry,
            ("none", "0", "#8c8c8c", "0.8", "4 3"),
        );
    }
    piece(
        &mut svg,
        &vp,
        &t.baseline.geometry,
        (QPV_COLOUR, "0.12", QPV_COLOUR, "1.5", "5 3"),
    );
    piece(
        &mut svg,
        &vp,
        &t.added.geometry,
        (ADDED, "0.45", ADDED, "0.8", "none"),
    );
    piece(
        &mut svg,
        &vp,
        &t.removed.geometry,
        (REMOVED, "0.45", REMOVED, "0.8", "none"),
    );
    piece(
        &mut svg,
        &vp,
        &t.candidate.geometry,
        ("none", "0", "#111111", "2.2", "none"),
    );
    draw_test_facilities(&mut svg, &vp, t, layers.facilities);
    svg.close_group();
    let scale_bar_m = super::map::scale_bar_length(vp.ground.width());
    draw_scale_and_north(&mut svg, &vp, scale_bar_m, lang);
    draw_perimeter_legend(&mut svg, lang);
    let title = format!(
        "{} {}",
        tr(lang, "Carte du périmètre", "Map of the perimeter"),
        t.name
    );
    (
        svg.finish(MAP_W + LEGEND_W, MAP_H, &title, "map"),
        scale_bar_m,
    )
}

/// The extent of the candidate and of today's QPV it is compared with (a unit square when
/// both are empty).
fn map_extent(t: &PerimeterTest) -> Rect<f64> {
    let mut extent: Option<Rect<f64>> = None;
    for g in [&t.candidate.geometry, &t.baseline.geometry] {
        if let Some(r) = g.bounding_rect() {
            extent = Some(match extent {
                None => r,
                Some(e) => Rect::new(
                    Coord {
                        x: e.min().x.min(r.min().x),
                        y: e.min().y.min(r.min().y),
                    },
                    Coord {
                        x: e.max().x.max(r.max().x),
                        y: e.max().y.max(r.max().y),
                    },
                ),
            });
        }
    }
    extent.unwrap_or(Rect::new(
        Coord { x: 0.0, y: 0.0 },
        Coord { x: 1.0, y: 1.0 },
    ))
}

/// The facilities the test lists, the gained and lost ones larger and named.
fn draw_test_facilities(svg: &mut Svg, vp: &Viewport, t: &PerimeterTest, facilities: &[Facility]) {
    for row in &t.facilities {
        let Some(f) = facilities.iter().find(|f| f.id == row.id) else {
            continue;
        };
        let (x, y) = vp.px(f.point.0);
        let (colour, shape) = category_style(&Category::new(&row.category));
        let named = matches!(row.status, FacilityStatus::Gained | FacilityStatus::Lost);
        symbol(svg, shape, x, y, if named { 6.5 } else { 4.5 }, colour);
        if named {
            let sign = if row.status == FacilityStatus::Gained {
                "+ "
            } else {
                "− "
            };
            svg.text_element(
                "text",
                a![("x", px(x + 9.0)), ("y", px(y + 4.0)), ("class", "label")],
                &format!("{sign}{}", row.name),
            );
        }
    }
}

/// The key of the perimeter map, right of the map.
fn draw_perimeter_legend(svg: &mut Svg, lang: Lang) {
    let x = MAP_W + 14.0;
    let items = [
        (
            "none",
            "0",
            "#111111",
            "none",
            tr(lang, "Périmètre candidat", "Candidate perimeter"),
        ),
        (
            QPV_COLOUR,
            "0.12",
            QPV_COLOUR,
            "5 3",
            tr(lang, "QPV actuels", "Current QPV"),
        ),
        (
            ADDED,
            "0.45",
            ADDED,
            "none",
            tr(lang, "Partie ajoutée", "Added part"),
        ),
        (
            REMOVED,
            "0.45",
            REMOVED,
            "none",
            tr(lang, "Partie retirée", "Removed part"),
        ),
    ];
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", "22"), ("class", "legend-title")],
        &tr(lang, "Légende", "Key"),
    );
    for (i, (fill, op, stroke, dash, label)) in items.iter().enumerate() {
        let y = 46.0 + 20.0 * i as f64;
        legend_swatch(svg, x, y, [fill, op, stroke, dash]);
        svg.text_element(
            "text",
            a![("x", px(x + 26.0)), ("y", px(y)), ("class", "small")],
            label,
        );
    }
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", "140"), ("class", "small")],
        &tr(
            lang,
            "+ équipement gagné, − perdu",
            "+ facility gained, − lost",
        ),
    );
    svg.text_element(
        "text",
        a![("x", px(x)), ("y", px(MAP_H - 8.0)), ("class", "tiny")],
        &tr(
            lang,
            "Sources : ANCT ; Insee Filosofi ; IGN",
            "Sources: ANCT; Insee Filosofi; IGN",
        ),
    );
}
