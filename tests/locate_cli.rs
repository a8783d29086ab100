//! The `locate` command end to end on the embedded QPV and the real BANO addresses; expected
//! figures from independent computations (tests/coverage_reference/).

mod common;

use assert_cmd::prelude::*;
use predicates::prelude::*;
use serde_json::Value;

use common::{geodata, json_of, qpv, stdout_of};

/// The columns of `geodata/bano-90.csv` (it has no header line).
const BANO_COLUMNS: &str = "id,numero,voie,code_post,nom_comm,source,lat,lon";

fn bano() -> String {
    geodata("bano-90.csv")
}

/// `bano-90.csv` three times over in `dir` (107,541 rows: several chunks of the streamed path).
fn bano_three_times(dir: &std::path::Path) -> std::path::PathBuf {
    let input = dir.join("bano3.csv");
    std::fs::write(&input, std::fs::read_to_string(bano()).unwrap().repeat(3)).unwrap();
    input
}

#[test]
fn locate_bano_addresses_matches_shapely_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("located.json");
    qpv()
        .args(["-q", "locate", &bano(), "--columns", BANO_COLUMNS, "-o"])
        .arg(&out)
        .assert()
        .success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let s = &v["summary"];
    // tests/coverage_reference/locate_bano.py
    assert_eq!(
        (
            s["total"].as_u64(),
            s["inside"].as_u64(),
            s["near"].as_u64(),
            s["outside"].as_u64()
        ),
        (Some(35_847), Some(481), Some(637), Some(34_729))
    );
    assert_eq!(s["in_a_zone"], 783);
    let per_zone: Vec<(String, u64, u64)> = s["per_zone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["code_qp"].as_str().unwrap().to_string(),
                z["inside"].as_u64().unwrap(),
                z["near_inside"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("QN09001I", 7, 38),
        ("QN09002M", 43, 26),
        ("QN09003I", 68, 64),
        ("QN09004M", 158, 34),
        ("QN09005M", 51, 19),
        ("QN09006M", 114, 63),
        ("QN09007N", 40, 58),
    ];
    assert_eq!(
        per_zone,
        expected.map(|(c, i, n)| (c.to_string(), i, n)).to_vec()
    );
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 35_847);
    // Input columns kept, in order, new ones appended.
    let first = points[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "numero",
            "voie",
            "code_post",
            "nom_comm",
            "source",
            "lat",
            "lon",
            "code_qp",
            "in_qpv",
            "lib_qp",
            "signed_distance_m",
            "status",
            "nearest_code_qp"
        ]
    );
    assert_eq!(first["id"], "900010003F-1");
    assert_eq!(first["status"], "outside");
    assert_eq!(first["nearest_code_qp"], "QN09007N");
}

#[test]
fn locate_csv_keeps_columns_and_reports_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("points.csv");
    // A vertex of QN09001I's perimeter (from the embedded GeoJSON) and a point far away.
    std::fs::write(
        &input,
        "name;longitude;latitude;code_qp\nvertex;6.850608880681231;47.6410962165527;x\nfar;6.95;47.70;y\n",
    )
    .unwrap();
    let out = qpv().args(["locate"]).arg(&input).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "name,longitude,latitude,code_qp,qpv_code_qp,in_qpv,lib_qp,signed_distance_m,status,nearest_code_qp"
    );
    assert!(lines[1].starts_with("vertex,6.850608880681231,47.6410962165527,x,QN09001I,true,Bougenel - Mulhouse,0.0,near,QN09001I"), "{}", lines[1]);
    assert!(lines[2].contains(",outside,"));
    assert!(
        stderr.contains(
            "located 2 points: 1 in a QPV (50.0 %), 1 not in a QPV (50.0 %); 1 near a boundary (1 inside, 0 outside)"
        ),
        "{stderr}"
    );
}

