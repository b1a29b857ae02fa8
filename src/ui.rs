//! The only module that prints or prompts: plans, outcomes, notes, errors, JSON and confirmation;
//! and, in `actions`, what GitHub Actions reads (step outputs, step summary, annotations).

pub mod actions;
pub mod cliff_log;

pub mod interactive;
pub mod interrupt;
pub mod progress;

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};

use crate::apply::executor::{Failure, PublishedRelease, StepOutcome, StepStatus};
use crate::error::{Error, Result};
use crate::outcome::{DeployOutcome, DeployReport, PublishOutcome, ReleaseOutcome, SyncOutcome};
use crate::plan::commits::{AnalyzedCommit, CommitKind};
use crate::plan::publish::ReleaseSpec;
use crate::plan::{CurrentSource, LeftAlone, Step, SyncPlan};

/// The version of the JSON documents relcut prints; bumped on incompatible changes.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// Set once a JSON document went to standard output, so an error is not printed as a second one.
static JSON_PRINTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Prints one JSON document on standard output.
pub fn out_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| Error::Output(io::Error::other(error)))?;
    out(&format!("{text}\n"))?;
    JSON_PRINTED.store(true, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// Whether the run already printed its JSON document.
pub fn json_printed() -> bool {
    JSON_PRINTED.load(std::sync::atomic::Ordering::Relaxed)
}

/// How much relcut says on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Errors only (`-q`).
    Quiet,
    /// Notes and progress.
    #[default]
    Normal,
    /// Also each git command and each GitHub request (`-v`).
    Verbose,
}

/// How this run talks: decided once from the command line and the environment, at the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Console {
    /// When to colour.
    pub color: anstream::ColorChoice,
    /// How much to say.
    pub verbosity: Verbosity,
    /// Never ask (see [`crate::ci::unattended`]).
    pub unattended: bool,
    /// The run is a GitHub Actions step: write its outputs, summary and annotations.
    pub github_actions: bool,
}

impl Default for Console {
    fn default() -> Self {
        Console {
            color: anstream::ColorChoice::Auto,
            verbosity: Verbosity::Normal,
            unattended: false,
            github_actions: false,
        }
    }
}

static CONSOLE: OnceLock<Console> = OnceLock::new();

/// Sets how this run talks; the first call wins.
pub fn configure(console: Console) {
    let _ = CONSOLE.set(console);
}

fn console() -> Console {
    CONSOLE.get().copied().unwrap_or_default()
}

/// Whether this run never asks.
pub fn unattended() -> bool {
    console().unattended
}

/// Writes to standard output, turning a failure into an error.
pub fn out(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes()).map_err(Error::Output)?;
    stdout.flush().map_err(Error::Output)
}

/// Writes a summary for a person to standard output, its styles kept on a terminal only (never
/// used for answers a program reads: those keep their bytes as they are).
fn out_styled(text: &str) -> Result<()> {
    let mut stdout = anstream::AutoStream::new(io::stdout().lock(), console().color);
    stdout.write_all(text.as_bytes()).map_err(Error::Output)?;
    stdout.flush().map_err(Error::Output)
}

/// Writes to standard error, styles stripped unless colour is on.
fn err_styled(text: &str) {
    let mut stderr = anstream::AutoStream::new(io::stderr().lock(), console().color);
    let _ = writeln!(stderr, "{text}");
}

/// `text` in `style`, as ANSI codes the stream keeps or strips.
fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const DONE: Style = AnsiColor::Green.on_default();

/// A note for the person on standard error (never part of machine-readable output); none with
/// `-q`. A note that starts with `warning:` has the word in yellow.
pub fn note(text: &str) {
    if console().verbosity == Verbosity::Quiet {
        return;
    }
    match text.strip_prefix("warning:") {
        Some(rest) => err_styled(&format!("{}{rest}", paint(WARNING, "warning:"))),
        None => err_styled(text),
    }
}

/// A detail for `-v` only: a git command run, a GitHub request's method and path. Never a
/// header or a token.
pub fn detail(text: &str) {
    if console().verbosity == Verbosity::Verbose {
        err_styled(&format!("  {text}"));
    }
}

/// What a failed run leaves behind, on standard error even with `-q`: it belongs to the error.
pub fn failure_note(text: &str) {
    err_styled(text);
}

/// Prints an error and its causes as sentences on standard error (and, in GitHub Actions, as
/// an annotation).
pub fn error(error: &Error) {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    err_styled(&format!("{} {text}", paint(ERROR, "error:")));
    actions::annotate_error(&text);
}

