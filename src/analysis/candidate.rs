//! Building candidate perimeters without drawing: unions of named QPV, of communes, of grid
//! cells chosen by a condition, of cells around a point, with an optional buffer; always
//! dissolved into one MultiPolygon whose polygons are the continuous parts.

use geo::{Distance, Euclidean, Geometry, MultiPolygon, Point};
use serde::Serialize;

use crate::crs::{Crs, ToMetric};
use crate::error::{Error, Location, Result};
use crate::io::vector::VectorLayer;
use crate::model::{GridCell, Zone};

pub use crate::geometry::buffer::buffer;
pub use crate::geometry::overlay::{difference, dissolve, intersection};

/// Union of the zones whose code is in `codes` (QPV codes, or INSEE codes when the zones are
/// communes). An unknown code is an error listing the known ones.
pub fn from_zones(zones: &[Zone], codes: &[String], what: &str) -> Result<MultiPolygon<f64>> {
    let mut chosen = Vec::new();
    for code in codes {
        let code = code.trim();
        match zones.iter().find(|z| z.code.eq_ignore_ascii_case(code)) {
            Some(z) => chosen.push(&z.geometry),
            None => {
                let mut known: Vec<&str> = zones.iter().map(|z| z.code.as_str()).collect();
                known.sort_unstable();
                return Err(Error::usage(
                    format!("unknown {what} code '{code}'"),
                    format!("known codes: {}", known.join(", ")),
                ));
            }
        }
    }
    Ok(dissolve(chosen))
}

/// A grid field a cell condition can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellField {
    /// Inhabitants (`ind`, `population`).
    Population,
    /// Households (`men`, `households`).
    Households,
    /// Poor households (`men_pauv`).
    PoorHouseholds,
    /// `Men_pauv / Men` (`poor_share`).
    PoorShare,
    /// `Ind_snv / Ind`, € (`snv`, `mean_snv`, `standard_of_living`).
    MeanStandardOfLiving,
    /// `Men_prop / Men` (`owner_share`).
    OwnerShare,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// One test on a cell, e.g. `snv<13000`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CellTest {
    /// Field.
    pub field: CellField,
    /// Operator.
    pub cmp: Cmp,
    /// Value.
    pub value: f64,
}

/// Tests joined by "and", e.g. `snv<13000 and population>=50`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellCondition(pub Vec<CellTest>);

