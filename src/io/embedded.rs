//! The real Grand Belfort layers compiled into the binary, so that `qpv` runs anywhere with no
//! input (provenance and licences: `geodata/SOURCES.md`).
//!
//! Each loader goes through the same reader as users' files, so the embedded data are checked
//! like any input.

use std::path::Path;

use crate::crs::Crs;
use crate::error::Result;
use crate::model::{Category, Facility, GridCell, GridSource, Zone};

use super::describe::{LayerInfo, describe_layer, describe_table};
use super::facilities::{CategorySource, FacilityFields, facilities_from_points};
use super::geojson::parse_geojson;
use super::grid::grid_from_table;
use super::points::{PointOptions, PointReader};
use super::table::{TableOptions, TableReader};
use super::zones::{ZoneFields, zones_from_layer};

/// ANCT QPV 2024 perimeters of the Territoire de Belfort (GeoJSON, CRS84).
pub const QPV_GEOJSON: &[u8] =
    include_bytes!("../../geodata/qpv_2024_territoire_de_belfort.geojson");
/// INSEE Filosofi 2015 200 m grid around Belfort and Offemont (CSV, EPSG:3035 corners).
pub const GRID_2015_CSV: &[u8] =
    include_bytes!("../../geodata/filosofi2015_200m_belfort_offemont.csv");
/// INSEE Filosofi 2019 200 m grid over Grand Belfort and 1 km around its bounding box (CSV,
/// EPSG:3035 corners): the default grid.
pub const GRID_2019_CSV: &[u8] =
    include_bytes!("../../geodata/filosofi2019_200m_grand_belfort.csv");
/// ANCT's France Services sites of département 90, August 2024 (CSV, WGS84).
pub const FRANCE_SERVICES_CSV: &[u8] =
    include_bytes!("../../geodata/france_services_territoire_de_belfort.csv");
/// The 52 communes of CA Grand Belfort (GeoJSON, CRS84, simplified outlines).
pub const COMMUNES_GEOJSON: &[u8] = include_bytes!("../../geodata/communes_grand_belfort.geojson");
/// Annuaire de l'éducation rows of département 90 (CSV `;`, Lambert-93).
pub const ANNUAIRE_CSV: &[u8] =
    include_bytes!("../../geodata/annuaire_education_territoire_de_belfort.csv");

/// Name of the embedded QPV file in messages.
pub const QPV_NAME: &str = "<embedded:qpv_2024_territoire_de_belfort.geojson>";
/// Name of the embedded 2015 grid file in messages.
pub const GRID_2015_NAME: &str = "<embedded:filosofi2015_200m_belfort_offemont.csv>";
/// Name of the embedded 2019 grid file in messages.
pub const GRID_2019_NAME: &str = "<embedded:filosofi2019_200m_grand_belfort.csv>";
/// Name of the embedded France Services file in messages.
pub const FRANCE_SERVICES_NAME: &str = "<embedded:france_services_territoire_de_belfort.csv>";
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

/// The embedded Filosofi grids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GridYear {
    /// Filosofi 2015, around Belfort and Offemont only: 619 cells, 63,478.5 inhabitants.
    Y2015,
    /// Filosofi 2019, Grand Belfort's bounding box + 1 km (also Héricourt and the north of the
    /// Montbéliard area): 3,490 cells, 171,194.5 inhabitants. The default.
    #[default]
    Y2019,
}

impl GridYear {
    /// The vintage (year of the incomes).
    pub fn year(self) -> u16 {
        match self {
            GridYear::Y2015 => 2015,
            GridYear::Y2019 => 2019,
        }
    }

    /// The embedded grid of that year, if there is one.
    pub fn from_year(year: u16) -> Option<Self> {
        match year {
            2015 => Some(GridYear::Y2015),
            2019 => Some(GridYear::Y2019),
            _ => None,
        }
    }

    fn file(self) -> (&'static str, &'static [u8]) {
        match self {
            GridYear::Y2015 => (GRID_2015_NAME, GRID_2015_CSV),
            GridYear::Y2019 => (GRID_2019_NAME, GRID_2019_CSV),
        }
    }

    /// What the extract covers, for reports.
    pub fn extent(self) -> &'static str {
        match self {
            GridYear::Y2015 => "embedded extract around Belfort and Offemont",
            GridYear::Y2019 => {
                "embedded extract: Grand Belfort's bounding box + 1 km, with Héricourt and the \
                 north of the Montbéliard area"
            }
        }
    }

    /// [`Self::extent`] in French, for reports in French.
    pub fn extent_fr(self) -> &'static str {
        match self {
            GridYear::Y2015 => "extrait intégré autour de Belfort et d'Offemont",
            GridYear::Y2019 => {
                "extrait intégré : emprise du Grand Belfort + 1 km, avec Héricourt et le nord \
                 du Pays de Montbéliard"
            }
        }
    }
}

/// What a grid restricted with `--grid-within-communes` is restricted to
/// ([`GridSource::restricted_to`]).
pub const COMMUNES_RESTRICTION: &str = "the 52 communes of CA Grand Belfort";

/// A [`GridSource`]'s origin or restriction as written by this module, in French; `None` for
/// any other text (a file name stays as it is).
///
/// ```
/// use qpv::io::embedded::{GridYear, in_french};
/// assert_eq!(in_french(GridYear::Y2015.extent()), Some(GridYear::Y2015.extent_fr()));
/// assert_eq!(in_french("grid.csv"), None);
/// ```
pub fn in_french(text: &str) -> Option<&'static str> {
    if text == COMMUNES_RESTRICTION {
        return Some("les 52 communes de la CA du Grand Belfort");
    }
    [GridYear::Y2015, GridYear::Y2019]
        .into_iter()
        .find(|y| y.extent() == text)
        .map(GridYear::extent_fr)
}

