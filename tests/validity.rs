//! The near-linear polygon validity check (`qpv::geometry::validity`) gives exactly the first
//! error of `geo`'s `check_validation` (the check qpv used before, pairwise over edges: the
//! oracle), on random small polygons whose vertices sit on a 6×6 grid so that crossings,
//! touchings, repeated points and collinear overlaps are frequent.

use geo::algorithm::Validation;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use qpv::geometry::validity::{
    Problem, check_multipolygon, ring_has_self_intersection, ring_has_self_intersection_pairwise,
};

fn ring() -> impl Strategy<Value = LineString<f64>> {
    prop::collection::vec((0u8..6, 0u8..6), 3..12).prop_map(|pts| {
        let mut coords: Vec<Coord<f64>> = pts
            .into_iter()
            .map(|(x, y)| Coord {
                x: f64::from(x),
                y: f64::from(y),
            })
            .collect();
        coords.push(coords[0]);
        LineString(coords)
    })
}

fn polygon() -> impl Strategy<Value = Polygon<f64>> {
    (ring(), prop::collection::vec(ring(), 0..3)).prop_map(|(e, holes)| Polygon::new(e, holes))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn same_self_intersection_answer_as_pairwise(r in ring()) {
        prop_assert_eq!(ring_has_self_intersection(&r), ring_has_self_intersection_pairwise(&r));
    }

    #[test]
    fn same_first_error_as_geo(polys in prop::collection::vec(polygon(), 1..4)) {
        let mp = MultiPolygon(polys);
        // geo's relate panics on some invalid multipolygons ("topology position conflict"):
        // ours never panics, and says "unresolvable" exactly where geo panics.
        let ours = check_multipolygon(&mp);
        let geo = std::panic::catch_unwind(|| mp.check_validation());
        match geo {
            Ok(b) => prop_assert_eq!(ours, b.map_err(Problem::Invalid)),
            Err(_) => prop_assert!(
                matches!(ours, Err(Problem::Unresolvable { .. })),
                "geo panicked, ours gave {:?}", ours
            ),
        }
    }
}

/// The case proptest found (tests/validity.proptest-regressions): geo's `relate` panics on it;
/// the check reports the first polygon as invalid instead, without a word on stderr.
#[test]
fn geo_relate_panic_becomes_an_invalid_polygon() {
    let p =
        |coords: &[(f64, f64)]| LineString(coords.iter().map(|&(x, y)| Coord { x, y }).collect());
    let mp = MultiPolygon(vec![
        Polygon::new(
            p(&[(0.0, 3.0), (2.0, 3.0), (1.0, 3.0), (0.0, 3.0)]),
            vec![p(&[(0.0, 3.0), (1.0, 5.0), (3.0, 1.0), (0.0, 3.0)])],
        ),
        Polygon::new(p(&[(0.0, 0.0), (0.0, 3.0), (0.0, 0.0), (0.0, 0.0)]), vec![]),
    ]);
    // The oracle: geo's own check panics on this input.
    assert!(std::panic::catch_unwind(|| mp.check_validation()).is_err());
    let e = check_multipolygon(&mp).unwrap_err();
    assert_eq!(e, Problem::Unresolvable { polygon: Some(0) });
    assert_eq!(
        e.to_string(),
        "polygon at index 0 is invalid: its rings overlap themselves or each other (self-intersecting or degenerate polygon)"
    );
}

/// A jagged circle of `n` vertices, like a long surveyed boundary (valid: every vertex at its
/// own angle). Note: long thin spikes whose bounding boxes all overlap would defeat the R-tree
/// filter (its cost grows with the number of overlapping edge boxes); real boundaries do not.
fn star(n: usize) -> LineString<f64> {
    let mut coords: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = if i % 2 == 0 { 1000.0 } else { 999.998 };
            Coord {
                x: r * a.cos(),
                y: r * a.sin(),
            }
        })
        .collect();
    coords.push(coords[0]);
    LineString(coords)
}

#[test]
fn a_large_ring_is_checked_and_a_single_crossing_found() {
    // 200 000 vertices: the pairwise check would compare 2·10¹⁰ pairs.
    let good = star(200_000);
    let mp = MultiPolygon(vec![Polygon::new(good.clone(), vec![])]);
    assert_eq!(check_multipolygon(&mp), Ok(()));
    // One vertex moved beyond the opposite side: its two edges cross the far boundary.
    let mut bad = good;
    let c = bad.0[100_000];
    bad.0[100_000] = Coord {
        x: -1.2 * c.x,
        y: -1.2 * c.y,
    };
    assert!(ring_has_self_intersection(&bad));
}
