//! Placing a house number on a matched street.
//!
//! 1. **Exact**: the number with its repetition index is in the reference → that point.
//!    Looser forms still count as `housenumber` with a lower score: the other spelling of the
//!    index (`B` for `BIS`: 0.95), the plain number when the asked index is unknown (`13 bis`
//!    → `13`: 0.9), or the first indexed variant when only those exist (`13` → `13 A`: 0.9).
//! 2. **Interpolated**: French streets number odd on one side and even on the other, so a
//!    missing number `n` is placed between the nearest existing numbers `a < n < b` *of the
//!    same parity*, at the fraction `(n − a) / (b − a)` of the straight segment from `a` to `b`
//!    (the plain-number point of each, else its first indexed variant). Both neighbours are
//!    needed: nothing is extrapolated past the ends of a side.
//! 3. **Street**: no number asked, or no same-parity neighbours on both sides → the address
//!    point with the median house number of the street (lower median): a real point on the
//!    street, never a centroid that may fall off it.

use geo::Coord;

use super::index::AddressPoint;
use super::normalize::rep_alias;

/// Where a number goes on a street.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// An address point of the reference, with the number-matching score.
    Exact {
        /// Index of the point in the street's points.
        point: usize,
        /// 1.0 exact; lower for looser repetition-index matches.
        score: f64,
    },
    /// Between two same-parity points.
    Interpolated {
        /// Position in the working CRS.
        xy: Coord<f64>,
        /// Position in WGS84 (interpolated with the same fraction: the difference from a
        /// reprojection is far below a millimetre at street scale).
        lonlat: Coord<f64>,
        /// Index of the lower neighbour in the street's points.
        low: usize,
        /// Index of the upper neighbour.
        high: usize,
    },
    /// The street's median address point.
    Street {
        /// Index of the point in the street's points.
        point: usize,
    },
}

/// The street's median point index (lower median of the sorted points).
pub fn median(points: &[AddressPoint]) -> usize {
    points.len().saturating_sub(1) / 2
}

/// Places number `number` with repetition index `rep` (canonical, `""` for none) on a street
/// whose points are sorted by number then index (`rep_of` spells a point's index); `None` for
/// `number` asks for the street itself. `points` must not be empty.
pub fn place<'a>(
    points: &'a [AddressPoint],
    number: Option<(u32, &str)>,
    rep_of: impl Fn(&AddressPoint) -> &'a str,
) -> Placement {
    let Some((n, rep)) = number else {
        return Placement::Street {
            point: median(points),
        };
    };
    let lo = points.partition_point(|p| p.number < n);
    let hi = points.partition_point(|p| p.number <= n);
    if lo < hi {
        let same = &points[lo..hi];
        let find = |r: &str| same.iter().position(|p| rep_of(p) == r);
        let (i, score) = if rep.is_empty() {
            match find("") {
                Some(i) => (i, 1.0),
                None => (0, 0.9),
            }
        } else if let Some(i) = find(rep) {
            (i, 1.0)
        } else if let Some(i) = rep_alias(rep).and_then(find) {
            (i, 0.95)
        } else if let Some(i) = find("") {
            (i, 0.9)
        } else {
            (0, 0.85)
        };
        return Placement::Exact {
            point: lo + i,
            score,
        };
    }
    let parity = n % 2;
    let below = points[..lo]
        .iter()
        .rposition(|p| p.number % 2 == parity)
        .map(|i| points.partition_point(|p| p.number < points[i].number));
    let above = points[hi..]
        .iter()
        .position(|p| p.number % 2 == parity)
        .map(|i| hi + i);
    match (below, above) {
        (Some(low), Some(high)) => {
            let (a, b) = (&points[low], &points[high]);
            let t = f64::from(n - a.number) / f64::from(b.number - a.number);
            Placement::Interpolated {
                xy: lerp(a.xy, b.xy, t),
                lonlat: lerp(a.lonlat, b.lonlat, t),
                low,
                high,
            }
        }
        _ => Placement::Street {
            point: median(points),
        },
    }
}

fn lerp(a: Coord<f64>, b: Coord<f64>, t: f64) -> Coord<f64> {
    Coord {
        x: a.x + (b.x - a.x) * t,
        y: a.y + (b.y - a.y) * t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(number: u32, rep: u16, x: f64, y: f64) -> AddressPoint {
        AddressPoint {
            number,
            rep,
            xy: Coord { x, y },
            lonlat: Coord { x, y },
            line: 0,
        }
    }

    const REPS: [&str; 3] = ["", "BIS", "A"];

    fn street() -> Vec<AddressPoint> {
        vec![
            pt(1, 0, 0.0, 10.0),
            pt(2, 0, 0.0, 0.0),
            pt(2, 2, 1.0, 0.0),
            pt(3, 0, 10.0, 10.0),
            pt(4, 1, 15.0, 0.0),
            pt(9, 0, 40.0, 10.0),
            pt(10, 0, 40.0, 0.0),
        ]
    }

    fn run(n: Option<(u32, &str)>) -> Placement {
        let pts = street();
        place(&pts, n, |p| REPS[p.rep as usize])
    }

    #[test]
    fn exact_and_loose_repetition_indexes() {
        assert_eq!(
            run(Some((2, "A"))),
            Placement::Exact {
                point: 2,
                score: 1.0
            }
        );
        assert_eq!(
            run(Some((2, ""))),
            Placement::Exact {
                point: 1,
                score: 1.0
            }
        );
        assert_eq!(
            run(Some((4, "B"))),
            Placement::Exact {
                point: 4,
                score: 0.95
            }
        );
        assert_eq!(
            run(Some((4, ""))),
            Placement::Exact {
                point: 4,
                score: 0.9
            }
        );
        assert_eq!(
            run(Some((2, "TER"))),
            Placement::Exact {
                point: 1,
                score: 0.9
            }
        );
    }

    #[test]
    fn interpolation_uses_same_parity_neighbours() {
        // 6 between 4 (bis, index 4) and 10: t = 2/6.
        match run(Some((6, ""))) {
            Placement::Interpolated { xy, low, high, .. } => {
                assert_eq!((low, high), (4, 6));
                assert!((xy.x - (15.0 + 25.0 / 3.0)).abs() < 1e-12);
                assert_eq!(xy.y, 0.0);
            }
            other => panic!("{other:?}"),
        }
        // 5 between 3 and 9 (the odd side), not between 4 and 9.
        match run(Some((5, ""))) {
            Placement::Interpolated { xy, low, high, .. } => {
                assert_eq!((low, high), (3, 5));
                assert_eq!(xy, Coord { x: 20.0, y: 10.0 });
            }
            other => panic!("{other:?}"),
        }
        // Past the last odd number: no extrapolation, the street's median point.
        assert_eq!(run(Some((11, ""))), Placement::Street { point: 3 });
        assert_eq!(run(None), Placement::Street { point: 3 });
    }
}