/// The JSON document for an error, for `--json` callers.
pub fn error_json(error: &Error) -> String {
    let mut document = serde_json::json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "error": {
            "kind": error.kind(),
            "exit_code": error.exit_code(),
            "message": error.to_string(),
        }
    });
    if let Error::PushRefused { undone, .. } = error {
        document["error"]["undone"] = serde_json::json!(undone);
    }
    format!("{document:#}\n")
}

fn commit_line(commit: &AnalyzedCommit) -> String {
    let label = match (commit.kind, commit.bump) {
        (CommitKind::Conventional, Some(level)) if commit.breaking => format!("{level}!"),
        (CommitKind::Conventional, Some(level)) => level.to_string(),
        (CommitKind::Conventional, None) => String::from("-"),
        (CommitKind::Merge, _) => String::from("merge"),
        (CommitKind::Revert, _) => String::from("revert"),
        (CommitKind::NonConventional, _) => String::from("skip"),
    };
    let mut line = format!("  {label:<7}{} {}", commit.short_id(), commit.subject);
    if let Some(problem) = &commit.problem {
        line.push_str(&format!("  ({problem})"));
    }
    line
}

/// The plan as a person reads it: versions and why, commits, diffs, changelog, commit and tag.
pub fn render_plan(outcome: &ReleaseOutcome) -> String {
    let plan = &outcome.plan;
    let not_published = outcome.not_published.as_deref();
    let not_deployed = outcome.not_deployed.as_deref();
    let mut text = String::new();
    let current = match (&plan.current_version, &plan.current_source) {
        (Some(version), CurrentSource::Tag(tag)) => format!("{version} (tag {tag})"),
        (Some(version), _) => format!("{version} (version files; no release tag yet)"),
        (None, _) => String::from("none (first release)"),
    };
    text.push_str(&format!("Current version: {current}\n"));
    text.push_str(&format!(
        "Next version:    {}{}\n",
        plan.next_version,
        if plan.prerelease { " (prerelease)" } else { "" }
    ));
    text.push_str(&format!("Why:             {}\n", plan.reason));

    let count = plan.commits.commits.len();
    match plan.previous_tag.as_deref() {
        Some(tag) => text.push_str(&format!("\nCommits since {tag} ({count}):\n")),
        None => text.push_str(&format!("\nCommits, the whole history ({count}):\n")),
    }
    for commit in &plan.commits.commits {
        text.push_str(&commit_line(commit));
        text.push('\n');
    }
    let skipped = plan.commits.of_kind(CommitKind::NonConventional).count();
    if skipped > 0 {
        text.push_str(&format!(
            "  {skipped} commit{} not a Conventional Commit and did not count (`--strict` makes this an error).\n",
            if skipped == 1 { " is" } else { "s are" }
        ));
    }

    text.push_str("\nFiles:\n");
    for file in &plan.files {
        text.push_str(&format!(
            "  {} ({}{})\n",
            file.path.display(),
            file.reason,
            if file.exists { "" } else { ", new file" }
        ));
    }
    text.push_str(&left_alone_lines(&plan.left_alone));
    for file in &plan.files {
        text.push('\n');
        text.push_str(&file.diff);
    }
    if let Some(changelog) = &plan.changelog {
        text.push_str(&format!(
            "\nChangelog section ({}):\n\n",
            changelog.path.display()
        ));
        text.push_str(&changelog.section);
    }
    text.push('\n');
    for step in &plan.steps {
        match step {
            Step::WriteFiles { paths } => {
                text.push_str(&format!("Write:  {} file(s)", paths.len()))
            }
            Step::Commit { message, .. } => text.push_str(&format!(
                "Commit: {}",
                message.lines().next().unwrap_or_default()
            )),
            Step::Tag { name, signed, .. } => text.push_str(&format!(
                "Tag:    {name} ({})",
                if *signed {
                    "annotated, signed"
                } else {
                    "annotated"
                }
            )),
            Step::Publish(release) => text.push_str(&release_lines(release)),
            Step::Push {
                remote,
                branch,
                tag,
            } => text.push_str(&format!(
                "Push:   to `{remote}`, atomically: HEAD:refs/heads/{branch} refs/tags/{tag}"
            )),
            Step::Deploy { spec, .. } => text.push_str(&deploy_line(spec)),
        }
        if plan.resumes.is_some() && matches!(step, Step::WriteFiles { .. } | Step::Commit { .. }) {
            text.push_str("  (done by the earlier run)");
        }
        text.push('\n');
    }
    if let Some(why) = not_published {
        text.push_str(&format!("Publish: no GitHub release: {why}\n"));
    }
    if let Some(why) = not_deployed {
        text.push_str(&format!("Deploy: {why}\n"));
    }
    text.push_str(&warning_lines(&outcome.warnings));
    text
}

