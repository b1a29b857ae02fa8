//! `relcut check`: lint commits against Conventional Commits 1.0.0, and warn of deploy
//! targets whose re-run cannot tell what an earlier run sent, or whose `starts` is wrong.

use crate::cli::CheckArgs;
use crate::commands::{open_for_versions, read_history};
use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::plan::deploy::{self, TargetKind};
use crate::plan::lint::{self, Offender};
use crate::plan::workflow_triggers;
use crate::ui;

#[derive(serde::Serialize)]
struct Report<'a> {
    schema_version: u32,
    checked: usize,
    offenders: &'a [Offender],
    /// What relcut.toml sets up that works but that a person should know of.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
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
    // Every event target a release sends, whichever versions it takes: a release of any may be
    // re-run. One sent only by hand (`on = "never"`) is sent each time it is asked for anyway.
    let mut warnings = deploy::unprobed_event_warnings(
        CONFIG_FILE,
        settings
            .deploy
            .iter()
            .filter(|target| target.on != deploy::When::Never),
    );
    // A wrong `starts` fails the release's checks; here, in a pull request's CI, it is said
    // before the release. An event type with placeholders is known only for a version.
    warnings.extend(settings.deploy.iter().filter_map(|target| {
        let TargetKind::Event {
            event,
            starts: Some(workflow),
            ..
        } = &target.kind
        else {
            return None;
        };
        workflow_triggers::starts_problem(
            CONFIG_FILE,
            target,
            workflow,
            (!event.contains("{{")).then_some(event.as_str()),
            &repo.workflow_file(workflow),
        )
    }));
    if args.json {
        ui::out_json(&Report {
            schema_version: ui::JSON_SCHEMA_VERSION,
            checked: commits.len(),
            offenders: &offenders,
            warnings: &warnings,
        })?;
    } else {
        ui::note_warnings(&warnings);
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
