//! French address normalisation: the same function is applied to the reference and to the
//! queries, so that `13 bis, R. de la République` and `13BIS RUE REPUBLIQUE` meet on one key.
//!
//! Rules, in order:
//! 1. lower case; accents folded (`é` → `e`, `œ` → `oe`); anything that is not a letter or a
//!    digit (apostrophes, hyphens, dots, commas, `°`) becomes a space;
//! 2. abbreviations expanded: street types only as the first word (`r` → `rue`, `av` → `avenue`,
//!    `bd`/`bld` → `boulevard`, `che` → `chemin`, `imp` → `impasse`, `pl` → `place`, `rte` →
//!    `route`, `fg`/`fbg` → `faubourg`, …), titles anywhere (`st` → `saint`, `ste` → `sainte`,
//!    `gal` → `general`, `mal` → `marechal`, `dr` → `docteur`, …);
//! 3. articles dropped (`le la les l de du des d au aux`), so `rue de la Paix` = `rue Paix`.
//!
//! The key of a street keeps its type (`rue danton`); its *core* drops the leading type
//! (`danton`), for queries that omit or change the type.

pub use crate::model::text::fold;

/// Street-type abbreviations. Short or ambiguous ones (`r`, `pl`, `ch`, `all`…) are expanded
/// only in first position (`r` is `rue` there, but an initial elsewhere: `Rue R. Schuman`);
/// unmistakable ones (`av`, `bd`, `fbg`, `imp`, `rte`…) anywhere (`Rue du Fbg de France`).
fn expand_type(word: &str, first: bool) -> Option<&'static str> {
    let anywhere = match word {
        "av" | "ave" | "aven" | "avn" => Some("avenue"),
        "bd" | "bld" | "bvd" | "blvd" | "boul" => Some("boulevard"),
        "chem" | "chm" => Some("chemin"),
        "imp" | "impas" => Some("impasse"),
        "rte" => Some("route"),
        "fg" | "fbg" | "faub" => Some("faubourg"),
        "sq" => Some("square"),
        "qrt" | "quart" => Some("quartier"),
        "lotis" | "lotiss" => Some("lotissement"),
        "resid" => Some("residence"),
        "espl" => Some("esplanade"),
        _ => None,
    };
    if anywhere.is_some() || !first {
        return anywhere;
    }
    Some(match word {
        "r" | "ru" => "rue",
        "bl" => "boulevard",
        "che" | "ch" => "chemin",
        "pl" | "plc" => "place",
        "rt" => "route",
        "fb" => "faubourg",
        "all" | "al" | "alle" => "allee",
        "crs" => "cours",
        "qua" => "quartier",
        "lot" => "lotissement",
        "res" => "residence",
        "pass" | "pas" => "passage",
        "prom" | "pro" => "promenade",
        "sent" | "sen" => "sentier",
        "ham" => "hameau",
        "esp" => "esplanade",
        "rle" => "ruelle",
        "vla" => "villa",
        "cit" => "cite",
        _ => return None,
    })
}

/// Abbreviations expanded wherever they stand.
fn expand_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "st" => "saint",
        "ste" => "sainte",
        "sts" => "saints",
        "gal" | "gen" | "gl" | "genl" => "general",
        "mal" | "mar" | "mchl" | "marech" => "marechal",
        "pdt" | "presid" => "president",
        "dr" | "doct" => "docteur",
        "cdt" | "cmdt" | "comm" => "commandant",
        "cne" | "capt" | "cpt" => "capitaine",
        "lt" | "lieut" => "lieutenant",
        "prof" | "pr" => "professeur",
        "mgr" => "monseigneur",
        "gde" => "grande",
        "gd" => "grand",
        "pte" => "petite",
        "pt" => "petit",
        "vx" => "vieux",
        "nd" => "notre dame",
        _ => return None,
    })
}

/// Words dropped from keys.
fn is_article(word: &str) -> bool {
    matches!(
        word,
        "le" | "la" | "les" | "l" | "de" | "du" | "des" | "d" | "au" | "aux"
    )
}

/// Street types recognised as the first word of a key (after expansion).
pub fn is_street_type(word: &str) -> bool {
    matches!(
        word,
        "rue"
            | "avenue"
            | "boulevard"
            | "chemin"
            | "impasse"
            | "place"
            | "route"
            | "faubourg"
            | "allee"
            | "square"
            | "cours"
            | "quartier"
            | "lotissement"
            | "residence"
            | "passage"
            | "promenade"
            | "sentier"
            | "hameau"
            | "esplanade"
            | "ruelle"
            | "venelle"
            | "villa"
            | "cite"
            | "quai"
            | "voie"
            | "clos"
            | "domaine"
            | "parvis"
            | "rond"
            | "chaussee"
            | "traverse"
            | "montee"
            | "sente"
    )
}

/// True for words that only make sense as a street type abbreviation or type (used to tell a
/// repetition letter from `r` = rue after a number).
pub fn is_type_word(word: &str) -> bool {
    is_street_type(word) || expand_type(word, true).is_some()
}

