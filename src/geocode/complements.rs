//! Address complements removed before matching, wherever they stand in the text: building
//! (`bâtiment`, `bât`, `bat`, `immeuble`), staircase (`escalier`, `esc`), floor (`3e étage`,
//! `étage 2`, `rdc`), flat (`appartement`, `appt`, `apt`, `logement`), door (`porte 5`),
//! entrance (`entrée B`), residence (`Résidence Les Lilas`, unless it follows a house number:
//! then it is the street), `chez` / `c/o` + a name, `BP` / `CS` / `TSA` + number, `CEDEX` +
//! number, the `lieu-dit` keyword (its name is kept: BANO lists lieux-dits as streets), `N°`
//! and any parenthesised text.
//!
//! The numbers of complements are dropped with them, so they are never read as the house
//! number (`Apt 30 23 R. de la Hardt` keeps `23`). The text is cut into segments at commas,
//! semicolons, parentheses and spaced dashes (`BP 20 - 7 rue…`): the name of a residence or
//! of a person runs to the next number, street type or segment end.
//!
//! ```
//! use qpv::geocode::complements::strip_complements;
//! assert_eq!(strip_complements("Apt 30 23 R. de la Hardt"), "23 r de la hardt");
//! assert_eq!(strip_complements("BP 20 - 7 rue du Barcot"), "7 rue du barcot");
//! assert_eq!(
//!     strip_complements("Chez M. Dupont, Bât. C, 12 rue Danton (au fond) 90000 Belfort Cedex 9"),
//!     "12 rue danton 90000 belfort"
//! );
//! ```

use super::normalize::{fold, is_street_type};

