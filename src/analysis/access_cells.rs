//! The grid as `qpv access` keeps it: per cell only its centre, demand, id and whether it lies
//! in the communes, in flat vectors (about 60 bytes a cell instead of a [`GridCell`]'s 300),
//! so that a national grid of millions of cells is read cell by cell and never held whole.
//! Polygons are kept only for the cells near a QPV (for the area shares) and, on request,
//! for the output layer.

use geo::{BoundingRect, Coord, Polygon};
use rayon::prelude::*;
use rstar::primitives::Rectangle;
use rstar::{Envelope, RTree};
use serde::Serialize;

use std::path::Path;

use crate::crs::Crs;
use crate::error::Result;
use crate::index::ZoneIndex;
use crate::io::grid::read_grid_parts;
use crate::model::{CanonicalId, CellView, GridCell, GridValues, Zone};

use super::access::Demand;

/// What a cell's demand is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandKind {
    /// Inhabitants (`Ind`).
    Inhabitants,
    /// Poor households (`Men_pauv`).
    PoorHouseholds,
}

impl DemandKind {
    /// The demand of a cell.
    pub fn of(self, cell: &GridCell) -> f64 {
        self.of_values(&cell.values)
    }

    /// The demand of a cell of these values.
    pub fn of_values(self, values: &GridValues) -> f64 {
        match self {
            DemandKind::Inhabitants => values.ind,
            DemandKind::PoorHouseholds => values.men_pauv,
        }
    }

    /// Words for reports.
    pub fn label(self) -> &'static str {
        match self {
            DemandKind::Inhabitants => "inhabitants (Ind)",
            DemandKind::PoorHouseholds => "poor households (Men_pauv)",
        }
    }
}

/// The cells of a grid, compact, in grid order.
#[derive(Debug, Clone, Default)]
pub struct AccessCells {
    /// Centre and demand of each cell.
    pub demand: Vec<Demand>,
    /// Whether each cell's centre lies in the communes (every cell when there are none).
    pub in_communes: Vec<bool>,
    /// The ids, in blocks of consecutive cells (at least one per part of the file read on its
    /// own, so that joining the parts copies no id).
    ids: Vec<IdBlock>,
    /// Room to make in the first block of ids.
    id_room: usize,
    /// Positions of the cells whose bounding box meets a QPV's, ascending, and those cells.
    near: Vec<usize>,
    near_cells: Vec<GridCell>,
    /// Every cell's polygon, when asked for.
    polygons: Option<Vec<Polygon<f64>>>,
    /// Sum of the inhabitants (`Ind`) of every cell.
    pub population: f64,
    /// Number of communes `in_communes` refers to (`None`: no communes, every cell is in).
    pub communes: Option<usize>,
}

impl AccessCells {
    /// The compact form of `grid` (see [`CellsBuilder::new`] for the other arguments).
    pub fn from_cells(
        grid: &[GridCell],
        kind: DemandKind,
        zones: &[Zone],
        communes: Option<&[Zone]>,
        keep_polygons: bool,
    ) -> AccessCells {
        let mut b = CellsBuilder::new(kind, zones, communes, keep_polygons);
        grid.iter().cloned().for_each(|c| b.push(c));
        b.finish()
    }

