//! A table read on a second thread: one thread reads the rows (file, line guards, encoding,
//! CSV fields) and runs a per-row `parse` on them, in batches; the calling thread gets the rows
//! and what `parse` made of them in file order, with the reading error (if any) after the last
//! row before it, exactly where a plain loop over [`TableReader`] would meet it. The CSV
//! reading and the checks of the rows thus run side by side on two cores.
//!
//! # Examples
//!
//! ```
//! use std::path::Path;
//! use qpv::io::row_batches::for_each_row;
//! use qpv::io::table::{TableOptions, TableReader};
//! let table = TableReader::from_bytes(Path::new("t.csv"), b"n\n1\n2\n3\n".to_vec(),
//!     &TableOptions::default()).unwrap();
//! let mut seen = Vec::new();
//! for_each_row(table, |r| r[0].parse::<u32>().unwrap() * 10, |line, r, n| {
//!     seen.push((line, r[0].to_string(), n));
//!     Ok(())
//! }).unwrap();
//! assert_eq!(seen, [(2, "1".into(), 10), (3, "2".into(), 20), (4, "3".into(), 30)]);
//! ```

use std::sync::mpsc::{channel, sync_channel};

use csv::StringRecord;

use super::table::TableReader;
use crate::error::{Error, Result};

/// Reads up to `chunk` rows into `buffer` with `read` (reusing the rows already there; `read`
/// gives `None` at the end); the count read, and the error that stopped reading early, if any.
///
/// ```
/// use qpv::io::row_batches::refill;
/// let mut input = 0..5u32;
/// let mut read = |x: &mut u32| input.next().map(|v| { *x = v; Ok::<_, String>(()) });
/// let mut buffer = Vec::new();
/// assert_eq!(refill(&mut read, &mut buffer, 3), (3, None));
/// assert_eq!(refill(&mut read, &mut buffer, 3), (2, None));
/// assert_eq!(buffer[..2], [3, 4]);
/// ```
pub fn refill<T: Default, E>(
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

/// Rows per batch: large enough that the hand-over costs nothing per row, small enough that
/// the batches in flight hold a few megabytes.
const BATCH_ROWS: usize = 4096;

/// Batches read ahead of the calling thread.
const BATCHES_AHEAD: usize = 4;

/// Rows read together, their records reused from batch to batch.
struct Batch<T> {
    lines: Vec<u64>,
    records: Vec<StringRecord>,
    parsed: Vec<T>,
    /// The reading error met after these rows, if any (the end of the table).
    error: Option<Error>,
}

impl<T> Batch<T> {
    fn new() -> Self {
        Batch {
            lines: Vec::with_capacity(BATCH_ROWS),
            records: Vec::with_capacity(BATCH_ROWS),
            parsed: Vec::with_capacity(BATCH_ROWS),
            error: None,
        }
    }

    /// Fills the batch from `table`; `true` when the table has more rows after it.
    fn fill(&mut self, table: &mut TableReader, parse: &impl Fn(&StringRecord) -> T) -> bool {
        self.lines.clear();
        self.parsed.clear();
        while self.lines.len() < BATCH_ROWS {
            let i = self.lines.len();
            if self.records.len() == i {
                self.records.push(StringRecord::new());
            }
            match table.read_into(&mut self.records[i]) {
                None => return false,
                Some(Err(e)) => {
                    self.error = Some(e);
                    return false;
                }
                Some(Ok(line)) => {
                    self.parsed.push(parse(&self.records[i]));
                    self.lines.push(line);
                }
            }
        }
        true
    }
}

/// Reads every row of `table` on a second thread, calls `parse` on each there, and `handle`
/// on each row with its line number and what `parse` gave, in file order, on this thread.
/// The first error of `handle` stops the reading and is returned; a reading error is returned
/// after `handle` has seen every row before it.
pub fn for_each_row<T: Send>(
    table: TableReader,
    parse: impl Fn(&StringRecord) -> T + Send,
    mut handle: impl FnMut(u64, &StringRecord, T) -> Result<()>,
) -> Result<()> {
    std::thread::scope(|scope| {
        let (full, filled) = sync_channel::<Batch<T>>(BATCHES_AHEAD);
        let (empty, emptied) = channel::<Batch<T>>();
        scope.spawn(move || {
            let mut table = table;
            loop {
                let mut batch = emptied.try_recv().unwrap_or_else(|_| Batch::new());
                let more = batch.fill(&mut table, &parse);
                // A closed channel: the calling thread stopped (an error); stop reading too.
                if full.send(batch).is_err() || !more {
                    break;
                }
            }
        });
        for mut batch in filled {
            for (i, parsed) in batch.parsed.drain(..).enumerate() {
                handle(batch.lines[i], &batch.records[i], parsed)?;
            }
            if let Some(e) = batch.error.take() {
                return Err(e);
            }
            // The reader may have finished already: then the batch is simply dropped.
            let _ = empty.send(batch);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use crate::io::table::TableOptions;
    use std::path::Path;

    fn table(bytes: &[u8]) -> TableReader {
        TableReader::from_bytes(Path::new("t.csv"), bytes.to_vec(), &TableOptions::default())
            .unwrap()
    }

    type Rows = (Vec<(u64, Vec<String>)>, Option<String>);

    /// Oracle: the plain loop over the reader.
    fn plain(bytes: &[u8]) -> Rows {
        let mut rows = Vec::new();
        for row in table(bytes) {
            match row {
                Ok(r) => rows.push((r.line, r.fields.iter().map(String::from).collect())),
                Err(e) => return (rows, Some(e.to_string())),
            }
        }
        (rows, None)
    }

    fn batched(bytes: &[u8]) -> Rows {
        let mut rows = Vec::new();
        let r = for_each_row(
            table(bytes),
            |r| r.iter().map(String::from).collect::<Vec<_>>(),
            |line, _, fields| {
                rows.push((line, fields));
                Ok(())
            },
        );
        (rows, r.err().map(|e| e.to_string()))
    }

    #[test]
    fn many_batches_in_file_order() {
        let mut text = String::from("a,b\n");
        for i in 0..(3 * BATCH_ROWS + 17) {
            text.push_str(&format!("{i},\"x\ny\"\n"));
        }
        let (rows, error) = batched(text.as_bytes());
        assert_eq!((rows.len(), error.clone()), (3 * BATCH_ROWS + 17, None));
        assert_eq!((rows, error), plain(text.as_bytes()));
    }

    #[test]
    fn a_reading_error_comes_after_the_rows_before_it() {
        // Line 3 is UTF-8 (é), line 4 Latin-1 (é): the reader stops at line 4.
        let mut bytes = b"a\nx\n\xc3\xa9\n\xe9\n".to_vec();
        for i in 0..(2 * BATCH_ROWS) {
            bytes.extend(format!("{i}\n").as_bytes());
        }
        let (rows, error) = batched(&bytes);
        assert_eq!(rows.len(), 2);
        assert!(error.as_deref().unwrap().contains("line 4"), "{error:?}");
        assert_eq!((rows, error), plain(&bytes));
    }

    #[test]
    fn an_error_of_the_handler_stops_the_reading() {
        let mut text = String::from("a\n");
        for i in 0..(10 * BATCH_ROWS) {
            text.push_str(&format!("{i}\n"));
        }
        let mut seen = 0;
        let r = for_each_row(
            table(text.as_bytes()),
            |_| (),
            |line, _, ()| {
                seen += 1;
                if line == 5 {
                    return Err(Error::input(
                        Path::new("t.csv"),
                        Location::Line(5),
                        "stop",
                        "",
                    ));
                }
                Ok(())
            },
        );
        assert!(r.is_err());
        assert_eq!(seen, 4);
    }
}
