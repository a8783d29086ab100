//! Every file of tests/bad_inputs/ makes `qpv check FILE --as KIND` exit 2 without panicking,
//! with a message naming the file, the feature or line, and what is wrong.

use assert_cmd::Command;

/// (file, kind, extra arguments, location fragment or "", message fragment)
const CASES: &[(&str, &str, &[&str], &str, &str)] = &[
    // GeoJSON as zones
    (
        "truncated.geojson",
        "zones",
        &[],
        "line 1",
        "ends too early",
    ),
    (
        "points_as_zones.geojson",
        "zones",
        &[],
        "feature 0",
        "a Point where a polygon was expected",
    ),
    (
        "linestring_as_zones.geojson",
        "zones",
        &[],
        "feature 0",
        "a LineString where a polygon",
    ),
    (
        "unclosed_ring.geojson",
        "zones",
        &[],
        "feature 1",
        "the ring is not closed",
    ),
    (
        "self_intersecting.geojson",
        "zones",
        &[],
        "feature 0",
        "self-intersection",
    ),
    (
        "touching_lobes.geojson",
        "zones",
        &[],
        "feature 0",
        "self-intersection",
    ),
    (
        "empty_collection.geojson",
        "zones",
        &[],
        "",
        "the layer has no features",
    ),
    (
        "nan_coordinate.geojson",
        "zones",
        &[],
        "line 1",
        "NaN at column",
    ),
    (
        "infinity_coordinate.geojson",
        "zones",
        &[],
        "line 1",
        "Infinity at column",
    ),
    (
        "swapped_axes.geojson",
        "zones",
        &[],
        "feature 0",
        "look swapped",
    ),
    (
        "metres_as_degrees.geojson",
        "zones",
        &[],
        "feature 0",
        "looks like metres",
    ),
    (
        "degrees_as_metres.geojson",
        "zones",
        &[],
        "feature 0",
        "looks like longitude/latitude",
    ),
    (
        "duplicate_codes.geojson",
        "zones",
        &[],
        "feature 1",
        "duplicate zone code 'QN09001I'",
    ),
    (
        "missing_code_field.geojson",
        "zones",
        &[],
        "column 'code_qp'",
        "no attribute 'code_qp'",
    ),
    (
        "empty_geometry.geojson",
        "zones",
        &[],
        "feature 1",
        "an empty polygon",
    ),
    (
        "null_geometry.geojson",
        "zones",
        &[],
        "feature 2",
        "has no geometry",
    ),
    (
        "short_position.geojson",
        "zones",
        &[],
        "feature 0",
        "a position has 1 number",
    ),
    (
        "ring_too_short.geojson",
        "zones",
        &[],
        "feature 0",
        "a ring with 3 positions",
    ),
    (
        "bad_crs_member.geojson",
        "zones",
        &[],
        "",
        "is not an EPSG code",
    ),
    ("not_geojson.json", "zones", &[], "", "no GeoJSON \"type\""),
    ("binary_garbage.geojson", "zones", &[], "", "binary bytes"),
    ("empty.geojson", "zones", &[], "", "the file is empty"),
    (
        "polygon_as_points.geojson",
        "points",
        &[],
        "feature 0",
        "a MultiPolygon where a point was expected",
    ),
    // CSV as points or facilities
    ("empty.csv", "points", &[], "", "the file is empty"),
    ("header_only.csv", "facilities", &[], "", "no facilities"),
    ("header_only.csv", "points", &[], "", "no points"),
    (
        "missing_coordinates.csv",
        "points",
        &[],
        "",
        "no coordinate columns found",
    ),
    (
        "unknown_separator.csv",
        "points",
        &[],
        "line 1",
        "the separator ':'",
    ),
    ("binary_garbage.csv", "points", &[], "", "binary bytes"),
    (
        "nan_coordinate.csv",
        "points",
        &[],
        "line 3",
        "'NaN' in column 'longitude'",
    ),
    (
        "infinity_coordinate.csv",
        "points",
        &[],
        "line 2",
        "'inf' in column 'latitude'",
    ),
    (
        "swapped_latlon.csv",
        "points",
        &[],
        "line 2",
        "look swapped",
    ),
    (
        "metres_in_lonlat.csv",
        "points",
        &[],
        "line 4",
        "looks like metres",
    ),
    (
        "degrees_in_xy_epsg2154.csv",
        "points",
        &[],
        "line 2",
        "looks like longitude/latitude",
    ),
    (
        "bad_number.csv",
        "points",
        &[],
        "line 4",
        "'abc' in column 'y'",
    ),
    (
        "extra_field.csv",
        "points",
        &[],
        "line 3",
        "the row has 4 fields but the header has 3",
    ),
    (
        "short_row.csv",
        "points",
        &[],
        "line 3",
        "the row has 2 fields",
    ),
    (
        "bad_epsg.csv",
        "points",
        &[],
        "line 2",
        "'EPSG:Lambert' in column 'EPSG' is not a CRS",
    ),
    (
        "empty_coordinate.csv",
        "points",
        &[],
        "line 4",
        "empty coordinate",
    ),
    (
        "duplicate_ids.csv",
        "facilities",
        &[],
        "line 5",
        "duplicate facility id '0900003P'",
    ),
    (
        "empty_category.csv",
        "facilities",
        &[],
        "line 3",
        "empty category",
    ),
    (
        "no_category_column.csv",
        "facilities",
        &[],
        "",
        "no category column",
    ),
    (
        "missing_coordinates.csv",
        "facilities",
        &[],
        "",
        "no coordinate columns found",
    ),
    // Filosofi grid
    (
        "grid_missing_column.csv",
        "grid",
        &[],
        "column 'Men_pauv'",
        "no column 'Men_pauv'",
    ),
    (
        "grid_bad_id.csv",
        "grid",
        &[],
        "line 3",
        "'cell-2' is not an INSPIRE grid id",
    ),
    (
        "grid_swapped_corner.csv",
        "grid",
        &[],
        "line 4",
        "does not match the id",
    ),
    (
        "grid_negative_count.csv",
        "grid",
        &[],
        "line 2",
        "'-33' in column 'Ind' is not a count",
    ),
    ("grid_header_only.csv", "grid", &[], "", "no cells"),
    (
        "grid_duplicate_cell.csv",
        "grid",
        &[],
        "line 4",
        "duplicate cell",
    ),
    ("empty.csv", "grid", &[], "", "the file is empty"),
    // GDAL
    (
        "garbage.gpkg",
        "zones",
        &[],
        "",
        "cannot be read as a vector layer",
    ),
    (
        "garbage.shp",
        "zones",
        &[],
        "",
        "cannot be read as a vector layer",
    ),
    (
        "garbage.gpkg",
        "points",
        &[],
        "",
        "cannot be read as a vector layer",
    ),
];

