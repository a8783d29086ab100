//! Words of the report in French and English: facility categories and precisions.

use super::Lang;
use crate::model::Category;
use crate::output::category_style;
pub use crate::output::category_style::Shape;

/// `(singular, plural)` of a category in `lang`; unknown categories keep their name.
///
/// ```
/// use qpv::model::Category;
/// use qpv::output::report_html::{Lang, labels::category_label};
/// assert_eq!(category_label(&Category::new("college"), Lang::Fr), ("collège".to_string(), "collèges".to_string()));
/// assert_eq!(category_label(&Category::new("piscine"), Lang::En).1, "piscine");
/// ```
pub fn category_label(c: &Category, lang: Lang) -> (String, String) {
    let (s, p) = match (category_style::find(c.as_str()), lang) {
        (Some(style), Lang::Fr) => style.fr,
        (Some(style), Lang::En) => style.en,
        (None, _) => (c.as_str(), c.as_str()),
    };
    (s.to_string(), p.to_string())
}

/// A geocoding precision in words (`street`, `interpolated`).
pub fn precision_label(p: &str, lang: Lang) -> String {
    match (p, lang) {
        ("street", Lang::Fr) => "position approchée : milieu de la rue".into(),
        ("street", Lang::En) => "approximate position: middle of the street".into(),
        ("interpolated", Lang::Fr) => "position approchée : interpolée entre deux numéros".into(),
        ("interpolated", Lang::En) => {
            "approximate position: interpolated between house numbers".into()
        }
        (other, Lang::Fr) => format!("position approchée ({other})"),
        (other, Lang::En) => format!("approximate position ({other})"),
    }
}

/// Symbol colour (`#RRGGBB`) and shape of a category on maps and charts: the same as in the QGIS
/// styles ([`crate::output::category_style`]).
pub fn category_style(c: &Category) -> (&'static str, Shape) {
    let (colour, shape) = category_style::symbol(c.as_str());
    (colour.hex, shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::qgis_style;

    /// The report draws each category as the QGIS style does (they differed before: a collège
    /// was a blue square in the report and a vermillion square in QGIS).
    #[test]
    fn report_symbols_and_names_match_the_qgis_style() {
        for c in qgis_style::CATEGORIES {
            let category = Category::new(c.value);
            let (colour, shape) = category_style(&category);
            assert_eq!(colour, c.colour.hex, "{}", c.value);
            assert_eq!(shape, c.shape, "{}", c.value);
            let (singular, _) = category_label(&category, Lang::Fr);
            assert_eq!(
                singular.to_lowercase(),
                c.label.to_lowercase(),
                "{}",
                c.value
            );
        }
        let (other, _) = category_style(&Category::new("piscine"));
        assert_eq!(other, crate::output::palette::GREY.hex);
    }
}
