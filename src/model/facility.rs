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
