//! The text view of `qpv info` (its JSON view is the serialised [`Report`]): per layer the
//! driver, layers, CRS, counts, separator and coordinate columns, extent, fields and problems,
//! then what the embedded layers hold once loaded.
//!
//! # Examples
//!
//! ```
//! use qpv::output::info_text::{Report, write_text};
//! let report = Report { layers: Vec::new(), embedded: None, working_crs: None };
//! let mut out = Vec::new();
//! write_text(&mut out, &report).unwrap();
//! assert!(out.is_empty());
//! ```

use std::io::Write;

use crate::io::describe::{LayerInfo, MAX_LISTED_PROBLEMS};
use crate::io::embedded;

/// What `qpv info` reports.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// One description per file layer.
    pub layers: Vec<LayerInfo>,
    /// The embedded layers as loaded, when no file was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded: Option<embedded::Summary>,
    /// The working CRS the embedded layers were loaded in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_crs: Option<String>,
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

/// Writes `report` as pretty-printed JSON (`qpv info --format json`), newline-terminated.
pub fn write_json(w: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report).map_err(std::io::Error::other)?;
    writeln!(w)
}

/// Writes `report` as text for a person: one block per layer, then the embedded layers.
pub fn write_text(w: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    for (i, l) in report.layers.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        write_layer(w, l)?;
    }
    if let Some(s) = &report.embedded {
        write_embedded(w, s, report.working_crs.as_deref())?;
    }
    Ok(())
}

fn write_layer(w: &mut dyn Write, l: &LayerInfo) -> std::io::Result<()> {
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
    write_fields_and_problems(w, l)
}

fn write_fields_and_problems(w: &mut dyn Write, l: &LayerInfo) -> std::io::Result<()> {
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
    Ok(())
}

fn write_embedded(
    w: &mut dyn Write,
    s: &embedded::Summary,
    working_crs: Option<&str>,
) -> std::io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "Embedded layers as loaded (working CRS {}):",
        working_crs.unwrap_or("?")
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
    Ok(())
}
