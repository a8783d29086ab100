//! Streams rows through a per-row function on every core while keeping input order: rows are
//! read in chunks (64k by default), each chunk is mapped in parallel with rayon, and results are
//! handed to the sink in input order before the next chunk is read, so memory stays bounded by
//! one chunk whatever the input size.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

/// Default number of rows per parallel chunk.
pub const DEFAULT_CHUNK: usize = 65_536;

/// A progress counter on stderr that only appears once a run has lasted more than a second,
/// and never when stderr is not a terminal (or when disabled): a hidden bar costs nothing.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    enabled: bool,
    shown: bool,
}

impl Progress {
    /// A counter of `what` (e.g. "points"); `enabled = false` (e.g. `--quiet`) never draws.
    pub fn new(what: &str, enabled: bool) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(&format!(
            "{{spinner}} {{human_pos}} {what} ({{per_sec}}) {{elapsed}}"
        )) {
            bar.set_style(style);
        }
        Progress {
            bar,
            start: Instant::now(),
            enabled: enabled && std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// A counter that never draws (library use, benchmarks, tests).
    pub fn hidden() -> Self {
        Progress::new("", false)
    }

    /// Counts `n` more rows; shows the bar once the run has lasted over a second.
    pub fn inc(&mut self, n: u64) {
        self.bar.inc(n);
        if self.enabled && !self.shown && self.start.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
            self.shown = true;
        }
    }

    /// Rows counted so far.
    pub fn position(&self) -> u64 {
        self.bar.position()
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if self.shown {
            self.bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Maps every `Ok` item of `rows` with `map` (in parallel, per chunk of `chunk` rows) and
/// passes `(item, result)` to `sink` in input order. Stops at the first error of the input or
/// the sink, after every earlier row has been sunk. Returns the number of rows processed.
///
/// ```
/// use qpv::analysis::batch::{Progress, for_each_ordered};
///
/// let rows = (0..10u32).map(Ok::<_, String>);
/// let mut seen = Vec::new();
/// let n = for_each_ordered(rows, 3, |x| x * x, |x, y| { seen.push((x, y)); Ok(()) },
///     &mut Progress::hidden()).unwrap();
/// assert_eq!(n, 10);
/// assert_eq!(seen[4], (4, 16));
/// ```
pub fn for_each_ordered<I, T, R, E, M, S>(
    rows: I,
    chunk: usize,
    map: M,
    mut sink: S,
    progress: &mut Progress,
) -> Result<u64, E>
where
    I: IntoIterator<Item = Result<T, E>>,
    T: Send + Sync,
    R: Send,
    M: Fn(&T) -> R + Sync,
    S: FnMut(T, R) -> Result<(), E>,
{
    let chunk = chunk.max(1);
    let mut rows = rows.into_iter();
    let mut buffer: Vec<T> = Vec::with_capacity(chunk.min(DEFAULT_CHUNK));
    let mut total = 0u64;
    loop {
        let mut pending_error = None;
        while buffer.len() < chunk {
            match rows.next() {
                Some(Ok(item)) => buffer.push(item),
                Some(Err(e)) => {
                    pending_error = Some(e);
                    break;
                }
                None => break,
            }
        }
        if buffer.is_empty() && pending_error.is_none() {
            return Ok(total);
        }
        let results: Vec<R> = if buffer.len() > 1024 {
            buffer.par_iter().map(&map).collect()
        } else {
            buffer.iter().map(&map).collect()
        };
        let n = buffer.len() as u64;
        for (item, result) in buffer.drain(..).zip(results) {
            sink(item, result)?;
        }
        total += n;
        progress.inc(n);
        if let Some(e) = pending_error {
            return Err(e);
        }
        if (n as usize) < chunk {
            return Ok(total);
        }
    }
}
