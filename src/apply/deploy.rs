//! The deploy step: starts a target's workflow by `workflow_dispatch`, or sends its
//! `repository_dispatch` event, unless an earlier run already did.
//!
//! GitHub keeps no record of a dispatch, only of the run it starts, so the runs are the truth:
//! a target counts as deployed for a version when its workflow has a dispatched run for that
//! version's tag. A dispatch whose answer was lost is checked the same way before it is sent
//! again. An event's run is in the workflow it starts (`starts` in relcut.toml): the event counts
//! as sent when that workflow has a `repository_dispatch` run of the target created since the
//! GitHub release was published, whose title names no other version. Without `starts` nothing
//! tells whether an earlier run sent it, and it is sent: a deploy that never starts, unseen, is
//! worse than one started twice, and the outcome says so.
//!
//! GitHub's answer to an event names no run. Its runs are listed just before it is sent, and
//! when it is followed (`--wait`) its run is the first new one after it ([`find_event_run`]).

use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::forge::retry::RetryPolicy;
use crate::forge::{Forge, RepoId, RunFilter, WorkflowDispatch, WorkflowRun};
use crate::plan::deploy::{DeployOnce, DeploySpec, Dispatch, RunMarks, names_another_version};

/// The event GitHub gives a run started by `workflow_dispatch`.
const DISPATCH_EVENT: &str = "workflow_dispatch";

/// The event GitHub gives a run started by `repository_dispatch`.
const REPOSITORY_EVENT: &str = "repository_dispatch";

/// How long relcut looks for the run of a dispatch GitHub answered without its details.
pub const FIND_RUN_FOR: Duration = Duration::from_secs(60);

/// A deploy's run, started now or found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunRef {
    /// GitHub's id of the run.
    pub id: u64,
    /// The run's web page.
    pub url: String,
}

/// An event sent whose run is still to be found, to follow it (`--wait`): the workflow it starts
/// and what tells its run from the others there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEvent {
    /// The workflow file the event starts.
    pub workflow: String,
    /// When it was sent, by this machine's clock.
    pub sent_at: SystemTime,
    /// The ids of the workflow's `repository_dispatch` runs there were before it was sent.
    pub seen: Vec<u64>,
    /// What tells the target's runs from those of other targets starting the same workflow.
    pub marks: RunMarks,
    /// The version it was sent for.
    pub version: String,
}

/// What a deploy step sent: the run its dispatch started, or its event, whose run is looked for
/// only when it is followed.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    /// The run of a workflow dispatch.
    pub run: Option<RunRef>,
    /// An event whose workflow is known (`starts`).
    pub event: Option<SentEvent>,
}

/// What the probe of a deploy step saw.
#[derive(Debug, Clone)]
pub enum Seen {
    /// The target already has its run for the version: the run its dispatch or its event
    /// started.
    Done(Option<RunRef>),
    /// To do.
    ToDo {
        /// The ids of the workflow's runs for the ref that exist now, so that the run the
        /// dispatch starts can be told from them.
        seen: Vec<u64>,
        /// Why an event is sent although an earlier run may have sent it, for the outcome.
        note: Option<String>,
    },
}

impl Seen {
    fn to_do(seen: Vec<u64>) -> Seen {
        Seen::ToDo { seen, note: None }
    }
}

