//! Issue 11 (wrong answers, messages, flags): each test reproduces a report of the issue
//! against the real binary and fails on the main branch of 2026-11-30 before the fix.

use std::path::{Path, PathBuf};

mod common;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs qpv (empty standard input); returns (exit code, stdout, stderr).
fn qpv(args: &[&str]) -> (i32, String, String) {
    qpv_stdin(args, Vec::new())
}

/// Exit 2, `qpv:` first, the fragment, and none of the internal words.
fn refused(args: &[&str], fragment: &str) -> String {
    let (code, _, err) = qpv(args);
    assert_eq!(code, 2, "{args:?}: {err}");
    assert!(err.starts_with("qpv:"), "{args:?}: {err}");
    assert!(
        err.contains(fragment),
        "{args:?}: missing '{fragment}' in {err}"
    );
    for word in ["PROJ", "proj_create", "GDAL", "OGR", "/tmp/", ".qpv-", "::"] {
        assert!(!err.contains(word), "{args:?}: '{word}' in {err}");
    }
    err
}

// See: issue 11, "--crs EPSG:4326 coverage → college within 300 m: 7 of 7 QPV".
#[test]
fn geographic_geocentric_and_unknown_working_crs_are_refused() {
    let e = refused(&["--crs", "EPSG:4326", "coverage"], "geographic CRS");
    assert!(e.contains("EPSG:2154"), "{e}");
    refused(&["--crs", "EPSG:4978", "coverage"], "geocentric CRS");
    // EPSG:2249 (NAD83 / Massachusetts Mainland (ftUS)) measures in US survey feet.
    refused(
        &[
            "--crs",
            "EPSG:2249",
            "locate",
            "tests/misuse/files/qpv_vertices.csv",
        ],
        "not metres",
    );
    let e = refused(
        &["--crs", "EPSG:999999", "coverage"],
        "--crs: EPSG:999999 is not a known EPSG",
    );
    assert!(!e.contains("4096"), "{e}");
    refused(
        &[
            "locate",
            "tests/misuse/files/qpv_vertices.csv",
            "--source-crs",
            "EPSG:999999",
        ],
        "--source-crs: EPSG:999999",
    );
}

// See: issue 11, "--crs EPSG:3857 → 0900006T at 193.52 m instead of 130.51 m".
// Web Mercator's scale along a parallel is 1/cos(latitude) = 1/cos(47.64°) = 1.484 on the
// sphere; measured against the ellipsoid it is 48-49 % too long at Belfort.
#[test]
fn web_mercator_is_refused_with_the_distortion_at_the_data() {
    let e = refused(
        &["--crs", "EPSG:3857", "coverage"],
        "EPSG:3857 distorts distances by 4",
    );
    assert!(e.contains("lat 47.6"), "{e}");
    // A projected CRS with small error over Belfort is accepted: LAEA Europe (0.1 % there).
    let (code, _, err) = qpv(&["--crs", "EPSG:3035", "coverage", "-q"]);
    assert_eq!(code, 0, "{err}");
}

// See: issue 11, "a GeoJSON with "crs": "EPSG:999999" gives 'PROJ cannot transform' without
// the file's name".
#[test]
fn unknown_crs_member_names_the_file() {
    let e = refused(
        &["locate", "tests/misuse/files/unknown_crs.geojson"],
        "unknown_crs.geojson",
    );
    assert!(e.contains("EPSG:999999"), "{e}");
}

