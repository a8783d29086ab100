//! Streams rows through a function on every core while keeping input order: rows are read in
//! chunks (64k by default) and results are handed to the sink in input order, so memory stays
//! bounded by a few chunks whatever the input size. [`for_each_ordered`] maps the rows of one
//! chunk in parallel while the next is read; [`for_each_ordered_chunks`] makes each chunk one
//! task, several chunks at once, for work that benefits from seeing a whole chunk (sorting it,
//! reusing buffers).

use rayon::prelude::*;

use crate::io::row_batches::refill;

/// Default number of rows per parallel chunk.
pub const DEFAULT_CHUNK: usize = 65_536;

/// Told how many rows have been processed, once per chunk (the command line draws a progress
/// bar with it; the library draws nothing).
pub trait Progress {
    /// `n` more rows have been processed.
    fn inc(&mut self, n: u64);
}

/// A [`Progress`] that ignores the counts (library use, benchmarks, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn inc(&mut self, _: u64) {}
}

/// Maps every `Ok` item of `rows` with `map` (in parallel, per chunk of `chunk` rows) and
/// passes `(item, result)` to `sink` in input order. The next chunk is read while the current
/// one is mapped, so that reading (often the bottleneck) overlaps the work. Stops at the first
/// error of the input or the sink, after every earlier row has been sunk. Returns the number
/// of rows processed.
///
/// ```
/// use qpv::analysis::batch::{NoProgress, for_each_ordered};
///
/// let rows = (0..10u32).map(Ok::<_, String>);
/// let mut seen = Vec::new();
/// let n = for_each_ordered(rows, 3, |x| x * x, |x, y| { seen.push((x, y)); Ok(()) },
///     &mut NoProgress).unwrap();
/// assert_eq!(n, 10);
/// assert_eq!(seen[4], (4, 16));
/// ```
pub fn for_each_ordered<I, T, R, E, M, S>(
    rows: I,
    chunk: usize,
    map: M,
    mut sink: S,
    progress: &mut dyn Progress,
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
                let worker = scope.spawn(|| map_chunk(&current, &map));
                let next = read_chunk(&mut rows, chunk);
                let results = worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (results, next)
            })
        } else if more {
            (map_chunk(&current, &map), read_chunk(&mut rows, chunk))
        } else {
            (map_chunk(&current, &map), (Vec::new(), None))
        };
        let n = current.len() as u64;
        for (item, result) in current.drain(..).zip(results) {
            sink(item, result)?;
        }
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

