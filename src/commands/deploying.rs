//! Deploys, as `release`, `publish`, `deploy` and `rollback` share them: the deploy steps a
//! version starts, following their runs (`--wait`), and the rollback of a target whose run
//! failed. Planning is `plan::deploy`'s; this module reads what it needs (the targets, the
//! release tags, the repository) and runs the steps through the one executor.

use std::time::Duration;

use crate::apply::deploy::{self as apply_deploy, SentEvent};
use crate::apply::executor::Deployed;
use crate::apply::follow::{self, RunEnd};
use crate::config::Settings;
use crate::error::{Error, Problem, Result};
use crate::forge::{Forge, RepoId};
use crate::outcome::DeployReport;
use crate::plan::Step;
use crate::plan::deploy::{self, DeployContext, DeployOnce, DeploySpec, DeployTarget};
use crate::plan::workflow_triggers;
use crate::repo::Repo;
use crate::ui;

/// The version a deploy is for, and where it stands.
pub(super) struct Version<'a> {
    /// The version.
    pub version: &'a semver::Version,
    /// Its release tag.
    pub tag: &'a str,
    /// The version released before it, when there is one.
    pub previous: Option<&'a semver::Version>,
    /// The commit released, when known (not yet when the release commit is still to make).
    pub sha: Option<&'a str>,
}

/// The repository deploys go to.
pub(super) struct Where<'a> {
    /// `OWNER/NAME`.
    pub repo: &'a RepoId,
    /// Its web page, as GitHub gave it; `None` when GitHub could not be asked (a problem says
    /// why, so nothing is sent).
    pub html_url: Option<&'a str>,
}

impl Where<'_> {
    fn release_url(&self, tag: &str) -> String {
        let html = self
            .html_url
            .map_or_else(|| format!("https://github.com/{}", self.repo), String::from);
        deploy::release_url(&html, tag)
    }
}

/// The spec of one target for one version.
pub(super) fn spec_for(target: &DeployTarget, at: &Where<'_>, version: &Version<'_>) -> DeploySpec {
    let repository = at.repo.to_string();
    let release_url = at.release_url(version.tag);
    deploy::deploy_spec(
        target,
        &DeployContext {
            repository: &repository,
            version: version.version,
            tag: version.tag,
            previous_version: version.previous,
            sha: version.sha,
            release_url: &release_url,
        },
    )
}

/// The deploy step of `spec` for `target`.
pub(super) fn step(
    settings: &Settings,
    target: &DeployTarget,
    spec: DeploySpec,
    once: DeployOnce,
) -> Step {
    Step::Deploy {
        spec,
        once,
        marks: deploy::run_marks(&settings.deploy, target),
    }
}

/// The deploy steps after a release of `version`: every target whose `on` accepts it, in the
/// order of relcut.toml. GitHub's limits, and the workflows events start, are checked here,
/// with the other checks.
pub(super) fn after_release(
    repo: &Repo,
    settings: &Settings,
    at: &Where<'_>,
    version: &Version<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Step> {
    // An event relcut cannot look for (no `starts`) goes last, after every deploy whose run
    // a re-run can find: a dispatch that fails then stops the run before the event, and the
    // re-run sends it once, instead of sending again an event that went out before the failure.
    let mut targets: Vec<&DeployTarget> = settings.deploy.iter().collect();
    targets.sort_by_key(|target| {
        matches!(target.kind, deploy::TargetKind::Event { starts: None, .. })
    });
    let steps: Vec<Step> = targets
        .into_iter()
        .filter(|target| target.on.accepts(version.version))
        .map(|target| {
            let spec = spec_for(target, at, version);
            step(settings, target, spec, DeployOnce::PerVersion)
        })
        .collect();
    problems.extend(limit_problems(settings, &steps));
    problems.extend(starts_problems(repo, settings, &steps));
    steps
}

/// The warnings of the event deploys among `steps` that name no workflow their event starts,
/// shown with the plan: a re-run cannot tell whether such an event was sent.
pub(super) fn warnings(settings: &Settings, steps: &[Step]) -> Vec<String> {
    let targets = steps.iter().filter_map(|step| match step {
        Step::Deploy { spec, .. } => target_of(settings, spec),
        _ => None,
    });
    deploy::unprobed_event_warnings(crate::config::CONFIG_FILE, targets)
}

/// The target of relcut.toml a deploy step was planned from.
fn target_of<'s>(settings: &'s Settings, spec: &DeploySpec) -> Option<&'s DeployTarget> {
    settings
        .deploy
        .iter()
        .find(|target| target.name == spec.target)
}

