//! `qpv report` end to end on the embedded data, checked the way a reader meets it: the HTML
//! fetches nothing, every QPV has its fiche, every number shown is one the JSON carries (the
//! report's own JSON and `qpv coverage --format json`), and the Contrat de Ville's table
//! "collèges dans le quartier ou à moins de 300 m" is exactly the verified coverage result.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::prelude::*;
use serde_json::Value;

use common::qpv;

/// Runs `qpv ARGS -o dir/name` and returns the file's text.
fn output_of(dir: &Path, name: &str, args: &[&str]) -> String {
    let path = dir.join(name);
    qpv().args(args).arg("-o").arg(&path).assert().success();
    std::fs::read_to_string(path).unwrap()
}

struct Rendered {
    html: String,
    report: Value,
    coverage: Value,
}

fn render(lang: &str) -> Rendered {
    let dir = tempfile::tempdir().unwrap();
    Rendered {
        html: output_of(dir.path(), "r.html", &["report", "--lang", lang]),
        report: serde_json::from_str(&output_of(dir.path(), "r.json", &["report"])).unwrap(),
        coverage: serde_json::from_str(&output_of(
            dir.path(),
            "c.json",
            &["coverage", "--format", "json"],
        ))
        .unwrap(),
    }
}

/// Every `attr="value"` of the page.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!("{attr}=\"");
    html.match_indices(&pat)
        .map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn the_html_fetches_nothing() {
    let r = render("fr");
    // No http(s) anywhere: no resource, no link, not even a namespace.
    assert!(!r.html.contains("http:") && !r.html.contains("https:"));
    assert!(!r.html.contains("//"), "no protocol-relative URL");
    for attr in ["src", "href", "xlink:href", "srcset", "action"] {
        for v in attribute_values(&r.html, attr) {
            assert!(v.starts_with('#'), "{attr}=\"{v}\" leaves the page");
        }
    }
    for (i, _) in r.html.match_indices("url(") {
        assert!(
            r.html[i + 4..].starts_with('#'),
            "CSS url() outside the page"
        );
    }
    for forbidden in [
        "<link",
        "<script",
        "@import",
        "@font-face",
        "<iframe",
        "<img",
    ] {
        assert!(!r.html.contains(forbidden), "{forbidden}");
    }
}

#[test]
fn every_qpv_has_its_fiche_with_a_map_and_a_chart() {
    let r = render("fr");
    let codes: BTreeSet<&str> = r.coverage["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rec| rec["code_qp"].as_str().unwrap())
        .collect();
    // The 7 QPV 2024 of the Territoire de Belfort (geodata/SOURCES.md).
    assert_eq!(codes.len(), 7);
    let sections: Vec<&str> = r
        .html
        .split("<section class=\"page fiche\" id=\"")
        .skip(1)
        .collect();
    let ids: Vec<&str> = sections
        .iter()
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(ids, codes.iter().copied().collect::<Vec<_>>());
    for s in sections {
        let s = &s[..s.find("</section>").unwrap()];
        assert!(s.contains("class=\"map\"") && s.contains("class=\"chart\""));
        assert!(s.contains("Fiche quartier") && s.contains("estimation"));
    }
}

/// A number as the report spells it (French or English separators) → its value and decimals.
fn parse_shown(text: &str) -> (f64, usize) {
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{202f}' | '\u{a0}' | '%' | ' '))
        .collect();
    let t = if t.contains(',') && !t.contains('.') && t.rsplit(',').next().unwrap().len() != 3 {
        t.replace(',', ".")
    } else {
        t.replace(',', "")
    };
    let decimals = t.split_once('.').map_or(0, |(_, f)| f.len());
    (
        t.parse()
            .unwrap_or_else(|_| panic!("not a number: {text:?}")),
        decimals,
    )
}

/// Every number of a JSON value (recursively).
fn json_numbers(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        Value::Array(a) => a.iter().for_each(|x| json_numbers(x, out)),
        Value::Object(m) => m.values().for_each(|x| json_numbers(x, out)),
        _ => {}
    }
}

/// Every string of a JSON value (recursively), keys included.
fn json_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push(k.clone());
            json_strings(x, out)
        }),
        _ => {}
    }
}

/// `(data-v, data-scale, shown text)` of every tagged number, and the page with them removed.
fn tagged_numbers(html: &str) -> (Vec<(f64, f64, String)>, String) {
    let mut found = Vec::new();
    let mut rest = String::new();
    let mut i = 0;
    while let Some(j) = html[i..].find(" data-v=\"") {
        let start = i + j;
        let tag_open = html[..start].rfind('<').unwrap();
        rest.push_str(&html[i..tag_open]);
        let attrs_end = start + html[start..].find('>').unwrap();
        let attrs = &html[start..attrs_end];
        let value: f64 = attribute_values(attrs, "data-v")[0].parse().unwrap();
        let scale = attribute_values(attrs, "data-scale")
            .first()
            .map_or(1.0, |s| s.parse().unwrap());
        let text_end = attrs_end + html[attrs_end..].find('<').unwrap();
        found.push((value, scale, html[attrs_end + 1..text_end].to_string()));
        let close = text_end + html[text_end..].find('>').unwrap();
        i = close + 1;
    }
    rest.push_str(&html[i..]);
    (found, rest)
}