    /// Reads the Filosofi grid CSV `path` into `crs` cell by cell (see
    /// [`crate::io::grid::read_grid_each`]), keeping only the compact form.
    ///
    /// # Errors
    /// The grid reader's: the file, the line and the fix.
    pub fn read(
        path: &Path,
        crs: Crs,
        kind: DemandKind,
        zones: &[Zone],
        communes: Option<&[Zone]>,
        keep_polygons: bool,
    ) -> Result<AccessCells> {
        let b = CellsBuilder::new(kind, zones, communes, keep_polygons);
        let part = |bytes: usize| {
            let mut part = Part {
                cells: b.empty(),
                inhabitants: Vec::new(),
            };
            // Filosofi rows take 80 bytes or more: room for every cell at once, so that the
            // vectors are not copied as they grow (room never used is never touched either).
            let cells = (bytes / 64).min(1 << 28);
            part.cells.reserve(cells);
            if kind != DemandKind::Inhabitants {
                part.inhabitants.reserve(cells);
            }
            part
        };
        let add = |part: &mut Part, cell: CellView<'_>| {
            if kind != DemandKind::Inhabitants {
                part.inhabitants.push(cell.values.ind);
            }
            b.add(&mut part.cells, cell);
        };
        let parts = read_grid_parts(path, crs, part, add)?;
        let count: usize = parts.iter().map(|p| p.cells.len()).sum();
        // Summed in grid order, as cell by cell; the demand is the inhabitants when they are
        // the demand (not kept twice).
        let population = parts.iter().fold(0.0, |sum, p| match kind {
            DemandKind::Inhabitants => p.cells.demand.iter().fold(sum, |s, d| s + d.demand),
            DemandKind::PoorHouseholds => p.inhabitants.iter().fold(sum, |s, ind| s + ind),
        });
        let parts: Vec<AccessCells> = parts.into_iter().map(|p| p.cells).collect();
        // The demand and the membership of every cell, copied once into their final place
        // on every core (tens of megabytes on a national grid, and fresh memory is costly to
        // touch: on one core this was a visible pause).
        let demand = gather(&parts, |p| &p.demand);
        let in_communes = gather(&parts, |p| &p.in_communes);
        let mut parts = parts.into_iter();
        let Some(mut cells) = parts.next() else {
            return Ok(b.finish());
        };
        let mut done = cells.len();
        if let Some(polygons) = &mut cells.polygons {
            polygons.reserve_exact(count - done);
        }
        for p in parts {
            let next = p.len();
            cells.append_after(p, done);
            done += next;
        }
        (cells.demand, cells.in_communes) = (demand, in_communes);
        cells.population = population;
        Ok(cells)
    }

    /// Makes room for `cells` more cells.
    fn reserve(&mut self, cells: usize) {
        self.demand.reserve(cells);
        self.in_communes.reserve(cells);
        match self.ids.last_mut() {
            Some(block) => block.reserve(cells),
            None => self.id_room = cells,
        }
    }

    /// Adds the ids, cells near a QPV and polygons of `next`, whose cells come after the
    /// first `count` cells of the grid (its demand and membership are gathered apart).
    fn append_after(&mut self, next: AccessCells, count: usize) {
        self.ids.extend(next.ids.into_iter().map(|mut block| {
            block.first += count;
            block
        }));
        self.near.extend(next.near.iter().map(|i| i + count));
        self.near_cells.extend(next.near_cells);
        if let (Some(mine), Some(theirs)) = (&mut self.polygons, next.polygons) {
            mine.extend(theirs);
        }
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.demand.len()
    }

    /// True when there is no cell.
    pub fn is_empty(&self) -> bool {
        self.demand.is_empty()
    }

    /// The id of cell `i`.
    pub fn id(&self, i: usize) -> CellId<'_> {
        let block = &self.ids[self.ids.partition_point(|b| b.first <= i) - 1];
        block.id(i - block.first)
    }

    /// The ids of the cells `rows`, in order: [`Self::id`] of each, without searching for
    /// each one's block.
    pub fn ids(&self, rows: std::ops::Range<usize>) -> impl Iterator<Item = CellId<'_>> + '_ {
        let mut b = self
            .ids
            .partition_point(|b| b.first <= rows.start)
            .saturating_sub(1);
        rows.map(move |i| {
            while i >= self.ids[b].first + self.ids[b].len() {
                b += 1;
            }
            self.ids[b].id(i - self.ids[b].first)
        })
    }

    /// The polygon of cell `i`, if polygons were kept.
    pub fn polygon(&self, i: usize) -> Option<&Polygon<f64>> {
        self.polygons.as_ref().map(|p| &p[i])
    }

    /// The cells near a QPV (bounding boxes meeting) with their positions in the grid.
    pub fn near_zones(&self) -> (&[usize], &[GridCell]) {
        (&self.near, &self.near_cells)
    }
}

