//! Coverage of the real Grand Belfort QPV 2024 by the default facility set (the real schools of
//! the Annuaire de l'éducation and the two social centres whose address geocodes), asserted
//! exactly per QPV × category × distance.
//!
//! Expected values come from an independent computation (tests/coverage_reference/*.py:
//! shapely/GEOS distances; area shares by sampling each zone on a 2 m lattice; population by
//! GEOS areal interpolation), not from this crate.

mod coverage_common;

use qpv::analysis::coverage::{CoverageOptions, CoverageRecord, coverage};
use qpv::index::{FacilityIndex, ZoneIndex};

/// The two embedded social centres placed by geocoding (tests/coverage_reference/social_centres.py
/// places them from BANO independently).
const PEPINIERE_CENTRE: &str =
    "social_centre:centre-culturel-et-social-de-la-pepiniere-michel-legrand";
const RESIDENCES_CENTRE: &str = "social_centre:centre-culturel-et-social-des-residences-bellevue";

/// (code_qp, category, D, inside_count, within [(id, distance)], nearest_id, nearest_distance,
/// sampled area share).
type Expected = (
    &'static str,
    &'static str,
    f64,
    usize,
    &'static [(&'static str, f64)],
    &'static str,
    f64,
    f64,
);

#[rustfmt::skip]
const EXPECTED: &[Expected] = &[
    ("QN09001I", "college", 300.0, 0, &[("0900018F", 127.65), ("0900335A", 202.21), ("0900017E", 246.53)], "0900018F", 127.65, 0.5655),
    ("QN09001I", "ecole_elementaire", 300.0, 0, &[("0900365H", 37.14), ("0900262W", 202.21), ("0900261V", 206.97), ("0900209N", 262.73)], "0900365H", 37.14, 0.9623),
    ("QN09001I", "ecole_maternelle", 300.0, 0, &[], "0900121T", 582.80, 0.0000),
    ("QN09001I", "lycee", 300.0, 0, &[("0900030U", 202.21), ("0900425Y", 206.97)], "0900030U", 202.21, 0.1458),
    ("QN09001I", "social_centre", 300.0, 0, &[], RESIDENCES_CENTRE, 662.42, 0.0000),
    ("QN09002M", "college", 300.0, 0, &[], "0900295G", 353.88, 0.0000),
    ("QN09002M", "ecole_elementaire", 300.0, 0, &[("0900360C", 66.93), ("0900370N", 166.75), ("0900422V", 279.20)], "0900360C", 66.93, 0.6701),
    ("QN09002M", "ecole_maternelle", 300.0, 0, &[("0900359B", 66.93), ("0900111G", 166.75)], "0900359B", 66.93, 0.6701),
    ("QN09002M", "lycee", 300.0, 0, &[], "0900029T", 944.22, 0.0000),
    ("QN09002M", "social_centre", 300.0, 0, &[], PEPINIERE_CENTRE, 1799.54, 0.0000),
    ("QN09003I", "college", 300.0, 0, &[], "0900014B", 782.06, 0.0000),
    ("QN09003I", "ecole_elementaire", 300.0, 1, &[("0900316E", 0.00), ("0900210P", 139.23)], "0900316E", 0.00, 0.7602),
    ("QN09003I", "ecole_maternelle", 300.0, 1, &[("0900115L", 0.00), ("0900123V", 24.47)], "0900115L", 0.00, 0.9439),
    ("QN09003I", "lycee", 300.0, 0, &[], "0900003P", 658.13, 0.0000),
    ("QN09003I", "social_centre", 300.0, 0, &[], RESIDENCES_CENTRE, 2087.61, 0.0000),
    ("QN09004M", "college", 300.0, 1, &[("0900351T", 0.00), ("0900006T", 130.51)], "0900351T", 0.00, 0.3215),
    ("QN09004M", "ecole_elementaire", 300.0, 3, &[("0900020H", 0.00), ("0900371P", 0.00), ("0900421U", 0.00), ("0900386F", 296.57)], "0900020H", 0.00, 0.8080),
    ("QN09004M", "ecole_maternelle", 300.0, 3, &[("0900110F", 0.00), ("0900118P", 0.00), ("0900250H", 0.00)], "0900110F", 0.00, 0.7610),
    ("QN09004M", "lycee", 300.0, 0, &[("0900004R", 135.16), ("0900236T", 135.16), ("0900355X", 141.64), ("0900002N", 164.44)], "0900004R", 135.16, 0.1801),
    ("QN09004M", "social_centre", 300.0, 1, &[(RESIDENCES_CENTRE, 0.00)], RESIDENCES_CENTRE, 0.00, 0.2583),
    ("QN09005M", "college", 300.0, 0, &[], "0900351T", 876.71, 0.0000),
    ("QN09005M", "ecole_elementaire", 300.0, 0, &[("0900379Y", 133.67)], "0900379Y", 133.67, 0.2166),
    ("QN09005M", "ecole_maternelle", 300.0, 0, &[("0900117N", 180.50)], "0900117N", 180.50, 0.3642),
    ("QN09005M", "lycee", 300.0, 0, &[], "0900004R", 469.05, 0.0000),
    ("QN09005M", "social_centre", 300.0, 0, &[], RESIDENCES_CENTRE, 556.54, 0.0000),
    ("QN09006M", "college", 300.0, 0, &[("0900014B", 295.77)], "0900014B", 295.77, 0.0003),
    ("QN09006M", "ecole_elementaire", 300.0, 0, &[], "0900256P", 368.05, 0.0000),
    ("QN09006M", "ecole_maternelle", 300.0, 0, &[("0900070M", 48.04)], "0900070M", 48.04, 0.4247),
    ("QN09006M", "lycee", 300.0, 0, &[], "0900003P", 425.31, 0.0000),
    ("QN09006M", "social_centre", 300.0, 0, &[], RESIDENCES_CENTRE, 2455.66, 0.0000),
    ("QN09007N", "college", 300.0, 0, &[("0900006T", 187.99)], "0900006T", 187.99, 0.1281),
    ("QN09007N", "ecole_elementaire", 300.0, 0, &[], "0900263X", 384.16, 0.0000),
    ("QN09007N", "ecole_maternelle", 300.0, 0, &[], "0900114K", 359.69, 0.0000),
    ("QN09007N", "lycee", 300.0, 0, &[("0900002N", 203.66), ("0900035Z", 254.00)], "0900002N", 203.66, 0.0873),
    ("QN09007N", "social_centre", 300.0, 0, &[(PEPINIERE_CENTRE, 214.76)], PEPINIERE_CENTRE, 214.76, 0.1002),
    ("QN09001I", "college", 500.0, 0, &[("0900018F", 127.65), ("0900335A", 202.21), ("0900017E", 246.53)], "0900018F", 127.65, 1.0000),
    ("QN09001I", "ecole_elementaire", 500.0, 0, &[("0900365H", 37.14), ("0900262W", 202.21), ("0900261V", 206.97), ("0900209N", 262.73), ("0900369M", 494.51)], "0900365H", 37.14, 1.0000),
    ("QN09001I", "ecole_maternelle", 500.0, 0, &[], "0900121T", 582.80, 0.0000),
    ("QN09001I", "lycee", 500.0, 0, &[("0900030U", 202.21), ("0900425Y", 206.97)], "0900030U", 202.21, 0.9998),
    ("QN09001I", "social_centre", 500.0, 0, &[], RESIDENCES_CENTRE, 662.42, 0.0000),
    ("QN09002M", "college", 500.0, 0, &[("0900295G", 353.88)], "0900295G", 353.88, 0.1144),
    ("QN09002M", "ecole_elementaire", 500.0, 0, &[("0900360C", 66.93), ("0900370N", 166.75), ("0900422V", 279.20)], "0900360C", 66.93, 1.0000),
    ("QN09002M", "ecole_maternelle", 500.0, 0, &[("0900359B", 66.93), ("0900111G", 166.75), ("0900120S", 402.71)], "0900359B", 66.93, 1.0000),
    ("QN09002M", "lycee", 500.0, 0, &[], "0900029T", 944.22, 0.0000),
    ("QN09002M", "social_centre", 500.0, 0, &[], PEPINIERE_CENTRE, 1799.54, 0.0000),
    ("QN09003I", "college", 500.0, 0, &[], "0900014B", 782.06, 0.0000),
    ("QN09003I", "ecole_elementaire", 500.0, 1, &[("0900316E", 0.00), ("0900210P", 139.23), ("0900134G", 414.41)], "0900316E", 0.00, 0.9926),
    ("QN09003I", "ecole_maternelle", 500.0, 1, &[("0900115L", 0.00), ("0900123V", 24.47)], "0900115L", 0.00, 1.0000),
    ("QN09003I", "lycee", 500.0, 0, &[], "0900003P", 658.13, 0.0000),
    ("QN09003I", "social_centre", 500.0, 0, &[], RESIDENCES_CENTRE, 2087.61, 0.0000),
    ("QN09004M", "college", 500.0, 1, &[("0900351T", 0.00), ("0900006T", 130.51)], "0900351T", 0.00, 0.6854),
    ("QN09004M", "ecole_elementaire", 500.0, 3, &[("0900020H", 0.00), ("0900371P", 0.00), ("0900421U", 0.00), ("0900386F", 296.57)], "0900020H", 0.00, 0.9990),
    ("QN09004M", "ecole_maternelle", 500.0, 3, &[("0900110F", 0.00), ("0900118P", 0.00), ("0900250H", 0.00), ("0900114K", 386.86), ("0900300M", 464.41)], "0900110F", 0.00, 0.9997),
    ("QN09004M", "lycee", 500.0, 0, &[("0900004R", 135.16), ("0900236T", 135.16), ("0900355X", 141.64), ("0900002N", 164.44)], "0900004R", 135.16, 0.6045),
    ("QN09004M", "social_centre", 500.0, 1, &[(RESIDENCES_CENTRE, 0.00)], RESIDENCES_CENTRE, 0.00, 0.5345),
    ("QN09005M", "college", 500.0, 0, &[], "0900351T", 876.71, 0.0000),
    ("QN09005M", "ecole_elementaire", 500.0, 0, &[("0900379Y", 133.67)], "0900379Y", 133.67, 0.8696),
    ("QN09005M", "ecole_maternelle", 500.0, 0, &[("0900117N", 180.50), ("0900300M", 437.40)], "0900117N", 180.50, 0.9848),
    ("QN09005M", "lycee", 500.0, 0, &[("0900004R", 469.05), ("0900236T", 469.05)], "0900004R", 469.05, 0.0040),
    ("QN09005M", "social_centre", 500.0, 0, &[], RESIDENCES_CENTRE, 556.54, 0.0000),
    ("QN09006M", "college", 500.0, 0, &[("0900014B", 295.77)], "0900014B", 295.77, 0.0963),
    ("QN09006M", "ecole_elementaire", 500.0, 0, &[("0900256P", 368.05)], "0900256P", 368.05, 0.1259),
    ("QN09006M", "ecole_maternelle", 500.0, 0, &[("0900070M", 48.04), ("0900137K", 452.75)], "0900070M", 48.04, 0.7933),
    ("QN09006M", "lycee", 500.0, 0, &[("0900003P", 425.31)], "0900003P", 425.31, 0.0379),
    ("QN09006M", "social_centre", 500.0, 0, &[], RESIDENCES_CENTRE, 2455.66, 0.0000),
    ("QN09007N", "college", 500.0, 0, &[("0900006T", 187.99), ("0900235S", 396.44)], "0900006T", 187.99, 0.3513),
    ("QN09007N", "ecole_elementaire", 500.0, 0, &[("0900263X", 384.16), ("0900386F", 408.31)], "0900263X", 384.16, 0.2917),
    ("QN09007N", "ecole_maternelle", 500.0, 0, &[("0900114K", 359.69), ("0900118P", 456.55)], "0900114K", 359.69, 0.5373),
    ("QN09007N", "lycee", 500.0, 0, &[("0900002N", 203.66), ("0900035Z", 254.00), ("0900029T", 396.44)], "0900002N", 203.66, 0.3476),
    ("QN09007N", "social_centre", 500.0, 0, &[(PEPINIERE_CENTRE, 214.76)], PEPINIERE_CENTRE, 214.76, 0.8016),
];

