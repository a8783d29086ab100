//! Spatial accessibility of demand points (200 m cells) to supply points (facilities) by
//! floating catchment areas: two-step (2SFCA), enhanced two-step with step weights per
//! distance band (E2SFCA), Gaussian two-step (G2SFCA), and one-step weighted catchments with a
//! gravity (power) or Gaussian decay. The formulas are those of PySAL `access`
//! (`two_stage_fca`, `enhanced_two_stage_fca`, `weighted_catchment`), which the tests check to
//! 1e-9 relative.
//!
//! Two-step methods: each facility `j` gets a ratio `R_j = S_j / Σ_i D_i W(d_ij)` over the
//! demand points `i` with `d_ij ≤ catchment`; each demand point gets `A_i = Σ_j R_j W(d_ij)`
//! over the facilities with `d_ij ≤ catchment` (PySAL `access` 1.1.10 keeps `cost <= max_cost`). One-step methods: `A_i = Σ_j S_j W(d_ij)`.
//! Distances are straight lines in the working metric CRS.
//!
//! Sources of the defaults: Luo & Wang (2003) for 2SFCA; Luo & Qi (2009), "An enhanced
//! two-step floating catchment area (E2SFCA) method for measuring spatial accessibility to
//! primary care physicians", Health & Place 15(4), 1100–1107, for the weights 1, 0.68 and
//! 0.22 of three equal travel zones (0–10, 10–20, 20–30 min; here thirds of the catchment);
//! Dai (2010) for the Gaussian decay; PySAL `access.weights` for the exact weight functions
//! (`step_fn`: weight of the first band whose upper bound is ≥ d; `gaussian`:
//! `exp(-d² / 2σ²)`; `gravity`: `(max(d, min) / scale)^α`).

use rayon::prelude::*;
use serde::Serialize;

use geo::Coord;

use super::access_reach::Reach;

/// A place with demand (a cell centre and its inhabitants or poor households).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand {
    /// Position in the working CRS.
    pub point: Coord<f64>,
    /// Demand (≥ 0).
    pub demand: f64,
}

/// A place with supply (a facility and its capacity, or 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Supply {
    /// Position in the working CRS.
    pub point: Coord<f64>,
    /// Supply (≥ 0).
    pub supply: f64,
}

/// How a distance in metres turns into a weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decay {
    /// 1 everywhere in the catchment.
    Unit,
    /// Step weights: the weight of the first band whose upper bound (m) is ≥ d; 0 beyond.
    Steps {
        /// (upper bound in metres, weight), by increasing bound.
        bands: Vec<(f64, f64)>,
    },
    /// `exp(-d² / (2 σ²))`.
    Gaussian {
        /// σ in metres.
        sigma_m: f64,
    },
    /// `(max(d, min_m) / scale_m)^alpha`.
    Power {
        /// Scale in metres.
        scale_m: f64,
        /// Exponent (negative for a decay).
        alpha: f64,
        /// Distances below this count as this (avoids the infinite weight at 0).
        min_m: f64,
    },
}

impl Decay {
    /// The weight at distance `d` metres.
    pub fn weight(&self, d: f64) -> f64 {
        match self {
            Decay::Unit => 1.0,
            Decay::Steps { bands } => bands
                .iter()
                .find(|(upper, _)| d <= *upper)
                .map_or(0.0, |(_, w)| *w),
            Decay::Gaussian { sigma_m } => (-d * d / (2.0 * sigma_m * sigma_m)).exp(),
            Decay::Power {
                scale_m,
                alpha,
                min_m,
            } => (d.max(*min_m) / scale_m).powf(*alpha),
        }
    }
}

/// The Luo & Qi (2009) E2SFCA weights of their three equal travel zones.
pub const LUO_QI_WEIGHTS: [f64; 3] = [1.0, 0.68, 0.22];

/// An accessibility method: the catchment, the decay and whether demand competes (two steps).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessMethod {
    /// Short name (`2sfca`, `e2sfca`, `g2sfca`, `gravity`, `gaussian`).
    pub name: String,
    /// Only pairs at most this far apart (metres) count.
    pub catchment_m: f64,
    /// Distance weights.
    pub decay: Decay,
    /// True: supply-to-demand ratios (2SFCA family); false: weighted sum of supply.
    pub two_step: bool,
}

