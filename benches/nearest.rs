//! Nearest facilities at national scale, single thread: bulk-loading the R-trees over 60,000
//! facilities, then k-nearest queries for 100,000 points (k = 1 and 3, every facility or one
//! category, with and without a maximum distance). Inputs: the national generator's facilities and
//! first points, already in Lambert-93 (end to end with every core: `scripts/bench.sh`).
//!
//! `cargo bench --bench nearest`

#[path = "support/national.rs"]
mod national;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::Point;
use national::{CATEGORIES, DEFAULT_SEED, DEFAULT_TOWNS, National};
use qpv::analysis::nearest::{NearestOptions, nearest};
use qpv::index::FacilityIndex;
use qpv::model::{Attributes, Category, Facility};

const N: usize = 100_000;
const N_FACILITIES: usize = 60_000;

fn bench(c: &mut Criterion) {
    let nat = National::build(national::default_source(), DEFAULT_SEED, DEFAULT_TOWNS)
        .expect("national zones");
    let raw: Vec<(f64, f64, usize)> = nat.facilities(DEFAULT_SEED).take(N_FACILITIES).collect();
    let positions = national::to_l93(raw.iter().map(|f| (f.0, f.1)), N_FACILITIES);
    let facilities: Vec<Facility> = raw
        .iter()
        .zip(&positions)
        .enumerate()
        .map(|(i, (f, p))| Facility {
            id: format!("F{:06}", i + 1),
            name: format!("{} F{:06}", CATEGORIES[f.2].2, i + 1),
            category: Category::new(CATEGORIES[f.2].0),
            point: Point(*p),
            attributes: Attributes::default(),
        })
        .collect();
    let points = national::to_l93(nat.points(DEFAULT_SEED), N);

    let mut g = c.benchmark_group("nearest");
    g.sample_size(10);
    g.bench_function("facility_index_build_60k", |b| {
        b.iter(|| black_box(FacilityIndex::new(&facilities)))
    });

    let index = FacilityIndex::new(&facilities);
    let cases = [
        ("k1_all_categories", NearestOptions::default()),
        (
            "k3_all_categories",
            NearestOptions {
                k: 3,
                ..Default::default()
            },
        ),
        (
            "k1_college",
            NearestOptions {
                category: Some(Category::new(Category::COLLEGE)),
                ..Default::default()
            },
        ),
        (
            "k1_within_1000m",
            NearestOptions {
                max_distance_m: Some(1_000.0),
                ..Default::default()
            },
        ),
    ];
    g.throughput(Throughput::Elements(N as u64));
    for (name, options) in &cases {
        g.bench_function(format!("{name}_100k_points"), |b| {
            b.iter(|| {
                let mut found = 0usize;
                for p in &points {
                    found += nearest(&index, *p, options).len();
                }
                black_box(found)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
