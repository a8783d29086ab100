//! Matching one address against the index: parse the text, find the commune, the street
//! (exact key, then key without its type, then typos), then place the number.
//!
//! **Score** (0–1) says how sure the *text match* is; **precision** says what the position
//! stands for. The score is the product of:
//! - street: 1 exact key; 0.9 when the query omits the street type (`12 Danton`); 0.8 when it
//!   names another type (`avenue` for `rue`); a typo costs 0.15 per edit (`1 − 0.15·d`, or
//!   `0.8 − 0.15·d` on the name without its type), within 1 edit up to 10 letters, 2 up to 20,
//!   3 beyond (a swap of two neighbouring letters is one edit); 0.75 when words are left out
//!   (`rue Foltz` for `Rue du Général Foltz`: every word of the query in the name, in a named
//!   commune or postcode, one street only);
//! - locality: 1 for a known commune or postcode; 0.95 when they disagree (the commune wins);
//!   `1 − 0.1·d` for a misspelt commune; 0.9 when neither is given (the street must then be
//!   unique, or the number must exist in only one of the communes that have it); 0.8 when an
//!   unknown commune is replaced by its postcode;
//! - number: see [`super::interpolate`] (1 exact, 0.95 / 0.9 / 0.85 for looser repetition
//!   indexes; interpolated and street positions keep 1: their precision already says it).
//!
//! Ambiguities are never settled by chance: a street found in two communes that both hold the
//! number, or two different streets at the same typo distance, is `not_found` with the
//! candidates in the reason.

use geo::Coord;
use serde::Serialize;

use super::complements::strip_complements;
use super::index::AddressIndex;
use super::interpolate::{Placement, place};
use super::normalize::{
    HouseNumber, StreetKey, canonical_rep, commune_key_from_words, edit_distance, fold,
    is_rep_word, is_type_word, letter_mask, parse_house_number, split_number,
    street_key_from_words, typo_budget,
};

/// How far (km, between the centres of their address points) a commune may be from the one
/// given to be searched as a neighbour when the street is not in the given one.
///
/// Distance rather than commune adjacency: centres exist for every commune of any reference,
/// whereas the embedded outlines cover 52 of the 101 communes of BANO 90 and a `--reference`
/// file of another territory has none; on those 52, every pair of touching communes is within
/// 6 km (123 pairs, the farthest 5.4 km apart: `tests/geocode_neighbours.rs`).
pub const NEIGHBOUR_KM: f64 = 6.0;

/// What [`AddressIndex`]'s fallback says of a street found in a neighbouring commune.
const NEIGHBOURING: &str = "a neighbouring commune";
/// What [`AddressIndex`]'s fallback says of a street found further in the département.
const DEPARTEMENT: &str = "elsewhere in the département";

/// What a geocoded position stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// The address point of the number (and repetition index) on the matched street.
    Housenumber,
    /// A number missing from the reference, placed between its same-parity neighbours.
    Interpolated,
    /// A point on the street (its median address point), or any answer whose street was
    /// found only elsewhere in the département than the commune given.
    Street,
    /// Nothing was matched; see the reason.
    NotFound,
}

impl Precision {
    /// True for positions that stand for a number missing from the reference (`interpolated`,
    /// `street`): worth a check when they fall near a boundary.
    pub fn is_approximate(self) -> bool {
        matches!(self, Precision::Interpolated | Precision::Street)
    }

    /// `housenumber`, `interpolated`, `street` or `not_found`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Housenumber => "housenumber",
            Precision::Interpolated => "interpolated",
            Precision::Street => "street",
            Precision::NotFound => "not_found",
        }
    }
}

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One address to geocode: free text, or parts, or both (parts win over what the text says).
/// Empty strings mean "not given".
#[derive(Debug, Clone, Copy, Default)]
pub struct AddressQuery<'a> {
    /// Full address or address line (`13 rue Danton, 90000 Belfort`, `13 r Danton`).
    pub address: &'a str,
    /// House number (`13`, `13 bis`).
    pub number: &'a str,
    /// Repetition index (`bis`, `B`).
    pub rep: &'a str,
    /// Street (`rue Danton`; may start with the number).
    pub street: &'a str,
    /// Postcode.
    pub postcode: &'a str,
    /// Commune.
    pub commune: &'a str,
}

impl<'a> AddressQuery<'a> {
    /// A query from one free-text address.
    pub fn text(address: &'a str) -> Self {
        AddressQuery {
            address,
            ..Default::default()
        }
    }
}

