//! The cité éducative of Belfort as a candidate perimeter, built from the embedded real layers
//! through the library API, tested against the current (2024) QPV geography.
//!
//! The footprint covers five quarters: the QPV Les Résidences (QN09004M), Le Mont (QN09005M),
//! Les Glacis du Château (QN09002M), Dardel – La Méchelle (QN09003I) and La Pépinière
//! (QN09007N, a QPV since 2024), plus Châteaudun, which has no official outline. Châteaudun is
//! described here — *illustratively* — as the 200 m grid cells lying within 200 m of the
//! Collège Châteaudun (UAI 0900017E), whose position is taken from the embedded Annuaire de
//! l'éducation. Change `CHATEAUDUN_RADIUS_M` to test another reading.
//!
//! ```sh
//! cargo run --example cite_educative -- [OUTPUT_DIR]   # default target/cite_educative
//! ```
//!
//! Writes `report.md` (in French), `result.json`, `candidate.geojson`, `added.geojson`,
//! `removed.geojson` and prints the key figures.

use std::path::PathBuf;

use qpv::analysis::candidate;
use qpv::analysis::interpolate::GridIndex;
use qpv::analysis::perimeter::{FacilityStatus, PerimeterOptions, test_perimeter};
use qpv::crs::Crs;
use qpv::io::embedded;
use qpv::output::atomic::write_atomic;
use qpv::output::report_html::Lang;
use qpv::output::report_markdown::{ha, int, share};
use qpv::output::{geojson, perimeter_layers, report_markdown};

/// The five quarters that are (now) QPV.
const QPV_CODES: [&str; 5] = ["QN09004M", "QN09005M", "QN09002M", "QN09003I", "QN09007N"];
/// Collège Châteaudun.
const CHATEAUDUN_UAI: &str = "0900017E";
/// Cells within this distance of the collège describe Châteaudun (illustrative).
const CHATEAUDUN_RADIUS_M: f64 = 200.0;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/cite_educative"));
    let crs = Crs::LAMBERT93;
    let zones = embedded::zones(crs)?;
    let cells = embedded::grid(embedded::GridYear::Y2015, crs)?;
    let facilities = embedded::facilities(crs)?;

    let codes: Vec<String> = QPV_CODES.iter().map(|c| c.to_string()).collect();
    let quarters = candidate::from_zones(&zones, &codes, "QPV")?;
    let college = facilities
        .iter()
        .find(|f| f.id == CHATEAUDUN_UAI)
        .ok_or_else(|| anyhow::anyhow!("collège {CHATEAUDUN_UAI} not in the embedded schools"))?;
    let chateaudun = candidate::cells_near(&cells, college.point, CHATEAUDUN_RADIUS_M);
    let footprint = candidate::dissolve([&quarters, &chateaudun]);

    let grid = GridIndex::new(&cells);
    let options = PerimeterOptions::default();
    let t = test_perimeter(
        "cité éducative de Belfort",
        &footprint,
        &zones,
        &grid,
        &facilities,
        &options,
    );

    std::fs::create_dir_all(&dir)?;
    let report = report_markdown::perimeter_test(
        &t,
        qpv::analysis::perimeter::Baseline::Touched,
        &embedded::grid_source(embedded::GridYear::Y2015, &cells),
        Lang::Fr,
    );
    write_atomic(&dir.join("report.md"), |w| {
        w.write_all(report.as_bytes())
            .map_err(|e| qpv::Error::io(dir.join("report.md"), e))
    })?;
    let json = serde_json::to_string_pretty(&t)?;
    write_atomic(&dir.join("result.json"), |w| {
        w.write_all(json.as_bytes())
            .map_err(|e| qpv::Error::io(dir.join("result.json"), e))
    })?;
    for layer in perimeter_layers::perimeter_layers(&t, crs) {
        let path = dir.join(format!("{}.geojson", layer.name));
        write_atomic(&path, |w| geojson::write_layer(w, &layer))?;
    }

    let c = &t.candidate.indicators;
    let ch = grid.estimate(&chateaudun);
    println!("Cité éducative de Belfort (estimates from the Filosofi 2015 200 m grid)");
    println!(
        "  footprint: {} ha, {} inhabitants, {} households, poor households {}, mean standard of living {} €",
        ha(c.area_m2),
        int(c.population),
        int(c.households),
        share(c.poor_household_share),
        c.mean_standard_of_living.map_or("–".into(), int),
    );
    println!(
        "  Châteaudun (cells within {} m of {}, UAI {}): {} cells, {} ha, {} inhabitants",
        CHATEAUDUN_RADIUS_M,
        college.name,
        college.id,
        ch.cells,
        ha(ch.area_m2),
        int(ch.population)
    );
    println!(
        "  current QPV touched: {} ({} inhabitants); added {} inhabitants, removed {}",
        t.baseline_codes.join(", "),
        int(t.baseline.indicators.population),
        int(t.added.indicators.population),
        int(t.removed.indicators.population)
    );
    for o in &t.overlaps {
        println!(
            "    {} {}: {:.1} % of its area, {} inhabitants in the footprint",
            o.code,
            o.name,
            o.pct_of_qpv_area,
            int(o.overlap_population)
        );
    }
    let gained: Vec<String> = t
        .with_status(FacilityStatus::Gained)
        .map(|f| format!("{} {}", f.id, f.name))
        .collect();
    println!("  schools gained: {}", gained.join("; "));
    println!(
        "  continuous parts: {}, eligible under the mean-income proxy (S = {} €): {}",
        t.parts.len(),
        int(t.threshold.value),
        t.parts.iter().filter(|p| p.assessment.eligible).count()
    );
    println!("  written to {}", dir.display());
    Ok(())
}
