//! The real Grand Belfort layers compiled into the binary, so that `qpv` runs anywhere with no
//! input (provenance and licences: `geodata/SOURCES.md`).
//!
//! Each loader goes through the same reader as users' files, so the embedded data are checked
//! like any input.

use std::path::Path;

use crate::crs::Crs;
use crate::error::Result;
use crate::model::{Facility, GridCell, Zone};

use super::describe::{LayerInfo, describe_layer, describe_table};
use super::facilities::{FacilityFields, facilities_from_points};
use super::geojson::parse_geojson;
use super::grid::grid_from_table;
use super::points::{PointOptions, PointReader};
use super::table::{TableOptions, TableReader};
use super::zones::{ZoneFields, zones_from_layer};

/// ANCT QPV 2024 perimeters of the Territoire de Belfort (GeoJSON, CRS84).
pub const QPV_GEOJSON: &[u8] =
    include_bytes!("../../geodata/qpv_2024_territoire_de_belfort.geojson");
/// INSEE Filosofi 2015 200 m grid around Belfort and Offemont (CSV, EPSG:3035 corners).
pub const GRID_CSV: &[u8] = include_bytes!("../../geodata/filosofi2015_200m_belfort_offemont.csv");
/// The 52 communes of CA Grand Belfort (GeoJSON, CRS84, simplified outlines).
pub const COMMUNES_GEOJSON: &[u8] = include_bytes!("../../geodata/communes_grand_belfort.geojson");
/// Annuaire de l'éducation rows of département 90 (CSV `;`, Lambert-93).
pub const ANNUAIRE_CSV: &[u8] =
    include_bytes!("../../geodata/annuaire_education_territoire_de_belfort.csv");

/// Name of the embedded QPV file in messages.
pub const QPV_NAME: &str = "<embedded:qpv_2024_territoire_de_belfort.geojson>";
/// Name of the embedded grid file in messages.
pub const GRID_NAME: &str = "<embedded:filosofi2015_200m_belfort_offemont.csv>";
/// Name of the embedded communes file in messages.
pub const COMMUNES_NAME: &str = "<embedded:communes_grand_belfort.geojson>";
/// Name of the embedded Annuaire file in messages.
pub const ANNUAIRE_NAME: &str = "<embedded:annuaire_education_territoire_de_belfort.csv>";

/// The 7 QPV 2024 of the Territoire de Belfort (QN09001I … QN09007N), sorted by code;
/// `communes` from `insee_com` (Les Résidences spans Bavilliers and Belfort, Arsot - Rives du
/// Martinet spans Offemont and Valdoie).
///
/// ```
/// use qpv::crs::Crs;
/// let qpv = qpv::io::embedded::zones(Crs::LAMBERT93).unwrap();
/// assert_eq!(qpv.len(), 7);
/// assert_eq!(qpv[3].code, "QN09004M");
/// assert_eq!(qpv[3].communes, ["90008", "90010"]);
/// ```
pub fn zones(target: Crs) -> Result<Vec<Zone>> {
    let layer = parse_geojson(Path::new(QPV_NAME), QPV_GEOJSON)?;
    zones_from_layer(layer, &ZoneFields::default(), target)
}

/// The 619 Filosofi 2015 cells (63,478.5 inhabitants, 216 imputed), in file order.
pub fn grid(target: Crs) -> Result<Vec<GridCell>> {
    let table = TableReader::from_bytes(
        Path::new(GRID_NAME),
        GRID_CSV.to_vec(),
        &TableOptions::default(),
    )?;
    grid_from_table(table, target)
}

/// The 52 communes of CA Grand Belfort: code = INSEE code, name, `communes` = [its own code],
/// `pop_municipale` and `pop_totale` in the attributes; sorted by code.
pub fn communes(target: Crs) -> Result<Vec<Zone>> {
    let layer = parse_geojson(Path::new(COMMUNES_NAME), COMMUNES_GEOJSON)?;
    let fields = ZoneFields {
        code: "insee".into(),
        name: "nom".into(),
        communes: Some("insee".into()),
        ..ZoneFields::default()
    };
    zones_from_layer(layer, &fields, target)
}

