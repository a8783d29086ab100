//! Markdown reports of perimeter tests, comparisons and simulations: what a planner reads.
//! Fixed number formats (integers with thousands separators, one decimal for percentages) so
//! that reports are byte-for-byte reproducible.

use std::fmt::Write;

use crate::analysis::calibration::Calibration;
use crate::analysis::eligibility::{IncomeProxy, Threshold};
use crate::analysis::interpolate::Indicators;
use crate::analysis::perimeter::{Baseline, Comparison, FacilityStatus, PerimeterTest};
use crate::analysis::simulate::{Contiguity, Criterion, Simulation};
use crate::model::GridSource;

/// `63478.5` → `63,479`.
pub fn int(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let r = x.round();
    let neg = r < 0.0;
    let digits = format!("{:.0}", r.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if neg && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// A share 0–1 as `37.6 %`, `–` when unknown.
pub fn share(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.1} %", 100.0 * v))
}

/// A percentage 0–100 as `37.6 %`.
pub fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{v:.1} %"))
}

/// Hectares with two decimals.
pub fn ha(m2: f64) -> String {
    format!("{:.2}", m2 / 10_000.0)
}

fn euros(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{} €", int(v)))
}

/// The method paragraph, naming the grid used.
fn method(grid: &GridSource) -> String {
    format!(
        "Grid: {}. Population figures are estimates: each 200 m cell contributes \
         the share of its area inside the perimeter (people assumed evenly spread in a cell). \
         Filosofi publishes sums, not medians: the income figure is a mean standard of living \
         (Ind_snv / Ind), which exceeds the median, and it is disposable income where the \
         decree uses declared income.",
        grid.label()
    )
}

fn indicator_rows(out: &mut String, label: &str, i: &Indicators) {
    let _ = writeln!(
        out,
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
        ha(i.area_m2),
        int(i.population),
        int(i.households),
        int(i.poor_households),
        share(i.poor_household_share),
        euros(i.mean_standard_of_living),
        share(i.owner_share),
        share(i.imputed_population_share),
    );
}

const INDICATOR_HEADER: &str = "| | area (ha) | population | households | poor households | poor share | mean standard of living | owners | pop. in imputed cells |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";

fn threshold_text(t: &Threshold, proxy: IncomeProxy) -> String {
    let uu = if t.urban_unit_median_assumed {
        format!(
            "urban-unit median not given: the national median ({} €) stands in for it",
            int(t.urban_unit_median)
        )
    } else {
        format!("urban-unit median {} €", int(t.urban_unit_median))
    };
    let proxy = match proxy {
        IncomeProxy::MeanStandardOfLiving => "mean standard of living below S".to_string(),
        IncomeProxy::PoorHouseholdShare { min_share } => {
            format!("poor-household share at least {:.1} %", 100.0 * min_share)
        }
    };
    format!(
        "S = 0.6 × ({:.1} × {} € + {:.1} × urban-unit median) rounded up to 100 € = **{} €** \
         (national median: INSEE 2015; {uu}). Income proxy: {proxy}.",
        t.national_weight,
        int(t.national_median),
        1.0 - t.national_weight,
        int(t.value),
    )
}

fn codes_or_none(codes: &[String]) -> String {
    if codes.is_empty() {
        "none".into()
    } else {
        codes.join(", ")
    }
}

/// The one line saying what a perimeter test's "added" and "removed" are measured against
/// (Markdown, table and JSON `baseline_rule` carry it).
pub fn test_baseline_line(t: &PerimeterTest, baseline: Baseline) -> String {
    let which = match baseline {
        Baseline::Touched => "the current QPV this candidate overlaps",
        Baseline::All => "every current QPV",
    };
    format!(
        "Baseline: {which} ({}); added = candidate − baseline, removed = baseline − candidate \
         (`perimeter compare` measures against the union of the QPV any compared candidate \
         overlaps, so its figures can differ).",
        codes_or_none(&t.baseline_codes)
    )
}

/// The one line saying what a comparison's "added" and "removed" are measured against.
pub fn comparison_baseline_line(c: &Comparison, baseline: Baseline) -> String {
    let which = match baseline {
        Baseline::Touched => "the union of the current QPV any candidate overlaps",
        Baseline::All => "every current QPV",
    };
    format!(
        "Baseline: {which} ({}), the first row; added and removed population of every \
         candidate are against it (`perimeter test` measures against the QPV that one \
         candidate overlaps, so its figures can differ).",
        codes_or_none(&c.baseline_codes)
    )
}

