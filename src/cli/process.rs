//! The process around a run, shared by the two binaries (`qpv` and `qpv-gdal`): allocator and
//! memory settings, signals, errors turned into messages and exit codes (2 = bad input or
//! options, 1 = internal failure), and the hand-over of runs that need GDAL.
//!
//! `qpv` does not link GDAL: loading GDAL's 110 libraries and binding their symbols took
//! 40-50 ms before `main` in every run (a third to a half of a small run, a tenth of a national
//! `access`), also in runs that read only CSV and GeoJSON. A run that names a GeoPackage,
//! Shapefile or other GDAL format (in or out), or asks for a QGIS project, is handed at once to
//! `qpv-gdal` (installed beside it; the same program with GDAL enabled) by `exec`: same
//! arguments, environment, standard streams and exit code. A run that finds out later that it
//! needs GDAL (a file whose extension did not say so) is handed over then, unless it has
//! already read standard input or written standard output.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::Parser;

use super::{Cli, run};

/// The binary that `qpv` hands GDAL runs to, in the same directory.
pub const GDAL_BINARY: &str = "qpv-gdal";

/// Extensions (lower case) of the GDAL formats users give, in or out, and of QGIS projects.
const GDAL_EXTENSIONS: &[&str] = &[
    "gpkg", "shp", "shz", "dbf", "zip", "fgb", "gml", "kml", "kmz", "gpx", "sqlite", "gdb", "mif",
    "dxf", "ods", "xlsx", "xls", "parquet", "arrow", "osm", "pbf", "vrt", "qgs", "qgz",
];

/// Whether the command line names a GDAL format: an argument (or the value of `--flag=value`)
/// with one of [`GDAL_EXTENSIONS`], the format `gpkg`, or a `--qgis…` option.
///
/// Errs on the side of GDAL: a false positive costs 40 ms, a miss is caught later
/// ([`qpv::Error::NeedsGdal`]).
pub fn names_gdal_format(args: &[OsString]) -> bool {
    args.iter().skip(1).any(|arg| {
        let arg = arg.to_string_lossy().to_ascii_lowercase();
        if arg.starts_with("--qgis") || arg.ends_with("gpkg") {
            return true;
        }
        let value = match arg.strip_prefix("--") {
            Some(flag) => flag.split_once('=').map_or("", |(_, v)| v),
            None => arg.as_str(),
        };
        Path::new(value)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| GDAL_EXTENSIONS.contains(&e))
    })
}

/// Runs the command line. `hand_over` is true in `qpv` (GDAL not linked: runs that need it go
/// to [`GDAL_BINARY`]), false in `qpv-gdal`.
pub fn main(hand_over: bool) {
    keep_freed_memory();
    restore_sigpipe();
    qpv::output::atomic::guard_standard_output();
    let args: Vec<OsString> = std::env::args_os().collect();
    if hand_over && names_gdal_format(&args) {
        exit_with(hand_over_to_gdal(&args, None));
    }
    let parsed = Cli::parse_from(&args);
    if let Err(err) = run(parsed) {
        let needs_gdal = err
            .chain()
            .find_map(|e| match e.downcast_ref::<qpv::Error>() {
                Some(qpv::Error::NeedsGdal { path }) => Some(path.clone()),
                _ => None,
            });
        if let (true, Some(path)) = (hand_over, needs_gdal) {
            exit_with(hand_over_to_gdal(&args, Some(&path)));
        }
        exit_with(err);
    }
}

/// Prints `err` as `qpv: …` and exits with its code.
fn exit_with(err: anyhow::Error) -> ! {
    eprintln!("qpv: {err:#}");
    let code = err
        .chain()
        .find_map(|e| e.downcast_ref::<qpv::Error>())
        .map(|e| e.kind().exit_code())
        .unwrap_or(1);
    std::process::exit(code);
}

/// Replaces this process by [`GDAL_BINARY`] with the same arguments; returns only the error
/// when it cannot. `found` is the file that showed GDAL was needed, when the run had started.
fn hand_over_to_gdal(args: &[OsString], found: Option<&Path>) -> anyhow::Error {
    let what = found.map_or_else(
        || "this command names a GeoPackage, Shapefile or other GDAL format".to_string(),
        |p| format!("{}: this format", p.display()),
    );
    if found.is_some()
        && (qpv::io::source::stdin_was_read() || qpv::output::atomic::stdout_was_written())
    {
        return qpv::Error::usage(
            format!("{what} is read through GDAL, which this run cannot hand over to {GDAL_BINARY} once standard input or output is in use"),
            format!("run the same command with {GDAL_BINARY}, or give the file a known extension (.gpkg, .shp...)"),
        )
        .into();
    }
    let binary = sibling(GDAL_BINARY);
    let mut command = std::process::Command::new(&binary);
    command.args(&args[1..]);
    #[cfg(unix)]
    let err = {
        use std::os::unix::process::CommandExt;
        command.arg0(&args[0]).exec()
    };
    // No exec elsewhere: run it and leave with its exit code.
    #[cfg(not(unix))]
    let err = match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => e,
    };
    qpv::Error::usage(
        format!(
            "{what} needs {GDAL_BINARY} (qpv with GDAL), which is not beside qpv in {} ({})",
            binary.parent().unwrap_or(Path::new(".")).display(),
            err.kind()
        ),
        "install both binaries with `cargo install --path .`, or build both with `cargo build --release`",
    )
    .into()
}

