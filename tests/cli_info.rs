//! `qpv info`: the embedded layers with their counts, and any file's description.

mod common;

use common::{repo, run as qpv};

#[test]
fn embedded_layers_with_expected_counts() {
    let (code, out, err) = qpv(&["info"]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "  QPV 2024 (ANCT): 7 zones\n",
        "    QN09001I  Bougenel - Mulhouse\n",
        "    QN09004M  Les Résidences\n",
        "    QN09007N  La Pépinière\n",
        "  Filosofi 2015 200 m grid (INSEE): 619 cells, 63478.5 inhabitants, 216 imputed cells\n",
        // python3 csv over geodata/filosofi2019_200m_grand_belfort.csv: 3490 rows, sum(Ind)
        // 171194.5, 1878 rows with imputed = 1 (the SOURCE file gives 3,490 and 171,194.5).
        "  Filosofi 2019 200 m grid (INSEE): 3490 cells, 171194.5 inhabitants, 1878 imputed cells\n",
        "  France Services (ANCT, 1 August 2024): 4\n",
        "  rows:      3490 (3490 Point)\n",
        "  rows:      4 (4 Point)\n",
        "  Communes of CA Grand Belfort (IGN, simplified): 52, 101451 inhabitants (municipal population)\n",
        "  Schools (Annuaire de l'éducation): 164: 17 college, 96 ecole_elementaire, 39 ecole_maternelle, 12 lycee; 15 in éducation prioritaire (REP/REP+)\n",
        "  features:  7 (7 MultiPolygon)\n",
        "  features:  52 (52 Polygon)\n",
        "  rows:      619 (619 Point)\n",
        "  rows:      181 (181 Point)\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    let codes: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("QN0900"))
        .collect();
    assert_eq!(codes.len(), 7);
}

#[test]
fn embedded_as_json() {
    let (code, out, err) = qpv(&["info", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = &v["embedded"];
    assert_eq!(e["qpv"].as_array().unwrap().len(), 7);
    assert_eq!(e["qpv"][6][0], "QN09007N");
    assert_eq!(e["grids"][0]["year"], 2019);
    assert_eq!(e["grids"][0]["cells"], 3490);
    assert_eq!(e["grids"][1]["year"], 2015);
    assert_eq!(e["grids"][1]["cells"], 619);
    assert_eq!(e["france_services"], 4);
    assert_eq!(e["communes"], 52);
    assert_eq!(
        e["facilities"],
        serde_json::json!([
            ["college", 17],
            ["ecole_elementaire", 96],
            ["ecole_maternelle", 39],
            ["lycee", 12]
        ])
    );
    assert_eq!(v["layers"].as_array().unwrap().len(), 6);
    assert_eq!(v["layers"][0]["feature_count"], 7);
    assert_eq!(v["layers"][0]["crs"], "EPSG:4326");
}

#[test]
fn geojson_file_driver_crs_bbox_fields() {
    let file = repo("geodata/qpv_2024_territoire_de_belfort.geojson");
    let (code, out, err) = qpv(&["info", &file]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "  driver:    GeoJSON\n",
        "  CRS:       EPSG:4326 (urn:ogc:def:crs:OGC:1.3:CRS84)\n",
        "  extent:    x 6.8305649 .. 6.8764989, y 47.6203467 .. 47.6643107 (source CRS)\n",
        "  WGS84:     lon 6.8305649 .. 6.8764989, lat 47.6203467 .. 47.6643107\n",
        "    code_qp                          string\n",
        "    fid                              integer\n",
        "  problems:  none (every geometry present and valid)\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn invalid_and_missing_geometries_are_listed_with_feature_index() {
    let file = repo("tests/bad_inputs/many_problems.geojson");
    let (code, out, err) = qpv(&["info", &file]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "  problems (2):\n",
        "    feature 1: polygon 0, ring 0: the ring is not closed",
        "    feature 4: invalid geometry: exterior ring has a self-intersection\n",
        "  features:  5 (2 MultiPolygon, 1 Point, 1 Polygon, 1 unreadable)\n",
        "  CRS:       EPSG:4326 (RFC 7946 default: WGS84 longitude/latitude)\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn geopackage_layers_and_lambert93_extent() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("qpv.gpkg");
    // Written by GDAL from the embedded GeoJSON, reprojected to Lambert-93.
    let status = std::process::Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-t_srs", "EPSG:2154", "-nln", "qpv"])
        .arg(&gpkg)
        .arg(repo("geodata/qpv_2024_territoire_de_belfort.geojson"))
        .status()
        .unwrap();
    assert!(status.success());
    let (code, out, err) = qpv(&["info", &gpkg.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "  driver:    GPKG\n",
        "  layer:     qpv\n",
        "  CRS:       EPSG:2154 (RGF93 v1 / Lambert-93)\n",
        "  features:  7 (7 MultiPolygon)\n",
        // ogrinfo -so qpv.gpkg qpv: Extent: (987496.893323, 6731491.550505) - (990963.317051, 6736356.529658)
        "  extent:    x 987496.89 .. 990963.32, y 6731491.55 .. 6736356.53 (source CRS)\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    // The WGS84 extent of the Lambert-93 box holds the true lon/lat extent of the features
    // (lon 6.8305649 .. 6.8764989, lat 47.6203467 .. 47.6643107) and is at most 0.005° wider.
    let line = out.lines().find(|l| l.starts_with("  WGS84:")).unwrap();
    let n: Vec<f64> = line
        .split([' ', ','])
        .filter_map(|t| t.parse().ok())
        .collect();
    let (lon0, lon1, lat0, lat1) = (n[0], n[1], n[2], n[3]);
    assert!(lon0 <= 6.8305649 && lon0 > 6.8305649 - 0.005, "{line}");
    assert!((6.8764989..6.8764989 + 0.005).contains(&lon1), "{line}");
    assert!(lat0 <= 47.6203467 && lat0 > 47.6203467 - 0.005, "{line}");
    assert!((47.6643107..47.6643107 + 0.005).contains(&lat1), "{line}");
}

#[test]
fn csv_file_separator_encoding_and_coordinates() {
    let file = repo("geodata/colleges_territoire_de_belfort.csv");
    let (code, out, err) = qpv(&["info", &file]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "  driver:    CSV\n",
        "  rows:      17 (17 Point)\n",
        "  separator: ','  encoding: UTF-8\n",
        "  points:    x = coordonnee_x, y = coordonnee_y, CRS from EPSG\n",
        "  CRS:       EPSG:2154 (from column: EPSG:2154)\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn bad_file_exits_2_with_file_name() {
    let file = repo("tests/bad_inputs/truncated.geojson");
    let (code, _, err) = qpv(&["info", &file]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{file}, line 1: the JSON text ends too early")),
        "{err}"
    );
    let (code, _, err) = qpv(&["info", "/nonexistent/qpv.gpkg"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/qpv.gpkg"), "{err}");
}
