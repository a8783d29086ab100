//! What a coverage result rests on and what it lacks, as data: the QPV without a facility of a
//! category within D, the facilities placed by geocoding (approximate positions), and those
//! not counted for want of a position. Every report format carries it (not only stderr).

use serde::Serialize;

use crate::analysis::coverage::CoverageRecord;
use crate::geocode::UnplacedCentre;
use crate::model::{Category, Facility};

/// A QPV named in a note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedZone {
    /// Zone code.
    pub code: String,
    /// Zone name.
    pub name: String,
}

/// For one category and distance: how many QPV have a facility within D, and which lack one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Facility category.
    pub category: Category,
    /// The distance D, metres.
    pub distance_m: f64,
    /// QPV with at least one facility within D (inside included).
    pub covered: usize,
    /// QPV in the run.
    pub zones: usize,
    /// The QPV with none, by code.
    pub missing: Vec<NamedZone>,
}

/// A facility whose position comes from geocoding its address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeocodedFacility {
    /// Facility id.
    pub id: String,
    /// Facility name.
    pub name: String,
    /// Facility category.
    pub category: Category,
    /// `street` (placed at the street) or `interpolated` (between house numbers).
    pub geocoding_precision: String,
}

/// A facility of the list left out of every count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncountedFacility {
    /// Its name.
    pub name: String,
    /// Its category.
    pub category: Category,
    /// Why it has no position.
    pub reason: String,
}

/// The notes of one coverage run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageNotes {
    /// Per category and distance (sorted), the QPV lacking a facility.
    pub gaps: Vec<Gap>,
    /// Facilities placed by geocoding (approximate positions), by category then id.
    pub geocoded_facilities: Vec<GeocodedFacility>,
    /// Facilities not counted for want of a position.
    pub uncounted_facilities: Vec<UncountedFacility>,
}

impl CoverageNotes {
    /// The notes as Markdown sections (for the coverage report): gaps with QPV names, the
    /// facilities placed by geocoding with their precision, and those not counted.
    ///
    /// ```
    /// use qpv::output::coverage_notes::{CoverageNotes, UncountedFacility};
    /// use qpv::model::Category;
    /// let notes = CoverageNotes { gaps: vec![], geocoded_facilities: vec![],
    ///     uncounted_facilities: vec![UncountedFacility { name: "MQ Brel".into(),
    ///     category: Category::new("social_centre"), reason: "no address in the list".into() }] };
    /// assert!(notes.markdown().contains("1 facility of the list is not counted"));
    /// ```
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        if !self.gaps.is_empty() {
            out.push_str("## QPV without a facility within the distance\n\n");
            for g in &self.gaps {
                let names: Vec<String> = g
                    .missing
                    .iter()
                    .map(|z| format!("{} ({})", z.name, z.code))
                    .collect();
                out.push_str(&format!(
                    "- {} within {} m: {} of {} QPV{}\n",
                    g.category,
                    g.distance_m,
                    g.covered,
                    g.zones,
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!("; none for {}", names.join(", "))
                    }
                ));
            }
            out.push('\n');
        }
        if !self.geocoded_facilities.is_empty() {
            out.push_str("## Facilities placed by geocoding their address (approximate)\n\n");
            for f in &self.geocoded_facilities {
                out.push_str(&format!(
                    "- {} ({}): precision `{}`\n",
                    f.name, f.category, f.geocoding_precision
                ));
            }
            out.push('\n');
        }
        if !self.uncounted_facilities.is_empty() {
            let n = self.uncounted_facilities.len();
            out.push_str(&format!(
                "## Not counted\n\n{n} {} of the list {} not counted (no known position):\n\n",
                if n == 1 { "facility" } else { "facilities" },
                if n == 1 { "is" } else { "are" }
            ));
            for f in &self.uncounted_facilities {
                out.push_str(&format!("- {} ({}): {}\n", f.name, f.category, f.reason));
            }
            out.push('\n');
        }
        out
    }
}

/// Gathers the notes of `records` (one run over `zones` QPV).
///
/// ```
/// use qpv::output::coverage_notes::coverage_notes;
/// let notes = coverage_notes(&[], 0, &[], &[]);
/// assert!(notes.gaps.is_empty() && notes.uncounted_facilities.is_empty());
/// ```
pub fn coverage_notes(
    records: &[CoverageRecord],
    zones: usize,
    facilities: &[Facility],
    unplaced_social_centres: &[UnplacedCentre],
) -> CoverageNotes {
    let mut keys: Vec<(&Category, f64)> = records
        .iter()
        .map(|r| (&r.category, r.distance_m))
        .collect();
    keys.sort_by(|a, b| a.0.cmp(b.0).then(a.1.total_cmp(&b.1)));
    keys.dedup();
    let gaps = keys
        .into_iter()
        .map(|(category, d)| {
            let of: Vec<&CoverageRecord> = records
                .iter()
                .filter(|r| &r.category == category && r.distance_m == d)
                .collect();
            let missing: Vec<NamedZone> = of
                .iter()
                .filter(|r| r.within_count == 0)
                .map(|r| NamedZone {
                    code: r.code_qp.clone(),
                    name: r.lib_qp.clone(),
                })
                .collect();
            Gap {
                category: category.clone(),
                distance_m: d,
                covered: of.len() - missing.len(),
                zones,
                missing,
            }
        })
        .collect();
    let geocoded_facilities = facilities
        .iter()
        .filter_map(|f| {
            let p = f.attributes.text("geocoding_precision");
            (!p.is_empty()).then(|| GeocodedFacility {
                id: f.id.clone(),
                name: f.name.clone(),
                category: f.category.clone(),
                geocoding_precision: p,
            })
        })
        .collect();
    let uncounted_facilities = unplaced_social_centres
        .iter()
        .map(|c| UncountedFacility {
            name: c.name.clone(),
            category: Category::new(Category::SOCIAL_CENTRE),
            reason: c.reason.clone(),
        })
        .collect();
    CoverageNotes {
        gaps,
        geocoded_facilities,
        uncounted_facilities,
    }
}
