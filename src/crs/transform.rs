//! Transformations between CRSs through PROJ, with the process-wide cache of verified
//! projection steps that makes national runs cheap, and the pool of built transformations that
//! makes building one again cheap.

use geo::{Coord, Geometry};
use proj::Proj;

use super::Crs;
use crate::error::{Error, Result};

/// A coordinate transformation between two CRSs through PROJ (identity when they are equal).
///
/// PROJ objects are not thread-safe: build one `Reprojector` per thread. Building one through
/// PROJ's database costs 50-100 ms; a dropped `Reprojector` gives its transformation back to a
/// process-wide pool, from which the next one of the same pair starts.
pub struct Reprojector {
    from: Crs,
    to: Crs,
    /// PROJ's whole transformation; `None` for the identity, or when a projection step
    /// verified earlier in the process stands in for it.
    proj: Option<Proj>,
    /// The projection step of the transformation, fed with radians (see [`projection_step`]).
    step: Option<Proj>,
}

/// PROJ's own text of the transformation it chose, when that is "degrees to radians, then one
/// projection" (as from WGS84 lon/lat to Lambert-93 or to any UTM zone).
const DEGREES_THEN_ONE_STEP: &str =
    "proj=pipeline step proj=unitconvert xy_in=deg xy_out=rad step ";

/// The projection step of `proj` as a PROJ object of its own, when `proj` is
/// [`DEGREES_THEN_ONE_STEP`] and the step, fed with `to_radians()` of the input, gives the
/// same bits as `proj` on a grid of 81 points over the transformation's area of use (the two
/// conversions multiply by the same double, and the step is the same PROJ code). Why: PROJ's
/// per-step overhead is a quarter of a reprojection, and national runs reproject tens of
/// millions of points. `None` (use `proj` itself) for any other transformation.
fn projection_step(proj: &Proj) -> Option<(Proj, String)> {
    // The proj crate panics if PROJ gives no text for the object.
    let definition = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| proj.def()))
        .ok()?
        .ok()?;
    let step = definition.strip_prefix(DEGREES_THEN_ONE_STEP)?;
    let tokens: Vec<&str> = step.split(' ').filter(|t| !t.is_empty()).collect();
    if !tokens.first()?.starts_with("proj=")
        || tokens
            .iter()
            .any(|t| *t == "step" || *t == "inv" || t.starts_with("proj=pipeline"))
    {
        return None;
    }
    let text: Vec<String> = tokens.iter().map(|t| format!("+{t}")).collect();
    let text = text.join(" ");
    let step = Proj::new(&text).ok()?;
    let (west, south, east, north) = match proj.area_of_use() {
        Ok((Some(a), _)) => (a.west, a.south, a.east, a.north),
        _ => (-180.0, -85.0, 180.0, 85.0),
    };
    for i in 0..=8 {
        for j in 0..=8 {
            let lon = west + (east - west) * f64::from(i) / 8.0;
            let lat = south + (north - south) * f64::from(j) / 8.0;
            let whole = proj.convert((lon, lat));
            let alone = step.project((lon.to_radians(), lat.to_radians()), false);
            match (whole, alone) {
                (Ok(a), Ok(b))
                    if a.0.to_bits() == b.0.to_bits() && a.1.to_bits() == b.1.to_bits() => {}
                (Err(_), Err(_)) => {}
                _ => return None,
            }
        }
    }
    Some((step, text))
}

/// The definition of each verified projection step, by transformation, for this process: later
/// transformations of the same pair (one per thread, per file) start from it, without PROJ's
/// database search and the verification (about 10 ms each).
static STEPS: std::sync::Mutex<Vec<(Crs, Crs, String)>> = std::sync::Mutex::new(Vec::new());

/// A built PROJ object (a whole transformation or its projection step), waiting in [`POOL`]
/// for its next [`Reprojector`].
struct Pooled(Proj);

