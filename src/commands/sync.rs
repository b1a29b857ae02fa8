//! `relcut release --sync`: align every version source to the highest one, as a commit of its
//! own. Read, plan, check, confirm, apply, report, like a release.

use crate::cli::ReleaseArgs;
use crate::commands::{
    Checked, Gate, VersionFiles, execute, open_for_versions, pass_gate, plan_or_problems,
    planned_file_problems, read_version_files, repository_checks,
};
use crate::error::{Problem, Result};
use crate::outcome::SyncOutcome;
use crate::plan;
use crate::ui;

pub fn run(args: &ReleaseArgs) -> Result<()> {
    let (repo, settings) = open_for_versions()?;
    let Checked {
        head,
        dirty,
        mut problems,
    } = repository_checks(&repo, &settings, args.allow_dirty)?;
    let tags = repo.version_tags(&settings.policy.tag_pattern)?;
    let last = repo.last_release(head, &tags)?;
    let head_id = head.to_string();
    let planned = read_version_files(&repo, &settings).and_then(|files| {
        let VersionFiles { files, untracked } = files;
        let mut plan = plan::plan_sync(
            &settings.policy,
            last.as_ref(),
            &plan::version_files::ParsedFiles::parse(&files)?,
            &head_id,
        )?;
        plan.left_alone.extend(untracked);
        Ok(plan)
    });
    let plan = plan_or_problems(planned, &mut problems)?;
    problems.extend(planned_file_problems(
        &repo,
        &plan.files,
        &dirty,
        args.allow_dirty,
    )?);
    let mut outcome = SyncOutcome {
        schema_version: ui::JSON_SCHEMA_VERSION,
        dry_run: args.dry_run,
        sync: plan,
        steps: Vec::new(),
        commit: None,
        problems: Vec::new(),
    };

    if outcome.sync.steps.is_empty() {
        if args.json {
            outcome.problems = problems;
            ui::out_json(&outcome)?;
        } else {
            ui::out(&ui::render_sync_plan(&outcome.sync))?;
        }
        return Ok(());
    }
    let gate = Gate {
        dry_run: args.dry_run,
        json: args.json,
        yes: args.yes,
        what: "sync",
    };
    let question = format!(
        "Align the version files to {}?",
        outcome.sync.target_version
    );
    let print_json = |problems: &[Problem]| {
        let mut shown = outcome.clone();
        shown.dry_run = true;
        shown.problems = problems.to_vec();
        ui::out_json(&shown)
    };
    if !pass_gate(
        &gate,
        problems,
        &|| ui::render_sync_plan(&outcome.sync),
        &print_json,
        &question,
    )? {
        return Ok(());
    }

    let executed = execute(
        &repo,
        &settings,
        None,
        &outcome.sync.files,
        &outcome.sync.steps,
        "relcut release --sync",
    )?;
    outcome.dry_run = false;
    outcome.steps = executed.outcomes;
    outcome.commit = executed.commit;
    if args.json {
        ui::out_json(&outcome)
    } else {
        ui::print_sync_summary(&outcome)
    }
}
