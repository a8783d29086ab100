//! HTML rendering of a [`CoverageReport`] with minijinja: the template and the stylesheet are
//! compiled into the binary (`templates/`), numbers go through filters that spell them in the
//! report's language and tag them with the value they show.

use minijinja::value::Value as JinjaValue;
use minijinja::{AutoEscape, Environment, context};

use super::Lang;
use super::labels::{category_label, precision_label};
use super::map::capitalise;
use super::model::CoverageReport;
use super::numbers::{number_html, share_html};
use crate::error::{Error, Result};
use crate::model::Category;

const TEMPLATE: &str = include_str!("../../../templates/report.html");
pub(super) const STYLE: &str = include_str!("../../../templates/report.css");
const PERIMETER_TEMPLATE: &str = include_str!("../../../templates/perimeter.html");

pub(super) fn environment(lang: Lang) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)
        .map_err(|e| Error::Internal(format!("report template: {e}")))?;
    env.add_template("perimeter.html", PERIMETER_TEMPLATE)
        .map_err(|e| Error::Internal(format!("perimeter template: {e}")))?;
    env.add_filter("num", move |v: JinjaValue, decimals: Option<usize>| {
        JinjaValue::from_safe_string(match number_of(&v) {
            Some(x) => number_html(x, decimals.unwrap_or(0), lang, "span"),
            None => "–".into(),
        })
    });
    env.add_filter("year", |v: JinjaValue| {
        JinjaValue::from_safe_string(match number_of(&v) {
            Some(x) => format!("<span class=\"n\" data-v=\"{x}\">{x}</span>"),
            None => "–".into(),
        })
    });
    env.add_filter("pct", move |v: JinjaValue| {
        JinjaValue::from_safe_string(match number_of(&v) {
            Some(x) => share_html(x, lang, "span"),
            None => "–".into(),
        })
    });
    env.add_filter("cat", move |c: String| {
        category_label(&Category::new(&c), lang).0
    });
    env.add_filter("cats", move |c: String| {
        category_label(&Category::new(&c), lang).1
    });
    env.add_filter("cap", |s: String| capitalise(&s));
    env.add_filter("precision", move |p: String| precision_label(&p, lang));
    Ok(env)
}

/// The number a template value holds (`None` for none/undefined: shown as "–").
fn number_of(v: &JinjaValue) -> Option<f64> {
    if v.is_none() || v.is_undefined() {
        return None;
    }
    f64::try_from(v.clone()).ok()
}

/// The self-contained HTML page of `report` in `lang`.
pub fn render_html(report: &CoverageReport, lang: Lang) -> Result<String> {
    let env = environment(lang)?;
    let template = env
        .get_template("report.html")
        .map_err(|e| Error::Internal(format!("report template: {e}")))?;
    let maps: Vec<JinjaValue> = report
        .quarters
        .iter()
        .map(|q| JinjaValue::from_safe_string(q.map_svg.clone()))
        .collect();
    let charts: Vec<JinjaValue> = report
        .quarters
        .iter()
        .map(|q| JinjaValue::from_safe_string(q.chart_svg.clone()))
        .collect();
    let html = template
        .render(context! {
            r => JinjaValue::from_serialize(report),
            maps,
            charts,
            fr => lang == Lang::Fr,
            lang => lang.code(),
            css => JinjaValue::from_safe_string(STYLE.to_string()),
        })
        .map_err(|e| Error::Internal(format!("rendering the report: {e}")))?;
    Ok(html)
}
