//! Markdown reports of perimeter tests, comparisons and simulations: what a planner reads, in
//! French by default ([`Lang::Fr`], numbers as `1 234,5`, `22,6 %`) or in English.
//! Fixed number formats (integers with thousands separators, one decimal for percentages) so
//! that reports are byte-for-byte reproducible.

use std::fmt::Write;

use super::access_views::{counted, grid_label};
use super::category_style;
use super::report_html::{Lang, digits_in, int_in, tr};
use crate::analysis::calibration::Calibration;
use crate::analysis::eligibility::{Assessment, EligibilityOptions, IncomeProxy, Threshold};
use crate::analysis::interpolate::Indicators;
use crate::analysis::perimeter::{Baseline, Comparison, FacilityStatus, PerimeterTest};
use crate::analysis::simulate::{
    Contiguity, Criterion, RejectedGroup, SimulateOptions, Simulation,
};
use crate::model::GridSource;

/// `63478.5` → `63,479` (English; [`int_in`] for French).
pub fn int(x: f64) -> String {
    int_in(x, Lang::En)
}

/// A share 0–1 as `37.6 %`, `–` when unknown.
pub fn share(x: Option<f64>) -> String {
    share_in(x, Lang::En)
}

/// A percentage 0–100 as `37.6 %`.
pub fn pct(x: Option<f64>) -> String {
    pct_in(x, Lang::En)
}

/// Hectares with two decimals.
pub fn ha(m2: f64) -> String {
    ha_in(m2, Lang::En)
}

/// `digits` as `format!` writes them (`1234.5`, unsigned), with the separators of `lang`:
/// unchanged in English, `1 234,5` in French.
fn local(digits: String, lang: Lang) -> String {
    match lang {
        Lang::En => digits,
        Lang::Fr => digits_in(&digits, lang),
    }
}

/// The space before `%` and `€`: a no-break space in French.
fn unit_space(lang: Lang) -> &'static str {
    tr(lang, "\u{a0}", " ")
}

/// A percentage 0–100 with one decimal: `37.6 %`, `37,6 %` in French.
fn percent(v: f64, lang: Lang) -> String {
    format!("{}{}%", local(format!("{v:.1}"), lang), unit_space(lang))
}

/// A share 0–1 as a percentage in `lang`, `–` when unknown.
fn share_in(x: Option<f64>, lang: Lang) -> String {
    x.map_or("–".into(), |v| percent(100.0 * v, lang))
}

/// A percentage 0–100 in `lang`, `–` when unknown.
fn pct_in(x: Option<f64>, lang: Lang) -> String {
    x.map_or("–".into(), |v| percent(v, lang))
}

/// Hectares with two decimals in `lang`.
fn ha_in(m2: f64, lang: Lang) -> String {
    local(format!("{:.2}", m2 / 10_000.0), lang)
}

/// An IoU with three decimals in `lang`.
fn iou_in(x: f64, lang: Lang) -> String {
    local(format!("{x:.3}"), lang)
}

/// A count: as is in English, grouped by three in French.
fn count_in(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => n.to_string(),
        Lang::Fr => int_in(n as f64, lang),
    }
}

fn euros(x: Option<f64>, lang: Lang) -> String {
    x.map_or("–".into(), |v| {
        format!("{}{}€", int_in(v, lang), unit_space(lang))
    })
}

/// A signed difference of shares in percentage points (`+13.2 points`).
fn points(m: f64, lang: Lang) -> String {
    let v = 100.0 * m;
    match lang {
        Lang::En => format!("{v:+.1} points"),
        Lang::Fr => {
            let sign = if v.is_sign_negative() { "-" } else { "+" };
            format!("{sign}{} points", local(format!("{:.1}", v.abs()), lang))
        }
    }
}

/// A facility category as people call it in French (singular, plural); the code itself in
/// English and for a category of the user's own.
fn category_names(code: &str, lang: Lang) -> (&str, &str) {
    match (lang, category_style::find(code)) {
        (Lang::Fr, Some(style)) => style.fr,
        _ => (code, code),
    }
}

