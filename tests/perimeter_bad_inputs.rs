//! Every bad polygon file of tests/bad_inputs/ given as a candidate makes `qpv perimeter test`
//! exit 2 without panicking, naming the file, the place and what is wrong.

use assert_cmd::Command;

/// (file, location fragment or "", message fragment)
const CASES: &[(&str, &str, &str)] = &[
    ("truncated.geojson", "line 1", "ends too early"),
    (
        "points_as_zones.geojson",
        "feature 0",
        "a Point where a polygon was expected",
    ),
    (
        "linestring_as_zones.geojson",
        "feature 0",
        "a LineString where a polygon",
    ),
    (
        "unclosed_ring.geojson",
        "feature 1",
        "the ring is not closed",
    ),
    (
        "self_intersecting.geojson",
        "feature 0",
        "self-intersection",
    ),
    ("empty_collection.geojson", "", "the layer has no features"),
    ("nan_coordinate.geojson", "line 1", "NaN"),
    ("infinity_coordinate.geojson", "line 1", "Infinity"),
    ("null_geometry.geojson", "feature 2", "has no geometry"),
    ("empty_geometry.geojson", "feature 1", "an empty polygon"),
    (
        "degrees_as_metres.geojson",
        "feature 0",
        "looks like longitude/latitude",
    ),
    (
        "metres_as_degrees.geojson",
        "feature 0",
        "looks like metres",
    ),
    ("swapped_axes.geojson", "feature 0", "swapped"),
    ("binary_garbage.geojson", "", "not GeoJSON"),
    ("not_geojson.json", "", "no GeoJSON \"type\""),
    ("bad_crs_member.geojson", "", "not an EPSG code"),
    (
        "short_position.geojson",
        "feature 0",
        "a position has 1 number",
    ),
    ("ring_too_short.geojson", "feature 0", "at least 4"),
    ("empty.geojson", "", "empty"),
    ("garbage.gpkg", "", "cannot be read as a vector layer"),
];

#[test]
fn bad_candidate_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs");
    for (file, location, message) in CASES {
        let out = Command::cargo_bin("qpv")
            .unwrap()
            .args(["perimeter", "test"])
            .arg(dir.join(file))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        assert!(err.contains(file), "{file}: {err}");
        assert!(err.contains(location), "{file}: want '{location}' in {err}");
        assert!(err.contains(message), "{file}: want '{message}' in {err}");
        assert!(err.contains("hint:"), "{file}: {err}");
        assert!(out.stdout.is_empty(), "{file}: wrote a report");
    }
}
