//! Per-point costs that every end-to-end `locate`/`nearest` run pays before any geometry:
//! reading a point CSV with `io::table` and reprojecting WGS84 → Lambert-93 with `crs`.
//! Inputs: the first 100,000 points of the national generator (see BENCHMARKS.md).
//!
//! `cargo bench --bench reproject`

#[path = "support/national.rs"]
mod national;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::Coord;
use national::{DEFAULT_SEED, DEFAULT_TOWNS, National, push_fixed, push_uint};
use qpv::crs::{Crs, Reprojector, ToMetric};
use qpv::io::table::{TableOptions, TableReader, parse_number};

const N: usize = 100_000;

fn points_wgs84() -> Vec<Coord<f64>> {
    let nat = National::build(national::default_source(), DEFAULT_SEED, DEFAULT_TOWNS)
        .expect("national zones");
    nat.points(DEFAULT_SEED)
        .take(N)
        .map(|(x, y)| Coord { x, y })
        .collect()
}

fn points_csv(points: &[Coord<f64>]) -> Vec<u8> {
    let mut buf = b"id,lon,lat\n".to_vec();
    for (i, p) in points.iter().enumerate() {
        push_uint(&mut buf, i as u64 + 1);
        buf.push(b',');
        push_fixed(&mut buf, p.x, 7);
        buf.push(b',');
        push_fixed(&mut buf, p.y, 7);
        buf.push(b'\n');
    }
    buf
}

fn bench(c: &mut Criterion) {
    let points = points_wgs84();
    let csv = points_csv(&points);
    let mut g = c.benchmark_group("per_point");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N as u64));

    g.bench_function("csv_read_100k", |b| {
        b.iter(|| {
            let mut r = TableReader::from_bytes(
                Path::new("points.csv"),
                csv.clone(),
                &TableOptions::default(),
            )
            .expect("reader");
            let (lon, lat) = (
                r.require_column("lon", "longitude").expect("lon"),
                r.require_column("lat", "latitude").expect("lat"),
            );
            let mut sum = 0.0;
            while let Some(row) = r.next_row() {
                let row = row.expect("row");
                sum += parse_number(&row.fields[lon]).unwrap_or(0.0)
                    + parse_number(&row.fields[lat]).unwrap_or(0.0);
            }
            black_box(sum)
        })
    });

    let reproject = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).expect("PROJ");
    g.bench_function("reprojector_wgs84_to_l93_100k", |b| {
        b.iter(|| {
            for p in &points {
                black_box(reproject.coord(*p).expect("reprojection"));
            }
        })
    });

    let to_metric = ToMetric::new(Crs::WGS84, Crs::LAMBERT93).expect("PROJ");
    g.bench_function("to_metric_wgs84_to_l93_100k", |b| {
        b.iter(|| {
            for p in &points {
                black_box(to_metric.coord(*p).expect("plausible"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