/// The 553 vertices of the embedded QPV (tests/misuse/files/qpv_vertices.csv, written from
/// geodata/qpv_2024_territoire_de_belfort.geojson by Python's json and repr: the shortest
/// text of each double) located from CSV, GeoJSON and GeoPackage: every one is in a QPV at
/// distance 0, as shapely's `covers` says of a polygon's own vertices.
// See: issue 11, "7 of the 553 vertices given as lon/lat in a CSV are located outside every
// QPV" (serde_json's default float parser is not correctly rounded: the zones were 1 ulp off).
#[test]
fn every_qpv_vertex_is_in_a_qpv_in_every_format() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let csv = repo("tests/misuse/files/qpv_vertices.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut features = Vec::new();
    for line in text.lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        features.push(format!(
            r#"{{"type":"Feature","properties":{{"id":{}}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
            v[0], v[1], v[2]
        ));
    }
    assert_eq!(features.len(), 553);
    let geojson = dir.path().join("v.geojson");
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    // The GeoPackage written by GDAL itself (ogr2ogr), its own float parser.
    let gpkg = dir.path().join("v.gpkg");
    let st = std::process::Command::new("ogr2ogr")
        .args(["-f", "GPKG"])
        .arg(&gpkg)
        .arg(&geojson)
        .status()
        .unwrap();
    assert!(st.success());
    for input in [csv, geojson, gpkg] {
        let out = dir.path().join("out.csv");
        let (code, _, err) = qpv(&[
            "locate",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let rows = std::fs::read_to_string(&out).unwrap();
        let mut lines = rows.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let code_col = header.iter().position(|h| *h == "code_qp").unwrap();
        let d_col = header
            .iter()
            .position(|h| *h == "signed_distance_m")
            .unwrap();
        let mut n = 0;
        for line in lines {
            let v: Vec<&str> = line.split(',').collect();
            assert!(!v[code_col].is_empty(), "{}: {line}", input.display());
            assert_eq!(v[d_col], "0.0", "{}: {line}", input.display());
            n += 1;
        }
        assert_eq!(n, 553, "{}", input.display());
    }
}

// See: issue 11, "coverage --category collège (or ecole, or a typo) → 0 of 7 QPV".
// Expected: the same table as --category college (4 of 7 QPV have a collège within 300 m, the
// figure tests/locate_cli.rs checks against shapely).
#[test]
fn categories_match_accents_and_case_and_unknown_ones_are_refused() {
    let (code, college, err) = qpv(&["coverage", "--category", "college", "-q"]);
    assert_eq!(code, 0, "{err}");
    for spelling in ["collège", "College", "COLLÈGE"] {
        let (code, out, err) = qpv(&["coverage", "--category", spelling, "-q"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, college, "{spelling}");
    }
    let e = refused(&["coverage", "--category", "ecole"], "'ecole' is ambiguous");
    assert!(e.contains("ecole_elementaire,ecole_maternelle"), "{e}");
    let known = "known categories: college, ecole_elementaire, ecole_maternelle, france_services, lycee, social_centre";
    refused(&["coverage", "--category", "colege"], known);
    refused(
        &[
            "nearest",
            "tests/misuse/files/qpv_vertices.csv",
            "--category",
            "colege",
        ],
        known,
    );
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = qpv(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// Parts of a MultiPolygon GeoJSON layer's single feature (0 for a null geometry).
fn parts(layer: &Path) -> usize {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(layer).unwrap()).unwrap();
    let g = &v["features"][0]["geometry"];
    g["coordinates"].as_array().map_or(0, Vec::len)
}

// See: issue 11, "perimeter build … -o cand.geojson then perimeter test cand.geojson → 112
// added and 106 removed parts for a candidate equal to three QPV". Expected: a candidate made
// of three QPV adds and removes nothing (0 parts, 0 m²), whether stored as GeoJSON (7
// decimals) or GeoPackage (full doubles); before the fix the GeoJSON gave 89 and 86 parts.
#[test]
fn candidate_equal_to_three_qpv_adds_and_removes_nothing_in_every_format() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    for ext in ["geojson", "gpkg"] {
        let cand = dir.path().join(format!("cand.{ext}"));
        let cand = cand.to_str().unwrap();
        let (code, _, err) = qpv(&[
            "perimeter",
            "build",
            "--qpv-codes",
            "QN09004M,QN09005M,QN09006M",
            "-o",
            cand,
        ]);
        assert_eq!(code, 0, "{err}");
        let layers = dir.path().join(format!("layers_{ext}"));
        std::fs::create_dir(&layers).unwrap();
        let t = json_of(&[
            "perimeter",
            "test",
            cand,
            "--format",
            "json",
            "-q",
            "--layers",
            layers.to_str().unwrap(),
        ]);
        assert_eq!(t["added"]["indicators"]["area_m2"], 0.0, "{ext}");
        assert_eq!(t["removed"]["indicators"]["area_m2"], 0.0, "{ext}");
        assert_eq!(parts(&layers.join("added.geojson")), 0, "{ext}");
        assert_eq!(parts(&layers.join("removed.geojson")), 0, "{ext}");
    }
}

// See: issue 11, "--buffer -100 → unexpected argument '-1'; --buffer NaN → the candidate is
// empty; --near-point 6.85,47.64 (lon/lat) read as Lambert-93 metres".
#[test]
fn buffer_and_near_point_values() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let out = dir.path().join("c.geojson");
    let out = out.to_str().unwrap();
    // QN09004M is 57.75 ha (perimeter test's table); shrunk by 100 m it is smaller but not empty.
    let (code, _, err) = qpv(&[
        "perimeter",
        "build",
        "--qpv-codes",
        "QN09004M",
        "--buffer",
        "-100",
        "-o",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    refused(
        &[
            "perimeter",
            "build",
            "--qpv-codes",
            "QN09004M",
            "--buffer",
            "NaN",
        ],
        "--buffer NaN is not a number of metres",
    );
    refused(
        &["perimeter", "build", "--near-point", "6.85"],
        "--near-point '6.85' is not X,Y",
    );
    // lon/lat of a point of Belfort: the same cells as its Lambert-93 metres
    // (cs2cs EPSG:4326 EPSG:2154: 47.64 6.85 → 988967.17 6733670.03).
    let deg = json_of(&[
        "perimeter",
        "build",
        "--near-point",
        "6.85,47.64",
        "--format",
        "json",
    ]);
    let m = json_of(&[
        "perimeter",
        "build",
        "--near-point",
        "988967.17,6733670.03",
        "--format",
        "json",
    ]);
    assert_eq!(deg["parts"], m["parts"]);
    assert_eq!(deg["area_m2"], m["area_m2"]);
    assert!(deg["area_m2"].as_f64().unwrap() > 0.0);
}

// See: issue 11, "exit 1 (internal) for user errors: a directory as input, -o adir".
#[test]
fn directories_are_named_and_exit_2() {
    // Relative paths: the message names them as given (an absolute temporary directory would
    // trip the "/tmp/" check of `refused`).
    refused(
        &["locate", "tests/misuse"],
        "tests/misuse: this is a directory, not a file",
    );
    refused(
        &["coverage", "--qpv", "tests/misuse"],
        "this is a directory, not a file",
    );
    refused(
        &[
            "locate",
            "tests/misuse/files/qpv_vertices.csv",
            "--format",
            "csv",
            "-o",
            "tests/misuse",
        ],
        "this output is a directory",
    );
    refused(
        &[
            "locate",
            "tests/misuse/files/qpv_vertices.csv",
            "-o",
            "tests/misuse/no/such/out.csv",
        ],
        "the directory 'tests/misuse/no/such' does not exist",
    );
    assert!(!Path::new("tests/misuse/no").exists());
}

// See: issue 11, "locate headline '87 inside, 74 near' when 129 of 292 points are in a QPV".
// Expected from the input: the 553 QPV vertices are all in a QPV and all within 50 m of a
// boundary (at 0 m), on the inner side; a point 393 m from QN09001I (6.86, 47.64) is not.
#[test]
fn locate_says_first_how_many_points_are_in_a_qpv_and_has_an_in_qpv_column() {
    let (code, out, err) = qpv(&["locate", "tests/misuse/files/qpv_vertices.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with(
            "located 553 points: 553 in a QPV (100.0 %), 0 not in a QPV (0.0 %); 553 near a boundary (553 inside, 0 outside)"
        ),
        "{err}"
    );
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,lon,lat,code_qp,in_qpv,lib_qp,signed_distance_m,status,nearest_code_qp"
    );
    assert!(lines.all(|l| l.contains(",true,")));
}

// See: issue 11, "Flags that users expect": --layer only on some commands, --code-field /
// --name-field only on check, nearest --help mentions --addresses, --facilities replaces the
// embedded set. qpv_nom_qp.geojson is the embedded QPV with `code_qp` renamed `CODE` and
// `lib_qp` renamed `NOM_QP`; qpv_two_layers.gpkg holds it twice (layers a and b, ogr2ogr).
#[test]
fn zone_flags_are_accepted_by_every_command_that_reads_zones() {
    let (_, embedded, _) = qpv(&["coverage", "-q", "--format", "csv"]);
    let renamed = [
        "--qpv",
        "tests/misuse/files/qpv_nom_qp.geojson",
        "--code-field",
        "CODE",
        "--name-field",
        "NOM_QP",
    ];
    let mut args = vec!["coverage", "-q", "--format", "csv"];
    args.extend(renamed);
    let (code, out, err) = qpv(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().next(), embedded.lines().next());
    assert_eq!(out.lines().count(), embedded.lines().count());
    assert!(out.contains("QN09004M,Les Résidences,college"), "{out}");
    let mut args = vec!["locate", "tests/misuse/files/qpv_vertices.csv", "-q"];
    args.extend(renamed);
    let (code, out, err) = qpv(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .nth(1)
            .unwrap()
            .contains("QN09001I,true,Bougenel - Mulhouse"),
        "{out}"
    );
    // Two layers: the hint names the flag the command accepts, and the flag works.
    refused(
        &[
            "coverage",
            "--qpv",
            "tests/misuse/files/qpv_two_layers.gpkg",
        ],
        "choose one with --qpv-layer: a, b",
    );
    let (code, _, err) = qpv(&[
        "perimeter",
        "test",
        "tests/misuse/files/qpv_nom_qp.geojson",
        "-q",
        "--qpv",
        "tests/misuse/files/qpv_two_layers.gpkg",
        "--qpv-layer",
        "b",
        "--code-field",
        "CODE",
        "--name-field",
        "NOM_QP",
        "--candidate-name-field",
        "NOM_QP",
    ]);
    assert_eq!(code, 0, "{err}");
    // check: the category column flag has the same name as elsewhere, the old one still works.
    for flag in ["--category-field", "--category-column"] {
        let (code, _, err) = qpv(&[
            "check",
            "tests/misuse/files/one_centre.csv",
            "--as",
            "facilities",
            flag,
            "category",
        ]);
        assert_eq!(code, 0, "{flag}: {err}");
    }
    let (_, help, _) = qpv(&["nearest", "--help"]);
    assert!(!help.contains("--addresses"), "{help}");
    let (_, help, _) = qpv(&["locate", "--help"]);
    assert!(help.contains("CSV for locate"), "{help}");
}

// See: issue 11, "--facilities works once and replaces the embedded set". The embedded set
// places 2 social centres (QN09004M inside, QN09007N within 300 m); one_centre.csv adds one a
// metre from QN09001I's first vertex, so QN09001I gets one within 300 m.
#[test]
fn add_facilities_adds_to_the_embedded_set() {
    let base = [
        "coverage",
        "--category",
        "social_centre",
        "-q",
        "--format",
        "csv",
    ];
    let (_, before, _) = qpv(&base);
    let mut args = base.to_vec();
    args.extend(["--add-facilities", "tests/misuse/files/one_centre.csv"]);
    let (code, after, err) = qpv(&args);
    assert_eq!(code, 0, "{err}");
    let within = |text: &str, code: &str| -> String {
        let line = text.lines().find(|l| l.starts_with(code)).unwrap();
        line.split(',').nth(5).unwrap().to_string()
    };
    assert_eq!(within(&before, "QN09001I"), "0");
    assert_eq!(within(&after, "QN09001I"), "1");
    assert_eq!(within(&after, "QN09004M"), "1");
    assert_eq!(within(&after, "QN09007N"), "1");
}

// See: issue 11, "a Shapefile whose .dbf is truncated or whose record count disagrees with
// the .shp is read with the missing features silently dropped (ogrinfo counts 7 features,
// qpv check '3 zones, no problem')". truncated_dbf/ is the embedded QPV exported by ogr2ogr
// with the .dbf cut by 700 bytes (one 7th record lost); dbf_more_records/ pairs its .shp/.shx
// (7 shapes) with the 2-record .dbf of null_shp/.
#[test]
fn damaged_shapefiles_are_refused_with_the_file_named() {
    for dir in ["truncated_dbf", "dbf_more_records"] {
        let shp = format!("tests/misuse/files/{dir}/z.shp");
        refused(&["check", &shp, "--as", "zones"], &format!("{dir}/z.shp"));
        let e = refused(&["coverage", "--qpv", &shp], "export");
        assert!(e.contains("7"), "{e}");
    }
}

// See: issue 11, "a zero-area (collinear) polygon passes check as a valid zone"; "a NULL
// geometry in a GeoPackage/Shapefile → 'unsupported geometry type ' with a blank name".
#[test]
fn zero_area_and_null_geometries_are_refused_by_check_and_every_loader() {
    let zero = "tests/misuse/files/zero_area_zone.geojson";
    refused(
        &["check", zero, "--as", "zones"],
        "feature 0: polygon 0 has no area",
    );
    refused(&["coverage", "--qpv", zero], "has no area");
    refused(&["perimeter", "test", zero], "has no area");
    for file in ["null_geometry.gpkg", "null_shp/z.shp"] {
        let path = format!("tests/misuse/files/{file}");
        let e = refused(
            &["check", &path, "--as", "zones"],
            "feature 1: the feature has no geometry",
        );
        assert!(!e.contains("unsupported"), "{e}");
        refused(
            &[
                "locate",
                "tests/misuse/files/qpv_vertices.csv",
                "--qpv",
                &path,
            ],
            "has no geometry",
        );
    }
}

// See: issue 11, "grid cells with absurd counts (1e308) pass check and produce 'NaN %'".
#[test]
fn absurd_grid_counts_are_refused() {
    for (file, value) in [
        ("grid_1e308.csv", "'1e308'"),
        ("grid_negative.csv", "'-3'"),
        ("grid_nan.csv", "'NaN'"),
    ] {
        let path = format!("tests/misuse/files/{file}");
        refused(
            &["check", &path, "--as", "grid"],
            &format!("line 3: {value} in column 'Ind'"),
        );
        refused(
            &["simulate", "--grid", &path],
            "is not a count of a 200 m cell",
        );
        refused(
            &["coverage", "--grid", &path],
            "is not a count of a 200 m cell",
        );
    }
}

// See: issue 11, "formula cells (=cmd|…) are written to CSV as they are (spreadsheet injection
// when the output is opened in Excel)". OWASP's CSV-injection advice: prefix text cells that
// start with = + - @ with a quote; numbers (-12.5, +3) and a lone "-" stay as they are.
#[test]
fn formula_cells_are_neutralised_in_csv_outputs_and_numbers_are_not() {
    let (code, out, err) = qpv(&["locate", "tests/misuse/files/formula_cells.csv", "-q"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[1].starts_with("1,6.86,47.64,'=cmd|'/c calc'!A1,'+33 3 84 00 00 00,-12.5,"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("2,6.87,47.65,'@SUM(A1),-,+3,"),
        "{out}"
    );
    // The same through --select (another writing path).
    let (_, out, _) = qpv(&[
        "locate",
        "tests/misuse/files/formula_cells.csv",
        "-q",
        "--select",
        "note,amount",
    ]);
    assert_eq!(out, "note,amount\n'=cmd|'/c calc'!A1,-12.5\n'@SUM(A1),+3\n");
    // A table written as CSV (coverage): the facility id from the user's file.
    let (code, out, err) = qpv(&[
        "coverage",
        "--category",
        "social_centre",
        "--add-facilities",
        "tests/misuse/files/formula_centre.csv",
        "-q",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(",'@SUM(A1),"), "{out}");
    assert!(!out.contains(",@SUM"), "{out}");
}

// See: issue 11, "a Lambert-93 .prj without EPSG code → 'declares no CRS'". The .prj of
// lambert93_no_epsg/ names the CRS "Lambert93" on a datum "D_unknown" (GRS80) with Lambert-93's
// parameters (standard parallels in the other order); GDAL's gdalsrsinfo -e rates EPSG:2154
// only 60 % sure. The shapes are the embedded QPV reprojected by ogr2ogr -t_srs EPSG:2154.
#[test]
fn lambert93_prj_without_epsg_code_is_recognised() {
    let shp = "tests/misuse/files/lambert93_no_epsg/s.shp";
    let (code, out, err) = qpv(&["check", shp, "--as", "zones"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("7 zones, no problem"), "{out}");
    let (code, out, err) = qpv(&[
        "locate",
        "tests/misuse/files/qpv_vertices.csv",
        "--qpv",
        shp,
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    // The vertices went through GDAL's reprojection and back: within centimetres of the
    // boundary, all in or at it.
    let outside = out
        .lines()
        .skip(1)
        .filter(|l| l.contains(",outside,"))
        .count();
    assert_eq!(outside, 0, "{out}");
}

// See: issue 11, "duplicate CSV headers are accepted silently".
#[test]
fn duplicate_csv_headers_are_refused_with_their_name() {
    refused(
        &["locate", "tests/misuse/files/duplicate_header.csv"],
        "duplicate_header.csv, line 1: the column 'lon' appears twice (columns 2 and 4)",
    );
}

// See: issue 11, "duplicate JSON keys are accepted silently" (serde_json kept the last one).
#[test]
fn duplicate_json_keys_are_refused_naming_file_feature_and_key() {
    refused(
        &[
            "check",
            "tests/misuse/files/duplicate_key.geojson",
            "--as",
            "zones",
        ],
        "duplicate_key.geojson, feature 1: the key \"code_qp\" appears twice",
    );
    refused(
        &["locate", "tests/misuse/files/duplicate_key_points.geojson"],
        "duplicate_key_points.geojson, feature 1: the key \"coordinates\" appears twice",
    );
}

/// Runs qpv with `stdin` piped in; returns (exit code, stdout, stderr).
fn qpv_stdin(args: &[&str], stdin: Vec<u8>) -> (i32, String, String) {
    common::run_with_stdin(args, stdin)
}

// See: issue 11, "Mixed UTF-8 / Latin-1 rows are garbled". The file is a real mix: line 2 in
// UTF-8 ("Collège Châteaudun"), line 3 in Latin-1 ("École Pergaud" as Excel's "CSV" writes it;
// `iconv -f utf-8` stops at its first byte, 0xC9).
#[test]
fn mixed_encodings_are_refused_and_latin1_after_64_kib_of_ascii_is_decoded() {
    refused(
        &["locate", "tests/misuse/files/mixed_encoding.csv"],
        "mixed_encoding.csv, line 3: this line is not UTF-8 text like line 2: the file mixes text encodings",
    );
    // A Latin-1 file whose first 64 KiB are ASCII: the sniffed sample said UTF-8 and the
    // accented name came out as "B\u{FFFD}thonvilliers". Now the first non-ASCII line decides.
    let mut csv = b"id,nom,lon,lat\n".to_vec();
    for i in 0..3000 {
        csv.extend_from_slice(format!("{i},Belfort centre,6.8628,47.6380\n").as_bytes());
    }
    assert!(csv.len() > 64 * 1024);
    csv.extend_from_slice(b"3000,B\xe9thonvilliers,6.9170,47.6330\n");
    let (code, out, err) = qpv_stdin(&["locate", "-", "-q"], csv);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("3000,Béthonvilliers,"),
        "{}",
        &out[out.len() - 300..]
    );
    assert!(!out.contains('\u{FFFD}'));
}

// See: issue 11, "No `-` for stdin/stdout": `-` reads points from standard input, CSV or
// GeoJSON, with the same output as the file itself.
#[test]
fn a_dash_reads_points_from_standard_input() {
    for file in [
        "tests/misuse/files/qpv_vertices.csv",
        "tests/misuse/files/points.geojson",
    ] {
        let (code, from_file, err) = qpv(&["locate", file, "-q"]);
        assert_eq!(code, 0, "{err}");
        let bytes = std::fs::read(repo(file)).unwrap();
        let (code, from_stdin, err) = qpv_stdin(&["locate", "-", "-q"], bytes);
        assert_eq!(code, 0, "{file}: {err}");
        assert_eq!(from_stdin, from_file, "{file}");
    }
    let (code, _, err) = qpv_stdin(&["locate", "-"], b"id,lon,lat\n1,abc,47.6\n".to_vec());
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>, line 2"), "{err}");
}

// See: tests/validity.proptest-regressions: geo's `relate` panics on this multipolygon (the
// proptest's shrunk case, moved to Lambert-93 metres); `qpv info` panicked on it (exit 101).
// Now its first polygon is listed as invalid, and the loaders refuse it with the feature named.
#[test]
fn a_polygon_geo_cannot_relate_is_reported_invalid_not_a_panic() {
    let file = "tests/misuse/files/relate_panic.geojson";
    let (code, out, err) = qpv(&["info", file]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "feature 0: invalid geometry: polygon at index 0 is invalid: its rings overlap themselves or each other"
        ),
        "{out}"
    );
    assert!(!err.contains("panicked"), "{err}");
    refused(
        &["check", file, "--as", "zones"],
        "relate_panic.geojson, feature 0: polygon 0 has no area",
    );
}
