//! `relcut release --sync`: align every version source to the highest one, as a commit of its
//! own. Read, plan, check, confirm, apply, report, like a release.

use std::path::Path;

use crate::apply;
use crate::check;
use crate::cli::ReleaseArgs;
use crate::commands::{
    Gate, open_for_versions, pass_gate, plan_or_problems, read_version_files, repository_checks,
    write_or_commit,
};
use crate::error::{Problem, Result};
use crate::plan::{self, SyncPlan};
use crate::ui;

/// What a sync did, for `--json`.
#[derive(serde::Serialize)]
struct Outcome<'a> {
    schema_version: u32,
    dry_run: bool,
    sync: &'a SyncPlan,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    problems: &'a [Problem],
}

pub fn run(directory: &Path, args: &ReleaseArgs) -> Result<()> {
    let (repo, settings) = open_for_versions(directory)?;
    let (head, mut problems) = repository_checks(&repo, &settings, args.allow_dirty)?;
    let tags = repo.version_tags(&settings.tag_pattern)?;
    let last = repo.last_release(head, &tags)?;
    let planned = read_version_files(&repo, &settings).and_then(|files| {
        plan::plan_sync(
            &settings,
            last.as_ref(),
            &plan::version_files::ParsedFiles::parse(&files)?,
        )
    });
    let plan = plan_or_problems(planned, &mut problems)?;
    problems.extend(check::file_problems(apply::files::unwritable(
        repo.root(),
        &plan.files,
    )));
    let report = |dry_run: bool, commit: Option<String>, problems: &[Problem]| {
        ui::out_json(&Outcome {
            schema_version: ui::JSON_SCHEMA_VERSION,
            dry_run,
            sync: &plan,
            commit,
            problems,
        })
    };

    if plan.steps.is_empty() {
        if args.json {
            report(args.dry_run, None, &problems)?;
        } else {
            ui::out(&ui::render_sync_plan(&plan))?;
        }
        return Ok(());
    }
    let gate = Gate {
        dry_run: args.dry_run,
        json: args.json,
        yes: args.yes,
        what: "sync",
    };
    let question = format!("Align the version files to {}?", plan.target_version);
    let print_json = |problems: &[Problem]| report(true, None, problems);
    if !pass_gate(
        &gate,
        problems,
        &|| ui::render_sync_plan(&plan),
        &print_json,
        &question,
    )? {
        return Ok(());
    }

    let mut commit = None;
    // A sync plan writes and commits; it has no tag step.
    for step in &plan.steps {
        if let Some(id) = write_or_commit(
            repo.root(),
            &plan.files,
            step,
            "The commit failed, so the files were put back as they were; nothing was changed.",
        )? {
            commit = Some(id);
        }
    }
    if args.json {
        report(false, commit, &[])?;
    } else {
        ui::out(&format!(
            "Aligned {} file(s) to {} and committed them.\n",
            plan.files.len(),
            plan.target_version
        ))?;
        if plan.above_last_release {
            ui::note(&format!(
                "The files now say {}, above the last release {}; release that version with `relcut release --bump {}`.",
                plan.target_version,
                plan.last_tag.as_deref().unwrap_or_default(),
                plan.target_version
            ));
        }
    }
    Ok(())
}
