//! The address index: communes, streets and their address points, keyed by normalised names,
//! with coordinates reprojected once into the working metric CRS.
//!
//! Points of a street are sorted by (number, repetition index, file line). When the reference
//! holds the same number twice on one street (BANO has a few genuine duplicates at two
//! positions), **the first row in file order wins** for exact matches; the others stay in the
//! index but are never returned.

use std::collections::HashMap;
use std::path::Path;

use geo::Coord;

use super::normalize::{
    HouseNumber, StreetKey, canonical_rep, commune_key, letter_mask, parse_house_number, street_key,
};
use super::reference::{RawAddress, ReferenceFormat, ReferenceRows};
use crate::crs::{Crs, ToMetric};
use crate::error::Result;

/// Attribution that must accompany results computed from BANO (ODbL 1.0).
pub const BANO_ATTRIBUTION: &str =
    "source: BANO — © les contributeurs d'OpenStreetMap sous licence ODbL";

/// The embedded BANO extract (département 90, 10 March 2015).
const EMBEDDED_BANO: &[u8] = include_bytes!("../../geodata/bano-90.csv");

/// A commune of the reference.
#[derive(Debug, Clone)]
pub struct Commune {
    /// INSEE code (empty when the reference does not give it).
    pub insee: String,
    /// Name as written in the reference.
    pub name: String,
    /// Normalised name ([`commune_key`]).
    pub key: String,
    /// Postcodes seen for this commune, sorted.
    pub postcodes: Vec<String>,
}

/// A street (voie) of one commune with its address points.
#[derive(Debug, Clone)]
pub struct Street {
    /// Name as written in the reference.
    pub name: String,
    /// Index of its commune in [`AddressIndex::communes`].
    pub commune: u32,
    /// Postcode of its first address point.
    pub postcode: String,
    /// Normalised key.
    pub key: StreetKey,
    /// [`letter_mask`] of the key and of the core.
    pub masks: (u64, u64),
    /// Its points: `AddressIndex::points()[start..end]`, sorted by number, rep, line.
    pub start: u32,
    /// End (exclusive) of its points.
    pub end: u32,
}

/// One address point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AddressPoint {
    /// House number.
    pub number: u32,
    /// Repetition index id in [`AddressIndex::rep_name`] (0 = none).
    pub rep: u16,
    /// Position in the working CRS.
    pub xy: Coord<f64>,
    /// Position in WGS84 (lon, lat) as the reference gives it.
    pub lonlat: Coord<f64>,
    /// Line of the reference file.
    pub line: u32,
}

/// Rows of the reference that could not be indexed.
#[derive(Debug, Clone, Default)]
pub struct Skipped {
    /// How many.
    pub count: usize,
    /// The first few, as (line, reason).
    pub first: Vec<(u64, String)>,
}

/// An address reference ready for geocoding. Plain data: share it between threads.
#[derive(Debug)]
pub struct AddressIndex {
    crs: Crs,
    source: String,
    attribution: String,
    communes: Vec<Commune>,
    streets: Vec<Street>,
    points: Vec<AddressPoint>,
    reps: Vec<String>,
    by_key: HashMap<String, Vec<u32>>,
    by_core: HashMap<String, Vec<u32>>,
    communes_by_key: HashMap<String, Vec<u32>>,
    communes_by_postcode: HashMap<String, Vec<u32>>,
    streets_by_commune: Vec<Vec<u32>>,
    commune_centres: Vec<Coord<f64>>,
    skipped: Skipped,
}

impl AddressIndex {
    /// The embedded BANO of the Territoire de Belfort (35,847 points), in `target`.
    ///
    /// ```
    /// use qpv::crs::Crs;
    /// use qpv::geocode::AddressIndex;
    /// let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    /// assert_eq!(index.point_count(), 35_847);
    /// ```
    pub fn embedded(target: Crs) -> Result<Self> {
        let rows = ReferenceRows::from_bytes(
            Path::new("<embedded:bano-90.csv>"),
            EMBEDDED_BANO.to_vec(),
            ReferenceFormat::Bano,
        )?;
        Self::build(
            rows,
            target,
            "BANO 90 (2015-03-10, embedded)",
            BANO_ATTRIBUTION,
        )
    }

    /// An index of a BANO or BAN file (`format` Auto detects it), in `target`; the file is
    /// streamed.
    pub fn from_file(path: &Path, format: ReferenceFormat, target: Crs) -> Result<Self> {
        let rows = ReferenceRows::open(path, format)?;
        let attribution = match rows.format() {
            ReferenceFormat::Ban => "source: Base Adresse Nationale (Licence Ouverte / Etalab 2.0)",
            _ => BANO_ATTRIBUTION,
        };
        Self::build(rows, target, &path.display().to_string(), attribution)
    }

