//! `relcut release`: read, plan, check, confirm, apply, report.

use std::path::Path;

use crate::apply;
use crate::check;
use crate::cli::ReleaseArgs;
use crate::commands::{
    Gate, History, changelog_commits, open, pass_gate, plan_or_problems, read_history,
    read_version_files, release_timestamp, repository_checks, template_extras, write_or_commit,
};
use crate::error::{Problem, Result};
use crate::plan::commits::CommitKind;
use crate::plan::{self, Plan, ReleaseInputs, Step};
use crate::ui;

/// What a completed release did, for `--json`.
#[derive(serde::Serialize)]
struct Outcome<'a> {
    schema_version: u32,
    dry_run: bool,
    plan: &'a Plan,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    /// The tag made.
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    /// Failed checks (a dry run still prints its plan).
    problems: &'a [Problem],
}

pub fn run(directory: &Path, args: &ReleaseArgs) -> Result<()> {
    let (repo, settings) = open(directory)?;
    let (head, mut problems) = repository_checks(&repo, &settings, args.allow_dirty)?;

    let History {
        last,
        last_stable,
        commits,
    } = read_history(&repo, &settings, head)?;
    let last_release_time = last
        .as_ref()
        .map(|tag| repo.commit_time(tag.commit))
        .transpose()?;
    let changelog_commits = changelog_commits(&repo, &settings, &commits)?;
    let extras = template_extras(&repo, &settings);
    let changelog_existing = match &settings.changelog_file {
        Some(path) => repo.read_root_file(path)?,
        None => None,
    };
    let planned = read_version_files(&repo, &settings).and_then(|version_files| {
        plan::plan_release(&ReleaseInputs {
            settings: &settings,
            request: &args.bump.bump,
            pre: args.bump.pre.as_deref(),
            last_release: last.as_ref(),
            last_stable: last_stable.as_ref(),
            last_release_time,
            commits: &commits,
            changelog_commits: &changelog_commits,
            version_files: &plan::version_files::ParsedFiles::parse(&version_files)?,
            changelog_existing: changelog_existing.as_deref(),
            extras: &extras,
            timestamp: release_timestamp()?,
            sign: args.sign,
        })
    });
    let plan = plan_or_problems(planned, &mut problems)?;
    problems.extend(check::commit_problems(
        args.strict || settings.strict,
        &plan.commits,
    ));
    let existing_tag = repo.tag_commit(&plan.tag)?.map(|id| id.to_string());
    problems.extend(check::tag_problem(&plan.tag, existing_tag.as_deref()));
    problems.extend(check::file_problems(apply::files::unwritable(
        repo.root(),
        &plan.files,
    )));

    let gate = Gate {
        dry_run: args.dry_run,
        json: args.json,
        yes: args.yes,
        what: "release",
    };
    let print_json = |problems: &[Problem]| {
        ui::out_json(&Outcome {
            schema_version: ui::JSON_SCHEMA_VERSION,
            dry_run: true,
            plan: &plan,
            commit: None,
            tag: None,
            problems,
        })
    };
    let question = format!("Release {}?", plan.tag);
    if !pass_gate(
        &gate,
        problems,
        &|| ui::render_plan(&plan),
        &print_json,
        &question,
    )? {
        return Ok(());
    }

    let mut commit = None;
    let mut tag = None;
    for step in &plan.steps {
        match step {
            Step::WriteFiles { .. } | Step::Commit { .. } => {
                if let Some(id) = write_or_commit(
                    repo.root(),
                    &plan.files,
                    step,
                    "The release commit failed, so the files were put back as they were; nothing was released.",
                )? {
                    commit = Some(id);
                }
            }
            Step::Tag {
                name,
                message,
                signed,
            } => {
                if let Err(error) = apply::git::tag(repo.root(), name, message, *signed) {
                    if commit.is_some() {
                        ui::note(&format!(
                            "The release commit was made but the tag was not; fix the cause and run `relcut release` again to tag {name}."
                        ));
                    }
                    return Err(error);
                }
                tag = Some(name.clone());
            }
        }
    }
    if args.json {
        ui::out_json(&Outcome {
            schema_version: ui::JSON_SCHEMA_VERSION,
            dry_run: false,
            plan: &plan,
            commit,
            tag,
            problems: &[],
        })?;
    } else {
        let skipped = plan.commits.of_kind(CommitKind::NonConventional).count();
        if skipped > 0 {
            ui::note(&format!(
                "note: {skipped} commit{} since the last release {} not a Conventional Commit and did not count.",
                if skipped == 1 { "" } else { "s" },
                if skipped == 1 { "is" } else { "are" }
            ));
        }
        let summary = if commit.is_some() {
            format!(
                "Released {} ({}): {} file(s) committed, tag {} made.\n",
                plan.next_version,
                plan.tag,
                plan.files.len(),
                plan.tag
            )
        } else {
            format!(
                "Released {}: the release commit from the earlier run is tagged {}.\n",
                plan.next_version, plan.tag
            )
        };
        ui::out(&summary)?;
    }
    Ok(())
}