// SAFETY: the proj crate builds every `Proj` with a PROJ context of its own, and PROJ allows an
// object with its context to be used from any thread as long as one thread at a time uses it.
// A `Pooled` is only moved: into the pool by the `Reprojector` that dropped it, and out of it,
// under the pool's lock, by exactly one new `Reprojector` (which is neither `Send` nor `Sync`,
// so it then stays on that thread).
unsafe impl Send for Pooled {}

/// PROJ objects given back by dropped [`Reprojector`]s, by pair and kind (`true`: a projection
/// step): their next `Reprojector` takes one instead of building it again (a search in PROJ's
/// database, or at least an open of it: 5-20 ms). PROJ chooses the operation for each point
/// from the point alone, so a used transformation gives the same bits as a new one.
static POOL: std::sync::Mutex<Vec<(Crs, Crs, bool, Pooled)>> = std::sync::Mutex::new(Vec::new());

/// A PROJ object of the pair and kind from [`POOL`], if one waits there.
fn from_pool(from: Crs, to: Crs, step: bool) -> Option<Proj> {
    let mut pool = POOL.lock().ok()?;
    let i = pool
        .iter()
        .position(|(f, t, s, _)| (*f, *t, *s) == (from, to, step))?;
    Some(pool.swap_remove(i).3.0)
}

impl Drop for Reprojector {
    fn drop(&mut self) {
        if let Ok(mut pool) = POOL.lock() {
            if let Some(proj) = self.proj.take() {
                pool.push((self.from, self.to, false, Pooled(proj)));
            }
            if let Some(step) = self.step.take() {
                pool.push((self.from, self.to, true, Pooled(step)));
            }
        }
    }
}

impl Reprojector {
    /// A transformation `from` → `to`, in x/y (lon/lat) axis order.
    pub fn new(from: Crs, to: Crs) -> Result<Self> {
        let built = |proj, step| Reprojector {
            from,
            to,
            proj,
            step,
        };
        if from == to {
            return Ok(built(None, None));
        }
        let known = STEPS.lock().ok().and_then(|steps| {
            steps
                .iter()
                .find(|(f, t, _)| (*f, *t) == (from, to))
                .map(|(_, _, d)| d.clone())
        });
        if let Some(step) =
            known.and_then(|d| from_pool(from, to, true).or_else(|| Proj::new(&d).ok()))
        {
            return Ok(built(None, Some(step)));
        }
        if let Some(proj) = from_pool(from, to, false) {
            return Ok(built(Some(proj), None));
        }
        if let Some(proj) = known_pipeline(from, to).and_then(|text| Proj::new(text).ok()) {
            return Ok(remember_step(from, to, proj, built));
        }
        // An unknown code is named as such, before PROJ would print its own log line.
        from.info()?;
        to.info()?;
        let proj = Proj::new_known_crs(&from.to_string(), &to.to_string(), None)
            .map_err(|_| Error::Crs(format!("no transformation is known from {from} to {to}")))?;
        Ok(remember_step(from, to, proj, built))
    }

    /// Source CRS.
    pub fn from(&self) -> Crs {
        self.from
    }

    /// Target CRS.
    pub fn to(&self) -> Crs {
        self.to
    }

    /// True when coordinates come out as they go in (the same CRS on both sides).
    pub fn is_identity(&self) -> bool {
        self.proj.is_none() && self.step.is_none()
    }

    /// Transforms one coordinate. Non-finite results are errors.
    ///
    /// ```
    /// use qpv::crs::{Crs, Reprojector};
    /// let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    /// // The Lambert-93 origin meridian (3°E) at 46.5°N is (700000, 6600000).
    /// let c = r.coord(geo::coord! { x: 3.0, y: 46.5 }).unwrap();
    /// assert!((c.x - 700_000.0).abs() < 1e-3 && (c.y - 6_600_000.0).abs() < 1e-3);
    /// ```
    pub fn coord(&self, c: Coord<f64>) -> Result<Coord<f64>> {
        let converted = match (&self.step, &self.proj) {
            (Some(step), _) => step.project((c.x.to_radians(), c.y.to_radians()), false),
            (None, Some(p)) => p.convert((c.x, c.y)),
            (None, None) => Ok((c.x, c.y)),
        };
        let (x, y) = converted.map_err(|e| {
            Error::Crs(format!(
                "({}, {}) cannot be transformed from {} to {} ({})",
                c.x,
                c.y,
                self.from,
                self.to,
                clean_proj(&e.to_string())
            ))
        })?;
        let out = Coord { x, y };
        if out.x.is_finite() && out.y.is_finite() {
            Ok(out)
        } else {
            Err(Error::Crs(format!(
                "({}, {}) has no position in {} when read as {}",
                c.x, c.y, self.to, self.from
            )))
        }
    }

