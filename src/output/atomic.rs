//! Output safety, one mechanism for every command:
//!
//! - a regular file is written to a temporary file beside it, then renamed, so a failure or an
//!   interrupted run (SIGINT, SIGTERM, SIGHUP: see [`super::cleanup`]) never leaves a
//!   half-written result nor a temporary file;
//! - a device, a FIFO or standard output (`-`) is written through, never renamed over
//!   (`-o /dev/null` stays a device, even as root);
//! - an existing file is replaced only if it is ours and writable: a read-only file or another
//!   user's file is refused (exit 2); a replaced file keeps its permissions;
//! - no output may be an input or another output of the same run ([`check_destinations`], paths
//!   compared after resolving `.`, `..` and symbolic links);
//! - a full disk is "disk full" (exit 2); a closed standard output is refused (the result would be
//!   lost); a pipe closed by its reader (`qpv locate x.csv | head`) ends qpv quietly by SIGPIPE,
//!   like `cat` or `grep`: the reader wanted no more.
//!
//! # Examples
//!
//! ```
//! use std::io::Write;
//! use qpv::output::atomic::{check_destinations, write_atomic};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let input = dir.path().join("in.csv");
//! std::fs::write(&input, "x,y\n").unwrap();
//! let out = dir.path().join("out.csv");
//! check_destinations(&[out.clone()], &[input.clone()]).unwrap();
//! assert!(check_destinations(&[input.clone()], &[input.clone()]).is_err());
//! write_atomic(&out, |w| w.write_all(b"a\n").map_err(|e| qpv::Error::io(&out, e))).unwrap();
//! assert_eq!(std::fs::read_to_string(&out).unwrap(), "a\n");
//! ```

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::cleanup::Pending;
use crate::error::{Error, Location, Result};

/// Refuses `output` when it is one of `inputs` (same file after resolving links).
pub fn ensure_not_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    check_destinations(std::slice::from_ref(&output.to_path_buf()), inputs)
}

/// Checks every destination of a run before anything is computed or written: none is an input,
/// no two are the same file (`-o` and `--layers` naming one file), none is a directory, a
/// read-only file or another user's file. `-` (standard output) is not a file.
pub fn check_destinations(outputs: &[PathBuf], inputs: &[PathBuf]) -> Result<()> {
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| resolve(p)).collect();
    let mut seen: Vec<(PathBuf, &Path)> = Vec::new();
    for output in outputs.iter().filter(|p| !is_stdout(p)) {
        let resolved = resolve(output);
        if inputs.contains(&resolved) {
            return Err(Error::usage(
                format!(
                    "the output file '{}' is also an input: it would be destroyed",
                    output.display()
                ),
                "choose another -o path (or another --layers directory)",
            ));
        }
        if let Some((_, first)) = seen.iter().find(|(r, _)| *r == resolved) {
            return Err(Error::usage(
                format!(
                    "two outputs of this run are the same file: '{}' and '{}'; one would be lost",
                    first.display(),
                    output.display()
                ),
                "give -o a path outside the --layers directory, or another name",
            ));
        }
        check_replaceable(output)?;
        seen.push((resolved, output));
    }
    Ok(())
}

/// A temporary path beside `path` for tools (GDAL) that must write a file by name themselves.
/// Call [`commit_path`] after success; the temporary file is removed if it is dropped, and on a
/// signal.
pub fn temp_path_beside(path: &Path) -> Result<TempOutput> {
    check_replaceable(path)?;
    check_parent(path)?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("tmp");
    let suffix = format!(".{ext}");
    let (temp, pending) = Pending::create(
        || {
            let file = output_builder()
                .suffix(&suffix)
                .tempfile_in(parent_dir(path))?;
            Ok(file.into_temp_path())
        },
        |t| t,
    )
    .map_err(|e| write_error(path, e))?;
    // GDAL refuses to create over an existing file.
    fs::remove_file(&temp).map_err(|e| write_error(path, e))?;
    Ok(TempOutput {
        path: temp,
        _pending: pending,
    })
}

/// A temporary file for [`temp_path_beside`], registered for removal on a signal.
#[derive(Debug)]
pub struct TempOutput {
    path: tempfile::TempPath,
    _pending: Pending,
}

