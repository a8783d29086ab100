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

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            cause: source,
        }
    }

    /// Process exit code: 2 when the user can fix the input or the options, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Usage { .. } | Error::Crs(_) => 2,
            Error::Io { cause, .. } if cause.kind() == std::io::ErrorKind::NotFound => 2,
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

    #[test]
    fn internal_error_exits_1() {
        assert_eq!(Error::Internal("x".into()).exit_code(), 1);
    }
}
