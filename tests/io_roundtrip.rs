//! The same real points and polygon, read from GeoJSON (WGS84 and with an EPSG:2154 `crs`
//! member), Shapefile and GeoPackage (written by GDAL here, in both CRSs) and CSV (`,` and `;`,
//! decimal comma, UTF-8 and Latin-1), give the same Lambert-93 coordinates within 1 cm; known
//! reprojections match PROJ's cs2cs within 1 mm.

use std::path::{Path, PathBuf};

use gdal::DriverManager;
use gdal::spatial_ref::SpatialRef;
use gdal::vector::{
    Feature, FieldValue, Geometry as GdalGeometry, LayerAccess, LayerOptions, OGRFieldType,
    OGRwkbGeometryType,
};
use geo::{Coord, coord};

use qpv::crs::{Crs, Reprojector};
use qpv::io::{
    CategorySource, FacilityFields, PointOptions, PointReader, ZoneFields, read_facilities,
    read_zones,
};
use qpv::model::Category;

/// Five schools of Belfort from the Annuaire de l'éducation: UAI, name, latitude, longitude,
/// and Lambert-93 from PROJ 9.1:
///   echo "LAT LON" | cs2cs -f %.4f EPSG:4326 EPSG:2154
const SCHOOLS: [(&str, &str, &str, &str, f64, f64); 5] = [
    (
        "0900351T",
        "Collège Simone Signoret",
        "47.629446451764224",
        "6.840144019496699",
        988284.9998,
        6732462.9045,
    ),
    (
        "0900002N",
        "Lycée général et technologique Condorcet",
        "47.63252927885913",
        "6.850322315354423",
        989031.7998,
        6732842.2045,
    ),
    (
        "0900295G",
        "Collège Vauban",
        "47.640149209830966",
        "6.880679449730279",
        991267.1998,
        6733799.3045,
    ),
    (
        "0900017E",
        "Collège de Châteaudun",
        "47.645771115844525",
        "6.852888130471386",
        989152.4998,
        6734321.0045,
    ),
    (
        "0900018F",
        "Collège Arthur Rimbaud",
        "47.640014329753285",
        "6.856221677767792",
        989433.6998,
        6733694.4045,
    ),
];

/// The polygon: the first four schools, counter-clockwise, closed.
const RING: [usize; 5] = [0, 1, 2, 3, 0];

fn lonlat(i: usize) -> (f64, f64) {
    (SCHOOLS[i].3.parse().unwrap(), SCHOOLS[i].2.parse().unwrap())
}

fn l93(i: usize) -> Coord<f64> {
    coord! { x: SCHOOLS[i].4, y: SCHOOLS[i].5 }
}

fn close(a: Coord<f64>, b: Coord<f64>, tol: f64) -> bool {
    (a.x - b.x).abs() <= tol && (a.y - b.y).abs() <= tol
}

/// Source-CRS coordinate of school `i` as JSON/WKT text.
fn xy(i: usize, crs: Crs) -> (String, String) {
    if crs == Crs::WGS84 {
        (SCHOOLS[i].3.to_string(), SCHOOLS[i].2.to_string())
    } else {
        (
            format!("{:.4}", SCHOOLS[i].4),
            format!("{:.4}", SCHOOLS[i].5),
        )
    }
}

fn geojson_files(dir: &Path, crs: Crs) -> (PathBuf, PathBuf) {
    let member = if crs == Crs::WGS84 {
        String::new()
    } else {
        r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"#.to_string()
    };
    let points: Vec<String> = (0..SCHOOLS.len())
        .map(|i| {
            let (x, y) = xy(i, crs);
            format!(
                r#"{{"type":"Feature","properties":{{"id":"{}","name":"{}","category":"school"}},"geometry":{{"type":"Point","coordinates":[{x},{y}]}}}}"#,
                SCHOOLS[i].0, SCHOOLS[i].1
            )
        })
        .collect();
    let ring: Vec<String> = RING
        .iter()
        .map(|&i| {
            let (x, y) = xy(i, crs);
            format!("[{x},{y}]")
        })
        .collect();
    let zone = format!(
        r#"{{"type":"FeatureCollection",{member}"features":[{{"type":"Feature","properties":{{"code":"Z1","name":"Belfort schools"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
        ring.join(",")
    );
    let tag = crs.code();
    let p = dir.join(format!("points_{tag}.geojson"));
    let z = dir.join(format!("zone_{tag}.geojson"));
    std::fs::write(
        &p,
        format!(
            r#"{{"type":"FeatureCollection",{member}"features":[{}]}}"#,
            points.join(",")
        ),
    )
    .unwrap();
    std::fs::write(&z, zone).unwrap();
    (p, z)
}

