//! `qpv info`.

use std::path::PathBuf;

use clap::Args;

use super::GlobalArgs;

/// Arguments of `qpv info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Files to describe (none: the embedded layers).
    pub files: Vec<PathBuf>,
}

/// Runs `qpv info`.
pub fn run(_args: &InfoArgs, _global: &GlobalArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
