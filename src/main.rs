//! The `qpv` binary, without GDAL: CSV and GeoJSON in and out, and everything else handed to
//! `qpv-gdal` (see `cli::process`).

mod cli;

fn main() {
    cli::process::main(true);
}
