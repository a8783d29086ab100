//! The fast path of `locate` and `nearest` for a CSV of points written as CSV, at national
//! scale (tens of millions of rows).
//!
//! The calling thread only splits records and writes bytes. Each chunk of rows then goes
//! through three parallel passes: parse and reproject (in input order), analyse (in spatial
//! order: points of one neighbourhood one after the other find the index data they need
//! already in cache, several times faster than input order on a shuffled national file), and
//! encode the output rows (in input order again). The output is byte for byte what
//! [`super::locate::RowWriter`] writes, and the first bad row ends the output exactly where
//! a row-by-row run would.

use std::path::Path;

use geo::Coord;
use rayon::prelude::*;
use serde_json::Value;

use qpv::analysis::batch::Progress;
use qpv::io::points::{PointParser, RawPoint, RawRows};
use qpv::output::csv_record::push_field;

use super::locate::{Cell, io_err, text, unequal_length_error};

/// Rows per parallel task within a chunk.
const TASK_ROWS: usize = 4096;

/// Low bits of a processing-order key that hold the row's index in its chunk.
const ORDER_INDEX_BITS: u32 = 20;

/// A key that sorts points along a Z-order curve of 1 km squares: consecutive points are
/// near each other at every scale, so they share cells and zones of the indexes. Any order
/// gives the same results; wrapped coordinates only make it a worse order.
fn spatial_key(p: Coord<f64>) -> u64 {
    /// Spreads the low 22 bits of `v` to the even bits.
    fn spread(v: u64) -> u64 {
        let mut v = v & ((1 << 22) - 1);
        v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
        v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
        v = (v | (v << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        (v | (v << 1)) & 0x5555_5555_5555_5555
    }
    let gx = (p.x / 1024.0).floor() as i64 as u64;
    let gy = (p.y / 1024.0).floor() as i64 as u64;
    spread(gx) | (spread(gy) << 1)
}

/// Appends `fields` then `cells` as one CSV record; numbers are formatted in `scratch`.
fn push_csv_cells(
    out: &mut Vec<u8>,
    fields: &csv::StringRecord,
    cells: &[Cell],
    scratch: &mut String,
) {
    use std::fmt::Write as _;
    let mut first = true;
    for field in fields.iter() {
        if !first {
            out.push(b',');
        }
        first = false;
        push_field(out, field.as_bytes());
    }
    for cell in cells {
        if !first {
            out.push(b',');
        }
        first = false;
        // Writing into a String cannot fail.
        match cell {
            Cell::Text(t) => push_field(out, t.as_bytes()),
            Cell::Null => {}
            Cell::Number(x) => {
                if let Some(n) = serde_json::Number::from_f64(*x) {
                    scratch.clear();
                    let _ = write!(scratch, "{n}");
                    out.extend_from_slice(scratch.as_bytes());
                }
            }
            Cell::Int(i) => {
                scratch.clear();
                let _ = write!(scratch, "{i}");
                out.extend_from_slice(scratch.as_bytes());
            }
        }
    }
    out.push(b'\n');
}

/// What the passes made of one chunk.
struct CsvChunk<X> {
    /// Output rows, CSV-encoded, one buffer per task, in input order.
    bytes: Vec<Vec<u8>>,
    /// The analysis result of each written row, in input order.
    results: Vec<X>,
    /// Rows without coordinates skipped (`--skip-empty`).
    skipped: u64,
    /// The first error, which ends the output.
    error: Option<qpv::Error>,
}

/// One parsed row: its index in the chunk and its point in the working CRS.
type Parsed = (u32, Coord<f64>);

/// Streams the CSV rows of `raw` to `output` (or stdout): each row's fields followed by the
/// values that `rows` emits for it (in `columns` order), where `analyse` gives the result of
/// each point. `consume` gets each result on the calling thread, in input order (summaries).
/// Returns the number of rows skipped for lack of coordinates.
#[allow(clippy::too_many_arguments)]
pub fn stream_csv_points<X, A, F, C>(
    output: Option<&Path>,
    columns: &[String],
    mut raw: RawRows<'_>,
    parser: &PointParser,
    progress: &mut Progress,
    analyse: A,
    rows: F,
    mut consume: C,
) -> qpv::Result<u64>
where
    X: Send + Sync,
    A: Fn(Coord<f64>) -> X + Sync,
    F: Fn(Coord<f64>, &X, &mut dyn FnMut(&[Cell])) + Sync,
    C: FnMut(X),
{
    let width = columns.len();
    let map = |chunk: &[RawPoint]| -> CsvChunk<X> {
        // 1. Parse and reproject, in parallel; keep the rows before the first bad one.
        let parsed: Vec<(Vec<Parsed>, u64, Option<qpv::Error>)> = chunk
            .par_chunks(TASK_ROWS)
            .enumerate()
            .map(|(t, rows)| {
                let (mut points, mut skipped) = (Vec::with_capacity(rows.len()), 0);
                for (i, row) in rows.iter().enumerate() {
                    match parser.parse(row) {
                        Ok(Some(p)) => points.push(((t * TASK_ROWS + i) as u32, p)),
                        Ok(None) => skipped += 1,
                        Err(e) => return (points, skipped, Some(e)),
                    }
                }
                (points, skipped, None)
            })
            .collect();
        let (mut points, mut skipped, mut error) = (Vec::new(), 0, None);
        for (p, s, e) in parsed {
            points.extend(p);
            skipped += s;
            if e.is_some() {
                error = e;
                break;
            }
        }
        // 2. Analyse in spatial order.
        let mut order: Vec<u64> = points
            .iter()
            .enumerate()
            .map(|(i, (_, p))| (spatial_key(*p) << ORDER_INDEX_BITS) | i as u64)
            .collect();
        order.par_sort_unstable();
        let mask = (1u64 << ORDER_INDEX_BITS) - 1;
        // Gathered first in a loop of independent loads (the processor overlaps their cache
        // misses), rather than one by one between analyses.
        let sorted: Vec<Coord<f64>> = order
            .iter()
            .map(|k| points[(k & mask) as usize].1)
            .collect();
        let analysed: Vec<X> = sorted
            .par_iter()
            .with_min_len(TASK_ROWS)
            .map(|p| analyse(*p))
            .collect();
        let mut results: Vec<Option<X>> = points.iter().map(|_| None).collect();
        for (k, x) in order.iter().zip(analysed) {
            results[(k & mask) as usize] = Some(x);
        }
        // 3. Encode in input order, in parallel.
        let encoded: Vec<(Vec<u8>, usize, Option<qpv::Error>)> = points
            .par_chunks(TASK_ROWS)
            .zip(results.par_chunks(TASK_ROWS))
            .map(|(points, results)| {
                let mut bytes = Vec::with_capacity(points.len() * 96);
                let mut scratch = String::new();
                for (n, ((i, p), x)) in points.iter().zip(results).enumerate() {
                    let Some(x) = x else {
                        return (bytes, n, None);
                    };
                    let fields = &chunk[*i as usize].fields;
                    let mut failed = None;
                    rows(*p, x, &mut |added: &[Cell]| {
                        if failed.is_some() {
                            return;
                        }
                        if fields.len() + added.len() != width {
                            let mut values: Vec<Value> = fields.iter().map(text).collect();
                            values.extend(added.iter().map(|c| c.to_value()));
                            failed = Some(unequal_length_error(columns, &values));
                        } else {
                            push_csv_cells(&mut bytes, fields, added, &mut scratch);
                        }
                    });
                    if failed.is_some() {
                        return (bytes, n, failed);
                    }
                }
                (bytes, points.len(), None)
            })
            .collect();
        let mut bytes = Vec::with_capacity(encoded.len());
        let mut written = 0;
        for (b, n, e) in encoded {
            bytes.push(b);
            written += n;
            if e.is_some() {
                error = e;
                break;
            }
        }
        let results = results.into_iter().take(written).flatten().collect();
        CsvChunk {
            bytes,
            results,
            skipped,
            error,
        }
    };
    let path = output.unwrap_or(Path::new("-"));
    let mut skipped = 0;
    qpv::output::atomic::write_atomic(path, |w| {
        let mut header = Vec::new();
        qpv::output::csv_record::push_record(&mut header, columns);
        w.write_all(&header).map_err(io_err)?;
        let chunk = qpv::analysis::batch::DEFAULT_CHUNK;
        qpv::analysis::batch::for_each_ordered_slices(
            |row| raw.read_into(row),
            chunk,
            chunk,
            map,
            |done: CsvChunk<X>| {
                for b in &done.bytes {
                    w.write_all(b).map_err(io_err)?;
                }
                skipped += done.skipped;
                done.results.into_iter().for_each(&mut consume);
                match done.error {
                    Some(e) => Err(e),
                    None => Ok(()),
                }
            },
            progress,
        )?;
        Ok(())
    })?;
    Ok(skipped)
}
