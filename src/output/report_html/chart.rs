//! The small chart of a fiche quartier: per category, the share of the QPV's area and of its
//! estimated population within D of a facility, as horizontal bars (inline SVG).

use super::Lang;
use super::labels::{category_label, category_style};
use super::map::capitalise;
use super::numbers::format_number;
use super::svg::{Svg, a, px};
use crate::analysis::coverage::CoverageRecord;
use crate::output::coverage_json::record_json;

const W: f64 = 400.0;
const LABEL_W: f64 = 130.0;
const BAR_W: f64 = 220.0;

/// Bars of `records` (one distance, categories in reading order); values are those of the
/// JSON records (4-decimal shares).
pub fn coverage_chart(records: &[&CoverageRecord], lang: Lang) -> String {
    let row_h = 30.0;
    let height = 34.0 + row_h * records.len() as f64;
    let mut svg = Svg::new();
    let (area_label, pop_label) = match lang {
        Lang::Fr => ("surface", "population (estimation)"),
        Lang::En => ("area", "population (estimate)"),
    };
    svg.empty(
        "rect",
        a![
            ("x", px(LABEL_W)),
            ("y", "4"),
            ("width", "12"),
            ("height", "8"),
            ("fill", "#777")
        ],
    );
    svg.text_element(
        "text",
        a![("x", px(LABEL_W + 16.0)), ("y", "12"), ("class", "small")],
        area_label,
    );
    svg.empty(
        "rect",
        a![
            ("x", px(LABEL_W + 90.0)),
            ("y", "4"),
            ("width", "12"),
            ("height", "8"),
            ("fill", "#777"),
            ("fill-opacity", "0.45")
        ],
    );
    svg.text_element(
        "text",
        a![("x", px(LABEL_W + 106.0)), ("y", "12"), ("class", "small")],
        pop_label,
    );
    for (i, r) in records.iter().enumerate() {
        let v = record_json(r);
        let y = 24.0 + row_h * i as f64;
        let (colour, _) = category_style(&r.category);
        svg.text_element(
            "text",
            a![
                ("x", px(LABEL_W - 8.0)),
                ("y", px(y + 14.0)),
                ("text-anchor", "end"),
                ("class", "small")
            ],
            &capitalise(&category_label(&r.category, lang).1),
        );
        svg.empty(
            "rect",
            a![
                ("x", px(LABEL_W)),
                ("y", px(y)),
                ("width", px(BAR_W)),
                ("height", "22"),
                ("fill", "#f2f2f2")
            ],
        );
        let bars = [
            (v["area_share_covered"].as_f64(), 0.0, "1"),
            (v["population_share_covered"].as_f64(), 11.0, "0.45"),
        ];
        for (share, dy, opacity) in bars {
            let Some(share) = share else { continue };
            svg.empty(
                "rect",
                a![
                    ("x", px(LABEL_W)),
                    ("y", px(y + dy)),
                    ("width", px(BAR_W * share)),
                    ("height", "10"),
                    ("fill", colour),
                    ("fill-opacity", opacity)
                ],
            );
            svg.raw_element(
                "text",
                a![
                    ("x", px(LABEL_W + BAR_W + 6.0)),
                    ("y", px(y + dy + 9.0)),
                    ("class", "tiny")
                ],
                &format!(
                    "<tspan class=\"n\" data-v=\"{share}\" data-scale=\"100\">{}</tspan> %",
                    format_number(100.0 * share, 1, lang)
                ),
            );
        }
    }
    let title = match lang {
        Lang::Fr => "Part du quartier à moins de la distance d'un équipement",
        Lang::En => "Share of the QPV within the distance of a facility",
    };
    svg.finish(W, height, title, "chart")
}
