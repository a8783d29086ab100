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
/// passes `(item, result)` to `sink` in input order. The next chunk is read while the current
/// one is mapped, so that reading (often the bottleneck) overlaps the work. Stops at the first
/// error of the input or the sink, after every earlier row has been sunk. Returns the number
/// of rows processed.
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
    drive(
        rows,
        chunk,
        |items| map_chunk(items, &map),
        |items, results| {
            for (item, result) in items.drain(..).zip(results) {
                sink(item, result)?;
            }
            Ok(())
        },
        progress,
    )
}

/// Like [`for_each_ordered`], for inputs read in place: `read` fills a row buffer (reusing
/// its memory: no allocation per row), `map` gets consecutive slices of up to `slice` rows (in
/// parallel) and `sink` gets each slice's result in input order. The per-slice work can then
/// reuse buffers too (e.g. format a slice's output rows into one byte buffer, so that the
/// calling thread only copies bytes). Two chunks of row buffers are recycled for the whole
/// run. Errors of the input are returned after every earlier slice has been sunk; `map`
/// reports its own errors through its result.
///
/// ```
/// use qpv::analysis::batch::{Progress, for_each_ordered_slices};
///
/// let mut input = 0..10u32;
/// let mut text = String::new();
/// let n = for_each_ordered_slices(
///     |x: &mut u32| input.next().map(|v| { *x = v; Ok::<_, String>(()) }),
///     4, 2,
///     |xs: &[u32]| xs.iter().map(|x| format!("{x};")).collect::<String>(),
///     |s| { text.push_str(&s); Ok(()) },
///     &mut Progress::hidden()).unwrap();
/// assert_eq!((n, text.as_str()), (10, "0;1;2;3;4;5;6;7;8;9;"));
/// ```
pub fn for_each_ordered_slices<T, R, E, F, M, S>(
    mut read: F,
    chunk: usize,
    slice: usize,
    map: M,
    mut sink: S,
    progress: &mut Progress,
) -> Result<u64, E>
where
    T: Default + Send + Sync,
    R: Send,
    F: FnMut(&mut T) -> Option<Result<(), E>>,
    M: Fn(&[T]) -> R + Sync,
    S: FnMut(R) -> Result<(), E>,
{
    let (chunk, slice) = (chunk.max(1), slice.max(1));
    let map_slices = |items: &[T]| -> Vec<R> {
        if items.len() > slice {
            items.par_chunks(slice).map(&map).collect()
        } else {
            vec![map(items)]
        }
    };
    // Three stages overlap: while the workers map chunk k, the calling thread sinks the
    // results of chunk k - 1 and reads chunk k + 1.
    let mut total = 0u64;
    let (mut current, mut next) = (Vec::new(), Vec::new());
    let (mut n, mut pending_error) = refill(&mut read, &mut current, chunk);
    let mut pending: Option<(Vec<R>, usize)> = None;
    let mut sink_all = |results: Vec<R>, rows: usize, total: &mut u64| -> Result<(), E> {
        for result in results {
            sink(result)?;
        }
        *total += rows as u64;
        progress.inc(rows as u64);
        Ok(())
    };
    loop {
        if n == 0 {
            if let Some((results, rows)) = pending.take() {
                sink_all(results, rows, &mut total)?;
            }
            return match pending_error {
                Some(e) => Err(e),
                None => Ok(total),
            };
        }
        let more = pending_error.is_none() && n == chunk;
        let items = &current[..n];
        let (results, sunk, (next_n, next_error)) = std::thread::scope(|scope| {
            let worker = scope.spawn(|| map_slices(items));
            let sunk = match pending.take() {
                Some((results, rows)) => sink_all(results, rows, &mut total),
                None => Ok(()),
            };
            let next = if more && sunk.is_ok() {
                refill(&mut read, &mut next, chunk)
            } else {
                (0, None)
            };
            let results = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (results, sunk, next)
        });
        sunk?;
        pending = Some((results, n));
        if !more {
            // The input ended (or failed) within this chunk.
            n = 0;
            continue;
        }
        std::mem::swap(&mut current, &mut next);
        n = next_n;
        pending_error = next_error;
    }
}

/// Reads up to `chunk` rows into `buffer` (reusing its rows); the count read, and the error
/// that stopped reading early, if any.
fn refill<T: Default, E>(
    read: &mut impl FnMut(&mut T) -> Option<Result<(), E>>,
    buffer: &mut Vec<T>,
    chunk: usize,
) -> (usize, Option<E>) {
    let mut n = 0;
    while n < chunk {
        if n == buffer.len() {
            buffer.push(T::default());
        }
        match read(&mut buffer[n]) {
            Some(Ok(())) => n += 1,
            Some(Err(e)) => return (n, Some(e)),
            None => break,
        }
    }
    (n, None)
}

