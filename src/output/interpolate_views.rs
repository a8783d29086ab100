//! `qpv interpolate`: the rows of the areal interpolation of the grid onto zones (one per zone),
//! their views (table, CSV, JSON, Markdown, GeoJSON and GeoPackage with the zones' polygons)
//! and [`run_interpolate`], the whole command once the flags are values.

use std::path::{Path, PathBuf};

use geo::Geometry;
use serde_json::{Map, Value, json};

use crate::analysis::zone_population::{
    ZonePopulation, zone_populations, zone_populations_from_file,
};
use crate::crs::Crs;
use crate::error::Result;
use crate::model::{GridCell, GridSource, Zone};

use super::csv_style::CsvStyle;
use super::number;
use super::qgis_style::LayerStyle;
use super::{ColumnSelection, GeoFeature, GeoLayer, OutputFormat, Table, Views, write_views};

/// The output columns, in order: the zone, its area (m²), the cells it overlaps, then every
/// Filosofi count area-weighted, named as INSEE names them (lower case).
pub const COLUMNS: [&str; 15] = [
    "code_qp", "lib_qp", "area_m2", "cells", "ind", "men", "men_pauv", "ind_snv", "men_1ind",
    "men_5ind", "men_fmp", "men_prop", "men_coll", "men_mais", "men_surf",
];

/// The values of one row in [`COLUMNS`] order; numbers unrounded (CSV, JSON, layers) or
/// rounded to 2 decimals for people (text table, Markdown).
pub fn row_values(r: &ZonePopulation, rounded: bool) -> Vec<Value> {
    let v = &r.values;
    let num = |x: f64| {
        if rounded {
            number::json(x, 2)
        } else {
            json!(x)
        }
    };
    let mut out = vec![json!(r.code), json!(r.name), num(r.area_m2), json!(r.cells)];
    for x in [
        v.ind, v.men, v.men_pauv, v.ind_snv, v.men_1ind, v.men_5ind, v.men_fmp, v.men_prop,
        v.men_coll, v.men_mais, v.men_surf,
    ] {
        out.push(num(x));
    }
    out
}

/// The views of the rows: `zones` gives each row's polygon (same order), `select` the columns.
pub fn interpolate_views(
    rows: &[ZonePopulation],
    zones: &[Zone],
    select: &ColumnSelection,
    format: OutputFormat,
    crs: Crs,
    source: &str,
) -> Views {
    let people = matches!(format, OutputFormat::Table | OutputFormat::Markdown);
    let mut table = Table::new(select.columns().to_vec());
    let mut records = Vec::with_capacity(rows.len());
    let mut features = Vec::with_capacity(rows.len());
    for (r, z) in rows.iter().zip(zones) {
        table.push(select.apply(row_values(r, people)));
        let props: Map<String, Value> = select
            .columns()
            .iter()
            .cloned()
            .zip(select.apply(row_values(r, false)))
            .collect();
        records.push(Value::Object(props.clone()));
        features.push(GeoFeature {
            geometry: Some(Geometry::MultiPolygon(z.geometry.clone())),
            properties: props,
        });
    }
    Views {
        table,
        json: json!({ "grid": source, "zones": records }),
        layers: vec![GeoLayer {
            name: "zone_population".into(),
            crs,
            style: Some(LayerStyle::Qpv),
            features,
        }],
        markdown_preamble: format!(
            "# Population of the zones\n\nAreal interpolation of the {source}: each cell \
             counts for the share of its area inside the zone (people evenly spread in a \
             cell); `cells`: cells the zone overlaps; `ind` inhabitants, `men` households, \
             `men_pauv` poor households, the other columns as INSEE names them.\n\n"
        ),
        csv_style: CsvStyle::Plain,
    }
}

/// The grid `qpv interpolate` reads.
pub enum InterpolateGrid {
    /// A Filosofi grid CSV, read row by row (only the cells near a zone are kept).
    File {
        /// The file.
        path: PathBuf,
        /// Filosofi vintage (`--grid-year`, or the year in the file name).
        vintage: Option<u16>,
    },
    /// Cells already loaded (the embedded grid) and how reports name them.
    Cells(Vec<GridCell>, GridSource),
}

/// Everything `qpv interpolate` needs, flags already turned into values.
pub struct InterpolateRun<'a> {
    /// The zones, in output order.
    pub zones: &'a [Zone],
    /// The grid.
    pub grid: InterpolateGrid,
    /// Columns asked with `--select` (empty: all).
    pub select: &'a [String],
    /// Working CRS.
    pub crs: Crs,
    /// Output format.
    pub format: OutputFormat,
    /// Output file (`None`: standard output).
    pub output: Option<&'a Path>,
    /// CSV dialect.
    pub csv_style: CsvStyle,
}

/// Runs `qpv interpolate`: interpolates the grid onto the zones and writes the views. Returns
/// the rows (for a summary).
///
/// # Errors
/// An unknown `--select` column, and those of the grid reader and of the writers.
pub fn run_interpolate(run: InterpolateRun<'_>) -> Result<Vec<ZonePopulation>> {
    let available: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    let select = ColumnSelection::new(&available, run.select)?;
    let (rows, source) = match run.grid {
        InterpolateGrid::File { path, vintage } => {
            let (rows, _kept) = zone_populations_from_file(run.zones, &path, run.crs)?;
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            let vintage =
                vintage.map_or_else(|| "unstated vintage".into(), |y| format!("Filosofi {y}"));
            (rows, format!("200 m grid {name} ({vintage})"))
        }
        InterpolateGrid::Cells(cells, source) => {
            (zone_populations(run.zones, &cells), source.label())
        }
    };
    let mut views = interpolate_views(&rows, run.zones, &select, run.format, run.crs, &source);
    views.csv_style = run.csv_style;
    write_views(run.output, run.format, &views)?;
    Ok(rows)
}