/// A street key and its core (key without the leading street type).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StreetKey {
    /// Normalised words joined by single spaces, type included (`rue danton`).
    pub key: String,
    /// The key without its leading street type (`danton`); equal to `key` when there is none.
    pub core: String,
    /// Whether the key starts with a street type.
    pub typed: bool,
}

impl StreetKey {
    /// True when the key holds no name (empty, or a street type alone).
    pub fn is_empty(&self) -> bool {
        self.core.is_empty()
    }
}

/// The key of a street from already [`fold`]ed words.
///
/// ```
/// use qpv::geocode::normalize::{fold, street_key_from_words};
/// let f = fold("Av. du Mal de Lattre de Tassigny");
/// let k = street_key_from_words(f.split(' '));
/// assert_eq!(k.key, "avenue marechal lattre tassigny");
/// assert_eq!(k.core, "marechal lattre tassigny");
/// ```
pub fn street_key_from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> StreetKey {
    let mut key = String::with_capacity(32);
    let mut core_start = 0;
    let mut typed = false;
    for (i, w) in words.into_iter().filter(|w| !w.is_empty()).enumerate() {
        let expanded = expand_type(w, i == 0)
            .or_else(|| expand_word(w))
            .unwrap_or(w);
        if is_article(expanded) {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(expanded);
        if i == 0 && is_street_type(expanded) {
            typed = true;
            core_start = key.len();
        }
    }
    let core = if typed {
        key[core_start..].trim_start().to_string()
    } else {
        key.clone()
    };
    StreetKey { key, core, typed }
}

/// The key of a street name as written.
///
/// ```
/// use qpv::geocode::normalize::street_key;
/// assert_eq!(street_key("Faubourg de Montbéliard").key, street_key("FBG MONTBELIARD").key);
/// assert_eq!(street_key("Rue du Général Leclerc").key, "rue general leclerc");
/// ```
pub fn street_key(name: &str) -> StreetKey {
    let f = fold(name);
    street_key_from_words(f.split(' '))
}

/// The key of a commune name: folded, `st`/`ste` expanded, articles kept (they tell
/// `Le Puy` from `Puy`), so `ST-GERMAIN-LE-CHATELET` = `Saint-Germain-le-Châtelet`.
pub fn commune_key(name: &str) -> String {
    let f = fold(name);
    commune_key_from_words(f.split(' '))
}

/// [`commune_key`] from already folded words.
pub fn commune_key_from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::with_capacity(16);
    for w in words.into_iter().filter(|w| !w.is_empty()) {
        let w = match w {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A house number with its repetition index (`13`, `13 BIS`, `2 A`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HouseNumber {
    /// The number.
    pub number: u32,
    /// Canonical repetition index in upper case (`BIS`, `TER`, `QUATER`, `A`, …); empty when none.
    pub rep: String,
}

impl std::fmt::Display for HouseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.rep.is_empty() {
            write!(f, "{}", self.number)
        } else {
            write!(f, "{} {}", self.number, self.rep.to_lowercase())
        }
    }
}

/// Canonical spelling of a repetition index: upper case, accents and spaces removed, the long
/// forms `BIS`, `TER`, `QUATER`, `QUINQUIES` kept as they are (`B` stays `B`: the reference may
/// hold both `4B` and `4BIS` as distinct numbers; [`rep_alias`] links them for matching).
pub fn canonical_rep(text: &str) -> String {
    fold(text).replace(' ', "").to_ascii_uppercase()
}

/// The other usual spelling of a repetition index (`B` ↔ `BIS`, `T` ↔ `TER`, `Q` ↔ `QUATER`).
pub fn rep_alias(rep: &str) -> Option<&'static str> {
    Some(match rep {
        "B" => "BIS",
        "BIS" => "B",
        "T" => "TER",
        "TER" => "T",
        "Q" => "QUATER",
        "QUATER" => "Q",
        _ => return None,
    })
}

/// Whether a folded word is a repetition index when it follows a house number.
pub fn is_rep_word(word: &str) -> bool {
    matches!(word, "bis" | "ter" | "quater" | "quinquies")
        || (word.len() == 1 && word.as_bytes()[0].is_ascii_lowercase() && !is_type_word(word))
}

/// Parses a house number as a reference or a column holds it: `12`, `12BIS`, `12 bis`, `2A`,
/// `n° 4`, `12-14` (the first). `None` when there is no leading number.
///
/// ```
/// use qpv::geocode::normalize::parse_house_number;
/// let n = parse_house_number("12 bis").unwrap();
/// assert_eq!((n.number, n.rep.as_str()), (12, "BIS"));
/// assert_eq!(parse_house_number("2A").unwrap().rep, "A");
/// assert_eq!(parse_house_number("rue"), None);
/// ```
pub fn parse_house_number(text: &str) -> Option<HouseNumber> {
    let f = fold(text);
    let mut words = f.split(' ').filter(|w| !w.is_empty()).peekable();
    if let Some(&w) = words.peek()
        && matches!(w, "n" | "no" | "num" | "numero")
    {
        words.next();
    }
    let first = words.next()?;
    let (number, suffix) = split_number(first)?;
    let rep = if !suffix.is_empty() {
        suffix.to_ascii_uppercase()
    } else {
        match words.next() {
            Some(w) if w.bytes().all(|b| b.is_ascii_alphabetic()) && w.len() <= 9 => {
                w.to_ascii_uppercase()
            }
            _ => String::new(),
        }
    };
    Some(HouseNumber { number, rep })
}

/// Splits `12bis` into (12, "bis"); `None` without leading digits or with more than 5 digits.
pub fn split_number(word: &str) -> Option<(u32, &str)> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let number = word[..digits].parse().ok()?;
    Some((number, &word[digits..]))
}