/// Reads chunks, maps each (while reading the next one) and sinks it, in input order.
fn drive<I, T, R, E, M, S>(
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
    M: Fn(&[T]) -> Vec<R> + Sync,
    S: FnMut(&mut Vec<T>, Vec<R>) -> Result<(), E>,
{
    let chunk = chunk.max(1);
    let mut rows = rows.into_iter();
    let mut total = 0u64;
    let (mut current, mut pending_error) = read_chunk(&mut rows, chunk);
    loop {
        if current.is_empty() {
            return match pending_error {
                Some(e) => Err(e),
                None => Ok(total),
            };
        }
        let more = pending_error.is_none() && current.len() == chunk;
        let (results, (next, next_error)) = if current.len() > 1024 && more {
            std::thread::scope(|scope| {
                let worker = scope.spawn(|| map(&current));
                let next = read_chunk(&mut rows, chunk);
                let results = worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (results, next)
            })
        } else if more {
            (map(&current), read_chunk(&mut rows, chunk))
        } else {
            (map(&current), (Vec::new(), None))
        };
        let n = current.len() as u64;
        sink(&mut current, results)?;
        total += n;
        progress.inc(n);
        if pending_error.is_some() || !more {
            // The input ended (or failed) within this chunk.
            current = Vec::new();
            continue;
        }
        current = next;
        pending_error = next_error;
    }
}

fn map_chunk<T: Sync, R: Send>(items: &[T], map: &(impl Fn(&T) -> R + Sync)) -> Vec<R> {
    if items.len() > 1024 {
        items.par_iter().map(map).collect()
    } else {
        items.iter().map(map).collect()
    }
}

/// Up to `chunk` items, and the error that stopped reading early, if any.
fn read_chunk<T, E>(
    rows: &mut impl Iterator<Item = Result<T, E>>,
    chunk: usize,
) -> (Vec<T>, Option<E>) {
    let mut buffer = Vec::with_capacity(chunk.min(DEFAULT_CHUNK));
    while buffer.len() < chunk {
        match rows.next() {
            Some(Ok(item)) => buffer.push(item),
            Some(Err(e)) => return (buffer, Some(e)),
            None => break,
        }
    }
    (buffer, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_kept_across_chunks_and_errors_stop_after_earlier_rows() {
        let rows = (0..10_000u32).map(Ok::<_, String>);
        let mut seen = Vec::new();
        let n = for_each_ordered(
            rows,
            2048,
            |x| x + 1,
            |x, y| {
                seen.push((x, y));
                Ok(())
            },
            &mut Progress::hidden(),
        )
        .unwrap();
        assert_eq!(n, 10_000);
        assert!(
            seen.iter()
                .enumerate()
                .all(|(i, &(x, y))| x == i as u32 && y == x + 1)
        );

        let rows = (0..5_000u32).map(|i| {
            if i == 3_000 {
                Err(format!("row {i}"))
            } else {
                Ok(i)
            }
        });
        let mut count = 0;
        let err = for_each_ordered(
            rows,
            2048,
            |x| *x,
            |_, _| {
                count += 1;
                Ok(())
            },
            &mut Progress::hidden(),
        )
        .unwrap_err();
        assert_eq!(err, "row 3000");
        assert_eq!(count, 3_000);

        // Small chunks (mapped on the calling thread).
        let rows = (0..10u32).map(Ok::<_, String>);
        let mut seen = Vec::new();
        let n = for_each_ordered(
            rows,
            3,
            |x| *x,
            |x, _| {
                seen.push(x);
                Ok(())
            },
            &mut Progress::hidden(),
        )
        .unwrap();
        assert_eq!((n, seen), (10, (0..10).collect::<Vec<_>>()));

        // An input ending exactly on a chunk boundary.
        let rows = (0..4_096u32).map(Ok::<_, String>);
        let n =
            for_each_ordered(rows, 2048, |x| *x, |_, _| Ok(()), &mut Progress::hidden()).unwrap();
        assert_eq!(n, 4_096);
    }

    /// The in-place variant: order across chunks and slices, rows re-read into recycled
    /// buffers, an input error after every earlier row, a map error reported in its slice.
    #[test]
    fn slices_keep_order_and_stop_at_the_first_error() {
        let run = |count: u32, fail_at: Option<u32>, chunk: usize, slice: usize| {
            let mut next = 0u32;
            let mut seen = Vec::new();
            let result = for_each_ordered_slices(
                |x: &mut (u32, String)| {
                    if next == count {
                        return None;
                    }
                    next += 1;
                    if Some(next - 1) == fail_at {
                        return Some(Err(format!("row {}", next - 1)));
                    }
                    x.0 = next - 1;
                    x.1.clear();
                    x.1.push_str(&x.0.to_string());
                    Some(Ok(()))
                },
                chunk,
                slice,
                |xs: &[(u32, String)]| {
                    xs.iter()
                        .map(|(x, s)| {
                            assert_eq!(x.to_string(), *s);
                            *x
                        })
                        .collect::<Vec<u32>>()
                },
                |xs| {
                    seen.extend(xs);
                    Ok(())
                },
                &mut Progress::hidden(),
            );
            (result, seen)
        };
        for (count, chunk, slice) in [(10_000, 2048, 100), (4_096, 2048, 1024), (10, 3, 2)] {
            let (n, seen) = run(count, None, chunk, slice);
            assert_eq!(n, Ok(count as u64));
            assert_eq!(seen, (0..count).collect::<Vec<_>>());
        }
        let (err, seen) = run(5_000, Some(3_000), 2048, 100);
        assert_eq!(err, Err("row 3000".to_string()));
        assert_eq!(seen, (0..3_000).collect::<Vec<_>>());
        let (err, seen) = run(5_000, Some(0), 2048, 100);
        assert_eq!((err, seen.len()), (Err("row 0".to_string()), 0));
    }
}
