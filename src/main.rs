//! The `qpv` binary: parse the command line, run, and turn errors into messages and exit codes
//! (2 = bad input or options, 1 = internal failure).

use clap::Parser;

mod cli;

// Streaming millions of rows allocates small strings per field: mimalloc keeps that cheap
// where glibc's allocator spent a third of `locate`'s time consolidating chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    restore_sigpipe();
    qpv::output::atomic::guard_standard_output();
    let parsed = cli::Cli::parse();
    if let Err(err) = cli::run(parsed) {
        eprintln!("qpv: {err:#}");
        let code = err
            .chain()
            .find_map(|e| e.downcast_ref::<qpv::Error>())
            .map(|e| e.kind().exit_code())
            .unwrap_or(1);
        std::process::exit(code);
    }
}

/// `qpv locate big.csv | head` must stop quietly when `head` exits, like other Unix filters:
/// Rust ignores SIGPIPE and would report a "Broken pipe" error instead.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