impl CellCondition {
    /// Parses `field OP value [and field OP value …]`; fields: population, households,
    /// poor_households, poor_share, snv (mean standard of living), owner_share.
    ///
    /// ```
    /// use qpv::analysis::candidate::CellCondition;
    /// let c = CellCondition::parse("snv < 13000 and poor_share>=0.3").unwrap();
    /// assert_eq!(c.0.len(), 2);
    /// assert!(CellCondition::parse("income ~ 3").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        let hint = "write e.g. 'snv<13000', 'poor_share>=0.3 and population>=50'; fields: population, households, poor_households, poor_share, snv, owner_share";
        let mut tests = Vec::new();
        let normalised = text.replace("&&", " and ").replace(" AND ", " and ");
        for clause in normalised.split(" and ") {
            let clause = clause.trim();
            if clause.is_empty() {
                continue;
            }
            let (pos, op, cmp) = ["<=", ">=", "<", ">"]
                .iter()
                .find_map(|op| clause.find(op).map(|p| (p, *op)))
                .map(|(p, op)| {
                    let cmp = match op {
                        "<=" => Cmp::Le,
                        ">=" => Cmp::Ge,
                        "<" => Cmp::Lt,
                        _ => Cmp::Gt,
                    };
                    (p, op, cmp)
                })
                .ok_or_else(|| Error::usage(format!("no comparison in '{clause}'"), hint))?;
            let name = clause[..pos].trim().to_lowercase();
            let field = match name.as_str() {
                "population" | "ind" => CellField::Population,
                "households" | "men" => CellField::Households,
                "poor_households" | "men_pauv" => CellField::PoorHouseholds,
                "poor_share" => CellField::PoorShare,
                "snv" | "mean_snv" | "standard_of_living" => CellField::MeanStandardOfLiving,
                "owner_share" => CellField::OwnerShare,
                _ => return Err(Error::usage(format!("unknown cell field '{name}'"), hint)),
            };
            let raw = clause[pos + op.len()..].trim();
            let value = crate::io::table::parse_number(raw).ok_or_else(|| {
                Error::usage(format!("'{raw}' is not a number in '{clause}'"), hint)
            })?;
            tests.push(CellTest { field, cmp, value });
        }
        if tests.is_empty() {
            return Err(Error::usage("empty cell condition", hint));
        }
        Ok(CellCondition(tests))
    }

    /// Whether `cell` satisfies every test (a ratio with a zero denominator fails).
    pub fn matches(&self, cell: &GridCell) -> bool {
        let v = &cell.values;
        let ratio = |n: f64, d: f64| (d > 0.0).then(|| n / d);
        self.0.iter().all(|t| {
            let x = match t.field {
                CellField::Population => Some(v.ind),
                CellField::Households => Some(v.men),
                CellField::PoorHouseholds => Some(v.men_pauv),
                CellField::PoorShare => ratio(v.men_pauv, v.men),
                CellField::MeanStandardOfLiving => ratio(v.ind_snv, v.ind),
                CellField::OwnerShare => ratio(v.men_prop, v.men),
            };
            x.is_some_and(|x| match t.cmp {
                Cmp::Lt => x < t.value,
                Cmp::Le => x <= t.value,
                Cmp::Gt => x > t.value,
                Cmp::Ge => x >= t.value,
            })
        })
    }
}

/// Union of the cells satisfying `condition`.
pub fn from_cells(cells: &[GridCell], condition: &CellCondition) -> MultiPolygon<f64> {
    let chosen: Vec<MultiPolygon<f64>> = cells
        .iter()
        .filter(|c| condition.matches(c))
        .map(|c| MultiPolygon(vec![c.polygon.clone()]))
        .collect();
    dissolve(&chosen)
}

/// Union of the cells whose nearest point lies within `distance` metres of `point` (a cell
/// containing the point is at 0 m).
pub fn cells_near(cells: &[GridCell], point: Point<f64>, distance: f64) -> MultiPolygon<f64> {
    let chosen: Vec<MultiPolygon<f64>> = cells
        .iter()
        .filter(|c| Euclidean.distance(&point, &c.polygon) <= distance)
        .map(|c| MultiPolygon(vec![c.polygon.clone()]))
        .collect();
    dissolve(&chosen)
}

