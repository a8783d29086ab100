//! Property tests: the indexes against brute force, on seeded random data (≥ 10,000 points per
//! property) and on proptest-generated cases.
//!
//! Brute force uses only geo (`Intersects`, `Contains`, `Euclidean` distance) and plain sorting,
//! never the crate's indexes.

mod coverage_common;

use geo::{Contains, Coord, Distance, Euclidean, Intersects, Line, MultiPolygon, Point, polygon};
use proptest::prelude::*;
use qpv::analysis::locate::{Status, locate};
use qpv::index::{FacilityIndex, PreparedPolygon, ZoneIndex};
use qpv::model::{Attributes, Category, Facility, Zone};

/// SplitMix64: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const CATEGORIES: [&str; 3] = ["college", "ecole_elementaire", "social_centre"];

fn facility(id: String, category: &str, x: f64, y: f64) -> Facility {
    Facility {
        name: format!("name {id}"),
        id,
        category: Category::new(category),
        point: Point::new(x, y),
        attributes: Attributes::default(),
    }
}

/// Random facilities; with `snap`, coordinates are small integers so that equal distances
/// (and duplicate positions and ids) are frequent and the tie rule is exercised.
fn random_facilities(rng: &mut Rng, n: usize, snap: bool) -> Vec<Facility> {
    (0..n)
        .map(|i| {
            let (x, y) = if snap {
                (rng.below(40) as f64, rng.below(40) as f64)
            } else {
                (rng.range(0.0, 10_000.0), rng.range(0.0, 10_000.0))
            };
            // Some ids repeat on purpose (same UAI listed twice), so the input-order rule matters.
            let id = format!("F{:04}", if rng.below(10) == 0 { i / 2 } else { i });
            facility(id, CATEGORIES[rng.below(3) as usize], x, y)
        })
        .collect()
}

/// Brute force: every facility, ordered by (dx² + dy², id, input index), filtered.
fn brute_nearest(
    facilities: &[Facility],
    p: Coord<f64>,
    k: usize,
    category: Option<&Category>,
    max: Option<f64>,
) -> Vec<usize> {
    let mut all: Vec<(f64, &str, usize)> = facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| category.is_none_or(|c| &f.category == c))
        .map(|(i, f)| {
            let dx = f.point.x() - p.x;
            let dy = f.point.y() - p.y;
            (dx * dx + dy * dy, f.id.as_str(), i)
        })
        .filter(|(d2, _, _)| max.is_none_or(|m| d2.sqrt() <= m))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
    all.into_iter().take(k).map(|(_, _, i)| i).collect()
}

fn check_nearest(
    facilities: &[Facility],
    index: &FacilityIndex,
    p: Coord<f64>,
    k: usize,
    category: Option<&Category>,
    max: Option<f64>,
) {
    let got = index.nearest(p, k, category, max);
    let want = brute_nearest(facilities, p, k, category, max);
    let got_ids: Vec<usize> = got.iter().map(|n| n.index).collect();
    assert_eq!(got_ids, want, "k={k} {category:?} max={max:?} at {p:?}");
    for n in &got {
        let exact = Euclidean.distance(&facilities[n.index].point, &Point(p));
        assert!((n.distance - exact).abs() <= 1e-6, "distance at {p:?}");
    }
}

#[test]
fn nearest_k1_k3_equals_brute_force_on_10000_points() {
    let mut rng = Rng(2024);
    let mut points = 0;
    for set in 0..40 {
        let snap = set % 2 == 0;
        let n = 1 + rng.below(if snap { 300 } else { 2000 }) as usize;
        let facilities = random_facilities(&mut rng, n, snap);
        let index = FacilityIndex::new(&facilities);
        for _ in 0..260 {
            let p = if snap {
                // Half-integers and integers: many exact ties.
                Coord {
                    x: rng.below(90) as f64 / 2.0 - 2.0,
                    y: rng.below(90) as f64 / 2.0 - 2.0,
                }
            } else {
                Coord {
                    x: rng.range(-500.0, 10_500.0),
                    y: rng.range(-500.0, 10_500.0),
                }
            };
            let category = Category::new(CATEGORIES[rng.below(3) as usize]);
            let max = if snap { 6.0 } else { 250.0 };
            for k in [1, 3] {
                check_nearest(&facilities, &index, p, k, None, None);
                check_nearest(&facilities, &index, p, k, Some(&category), None);
                check_nearest(&facilities, &index, p, k, None, Some(max));
                check_nearest(&facilities, &index, p, k, Some(&category), Some(max));
            }
            points += 1;
        }
    }
    assert!(points >= 10_000);
}