/// The event deploys among `steps` whose `starts` names a workflow their event would not start,
/// as HEAD's tree holds it: a wrong name found only once the event is sent, after the release
/// was published, leaves a re-run unable to tell whether it was sent.
pub(super) fn starts_problems(repo: &Repo, settings: &Settings, steps: &[Step]) -> Vec<Problem> {
    steps
        .iter()
        .filter_map(|step| match step {
            Step::Deploy { spec, .. } => match &spec.dispatch {
                deploy::Dispatch::Event {
                    event,
                    starts: Some(workflow),
                    ..
                } => {
                    let target = target_of(settings, spec)?;
                    // `{{sha}}` is filled in once the release commit is made.
                    let event = (!(spec.pending_sha && event.contains("{{sha}}")))
                        .then_some(event.as_str());
                    workflow_triggers::starts_problem(
                        crate::config::CONFIG_FILE,
                        target,
                        workflow,
                        event,
                        &repo.workflow_file(workflow),
                    )
                }
                _ => None,
            },
            _ => None,
        })
        .map(|message| Problem { message })
        .collect()
}

/// GitHub's limits on what the deploy steps send.
pub(super) fn limit_problems(settings: &Settings, steps: &[Step]) -> Vec<Problem> {
    let specs: Vec<DeploySpec> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Deploy { spec, .. } => Some(spec.clone()),
            _ => None,
        })
        .collect();
    deploy::limit_problems(&settings.deploy, &specs)
        .into_iter()
        .map(|message| Problem { message })
        .collect()
}

/// Why the deploys a version would start are not planned, when there are some: no GitHub
/// release, or `--no-deploy`.
pub(super) fn off_reason(
    settings: &Settings,
    version: &semver::Version,
    no_deploy: bool,
    not_published: Option<&str>,
) -> Option<String> {
    let targets: Vec<&str> = settings
        .deploy
        .iter()
        .filter(|target| target.on.accepts(version))
        .map(|target| target.name.as_str())
        .collect();
    if targets.is_empty() {
        return None;
    }
    let names = targets
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if no_deploy {
        Some(format!(
            "{names} not started: turned off with `--no-deploy`"
        ))
    } else {
        not_published.map(|why| {
            format!(
                "{names} not started: a deploy follows the GitHub release, and there is none ({why}); start it later with `relcut deploy {version} --to TARGET`"
            )
        })
    }
}

/// The release tags, highest version first, as `plan::deploy` chooses among them.
pub(super) fn releases(repo: &Repo, settings: &Settings) -> Result<Vec<(semver::Version, String)>> {
    Ok(repo
        .version_tags(&settings.policy.tag_pattern)?
        .into_iter()
        .map(|candidate| (candidate.version, candidate.name))
        .collect())
}

/// The target named `name`, or an error that lists the targets there are.
pub(super) fn target<'s>(settings: &'s Settings, name: &str) -> Result<&'s DeployTarget> {
    settings
        .deploy
        .iter()
        .find(|target| target.name == name)
        .ok_or_else(|| {
            let known: Vec<String> = settings
                .deploy
                .iter()
                .map(|target| format!("`{}`", target.name))
                .collect();
            Error::Usage(if known.is_empty() {
                format!(
                    "there is no deploy target `{name}`: relcut.toml has no `[deploy.NAME]` table; add one (see \"Deploying\" in the README)"
                )
            } else {
                format!(
                    "there is no deploy target `{name}`; relcut.toml has {}",
                    known.join(", ")
                )
            })
        })
}

/// After the steps ran: follows the deploy runs when asked (`--wait`), rolls back a target
/// whose run failed when asked, and returns the reports — with a [`Error::DeployFailed`] when a
/// followed run did not succeed, to be returned once the outcome is shown.
pub(super) struct Followed {
    /// Every deploy, started or found, then the rollbacks.
    pub reports: Vec<DeployReport>,
    /// The failure to exit with, when a run did not succeed.
    pub failure: Option<Error>,
}

/// What following needs.
pub(super) struct Follow<'a> {
    pub settings: &'a Settings,
    pub repo: &'a Repo,
    pub forge: &'a dyn Forge,
    pub at: Where<'a>,
    pub wait: bool,
    pub timeout: Duration,
    pub rollback_on_failure: bool,
    /// The command that runs the same again, for messages.
    pub again: &'a str,
}

