//! The covered area of `qpv coverage` is an optimisation of session 3's computation, not a new
//! one: [`CoverZone::covered_area`] (the n-gon's trigonometry computed once, the disc's edges
//! classified against the zone's convex hull instead of every vertex, buffers reused) must give
//! the area of the implementation at d2871ba, kept verbatim in `tests/reference_disc_cover/`
//! as the oracle. Random zones (star-shaped rings at Lambert-93 magnitudes, with holes, some
//! of two parts), random facility sets (scattered, or clustered so that groups of more than 5
//! discs take the overlay path), 8 to 128 sides, 50 m to 1 km.
//!
//! Up to session 10 the two were equal bit for bit. Since session 11 each ring is first cut
//! to the disc's bounding box, then by the disc's edges: the same part of the ring, but a
//! crossing with a disc's edge may be computed from a point of the box's edge instead of the
//! ring's vertex beyond it, which changes its last bits. The areas may therefore differ by the
//! rounding of a few crossings: [`same_area`] allows 1e-12 of the zone's area plus 1e-7 m².
//! Over 20,000 random cases the largest difference was 6.5e-10 m² (2.8e-15 of the zone's
//! area), about 700 times less; leaving out one edge of a 128-gon of 10 m would lose about
//! 1e-3 m².

#[path = "reference_disc_cover/convex_clip.rs"]
mod convex_clip;
#[path = "reference_disc_cover/disc_cover.rs"]
mod disc_cover;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use qpv::geometry::disc_cover::{CoverScratch, CoverZone};

/// A star-shaped ring around `c`: `radii.len()` vertices at evenly spaced angles (jittered by
/// up to a quarter step), counter-clockwise unless `clockwise`.
fn star(c: Coord<f64>, radii: &[f64], jitter: &[f64], clockwise: bool) -> LineString<f64> {
    let step = std::f64::consts::TAU / radii.len() as f64;
    let mut ring: Vec<Coord<f64>> = radii
        .iter()
        .zip(jitter)
        .enumerate()
        .map(|(i, (r, j))| {
            let a = step * (i as f64 + 0.25 * j);
            Coord {
                x: c.x + r * a.cos(),
                y: c.y + r * a.sin(),
            }
        })
        .collect();
    if clockwise {
        ring.reverse();
    }
    ring.push(ring[0]);
    LineString(ring)
}

type Case = (MultiPolygon<f64>, Vec<Coord<f64>>, f64, usize);

fn case() -> impl Strategy<Value = Case> {
    (
        (3usize..60).prop_flat_map(|n| {
            (
                proptest::collection::vec(50.0f64..450.0, n),
                proptest::collection::vec(-1.0f64..1.0, n),
            )
        }),
        proptest::option::of(proptest::collection::vec(10.0f64..40.0, 9)),
        any::<bool>(),
        proptest::collection::vec((-1500.0f64..1500.0, -1500.0f64..1500.0), 0..16),
        prop_oneof![Just(1.0), Just(0.2), Just(0.05)],
        prop_oneof![
            Just(50.0),
            Just(300.0),
            Just(500.0),
            Just(1000.0),
            10.0f64..1500.0
        ],
        prop_oneof![Just(128usize), Just(8), Just(3), 9usize..200],
        (600_000.0f64..1_000_000.0, 6_300_000.0f64..7_000_000.0),
    )
        .prop_map(
            |((radii, jitter), hole, second, offsets, spread, d, sides, (x, y))| {
                let c = Coord { x, y };
                let holes = hole
                    .map(|h| vec![star(c, &h, &[0.0; 9], true)])
                    .unwrap_or_default();
                let mut parts = vec![Polygon::new(star(c, &radii, &jitter, false), holes)];
                if second {
                    let c2 = Coord { x: x + 1200.0, y };
                    parts.push(Polygon::new(star(c2, &[250.0; 7], &[0.3; 7], true), vec![]));
                }
                let centres = offsets
                    .iter()
                    .map(|&(dx, dy)| Coord {
                        x: x + spread * dx,
                        y: y + spread * dy,
                    })
                    .collect();
                (MultiPolygon(parts), centres, d, sides)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn covered_area_is_the_reference_area((zone, centres, d, sides) in case()) {
        let reference = disc_cover::CoverZone::new(&zone);
        let mut reference_scratch = disc_cover::CoverScratch::default();
        let want = reference.covered_area(&centres, d, sides, &mut reference_scratch);
        let fast = CoverZone::new(&zone);
        // One scratch for several calls, as coverage uses it (tables kept between calls).
        let mut scratch = CoverScratch::default();
        for segments in [sides, 64, sides] {
            let got = fast.covered_area(&centres, d, segments, &mut scratch);
            let want = if segments == sides {
                want
            } else {
                reference.covered_area(&centres, d, segments, &mut reference_scratch)
            };
            prop_assert!(same_area(got, want, &fast), "{} sides: {} vs {}", segments, got, want);
        }
        prop_assert_eq!(fast.area().to_bits(), reference.area().to_bits());
    }
}

/// Whether `got` is the reference's area `want` for `zone`, to the rounding of a few crossings
/// (see the module's documentation).
fn same_area(got: f64, want: f64, zone: &CoverZone) -> bool {
    (got - want).abs() <= 1e-12 * zone.area() + 1e-7
}

/// The overlay path (a group of more than 5 near discs) and a zone of one triangle (a hull of
/// three points) are among the cases above; this pins one of each explicitly.
#[test]
fn overlay_groups_and_triangles_are_the_reference_area() {
    let triangle = MultiPolygon(vec![Polygon::new(
        LineString(vec![
            Coord {
                x: 989_000.0,
                y: 6_734_000.0,
            },
            Coord {
                x: 989_400.0,
                y: 6_734_050.0,
            },
            Coord {
                x: 989_100.0,
                y: 6_734_380.0,
            },
            Coord {
                x: 989_000.0,
                y: 6_734_000.0,
            },
        ]),
        vec![],
    )]);
    let centres: Vec<Coord<f64>> = (0..9)
        .map(|k| Coord {
            x: 989_050.0 + 37.0 * k as f64,
            y: 6_734_020.0 + 29.0 * (k % 4) as f64,
        })
        .collect();
    let reference = disc_cover::CoverZone::new(&triangle);
    let fast = CoverZone::new(&triangle);
    let (mut a, mut b) = (disc_cover::CoverScratch::default(), CoverScratch::default());
    for d in [20.0, 60.0, 150.0, 400.0] {
        let want = reference.covered_area(&centres, d, 128, &mut a);
        let got = fast.covered_area(&centres, d, 128, &mut b);
        assert!(same_area(got, want, &fast), "D = {d}: {got} vs {want}");
        assert!(got > 0.0);
    }
}
