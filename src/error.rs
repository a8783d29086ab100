//! One error type for the library: what went wrong, where (file, line or feature) and how to fix it.
//!
//! Bad input is the common case for a tool fed by spreadsheets and GIS exports, so every input
//! error carries its location and a hint; the binary maps [`Error::exit_code`] to the process
//! exit status (2 for bad input, 1 for internal failures).

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// A 1-based line of a text file (CSV: the header is line 1).
    Line(u64),
    /// A 0-based feature index in a vector layer (what `ogrinfo` and QGIS call the FID order).
    Feature(usize),
    /// A named column of a table.
    Column(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Line(n) => write!(f, ", line {n}"),
            Location::Feature(i) => write!(f, ", feature {i}"),
            Location::Column(c) => write!(f, ", column '{c}'"),
        }
    }
}

/// Every failure the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is wrong: the message says what, the hint how to fix it.
    #[error("{}{location}: {message}{}", path.display(), hint_suffix(hint))]
    Input {
        /// The input file (or `<embedded:...>` for built-in data).
        path: PathBuf,
        /// Where in the file.
        location: Location,
        /// What is wrong, in the user's terms.
        message: String,
        /// How to fix it (may be empty).
        hint: String,
    },
    /// A command-line value or option combination is wrong.
    #[error("{message}{}", hint_suffix(hint))]
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: String,
    },
    /// Reading or writing a file failed at the operating-system level.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error (shown in the message, not chained, so it prints once).
        cause: std::io::Error,
    },
    /// A coordinate reference system could not be set up or a transformation failed.
    #[error("coordinate reference system: {0}")]
    Crs(String),
    /// A bug or an unexpected library failure (not the user's fault).
    #[error("internal error: {0}")]
    Internal(String),
}

fn hint_suffix(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!("\n  hint: {hint}")
    }
}

impl Error {
    /// An input error at `location` of `path`.
    pub fn input(
        path: impl AsRef<Path>,
        location: Location,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::Input {
            path: path.as_ref().to_path_buf(),
            location,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A usage error (bad option value).
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// An I/O error on `path`; a directory where a file was expected is an input error.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::IsADirectory {
            return Error::directory(path);
        }
        // tempfile wraps the OS error with the temporary file's path: keep only the OS error.
        let text = source.to_string();
        let source = match text.find(" at path \"") {
            Some(at) if source.raw_os_error().is_none() => {
                std::io::Error::new(source.kind(), text[..at].to_string())
            }
            _ => source,
        };
        Error::Io {
            path: path.as_ref().to_path_buf(),
            cause: source,
        }
    }

    /// The error for a directory given where a file is expected (input or output).
    pub fn directory(path: impl AsRef<Path>) -> Self {
        Error::input(
            path,
            Location::File,
            "this is a directory, not a file",
            "give a file path (for an output, a file name inside the directory, e.g. DIR/result.csv)",
        )
    }

    /// Process exit code: 2 when the user can fix the input, the options or the place
    /// written to (missing file, directory, permission, read-only or full disk), 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        use std::io::ErrorKind as K;
        match self {
            Error::Input { .. } | Error::Usage { .. } | Error::Crs(_) => 2,
            Error::Io { cause, .. }
                if matches!(
                    cause.kind(),
                    K::NotFound
                        | K::IsADirectory
                        | K::NotADirectory
                        | K::PermissionDenied
                        | K::ReadOnlyFilesystem
                        | K::StorageFull
                        | K::QuotaExceeded
                        | K::FileTooLarge
                        | K::AlreadyExists
                        | K::InvalidFilename
                ) =>
            {
                2
            }
            Error::Io { .. } | Error::Internal(_) => 1,
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_error_names_file_line_and_hint() {
        let e = Error::input("a.csv", Location::Line(3), "bad number 'x'", "use digits");
        assert_eq!(
            e.to_string(),
            "a.csv, line 3: bad number 'x'\n  hint: use digits"
        );
        assert_eq!(e.exit_code(), 2);
    }

    /// Issue 11: a directory, a read-only place or a full disk is the user's to fix (exit 2).
    #[test]
    fn user_fixable_io_errors_exit_2() {
        use std::io::{Error as E, ErrorKind as K};
        for kind in [
            K::PermissionDenied,
            K::ReadOnlyFilesystem,
            K::StorageFull,
            K::NotADirectory,
        ] {
            assert_eq!(Error::io("o.csv", E::from(kind)).exit_code(), 2, "{kind:?}");
        }
        let dir = Error::io("d", E::from(K::IsADirectory));
        assert_eq!(dir.exit_code(), 2);
        assert!(dir.to_string().contains("this is a directory"), "{dir}");
        assert_eq!(Error::io("o.csv", E::from(K::Interrupted)).exit_code(), 1);
        // tempfile's "at path" suffix (the temporary file) is not shown.
        let e = Error::io(
            "o.csv",
            E::new(
                K::NotFound,
                "No such file (os error 2) at path \"/d/.qpv-x.tmp\"",
            ),
        );
        assert_eq!(e.to_string(), "o.csv: No such file (os error 2)");
    }

    #[test]
    fn internal_error_exits_1() {
        assert_eq!(Error::Internal("x".into()).exit_code(), 1);
    }
}