/// The method paragraph, naming the grid used.
fn method(grid: &GridSource, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Grid: {}. Population figures are estimates: each 200 m cell contributes \
             the share of its area inside the perimeter (people assumed evenly spread in a cell). \
             Filosofi publishes sums, not medians: the income figure is a mean standard of living \
             (Ind_snv / Ind), which exceeds the median, and it is disposable income where the \
             decree uses declared income.",
            grid.label()
        ),
        Lang::Fr => format!(
            "Grille : {}. Les populations sont des estimations : chaque carreau de 200 m compte \
             pour la part de sa surface située dans le périmètre (habitants supposés répartis \
             uniformément dans le carreau). Filosofi publie des sommes, pas des médianes : le \
             revenu indiqué est un niveau de vie moyen (Ind_snv / Ind), supérieur à la médiane, \
             et c'est un revenu disponible là où le décret retient le revenu déclaré.",
            grid_label(grid, lang)
        ),
    }
}

fn indicator_rows(out: &mut String, label: &str, i: &Indicators, lang: Lang) {
    let _ = writeln!(
        out,
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
        ha_in(i.area_m2, lang),
        int_in(i.population, lang),
        int_in(i.households, lang),
        int_in(i.poor_households, lang),
        share_in(i.poor_household_share, lang),
        euros(i.mean_standard_of_living, lang),
        share_in(i.owner_share, lang),
        share_in(i.imputed_population_share, lang),
    );
}

const INDICATOR_HEADER: &str = "| | area (ha) | population | households | poor households | poor share | mean standard of living | owners | pop. in imputed cells |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";

const INDICATOR_HEADER_FR: &str = "| | superficie (ha) | population | ménages | ménages pauvres | part de ménages pauvres | niveau de vie moyen | propriétaires | pop. des carreaux imputés |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";

/// The income test of the proxy in words (`poor-household share at least 24.0 %`).
fn proxy_text(proxy: IncomeProxy, lang: Lang) -> String {
    match (proxy, lang) {
        (IncomeProxy::MeanStandardOfLiving, _) => tr(
            lang,
            "niveau de vie moyen inférieur à S",
            "mean standard of living below S",
        )
        .to_string(),
        (IncomeProxy::PoorHouseholdShare { min_share }, Lang::En) => {
            format!("poor-household share at least {:.1} %", 100.0 * min_share)
        }
        (IncomeProxy::PoorHouseholdShare { min_share }, Lang::Fr) => format!(
            "part de ménages pauvres d'au moins {}",
            share_in(Some(min_share), lang)
        ),
    }
}

fn threshold_text(t: &Threshold, proxy: IncomeProxy, lang: Lang) -> String {
    let median = euros(Some(t.urban_unit_median), lang);
    let proxy = proxy_text(proxy, lang);
    let weights = (
        local(format!("{:.1}", t.national_weight), lang),
        local(format!("{:.1}", 1.0 - t.national_weight), lang),
    );
    let (national, value) = (
        euros(Some(t.national_median), lang),
        euros(Some(t.value), lang),
    );
    match lang {
        Lang::En => {
            let uu = if t.urban_unit_median_assumed {
                format!(
                    "urban-unit median not given: the national median ({median}) stands in for it"
                )
            } else {
                format!("urban-unit median {median}")
            };
            format!(
                "S = 0.6 × ({} × {national} + {} × urban-unit median) rounded up to 100 € = \
                 **{value}** (national median: INSEE 2015; {uu}). Income proxy: {proxy}.",
                weights.0, weights.1
            )
        }
        Lang::Fr => {
            let uu = if t.urban_unit_median_assumed {
                format!(
                    "médiane de l'unité urbaine non fournie : la médiane nationale ({median}) \
                     en tient lieu"
                )
            } else {
                format!("médiane de l'unité urbaine : {median}")
            };
            format!(
                "S = 0,6 × ({} × {national} + {} × médiane de l'unité urbaine), arrondi à la \
                 centaine d'euros supérieure = **{value}** (médiane nationale : Insee 2015 ; \
                 {uu}). Proxy de revenu retenu : {proxy}.",
                weights.0, weights.1
            )
        }
    }
}

fn codes_or_none(codes: &[String], lang: Lang) -> String {
    if codes.is_empty() {
        tr(lang, "aucun", "none").into()
    } else {
        codes.join(", ")
    }
}