/// The items of `slice` of every part, end to end, copied on every core.
fn gather<T: Copy + Send + Sync>(
    parts: &[AccessCells],
    slice: impl Fn(&AccessCells) -> &[T] + Sync,
) -> Vec<T> {
    let ends: Vec<usize> = parts
        .iter()
        .scan(0, |end, p| {
            *end += slice(p).len();
            Some(*end)
        })
        .collect();
    let count = ends.last().copied().unwrap_or(0);
    (0..count)
        .into_par_iter()
        .with_min_len(1 << 14)
        .map(|i| {
            let k = ends.partition_point(|&end| end <= i);
            let start = if k == 0 { 0 } else { ends[k - 1] };
            slice(&parts[k])[i - start]
        })
        .collect()
}

/// The id of a cell: its text, or its numbers when written the canonical way (which print
/// as that text exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellId<'a> {
    /// Any id, as read.
    Text(&'a str),
    /// A canonical id.
    Canonical(CanonicalId),
}

impl CellId<'_> {
    /// Appends the id as text.
    pub fn write(self, out: &mut Vec<u8>) {
        match self {
            CellId::Text(text) => out.extend_from_slice(text.as_bytes()),
            CellId::Canonical(id) => id.write(out),
        }
    }
}

impl std::fmt::Display for CellId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CellId::Text(text) => f.write_str(text),
            CellId::Canonical(id) => id.fmt(f),
        }
    }
}

impl Serialize for CellId<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The ids of consecutive cells.
#[derive(Debug, Clone)]
struct IdBlock {
    /// The position in the grid of the first cell.
    first: usize,
    ids: BlockIds,
}

/// The ids of a block: canonical ids of one `(crs, size)` at 8 bytes each (instead of 30 and
/// more as text), or any ids as text.
#[derive(Debug, Clone)]
enum BlockIds {
    /// Canonical ids of one `(crs, size)`: their corners ([`CanonicalId::corner_key`]).
    Canonical {
        crs: u32,
        size: u32,
        corners: Vec<u64>,
    },
    /// Ids end to end; `ends[j]` is where the id of cell `first + j` ends.
    Text { text: String, ends: Vec<u32> },
}

impl IdBlock {
    /// A block from cell `first` on, of the kind of `canonical`, with room for `cells` ids.
    fn new(first: usize, canonical: Option<CanonicalId>, cells: usize) -> Self {
        let ids = match canonical {
            Some(id) => BlockIds::Canonical {
                crs: id.crs,
                size: id.size,
                corners: Vec::with_capacity(cells),
            },
            // INSPIRE ids take 30 bytes.
            None => BlockIds::Text {
                text: String::with_capacity(cells * 30),
                ends: Vec::with_capacity(cells),
            },
        };
        IdBlock { first, ids }
    }

    fn len(&self) -> usize {
        match &self.ids {
            BlockIds::Canonical { corners, .. } => corners.len(),
            BlockIds::Text { ends, .. } => ends.len(),
        }
    }

    /// Makes room for `cells` more ids.
    fn reserve(&mut self, cells: usize) {
        match &mut self.ids {
            BlockIds::Canonical { corners, .. } => corners.reserve(cells),
            BlockIds::Text { text, ends } => {
                text.reserve(cells * 30);
                ends.reserve(cells);
            }
        }
    }

    /// Adds the next id; `false` when this block cannot hold it (a canonical block holds
    /// canonical ids of its `(crs, size)` only; a text block up to 4 GiB of text).
    fn push(&mut self, id: &str, canonical: Option<CanonicalId>) -> bool {
        match (&mut self.ids, canonical) {
            (BlockIds::Canonical { crs, size, corners }, Some(c))
                if (c.crs, c.size) == (*crs, *size) =>
            {
                corners.push(c.corner_key());
                true
            }
            (BlockIds::Canonical { .. }, _) => false,
            (BlockIds::Text { text, ends }, _) => match u32::try_from(text.len() + id.len()) {
                Ok(end) => {
                    text.push_str(id);
                    ends.push(end);
                    true
                }
                Err(_) => false,
            },
        }
    }