/// Whether the deploy is done. `worked_now` says whether this run did any step before this one
/// (`None` for a deploy by hand): when it did none, an earlier run may have sent an event, and
/// an event relcut cannot look for is sent with a note that says why. `release_made_now` says
/// that this run made the version's GitHub release: no earlier run sent its events, which follow
/// the release, and nothing is looked for (a run of the version before, created in the same
/// second as the release, would otherwise pass for this version's).
pub fn probe(
    forge: &dyn Forge,
    repo: &RepoId,
    spec: &DeploySpec,
    once: DeployOnce,
    marks: &RunMarks,
    worked_now: Option<bool>,
    release_made_now: bool,
) -> Result<Seen> {
    match &spec.dispatch {
        Dispatch::Event { starts, .. } => match (starts, once, worked_now) {
            (Some(workflow), DeployOnce::PerVersion, Some(_)) if !release_made_now => {
                event_probe(forge, repo, spec, workflow, marks, worked_now)
            }
            // By hand (a deploy or a rollback), the event is sent: the person asked for it, and
            // a run of it, which says nothing of the version, may be a later release's. After
            // the release this run made, it was never sent.
            _ => Ok(Seen::ToDo {
                seen: Vec::new(),
                note: (worked_now == Some(false) && starts.is_none()).then(|| {
                    format!(
                        "sent again: an earlier run did every step before it and may have stopped before sending it, and relcut cannot look for its run since `[deploy.{}]` names no workflow it starts; a deploy that never starts is worse than one started twice (set `starts = \"WORKFLOW.yml\"` so that a re-run can tell)",
                        spec.target
                    )
                }),
            }),
        },
        Dispatch::Workflow {
            workflow, git_ref, ..
        } => match once {
            DeployOnce::PerVersion => {
                let runs = runs_for_ref(forge, repo, workflow, git_ref, None)?;
                let ours: Vec<&WorkflowRun> = runs
                    .iter()
                    .filter(|run| marks.is_ours(&run.display_title))
                    .collect();
                Ok(match ours.first() {
                    Some(run) => Seen::Done(Some(run_ref(run))),
                    None => Seen::to_do(runs.iter().map(|run| run.id).collect()),
                })
            }
            DeployOnce::UnlessCurrent => {
                let all = forge.workflow_runs(
                    repo,
                    workflow,
                    &RunFilter {
                        event: Some(String::from(DISPATCH_EVENT)),
                        ..RunFilter::default()
                    },
                )?;
                let newest = all.iter().find(|run| marks.is_ours(&run.display_title));
                Ok(match newest {
                    Some(run) if run.head_branch.as_deref() == Some(git_ref.as_str()) => {
                        Seen::Done(Some(run_ref(run)))
                    }
                    _ => Seen::to_do(
                        all.iter()
                            .filter(|run| run.head_branch.as_deref() == Some(git_ref.as_str()))
                            .map(|run| run.id)
                            .collect(),
                    ),
                })
            }
        },
    }
}

/// Whether the event of `spec` was sent for its version, as a release or publish step: the
/// workflow it starts has a `repository_dispatch` run of the target created since the version's
/// GitHub release was published (both times are GitHub's), and whose title names no other
/// version. A run whose title names none says nothing of the version, so this holds for the
/// version a release is making or finishing, the newest; not for an older one, which only a
/// deploy by hand sends. Without a published release there is
/// no bound, and the event is sent.
fn event_probe(
    forge: &dyn Forge,
    repo: &RepoId,
    spec: &DeploySpec,
    workflow: &str,
    marks: &RunMarks,
    worked_now: Option<bool>,
) -> Result<Seen> {
    let published = forge
        .release_by_tag(repo, &spec.tag)?
        .filter(|release| !release.draft)
        .and_then(|release| release.published_at);
    let Some(published) = published else {
        return Ok(Seen::ToDo {
            seen: Vec::new(),
            note: (worked_now == Some(false)).then(|| {
                format!(
                    "sent: {} has no published GitHub release, so no run of `{workflow}` can be told to be this version's",
                    spec.tag
                )
            }),
        });
    };
    let runs = forge.workflow_runs(
        repo,
        workflow,
        &RunFilter {
            event: Some(String::from(REPOSITORY_EVENT)),
            created_since: Some(published.clone()),
            ..RunFilter::default()
        },
    )?;
    let since = chrono::DateTime::parse_from_rfc3339(&published).ok();
    let ours = runs.iter().find(|run| {
        is_event_run_of(run, marks, &spec.version)
            && since.is_none_or(|since| {
                chrono::DateTime::parse_from_rfc3339(&run.created_at)
                    .is_ok_and(|created| created >= since)
            })
    });
    Ok(match ours {
        Some(run) => Seen::Done(Some(run_ref(run))),
        None => Seen::ToDo {
            seen: runs.iter().map(|run| run.id).collect(),
            note: (worked_now == Some(false)).then(|| {
                format!(
                    "sent: `{workflow}` has no `repository_dispatch` run of it since the release was published ({published})"
                )
            }),
        },
    })
}