/// The one line saying what a perimeter test's "added" and "removed" are measured against
/// (Markdown, table and JSON `baseline_rule` carry it; the JSON always in English).
pub fn test_baseline_line(t: &PerimeterTest, baseline: Baseline, lang: Lang) -> String {
    let codes = codes_or_none(&t.baseline_codes, lang);
    match lang {
        Lang::En => {
            let which = match baseline {
                Baseline::Touched => "the current QPV this candidate overlaps",
                Baseline::All => "every current QPV",
            };
            format!(
                "Baseline: {which} ({codes}); added = candidate − baseline, removed = baseline − \
                 candidate (`perimeter compare` measures against the union of the QPV any \
                 compared candidate overlaps, so its figures can differ)."
            )
        }
        Lang::Fr => {
            let which = match baseline {
                Baseline::Touched => "les QPV actuels que ce candidat recoupe",
                Baseline::All => "tous les QPV actuels",
            };
            format!(
                "Référence : {which} ({codes}) ; partie ajoutée = candidat − référence, partie \
                 retirée = référence − candidat (`perimeter compare` mesure par rapport à \
                 l'union des QPV que recoupe l'un des candidats comparés : ses chiffres peuvent \
                 donc différer)."
            )
        }
    }
}

/// The one line saying what a comparison's "added" and "removed" are measured against.
pub fn comparison_baseline_line(c: &Comparison, baseline: Baseline, lang: Lang) -> String {
    let codes = codes_or_none(&c.baseline_codes, lang);
    match lang {
        Lang::En => {
            let which = match baseline {
                Baseline::Touched => "the union of the current QPV any candidate overlaps",
                Baseline::All => "every current QPV",
            };
            format!(
                "Baseline: {which} ({codes}), the first row; added and removed population of \
                 every candidate are against it (`perimeter test` measures against the QPV \
                 that one candidate overlaps, so its figures can differ)."
            )
        }
        Lang::Fr => {
            let which = match baseline {
                Baseline::Touched => "l'union des QPV actuels que recoupe l'un des candidats",
                Baseline::All => "tous les QPV actuels",
            };
            format!(
                "Référence : {which} ({codes}), en première ligne ; la population ajoutée et la \
                 population retirée de chaque candidat sont mesurées par rapport à elle \
                 (`perimeter test` mesure par rapport aux seuls QPV que recoupe le candidat \
                 testé : ses chiffres peuvent donc différer)."
            )
        }
    }
}

/// The report of one perimeter test, in `lang`.
pub fn perimeter_test(
    t: &PerimeterTest,
    baseline: Baseline,
    grid: &GridSource,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let title = tr(lang, "Test de périmètre :", "Perimeter test:");
    let _ = writeln!(out, "# {title} {}\n", t.name);
    let _ = writeln!(out, "{}\n", method(grid, lang));
    let _ = writeln!(out, "{}\n", test_baseline_line(t, baseline, lang));
    let _ = writeln!(out, "## {}\n", tr(lang, "Indicateurs", "Indicators"));
    out.push_str(tr(lang, INDICATOR_HEADER_FR, INDICATOR_HEADER));
    let current = tr(lang, "QPV actuels", "current QPV");
    let base_label = if t.baseline_codes.is_empty() {
        format!("{current} ({})", tr(lang, "aucun recoupé", "none touched"))
    } else {
        format!("{current} ({})", t.baseline_codes.join(", "))
    };
    let rows = [
        (tr(lang, "candidat", "candidate"), &t.candidate),
        (&base_label, &t.baseline),
        (tr(lang, "partie ajoutée", "added"), &t.added),
        (tr(lang, "partie retirée", "removed"), &t.removed),
    ];
    for (label, piece) in rows {
        indicator_rows(&mut out, label, &piece.indicators, lang);
    }
    let c = &t.candidate.indicators;
    if c.area_m2 > 0.0 && c.grid_area_m2 < 0.99 * c.area_m2 {
        let outside = percent(100.0 * (1.0 - c.grid_area_m2 / c.area_m2), lang);
        let _ = writeln!(
            out,
            "\n{outside} {}",
            tr(
                lang,
                "de la surface du candidat est hors des carreaux habités (aucun habitant n'y est \
                 compté).",
                "of the candidate lies outside populated grid cells (no one counted there)."
            )
        );
    }

    overlap_section(&mut out, t, lang);
    facility_section(&mut out, t, lang);
    eligibility_section(&mut out, t, lang);
    out
}