/// The report of one perimeter test.
pub fn perimeter_test(t: &PerimeterTest, baseline: Baseline, grid: &GridSource) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Perimeter test: {}\n", t.name);
    let _ = writeln!(out, "{}\n", method(grid));
    let _ = writeln!(out, "{}\n", test_baseline_line(t, baseline));
    let _ = writeln!(out, "## Indicators\n");
    out.push_str(INDICATOR_HEADER);
    indicator_rows(&mut out, "candidate", &t.candidate.indicators);
    let base_label = if t.baseline_codes.is_empty() {
        "current QPV (none touched)".to_string()
    } else {
        format!("current QPV ({})", t.baseline_codes.join(", "))
    };
    indicator_rows(&mut out, &base_label, &t.baseline.indicators);
    indicator_rows(&mut out, "added", &t.added.indicators);
    indicator_rows(&mut out, "removed", &t.removed.indicators);
    let c = &t.candidate.indicators;
    if c.area_m2 > 0.0 && c.grid_area_m2 < 0.99 * c.area_m2 {
        let _ = writeln!(
            out,
            "\n{:.1} % of the candidate lies outside populated grid cells (no one counted there).",
            100.0 * (1.0 - c.grid_area_m2 / c.area_m2)
        );
    }

    overlap_section(&mut out, t);
    facility_section(&mut out, t);
    eligibility_section(&mut out, t);
    out
}

/// The overlap of a tested candidate with each current QPV.
fn overlap_section(out: &mut String, t: &PerimeterTest) {
    let _ = writeln!(out, "\n## Overlap with the current QPV\n");
    if t.overlaps.is_empty() {
        let _ = writeln!(out, "The candidate overlaps no current QPV.");
    } else {
        out.push_str("| QPV | name | QPV area (ha) | QPV population | overlap (ha) | overlap population | % of QPV area | % of QPV population | % of candidate area |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for o in &t.overlaps {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                o.code,
                o.name,
                ha(o.qpv_area_m2),
                int(o.qpv_population),
                ha(o.overlap_area_m2),
                int(o.overlap_population),
                pct(Some(o.pct_of_qpv_area)),
                pct(o.pct_of_qpv_population),
                pct(Some(o.pct_of_candidate_area)),
            );
        }
    }
}

/// The facilities inside and near a tested candidate, gained and lost.
fn facility_section(out: &mut String, t: &PerimeterTest) {
    let _ = writeln!(
        out,
        "\n## Facilities (inside, and within {} m)\n",
        int(t.options.facility_distance_m)
    );
    if t.facility_counts.is_empty() {
        let _ = writeln!(
            out,
            "No facility inside or near the candidate or the baseline."
        );
    } else {
        out.push_str("| category | inside | within distance | inside current QPV | gained | lost |\n|---|---:|---:|---:|---:|---:|\n");
        for c in &t.facility_counts {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                c.category, c.inside, c.within_distance, c.inside_baseline, c.gained, c.lost
            );
        }
        for (status, title) in [
            (
                FacilityStatus::Gained,
                "Gained (inside the candidate, not the current QPV)",
            ),
            (
                FacilityStatus::Lost,
                "Lost (inside the current QPV, not the candidate)",
            ),
        ] {
            let rows: Vec<_> = t.with_status(status).collect();
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title}:\n");
            for f in rows {
                let _ = writeln!(out, "- {} {} ({})", f.id, f.name, f.category);
            }
        }
    }
}

/// The eligibility of each continuous part of a tested candidate.
fn eligibility_section(out: &mut String, t: &PerimeterTest) {
    let _ = writeln!(out, "\n## Eligibility of each continuous part\n");
    let _ = writeln!(
        out,
        "{}\n",
        threshold_text(&t.threshold, t.options.eligibility.proxy)
    );
    if let Some(c) = &t.options.eligibility.calibration {
        let _ = writeln!(out, "{}\n", calibration_text(c));
    }
    out.push_str("| part | area (ha) | population | mean standard of living | poor share | margin to the proxy's reference | margin to S (decree formula on means) | eligible | why not |\n|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for p in &t.parts {
        let i = &p.piece.indicators;
        let margin = match t.options.eligibility.proxy {
            IncomeProxy::PoorHouseholdShare { .. } => p
                .assessment
                .margin_to_reference
                .map_or("–".into(), |m| format!("{:+.1} points", 100.0 * m)),
            IncomeProxy::MeanStandardOfLiving => euros(p.assessment.margin_to_reference),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.part,
            ha(i.area_m2),
            int(i.population),
            euros(i.mean_standard_of_living),
            share(i.poor_household_share),
            margin,
            euros(p.assessment.margin_to_decree_eur),
            if p.assessment.eligible { "yes" } else { "no" },
            p.assessment.reasons.join("; "),
        );
    }
}