impl std::ops::Deref for TempOutput {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempOutput {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// Puts a finished temporary file at `path`: renamed onto a regular file, copied into a device
/// or FIFO (which stays what it is).
pub fn commit_path(temp: TempOutput, path: &Path) -> Result<()> {
    if is_special(path) {
        let mut from = fs::File::open(&*temp).map_err(|e| write_error(path, e))?;
        let mut to = open_special(path)?;
        io::copy(&mut from, &mut to).map_err(|e| write_error(path, e))?;
        return to.flush().map_err(|e| write_error(path, e));
    }
    keep_permissions(&temp, path)?;
    temp.path
        .persist(path)
        .map_err(|e| write_error(path, e.error))
}

/// Writes `text` to `output` (standard output when `None` or `-`) through [`write_atomic`]:
/// the reports (Markdown, HTML) that are built whole.
pub fn write_text(output: Option<&Path>, text: &str) -> Result<()> {
    let path = output.unwrap_or(Path::new("-"));
    write_atomic(path, |w| {
        w.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
    })
}

static STDOUT_WRITTEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process has started writing standard output ([`write_atomic`] to `-`): a run
/// that did cannot be started again from the beginning.
pub fn stdout_was_written() -> bool {
    STDOUT_WRITTEN.load(std::sync::atomic::Ordering::Relaxed)
}

/// Writes `path` safely through `fill`: see the module documentation. `-` is standard output.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    if is_stdout(path) {
        ensure_stdout_open()?;
        STDOUT_WRITTEN.store(true, std::sync::atomic::Ordering::Relaxed);
        let stdout = io::stdout();
        return write_through(Path::new("<standard output>"), stdout.lock(), fill);
    }
    if is_special(path) {
        return write_through(path, open_special(path)?, fill);
    }
    check_replaceable(path)?;
    check_parent(path)?;
    let (mut temp, _pending) = Pending::create(
        || {
            output_builder()
                .suffix(".tmp")
                .tempfile_in(parent_dir(path))
        },
        |t| t.path(),
    )
    .map_err(|e| write_error(path, e))?;
    {
        let mut w = Tracked::new(BufWriter::new(temp.as_file_mut()));
        let filled = fill(&mut w);
        let flushed = w.flush();
        w.finish(path, filled, flushed)?;
    }
    keep_permissions(temp.path(), path)?;
    temp.persist(path).map_err(|e| write_error(path, e.error))?;
    Ok(())
}

/// Writes through `out` (standard output, a device, a FIFO), without a temporary file.
fn write_through(
    path: &Path,
    out: impl Write,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let mut w = Tracked::new(BufWriter::new(out));
    let filled = fill(&mut w);
    let flushed = w.flush();
    w.finish(path, filled, flushed)
}

/// A writer remembering its first error, so that a failure reported by `fill` in its own words
/// can be told apart from a write error (disk full...) and reported as one.
struct Tracked<W: Write> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> Tracked<W> {
    fn new(inner: W) -> Self {
        Tracked { inner, error: None }
    }

    fn record<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r
            && self.error.is_none()
        {
            self.error = Some(clean_error(e));
        }
        r
    }

    /// The outcome: the write error first (it explains `fill`'s failure), then `fill`'s own.
    fn finish(self, path: &Path, filled: Result<()>, flushed: io::Result<()>) -> Result<()> {
        if let Some(e) = self.error {
            return Err(write_error(path, e));
        }
        filled?;
        flushed.map_err(|e| write_error(path, e))
    }
}

impl<W: Write> Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.record(r)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let r = self.inner.write_all(buf);
        self.record(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.record(r)
    }
}

/// Set by [`guard_standard_output`] when qpv was started with its standard output closed.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// To call first thing in `main`: when qpv is started with its standard output closed
/// (`qpv locate x.csv >&-`), the Rust runtime points descriptor 1 at `/dev/null` (opened
/// read-write, which a shell redirection `>/dev/null` never does) and everything written there
/// would be lost with exit 0. Writing the result to standard output is then refused (exit 2).
pub fn guard_standard_output() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        // SAFETY: F_GETFL only queries the descriptor's flags.
        let flags = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFL) };
        let read_write = flags != -1 && flags & libc::O_ACCMODE == libc::O_RDWR;
        let null = fs::metadata("/dev/null").ok();
        let out = fs::metadata("/proc/self/fd/1").ok();
        let same = match (null, out) {
            (Some(n), Some(o)) => o.file_type().is_char_device() && n.rdev() == o.rdev(),
            _ => false,
        };
        if flags == -1 || (read_write && same) {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }
}

fn ensure_stdout_open() -> Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(Error::usage(
            "standard output is closed: the result would be lost",
            "give -o FILE, or redirect the output to a file",
        ));
    }
    Ok(())
}

/// A replaceable destination: absent, or a regular file of ours that we may write.
fn check_replaceable(path: &Path) -> Result<()> {
    let Ok(meta) = fs::metadata(path) else {
        return Ok(());
    };
    let refuse = |message: &str, hint: &str| Err(Error::input(path, Location::File, message, hint));
    if meta.is_dir() {
        return refuse(
            "this output is a directory",
            "give -o a file name, e.g. -o result.csv",
        );
    }
    if !meta.is_file() {
        return Ok(()); // device or FIFO: written through
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return refuse(
                "this file belongs to another user: qpv does not replace it",
                "choose another -o path, or remove the file first",
            );
        }
        if meta.permissions().mode() & 0o200 == 0 {
            return refuse(
                "this file is read-only: qpv does not replace it",
                "choose another -o path, or make it writable (chmod u+w) first",
            );
        }
    }
    Ok(())
}

