//! The one executor of every command's steps. Before each step a probe looks at the world (the
//! work tree, HEAD, the tags) and says whether the step's work is already done, still to do, or
//! blocked by something in the way; done steps are skipped, so running a failed command again
//! finishes it. Nothing here decides what to do: the plan did.
//!
//! Only a half state is undone: files written for a commit that was not made are put back, so
//! that the next run starts from a clean tree. A commit without its tag is a state the next run
//! recognises and finishes (see `plan::resume`), so it stays, and so does a release whose push
//! could not reach the remote. A push the remote refused is undone locally (the tag deleted, the
//! release commit dropped): the release must be made again on top of what the remote has.

use std::path::{Path, PathBuf};

use crate::apply::deploy::{self, RunRef, Seen, Sent, SentEvent};
use crate::apply::files;
use crate::apply::git::Git;
use crate::apply::publish::{self, Found};
use crate::apply::push;
use crate::error::{Error, Result};
use crate::forge::retry::RetryPolicy;
use crate::forge::{Forge, RepoId};
use crate::interruption;
use crate::plan::{PlannedFile, Step, TagTarget};
use crate::remote::{AfterRefusal, Missing, PushDecision, refusal_message};

/// What the steps act through: git for the local steps and the push, the forge for the
/// release.
pub struct Effects<'a> {
    /// The repository's git command line.
    pub git: &'a Git,
    /// The forge client, when the plan publishes.
    pub forge: Option<&'a dyn Forge>,
    /// How requests whose outcome is in doubt are tried again.
    pub retry: RetryPolicy,
    /// Told as each step starts and ends, so a person sees the release progress.
    pub progress: &'a dyn StepProgress,
}

/// Who is told of the steps as they run: the terminal, in practice.
pub trait StepProgress {
    /// A step starts (its probe included).
    fn starting(&self, step: &Step);
    /// A step ended well: done now, or found done.
    fn finished(&self, step: &Step, status: StepStatus);
}

/// The GitHub release a run made or found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublishedRelease {
    /// GitHub's id of the release.
    pub id: u64,
    /// Its web page.
    pub url: String,
    /// Whether it is still a draft.
    pub draft: bool,
    /// The names of its assets.
    pub assets: Vec<String>,
}

/// What became of one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The probe found the work done by an earlier run; nothing was done again.
    AlreadyDone,
    /// This run did it.
    Done,
}

/// One step's outcome.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepOutcome {
    /// The step's name (`write_files`, `commit`, `tag`).
    pub step: &'static str,
    /// Whether it was done now or found done.
    pub status: StepStatus,
}

/// What the steps left behind when all of them are done.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Executed {
    /// Each step's outcome, in order.
    pub outcomes: Vec<StepOutcome>,
    /// The release (or sync) commit, made now or found.
    pub commit: Option<String>,
    /// The tag, made now or found.
    pub tag: Option<String>,
    /// The GitHub release, made now or found.
    pub release: Option<PublishedRelease>,
    /// The deploys started now or found started, in the order of the steps.
    pub deploys: Vec<Deployed>,
}

/// One deploy a run started or found started.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deployed {
    /// The target's name.
    pub target: String,
    /// The version deployed.
    pub version: String,
    /// The dispatch sent (the `{{sha}}` in it filled in).
    pub dispatch: crate::plan::deploy::Dispatch,
    /// The workflow run, when the target is a workflow.
    pub run: Option<RunRef>,
    /// Whether this run dispatched it or found it dispatched.
    pub status: StepStatus,
    /// Why an event was sent although an earlier run may have sent it, or what its probe saw.
    pub note: Option<String>,
    /// The event sent now whose run is to be found when it is followed.
    #[serde(skip)]
    pub sent_event: Option<SentEvent>,
}

/// A step that failed: what was done before it, and what was not.
#[derive(Debug)]
pub struct Failure {
    /// The steps done (or found done) before the failure.
    pub done: Vec<StepOutcome>,
    /// The step that failed; `None` when the run stopped between two steps (an injected fault).
    pub failed: Option<&'static str>,
    /// The steps after it, not attempted.
    pub not_attempted: Vec<&'static str>,
    /// Whether files this run wrote were put back (their commit was not made).
    pub files_put_back: bool,
    /// The steps undone after the remote refused the push (`commit`, `tag`), in the order undone.
    pub undone: Vec<&'static str>,
    /// Why it failed.
    pub error: Error,
}

