//! "One more social centre: where?" — the best site for serving the QPV residents of Belfort
//! within 500 m, given the two social centres whose positions are known (embedded data).
//!
//! `cargo run --example one_more_social_centre`

use qpv::analysis::site::demand::DemandKind;
use qpv::analysis::site::plan::{Method, Problem, SiteOptions, candidates_from_cells, plan};
use qpv::crs::Crs;
use qpv::io::embedded;

fn main() -> qpv::Result<()> {
    let crs = Crs::LAMBERT93;
    let cells = embedded::grid(embedded::GridYear::default(), crs)?;
    // The QPV lying (at least partly) in Belfort, INSEE 90010.
    let zones: Vec<_> = embedded::zones(crs)?
        .into_iter()
        .filter(|z| z.communes.iter().any(|c| c == "90010"))
        .collect();
    let facilities =
        qpv::analysis::default_facilities::facilities_with_social_centres(crs)?.facilities;
    let options = SiteOptions {
        category: "social_centre".into(),
        distance_m: 500.0,
        demand: DemandKind::QpvResidents,
        problem: Problem::Mclp { k: 1 },
        method: Method::Exact,
    };
    let p = plan(
        &cells,
        &zones,
        &facilities,
        &candidates_from_cells(&cells),
        &options,
    )?;
    println!(
        "QPV residents of Belfort within 500 m of a social centre: {:.0} of {:.0} ({:.1} %) with \
         the {} known centres",
        p.covered_before,
        p.demand_total,
        100.0 * p.covered_before / p.demand_total,
        p.existing
    );
    for s in &p.sites {
        println!(
            "best new site: cell {} (x {:.0}, y {:.0}, Lambert-93), reaching {:.0} more",
            s.candidate.id, s.x, s.y, s.newly_covered
        );
    }
    println!(
        "after: {:.0} of {:.0} ({:.1} %)",
        p.covered_after,
        p.demand_total,
        100.0 * p.covered_after / p.demand_total
    );
    println!("\n| QPV | name | residents | before | after |\n|---|---|---:|---:|---:|");
    for q in &p.qpv {
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.0} |",
            q.code, q.name, q.demand, q.covered_before, q.covered_after
        );
    }
    Ok(())
}