/// The overlap of a tested candidate with each current QPV.
fn overlap_section(out: &mut String, t: &PerimeterTest, lang: Lang) {
    let _ = writeln!(
        out,
        "\n## {}\n",
        tr(
            lang,
            "Recoupement avec les QPV actuels",
            "Overlap with the current QPV"
        )
    );
    if t.overlaps.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            tr(
                lang,
                "Le candidat ne recoupe aucun QPV actuel.",
                "The candidate overlaps no current QPV."
            )
        );
    } else {
        out.push_str(tr(
            lang,
            "| QPV | nom | superficie du QPV (ha) | population du QPV | recoupement (ha) | population du recoupement | % de la superficie du QPV | % de la population du QPV | % de la superficie du candidat |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
            "| QPV | name | QPV area (ha) | QPV population | overlap (ha) | overlap population | % of QPV area | % of QPV population | % of candidate area |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
        ));
        for o in &t.overlaps {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                o.code,
                o.name,
                ha_in(o.qpv_area_m2, lang),
                int_in(o.qpv_population, lang),
                ha_in(o.overlap_area_m2, lang),
                int_in(o.overlap_population, lang),
                pct_in(Some(o.pct_of_qpv_area), lang),
                pct_in(o.pct_of_qpv_population, lang),
                pct_in(Some(o.pct_of_candidate_area), lang),
            );
        }
    }
}

/// The facilities inside and near a tested candidate, gained and lost.
fn facility_section(out: &mut String, t: &PerimeterTest, lang: Lang) {
    let distance = int_in(t.options.facility_distance_m, lang);
    let _ = match lang {
        Lang::En => writeln!(out, "\n## Facilities (inside, and within {distance} m)\n"),
        Lang::Fr => writeln!(
            out,
            "\n## Équipements (dans le périmètre, et à moins de {distance} m)\n"
        ),
    };
    if t.facility_counts.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            tr(
                lang,
                "Aucun équipement dans le candidat ou la référence, ni à proximité.",
                "No facility inside or near the candidate or the baseline."
            )
        );
        return;
    }
    out.push_str(tr(
        lang,
        "| catégorie | dans le candidat | à proximité | dans les QPV actuels | gagnés | perdus |\n|---|---:|---:|---:|---:|---:|\n",
        "| category | inside | within distance | inside current QPV | gained | lost |\n|---|---:|---:|---:|---:|---:|\n",
    ));
    for c in &t.facility_counts {
        let n = |n: usize| count_in(n, lang);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            category_names(&c.category, lang).0,
            n(c.inside),
            n(c.within_distance),
            n(c.inside_baseline),
            n(c.gained),
            n(c.lost)
        );
    }
    for (status, title) in [
        (
            FacilityStatus::Gained,
            tr(
                lang,
                "Équipements gagnés (dans le candidat, pas dans les QPV actuels)",
                "Gained (inside the candidate, not the current QPV)",
            ),
        ),
        (
            FacilityStatus::Lost,
            tr(
                lang,
                "Équipements perdus (dans les QPV actuels, pas dans le candidat)",
                "Lost (inside the current QPV, not the candidate)",
            ),
        ),
    ] {
        let rows: Vec<_> = t.with_status(status).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}{}\n", tr(lang, " :", ":"));
        for f in rows {
            let category = category_names(f.category.as_str(), lang).0;
            let _ = writeln!(out, "- {} {} ({category})", f.id, f.name);
        }
    }
}

/// "population de 956 inférieure à 1 000".
fn population_below_fr(population: f64, min_population: f64) -> String {
    format!(
        "population de {} inférieure à {}",
        int_in(population, Lang::Fr),
        int_in(min_population, Lang::Fr)
    )
}

/// Why a part fails, in French: the reasons [`crate::analysis::eligibility::assess`] gives in
/// English, in the same order, from the same figures.
fn reasons_fr(a: &Assessment, i: &Indicators, o: &EligibilityOptions) -> String {
    let lang = Lang::Fr;
    let mut reasons = Vec::new();
    if !a.population_ok {
        reasons.push(population_below_fr(i.population, o.min_population));
    }
    match (a.income_ok, o.proxy) {
        (Some(false), IncomeProxy::MeanStandardOfLiving) => reasons.push(format!(
            "niveau de vie moyen de {} non inférieur à S = {}",
            euros(Some(a.proxy_value.unwrap_or_default()), lang),
            euros(Some(a.threshold), lang)
        )),
        (Some(false), IncomeProxy::PoorHouseholdShare { min_share }) => reasons.push(format!(
            "part de ménages pauvres de {} inférieure à {}",
            share_in(Some(a.proxy_value.unwrap_or_default()), lang),
            share_in(Some(min_share), lang)
        )),
        (None, _) => reasons.push("aucun ménage : revenu impossible à évaluer".into()),
        (Some(true), _) => {}
    }
    if a.urban_unit_ok == Some(false) {
        reasons.push("unité urbaine de moins de 10\u{202f}000 habitants".into());
    }
    reasons.join(" ; ")
}

