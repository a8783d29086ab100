//! Index over zone polygons (QPV perimeters or candidates), built once per run: an R-tree of
//! bounding boxes to find candidate zones, a lazy grid of the zones that matter to each cell
//! (for [`ZoneIndex::locate`], see `zone_cells`), one [`PreparedPolygon`] per zone for the
//! exact point-in-polygon test and the distance to its boundary.
//!
//! Conventions (deterministic, documented once here):
//! - a point on a zone's perimeter belongs to the zone (closed polygons);
//! - a point in (or on the boundary of) several zones — typically a point on a boundary shared
//!   by two adjacent zones — belongs to the zone with the lowest code (string order, then input
//!   order);
//! - the signed distance is negative inside a zone, 0 on a boundary, positive outside.

use geo::{Coord, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, Envelope, RTree};

use super::polygon::{Position, PreparedPolygon};
use super::zone_cells::{CellCandidate, ZoneCells, point_rect_distance_2, rect_distance_2};
use crate::model::Zone;

/// One indexed zone.
#[derive(Debug, Clone)]
pub struct IndexedZone {
    /// Code (`QN09001I`).
    pub code: String,
    /// Name (`Bougenel - Mulhouse`).
    pub name: String,
    /// The perimeter, prepared for point queries.
    pub shape: PreparedPolygon,
}

/// Where a point falls among the zones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoneHit {
    /// The zone containing the point (interior or boundary; lowest code when several), as an
    /// index into [`ZoneIndex::zone`].
    pub zone: Option<usize>,
    /// True when the point is exactly on the boundary of the zone it was assigned to.
    pub on_boundary: bool,
    /// Signed distance to the nearest zone boundary (metres in a metric CRS): minus the
    /// distance to the containing zone's boundary when inside, 0 on a boundary, plus the
    /// distance to the nearest zone otherwise. `None` when there is no zone at all (or, with
    /// [`ZoneIndex::locate_within`], none within the limit).
    pub signed_distance: Option<f64>,
    /// The containing zone, else the zone whose boundary is nearest (lowest code on ties).
    pub nearest_zone: Option<usize>,
}

impl ZoneHit {
    /// In no zone, and no boundary within the limit.
    const NONE: ZoneHit = ZoneHit {
        zone: None,
        on_boundary: false,
        signed_distance: None,
        nearest_zone: None,
    };
}

/// Spatial index over zones; see the module documentation for the boundary conventions.
#[derive(Debug, Clone)]
pub struct ZoneIndex {
    zones: Vec<IndexedZone>,
    boxes: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    /// Bounding box of each zone (empty zones: an inverted box no point is in or near).
    bboxes: Vec<Rect<f64>>,
    /// Candidate zones per grid cell, for [`Self::locate_within`].
    cells: Option<ZoneCells>,
}