/// The warnings of a plan, a line each.
fn warning_lines(warnings: &[String]) -> String {
    warnings
        .iter()
        .map(|warning| format!("warning: {warning}\n"))
        .collect()
}

/// The warnings of a plan that is not shown (`--yes`), as notes on standard error.
pub fn note_warnings(warnings: &[String]) {
    for warning in warnings {
        note(&format!("warning: {warning}"));
    }
}

/// One deploy of a plan: the target, the workflow and ref or the event, and what it sends.
pub fn deploy_line(spec: &crate::plan::deploy::DeploySpec) -> String {
    use crate::plan::deploy::Dispatch;
    let json = |map: &serde_json::Map<String, serde_json::Value>| {
        serde_json::to_string(map).unwrap_or_default()
    };
    match &spec.dispatch {
        Dispatch::Workflow {
            workflow,
            git_ref,
            inputs,
        } => format!(
            "Deploy: {} to `{}`: workflow {workflow} at {git_ref}, inputs {}",
            spec.version,
            spec.target,
            json(inputs)
        ),
        Dispatch::Event {
            event,
            payload,
            starts,
        } => format!(
            "Deploy: {} to `{}`: event `{event}`, payload {}{}",
            spec.version,
            spec.target,
            json(payload),
            match starts {
                Some(workflow) => format!(", its run looked for in {workflow}"),
                None => String::new(),
            }
        ),
    }
}

/// The GitHub release a plan publishes, as the dry run shows it: the notes follow in full.
fn release_lines(release: &ReleaseSpec) -> String {
    let mut flags = vec![if release.prerelease {
        "prerelease"
    } else {
        "stable"
    }];
    flags.push(if release.latest {
        "latest"
    } else {
        "not latest"
    });
    if release.draft {
        flags.push("draft");
    }
    let mut text = format!(
        "Publish: GitHub release \"{}\" of {} on {} ({})",
        release.name,
        release.tag,
        release.repository,
        flags.join(", ")
    );
    for asset in &release.assets {
        text.push_str(&format!(
            "\n  asset {} ({} bytes, {}) from {}",
            asset.name,
            asset.size,
            asset.content_type,
            asset.path.display()
        ));
    }
    if release.notes_cut {
        text.push_str("\n  the notes are cut to GitHub's 125,000-character limit, with a link to the changelog");
    }
    if release.body.trim().is_empty() {
        text.push_str("\n  notes: none");
    } else {
        text.push_str("\n  notes:");
        for line in release.body.lines() {
            text.push('\n');
            if !line.is_empty() {
                text.push_str("    ");
                text.push_str(line);
            }
        }
    }
    text
}

