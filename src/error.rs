//! One error type for the library: what went wrong, where (file, line or feature) and how to fix it.
//!
//! Bad input is the common case for a tool fed by spreadsheets and GIS exports, so every input
//! error carries its location and a hint. Callers match [`Error::kind`] ([`ErrorKind`]), never the
//! message text; the binary maps the kind to the exit status (2 for what the user can fix, 1 for
//! internal failures).

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
    /// A file in a format read or written through GDAL (GeoPackage, Shapefile...), in a
    /// program that has not enabled GDAL ([`enable`](crate::output::gdal_formats::enable)).
    /// The `qpv` binary never shows it: it hands such runs to `qpv-gdal`.
    #[error(
        "{}: this format is read and written through GDAL, which this program has not enabled (call qpv::output::gdal_formats::enable() first)",
        path.display()
    )]
    NeedsGdal {
        /// The file.
        path: PathBuf,
    },
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

    /// What kind of failure this is, for callers that react to it (the binary's exit code, a
    /// retry, a message) without reading the message text.
    ///
    /// ```
    /// use qpv::error::{Error, ErrorKind, Location};
    /// let bad = Error::input("a.csv", Location::Line(3), "bad number 'x'", "use digits");
    /// assert_eq!(bad.kind(), ErrorKind::Input);
    /// let full = Error::io("o.csv", std::io::Error::from(std::io::ErrorKind::StorageFull));
    /// assert_eq!(full.kind(), ErrorKind::Access);
    /// assert_eq!(Error::Internal("x".into()).kind(), ErrorKind::Internal);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        use std::io::ErrorKind as K;
        match self {
            Error::Input { .. } => ErrorKind::Input,
            Error::Usage { .. } => ErrorKind::Usage,
            Error::Crs(_) => ErrorKind::Crs,
            Error::NeedsGdal { .. } => ErrorKind::Internal,
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
                ErrorKind::Access
            }
            Error::Io { .. } => ErrorKind::System,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Process exit code: 2 when the user can fix the input, the options or the place
    /// written to (missing file, directory, permission, read-only or full disk), 1 otherwise;
    /// the same as `self.kind().exit_code()`.
    pub fn exit_code(&self) -> i32 {
        self.kind().exit_code()
    }
}

/// The kinds of [`Error`], matched by callers instead of message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An input file's content is wrong ([`Error::Input`]).
    Input,
    /// A command-line value or option combination is wrong ([`Error::Usage`]).
    Usage,
    /// A coordinate reference system was refused or could not be set up ([`Error::Crs`]).
    Crs,
    /// A file could not be read or written for a reason the user can fix: missing, a
    /// directory, no permission, read-only or full disk ([`Error::Io`]).
    Access,
    /// Any other operating-system failure while reading or writing ([`Error::Io`]).
    System,
    /// A bug or an unexpected library failure ([`Error::Internal`]).
    Internal,
}

impl ErrorKind {
    /// Process exit code for this kind: 2 when the user can fix it (input, usage, CRS, access),
    /// 1 otherwise (system, internal).
    ///
    /// ```
    /// use qpv::error::ErrorKind;
    /// assert_eq!(ErrorKind::Usage.exit_code(), 2);
    /// assert_eq!(ErrorKind::System.exit_code(), 1);
    /// ```
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Input | ErrorKind::Usage | ErrorKind::Crs | ErrorKind::Access => 2,
            ErrorKind::System | ErrorKind::Internal => 1,
        }
    }

    /// Whether the user can fix this by changing the input, the options or the place written to.
    pub fn is_users_to_fix(self) -> bool {
        self.exit_code() == 2
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

    /// Each variant maps to its kind, and the exit code follows the kind (the table the binary
    /// used before `ErrorKind` existed: input, usage, CRS and user-fixable I/O exit 2).
    #[test]
    fn kinds_and_exit_codes() {
        use std::io::{Error as E, ErrorKind as K};
        let cases = [
            (
                Error::input("a", Location::File, "m", ""),
                ErrorKind::Input,
                2,
            ),
            (Error::usage("m", ""), ErrorKind::Usage, 2),
            (Error::Crs("m".into()), ErrorKind::Crs, 2),
            (Error::io("a", E::from(K::NotFound)), ErrorKind::Access, 2),
            (
                Error::io("a", E::from(K::IsADirectory)),
                ErrorKind::Input,
                2,
            ),
            (
                Error::io("a", E::from(K::Interrupted)),
                ErrorKind::System,
                1,
            ),
            (Error::Internal("m".into()), ErrorKind::Internal, 1),
        ];
        for (error, kind, code) in cases {
            assert_eq!(error.kind(), kind, "{error}");
            assert_eq!(error.exit_code(), code, "{error}");
            assert_eq!(kind.is_users_to_fix(), code == 2);
        }
    }
}
