//! A facility: school, social centre, health centre... a point with a category.

use std::fmt;

use geo::Point;
use serde::Serialize;

use super::Attributes;

/// A facility category (`college`, `ecole_elementaire`, `social_centre`...).
///
/// Categories come from the data; the embedded layers use the names below, and users may map
/// their own values onto them or use any other word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Category(pub String);

impl Category {
    /// Écoles maternelles (Annuaire nature 101).
    pub const ECOLE_MATERNELLE: &'static str = "ecole_maternelle";
    /// Écoles élémentaires and primaires (nature 151).
    pub const ECOLE_ELEMENTAIRE: &'static str = "ecole_elementaire";
    /// Collèges (nature 340).
    pub const COLLEGE: &'static str = "college";
    /// Lycées (natures 300, 320).
    pub const LYCEE: &'static str = "lycee";
    /// Social centres and maisons de quartier.
    pub const SOCIAL_CENTRE: &'static str = "social_centre";
    /// France Services sites (ANCT label).
    pub const FRANCE_SERVICES: &'static str = "france_services";

    /// A category from any text, normalised to lower case with spaces as `_`.
    pub fn new(name: &str) -> Self {
        Category(name.trim().to_lowercase().replace([' ', '-'], "_"))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key categories are compared by: lower case, accents folded, every run of
    /// non-alphanumeric characters as one `_` (`Collège` → `college`, `École maternelle` →
    /// `ecole_maternelle`).
    pub fn key(name: &str) -> String {
        super::text::fold(name).replace(' ', "_")
    }

    /// The categories of `known` that the user's names designate: each name matches the
    /// category with the same [`Category::key`], else the only category whose key starts with
    /// it followed by `_` (`social` → `social_centre`). A name that starts several categories
    /// is refused as ambiguous rather than taken for all of them (`ecole` could mean
    /// `ecole_maternelle`, `ecole_elementaire` or both: say which); an unknown name is refused
    /// with the list of known ones. Order of `requested`, duplicates removed.
    ///
    /// ```
    /// use qpv::model::Category;
    /// let known = [Category::new("college"), Category::new("ecole_elementaire"),
    ///              Category::new("ecole_maternelle")];
    /// let got = Category::resolve(&["Collège".to_string()], &known).unwrap();
    /// assert_eq!(got, [Category::new("college")]);
    /// let e = Category::resolve(&["ecole".to_string()], &known).unwrap_err().to_string();
    /// assert!(e.contains("ambiguous") && e.contains("ecole_maternelle"), "{e}");
    /// let e = Category::resolve(&["colege".to_string()], &known).unwrap_err().to_string();
    /// assert!(e.contains("known categories: college, ecole_elementaire, ecole_maternelle"), "{e}");
    /// ```
    pub fn resolve(requested: &[String], known: &[Category]) -> crate::Result<Vec<Category>> {
        let mut known: Vec<&Category> = known.iter().collect();
        known.sort();
        known.dedup();
        let list = known
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut out: Vec<Category> = Vec::new();
        for name in requested {
            let key = Category::key(name);
            let exact = known.iter().find(|c| Category::key(c.as_str()) == key);
            let prefixed: Vec<&&Category> = known
                .iter()
                .filter(|c| Category::key(c.as_str()).starts_with(&format!("{key}_")))
                .collect();
            let found = match (exact, prefixed.as_slice()) {
                (Some(c), _) => (*c).clone(),
                (None, [one]) => (**one).clone(),
                (None, []) => {
                    return Err(crate::Error::usage(
                        format!("--category: unknown category '{name}'"),
                        format!("known categories: {list}"),
                    ));
                }
                (None, several) => {
                    let names: Vec<&str> = several.iter().map(|c| c.as_str()).collect();
                    return Err(crate::Error::usage(
                        format!(
                            "--category: '{name}' is ambiguous: it could be {}",
                            names.join(" or ")
                        ),
                        format!(
                            "name one, or several separated by commas (--category {}); known categories: {list}",
                            names.join(",")
                        ),
                    ));
                }
            };
            if !out.contains(&found) {
                out.push(found);
            }
        }
        Ok(out)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A facility in the working metric CRS.
#[derive(Debug, Clone)]
pub struct Facility {
    /// Stable identifier (UAI for schools).
    pub id: String,
    /// Name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// Position.
    pub point: Point<f64>,
    /// Every attribute of the source row or feature.
    pub attributes: Attributes,
}