/// The eligibility of each continuous part of a tested candidate.
fn eligibility_section(out: &mut String, t: &PerimeterTest, lang: Lang) {
    let options = &t.options.eligibility;
    let _ = writeln!(
        out,
        "\n## {}\n",
        tr(
            lang,
            "Éligibilité de chaque partie continue",
            "Eligibility of each continuous part"
        )
    );
    let _ = writeln!(
        out,
        "{}\n",
        threshold_text(&t.threshold, options.proxy, lang)
    );
    if let Some(c) = &options.calibration {
        let _ = writeln!(out, "{}\n", calibration_text(c, lang));
    }
    out.push_str(tr(
        lang,
        "| partie | superficie (ha) | population | niveau de vie moyen | part de ménages pauvres | écart à la référence du proxy | écart à S (formule du décret sur les moyennes) | éligible | pourquoi pas |\n|---:|---:|---:|---:|---:|---:|---:|---|---|\n",
        "| part | area (ha) | population | mean standard of living | poor share | margin to the proxy's reference | margin to S (decree formula on means) | eligible | why not |\n|---:|---:|---:|---:|---:|---:|---:|---|---|\n",
    ));
    for p in &t.parts {
        let i = &p.piece.indicators;
        let a = &p.assessment;
        let margin = match options.proxy {
            IncomeProxy::PoorHouseholdShare { .. } => a
                .margin_to_reference
                .map_or("–".into(), |m| points(m, lang)),
            IncomeProxy::MeanStandardOfLiving => euros(a.margin_to_reference, lang),
        };
        let why_not = match lang {
            Lang::En => a.reasons.join("; "),
            Lang::Fr => reasons_fr(a, i, options),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            count_in(p.part, lang),
            ha_in(i.area_m2, lang),
            int_in(i.population, lang),
            euros(i.mean_standard_of_living, lang),
            share_in(i.poor_household_share, lang),
            margin,
            euros(a.margin_to_decree_eur, lang),
            if a.eligible {
                tr(lang, "oui", "yes")
            } else {
                tr(lang, "non", "no")
            },
            why_not,
        );
    }
}

/// How the calibrated reference was set, and the grid's limits, in `lang`.
pub fn calibration_text(c: &Calibration, lang: Lang) -> String {
    let (reference, code) = (share_in(Some(c.reference_share), lang), &c.reference_code);
    let levels = calibration_levels(c, lang);
    match lang {
        Lang::En => format!(
            "Calibrated proxy: a part passes when its poor-household share is at least \
             **{reference}**, the lowest share among the official QPV on the same grid ({code}; \
             all: {levels}). The grid has no medians and gives disposable, not declared, income, \
             so the decree's test cannot be applied as such: the margin to S (mean standard of \
             living, positive when below S) is shown beside it for reference."
        ),
        Lang::Fr => format!(
            "Proxy calibré : une partie passe le critère quand sa part de ménages pauvres est \
             d'au moins **{reference}**, la part la plus basse des QPV officiels sur la même \
             grille ({code} ; tous : {levels}). La grille ne donne pas de médianes, et donne le \
             revenu disponible, non le revenu déclaré : le critère du décret ne peut donc pas \
             être appliqué tel quel ; l'écart à S (niveau de vie moyen, positif quand il est \
             sous S) est donné à côté pour information."
        ),
    }
}

/// Up to this many official QPV, every level is listed; beyond (a national run), a summary.
const LEVELS_LISTED: usize = 12;