/// The schools of the Territoire de Belfort from the Annuaire de l'éducation: 39 écoles
/// maternelles, 96 élémentaires, 17 collèges, 12 lycées (see
/// [`FacilityFields::annuaire_education`]); id = UAI; sorted by category then id.
pub fn facilities(target: Crs) -> Result<Vec<Facility>> {
    let fields = FacilityFields::annuaire_education();
    let table = TableReader::from_bytes(
        Path::new(ANNUAIRE_NAME),
        ANNUAIRE_CSV.to_vec(),
        &fields.points.table,
    )?;
    let reader = PointReader::from_table(table, &fields.points, target)?;
    facilities_from_points(reader, &fields)
}

/// Descriptions of the embedded files, as `qpv info FILE` would give them.
pub fn describe() -> Result<Vec<LayerInfo>> {
    let opts = TableOptions::default();
    Ok(vec![
        describe_layer(&parse_geojson(Path::new(QPV_NAME), QPV_GEOJSON)?),
        describe_table(
            TableReader::from_bytes(Path::new(GRID_NAME), GRID_CSV.to_vec(), &opts)?,
            &grid_points(),
        )?,
        describe_layer(&parse_geojson(Path::new(COMMUNES_NAME), COMMUNES_GEOJSON)?),
        describe_table(
            TableReader::from_bytes(Path::new(ANNUAIRE_NAME), ANNUAIRE_CSV.to_vec(), &opts)?,
            &FacilityFields::annuaire_education().points,
        )?,
    ])
}

fn grid_points() -> PointOptions {
    PointOptions {
        x_column: Some("x_laea".into()),
        y_column: Some("y_laea".into()),
        source_crs: Some(Crs::LAEA_EUROPE),
        ..PointOptions::default()
    }
}

/// What the embedded layers hold once loaded (the figures `qpv info` prints).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    /// QPV codes and names, sorted by code.
    pub qpv: Vec<(String, String)>,
    /// Number of grid cells.
    pub grid_cells: usize,
    /// Their population (sum of `Ind`).
    pub grid_population: f64,
    /// Cells whose values INSEE imputed.
    pub grid_imputed: usize,
    /// Number of communes.
    pub communes: usize,
    /// Their municipal population (sum of `pop_municipale`).
    pub communes_population: f64,
    /// Facilities per category, sorted by category.
    pub facilities: Vec<(String, usize)>,
    /// Schools in éducation prioritaire (REP or REP+).
    pub facilities_rep: usize,
}