/// How the calibrated reference was set, and the grid's limits.
pub fn calibration_text(c: &Calibration) -> String {
    format!(
        "Calibrated proxy: a part passes when its poor-household share is at least \
         **{}**, the lowest share among the official QPV on the same grid ({}; all: {}). \
         The grid has no medians and gives disposable, not declared, income, so the \
         decree's test cannot be applied as such: the margin to S (mean standard of living, \
         positive when below S) is shown beside it for reference.",
        share(Some(c.reference_share)),
        c.reference_code,
        calibration_levels(c)
    )
}

/// Up to this many official QPV, every level is listed; beyond (a national run), a summary.
const LEVELS_LISTED: usize = 12;

/// Each official QPV's level (`QP090001 38.5 %, …`) or, for more than [`LEVELS_LISTED`] QPV,
/// the five lowest, the median, the highest and how many have no grid cell.
fn calibration_levels(c: &Calibration) -> String {
    if c.qpv.len() <= LEVELS_LISTED {
        let levels: Vec<String> = c
            .qpv
            .iter()
            .map(|q| format!("{} {}", q.code, share(q.poor_share)))
            .collect();
        return levels.join(", ");
    }
    let mut known: Vec<(&str, f64)> = c
        .qpv
        .iter()
        .filter_map(|q| q.poor_share.map(|s| (q.code.as_str(), s)))
        .collect();
    known.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
    let lowest: Vec<String> = known
        .iter()
        .take(5)
        .map(|(code, s)| format!("{code} {}", share(Some(*s))))
        .collect();
    let n = known.len();
    let median = (n > 0).then(|| (known[(n - 1) / 2].1 + known[n / 2].1) / 2.0);
    let highest = known.last().map(|k| k.1);
    format!(
        "{} QPV; lowest: {}; median {}, highest {}; {} without grid cells",
        c.qpv.len(),
        lowest.join(", "),
        share(median),
        share(highest),
        c.qpv.len() - known.len()
    )
}

/// The side-by-side report of a comparison.
pub fn comparison(c: &Comparison, baseline: Baseline, grid: &GridSource) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Candidate perimeters compared\n");
    let _ = writeln!(
        out,
        "{} {}\n",
        comparison_baseline_line(c, baseline),
        method(grid)
    );
    out.push_str("| perimeter | area (ha) | population | poor share | mean standard of living | % area in current QPV | % of current population kept | added population | removed population | facilities inside | parts (eligible) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
    for r in &c.rows {
        let i = &r.indicators;
        let fac: Vec<String> = r
            .facilities_inside
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) |",
            r.name,
            ha(i.area_m2),
            int(i.population),
            share(i.poor_household_share),
            euros(i.mean_standard_of_living),
            pct(r.pct_area_in_current_qpv),
            pct(r.pct_of_current_population),
            int(r.added_population),
            int(r.removed_population),
            if fac.is_empty() {
                "–".into()
            } else {
                fac.join(", ")
            },
            r.parts,
            r.eligible_parts,
        );
    }
    out
}