impl AccessMethod {
    /// 2SFCA (Luo & Wang 2003): PySAL `two_stage_fca(max_cost = catchment)`.
    pub fn two_step(catchment_m: f64) -> Self {
        Self::new("2sfca", catchment_m, Decay::Unit, true)
    }

    /// E2SFCA (Luo & Qi 2009) with the given `(upper bound, weight)` bands: PySAL
    /// `enhanced_two_stage_fca(max_cost = catchment, weight_fn = step_fn(bands))`.
    pub fn enhanced(catchment_m: f64, bands: Vec<(f64, f64)>) -> Self {
        Self::new("e2sfca", catchment_m, Decay::Steps { bands }, true)
    }

    /// The default E2SFCA bands: thirds of the catchment weighted 1, 0.68, 0.22.
    pub fn luo_qi_bands(catchment_m: f64) -> Vec<(f64, f64)> {
        (1..=3)
            .map(|k| (catchment_m * k as f64 / 3.0, LUO_QI_WEIGHTS[k - 1]))
            .collect()
    }

    /// Gaussian 2SFCA (Dai 2010): PySAL `two_stage_fca(weight_fn = gaussian(sigma))`.
    pub fn gaussian_two_step(catchment_m: f64, sigma_m: f64) -> Self {
        Self::new("g2sfca", catchment_m, Decay::Gaussian { sigma_m }, true)
    }

    /// Gravity potential: PySAL `weighted_catchment(weight_fn = gravity(scale, alpha, min))`.
    pub fn gravity(catchment_m: f64, scale_m: f64, alpha: f64, min_m: f64) -> Self {
        let decay = Decay::Power {
            scale_m,
            alpha,
            min_m,
        };
        Self::new("gravity", catchment_m, decay, false)
    }

    /// Gaussian potential: PySAL `weighted_catchment(weight_fn = gaussian(sigma))`.
    pub fn gaussian(catchment_m: f64, sigma_m: f64) -> Self {
        Self::new("gaussian", catchment_m, Decay::Gaussian { sigma_m }, false)
    }

    fn new(name: &str, catchment_m: f64, decay: Decay, two_step: bool) -> Self {
        AccessMethod {
            name: name.into(),
            catchment_m,
            decay,
            two_step,
        }
    }
}

/// Scores of every demand point, and what the facilities saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessScores {
    /// The method.
    pub method: AccessMethod,
    /// One score per demand point, in input order (0 when no facility is in reach).
    pub scores: Vec<f64>,
    /// Two-step methods: supply / weighted demand per facility (`None`: nobody in its
    /// catchment, so it serves no one and adds nothing). One-step: empty.
    pub ratios: Vec<Option<f64>>,
    /// Demand points with no facility in reach.
    pub unreached: usize,
}

/// Cells per chunk of the first step's sums (their order of addition: cells in grid order
/// within a chunk, then chunks in order; fixed, so that the sums do not depend on threads).
const CHUNK: usize = 1 << 16;

/// Accessibility of each demand point to the supply points by `method`.
///
/// # Units
/// Distances in metres in the working CRS; scores in supply per unit of demand (two-step) or
/// weighted supply (one-step).
///
/// # Examples
/// ```
/// use geo::Coord;
/// use qpv::analysis::access::{AccessMethod, Demand, Supply, access};
/// let cells = [
///     Demand { point: Coord { x: 0.0, y: 0.0 }, demand: 100.0 },
///     Demand { point: Coord { x: 400.0, y: 0.0 }, demand: 300.0 },
/// ];
/// let centre = [Supply { point: Coord { x: 100.0, y: 0.0 }, supply: 1.0 }];
/// let s = access(&cells, &centre, &AccessMethod::two_step(1000.0));
/// // One centre shared by 400 people: 1/400 each.
/// assert_eq!(s.scores, [0.0025, 0.0025]);
/// let s = access(&cells, &centre, &AccessMethod::two_step(200.0));
/// assert_eq!((s.scores[0], s.scores[1], s.unreached), (0.01, 0.0, 1));
/// ```
///
/// # Performance
/// See [`access_all`], which scores several methods in one pass.
pub fn access(demand: &[Demand], supply: &[Supply], method: &AccessMethod) -> AccessScores {
    access_all(demand, supply, std::slice::from_ref(method))
        .pop()
        .expect("one method, one result")
}

