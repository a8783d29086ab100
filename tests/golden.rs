//! Golden tests: every subcommand, on the embedded Grand Belfort data and the small inputs in
//! `tests/golden/inputs/`, in every output format it writes, compared byte for byte with the
//! files under `tests/golden/`. The oracle is the program itself at the commit that blessed
//! them (first: `main` at 9665d08, before the output layer moved into the library), so any
//! change of output, wanted or not, shows here as a diff to review.
//!
//! Re-bless after a deliberate change (then review `git diff tests/golden`):
//!
//! ```text
//! QPV_BLESS=1 cargo test --test golden
//! ```
//!
//! A failure names each differing file with its first differing line (text) or byte (binary).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One run of `qpv`: `name` (the golden file stem), the arguments, and what it writes.
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    out: Out,
}

/// Where a case's output goes.
#[derive(Clone, Copy)]
enum Out {
    /// Standard output, stored as `NAME.EXT`.
    Stdout(&'static str),
    /// The file `{out}` in the arguments stands for, stored as `NAME.EXT`.
    File(&'static str),
    /// Every file written into the directory `{dir}` stands for, stored as `NAME/FILE`.
    Dir,
    /// `-o {out}.gpkg` plus the QGIS project beside it (`{out}.qgs`): `NAME.gpkg`, `NAME.qgs`.
    GpkgAndProject,
}

const ADDR: &str = "tests/data/addresses_association.csv";
const POINTS: &str = "tests/golden/inputs/points.csv";
const CANDIDATE: &str = "tests/golden/inputs/candidate.geojson";
const CANDIDATE_B: &str = "tests/golden/inputs/candidate_b.geojson";

macro_rules! case {
    ($name:literal, $out:expr, [$($arg:expr),* $(,)?]) => {
        Case { name: $name, args: &[$($arg),*], out: $out }
    };
}

/// Every case. Formats a command refuses are not listed (the misuse corpus covers refusals).
fn cases() -> Vec<Case> {
    use Out::*;
    vec![
        // info: the embedded layers, and one input file.
        case!("info_table", Stdout("txt"), ["info"]),
        case!("info_json", Stdout("json"), ["info", "--format", "json"]),
        case!(
            "info_markdown",
            Stdout("md"),
            ["info", "--format", "markdown"]
        ),
        case!("info_file_table", Stdout("txt"), ["info", CANDIDATE]),
        case!(
            "info_file_json",
            Stdout("json"),
            ["info", POINTS, "--format", "json"]
        ),
        // check: a clean file and the report of a file with problems.
        case!(
            "check_points",
            Stdout("txt"),
            ["check", POINTS, "--as", "points"]
        ),
        case!(
            "check_zones",
            Stdout("txt"),
            [
                "check",
                CANDIDATE,
                "--as",
                "zones",
                "--code-field",
                "name",
                "--name-field",
                "recipe"
            ]
        ),
        // coverage
        case!("coverage_table", Stdout("txt"), ["coverage"]),
        case!(
            "coverage_csv",
            Stdout("csv"),
            ["coverage", "--format", "csv"]
        ),
        case!(
            "coverage_csv_excel_fr",
            Stdout("csv"),
            ["coverage", "--format", "csv", "--csv-style", "excel-fr"]
        ),
        case!(
            "coverage_json",
            Stdout("json"),
            ["coverage", "--format", "json", "--distance", "300,500"]
        ),
        case!(
            "coverage_markdown",
            Stdout("md"),
            ["coverage", "--format", "markdown"]
        ),
        case!(
            "coverage_geojson",
            Stdout("geojson"),
            ["coverage", "--format", "geojson", "--category", "college"]
        ),
        case!(
            "coverage_gpkg",
            GpkgAndProject,
            ["coverage", "--category", "college", "--qgis-project"]
        ),
        // locate: points, then addresses.
        case!("locate_csv", Stdout("csv"), ["locate", POINTS]),
        case!(
            "locate_csv_excel_fr",
            Stdout("csv"),
            ["locate", POINTS, "--csv-style", "excel-fr"]
        ),
        case!(
            "locate_json",
            Stdout("json"),
            ["locate", POINTS, "--format", "json"]
        ),
        case!(
            "locate_geojson",
            Stdout("geojson"),
            ["locate", POINTS, "--format", "geojson"]
        ),
        case!(
            "locate_gpkg",
            File("gpkg"),
            ["locate", POINTS, "-o", "{out}.gpkg"]
        ),
        case!(
            "locate_table",
            Stdout("txt"),
            ["locate", POINTS, "--format", "table"]
        ),
        case!(
            "locate_markdown",
            Stdout("md"),
            ["locate", POINTS, "--format", "markdown"]
        ),
        case!(
            "locate_select_limit",
            Stdout("csv"),
            [
                "locate",
                POINTS,
                "--select",
                "status,id,code_qp",
                "--distance-limit",
                "100"
            ]
        ),
        case!(
            "locate_summary_csv",
            File("csv"),
            ["locate", POINTS, "-o", "-", "--summary", "{out}.csv"]
        ),
        case!(
            "locate_summary_json",
            File("json"),
            ["locate", POINTS, "-o", "-", "--summary", "{out}.json"]
        ),
        case!(
            "locate_addresses_csv",
            Stdout("csv"),
            ["locate", "--addresses", ADDR]
        ),
        case!(
            "locate_addresses_csv_excel_fr",
            Stdout("csv"),
            ["locate", "--addresses", ADDR, "--csv-style", "excel-fr"]
        ),
        case!(
            "locate_addresses_json",
            Stdout("json"),
            ["locate", "--addresses", ADDR, "--format", "json"]
        ),
        case!(
            "locate_addresses_geojson",
            Stdout("geojson"),
            ["locate", "--addresses", ADDR, "--format", "geojson"]
        ),
        case!(
            "locate_addresses_gpkg",
            File("gpkg"),
            ["locate", "--addresses", ADDR, "-o", "{out}.gpkg"]
        ),
        case!(
            "locate_addresses_markdown",
            Stdout("md"),
            ["locate", "--addresses", ADDR, "--format", "markdown"]
        ),
        // nearest
        case!("nearest_csv", Stdout("csv"), ["nearest", POINTS, "-k", "2"]),
        case!(
            "nearest_csv_excel_fr",
            Stdout("csv"),
            ["nearest", POINTS, "-k", "2", "--csv-style", "excel-fr"]
        ),
        case!(
            "nearest_json",
            Stdout("json"),
            ["nearest", POINTS, "--per-category", "--format", "json"]
        ),
        case!(
            "nearest_geojson_lines",
            Stdout("geojson"),
            [
                "nearest", POINTS, "-k", "2", "--lines", "--format", "geojson"
            ]
        ),
        case!(
            "nearest_gpkg",
            File("gpkg"),
            [
                "nearest",
                POINTS,
                "--category",
                "college",
                "-o",
                "{out}.gpkg"
            ]
        ),
        case!(
            "nearest_table",
            Stdout("txt"),
            [
                "nearest",
                POINTS,
                "--format",
                "table",
                "--max-distance",
                "1000"
            ]
        ),
        case!(
            "nearest_markdown",
            Stdout("md"),
            ["nearest", POINTS, "--format", "markdown"]
        ),
        case!(
            "nearest_select",
            Stdout("csv"),
            [
                "nearest",
                POINTS,
                "--select",
                "nearest_1_id,id,nearest_1_distance_m"
            ]
        ),
        // geocode
        case!("geocode_csv", Stdout("csv"), ["geocode", ADDR]),
        case!(
            "geocode_csv_excel_fr",
            Stdout("csv"),
            ["geocode", ADDR, "--csv-style", "excel-fr"]
        ),
        case!(
            "geocode_json",
            Stdout("json"),
            ["geocode", ADDR, "--format", "json"]
        ),
        case!(
            "geocode_geojson",
            Stdout("geojson"),
            ["geocode", ADDR, "--format", "geojson"]
        ),
        case!(
            "geocode_gpkg",
            File("gpkg"),
            ["geocode", ADDR, "-o", "{out}.gpkg"]
        ),
        // perimeter
        case!(
            "perimeter_build_geojson",
            Stdout("geojson"),
            [
                "perimeter",
                "build",
                "--qpv-codes",
                "QN09004M",
                "--buffer",
                "50"
            ]
        ),
        case!(
            "perimeter_build_cells_json",
            Stdout("json"),
            [
                "perimeter",
                "build",
                "--cells-where",
                "poor_share>=0.4",
                "--communes",
                "90010",
                "--format",
                "json"
            ]
        ),
        case!(
            "perimeter_build_gpkg",
            File("gpkg"),
            [
                "perimeter",
                "build",
                "--qpv-codes",
                "QN09001I",
                "-o",
                "{out}.gpkg"
            ]
        ),
        case!(
            "perimeter_test_markdown",
            Stdout("md"),
            ["perimeter", "test", CANDIDATE, "--lang", "en"]
        ),
        case!(
            "perimeter_test_markdown_fr",
            Stdout("md"),
            ["perimeter", "test", CANDIDATE]
        ),
        case!(
            "perimeter_test_all_table",
            Stdout("txt"),
            [
                "perimeter",
                "test",
                CANDIDATE,
                "--baseline",
                "all",
                "--format",
                "table"
            ]
        ),
        case!(
            "perimeter_test_json",
            Stdout("json"),
            ["perimeter", "test", CANDIDATE, "--format", "json"]
        ),
        case!(
            "perimeter_test_html",
            Stdout("html"),
            ["perimeter", "test", CANDIDATE, "--format", "html"]
        ),
        case!(
            "perimeter_test_layers",
            Dir,
            [
                "perimeter",
                "test",
                CANDIDATE,
                "--layers",
                "{dir}",
                "-o",
                "-"
            ]
        ),
        case!(
            "perimeter_compare_markdown",
            Stdout("md"),
            [
                "perimeter",
                "compare",
                CANDIDATE,
                CANDIDATE_B,
                "--lang",
                "en"
            ]
        ),
        case!(
            "perimeter_compare_markdown_fr",
            Stdout("md"),
            ["perimeter", "compare", CANDIDATE, CANDIDATE_B]
        ),
        case!(
            "perimeter_compare_json",
            Stdout("json"),
            [
                "perimeter",
                "compare",
                CANDIDATE,
                CANDIDATE_B,
                "--format",
                "json"
            ]
        ),
        case!(
            "perimeter_compare_csv",
            Stdout("csv"),
            [
                "perimeter",
                "compare",
                CANDIDATE,
                CANDIDATE_B,
                "--format",
                "csv"
            ]
        ),
        case!(
            "perimeter_compare_table",
            Stdout("txt"),
            [
                "perimeter",
                "compare",
                CANDIDATE,
                CANDIDATE_B,
                "--format",
                "table"
            ]
        ),
        // simulate
        case!(
            "simulate_markdown",
            Stdout("md"),
            ["simulate", "--lang", "en"]
        ),
        case!("simulate_markdown_fr", Stdout("md"), ["simulate"]),
        case!(
            "simulate_json",
            Stdout("json"),
            ["simulate", "--format", "json"]
        ),
        case!(
            "simulate_table",
            Stdout("txt"),
            ["simulate", "--format", "table"]
        ),
        case!(
            "simulate_csv",
            Stdout("csv"),
            ["simulate", "--format", "csv"]
        ),
        case!(
            "simulate_geojson",
            Stdout("geojson"),
            [
                "simulate",
                "--criterion",
                "mean-income",
                "--threshold",
                "12000",
                "--contiguity",
                "queen",
                "--format",
                "geojson"
            ]
        ),
        case!(
            "simulate_gpkg",
            File("gpkg"),
            ["simulate", "-o", "{out}.gpkg"]
        ),
        case!(
            "simulate_layers",
            Dir,
            ["simulate", "--layers", "{dir}", "-o", "-"]
        ),
        // access (issue 14 may change these; the lead re-blesses at merge)
        case!(
            "access_markdown",
            Stdout("md"),
            [
                "access",
                "--category",
                "college",
                "--method",
                "2sfca,gravity"
            ]
        ),
        case!(
            "access_csv",
            Stdout("csv"),
            ["access", "--category", "college", "--format", "csv"]
        ),
        case!(
            "access_gpkg",
            File("gpkg"),
            ["access", "--category", "college", "-o", "{out}.gpkg"]
        ),
        // site
        case!(
            "site_markdown",
            Stdout("md"),
            ["site", "--category", "social_centre", "-k", "2"]
        ),
        case!(
            "site_json",
            Stdout("json"),
            [
                "site",
                "--category",
                "social_centre",
                "-k",
                "2",
                "--format",
                "json"
            ]
        ),
        case!(
            "site_geojson",
            Stdout("geojson"),
            [
                "site",
                "--category",
                "social_centre",
                "-k",
                "2",
                "--format",
                "geojson"
            ]
        ),
        // report
        case!("report_html", File("html"), ["report", "-o", "{out}.html"]),
        case!(
            "report_json",
            Stdout("json"),
            ["report", "--format", "json", "--lang", "en"]
        ),
    ]
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The golden directory.
fn golden() -> PathBuf {
    root().join("tests/golden")
}

/// Runs one case; returns the produced files as (golden path relative to tests/golden, bytes).
fn produce(case: &Case) -> Result<Vec<(String, Vec<u8>)>, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = tmp.path().join("out");
    let dir = tmp.path().join("layers");
    let out_s = out.display().to_string();
    let dir_s = dir.display().to_string();
    let mut args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace("{out}", &out_s).replace("{dir}", &dir_s))
        .collect();
    if let Out::GpkgAndProject = case.out {
        args.push("-o".into());
        args.push(format!("{out_s}.gpkg"));
    }
    let run = Command::new(env!("CARGO_BIN_EXE_qpv"))
        .arg("-q")
        .args(&args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1764460800")
        .output()
        .map_err(|e| e.to_string())?;
    if !run.status.success() {
        return Err(format!(
            "qpv {} exited {:?}: {}",
            args.join(" "),
            run.status.code(),
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    // Paths of the temporary directory are replaced, so a file that names its neighbour (the
    // QGIS project) compares equal from any directory.
    let scrub = |bytes: Vec<u8>| -> Vec<u8> {
        match String::from_utf8(bytes) {
            Ok(text) => text
                .replace(&tmp.path().display().to_string(), "{tmp}")
                .into_bytes(),
            Err(e) => e.into_bytes(),
        }
    };
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let name = case.name;
    Ok(match case.out {
        Out::Stdout(ext) => vec![(format!("{name}.{ext}"), scrub(run.stdout))],
        Out::File(ext) => {
            let file = PathBuf::from(format!("{out_s}.{ext}"));
            vec![(format!("{name}.{ext}"), scrub(read(&file)?))]
        }
        Out::GpkgAndProject => vec![
            (
                format!("{name}.gpkg"),
                read(Path::new(&format!("{out_s}.gpkg")))?,
            ),
            (
                format!("{name}.qgs"),
                scrub(read(Path::new(&format!("{out_s}.qgs")))?),
            ),
        ],
        Out::Dir => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| e.to_string())?
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            let mut v = Vec::new();
            for f in files {
                let file = f.file_name().unwrap().to_string_lossy().into_owned();
                v.push((format!("{name}/{file}"), scrub(read(&f)?)));
            }
            v
        }
    })
}

/// The first difference between `want` and `got`, for a person: the line for text, the byte
/// offset for binary files.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    match (std::str::from_utf8(want), std::str::from_utf8(got)) {
        (Ok(w), Ok(g)) => {
            let (mut wl, mut gl) = (w.lines(), g.lines());
            for n in 1.. {
                match (wl.next(), gl.next()) {
                    (Some(a), Some(b)) if a == b => continue,
                    (None, None) => return "same lines, different line endings".into(),
                    (a, b) => {
                        return format!(
                            "line {n}:\n    want: {}\n    got:  {}",
                            a.unwrap_or("<end of file>"),
                            b.unwrap_or("<end of file>")
                        );
                    }
                }
            }
            unreachable!()
        }
        _ => {
            let at = want
                .iter()
                .zip(got)
                .position(|(a, b)| a != b)
                .unwrap_or(want.len().min(got.len()));
            format!(
                "binary, first difference at byte {at} (sizes: want {}, got {})",
                want.len(),
                got.len()
            )
        }
    }
}

/// Checks (or with `QPV_BLESS=1`, writes) one case; returns the failures.
fn check(case: &Case, bless: bool) -> Vec<String> {
    let files = match produce(case) {
        Ok(f) => f,
        Err(e) => return vec![format!("{}: {e}", case.name)],
    };
    let mut failures = Vec::new();
    for (rel, got) in files {
        let path = golden().join(&rel);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        match std::fs::read(&path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "tests/golden/{rel} differs ({}), `qpv -q {}`: {}",
                case.name,
                case.args.join(" "),
                first_difference(&want, &got)
            )),
            Err(_) => failures.push(format!("tests/golden/{rel} missing (bless it)")),
        }
    }
    failures
}

