//! `qpv site` on the embedded data: formats, determinism, and the misuse cases of
//! tests/misuse/site.cases checked here too (exit 2, message naming the problem, nothing
//! written).

use assert_cmd::Command;

fn qpv() -> Command {
    Command::cargo_bin("qpv").unwrap()
}

#[test]
fn misuse_cases_exit_2() {
    let text = std::fs::read_to_string("tests/misuse/site.cases").unwrap();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let parts: Vec<&str> = line.split(" | ").collect();
        let tmp = tempfile::tempdir().unwrap();
        let args = parts[1].replace("{tmp}", tmp.path().to_str().unwrap());
        let out = qpv().args(args.split_whitespace()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{line}: {err}");
        assert!(
            err.starts_with("qpv:") && err.contains(parts[2].trim()),
            "{line}: {err}"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "{line}");
    }
}

#[test]
fn embedded_mclp_every_format_reproducible() {
    let tmp = tempfile::tempdir().unwrap();
    for ext in ["md", "json", "geojson", "csv", "gpkg"] {
        let mut first = Vec::new();
        for run in 0..2 {
            let path = tmp.path().join(format!("out{run}.{ext}"));
            qpv()
                .args(["-q", "site", "--category", "social_centre", "-k", "2", "-o"])
                .arg(&path)
                .assert()
                .success();
            let bytes = std::fs::read(&path).unwrap();
            if run == 0 {
                first = bytes;
            } else if ext != "gpkg" {
                assert_eq!(first, bytes, "{ext} differs between runs");
            }
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("out0.json")).unwrap()).unwrap();
    assert_eq!(json["sites"].as_array().unwrap().len(), 2);
    assert_eq!(json["existing"], 2);
    assert_eq!(json["method"], "exact");
    // Per-QPV rows add up to the demand total (QPV residents: every cell share is in a QPV).
    let sum: f64 = json["qpv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["demand"].as_f64().unwrap())
        .sum();
    assert!((sum - json["demand_total"].as_f64().unwrap()).abs() < 1e-6);
    let before: f64 = json["covered_before"].as_f64().unwrap();
    let after: f64 = json["covered_after"].as_f64().unwrap();
    assert!(after > before);
}
