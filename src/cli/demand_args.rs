//! The argument block `qpv access` and `qpv site` share: QPV and grid, facilities (one
//! category), output file and format, language of the text for people.

use std::path::PathBuf;

use clap::Args;

use qpv::crs::Crs;
use qpv::model::{Category, GridCell, GridSource};
use qpv::output::OutputFormat;
use qpv::output::atomic::ensure_not_input;
use qpv::output::report_html::Lang;

use super::OutputArgs;
use super::layers::{DataArgs, FacilityInput};

/// Grid, QPV, facilities and output of a command scoring the grid for one category.
#[derive(Debug, Args)]
pub struct DemandArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub facilities: FacilityInput,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Language of the text for people (Markdown, text table): fr (default) or en. Column
    /// names of CSV, JSON and layers do not change.
    #[arg(long, default_value = "fr", value_name = "fr|en")]
    pub lang: String,
}

impl DemandArgs {
    /// The one `--category`, as a category key; `command` names the command in the message.
    pub fn category(&self, command: &str) -> qpv::Result<String> {
        match self.facilities.category.as_slice() {
            [one] => Ok(Category::new(one).as_str().to_string()),
            _ => Err(qpv::Error::usage(
                format!("qpv {command} needs exactly one facility category"),
                "give --category, e.g. --category social_centre (or france_services, college...)",
            )),
        }
    }

    /// The output format (default `fallback`) and the language.
    pub fn format(&self, fallback: OutputFormat) -> qpv::Result<(OutputFormat, Lang)> {
        let format =
            OutputFormat::resolve(self.output.format, self.output.output.as_deref(), fallback)?;
        Ok((format, Lang::parse(&self.lang)?))
    }

    /// Refuses outputs (`-o` and `extra`) that are one of the inputs (with `more` inputs).
    pub fn check_outputs(&self, extra: Option<&PathBuf>, more: &[PathBuf]) -> qpv::Result<()> {
        let mut inputs = self.data.inputs();
        inputs.extend(self.facilities.inputs());
        inputs.extend(more.iter().cloned());
        for out in self.output.output.iter().chain(extra) {
            ensure_not_input(out, &inputs)?;
        }
        Ok(())
    }

    /// The grid cells and how reports name them.
    pub fn cells(&self, crs: Crs) -> qpv::Result<(Vec<GridCell>, GridSource)> {
        self.data.cells(crs)
    }
}