/// Each official QPV's level (`QP090001 38.5 %, …`) or, for more than [`LEVELS_LISTED`] QPV,
/// the five lowest, the median, the highest and how many have no grid cell.
fn calibration_levels(c: &Calibration, lang: Lang) -> String {
    if c.qpv.len() <= LEVELS_LISTED {
        let levels: Vec<String> = c
            .qpv
            .iter()
            .map(|q| format!("{} {}", q.code, share_in(q.poor_share, lang)))
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
        .map(|(code, s)| format!("{code} {}", share_in(Some(*s), lang)))
        .collect();
    let n = known.len();
    let median = (n > 0).then(|| (known[(n - 1) / 2].1 + known[n / 2].1) / 2.0);
    let highest = known.last().map(|k| k.1);
    let (all, lowest) = (count_in(c.qpv.len(), lang), lowest.join(", "));
    let (median, highest) = (share_in(median, lang), share_in(highest, lang));
    let without = count_in(c.qpv.len() - known.len(), lang);
    match lang {
        Lang::En => format!(
            "{all} QPV; lowest: {lowest}; median {median}, highest {highest}; {without} without \
             grid cells"
        ),
        Lang::Fr => format!(
            "{all} QPV ; les plus basses : {lowest} ; médiane {median}, maximum {highest} ; \
             {without} sans carreau de la grille"
        ),
    }
}

/// The side-by-side report of a comparison, in `lang`.
pub fn comparison(c: &Comparison, baseline: Baseline, grid: &GridSource, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        tr(
            lang,
            "Périmètres candidats comparés",
            "Candidate perimeters compared"
        )
    );
    let _ = writeln!(
        out,
        "{} {}\n",
        comparison_baseline_line(c, baseline, lang),
        method(grid, lang)
    );
    out.push_str(tr(
        lang,
        "| périmètre | superficie (ha) | population | part de ménages pauvres | niveau de vie moyen | % de la superficie dans les QPV actuels | % de la population actuelle conservée | population ajoutée | population retirée | équipements dans le périmètre | parties (éligibles) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n",
        "| perimeter | area (ha) | population | poor share | mean standard of living | % area in current QPV | % of current population kept | added population | removed population | facilities inside | parts (eligible) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n",
    ));
    for (row, r) in c.rows.iter().enumerate() {
        let i = &r.indicators;
        let fac: Vec<String> = r
            .facilities_inside
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| match lang {
                Lang::En => format!("{k} {n}"),
                Lang::Fr => {
                    let (one, many) = category_names(k, lang);
                    counted(*n, lang, one, many)
                }
            })
            .collect();
        // The first row is the baseline (named `current QPV` by the comparison).
        let name = match lang {
            Lang::Fr if row == 0 => "QPV actuels",
            _ => r.name.as_str(),
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) |",
            ha_in(i.area_m2, lang),
            int_in(i.population, lang),
            share_in(i.poor_household_share, lang),
            euros(i.mean_standard_of_living, lang),
            pct_in(r.pct_area_in_current_qpv, lang),
            pct_in(r.pct_of_current_population, lang),
            int_in(r.added_population, lang),
            int_in(r.removed_population, lang),
            if fac.is_empty() {
                "–".into()
            } else {
                fac.join(", ")
            },
            count_in(r.parts, lang),
            count_in(r.eligible_parts, lang),
        );
    }
    out
}

/// The first paragraphs of a simulation: how cells are marked and joined, what was found.
fn simulation_summary(s: &Simulation, lang: Lang) -> String {
    let o = &s.options;
    let (threshold, min_population) = (o.threshold, int_in(o.min_population, lang));
    let (cells, marked_population) = (count_in(s.cells, lang), int_in(s.marked_population, lang));
    let iou = iou_in(s.overall_iou, lang);
    let crit = match o.criterion {
        Criterion::MeanIncomeBelow => format!(
            "{} {}",
            tr(
                lang,
                "le niveau de vie moyen est inférieur à",
                "mean standard of living below"
            ),
            euros(Some(threshold), lang)
        ),
        Criterion::PoorShareAtLeast => format!(
            "{} {}",
            tr(
                lang,
                "la part de ménages pauvres est d'au moins",
                "poor-household share at least"
            ),
            share_in(Some(threshold), lang)
        ),
    };
    let cont = match o.contiguity {
        Contiguity::Rook => tr(
            lang,
            "ont un côté commun (contiguïté « tour »)",
            "rook (shared edge)",
        ),
        Contiguity::Queen => tr(
            lang,
            "ont un côté ou un coin commun (contiguïté « reine »)",
            "queen (shared edge or corner)",
        ),
    };
    let group = if o.group_test {
        tr(
            lang,
            " et que le groupe dans son ensemble passe le même critère",
            " and the group-level figure passing the same test",
        )
    } else {
        ""
    };
    match lang {
        Lang::En => format!(
            "Cells marked when the {crit}; marked cells joined by {cont} contiguity; groups \
             kept with at least {min_population} inhabitants{group}.\n\n{} of {cells} cells \
             marked ({marked_population} inhabitants), {} connected groups, {} zones kept. \
             IoU of all simulated zones with all official QPV: {iou}.\n",
            s.marked_cells,
            s.groups,
            s.zones.len()
        ),
        Lang::Fr => {
            let marked = counted(s.marked_cells, lang, "carreau marqué", "carreaux marqués");
            let people = counted(
                s.marked_population.round().max(0.0) as usize,
                lang,
                "habitant",
                "habitants",
            );
            let groups = counted(s.groups, lang, "groupe contigu", "groupes contigus");
            let zones = counted(s.zones.len(), lang, "zone conservée", "zones conservées");
            format!(
                "Carreaux marqués quand {crit} ; les carreaux marqués sont réunis quand ils \
                 {cont} ; groupes conservés quand ils comptent au moins {min_population} \
                 habitants{group}.\n\n{marked} sur {cells} ({people}), {groups}, {zones}. IoU \
                 (indice de Jaccard) de l'ensemble des zones simulées avec l'ensemble des QPV \
                 officiels : {iou}.\n"
            )
        }
    }
}

