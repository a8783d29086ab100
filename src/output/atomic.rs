//! Atomic output files: written next to the target under a temporary name, then renamed, so a
//! failure or an interrupted run never leaves a half-written result; refuses to overwrite an
//! input of the same run.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Refuses `output` when it is one of `inputs` (same file after resolving links).
pub fn ensure_not_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let out = fs::canonicalize(output).ok();
    for input in inputs {
        let same = match (&out, fs::canonicalize(input).ok()) {
            (Some(a), Some(b)) => *a == b,
            _ => output == input.as_path(),
        };
        if same {
            return Err(Error::usage(
                format!(
                    "the output file '{}' is also an input: it would be destroyed",
                    output.display()
                ),
                "choose another -o path",
            ));
        }
    }
    Ok(())
}

/// A temporary path beside `path` for tools (GDAL) that must write a file by name themselves.
/// Call [`commit_path`] after success; the temporary file is removed if it is dropped.
pub fn temp_path_beside(path: &Path) -> Result<tempfile::TempPath> {
    let dir = parent_dir(path);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("tmp");
    let file = output_builder()
        .suffix(&format!(".{ext}"))
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, e))?;
    let temp = file.into_temp_path();
    // GDAL refuses to create over an existing file.
    fs::remove_file(&temp).map_err(|e| Error::io(path, e))?;
    Ok(temp)
}

/// Renames a finished temporary file onto `path`.
pub fn commit_path(temp: tempfile::TempPath, path: &Path) -> Result<()> {
    temp.persist(path).map_err(|e| Error::io(path, e.error))
}

/// Writes `path` atomically through `fill`; `-` writes to standard output.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    if path == Path::new("-") {
        let stdout = io::stdout();
        let mut lock = BufWriter::new(stdout.lock());
        fill(&mut lock)?;
        return flush_stdout(lock.flush());
    }
    let dir = parent_dir(path);
    let mut temp = output_builder()
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, e))?;
    {
        let mut w = BufWriter::new(temp.as_file_mut());
        fill(&mut w)?;
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
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

/// A closed pipe (`qpv ... | head`) is not an error.
fn flush_stdout(r: io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
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

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        fs::write(&input, "a").unwrap();
        let same = dir.path().join(".").join("in.csv");
        assert!(ensure_not_input(&same, std::slice::from_ref(&input)).is_err());
        assert!(ensure_not_input(&dir.path().join("o.csv"), &[input]).is_ok());
    }
}
