//! `qpv` does not link GDAL (40-50 ms of library loading saved in every run); runs that need
//! it are handed to `qpv-gdal`, beside it. These tests check both halves: what each binary
//! loads, and that every way of needing GDAL (named on the command line, or met only when a
//! file is opened) gives the output `qpv-gdal` gives, with the same exit code.

mod common;

use std::process::{Command, Stdio};

use assert_cmd::prelude::*;
use common::{qpv, temp_dir};

/// The libraries the dynamic loader maps for `binary` (what `ldd` prints).
fn loaded_libraries(binary: &str) -> String {
    let out = Command::cargo_bin(binary)
        .unwrap()
        .env("LD_TRACE_LOADED_OBJECTS", "1")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `qpv-gdal` run from the repository root.
fn qpv_gdal() -> Command {
    let mut command = Command::cargo_bin("qpv-gdal").unwrap();
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Exit code, stdout and stderr of a command.
fn outcome(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A GeoPackage of the embedded QPV (and facilities, rings, uncovered parts) in `dir`.
fn coverage_gpkg(dir: &std::path::Path) -> String {
    let path = dir.join("coverage.gpkg");
    qpv()
        .args(["-q", "coverage", "-o"])
        .arg(&path)
        .assert()
        .success();
    path.display().to_string()
}

#[cfg(target_os = "linux")]
#[test]
fn qpv_does_not_load_gdal_and_qpv_gdal_does() {
    let light = loaded_libraries("qpv");
    let full = loaded_libraries("qpv-gdal");
    assert!(light.contains("libproj"), "{light}");
    assert!(!light.contains("libgdal"), "{light}");
    assert!(full.contains("libgdal"), "{full}");
}

#[test]
fn a_geopackage_on_the_command_line_is_handled_by_qpv_gdal() {
    let dir = temp_dir();
    let gpkg = coverage_gpkg(dir.path());
    for args in [
        vec!["info", gpkg.as_str()],
        vec!["info", gpkg.as_str(), "--layer", "rings"],
        vec![
            "--quiet",
            "coverage",
            "--qpv",
            gpkg.as_str(),
            "--qpv-layer",
            "qpv",
        ],
        vec!["info", "no_such_file.gpkg"],
    ] {
        let light = outcome(qpv().args(&args));
        assert_eq!(light, outcome(qpv_gdal().args(&args)), "{args:?}");
        assert_eq!(
            light.0 == 0,
            args[1] != "no_such_file.gpkg",
            "{args:?}: {light:?}"
        );
    }
}

#[test]
fn a_gdal_file_with_an_unknown_extension_is_handed_over_when_it_is_opened() {
    let dir = temp_dir();
    let gpkg = coverage_gpkg(dir.path());
    let disguised = dir.path().join("zones.dat");
    std::fs::copy(&gpkg, &disguised).unwrap();
    let disguised = disguised.display().to_string();
    let args = ["info", disguised.as_str(), "--layer", "qpv"];
    let light = outcome(qpv().args(args));
    assert_eq!(light.0, 0, "{light:?}");
    assert!(light.1.contains("driver:    GPKG"), "{}", light.1);
    assert_eq!(light, outcome(qpv_gdal().args(args)));
    // Points piped in, zones found to need GDAL when opened: the same located rows.
    let points = "id,x,y\n1,989100,6733700\n2,993000,6734000\n";
    let args = [
        "-q",
        "locate",
        "-",
        "--qpv",
        disguised.as_str(),
        "--qpv-layer",
        "qpv",
    ];
    let run = |mut cmd: Command| {
        use std::io::Write;
        let mut child = cmd
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(points.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let light = run(qpv());
    assert_eq!(light, run(qpv_gdal()));
    assert_eq!(light.0, Some(0), "{light:?}");
    assert_eq!(light.1.lines().count(), 3, "{}", light.1);
}

#[test]
fn without_qpv_gdal_beside_it_qpv_says_what_to_install() {
    let dir = temp_dir();
    let alone = dir.path().join("qpv");
    std::fs::copy(assert_cmd::cargo::cargo_bin("qpv"), &alone).unwrap();
    let mut cmd = Command::new(&alone);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    let (code, _, stderr) = outcome(cmd.args(["info", "zones.gpkg"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("needs qpv-gdal"), "{stderr}");
    assert!(stderr.contains("cargo install --path ."), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    // Runs without GDAL formats do not need it.
    let mut cmd = Command::new(&alone);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = outcome(cmd.args(["-q", "coverage", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with('{'), "{stdout}");
}