/// (code_qp, category, population estimate, covered population estimate, share) at 300 m.
#[rustfmt::skip]
const POPULATION_300: &[(&str, &str, f64, f64, f64)] = &[
    ("QN09001I", "college", 596.54, 448.90, 0.7525),
    ("QN09001I", "ecole_elementaire", 596.54, 575.39, 0.9646),
    ("QN09001I", "ecole_maternelle", 596.54, 0.00, 0.0000),
    ("QN09001I", "lycee", 596.54, 87.65, 0.1469),
    ("QN09001I", "social_centre", 596.54, 0.00, 0.0000),
    ("QN09002M", "college", 1266.77, 0.00, 0.0000),
    ("QN09002M", "ecole_elementaire", 1266.77, 753.01, 0.5944),
    ("QN09002M", "ecole_maternelle", 1266.77, 753.01, 0.5944),
    ("QN09002M", "lycee", 1266.77, 0.00, 0.0000),
    ("QN09002M", "social_centre", 1266.77, 0.00, 0.0000),
    ("QN09003I", "college", 1373.55, 0.00, 0.0000),
    ("QN09003I", "ecole_elementaire", 1373.55, 959.74, 0.6987),
    ("QN09003I", "ecole_maternelle", 1373.55, 1319.17, 0.9604),
    ("QN09003I", "lycee", 1373.55, 0.00, 0.0000),
    ("QN09003I", "social_centre", 1373.55, 0.00, 0.0000),
    ("QN09004M", "college", 5475.87, 1913.92, 0.3495),
    ("QN09004M", "ecole_elementaire", 5475.87, 4528.14, 0.8269),
    ("QN09004M", "ecole_maternelle", 5475.87, 4177.66, 0.7629),
    ("QN09004M", "lycee", 5475.87, 938.70, 0.1714),
    ("QN09004M", "social_centre", 5475.87, 1369.88, 0.2502),
    ("QN09005M", "college", 1216.16, 0.00, 0.0000),
    ("QN09005M", "ecole_elementaire", 1216.16, 217.54, 0.1789),
    ("QN09005M", "ecole_maternelle", 1216.16, 475.10, 0.3907),
    ("QN09005M", "lycee", 1216.16, 0.00, 0.0000),
    ("QN09005M", "social_centre", 1216.16, 0.00, 0.0000),
    ("QN09006M", "college", 765.00, 0.51, 0.0007),
    ("QN09006M", "ecole_elementaire", 765.00, 0.00, 0.0000),
    ("QN09006M", "ecole_maternelle", 765.00, 233.21, 0.3049),
    ("QN09006M", "lycee", 765.00, 0.00, 0.0000),
    ("QN09006M", "social_centre", 765.00, 0.00, 0.0000),
    ("QN09007N", "college", 909.40, 249.18, 0.2740),
    ("QN09007N", "ecole_elementaire", 909.40, 0.00, 0.0000),
    ("QN09007N", "ecole_maternelle", 909.40, 0.00, 0.0000),
    ("QN09007N", "lycee", 909.40, 174.02, 0.1914),
    ("QN09007N", "social_centre", 909.40, 66.41, 0.0730),
];