/// What a probe saw.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Probe {
    Done,
    ToDo,
    InTheWay(String),
}

/// Runs `steps` in order, skipping those whose work is already done.
pub fn execute(
    effects: &Effects<'_>,
    planned: &[PlannedFile],
    steps: &[Step],
) -> Result<Executed, Box<Failure>> {
    let git = effects.git;
    interruption::catch();
    let mut state = State::default();
    for (index, step) in steps.iter().enumerate() {
        // A signal stops the run before a step; a step that fails is not done; an injected
        // fault stops the run after a done one. The third value is the first step not attempted.
        let stopped = if interruption::interrupted() && !finishes_local_release(step, &state) {
            Some((None, interrupted_before(step), index))
        } else {
            match run_step(effects, planned, step, &mut state) {
                Ok(()) => injected_fault(step)
                    .err()
                    .map(|error| (None, error, index + 1)),
                // A signal also reaches the git command a step runs, which then fails.
                Err(error) if interruption::interrupted() => Some((
                    Some(step.name()),
                    Error::InterruptedApplying(format!(
                        "interrupted during the {} step ({error})",
                        step.name()
                    )),
                    index + 1,
                )),
                Err(error) => Some((Some(step.name()), error, index + 1)),
            }
        };
        if let Some((failed, error, rest)) = stopped {
            let files_put_back = state.written_uncommitted;
            let (error, undone) = match state.refused.take() {
                Some(words) => undo_refused_release(git, steps, &state, step, &words),
                None => (error, Vec::new()),
            };
            let error = if files_put_back {
                with_files_put_back(git, planned, error)
            } else {
                error
            };
            return Err(Box::new(Failure {
                done: state.executed.outcomes,
                failed,
                not_attempted: steps[rest..].iter().map(Step::name).collect(),
                files_put_back,
                undone,
                error,
            }));
        }
    }
    Ok(state.executed)
}

#[derive(Default)]
struct State {
    executed: Executed,
    /// Files this run wrote whose commit is not made yet.
    written_uncommitted: bool,
    /// What the publish step's probe found on the forge, so the step does not ask again.
    found_release: Option<Found>,
    /// What the push step's probe found missing on the remote, and the commit it pushes.
    push: Option<(Missing, String)>,
    /// The remote's words when it refused the push.
    refused: Option<String>,
    /// What the deploy step's probe saw.
    deploy: Option<Seen>,
    /// Whether this run made the GitHub release (none was there): then no earlier run sent an
    /// event of its version, since the events follow the release.
    release_made_now: bool,
}

fn run_step(
    effects: &Effects<'_>,
    planned: &[PlannedFile],
    step: &Step,
    state: &mut State,
) -> Result<()> {
    let git = effects.git;
    effects.progress.starting(step);
    let probe = probe(effects, planned, step, state)?;
    let status = match probe {
        Probe::Done => StepStatus::AlreadyDone,
        Probe::InTheWay(why) => return Err(Error::Usage(why)),
        Probe::ToDo => {
            perform(effects, planned, step, state)?;
            StepStatus::Done
        }
    };
    match step {
        Step::Commit { .. } if status == StepStatus::AlreadyDone => {
            state.executed.commit = Some(git.head()?);
        }
        Step::Tag { name, .. } => state.executed.tag = Some(name.clone()),
        _ => {}
    }
    state.executed.outcomes.push(StepOutcome {
        step: step.name(),
        status,
    });
    effects.progress.finished(step, status);
    Ok(())
}

