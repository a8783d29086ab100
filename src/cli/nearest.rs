//! `qpv nearest`: for each input point, the k nearest facilities (optionally of given
//! categories, per category, within a maximum distance), input columns kept.

use clap::Args;
use geo::{Coord, Geometry, LineString, Point};
use serde_json::{Map, Value};

use qpv::analysis::batch::{DEFAULT_CHUNK, Progress, for_each_ordered};
use qpv::analysis::nearest::nearest_per_category;
use qpv::index::{FacilityIndex, Neighbour};
use qpv::model::Category;
use qpv::output::{ColumnSelection, OutputFormat};

use super::layers::{FacilityInput, check_distance};
use super::locate::PointInput;
use super::{CsvStyleArgs, GlobalArgs, OutputArgs, SelectArgs};
use qpv::output::csv_stream::stream_csv_points;
use qpv::output::csv_style::CsvStyle;
use qpv::output::sink::{Cell, append_columns, write_rows as stream_output};

/// Receives one output row: the values added after the input fields, and its geometry.
type EmitRow<'a> = dyn FnMut(&[Cell], Geometry<f64>) -> qpv::Result<()> + 'a;

/// Arguments of `qpv nearest`.
#[derive(Debug, Args)]
pub struct NearestArgs {
    #[command(flatten)]
    pub input: PointInput,
    #[command(flatten)]
    pub facilities: FacilityInput,
    /// How many facilities per point (per category with --per-category).
    #[arg(short, long, default_value_t = 1)]
    pub k: usize,
    /// The k nearest of each category (columns `<category>_<rank>_...`).
    #[arg(long)]
    pub per_category: bool,
    /// Only facilities at most this far (metres).
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    pub max_distance: Option<f64>,
    /// One row per point-facility pair with a LineString from the point to the facility
    /// ("hub lines" for QGIS), instead of one row per point.
    #[arg(long)]
    pub lines: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub csv: CsvStyleArgs,
    #[command(flatten)]
    pub select: SelectArgs,
}

fn metres(d: f64) -> Cell<'static> {
    Cell::Number(qpv::output::number::round(d, 2))
}