/// The answer for one address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Geocoded {
    /// What the position stands for.
    pub precision: Precision,
    /// Confidence of the text match, 0–1 (0 when not found).
    pub score: f64,
    /// Position in the index's working CRS.
    #[serde(skip)]
    pub point: Option<Coord<f64>>,
    /// Position in WGS84 (lon, lat).
    #[serde(skip)]
    pub lonlat: Option<Coord<f64>>,
    /// The matched address as the reference spells it (empty when not found).
    pub label: String,
    /// Why nothing was found (empty otherwise).
    pub reason: String,
    /// How far, in metres, the true address may lie from `point` as far as the reference can
    /// tell: 0 for `housenumber`; otherwise the distance between the neighbours it was placed
    /// from, or the street's extent, never under
    /// [`super::interpolate::MIN_UNCERTAINTY_M`] without two neighbours (see
    /// [`super::interpolate`]); `None` when not found.
    pub uncertainty_m: Option<f64>,
    /// True when the street was found in another commune than the postcode or commune given
    /// (the `reason` says which): the given locality was corrected.
    pub corrected: bool,
}

impl Geocoded {
    fn not_found(reason: impl Into<String>) -> Self {
        Geocoded {
            precision: Precision::NotFound,
            score: 0.0,
            point: None,
            lonlat: None,
            label: String::new(),
            reason: reason.into(),
            uncertainty_m: None,
            corrected: false,
        }
    }
}

/// Which communes a street may be in, and how sure that is.
#[derive(Debug, Clone)]
struct Locality {
    /// `None`: anywhere.
    communes: Option<Vec<u32>>,
    score: f64,
}

/// The outcome of looking for a street.
enum StreetMatch {
    Found { street: u32, score: f64 },
    Ambiguous(Vec<u32>),
    None,
}

/// Parsed free text: words, where the number, street and locality are.
#[derive(Clone)]
struct Parsed<'t> {
    number: Option<HouseNumber>,
    /// A one-letter word read as the repetition index (`2 A rue…`), which may instead begin
    /// the street name (`1 N Route Nationale`).
    rep_letter: Option<&'t str>,
    street: Vec<&'t str>,
    after_postcode: Vec<&'t str>,
    postcode: Option<String>,
}

fn is_postcode(w: &str) -> bool {
    w.len() == 5 && w.bytes().all(|b| b.is_ascii_digit())
}

/// A postcode column as spreadsheets leave it: `90000`, `90 000`, `90000.0`, `1000` (Excel
/// dropped the leading zero of `01000`).
fn postcode_column(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_suffix(".0")
        .or_else(|| t.strip_suffix(",0"))
        .unwrap_or(t);
    let digits: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    match digits.len() {
        5 if is_postcode(&digits) => Some(digits),
        4 if digits.bytes().all(|b| b.is_ascii_digit()) => Some(format!("0{digits}")),
        _ => None,
    }
}

fn is_small_number(w: &str) -> bool {
    !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit())
}

/// The commune as given: the commune column (up to `CEDEX`), else the words after the
/// postcode.
fn commune_text(q: &AddressQuery, parsed: &Parsed) -> String {
    if q.commune.trim().is_empty() {
        return parsed.after_postcode.join(" ");
    }
    let f = fold(q.commune);
    let words: Vec<&str> = f.split(' ').collect();
    let end = words
        .iter()
        .position(|w| *w == "cedex")
        .unwrap_or(words.len());
    words[..end].join(" ")
}