/// Bounded edit distance over bytes (optimal string alignment: insertions, deletions,
/// substitutions and transpositions of two neighbouring letters cost 1): `None` above `max`.
///
/// ```
/// use qpv::geocode::normalize::edit_distance;
/// assert_eq!(edit_distance("rue danton", "rue dnaton", 2), Some(1));
/// assert_eq!(edit_distance("rue danton", "rue victor hugo", 2), None);
/// ```
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    if a == b {
        return Some(0);
    }
    let w = b.len() + 1;
    // Three rows: i-2, i-1, i; on the stack for the usual short keys.
    let mut stack = [0u16; 3 * 64];
    let mut heap = Vec::new();
    let rows: &mut [u16] = if 3 * w <= stack.len() {
        &mut stack[..3 * w]
    } else {
        heap.resize(3 * w, 0u16);
        &mut heap
    };
    if a.len() >= u16::MAX as usize || b.len() >= u16::MAX as usize {
        return None;
    }
    let max16 = max.min(u16::MAX as usize - 1) as u16;
    for (j, v) in rows[w..2 * w].iter_mut().enumerate() {
        *v = j as u16;
    }
    for i in 1..=a.len() {
        let (older, rest) = rows.split_at_mut(w);
        let (prev, cur) = rest.split_at_mut(w);
        cur[0] = i as u16;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = u16::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(older[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max16 {
            return None;
        }
        rows.rotate_left(w);
    }
    // After the rotation the last row computed sits in the middle third.
    let d = rows[w + b.len()] as usize;
    (d <= max).then_some(d)
}

/// The set of letters and digits of a key as bits: two keys within edit distance `d` differ
/// in at most `2·d` bits, a cheap filter before [`edit_distance`].
pub fn letter_mask(key: &str) -> u64 {
    key.bytes().fold(0, |m, b| {
        m | match b {
            b'a'..=b'z' => 1 << (b - b'a'),
            b'0'..=b'9' => 1 << (26 + b - b'0'),
            b' ' => 0,
            _ => 1 << 36,
        }
    })
}

/// The typo budget of a key of `len` bytes: 1 up to 10, 2 up to 20, 3 beyond; keys under 4
/// bytes must match exactly (too many short names are one letter apart).
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=10 => 1,
        11..=20 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_articles_and_accents_meet() {
        let full = street_key("Rue du Faubourg de Montbéliard").key;
        assert_eq!(full, "rue faubourg montbeliard");
        assert_eq!(street_key("r. du fbg de montbeliard").key, full);
        assert_eq!(
            street_key("Boulevard Kennedy").key,
            street_key("BLD KENNEDY").key
        );
        assert_eq!(
            street_key("Avenue Jean-Jaurès").key,
            street_key("av jean jaures").key
        );
        assert_eq!(
            street_key("Place d'Armes").key,
            street_key("PL. D ARMES").key
        );
        assert_eq!(
            street_key("Rue de Sainte-Odile").key,
            street_key("rue ste odile").key
        );
        // `r` is `rue` only in first position.
        assert_eq!(street_key("Rue R Schuman").key, "rue r schuman");
        assert_eq!(street_key("Grande Rue").core, "grande rue");
        assert!(!street_key("Grande Rue").typed);
        assert!(street_key("Rue").is_empty());
    }

    #[test]
    fn house_numbers() {
        let p = |s| parse_house_number(s).map(|n| (n.number, n.rep));
        assert_eq!(p("13"), Some((13, String::new())));
        assert_eq!(p("13BIS"), Some((13, "BIS".into())));
        assert_eq!(p("13 ter"), Some((13, "TER".into())));
        assert_eq!(p("N° 7"), Some((7, String::new())));
        assert_eq!(p("12-14"), Some((12, String::new())));
        assert_eq!(p(""), None);
        assert_eq!(p("bis"), None);
        assert_eq!(rep_alias("B"), Some("BIS"));
        assert_eq!(canonical_rep(" bis "), "BIS");
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("belfort", "belfrot", 2), Some(1));
        assert_eq!(edit_distance("ca", "abc", 3), Some(3));
        assert_eq!(edit_distance("belfort", "belfor", 1), Some(1));
        assert_eq!(edit_distance("abc", "xyz", 2), None);
        assert_eq!(edit_distance("", "ab", 2), Some(2));
    }
}
