//! The `qpv` binary: parse the command line, run, and turn errors into messages and exit codes
//! (2 = bad input or options, 1 = internal failure).

use clap::Parser;

mod cli;

// Streaming millions of rows allocates small strings per field: mimalloc keeps that cheap
// where glibc's allocator spent a third of `locate`'s time consolidating chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let parsed = cli::Cli::parse();
    if let Err(err) = cli::run(parsed) {
        eprintln!("qpv: {err:#}");
        let code = err
            .chain()
            .find_map(|e| e.downcast_ref::<qpv::Error>())
            .map(qpv::Error::exit_code)
            .unwrap_or(1);
        std::process::exit(code);
    }
}