fn run(distances: &[f64], with_grid: bool) -> Vec<CoverageRecord> {
    let zones = ZoneIndex::new(&coverage_common::zones());
    let facilities = FacilityIndex::new(&coverage_common::facilities());
    let grid = with_grid.then(coverage_common::grid);
    let options = CoverageOptions {
        distances_m: distances.to_vec(),
        ..CoverageOptions::default()
    };
    coverage(&zones, &facilities, grid.as_deref(), &options)
}

#[test]
fn embedded_inputs_are_the_expected_ones() {
    let zones = coverage_common::zones();
    assert_eq!(zones.len(), 7);
    let facilities = coverage_common::facilities();
    let count = |c: &str| {
        facilities
            .iter()
            .filter(|f| f.category.as_str() == c)
            .count()
    };
    assert_eq!(
        (
            count("ecole_maternelle"),
            count("ecole_elementaire"),
            count("college"),
            count("lycee"),
            count("social_centre")
        ),
        (39, 96, 17, 12, 2)
    );
    let precision = |id: &str| {
        facilities
            .iter()
            .find(|f| f.id == id)
            .unwrap()
            .attributes
            .text("geocoding_precision")
    };
    assert_eq!(precision(PEPINIERE_CENTRE), "street");
    assert_eq!(precision(RESIDENCES_CENTRE), "interpolated");
    let set =
        qpv::analysis::default_facilities::facilities_with_social_centres(qpv::crs::Crs::LAMBERT93)
            .unwrap();
    assert_eq!(set.unplaced_social_centres.len(), 5);
    assert!(
        set.unplaced_social_centres
            .iter()
            .all(|c| c.reason == "no address in the list")
    );
}

