//! Arbitrary text never makes the geocoder panic, and every answer is consistent: a position
//! exactly when something was found, a reason exactly when nothing was.

use std::sync::OnceLock;

use proptest::prelude::*;
use qpv::crs::Crs;
use qpv::geocode::{AddressIndex, AddressQuery, Precision};

fn index() -> &'static AddressIndex {
    static INDEX: OnceLock<AddressIndex> = OnceLock::new();
    INDEX.get_or_init(|| AddressIndex::embedded(Crs::LAMBERT93).unwrap())
}

fn check(q: &AddressQuery) {
    let g = index().geocode(q);
    let found = g.precision != Precision::NotFound;
    assert_eq!(g.point.is_some(), found, "{q:?} → {g:?}");
    assert_eq!(g.lonlat.is_some(), found, "{q:?} → {g:?}");
    assert_eq!(g.reason.is_empty(), found, "{q:?} → {g:?}");
    assert!((0.0..=1.0).contains(&g.score), "{q:?} → {g:?}");
    // Deterministic.
    assert_eq!(index().geocode(q), g);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_text(s in "\\PC{0,60}") {
        check(&AddressQuery::text(&s));
    }

    #[test]
    fn address_like_text(
        n in proptest::option::of(0u32..200),
        rep in proptest::sample::select(vec!["", " bis", "B", " ter", " A", " q"]),
        kind in proptest::sample::select(vec!["rue", "r.", "AV", "bd", "Fbg", "imp", "", "Chemin"]),
        name in "[A-Za-zéèçÉ' -]{0,20}",
        tail in proptest::sample::select(vec!["", " 90000", " Belfort", ", 90300 OFFEMONT", " 75001 Paris", " Belfrot", " 90 000 Belfort Cedex"]),
    ) {
        let text = match n {
            Some(n) => format!("{n}{rep} {kind} {name}{tail}"),
            None => format!("{kind} {name}{tail}"),
        };
        check(&AddressQuery::text(&text));
    }

    #[test]
    fn parts(
        number in "[0-9a-z ]{0,6}",
        street in "\\PC{0,30}",
        postcode in "[0-9 .]{0,7}",
        commune in "\\PC{0,15}",
    ) {
        check(&AddressQuery { number: &number, street: &street, postcode: &postcode, commune: &commune, ..Default::default() });
    }
}
