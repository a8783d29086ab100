//! The grid as `qpv access` keeps it: per cell only its centre, demand, id and whether it lies
//! in the communes, in flat vectors (about 60 bytes a cell instead of a [`GridCell`]'s 300),
//! so that a national grid of millions of cells is read cell by cell and never held whole.
//! Polygons are kept only for the cells near a QPV (for the area shares) and, on request,
//! for the output layer.

use geo::{BoundingRect, Coord, Polygon};
use rstar::RTree;
use rstar::primitives::Rectangle;
use serde::Serialize;

use std::path::Path;

use crate::crs::Crs;
use crate::error::Result;
use crate::index::ZoneIndex;
use crate::io::grid::read_grid_parts;
use crate::model::{CellView, GridCell, GridValues, Zone};

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
    /// The ids, end to end; `id_ends[i]` is where cell `i`'s ends.
    ids: String,
    id_ends: Vec<usize>,
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
            part.inhabitants.reserve(cells);
            part
        };
        let add = |part: &mut Part, cell: CellView<'_>| {
            part.inhabitants.push(cell.values.ind);
            b.add(&mut part.cells, cell);
        };
        let parts = read_grid_parts(path, crs, part, add)?;
        let count: usize = parts.iter().map(|p| p.cells.len()).sum();
        let id_bytes: usize = parts.iter().map(|p| p.cells.ids.len()).sum();
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else {
            return Ok(b.finish());
        };
        let mut cells = first.cells;
        let mut inhabitants = first.inhabitants;
        // Room for all at once: the parts are copied once.
        cells.reserve_exact(count - cells.len(), id_bytes - cells.ids.len());
        inhabitants.reserve_exact(count - inhabitants.len());
        for p in parts {
            cells.append(p.cells);
            inhabitants.extend_from_slice(&p.inhabitants);
        }
        // Summed in grid order, as cell by cell.
        cells.population = inhabitants.iter().fold(0.0, |sum, ind| sum + ind);
        Ok(cells)
    }

    /// Makes room for `cells` more cells.
    fn reserve(&mut self, cells: usize) {
        self.demand.reserve(cells);
        self.in_communes.reserve(cells);
        self.ids.reserve(cells * 30);
        self.id_ends.reserve(cells);
    }

    /// Makes room for exactly `cells` more cells of `id_bytes` bytes of ids in all.
    fn reserve_exact(&mut self, cells: usize, id_bytes: usize) {
        self.demand.reserve_exact(cells);
        self.in_communes.reserve_exact(cells);
        self.ids.reserve_exact(id_bytes);
        self.id_ends.reserve_exact(cells);
        if let Some(polygons) = &mut self.polygons {
            polygons.reserve_exact(cells);
        }
    }

    /// Adds the cells of `next`, which come after these in the grid (all but the population).
    fn append(&mut self, next: AccessCells) {
        let (count, id_bytes) = (self.len(), self.ids.len());
        self.demand.extend_from_slice(&next.demand);
        self.in_communes.extend_from_slice(&next.in_communes);
        self.ids.push_str(&next.ids);
        self.id_ends
            .extend(next.id_ends.iter().map(|end| end + id_bytes));
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
    pub fn id(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.id_ends[i - 1] };
        &self.ids[start..self.id_ends[i]]
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

/// The cells of one part of a grid file, and the inhabitants of each (the population is
/// summed in grid order once the parts are joined).
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
/// assert_eq!((cells.len(), cells.id(0)), (grid.len(), grid[0].id.as_str()));
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

    /// Makes room for `cells` more cells.
    pub fn reserve(&mut self, cells: usize) {
        self.cells.reserve(cells);
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
        out.ids.push_str(cell.id);
        out.id_ends.push(out.ids.len());
        if let Some(polygons) = &mut out.polygons {
            polygons.push(cell.polygon());
        }
        let near = cell.bounding_rect().is_some_and(|r| {
            let env = rstar::AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
            self.zone_boxes
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