/// `name` in the directory of the running binary.
fn sibling(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("qpv"));
    exe.with_file_name(name)
}

// Streaming millions of rows allocates small strings per field: mimalloc keeps that cheap
// where glibc's allocator spent a third of `locate`'s time consolidating chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `qpv locate big.csv | head` must stop quietly when `head` exits, like other Unix filters:
/// Rust ignores SIGPIPE and would report a "Broken pipe" error instead.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// mimalloc's `purge_delay` option, `mi_option_purge_delay` in the `mi_option_e` enum of the
/// mimalloc v3 header that libmimalloc-sys builds (c_src/mimalloc/v3/include/mimalloc.h: the
/// sixteenth option, counted from `mi_option_show_errors` = 0); libmimalloc-sys names no
/// constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells the allocator to keep the memory freed during the run instead of giving it back to
/// the system 10 ms later (`purge_delay` −1, as `MIMALLOC_PURGE_DELAY=-1`): a run that frees
/// then allocates again (national `coverage`: 50 MiB purged) otherwise pays the page faults
/// and the zeroing of fresh pages a second time (about a tenth of its CPU time); the peak
/// resident memory grows by about 10 % (187 → 205 MiB on W3). The process is short-lived.
fn keep_freed_memory() {
    // SAFETY: sets a process-wide option of the allocator; any value is valid for this one.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}

/// Asks Linux not to back this process's memory with transparent huge pages
/// (`prctl(PR_SET_THP_DISABLE)`, which the kernel checks at every page fault). mimalloc asks
/// for them (`madvise`), and a fault on a 2 MiB page zeroes all of it, however little of it
/// the run uses: after a pause or another program's run, on a virtual machine that hands
/// memory back to its host, national `coverage` spent 0.70 s of system time in these faults
/// for 0.4 s of work (median wall 1.09 → 0.69 s with them off, `access` on 1 M cells 1.20 →
/// 0.69 s, `interpolate` on the national grid 2.71 → 1.99 s, `locate` on 10 M points
/// unchanged; BENCHMARKS.md, session 12). Where the call is refused (another system), the run
/// goes on as before.
///
/// It runs before `main`, before the Rust runtime's first allocation (the main thread's
/// name): that allocation sets up mimalloc's first arena, which had two huge pages (4 MiB,
/// zeroed) when this ran at the start of `main`; in a profiled national `access` run that
/// zeroing was 4 % of the samples, about 30 ms (session 13). A constructor of priority 99
/// (`.init_array.00099`) runs before those of priority 101 and more (the allocator's own) and
/// before `main`.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00099")]
static NO_TRANSPARENT_HUGE_PAGES: extern "C" fn() = {
    extern "C" fn no_transparent_huge_pages() {
        // SAFETY: prctl with PR_SET_THP_DISABLE takes an integer flag and four unused zeros;
        // it touches no memory of the process.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
    no_transparent_huge_pages
};

#[cfg(test)]
mod tests {
    use super::*;

    fn names(args: &[&str]) -> bool {
        let mut all = vec![OsString::from("qpv")];
        all.extend(args.iter().map(OsString::from));
        names_gdal_format(&all)
    }

    #[test]
    fn gdal_formats_are_recognised_in_every_spelling() {
        assert!(names(&["info", "communes.GPKG"]));
        assert!(names(&["coverage", "--qpv=zones.shp"]));
        assert!(names(&["coverage", "-o", "out", "--format", "gpkg"]));
        assert!(names(&["coverage", "--format=GPKG", "-o", "out"]));
        assert!(names(&["coverage", "-o", "c.gpkg", "--qgis-project"]));
        assert!(names(&["locate", "points.csv", "--qpv", "qp.fgb"]));
        // The program's own name is not an argument.
        assert!(!names_gdal_format(&[OsString::from("/opt/x.gpkg/qpv")]));
    }

    #[test]
    fn csv_geojson_numbers_and_addresses_are_not_gdal() {
        assert!(!names(&[
            "--crs",
            "EPSG:2154",
            "access",
            "--catchment",
            "1000"
        ]));
        assert!(!names(&[
            "locate",
            "points.csv",
            "--qpv",
            "zones.geojson",
            "-o",
            "x.json"
        ]));
        assert!(!names(&[
            "nearest",
            "a.tsv",
            "--near-point",
            "6.85,47.63",
            "--distance",
            "0.5"
        ]));
        assert!(!names(&[
            "report",
            "-o",
            "rapport.html",
            "--format",
            "markdown"
        ]));
        assert!(!names(&[
            "geocode",
            "--address",
            "12 r. de la Paix, Belfort"
        ]));
    }
}