#[test]
fn locate_bad_row_names_file_and_line_and_skip_empty_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("addresses.csv");
    std::fs::write(
        &input,
        "name,lon,lat\na,6.8628,47.6383\nb,,\nc,6.87,47.64\n",
    )
    .unwrap();
    let out = dir.path().join("out.csv");
    qpv()
        .arg("locate")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("addresses.csv, line 3"))
        .stderr(predicate::str::contains("--skip-empty"));
    assert!(!out.exists(), "no half-written output");
    qpv()
        .arg("locate")
        .arg(&input)
        .args(["--skip-empty", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 rows without coordinates skipped",
        ));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(
        text.lines()
            .nth(2)
            .unwrap()
            .starts_with("c,6.87,47.64,,false,,195.63,outside,QN09002M")
    );
}

/// More rows than one chunk of the streamed CSV path (parsed, located in spatial order and
/// encoded one chunk per task): every row as the JSON path writes it, in input order, and the
/// summary of four copies of BANO.
#[test]
fn locate_csv_over_several_chunks_equals_the_json_path_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    // BANO has no header line (hence --columns).
    let bano_text = std::fs::read_to_string(bano()).unwrap();
    let mut text = String::new();
    for _ in 0..4 {
        for l in bano_text.lines() {
            text.push_str(l);
            text.push('\n');
        }
    }
    let input = dir.path().join("bano4.csv");
    std::fs::write(&input, &text).unwrap();
    let csv_out = dir.path().join("located.csv");
    let json_out = dir.path().join("located.json");
    let run = qpv()
        .args(["locate", "--columns", BANO_COLUMNS, "-o"])
        .arg(&csv_out)
        .arg(&input)
        .assert()
        .success();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(
            "located 143388 points: 3132 in a QPV (2.2 %), 140256 not in a QPV (97.8 %); 2548 near a boundary (1208 inside, 1340 outside)"
        ),
        "{stderr}"
    );
    qpv()
        .args(["-q", "locate", "--columns", BANO_COLUMNS, "-o"])
        .arg(&json_out)
        .arg(&input)
        .assert()
        .success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();
    let points = v["points"].as_array().unwrap();
    let mut reader = csv::Reader::from_path(&csv_out).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut rows = 0;
    for (record, point) in reader.records().zip(points) {
        let record = record.unwrap();
        for (name, cell) in headers.iter().zip(record.iter()) {
            let expected = match &point[name] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(cell, expected, "row {rows}, column {name}");
        }
        rows += 1;
    }
    assert_eq!((rows, points.len()), (143_388, 143_388));
}

/// Writes `rows` points around Belfort, the rows of `bad` replaced by their text, runs `qpv
/// locate` on them and checks that it fails with exit 2 naming `line` and `message`, and
/// leaves no output file.
fn assert_locate_fails_at(rows: usize, bad: &[(usize, &str)], line: usize, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,lon,lat\n");
    for i in 0..rows {
        match bad.iter().find(|(r, _)| *r == i) {
            Some((_, row)) => {
                text.push_str(row);
                text.push('\n');
            }
            None => text.push_str(&format!("{i},6.8{:04},47.6{:04}\n", i % 9_973, i % 7_919)),
        }
    }
    let input = dir.path().join("points.csv");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out.csv");
    qpv()
        .arg("locate")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("points.csv, line {line}")))
        .stderr(predicate::str::contains(message));
    assert!(!out.exists(), "no half-written output");
}

/// A bad row in a later chunk: exit 2 naming its line, and no output file.
#[test]
fn locate_csv_bad_row_after_the_first_chunk_names_its_line() {
    assert_locate_fails_at(
        100_000,
        &[(89_999, "bad,6.85,north")],
        90_001,
        "'north' in column 'lat'",
    );
}

