//! Writers: every result is a plain struct; tables, CSV, JSON, GeoJSON (RFC 7946) and
//! GeoPackage are views of it. Files are written to a temporary file and renamed, never
//! half-written, and never over an input.

pub mod access_views;
pub mod atomic;
pub mod category_style;
pub mod cleanup;
mod column_selection;
pub mod coverage_json;
pub mod coverage_layers;
pub mod coverage_notes;
pub mod coverage_rows;
pub mod csv_record;
pub mod csv_stream;
pub mod csv_style;
mod format;
pub mod gdal_formats;
pub mod geocoded;
pub mod geojson;
pub mod gpkg;
pub mod info_text;
pub mod interpolate_views;
mod layer;
pub mod located;
pub mod nearest_rows;
pub mod number;
pub mod palette;
pub mod perimeter_layers;
pub mod perimeter_views;
pub mod point_rows;
pub mod qgis_project;
pub mod qgis_style;
pub mod report_html;
pub mod report_markdown;
pub mod sink;
pub mod site_views;
pub mod table;
mod views;

pub use column_selection::ColumnSelection;
pub use format::OutputFormat;
pub use layer::{GeoFeature, GeoLayer};
pub use table::Table;
pub use views::{Views, write_views, write_views_noted};
