//! Numbers as a reader of each language expects them (French: `1 234,5 %`, English:
//! `1,234.5 %`), each wrapped in a `data-v` element carrying the value it shows, so that a test
//! can check every number of the page against the JSON.

use super::Lang;

/// `value` with `decimals` decimals and the language's separators.
///
/// ```
/// use qpv::output::report_html::{Lang, format_number};
/// assert_eq!(format_number(63478.5, 0, Lang::En), "63,479");
/// assert_eq!(format_number(1234.56, 1, Lang::Fr), "1\u{202f}234,6");
/// assert_eq!(format_number(-0.01, 1, Lang::Fr), "0,0");
/// ```
pub fn format_number(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    // Half away from zero, as `report_markdown::int` (the formatter alone rounds half to even).
    let scale = 10f64.powi(decimals as i32);
    let text = format!("{:.*}", decimals, (value.abs() * scale).round() / scale);
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    format!("{sign}{}", digits_in(&text, lang))
}

/// Unsigned decimal `digits` (`1234.5`) with the language's separators: the whole part grouped
/// by three (a narrow no-break space in French, a comma in English), a decimal comma in
/// French.
///
/// ```
/// use qpv::output::report_html::{Lang, digits_in};
/// assert_eq!(digits_in("85040.1", Lang::Fr), "85\u{202f}040,1");
/// assert_eq!(digits_in("1234", Lang::En), "1,234");
/// ```
pub fn digits_in(digits: &str, lang: Lang) -> String {
    let (int_part, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let (group, point) = match lang {
        Lang::Fr => ('\u{202f}', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// `x` rounded to a whole number, grouped as a reader of `lang` expects (`1 000` in French,
/// `1,000` in English): in French, `1,000 m` reads as one metre.
///
/// ```
/// use qpv::output::report_html::{Lang, int_in};
/// assert_eq!(int_in(1000.0, Lang::Fr), "1\u{202f}000");
/// assert_eq!(int_in(1000.0, Lang::En), "1,000");
/// ```
pub fn int_in(x: f64, lang: Lang) -> String {
    format_number(x, 0, lang)
}

/// `x` in its shortest form, with a decimal comma in French (`0,68`).
///
/// ```
/// use qpv::output::report_html::{Lang, decimal_in};
/// assert_eq!(decimal_in(0.68, Lang::Fr), "0,68");
/// assert_eq!(decimal_in(0.68, Lang::En), "0.68");
/// ```
pub fn decimal_in(x: f64, lang: Lang) -> String {
    let text = x.to_string();
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// `part / whole` as a percentage with one decimal in plain text, as a reader of `lang`
/// expects (`22,6 %` with a no-break space in French, `22.6 %` in English); `–` when `whole`
/// is not positive.
///
/// ```
/// use qpv::output::report_html::{Lang, share_text};
/// assert_eq!(share_text(1.0, 4.0, Lang::Fr), "25,0\u{a0}%");
/// assert_eq!(share_text(1.0, 4.0, Lang::En), "25.0 %");
/// assert_eq!(share_text(1.0, 0.0, Lang::En), "–");
/// ```
pub fn share_text(part: f64, whole: f64, lang: Lang) -> String {
    if whole > 0.0 {
        let space = if lang == Lang::Fr { "\u{a0}" } else { " " };
        format!("{}{space}%", format_number(100.0 * part / whole, 1, lang))
    } else {
        "–".into()
    }
}

/// A number shown with `decimals` decimals inside `<span data-v="value">`.
pub fn number_html(value: f64, decimals: usize, lang: Lang, tag: &str) -> String {
    format!(
        "<{tag} class=\"n\" data-v=\"{value}\">{}</{tag}>",
        format_number(value, decimals, lang)
    )
}

/// A share 0–1 shown as a percentage with one decimal (`data-v` keeps the share).
pub fn share_html(value: f64, lang: Lang, tag: &str) -> String {
    format!(
        "<{tag} class=\"n\" data-v=\"{value}\" data-scale=\"100\">{}\u{a0}%</{tag}>",
        format_number(100.0 * value, 1, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_per_language() {
        assert_eq!(
            format_number(1_000_000.0, 0, Lang::Fr),
            "1\u{202f}000\u{202f}000"
        );
        assert_eq!(format_number(999.96, 1, Lang::En), "1,000.0");
        assert_eq!(format_number(-1234.0, 0, Lang::En), "-1,234");
        assert_eq!(format_number(f64::NAN, 0, Lang::En), "–");
        assert_eq!(
            share_html(0.25, Lang::Fr, "span"),
            "<span class=\"n\" data-v=\"0.25\" data-scale=\"100\">25,0\u{a0}%</span>"
        );
    }
}