/// The directory an output goes to must exist.
fn check_parent(path: &Path) -> Result<()> {
    let dir = parent_dir(path);
    if dir.is_dir() {
        return Ok(());
    }
    Err(Error::input(
        path,
        Location::File,
        format!("the directory '{}' does not exist", dir.display()),
        "create it first, or fix the -o path",
    ))
}

/// An existing regular file keeps its permissions when replaced; a new one gets 0644.
fn keep_permissions(temp: &Path, path: &Path) -> Result<()> {
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(temp, meta.permissions()).map_err(|e| write_error(path, e))?;
    }
    Ok(())
}

/// A write error in the user's terms: disk full and permission problems are exit 2 (the user can
/// fix them); the OS message is kept without the temporary file's path.
pub fn write_error(path: &Path, e: io::Error) -> Error {
    let e = clean_error(&e);
    let (message, hint) = match (e.kind(), e.raw_os_error()) {
        (_, Some(libc::ENOSPC | libc::EDQUOT)) => (
            "disk full: the output was not written",
            "free some space, or write to another disk with -o",
        ),
        (io::ErrorKind::PermissionDenied, _) | (_, Some(libc::EROFS)) => (
            "cannot write here: permission denied or read-only file system",
            "choose -o in a directory you can write to",
        ),
        _ => return Error::io(path, e),
    };
    Error::input(path, Location::File, message, hint)
}

/// The OS error alone: `tempfile` adds the temporary file's path to its messages.
fn clean_error(e: &io::Error) -> io::Error {
    match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(e.kind(), e.kind().to_string()),
    }
}

/// Temporary files are private (0600) by default; an output file is a normal file that
/// colleagues and QGIS may read, so it gets the usual 0644 once renamed.
fn output_builder<'a>() -> tempfile::Builder<'a, 'a> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".qpv-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    builder
}

fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

/// An existing destination that is neither a regular file nor a directory: a device, a FIFO,
/// a socket.
pub(crate) fn is_special(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Opens a device or FIFO for writing, without truncating or replacing it.
fn open_special(path: &Path) -> Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| write_error(path, e))
}

/// `path` made absolute with symbolic links, `.` and `..` resolved, even when it does not exist
/// yet (its longest existing ancestor is resolved and the rest appended).
fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut missing = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(p) = fs::canonicalize(base) {
            let mut out = p;
            for part in missing.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(name) => out.push(name),
                    _ => {}
                }
            }
            return out;
        }
        match (base.parent(), base.components().next_back()) {
            (Some(parent), Some(last)) => {
                missing.push(last);
                base = parent;
            }
            _ => return absolute,
        }
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        let r = write_atomic(&out, |w| {
            w.write_all(b"half").unwrap();
            Err(Error::Internal("boom".into()))
        });
        assert!(r.is_err());
        assert!(!out.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn output_is_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        write_atomic(&out, |w| w.write_all(b"a\n").map_err(|e| Error::io("x", e))).unwrap();
        let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        fs::write(&out, "old").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&out, |w| w.write_all(b"new").map_err(|e| Error::io("x", e))).unwrap();
        let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            (fs::read_to_string(&out).unwrap().as_str(), mode),
            ("new", 0o640)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        fs::write(&out, "old").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
        let r = write_atomic(&out, |w| w.write_all(b"new").map_err(|e| Error::io("x", e)));
        let e = r.unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn dev_full_is_disk_full_and_dev_null_stays_a_device() {
        let r = write_atomic(Path::new("/dev/full"), |w| {
            w.write_all(b"x").map_err(|e| Error::io("<output>", e))
        });
        let e = r.unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().starts_with("/dev/full: disk full"), "{e}");
        write_atomic(Path::new("/dev/null"), |w| {
            w.write_all(b"x").map_err(|e| Error::io("<output>", e))
        })
        .unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        fs::write(&input, "a").unwrap();
        let same = dir.path().join(".").join("in.csv");
        assert!(ensure_not_input(&same, std::slice::from_ref(&input)).is_err());
        assert!(ensure_not_input(&dir.path().join("o.csv"), &[input]).is_ok());
    }

    #[test]
    fn two_outputs_naming_one_new_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("layers/candidate.geojson");
        let b = dir.path().join("layers/../layers/./candidate.geojson");
        fs::create_dir(dir.path().join("layers")).unwrap();
        let e = check_destinations(&[a.clone(), b], &[]).unwrap_err();
        assert!(e.to_string().contains("same file"), "{e}");
        // Nothing exists yet: still the same file once `..` is resolved.
        let c = dir.path().join("new/x.geojson");
        let d = dir.path().join("new/sub/../x.geojson");
        assert_eq!(resolve(&c), resolve(&d));
        assert!(check_destinations(&[a, c], &[]).is_ok());
    }
}