/// The report of a simulation, in `lang`.
pub fn simulation(s: &Simulation, grid: &GridSource, lang: Lang) -> String {
    let mut out = String::new();
    let o = &s.options;
    let title = tr(
        lang,
        "Zones prioritaires simulées",
        "Simulated priority zones",
    );
    let _ = writeln!(out, "# {title}\n");
    if let Some(c) = &o.calibration {
        let _ = writeln!(out, "{}\n", calibration_text(c, lang));
    }
    let _ = writeln!(out, "{}", simulation_summary(s, lang));
    let grid_name = grid_label(grid, lang);
    let _ = match (lang, grid.vintage) {
        (Lang::En, vintage) => writeln!(
            out,
            "Grid: {grid_name}.\n\nWhy simulated and official zones differ: the grid's incomes \
             are those of {}, not necessarily the data INSEE used for the 2024 geography; the \
             income test is a proxy (sums, not medians; disposable, not declared income); \
             official perimeters were redrawn by hand along streets and blocks, simulated ones \
             keep the 200 m staircase of the grid.\n",
            vintage.map_or("an unstated year".to_string(), |y| y.to_string())
        ),
        (Lang::Fr, vintage) => writeln!(
            out,
            "Grille : {grid_name}.\n\nPourquoi les zones simulées diffèrent des QPV officiels : \
             les revenus de la grille sont ceux {}, pas forcément les données que l'Insee a \
             utilisées pour la géographie prioritaire de 2024 ; le critère de revenu est un \
             proxy (des sommes, pas des médianes ; le revenu disponible, pas le revenu \
             déclaré) ; les périmètres officiels ont été redessinés à la main le long des rues \
             et des îlots, les zones simulées gardent les marches d'escalier de 200 m de la \
             grille.\n",
            vintage.map_or("d'une année non précisée".to_string(), |y| format!(
                "de {y}"
            ))
        ),
    };
    simulation_tables(&mut out, s, lang);
    out
}

/// Why a group was rejected, in French: the reasons the simulation gives in English, in the
/// same order, from the same figures.
fn rejected_reason_fr(r: &RejectedGroup, o: &SimulateOptions) -> String {
    let mut reasons = Vec::new();
    if r.population < o.min_population {
        reasons.push(population_below_fr(r.population, o.min_population));
    }
    if o.group_test && !o.criterion.passes(r.proxy_value, o.threshold) {
        reasons.push("le groupe dans son ensemble ne passe pas le critère".to_string());
    }
    reasons.join(" ; ")
}

