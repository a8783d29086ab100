//! The fast path of `locate` and `nearest` for a CSV of points written as CSV, at national
//! scale (tens of millions of rows).
//!
//! The calling thread only splits records and writes bytes. Each chunk of rows is one task on a
//! worker thread (one chunk per core at a time): parse and reproject (in input order), analyse
//! (in spatial order: points of one neighbourhood one after the other find the index data they
//! need already in cache, faster than input order on a shuffled national file), and encode the
//! output rows (in input order again). The output is byte for byte what
//! [`super::sink::Sink`] writes, and the first bad row ends the output exactly where
//! a row-by-row run would.

use std::path::Path;

use geo::Coord;
use serde_json::Value;

use super::ColumnSelection;
use super::csv_record::push_text_field;
use crate::analysis::batch::Progress;
use crate::io::points::{PointParser, RawPoint, RawRows};

use super::sink::{Cell, io_err, text, unequal_length_error};

/// Rows per chunk with `threads` workers: one chunk per worker plus one are in flight, so on
/// machines with many cores the chunks get smaller (memory stays near that of 4 full chunks).
fn chunk_rows(threads: usize) -> usize {
    let full = crate::analysis::batch::DEFAULT_CHUNK;
    if threads <= 4 {
        full
    } else {
        (full * 4 / threads).max(8_192)
    }
}

/// Low bits of a processing-order key that hold the row's index in its chunk.
const ORDER_INDEX_BITS: u32 = 20;

/// A key that sorts points along a Z-order curve of 1 km squares: consecutive points are
/// near each other at every scale, so they share cells and zones of the indexes. Any order
/// gives the same results; wrapped coordinates only make it a worse order.
#[inline]
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

/// Appends `x` as JSON spells it (shortest round trip: `728.94`, `5.1`, `1000.0`, `-0.0`) when
/// it is a whole number of hundredths (the rounded distances of these outputs), and returns
/// true; else appends nothing and returns false. Why it is the shortest spelling: `x` is the
/// double nearest to `k / 100`, and below 10^13 two decimals with fewer digits are at least
/// 0.01 apart, farther than the spacing of doubles there.
#[inline]
fn push_centesimal(out: &mut Vec<u8>, x: f64) -> bool {
    let k = (x * 100.0).round();
    if !(k.abs() < 1e15 && k / 100.0 == x) {
        return false;
    }
    let k = k.abs() as u64;
    if x.is_sign_negative() {
        out.push(b'-');
    }
    let mut digits = itoa::Buffer::new();
    out.extend_from_slice(digits.format(k / 100).as_bytes());
    let cents = (k % 100) as u8;
    out.push(b'.');
    out.push(b'0' + cents / 10);
    if !cents.is_multiple_of(10) {
        out.push(b'0' + cents % 10);
    }
    true
}

/// Appends one cell as a CSV field.
#[inline]
fn push_cell(out: &mut Vec<u8>, cell: &Cell) {
    match cell {
        Cell::Text(t) => push_text_field(out, t.as_bytes()),
        Cell::Null => {}
        Cell::Number(x) => {
            if !push_centesimal(out, *x) {
                super::number::push_json(out, *x);
            }
        }
        Cell::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        Cell::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
    }
}

/// Appends the `n_fields` input fields (those a short row lacks are empty, as in a
/// spreadsheet) then `cells` as one CSV record, or only the columns `select` keeps.
#[inline]
fn push_csv_cells(
    out: &mut Vec<u8>,
    (fields, n_fields): (&csv::StringRecord, usize),
    cells: &[Cell],
    select: &ColumnSelection,
) {
    let start = out.len();
    if select.is_all() {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_text_field(out, field.as_bytes());
        }
        // The empty fields of a short row, then the cells.
        for j in fields.len()..n_fields {
            if j > 0 {
                out.push(b',');
            }
        }
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 || n_fields > 0 {
                out.push(b',');
            }
            push_cell(out, cell);
        }
    } else {
        for (n, &i) in select.picks().iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            if i < n_fields {
                push_text_field(out, fields.get(i).unwrap_or("").as_bytes());
            } else {
                push_cell(out, &cells[i - n_fields]);
            }
        }
        // One empty column is written `""`, as the csv crate does: an empty line would be
        // skipped by readers.
        if select.picks().len() == 1 && out.len() == start {
            out.extend_from_slice(b"\"\"");
        }
    }
    out.push(b'\n');
}

/// Buffers reused from chunk to chunk: allocating tens of megabytes per chunk would make the
/// allocator hand pages back to the system and fault them in again, a noticeable share of
/// the run.
struct Buffers<X> {
    points: Vec<(u32, Coord<f64>)>,
    order: Vec<u64>,
    sorted: Vec<Coord<f64>>,
    analysed: Vec<Option<X>>,
    bytes: Vec<u8>,
    results: Vec<X>,
}