/// `--select` keeps the named columns in the given order with the values of the full output,
/// over several chunks of the streamed path and in JSON; the summary is the same although
/// distances are then measured only up to the tolerance.
#[test]
fn locate_select_keeps_the_named_columns_of_the_full_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = bano_three_times(dir.path());
    let run = |select: Option<&str>, out: &std::path::Path| -> String {
        let mut cmd = qpv();
        cmd.args(["locate", "--columns", BANO_COLUMNS, "-o"])
            .arg(out)
            .arg(&input);
        if let Some(s) = select {
            cmd.args(["--select", s]);
        }
        let done = cmd.assert().success();
        String::from_utf8(done.get_output().stderr.clone()).unwrap()
    };
    let full = dir.path().join("full.csv");
    let picked = dir.path().join("picked.csv");
    let full_summary = run(None, &full);
    let picked_summary = run(Some("status,id,code_qp,lat"), &picked);
    assert_eq!(full_summary, picked_summary);
    assert!(
        full_summary.contains("located 107541 points: 2349 in a QPV"),
        "{full_summary}"
    );
    let mut a = csv::Reader::from_path(&full).unwrap();
    let mut b = csv::Reader::from_path(&picked).unwrap();
    assert_eq!(
        b.headers().unwrap().iter().collect::<Vec<_>>(),
        ["status", "id", "code_qp", "lat"]
    );
    let heads = a.headers().unwrap().clone();
    let col = |name: &str| heads.iter().position(|h| h == name).unwrap();
    let picks = [col("status"), col("id"), col("code_qp"), col("lat")];
    let mut rows = 0;
    let mut near = 0;
    for (ra, rb) in a.records().zip(b.records()) {
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        let expected: Vec<&str> = picks.iter().map(|&i| &ra[i]).collect();
        assert_eq!(rb.iter().collect::<Vec<_>>(), expected, "row {rows}");
        near += usize::from(&rb[0] == "near");
        rows += 1;
    }
    assert_eq!((rows, near), (107_541, 1_911));
    // JSON: the same columns, in the same order.
    let json = json_of(
        qpv()
            .args([
                "-q",
                "locate",
                "--columns",
                BANO_COLUMNS,
                "--format",
                "json",
            ])
            .args(["--select", "id,nearest_code_qp"])
            .arg(bano()),
    );
    let first = json["points"][0].as_object().unwrap();
    assert_eq!(first.keys().collect::<Vec<_>>(), ["id", "nearest_code_qp"]);
    // Unknown and repeated names: usage errors listing the columns, and no output.
    let out = dir.path().join("none.csv");
    for (select, message) in [
        ("id,code", "no column `code`"),
        ("id,code", "choose among: id, numero,"),
        ("id,id", "`id` twice"),
    ] {
        qpv()
            .args([
                "locate",
                "--columns",
                BANO_COLUMNS,
                "--select",
                select,
                "-o",
            ])
            .arg(&out)
            .arg(&input)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!out.exists());
    }
}

/// Without distances, status or summary (`-q --select id,code_qp,...`, the national
/// benchmark's job) only the containing zone is searched: the zone columns are still those of
/// the full output, row for row, over several chunks.
#[test]
fn locate_zone_columns_alone_are_those_of_the_full_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = bano_three_times(dir.path());
    let full = dir.path().join("full.csv");
    let picked = dir.path().join("picked.csv");
    qpv()
        .args(["-q", "locate", "--columns", BANO_COLUMNS, "-o"])
        .arg(&full)
        .arg(&input)
        .assert()
        .success();
    qpv()
        .args(["-q", "locate", "--columns", BANO_COLUMNS, "-o"])
        .arg(&picked)
        .arg(&input)
        .args(["--select", "id,code_qp,in_qpv,lib_qp"])
        .assert()
        .success();
    let mut a = csv::Reader::from_path(&full).unwrap();
    let mut b = csv::Reader::from_path(&picked).unwrap();
    let heads = a.headers().unwrap().clone();
    let col = |name: &str| heads.iter().position(|h| h == name).unwrap();
    let picks = [col("id"), col("code_qp"), col("in_qpv"), col("lib_qp")];
    let (mut rows, mut inside) = (0, 0);
    for (ra, rb) in a.records().zip(b.records()) {
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        let expected: Vec<&str> = picks.iter().map(|&i| &ra[i]).collect();
        assert_eq!(rb.iter().collect::<Vec<_>>(), expected, "row {rows}");
        inside += usize::from(!rb[1].is_empty());
        rows += 1;
    }
    // 2349 in a QPV: the summary of the full run (test above).
    assert_eq!((rows, inside), (107_541, 2_349));
}