    /// The id of cell `first + j`.
    fn id(&self, j: usize) -> CellId<'_> {
        match &self.ids {
            BlockIds::Canonical { crs, size, corners } => {
                CellId::Canonical(CanonicalId::from_corner_key(*crs, *size, corners[j]))
            }
            BlockIds::Text { text, ends } => {
                let start = if j == 0 { 0 } else { ends[j - 1] as usize };
                CellId::Text(&text[start..ends[j] as usize])
            }
        }
    }
}

/// The cells of one part of a grid file, and the inhabitants of each when they are not the
/// demand (the population is summed in grid order once the parts are joined).
struct Part {
    cells: AccessCells,
    inhabitants: Vec<f64>,
}

/// Builds [`AccessCells`] one [`GridCell`] at a time.
///
/// # Examples
/// ```
/// use qpv::analysis::access_cells::CellsBuilder;
/// use qpv::analysis::access_report::DemandKind;
/// use qpv::crs::Crs;
/// use qpv::io::embedded::{self, GridYear};
/// let crs = Crs::LAMBERT93;
/// let (zones, communes) = (embedded::zones(crs).unwrap(), embedded::communes(crs).unwrap());
/// let mut b = CellsBuilder::new(DemandKind::Inhabitants, &zones, Some(&communes), false);
/// let grid = embedded::grid(GridYear::Y2019, crs).unwrap();
/// grid.iter().cloned().for_each(|c| b.push(c));
/// let cells = b.finish();
/// assert_eq!((cells.len(), cells.id(0).to_string()), (grid.len(), grid[0].id.clone()));
/// assert_eq!(cells.demand[3].demand, grid[3].values.ind);
/// ```
pub struct CellsBuilder {
    kind: DemandKind,
    zone_boxes: RTree<Rectangle<[f64; 2]>>,
    communes: Option<ZoneIndex>,
    cells: AccessCells,
}