    /// Transforms a run of coordinates in place, in one PROJ call: the same values as
    /// [`Self::coord`] on each, with less overhead per point. On any failure the run is left
    /// unspecified and the error says only that one point failed: redo the run with
    /// [`Self::coord`] to learn which and why.
    pub fn coords(&self, run: &mut [(f64, f64)]) -> Result<()> {
        let done = match (&self.step, &self.proj) {
            (None, None) => return Ok(()),
            (Some(step), _) => {
                for c in run.iter_mut() {
                    *c = (c.0.to_radians(), c.1.to_radians());
                }
                step.project_array(run, false).map(|_| ())
            }
            (None, Some(p)) => p.convert_array(run).map(|_| ()),
        };
        done.map_err(|e| {
            Error::Crs(format!(
                "a point cannot be transformed ({})",
                clean_proj(&e.to_string())
            ))
        })?;
        if run.iter().all(|c| c.0.is_finite() && c.1.is_finite()) {
            Ok(())
        } else {
            Err(Error::Crs(
                "a point has no position in the target CRS".into(),
            ))
        }
    }

    /// Transforms every coordinate of a geometry in place.
    pub fn geometry(&self, g: &mut Geometry<f64>) -> Result<()> {
        if self.from == self.to {
            return Ok(());
        }
        crate::geometry::try_map_coords(g, &mut |c| self.coord(c))
    }
}

/// `proj` with its projection step (see [`projection_step`]), the step remembered in
/// [`STEPS`] for the next transformation of the pair.
fn remember_step(
    from: Crs,
    to: Crs,
    proj: Proj,
    built: impl FnOnce(Option<Proj>, Option<Proj>) -> Reprojector,
) -> Reprojector {
    let step = projection_step(&proj);
    if let Some((_, text)) = &step
        && let Ok(mut steps) = STEPS.lock()
    {
        steps.push((from, to, text.clone()));
    }
    built(Some(proj), step.map(|(p, _)| p))
}

/// Lambert-93 (RGF93 v1), as PROJ 9 defines its projection.
const LCC_LAMBERT93: &str =
    "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80";
/// ETRS89-extended / LAEA Europe (the INSEE grid's CRS), as PROJ 9 defines its projection.
const LAEA_EUROPE: &str = "+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80";

/// The transformation between two of WGS84 lon/lat, Lambert-93 and LAEA Europe (the CRSs of
/// French data and of the INSEE grid) as a PROJ pipeline, written out: the very pipeline PROJ's
/// database search chooses for the pair (RGF93 and ETRS89 are WGS84 to PROJ: no datum shift),
/// in x/y order, which a unit test checks bit for bit against the search on points over
/// Europe. Why: the search costs 20-60 ms a pair, a large part of a national run's start.
fn known_pipeline(from: Crs, to: Crs) -> Option<&'static str> {
    use std::sync::OnceLock;
    static TEXTS: OnceLock<Vec<(Crs, Crs, String)>> = OnceLock::new();
    let texts = TEXTS.get_or_init(|| {
        let deg_to_rad = "+step +proj=unitconvert +xy_in=deg +xy_out=rad";
        let rad_to_deg = "+step +proj=unitconvert +xy_in=rad +xy_out=deg";
        let mut texts = Vec::new();
        for (crs, projection) in [
            (Crs::LAMBERT93, LCC_LAMBERT93),
            (Crs::LAEA_EUROPE, LAEA_EUROPE),
        ] {
            texts.push((
                Crs::WGS84,
                crs,
                format!("+proj=pipeline {deg_to_rad} +step {projection}"),
            ));
            texts.push((
                crs,
                Crs::WGS84,
                format!("+proj=pipeline +step +inv {projection} {rad_to_deg}"),
            ));
        }
        for (a, pa, b, pb) in [
            (Crs::LAMBERT93, LCC_LAMBERT93, Crs::LAEA_EUROPE, LAEA_EUROPE),
            (Crs::LAEA_EUROPE, LAEA_EUROPE, Crs::LAMBERT93, LCC_LAMBERT93),
        ] {
            texts.push((a, b, format!("+proj=pipeline +step +inv {pa} +step {pb}")));
        }
        texts
    });
    texts
        .iter()
        .find(|(f, t, _)| (*f, *t) == (from, to))
        .map(|(_, _, text)| text.as_str())
}

