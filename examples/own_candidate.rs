//! A planner's own candidate perimeter, tested through the library API.
//!
//! ```sh
//! cargo run --example own_candidate -- my_perimeter.geojson [OUTPUT_DIR]
//! ```
//!
//! The file can be GeoJSON or any GDAL polygon layer (Shapefile, GeoPackage…), in any CRS
//! it declares; several features are dissolved into one perimeter whose continuous parts are
//! assessed separately. Without arguments, the example first writes a demonstration file
//! from real data — Les Résidences (QN09004M) grown by 100 m — as a planner would have drawn
//! it in QGIS, then reads it back like any other file.

use std::path::PathBuf;

use geo::Geometry;
use serde_json::json;

use qpv::analysis::candidate;
use qpv::analysis::interpolate::GridIndex;
use qpv::analysis::perimeter::{FacilityStatus, PerimeterOptions, test_perimeter};
use qpv::crs::Crs;
use qpv::io::{embedded, source::read_vector};
use qpv::output::atomic::write_atomic;
use qpv::output::report_html::Lang;
use qpv::output::report_markdown::{int, pct};
use qpv::output::{GeoFeature, GeoLayer, geojson, report_markdown};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let given = args.next().map(PathBuf::from);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/own_candidate"));
    std::fs::create_dir_all(&dir)?;
    let crs = Crs::LAMBERT93;
    let zones = embedded::zones(crs)?;

    let path = match given {
        Some(p) => p,
        None => {
            let p = dir.join("demo_candidate.geojson");
            let grown = candidate::buffer(
                &candidate::from_zones(&zones, &["QN09004M".into()], "QPV")?,
                100.0,
            );
            let layer = GeoLayer {
                name: "demo_candidate".into(),
                crs,
                style: Some(qpv::output::qgis_style::LayerStyle::Perimeter),
                features: vec![GeoFeature {
                    geometry: Some(Geometry::MultiPolygon(grown)),
                    properties: [("name".to_string(), json!("Les Résidences + 100 m"))]
                        .into_iter()
                        .collect(),
                }],
            };
            write_atomic(&p, |w| geojson::write_layer(w, &layer))?;
            p
        }
    };

    // Read the file like any user file: CRS from the file, validity checked, dissolved.
    let (name, perimeter) = candidate::from_layer(read_vector(&path, None)?, None, crs, None)?;
    let cells = embedded::grid(embedded::GridYear::Y2015, crs)?;
    let facilities = embedded::facilities(crs)?;
    let grid = GridIndex::new(&cells);
    let t = test_perimeter(
        &name,
        &perimeter,
        &zones,
        &grid,
        &facilities,
        &PerimeterOptions::default(),
    );

    let report = report_markdown::perimeter_test(
        &t,
        qpv::analysis::perimeter::Baseline::Touched,
        &embedded::grid_source(embedded::GridYear::Y2015, &cells),
        Lang::Fr,
    );
    let out = dir.join("report.md");
    write_atomic(&out, |w| {
        w.write_all(report.as_bytes())
            .map_err(|e| qpv::Error::io(&out, e))
    })?;

    println!("{name} ({})", path.display());
    println!(
        "  {} inhabitants (estimate), of which {} outside the current QPV",
        int(t.candidate.indicators.population),
        int(t.added.indicators.population)
    );
    for o in &t.overlaps {
        println!(
            "  {} {}: {} of its area, {} of its population",
            o.code,
            o.name,
            pct(Some(o.pct_of_qpv_area)),
            pct(o.pct_of_qpv_population)
        );
    }
    for f in t.with_status(FacilityStatus::Gained) {
        println!("  gains {} {} ({})", f.id, f.name, f.category);
    }
    for f in t.with_status(FacilityStatus::Lost) {
        println!("  loses {} {} ({})", f.id, f.name, f.category);
    }
    println!("  report: {}", out.display());
    Ok(())
}