/// [`access`] for each of `methods`, in order, looking up the facilities in reach of each
/// cell once for both steps of all the methods of one catchment, instead of twice per
/// method.
///
/// # Examples
/// ```
/// use geo::Coord;
/// use qpv::analysis::access::{AccessMethod, Demand, Supply, access, access_all};
/// let cells = [
///     Demand { point: Coord { x: 0.0, y: 0.0 }, demand: 100.0 },
///     Demand { point: Coord { x: 500.0, y: 0.0 }, demand: 300.0 },
/// ];
/// let centre = [Supply { point: Coord { x: 100.0, y: 0.0 }, supply: 1.0 }];
/// let methods = [
///     AccessMethod::two_step(1000.0),
///     AccessMethod::enhanced(1000.0, AccessMethod::luo_qi_bands(1000.0)),
/// ];
/// let all = access_all(&cells, &centre, &methods);
/// assert_eq!(all[0], access(&cells, &centre, &methods[0]));
/// assert_eq!(all[1], access(&cells, &centre, &methods[1]));
/// // E2SFCA: 100 people in the first band (weight 1), 300 in the second (0.68).
/// assert_eq!(all[1].ratios, [Some(1.0 / (100.0 + 300.0 * 0.68))]);
/// ```
///
/// # Performance
/// The facilities in a bucket grid ([`Reach`]); each cell–facility pair within the
/// catchment is found once and kept for both steps, cells in parallel in fixed chunks, results in input
/// order and added in the same order as an R-tree query returns them, so that the scores
/// are the same to the last bit from run to run and thread count to thread count. Memory
/// beyond the inputs: the buckets, the pairs in reach (12 bytes each), one score per cell
/// and method, and one sum per two-step method, facility and chunk of 65,536 cells.
pub fn access_all(
    demand: &[Demand],
    supply: &[Supply],
    methods: &[AccessMethod],
) -> Vec<AccessScores> {
    let points: Vec<Coord<f64>> = supply.iter().map(|s| s.point).collect();
    let mut out: Vec<Option<AccessScores>> = (0..methods.len()).map(|_| None).collect();
    // Methods of one catchment share the buckets and the lookups.
    let mut todo: Vec<usize> = (0..methods.len()).collect();
    while let Some(&first) = todo.first() {
        let radius = methods[first].catchment_m;
        let (same, rest): (Vec<usize>, Vec<usize>) = todo
            .iter()
            .partition(|&&m| methods[m].catchment_m.to_bits() == radius.to_bits());
        let reach = Reach::new(&points, radius);
        let group: Vec<&AccessMethod> = same.iter().map(|&m| &methods[m]).collect();
        let pairs: Vec<ChunkReach> = demand
            .par_chunks(CHUNK)
            .map(|cells| ChunkReach::new(cells, &reach))
            .collect();
        let ratios = first_step(demand, supply, &group, &pairs);
        let (scores, unreached) = second_step(demand, supply, &group, &ratios, &pairs);
        for ((m, ratios), scores) in same.iter().zip(ratios).zip(scores) {
            out[*m] = Some(AccessScores {
                method: methods[*m].clone(),
                unreached,
                scores,
                ratios,
            });
        }
        todo = rest;
    }
    out.into_iter().flatten().collect()
}

/// The facilities in reach of each cell of one chunk of cells, in the R-tree's order: looked
/// up once, read by both steps.
struct ChunkReach {
    /// Facility of each pair, the pairs of cell 0 of the chunk first.
    facility: Vec<u32>,
    /// Distance of each pair (m).
    distance: Vec<f64>,
    /// `ends[i]`: where the pairs of cell `i` of the chunk end.
    ends: Vec<u32>,
}