/// Brute force location: (zone, on boundary, |signed distance|, nearest zone candidates).
struct Brute {
    zone: Option<usize>,
    on_boundary: bool,
    boundary_distance: f64,
    nearest_zones: Vec<usize>,
}

fn brute_locate(zones: &[Zone], p: Coord<f64>) -> Brute {
    let point = Point(p);
    let mut containing: Vec<usize> = (0..zones.len())
        .filter(|&i| zones[i].geometry.intersects(&point))
        .collect();
    containing.sort_by(|&a, &b| zones[a].code.cmp(&zones[b].code).then(a.cmp(&b)));
    let zone = containing.first().copied();
    let on_boundary = zone.is_some_and(|z| !zones[z].geometry.contains(&point));
    let per_zone: Vec<f64> = zones
        .iter()
        .map(|z| {
            z.geometry
                .0
                .iter()
                .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
                .flat_map(|ring| ring.lines())
                .map(|l: Line<f64>| Euclidean.distance(&point, &l))
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let best = per_zone.iter().copied().fold(f64::INFINITY, f64::min);
    let mut nearest_zones: Vec<usize> = (0..zones.len())
        .filter(|&i| per_zone[i] <= best + 1e-9)
        .collect();
    nearest_zones.sort_by(|&a, &b| zones[a].code.cmp(&zones[b].code).then(a.cmp(&b)));
    Brute {
        zone,
        on_boundary,
        boundary_distance: best,
        nearest_zones,
    }
}

fn check_locate(zones: &[Zone], index: &ZoneIndex, p: Coord<f64>) {
    let hit = index.locate(p);
    let brute = brute_locate(zones, p);
    assert_eq!(hit.zone, brute.zone, "containing zone at {p:?}");
    assert_eq!(hit.on_boundary, brute.on_boundary, "on boundary at {p:?}");
    let signed = hit.signed_distance.unwrap();
    let expected = if brute.zone.is_some() {
        -brute.boundary_distance
    } else {
        brute.boundary_distance
    };
    assert!(
        (signed - expected).abs() <= 1e-6,
        "signed distance at {p:?}: {signed} vs {expected}"
    );
    if brute.on_boundary {
        assert_eq!(signed, 0.0);
    }
    let nearest = hit.nearest_zone.unwrap();
    match brute.zone {
        Some(z) => assert_eq!(nearest, z),
        None => assert_eq!(nearest, brute.nearest_zones[0], "nearest zone at {p:?}"),
    }
    let located = locate(index, p, 25.0);
    let status = if expected.abs() <= 25.0 {
        Status::Near
    } else if brute.zone.is_some() {
        Status::Inside
    } else {
        Status::Outside
    };
    assert_eq!(located.status, status);
}

#[test]
fn locate_equals_brute_force_on_real_qpv_including_vertices_and_edges() {
    let zones = coverage_common::zones();
    let index = ZoneIndex::new(&zones);
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut special = Vec::new();
    for z in &zones {
        for poly in &z.geometry.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for l in ring.lines() {
                    minx = minx.min(l.start.x);
                    miny = miny.min(l.start.y);
                    maxx = maxx.max(l.start.x);
                    maxy = maxy.max(l.start.y);
                    special.push(l.start);
                    special.push(Coord {
                        x: (l.start.x + l.end.x) / 2.0,
                        y: (l.start.y + l.end.y) / 2.0,
                    });
                    // Same height as a vertex: the ray passes exactly through it.
                    special.push(Coord {
                        x: l.start.x - 3.0,
                        y: l.start.y,
                    });
                }
            }
        }
    }
    let mut rng = Rng(90);
    let mut count = 0;
    // Random points over the area (densely around the zones, which are small in it).
    for _ in 0..12_000 {
        let z = &zones[rng.below(zones.len() as u64) as usize];
        let b = geo::BoundingRect::bounding_rect(&z.geometry).unwrap();
        let p = if rng.below(4) == 0 {
            Coord {
                x: rng.range(minx - 500.0, maxx + 500.0),
                y: rng.range(miny - 500.0, maxy + 500.0),
            }
        } else {
            Coord {
                x: rng.range(b.min().x - 50.0, b.max().x + 50.0),
                y: rng.range(b.min().y - 50.0, b.max().y + 50.0),
            }
        };
        check_locate(&zones, &index, p);
        count += 1;
    }
    for p in special.iter().step_by(1) {
        check_locate(&zones, &index, *p);
        count += 1;
    }
    assert!(count >= 10_000);
}