/// The tables of a simulation: its zones, the official QPV, the largest rejected groups.
fn simulation_tables(out: &mut String, s: &Simulation, lang: Lang) {
    let _ = writeln!(out, "## {}\n", tr(lang, "Zones simulées", "Zones"));
    out.push_str(tr(
        lang,
        "| zone | carreaux | superficie (ha) | population | part de ménages pauvres | niveau de vie moyen | meilleur QPV | IoU |\n|---|---:|---:|---:|---:|---:|---|---:|\n",
        "| zone | cells | area (ha) | population | poor share | mean standard of living | best QPV | IoU |\n|---|---:|---:|---:|---:|---:|---|---:|\n",
    ));
    for z in &s.zones {
        let i = &z.piece.indicators;
        let (code, iou) = z
            .best_match()
            .map_or(("–".to_string(), "–".to_string()), |m| {
                (format!("{} {}", m.code, m.name), iou_in(m.iou, lang))
            });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            z.id,
            count_in(z.cell_ids.len(), lang),
            ha_in(i.area_m2, lang),
            int_in(i.population, lang),
            share_in(i.poor_household_share, lang),
            euros(i.mean_standard_of_living, lang),
            code,
            iou
        );
    }
    let _ = writeln!(out, "\n## {}\n", tr(lang, "QPV officiels", "Official QPV"));
    out.push_str(tr(
        lang,
        "| QPV | nom | population (grille) | meilleure zone | IoU | % de la superficie couverte | % de la population couverte |\n|---|---|---:|---|---:|---:|---:|\n",
        "| QPV | name | population (grid) | best zone | IoU | % area covered | % population covered |\n|---|---|---:|---|---:|---:|---:|\n",
    ));
    for q in &s.qpv {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            q.code,
            q.name,
            int_in(q.population, lang),
            q.best_zone.as_deref().unwrap_or("–"),
            iou_in(q.best_iou, lang),
            pct_in(Some(q.pct_area_covered), lang),
            pct_in(q.pct_population_covered, lang),
        );
    }
    if !s.rejected.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n",
            tr(
                lang,
                "Plus grands groupes écartés",
                "Largest rejected groups"
            )
        );
        out.push_str(tr(
            lang,
            "| premier carreau | carreaux | population | motif |\n|---|---:|---:|---|\n",
            "| first cell | cells | population | reason |\n|---|---:|---:|---|\n",
        ));
        for r in s.rejected.iter().take(10) {
            let reason = match lang {
                Lang::En => r.reason.clone(),
                Lang::Fr => rejected_reason_fr(r, &s.options),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {reason} |",
                r.first_cell,
                count_in(r.cells, lang),
                int_in(r.population, lang),
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
        assert_eq!(int(f64::NAN), "–");
        assert_eq!(share(Some(0.3761)), "37.6 %");
        assert_eq!(share(None), "–");
        assert_eq!(ha(577_528.0), "57.75");
    }

    // French: narrow no-break space between thousands, decimal comma, no-break space before
    // `%` and `€` (never `1,000`, which reads as one).
    #[test]
    fn french_formats() {
        let fr = Lang::Fr;
        assert_eq!(int_in(1_000.0, fr), "1\u{202f}000");
        assert_eq!(share_in(Some(0.3761), fr), "37,6\u{a0}%");
        assert_eq!(pct_in(Some(100.0), fr), "100,0\u{a0}%");
        assert_eq!(ha_in(12_345_678.0, fr), "1\u{202f}234,57");
        assert_eq!(euros(Some(-4_040.0), fr), "-4\u{202f}040\u{a0}€");
        assert_eq!(iou_in(0.1774, fr), "0,177");
        assert_eq!(points(0.132, fr), "+13,2 points");
        assert_eq!(points(-1.0, fr), "-100,0 points");
        assert_eq!(points(0.132, Lang::En), "+13.2 points");
        assert_eq!(count_in(3490, fr), "3\u{202f}490");
        assert_eq!(count_in(3490, Lang::En), "3490");
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
        assert_eq!(calibration_levels(&few, Lang::En), "A 20.0 %, B –");
        assert_eq!(calibration_levels(&few, Lang::Fr), "A 20,0\u{a0}%, B –");
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
            calibration_levels(&many, Lang::En),
            "14 QPV; lowest: Q00 10.0 %, Q01 11.0 %, Q02 12.0 %, Q03 13.0 %, Q04 14.0 %; \
             median 16.0 %, highest 22.0 %; 1 without grid cells"
        );
        assert_eq!(
            calibration_levels(&many, Lang::Fr).replace('\u{a0}', " "),
            "14 QPV ; les plus basses : Q00 10,0 %, Q01 11,0 %, Q02 12,0 %, Q03 13,0 %, \
             Q04 14,0 % ; médiane 16,0 %, maximum 22,0 % ; 1 sans carreau de la grille"
        );
    }
}