#[test]
fn counts_distances_nearest_and_area_shares_per_qpv_and_category() {
    let records = run(&[500.0, 300.0], false);
    // Sorted by zone code, category, then distance.
    let mut expected: Vec<&Expected> = EXPECTED.iter().collect();
    expected.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    assert_eq!(records.len(), expected.len());
    let mut worst = 0.0f64;
    for (r, e) in records.iter().zip(expected) {
        worst = worst.max((r.area_share_covered - e.7).abs());
        let what = format!("{} {} {} m", r.code_qp, r.category, r.distance_m);
        assert_eq!(
            (r.code_qp.as_str(), r.category.as_str(), r.distance_m),
            (e.0, e.1, e.2)
        );
        assert_eq!(r.inside_count, e.3, "inside_count {what}");
        assert_eq!(r.within_count, e.4.len(), "within_count {what}");
        let within: Vec<(&str, f64)> = r
            .within
            .iter()
            .map(|w| (w.id.as_str(), w.distance_m))
            .collect();
        assert_eq!(within, e.4, "within {what}");
        assert_eq!(r.nearest_id.as_deref(), Some(e.5), "nearest {what}");
        assert_eq!(r.nearest_distance_m, Some(e.6), "nearest distance {what}");
        assert!(
            (r.area_share_covered - e.7).abs() <= 0.005,
            "area share {what}: {} vs sampled {}",
            r.area_share_covered,
            e.7
        );
        assert_eq!(r.population_share_covered, None);
        let uncovered = geo::Area::unsigned_area(&r.uncovered);
        assert!(
            (uncovered + r.covered_area_m2 - r.zone_area_m2).abs() < 1e-6 * r.zone_area_m2,
            "uncovered + covered = zone {what}"
        );
    }
    eprintln!("largest area-share gap to 2 m sampling: {worst:.5}");
}

