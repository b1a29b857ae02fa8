//! `relcut check`: lint commits against Conventional Commits 1.0.0.

use crate::cli::CheckArgs;
use crate::commands::{open_for_versions, read_history};
use crate::error::{Error, Result};
use crate::plan::lint::{self, Offender};
use crate::ui;

#[derive(serde::Serialize)]
struct Report<'a> {
    schema_version: u32,
    checked: usize,
    offenders: &'a [Offender],
}

pub fn run(args: &CheckArgs) -> Result<()> {
    let (repo, settings) = open_for_versions()?;
    let commits = match &args.range {
        Some(range) => repo.commits_in_range(range)?,
        None => match repo.head_commit()? {
            None => Vec::new(),
            Some(head) => read_history(&repo, &settings, head)?.commits,
        },
    };
    let offenders = lint::offenders(&commits);
    if args.json {
        ui::out_json(&Report {
            schema_version: ui::JSON_SCHEMA_VERSION,
            checked: commits.len(),
            offenders: &offenders,
        })?;
    }
    if !offenders.is_empty() {
        return Err(Error::LintFailed(offenders));
    }
    if !args.json {
        ui::out(&format!(
            "{} commit{} checked; all follow Conventional Commits 1.0.0.\n",
            commits.len(),
            if commits.len() == 1 { "" } else { "s" }
        ))?;
    }
    Ok(())
}
