//! The misuse corpus: every case of `tests/misuse/*.cases` runs the built `qpv` and must be
//! refused cleanly.
//!
//! A case is one non-empty line not starting with `#`: `NAME | ARGS | FRAGMENT`.
//! - NAME: unique across all the files;
//! - ARGS: the qpv arguments as shell words (quotes as in a POSIX shell), paths relative to the
//!   repository root; `{tmp}` stands for a fresh empty directory for outputs;
//! - FRAGMENT: a substring the standard error must contain (the file, line or feature and the
//!   problem).
//!
//! Each case must exit 2, write a standard error that starts with `qpv:`, contains FRAGMENT and
//! none of the internal details in [`FORBIDDEN`], and leave `{tmp}` empty (nothing
//! half-written). Input files for cases live in `tests/misuse/files/`; every argument naming a
//! file under `tests/` or `geodata/` must exist, unless its file name starts with `absent`
//! (cases about a missing file).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Internal details a message for a user must not contain: library and driver jargon, temp
/// paths and temp-file names, Rust paths (`::`).
const FORBIDDEN: &[&str] = &[
    "PROJ",
    "proj_create",
    "GDAL",
    "OGR",
    "/tmp/",
    ".qpv-",
    "::",
    "panicked",
];

/// The OGC URN of a CRS legitimately contains `::` (`urn:ogc:def:crs:EPSG::2154`): a message
/// quoting the user's own URN is not a Rust path.
const URN_PREFIX: &str = "urn:ogc:def:crs:EPSG::";

/// One case of the corpus.
#[derive(Debug)]
struct Case {
    /// Where it was read (file:line), for failure messages.
    origin: String,
    name: String,
    args: Vec<String>,
    fragment: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every case of every `tests/misuse/*.cases` file, in file then line order.
fn read_cases() -> Vec<Case> {
    let dir = root().join("tests/misuse");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cases"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let short = file.file_name().unwrap().to_string_lossy().into_owned();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let origin = format!("{short}:{}", i + 1);
            cases.push(parse_case(line, origin));
        }
    }
    cases
}

/// Parses `NAME | ARGS | FRAGMENT` (the fragment may itself contain `|`).
fn parse_case(line: &str, origin: String) -> Case {
    let mut parts = line.splitn(3, " | ");
    let (Some(name), Some(args), Some(fragment)) = (parts.next(), parts.next(), parts.next())
    else {
        panic!("{origin}: expected `NAME | ARGS | FRAGMENT`, got {line:?}");
    };
    let args = shlex::split(args).unwrap_or_else(|| panic!("{origin}: bad shell words {args:?}"));
    assert!(!fragment.trim().is_empty(), "{origin}: empty FRAGMENT");
    Case {
        origin,
        name: name.trim().to_string(),
        args,
        fragment: fragment.trim().to_string(),
    }
}

/// The repository files a case names (arguments, or `--flag=value` values, under `tests/` or
/// `geodata/`).
fn named_files(case: &Case) -> Vec<&str> {
    case.args
        .iter()
        .map(|a| a.split_once('=').map_or(a.as_str(), |(_, v)| v))
        .filter(|a| a.starts_with("tests/") || a.starts_with("geodata/"))
        .filter(|a| {
            let name = Path::new(a).file_name().unwrap_or_default();
            !name.to_string_lossy().starts_with("absent")
        })
        .collect()
}

/// What is wrong with one run of a case, if anything.
fn run_case(case: &Case) -> Option<String> {
    // Under target/, beside the build; the {tmp} path itself is scrubbed from the messages
    // before the "/tmp/" check (below), wherever the checkout lies.
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("misuse-runs");
    std::fs::create_dir_all(&base).unwrap();
    let tmp = tempfile::Builder::new()
        .prefix("case-")
        .tempdir_in(&base)
        .unwrap();
    let tmp_str = tmp.path().to_str().unwrap();
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace("{tmp}", tmp_str))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_qpv"))
        .args(&args)
        .current_dir(root())
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    if out.status.code() != Some(2) {
        problems.push(format!("exit {:?} instead of 2", out.status.code()));
    }
    if !stderr.starts_with("qpv:") {
        problems.push("stderr does not start with `qpv:`".to_string());
    }
    if !stderr.contains(&case.fragment) {
        problems.push(format!("stderr lacks {:?}", case.fragment));
    }
    // The user's own paths (the {tmp} directory given in the arguments, and the checkout, which
    // may itself lie under /tmp) are not leaks; a temporary file of qpv's would be.
    let scrubbed = stderr
        .replace(URN_PREFIX, "")
        .replace(tmp_str, "{tmp}")
        .replace(root().to_str().unwrap(), "{root}");
    for word in FORBIDDEN {
        if scrubbed.contains(word) {
            problems.push(format!("stderr contains {word:?}"));
        }
    }
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    if !left.is_empty() {
        problems.push(format!("left behind in {{tmp}}: {left:?}"));
    }
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "{} ({}): {}\n  qpv {}\n{}",
        case.name,
        case.origin,
        problems.join("; "),
        case.args.join(" "),
        stderr
    ))
}

#[test]
fn cases_are_well_formed_with_unique_names_and_existing_inputs() {
    let cases = read_cases();
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        assert!(
            names.insert(case.name.clone()),
            "{}: duplicate case name {}",
            case.origin,
            case.name
        );
        for file in named_files(case) {
            assert!(
                root().join(file).exists(),
                "{}: case {} names {file}, which does not exist",
                case.origin,
                case.name
            );
        }
    }
}

#[test]
fn every_misuse_is_refused_cleanly() {
    let cases = read_cases();
    // Cases are independent processes: run them on a few threads.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    if let Some(f) = run_case(case) {
                        failures.lock().unwrap().push(f);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} misuse case(s) failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_runner_catches_a_bad_case() {
    // The checks must be able to fail: a successful command, a wrong fragment.
    let ok = parse_case("ok | info | anything", "self".into());
    let report = run_case(&ok).expect("`qpv info` exits 0: the case must fail");
    assert!(report.contains("exit Some(0) instead of 2"), "{report}");
    let wrong = parse_case(
        "wrong | locate tests/misuse/files/absent.csv | no such fragment",
        "self".into(),
    );
    let report = run_case(&wrong).expect("wrong fragment must fail");
    assert!(report.contains("stderr lacks"), "{report}");
    assert!(!report.contains("exit"), "{report}");
}