fn probe(
    effects: &Effects<'_>,
    planned: &[PlannedFile],
    step: &Step,
    state: &mut State,
) -> Result<Probe> {
    let git = effects.git;
    match step {
        Step::Publish(spec) => probe_release(effects, spec, state),
        Step::Deploy { spec, once, marks } => {
            let (forge, repo) = forge_of(effects, &spec.repository)?;
            let spec = filled_in(spec, state)?;
            let seen = deploy::probe(
                forge,
                &repo,
                &spec,
                *once,
                marks,
                worked_now(state),
                state.release_made_now,
            )?;
            Ok(match seen {
                Seen::Done(run) => {
                    state.executed.deploys.push(deployed(
                        &spec,
                        Sent { run, event: None },
                        StepStatus::AlreadyDone,
                        None,
                    ));
                    Probe::Done
                }
                seen @ Seen::ToDo { .. } => {
                    state.deploy = Some(seen);
                    Probe::ToDo
                }
            })
        }
        Step::WriteFiles { .. } => Ok(if files_hold_planned_text(git.work_tree(), planned) {
            Probe::Done
        } else {
            // `files::write_all` checks each file still holds the text it was planned from.
            Probe::ToDo
        }),
        Step::Commit { parent, .. } => {
            let head = git.resolve("HEAD")?;
            if head.as_deref() == Some(parent.as_str()) {
                return Ok(Probe::ToDo);
            }
            let on_parent = git.resolve("HEAD^")?.as_deref() == Some(parent.as_str());
            if on_parent
                && files_hold_planned_text(git.work_tree(), planned)
                && git.committed(&commit_paths(git.work_tree(), planned))?
            {
                return Ok(Probe::Done);
            }
            Ok(Probe::InTheWay(format!(
                "HEAD moved from {} to {} since the release was planned; run the command again to plan from where the branch is now",
                short(parent),
                head.as_deref().map_or("nothing", short)
            )))
        }
        Step::Tag { name, target, .. } => {
            let target = tag_target(target, state)?;
            Ok(match git.resolve(&format!("refs/tags/{name}"))? {
                None => Probe::ToDo,
                Some(existing) if existing == target => Probe::Done,
                Some(existing) => Probe::InTheWay(format!(
                    "the tag `{name}` already exists on commit {}, not on the release commit {}; delete the tag (`git tag -d {name}`) or pick another version",
                    short(&existing),
                    short(&target)
                )),
            })
        }
        Step::Push {
            remote,
            branch,
            tag,
        } => {
            let (decision, release_commit) = push::probe(git, remote, branch, tag)?;
            Ok(match decision {
                PushDecision::Done => Probe::Done,
                PushDecision::InTheWay(why) => Probe::InTheWay(why),
                PushDecision::Push(missing) => {
                    state.push = Some((missing, release_commit));
                    Probe::ToDo
                }
            })
        }
    }
}

/// The forge and repository of a publish step.
fn forge_of<'a>(effects: &Effects<'a>, repository: &str) -> Result<(&'a dyn Forge, RepoId)> {
    let forge = effects.forge.ok_or_else(|| {
        Error::Usage(String::from(
            "the plan publishes a GitHub release, and no GitHub client was set up for it",
        ))
    })?;
    let repo = RepoId::parse(repository)
        .ok_or_else(|| Error::Usage(format!("`{repository}` is not an `OWNER/REPO` repository")))?;
    Ok((forge, repo))
}

fn probe_release(
    effects: &Effects<'_>,
    spec: &crate::plan::publish::ReleaseSpec,
    state: &mut State,
) -> Result<Probe> {
    let (forge, repo) = forge_of(effects, &spec.repository)?;
    let found = publish::find(forge, &repo, &spec.tag)?;
    let complete = publish::is_complete(&found, spec);
    if complete && let Found::Published(release) | Found::Draft(release) = &found {
        state.executed.release = Some(published(release));
    }
    state.found_release = Some(found);
    Ok(if complete { Probe::Done } else { Probe::ToDo })
}

fn perform_release(
    effects: &Effects<'_>,
    spec: &crate::plan::publish::ReleaseSpec,
    state: &mut State,
) -> Result<()> {
    let (forge, repo) = forge_of(effects, &spec.repository)?;
    let found = state.found_release.take().unwrap_or(Found::Missing);
    let made = matches!(found, Found::Missing);
    let release = publish::publish(
        forge,
        &repo,
        spec,
        found,
        effects.git.work_tree(),
        &effects.retry,
    )?;
    state.executed.release = Some(published(&release));
    state.release_made_now = made;
    Ok(())
}