/// Tells a person what a finished release did: a note on standard error about commits that did
/// not count, the summary on standard output.
pub fn print_release_summary(outcome: &ReleaseOutcome) -> Result<()> {
    let plan = &outcome.plan;
    let mut text = String::new();
    let skipped = plan.commits.of_kind(CommitKind::NonConventional).count();
    if skipped > 0 {
        note(&format!(
            "note: {skipped} commit{} since the last release {} not a Conventional Commit and did not count.",
            if skipped == 1 { "" } else { "s" },
            if skipped == 1 { "is" } else { "are" }
        ));
    }
    let done_now = |name: &str| {
        outcome
            .steps
            .iter()
            .any(|step| step.step == name && step.status == StepStatus::Done)
    };
    let tag = outcome.tag.as_deref().unwrap_or(&plan.tag);
    let pushed_to = plan.steps.iter().find_map(|step| match step {
        Step::Push { remote, branch, .. } if done_now("push") => Some((remote, branch)),
        _ => None,
    });
    if done_now("commit") {
        text.push_str(&format!(
            "Released {} ({}): {} file(s) committed, tag {} made.\n",
            plan.next_version,
            plan.tag,
            plan.files.len(),
            tag
        ));
    } else if done_now("tag") {
        text.push_str(&format!(
            "Released {}: the release commit from the earlier run is tagged {}.\n",
            plan.next_version, tag
        ));
    } else if let Some((remote, branch)) = pushed_to {
        text.push_str(&format!(
            "Released {}: the release from the earlier run ({tag}) is pushed to `{remote}` ({branch} and {tag}).\n",
            plan.next_version
        ));
    } else if plan.resumes.is_some() {
        // A run stopped after the push leaves the GitHub release or the deploys to a re-run.
        let finished: Vec<&str> = [("publish", "the GitHub release"), ("deploy", "the deploys")]
            .into_iter()
            .filter(|(step, _)| done_now(step))
            .map(|(_, what)| what)
            .collect();
        if finished.is_empty() {
            text.push_str(&format!(
                "{} was already released: every step was done by an earlier run.\n",
                plan.tag
            ));
        } else {
            text.push_str(&format!(
                "{} was already released by an earlier run; this run did what it left: {}.\n",
                plan.tag,
                finished.join(" and ")
            ));
        }
    } else {
        text.push_str(&format!("Released {} ({}).\n", plan.next_version, tag));
    }
    if let Some((remote, branch)) = pushed_to
        && done_now("commit") | done_now("tag")
    {
        text.push_str(&format!("Pushed {branch} and {tag} to `{remote}`.\n"));
    }
    let mut text = done_lines(&text);
    text.push_str(&release_line(&outcome.steps, outcome.release.as_ref()));
    text.push_str(&deploy_lines(&outcome.deploys));
    if let Some(why) = &outcome.not_deployed {
        text.push_str(&format!("Deploy: {why}.\n"));
    }
    out_styled(&text)
}

/// Lines that say what is done, in green.
fn done_lines(text: &str) -> String {
    text.lines()
        .map(|line| format!("{}\n", paint(DONE, line)))
        .collect()
}

/// What the deploys did: one line each, with the run's address and, when followed, its end.
fn deploy_lines(deploys: &[DeployReport]) -> String {
    let mut text = String::new();
    for deploy in deploys {
        let what = match (&deploy.rollback_of, deploy.status) {
            (Some(from), _) => format!(
                "Rolled `{}` back from {from} to {}",
                deploy.target, deploy.version
            ),
            (None, StepStatus::Done) => format!(
                "Deploy of {} to `{}` started",
                deploy.version, deploy.target
            ),
            (None, StepStatus::AlreadyDone) => format!(
                "Deploy of {} to `{}` already started by an earlier run",
                deploy.version, deploy.target
            ),
        };
        text.push_str(&what);
        match (&deploy.url, &deploy.dispatch) {
            (Some(url), _) => text.push_str(&format!(": {url}")),
            (None, crate::plan::deploy::Dispatch::Event { event, .. }) => {
                text.push_str(&format!(" (event `{event}` sent)"));
            }
            (None, _) => {}
        }
        if let Some(conclusion) = &deploy.conclusion {
            text.push_str(&format!(" ({conclusion})"));
        }
        if let Some(note) = &deploy.note {
            text.push_str(&format!("; {note}"));
        }
        text.push('\n');
    }
    text
}

/// Prints what `relcut deploy` and `relcut rollback` did.
pub fn print_deploys(deploys: &[DeployReport]) -> Result<()> {
    out(&deploy_lines(deploys))
}

/// What `relcut deploy` or `relcut rollback` will send.
pub fn render_deploy_plan(outcome: &DeployOutcome) -> String {
    let mut text = String::new();
    for step in &outcome.plan_steps {
        if let Step::Deploy { spec, .. } = step {
            text.push_str(&deploy_line(spec));
            text.push('\n');
        }
    }
    text
}

/// A followed run's change of status, on standard error: `Deploy of 1.2.0 to `production`:
/// in_progress (URL)`.
pub fn deploy_progress(name: &str, status: &str, conclusion: Option<&str>, url: &str) {
    let state = match conclusion {
        Some(conclusion) if status == "completed" => format!("completed, {conclusion}"),
        _ => status.replace('_', " "),
    };
    note(&format!("Deploy of {name}: {state} ({url})"));
}