/// Loads every embedded layer into `target` and counts.
pub fn summary(target: Crs) -> Result<Summary> {
    let zones = zones(target)?;
    let grid = grid(target)?;
    let communes = communes(target)?;
    let facilities = facilities(target)?;
    let mut per_category: Vec<(String, usize)> = Vec::new();
    for f in &facilities {
        match per_category
            .iter_mut()
            .find(|(c, _)| c == f.category.as_str())
        {
            Some(slot) => slot.1 += 1,
            None => per_category.push((f.category.0.clone(), 1)),
        }
    }
    Ok(Summary {
        qpv: zones
            .iter()
            .map(|z| (z.code.clone(), z.name.clone()))
            .collect(),
        grid_cells: grid.len(),
        grid_population: grid.iter().map(|c| c.values.ind).sum(),
        grid_imputed: grid.iter().filter(|c| c.imputed).count(),
        communes: communes.len(),
        communes_population: communes
            .iter()
            .filter_map(|c| c.attributes.get("pop_municipale").and_then(|v| v.as_f64()))
            .sum(),
        facilities: per_category,
        facilities_rep: facilities
            .iter()
            .filter(|f| {
                !f.attributes
                    .text("Appartenance_Education_Prioritaire")
                    .is_empty()
            })
            .count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;
    use geo::{Area, Coord};

    #[test]
    fn seven_qpv_with_codes_and_communes() {
        let z = zones(Crs::LAMBERT93).unwrap();
        let codes: Vec<&str> = z.iter().map(|z| z.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "QN09001I", "QN09002M", "QN09003I", "QN09004M", "QN09005M", "QN09006M", "QN09007N"
            ]
        );
        assert_eq!(z[0].name, "Bougenel - Mulhouse");
        assert_eq!(z[3].communes, ["90008", "90010"]);
        assert_eq!(z[5].communes, ["90075", "90099"]);
        assert_eq!(z[6].communes, ["90010"]);
    }

    // echo "47.6410962165527 6.850608880681231" | cs2cs -f %.4f EPSG:4326 EPSG:2154
    // 989006.8992	6733793.8998
    #[test]
    fn qpv_first_vertex_matches_cs2cs() {
        let z = zones(Crs::LAMBERT93).unwrap();
        let c = z[0].geometry.0[0].exterior().0[0];
        assert!((c.x - 989006.8992).abs() < 1e-3, "{c:?}");
        assert!((c.y - 6733793.8998).abs() < 1e-3, "{c:?}");
    }

    // Lower-left corner of the first cell, EPSG:3035 (cs2cs takes northing first):
    // echo "2730200 4079600" | cs2cs -f %.4f EPSG:3035 EPSG:2154
    // 984362.0205	6733253.7053
    #[test]
    fn grid_619_cells_first_corner_matches_cs2cs() {
        let g = grid(Crs::LAMBERT93).unwrap();
        assert_eq!(g.len(), 619);
        assert_eq!(g[0].id, "CRS3035RES200mN2730200E4079600");
        let c: Coord<f64> = g[0].polygon.exterior().0[0];
        assert!(
            (c.x - CELL0_X).abs() < 1e-3 && (c.y - CELL0_Y).abs() < 1e-3,
            "{c:?}"
        );
        let ring = &g[0].polygon.exterior().0;
        assert_eq!(ring.len(), 5);
        assert_eq!(ring[0], ring[4]);
        // Counter-clockwise exterior: positive signed area, ≈ 40,000 m².
        let a = g[0].polygon.signed_area();
        assert!(a > 39_900.0 && a < 40_100.0, "{a}");
        let total: f64 = g.iter().map(|c| c.values.ind).sum();
        assert!((total - 63_478.5).abs() < 1e-6, "{total}");
        assert_eq!(g.iter().filter(|c| c.imputed).count(), IMPUTED);
    }

    const CELL0_X: f64 = 984362.0205;
    const CELL0_Y: f64 = 6733253.7053;
    const IMPUTED: usize = 216;

    #[test]
    fn fifty_two_communes() {
        let c = communes(Crs::LAMBERT93).unwrap();
        assert_eq!(c.len(), 52);
        assert_eq!(c[0].code, "90001");
        assert_eq!(c[0].name, "Andelnans");
        assert_eq!(c[0].communes, ["90001"]);
        assert_eq!(c[0].attributes.text("pop_municipale"), "1123");
    }

    #[test]
    fn schools_per_category() {
        let f = facilities(Crs::LAMBERT93).unwrap();
        let count = |c: &str| f.iter().filter(|x| x.category.as_str() == c).count();
        assert_eq!(count(Category::ECOLE_MATERNELLE), 39);
        assert_eq!(count(Category::ECOLE_ELEMENTAIRE), 96);
        assert_eq!(count(Category::COLLEGE), 17);
        assert_eq!(count(Category::LYCEE), 12);
        assert_eq!(f.len(), 164);
        let condorcet = f.iter().find(|x| x.id == "0900002N").unwrap();
        assert_eq!(condorcet.category.as_str(), Category::LYCEE);
        assert_eq!(condorcet.point.x(), 989031.8);
        assert_eq!(condorcet.point.y(), 6732842.2);
        let rep = f
            .iter()
            .filter(|x| {
                !x.attributes
                    .text("Appartenance_Education_Prioritaire")
                    .is_empty()
            })
            .count();
        assert_eq!(rep, REP_SCHOOLS);
    }

    const REP_SCHOOLS: usize = 15;
}