/// Visible text: tags, the stylesheet and the SVG titles' markup removed, entities decoded.
fn visible_text(html: &str) -> String {
    let without_style = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    };
    let mut out = String::new();
    let mut in_tag = false;
    for ch in without_style.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn check_numbers(lang: &str) {
    let r = render(lang);
    let mut known = Vec::new();
    json_numbers(&r.report, &mut known);
    json_numbers(&r.coverage, &mut known);
    let (tagged, rest) = tagged_numbers(&r.html);
    assert!(tagged.len() > 400, "{} numbers", tagged.len());
    for (value, scale, shown) in &tagged {
        // The JSON carries the value...
        assert!(
            known.iter().any(|k| (k - value).abs() < 1e-9),
            "{value} ({shown}) is not in the JSON"
        );
        // ...and the page shows it, rounded to the decimals it prints.
        let (x, decimals) = parse_shown(shown);
        let half_unit = 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9;
        assert!(
            (x - value * scale).abs() <= half_unit,
            "shown {shown:?} for {value} × {scale}"
        );
    }
    // No untagged number: every remaining word with a digit (QPV codes, UAI, "QPV 2024" in an
    // attribution) is part of a string the JSON carries.
    let mut strings = Vec::new();
    json_strings(&r.report, &mut strings);
    for word in visible_text(&rest).split(|c: char| c.is_whitespace() || "();,:".contains(c)) {
        if word.chars().any(|c| c.is_ascii_digit()) {
            assert!(
                strings.iter().any(|s| s.contains(word)),
                "{word:?} is shown but is not in the JSON"
            );
        }
    }
}

#[test]
fn every_number_shown_is_a_number_of_the_json_french() {
    check_numbers("fr");
}

#[test]
fn every_number_shown_is_a_number_of_the_json_english() {
    check_numbers("en");
}

#[test]
fn fiches_show_the_coverage_records_of_qpv_coverage() {
    let r = render("fr");
    let coverage = r.coverage["records"].as_array().unwrap();
    // The notes of `qpv coverage --format json` are the report's.
    assert_eq!(r.coverage["notes"], r.report["notes"]);
    for q in r.report["quarters"].as_array().unwrap() {
        let code = q["code"].as_str().unwrap();
        let mine: Vec<&Value> = q["records"].as_array().unwrap().iter().collect();
        let theirs: Vec<&Value> = coverage.iter().filter(|c| c["code_qp"] == code).collect();
        assert_eq!(mine.len(), theirs.len());
        for rec in mine {
            assert!(
                theirs.contains(&rec),
                "{code}: {rec} differs from qpv coverage"
            );
        }
    }
}