/// Splits folded words into number, street words and locality.
fn parse_words<'t>(words: &[&'t str]) -> Parsed<'t> {
    let mut words: Vec<&'t str> = words.to_vec();
    // Postcode: the last 5-digit word, or `90 000`.
    let mut postcode = None;
    let mut after_postcode = Vec::new();
    let mut pc_at = None;
    for i in (1..words.len()).rev() {
        if is_postcode(words[i]) {
            pc_at = Some((i, 1));
            break;
        }
        if words[i].len() == 3
            && words[i - 1].len() == 2
            && words[i]
                .bytes()
                .chain(words[i - 1].bytes())
                .all(|b| b.is_ascii_digit())
            && i >= 2
        {
            pc_at = Some((i - 1, 2));
            break;
        }
    }
    if pc_at.is_none() && words.first().is_some_and(|w| is_postcode(w)) {
        pc_at = Some((0, 1));
    }
    if let Some((i, n)) = pc_at {
        postcode = Some(words[i..i + n].concat());
        after_postcode = words.split_off(i + n);
        words.truncate(i);
    }
    for part in [&mut words, &mut after_postcode] {
        if let Some(c) = part.iter().position(|w| *w == "cedex") {
            part.truncate(c);
        }
    }
    // Number: first word (after `n°`), or just before a street type further on (`Bât C, 12 rue…`).
    let mut at = 0;
    if words.len() > 2
        && matches!(words[0], "n" | "no" | "num" | "numero")
        && split_number(words[1]).is_some()
    {
        at = 1;
    }
    let number_at = |i: usize| -> Option<(HouseNumber, usize)> {
        let (n, suffix) = split_number(words[i])?;
        if words[i].len() - suffix.len() > 4 {
            return None;
        }
        let mut j = i + 1;
        let rep = if !suffix.is_empty() {
            suffix.to_ascii_uppercase()
        } else if j + 1 < words.len() && is_rep_word(words[j]) {
            j += 1;
            words[j - 1].to_ascii_uppercase()
        } else {
            String::new()
        };
        // Ranges: `12-14`, `12 et 14`, `12 à 14`.
        if j + 1 < words.len() && is_small_number(words[j]) {
            j += 1;
        } else if j + 2 < words.len()
            && matches!(words[j], "et" | "a" | "au")
            && is_small_number(words[j + 1])
        {
            j += 2;
        }
        (j < words.len()).then_some((HouseNumber { number: n, rep }, j))
    };
    // The true house number is the one before the street type (`3 12 rue…` is 12); else the
    // first word's.
    let found = (at..words.len())
        .filter_map(number_at)
        .find(|(_, j)| is_type_word(words[*j]))
        .or_else(|| (at < words.len()).then(|| number_at(at)).flatten());
    let (number, start) = match found {
        Some((n, j)) => (Some(n), j),
        None => (None, 0),
    };
    let rep_letter = number.as_ref().and_then(|n| {
        let w = words[start.checked_sub(1)?];
        (n.rep.len() == 1 && w.len() == 1 && w.eq_ignore_ascii_case(&n.rep)).then_some(w)
    });
    Parsed {
        number,
        rep_letter,
        street: words[start..].to_vec(),
        after_postcode,
        postcode,
    }
}

/// Geocoding against an [`AddressIndex`].
impl AddressIndex {
    /// Geocodes one address.
    ///
    /// ```
    /// use qpv::crs::Crs;
    /// use qpv::geocode::{AddressIndex, AddressQuery, Precision};
    /// let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    /// let g = index.geocode(&AddressQuery::text("12 r. Danton 90000 BELFORT"));
    /// assert_eq!(g.precision, Precision::Housenumber);
    /// assert_eq!(g.label, "12 Rue Danton, 90000 Belfort");
    /// let g = index.geocode(&AddressQuery::text("n'importe quoi"));
    /// assert_eq!(g.precision, Precision::NotFound);
    /// ```
    pub fn geocode(&self, q: &AddressQuery) -> Geocoded {
        let text = if q.street.trim().is_empty() {
            q.address
        } else {
            q.street
        };
        let stripped = strip_complements(text);
        let g = self.geocode_words(&stripped, q);
        if g.precision != Precision::NotFound {
            return g;
        }
        // A complement keyword that was in fact part of the street name (`Résidence du Parc`
        // without a number): the whole text, once more.
        let folded = fold(text);
        if folded == stripped {
            return g;
        }
        let g2 = self.geocode_words(&folded, q);
        if g2.precision == Precision::NotFound {
            g
        } else {
            g2
        }
    }

    /// [`AddressIndex::geocode`] on the folded words of the address text.
    fn geocode_words(&self, folded: &str, q: &AddressQuery) -> Geocoded {
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut parsed = parse_words(&words);
        // `s/n`, `sn`, `sans numéro`: no number, on purpose.
        let no_number = matches!(fold(q.number).as_str(), "" | "s n" | "sn" | "sans numero");
        if !no_number {
            match parse_house_number(q.number) {
                Some(n) => parsed.number = Some(n),
                None => {
                    return Geocoded::not_found(format!(
                        "'{}' is not a house number",
                        q.number.trim()
                    ));
                }
            }
        }
        if !q.rep.trim().is_empty()
            && let Some(n) = parsed.number.as_mut()
        {
            n.rep = canonical_rep(q.rep);
            parsed.rep_letter = None;
        }
        let g = self.geocode_parsed(&parsed, q);
        // `1 N Route Nationale`: the letter may begin the street rather than index the number.
        if g.score < 1.0
            && let Some(letter) = parsed.rep_letter
        {
            let mut alt = parsed.clone();
            if let Some(n) = alt.number.as_mut() {
                n.rep.clear();
            }
            alt.street.insert(0, letter);
            let g2 = self.geocode_parsed(&alt, q);
            if g2.score > g.score {
                return g2;
            }
        }
        g
    }