    /// Builds the index from rows in WGS84; `source` and `attribution` describe them. Rows
    /// without a house number or with coordinates that cannot lie in `target` are skipped and
    /// counted ([`AddressIndex::skipped`]).
    pub fn build(
        rows: impl IntoIterator<Item = Result<RawAddress>>,
        target: Crs,
        source: &str,
        attribution: &str,
    ) -> Result<Self> {
        let to_metric = ToMetric::new(Crs::WGS84, target)?;
        let mut communes: Vec<Commune> = Vec::new();
        let mut commune_ids: HashMap<String, u32> = HashMap::new();
        let mut streets: Vec<Street> = Vec::new();
        let mut street_ids: HashMap<(u32, String), u32> = HashMap::new();
        let mut street_points: Vec<Vec<AddressPoint>> = Vec::new();
        let mut reps: Vec<String> = vec![String::new()];
        let mut rep_ids: HashMap<String, u16> = HashMap::from([(String::new(), 0)]);
        let mut skipped = Skipped::default();
        let mut skip = |line: u64, reason: String| {
            skipped.count += 1;
            if skipped.first.len() < 10 {
                skipped.first.push((line, reason));
            }
        };
        // Rows of one street follow each other: remember the last one to skip the hash maps.
        let mut last: Option<(u32, u32)> = None;
        let mut last_row: Option<RawAddress> = None;
        let mut points = Vec::new();
        for row in rows {
            let row = row?;
            let Some(mut hn) = parse_house_number(&row.numero) else {
                skip(row.line, format!("no house number in '{}'", row.numero));
                continue;
            };
            if !row.rep.trim().is_empty() {
                hn.rep = canonical_rep(&row.rep);
            }
            let lonlat = Coord {
                x: row.lon,
                y: row.lat,
            };
            let xy = match to_metric.coord(lonlat) {
                Ok(c) => c,
                Err(e) => {
                    skip(row.line, e.message);
                    continue;
                }
            };
            let same_street = last_row.as_ref().is_some_and(|l| {
                l.street == row.street
                    && l.commune == row.commune
                    && l.insee == row.insee
                    && l.postcode == row.postcode
            });
            let (commune, street) = match (same_street, last) {
                (true, Some(ids)) => ids,
                _ => {
                    let ckey = if row.insee.is_empty() {
                        format!("{}|{}", row.commune, row.postcode)
                    } else {
                        row.insee.clone()
                    };
                    let commune = *commune_ids.entry(ckey).or_insert_with(|| {
                        communes.push(Commune {
                            insee: row.insee.clone(),
                            name: row.commune.clone(),
                            key: commune_key(&row.commune),
                            postcodes: Vec::new(),
                        });
                        (communes.len() - 1) as u32
                    });
                    let c = &mut communes[commune as usize];
                    if !row.postcode.is_empty() && !c.postcodes.contains(&row.postcode) {
                        c.postcodes.push(row.postcode.clone());
                    }
                    let street = *street_ids
                        .entry((commune, row.street.clone()))
                        .or_insert_with(|| {
                            let key = street_key(&row.street);
                            streets.push(Street {
                                name: row.street.clone(),
                                commune,
                                postcode: row.postcode.clone(),
                                masks: (letter_mask(&key.key), letter_mask(&key.core)),
                                key,
                                start: 0,
                                end: 0,
                            });
                            street_points.push(Vec::new());
                            (streets.len() - 1) as u32
                        });
                    (commune, street)
                }
            };
            last = Some((commune, street));
            let rep = match rep_ids.get(&hn.rep) {
                Some(&id) => id,
                None => {
                    let id = u16::try_from(reps.len()).unwrap_or(u16::MAX);
                    reps.push(hn.rep.clone());
                    rep_ids.insert(hn.rep.clone(), id);
                    id
                }
            };
            street_points[street as usize].push(AddressPoint {
                number: hn.number,
                rep,
                xy,
                lonlat,
                line: u32::try_from(row.line).unwrap_or(u32::MAX),
            });
            if !same_street {
                last_row = Some(row);
            }
        }
        if streets.is_empty() {
            let (line, why) = skipped
                .first
                .first()
                .cloned()
                .unwrap_or((0, "the reference has no rows".into()));
            return Err(crate::Error::input(
                source,
                if line > 0 {
                    crate::Location::Line(line)
                } else {
                    crate::Location::File
                },
                format!(
                    "no usable address point in the reference ({} rows skipped): {why}",
                    skipped.count
                ),
                format!(
                    "give a BANO or BAN file of the territory that {target} covers (--reference), or the right --crs"
                ),
            ));
        }
        points.reserve_exact(street_points.iter().map(Vec::len).sum());
        for (street, mut pts) in streets.iter_mut().zip(street_points) {
            pts.sort_by(|a, b| {
                (a.number, reps[a.rep as usize].as_str(), a.line).cmp(&(
                    b.number,
                    reps[b.rep as usize].as_str(),
                    b.line,
                ))
            });
            street.start = points.len() as u32;
            points.extend(pts);
            street.end = points.len() as u32;
        }
        let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_core: HashMap<String, Vec<u32>> = HashMap::new();
        let mut streets_by_commune = vec![Vec::new(); communes.len()];
        for (i, s) in streets.iter().enumerate() {
            by_key.entry(s.key.key.clone()).or_default().push(i as u32);
            if !s.key.core.is_empty() {
                by_core
                    .entry(s.key.core.clone())
                    .or_default()
                    .push(i as u32);
            }
            streets_by_commune[s.commune as usize].push(i as u32);
        }
        let commune_centres = centres(&streets, &points, communes.len());
        let mut communes_by_key: HashMap<String, Vec<u32>> = HashMap::new();
        let mut communes_by_postcode: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, c) in communes.iter_mut().enumerate() {
            c.postcodes.sort();
            communes_by_key
                .entry(c.key.clone())
                .or_default()
                .push(i as u32);
            for p in &c.postcodes {
                communes_by_postcode
                    .entry(p.clone())
                    .or_default()
                    .push(i as u32);
            }
        }
        Ok(AddressIndex {
            crs: target,
            source: source.to_string(),
            attribution: attribution.to_string(),
            communes,
            streets,
            points,
            reps,
            by_key,
            by_core,
            communes_by_key,
            communes_by_postcode,
            streets_by_commune,
            commune_centres,
            skipped,
        })
    }

    /// The working CRS of [`AddressPoint::xy`].
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// What the reference is (file or embedded extract).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Licence attribution to print with results.
    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    /// Number of indexed address points.
    pub fn point_count(&self) -> usize {
        self.points.len()
    }

    /// Rows that were not indexed.
    pub fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    /// All communes.
    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    /// All streets.
    pub fn streets(&self) -> &[Street] {
        &self.streets
    }

    /// All address points, street by street.
    pub fn points(&self) -> &[AddressPoint] {
        &self.points
    }

    /// The points of street `id`, sorted by number, repetition index, line.
    pub fn street_points(&self, id: u32) -> &[AddressPoint] {
        let s = &self.streets[id as usize];
        &self.points[s.start as usize..s.end as usize]
    }

    /// The repetition index spelled by id (`""` for 0).
    pub fn rep_name(&self, id: u16) -> &str {
        self.reps.get(id as usize).map(String::as_str).unwrap_or("")
    }

    /// The id of a canonical repetition index, if the reference uses it.
    pub fn rep_id(&self, rep: &str) -> Option<u16> {
        self.reps.iter().position(|r| r == rep).map(|i| i as u16)
    }

    /// The house number of a point.
    pub fn house_number(&self, p: &AddressPoint) -> HouseNumber {
        HouseNumber {
            number: p.number,
            rep: self.rep_name(p.rep).to_string(),
        }
    }

    pub(crate) fn streets_with_key(&self, key: &str) -> &[u32] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    pub(crate) fn streets_with_core(&self, core: &str) -> &[u32] {
        self.by_core
            .get(core)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub(crate) fn communes_with_key(&self, key: &str) -> &[u32] {
        self.communes_by_key
            .get(key)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub(crate) fn communes_with_postcode(&self, postcode: &str) -> &[u32] {
        self.communes_by_postcode
            .get(postcode)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub(crate) fn streets_of_commune(&self, commune: u32) -> &[u32] {
        &self.streets_by_commune[commune as usize]
    }

    /// The communes other than `of` whose centre (the mean of their address points) lies
    /// within `km` kilometres of the centre of one of `of`.
    pub fn communes_near(&self, of: &[u32], km: f64) -> Vec<u32> {
        let max = km * 1000.0;
        (0..self.communes.len() as u32)
            .filter(|c| !of.contains(c))
            .filter(|&c| {
                let a = self.commune_centres[c as usize];
                of.iter().any(|&o| {
                    let b = self.commune_centres[o as usize];
                    (a.x - b.x).hypot(a.y - b.y) <= max
                })
            })
            .collect()
    }

    /// A readable label: `13 Rue Danton, 90000 Belfort`.
    pub fn label(&self, street: u32, number: Option<&HouseNumber>) -> String {
        let s = &self.streets[street as usize];
        let c = &self.communes[s.commune as usize];
        match number {
            Some(n) if n.rep.is_empty() => {
                format!("{} {}, {} {}", n.number, s.name, s.postcode, c.name)
            }
            Some(n) => format!(
                "{}{} {}, {} {}",
                n.number, n.rep, s.name, s.postcode, c.name
            ),
            None => format!("{}, {} {}", s.name, s.postcode, c.name),
        }
    }
}

/// The mean position of each commune's address points.
fn centres(streets: &[Street], points: &[AddressPoint], communes: usize) -> Vec<Coord<f64>> {
    let mut sums = vec![(0.0, 0.0, 0usize); communes];
    for s in streets {
        let sum = &mut sums[s.commune as usize];
        for p in &points[s.start as usize..s.end as usize] {
            sum.0 += p.xy.x;
            sum.1 += p.xy.y;
            sum.2 += 1;
        }
    }
    sums.into_iter()
        .map(|(x, y, n)| {
            let n = n.max(1) as f64;
            Coord { x: x / n, y: y / n }
        })
        .collect()
}
