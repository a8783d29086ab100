//! Output safety (issue 11, "Unsafe writes" and the huge `-k`): what a write does to devices,
//! FIFOs, read-only and foreign files, a closed standard output, and the temporary file of an
//! interrupted run. Each test failed on the main branch before the fix (described next to it).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::qpv;

fn run(args: &[&str]) -> Output {
    qpv().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const POINTS: &str = "tests/misuse/files/points.csv";

fn tmpdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("safety-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
}

/// Before: as root, the temp file was renamed over /dev/null, which became a regular file.
#[cfg(target_os = "linux")]
#[test]
fn dev_null_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let o = run(&["locate", POINTS, "-o", "/dev/null"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = fs::metadata("/dev/null").unwrap().file_type();
    assert!(t.is_char_device(), "/dev/null is no longer a device");
}

/// Before: exit 0 (the temp file on the same disk as /dev/full's directory was renamed).
#[cfg(target_os = "linux")]
#[test]
fn dev_full_is_disk_full_exit_2() {
    for format in ["csv", "geojson", "json", "table", "markdown"] {
        let o = run(&["locate", POINTS, "--format", format, "-o", "/dev/full"]);
        assert_eq!(o.status.code(), Some(2), "{format}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with("qpv: /dev/full: disk full"),
            "{format}: {}",
            stderr(&o)
        );
    }
}

/// Before: the FIFO was replaced by a regular file and the reader got nothing.
#[cfg(unix)]
#[test]
fn a_fifo_is_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tmpdir();
    let fifo = dir.path().join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string and mode.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let o = run(&[
        "locate",
        POINTS,
        "--format",
        "csv",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let through = reader.join().unwrap();
    let direct = run(&["locate", POINTS]);
    assert_eq!(through.as_bytes(), direct.stdout.as_slice());
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Before: a read-only file was replaced (and became 0644).
#[cfg(unix)]
#[test]
fn a_read_only_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmpdir();
    let out = dir.path().join("out.csv");
    fs::write(&out, "keep me\n").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(&["locate", POINTS, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("out.csv: this file is read-only"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep me\n");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Before: a file of ours was replaced with mode 0644 whatever its mode was.
#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmpdir();
    let out = dir.path().join("out.csv");
    fs::write(&out, "old\n").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).unwrap();
    let o = run(&["locate", POINTS, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(fs::read_to_string(&out).unwrap().starts_with("id,lon,lat"));
}

/// Before: another user's file in a writable directory was replaced (only testable as root,
/// who can give a file away; skipped otherwise).
#[cfg(unix)]
#[test]
fn another_users_file_is_not_replaced() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to chown a file");
        return;
    }
    let dir = tmpdir();
    let out = dir.path().join("theirs.csv");
    fs::write(&out, "theirs\n").unwrap();
    std::os::unix::fs::chown(&out, Some(1), Some(1)).unwrap();
    let o = run(&["locate", POINTS, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("belongs to another user"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "theirs\n");
}

/// Before: `qpv locate x.csv >&-` exited 0, the result lost.
#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_refused() {
    let script = format!("exec '{}' locate {POINTS} >&-", env!("CARGO_BIN_EXE_qpv"));
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("standard output is closed"),
        "{}",
        stderr(&o)
    );
    // A redirection to /dev/null is not a closed output.
    let o = qpv()
        .args(["locate", POINTS])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Before: `--layers A` rewrote A/candidate.geojson, the candidate being tested.
#[test]
fn layers_never_overwrite_an_input() {
    let dir = tmpdir();
    let candidate = dir.path().join("candidate.geojson");
    fs::copy("tests/misuse/files/candidate.geojson", &candidate).unwrap();
    let before = fs::read(&candidate).unwrap();
    let o = qpv()
        .args(["perimeter", "test"])
        .arg(&candidate)
        .arg("--layers")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read(&candidate).unwrap(), before);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A CSV of `n` points on the embedded QPV area (Lambert-93), for a long-running job.
fn big_points(path: &Path, n: usize) {
    let mut w = std::io::BufWriter::new(fs::File::create(path).unwrap());
    writeln!(w, "id,x,y").unwrap();
    for i in 0..n {
        let (x, y) = (
            985_000 + (i * 7919) % 10_000,
            6_730_000 + (i * 104_729) % 10_000,
        );
        writeln!(w, "{i},{x},{y}").unwrap();
    }
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".qpv-")
        })
        .collect()
}

/// Before: an interrupted run left `.qpv-XXXX.tmp` beside the destination.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let input_dir = tmpdir();
    let input = input_dir.path().join("points.csv");
    big_points(&input, 2_000_000);
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGHUP, "SIGHUP"),
    ] {
        let dir = tmpdir();
        let out = dir.path().join("located.csv");
        let mut child = qpv()
            .args(["-q", "locate"])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while temp_files(dir.path()).is_empty() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "{name}: finished too early"
            );
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{name}: no temp file"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: sending a signal to our own child.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(signal), "{name}: {status:?}");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{name}: left behind {left:?}");
    }
}

/// Before: `-k 18446744073709551615` allocated for k and was killed at 23.7 GB.
#[test]
fn a_huge_k_is_capped_at_the_number_of_facilities() {
    let huge = run(&["nearest", POINTS, "-k", "18446744073709551615"]);
    assert_eq!(huge.status.code(), Some(0), "{}", stderr(&huge));
    let text = String::from_utf8(huge.stdout.clone()).unwrap();
    let header = text.lines().next().unwrap();
    let k = header
        .split(',')
        .filter(|c| c.starts_with("nearest_") && c.ends_with("_id"))
        .count();
    // Oracle: asking for exactly k gives the same bytes with every rank filled (k facilities
    // exist), and asking for k + 1 adds no column (no more than k exist).
    let exact = run(&["nearest", POINTS, "-k", &k.to_string()]);
    assert!(
        huge.stdout == exact.stdout,
        "-k {k} differs from the huge k"
    );
    let more = run(&["nearest", POINTS, "-k", &(k + 1).to_string()]);
    assert!(
        huge.stdout == more.stdout,
        "k = {k} is not the number of facilities"
    );
    for row in text.lines().skip(1) {
        assert!(!row.ends_with(','), "a rank without facility: {row}");
    }
}

/// Before: a 50 MB header line took 6.7 GB; now any header line over 1 MiB is refused with its
/// line number, whatever command reads the table (3 MB here, enough to cross the bound).
#[test]
fn a_huge_header_line_is_refused_naming_the_line() {
    let dir = tmpdir();
    let input = dir.path().join("wide.csv");
    let mut header = String::from("id,x,y");
    while header.len() < 3_000_000 {
        header.push_str(",column_");
        header.push_str(&header.len().to_string());
    }
    fs::write(&input, format!("{header}\n1,985000,6730000\n")).unwrap();
    for command in [&["locate"][..], &["nearest"], &["check", "--as", "points"]] {
        let o = qpv().args(command).arg(&input).arg("-q").output().unwrap();
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{command:?}: {e}");
        assert!(
            e.contains("wide.csv, line 1: the header line is longer than 1 MiB"),
            "{command:?}: {e}"
        );
    }
}