pub(super) fn follow_deploys(how: &Follow<'_>, deployed: &[Deployed]) -> Result<Followed> {
    let mut reports: Vec<DeployReport> = deployed
        .iter()
        .map(|deployed| DeployReport::of(deployed, None))
        .collect();
    if !how.wait {
        return Ok(Followed {
            reports,
            failure: None,
        });
    }
    ui::actions::group("Following the deploy runs…");
    let sent: Vec<Option<SentEvent>> = deployed
        .iter()
        .map(|deployed| deployed.sent_event.clone())
        .collect();
    let ends = match follow_reports(how, &mut reports, &sent) {
        Ok(ends) => ends,
        Err(error) => return Err(stopped_following(how, &reports, error)),
    };
    let mut failed: Vec<String> = Vec::new();
    let mut rollbacks: Vec<DeployReport> = Vec::new();
    for (report, watched) in reports.iter().zip(&ends) {
        let end = match watched {
            Watched::Nothing => {
                if let deploy::Dispatch::Event {
                    event,
                    starts: None,
                    ..
                } = &report.dispatch
                {
                    ui::note(&format!(
                        "The `{event}` event of {} to `{}` is not followed: `[deploy.{}]` names no workflow it starts, so relcut cannot find its run; set `starts = \"WORKFLOW.yml\"` to follow it.",
                        report.version, report.target, report.target
                    ));
                }
                continue;
            }
            // Nothing tells whether it failed: nothing to roll back.
            Watched::NoRun(why) => {
                failed.push(why.clone());
                continue;
            }
            Watched::Ended(end) => end,
        };
        if end.succeeded() {
            continue;
        }
        let mut words = format!(
            "the deploy of {} to `{}` did not succeed ({}): {}",
            report.version,
            report.target,
            end.describe(),
            end.url
        );
        if how.rollback_on_failure && !end.timed_out() {
            match roll_back(how, report)? {
                Some(rollback) => {
                    words.push_str(&format!(
                        "; rolled back to {}{}",
                        rollback.version,
                        match (&rollback.url, &rollback.conclusion) {
                            (Some(url), Some(conclusion)) => format!(" ({conclusion}): {url}"),
                            (Some(url), None) => format!(": {url}"),
                            _ => String::new(),
                        }
                    ));
                    rollbacks.push(rollback);
                }
                None => words.push_str(&format!(
                    "; no earlier version that `{}` accepts to roll back to",
                    report.target
                )),
            }
        }
        failed.push(words);
    }
    let rollback_failed = rollbacks
        .iter()
        .any(|rollback| rollback.conclusion.as_deref() != Some("success"));
    reports.extend(rollbacks);
    let failure = (!failed.is_empty()).then(|| {
        let mut message = failed.join("; ");
        message.push_str(
            "; the release itself stands. Fix the deploy and start it again with `relcut deploy VERSION --to TARGET`",
        );
        if rollback_failed {
            message.push_str(", and look at the rollback's run too");
        }
        Error::DeployFailed(message)
    });
    Ok(Followed { reports, failure })
}

/// The error of a follow a signal stopped: every step was done before it, so it says what was
/// started, that the runs go on, and how to follow them again without starting them twice.
fn stopped_following(how: &Follow<'_>, reports: &[DeployReport], error: Error) -> Error {
    let Error::InterruptedApplying(_) = error else {
        return error;
    };
    let started = reports
        .iter()
        .map(|report| {
            format!(
                "{} to `{}`{}",
                report.version,
                report.target,
                report
                    .url
                    .as_ref()
                    .map_or_else(String::new, |url| format!(" ({url})"))
            )
        })
        .collect::<Vec<_>>();
    let started = match started.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::from("nothing"),
    };
    Error::InterruptedApplying(format!(
        "interrupted while following the deploy runs, with every step done: the deploys of {started} were started and go on on GitHub; run `{} --wait` to follow them to their end, which starts none of them again",
        how.again
    ))
}

/// How following one deploy went.
#[derive(Debug, Clone)]
enum Watched {
    /// Nothing to follow: an event whose run relcut cannot look for (no `starts`).
    Nothing,
    /// Its run ended, or the time was up first.
    Ended(RunEnd),
    /// The run of an event sent now did not show up in its workflow: why, as a sentence.
    NoRun(String),
}