/// Writes a point layer and a polygon layer with GDAL; GeoPackage holds both in one file,
/// Shapefile needs one file per layer.
fn gdal_files(dir: &Path, driver: &str, crs: Crs) -> (PathBuf, PathBuf) {
    // These files are read back through the library, which reads GDAL formats once enabled.
    qpv::output::gdal_formats::enable();
    let srs = SpatialRef::from_epsg(crs.code()).unwrap();
    let drv = DriverManager::get_driver_by_name(driver).unwrap();
    let tag = crs.code();
    let (pp, zp) = if driver == "GPKG" {
        let f = dir.join(format!("both_{tag}.gpkg"));
        (f.clone(), f)
    } else {
        (
            dir.join(format!("points_{tag}.shp")),
            dir.join(format!("zone_{tag}.shp")),
        )
    };
    {
        let mut ds = drv.create_vector_only(&pp).unwrap();
        let layer = ds
            .create_layer(LayerOptions {
                name: "points",
                srs: Some(&srs),
                ty: OGRwkbGeometryType::wkbPoint,
                options: None,
            })
            .unwrap();
        layer
            .create_defn_fields(&[
                ("id", OGRFieldType::OFTString),
                ("name", OGRFieldType::OFTString),
                ("category", OGRFieldType::OFTString),
            ])
            .unwrap();
        for (i, s) in SCHOOLS.iter().enumerate() {
            let (x, y) = xy(i, crs);
            let mut f = Feature::new(layer.defn()).unwrap();
            f.set_geometry(GdalGeometry::from_wkt(&format!("POINT ({x} {y})")).unwrap())
                .unwrap();
            f.set_field(0, &FieldValue::StringValue(s.0.into()))
                .unwrap();
            f.set_field(1, &FieldValue::StringValue(s.1.into()))
                .unwrap();
            f.set_field(2, &FieldValue::StringValue("school".into()))
                .unwrap();
            f.create(&layer).unwrap();
        }
    }
    {
        let mut ds = if driver == "GPKG" {
            gdal::Dataset::open_ex(
                &zp,
                gdal::DatasetOptions {
                    open_flags: gdal::GdalOpenFlags::GDAL_OF_UPDATE
                        | gdal::GdalOpenFlags::GDAL_OF_VECTOR,
                    ..Default::default()
                },
            )
            .unwrap()
        } else {
            drv.create_vector_only(&zp).unwrap()
        };
        let layer = ds
            .create_layer(LayerOptions {
                name: "zones",
                srs: Some(&srs),
                ty: OGRwkbGeometryType::wkbPolygon,
                options: None,
            })
            .unwrap();
        layer
            .create_defn_fields(&[
                ("code", OGRFieldType::OFTString),
                ("name", OGRFieldType::OFTString),
            ])
            .unwrap();
        let ring: Vec<String> = RING
            .iter()
            .map(|&i| {
                let (x, y) = xy(i, crs);
                format!("{x} {y}")
            })
            .collect();
        let mut f = Feature::new(layer.defn()).unwrap();
        f.set_geometry(
            GdalGeometry::from_wkt(&format!("POLYGON (({}))", ring.join(", "))).unwrap(),
        )
        .unwrap();
        f.set_field(0, &FieldValue::StringValue("Z1".into()))
            .unwrap();
        f.set_field(1, &FieldValue::StringValue("Belfort schools".into()))
            .unwrap();
        f.create(&layer).unwrap();
    }
    (pp, zp)
}

fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 character"))
        .collect()
}

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let comma: String = std::iter::once("id,name,category,latitude,longitude\n".to_string())
        .chain(
            SCHOOLS
                .iter()
                .map(|s| format!("{},\"{}\",school,{},{}\n", s.0, s.1, s.2, s.3)),
        )
        .collect();
    let semicolon_lonlat: String =
        std::iter::once("UAI;Nom;Catégorie;Longitude;Latitude\r\n".to_string())
            .chain(SCHOOLS.iter().map(|s| {
                format!(
                    "{};{};school;{};{}\r\n",
                    s.0,
                    s.1,
                    s.3.replace('.', ","),
                    s.2.replace('.', ",")
                )
            }))
            .collect();
    let semicolon_l93: String =
        std::iter::once("identifiant;nom;categorie;coordonnee_x;coordonnee_y;EPSG\n".to_string())
            .chain(SCHOOLS.iter().map(|s| {
                format!(
                    "{};{};school;{};{};EPSG:2154\n",
                    s.0,
                    s.1,
                    format!("{:.4}", s.4).replace('.', ","),
                    format!("{:.4}", s.5).replace('.', ",")
                )
            }))
            .collect();
    let files = [
        ("comma_utf8.csv", comma.as_bytes().to_vec()),
        (
            "comma_utf8_bom.csv",
            [b"\xEF\xBB\xBF".as_slice(), comma.as_bytes()].concat(),
        ),
        (
            "semicolon_utf8_lonlat.csv",
            semicolon_lonlat.as_bytes().to_vec(),
        ),
        ("semicolon_latin1_lonlat.csv", latin1(&semicolon_lonlat)),
        ("semicolon_latin1_l93.csv", latin1(&semicolon_l93)),
    ];
    files
        .into_iter()
        .map(|(name, bytes)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect()
}

/// Files and the layer to read in each.
type Sources = Vec<(PathBuf, Option<&'static str>)>;

fn all_sources(dir: &Path) -> (Sources, Sources) {
    let mut points = Vec::new();
    let mut zones = Vec::new();
    for crs in [Crs::WGS84, Crs::LAMBERT93] {
        let (p, z) = geojson_files(dir, crs);
        points.push((p, None));
        zones.push((z, None));
        for driver in ["ESRI Shapefile", "GPKG"] {
            let (p, z) = gdal_files(dir, driver, crs);
            let gpkg = driver == "GPKG";
            points.push((p, gpkg.then_some("points")));
            zones.push((z, gpkg.then_some("zones")));
        }
    }
    for p in csv_files(dir) {
        points.push((p, None));
    }
    (points, zones)
}

#[test]
fn same_points_from_every_format_within_1_cm() {
    let dir = tempfile::tempdir().unwrap();
    let (points, _) = all_sources(dir.path());
    assert_eq!(points.len(), 11);
    for (path, layer) in &points {
        let fields = FacilityFields {
            points: PointOptions {
                layer: layer.map(str::to_string),
                ..PointOptions::default()
            },
            ..FacilityFields::default()
        };
        let f = read_facilities(path, &fields, Crs::LAMBERT93).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.len(), 5, "{}", path.display());
        for (i, s) in SCHOOLS.iter().enumerate() {
            let got = f
                .iter()
                .find(|x| x.id == s.0)
                .unwrap_or_else(|| panic!("{} lacks {}", path.display(), s.0));
            assert_eq!(got.name, s.1, "{}", path.display());
            assert_eq!(got.category, Category::new("school"));
            assert!(
                close(got.point.0, l93(i), 0.01),
                "{}: {} at {:?}, expected {:?}",
                path.display(),
                s.0,
                got.point,
                l93(i)
            );
        }
    }
}