    /// The steps for one reading of the address: the locality, the candidate splits of the
    /// street words, the best street found, else the fallbacks, else why nothing was found.
    fn geocode_parsed(&self, parsed: &Parsed, q: &AddressQuery) -> Geocoded {
        if parsed.street.is_empty()
            && parsed.after_postcode.is_empty()
            && parsed.postcode.is_none()
            && q.commune.trim().is_empty()
            && q.postcode.trim().is_empty()
        {
            return Geocoded::not_found("empty address");
        }
        // Postcode: the column, else the text.
        let postcode = postcode_column(q.postcode).or_else(|| parsed.postcode.clone());
        let base = match self.locality(postcode.as_deref(), &commune_text(q, parsed)) {
            Ok(l) => l,
            Err(reason) => return Geocoded::not_found(reason),
        };
        if let Some(reason) = self.no_street_name(parsed) {
            return Geocoded::not_found(reason);
        }
        let candidates = self.candidate_splits(parsed, &base);
        let failure = match self.best_match(parsed, &candidates) {
            Ok(g) => return g,
            Err(failure) => failure,
        };
        if failure.is_none()
            && let Some(g) = self.fallback(parsed, &base, postcode.as_deref())
        {
            return g;
        }
        if let Some(f) = failure {
            return Geocoded::not_found(f);
        }
        self.nothing_like(parsed, &candidates)
    }