/// The streamed path reprojects a chunk in one call; a row that fails the checks, before a
/// bad number or alone, still ends the output at the first bad row, named by its line.
#[test]
fn locate_csv_first_implausible_row_is_named_in_a_batched_chunk() {
    assert_locate_fails_at(
        2_000,
        &[(700, "700,47.64,6.86"), (1_500, "x,6.85,north")],
        702,
        "look swapped",
    );
    assert_locate_fails_at(2_000, &[(50, "50,686000,6730000")], 52, "looks like metres");
}

/// 25 QPV with points: stderr lists the 20 with the most points and counts the others;
/// `--summary` writes every QPV (CSV, or JSON for a `.json` name).
#[test]
fn locate_summary_lists_20_qpv_on_stderr_and_all_in_the_summary_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut features = Vec::new();
    let mut points = String::from("id,lon,lat\n");
    for i in 0..25 {
        let (x0, y0) = (6.80 + 0.01 * i as f64, 47.60);
        let ring: Vec<[f64; 2]> = vec![
            [x0, y0],
            [x0 + 0.008, y0],
            [x0 + 0.008, y0 + 0.008],
            [x0, y0 + 0.008],
            [x0, y0],
        ];
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"code_qp": format!("Z{i:02}"), "lib_qp": format!("Zone {i}")},
            "geometry": {"type": "Polygon", "coordinates": [ring]}
        }));
        // Zone i gets i + 1 points, at its centre.
        for k in 0..=i {
            points.push_str(&format!("{i}-{k},{:.4},{:.4}\n", x0 + 0.004, y0 + 0.004));
        }
    }
    let zones = dir.path().join("zones.geojson");
    let layer = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::write(&zones, layer.to_string()).unwrap();
    let input = dir.path().join("points.csv");
    std::fs::write(&input, points).unwrap();
    let (out, csv_summary, json_summary) = (
        dir.path().join("out.csv"),
        dir.path().join("summary.csv"),
        dir.path().join("summary.json"),
    );
    // `qpv locate` of these points and zones, the summary to `summary`.
    let locate = |summary: &std::path::Path| {
        let mut cmd = qpv();
        cmd.arg("locate").arg(&input).arg("--qpv").arg(&zones);
        cmd.arg("-o").arg(&out).arg("--summary").arg(summary);
        cmd
    };
    let run = locate(&csv_summary).assert().success();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("located 325 points: 325 in a QPV"),
        "{stderr}"
    );
    assert!(stderr.contains("  Z05 Zone 5: 6 inside, 0 near inside, 0 near outside\n"));
    assert!(stderr.contains("  Z24 Zone 24: 25 inside,"));
    assert!(!stderr.contains("Z04 "), "{stderr}");
    assert!(stderr.contains("... and 5 more QPV"), "{stderr}");
    let text = std::fs::read_to_string(&csv_summary).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 26);
    assert_eq!(lines[0], "code_qp,lib_qp,inside,near_inside,near_outside");
    assert_eq!(lines[4], "Z03,Zone 3,4,0,0");
    locate(&json_summary).arg("-q").assert().success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json_summary).unwrap()).unwrap();
    assert_eq!(v["total"], 325);
    assert_eq!(v["per_zone"].as_array().unwrap().len(), 25);
    // Never over an input or the output.
    locate(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--summary file"));
}