/// The real QPV copied to scattered places over 300 km (as the national benchmark does), so
/// that the index's grid of cells has many clusters, far points, points outside the grid, and
/// distance limits to honour.
#[test]
fn locate_equals_brute_force_on_scattered_copies_of_the_real_qpv() {
    let real = coverage_common::zones();
    let mut rng = Rng(2024);
    let mut zones = Vec::new();
    for copy in 0..9 {
        let (dx, dy) = (
            rng.range(-150_000.0, 150_000.0),
            rng.range(-150_000.0, 150_000.0),
        );
        for z in &real {
            let mut z = z.clone();
            z.code = format!("{}-{copy}", z.code);
            geo::MapCoordsInPlace::map_coords_in_place(&mut z.geometry, |c| Coord {
                x: c.x + dx,
                y: c.y + dy,
            });
            zones.push(z);
        }
    }
    let index = ZoneIndex::new(&zones);
    let (cx, cy) = (989_000.0, 6_733_000.0);
    for i in 0..3_000 {
        let p = match i % 3 {
            // Anywhere, including far outside the zones' surroundings.
            0 => Coord {
                x: cx + rng.range(-400_000.0, 400_000.0),
                y: cy + rng.range(-400_000.0, 400_000.0),
            },
            // Around a zone.
            _ => {
                let z = &zones[rng.below(zones.len() as u64) as usize];
                let b = geo::BoundingRect::bounding_rect(&z.geometry).unwrap();
                Coord {
                    x: rng.range(b.min().x - 3_000.0, b.max().x + 3_000.0),
                    y: rng.range(b.min().y - 3_000.0, b.max().y + 3_000.0),
                }
            }
        };
        check_locate(&zones, &index, p);
        // With a distance limit, the same answer within the limit and none beyond it.
        let full = index.locate(p);
        for limit in [30.0, 800.0] {
            let limited = index.locate_within(p, limit);
            assert_eq!(limited.zone, full.zone, "{p:?}");
            if full.zone.is_some() || full.signed_distance.unwrap() <= limit {
                assert_eq!(limited, full, "{p:?} limit {limit}");
            } else {
                assert_eq!(
                    (limited.signed_distance, limited.nearest_zone),
                    (None, None)
                );
            }
        }
    }
}

fn square_zone(code: &str, x: f64, y: f64, size: f64) -> Zone {
    Zone {
        code: code.into(),
        name: format!("zone {code}"),
        communes: vec![],
        geometry: MultiPolygon(vec![polygon![
            (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)
        ]]),
        attributes: Attributes::default(),
    }
}

/// Adjacent squares sharing edges and corners (codes deliberately not in input order), a zone
/// with a hole, and an island zone inside that hole.
fn tiled_zones() -> Vec<Zone> {
    let mut zones = Vec::new();
    let codes = ["Z5", "Z2", "Z9", "Z1", "Z7", "Z3", "Z8", "Z4", "Z6"];
    for (i, code) in codes.iter().enumerate() {
        zones.push(square_zone(
            code,
            (i % 3) as f64 * 10.0,
            (i / 3) as f64 * 10.0,
            10.0,
        ));
    }
    zones.push(Zone {
        code: "H1".into(),
        name: "with hole".into(),
        communes: vec![],
        geometry: MultiPolygon(vec![polygon!(
            exterior: [(x: 40.0, y: 0.0), (x: 70.0, y: 0.0), (x: 70.0, y: 30.0), (x: 40.0, y: 30.0)],
            interiors: [[(x: 50.0, y: 10.0), (x: 60.0, y: 10.0), (x: 60.0, y: 20.0), (x: 50.0, y: 20.0)]],
        )]),
        attributes: Attributes::default(),
    });
    zones.push(square_zone("I1", 52.0, 12.0, 4.0));
    // A triangle with a slanted edge through lattice points.
    zones.push(Zone {
        code: "T1".into(),
        name: "triangle".into(),
        communes: vec![],
        geometry: MultiPolygon(vec![
            polygon![(x: 0.0, y: 40.0), (x: 30.0, y: 40.0), (x: 0.0, y: 70.0)],
        ]),
        attributes: Attributes::default(),
    });
    zones
}