/// Sends the deploy's dispatch and returns its run, or the event sent. `seen` are the ids of
/// the runs the probe found, none of which is this deploy's.
pub fn perform(
    forge: &dyn Forge,
    repo: &RepoId,
    spec: &DeploySpec,
    seen: &[u64],
    marks: &RunMarks,
    retry: &RetryPolicy,
) -> Result<Sent> {
    match &spec.dispatch {
        Dispatch::Event {
            event,
            payload,
            starts,
        } => {
            // The runs there are just before the event goes out: none of them is its run, which
            // `find_event_run` tells from them when the run is followed.
            let sent_at = SystemTime::now();
            let before = match starts {
                Some(workflow) => Some(event_runs_since(forge, repo, workflow, sent_at)?),
                None => None,
            };
            let rerun = match starts {
                Some(workflow) => format!(
                    "running the release or publish again looks for its run in `{workflow}` and sends it only when there is none"
                ),
                None => format!(
                    "running the same command again sends it again, since relcut cannot look for its run (`[deploy.{}]` names no workflow it `starts`)",
                    spec.target
                ),
            };
            forge
                .repository_dispatch(repo, event, payload)
                .map_err(|error| match error {
                    Error::ForgeInDoubt(why) => Error::ForgeInDoubt(format!(
                        "{why}; GitHub may or may not have received the `{event}` event of the target `{}`: {rerun}",
                        spec.target
                    )),
                    Error::Forge(why) => Error::Forge(format!(
                        "{why}; the `{event}` event of the target `{}` was not sent: once fixed, run the same command again, or send it with `relcut deploy {} --to {}`",
                        spec.target, spec.version, spec.target
                    )),
                    error => error,
                })?;
            Ok(Sent {
                run: None,
                event: starts
                    .as_ref()
                    .zip(before)
                    .map(|(workflow, before)| SentEvent {
                        workflow: workflow.clone(),
                        sent_at,
                        seen: seen
                            .iter()
                            .copied()
                            .chain(before.iter().map(|run| run.id))
                            .collect(),
                        marks: marks.clone(),
                        version: spec.version.clone(),
                    }),
            })
        }
        Dispatch::Workflow {
            workflow,
            git_ref,
            inputs,
        } => {
            let dispatch = WorkflowDispatch {
                workflow: workflow.clone(),
                git_ref: git_ref.clone(),
                inputs: inputs.clone(),
            };
            let mut backoff = retry.pauses();
            loop {
                let since = SystemTime::now();
                let started = |run: RunRef| Sent {
                    run: Some(run),
                    event: None,
                };
                let error = match forge.dispatch_workflow(repo, &dispatch) {
                    Ok(Some(run)) => {
                        return Ok(started(RunRef {
                            id: run.id,
                            url: run.html_url,
                        }));
                    }
                    Ok(None) => {
                        return find_new_run(forge, repo, workflow, git_ref, seen, since, retry)
                            .map(started);
                    }
                    Err(error @ Error::ForgeInDoubt(_)) => error,
                    Err(error) => return Err(error),
                };
                // The answer was lost: a run for the ref that was not there before is this
                // dispatch's, and must not get a twin.
                let runs = runs_for_ref(forge, repo, workflow, git_ref, Some(since))?;
                if let Some(run) = runs.iter().find(|run| !seen.contains(&run.id)) {
                    return Ok(started(run_ref(run)));
                }
                match backoff.next_pause() {
                    Some(pause) => crate::interruption::wait(pause)?,
                    None => return Err(error),
                }
            }
        }
    }
}

/// The run a dispatch GitHub answered without details started: the first run for the ref,
/// created since the dispatch, that was not there before. GitHub lists a new run a few seconds
/// after the dispatch, so it is looked for again with growing pauses, for a minute at most.
fn find_new_run(
    forge: &dyn Forge,
    repo: &RepoId,
    workflow: &str,
    git_ref: &str,
    seen: &[u64],
    since: SystemTime,
    retry: &RetryPolicy,
) -> Result<RunRef> {
    let found = first_new_run(
        &|| runs_for_ref(forge, repo, workflow, git_ref, Some(since)),
        &|run| !seen.contains(&run.id),
        retry,
        FIND_RUN_FOR,
    )?;
    found.ok_or_else(|| {
        Error::Forge(format!(
            "GitHub accepted the dispatch of `{workflow}` for `{git_ref}` but listed no run for it after {} seconds; look at the workflow's runs on GitHub, and if none started, run the command again",
            FIND_RUN_FOR.as_secs()
        ))
    })
}