impl<X> Default for Buffers<X> {
    fn default() -> Self {
        Buffers {
            points: Vec::new(),
            order: Vec::new(),
            sorted: Vec::new(),
            analysed: Vec::new(),
            bytes: Vec::new(),
            results: Vec::new(),
        }
    }
}

impl<X> Buffers<X> {
    /// Analyses the parsed `points` into `analysed`, in spatial order when `spatial_order`;
    /// the points are gathered first, in a loop of independent loads (the processor overlaps
    /// their cache misses).
    #[inline]
    fn analyse<A: Fn(Coord<f64>) -> X>(&mut self, spatial_order: bool, analyse: &A) {
        let Buffers {
            points,
            order,
            sorted,
            analysed,
            ..
        } = self;
        order.clear();
        if spatial_order {
            order.extend(
                points
                    .iter()
                    .enumerate()
                    .map(|(i, (_, p))| (spatial_key(*p) << ORDER_INDEX_BITS) | i as u64),
            );
            order.sort_unstable();
        } else {
            order.extend(0..points.len() as u64);
        }
        let mask = (1u64 << ORDER_INDEX_BITS) - 1;
        sorted.clear();
        sorted.extend(order.iter().map(|k| points[(k & mask) as usize].1));
        analysed.clear();
        analysed.resize_with(points.len(), || None);
        for (k, p) in order.iter().zip(sorted.iter()) {
            analysed[(k & mask) as usize] = Some(analyse(*p));
        }
    }

    /// Encodes the rows of the analysed points into `bytes`, in input order, moving each
    /// result to `results`; the error of a row longer than the header, which ends the chunk.
    #[inline]
    fn encode<F>(
        &mut self,
        chunk: &[RawPoint],
        rows: &F,
        select: &ColumnSelection,
    ) -> Option<crate::error::Error>
    where
        F: Fn(Coord<f64>, &X, &mut dyn FnMut(&[Cell])),
    {
        let width = select.available().len();
        let Buffers {
            points,
            analysed,
            bytes,
            results,
            ..
        } = self;
        bytes.clear();
        results.clear();
        for ((i, p), x) in points.iter().zip(analysed.drain(..)) {
            let Some(x) = x else { break };
            let fields = &chunk[*i as usize].fields;
            let mut failed = None;
            rows(*p, &x, &mut |added: &[Cell]| {
                if failed.is_some() {
                    return;
                }
                // Rows longer than the header were refused by the parser.
                if fields.len() + added.len() > width {
                    let mut values: Vec<Value> = fields.iter().map(text).collect();
                    values.extend(added.iter().map(|c| c.to_value()));
                    failed = Some(unequal_length_error(select.available(), &values));
                } else {
                    let n_fields = width - added.len();
                    push_csv_cells(bytes, (fields, n_fields), added, select);
                }
            });
            if failed.is_some() {
                return failed;
            }
            results.push(x);
        }
        None
    }
}

/// A few [`Buffers`] shared by the worker tasks and the writing thread.
struct Pool<X>(std::sync::Mutex<Vec<Buffers<X>>>);

impl<X> Pool<X> {
    fn take(&self) -> Buffers<X> {
        self.0
            .lock()
            .map(|mut v| v.pop().unwrap_or_default())
            .unwrap_or_default()
    }

    fn put(&self, b: Buffers<X>) {
        if let Ok(mut v) = self.0.lock() {
            v.push(b);
        }
    }
}

/// What the passes made of one chunk.
struct CsvChunk<X> {
    /// `bytes`: output rows, CSV-encoded, in input order; `results`: the analysis result of
    /// each written row, in input order.
    buffers: Buffers<X>,
    /// Rows without coordinates skipped (`--skip-empty`).
    skipped: u64,
    /// The first error, which ends the output.
    error: Option<crate::error::Error>,
}

