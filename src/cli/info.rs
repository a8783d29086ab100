//! `qpv info`: describe files, or the embedded layers.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use qpv::io::describe::{LayerInfo, MAX_LISTED_PROBLEMS, describe_file};
use qpv::io::embedded;
use qpv::output::OutputFormat;
use qpv::output::atomic::{ensure_not_input, write_atomic};

use super::{GlobalArgs, OutputArgs};

/// Arguments of `qpv info`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  qpv info                              the embedded Grand Belfort layers, with their counts
  qpv info qpv.geojson communes.gpkg    driver, layers, CRS, counts, extent, fields, bad geometries
  qpv info data.gpkg --layer ecoles     one layer of a GeoPackage
  qpv info schools.csv --format json    as JSON")]
pub struct InfoArgs {
    /// Files to describe (none: the embedded layers).
    pub files: Vec<PathBuf>,
    /// Only this layer of a multi-layer source.
    #[arg(long)]
    pub layer: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(serde::Serialize)]
struct Report {
    layers: Vec<LayerInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    embedded: Option<embedded::Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_crs: Option<String>,
}

/// Runs `qpv info`.
pub fn run(args: &InfoArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Table,
    )?;
    if !matches!(
        format,
        OutputFormat::Table | OutputFormat::Json | OutputFormat::Markdown
    ) {
        return Err(qpv::Error::usage(
            format!("qpv info writes table or json, not {format:?}"),
            "use --format table or --format json",
        )
        .into());
    }
    let report = if args.files.is_empty() {
        let target = global.crs()?;
        Report {
            layers: embedded::describe()?,
            embedded: Some(embedded::summary(target)?),
            working_crs: Some(target.to_string()),
        }
    } else {
        let mut layers = Vec::new();
        for f in &args.files {
            layers.extend(describe_file(f, args.layer.as_deref())?);
        }
        Report {
            layers,
            embedded: None,
            working_crs: None,
        }
    };
    let out = args
        .output
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    if out != std::path::Path::new("-") {
        ensure_not_input(&out, &args.files)?;
    }
    write_atomic(&out, |w| {
        let r = match format {
            OutputFormat::Json => serde_json::to_writer_pretty(&mut *w, &report)
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(w)),
            _ => write_text(w, &report),
        };
        r.map_err(|e| qpv::Error::io(&out, e))
    })?;
    Ok(())
}

fn bbox_text(b: &[f64; 4], decimals: usize) -> String {
    format!(
        "x {:.d$} .. {:.d$}, y {:.d$} .. {:.d$}",
        b[0],
        b[2],
        b[1],
        b[3],
        d = decimals
    )
}

fn write_text(w: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    for (i, l) in report.layers.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        writeln!(w, "{}", l.path)?;
        writeln!(w, "  driver:    {}", l.driver)?;
        if l.layers.len() > 1 {
            writeln!(
                w,
                "  layers:    {} (this one: {})",
                l.layers.join(", "),
                l.layer
            )?;
        } else {
            writeln!(w, "  layer:     {}", l.layer)?;
        }
        let crs = match (&l.crs, l.crs_text.is_empty()) {
            (Some(c), true) => c.clone(),
            (Some(c), false) if l.crs_text.starts_with(c.as_str()) => l.crs_text.clone(),
            (Some(c), false) => format!("{c} ({})", l.crs_text),
            (None, false) => format!("unknown ({})", l.crs_text),
            (None, true) => "none declared".to_string(),
        };
        writeln!(w, "  CRS:       {crs}")?;
        let kinds = l
            .geometry_types
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let noun = if l.driver == "CSV" {
            "rows"
        } else {
            "features"
        };
        let label = format!("{noun}:");
        if kinds.is_empty() {
            writeln!(w, "  {label:<10} {}", l.feature_count)?;
        } else {
            writeln!(w, "  {label:<10} {} ({kinds})", l.feature_count)?;
        }
        if let Some(t) = &l.table {
            writeln!(
                w,
                "  separator: '{}'  encoding: {}",
                t.delimiter, t.encoding
            )?;
            match (&t.x_column, &t.y_column) {
                (Some(x), Some(y)) => writeln!(
                    w,
                    "  points:    x = {x}, y = {y}{}",
                    t.crs_column
                        .as_ref()
                        .map(|c| format!(", CRS from {c}"))
                        .unwrap_or_default()
                )?,
                _ => writeln!(w, "  points:    no coordinate columns found")?,
            }
        }
        let geographic = l.crs.as_deref() == Some("EPSG:4326");
        match &l.bbox {
            Some(b) => writeln!(
                w,
                "  extent:    {} (source CRS)",
                bbox_text(b, if geographic { 7 } else { 2 })
            )?,
            None => writeln!(w, "  extent:    none")?,
        }
        if let Some(b) = &l.bbox_wgs84 {
            writeln!(
                w,
                "  WGS84:     lon {:.7} .. {:.7}, lat {:.7} .. {:.7}",
                b[0], b[2], b[1], b[3]
            )?;
        }
        writeln!(w, "  fields ({}):", l.fields.len())?;
        for f in &l.fields {
            writeln!(w, "    {:<32} {}", f.name, f.kind.as_str())?;
        }
        if l.problems.is_empty() && l.table.is_some() {
            writeln!(w, "  problems:  none (every row has a coordinate)")?;
        } else if l.problems.is_empty() {
            writeln!(w, "  problems:  none (every geometry present and valid)")?;
        } else {
            writeln!(w, "  problems ({}):", l.problems.len())?;
            for p in l.problems.iter().take(MAX_LISTED_PROBLEMS) {
                writeln!(w, "    {}: {}", p.location, p.message)?;
            }
            if l.problems.len() > MAX_LISTED_PROBLEMS {
                writeln!(
                    w,
                    "    ... and {} more",
                    l.problems.len() - MAX_LISTED_PROBLEMS
                )?;
            }
        }
    }
    if let Some(s) = &report.embedded {
        writeln!(w)?;
        writeln!(
            w,
            "Embedded layers as loaded (working CRS {}):",
            report.working_crs.as_deref().unwrap_or("?")
        )?;
        writeln!(w, "  QPV 2024 (ANCT): {} zones", s.qpv.len())?;
        for (code, name) in &s.qpv {
            writeln!(w, "    {code}  {name}")?;
        }
        for g in &s.grids {
            writeln!(
                w,
                "  Filosofi {} 200 m grid (INSEE): {} cells, {:.1} inhabitants, {} imputed cells",
                g.year, g.cells, g.population, g.imputed
            )?;
        }
        writeln!(
            w,
            "  Communes of CA Grand Belfort (IGN, simplified): {}, {:.0} inhabitants (municipal population)",
            s.communes, s.communes_population
        )?;
        let cats = s
            .facilities
            .iter()
            .map(|(c, n)| format!("{n} {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let total: usize = s.facilities.iter().map(|(_, n)| n).sum();
        writeln!(
            w,
            "  Schools (Annuaire de l'éducation): {total}: {cats}; {} in éducation prioritaire (REP/REP+)",
            s.facilities_rep
        )?;
        writeln!(
            w,
            "  France Services (ANCT, 1 August 2024): {}",
            s.france_services
        )?;
    }
    Ok(())
}