#[test]
fn the_evaluation_questions_on_embedded_data() {
    let records = run(&[300.0], false);
    let get = |code: &str, cat: &str| {
        records
            .iter()
            .find(|r| r.code_qp == code && r.category.as_str() == cat)
            .unwrap()
    };
    // "Collèges in the quarter or less than 300 m away": only Bougenel - Mulhouse (3), Les
    // Résidences (2, one inside), Glacis (1, 295.77 m) and Arsot (1).
    let colleges: Vec<(&str, usize)> = records
        .iter()
        .filter(|r| r.category.as_str() == "college")
        .map(|r| (r.code_qp.as_str(), r.within_count))
        .collect();
    assert_eq!(
        colleges,
        [
            ("QN09001I", 3),
            ("QN09002M", 0),
            ("QN09003I", 0),
            ("QN09004M", 2),
            ("QN09005M", 0),
            ("QN09006M", 1),
            ("QN09007N", 1)
        ]
    );
    assert_eq!(get("QN09004M", "ecole_elementaire").inside_count, 3);
    // "Every QPV has at least one social centre": with the 2 centres that have a known
    // position, only Les Résidences (inside) and La Pépinière (214.76 m) have one within 300 m.
    let with_centre: Vec<&str> = records
        .iter()
        .filter(|r| r.category.as_str() == "social_centre" && r.within_count > 0)
        .map(|r| r.code_qp.as_str())
        .collect();
    assert_eq!(with_centre, ["QN09004M", "QN09007N"]);
    let pepiniere = get("QN09007N", "social_centre");
    assert_eq!(
        pepiniere.within[0].geocoding_precision.as_deref(),
        Some("street")
    );
    assert_eq!(
        get("QN09004M", "social_centre").within[0]
            .geocoding_precision
            .as_deref(),
        Some("interpolated")
    );
    assert_eq!(
        get("QN09004M", "college").within[0].geocoding_precision,
        None
    );
    assert_eq!(get("QN09002M", "college").nearest_distance_m, Some(353.88));
}

