//! `relcut release`: read, plan, check, confirm, apply, report.

use crate::check;
use crate::cli::ReleaseArgs;
use crate::commands::deploying::{self, Follow, Where};
use crate::commands::push;
use crate::commands::{
    BeforeHead, Checked, Gate, History, VersionFiles, changelog_commits, execute_with, guided,
    open, pass_gate, plan_or_problems, planned_file_problems, publishing, read_before_head,
    read_history, read_version_files, release_timestamp, repository_checks, template_extras,
};
use crate::config::Settings;
use crate::error::{Problem, Result};
use crate::outcome::ReleaseOutcome;
use crate::plan::changelog::TemplateExtras;
use crate::plan::history::RawCommit;
use crate::plan::version::BumpRequest;
use crate::plan::version_files::SourceFile;
use crate::plan::{self, LeftAlone, ReleaseInputs, Step};
use crate::repo::Repo;
use crate::ui;

/// Everything a release is planned from, read once: a guided release plans again from it for
/// each choice the person makes.
pub(super) struct Reading {
    pub(super) repo: Repo,
    pub(super) settings: Settings,
    head: git2::Oid,
    dirty: Vec<String>,
    /// The problems found while reading (the repository, the remote, publishing).
    problems: Vec<Problem>,
    remote: push::RemoteView,
    pub(super) history: History,
    last_release_time: Option<i64>,
    /// The commits as the changelog reads them, when that differs from `history.commits`.
    pub(super) changelog_commits: Option<Vec<RawCommit>>,
    extras: TemplateExtras,
    changelog_existing: Option<String>,
    last_release_pushed: bool,
    publishing: publishing::Publishing,
    pub(super) files: Vec<SourceFile>,
    untracked: Vec<LeftAlone>,
    before_head: Option<BeforeHead>,
    timestamp: i64,
}

/// What the person (or the command line) chose: the version and, in a guided release, notes
/// edited by hand.
#[derive(Debug, Clone)]
pub(super) struct Choice {
    pub(super) request: BumpRequest,
    pub(super) pre: Option<String>,
    pub(super) notes: Option<String>,
}

/// One planned release: its outcome before any effect, and the problems that stop it.
pub(super) struct Planned {
    pub(super) outcome: ReleaseOutcome,
    pub(super) problems: Vec<Problem>,
}

pub fn run(args: &ReleaseArgs) -> Result<()> {
    let mut reading = read(args)?;
    let guided = !args.dry_run && !args.json && !args.yes && ui::can_prompt();
    let outcome = if guided {
        ui::interrupt::watch();
        match guided::choose(&mut reading, args)? {
            Some(outcome) => outcome,
            None => return Ok(()),
        }
    } else {
        let choice = Choice {
            request: args.bump.bump.clone(),
            pre: args.bump.pre.clone(),
            notes: None,
        };
        let Planned { outcome, problems } = plan(&mut reading, args, &choice)?;
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
            &|| ui::render_plan(&outcome),
            &print_json,
            &question,
        )? {
            return Ok(());
        }
        // Confirmed without being shown the plan: its warnings still reach the log.
        if args.yes || ui::unattended() {
            ui::note_warnings(&outcome.warnings);
        }
        outcome
    };
    if guided {
        crate::interruption::catch();
        ui::interrupt::set_phase(ui::interrupt::Phase::Applying);
    }
    apply(&reading, args, outcome, guided)
}

