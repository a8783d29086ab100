//! The progress bar of the long row-by-row commands (`locate`, `nearest`): the library reports
//! counts through [`qpv::analysis::batch::Progress`]; drawing them is the command line's job.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressDrawTarget, ProgressStyle};

/// A progress counter on stderr that only appears once a run has lasted more than a second,
/// and never when stderr is not a terminal (or when disabled): a hidden bar costs nothing.
#[derive(Debug)]
pub struct ProgressBar {
    bar: indicatif::ProgressBar,
    start: Instant,
    enabled: bool,
    shown: bool,
}

impl ProgressBar {
    /// A counter of `what` (e.g. "points"); `enabled = false` (e.g. `--quiet`) never draws.
    pub fn new(what: &str, enabled: bool) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(&format!(
            "{{spinner}} {{human_pos}} {what} ({{per_sec}}) {{elapsed}}"
        )) {
            bar.set_style(style);
        }
        ProgressBar {
            bar,
            start: Instant::now(),
            enabled: enabled && std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if self.shown {
            self.bar.finish_and_clear();
        }
    }
}

impl qpv::analysis::batch::Progress for ProgressBar {
    /// Counts `n` more rows; shows the bar once the run has lasted over a second.
    fn inc(&mut self, n: u64) {
        self.bar.inc(n);
        if self.enabled && !self.shown && self.start.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
            self.shown = true;
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.finish();
    }
}