/// The rows of the summary's table for `category` at 300 m, as text: QPV name | inside |
/// within | facilities (name and distance as shown).
fn proximity_rows(html: &str, category: &str) -> Vec<String> {
    let start = html
        .find(&format!(
            "<table class=\"prox\" data-category=\"{category}\" data-distance=\"300.0\">"
        ))
        .unwrap();
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr data-code=")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| visible_text(&format!("<td{cell}")))
                // Tags became spaces: "(<span>128</span> m)" reads "( 128 m)".
                .map(|t| {
                    t.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .replace("( ", "(")
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

#[test]
fn colleges_in_or_within_300_m_of_each_qpv_with_their_names() {
    let r = render("fr");
    // Which collèges, and their distances: tests/coverage_embedded.rs EXPECTED (independent
    // shapely/GEOS computation, tests/coverage_reference/compute.py), rounded to the metre as
    // the report shows them. Names: geodata/annuaire_education_territoire_de_belfort.csv
    // (0900018F Collège Arthur Rimbaud, 0900335A Collège privé Sainte-Marie, 0900017E Collège
    // de Châteaudun, 0900351T Collège Simone Signoret, 0900006T Collège Léonard de Vinci,
    // 0900014B Collège René Goscinny).
    assert_eq!(
        proximity_rows(&r.html, "college"),
        [
            "Bougenel - Mulhouse | 0 | 3 | Collège Arthur Rimbaud (128 m) ; Collège privé \
             Sainte-Marie (202 m) ; Collège de Châteaudun (247 m)",
            "Les Glacis Du Château | 0 | 0 | —",
            "Dardel - La Méchelle | 0 | 0 | —",
            "Les Résidences | 1 | 2 | Collège Simone Signoret (dans le quartier) ; Collège \
             Léonard de Vinci (131 m)",
            "Le Mont | 0 | 0 | —",
            "Arsot - Rives du Martinet | 0 | 1 | Collège René Goscinny (296 m)",
            "La Pépinière | 0 | 1 | Collège Léonard de Vinci (188 m)",
        ]
    );
    // The exact distances behind the rounded ones are in the JSON (and tagged in the page).
    let table = r.report["proximity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["category"] == "college")
        .unwrap();
    let ids: Vec<(String, f64)> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["within"].as_array().unwrap().clone())
        .map(|w| {
            (
                w["id"].as_str().unwrap().to_string(),
                w["distance_m"].as_f64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("0900018F", 127.65),
        ("0900335A", 202.21),
        ("0900017E", 246.53),
        ("0900351T", 0.0),
        ("0900006T", 130.51),
        ("0900014B", 295.77),
        ("0900006T", 187.99),
    ];
    assert_eq!(ids.len(), expected.len());
    for ((id, d), (eid, ed)) in ids.iter().zip(expected) {
        assert_eq!((id.as_str(), *d), (eid, ed));
    }
    for d in ["127.65", "202.21", "246.53", "130.51", "295.77", "187.99"] {
        assert!(r.html.contains(&format!("data-v=\"{d}\"")), "{d}");
    }
}

#[test]
fn what_only_reached_stderr_is_in_the_report() {
    let r = render("fr");
    // The 5 social centres of the embedded list without a position (tests/geocode_social_centres.rs
    // and qpv::geocode::social_centres_report) and the 2 placed by geocoding.
    let uncounted = r.report["notes"]["uncounted_facilities"]
        .as_array()
        .unwrap();
    assert_eq!(uncounted.len(), 5);
    assert!(r.html.contains("Maison de quartier Jacques Brel"));
    let geocoded = r.report["notes"]["geocoded_facilities"].as_array().unwrap();
    let precisions: Vec<&str> = geocoded
        .iter()
        .map(|g| g["geocoding_precision"].as_str().unwrap())
        .collect();
    assert_eq!(precisions, ["street", "interpolated"]);
    assert!(r.html.contains("position approchée : milieu de la rue"));
    // Gaps: collège within 300 m, 4 of 7 QPV (the stderr line of `qpv coverage`).
    let gap = r.report["notes"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["category"] == "college")
        .unwrap();
    assert_eq!(
        (gap["covered"].as_u64(), gap["zones"].as_u64()),
        (Some(4), Some(7))
    );
    let missing: Vec<&str> = gap["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["QN09002M", "QN09003I", "QN09005M"]);
}

#[test]
fn same_input_same_bytes_and_the_grid_used_is_named() {
    let a = render("fr");
    let dir = tempfile::tempdir().unwrap();
    let again = output_of(dir.path(), "r.html", &["report"]);
    assert!(a.html == again, "two runs differ");
    let file = a.report["grid"]["file"].as_str().unwrap();
    let vintage = a.report["grid"]["vintage"].as_u64().unwrap();
    assert_eq!(
        Some(vintage as u16),
        qpv::output::report_html::grid_vintage(file)
    );
    assert!(a.html.contains(&format!(
        "Filosofi <span class=\"n\" data-v=\"{vintage}\">{vintage}</span>"
    )));
}

#[test]
fn perimeter_test_as_html_shows_both_perimeters_and_the_eligibility_table() {
    let dir = tempfile::tempdir().unwrap();
    let cand = dir.path().join("cand.geojson");
    qpv()
        .args([
            "-q",
            "perimeter",
            "build",
            "--qpv-codes",
            "QN09004M",
            "--buffer",
            "100",
        ])
        .arg("-o")
        .arg(&cand)
        .assert()
        .success();
    let html_path = dir.path().join("p.html");
    qpv()
        .args(["-q", "perimeter", "test"])
        .arg(&cand)
        .arg("-o")
        .arg(&html_path)
        .assert()
        .success();
    let html = std::fs::read_to_string(&html_path).unwrap();
    let json: Value = serde_json::from_slice(
        &qpv()
            .args(["-q", "perimeter", "test", "--format", "json"])
            .arg(&cand)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(!html.contains("http:") && !html.contains("https:"));
    for v in attribute_values(&html, "href") {
        assert!(v.starts_with('#'));
    }
    assert!(html.contains("Partie ajoutée") && html.contains("Partie retirée"));
    assert!(html.contains("QN09004M"));
    // One eligibility row per continuous part of the JSON, and every tagged number is one the
    // JSON carries (areas are shown in hectares: area_m2 / 10,000).
    let parts = json["parts"].as_array().unwrap().len();
    let table = &html[html.find("<table class=\"parts\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr").count(), parts + 1);
    let mut known = Vec::new();
    json_numbers(&json, &mut known);
    // The map's only number is its scale bar (map furniture, not a result).
    let (svg_start, svg_end) = (html.find("<svg").unwrap(), html.find("</svg>").unwrap());
    let (in_map, _) = tagged_numbers(&html[svg_start..svg_end]);
    assert_eq!(in_map.len(), 1);
    let page = format!("{}{}", &html[..svg_start], &html[svg_end..]);
    let (tagged, _) = tagged_numbers(&page);
    assert!(tagged.len() > 40, "{}", tagged.len());
    for (value, _, shown) in tagged {
        assert!(
            known
                .iter()
                .any(|k| (k - value).abs() < 1e-6 || (k / 10_000.0 - value).abs() < 1e-9),
            "{value} ({shown}) is not in the JSON"
        );
    }
}