/// Whether this run did any of the steps before the current one: `None` when there were none
/// (a deploy by hand). Steps run in order, so when every earlier step was found done, an earlier
/// run got at least as far as this step, and may have sent an event; only the event's run can
/// tell (see `deploy::probe`).
fn worked_now(state: &State) -> Option<bool> {
    if state.executed.outcomes.is_empty() {
        return None;
    }
    Some(
        state
            .executed
            .outcomes
            .iter()
            .any(|outcome| outcome.status == StepStatus::Done),
    )
}

/// The deploy with `{{sha}}` filled in by the release commit, once that is made.
fn filled_in(
    spec: &crate::plan::deploy::DeploySpec,
    state: &State,
) -> Result<crate::plan::deploy::DeploySpec> {
    if !spec.pending_sha {
        return Ok(spec.clone());
    }
    let commit = state.executed.commit.as_deref().ok_or_else(|| {
        Error::Usage(String::from(
            "a deploy uses `{{sha}}`, the release commit, and no release commit was made or found",
        ))
    })?;
    Ok(spec.with_sha(commit))
}

fn deployed(
    spec: &crate::plan::deploy::DeploySpec,
    sent: Sent,
    status: StepStatus,
    note: Option<String>,
) -> Deployed {
    Deployed {
        target: spec.target.clone(),
        version: spec.version.clone(),
        dispatch: spec.dispatch.clone(),
        run: sent.run,
        status,
        note,
        sent_event: sent.event,
    }
}

fn published(release: &crate::forge::Release) -> PublishedRelease {
    PublishedRelease {
        id: release.id,
        url: release.html_url.clone(),
        draft: release.draft,
        assets: release
            .assets
            .iter()
            .map(|asset| asset.name.clone())
            .collect(),
    }
}

fn perform(
    effects: &Effects<'_>,
    planned: &[PlannedFile],
    step: &Step,
    state: &mut State,
) -> Result<()> {
    let git = effects.git;
    match step {
        Step::Publish(spec) => perform_release(effects, spec, state)?,
        Step::Deploy { spec, marks, .. } => {
            let (forge, repo) = forge_of(effects, &spec.repository)?;
            let spec = filled_in(spec, state)?;
            let (seen, note) = match state.deploy.take() {
                Some(Seen::ToDo { seen, note }) => (seen, note),
                _ => (Vec::new(), None),
            };
            let sent = deploy::perform(forge, &repo, &spec, &seen, marks, &effects.retry)?;
            state
                .executed
                .deploys
                .push(deployed(&spec, sent, StepStatus::Done, note));
        }
        Step::WriteFiles { .. } => {
            files::write_all(git.work_tree(), planned)?;
            state.written_uncommitted = true;
        }
        Step::Commit { message, .. } => {
            let before = git.head()?;
            let commit = match git.commit(&commit_paths(git.work_tree(), planned), message) {
                Ok(commit) => commit,
                // Killed after it moved HEAD (a signal, a hook killed late): the commit is
                // made, and putting the files back would undo it in the work tree.
                Err(error) => match git.head() {
                    Ok(head)
                        if head != before
                            && git.committed(&commit_paths(git.work_tree(), planned))? =>
                    {
                        state.written_uncommitted = false;
                        state.executed.commit = Some(head);
                        return Err(error);
                    }
                    _ => return Err(error),
                },
            };
            state.written_uncommitted = false;
            state.executed.commit = Some(commit);
        }
        Step::Tag {
            name,
            message,
            signed,
            target,
        } => {
            let target = tag_target(target, state)?;
            git.tag(name, message, *signed, &target)?;
        }
        Step::Push {
            remote,
            branch,
            tag,
        } => {
            let (missing, release_commit) = state
                .push
                .clone()
                .expect("the push step's probe recorded what is missing");
            if let Some(words) = push::push(git, remote, branch, tag, &release_commit, missing)? {
                // `execute` undoes the local release and replaces this error with one that
                // says what became of it.
                state.refused = Some(words.clone());
                return Err(Error::PushRefused {
                    message: words,
                    undone: Vec::new(),
                });
            }
        }
    }
    Ok(())
}

