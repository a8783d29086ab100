//! INSEE Filosofi 200 m grid cells.

use geo::Polygon;
use serde::Serialize;

/// The additive values of a Filosofi cell (sums, never medians: they can be split by area).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GridValues {
    /// Individuals (`Ind`).
    pub ind: f64,
    /// Households (`Men`).
    pub men: f64,
    /// Poor households, below 60 % of the national median standard of living (`Men_pauv`).
    pub men_pauv: f64,
    /// Sum of individuals' yearly standards of living, € (`Ind_snv`).
    pub ind_snv: f64,
    /// One-person households (`Men_1ind`).
    pub men_1ind: f64,
    /// Households of five or more (`Men_5ind`).
    pub men_5ind: f64,
    /// Single-parent households (`Men_fmp`).
    pub men_fmp: f64,
    /// Owner households (`Men_prop`).
    pub men_prop: f64,
    /// Households in flats (`Men_coll`).
    pub men_coll: f64,
    /// Households in houses (`Men_mais`).
    pub men_mais: f64,
    /// Sum of dwelling surfaces, m² (`Men_surf`).
    pub men_surf: f64,
}

impl GridValues {
    /// `self + other × weight`, for areal interpolation.
    pub fn add_scaled(&mut self, other: &GridValues, weight: f64) {
        self.ind += other.ind * weight;
        self.men += other.men * weight;
        self.men_pauv += other.men_pauv * weight;
        self.ind_snv += other.ind_snv * weight;
        self.men_1ind += other.men_1ind * weight;
        self.men_5ind += other.men_5ind * weight;
        self.men_fmp += other.men_fmp * weight;
        self.men_prop += other.men_prop * weight;
        self.men_coll += other.men_coll * weight;
        self.men_mais += other.men_mais * weight;
        self.men_surf += other.men_surf * weight;
    }
}

/// One 200 m cell, reprojected into the working CRS.
#[derive(Debug, Clone)]
pub struct GridCell {
    /// INSPIRE id, e.g. `CRS3035RES200mN2730200E4079600`.
    pub id: String,
    /// The square (a slightly rotated quadrilateral once in Lambert-93).
    pub polygon: Polygon<f64>,
    /// Its values.
    pub values: GridValues,
    /// True when INSEE imputed the values (cells with fewer than 11 households).
    pub imputed: bool,
}

impl GridCell {
    /// The centre of the cell: the mean of its four corners (in Lambert-93 the reprojected
    /// square is a parallelogram to well under a millimetre, so this is its centroid).
    ///
    /// ```
    /// use qpv::crs::Crs;
    /// use qpv::io::embedded::{GridYear, grid};
    /// let cells = grid(GridYear::Y2019, Crs::LAMBERT93).unwrap();
    /// let c = cells[0].centre();
    /// let ring = &cells[0].polygon.exterior().0;
    /// assert!((c.x - (ring[0].x + ring[2].x) / 2.0).abs() < 1e-3);
    /// ```
    pub fn centre(&self) -> geo::Coord<f64> {
        self.view().centre()
    }

    /// The cell borrowed.
    pub fn view(&self) -> CellView<'_> {
        CellView {
            id: &self.id,
            canonical: super::CanonicalId::parse(&self.id),
            ring: &self.polygon.exterior().0,
            values: &self.values,
            imputed: self.imputed,
        }
    }
}

/// A grid cell borrowed from where it was read (its row, its ring on the stack): what a
/// reader hands on when most cells are summarised and few kept, so that a cell not kept costs
/// no allocation.
///
/// ```
/// use geo::Coord;
/// use qpv::model::{CellView, GridValues};
/// let ring = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)].map(Coord::from);
/// let values = GridValues { ind: 3.0, ..GridValues::default() };
/// let view = CellView { id: "a", canonical: None, ring: &ring, values: &values, imputed: false };
/// assert_eq!(view.centre(), Coord { x: 1.0, y: 1.0 });
/// let cell = view.to_cell();
/// assert_eq!((cell.id.as_str(), cell.centre(), cell.values.ind), ("a", view.centre(), 3.0));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CellView<'a> {
    /// INSPIRE id.
    pub id: &'a str,
    /// The id as numbers, when written the canonical way.
    pub canonical: Option<super::CanonicalId>,
    /// The closed ring of the square, as in [`GridCell::polygon`].
    pub ring: &'a [geo::Coord<f64>],
    /// Its values.
    pub values: &'a GridValues,
    /// True when INSEE imputed the values.
    pub imputed: bool,
}

impl CellView<'_> {
    /// The cell owned.
    pub fn to_cell(&self) -> GridCell {
        GridCell {
            id: self.id.to_string(),
            polygon: self.polygon(),
            values: *self.values,
            imputed: self.imputed,
        }
    }

    /// The square as a polygon.
    pub fn polygon(&self) -> Polygon<f64> {
        Polygon::new(geo::LineString(self.ring.to_vec()), vec![])
    }

    /// The bounding box of the square (`None` for an empty ring), as the polygon's.
    pub fn bounding_rect(&self) -> Option<geo::Rect<f64>> {
        crate::geometry::bounds::of_points(self.ring.iter().copied())
    }

    /// See [`GridCell::centre`].
    pub fn centre(&self) -> geo::Coord<f64> {
        let ring = self.ring;
        let n = ring.len().saturating_sub(1).max(1);
        let (sx, sy) = ring
            .iter()
            .take(n)
            .fold((0.0, 0.0), |(x, y), c| (x + c.x, y + c.y));
        geo::Coord {
            x: sx / n as f64,
            y: sy / n as f64,
        }
    }
}

/// Which grid a result was computed on, so that every report can name it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridSource {
    /// Filosofi vintage (the year of the incomes), when known: from the embedded file, from
    /// `--grid-year`, or from a year in the file name.
    pub vintage: Option<u16>,
    /// Where the cells come from: the embedded extract or the file name.
    pub origin: String,
    /// When the cells were restricted, to what (e.g. "the 52 communes of CA Grand Belfort").
    pub restricted_to: Option<String>,
    /// Number of cells used.
    pub cells: usize,
    /// Their population (sum of `Ind`).
    pub population: f64,
}

impl GridSource {
    /// One line for reports: "INSEE Filosofi 2019 200 m grid (embedded extract …), 3490
    /// cells".
    ///
    /// ```
    /// use qpv::model::GridSource;
    /// let g = GridSource { vintage: Some(2019), origin: "grid.csv".into(),
    ///     restricted_to: None, cells: 2, population: 10.0 };
    /// assert_eq!(g.label(), "INSEE Filosofi 2019 200 m grid (grid.csv), 2 cells");
    /// ```
    pub fn label(&self) -> String {
        let vintage = match self.vintage {
            Some(y) => format!("INSEE Filosofi {y} 200 m grid"),
            None => "Filosofi 200 m grid of unstated vintage".to_string(),
        };
        let restricted = match &self.restricted_to {
            Some(r) => format!(", restricted to the cells whose centre lies in {r}"),
            None => String::new(),
        };
        format!(
            "{vintage} ({}){restricted}, {} cells",
            self.origin, self.cells
        )
    }
}
