//! Reads the real embedded Grand Belfort files straight from geodata/ for the coverage tests.
//!
//! Stand-in until `qpv::io::embedded::{zones, facilities, grid}` lands on main: switch to those
//! then (the expected figures must not change: same files, same CRS, same category mapping).
#![allow(dead_code)]

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};
use qpv::crs::{Crs, Reprojector};
use qpv::model::{Attributes, Category, Facility, GridCell, GridValues, Zone};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The 7 QPV 2024 of the Territoire de Belfort in Lambert-93.
pub fn zones() -> Vec<Zone> {
    let text = std::fs::read_to_string(format!(
        "{ROOT}/geodata/qpv_2024_territoire_de_belfort.geojson"
    ))
    .unwrap();
    let fc: geojson::FeatureCollection = text.parse().unwrap();
    let to_l93 = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    fc.features
        .into_iter()
        .map(|f| {
            let prop = |k: &str| f.property(k).unwrap().as_str().unwrap().to_string();
            let mut g: Geometry<f64> = f.geometry.clone().unwrap().try_into().unwrap();
            to_l93.geometry(&mut g).unwrap();
            let geometry = match g {
                Geometry::MultiPolygon(mp) => mp,
                Geometry::Polygon(p) => MultiPolygon(vec![p]),
                other => panic!("unexpected {other:?}"),
            };
            Zone {
                code: prop("code_qp"),
                name: prop("lib_qp"),
                communes: vec![prop("insee_com")],
                geometry,
                attributes: Attributes::default(),
            }
        })
        .collect()
}

/// The schools of the Annuaire de l'éducation (natures 101, 151, 340, 300, 320), Lambert-93.
pub fn facilities() -> Vec<Facility> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(format!(
            "{ROOT}/geodata/annuaire_education_territoire_de_belfort.csv"
        ))
        .unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, name, x, y, nature) = (
        col("Identifiant_de_l_etablissement"),
        col("Nom_etablissement"),
        col("coordX_origine"),
        col("coordY_origine"),
        col("code_nature"),
    );
    reader
        .records()
        .filter_map(|r| {
            let r = r.unwrap();
            let category = match &r[nature] {
                "101" => Category::ECOLE_MATERNELLE,
                "151" => Category::ECOLE_ELEMENTAIRE,
                "340" => Category::COLLEGE,
                "300" | "320" => Category::LYCEE,
                _ => return None,
            };
            Some(Facility {
                id: r[id].to_string(),
                name: r[name].to_string(),
                category: Category::new(category),
                point: Point::new(r[x].parse().unwrap(), r[y].parse().unwrap()),
                attributes: Attributes::default(),
            })
        })
        .collect()
}

/// The Filosofi 2015 200 m cells (corners reprojected from EPSG:3035 to Lambert-93).
pub fn grid() -> Vec<GridCell> {
    let mut reader = csv::Reader::from_path(format!(
        "{ROOT}/geodata/filosofi2015_200m_belfort_offemont.csv"
    ))
    .unwrap();
    let to_l93 = Reprojector::new(Crs::LAEA_EUROPE, Crs::LAMBERT93).unwrap();
    reader
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            let num = |k: &str| r[k].parse::<f64>().unwrap();
            let (x, y) = (num("x_laea"), num("y_laea"));
            let ring: Vec<Coord<f64>> = [
                (x, y),
                (x + 200.0, y),
                (x + 200.0, y + 200.0),
                (x, y + 200.0),
                (x, y),
            ]
            .into_iter()
            .map(|(x, y)| to_l93.coord(Coord { x, y }).unwrap())
            .collect();
            GridCell {
                id: r["IdINSPIRE"].clone(),
                polygon: Polygon::new(LineString(ring), vec![]),
                values: GridValues {
                    ind: num("Ind"),
                    men: num("Men"),
                    ..GridValues::default()
                },
                imputed: r["imputed"] == "1",
            }
        })
        .collect()
}
