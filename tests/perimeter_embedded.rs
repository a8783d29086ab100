//! Perimeter tests on the embedded Grand Belfort data, through the library API.

use geo::{BoundingRect, MultiPolygon, polygon};
use qpv::analysis::candidate;
use qpv::analysis::interpolate::{GridIndex, interpolate};
use qpv::analysis::perimeter::{FacilityStatus, PerimeterOptions, compare, test_perimeter};
use qpv::crs::Crs;
use qpv::io::embedded;

const L93: Crs = Crs::LAMBERT93;

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-12)
}

#[test]
fn every_current_qpv_as_its_own_candidate() {
    let zones = embedded::zones(L93).unwrap();
    let cells = embedded::grid(embedded::GridYear::Y2015, L93).unwrap();
    let facilities = embedded::facilities(L93).unwrap();
    let grid = GridIndex::new(&cells);
    assert_eq!(zones.len(), 7);
    for z in &zones {
        let t = test_perimeter(
            &z.code,
            &z.geometry,
            &zones,
            &grid,
            &facilities,
            &PerimeterOptions::default(),
        );
        assert_eq!(t.overlaps.len(), 1, "{}: {:?}", z.code, t.overlaps);
        let o = &t.overlaps[0];
        assert_eq!(o.code, z.code);
        assert!(
            (o.pct_of_qpv_area - 100.0).abs() < 1e-6,
            "{}: {}",
            z.code,
            o.pct_of_qpv_area
        );
        assert!((o.pct_of_candidate_area - 100.0).abs() < 1e-6);
        assert!((o.pct_of_qpv_population.unwrap() - 100.0).abs() < 1e-6);
        assert_eq!(t.baseline_codes, vec![z.code.clone()]);
        assert!(
            t.added.geometry.0.is_empty(),
            "{}: added {:?}",
            z.code,
            t.added.indicators
        );
        assert!(t.removed.geometry.0.is_empty(), "{}: removed", z.code);
        assert_eq!(t.added.indicators.population, 0.0);
        assert_eq!(t.removed.indicators.population, 0.0);
        assert_eq!(t.with_status(FacilityStatus::Gained).count(), 0);
        assert_eq!(t.with_status(FacilityStatus::Lost).count(), 0);
        for c in &t.facility_counts {
            assert_eq!((c.gained, c.lost), (0, 0));
            assert_eq!(c.inside, c.inside_baseline);
        }
        assert!(
            rel(
                t.candidate.indicators.population,
                t.baseline.indicators.population
            ) < 1e-12
        );
    }
}

