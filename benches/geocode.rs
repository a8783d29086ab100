//! Geocoding throughput on a warm index, and index build time.
//!
//! `cargo bench --bench geocode` (release). Queries are every BANO 90 address written back as
//! text (`12 Rue Danton, 90000 Belfort`), the same in capitals without postcode, and a messy
//! mix (abbreviations, typos, missing numbers, garbage).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qpv::crs::Crs;
use qpv::geocode::{AddressIndex, AddressQuery};

fn queries() -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/bano-90.csv"))
        .unwrap();
    let mut full = Vec::new();
    let mut caps = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split(',').collect();
        full.push(format!("{} {}, {} {}", f[1], f[2], f[3], f[4]));
        caps.push(format!("{} {} {}", f[1], f[2], f[4]).to_uppercase());
    }
    (full, caps)
}

const MESSY: &[&str] = &[
    "13 RUE DANTON 90000 BELFORT",
    "4 r. de Madrid Belfort",
    "12 av. Jean Jaurès 90000",
    "18 ter fbg de Montbéliard 90000 Belfort",
    "12 rue Dnaton 90000 Belfort",
    "4 bis, rue du Comte de la Suze, BELFORT",
    "23 rue de la Gare OFFEMONT",
    "Avenue Jean Jaurès 90000 Belfort",
    "n'importe quoi",
    "Bât C, 12 av Jean Jaures 90000 Belfort",
    "3 RUE ST ANTOINE 90000",
    "12 rue Danton Belfrot",
    "5 bd du Mal Joffre 90000",
    "12 rue des Oubliés 90000 Belfort",
];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("geocode");
    g.sample_size(10);
    g.bench_function("build embedded BANO index (35,847 points)", |b| {
        b.iter(|| black_box(AddressIndex::embedded(Crs::LAMBERT93).unwrap()))
    });
    let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    let (full, caps) = queries();
    for (name, qs) in [("full address", &full), ("capitals, no postcode", &caps)] {
        g.throughput(Throughput::Elements(qs.len() as u64));
        g.bench_function(format!("{name} ({} queries)", qs.len()), |b| {
            b.iter(|| {
                for q in qs {
                    black_box(index.geocode(&AddressQuery::text(q)));
                }
            })
        });
    }
    g.throughput(Throughput::Elements(MESSY.len() as u64));
    g.bench_function("messy mix (typos, missing numbers, garbage)", |b| {
        b.iter(|| {
            for q in MESSY {
                black_box(index.geocode(&AddressQuery::text(q)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
