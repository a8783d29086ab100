//! Areal interpolation of the 200 m grid onto many zones at once (`qpv interpolate`): per zone,
//! its area, the number of cells it touches and every Filosofi count, area-weighted (the method
//! of [`super::interpolate`]: people evenly spread inside a cell).
//!
//! For a national grid file (millions of cells), the file is read row by row and only the cells
//! near some zone are reprojected and kept ([`crate::io::grid::read_grid_where`]): the zones'
//! boxes are carried into the grid's CRS with a margin, and a bitmap of 1 km tiles answers
//! "near a zone?" for each row in constant time. The zones are then interpolated in parallel.

use std::path::Path;

use geo::{BoundingRect, Coord, Rect};
use rayon::prelude::*;
use serde::Serialize;

use super::interpolate::{GridIndex, Indicators};
use crate::crs::{Crs, Reprojector};
use crate::error::Result;
use crate::geometry::bounds;
use crate::io::grid::read_grid_where;
use crate::model::{GridCell, GridValues, Zone};

/// One zone's interpolated grid figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZonePopulation {
    /// Zone code (`code_qp`).
    pub code: String,
    /// Zone name (`lib_qp`).
    pub name: String,
    /// Zone area, m².
    pub area_m2: f64,
    /// Cells the zone overlaps (weight above [`super::interpolate::WEIGHT_SNAP`]).
    pub cells: usize,
    /// Every count, area-weighted (`ind` = population, `men` = households, `men_pauv` = poor
    /// households…).
    pub values: GridValues,
}

impl ZonePopulation {
    fn new(zone: &Zone, est: Indicators) -> Self {
        ZonePopulation {
            code: zone.code.clone(),
            name: zone.name.clone(),
            area_m2: est.area_m2,
            cells: est.cells,
            values: est.values,
        }
    }
}

/// Interpolates `cells` onto every zone, in the zones' order (in parallel), with exact cell
/// areas ([`GridIndex::estimate_exact`]).
///
/// # Examples
///
/// ```
/// use qpv::analysis::zone_population::zone_populations;
/// use qpv::io::embedded::{self, GridYear};
/// use qpv::crs::Crs;
/// let zones = embedded::zones(Crs::LAMBERT93).unwrap();
/// let cells = embedded::grid(GridYear::Y2019, Crs::LAMBERT93).unwrap();
/// let rows = zone_populations(&zones, &cells);
/// assert_eq!(rows.len(), 7);
/// assert!(rows.iter().all(|r| r.values.ind > 0.0 && r.cells > 0));
/// ```
pub fn zone_populations(zones: &[Zone], cells: &[GridCell]) -> Vec<ZonePopulation> {
    let grid = GridIndex::new(cells);
    zones
        .par_iter()
        .map(|z| ZonePopulation::new(z, grid.estimate_exact(&z.geometry)))
        .collect()
}

/// [`zone_populations`] from a Filosofi grid file, reading it row by row and reprojecting and
/// keeping only the cells near a zone (the others cannot overlap any zone). Returns the rows
/// and the number of cells kept.
///
/// # Errors
/// Those of the grid reader (the file is checked whole, row by row), and a CRS the zones'
/// boxes cannot be carried into.
pub fn zone_populations_from_file(
    zones: &[Zone],
    grid: &Path,
    crs: Crs,
) -> Result<(Vec<ZonePopulation>, usize)> {
    let boxes: Vec<Rect<f64>> = zones
        .iter()
        .filter_map(|z| z.geometry.bounding_rect())
        .collect();
    let mut near: Option<(Crs, Option<TileMask>)> = None;
    let mut error = None;
    let mut cells = Vec::new();
    let wanted = |grid_crs: Crs, square: Rect<f64>| {
        if near.as_ref().is_none_or(|(c, _)| *c != grid_crs) {
            match TileMask::new(&boxes, crs, grid_crs) {
                Ok(mask) => near = Some((grid_crs, mask)),
                Err(e) => {
                    error.get_or_insert(e);
                    near = Some((grid_crs, None));
                }
            }
        }
        near.as_ref()
            .and_then(|(_, m)| m.as_ref())
            .is_some_and(|m| m.meets(square))
    };
    read_grid_where(grid, crs, wanted, |c| cells.push(c))?;
    if let Some(e) = error {
        return Err(e);
    }
    let kept = cells.len();
    Ok((zone_populations(zones, &cells), kept))
}

/// Side of the tiles of the mask, in the grid's CRS units (m).
const TILE_M: f64 = 1_000.0;

/// Margin around each zone's box once carried into the grid's CRS, m: far more than the
/// difference between a cell's straight-edged quadrilateral in the working CRS and the image
/// of its square (millimetres over 200 m), and than the sampling of the box's outline.
const MARGIN_M: f64 = 500.0;