impl ZoneIndex {
    /// Builds the index (copies code, name and geometry of each zone).
    ///
    /// ```
    /// use geo::{Coord, MultiPolygon, polygon};
    /// use qpv::index::ZoneIndex;
    /// use qpv::model::{Attributes, Zone};
    ///
    /// let square = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
    /// let zone = Zone { code: "Z1".into(), name: "Square".into(), communes: vec![],
    ///     geometry: MultiPolygon(vec![square]), attributes: Attributes::default() };
    /// let index = ZoneIndex::new(&[zone]);
    /// let hit = index.locate(Coord { x: 10.0, y: 50.0 });
    /// assert_eq!(hit.zone, Some(0));
    /// assert_eq!(hit.signed_distance, Some(-10.0));
    /// assert_eq!(index.locate(Coord { x: 130.0, y: 50.0 }).signed_distance, Some(30.0));
    /// ```
    pub fn new(zones: &[Zone]) -> Self {
        use rayon::prelude::*;
        let zones: Vec<IndexedZone> = zones
            .par_iter()
            .map(|z| IndexedZone {
                code: z.code.clone(),
                name: z.name.clone(),
                shape: PreparedPolygon::new(z.geometry.clone()),
            })
            .collect();
        let non_empty: Vec<(usize, Rect<f64>)> = zones
            .iter()
            .enumerate()
            .filter_map(|(i, z)| z.shape.bbox().map(|r| (i, r)))
            .collect();
        let boxes = non_empty
            .iter()
            .map(|&(i, r)| {
                GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                )
            })
            .collect();
        // An empty zone gets a box at infinity: no point is in it or near it.
        let far = Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut bboxes = vec![Rect::new(far, far); zones.len()];
        for &(i, r) in &non_empty {
            bboxes[i] = r;
        }
        let cells = ZoneCells::new(&non_empty.iter().map(|&(_, r)| r).collect::<Vec<_>>());
        ZoneIndex {
            zones,
            boxes: RTree::bulk_load(boxes),
            bboxes,
            cells,
        }
    }

    /// Number of zones.
    pub fn len(&self) -> usize {
        self.zones.len()
    }

    /// True when there is no zone.
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }

    /// The zone at `index` (input order).
    pub fn zone(&self, index: usize) -> &IndexedZone {
        &self.zones[index]
    }

    /// Every zone, in input order.
    pub fn zones(&self) -> &[IndexedZone] {
        &self.zones
    }

    /// True when zone `a` comes before zone `b` in the tie rule (code, then input order).
    fn precedes(&self, a: usize, b: usize) -> bool {
        (&self.zones[a].code, a) < (&self.zones[b].code, b)
    }

    /// The zone containing `p` (interior or boundary; lowest code when several) and whether
    /// `p` is on its boundary.
    pub fn containing(&self, p: Coord<f64>) -> Option<(usize, Position)> {
        // Outside the box of every zone (most of a national grid around a few zones): no
        // query of the R-tree, whose iterator costs more to set up than this test.
        if !self.boxes.root().envelope().contains_point(&[p.x, p.y]) {
            return None;
        }
        self.containing_among(
            p,
            self.boxes.locate_all_at_point(&[p.x, p.y]).map(|c| c.data),
        )
    }

    /// [`Self::containing`] among `candidates` (every zone whose box holds `p` must be there).
    fn containing_among(
        &self,
        p: Coord<f64>,
        candidates: impl Iterator<Item = usize>,
    ) -> Option<(usize, Position)> {
        let mut best: Option<(usize, Position)> = None;
        for zone in candidates {
            let position = self.zones[zone].shape.position(p);
            if position.is_in() && best.is_none_or(|(b, _)| self.precedes(zone, b)) {
                best = Some((zone, position));
            }
        }
        best
    }

    /// True when `zone`, at squared boundary distance `d2`, beats `best` under the tie rule
    /// (distance, then code, then input order).
    fn nearer(&self, zone: usize, d2: f64, best: Option<(usize, f64)>) -> bool {
        best.is_none_or(|(b, bd2)| d2 < bd2 || (d2 == bd2 && self.precedes(zone, b)))
    }

    /// The zones whose bounding box contains `p` (candidates for an exact test).
    pub fn candidates(&self, p: Coord<f64>) -> impl Iterator<Item = usize> + '_ {
        self.boxes.locate_all_at_point(&[p.x, p.y]).map(|c| c.data)
    }

    /// The zones whose bounding box meets `rect` (candidates for an exact test).
    pub fn candidates_in(&self, rect: geo::Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        let envelope =
            AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        self.boxes
            .locate_in_envelope_intersecting(&envelope)
            .map(|c| c.data)
    }

    /// The nearest zone boundary: (zone, distance). On ties (e.g. a shared boundary), the
    /// lowest code. `None` when there is no zone.
    pub fn nearest_boundary(&self, p: Coord<f64>) -> Option<(usize, f64)> {
        self.nearest_boundary_within(p, f64::INFINITY)
    }

    /// [`Self::nearest_boundary`] when it is at most `limit` away, else `None`: much cheaper
    /// for points far from every zone, whose exact distance is rarely wanted at national scale.
    pub fn nearest_boundary_within(&self, p: Coord<f64>, limit: f64) -> Option<(usize, f64)> {
        // Zones by increasing distance of their bounding box, each measured exactly on its own
        // edges, until the next box is farther than the nearest boundary found: for points far
        // from every zone this visits one or two zones instead of searching every edge of the
        // country. The result is the least (distance, code, input order) over every zone,
        // whatever the visiting order of boxes at equal distances.
        let query = [p.x, p.y];
        let limit2 = limit * limit;
        let mut best: Option<(usize, f64)> = None;
        for (c, box_d2) in self.boxes.nearest_neighbor_iter_with_distance_2(&query) {
            if box_d2 > limit2 || best.is_some_and(|(_, b)| box_d2 > b) {
                break;
            }
            let zone = c.data;
            let d2 = self.zones[zone].shape.boundary_distance_2(p);
            if self.nearer(zone, d2, best) {
                best = Some((zone, d2));
            }
        }
        let best = best?;
        (best.1 <= limit2).then(|| (best.0, best.1.sqrt()))
    }

    /// Where `p` falls: containing zone, signed distance to the nearest boundary, nearest zone.
    pub fn locate(&self, p: Coord<f64>) -> ZoneHit {
        self.locate_within(p, f64::INFINITY)
    }

    /// [`Self::locate`], measuring the distance of points outside every zone only up to
    /// `limit` metres: beyond it `signed_distance` and `nearest_zone` are `None`.
    pub fn locate_within(&self, p: Coord<f64>, limit: f64) -> ZoneHit {
        self.locate_limited(p, limit, f64::INFINITY)
    }

    /// [`Self::locate_within`] with the limit on both sides: a point inside a zone too gets
    /// its (negative) distance only when the boundary is within `limit`, else `None`. Enough
    /// to tell whether a boundary is near, much cheaper than measuring every point.
    pub fn locate_bounded(&self, p: Coord<f64>, limit: f64) -> ZoneHit {
        self.locate_limited(p, limit, limit)
    }

    /// Locates `p`, measuring distances outside zones up to `limit` and inside up to
    /// `inside_limit`.
    fn locate_limited(&self, p: Coord<f64>, limit: f64, inside_limit: f64) -> ZoneHit {
        let candidates = self.cell_of(p);
        let Some(candidates) = candidates else {
            return self.locate_within_all(p, limit, inside_limit);
        };
        // Same answers as `locate_within_all`, from the zones that can matter to this cell.
        if let Some((zone, position)) = self.containing_in_cell(p, candidates) {
            return self.hit_inside(p, zone, position, inside_limit);
        }
        let limit2 = limit * limit;
        if candidates.first().is_none_or(|c| c.lower_bound_2 > limit2) {
            return ZoneHit::NONE;
        }
        // The zone with the nearest box first, then the others (in the cell's order) that may
        // be as near: each measured only as far as the best distance so far.
        let first = candidates
            .iter()
            .take(64)
            .take_while(|c| c.lower_bound_2 <= limit2)
            .map(|c| point_rect_distance_2(p, &self.bboxes[c.zone as usize]))
            .enumerate()
            .fold(
                (0, f64::INFINITY),
                |m, (i, d2)| if d2 < m.1 { (i, d2) } else { m },
            )
            .0;
        let mut best: Option<(usize, f64)> = None;
        let order = std::iter::once(first).chain((0..candidates.len()).filter(|&i| i != first));
        for i in order {
            let c = &candidates[i];
            let bound = best.map_or(limit2, |(_, b)| b.min(limit2));
            if c.lower_bound_2 > bound {
                if i == first {
                    continue;
                }
                break;
            }
            let zone = c.zone as usize;
            if point_rect_distance_2(p, &self.bboxes[zone]) > bound {
                continue;
            }
            let d2 = self.zones[zone].shape.boundary_distance_2_within(p, bound);
            if self.nearer(zone, d2, best) {
                best = Some((zone, d2));
            }
        }
        let nearest = best.filter(|b| b.1 <= limit2).map(|(z, d2)| (z, d2.sqrt()));
        ZoneHit {
            zone: None,
            on_boundary: false,
            signed_distance: nearest.map(|(_, d)| d),
            nearest_zone: nearest.map(|(z, _)| z),
        }
    }

    /// The candidates of `p`'s grid cell (built on first use); `None` outside the grid.
    #[inline]
    fn cell_of(&self, p: Coord<f64>) -> Option<&[CellCandidate]> {
        self.cells
            .as_ref()
            .and_then(|cells| cells.candidates(p, |cell| self.cell_candidates(cell)))
    }

    /// [`Self::containing`] among the candidates of `p`'s grid cell.
    fn containing_in_cell(
        &self,
        p: Coord<f64>,
        candidates: &[CellCandidate],
    ) -> Option<(usize, Position)> {
        // The boxes side by side first: most candidates of a cell do not contain the point.
        self.containing_among(
            p,
            candidates
                .iter()
                .take_while(|c| c.lower_bound_2 == 0.0)
                .map(|c| c.zone as usize)
                .filter(|&zone| point_rect_distance_2(p, &self.bboxes[zone]) == 0.0),
        )
    }

    /// The zone containing `p` (interior or boundary; lowest code when several), as
    /// [`Self::containing`] finds it, through the grid of cells when `p` is in it: for
    /// queries that need no distance.
    pub fn containing_zone(&self, p: Coord<f64>) -> Option<usize> {
        let candidates = self.cell_of(p);
        match candidates {
            Some(candidates) => self.containing_in_cell(p, candidates),
            None => self.containing(p),
        }
        .map(|(zone, _)| zone)
    }

    /// The zones that can contain, or hold the nearest boundary of, a point of `cell` (see
    /// [`super::zone_cells`]), nearest box first (then input order).
    fn cell_candidates(&self, cell: Rect<f64>) -> Box<[CellCandidate]> {
        // One walk of the boxes from the cell's centre, nearest first: it finds the nearest
        // boundary `d` of the centre (boxes nearer than the best distance so far are measured)
        // and collects every box that may lie within `d + h` of the cell, i.e. within
        // `d + 2h` of the centre; it stops at the first box farther than that.
        let center = cell.center();
        let h = 0.5 * cell.width().hypot(cell.height());
        let mut d2_best = f64::INFINITY;
        let mut seen: Vec<usize> = Vec::new();
        for (c, box_d2) in self
            .boxes
            .nearest_neighbor_iter_with_distance_2(&[center.x, center.y])
        {
            let reach = d2_best.sqrt() + 2.0 * h;
            if box_d2 > reach * reach * (1.0 + 1e-9) + 1e-6 {
                break;
            }
            if box_d2 < d2_best {
                d2_best = d2_best.min(self.zones[c.data].shape.boundary_distance_2(center));
            }
            seen.push(c.data);
        }
        // Widened by a relative margin so that rounding can only add candidates.
        let reach = (d2_best.sqrt() + h) * (1.0 + 1e-9) + 1e-6;
        let mut out: Vec<CellCandidate> = seen
            .into_iter()
            .filter_map(|zone| {
                let d2 = rect_distance_2(&cell, &self.bboxes[zone]);
                (d2 <= reach * reach).then_some(CellCandidate {
                    // Rounded down so that it stays a lower bound.
                    lower_bound_2: d2 * (1.0 - 1e-12),
                    zone: zone as u32,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            a.lower_bound_2
                .total_cmp(&b.lower_bound_2)
                .then(a.zone.cmp(&b.zone))
        });
        out.into_boxed_slice()
    }

    /// The hit of a point inside (or on the boundary of) `inside`.
    fn hit_inside(&self, p: Coord<f64>, zone: usize, position: Position, limit: f64) -> ZoneHit {
        let on_boundary = position == Position::Boundary;
        let distance = if on_boundary {
            Some(0.0)
        } else {
            let limit2 = limit * limit;
            let d2 = self.zones[zone].shape.boundary_distance_2_within(p, limit2);
            (d2 <= limit2).then(|| -d2.sqrt())
        };
        ZoneHit {
            zone: Some(zone),
            on_boundary,
            signed_distance: distance,
            nearest_zone: Some(zone),
        }
    }

    /// [`Self::locate_within`] over every zone (points outside the grid of cells).
    fn locate_within_all(&self, p: Coord<f64>, limit: f64, inside_limit: f64) -> ZoneHit {
        if let Some((zone, position)) = self.containing(p) {
            return self.hit_inside(p, zone, position, inside_limit);
        }
        let nearest = self.nearest_boundary_within(p, limit);
        ZoneHit {
            zone: None,
            on_boundary: false,
            signed_distance: nearest.map(|(_, d)| d),
            nearest_zone: nearest.map(|(z, _)| z),
        }
    }
}