/// PROJ's error text without the wrapper's words ("The underlying PROJ call failed").
fn clean_proj(text: &str) -> String {
    text.replace("The underlying PROJ call failed: ", "")
        .replace("PROJ", "the projection library")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_random::xorshift;
    use geo::coord;

    /// The projection-step shortcut: taken for lon/lat to Lambert-93 and to UTM 40S (La
    /// Réunion), bit for bit PROJ's whole transformation on 20,000 points; not taken where the
    /// transformation is anything else.
    #[test]
    fn projection_step_is_bit_identical_and_only_taken_when_it_applies() {
        for (to, west, south) in [(Crs::LAMBERT93, -5.0, 41.0), (Crs::epsg(2975), 55.0, -21.5)] {
            let r = Reprojector::new(Crs::WGS84, to).unwrap();
            assert!(r.step.is_some(), "{to}");
            // The second one of the pair starts from the remembered step.
            let again = Reprojector::new(Crs::WGS84, to).unwrap();
            assert!(again.step.is_some() && again.proj.is_none(), "{to}");
            let whole = Proj::new_known_crs("EPSG:4326", &to.to_string(), None).unwrap();
            let mut x: u64 = 0x2545_f491_4f6c_dd1d;
            let (mut run, mut each) = (Vec::new(), Vec::new());
            for _ in 0..10_000 {
                xorshift(&mut x);
                let lon = west + (x % 1_000_000) as f64 * 1e-5;
                let lat = south + ((x >> 20) % 1_000_000) as f64 * 1e-5;
                let a = whole.convert((lon, lat)).unwrap();
                let b = r.coord(coord! { x: lon, y: lat }).unwrap();
                assert_eq!(
                    (a.0.to_bits(), a.1.to_bits()),
                    (b.x.to_bits(), b.y.to_bits())
                );
                run.push((lon, lat));
                each.push(a);
            }
            // One PROJ call for the whole run: the same bits.
            again.coords(&mut run).unwrap();
            for (a, b) in each.iter().zip(&run) {
                assert_eq!(
                    (a.0.to_bits(), a.1.to_bits()),
                    (b.0.to_bits(), b.1.to_bits())
                );
            }
        }
        // Without the shortcut too, and a failing point fails the run.
        let ntf = Reprojector::new(Crs::epsg(27572), Crs::LAMBERT93).unwrap();
        let mut run = vec![(600_000.0, 2_400_000.0), (990_000.0, 2_300_000.0)];
        let each: Vec<Coord<f64>> = run
            .iter()
            .map(|c| ntf.coord(coord! { x: c.0, y: c.1 }).unwrap())
            .collect();
        ntf.coords(&mut run).unwrap();
        assert_eq!(run, each.iter().map(|c| (c.x, c.y)).collect::<Vec<_>>());
        let mut bad = vec![(3.0, 46.0), (f64::NAN, 46.0)];
        assert!(
            Reprojector::new(Crs::WGS84, Crs::LAMBERT93)
                .unwrap()
                .coords(&mut bad)
                .is_err()
        );
        // NTF (Paris) Lambert II étendu to Lambert-93 goes through a datum shift: no shortcut.
        assert!(
            Reprojector::new(Crs::epsg(27572), Crs::LAMBERT93)
                .unwrap()
                .step
                .is_none()
        );
        assert!(
            Reprojector::new(Crs::LAMBERT93, Crs::WGS84)
                .unwrap()
                .step
                .is_none()
        );
    }

    /// How many PROJ objects of the pair and kind (`true`: a projection step) wait in the pool.
    fn waiting_in_pool(from: Crs, to: Crs, step: bool) -> usize {
        POOL.lock()
            .unwrap()
            .iter()
            .filter(|(f, t, s, _)| (*f, *t, *s) == (from, to, step))
            .count()
    }

    /// A dropped transformation waits in the pool and the next one of its pair takes it (a
    /// pair no other test builds, so the count is exact).
    #[test]
    fn dropped_transformations_are_taken_again() {
        let cc49 = Crs::epsg(3949);
        let waiting = || waiting_in_pool(cc49, Crs::WGS84, false);
        let (a, b) = (
            Reprojector::new(cc49, Crs::WGS84).unwrap(),
            Reprojector::new(cc49, Crs::WGS84).unwrap(),
        );
        assert_eq!(waiting(), 0);
        drop(a);
        drop(b);
        assert_eq!(waiting(), 2);
        let c = Reprojector::new(cc49, Crs::WGS84).unwrap();
        assert!(c.proj.is_some());
        assert_eq!(waiting(), 1);
        drop(c);
        assert_eq!(waiting(), 2);
    }

    /// A dropped projection step waits in the pool too, and the next transformation of its
    /// pair takes it instead of opening PROJ's database again (a pair no other test builds).
    #[test]
    fn dropped_projection_steps_are_taken_again() {
        let utm = Crs::epsg(32631);
        let waiting = || waiting_in_pool(Crs::WGS84, utm, true);
        let paris = coord! { x: 2.35, y: 48.85 };
        let first = Reprojector::new(Crs::WGS84, utm).unwrap();
        let expected = first.coord(paris).unwrap();
        assert!(first.step.is_some());
        drop(first);
        assert_eq!(waiting(), 1);
        let again = Reprojector::new(Crs::WGS84, utm).unwrap();
        assert!(again.step.is_some() && again.proj.is_none());
        assert_eq!(waiting(), 0);
        assert_eq!(again.coord(paris).unwrap(), expected);
    }

    /// The written-out pipelines give PROJ's database choice bit for bit (and fail where it
    /// fails) on 20,000 points a pair over Europe and around, each pair in both directions;
    /// building them does not search the database.
    #[test]
    fn known_pipelines_are_the_database_choice_bit_for_bit() {
        let (l93, laea) = (Crs::LAMBERT93, Crs::LAEA_EUROPE);
        // (from, to, west, south, width, height): boxes wider than the areas of use.
        for (from, to, west, south, width, height) in [
            (Crs::WGS84, l93, -30.0, 20.0, 70.0, 60.0),
            (Crs::WGS84, laea, -30.0, 20.0, 70.0, 60.0),
            (l93, Crs::WGS84, -1.0e6, 5.0e6, 4.0e6, 3.5e6),
            (laea, Crs::WGS84, 1.0e6, 0.5e6, 6.0e6, 5.0e6),
            (l93, laea, -1.0e6, 5.0e6, 4.0e6, 3.5e6),
            (laea, l93, 1.0e6, 0.5e6, 6.0e6, 5.0e6),
        ] {
            assert!(known_pipeline(from, to).is_some(), "{from} -> {to}");
            let whole = Proj::new_known_crs(&from.to_string(), &to.to_string(), None).unwrap();
            let (first, again) = (
                Reprojector::new(from, to).unwrap(),
                Reprojector::new(from, to).unwrap(),
            );
            let mut x: u64 = 0x2545_f491_4f6c_dd1d;
            let (mut run, mut each) = (Vec::new(), Vec::new());
            for _ in 0..20_000 {
                xorshift(&mut x);
                let c = coord! {
                    x: west + (x % 1_000_000) as f64 * 1e-6 * width,
                    y: south + ((x >> 20) % 1_000_000) as f64 * 1e-6 * height,
                };
                let w = whole
                    .convert((c.x, c.y))
                    .ok()
                    .filter(|w| w.0.is_finite() && w.1.is_finite());
                let bits = |p: Option<Coord<f64>>| p.map(|p| (p.x.to_bits(), p.y.to_bits()));
                let w = w.map(|(x, y)| coord! { x: x, y: y });
                assert_eq!(
                    bits(first.coord(c).ok()),
                    bits(w),
                    "{from} -> {to} at {c:?}"
                );
                assert_eq!(
                    bits(again.coord(c).ok()),
                    bits(w),
                    "{from} -> {to} at {c:?}"
                );
                if let Some(w) = w {
                    run.push((c.x, c.y));
                    each.push(w);
                }
            }
            again.coords(&mut run).unwrap();
            for (a, b) in each.iter().zip(&run) {
                assert_eq!(
                    (a.x.to_bits(), a.y.to_bits()),
                    (b.0.to_bits(), b.1.to_bits())
                );
            }
        }
        assert!(known_pipeline(Crs::epsg(27572), Crs::LAMBERT93).is_none());
    }

    /// A transformation taken again from the pool (from NTF Lambert II étendu to Lambert-93 and
    /// back, through a datum shift: neither a written-out pipeline nor the projection-step
    /// shortcut applies) gives the same bits as a new one, after transforming other points.
    #[test]
    fn pooled_transformations_are_bit_identical() {
        let ntf = Crs::epsg(27572);
        for (from, to, west, south, scale) in [
            (ntf, Crs::LAMBERT93, 1.0e5, 1.7e6, 1.0),
            (Crs::LAMBERT93, ntf, 1.0e5, 6.1e6, 1.0),
        ] {
            let first = Reprojector::new(from, to).unwrap();
            assert!(
                first.proj.is_some() && first.step.is_none(),
                "{from} -> {to}"
            );
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            let mut points = Vec::new();
            for _ in 0..5_000 {
                xorshift(&mut x);
                points.push(coord! {
                    x: west + (x % 1_000_000) as f64 * scale,
                    y: south + ((x >> 20) % 1_000_000) as f64 * scale,
                });
            }
            let before: Vec<_> = points.iter().map(|c| first.coord(*c).ok()).collect();
            let whole = Proj::new_known_crs(&from.to_string(), &to.to_string(), None).unwrap();
            drop(first);
            let again = Reprojector::new(from, to).unwrap();
            for (c, b) in points.iter().rev().zip(before.iter().rev()) {
                let a = again.coord(*c).ok();
                let w = whole
                    .convert((c.x, c.y))
                    .ok()
                    .map(|(x, y)| coord! { x: x, y: y });
                assert_eq!(
                    a.map(|a| (a.x.to_bits(), a.y.to_bits())),
                    b.map(|b| (b.x.to_bits(), b.y.to_bits()))
                );
                assert_eq!(
                    a.map(|a| (a.x.to_bits(), a.y.to_bits())),
                    w.map(|w| (w.x.to_bits(), w.y.to_bits()))
                );
            }
        }
    }

    // Reference values from PROJ 9.1's cs2cs (EPSG:4326 takes latitude first there):
    //   echo "47.63252927885913 6.850322315354423" | cs2cs -f %.4f EPSG:4326 EPSG:2154
    //   989031.7998	6732842.2045
    // The Annuaire de l'éducation gives (989031.8, 6732842.2) for this school (Lycée Condorcet).
    #[test]
    fn wgs84_to_lambert93_matches_cs2cs() {
        let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
        let c = r
            .coord(coord! { x: 6.850322315354423, y: 47.63252927885913 })
            .unwrap();
        assert!((c.x - 989031.7998).abs() < 1e-3, "{c:?}");
        assert!((c.y - 6732842.2045).abs() < 1e-3, "{c:?}");
    }
}