/// Follows the workflow runs of `reports` and writes their conclusions in. The run of an event
/// sent now (`sent`, beside its report) is looked for first, as a dispatch's run is.
fn follow_reports(
    how: &Follow<'_>,
    reports: &mut [DeployReport],
    sent: &[Option<SentEvent>],
) -> Result<Vec<Watched>> {
    let mut no_run: Vec<Option<String>> = vec![None; reports.len()];
    for (index, (report, sent)) in reports.iter_mut().zip(sent).enumerate() {
        let Some(sent) = sent.as_ref().filter(|_| report.run_id.is_none()) else {
            continue;
        };
        match apply_deploy::find_event_run(
            how.forge,
            how.at.repo,
            sent,
            &how.settings.forge.retry,
            how.timeout,
        )? {
            Some(run) => {
                report.run_id = Some(run.id);
                report.url = Some(run.url);
            }
            None => {
                let event = match &report.dispatch {
                    deploy::Dispatch::Event { event, .. } => format!("`{event}` event"),
                    deploy::Dispatch::Workflow { .. } => String::from("dispatch"),
                };
                let seconds = how.timeout.min(apply_deploy::FIND_RUN_FOR).as_secs();
                no_run[index] = Some(format!(
                    "the {event} of {} to `{}` was sent, and `{}` listed no `repository_dispatch` run of it within {seconds} second{}, so relcut cannot tell how the deploy went; look at the workflow's runs on GitHub (the workflow file on the default branch must run on the event's type)",
                    report.version,
                    report.target,
                    sent.workflow,
                    if seconds == 1 { "" } else { "s" }
                ));
            }
        }
    }
    let watched = |ends: &[RunEnd], report: &DeployReport, no_run: Option<String>| {
        if let Some(why) = no_run {
            return Watched::NoRun(why);
        }
        report
            .run_id
            .and_then(|id| ends.iter().find(|end| end.id == id).cloned())
            .map_or(Watched::Nothing, Watched::Ended)
    };
    let ids: Vec<u64> = reports.iter().filter_map(|report| report.run_id).collect();
    if ids.is_empty() {
        return Ok(reports
            .iter()
            .zip(no_run)
            .map(|(report, no_run)| watched(&[], report, no_run))
            .collect());
    }
    let names: Vec<(u64, String)> = reports
        .iter()
        .filter_map(|report| {
            report
                .run_id
                .map(|id| (id, format!("{} to `{}`", report.version, report.target)))
        })
        .collect();
    let progress = |run: &crate::forge::WorkflowRun| {
        let name = names
            .iter()
            .find(|(id, _)| *id == run.id)
            .map_or("a deploy", |(_, name)| name.as_str());
        ui::deploy_progress(name, &run.status, run.conclusion.as_deref(), &run.html_url);
    };
    let ends = follow::follow(
        how.forge,
        how.at.repo,
        &ids,
        how.settings.forge.poll,
        how.timeout,
        &progress,
    )?;
    Ok(reports
        .iter_mut()
        .zip(no_run)
        .map(|(report, no_run)| {
            let watched = watched(&ends, report, no_run);
            if let Watched::Ended(end) = &watched {
                report.conclusion = Some(end.describe());
            }
            watched
        })
        .collect())
}

/// Deploys, to the target of the failed `report`, the version before it that the target
/// accepts, and follows that run. `None` when there is no such version.
fn roll_back(how: &Follow<'_>, report: &DeployReport) -> Result<Option<DeployReport>> {
    let target = target(how.settings, &report.target)?;
    let releases = releases(how.repo, how.settings)?;
    let Ok(current) = semver::Version::parse(&report.version) else {
        return Ok(None);
    };
    let Some((version, tag)) = deploy::previous_for(target.on, &releases, &current) else {
        return Ok(None);
    };
    let steps = by_hand_steps(
        how,
        target,
        &version,
        &tag,
        Some(&current),
        DeployOnce::UnlessCurrent,
    )?;
    let problems = limit_problems(how.settings, &steps);
    if !problems.is_empty() {
        return Err(Error::ChecksFailed(problems));
    }
    ui::note(&format!("Rolling `{}` back to {version}.", report.target));
    let deployed = run_deploy_step(how, &steps)?;
    let mut rollback = DeployReport::of(&deployed, Some(report.version.clone()));
    follow_reports(
        how,
        std::slice::from_mut(&mut rollback),
        std::slice::from_ref(&deployed.sent_event),
    )?;
    Ok(Some(rollback))
}

/// The one deploy step of `version` to `target`, asked for by hand or by a rollback; its
/// `{{sha}}` is the tag's commit.
pub(super) fn by_hand_steps(
    how: &Follow<'_>,
    target: &DeployTarget,
    version: &semver::Version,
    tag: &str,
    previous: Option<&semver::Version>,
    once: DeployOnce,
) -> Result<Vec<Step>> {
    let sha = how.repo.tag_commit(tag)?.map(|commit| commit.to_string());
    let spec = spec_for(
        target,
        &how.at,
        &Version {
            version,
            tag,
            previous,
            sha: sha.as_deref(),
        },
    );
    Ok(vec![step(how.settings, target, spec, once)])
}

/// Runs a deploy step through the executor and returns what it did.
pub(super) fn run_deploy_step(how: &Follow<'_>, steps: &[Step]) -> Result<Deployed> {
    let executed = super::execute(
        how.repo,
        how.settings,
        Some(how.forge),
        &[],
        steps,
        how.again,
    )?;
    executed
        .deploys
        .into_iter()
        .next()
        .ok_or_else(|| Error::Usage(String::from("the deploy step ran and reported no deploy")))
}