/// The run `sent` started: the oldest `repository_dispatch` run of its workflow created since it
/// was sent (GitHub's clock and this machine's may differ by seconds), that was not there before,
/// is the target's and names no other version. Looked for as a dispatch's run is, for
/// `within` at most (a minute, or less when the wait has less); `None` when none came.
pub fn find_event_run(
    forge: &dyn Forge,
    repo: &RepoId,
    sent: &SentEvent,
    retry: &RetryPolicy,
    within: Duration,
) -> Result<Option<RunRef>> {
    first_new_run(
        &|| event_runs_since(forge, repo, &sent.workflow, sent.sent_at),
        &|run| !sent.seen.contains(&run.id) && is_event_run_of(run, &sent.marks, &sent.version),
        retry,
        within.min(FIND_RUN_FOR),
    )
}

/// Whether `run` is a `repository_dispatch` run of the target `marks` tell, and its title names
/// no version but `version`.
fn is_event_run_of(run: &WorkflowRun, marks: &RunMarks, version: &str) -> bool {
    run.event == REPOSITORY_EVENT
        && marks.is_ours(&run.display_title)
        && !names_another_version(&run.display_title, version)
}

/// The oldest run `list` gives that `new` accepts, listed again with growing pauses (which a
/// signal interrupts) until one comes or `within` has passed.
fn first_new_run(
    list: &dyn Fn() -> Result<Vec<WorkflowRun>>,
    new: &dyn Fn(&WorkflowRun) -> bool,
    retry: &RetryPolicy,
    within: Duration,
) -> Result<Option<RunRef>> {
    let mut pause = retry.first_pause.max(Duration::from_millis(20));
    let started = std::time::Instant::now();
    loop {
        // Newest first: the first new run after the dispatch is the last listed.
        if let Some(run) = list()?.iter().rev().find(|run| new(run)) {
            return Ok(Some(run_ref(run)));
        }
        if started.elapsed() + pause > within {
            return Ok(None);
        }
        crate::interruption::wait(pause)?;
        pause = (pause * 2).min(Duration::from_secs(10));
    }
}

/// The `repository_dispatch` runs of `workflow` created from a minute before `time` on, newest
/// first.
fn event_runs_since(
    forge: &dyn Forge,
    repo: &RepoId,
    workflow: &str,
    time: SystemTime,
) -> Result<Vec<WorkflowRun>> {
    forge.workflow_runs(
        repo,
        workflow,
        &RunFilter {
            event: Some(String::from(REPOSITORY_EVENT)),
            created_since: Some(rfc3339(time - Duration::from_secs(60))),
            ..RunFilter::default()
        },
    )
}

/// The workflow's dispatched runs for `git_ref`, newest first; with `since`, only those created
/// from a little before it on (GitHub's clock and this machine's may differ by seconds).
fn runs_for_ref(
    forge: &dyn Forge,
    repo: &RepoId,
    workflow: &str,
    git_ref: &str,
    since: Option<SystemTime>,
) -> Result<Vec<WorkflowRun>> {
    let runs = forge.workflow_runs(
        repo,
        workflow,
        &RunFilter {
            branch: Some(git_ref.to_string()),
            event: Some(String::from(DISPATCH_EVENT)),
            created_since: since.map(|since| rfc3339(since - Duration::from_secs(60))),
        },
    )?;
    // GitHub's `branch` filter matches the run's head branch; a tag's runs have the tag's name.
    Ok(runs
        .into_iter()
        .filter(|run| run.head_branch.as_deref() == Some(git_ref))
        .collect())
}

fn run_ref(run: &WorkflowRun) -> RunRef {
    RunRef {
        id: run.id,
        url: run.html_url.clone(),
    }
}

/// `time` as RFC 3339 in UTC, to the second: `2026-12-02T10:00:00Z`.
pub fn rfc3339(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_rfc3339_in_utc() {
        let at = |seconds: u64| rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_796_212_800), "2026-12-02T12:00:00Z");
    }
}