/// After the remote refused the push: undoes the local release relcut made (see
/// `push::undo_refused`) and says so in the error, with the remote's words.
fn undo_refused_release(
    git: &Git,
    steps: &[Step],
    state: &State,
    step: &Step,
    words: &str,
) -> (Error, Vec<&'static str>) {
    let Step::Push { remote, tag, .. } = step else {
        unreachable!("only the push step is refused");
    };
    let (missing, release_commit) = state.push.clone().unwrap_or_default();
    // A release commit is relcut's when the plan has a commit step and that step made or found
    // it; a release without files has only its tag to take back.
    let commit_step_parent = steps.iter().find_map(|step| match step {
        Step::Commit { parent, .. } => Some(parent.as_str()),
        _ => None,
    });
    let after = match commit_step_parent {
        Some(_) if state.executed.commit.as_deref() != Some(release_commit.as_str()) => {
            AfterRefusal::Kept(format!(
                "the tag {tag} is not on the release commit this run made or found"
            ))
        }
        made_commit_on => push::undo_refused(
            git,
            &push::Refused {
                tag,
                release_commit: &release_commit,
                made_commit_on,
                tag_was_pushed: missing.tag,
            },
        ),
    };
    let undone = match &after {
        AfterRefusal::Undone { parent: Some(_) } => vec!["commit", "tag"],
        AfterRefusal::Undone { parent: None } => vec!["tag"],
        _ => Vec::new(),
    };
    let message = refusal_message(remote, tag, words, &after);
    (
        Error::PushRefused {
            message,
            undone: undone.clone(),
        },
        undone,
    )
}

fn tag_target(target: &TagTarget, state: &State) -> Result<String> {
    match target {
        TagTarget::Commit(commit) => Ok(commit.clone()),
        TagTarget::ReleaseCommit => state.executed.commit.clone().ok_or_else(|| {
            Error::Usage(String::from(
                "the tag goes on the release commit, and no release commit was made or found",
            ))
        }),
    }
}

/// Whether every planned file holds its planned text now.
fn files_hold_planned_text(root: &Path, planned: &[PlannedFile]) -> bool {
    planned.iter().all(|file| {
        std::fs::read_to_string(root.join(&file.path)).is_ok_and(|text| text == file.after)
    })
}

/// The paths a commit of the planned files takes. A version file that is a symbolic link was
/// written through it (see `files`); the change is in the file it points at, which the commit
/// must take too.
fn commit_paths(root: &Path, planned: &[PlannedFile]) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = planned.iter().map(|file| file.path.clone()).collect();
    paths.extend(
        planned
            .iter()
            .filter_map(|file| files::link_destination(root, &file.path)),
    );
    paths
}

/// The tag of a commit this run made is made even after a signal: the commit and its tag are
/// both local and quick, and a release commit without its tag is a state to avoid.
fn finishes_local_release(step: &Step, state: &State) -> bool {
    matches!(step, Step::Tag { .. }) && state.executed.commit.is_some()
}

fn interrupted_before(step: &Step) -> Error {
    Error::InterruptedApplying(format!(
        "interrupted before the {} step; run the same command again to finish the release",
        step.name()
    ))
}

fn with_files_put_back(git: &Git, planned: &[PlannedFile], error: Error) -> Error {
    match undo_written(git, planned) {
        Ok(()) => error,
        Err(undo) => Error::Usage(format!(
            "{error}; and putting the files back failed: {undo}"
        )),
    }
}

/// Puts the files of a commit that was not made back as they were, out of the index too.
fn undo_written(git: &Git, planned: &[PlannedFile]) -> Result<()> {
    git.unstage(&commit_paths(git.work_tree(), planned))?;
    files::put_back(git.work_tree(), planned)
}

fn short(id: &str) -> &str {
    &id[..id.len().min(7)]
}

/// In debug builds (the tests), `RELCUT_TEST_FAIL_AFTER=<step>` fails the run right after that
/// step, so that a test can prove a re-run finishes the job from there. Release builds carry
/// no such switch.
#[cfg(debug_assertions)]
fn injected_fault(step: &Step) -> Result<()> {
    match std::env::var("RELCUT_TEST_FAIL_AFTER") {
        Ok(name) if name == step.name() => Err(Error::Usage(format!(
            "a fault was injected after the {name} step (RELCUT_TEST_FAIL_AFTER)"
        ))),
        _ => Ok(()),
    }
}

#[cfg(not(debug_assertions))]
fn injected_fault(_step: &Step) -> Result<()> {
    Ok(())
}
