//! The point input of `locate` and `nearest`: a CSV with coordinate columns or a point layer.

use std::path::PathBuf;

use clap::Args;

use qpv::crs::Crs;
use qpv::io::points::{PointOptions, PointReader};
use qpv::output::OutputFormat;

/// Where the points come from.
#[derive(Debug, Args)]
pub struct PointInput {
    /// Points: CSV with coordinate columns (lon/lat, x/y... detected), or a point layer
    /// (GeoJSON, GeoPackage, Shapefile...).
    #[arg(value_name = "POINTS")]
    pub points: PathBuf,
    /// Column of x / longitude (default: detected).
    #[arg(long, value_name = "NAME")]
    pub x_column: Option<String>,
    /// Column of y / latitude (default: detected).
    #[arg(long, value_name = "NAME")]
    pub y_column: Option<String>,
    /// CRS of the coordinates when the file does not say (default: WGS84 for lon/lat columns,
    /// the working CRS for x/y).
    #[arg(long, value_name = "EPSG:CODE")]
    pub source_crs: Option<String>,
    /// Skip (and count) rows whose coordinates are both empty, e.g. addresses that could not be
    /// geocoded, instead of stopping at the first one.
    #[arg(long)]
    pub skip_empty: bool,
    /// Column names for a CSV without header line (e.g. BANO:
    /// `id,numero,voie,code_post,nom_comm,source,lat,lon`).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Layer of a multi-layer file.
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
}

impl PointInput {
    /// Opens the streaming reader; the points of a vector layer get `x` and `y` columns when
    /// the output `format` has no geometry.
    pub fn open(&self, crs: Crs, format: OutputFormat) -> qpv::Result<PointReader> {
        let options = self.options(format)?;
        PointReader::open(&self.points, &options, crs)
    }

    /// The reader options these flags give.
    pub fn options(&self, format: OutputFormat) -> qpv::Result<PointOptions> {
        let mut options = PointOptions {
            x_column: self.x_column.clone(),
            y_column: self.y_column.clone(),
            layer: self.layer.clone(),
            skip_empty: self.skip_empty,
            layer_xy: !format.has_geometry(),
            ..PointOptions::default()
        };
        if let Some(c) = &self.source_crs {
            options.source_crs = Some(Crs::parse_known(c, "--source-crs")?);
        }
        if !self.columns.is_empty() {
            options.table.headers = Some(self.columns.clone());
        }
        Ok(options)
    }
}
