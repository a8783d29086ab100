//! The `nearest` command end to end on the embedded schools and the real BANO addresses.

mod common;

use assert_cmd::prelude::*;
use serde_json::Value;

use common::{geodata, qpv, stdout_of};

/// The columns of `geodata/bano-90.csv` (it has no header line).
const BANO_COLUMNS: &str = "id,numero,voie,code_post,nom_comm,source,lat,lon";

fn bano() -> String {
    geodata("bano-90.csv")
}

#[test]
fn nearest_school_of_a_school_is_itself_then_ties_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("points.csv");
    // Lambert-93 positions from the Annuaire, as x/y: Lycée Condorcet, and the Raoul Follereau
    // site shared by two lycées (0900004R, 0900236T: a tie at 0 m, broken by id).
    std::fs::write(
        &input,
        "label,x,y\ncondorcet,989031.8,6732842.2\nfollereau,988626.2,6733435.3\n",
    )
    .unwrap();
    let out = qpv()
        .args(["-q", "nearest", "-k", "2", "--category", "lycee"])
        .arg(&input)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "label,x,y,nearest_1_id,nearest_1_name,nearest_1_category,nearest_1_distance_m,nearest_2_id,nearest_2_name,nearest_2_category,nearest_2_distance_m"
    );
    assert_eq!(
        lines[1],
        "condorcet,989031.8,6732842.2,0900002N,Lycée général et technologique Condorcet,lycee,0.0,\
         0900035Z,Ecole d'esthétique Silvya Terrade Belfort,lycee,390.8"
    );
    assert_eq!(
        lines[2],
        "follereau,988626.2,6733435.3,0900004R,Lycée général et technologique Raoul Follereau,lycee,0.0,\
         0900236T,Lycée professionnel Raoul Follereau,lycee,0.0"
    );
}

#[test]
fn nearest_lines_layer_has_one_segment_per_pair() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("points.csv");
    std::fs::write(
        &input,
        "label,longitude,latitude\na,6.8628,47.6383\nb,6.8427,47.6531\nc,6.8700,47.6400\n",
    )
    .unwrap();
    let out = dir.path().join("hubs.geojson");
    qpv()
        .args(["-q", "nearest", "-k", "3", "--lines", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 9);
    for f in features {
        assert_eq!(f["geometry"]["type"], "LineString");
        assert_eq!(f["geometry"]["coordinates"].as_array().unwrap().len(), 2);
    }
    let ranks: Vec<u64> = features
        .iter()
        .map(|f| f["properties"]["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 3, 1, 2, 3, 1, 2, 3]);
    let d: Vec<f64> = features[..3]
        .iter()
        .map(|f| f["properties"]["distance_m"].as_f64().unwrap())
        .collect();
    assert!(d[0] <= d[1] && d[1] <= d[2]);
}

/// `nearest --select`: the kept columns of the full output.
#[test]
fn nearest_select_keeps_the_named_columns() {
    let nearest = |select: &[&str]| {
        let mut cmd = qpv();
        cmd.args([
            "-q",
            "nearest",
            "--columns",
            BANO_COLUMNS,
            "--format",
            "csv",
            "-k",
            "2",
        ]);
        stdout_of(cmd.args(select).arg(bano()))
    };
    let full = nearest(&[]);
    let picked = nearest(&["--select", "nearest_2_id,id"]);
    let mut a = csv::Reader::from_reader(full.as_bytes());
    let mut b = csv::Reader::from_reader(picked.as_bytes());
    let heads = a.headers().unwrap().clone();
    let i2 = heads.iter().position(|h| h == "nearest_2_id").unwrap();
    assert_eq!(b.headers().unwrap(), vec!["nearest_2_id", "id"]);
    let mut rows = 0;
    for (ra, rb) in a.records().zip(b.records()) {
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!((&rb[0], &rb[1]), (&ra[i2], &ra[0]));
        rows += 1;
    }
    assert_eq!(rows, 35_847);
}
