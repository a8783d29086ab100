//! `--csv-style excel-fr`: the CSV of coverage and locate read back as Excel set up for French
//! reads it (UTF-8 BOM, `;` between columns, decimal commas), and compared cell by cell with
//! the plain CSV of the same run (the oracle: same values, only the spelling differs).

mod common;

use assert_cmd::prelude::*;

use common::qpv;

fn run(args: &[&str]) -> Vec<u8> {
    let out = qpv().args(args).assert().success();
    out.get_output().stdout.clone()
}

fn read(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Checks that `fr` is `plain` with `;`, a BOM and decimal commas in the numeric `columns`.
fn same_table(plain: &[u8], fr: &[u8], numeric: &[&str]) -> usize {
    const BOM: &[u8] = "\u{feff}".as_bytes();
    assert!(fr.starts_with(BOM), "BOM first");
    assert!(!plain.starts_with(BOM));
    let plain = read(plain, b',');
    let fr = read(&fr[BOM.len()..], b';');
    assert_eq!(plain.len(), fr.len());
    assert_eq!(plain[0], fr[0], "same header, split by ';'");
    let mut commas = 0;
    for (p, f) in plain.iter().zip(&fr).skip(1) {
        assert_eq!(p.len(), f.len());
        for ((name, a), b) in plain[0].iter().zip(p).zip(f) {
            if numeric.contains(&name.as_str()) {
                assert_eq!(a.replace('.', ","), *b, "{name}");
                commas += usize::from(b.contains(','));
            } else {
                assert_eq!(a, b, "{name}");
            }
        }
    }
    commas
}

#[test]
fn coverage_csv_for_excel_fr() {
    let plain = run(&["-q", "coverage", "--format", "csv"]);
    let fr = run(&[
        "-q",
        "coverage",
        "--format",
        "csv",
        "--csv-style",
        "excel-fr",
    ]);
    let numeric = [
        "distance_m",
        "nearest_distance_m",
        "area_share_covered",
        "population_share_covered",
    ];
    let commas = same_table(&plain, &fr, &numeric);
    // 35 records (7 QPV x 5 categories): distance_m "300,0" on each, plus shares.
    assert!(commas >= 35, "{commas} decimal commas");
    let text = String::from_utf8(fr).unwrap();
    assert!(text.contains(";300,0;"));
}

#[test]
fn locate_csv_for_excel_fr_streamed() {
    let input = format!("{}/geodata/bano-90.csv", env!("CARGO_MANIFEST_DIR"));
    let cols = "id,numero,voie,code_post,nom_comm,source,lat,lon";
    let base = ["-q", "locate", &input, "--columns", cols, "--format", "csv"];
    let plain = run(&base);
    let mut args = base.to_vec();
    args.extend(["--csv-style", "excel-fr"]);
    let fr = run(&args);
    // Input columns (lat, lon) are the user's text and stay as they are.
    let commas = same_table(&plain, &fr, &["signed_distance_m"]);
    assert!(commas > 30_000, "{commas}");
}

#[test]
fn csv_style_needs_csv_output() {
    let out = qpv()
        .args(["coverage", "--format", "json", "--csv-style", "excel-fr"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("--csv-style applies to CSV output only"),
        "{err}"
    );
}
