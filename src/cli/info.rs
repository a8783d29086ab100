//! `qpv info`: describe files, or the embedded layers.

use std::path::PathBuf;

use clap::Args;

use qpv::io::describe::describe_file;
use qpv::io::embedded;
use qpv::output::OutputFormat;
use qpv::output::atomic::{ensure_not_input, write_atomic};
use qpv::output::info_text::{Report, write_json, write_text};

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
            OutputFormat::Json => write_json(w, &report),
            _ => write_text(w, &report),
        };
        r.map_err(|e| qpv::Error::io(&out, e))
    })?;
    Ok(())
}
