//! Text folding shared by every layer that compares French names: category keys, street names,
//! column headers. Foundation code: no I/O, no imports from the rest of the crate.

/// Lower case, accents folded, every non-alphanumeric character replaced by one space, trimmed.
///
/// ```
/// use qpv::model::text::fold;
/// assert_eq!(fold("Grand'Rue  de l'Œuvre-Saint-Éloi"), "grand rue de l oeuvre saint eloi");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
            continue;
        }
        if c.is_ascii() || !c.is_alphanumeric() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                'ß' => out.push_str("ss"),
                other => out.push(fold_accent(other)),
            }
        }
        space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Folds the accented Latin letters used in French to their base letter.
///
/// ```
/// use qpv::model::text::fold_accent;
/// assert_eq!(fold_accent('é'), 'e');
/// assert_eq!(fold_accent('Z'), 'Z');
/// ```
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
        'ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ÿ' | 'ý' => 'y',
        'ñ' => 'n',
        'œ' => 'o',
        'æ' => 'a',
        other => other,
    }
}