impl ChunkReach {
    /// Looks up the facilities in reach of each cell of `cells`.
    fn new(cells: &[Demand], reach: &Reach) -> ChunkReach {
        let mut out = ChunkReach {
            facility: Vec::new(),
            distance: Vec::new(),
            ends: Vec::with_capacity(cells.len()),
        };
        let mut found = Vec::new();
        for c in cells {
            reach.within(c.point, &mut found);
            for f in &found {
                out.facility.push(f.facility as u32);
                out.distance.push(f.distance);
            }
            out.ends.push(out.facility.len() as u32);
        }
        out
    }

    /// The pairs of cell `i` of the chunk: (facility, distance), in the R-tree's order.
    fn of(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        (self.facility[start..end].iter().map(|&f| f as usize))
            .zip(self.distance[start..end].iter().copied())
    }
}

/// Each two-step method's ratio per facility: supply over the weighted demand in its
/// catchment, summed cell by cell in fixed chunks of cells added in grid order (one-step
/// methods: an empty list).
fn first_step(
    demand: &[Demand],
    supply: &[Supply],
    methods: &[&AccessMethod],
    pairs: &[ChunkReach],
) -> Vec<Vec<Option<f64>>> {
    let two_step: Vec<usize> = (0..methods.len())
        .filter(|&m| methods[m].two_step)
        .collect();
    if two_step.is_empty() {
        return vec![Vec::new(); methods.len()];
    }
    let partial: Vec<Vec<Vec<f64>>> = demand
        .par_chunks(CHUNK)
        .zip(pairs)
        .map(|(chunk, pairs)| {
            let mut totals = vec![vec![0.0; supply.len()]; two_step.len()];
            for (i, c) in chunk.iter().enumerate() {
                for (f, d) in pairs.of(i) {
                    for (t, &m) in totals.iter_mut().zip(&two_step) {
                        t[f] += c.demand * methods[m].decay.weight(d);
                    }
                }
            }
            totals
        })
        .collect();
    let mut ratios = vec![Vec::new(); methods.len()];
    for (k, &m) in two_step.iter().enumerate() {
        ratios[m] = (0..supply.len())
            .map(|j| {
                let total: f64 = partial.iter().map(|t| t[k][j]).sum();
                (total > 0.0).then(|| supply[j].supply / total)
            })
            .collect();
    }
    ratios
}