impl CellsBuilder {
    /// A builder for the demand `kind`, the shares inside `zones`, the membership of
    /// `communes` (`None`: every cell is in), keeping every polygon when `keep_polygons`.
    pub fn new(
        kind: DemandKind,
        zones: &[Zone],
        communes: Option<&[Zone]>,
        keep_polygons: bool,
    ) -> Self {
        let boxes = zones
            .iter()
            .filter_map(|z| z.geometry.bounding_rect())
            .map(|r| Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]))
            .collect();
        CellsBuilder {
            kind,
            zone_boxes: RTree::bulk_load(boxes),
            communes: communes.map(ZoneIndex::new),
            cells: AccessCells {
                polygons: keep_polygons.then(Vec::new),
                communes: communes.map(<[Zone]>::len),
                ..AccessCells::default()
            },
        }
    }

    /// Adds the next cell.
    pub fn push(&mut self, cell: GridCell) {
        let mut out = std::mem::take(&mut self.cells);
        out.population += cell.values.ind;
        self.add(&mut out, cell.view());
        self.cells = out;
    }

    /// No cell yet, with the settings of this builder.
    fn empty(&self) -> AccessCells {
        AccessCells {
            polygons: self.cells.polygons.as_ref().map(|_| Vec::new()),
            communes: self.cells.communes,
            ..AccessCells::default()
        }
    }

    /// Adds `cell` after the cells of `out` (all but its population).
    fn add(&self, out: &mut AccessCells, cell: CellView<'_>) {
        let centre: Coord<f64> = cell.centre();
        let i = out.demand.len();
        out.demand.push(Demand {
            point: centre,
            demand: self.kind.of_values(cell.values),
        });
        out.in_communes.push(
            self.communes
                .as_ref()
                .is_none_or(|c| c.containing(centre).is_some()),
        );
        let held = out
            .ids
            .last_mut()
            .is_some_and(|block| block.push(cell.id, cell.canonical));
        if !held {
            let mut block = IdBlock::new(i, cell.canonical, std::mem::take(&mut out.id_room));
            block.push(cell.id, cell.canonical);
            out.ids.push(block);
        }
        if let Some(polygons) = &mut out.polygons {
            polygons.push(cell.polygon());
        }
        let near = cell.bounding_rect().is_some_and(|r| {
            let env = rstar::AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
            // The box of all zones first: most cells of a national grid are far from them.
            self.zone_boxes.root().envelope().intersects(&env)
                && self
                    .zone_boxes
                    .locate_in_envelope_intersecting(&env)
                    .next()
                    .is_some()
        });
        if near {
            out.near.push(i);
            out.near_cells.push(cell.to_cell());
        }
    }

    /// The cells added so far (room reserved and not used is not shrunk away: it was never
    /// touched, so it takes no memory, while shrinking would copy the vectors).
    pub fn finish(self) -> AccessCells {
        self.cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::embedded;
    use crate::io::grid::read_grid;

    /// Everything `cells` holds, as text (floats as bits).
    fn summary(cells: &AccessCells) -> String {
        let mut text = format!(
            "{} {} {:?}\n",
            cells.len(),
            cells.population.to_bits(),
            cells.communes
        );
        for i in 0..cells.len() {
            let d = &cells.demand[i];
            text.push_str(&format!(
                "{} {} {} {} {} {:?}\n",
                cells.id(i),
                d.point.x.to_bits(),
                d.point.y.to_bits(),
                d.demand.to_bits(),
                cells.in_communes[i],
                cells.polygon(i)
            ));
        }
        let (near, near_cells) = cells.near_zones();
        text.push_str(&format!("{near:?}\n{near_cells:?}"));
        text
    }

    // Oracle: the builder fed cell by cell with the cells of the general reader; the file is
    // read by parts on every core (a plain file cut into blocks), joined without copying ids.
    #[test]
    fn read_in_parts_gives_what_the_cell_by_cell_builder_gives() {
        let crs = Crs::LAMBERT93;
        let (zones, communes) = (
            embedded::zones(crs).unwrap(),
            embedded::communes(crs).unwrap(),
        );
        let mut text = String::from(
            "IdINSPIRE,Ind,Men,Men_pauv,Ind_snv,Men_1ind,Men_5ind,Men_fmp,Men_prop,Men_coll,Men_mais,Men_surf\n",
        );
        // Around Belfort (its QPV and communes), in no order; some ids not canonical.
        for i in 0..4000u32 {
            let k = (u64::from(i) * 2_654_435_761 % 4000) as u32;
            let zero = if i % 97 == 0 { "0" } else { "" };
            text.push_str(&format!(
                "CRS3035RES200mN{zero}{}E{},{}.5,4,{},150000,1,0,0,2,2,2,300\n",
                2_722_000 + 200 * (k % 80),
                4_080_000 + 200 * (k / 80),
                i % 13,
                i % 5
            ));
        }
        let path =
            std::env::temp_dir().join(format!("qpv-access-parts-{}.csv", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        for (kind, polygons) in [
            (DemandKind::Inhabitants, false),
            (DemandKind::PoorHouseholds, true),
        ] {
            let read = AccessCells::read(&path, crs, kind, &zones, Some(&communes), polygons);
            let grid = read_grid(&path, crs).unwrap();
            let one = AccessCells::from_cells(&grid, kind, &zones, Some(&communes), polygons);
            let read = read.unwrap();
            assert!(!read.near_zones().0.is_empty() && read.in_communes.contains(&true));
            assert_eq!(summary(&read), summary(&one));
        }
        std::fs::remove_file(&path).unwrap();
    }
}
