//! The neighbouring communes of the geocoder's fallback (issue 12) against commune adjacency.
//!
//! When a street is not in the commune given, `qpv` looks for it in the communes whose address
//! centres lie within `NEIGHBOUR_KM` (6 km) of the given one's, rather than in the communes
//! that touch it: the embedded outlines cover only the 52 communes of Grand Belfort (BANO 90
//! has 101) and a `--reference` file of another territory comes with none, while centres
//! exist for every commune of every reference. This checks that nothing is lost by it on the
//! communes that have outlines: every pair of touching communes is within the distance.
//!
//! Oracle: `scripts/bench_geocode/commune_adjacency.py` (pure Python, its own projection and
//! its own reading of the GeoJSON and of BANO) prints 123 touching pairs (a vertex of one
//! outline within 50 m of the other's boundary; the outlines are simplified, so shared borders
//! do not coincide) and 5,398 m as the largest centre distance of touching communes, well
//! under 6 km. (It also counts 377 pairs with centres within 6 km; here 376: one pair lies at
//! 6 km to within the difference between its projection and Lambert-93, so that count is not
//! asserted.)

use geo::{CoordsIter, Distance, Euclidean, Line, Point};
use qpv::crs::Crs;
use qpv::geocode::AddressIndex;
use qpv::geocode::matcher::NEIGHBOUR_KM;

/// Brute force: the least distance from a vertex of `a` to a boundary segment of `b`.
fn boundary_distance(a: &geo::MultiPolygon<f64>, b: &geo::MultiPolygon<f64>) -> f64 {
    let mut segments = Vec::new();
    for polygon in b {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            segments.extend(ring.lines());
        }
    }
    a.coords_iter()
        .flat_map(|p| {
            segments
                .iter()
                .map(move |l: &Line<f64>| Euclidean.distance(l, &Point(p)))
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn every_touching_commune_is_a_neighbour_of_the_fallback() {
    let outlines = qpv::io::embedded::communes(Crs::LAMBERT93).unwrap();
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let id = |insee: &str| {
        index
            .communes()
            .iter()
            .position(|c| c.insee == insee)
            .unwrap() as u32
    };
    assert_eq!((outlines.len(), index.communes().len()), (52, 101));
    let mut touching = 0;
    for (i, a) in outlines.iter().enumerate() {
        let neighbours = index.communes_near(&[id(&a.code)], NEIGHBOUR_KM);
        for b in &outlines[i + 1..] {
            let is_near = neighbours.contains(&id(&b.code));
            if boundary_distance(&a.geometry, &b.geometry) < 50.0 {
                touching += 1;
                assert!(is_near, "{} and {} touch", a.name, b.name);
            }
        }
    }
    assert_eq!(touching, 123);
}
