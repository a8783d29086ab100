//! The embedded BANO geocodes itself: every address point of Belfort (90010) and Offemont
//! (90075), written back as an address in three styles, comes back as `housenumber` at its own
//! position; missing numbers are interpolated on the segment between their same-parity
//! neighbours; streets alone give one of their own points; garbage gives `not_found`.
//!
//! Expected positions are computed here independently: the CSV is parsed with the `csv` crate
//! and reprojected with PROJ through `Reprojector`.

use std::collections::{BTreeMap, HashMap};

use geo::Coord;
use qpv::crs::{Crs, Reprojector};
use qpv::geocode::{AddressIndex, AddressQuery, Precision};

struct Row {
    line: usize,
    numero: String,
    voie: String,
    cp: String,
    commune: String,
    xy: Coord<f64>,
}

fn belfort_offemont() -> Vec<Row> {
    let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/bano-90.csv"))
        .unwrap();
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.unwrap();
        if !(rec[0].starts_with("90010") || rec[0].starts_with("90075")) {
            continue;
        }
        let lat: f64 = rec[6].parse().unwrap();
        let lon: f64 = rec[7].parse().unwrap();
        out.push(Row {
            line: i + 1,
            numero: rec[1].to_string(),
            voie: rec[2].to_string(),
            cp: rec[3].to_string(),
            commune: rec[4].to_string(),
            xy: r.coord(Coord { x: lon, y: lat }).unwrap(),
        });
    }
    out
}

/// `4BIS` → (4, "BIS").
fn split(numero: &str) -> (u32, String) {
    let d = numero.bytes().take_while(u8::is_ascii_digit).count();
    (numero[..d].parse().unwrap(), numero[d..].to_string())
}

/// Upper case without accents, written independently of the library.
fn no_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ÿ' => 'y',
            other => other,
        })
        .collect::<String>()
        .to_uppercase()
        .replace('Œ', "OE")
}

