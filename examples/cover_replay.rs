//! Replays the covered-area computations of `qpv coverage` on given inputs, single-threaded,
//! to time [`CoverZone::covered_area`] alone (no loading, no writing) and print a checksum of
//! the areas' bits (same checksum = the same `f64`s).
//!
//! ```text
//! cargo run --release --example cover_replay -- ZONES.geojson FACILITIES.csv CATEGORY_FIELD [ROUNDS]
//! ```
//! Distances 300, 500 and 1000 m, 128 sides, as the W3 benchmark.

use std::path::Path;
use std::time::Instant;

use geo::Coord;
use qpv::crs::Crs;
use qpv::geometry::disc_cover::{CoverScratch, CoverZone};
use qpv::index::{FacilityIndex, ZoneIndex};
use qpv::io::{CategorySource, FacilityFields, ZoneFields, read_facilities, read_zones};
use qpv::model::Category;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, zones, facilities, field, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: cover_replay ZONES FACILITIES CATEGORY_FIELD [ROUNDS]");
    };
    let rounds: usize = rest.first().map_or(Ok(3), |r| r.parse())?;
    let crs = Crs::working("EPSG:2154")?;
    let zones = ZoneIndex::new(&read_zones(Path::new(zones), &ZoneFields::default(), crs)?);
    let fields = FacilityFields {
        category: CategorySource::Column(field.clone()),
        ..FacilityFields::default()
    };
    let facilities = FacilityIndex::new(&read_facilities(Path::new(facilities), &fields, crs)?);
    let categories: Vec<Category> = facilities.categories().cloned().collect();
    let distances = [300.0, 500.0, 1000.0];
    // Every (zone, centres, D) of the run, prepared once.
    let mut cases: Vec<(usize, Vec<Coord<f64>>, f64)> = Vec::new();
    let covers: Vec<CoverZone> = zones
        .zones()
        .iter()
        .map(|z| CoverZone::new(z.shape.geometry()))
        .collect();
    for (z, zone) in zones.zones().iter().enumerate() {
        for category in &categories {
            let all = facilities.within_distance_of(&zone.shape, 1000.0, Some(category));
            for &d in &distances {
                let centres: Vec<Coord<f64>> = all
                    .iter()
                    .filter(|n| n.distance <= d)
                    .map(|n| facilities.facility(n.index).point)
                    .collect();
                if !centres.is_empty() {
                    cases.push((z, centres, d));
                }
            }
        }
    }
    let mut scratch = CoverScratch::default();
    for round in 0..rounds {
        let start = Instant::now();
        let mut checksum = 0u64;
        for (z, centres, d) in &cases {
            let area = covers[*z].covered_area(centres, *d, 128, &mut scratch);
            checksum = checksum.rotate_left(5) ^ area.to_bits();
        }
        println!(
            "round {round}: {} cases in {:.1} ms, checksum {checksum:016x}",
            cases.len(),
            start.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(())
}