/// What the publish step did, with the release's address.
fn release_line(steps: &[StepOutcome], release: Option<&PublishedRelease>) -> String {
    let Some(step) = steps.iter().find(|step| step.step == "publish") else {
        return String::new();
    };
    let draft = release.is_some_and(|release| release.draft);
    let what = if draft {
        "Draft GitHub release"
    } else {
        "GitHub release"
    };
    let url = release
        .map(|release| release.url.as_str())
        .unwrap_or_default();
    match (step.status, draft) {
        (StepStatus::Done, true) => format!("{what} made: {url}\n"),
        (StepStatus::Done, false) => format!("{what} published: {url}\n"),
        (StepStatus::AlreadyDone, _) => format!("{what} already published: {url}\n"),
    }
}

/// A line as a network step starts, on a terminal only: those steps can take seconds, and a
/// person should see what relcut waits for. Logs and pipes get the summary alone; in GitHub
/// Actions the line opens a group that folds what the step says, up to the next step.
pub fn step_starting(step: &Step) {
    let line = match step {
        Step::Publish(release) => Some(format!(
            "Publishing the GitHub release {} on {}…",
            release.tag, release.repository
        )),
        Step::Deploy { spec, .. } => {
            Some(format!("Deploying {} to `{}`…", spec.version, spec.target))
        }
        other if other.name() == "push" => {
            Some(String::from("Pushing the release commit and tag…"))
        }
        _ => None,
    };
    actions::end_group();
    match line {
        Some(line) if console().github_actions => actions::group(&line),
        Some(line) if io::stderr().is_terminal() => note(&line),
        _ => {}
    }
}

/// What `relcut publish` will do, as a person reads it.
pub fn render_publish_plan(outcome: &PublishOutcome) -> String {
    let short = &outcome.commit[..outcome.commit.len().min(7)];
    let mut text = format!("Version:  {} (the files at HEAD)\n", outcome.version);
    if outcome.tag_exists {
        text.push_str(&format!("Tag:      {} exists, on {short}\n", outcome.tag));
    } else {
        text.push_str(&format!(
            "Tag:      {} is made on HEAD ({short})\n",
            outcome.tag
        ));
    }
    text.push_str(&match &outcome.notes_source {
        crate::plan::publish::NotesSource::Changelog(path) => {
            format!(
                "Notes:    the {} section of {}\n",
                outcome.version,
                path.display()
            )
        }
        crate::plan::publish::NotesSource::Commits => String::from(
            "Notes:    rendered from the commits (the changelog has no section for this version)\n",
        ),
    });
    text.push('\n');
    for step in &outcome.plan_steps {
        match step {
            Step::Tag { name, signed, .. } => text.push_str(&format!(
                "Tag:    {name} ({})\n",
                if *signed {
                    "annotated, signed"
                } else {
                    "annotated"
                }
            )),
            Step::Publish(release) => {
                text.push_str(&release_lines(release));
                text.push('\n');
            }
            Step::Deploy { spec, .. } => {
                text.push_str(&deploy_line(spec));
                text.push('\n');
            }
            other => text.push_str(&format!("{}\n", other.name())),
        }
    }
    if let Some(why) = &outcome.not_deployed {
        text.push_str(&format!("Deploy: {why}\n"));
    }
    text.push_str(&warning_lines(&outcome.warnings));
    text
}

/// Tells a person what a finished `relcut publish` did.
pub fn print_publish_summary(outcome: &PublishOutcome) -> Result<()> {
    let all_done_before = outcome
        .steps
        .iter()
        .all(|step| step.status == StepStatus::AlreadyDone);
    let mut text = if all_done_before {
        format!("{} was already published: nothing to do.\n", outcome.tag)
    } else {
        format!("Published {} ({}).\n", outcome.version, outcome.tag)
    };
    let pushed = outcome
        .steps
        .iter()
        .any(|step| step.step == "push" && step.status == StepStatus::Done);
    if pushed {
        text.push_str(&format!("Pushed {} to the remote.\n", outcome.tag));
    }
    let mut text = done_lines(&text);
    text.push_str(&release_line(&outcome.steps, outcome.release.as_ref()));
    text.push_str(&deploy_lines(&outcome.deploys));
    if let Some(why) = &outcome.not_deployed {
        text.push_str(&format!("Deploy: {why}.\n"));
    }
    out_styled(&text)
}

/// Tells a person what a finished sync did: a note on standard error when the files are now
/// ahead of the last release, the summary on standard output.
pub fn print_sync_summary(outcome: &SyncOutcome) -> Result<()> {
    let plan = &outcome.sync;
    if plan.above_last_release {
        note(&format!(
            "The files now say {}, above the last release {}; release that version with `relcut release --bump {}`.",
            plan.target_version,
            plan.last_tag.as_deref().unwrap_or_default(),
            plan.target_version
        ));
    }
    out(&format!(
        "Aligned {} file(s) to {} and committed them.\n",
        plan.files.len(),
        plan.target_version
    ))
}