/// Runs `qpv check PATH --as KIND EXTRA...` and returns its output.
fn check(path: &std::path::Path, kind: &str, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("qpv")
        .unwrap()
        .arg("check")
        .arg(path)
        .args(["--as", kind])
        .args(extra)
        .output()
        .unwrap()
}

/// A file of the corpus or of the repository, by path relative to the crate.
fn repo_file(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

#[test]
fn every_bad_input_exits_2_naming_file_location_and_problem() {
    let dir = repo_file("tests/bad_inputs");
    let mut failures = Vec::new();
    for (file, kind, extra, location, fragment) in CASES {
        let path = dir.join(file);
        assert!(path.exists(), "missing corpus file {file}");
        let out = check(&path, kind, extra);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().next().unwrap_or_default();
        // Every message of the tool starts with "qpv: ", check's problem lines too.
        let expected_head = format!(
            "qpv: {}{}",
            path.display(),
            if location.is_empty() {
                String::new()
            } else {
                format!(", {location}")
            }
        );
        let ok = out.status.code() == Some(2)
            && !stderr.contains("panicked")
            && first.starts_with(&expected_head)
            && first.contains(fragment)
            && stderr.contains("hint:");
        if !ok {
            failures.push(format!(
                "{file} --as {kind}: exit {:?}\n{stderr}",
                out.status.code()
            ));
        }
    }
    assert!(CASES.len() >= 25);
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn check_lists_every_problem_not_only_the_first() {
    let path = repo_file("tests/bad_inputs/metres_in_lonlat.csv");
    // One bad row: one problem, and the summary says how many loaded.
    let out = check(&path, "points", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("1 problem(s) listed above; 2 points loaded without problem"),
        "{stderr}"
    );
}

#[test]
fn check_lists_all_problems_of_a_file() {
    let path = repo_file("tests/bad_inputs/many_problems.geojson");
    let out = check(&path, "zones", &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let p = path.display();
    for expected in [
        format!("{p}, feature 1: polygon 0, ring 0: the ring is not closed"),
        format!("{p}, feature 2: a Point where a polygon was expected"),
        format!("{p}, feature 3: duplicate zone code 'QN09001I'"),
        format!("{p}, feature 4: invalid polygon"),
        "4 problem(s) listed above; 1 zones loaded without problem".to_string(),
    ] {
        assert!(
            stderr.contains(&expected),
            "missing '{expected}' in:\n{stderr}"
        );
    }
}

#[test]
fn a_good_file_exits_0_with_a_one_line_summary() {
    let path = repo_file("geodata/qpv_2024_territoire_de_belfort.geojson");
    let out = check(&path, "zones", &[]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        format!(
            "{}: 7 zones, no problem (QN09001I … QN09007N)\n",
            path.display()
        )
    );
}