/// The 1 km tiles of the grid's CRS that some zone's box (with a margin) meets.
struct TileMask {
    min: Coord<f64>,
    nx: usize,
    ny: usize,
    bits: Vec<bool>,
}

impl TileMask {
    /// `None` without zones.
    fn new(boxes: &[Rect<f64>], working: Crs, grid_crs: Crs) -> Result<Option<Self>> {
        let back = Reprojector::new(working, grid_crs)?;
        let mut carried = Vec::with_capacity(boxes.len());
        for b in boxes {
            carried.push(carry_box(&back, b)?);
        }
        let Some(all) = bounds::union_of(&carried) else {
            return Ok(None);
        };
        let (lo, hi) = (all.min(), all.max());
        let min = Coord {
            x: (lo.x / TILE_M).floor() * TILE_M,
            y: (lo.y / TILE_M).floor() * TILE_M,
        };
        let nx = ((hi.x - min.x) / TILE_M).floor() as usize + 1;
        let ny = ((hi.y - min.y) / TILE_M).floor() as usize + 1;
        let mut mask = TileMask {
            min,
            nx,
            ny,
            bits: vec![false; nx * ny],
        };
        for r in &carried {
            let (x0, y0) = mask.tile(r.min());
            let (x1, y1) = mask.tile(r.max());
            for y in y0..=y1 {
                mask.bits[y * nx + x0..=y * nx + x1].fill(true);
            }
        }
        Ok(Some(mask))
    }

    /// The tile of a point, clamped to the mask.
    fn tile(&self, p: Coord<f64>) -> (usize, usize) {
        let fx = ((p.x - self.min.x) / TILE_M).floor().max(0.0) as usize;
        let fy = ((p.y - self.min.y) / TILE_M).floor().max(0.0) as usize;
        (fx.min(self.nx - 1), fy.min(self.ny - 1))
    }

    /// Whether `square` may meet a zone's (widened) box.
    fn meets(&self, square: Rect<f64>) -> bool {
        let max_x = self.min.x + self.nx as f64 * TILE_M;
        let max_y = self.min.y + self.ny as f64 * TILE_M;
        if square.max().x < self.min.x
            || square.max().y < self.min.y
            || square.min().x > max_x
            || square.min().y > max_y
        {
            return false;
        }
        let (x0, y0) = self.tile(square.min());
        let (x1, y1) = self.tile(square.max());
        (y0..=y1).any(|y| self.bits[y * self.nx + x0..=y * self.nx + x1].contains(&true))
    }
}

/// A working-CRS box carried into the grid's CRS: the box of its outline sampled every 1/32 of a
/// side, widened by [`MARGIN_M`].
fn carry_box(back: &Reprojector, b: &Rect<f64>) -> Result<Rect<f64>> {
    const STEPS: usize = 32;
    let (lo, hi) = (b.min(), b.max());
    let mut outline = Vec::with_capacity(4 * (STEPS + 1));
    for k in 0..=STEPS {
        let t = k as f64 / STEPS as f64;
        let x = lo.x + t * (hi.x - lo.x);
        let y = lo.y + t * (hi.y - lo.y);
        for p in [
            Coord { x, y: lo.y },
            Coord { x, y: hi.y },
            Coord { x: lo.x, y },
            Coord { x: hi.x, y },
        ] {
            outline.push(back.coord(p)?);
        }
    }
    let r = bounds::of_points(outline).expect("the outline has points");
    Ok(bounds::widened(r, MARGIN_M))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_mask_marks_the_widened_boxes_only() {
        let boxes = [Rect::new(
            Coord {
                x: 989_000.0,
                y: 6_734_000.0,
            },
            Coord {
                x: 990_000.0,
                y: 6_735_000.0,
            },
        )];
        // Identity CRS: the box widened by 500 m, on 1 km tiles.
        let mask = TileMask::new(&boxes, Crs::LAMBERT93, Crs::LAMBERT93)
            .unwrap()
            .unwrap();
        let sq = |x: f64, y: f64| {
            Rect::new(
                Coord { x, y },
                Coord {
                    x: x + 200.0,
                    y: y + 200.0,
                },
            )
        };
        assert!(mask.meets(sq(989_400.0, 6_734_400.0)));
        assert!(mask.meets(sq(988_400.0, 6_733_400.0)));
        assert!(!mask.meets(sq(986_000.0, 6_734_000.0)));
        assert!(!mask.meets(sq(989_000.0, 6_738_000.0)));
        assert!(
            TileMask::new(&[], Crs::LAMBERT93, Crs::LAMBERT93)
                .unwrap()
                .is_none()
        );
    }
}