/// Streams the CSV rows of `raw` to `output` (or stdout): each row's fields followed by the
/// values that `rows` emits for it (the columns `select` keeps of these), where `analyse` gives the result of
/// each point, taking the points of a chunk in spatial order when `spatial_order` (worth its
/// sorting when `analyse` reads much index data per point, as `locate` does). `consume` gets
/// each result on the calling thread, in input order (summaries). Returns the number of rows
/// skipped for lack of coordinates.
#[allow(clippy::too_many_arguments)]
pub fn stream_csv_points<X, A, F, C>(
    output: Option<&Path>,
    select: &ColumnSelection,
    mut raw: RawRows<'_>,
    parser: &PointParser,
    progress: &mut dyn Progress,
    spatial_order: bool,
    analyse: A,
    rows: F,
    mut consume: C,
) -> crate::error::Result<u64>
where
    X: Send,
    A: Fn(Coord<f64>) -> X + Sync,
    F: Fn(Coord<f64>, &X, &mut dyn FnMut(&[Cell])) + Sync,
    C: FnMut(X),
{
    let pool: Pool<X> = Pool(std::sync::Mutex::new(Vec::new()));
    let map = |chunk: &[RawPoint]| -> CsvChunk<X> {
        let mut buffers = pool.take();
        // 1. Parse and reproject, up to the first bad row.
        buffers.points.clear();
        let (skipped, mut error) = parser.parse_run(chunk, &mut buffers.points);
        // 2. Analyse in spatial order.
        buffers.analyse(spatial_order, &analyse);
        // 3. Encode in input order.
        if let Some(e) = buffers.encode(chunk, &rows, select) {
            error = Some(e);
        }
        CsvChunk {
            buffers,
            skipped,
            error,
        }
    };
    let path = output.unwrap_or(Path::new("-"));
    let mut skipped = 0;
    crate::output::atomic::write_atomic(path, |w| {
        let mut header = Vec::new();
        crate::output::csv_record::push_record(&mut header, select.columns());
        w.write_all(&header).map_err(io_err)?;
        crate::analysis::batch::for_each_ordered_chunks(
            |row| raw.read_into(row),
            chunk_rows(rayon::current_num_threads()),
            map,
            |done: CsvChunk<X>| {
                let mut buffers = done.buffers;
                w.write_all(&buffers.bytes).map_err(io_err)?;
                skipped += done.skipped;
                buffers.results.drain(..).for_each(&mut consume);
                pool.put(buffers);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A record is what the csv crate writes for the row padded to the header (short rows
        /// get empty fields) followed by the cells, restricted to the selected columns.
        #[test]
        fn records_are_the_csv_crate_s(
            fields in proptest::collection::vec("[a-z,\"é ]{0,6}", 1..5),
            n_fields in 1usize..6,
            numbers in proptest::collection::vec(-1e6f64..1e6, 0..3),
            picks in proptest::collection::vec(0usize..16, 0..6),
        ) {
            let n_fields = n_fields.max(fields.len());
            let record = csv::StringRecord::from(fields.clone());
            let cells: Vec<Cell> = numbers
                .iter()
                .map(|x| Cell::Number((x * 100.0).round() / 100.0))
                .chain([Cell::Text("Les Glacis, \"Belfort\""), Cell::Null, Cell::Int(7)])
                .collect();
            let names: Vec<String> = (0..n_fields + cells.len()).map(|i| format!("c{i}")).collect();
            let mut wanted: Vec<String> = Vec::new();
            for p in picks {
                let name = format!("c{}", p % names.len());
                if !wanted.contains(&name) {
                    wanted.push(name);
                }
            }
            let select = ColumnSelection::new(&names, &wanted).unwrap();
            let mut ours = Vec::new();
            push_csv_cells(&mut ours, (&record, n_fields), &cells, &select);
            let mut all: Vec<String> = fields.clone();
            all.resize(n_fields, String::new());
            all.extend(cells.iter().map(|c| match c.to_value() {
                Value::Null => String::new(),
                Value::String(s) => s,
                v => v.to_string(),
            }));
            let kept = select.apply(all);
            let mut theirs = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
            theirs.write_record(&kept).unwrap();
            let theirs = theirs.into_inner().unwrap();
            prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
        }
    }

    #[test]
    fn chunks_shrink_with_many_workers() {
        assert_eq!(chunk_rows(2), 65_536);
        assert_eq!(chunk_rows(4), 65_536);
        assert_eq!(chunk_rows(8), 32_768);
        assert_eq!(chunk_rows(64), 8_192);
        // Keys hold a row's index in its chunk.
        assert!(chunk_rows(1) <= 1 << ORDER_INDEX_BITS);
    }

    #[test]
    fn centesimal_numbers_are_spelt_as_json_spells_them() {
        let mut values: Vec<f64> = vec![
            0.0,
            -0.0,
            0.01,
            -0.01,
            0.1,
            5.1,
            728.94,
            1000.0,
            -3.25,
            1e12 + 0.37,
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100_000 {
            crate::test_random::xorshift(&mut x);
            let v = ((x % 2_000_000_000) as f64 - 1e9) * 0.37;
            values.push((v * 100.0).round() / 100.0);
            values.push(v);
        }
        for v in values {
            let mut ours = Vec::new();
            let json = serde_json::Number::from_f64(v).unwrap().to_string();
            if push_centesimal(&mut ours, v) {
                assert_eq!(String::from_utf8(ours).unwrap(), json, "{v}");
            } else {
                assert_ne!(
                    (v * 100.0).round() / 100.0,
                    v,
                    "{v} should take the fast path"
                );
            }
        }
    }
}
