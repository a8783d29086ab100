//! The national benchmark inputs (benches/support/national.rs, used by examples/gen_national.rs
//! and the criterion benches) are deterministic, national in extent and free of overlapping zones.

#[path = "../benches/support/national.rs"]
mod national;

use geo::{BoundingRect, Intersects, Rect};
use national::{
    CATEGORIES, DEFAULT_SEED, DEFAULT_TOWNS, MAINLAND, National, default_source, in_mainland,
    push_fixed,
};

fn build(seed: u64) -> National {
    National::build(default_source(), seed, DEFAULT_TOWNS).expect("national inputs")
}

fn fixed(v: f64) -> String {
    let mut b = Vec::new();
    push_fixed(&mut b, v, 7);
    String::from_utf8(b).unwrap()
}

#[test]
fn fixed_point_formatting_rounds_to_seven_decimals() {
    assert_eq!(fixed(6.850608880681231), "6.8506089");
    assert_eq!(fixed(-4.7), "-4.7000000");
    assert_eq!(fixed(0.0), "0.0000000");
    assert_eq!(fixed(0.00000005), "0.0000001");
    assert_eq!(fixed(-0.00000015), "-0.0000002");
    assert_eq!(fixed(-0.00000004), "0.0000000");
    assert_eq!(fixed(47.6410962165527), "47.6410962");
    assert_eq!(fixed(123.99999999), "124.0000000");
}

#[test]
fn same_seed_same_inputs_other_seed_other_inputs() {
    let (a, b, c) = (
        build(DEFAULT_SEED),
        build(DEFAULT_SEED),
        build(DEFAULT_SEED + 1),
    );
    let codes = |n: &National| n.zones.iter().map(|z| z.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&a), codes(&b));
    let towns = |n: &National| {
        n.towns
            .iter()
            .map(|t| (t.l93.x, t.l93.y))
            .collect::<Vec<_>>()
    };
    assert_eq!(towns(&a), towns(&b));
    assert_ne!(towns(&a), towns(&c));
    let pa: Vec<_> = a.points(DEFAULT_SEED).take(1000).collect();
    let pb: Vec<_> = b.points(DEFAULT_SEED).take(1000).collect();
    assert_eq!(pa, pb);
    let fa: Vec<_> = a.facilities(DEFAULT_SEED).take(1000).collect();
    let fb: Vec<_> = b.facilities(DEFAULT_SEED).take(1000).collect();
    assert_eq!(fa, fb);
    assert_ne!(
        pa,
        c.points(DEFAULT_SEED + 1).take(1000).collect::<Vec<_>>()
    );
}

#[test]
fn zones_are_the_belfort_cluster_on_230_towns_without_overlap() {
    let n = build(DEFAULT_SEED);
    assert_eq!(n.towns.len(), 230);
    assert_eq!(n.zones.len(), 1610);
    assert_eq!(n.step, 48_000.0);
    assert_eq!(n.zones[0].code, "QS000001");
    assert_eq!(n.zones[0].source_code, "QN09001I");
    assert_eq!(n.zones[1609].code, "QS022907");
    assert_eq!(n.zones[1609].source_code, "QN09007N");
    let mut codes: Vec<_> = n.zones.iter().map(|z| z.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 1610);
    for t in &n.towns {
        assert!(in_mainland(t.lon, t.lat), "town at {} {}", t.lon, t.lat);
    }
    // The 7 source perimeters do not overlap one another (they may not even touch).
    for i in 0..7 {
        for j in i + 1..7 {
            assert!(
                !n.zones[i].l93.intersects(&n.zones[j].l93),
                "{} meets {}",
                n.zones[i].source_code,
                n.zones[j].source_code
            );
        }
    }
    // Clusters of different towns are apart: their bounding boxes are disjoint.
    let boxes: Vec<Rect<f64>> = (0..n.towns.len())
        .map(|t| {
            n.zones[t * 7..t * 7 + 7]
                .iter()
                .map(|z| z.l93.bounding_rect().unwrap())
                .reduce(national::union_rect)
                .unwrap()
        })
        .collect();
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            assert!(!boxes[i].intersects(&boxes[j]), "towns {i} and {j} overlap");
        }
    }
}

#[test]
fn points_and_facilities_stay_in_the_mainland_envelope_with_every_category() {
    let n = build(DEFAULT_SEED);
    let (x0, y0, x1, y1) = national::MAINLAND_BBOX;
    let widen = 0.5; // gaussian tails around a town near the edge may leave the rectangles
    let mut per_category = [0usize; CATEGORIES.len()];
    for (lon, lat, cat) in n.facilities(DEFAULT_SEED).take(60_000) {
        assert!(lon > x0 - widen && lon < x1 + widen && lat > y0 - widen && lat < y1 + widen);
        per_category[cat] += 1;
    }
    assert!(per_category.iter().all(|&c| c > 1_000), "{per_category:?}");
    let mut in_rectangles = 0;
    for (lon, lat) in n.points(DEFAULT_SEED).take(100_000) {
        assert!(lon > x0 - widen && lon < x1 + widen && lat > y0 - widen && lat < y1 + widen);
        in_rectangles += usize::from(
            MAINLAND
                .iter()
                .any(|r| lon >= r.0 && lon <= r.2 && lat >= r.1 && lat <= r.3),
        );
    }
    assert!(in_rectangles > 95_000);
}