/// A run that stopped at a step: what is done, what is not, and the command that finishes it.
pub fn render_failure(failure: &Failure, again: &str) -> String {
    let done: Vec<&str> = failure
        .done
        .iter()
        .filter(|step| !(failure.files_put_back && step.step == "write_files"))
        .map(|step| step_label(step.step))
        .collect();
    let not_done: Vec<&str> = failure
        .files_put_back
        .then_some("write_files")
        .into_iter()
        .chain(failure.failed)
        .chain(failure.not_attempted.iter().copied())
        .map(step_label)
        .collect();
    if !failure.undone.is_empty() {
        return format!(
            "The remote refused the push, so nothing was pushed; the local release was undone ({}), so the repository is as before the release. The error says why and how to release again with `{again}`.",
            failure
                .undone
                .iter()
                .map(|step| match *step {
                    "commit" => "the release commit dropped",
                    _ => "the tag deleted",
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let interrupted = matches!(failure.error, crate::error::Error::InterruptedApplying(_));
    if done.is_empty() && interrupted {
        let put_back = if failure.files_put_back {
            "the files were put back as they were, so "
        } else {
            ""
        };
        return format!("Interrupted: {put_back}nothing was changed. Run `{again}` to release.");
    }
    if done.is_empty() {
        let put_back = if failure.files_put_back {
            "the files were put back as they were; "
        } else {
            ""
        };
        return format!(
            "The {} step failed, so {put_back}nothing was changed. Fix the cause and run `{again}` again.",
            step_label(failure.failed.unwrap_or("write_files"))
        );
    }
    format!(
        "Stopped after: {}. Not done: {}. {} run `{again}` again: it finds what is done and finishes the rest.",
        done.join(", "),
        if not_done.is_empty() {
            String::from("nothing")
        } else {
            not_done.join(", ")
        },
        if interrupted {
            "To finish,"
        } else {
            "Fix the cause and"
        }
    )
}

fn step_label(step: &str) -> &'static str {
    match step {
        "write_files" => "write the files",
        "commit" => "commit",
        "tag" => "tag",
        "push" => "push",
        "publish" => "publish the GitHub release",
        _ => "a step",
    }
}

/// The sync plan as a person reads it: what each source says, the version they will all say,
/// the diffs and the commit.
pub fn render_sync_plan(plan: &SyncPlan) -> String {
    let mut text = String::from("Version sources:\n");
    let width = plan
        .sources
        .iter()
        .map(|row| row.source.len())
        .max()
        .unwrap_or(0);
    for row in &plan.sources {
        text.push_str(&format!("  {:<width$}  {}\n", row.source, row.written));
    }
    if plan.steps.is_empty() {
        text.push_str(&format!(
            "\nEvery version source already says {}; there is nothing to align.\n",
            plan.target_version
        ));
        return text;
    }
    text.push_str(&format!(
        "\nAlign to:        {} (the highest)\n",
        plan.target_version
    ));
    text.push_str("\nFiles:\n");
    for file in &plan.files {
        text.push_str(&format!("  {} ({})\n", file.path.display(), file.reason));
    }
    text.push_str(&left_alone_lines(&plan.left_alone));
    for file in &plan.files {
        text.push('\n');
        text.push_str(&file.diff);
    }
    text.push('\n');
    for step in &plan.steps {
        if let Step::Commit { message, .. } = step {
            text.push_str(&format!(
                "Commit: {}\n",
                message.lines().next().unwrap_or_default()
            ));
        }
    }
    text
}

/// The version files read and not written, under their own heading; nothing when there are none.
fn left_alone_lines(left_alone: &[LeftAlone]) -> String {
    if left_alone.is_empty() {
        return String::new();
    }
    let mut text = String::from("Left alone:\n");
    for file in left_alone {
        text.push_str(&format!("  {} ({})\n", file.path.display(), file.reason));
    }
    text
}

/// Whether a person can be asked: not unattended (`--yes`, CI), and a terminal on both ends.
pub fn can_prompt() -> bool {
    !unattended() && io::stdin().is_terminal() && io::stderr().is_terminal()
}

/// Asks the person to confirm; `false` unless they say yes.
pub fn confirm(question: &str) -> Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|error| Error::Output(io::Error::other(error)))
}
