//! Appends CSV records to a byte buffer, byte for byte as the `csv` crate's default writer
//! (comma, `"` doubled inside quotes, a field quoted only when it holds a comma, a quote, CR or
//! LF, `\n` after each record), without its per-field state machine: streamed outputs of tens of
//! millions of rows spend a noticeable share of their time there.

/// True when `field` must be quoted (the `csv` crate's `QuoteStyle::Necessary`).
#[inline]
fn needs_quotes(field: &[u8]) -> bool {
    // Every byte looked at (no early exit), so that the loop runs on vectors of bytes.
    field
        .iter()
        .fold(false, |q, &b| q | matches!(b, b',' | b'"' | b'\r' | b'\n'))
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

/// A text cell made safe to open in a spreadsheet (OWASP "CSV injection"): a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so that Excel or
/// LibreOffice shows it as text instead of running it as a formula. Numbers (`-12.5`, `+3`,
/// `-1e-3`) are left alone: only text that would be taken for a formula changes.
///
/// ```
/// use qpv::output::csv_record::neutralise_formula;
/// assert_eq!(&*neutralise_formula(b"=cmd|'/c calc'!A1"), b"'=cmd|'/c calc'!A1");
/// assert_eq!(&*neutralise_formula(b"@SUM(A1)"), b"'@SUM(A1)");
/// assert_eq!(&*neutralise_formula(b"-12.5"), b"-12.5");
/// assert_eq!(&*neutralise_formula(b"Belfort"), b"Belfort");
/// assert_eq!(&*neutralise_formula(b"-"), b"-");
/// ```
#[inline]
pub fn neutralise_formula(field: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let risky = matches!(
        field.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    let number = || {
        std::str::from_utf8(field)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(f64::is_finite)
    };
    // A lone sign ("-" for "no value") is no formula.
    if risky && field.len() > 1 && !number() {
        let mut v = Vec::with_capacity(field.len() + 1);
        v.push(b'\'');
        v.extend_from_slice(field);
        std::borrow::Cow::Owned(v)
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

/// Appends one text field (without separator), neutralised with [`neutralise_formula`].
#[inline]
pub fn push_text_field(out: &mut Vec<u8>, field: &[u8]) {
    push_field(out, &neutralise_formula(field));
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
