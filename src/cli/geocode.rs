//! `qpv geocode`: a CSV of postal addresses in, the same rows with positions out (CSV by
//! default; JSON, GeoJSON, GeoPackage or a table for GIS work).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use qpv::geocode::batch::ColumnNames;
use qpv::geocode::{AddressIndex, ReferenceFormat};
use qpv::io::table::{TableOptions, TableReader};
use qpv::output::OutputFormat;
use qpv::output::atomic::ensure_not_input;
use qpv::output::geocoded;
use qpv::output::point_rows::RowOutput;

use super::{CsvStyleArgs, GlobalArgs, OutputArgs};

/// Address-column and reference options, shared by `qpv geocode` and `qpv locate --addresses`
/// (flatten it into the command's arguments).
#[derive(Debug, Args)]
pub struct AddressArgs {
    /// Column holding the full address (`13 rue Danton, 90000 Belfort`).
    #[arg(long = "address-column", alias = "address-col", value_name = "NAME")]
    pub address_col: Option<String>,
    /// Column holding the house number.
    #[arg(long = "number-column", alias = "number-col", value_name = "NAME")]
    pub number_col: Option<String>,
    /// Column holding the repetition index (bis, ter, A…).
    #[arg(long = "rep-column", alias = "rep-col", value_name = "NAME")]
    pub rep_col: Option<String>,
    /// Column holding the street.
    #[arg(long = "street-column", alias = "street-col", value_name = "NAME")]
    pub street_col: Option<String>,
    /// Column holding the postcode.
    #[arg(long = "postcode-column", alias = "postcode-col", value_name = "NAME")]
    pub postcode_col: Option<String>,
    /// Column holding the commune.
    #[arg(long = "commune-column", alias = "commune-col", value_name = "NAME")]
    pub commune_col: Option<String>,
    /// Address reference: a BANO or BAN CSV (default: the embedded BANO of the Territoire de
    /// Belfort, 2015).
    #[arg(long, value_name = "FILE")]
    pub reference: Option<PathBuf>,
    /// Format of --reference.
    #[arg(long, value_enum, default_value = "auto")]
    pub reference_format: super::value_enums::ReferenceFormatArg,
}

impl AddressArgs {
    /// The column names given on the command line.
    pub fn column_names(&self) -> ColumnNames {
        ColumnNames {
            address: self.address_col.clone(),
            number: self.number_col.clone(),
            rep: self.rep_col.clone(),
            street: self.street_col.clone(),
            postcode: self.postcode_col.clone(),
            commune: self.commune_col.clone(),
        }
    }

    /// The address index these options ask for, in the working CRS.
    pub fn index(&self, global: &GlobalArgs) -> anyhow::Result<AddressIndex> {
        address_index(
            self.reference.as_deref(),
            self.reference_format.into(),
            global,
        )
    }
}

/// Arguments of `qpv geocode`.
#[derive(Debug, Args)]
pub struct GeocodeArgs {
    /// CSV of addresses (`,` or `;`, UTF-8 or Windows-1252). Address columns are detected from
    /// the usual headers (adresse; numero, voie, code_postal, commune…) or named below.
    pub file: PathBuf,
    #[command(flatten)]
    pub address: AddressArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub csv: CsvStyleArgs,
}

/// Builds the address index the options ask for.
pub fn address_index(
    reference: Option<&Path>,
    format: ReferenceFormat,
    global: &GlobalArgs,
) -> anyhow::Result<AddressIndex> {
    let crs = global.crs()?;
    Ok(match reference {
        Some(p) => AddressIndex::from_file(p, format, crs)?,
        None => AddressIndex::embedded(crs)?,
    })
}

/// Runs `qpv geocode`.
pub fn run(args: &GeocodeArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let out = args
        .output
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let format = OutputFormat::resolve(
        args.output.format,
        args.output.output.as_deref(),
        OutputFormat::Csv,
    )?;
    let csv_style = args.csv.csv_style.for_format(format)?;
    let mut inputs = vec![args.file.clone()];
    inputs.extend(args.address.reference.clone());
    ensure_not_input(&out, &inputs)?;
    let started = Instant::now();
    let index = args.address.index(global)?;
    let indexed = started.elapsed();
    let reader = TableReader::open(&args.file, &TableOptions::default())?;
    let out = RowOutput {
        path: args.output.output.as_deref(),
        format,
        csv_style,
        crs: global.crs()?,
    };
    let summary = Some(
        geocoded::write_geocoded(&index, reader, &args.address.column_names(), &out)
            .with_context(|| format!("geocoding {}", args.file.display()))?,
    );
    if !global.quiet
        && let Some(s) = summary
    {
        let skipped = index.skipped().count;
        eprintln!(
            "qpv geocode: {} addresses: {} housenumber, {} interpolated, {} street, {} not_found, \
             {} with postcode/commune corrected (index of {} points built in {:.0} ms{}; total {:.2} s)\n  {}: {}",
            s.rows,
            s.housenumber,
            s.interpolated,
            s.street,
            s.not_found,
            s.corrected,
            index.point_count(),
            indexed.as_secs_f64() * 1000.0,
            if skipped > 0 {
                format!(", {skipped} reference rows skipped")
            } else {
                String::new()
            },
            started.elapsed().as_secs_f64(),
            index.source(),
            index.attribution(),
        );
    }
    Ok(())
}