#[test]
fn every_subcommand_and_format_matches_its_golden_file() {
    let bless = std::env::var_os("QPV_BLESS").is_some_and(|v| v == "1");
    let cases = cases();
    let next = Mutex::new(cases.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let Some(case) = next.lock().unwrap().next() else {
                        break;
                    };
                    let f = check(case, bless);
                    failures.lock().unwrap().extend(f);
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} golden difference(s); if intended, re-bless with `QPV_BLESS=1 cargo test --test \
         golden` and review `git diff tests/golden`:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn case_names_are_unique() {
    let cases = cases();
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    let n = names.len();
    names.dedup();
    assert_eq!(n, names.len());
}

/// `-o -` is standard output for every subcommand that writes one result: the same bytes as
/// without `-o`, and no file named `-` appears in the working directory (issue 11). The oracle
/// is the run without `-o` (standard output by definition).
#[test]
fn dash_means_standard_output_for_every_subcommand() {
    let root = root();
    let abs = |p: &str| root.join(p).display().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["info".into()],
        vec!["coverage".into()],
        vec!["locate".into(), abs(POINTS)],
        vec!["locate".into(), "--addresses".into(), abs(ADDR)],
        vec!["nearest".into(), abs(POINTS)],
        vec!["geocode".into(), abs(ADDR)],
        vec!["perimeter".into(), "test".into(), abs(CANDIDATE)],
        vec!["perimeter".into(), "compare".into(), abs(CANDIDATE)],
        vec![
            "perimeter".into(),
            "build".into(),
            "--qpv-codes".into(),
            "QN09001I".into(),
        ],
        vec!["simulate".into()],
        vec!["access".into(), "--category".into(), "college".into()],
        vec!["site".into(), "--category".into(), "social_centre".into()],
        vec!["report".into(), "--format".into(), "json".into()],
    ];
    let mut failures = Vec::new();
    for args in runs {
        let cwd = tempfile::tempdir().unwrap();
        let run = |dash: bool| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_qpv"));
            c.arg("-q").args(&args).current_dir(cwd.path());
            if dash {
                c.args(["-o", "-"]);
            }
            c.output().unwrap()
        };
        let (plain, dash) = (run(false), run(true));
        let left: Vec<_> = std::fs::read_dir(cwd.path()).unwrap().collect();
        if !plain.status.success() || !dash.status.success() {
            failures.push(format!(
                "{args:?}: {}",
                String::from_utf8_lossy(&dash.stderr)
            ));
        } else if plain.stdout != dash.stdout || plain.stdout.is_empty() {
            failures.push(format!(
                "{args:?}: `-o -` wrote other bytes than standard output"
            ));
        } else if !left.is_empty() {
            failures.push(format!(
                "{args:?}: left {} file(s) in the directory",
                left.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
