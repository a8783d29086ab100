//! The views of `qpv coverage`, declared once: the table columns of each record (as
//! [`super::coverage_json::record_flat`] spells them), the layer of uncovered parts (the JSON,
//! records and notes, is streamed by [`super::coverage_json::write_coverage_json`]), the Markdown preamble with the notes, and the lines for stderr (which
//! QPV lack which category, what the social-centre figures rest on).
//!
//! # Examples
//!
//! ```
//! use qpv::output::coverage_rows::missing_text;
//! assert_eq!(missing_text(&["QN09001I", "QN09002M"]), "; none for QN09001I, QN09002M");
//! ```

use geo::Geometry;

use super::coverage_json::record_flat as flat;
use super::coverage_notes::CoverageNotes;
use super::qgis_style::LayerStyle;
use super::{GeoFeature, GeoLayer, OutputFormat, Table, Views};
use crate::analysis::coverage::CoverageRecord;
use crate::crs::Crs;
use crate::model::Category;

/// The table or the uncovered-area layer of a coverage run, only the one `format` shows (the
/// JSON view is streamed by [`super::coverage_json::write_coverage_json`]); the Markdown report
/// carries the notes too.
pub fn views(
    records: &[CoverageRecord],
    notes: &CoverageNotes,
    crs: Crs,
    format: OutputFormat,
) -> Views {
    let columns = [
        "code_qp",
        "lib_qp",
        "category",
        "distance_m",
        "inside_count",
        "within_count",
        "nearest_id",
        "nearest_distance_m",
        "area_share_covered",
        "population_share_covered",
        "within",
    ];
    let mut table = Table::new(columns);
    let mut features = Vec::new();
    for r in records {
        let props = flat(r);
        if !format.has_geometry() {
            table.push(columns.iter().map(|c| props[*c].clone()).collect());
            continue;
        }
        features.push(GeoFeature {
            geometry: (!r.uncovered.0.is_empty())
                .then(|| Geometry::MultiPolygon(r.uncovered.clone())),
            properties: props,
        });
    }
    Views {
        table,
        json: serde_json::Value::Null,
        layers: vec![GeoLayer {
            name: "coverage_uncovered".into(),
            crs,
            style: Some(LayerStyle::Uncovered),
            features,
        }],
        markdown_preamble: "# Facility coverage of the QPV\n\n`within`: facilities at most \
            `distance_m` from the perimeter (0 inside); shares: part of the zone's area (and \
            estimated population, areal interpolation of the 200 m grid) within that distance.\n\n"
            .to_string()
            + &notes.markdown()
            + "## Records\n\n",
        csv_style: Default::default(),
    }
}

/// What the social-centre figures rest on, for stderr: the centres placed by geocoding
/// (approximate positions) and those not counted for want of a position.
pub fn social_centre_note(notes: &CoverageNotes) -> String {
    let placed: Vec<String> = notes
        .geocoded_facilities
        .iter()
        .filter(|f| f.category.as_str() == Category::SOCIAL_CENTRE)
        .map(|f| format!("{} ({})", f.name, f.geocoding_precision))
        .collect();
    let mut out = String::new();
    if !placed.is_empty() {
        out.push_str(&format!(
            "  social centres placed by geocoding their address (approximate): {}\n",
            placed.join(", ")
        ));
    }
    let unplaced = &notes.uncounted_facilities;
    if !unplaced.is_empty() {
        out.push_str(&format!(
            "  {} social centres without a known position are not counted: {}\n",
            unplaced.len(),
            unplaced
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

/// "college within 300 m: 4 of 7 QPV; none for QN09002M, ..." lines for stderr.
pub fn gaps_summary(notes: &CoverageNotes) -> String {
    let mut out = String::new();
    for g in &notes.gaps {
        let missing: Vec<&str> = g.missing.iter().map(|z| z.code.as_str()).collect();
        out.push_str(&format!(
            "{} within {} m: {} of {} QPV",
            g.category, g.distance_m, g.covered, g.zones
        ));
        out.push_str(&missing_text(&missing));
        out.push('\n');
    }
    out
}

/// QPV codes listed by name on stderr per category; at national scale the rest is counted (the
/// output has every record).
pub const GAPS_LISTED: usize = 10;

/// "; none for A, B" — or, past [`GAPS_LISTED`] codes, "; none for 149 QPV: A, B, ... and
/// 139 more (`within_count` = 0 in the output)"; empty when nothing is missing.
pub fn missing_text(missing: &[&str]) -> String {
    match missing.len() {
        0 => String::new(),
        n if n <= GAPS_LISTED => format!("; none for {}", missing.join(", ")),
        n => format!(
            "; none for {n} QPV: {} and {} more (`within_count` = 0 in the output)",
            missing[..GAPS_LISTED].join(", "),
            n - GAPS_LISTED
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_of_uncovered_qpv_are_cut() {
        assert_eq!(missing_text(&[]), "");
        assert_eq!(missing_text(&["A", "B"]), "; none for A, B");
        let ten: Vec<String> = (0..10).map(|i| format!("Q{i}")).collect();
        let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
        assert_eq!(missing_text(&ten), format!("; none for {}", ten.join(", ")));
        let many: Vec<String> = (0..149).map(|i| format!("Q{i:03}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            missing_text(&many),
            "; none for 149 QPV: Q000, Q001, Q002, Q003, Q004, Q005, Q006, Q007, Q008, Q009 \
             and 139 more (`within_count` = 0 in the output)"
        );
    }
}