/// Reads the repository, the remote, the history, the files and what publishing needs.
fn read(args: &ReleaseArgs) -> Result<Reading> {
    let (mut repo, settings) = open()?;
    let Checked {
        head,
        dirty,
        mut problems,
    } = repository_checks(&repo, &settings, args.allow_dirty)?;
    // The remote is read before the history: its release tags count when the version is decided.
    let mut remote = push::read_remote(&mut repo, &settings, args.no_push)?;

    let history = read_history(&repo, &settings, head)?;
    let last_release_time = history
        .last
        .as_ref()
        .map(|tag| repo.commit_time(tag.commit))
        .transpose()?;
    let changelog_commits = match changelog_commits(&repo, &settings, &history.commits)? {
        std::borrow::Cow::Owned(commits) => Some(commits),
        std::borrow::Cow::Borrowed(_) => None,
    };
    let extras = super::changelog::with_submodules(
        template_extras(&repo, &settings)?,
        &repo,
        &settings,
        changelog_commits.as_deref().unwrap_or(&history.commits),
        &[],
        history.last.as_ref().map(|tag| tag.commit),
    )?;
    let changelog_existing = match &settings.policy.changelog_file {
        Some(path) => repo.read_root_file(path)?,
        None => None,
    };
    let last_release_pushed = remote.last_release_pushed(&repo, history.last.as_ref(), head);
    let publishing = publishing::prepare(
        &repo,
        &settings,
        &args.release,
        args.no_publish,
        &mut problems,
    )?;
    problems.append(&mut remote.problems);
    let read_files = read_version_files(&repo, &settings).and_then(|files| {
        let before_head =
            read_before_head(&repo, &settings, head, history.last.as_ref(), &files.files)?;
        Ok((files, before_head))
    });
    let (VersionFiles { files, untracked }, before_head) =
        plan_or_problems(read_files, &mut problems)?;
    Ok(Reading {
        timestamp: release_timestamp()?,
        repo,
        settings,
        head,
        dirty,
        problems,
        remote,
        history,
        last_release_time,
        changelog_commits,
        extras,
        changelog_existing,
        last_release_pushed,
        publishing,
        files,
        untracked,
        before_head,
    })
}

/// Plans the release `choice` asks for, with every check: pure but for the reads checks make.
pub(super) fn plan(reading: &mut Reading, args: &ReleaseArgs, choice: &Choice) -> Result<Planned> {
    let mut problems = reading.problems.clone();
    let head_id = reading.head.to_string();
    let repo = &reading.repo;
    let settings = &reading.settings;
    let observed = reading.before_head.as_ref().map(BeforeHead::observed);
    let planned = plan::version_files::ParsedFiles::parse(&reading.files)
        .map_err(Into::into)
        .and_then(|files| {
            Ok(plan::plan_release(&ReleaseInputs {
                settings: &settings.policy,
                request: &choice.request,
                pre: choice.pre.as_deref(),
                last_release: reading.history.last.as_ref(),
                last_stable: reading.history.last_stable.as_ref(),
                taken: &reading.history.taken,
                last_release_time: reading.last_release_time,
                commits: &reading.history.commits,
                changelog_commits: reading
                    .changelog_commits
                    .as_deref()
                    .unwrap_or(&reading.history.commits),
                version_files: &files,
                changelog_existing: reading.changelog_existing.as_deref(),
                extras: &reading.extras,
                timestamp: reading.timestamp,
                sign: args.sign,
                head: &head_id,
                observed: observed.as_ref(),
                push: reading
                    .remote
                    .push_inputs(reading.last_release_pushed, reading.publishing.is_on()),
            })?)
        });
    let mut plan = plan_or_problems(planned, &mut problems)?;
    plan.left_alone.extend(reading.untracked.iter().cloned());
    if let Some(notes) = &choice.notes {
        plan = plan::edited_notes::with_notes(plan, notes, &settings.policy);
    }
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
                repo,
                &plan.files,
                &reading.dirty,
                args.allow_dirty,
            )?);
        }
    }

    let publishing = &reading.publishing;
    if let Some(spec) = publishing.spec(
        repo,
        settings,
        &args.release,
        &plan.next_version,
        &plan.tag,
        &plan.notes,
    )? {
        plan.steps.push(Step::Publish(spec));
    }
    let not_deployed = deploying::off_reason(
        settings,
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
            repo,
            settings,
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
    problems.extend(
        reading
            .remote
            .problems(&reading.repo, reading.head, &plan)?,
    );

    let warnings = deploying::warnings(settings, &plan.steps);
    let outcome = ReleaseOutcome {
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
        warnings,
        problems: Vec::new(),
    };
    Ok(Planned { outcome, problems })
}

/// Carries out a confirmed release, follows its deploys and reports.
fn apply(
    reading: &Reading,
    args: &ReleaseArgs,
    mut outcome: ReleaseOutcome,
    guided: bool,
) -> Result<()> {
    let (repo, settings, publishing) = (&reading.repo, &reading.settings, &reading.publishing);
    let progress = ui::progress::Progress::new(guided);
    let executed = execute_with(
        repo,
        settings,
        publishing.forge(),
        &outcome.plan.files,
        &outcome.plan.steps,
        "relcut release",
        &progress,
    )?;
    drop(progress);
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
                    settings,
                    repo,
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