/// The embedded Filosofi cells of `year`, in file order: 2015 = 619 cells (63,478.5
/// inhabitants, 216 imputed); 2019 = 3,490 cells (171,194.5 inhabitants).
///
/// ```
/// use qpv::crs::Crs;
/// use qpv::io::embedded::{GridYear, grid};
/// assert_eq!(grid(GridYear::Y2015, Crs::LAMBERT93).unwrap().len(), 619);
/// assert_eq!(grid(GridYear::Y2019, Crs::LAMBERT93).unwrap().len(), 3490);
/// ```
pub fn grid(year: GridYear, target: Crs) -> Result<Vec<GridCell>> {
    let (name, bytes) = year.file();
    let table = TableReader::from_bytes(Path::new(name), bytes.to_vec(), &TableOptions::default())?;
    grid_from_table(table, target)
}

/// How reports name the embedded grid of `year` once loaded as `cells`.
pub fn grid_source(year: GridYear, cells: &[GridCell]) -> GridSource {
    GridSource {
        vintage: Some(year.year()),
        origin: year.extent().to_string(),
        restricted_to: None,
        cells: cells.len(),
        population: cells.iter().map(|c| c.values.ind).sum(),
    }
}

/// The France Services sites of département 90 (ANCT list of 1 August 2024): 4 sites
/// (Belfort préfecture, Valdoie, Giromagny, Grandvillars), category `france_services`,
/// id = `id_fs`, name = `lib_fs`; sorted by id.
///
/// ```
/// use qpv::crs::Crs;
/// let fs = qpv::io::embedded::france_services(Crs::LAMBERT93).unwrap();
/// assert_eq!(fs.len(), 4);
/// assert_eq!(fs[0].id, "2147");
/// assert_eq!(fs[0].category.as_str(), "france_services");
/// ```
pub fn france_services(target: Crs) -> Result<Vec<Facility>> {
    let fields = FacilityFields {
        id: Some("id_fs".into()),
        name: Some("lib_fs".into()),
        category: CategorySource::Fixed(Category::new(Category::FRANCE_SERVICES)),
        points: france_services_points(),
        ..FacilityFields::default()
    };
    let table = TableReader::from_bytes(
        Path::new(FRANCE_SERVICES_NAME),
        FRANCE_SERVICES_CSV.to_vec(),
        &fields.points.table,
    )?;
    let reader = PointReader::from_table(table, &fields.points, target)?;
    facilities_from_points(reader, &fields)
}

fn france_services_points() -> PointOptions {
    PointOptions {
        x_column: Some("longitude".into()),
        y_column: Some("latitude".into()),
        source_crs: Some(Crs::WGS84),
        ..PointOptions::default()
    }
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
            TableReader::from_bytes(Path::new(GRID_2019_NAME), GRID_2019_CSV.to_vec(), &opts)?,
            &grid_points(),
        )?,
        describe_table(
            TableReader::from_bytes(Path::new(GRID_2015_NAME), GRID_2015_CSV.to_vec(), &opts)?,
            &grid_points(),
        )?,
        describe_layer(&parse_geojson(Path::new(COMMUNES_NAME), COMMUNES_GEOJSON)?),
        describe_table(
            TableReader::from_bytes(Path::new(ANNUAIRE_NAME), ANNUAIRE_CSV.to_vec(), &opts)?,
            &FacilityFields::annuaire_education().points,
        )?,
        describe_table(
            TableReader::from_bytes(
                Path::new(FRANCE_SERVICES_NAME),
                FRANCE_SERVICES_CSV.to_vec(),
                &opts,
            )?,
            &france_services_points(),
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
    /// The embedded grids, the default (2019) first.
    pub grids: Vec<GridSummary>,
    /// Number of communes.
    pub communes: usize,
    /// Their municipal population (sum of `pop_municipale`).
    pub communes_population: f64,
    /// Schools per category, sorted by category.
    pub facilities: Vec<(String, usize)>,
    /// Schools in éducation prioritaire (REP or REP+).
    pub facilities_rep: usize,
    /// France Services sites.
    pub france_services: usize,
}

/// One embedded grid, counted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GridSummary {
    /// Filosofi vintage.
    pub year: u16,
    /// Number of cells.
    pub cells: usize,
    /// Their population (sum of `Ind`).
    pub population: f64,
    /// Cells whose values INSEE imputed.
    pub imputed: usize,
}

/// Loads every embedded layer into `target` and counts.
pub fn summary(target: Crs) -> Result<Summary> {
    let zones = zones(target)?;
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
    let mut grids = Vec::new();
    for year in [GridYear::Y2019, GridYear::Y2015] {
        let cells = grid(year, target)?;
        grids.push(GridSummary {
            year: year.year(),
            cells: cells.len(),
            population: cells.iter().map(|c| c.values.ind).sum(),
            imputed: cells.iter().filter(|c| c.imputed).count(),
        });
    }
    Ok(Summary {
        qpv: zones
            .iter()
            .map(|z| (z.code.clone(), z.name.clone()))
            .collect(),
        grids,
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
        france_services: france_services(target)?.len(),
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
        let g = grid(GridYear::Y2015, Crs::LAMBERT93).unwrap();
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