/// A candidate read from a polygon layer (a planner's own file): every feature's polygon,
/// reprojected into `target` with plausibility checks, dissolved. The name is the
/// `name_field` attribute (default `name`) of the first feature, else the file name without
/// extension.
///
/// Errors name the file and the feature: a feature without geometry, a point or a line, an
/// invalid polygon (with the GIS command that repairs it), an undeclared CRS.
pub fn from_layer(
    layer: VectorLayer,
    assumed: Option<Crs>,
    target: Crs,
    name_field: Option<&str>,
) -> Result<(String, MultiPolygon<f64>)> {
    let path = layer.path.clone();
    let source = layer.crs.or(assumed).ok_or_else(|| {
        Error::input(
            &path,
            Location::File,
            "the layer declares no coordinate reference system",
            "give it with --source-crs EPSG:<code> (e.g. EPSG:2154 for Lambert-93)",
        )
    })?;
    if layer.features.is_empty() {
        return Err(Error::input(
            &path,
            Location::File,
            "the layer has no features",
            "draw at least one polygon",
        ));
    }
    let to_metric = ToMetric::new(source, target)?;
    let name = Some(name_field.unwrap_or("name"))
        .map(|f| layer.features[0].attributes.text(f).trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "candidate".into())
        });
    let mut parts = Vec::with_capacity(layer.features.len());
    for f in layer.features {
        if let Some(e) = f.error_at(&path) {
            return Err(e);
        }
        let loc = Location::Feature(f.index);
        // The same checks as for zones: a polygon, not empty, with an area, valid.
        let mp = crate::io::zones::polygonal(&path, f.index, f.geometry)?;
        let mut g = Geometry::MultiPolygon(mp);
        if let Err(e) = to_metric.geometry(&mut g) {
            return Err(Error::input(&path, loc, e.message, e.hint));
        }
        if let Geometry::MultiPolygon(mp) = g {
            parts.push(mp);
        }
    }
    let merged = dissolve(&parts);
    if merged.0.is_empty() {
        return Err(Error::input(
            &path,
            Location::File,
            "the perimeter has no area",
            "give polygons with a surface (not degenerate rings)",
        ));
    }
    Ok((name, merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GridValues;
    use geo::polygon;

    fn sq(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s)],
        ])
    }

    fn zone(code: &str, g: MultiPolygon<f64>) -> Zone {
        Zone {
            code: code.into(),
            name: code.into(),
            communes: vec![],
            geometry: g,
            attributes: Default::default(),
        }
    }

    #[test]
    fn union_of_codes_and_errors() {
        let (x, y) = (989_000.0, 6_734_000.0);
        let zones = vec![
            zone("A", sq(x, y, 100.0)),
            zone("B", sq(x + 100.0, y, 100.0)),
            zone("C", sq(x + 500.0, y, 100.0)),
        ];
        let ab = from_zones(&zones, &["A".into(), "b".into()], "QPV").unwrap();
        assert_eq!(ab.0.len(), 1);
        assert!((super::super::interpolate::local_area_multi(&ab) - 20_000.0).abs() < 1e-6);
        let ac = from_zones(&zones, &["A".into(), "C".into()], "QPV").unwrap();
        assert_eq!(ac.0.len(), 2);
        let e = from_zones(&zones, &["Z".into()], "QPV").unwrap_err();
        assert!(e.to_string().contains("'Z'"), "{e}");
    }

    #[test]
    fn cells_by_condition_and_near() {
        let (x, y) = (989_000.0, 6_734_000.0);
        let cells: Vec<GridCell> = (0..4)
            .map(|i| GridCell {
                id: format!("c{i}"),
                polygon: sq(x + 200.0 * i as f64, y, 200.0).0.remove(0),
                values: GridValues {
                    ind: 100.0,
                    men: 40.0,
                    ind_snv: 100.0 * (10_000.0 + 2_000.0 * i as f64),
                    ..Default::default()
                },
                imputed: false,
            })
            .collect();
        // snv 10k, 12k, 14k, 16k → the first two cells, one part of 80,000 m².
        let c = CellCondition::parse("snv<13000").unwrap();
        let mp = from_cells(&cells, &c);
        assert_eq!(mp.0.len(), 1);
        assert!((super::super::interpolate::local_area_multi(&mp) - 80_000.0).abs() < 1e-6);
        // A point in cell 3 (0 m), 50 m from cell 2, 250 m from cell 1.
        let near = cells_near(&cells, Point::new(x + 650.0, y + 100.0), 60.0);
        assert!((super::super::interpolate::local_area_multi(&near) - 80_000.0).abs() < 1e-6);
        let one = cells_near(&cells, Point::new(x + 650.0, y + 100.0), 40.0);
        assert!((super::super::interpolate::local_area_multi(&one) - 40_000.0).abs() < 1e-6);
    }

    #[test]
    fn buffer_grows_square() {
        let s = sq(989_000.0, 6_734_000.0, 100.0);
        let b = buffer(&s, 10.0);
        let a = super::super::interpolate::local_area_multi(&b);
        // 100² + 4·100·10 + π·10² = 14,314.16; the arc is approximated by segments.
        assert!((a - 14_314.16).abs() < 5.0, "{a}");
        let d = difference(&b, &s);
        assert!((super::super::interpolate::local_area_multi(&d) - (a - 10_000.0)).abs() < 1e-3);
    }
}