#[test]
fn cite_educative_figures_are_consistent() {
    let zones = embedded::zones(L93).unwrap();
    let cells = embedded::grid(embedded::GridYear::Y2015, L93).unwrap();
    let facilities = embedded::facilities(L93).unwrap();
    let grid = GridIndex::new(&cells);
    let codes: Vec<String> = ["QN09004M", "QN09005M", "QN09002M", "QN09003I", "QN09007N"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let quarters = candidate::from_zones(&zones, &codes, "QPV").unwrap();
    let college = facilities.iter().find(|f| f.id == "0900017E").unwrap();
    // The Annuaire's Lambert-93 position of the collège, unchanged by loading.
    assert!((college.point.x() - 989_152.5).abs() < 0.01);
    assert!((college.point.y() - 6_734_321.0).abs() < 0.01);
    let chateaudun = candidate::cells_near(&cells, college.point, 200.0);
    let footprint = candidate::dissolve([&quarters, &chateaudun]);
    let t = test_perimeter(
        "cite",
        &footprint,
        &zones,
        &grid,
        &facilities,
        &PerimeterOptions::default(),
    );

    // The five quarters are whole inside the footprint.
    for code in &codes {
        let o = t.overlaps.iter().find(|o| &o.code == code).unwrap();
        assert!((o.pct_of_qpv_area - 100.0).abs() < 1e-6, "{code}");
    }
    // candidate = (baseline − removed) + added, population and area.
    let c = &t.candidate.indicators;
    let kept = t.baseline.indicators.population - t.removed.indicators.population;
    assert!(rel(c.population, kept + t.added.indicators.population) < 1e-6);
    let kept_area = t.baseline.indicators.area_m2 - t.removed.indicators.area_m2;
    assert!(rel(c.area_m2, kept_area + t.added.indicators.area_m2) < 1e-6);
    // Population = the five QPV + the part of Châteaudun outside them.
    let five: f64 = codes
        .iter()
        .map(|code| {
            t.overlaps
                .iter()
                .find(|o| &o.code == code)
                .unwrap()
                .qpv_population
        })
        .sum();
    let outside = grid.estimate(&candidate::difference(&chateaudun, &quarters));
    assert!(rel(c.population, five + outside.population) < 1e-6);
    // The collège and the école Châteaudun are gained; nothing is lost.
    let gained: Vec<&str> = t
        .with_status(FacilityStatus::Gained)
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(gained, ["0900017E", "0900209N"]);
    assert_eq!(t.with_status(FacilityStatus::Lost).count(), 0);
    assert_eq!(t.parts.len(), 6);
    // Regression figures (Filosofi 2015): 12,672 inhabitants.
    assert_eq!(c.population.round(), 12_672.0);
}

#[test]
fn interpolation_partition_of_the_real_grid() {
    let cells = embedded::grid(embedded::GridYear::Y2015, L93).unwrap();
    let total: f64 = cells.iter().map(|c| c.values.ind).sum();
    assert!((total - 63_478.5).abs() < 1e-6);
    let mut x0 = f64::INFINITY;
    let mut y0 = f64::INFINITY;
    let mut x1 = f64::NEG_INFINITY;
    let mut y1 = f64::NEG_INFINITY;
    for c in &cells {
        let r = c.polygon.bounding_rect().unwrap();
        x0 = x0.min(r.min().x);
        y0 = y0.min(r.min().y);
        x1 = x1.max(r.max().x);
        y1 = y1.max(r.max().y);
    }
    // Cut the extent (plus a margin) at an arbitrary oblique line and a vertical line.
    let (x0, y0, x1, y1) = (x0 - 10.0, y0 - 10.0, x1 + 10.0, y1 + 10.0);
    let xm = x0 + 0.437 * (x1 - x0);
    let ya = y0 + 0.31 * (y1 - y0);
    let yb = y0 + 0.68 * (y1 - y0);
    let ym = ya + (yb - ya) * (xm - x0) / (x1 - x0);
    let pieces = [
        polygon![(x: x0, y: y0), (x: xm, y: y0), (x: xm, y: ym), (x: x0, y: ya)],
        polygon![(x: xm, y: y0), (x: x1, y: y0), (x: x1, y: yb), (x: xm, y: ym)],
        polygon![(x: x0, y: ya), (x: xm, y: ym), (x: xm, y: y1), (x: x0, y: y1)],
        polygon![(x: xm, y: ym), (x: x1, y: yb), (x: x1, y: y1), (x: xm, y: y1)],
    ];
    let grid = GridIndex::new(&cells);
    let mut sum = 0.0;
    let mut snv = 0.0;
    for p in pieces {
        let e = grid.estimate(&MultiPolygon(vec![p]));
        sum += e.population;
        snv += e.values.ind_snv;
    }
    assert!(rel(sum, total) < 1e-6, "{sum} vs {total}");
    let total_snv: f64 = cells.iter().map(|c| c.values.ind_snv).sum();
    assert!(rel(snv, total_snv) < 1e-6);
    // Whole cells: one cell's own square gives exactly its values.
    let e = interpolate(&cells, &MultiPolygon(vec![cells[100].polygon.clone()]));
    assert!(rel(e.population, cells[100].values.ind) < 1e-9);
}

#[test]
fn compare_puts_the_current_geography_first() {
    let zones = embedded::zones(L93).unwrap();
    let cells = embedded::grid(embedded::GridYear::Y2015, L93).unwrap();
    let facilities = embedded::facilities(L93).unwrap();
    let grid = GridIndex::new(&cells);
    let res = candidate::from_zones(&zones, &["QN09004M".into()], "QPV").unwrap();
    let grown = candidate::buffer(&res, 100.0);
    let c = compare(
        &[("same".into(), res.clone()), ("grown".into(), grown)],
        &zones,
        &grid,
        &facilities,
        &PerimeterOptions::default(),
    );
    assert_eq!(c.baseline_codes, ["QN09004M"]);
    let names: Vec<&str> = c.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["current QPV", "same", "grown"]);
    assert!(
        rel(
            c.rows[0].indicators.population,
            c.rows[1].indicators.population
        ) < 1e-12
    );
    assert!(c.rows[1].added_population == 0.0 && c.rows[1].removed_population == 0.0);
    assert!(c.rows[2].indicators.population > c.rows[1].indicators.population);
    assert!((c.rows[2].pct_of_current_population.unwrap() - 100.0).abs() < 1e-6);
    assert_eq!(c.rows[2].removed_population, 0.0);
}