    /// Why the street words name no street: only digits, or only a commune.
    fn no_street_name(&self, parsed: &Parsed) -> Option<String> {
        if parsed
            .street
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_digit()))
        {
            return Some("no street name in the address".into());
        }
        let whole = commune_key_from_words(parsed.street.iter().copied());
        (!self.communes_with_key(&whole).is_empty())
            .then(|| format!("no street name in the address, only the commune '{whole}'"))
    }

    /// Ways to split the street words into a street and a commune: a commune named at the
    /// end of the words (within `base`), a misspelt one when nothing else locates the street,
    /// then all the words as the street in `base`. Each is (street word count, locality).
    fn candidate_splits(&self, parsed: &Parsed, base: &Locality) -> Vec<(usize, Locality)> {
        let mut candidates: Vec<(usize, Locality)> = Vec::new();
        let n = parsed.street.len();
        for k in (1..n).rev().filter(|&k| n - k <= 4) {
            let ckey = commune_key_from_words(parsed.street[k..].iter().copied());
            let ids = self.communes_with_key(&ckey);
            if ids.is_empty() {
                continue;
            }
            let communes: Vec<u32> = match &base.communes {
                None => ids.to_vec(),
                Some(b) => ids.iter().copied().filter(|c| b.contains(c)).collect(),
            };
            if !communes.is_empty() {
                let score = if base.communes.is_none() {
                    1.0
                } else {
                    base.score
                };
                candidates.push((
                    k,
                    Locality {
                        communes: Some(communes),
                        score,
                    },
                ));
            }
        }
        if candidates.is_empty() && base.communes.is_none() {
            // A misspelt commune at the end (`Belfrot`), when nothing else locates the street.
            for k in (1..n).rev().filter(|&k| n - k <= 2) {
                let ckey = commune_key_from_words(parsed.street[k..].iter().copied());
                if let Some((ids, d)) = self.fuzzy_communes(&ckey) {
                    candidates.push((
                        k,
                        Locality {
                            communes: Some(ids),
                            score: 1.0 - 0.1 * d as f64,
                        },
                    ));
                }
            }
        }
        candidates.push((n, base.clone()));
        candidates
    }

    /// The best-scored answer over the candidate splits (the first at score 1 wins); else the
    /// first ambiguity met, if any.
    fn best_match(
        &self,
        parsed: &Parsed,
        candidates: &[(usize, Locality)],
    ) -> Result<Geocoded, Option<String>> {
        let mut best: Option<Geocoded> = None;
        let mut failure: Option<String> = None;
        for (k, locality) in candidates {
            let key = street_key_from_words(parsed.street[..*k].iter().copied());
            if key.is_empty() {
                continue;
            }
            match self.match_street(&key, locality, parsed.number.as_ref()) {
                StreetMatch::Found { street, score } => {
                    let g = self.place_on(street, parsed.number.as_ref(), score * locality.score);
                    if best.as_ref().is_none_or(|b| g.score > b.score) {
                        best = Some(g);
                    }
                    if best.as_ref().is_some_and(|b| b.score >= 1.0) {
                        break;
                    }
                }
                StreetMatch::Ambiguous(ids) => {
                    if failure.is_none() {
                        failure = Some(self.ambiguity(&ids));
                    }
                }
                StreetMatch::None => {}
            }
        }
        best.ok_or(failure)
    }

    /// `not_found`, reported against the most specific reading: the first candidate with a
    /// street name.
    fn nothing_like(&self, parsed: &Parsed, candidates: &[(usize, Locality)]) -> Geocoded {
        let Some((key, locality)) = candidates.iter().find_map(|(k, l)| {
            let key = street_key_from_words(parsed.street[..*k].iter().copied());
            (!key.is_empty()).then_some((key, l))
        }) else {
            return Geocoded::not_found("no street name in the address");
        };
        let mut place = match &locality.communes {
            Some(ids) => ids
                .iter()
                .take(5)
                .map(|&c| self.communes()[c as usize].name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            None => "the reference".to_string(),
        };
        if locality.communes.as_ref().is_some_and(|c| c.len() > 5) {
            place.push_str(", …");
        }
        Geocoded::not_found(format!("no street like '{}' in {place}", key.key))
    }

    /// The street looked for outside the locality given, when it is not in it, by its exact
    /// name only: in another commune sharing the postcode (score × 0.8), then in the
    /// communes within [`NEIGHBOUR_KM`] (× 0.7), then in the rest of the département (× 0.5,
    /// one commune only); the answer is flagged `corrected` and its `reason` says where it
    /// was found. In the département a street name is often another street of the same name
    /// (the leave-out test found `1 Impasse de la Forêt` of Rougemont in Courtelevant, 26 km
    /// away): such an answer is only ever `street` precision, uncertain by the distance to
    /// the farthest address point of the communes given, so that it is checked.
    fn fallback(
        &self,
        parsed: &Parsed,
        base: &Locality,
        postcode: Option<&str>,
    ) -> Option<Geocoded> {
        let given = base.communes.as_ref()?;
        let key = street_key_from_words(parsed.street.iter().copied());
        if key.is_empty() || given.is_empty() {
            return None;
        }
        for (communes, factor, what) in self.fallback_steps(given, postcode) {
            let locality = Locality {
                communes: Some(communes),
                score: base.score * factor,
            };
            // The exact key only: a typo or another street type in another commune is more
            // likely another street than the one meant.
            let exact: Vec<u32> = self
                .streets_with_key(&key.key)
                .iter()
                .copied()
                .filter(|&s| self.in_locality(s, &locality))
                .collect();
            let Some(&first) = exact.first() else {
                continue;
            };
            let far = what == DEPARTEMENT;
            let commune = |s: u32| self.streets()[s as usize].commune;
            let found = if far && exact.iter().any(|&s| commune(s) != commune(first)) {
                StreetMatch::Ambiguous(exact)
            } else {
                self.resolve(exact, 1.0, parsed.number.as_ref())
            };
            return Some(match found {
                StreetMatch::Found { street, score } => {
                    let g = self.place_on(street, parsed.number.as_ref(), score * locality.score);
                    let g = if far { self.far_answer(g, given) } else { g };
                    self.corrected(g, given, commune(street), what)
                }
                StreetMatch::Ambiguous(ids) => Geocoded::not_found(self.ambiguity(&ids)),
                StreetMatch::None => continue,
            });
        }
        None
    }

    /// The communes searched by [`AddressIndex::fallback`] in turn, each not in the ones
    /// before, with their score factor and what they are.
    fn fallback_steps(
        &self,
        given: &[u32],
        postcode: Option<&str>,
    ) -> Vec<(Vec<u32>, f64, &'static str)> {
        let mut tried = given.to_vec();
        let mut steps = Vec::new();
        let same_postcode = postcode
            .map(|p| self.communes_with_postcode(p).to_vec())
            .unwrap_or_default();
        let departements: Vec<&str> = given.iter().map(|&c| self.departement(c)).collect();
        let departement = (0..self.communes().len() as u32)
            .filter(|&c| departements.contains(&self.departement(c)))
            .collect();
        let candidates = [
            (same_postcode, 0.8, "a commune with the same postcode"),
            (self.communes_near(given, NEIGHBOUR_KM), 0.7, NEIGHBOURING),
            (departement, 0.5, DEPARTEMENT),
        ];
        for (communes, factor, what) in candidates {
            let new: Vec<u32> = communes
                .into_iter()
                .filter(|c| !tried.contains(c))
                .collect();
            tried.extend(&new);
            if !new.is_empty() {
                steps.push((new, factor, what));
            }
        }
        steps
    }

    /// A département answer: `street` precision, uncertain by at least the distance to the
    /// farthest address point of the communes given (the address may be there).
    fn far_answer(&self, mut g: Geocoded, given: &[u32]) -> Geocoded {
        if let Some(p) = g.point {
            let reach = self.farthest_point_m(p, given);
            g.precision = Precision::Street;
            g.uncertainty_m = g.uncertainty_m.map(|u| u.max(reach.round()));
        }
        g
    }

    /// Flags an answer found in commune `found` instead of the communes `given`.
    fn corrected(&self, mut g: Geocoded, given: &[u32], found: u32, what: &str) -> Geocoded {
        let names = |ids: &[u32]| {
            let mut n: Vec<&str> = ids
                .iter()
                .map(|&c| self.communes()[c as usize].name.as_str())
                .collect();
            n.dedup();
            n.join(", ")
        };
        g.corrected = true;
        g.reason = format!(
            "postcode/commune corrected: no such street in {}; found in {}, {what}",
            names(given),
            names(&[found])
        );
        g
    }

    /// The communes the postcode and commune name allow.
    fn locality(&self, postcode: Option<&str>, commune_text: &str) -> Result<Locality, String> {
        let by_pc = postcode.map(|p| self.communes_with_postcode(p));
        if let (Some(p), Some([])) = (postcode, by_pc)
            && commune_text.is_empty()
        {
            return Err(format!(
                "postcode {p} is not covered by the address reference"
            ));
        }
        if commune_text.is_empty() {
            return Ok(match by_pc {
                Some(ids) => Locality {
                    communes: Some(ids.to_vec()),
                    score: 1.0,
                },
                None => Locality {
                    communes: None,
                    score: 0.9,
                },
            });
        }
        let ckey = commune_key_from_words(commune_text.split(' '));
        let (ids, score) = match self.communes_with_key(&ckey) {
            [] => match self.fuzzy_communes(&ckey) {
                Some((ids, d)) => (ids, 1.0 - 0.1 * d as f64),
                None => match by_pc {
                    Some(ids) if !ids.is_empty() => {
                        return Ok(Locality {
                            communes: Some(ids.to_vec()),
                            score: 0.8,
                        });
                    }
                    _ => {
                        return Err(format!(
                            "commune '{}' is not in the address reference",
                            commune_text
                        ));
                    }
                },
            },
            ids => (ids.to_vec(), 1.0),
        };
        match by_pc {
            Some(pc) if !pc.is_empty() => {
                let both: Vec<u32> = ids.iter().copied().filter(|c| pc.contains(c)).collect();
                if both.is_empty() {
                    Ok(Locality {
                        communes: Some(ids),
                        score: score * 0.95,
                    })
                } else {
                    Ok(Locality {
                        communes: Some(both),
                        score,
                    })
                }
            }
            _ => Ok(Locality {
                communes: Some(ids),
                score,
            }),
        }
    }

    /// Communes within the typo budget of `key` (the closest ones), with the distance.
    fn fuzzy_communes(&self, key: &str) -> Option<(Vec<u32>, usize)> {
        let budget = typo_budget(key.len());
        if budget == 0 {
            return None;
        }
        let mut best: Option<(Vec<u32>, usize)> = None;
        for (i, c) in self.communes().iter().enumerate() {
            let max = best.as_ref().map_or(budget, |b| b.1);
            if let Some(d) = edit_distance(key, &c.key, max) {
                match &mut best {
                    Some((ids, bd)) if *bd == d => ids.push(i as u32),
                    _ => best = Some((vec![i as u32], d)),
                }
            }
        }
        // Two different communes equally close: no guess.
        best.filter(|(ids, _)| {
            ids.iter()
                .all(|&i| self.communes()[i as usize].key == self.communes()[ids[0] as usize].key)
        })
    }

    fn in_locality(&self, street: u32, locality: &Locality) -> bool {
        match &locality.communes {
            None => true,
            Some(ids) => ids.contains(&self.streets()[street as usize].commune),
        }
    }

    fn match_street(
        &self,
        key: &StreetKey,
        locality: &Locality,
        number: Option<&HouseNumber>,
    ) -> StreetMatch {
        let exact: Vec<u32> = self
            .streets_with_key(&key.key)
            .iter()
            .copied()
            .filter(|&s| self.in_locality(s, locality))
            .collect();
        if !exact.is_empty() {
            return self.resolve(exact, 1.0, number);
        }
        let core: Vec<u32> = self
            .streets_with_core(&key.core)
            .iter()
            .copied()
            .filter(|&s| self.in_locality(s, locality))
            .collect();
        if !core.is_empty() {
            return self.resolve(core, if key.typed { 0.8 } else { 0.9 }, number);
        }
        // Typos: within the locality, or everywhere in a small reference.
        let all: Vec<u32>;
        let pool: &[u32] = match &locality.communes {
            Some(ids) if ids.len() == 1 => self.streets_of_commune(ids[0]),
            Some(ids) => {
                all = ids
                    .iter()
                    .flat_map(|&c| self.streets_of_commune(c).iter().copied())
                    .collect();
                &all
            }
            None if self.streets().len() <= 100_000 => {
                all = (0..self.streets().len() as u32).collect();
                &all
            }
            None => &[],
        };
        let (mut best_score, mut best) = self.closest_by_typos(key, pool);
        // Words left out (`rue Foltz` for `Rue du Général Foltz`): every word of the query's
        // name in the street's name, within a named locality, one street only.
        if best.is_empty()
            && locality.communes.is_some()
            && key.core.split(' ').any(|w| w.len() >= 4)
        {
            for &s in pool {
                let core = &self.streets()[s as usize].key.core;
                if key.core.split(' ').all(|w| core.split(' ').any(|x| x == w)) {
                    best.push(s);
                }
            }
            best_score = 0.75;
        }
        if best.is_empty() {
            return StreetMatch::None;
        }
        let first = &self.streets()[best[0] as usize].key.key;
        if best
            .iter()
            .any(|&s| self.streets()[s as usize].key.key != *first)
        {
            return StreetMatch::Ambiguous(best);
        }
        self.resolve(best, best_score, number)
    }

    /// The streets of `pool` closest to `key` within the typo budget, with their score
    /// (`1 − 0.15·d` on the key, `0.8 − 0.15·d` on the name without its type).
    fn closest_by_typos(&self, key: &StreetKey, pool: &[u32]) -> (f64, Vec<u32>) {
        let key_budget = typo_budget(key.key.len());
        let core_budget = typo_budget(key.core.len());
        let (key_mask, core_mask) = (letter_mask(&key.key), letter_mask(&key.core));
        let mut best_score = 0.0;
        let mut best: Vec<u32> = Vec::new();
        for &s in pool {
            let street = &self.streets()[s as usize];
            let sk = &street.key;
            let mut score = 0.0;
            if key_budget > 0
                && (key_mask ^ street.masks.0).count_ones() as usize <= 2 * key_budget
                && let Some(d) = edit_distance(&key.key, &sk.key, key_budget)
            {
                score = 1.0 - 0.15 * d as f64;
            }
            if core_budget > 0
                && score < 0.8
                && (core_mask ^ street.masks.1).count_ones() as usize <= 2 * core_budget
                && let Some(d) = edit_distance(&key.core, &sk.core, core_budget)
            {
                score = f64::max(score, 0.8 - 0.15 * d as f64);
            }
            if score <= 0.0 {
                continue;
            }
            if score > best_score + 1e-9 {
                best_score = score;
                best.clear();
                best.push(s);
            } else if (score - best_score).abs() <= 1e-9 {
                best.push(s);
            }
        }
        (best_score, best)
    }

    /// Several streets with one key: one commune → the one holding the number (else the first);
    /// several communes → the only commune holding the number, else ambiguous.
    fn resolve(&self, ids: Vec<u32>, score: f64, number: Option<&HouseNumber>) -> StreetMatch {
        if ids.len() == 1 {
            return StreetMatch::Found {
                street: ids[0],
                score,
            };
        }
        let has = |s: u32| {
            number.is_some_and(|n| {
                self.street_points(s)
                    .binary_search_by_key(&n.number, |p| p.number)
                    .is_ok()
            })
        };
        let commune = |s: u32| self.streets()[s as usize].commune;
        let with_number: Vec<u32> = ids.iter().copied().filter(|&s| has(s)).collect();
        let pick = if with_number.is_empty() {
            &ids
        } else {
            &with_number
        };
        if pick.iter().all(|&s| commune(s) == commune(pick[0])) {
            return StreetMatch::Found {
                street: pick[0],
                score,
            };
        }
        StreetMatch::Ambiguous(pick.clone())
    }

    fn ambiguity(&self, ids: &[u32]) -> String {
        let mut names: Vec<String> = ids
            .iter()
            .map(|&s| {
                let st = &self.streets()[s as usize];
                format!(
                    "{} ({})",
                    st.name,
                    self.communes()[st.commune as usize].name
                )
            })
            .collect();
        names.sort();
        names.dedup();
        let more = names.len().saturating_sub(5);
        names.truncate(5);
        let mut text = format!("ambiguous: {}", names.join(", "));
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text.push_str("; add the postcode or the commune, or fix the street name");
        text
    }

    fn place_on(&self, street: u32, number: Option<&HouseNumber>, score: f64) -> Geocoded {
        let points = self.street_points(street);
        let placement = place(points, number.map(|n| (n.number, n.rep.as_str())), |p| {
            self.rep_name(p.rep)
        });
        let round = |s: f64| (s * 100.0).round() / 100.0;
        match placement {
            Placement::Exact { point, score: s } => {
                let p = &points[point];
                Geocoded {
                    precision: Precision::Housenumber,
                    score: round(score * s),
                    point: Some(p.xy),
                    lonlat: Some(p.lonlat),
                    label: self.label(street, Some(&self.house_number(p))),
                    reason: String::new(),
                    uncertainty_m: Some(0.0),
                    corrected: false,
                }
            }
            Placement::Interpolated {
                xy,
                lonlat,
                uncertainty_m,
                ..
            } => Geocoded {
                precision: Precision::Interpolated,
                score: round(score),
                point: Some(xy),
                lonlat: Some(lonlat),
                label: self.label(street, number),
                reason: String::new(),
                uncertainty_m: Some(uncertainty_m),
                corrected: false,
            },
            Placement::Street {
                point,
                uncertainty_m,
            } => Geocoded {
                precision: Precision::Street,
                score: round(score),
                point: Some(points[point].xy),
                lonlat: Some(points[point].lonlat),
                label: self.label(street, None),
                reason: String::new(),
                uncertainty_m: Some(uncertainty_m),
                corrected: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<(u32, String)>, String, String, Option<String>) {
        let f = strip_complements(text);
        let w: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
        let p = parse_words(&w);
        (
            p.number.map(|n| (n.number, n.rep)),
            p.street.join(" "),
            p.after_postcode.join(" "),
            p.postcode,
        )
    }

    #[test]
    fn postcode_columns_from_spreadsheets() {
        assert_eq!(postcode_column(" 90 000 ").as_deref(), Some("90000"));
        assert_eq!(postcode_column("90000.0").as_deref(), Some("90000"));
        assert_eq!(postcode_column("1000").as_deref(), Some("01000"));
        assert_eq!(postcode_column("Belfort"), None);
        assert_eq!(postcode_column(""), None);
    }

    #[test]
    fn complement_numbers_are_never_house_numbers() {
        let number = |t: &str| parse(t).0.map(|n| n.0);
        // The cases of issue 12.
        assert_eq!(number("Apt 30 23 R. de la Hardt"), Some(23));
        assert_eq!(number("BP 20 - 7 rue du Barcot"), Some(7));
        assert_eq!(number("CS 10123 - 7 rue du Barcot 90000 Belfort"), Some(7));
        assert_eq!(number("Bât. C Appt 12 4 rue de Madrid"), Some(4));
        assert_eq!(
            number("Résidence Les Glycines, 3e étage, 4 rue de Madrid"),
            Some(4)
        );
        assert_eq!(
            parse("Chez M. Dupont 12 rue Danton Esc. 2 90000 BELFORT CEDEX 9"),
            (
                Some((12, String::new())),
                "rue danton".into(),
                "belfort".into(),
                Some("90000".into())
            )
        );
        // The CS number is not taken for a postcode.
        assert_eq!(parse("7 rue du Barcot CS 10123").3, None);
    }

    #[test]
    fn free_text_is_split() {
        assert_eq!(
            parse("13 bis, rue Danton, 90000 Belfort"),
            (
                Some((13, "BIS".into())),
                "rue danton".into(),
                "belfort".into(),
                Some("90000".into())
            )
        );
        assert_eq!(
            parse("13B r Danton"),
            (
                Some((13, "B".into())),
                "r danton".into(),
                String::new(),
                None
            )
        );
        assert_eq!(
            parse("Rue du 8 Mai 1945 Belfort"),
            (
                None,
                "rue du 8 mai 1945 belfort".into(),
                String::new(),
                None
            )
        );
        assert_eq!(
            parse("Bât C, 12-14 av Jean Jaurès 90 000 BELFORT CEDEX"),
            (
                Some((12, String::new())),
                "av jean jaures".into(),
                "belfort".into(),
                Some("90000".into())
            )
        );
        assert_eq!(
            parse("N° 7 rue X"),
            (
                Some((7, String::new())),
                "rue x".into(),
                String::new(),
                None
            )
        );
        assert_eq!(
            parse("4 A rue de Madrid"),
            (
                Some((4, "A".into())),
                "rue de madrid".into(),
                String::new(),
                None
            )
        );
    }
}
