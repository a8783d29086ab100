//! The `qpv` binary: parse the command line, run, and turn errors into messages and exit codes
//! (2 = bad input or options, 1 = internal failure).

use clap::Parser;

mod cli;

// Streaming millions of rows allocates small strings per field: mimalloc keeps that cheap
// where glibc's allocator spent a third of `locate`'s time consolidating chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    keep_freed_memory();
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

/// mimalloc's `purge_delay` option, `mi_option_purge_delay` in the `mi_option_e` enum of the
/// mimalloc v3 header that libmimalloc-sys builds (c_src/mimalloc/v3/include/mimalloc.h: the
/// sixteenth option, counted from `mi_option_show_errors` = 0); libmimalloc-sys names no
/// constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells the allocator to keep the memory freed during the run instead of giving it back to
/// the system 10 ms later (`purge_delay` −1, as `MIMALLOC_PURGE_DELAY=-1`): a run that frees
/// then allocates again (national `coverage`: 50 MiB purged) otherwise pays the page faults
/// and the zeroing of fresh pages a second time (about a tenth of its CPU time); the peak
/// resident memory grows by about 10 % (187 → 205 MiB on W3). The process is short-lived.
fn keep_freed_memory() {
    // SAFETY: sets a process-wide option of the allocator; any value is valid for this one.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}

/// Asks Linux not to back this process's memory with transparent huge pages
/// (`prctl(PR_SET_THP_DISABLE)`, which the kernel checks at every page fault). mimalloc asks
/// for them (`madvise`), and a fault on a 2 MiB page zeroes all of it, however little of it
/// the run uses: after a pause or another program's run, on a virtual machine that hands
/// memory back to its host, national `coverage` spent 0.70 s of system time in these faults
/// for 0.4 s of work (median wall 1.09 → 0.69 s with them off, `access` on 1 M cells 1.20 →
/// 0.69 s, `interpolate` on the national grid 2.71 → 1.99 s, `locate` on 10 M points
/// unchanged; BENCHMARKS.md, session 12). Where the call is refused (another system), the run
/// goes on as before.
///
/// It runs before `main`, before the Rust runtime's first allocation (the main thread's
/// name): that allocation sets up mimalloc's first arena, which had two huge pages (4 MiB,
/// zeroed) when this ran at the start of `main`; in a profiled national `access` run that
/// zeroing was 4 % of the samples, about 30 ms (session 13). A constructor of priority 99
/// (`.init_array.00099`) runs before those of priority 101 and more (the allocator's own) and
/// before `main`.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00099")]
static NO_TRANSPARENT_HUGE_PAGES: extern "C" fn() = {
    extern "C" fn no_transparent_huge_pages() {
        // SAFETY: prctl with PR_SET_THP_DISABLE takes an integer flag and four unused zeros;
        // it touches no memory of the process.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
    no_transparent_huge_pages
};
