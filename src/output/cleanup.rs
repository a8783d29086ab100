//! Temporary output files removed on SIGINT, SIGTERM and SIGHUP: every temporary file an output
//! is written to is registered here while it exists; on one of those signals a watcher thread
//! removes them all, then the process dies of the signal as it would have without qpv's
//! handler (so a shell still sees "killed by SIGTERM", exit status 143).
//!
//! # Examples
//!
//! ```
//! use qpv::output::cleanup::Pending;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let temp = dir.path().join(".qpv-example.tmp");
//! std::fs::write(&temp, "partial").unwrap();
//! let pending = Pending::register(&temp);
//! assert!(qpv::output::cleanup::pending_paths().contains(&temp));
//! drop(pending); // written and renamed: nothing left to clean
//! assert!(!qpv::output::cleanup::pending_paths().contains(&temp));
//! ```

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// Temporary files (and the side files SQLite may create next to them) to remove on a signal.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

/// The files SQLite (GeoPackage) writes beside a database while it is open.
const SIDE_SUFFIXES: &[&str] = &["-journal", "-wal", "-shm"];

/// A registered temporary file: unregistered when dropped (after the rename, or after the
/// temporary file was removed on failure).
#[derive(Debug)]
pub struct Pending {
    path: PathBuf,
}

impl Pending {
    /// Registers `path` for removal if the process is interrupted, installing the signal
    /// watcher on first use.
    pub fn register(path: &Path) -> Pending {
        INSTALL.call_once(install);
        lock().push(path.to_path_buf());
        Pending {
            path: path.to_path_buf(),
        }
    }

    /// Creates a temporary file through `make` and registers its path (given by `path_of`)
    /// with no window for a signal in between: the watcher is installed first, and the list
    /// stays locked while the file is created, so a signal arriving then is handled once the
    /// file is registered.
    pub fn create<T>(
        make: impl FnOnce() -> std::io::Result<T>,
        path_of: impl Fn(&T) -> &Path,
    ) -> std::io::Result<(T, Pending)> {
        INSTALL.call_once(install);
        let mut pending = lock();
        let made = make()?;
        let path = path_of(&made).to_path_buf();
        pending.push(path.clone());
        Ok((made, Pending { path }))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = lock();
        if let Some(i) = pending.iter().rposition(|p| *p == self.path) {
            pending.swap_remove(i);
        }
    }
}

/// The temporary files registered now.
pub fn pending_paths() -> Vec<PathBuf> {
    lock().clone()
}

/// A poisoned lock only means another thread panicked while holding it: the list is still
/// usable.
fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every registered file and its SQLite side files.
fn remove_pending() {
    for path in lock().iter() {
        let _ = std::fs::remove_file(path);
        for suffix in SIDE_SUFFIXES {
            let mut side = path.clone().into_os_string();
            side.push(suffix);
            let _ = std::fs::remove_file(side);
        }
    }
}

#[cfg(unix)]
fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return; // no handler: an interrupted run may leave a temporary file, as before
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            remove_pending();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn install() {}
