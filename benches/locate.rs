//! Point-in-QPV at national scale, single thread: building the zone index over 1,610 QPV-like
//! zones, then locating 100,000 points (status, containing zone, signed distance to the nearest
//! boundary). Inputs: the national generator's zones and first points, already in Lambert-93, so
//! this measures the index alone (reading and reprojection: `benches/reproject.rs`; end to end
//! with every core: `scripts/bench.sh`).
//!
//! `cargo bench --bench locate`

#[path = "support/national.rs"]
mod national;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use national::{DEFAULT_SEED, DEFAULT_TOWNS, National};
use qpv::analysis::locate::{DEFAULT_TOLERANCE_M, Status, locate};
use qpv::index::ZoneIndex;
use qpv::model::{Attributes, Zone};

const N: usize = 100_000;

fn bench(c: &mut Criterion) {
    let nat = National::build(national::default_source(), DEFAULT_SEED, DEFAULT_TOWNS)
        .expect("national zones");
    let zones: Vec<Zone> = nat
        .zones
        .iter()
        .map(|z| Zone {
            code: z.code.clone(),
            name: z.name.clone(),
            communes: vec![],
            geometry: z.l93.clone(),
            attributes: Attributes::default(),
        })
        .collect();
    let points = national::to_l93(nat.points(DEFAULT_SEED), N);

    let mut g = c.benchmark_group("locate");
    g.sample_size(10);
    g.bench_function("zone_index_build_1610_zones", |b| {
        b.iter(|| black_box(ZoneIndex::new(&zones)))
    });

    let index = ZoneIndex::new(&zones);
    // Guard against measuring a degenerate index: about 5 % of the points lie in a zone.
    let inside = points
        .iter()
        .filter(|p| locate(&index, **p, DEFAULT_TOLERANCE_M).zone.is_some())
        .count();
    assert!(inside > N / 50, "only {inside} of {N} points in a zone");

    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("locate_100k_points_tolerance_25m", |b| {
        b.iter(|| {
            let mut n_inside = 0usize;
            for p in &points {
                if locate(&index, *p, DEFAULT_TOLERANCE_M).status == Status::Inside {
                    n_inside += 1;
                }
            }
            black_box(n_inside)
        })
    });
    g.bench_function("containing_zone_only_100k_points", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for p in &points {
                n += usize::from(index.containing(*p).is_some());
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
