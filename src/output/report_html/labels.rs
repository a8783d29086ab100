//! Words of the report in French and English: facility categories and precisions.

use super::Lang;
use crate::model::Category;
use crate::output::palette;

/// `(singular, plural)` of a category in `lang`; unknown categories keep their name.
///
/// ```
/// use qpv::model::Category;
/// use qpv::output::report_html::{Lang, labels::category_label};
/// assert_eq!(category_label(&Category::new("college"), Lang::Fr), ("collège".to_string(), "collèges".to_string()));
/// assert_eq!(category_label(&Category::new("piscine"), Lang::En).1, "piscine");
/// ```
pub fn category_label(c: &Category, lang: Lang) -> (String, String) {
    let (fr, en) = match c.as_str() {
        Category::ECOLE_MATERNELLE => (
            ("école maternelle", "écoles maternelles"),
            ("nursery school", "nursery schools"),
        ),
        Category::ECOLE_ELEMENTAIRE => (
            ("école élémentaire", "écoles élémentaires"),
            ("primary school", "primary schools"),
        ),
        Category::COLLEGE => (
            ("collège", "collèges"),
            ("collège (lower secondary)", "collèges (lower secondary)"),
        ),
        Category::LYCEE => (
            ("lycée", "lycées"),
            ("lycée (upper secondary)", "lycées (upper secondary)"),
        ),
        Category::SOCIAL_CENTRE => (
            ("centre social", "centres sociaux"),
            ("social centre", "social centres"),
        ),
        Category::FRANCE_SERVICES => (
            ("France Services", "France Services"),
            ("France Services centre", "France Services centres"),
        ),
        other => ((other, other), (other, other)),
    };
    let (s, p) = match lang {
        Lang::Fr => fr,
        Lang::En => en,
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

/// Symbol colour and shape of a category on maps and charts (Okabe–Ito palette, safe for
/// colour-blind readers).
pub fn category_style(c: &Category) -> (&'static str, Shape) {
    match c.as_str() {
        Category::ECOLE_MATERNELLE => (palette::ORANGE.hex, Shape::Circle),
        Category::ECOLE_ELEMENTAIRE => (palette::SKY_BLUE.hex, Shape::Circle),
        Category::COLLEGE => (palette::BLUE.hex, Shape::Square),
        Category::LYCEE => (palette::BLUISH_GREEN.hex, Shape::Triangle),
        Category::SOCIAL_CENTRE => (palette::VERMILLION.hex, Shape::Diamond),
        Category::FRANCE_SERVICES => (palette::REDDISH_PURPLE.hex, Shape::Square),
        _ => (palette::REDDISH_PURPLE.hex, Shape::Circle),
    }
}

/// Map symbol shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A disc.
    Circle,
    /// A square.
    Square,
    /// A triangle, point up.
    Triangle,
    /// A square on its corner.
    Diamond,
}