/// The usual abbreviations a person types.
fn abbreviated(voie: &str) -> String {
    let words: Vec<&str> = voie.split(' ').collect();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let first = i == 0;
            let a = match *w {
                "Rue" if first => "r.",
                "Avenue" => "av.",
                "Boulevard" => "bd",
                "Faubourg" => "fbg",
                "Impasse" => "imp.",
                "Place" if first => "pl.",
                "Route" => "rte",
                "Chemin" if first => "che",
                "Allée" if first => "all.",
                "Quartier" => "qrt",
                "Square" => "sq",
                "Général" => "gal",
                "Maréchal" => "mal",
                "Docteur" => "dr",
                "Président" => "pdt",
                "Commandant" => "cdt",
                "Capitaine" => "cne",
                "Lieutenant" => "lt",
                "Professeur" => "pr",
                other => other,
            };
            a.replace("Saint-", "St-").replace("Sainte-", "Ste-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn full_number(numero: &str) -> String {
    let (n, rep) = split(numero);
    if rep.is_empty() {
        n.to_string()
    } else {
        format!("{n} {}", rep.to_lowercase())
    }
}

#[test]
fn every_belfort_and_offemont_point_geocodes_to_itself_in_three_styles() {
    let rows = belfort_offemont();
    assert_eq!(rows.len(), 7464);
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    // Duplicate rule: the same number on the same street twice → the first row in file order.
    let mut first: HashMap<(String, String, String), usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        first
            .entry((r.numero.to_uppercase(), r.voie.clone(), r.commune.clone()))
            .or_insert(i);
    }
    let mut duplicates = Vec::new();
    let mut failures = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let owner = first[&(r.numero.to_uppercase(), r.voie.clone(), r.commune.clone())];
        if owner != i {
            duplicates.push((r.line, r.numero.clone(), r.voie.clone()));
        }
        let expected = rows[owner].xy;
        let styles = [
            format!(
                "{} {}, {} {}",
                full_number(&r.numero),
                r.voie,
                r.cp,
                r.commune
            ),
            // Postcode alone where it names one commune (90000 = Belfort); 90300 is shared by
            // Offemont, Valdoie, Cravanche… so Offemont rows also give the commune, in capitals.
            if r.cp == "90000" {
                format!("{} {} {}", r.numero, abbreviated(&r.voie), r.cp)
            } else {
                format!(
                    "{}, {} {} {}",
                    r.numero,
                    abbreviated(&r.voie),
                    r.cp,
                    r.commune.to_uppercase()
                )
            },
            no_accents(&format!(
                "{} {} {}",
                full_number(&r.numero),
                r.voie,
                r.commune
            )),
        ];
        for text in &styles {
            let g = index.geocode(&AddressQuery::text(text));
            let ok = g.precision == Precision::Housenumber
                && g.score == 1.0
                && g.point == Some(expected);
            if !ok {
                failures.push(format!(
                    "line {}: '{text}' → {} {} {:?} ({}{})",
                    r.line, g.precision, g.score, g.point, g.label, g.reason
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
    // The one genuine duplicate of the set: two OSM points for 4 bis rue du Comte de la Suze,
    // 14 m apart; the second (line 5356) geocodes to the first (line 5355).
    assert_eq!(
        duplicates,
        vec![(
            5356,
            "4BIS".to_string(),
            "Rue du Comte de la Suze".to_string()
        )]
    );
    let d = rows.iter().find(|r| r.line == 5356).unwrap().xy;
    let f = rows.iter().find(|r| r.line == 5355).unwrap().xy;
    assert!(((d.x - f.x).hypot(d.y - f.y) - 14.0).abs() < 1.0);
}

/// Per street: number → (representative rep, position), representative = plain number, else
/// the smallest repetition index (then the first line).
type Street = BTreeMap<u32, Vec<(String, usize, Coord<f64>)>>;

fn streets(rows: &[Row]) -> BTreeMap<(String, String, String), Street> {
    let mut out: BTreeMap<(String, String, String), Street> = BTreeMap::new();
    for r in rows {
        let (n, rep) = split(&r.numero);
        out.entry((r.commune.clone(), r.voie.clone(), r.cp.clone()))
            .or_default()
            .entry(n)
            .or_default()
            .push((rep, r.line, r.xy));
    }
    for s in out.values_mut() {
        for v in s.values_mut() {
            v.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        }
    }
    out
}

fn dist_to_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    };
    (p.x - a.x - t * dx).hypot(p.y - a.y - t * dy)
}

#[test]
fn missing_numbers_are_interpolated_between_same_parity_neighbours() {
    let rows = belfort_offemont();
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let mut tested = 0;
    let mut failures = Vec::new();
    for ((commune, voie, cp), numbers) in streets(&rows) {
        let max = *numbers.keys().max().unwrap();
        for n in 1..max {
            if numbers.contains_key(&n) {
                continue;
            }
            let below = numbers.range(..n).rev().find(|(k, _)| *k % 2 == n % 2);
            let above = numbers.range(n + 1..).find(|(k, _)| *k % 2 == n % 2);
            let (Some((&a, av)), Some((&b, bv))) = (below, above) else {
                continue;
            };
            let (pa, pb) = (av[0].2, bv[0].2);
            let t = f64::from(n - a) / f64::from(b - a);
            let expected = Coord {
                x: pa.x + (pb.x - pa.x) * t,
                y: pa.y + (pb.y - pa.y) * t,
            };
            let text = format!("{n} {voie} {cp} {commune}");
            let g = index.geocode(&AddressQuery::text(&text));
            tested += 1;
            let p = g.point.unwrap_or(Coord { x: 0.0, y: 0.0 });
            let ok = g.precision == Precision::Interpolated
                && dist_to_segment(p, pa, pb) < 1e-6
                && (p.x - expected.x).hypot(p.y - expected.y) < 1e-6;
            if !ok {
                failures.push(format!(
                    "'{text}' → {} {:?} (expected between {a} and {b}: {expected:?})",
                    g.precision, g.point
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tested} failed:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
    assert_eq!(tested, 1773);
}

#[test]
fn a_street_alone_gives_its_median_address_point() {
    let rows = belfort_offemont();
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let mut failures = Vec::new();
    let all = streets(&rows);
    for ((commune, voie, cp), numbers) in &all {
        let mut points: Vec<(u32, &str, usize, Coord<f64>)> = numbers
            .iter()
            .flat_map(|(n, v)| v.iter().map(move |(r, l, p)| (*n, r.as_str(), *l, *p)))
            .collect();
        points.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        let expected = points[(points.len() - 1) / 2].3;
        let alone = if cp == "90000" {
            cp.clone()
        } else {
            no_accents(commune)
        };
        for text in [
            format!("{voie}, {cp} {commune}"),
            no_accents(voie) + " " + &alone,
        ] {
            let g = index.geocode(&AddressQuery::text(&text));
            if g.precision != Precision::Street || g.point != Some(expected) || g.score != 1.0 {
                failures.push(format!(
                    "'{text}' → {} {:?} {}",
                    g.precision, g.point, g.reason
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
    assert_eq!(all.len(), 554);
}

#[test]
fn garbage_is_not_found_with_a_reason() {
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    for text in [
        "",
        "   ",
        "n'importe quoi",
        "???",
        "123456",
        "zzzz qqqq wwww",
        "12 rue qui n'existe pas 90000 Belfort",
        "13 rue Danton 75001 Paris",
        "Belfort",
        "90000",
        "90000 Belfort",
        "12",
    ] {
        let g = index.geocode(&AddressQuery::text(text));
        eprintln!("{text:?} → {}", g.reason);
        assert_eq!(g.precision, Precision::NotFound, "'{text}' → {g:?}");
        assert_eq!(g.point, None);
        assert_eq!(g.score, 0.0);
        assert!(!g.reason.is_empty(), "'{text}'");
    }
}

#[test]
fn a_postcode_shared_by_communes_is_ambiguous_when_they_all_have_the_number() {
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let g = index.geocode(&AddressQuery::text("10 r. Aristide Briand 90300"));
    assert_eq!(g.precision, Precision::NotFound);
    assert!(
        g.reason.starts_with(
            "ambiguous: Rue Aristide Briand (Cravanche), Rue Aristide Briand (Offemont), Rue Aristide Briand (Valdoie)"
        ),
        "{}",
        g.reason
    );
    // Only Offemont and Cravanche have a 17; giving the commune settles it.
    let g = index.geocode(&AddressQuery::text("17 r. Aristide Briand 90300 Offemont"));
    assert_eq!((g.precision, g.score), (Precision::Housenumber, 1.0));
    assert_eq!(g.label, "17 Rue Aristide Briand, 90300 Offemont");
}

#[test]
fn typos_and_loose_forms_score_lower() {
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let exact = index.geocode(&AddressQuery::text("12 rue Danton 90000 Belfort"));
    assert_eq!(exact.score, 1.0);
    let cases = [
        ("12 rue Dantn 90000 Belfort", 0.85),
        ("12 rue Dnaton Belfort", 0.85),
        ("12 Danton Belfort", 0.9),
        ("12 avenue Danton Belfort", 0.8),
        ("12 rue Danton Belfrot", 0.9),
        ("12 rue Danton", 0.9),
        ("12 rue Danton 90300 Belfort", 0.95),
    ];
    for (text, score) in cases {
        let g = index.geocode(&AddressQuery::text(text));
        assert_eq!(g.precision, Precision::Housenumber, "'{text}' → {g:?}");
        assert_eq!(g.point, exact.point, "'{text}'");
        assert_eq!(g.score, score, "'{text}'");
    }
    let g = index.geocode(&AddressQuery::text("5 rue Foltz 90000"));
    assert_eq!(g.label, "5 Rue du Général Foltz, 90000 Belfort");
    assert_eq!((g.precision, g.score), (Precision::Housenumber, 0.75));
    // A one-letter word after the number is tried both as an index and as part of the name.
    let g = index.geocode(&AddressQuery::text("1 N Route Nationale Bermont"));
    assert_eq!(g.label, "1 N Route Nationale, 90400 Bermont");
    assert_eq!((g.precision, g.score), (Precision::Housenumber, 1.0));
    let g = index.geocode(&AddressQuery::text("2 A rue de Madrid Belfort"));
    assert_eq!(g.label, "2A Rue de Madrid, 90000 Belfort");
    assert_eq!((g.precision, g.score), (Precision::Housenumber, 1.0));
    let g = index.geocode(&AddressQuery::text("12 avenue Jaen Jaurres Belfort"));
    assert_eq!(g.label, "12 Avenue Jean Jaurès, 90000 Belfort");
    assert_eq!((g.precision, g.score), (Precision::Housenumber, 0.7));
    // Parts in columns.
    let g = index.geocode(&AddressQuery {
        number: "12",
        street: "R. DANTON",
        commune: "belfort",
        ..Default::default()
    });
    assert_eq!(
        (g.precision, g.point, g.score),
        (Precision::Housenumber, exact.point, 1.0)
    );
}

#[test]
fn every_point_of_the_departement_geocodes_to_itself_from_its_full_address() {
    let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/bano-90.csv"))
        .unwrap();
    let mut first: HashMap<(String, String, String), Coord<f64>> = HashMap::new();
    let mut failures = Vec::new();
    let mut duplicates = Vec::new();
    let mut n = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        n += 1;
        let p = r
            .coord(Coord {
                x: rec[7].parse().unwrap(),
                y: rec[6].parse().unwrap(),
            })
            .unwrap();
        let key = (
            rec[1].to_uppercase(),
            rec[2].to_string(),
            rec[4].to_string(),
        );
        let expected = *first.entry(key).or_insert(p);
        if expected != p {
            duplicates.push(n);
        }
        let text = format!("{} {}, {} {}", &rec[1], &rec[2], &rec[3], &rec[4]);
        let g = index.geocode(&AddressQuery::text(&text));
        if g.precision != Precision::Housenumber || g.point != Some(expected) || g.score != 1.0 {
            failures.push(format!(
                "{text} → {} {} {}{}",
                g.precision, g.score, g.label, g.reason
            ));
        }
    }
    assert_eq!(n, 35_847);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
    // The genuine duplicates of BANO 90 (same number, street and commune at two positions):
    // 4 bis rue du Comte de la Suze (Belfort), 2 and 3 rue du Pâquis (Lepuix-Neuf). Each
    // second row geocodes to the first.
    assert_eq!(duplicates, [5356, 25642, 25644]);
}