#[test]
fn same_polygon_from_every_format_within_1_cm() {
    let dir = tempfile::tempdir().unwrap();
    let (_, zones) = all_sources(dir.path());
    assert_eq!(zones.len(), 6);
    for (path, layer) in &zones {
        let fields = ZoneFields {
            code: "code".into(),
            name: "name".into(),
            communes: None,
            layer: layer.map(str::to_string),
            source_crs: None,
        };
        let z = read_zones(path, &fields, Crs::LAMBERT93).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(z.len(), 1);
        assert_eq!(
            (z[0].code.as_str(), z[0].name.as_str()),
            ("Z1", "Belfort schools")
        );
        let ring = &z[0].geometry.0[0].exterior().0;
        assert_eq!(ring.len(), 5, "{}", path.display());
        for (k, &i) in RING.iter().enumerate() {
            assert!(
                close(ring[k], l93(i), 0.01),
                "{}: vertex {k} at {:?}, expected {:?}",
                path.display(),
                ring[k],
                l93(i)
            );
        }
    }
}

#[test]
fn latin1_names_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let files = csv_files(dir.path());
    let latin = files
        .iter()
        .find(|p| p.ends_with("semicolon_latin1_l93.csv"))
        .unwrap();
    let reader = PointReader::open(latin, &PointOptions::default(), Crs::LAMBERT93).unwrap();
    assert_eq!(reader.headers()[1], "nom");
    let rows: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(
        rows[1].fields[1],
        "Lycée général et technologique Condorcet"
    );
    assert_eq!(rows[1].fields[3], "989031,7998");
    assert!(close(rows[1].point, l93(1), 0.0001));
}

#[test]
fn gpkg_with_two_layers_needs_a_layer_name() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _) = gdal_files(dir.path(), "GPKG", Crs::LAMBERT93);
    let fields = FacilityFields {
        category: CategorySource::Fixed(Category::new("school")),
        ..FacilityFields::default()
    };
    let e = read_facilities(&p, &fields, Crs::LAMBERT93)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("holds 2 layers") && e.contains("points, zones"),
        "{e}"
    );
}

#[test]
fn reprojection_matches_cs2cs_within_1_mm() {
    let to_l93 = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    for (i, school) in SCHOOLS.iter().enumerate() {
        let (lon, lat) = lonlat(i);
        let c = to_l93.coord(coord! { x: lon, y: lat }).unwrap();
        assert!(close(c, l93(i), 0.001), "{}: {c:?}", school.0);
    }
    // echo "47.629446451764224 6.840144019496699" | cs2cs -f %.4f EPSG:4326 EPSG:3035
    // 2729054.0652	4083440.5979   (EPSG:3035 is northing, easting in cs2cs)
    let to_laea = Reprojector::new(Crs::WGS84, Crs::LAEA_EUROPE).unwrap();
    let (lon, lat) = lonlat(0);
    let c = to_laea.coord(coord! { x: lon, y: lat }).unwrap();
    assert!(
        close(c, coord! { x: 4083440.5979, y: 2729054.0652 }, 0.001),
        "{c:?}"
    );
    // echo "2730200 4079600" | cs2cs -f %.4f EPSG:3035 EPSG:2154  ->  984362.0205	6733253.7053
    let laea_l93 = Reprojector::new(Crs::LAEA_EUROPE, Crs::LAMBERT93).unwrap();
    let c = laea_l93
        .coord(coord! { x: 4079600.0, y: 2730200.0 })
        .unwrap();
    assert!(
        close(c, coord! { x: 984362.0205, y: 6733253.7053 }, 0.001),
        "{c:?}"
    );
}

#[test]
fn annuaire_export_is_recognised_without_options() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("geodata/annuaire_education_territoire_de_belfort.csv");
    let f = read_facilities(&path, &FacilityFields::default(), Crs::LAMBERT93).unwrap();
    let count = |c: &str| f.iter().filter(|x| x.category.as_str() == c).count();
    assert_eq!(
        [
            count("ecole_maternelle"),
            count("ecole_elementaire"),
            count("college"),
            count("lycee"),
            f.len()
        ],
        [39, 96, 17, 12, 164]
    );
    let condorcet = f.iter().find(|x| x.id == "0900002N").unwrap();
    assert_eq!(condorcet.name, "Lycée général et technologique Condorcet");
    assert_eq!(
        (condorcet.point.x(), condorcet.point.y()),
        (989031.8, 6732842.2)
    );
}
