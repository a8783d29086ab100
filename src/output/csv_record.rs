//! Appends CSV records to a byte buffer, byte for byte as the `csv` crate's default writer
//! (comma, `"` doubled inside quotes, a field quoted only when it holds a comma, a quote, CR or
//! LF, `\n` after each record), without its per-field state machine: streamed outputs of tens of
//! millions of rows spend a noticeable share of their time there.

/// True when `field` must be quoted (the `csv` crate's `QuoteStyle::Necessary`).
#[inline]
fn needs_quotes(field: &[u8]) -> bool {
    field
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// Appends one field (without separator).
#[inline]
pub fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    if !needs_quotes(field) {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for &b in field {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Appends a whole record and its terminator. A record made of one empty field is written
/// `""` (else it would read back as an empty line).
///
/// ```
/// let mut out = Vec::new();
/// qpv::output::csv_record::push_record(&mut out, ["1", "Les Glacis, Belfort", "say \"hi\""]);
/// assert_eq!(out, b"1,\"Les Glacis, Belfort\",\"say \"\"hi\"\"\"\n");
/// ```
pub fn push_record<I, T>(out: &mut Vec<u8>, fields: I)
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let start = out.len();
    let mut count = 0;
    for field in fields {
        if count > 0 {
            out.push(b',');
        }
        push_field(out, field.as_ref());
        count += 1;
    }
    if count == 1 && out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_csv_crate(records: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn edge_cases_match_the_csv_crate() {
        let records: Vec<Vec<String>> = [
            vec![""],
            vec!["", ""],
            vec!["a,b", "\"", "x\ny", "x\ry", " lead", "trail ", "é;ü", "#"],
            vec!["6.8503223", "-", "Bougenel - Mulhouse"],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        let mut ours = Vec::new();
        for r in &records {
            push_record(&mut ours, r);
        }
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(with_csv_crate(&records)).unwrap()
        );
    }

    proptest! {
        #[test]
        fn any_records_match_the_csv_crate(
            records in prop::collection::vec(
                prop::collection::vec("[a-c,\"\r\n ;é0-9.]{0,6}|[a-zé ,\"]{7,40}", 1..5), 1..6)
        ) {
            let mut ours = Vec::new();
            for r in &records {
                push_record(&mut ours, r);
            }
            prop_assert_eq!(ours, with_csv_crate(&records));
        }
    }
}