/// The folded words of `text` ([`fold`]) without its complements, joined by single spaces.
pub fn strip_complements(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_segment(text, |segment| {
        let folded = fold(segment);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut i = 0;
        while i < words.len() {
            let skip = complement_len(&words, i);
            if skip > 0 {
                i += skip;
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(words[i]);
            i += 1;
        }
    });
    out
}

/// Calls `f` with each segment of `text`: cut at `,` `;` `|` line ends, parentheses and
/// dashes that follow a space; parenthesised (or bracketed) text is left out.
fn for_each_segment(text: &str, mut f: impl FnMut(&str)) {
    let mut depth = 0usize;
    let mut start = 0;
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        let cut = matches!(c, '(' | '[' | ')' | ']' | ',' | ';' | '|' | '\n' | '\r')
            || (matches!(c, '-' | '–' | '—') && previous == ' ');
        if cut {
            if depth == 0 {
                f(&text[start..at]);
            }
            start = at + c.len_utf8();
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    if depth == 0 {
        f(&text[start..]);
    }
}

/// Articles: a keyword after one is part of a name (`Rue de la Résidence`).
fn is_article(w: &str) -> bool {
    matches!(
        w,
        "le" | "la" | "les" | "l" | "de" | "du" | "des" | "d" | "au" | "aux"
    )
}

/// A short code after a complement keyword: a number (`12`, `3e`, `1er`, `B2`) or one or two
/// letters (`C`, `AB`).
fn is_code(w: &str) -> bool {
    w.as_bytes()[0].is_ascii_digit()
        || (w.len() <= 2 && !is_article(w))
        || (w.len() <= 4 && w.bytes().any(|b| b.is_ascii_digit()))
}

/// An ordinal: `1er`, `2e`, `3eme`, `2nd`.
fn is_ordinal(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && matches!(
            &w[digits..],
            "e" | "er" | "eme" | "ere" | "nd" | "nde" | "em"
        )
}

/// Words that end the name of a residence or a person: a number, a street type.
fn ends_name(w: &str) -> bool {
    w.as_bytes()[0].is_ascii_digit()
        || is_street_type(w)
        || matches!(
            w,
            "r" | "av" | "bd" | "bld" | "imp" | "rte" | "pl" | "fg" | "fbg" | "che" | "chem"
        )
}

/// Words from `start` up to (not including) the next [`ends_name`] word.
fn name_len(words: &[&str], start: usize) -> usize {
    words[start..]
        .iter()
        .position(|w| ends_name(w))
        .unwrap_or(words.len() - start)
}

/// How many words of the complement starting at `words[i]` to drop (0: not a complement).
fn complement_len(words: &[&str], i: usize) -> usize {
    let w = words[i];
    if i > 0 && is_article(words[i - 1]) {
        return 0;
    }
    let next = words.get(i + 1).copied();
    let code_after = |k: usize| -> usize {
        match words.get(k).copied() {
            Some("n" | "no" | "num") if words.get(k + 1).is_some_and(|x| is_code(x)) => 2,
            Some(x) if is_code(x) => 1,
            _ => 0,
        }
    };
    match w {
        "bat" | "batiment" | "bt" | "imm" | "immeuble" | "residence" | "res" | "resid" => {
            let after_number = i > 0 && words[i - 1].as_bytes()[0].is_ascii_digit();
            if matches!(w, "residence" | "res" | "resid") && after_number {
                return 0;
            }
            match code_after(i + 1) {
                0 => 1 + name_len(words, i + 1),
                n => 1 + n,
            }
        }
        "esc" | "escalier" | "appt" | "apt" | "app" | "appart" | "appartement" | "apprt"
        | "logement" | "lgt" | "log" | "bp" | "cs" | "tsa" | "cedex" | "rdc" | "ld" | "lieudit" => {
            1 + code_after(i + 1)
        }
        "porte" | "etage" | "etg" | "entree" | "hall" | "bloc" => match code_after(i + 1) {
            0 => 0,
            n => 1 + n,
        },
        "lieu" if next == Some("dit") => 2,
        "chez" => 1 + name_len(words, i + 1),
        "c" if next == Some("o") => 2 + name_len(words, i + 2),
        "n" | "no" | "numero" if next.is_some_and(|x| x.as_bytes()[0].is_ascii_digit()) => 1,
        _ if is_ordinal(w) && matches!(next, Some("etage" | "etg")) => 2,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::strip_complements as s;

    #[test]
    fn the_cases_of_issue_12() {
        // Complement numbers before the house number.
        assert_eq!(s("Apt 30 23 R. de la Hardt"), "23 r de la hardt");
        assert_eq!(s("BP 20 - 7 rue du Barcot"), "7 rue du barcot");
        assert_eq!(s("CS 10123 12 rue Danton"), "12 rue danton");
        assert_eq!(s("TSA 40001, 12 rue Danton"), "12 rue danton");
        assert_eq!(s("Appt 12 Bât. C 4 rue de Madrid"), "4 rue de madrid");
        assert_eq!(s("Esc. 3, 3e étage, 4 rue de Madrid"), "4 rue de madrid");
        assert_eq!(s("Appartement n° 5 4 rue de Madrid"), "4 rue de madrid");
        // Between the street and the postcode.
        assert_eq!(
            s("12 rue Danton Bât C 90000 Belfort"),
            "12 rue danton 90000 belfort"
        );
        assert_eq!(
            s("12 rue Danton Résidence Les Lilas 90000 Belfort"),
            "12 rue danton 90000 belfort"
        );
        assert_eq!(
            s("12 rue Danton chez M. Dupont 90000 BELFORT CEDEX 9"),
            "12 rue danton 90000 belfort"
        );
        assert_eq!(
            s("12 rue Danton, Etage 2, Porte 5, 90000 Belfort"),
            "12 rue danton 90000 belfort"
        );
        // Before the number, with names.
        assert_eq!(s("Résidence Les Glycines 12 rue Danton"), "12 rue danton");
        assert_eq!(s("c/o Mme Martin, 12 rue Danton"), "12 rue danton");
        assert_eq!(s("Chez Paul Martin rue Danton"), "rue danton");
        assert_eq!(s("Bâtiment Les Tilleuls 12 rue Danton"), "12 rue danton");
        // Lieu-dit: the keyword goes, the name stays; N° goes.
        assert_eq!(s("Lieu-dit Le Mont 90300"), "le mont 90300");
        assert_eq!(s("N° 7 rue X"), "7 rue x");
        // Parenthesised text, closed or not.
        assert_eq!(
            s("12 rue Danton (2e étage) Belfort"),
            "12 rue danton belfort"
        );
        assert_eq!(s("12 rue Danton (porte B"), "12 rue danton");
        // What is not a complement stays.
        assert_eq!(s("12 Résidence du Parc"), "12 residence du parc");
        assert_eq!(s("3 Porte de France"), "3 porte de france");
        assert_eq!(s("13 bis, rue Danton"), "13 bis rue danton");
        assert_eq!(s("12-14 av Jean Jaurès"), "12 14 av jean jaures");
        assert_eq!(s("Rue du 8 Mai 1945"), "rue du 8 mai 1945");
        assert_eq!(s("2 rue de la Résidence"), "2 rue de la residence");
        assert_eq!(s("1 Porte d'Alsace"), "1 porte d alsace");
    }
}
