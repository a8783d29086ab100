//! Helpers for readers that collect every problem of a file (for `qpv check`) and fail on the
//! first one otherwise.

use crate::error::{Error, Result};

/// `Ok` when there is no problem, else the first one, its hint saying how many others follow.
pub fn first_problem(problems: Vec<Error>) -> Result<()> {
    let more = problems.len().saturating_sub(1);
    let Some(first) = problems.into_iter().next() else {
        return Ok(());
    };
    if more == 0 {
        return Err(first);
    }
    Err(match first {
        Error::Input {
            path,
            location,
            message,
            hint,
        } => {
            let extra = format!("{more} more problem(s) in this file: `qpv check` lists them all");
            Error::Input {
                path,
                location,
                message,
                hint: if hint.is_empty() {
                    extra
                } else {
                    format!("{hint}\n  ({extra})")
                },
            }
        }
        other => other,
    })
}
