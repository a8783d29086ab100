//! One look and one name per facility category, for every output that shows categories: the
//! QGIS styles ([`crate::output::qgis_style`]) and the HTML maps and charts
//! ([`crate::output::report_html`]). A collège is the same vermillion square in QGIS and in the
//! report; a category outside this list is a grey disc ("Autre") in both.
//!
//! # Examples
//!
//! ```
//! use qpv::output::category_style::{self, Shape};
//! use qpv::output::palette;
//!
//! assert_eq!(category_style::symbol("college"), (palette::VERMILLION, Shape::Square));
//! assert_eq!(category_style::find("college").unwrap().label, "Collège");
//! assert_eq!(category_style::symbol("piscine"), (palette::GREY, Shape::Circle));
//! ```

use super::palette::{self, Colour};

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
    /// A five-pointed star.
    Star,
}

impl Shape {
    /// The name of the shape in QGIS's simple-marker symbol layer.
    pub fn qgis_name(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Square => "square",
            Shape::Triangle => "triangle",
            Shape::Diamond => "diamond",
            Shape::Star => "star",
        }
    }
}

/// How one facility category is named and drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryStyle {
    /// Value of the `category` field.
    pub value: &'static str,
    /// Legend label in French, capitalised (QGIS legends).
    pub label: &'static str,
    /// French (singular, plural), in running text.
    pub fr: (&'static str, &'static str),
    /// English (singular, plural), in running text.
    pub en: (&'static str, &'static str),
    /// Symbol colour (Okabe–Ito palette, safe for colour-blind readers).
    pub colour: Colour,
    /// Symbol shape.
    pub shape: Shape,
}

/// The facility categories, in legend order.
pub const CATEGORIES: [CategoryStyle; 6] = [
    CategoryStyle {
        value: "college",
        label: "Collège",
        fr: ("collège", "collèges"),
        en: ("collège (lower secondary)", "collèges (lower secondary)"),
        colour: palette::VERMILLION,
        shape: Shape::Square,
    },
    CategoryStyle {
        value: "ecole_elementaire",
        label: "École élémentaire",
        fr: ("école élémentaire", "écoles élémentaires"),
        en: ("primary school", "primary schools"),
        colour: palette::BLUE,
        shape: Shape::Circle,
    },
    CategoryStyle {
        value: "ecole_maternelle",
        label: "École maternelle",
        fr: ("école maternelle", "écoles maternelles"),
        en: ("nursery school", "nursery schools"),
        colour: palette::SKY_BLUE,
        shape: Shape::Circle,
    },
    CategoryStyle {
        value: "lycee",
        label: "Lycée",
        fr: ("lycée", "lycées"),
        en: ("lycée (upper secondary)", "lycées (upper secondary)"),
        colour: palette::REDDISH_PURPLE,
        shape: Shape::Diamond,
    },
    CategoryStyle {
        value: "social_centre",
        label: "Centre social",
        fr: ("centre social", "centres sociaux"),
        en: ("social centre", "social centres"),
        colour: palette::BLUISH_GREEN,
        shape: Shape::Triangle,
    },
    CategoryStyle {
        value: "france_services",
        label: "France Services",
        fr: ("France Services", "France Services"),
        en: ("France Services centre", "France Services centres"),
        colour: palette::ORANGE,
        shape: Shape::Star,
    },
];

/// Colour and shape of any category outside [`CATEGORIES`].
pub const OTHER: (Colour, Shape) = (palette::GREY, Shape::Circle);

/// The entry of `value` in [`CATEGORIES`], if it is one of them.
pub fn find(value: &str) -> Option<&'static CategoryStyle> {
    CATEGORIES.iter().find(|c| c.value == value)
}

/// Colour and shape of the symbol of `value` ([`OTHER`] for a category outside the list).
pub fn symbol(value: &str) -> (Colour, Shape) {
    find(value).map_or(OTHER, |c| (c.colour, c.shape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_colour_per_category_and_none_grey() {
        let mut colours: Vec<&str> = CATEGORIES.iter().map(|c| c.colour.hex).collect();
        colours.push(OTHER.0.hex);
        let n = colours.len();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), n);
    }

    #[test]
    fn labels_are_the_capitalised_french_singular() {
        for c in CATEGORIES {
            let mut chars = c.fr.0.chars();
            let first = chars.next().unwrap().to_uppercase().collect::<String>();
            assert_eq!(c.label, first + chars.as_str(), "{}", c.value);
        }
    }
}