/// Each method's score per cell (0 when no facility is in reach), the facilities of a cell
/// added in the R-tree's order, and the number of cells with no facility in reach.
fn second_step(
    demand: &[Demand],
    supply: &[Supply],
    methods: &[&AccessMethod],
    ratios: &[Vec<Option<f64>>],
    pairs: &[ChunkReach],
) -> (Vec<Vec<f64>>, usize) {
    let mut scores = vec![vec![0.0; demand.len()]; methods.len()];
    // Chunk k of every method's scores, for the chunk k of cells.
    let mut blocks: Vec<Vec<&mut [f64]>> = (0..demand.len().div_ceil(CHUNK))
        .map(|_| Vec::new())
        .collect();
    for method_scores in scores.iter_mut() {
        for (block, part) in blocks.iter_mut().zip(method_scores.chunks_mut(CHUNK)) {
            block.push(part);
        }
    }
    let unreached: usize = blocks
        .into_par_iter()
        .zip(pairs)
        .map(|(mut out, pairs)| {
            let mut unreached = 0;
            for i in 0..pairs.ends.len() {
                if pairs.of(i).next().is_none() {
                    unreached += 1;
                    continue;
                }
                for ((m, out), ratios) in methods.iter().zip(out.iter_mut()).zip(ratios) {
                    let score = &mut out[i];
                    for (f, d) in pairs.of(i) {
                        let value = if m.two_step {
                            ratios[f]
                        } else {
                            Some(supply[f].supply)
                        };
                        if let Some(v) = value {
                            *score += v * m.decay.weight(d);
                        }
                    }
                }
            }
            unreached
        })
        .sum();
    (scores, unreached)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(demand: &[Demand], supply: &[Supply], m: &AccessMethod) -> Vec<f64> {
        let dist =
            |a: Coord<f64>, b: Coord<f64>| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
        let ratio: Vec<f64> = supply
            .iter()
            .map(|s| {
                if !m.two_step {
                    return s.supply;
                }
                let t: f64 = demand
                    .iter()
                    .map(|c| dist(c.point, s.point))
                    .zip(demand)
                    .filter(|(d, _)| *d <= m.catchment_m)
                    .map(|(d, c)| c.demand * m.decay.weight(d))
                    .sum();
                if t > 0.0 { s.supply / t } else { 0.0 }
            })
            .collect();
        demand
            .iter()
            .map(|c| {
                supply
                    .iter()
                    .zip(&ratio)
                    .map(|(s, r)| (dist(c.point, s.point), r))
                    .filter(|(d, _)| *d <= m.catchment_m)
                    .map(|(d, r)| r * m.decay.weight(d))
                    .sum()
            })
            .collect()
    }

    // Oracle: the O(cells × facilities) double loop, on a seeded pseudo-random layout.
    #[test]
    fn indexed_equals_brute_force_for_every_method() {
        let mut next = crate::analysis::access_reach::uniform(42);
        let demand: Vec<Demand> = (0..400)
            .map(|_| Demand {
                point: Coord {
                    x: next() * 5000.0,
                    y: next() * 5000.0,
                },
                demand: (next() * 50.0).floor(),
            })
            .collect();
        let supply: Vec<Supply> = (0..30)
            .map(|_| Supply {
                point: Coord {
                    x: next() * 5000.0,
                    y: next() * 5000.0,
                },
                supply: 1.0 + (next() * 3.0).floor(),
            })
            .collect();
        for m in [
            AccessMethod::two_step(800.0),
            AccessMethod::enhanced(800.0, AccessMethod::luo_qi_bands(800.0)),
            AccessMethod::gaussian_two_step(800.0, 400.0),
            AccessMethod::gravity(800.0, 1000.0, -1.0, 100.0),
            AccessMethod::gaussian(800.0, 400.0),
        ] {
            let got = access(&demand, &supply, &m);
            let want = brute(&demand, &supply, &m);
            for (g, w) in got.scores.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 1e-12 * w.abs().max(1e-12),
                    "{} {g} {w}",
                    m.name
                );
            }
        }
    }

    /// `access` as it was before the buckets (session 3): one `rstar` tree over the
    /// facilities, queried per cell in each step.
    fn with_rtree(demand: &[Demand], supply: &[Supply], method: &AccessMethod) -> AccessScores {
        use rstar::RTree;
        use rstar::primitives::GeomWithData;
        let tree = RTree::bulk_load(
            supply
                .iter()
                .enumerate()
                .map(|(i, s)| GeomWithData::new([s.point.x, s.point.y], i))
                .collect(),
        );
        let radius = method.catchment_m;
        let within = |p: Coord<f64>| {
            tree.locate_within_distance([p.x, p.y], radius * radius)
                .filter_map(move |item| {
                    let [x, y] = *item.geom();
                    let (dx, dy) = (x - p.x, y - p.y);
                    let d = (dx * dx + dy * dy).sqrt();
                    (d <= radius).then_some((item.data, d))
                })
        };
        let ratios: Vec<Option<f64>> = if method.two_step {
            let partial: Vec<Vec<f64>> = demand
                .chunks(CHUNK)
                .map(|chunk| {
                    let mut totals = vec![0.0; supply.len()];
                    for c in chunk {
                        for (j, d) in within(c.point) {
                            totals[j] += c.demand * method.decay.weight(d);
                        }
                    }
                    totals
                })
                .collect();
            (0..supply.len())
                .map(|j| {
                    let total: f64 = partial.iter().map(|t| t[j]).sum();
                    (total > 0.0).then(|| supply[j].supply / total)
                })
                .collect()
        } else {
            Vec::new()
        };
        let scores: Vec<Option<f64>> = demand
            .iter()
            .map(|c| {
                let mut reached = false;
                let mut score = 0.0;
                for (j, d) in within(c.point) {
                    reached = true;
                    let value = if method.two_step {
                        ratios[j]
                    } else {
                        Some(supply[j].supply)
                    };
                    if let Some(v) = value {
                        score += v * method.decay.weight(d);
                    }
                }
                reached.then_some(score)
            })
            .collect();
        AccessScores {
            method: method.clone(),
            unreached: scores.iter().filter(|s| s.is_none()).count(),
            scores: scores.into_iter().map(|s| s.unwrap_or(0.0)).collect(),
            ratios,
        }
    }

    // Oracle: the R-tree implementation of session 3, whose scores the committed PySAL
    // values and golden files were checked against: the same bits, not just close, on more
    // than one chunk of cells with up to dozens of facilities each (so that the order of
    // addition matters), every method at once and one by one.
    #[test]
    fn same_bits_as_the_rtree_implementation() {
        let mut next = crate::analysis::access_reach::uniform(7);
        let demand: Vec<Demand> = (0..CHUNK + 5000)
            .map(|_| Demand {
                point: Coord {
                    x: 3e6 + (next() * 400.0).floor() * 200.0 + 100.0,
                    y: 2e6 + (next() * 400.0).floor() * 200.0 + 100.0,
                },
                demand: (next() * 80.0).floor(),
            })
            .collect();
        let supply: Vec<Supply> = (0..3000)
            .map(|_| Supply {
                point: Coord {
                    x: 3e6 + (next() * 8e5).round() / 10.0,
                    y: 2e6 + (next() * 8e5).round() / 10.0,
                },
                supply: 1.0 + (next() * 5.0).floor(),
            })
            .collect();
        let methods = [
            AccessMethod::two_step(1000.0),
            AccessMethod::enhanced(1000.0, AccessMethod::luo_qi_bands(1000.0)),
            AccessMethod::gaussian_two_step(1500.0, 700.0),
            AccessMethod::gravity(1000.0, 1000.0, -1.0, 100.0),
        ];
        let all = access_all(&demand, &supply, &methods);
        for (m, got) in methods.iter().zip(&all) {
            let want = with_rtree(&demand, &supply, m);
            let differ = (got.scores.iter().zip(&want.scores))
                .filter(|(g, w)| g.to_bits() != w.to_bits())
                .count();
            assert_eq!(differ, 0, "{}: scores not bit-identical", m.name);
            assert_eq!(got.ratios, want.ratios, "{}", m.name);
            assert_eq!(got.unreached, want.unreached, "{}", m.name);
            assert_eq!(access(&demand, &supply, m), *got);
        }
        assert!(all[0].unreached < demand.len() / 2, "{}", all[0].unreached);
    }

    // PySAL's step_fn doc example: {20: 1, 40: 0.68, 60: 0.22} at 0, 10, …, 70 gives
    // 1, 1, 1, 0.68, 0.68, 0.22, 0.22, 0 (bounds inclusive).
    #[test]
    fn step_weights_match_pysal_step_fn() {
        let d = Decay::Steps {
            bands: vec![(20.0, 1.0), (40.0, 0.68), (60.0, 0.22)],
        };
        let got: Vec<f64> = (0..8).map(|k| d.weight(10.0 * k as f64)).collect();
        assert_eq!(got, [1.0, 1.0, 1.0, 0.68, 0.68, 0.22, 0.22, 0.0]);
    }

    // PySAL's gaussian(sigma = 20) doc example: 0.6065306597126334 at 20, 0.1353352832366127
    // at 40; gravity(scale = 20, alpha = -2, min_dist = 1): 400 at 0, 100 at 2, 0.25 at 40.
    #[test]
    fn decay_functions_match_pysal_doc_examples() {
        let g = Decay::Gaussian { sigma_m: 20.0 };
        assert_eq!(g.weight(20.0), 0.6065306597126334);
        assert_eq!(g.weight(40.0), 0.1353352832366127);
        let p = Decay::Power {
            scale_m: 20.0,
            alpha: -2.0,
            min_m: 1.0,
        };
        // PySAL's doc rounds to 2 decimals; powf may be 1 ulp off numpy's power.
        for (d, want) in [(0.0, 400.0), (2.0, 100.0), (40.0, 0.25)] {
            let got = p.weight(d);
            assert!((got - want).abs() <= 1e-12 * want, "{d}: {got}");
        }
    }
}
