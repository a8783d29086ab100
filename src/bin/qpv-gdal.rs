//! The `qpv-gdal` binary: `qpv` with GDAL linked in, for the runs that read or write a
//! GeoPackage, Shapefile or other GDAL format. `qpv` hands such runs to it (see
//! `cli::process`); it can also be run directly, with the same arguments.

#[path = "../cli/mod.rs"]
mod cli;

fn main() {
    qpv::output::gdal_formats::enable();
    cli::process::main(false);
}