/// The report of a simulation.
pub fn simulation(s: &Simulation, grid: &GridSource) -> String {
    let mut out = String::new();
    let o = &s.options;
    let crit = match o.criterion {
        Criterion::MeanIncomeBelow => {
            format!("mean standard of living below {} €", int(o.threshold))
        }
        Criterion::PoorShareAtLeast => {
            format!("poor-household share at least {:.1} %", 100.0 * o.threshold)
        }
    };
    let cont = match o.contiguity {
        Contiguity::Rook => "rook (shared edge)",
        Contiguity::Queen => "queen (shared edge or corner)",
    };
    let _ = writeln!(out, "# Simulated priority zones\n");
    if let Some(c) = &o.calibration {
        let _ = writeln!(out, "{}\n", calibration_text(c));
    }
    let _ = writeln!(
        out,
        "Cells marked when the {crit}; marked cells joined by {cont} contiguity; groups kept \
         with at least {} inhabitants{}.\n",
        int(o.min_population),
        if o.group_test {
            " and the group-level figure passing the same test"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "{} of {} cells marked ({} inhabitants), {} connected groups, {} zones kept. \
         IoU of all simulated zones with all official QPV: {:.3}.\n",
        s.marked_cells,
        s.cells,
        int(s.marked_population),
        s.groups,
        s.zones.len(),
        s.overall_iou
    );
    let _ = writeln!(
        out,
        "Grid: {}.\n\nWhy simulated and official zones differ: the grid's incomes are those \
         of {}, not necessarily the data INSEE used for the 2024 geography; the income test is a proxy (sums, not medians; \
         disposable, not declared income); official perimeters were redrawn by hand along \
         streets and blocks, simulated ones keep the 200 m staircase of the grid.\n",
        grid.label(),
        grid.vintage
            .map_or("an unstated year".to_string(), |y| y.to_string())
    );
    simulation_tables(&mut out, s);
    out
}

/// The tables of a simulation: its zones, the official QPV, the largest rejected groups.
fn simulation_tables(out: &mut String, s: &Simulation) {
    let _ = writeln!(out, "## Zones\n");
    out.push_str("| zone | cells | area (ha) | population | poor share | mean standard of living | best QPV | IoU |\n|---|---:|---:|---:|---:|---:|---|---:|\n");
    for z in &s.zones {
        let i = &z.piece.indicators;
        let (code, iou) = z
            .best_match()
            .map_or(("–".to_string(), "–".to_string()), |m| {
                (format!("{} {}", m.code, m.name), format!("{:.3}", m.iou))
            });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            z.id,
            z.cell_ids.len(),
            ha(i.area_m2),
            int(i.population),
            share(i.poor_household_share),
            euros(i.mean_standard_of_living),
            code,
            iou
        );
    }
    let _ = writeln!(out, "\n## Official QPV\n");
    out.push_str("| QPV | name | population (grid) | best zone | IoU | % area covered | % population covered |\n|---|---|---:|---|---:|---:|---:|\n");
    for q in &s.qpv {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.3} | {} | {} |",
            q.code,
            q.name,
            int(q.population),
            q.best_zone.as_deref().unwrap_or("–"),
            q.best_iou,
            pct(Some(q.pct_area_covered)),
            pct(q.pct_population_covered),
        );
    }
    if !s.rejected.is_empty() {
        let _ = writeln!(out, "\n## Largest rejected groups\n");
        out.push_str("| first cell | cells | population | reason |\n|---|---:|---:|---|\n");
        for r in s.rejected.iter().take(10) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                r.first_cell,
                r.cells,
                int(r.population),
                r.reason
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(int(63_478.5), "63,479");
        assert_eq!(int(999.4), "999");
        assert_eq!(int(1_000.0), "1,000");
        assert_eq!(int(-1_234_567.0), "-1,234,567");
        assert_eq!(int(-0.2), "0");
        assert_eq!(share(Some(0.3761)), "37.6 %");
        assert_eq!(share(None), "–");
        assert_eq!(ha(577_528.0), "57.75");
    }

    fn level(code: &str, poor_share: Option<f64>) -> crate::analysis::calibration::QpvLevel {
        crate::analysis::calibration::QpvLevel {
            code: code.into(),
            name: code.into(),
            population: 1.0,
            poor_share,
            mean_standard_of_living: None,
        }
    }

    #[test]
    fn calibration_levels_list_a_territory_and_summarise_a_country() {
        let few = Calibration {
            reference_share: 0.2,
            reference_code: "A".into(),
            qpv: vec![level("A", Some(0.2)), level("B", None)],
        };
        assert_eq!(calibration_levels(&few), "A 20.0 %, B –");
        // 14 QPV (shares 10 %, 11 %, …, 22 %, one without cells): a summary, not 14 items.
        let mut qpv: Vec<_> = (0..13)
            .map(|i| level(&format!("Q{i:02}"), Some(0.10 + 0.01 * f64::from(i))))
            .collect();
        qpv.push(level("QX", None));
        qpv.reverse();
        let many = Calibration {
            reference_share: 0.1,
            reference_code: "Q00".into(),
            qpv,
        };
        assert_eq!(
            calibration_levels(&many),
            "14 QPV; lowest: Q00 10.0 %, Q01 11.0 %, Q02 12.0 %, Q03 13.0 %, Q04 14.0 %; \
             median 16.0 %, highest 22.0 %; 1 without grid cells"
        );
    }
}