/// Like [`for_each_ordered`], for inputs read in place and mapped a whole chunk at a time:
/// `read` fills a row buffer (reusing its memory: no allocation per row), `map` gets each
/// chunk of up to `chunk` rows on a worker thread, several chunks at once (one per worker,
/// plus one being read), and `sink` gets each chunk's result on the calling thread, in input
/// order. A chunk is one task from start to end, with no synchronisation inside it: `map` can
/// sort its rows, reuse buffers and keep its data in one core's cache. Row buffers are
/// recycled for the whole run. Errors of the input are returned after every earlier chunk has
/// been sunk; `map` reports its own errors through its result.
///
/// ```
/// use qpv::analysis::batch::{NoProgress, for_each_ordered_chunks};
///
/// let mut input = 0..10u32;
/// let mut text = String::new();
/// let n = for_each_ordered_chunks(
///     |x: &mut u32| input.next().map(|v| { *x = v; Ok::<_, String>(()) }),
///     4,
///     |xs: &[u32]| xs.iter().map(|x| format!("{x};")).collect::<String>(),
///     |s| { text.push_str(&s); Ok(()) },
///     &mut NoProgress).unwrap();
/// assert_eq!((n, text.as_str()), (10, "0;1;2;3;4;5;6;7;8;9;"));
/// ```
pub fn for_each_ordered_chunks<T, R, E, F, M, S>(
    mut read: F,
    chunk: usize,
    map: M,
    mut sink: S,
    progress: &mut dyn Progress,
) -> Result<u64, E>
where
    T: Default + Send,
    R: Send,
    F: FnMut(&mut T) -> Option<Result<(), E>>,
    M: Fn(&[T]) -> R + Sync,
    S: FnMut(R) -> Result<(), E>,
{
    type Done<T, R> = (u64, Vec<T>, usize, std::thread::Result<R>);
    let chunk = chunk.max(1);
    let in_flight = rayon::current_num_threads() as u64 + 1;
    // From a worker thread of a pool, waiting for tasks could leave none to run them.
    let inline = rayon::current_thread_index().is_some();
    let (tx, rx) = std::sync::mpsc::channel::<Done<T, R>>();
    let mut free: Vec<Vec<T>> = Vec::new();
    let mut total = 0u64;
    let mut input_error: Option<E> = None;
    let outcome = rayon::in_place_scope(|scope| -> Result<(), E> {
        let (mut sent, mut sunk) = (0u64, 0u64);
        let mut input_done = false;
        let mut waiting: std::collections::BTreeMap<u64, (Vec<T>, usize, R)> =
            std::collections::BTreeMap::new();
        loop {
            while !input_done && sent - sunk < in_flight {
                let mut buffer = free.pop().unwrap_or_default();
                let (n, error) = refill(&mut read, &mut buffer, chunk);
                if error.is_some() || n < chunk {
                    input_done = true;
                    input_error = error;
                }
                if n == 0 {
                    break;
                }
                let (tx, map, seq) = (tx.clone(), &map, sent);
                if inline {
                    let result = map(&buffer[..n]);
                    let _ = tx.send((seq, buffer, n, Ok(result)));
                    sent += 1;
                    continue;
                }
                scope.spawn(move |_| {
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                            || map(&buffer[..n]),
                        ));
                    // The receiver outlives every task of the scope.
                    let _ = tx.send((seq, buffer, n, result));
                });
                sent += 1;
            }
            if sunk == sent {
                return Ok(());
            }
            // Every task sends exactly once and the sender is alive here: recv cannot fail.
            let Ok((seq, buffer, n, result)) = rx.recv() else {
                return Ok(());
            };
            let result = result.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            waiting.insert(seq, (buffer, n, result));
            while let Some((buffer, n, result)) = waiting.remove(&sunk) {
                sink(result)?;
                total += n as u64;
                progress.inc(n as u64);
                free.push(buffer);
                sunk += 1;
            }
        }
    });
    outcome?;
    match input_error {
        Some(e) => Err(e),
        None => Ok(total),
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
            &mut NoProgress,
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
            &mut NoProgress,
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
            &mut NoProgress,
        )
        .unwrap();
        assert_eq!((n, seen), (10, (0..10).collect::<Vec<_>>()));

        // An input ending exactly on a chunk boundary.
        let rows = (0..4_096u32).map(Ok::<_, String>);
        let n = for_each_ordered(rows, 2048, |x| *x, |_, _| Ok(()), &mut NoProgress).unwrap();
        assert_eq!(n, 4_096);
    }

    /// The in-place variant: order across chunks (mapped concurrently), rows re-read into
    /// recycled buffers, an input error after every earlier row, a sink error.
    #[test]
    fn chunks_keep_order_and_stop_at_the_first_error() {
        let run = |count: u32, fail_at: Option<u32>, chunk: usize, sink_fails_at: Option<u32>| {
            let mut next = 0u32;
            let mut seen = Vec::new();
            let result = for_each_ordered_chunks(
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
                |xs: &[(u32, String)]| {
                    xs.iter()
                        .map(|(x, s)| {
                            assert_eq!(x.to_string(), *s);
                            *x
                        })
                        .collect::<Vec<u32>>()
                },
                |xs: Vec<u32>| {
                    if let Some(f) = sink_fails_at
                        && xs.contains(&f)
                    {
                        return Err(format!("sink {f}"));
                    }
                    seen.extend(xs);
                    Ok(())
                },
                &mut NoProgress,
            );
            (result, seen)
        };
        for (count, chunk) in [
            (100_000, 100),
            (10_000, 2048),
            (4_096, 2048),
            (10, 3),
            (0, 5),
        ] {
            let (n, seen) = run(count, None, chunk, None);
            assert_eq!(n, Ok(count as u64));
            assert_eq!(seen, (0..count).collect::<Vec<_>>());
        }
        let (err, seen) = run(5_000, Some(3_000), 100, None);
        assert_eq!(err, Err("row 3000".to_string()));
        assert_eq!(seen, (0..3_000).collect::<Vec<_>>());
        let (err, seen) = run(5_000, Some(0), 100, None);
        assert_eq!((err, seen.len()), (Err("row 0".to_string()), 0));
        let (err, seen) = run(50_000, None, 100, Some(2_345));
        assert_eq!(err, Err("sink 2345".to_string()));
        assert_eq!(seen, (0..2_300).collect::<Vec<_>>());
    }

    #[test]
    fn chunks_run_inline_from_a_worker_thread() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut input = 0..1_000u32;
        let mut total = 0u64;
        let n = pool.install(|| {
            for_each_ordered_chunks(
                |x: &mut u32| {
                    input.next().map(|v| {
                        *x = v;
                        Ok::<_, String>(())
                    })
                },
                64,
                |xs: &[u32]| xs.iter().map(|&x| u64::from(x)).sum::<u64>(),
                |s| {
                    total += s;
                    Ok(())
                },
                &mut NoProgress,
            )
        });
        assert_eq!((n, total), (Ok(1_000), 499_500));
    }
}