/// Runs `qpv nearest`.
pub fn run(args: &NearestArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let crs = global.crs()?;
    if let Some(m) = args.max_distance {
        check_distance(m, "--max-distance")?;
    }
    if args.k == 0 {
        return Err(qpv::Error::usage("-k 0 asks for no facility", "give -k 1 or more").into());
    }
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Csv,
    )?;
    let csv_style = args.csv.csv_style.for_format(format)?;
    if let Some(out) = args.output.output.as_deref() {
        let mut inputs = vec![args.input.points.clone()];
        inputs.extend(args.facilities.inputs());
        qpv::output::atomic::ensure_not_input(out, &inputs)?;
    }
    let (facilities, wanted, _) = args.facilities.load(crs)?;
    let index = FacilityIndex::new(&facilities);
    let k = index.capped_k(args.k);
    // Groups of facilities searched separately: one per category with --per-category, else
    // one group over the (already filtered) facilities.
    let groups: Vec<Option<Category>> = if args.per_category {
        match wanted {
            Some(list) => list.into_iter().map(Some).collect(),
            None => index.categories().cloned().map(Some).collect(),
        }
    } else {
        vec![None]
    };
    let mut reader = args.input.open(crs, format)?;
    let mut added = Vec::new();
    if args.lines {
        for c in [
            "rank",
            "facility_id",
            "facility_name",
            "category",
            "distance_m",
        ] {
            added.push(c.to_string());
        }
    } else {
        for group in &groups {
            let prefix = group
                .as_ref()
                .map_or("nearest".to_string(), |c| c.to_string());
            for r in 1..=k {
                for field in ["id", "name", "category", "distance_m"] {
                    if group.is_some() && field == "category" {
                        continue;
                    }
                    added.push(format!("{prefix}_{r}_{field}"));
                }
            }
        }
    }
    let added_count = added.len();
    let select = ColumnSelection::new(
        &append_columns(reader.headers(), &added),
        &args.select.select,
    )?;
    let mut progress = Progress::new("points", !global.quiet);
    let max = args.max_distance;
    let search = |p: Coord<f64>| -> Vec<Vec<Neighbour>> {
        match groups.as_slice() {
            [None] => vec![index.nearest(p, k, None, max)],
            _ => {
                let categories: Vec<Category> = groups.iter().flatten().cloned().collect();
                nearest_per_category(&index, p, &categories, k, max)
            }
        }
    };
    let mut rows_written = 0u64;
    // The values added to a point's output rows (after its input fields), with their
    // geometries.
    let point_rows =
        |p: Coord<f64>, found: &[Vec<Neighbour>], emit: &mut EmitRow| -> qpv::Result<()> {
            if args.lines {
                for (rank, n) in found.iter().flatten().enumerate() {
                    let f = index.facility(n.index);
                    let values = [
                        Cell::Int(rank as u64 + 1),
                        Cell::Text(&f.id),
                        Cell::Text(&f.name),
                        Cell::Text(f.category.as_str()),
                        metres(n.distance),
                    ];
                    emit(&values, Geometry::LineString(LineString(vec![p, f.point])))?;
                }
                return Ok(());
            }
            let mut values = Vec::with_capacity(added_count);
            for (group, neighbours) in groups.iter().zip(found) {
                for r in 0..k {
                    let n = neighbours
                        .get(r)
                        .map(|n| (index.facility(n.index), n.distance));
                    values.push(n.map_or(Cell::Null, |(f, _)| Cell::Text(&f.id)));
                    values.push(n.map_or(Cell::Null, |(f, _)| Cell::Text(&f.name)));
                    if group.is_none() {
                        values.push(n.map_or(Cell::Null, |(f, _)| Cell::Text(f.category.as_str())));
                    }
                    values.push(n.map_or(Cell::Null, |(_, d)| metres(d)));
                }
            }
            emit(&values, Geometry::Point(Point(p)))
        };
    let mut skipped = 0;
    if format == OutputFormat::Csv
        && csv_style == CsvStyle::Plain
        && let Some((raw, parser)) = reader.raw_csv()
    {
        skipped = stream_csv_points(
            args.output.output.as_deref(),
            &select,
            raw,
            &parser,
            &mut progress,
            false,
            search,
            |p, found, emit| {
                // Emitting into the encoder cannot fail (it keeps its own error).
                let _ = point_rows(p, found, &mut |values, _| {
                    emit(values);
                    Ok(())
                });
            },
            |_| rows_written += 1,
        )?;
    } else {
        stream_output(
            args.output.output.as_deref(),
            format,
            select,
            if args.lines {
                "nearest_lines"
            } else {
                "nearest"
            },
            crs,
            csv_style,
            |rows| {
                let points = (&mut reader).map(|r| r.map(|row| (row.fields, row.point)));
                for_each_ordered(
                    points,
                    DEFAULT_CHUNK,
                    |(_, p): &(Vec<String>, Coord<f64>)| search(*p),
                    |(fields, p), found| {
                        rows_written += 1;
                        point_rows(p, &found, &mut |added, geometry| {
                            let mut values: Vec<Value> =
                                fields.iter().cloned().map(Value::String).collect();
                            values.extend(added.iter().map(|c| c.to_value()));
                            rows.write(values, Some(geometry))
                        })
                    },
                    &mut progress,
                )?;
                Ok(Map::new())
            },
        )?;
    }
    progress.finish();
    if !global.quiet {
        eprintln!(
            "{rows_written} points, {} facilities searched",
            index.count(None)
        );
        let skipped = skipped + reader.skipped();
        if skipped > 0 {
            eprintln!("{skipped} rows without coordinates skipped");
        }
    }
    Ok(())
}