#[test]
fn population_weighted_shares_agree_with_geos_areal_interpolation() {
    let records = run(&[300.0], true);
    assert_eq!(records.len(), POPULATION_300.len());
    let mut worst = 0.0f64;
    for (r, e) in records.iter().zip(POPULATION_300) {
        worst = worst.max((r.population_share_covered.unwrap() - e.4).abs());
        let what = format!("{} {}", r.code_qp, r.category);
        assert_eq!((r.code_qp.as_str(), r.category.as_str()), (e.0, e.1));
        let total = r.population_estimate.unwrap();
        assert!(
            (total - e.2).abs() <= 0.005 * e.2 + 0.01,
            "population {what}: {total} vs {}",
            e.2
        );
        let part = r.population_covered_estimate.unwrap();
        assert!(
            (part - e.3).abs() <= 0.005 * e.2 + 0.01,
            "covered population {what}: {part} vs {}",
            e.3
        );
        let share = r.population_share_covered.unwrap();
        assert!(
            (share - e.4).abs() <= 0.005,
            "population share {what}: {share} vs {}",
            e.4
        );
    }
    eprintln!("largest population-share gap to GEOS: {worst:.5}");
}

/// Skipping the uncovered parts (outputs without geometry) changes no other field of any
/// record, and leaves every uncovered part empty; the oracle is the default run.
#[test]
fn skipping_uncovered_parts_changes_nothing_else() {
    let zones = ZoneIndex::new(&coverage_common::zones());
    let facilities = FacilityIndex::new(&coverage_common::facilities());
    let grid = coverage_common::grid();
    let with = |uncovered: bool| {
        let options = CoverageOptions {
            distances_m: vec![300.0, 1000.0],
            uncovered,
            ..CoverageOptions::default()
        };
        coverage(&zones, &facilities, Some(&grid), &options)
    };
    let full = with(true);
    let lean = with(false);
    assert_eq!(full.len(), lean.len());
    assert!(full.iter().any(|r| !r.uncovered.0.is_empty()));
    for (mut f, l) in full.into_iter().zip(lean) {
        assert!(l.uncovered.0.is_empty(), "{} {}", l.code_qp, l.category);
        f.uncovered = geo::MultiPolygon(vec![]);
        assert_eq!(f, l);
    }
}
