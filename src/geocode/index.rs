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
        let mut builder = IndexBuilder::new(target)?;
        for row in rows {
            builder.add(row?);
        }
        builder.finish(source, attribution)
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

    /// The département of a commune: the first 2 characters of its INSEE code (3 overseas,
    /// `97x`), else of its first postcode; `""` when neither is known.
    ///
    /// ```
    /// use qpv::crs::Crs;
    /// use qpv::geocode::AddressIndex;
    /// let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
    /// assert_eq!(index.departement(0), "90");
    /// ```
    pub fn departement(&self, commune: u32) -> &str {
        let c = &self.communes[commune as usize];
        let code = if c.insee.is_empty() {
            c.postcodes.first().map(String::as_str).unwrap_or_default()
        } else {
            c.insee.as_str()
        };
        let len = if code.starts_with("97") { 3 } else { 2 };
        code.get(..len).unwrap_or_default()
    }

    /// The distance from `from` to the farthest address point of `communes`, in metres (0
    /// for none).
    pub fn farthest_point_m(&self, from: Coord<f64>, communes: &[u32]) -> f64 {
        communes
            .iter()
            .flat_map(|&c| self.streets_of_commune(c))
            .flat_map(|&s| self.street_points(s))
            .map(|p| (p.xy.x - from.x).hypot(p.xy.y - from.y))
            .fold(0.0, f64::max)
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

/// The communes, streets and points of a reference as its rows arrive (the steps of
/// [`AddressIndex::build`]).
struct IndexBuilder {
    target: Crs,
    to_metric: ToMetric,
    communes: Vec<Commune>,
    commune_ids: HashMap<String, u32>,
    streets: Vec<Street>,
    street_ids: HashMap<(u32, String), u32>,
    street_points: Vec<Vec<AddressPoint>>,
    reps: Vec<String>,
    rep_ids: HashMap<String, u16>,
    skipped: Skipped,
    /// Rows of one street follow each other: the last street's (street, commune, insee,
    /// postcode) and ids, to skip the hash maps.
    last: Option<([String; 4], (u32, u32))>,
}

impl IndexBuilder {
    fn new(target: Crs) -> Result<Self> {
        Ok(IndexBuilder {
            target,
            to_metric: ToMetric::new(Crs::WGS84, target)?,
            communes: Vec::new(),
            commune_ids: HashMap::new(),
            streets: Vec::new(),
            street_ids: HashMap::new(),
            street_points: Vec::new(),
            reps: vec![String::new()],
            rep_ids: HashMap::from([(String::new(), 0)]),
            skipped: Skipped::default(),
            last: None,
        })
    }

    fn skip(&mut self, line: u64, reason: String) {
        self.skipped.count += 1;
        if self.skipped.first.len() < 10 {
            self.skipped.first.push((line, reason));
        }
    }

    /// Adds one row: its point to its street (created with its commune if new), or the row to
    /// the skipped ones.
    fn add(&mut self, row: RawAddress) {
        let Some(mut hn) = parse_house_number(&row.numero) else {
            self.skip(row.line, format!("no house number in '{}'", row.numero));
            return;
        };
        if !row.rep.trim().is_empty() {
            hn.rep = canonical_rep(&row.rep);
        }
        let lonlat = Coord {
            x: row.lon,
            y: row.lat,
        };
        let xy = match self.to_metric.coord(lonlat) {
            Ok(c) => c,
            Err(e) => {
                self.skip(row.line, e.message);
                return;
            }
        };
        let street = self.street_of(&row);
        let rep = self.rep_id(&hn.rep);
        self.street_points[street as usize].push(AddressPoint {
            number: hn.number,
            rep,
            xy,
            lonlat,
            line: u32::try_from(row.line).unwrap_or(u32::MAX),
        });
    }

    /// The id of the row's street, created (with its commune) on first sight.
    fn street_of(&mut self, row: &RawAddress) -> u32 {
        if let Some((key, ids)) = &self.last
            && key[0] == row.street
            && key[1] == row.commune
            && key[2] == row.insee
            && key[3] == row.postcode
        {
            return ids.1;
        }
        let commune = self.commune_of(row);
        let street = *self
            .street_ids
            .entry((commune, row.street.clone()))
            .or_insert_with(|| {
                let key = street_key(&row.street);
                self.streets.push(Street {
                    name: row.street.clone(),
                    commune,
                    postcode: row.postcode.clone(),
                    masks: (letter_mask(&key.key), letter_mask(&key.core)),
                    key,
                    start: 0,
                    end: 0,
                });
                self.street_points.push(Vec::new());
                (self.streets.len() - 1) as u32
            });
        let key = [
            row.street.clone(),
            row.commune.clone(),
            row.insee.clone(),
            row.postcode.clone(),
        ];
        self.last = Some((key, (commune, street)));
        street
    }

    /// The id of the row's commune (by INSEE code, else name and postcode), its postcodes
    /// completed.
    fn commune_of(&mut self, row: &RawAddress) -> u32 {
        let ckey = if row.insee.is_empty() {
            format!("{}|{}", row.commune, row.postcode)
        } else {
            row.insee.clone()
        };
        let commune = *self.commune_ids.entry(ckey).or_insert_with(|| {
            self.communes.push(Commune {
                insee: row.insee.clone(),
                name: row.commune.clone(),
                key: commune_key(&row.commune),
                postcodes: Vec::new(),
            });
            (self.communes.len() - 1) as u32
        });
        let c = &mut self.communes[commune as usize];
        if !row.postcode.is_empty() && !c.postcodes.contains(&row.postcode) {
            c.postcodes.push(row.postcode.clone());
        }
        commune
    }

    fn rep_id(&mut self, rep: &str) -> u16 {
        if let Some(&id) = self.rep_ids.get(rep) {
            return id;
        }
        let id = u16::try_from(self.reps.len()).unwrap_or(u16::MAX);
        self.reps.push(rep.to_string());
        self.rep_ids.insert(rep.to_string(), id);
        id
    }

    /// The error when no row could be indexed, naming the first skipped one.
    fn empty_error(&self, source: &str) -> crate::Error {
        let (line, why) = self
            .skipped
            .first
            .first()
            .cloned()
            .unwrap_or((0, "the reference has no rows".into()));
        crate::Error::input(
            source,
            if line > 0 {
                crate::Location::Line(line)
            } else {
                crate::Location::File
            },
            format!(
                "no usable address point in the reference ({} rows skipped): {why}",
                self.skipped.count
            ),
            format!(
                "give a BANO or BAN file of the territory that {} covers (--reference), or the right --crs",
                self.target
            ),
        )
    }

    /// Sorts each street's points and lays them out street after street.
    fn lay_out_points(&mut self) -> Vec<AddressPoint> {
        let reps = &self.reps;
        let mut points = Vec::with_capacity(self.street_points.iter().map(Vec::len).sum());
        let street_points = std::mem::take(&mut self.street_points);
        for (street, mut pts) in self.streets.iter_mut().zip(street_points) {
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
        points
    }

    /// The index: points laid out, streets keyed by name and by commune, communes by name and
    /// by postcode.
    fn finish(mut self, source: &str, attribution: &str) -> Result<AddressIndex> {
        if self.streets.is_empty() {
            return Err(self.empty_error(source));
        }
        let points = self.lay_out_points();
        let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_core: HashMap<String, Vec<u32>> = HashMap::new();
        let mut streets_by_commune = vec![Vec::new(); self.communes.len()];
        for (i, s) in self.streets.iter().enumerate() {
            by_key.entry(s.key.key.clone()).or_default().push(i as u32);
            if !s.key.core.is_empty() {
                by_core
                    .entry(s.key.core.clone())
                    .or_default()
                    .push(i as u32);
            }
            streets_by_commune[s.commune as usize].push(i as u32);
        }
        let commune_centres = centres(&self.streets, &points, self.communes.len());
        let mut communes_by_key: HashMap<String, Vec<u32>> = HashMap::new();
        let mut communes_by_postcode: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, c) in self.communes.iter_mut().enumerate() {
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
            crs: self.target,
            source: source.to_string(),
            attribution: attribution.to_string(),
            communes: self.communes,
            streets: self.streets,
            points,
            reps: self.reps,
            by_key,
            by_core,
            communes_by_key,
            communes_by_postcode,
            streets_by_commune,
            commune_centres,
            skipped: self.skipped,
        })
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
