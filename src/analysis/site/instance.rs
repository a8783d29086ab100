//! The covering instance: which demand points each candidate site reaches within D, found
//! with an R-tree over the demand points.

use geo::Point;
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// A covering instance, the input of every solver of this module.
///
/// Coverage is "distance ≤ D", straight line in the working CRS, from the demand point (a
/// cell centre) to the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Weight of each demand point (residents, poor households…).
    pub demand: Vec<f64>,
    /// Demand points already within D of an existing facility.
    pub covered_before: Vec<bool>,
    /// For each candidate, the demand points it covers, ascending.
    pub covers: Vec<Vec<u32>>,
}

type Indexed = GeomWithData<[f64; 2], u32>;

impl Instance {
    /// Builds the coverage sets of `candidates` over `demand_points` (weights `demand`), with
    /// the points already covered by `existing` facilities marked.
    ///
    /// # Examples
    /// ```
    /// use geo::Point;
    /// use qpv::analysis::site::Instance;
    /// let demand = [Point::new(0.0, 0.0), Point::new(300.0, 0.0), Point::new(900.0, 0.0)];
    /// let sites = [Point::new(100.0, 0.0), Point::new(900.0, 50.0)];
    /// let existing = [Point::new(-200.0, 0.0)];
    /// let inst = Instance::build(&demand, &[1.0, 2.0, 4.0], &sites, &existing, 250.0);
    /// assert_eq!(inst.covers, vec![vec![0, 1], vec![2]]);
    /// assert_eq!(inst.covered_before, vec![true, false, false]);
    /// ```
    pub fn build(
        demand_points: &[Point<f64>],
        demand: &[f64],
        candidates: &[Point<f64>],
        existing: &[Point<f64>],
        distance: f64,
    ) -> Instance {
        assert_eq!(
            demand_points.len(),
            demand.len(),
            "one weight per demand point"
        );
        let tree = RTree::bulk_load(
            demand_points
                .iter()
                .enumerate()
                .map(|(i, p)| Indexed::new([p.x(), p.y()], i as u32))
                .collect(),
        );
        let d2 = distance * distance;
        let within = |p: &Point<f64>| -> Vec<u32> {
            let mut v: Vec<u32> = tree
                .locate_within_distance([p.x(), p.y()], d2)
                .map(|e| e.data)
                .collect();
            v.sort_unstable();
            v
        };
        let mut covered_before = vec![false; demand.len()];
        for f in existing {
            for i in within(f) {
                covered_before[i as usize] = true;
            }
        }
        Instance {
            demand: demand.to_vec(),
            covered_before,
            covers: candidates.iter().map(within).collect(),
        }
    }

    /// Demand already covered before any new site.
    pub fn demand_covered_before(&self) -> f64 {
        self.covered_before
            .iter()
            .zip(&self.demand)
            .filter(|(c, _)| **c)
            .map(|(_, w)| w)
            .sum()
    }

    /// Demand that the new sites `chosen` (candidate indices) cover beyond the existing
    /// facilities.
    pub fn newly_covered(&self, chosen: &[usize]) -> f64 {
        let covered = self.covered_after(chosen);
        covered
            .iter()
            .zip(&self.covered_before)
            .zip(&self.demand)
            .filter(|((after, before), _)| **after && !**before)
            .map(|(_, w)| w)
            .sum()
    }

    /// Which demand points are covered once `chosen` are added.
    pub fn covered_after(&self, chosen: &[usize]) -> Vec<bool> {
        let mut covered = self.covered_before.clone();
        for &j in chosen {
            for &i in &self.covers[j] {
                covered[i as usize] = true;
            }
        }
        covered
    }

    /// The demand points a new site must still cover: positive weight, not covered before.
    pub fn open_demand(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.demand.len()).filter(|&i| self.demand[i] > 0.0 && !self.covered_before[i])
    }

    /// The candidates worth considering: those covering some open demand, one per distinct
    /// set of open demand points (the lowest index), ascending. Dropping a duplicate set
    /// changes no optimum.
    pub fn useful_candidates(&self) -> Vec<usize> {
        let open: Vec<bool> = (0..self.demand.len())
            .map(|i| self.demand[i] > 0.0 && !self.covered_before[i])
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (j, set) in self.covers.iter().enumerate() {
            let key: Vec<u32> = set.iter().copied().filter(|&i| open[i as usize]).collect();
            if !key.is_empty() && seen.insert(key) {
                out.push(j);
            }
        }
        out
    }

    /// Useful candidates ([`Self::useful_candidates`]), for each demand point the slots
    /// (positions in that list) reaching it when it is open (empty otherwise), and the open
    /// demand points no candidate reaches.
    pub fn reach(&self) -> (Vec<usize>, Vec<Vec<usize>>, Vec<usize>) {
        let candidates = self.useful_candidates();
        let mut open = vec![false; self.demand.len()];
        self.open_demand().for_each(|i| open[i] = true);
        let mut reach: Vec<Vec<usize>> = vec![Vec::new(); self.demand.len()];
        for (slot, &j) in candidates.iter().enumerate() {
            for &i in &self.covers[j] {
                if open[i as usize] {
                    reach[i as usize].push(slot);
                }
            }
        }
        let unreachable = (0..reach.len())
            .filter(|&i| open[i] && reach[i].is_empty())
            .collect();
        (candidates, reach, unreachable)
    }
}