/// A row shorter than the header (a spreadsheet dropping empty last cells): its missing fields
/// are empty in every format, the added columns stay in their place.
#[test]
fn short_rows_get_empty_fields_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("short.csv");
    std::fs::write(&input, "id,lon,lat,note\n1,6.86,47.64\n2,6.87,47.65,x\n").unwrap();
    let csv_out = stdout_of(qpv().args(["-q", "locate", "--format", "csv"]).arg(&input));
    assert_eq!(
        csv_out,
        "id,lon,lat,note,code_qp,in_qpv,lib_qp,signed_distance_m,status,nearest_code_qp\n\
         1,6.86,47.64,,,false,,393.24,outside,QN09001I\n\
         2,6.87,47.65,x,,false,,843.35,outside,QN09006M\n"
    );
    let json = json_of(qpv().args(["-q", "locate", "--format", "json"]).arg(&input));
    let first = &json["points"][0];
    assert_eq!(
        (first["note"].as_str(), first["status"].as_str()),
        (Some(""), Some("outside"))
    );
    assert_eq!(first["signed_distance_m"], 393.24);
    let text = stdout_of(
        qpv()
            .args(["-q", "nearest", "--format", "csv"])
            .args(["--select", "note,id,nearest_1_id"])
            .arg(&input),
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "note,id,nearest_1_id");
    assert!(lines[1].starts_with(",1,"), "{text}");
    assert!(lines[2].starts_with("x,2,"), "{text}");
}

/// Points read from a vector layer keep their position in outputs without geometry (`x`, `y`
/// in the working CRS, to the cm); outputs with geometry do not repeat it.
#[test]
fn layer_points_get_x_y_columns_in_csv_but_not_in_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("points.geojson");
    // (3°E, 46.5°N) is the origin of Lambert-93: (700000, 6600000).
    std::fs::write(
        &input,
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Point", "coordinates": [3.0, 46.5]}},
            {"type": "Feature", "properties": {"id": "b"}, "geometry": {"type": "Point", "coordinates": [6.86, 47.64]}}]}"#,
    )
    .unwrap();
    let text = stdout_of(qpv().args(["-q", "locate", "--format", "csv"]).arg(&input));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,x,y,code_qp,in_qpv,lib_qp,signed_distance_m,status,nearest_code_qp"
    );
    assert!(
        lines[1].starts_with("a,700000.00,6600000.00,,false,,"),
        "{text}"
    );
    let geojson = json_of(
        qpv()
            .args(["-q", "nearest", "--format", "geojson"])
            .arg(&input),
    );
    let properties = geojson["features"][0]["properties"].as_object().unwrap();
    assert!(!properties.contains_key("x") && properties.contains_key("nearest_1_id"));
}

/// The binary asks Linux not to give it transparent huge pages (`NO_TRANSPARENT_HUGE_PAGES` in
/// src/main.rs; their faults made national runs up to twice slower): seen in /proc while
/// `locate` waits for its standard input. Without the call the flag stays 1 and this fails.
/// The call is made before the allocator's first memory is touched: no huge page at all
/// (when it was made at the start of `main`, the allocator's first arena already had two,
/// 4096 kB, and this failed).
#[cfg(target_os = "linux")]
#[test]
fn the_binary_runs_without_transparent_huge_pages() {
    use std::io::Write;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = qpv()
        .args(["-q", "locate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let flag = || {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        text.lines()
            .find_map(|l| l.strip_prefix("THP_enabled:"))
            .map(|v| v.trim().to_string())
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = flag();
    while seen.as_deref() != Some("0") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        seen = flag();
    }
    let rollup = format!("/proc/{}/smaps_rollup", child.id());
    let huge = std::fs::read_to_string(&rollup).ok().and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("AnonHugePages:"))
            .map(|v| v.trim().to_string())
    });
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"id,x,y\n1,993000,6734000\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(seen.as_deref(), Some("0"), "THP_enabled of the running qpv");
    assert_eq!(
        huge.as_deref(),
        Some("0 kB"),
        "AnonHugePages of the running qpv"
    );
}