#[test]
fn locate_equals_brute_force_on_shared_boundaries_holes_and_lattice_points() {
    let zones = tiled_zones();
    let index = ZoneIndex::new(&zones);
    let mut rng = Rng(7);
    for i in 0..12_000 {
        // Lattice points (integers and halves) land exactly on edges, corners and shared edges.
        let p = if i % 3 == 0 {
            Coord {
                x: rng.range(-5.0, 80.0),
                y: rng.range(-5.0, 75.0),
            }
        } else {
            Coord {
                x: rng.below(170) as f64 / 2.0 - 5.0,
                y: rng.below(160) as f64 / 2.0 - 5.0,
            }
        };
        check_locate(&zones, &index, p);
    }
    // The corner shared by four squares belongs to the lowest code among them.
    let corner = index.locate(Coord { x: 10.0, y: 10.0 });
    assert_eq!(index.zone(corner.zone.unwrap()).code, "Z1");
    assert!(corner.on_boundary);
}

#[test]
fn facilities_within_distance_of_zones_and_nearest_to_zones_equal_brute_force() {
    let zones = coverage_common::zones();
    let mut rng = Rng(31);
    for z in &zones {
        let shape = PreparedPolygon::new(z.geometry.clone());
        let b = shape.bbox().unwrap();
        let facilities: Vec<Facility> = (0..400)
            .map(|i| {
                facility(
                    format!("F{i:03}"),
                    CATEGORIES[rng.below(3) as usize],
                    rng.range(b.min().x - 800.0, b.max().x + 800.0),
                    rng.range(b.min().y - 800.0, b.max().y + 800.0),
                )
            })
            .collect();
        let index = FacilityIndex::new(&facilities);
        let category = Category::new("college");
        let distance = |f: &Facility| Euclidean.distance(&z.geometry, &f.point);
        for d in [0.0, 100.0, 300.0] {
            let got: Vec<usize> = index
                .within_distance_of(&shape, d, Some(&category))
                .iter()
                .map(|n| n.index)
                .collect();
            let mut want: Vec<(f64, usize)> = facilities
                .iter()
                .enumerate()
                .filter(|(_, f)| f.category == category)
                .map(|(i, f)| (distance(f), i))
                .filter(|(dist, _)| *dist <= d)
                .collect();
            want.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            assert_eq!(
                got,
                want.iter().map(|w| w.1).collect::<Vec<_>>(),
                "{} {d}",
                z.code
            );
        }
        let nearest = index.nearest_to(&shape, Some(&category)).unwrap();
        let best = facilities
            .iter()
            .filter(|f| f.category == category)
            .map(distance)
            .fold(f64::INFINITY, f64::min);
        assert!((nearest.distance - best).abs() < 1e-6);
        assert!((distance(&facilities[nearest.index]) - best).abs() < 1e-6);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn nearest_matches_brute_force_on_generated_sets(
        coords in prop::collection::vec((0u8..30, 0u8..30, 0usize..3), 1..120),
        queries in prop::collection::vec((0u8..70, 0u8..70), 1..40),
        k in 1usize..5,
    ) {
        let facilities: Vec<Facility> = coords
            .iter()
            .enumerate()
            .map(|(i, &(x, y, c))| facility(format!("P{:03}", i % 50), CATEGORIES[c], x as f64, y as f64))
            .collect();
        let index = FacilityIndex::new(&facilities);
        for &(x, y) in &queries {
            let p = Coord { x: x as f64 / 2.0, y: y as f64 / 2.0 };
            check_nearest(&facilities, &index, p, k, None, None);
            check_nearest(&facilities, &index, p, k, Some(&Category::new("college")), Some(5.0));
        }
    }

    #[test]
    fn locate_matches_brute_force_on_generated_points(x in -50i32..1700, y in -50i32..1500) {
        let zones = tiled_zones();
        let index = ZoneIndex::new(&zones);
        check_locate(&zones, &index, Coord { x: x as f64 / 20.0, y: y as f64 / 20.0 });
    }
}
