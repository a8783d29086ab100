//! The national grid generator's reader of the Filosofi source (benches/support/national_grid.rs):
//! a row whose `Ind` is missing or not a number is an error naming the file and line, not a
//! cell of 0 inhabitants (it used to be read with `unwrap_or(0.0)`).

#[path = "../benches/support/national.rs"]
mod national;
#[path = "../benches/support/national_grid.rs"]
mod national_grid;

use national_grid::{default_grid_source, read_grid_source};

const HEADER: &str = "IdINSPIRE,x_laea,y_laea,Ind,Men\n";

fn read(rows: &str) -> Result<national_grid::SourceGrid, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.csv");
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    read_grid_source(&path).map_err(|e| format!("{e:#}"))
}

#[test]
fn an_unreadable_ind_names_the_line() {
    let good = "CRS3035RES200mN2715000E4077200,4077200,2715000,5,1.9\n";
    for (bad, what) in [
        ("A,4077400,2715000,,1.9\n", "Ind is \"\""),
        ("A,4077400,2715000,n/a,1.9\n", "Ind is \"n/a\""),
        ("A,4077400,2715000,NaN,1.9\n", "Ind is \"NaN\""),
        ("A,4077400,2715000\n", "no Ind column"),
        ("A,4077400,x,5,1.9\n", "y_laea is \"x\""),
    ] {
        let e = read(&format!("{good}{bad}")).err().unwrap_or_default();
        assert!(e.contains("grid.csv: line 3"), "{bad:?}: {e}");
        assert!(e.contains(what), "{bad:?}: {e}");
    }
    let ok = read(good).unwrap();
    assert_eq!(
        (ok.cells[0].x, ok.cells[0].y, ok.cells[0].ind),
        (4077200, 2715000, 5.0)
    );
}

#[test]
fn the_shipped_source_reads_whole() {
    // geodata/filosofi2019_200m_grand_belfort.csv: every row has a numeric Ind.
    let grid = read_grid_source(default_grid_source()).unwrap();
    let lines = std::fs::read_to_string(default_grid_source())
        .unwrap()
        .lines()
        .count();
    assert_eq!(grid.cells.len(), lines - 1);
}
