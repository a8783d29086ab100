//! `qpv perimeter build`: a candidate perimeter from a recipe (QPV by code, communes by code,
//! grid cells by condition or around a point, then a buffer), dissolved into one MultiPolygon,
//! with the recipe written out in words for the output.
//!
//! # Examples
//!
//! ```
//! use qpv::analysis::candidate_recipe::{Recipe, build};
//! use qpv::crs::Crs;
//! let zones = qpv::io::embedded::zones(Crs::LAMBERT93).unwrap();
//! let codes = vec![zones[0].code.clone()];
//! let recipe = Recipe { qpv: Some((&zones, &codes)), ..Recipe::default() };
//! let (geometry, words) = build(&recipe).unwrap();
//! assert!(!geometry.0.is_empty());
//! assert_eq!(words, format!("QPV {}", codes[0]));
//! ```

use geo::{Coord, MultiPolygon, Point};

use super::candidate::{self, CellCondition};
use crate::error::{Error, Result};
use crate::model::{GridCell, Zone};

/// What a candidate is built from; every part given is added (union).
#[derive(Debug, Clone, Copy, Default)]
pub struct Recipe<'a> {
    /// The current QPV and the codes of those to include.
    pub qpv: Option<(&'a [Zone], &'a [String])>,
    /// Communes and the INSEE codes of those to include.
    pub communes: Option<(&'a [Zone], &'a [String])>,
    /// The grid cells and the grid's label, when cells are chosen.
    pub cells: Option<(&'a [GridCell], &'a str)>,
    /// Cells matching a condition, and the condition as the user wrote it.
    pub cells_where: Option<(&'a CellCondition, &'a str)>,
    /// Cells within a distance (metres) of a point (working CRS).
    pub near: Option<(Coord<f64>, f64)>,
    /// Metres to grow (positive) or shrink (negative) the union by.
    pub buffer_m: f64,
}

/// The candidate of `recipe` and the recipe in words (`QPV A, B + communes C + ...`). An empty
/// result is a usage error.
pub fn build(recipe: &Recipe) -> Result<(MultiPolygon<f64>, String)> {
    let mut parts: Vec<MultiPolygon<f64>> = Vec::new();
    let mut words = Vec::new();
    if let Some((zones, codes)) = recipe.qpv {
        parts.push(candidate::from_zones(zones, codes, "QPV")?);
        words.push(format!("QPV {}", codes.join(", ")));
    }
    if let Some((communes, codes)) = recipe.communes {
        parts.push(candidate::from_zones(communes, codes, "commune")?);
        words.push(format!("communes {}", codes.join(", ")));
    }
    if let Some((cells, label)) = recipe.cells {
        words.push(format!("(cells of the {label})"));
        if let Some((condition, text)) = recipe.cells_where {
            parts.push(candidate::from_cells(cells, condition));
            words.push(format!("grid cells where {text}"));
        }
        if let Some((p, distance)) = recipe.near {
            let (x, y) = (p.x, p.y);
            parts.push(candidate::cells_near(cells, Point::new(x, y), distance));
            words.push(format!("grid cells within {distance} m of ({x}, {y})"));
        }
    }
    let mut geometry = candidate::dissolve(&parts);
    if recipe.buffer_m != 0.0 {
        geometry = candidate::buffer(&geometry, recipe.buffer_m);
        words.push(format!("buffer {} m", recipe.buffer_m));
    }
    if geometry.0.is_empty() {
        return Err(Error::usage(
            "the candidate is empty",
            "loosen --cells-where or check the codes",
        ));
    }
    Ok((geometry, words.join(" + ")))
}
