//! `relcut release`: read, plan, check, confirm, apply, report.

use crate::check;
use crate::cli::ReleaseArgs;
use crate::commands::deploying::{self, Follow, Where};
use crate::commands::push;
use crate::commands::{
    BeforeHead, Checked, Gate, History, VersionFiles, changelog_commits, execute, open, pass_gate,
    plan_or_problems, planned_file_problems, publishing, read_before_head, read_history,
    read_version_files, release_timestamp, repository_checks, template_extras,
};
use crate::error::Result;
use crate::outcome::ReleaseOutcome;
use crate::plan::{self, ReleaseInputs, Step};
use crate::ui;

pub fn run(args: &ReleaseArgs) -> Result<()> {
    let (mut repo, settings) = open()?;
    let Checked {
        head,
        dirty,
        mut problems,
    } = repository_checks(&repo, &settings, args.allow_dirty)?;
    // The remote is read before the history: its release tags count when the version is decided.
    let mut remote = push::read_remote(&mut repo, &settings, args.no_push)?;

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
    let changelog_existing = match &settings.policy.changelog_file {
        Some(path) => repo.read_root_file(path)?,
        None => None,
    };
    let head_id = head.to_string();
    let last_release_pushed = remote.last_release_pushed(&repo, last.as_ref(), head);
    let publishing = publishing::prepare(
        &repo,
        &settings,
        &args.release,
        args.no_publish,
        &mut problems,
    )?;
    problems.append(&mut remote.problems);
    let planned = read_version_files(&repo, &settings).and_then(|files| {
        let VersionFiles { files, untracked } = files;
        let before_head = read_before_head(&repo, &settings, head, last.as_ref(), &files)?;
        let observed = before_head.as_ref().map(BeforeHead::observed);
        let mut plan = plan::plan_release(&ReleaseInputs {
            settings: &settings.policy,
            request: &args.bump.bump,
            pre: args.bump.pre.as_deref(),
            last_release: last.as_ref(),
            last_stable: last_stable.as_ref(),
            last_release_time,
            commits: &commits,
            changelog_commits: &changelog_commits,
            version_files: &plan::version_files::ParsedFiles::parse(&files)?,
            changelog_existing: changelog_existing.as_deref(),
            extras: &extras,
            timestamp: release_timestamp()?,
            sign: args.sign,
            head: &head_id,
            observed: observed.as_ref(),
            push: remote.push_inputs(last_release_pushed, publishing.is_on()),
        })?;
        plan.left_alone.extend(untracked);
        Ok(plan)
    });
    let mut plan = plan_or_problems(planned, &mut problems)?;
    problems.extend(check::commit_problems(
        args.strict || settings.strict,
        &plan.commits,
    ));
    let existing_tag = repo.tag_commit(&plan.tag)?.map(|id| id.to_string());
    // A release an earlier run committed is finished, not redone: its tag may stand on its
    // commit already, and its files are committed.
    match &plan.resumes {
        Some(commit) => {
            if existing_tag.as_ref().is_some_and(|tagged| tagged != commit) {
                problems.extend(check::tag_problem(&plan.tag, existing_tag.as_deref()));
            }
        }
        None => {
            problems.extend(check::tag_problem(&plan.tag, existing_tag.as_deref()));
            problems.extend(planned_file_problems(
                &repo,
                &plan.files,
                &dirty,
                args.allow_dirty,
            )?);
        }
    }

    if let Some(spec) = publishing.spec(
        &repo,
        &settings,
        &args.release,
        &plan.next_version,
        &plan.tag,
        &plan.notes,
    )? {
        plan.steps.push(Step::Publish(spec));
    }
    let not_deployed = deploying::off_reason(
        &settings,
        &plan.next_version,
        args.deploy.no_deploy,
        publishing.off_reason(),
    );
    if let (Some((id, html_url)), false) = (publishing.repository(), args.deploy.no_deploy) {
        let has_commit_step = plan
            .steps
            .iter()
            .any(|step| matches!(step, Step::Commit { .. }));
        // The release commit is known unless this run is still to make it.
        let sha = match (&plan.resumes, has_commit_step) {
            (Some(commit), _) => Some(commit.clone()),
            (None, true) => None,
            (None, false) => Some(head_id.clone()),
        };
        let steps = deploying::after_release(
            &settings,
            &Where { repo: id, html_url },
            &deploying::Version {
                version: &plan.next_version,
                tag: &plan.tag,
                previous: plan.current_version.as_ref(),
                sha: sha.as_deref(),
            },
            &mut problems,
        );
        plan.steps.extend(steps);
    }
    problems.extend(remote.problems(&repo, head, &plan)?);

    let mut outcome = ReleaseOutcome {
        schema_version: ui::JSON_SCHEMA_VERSION,
        dry_run: true,
        released: false,
        plan,
        steps: Vec::new(),
        commit: None,
        tag: None,
        release: None,
        not_published: publishing.off_reason().map(String::from),
        deploys: Vec::new(),
        not_deployed,
        problems: Vec::new(),
    };
    let gate = Gate {
        dry_run: args.dry_run,
        json: args.json,
        yes: args.yes,
        what: "release",
    };
    let print_json = |problems: &[crate::error::Problem]| {
        let mut shown = outcome.clone();
        shown.problems = problems.to_vec();
        ui::out_json(&shown)
    };
    let question = format!("Release {}?", outcome.plan.tag);
    if !pass_gate(
        &gate,
        problems,
        &|| {
            ui::render_plan(
                &outcome.plan,
                outcome.not_published.as_deref(),
                outcome.not_deployed.as_deref(),
            )
        },
        &print_json,
        &question,
    )? {
        return Ok(());
    }

    let executed = execute(
        &repo,
        &settings,
        publishing.forge(),
        &outcome.plan.files,
        &outcome.plan.steps,
        "relcut release",
    )?;
    outcome.dry_run = false;
    outcome.released = true;
    outcome.steps = executed.outcomes;
    outcome.commit = executed.commit;
    outcome.tag = executed.tag;
    outcome.release = executed.release;
    let failure = match (publishing.forge(), publishing.repository()) {
        (Some(forge), Some((id, html_url))) => {
            let followed = deploying::follow_deploys(
                &Follow {
                    settings: &settings,
                    repo: &repo,
                    forge,
                    at: Where { repo: id, html_url },
                    wait: args.deploy.wait.wait,
                    timeout: args.deploy.wait.wait_timeout,
                    rollback_on_failure: args.deploy.rollback_on_failure,
                    again: "relcut release",
                },
                &executed.deploys,
            )?;
            outcome.deploys = followed.reports;
            followed.failure
        }
        _ => None,
    };
    if args.json {
        ui::out_json(&outcome)?;
    } else {
        ui::print_release_summary(&outcome)?;
    }
    ui::actions::report(&crate::ci::Report::of_release(&outcome));
    failure.map_or(Ok(()), Err)
}
