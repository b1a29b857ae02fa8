//! `relcut release`'s view of the remote it pushes to: where the release goes, what the remote
//! holds (read before the history, so that its release tags count when the version is decided),
//! and the problems found there. Nothing here writes a ref: a dry run reads what a real run reads.

use crate::apply;
use crate::apply::git::Git;
use crate::check::{RemoteCheck, remote_problems, remote_unreadable_problem};
use crate::config::Settings;
use crate::error::{Problem, Result};
use crate::plan::push::{PushTarget, Upstream, push_target};
use crate::plan::{Plan, PushInputs};
use crate::remote::RemoteRefs;
use crate::repo::{Repo, VersionTag};

/// The remote as the release sees it.
pub(super) struct RemoteView {
    /// Where the release is pushed; `None` keeps it local (`--no-push`, or no remote at all).
    pub target: Option<PushTarget>,
    /// What the remote holds; `None` without a target or when it could not be read.
    refs: Option<RemoteRefs>,
    /// Problems found reading it.
    pub problems: Vec<Problem>,
}

/// Decides where the release goes and reads that remote with one `git ls-remote`, before the
/// history is read: a release tag the remote has and this repository lacks is counted in memory
/// (see [`Repo::include_remote_tags`]), since a version decided from part of the releases is
/// the worst outcome. A `release.remote` that names no remote is a configuration error, with or
/// without `--no-push`.
pub(super) fn read_remote(
    repo: &mut Repo,
    settings: &Settings,
    no_push: bool,
) -> Result<RemoteView> {
    if let Some(configured) = &settings.remote {
        let names = repo.remote_names()?;
        if !names.contains(&configured.name) {
            return Err(configured.missing_error(&names));
        }
    }
    let branch = repo.branch()?;
    let upstream = repo.upstream();
    let target = (!no_push)
        .then(|| {
            push_target(
                branch.as_deref(),
                upstream
                    .as_ref()
                    .map(|(remote, merge)| Upstream { remote, merge }),
                settings.remote.as_ref().map(|remote| remote.name.as_str()),
            )
        })
        .flatten();
    let mut view = RemoteView {
        target,
        refs: None,
        problems: Vec::new(),
    };
    if let Some(target) = &view.target {
        match apply::push::read_remote(&git(repo), target) {
            Ok(refs) => {
                repo.include_remote_tags(&refs.tags);
                view.refs = Some(refs);
            }
            Err(error) => view.problems.push(remote_unreadable_problem(
                &target.remote,
                &error.to_string(),
            )),
        }
    }
    Ok(view)
}

impl RemoteView {
    /// Whether the remote has the last release, asked only when it is at HEAD (the one case
    /// the plan asks about: a release tagged at HEAD whose push did not complete).
    pub(super) fn last_release_pushed(
        &mut self,
        repo: &Repo,
        last: Option<&VersionTag>,
        head: git2::Oid,
    ) -> bool {
        match last {
            Some(last) if last.commit == head => {
                self.release_on_remote(repo, &last.commit.to_string(), &last.name)
            }
            _ => true,
        }
    }

    /// What planning needs to know of the push.
    pub(super) fn push_inputs(
        &self,
        last_release_pushed: bool,
        publishes: bool,
    ) -> Option<PushInputs<'_>> {
        self.target.as_ref().map(|target| PushInputs {
            target,
            last_release_pushed,
            publishes,
        })
    }

    /// The remote's problems for `plan`: HEAD behind the remote's branch, the tag there on
    /// another commit. A release being finished that the remote has whole is not behind, however
    /// far the branch moved on since: there is nothing left to push.
    pub(super) fn problems(
        &mut self,
        repo: &Repo,
        head: git2::Oid,
        plan: &Plan,
    ) -> Result<Vec<Problem>> {
        let (Some(target), Some(refs)) = (&self.target, &self.refs) else {
            return Ok(Vec::new());
        };
        let head_id = head.to_string();
        let target = target.clone();
        let remote_commit = refs.branch.clone();
        let remote_tag_commit = refs.tags.get(&plan.tag).map(|tag| tag.commit.clone());
        let mut head_contains_remote = match &remote_commit {
            Some(commit) => repo.contains(head, commit)?.unwrap_or(false),
            None => true,
        };
        if !head_contains_remote && plan.resumes.as_deref() == Some(head_id.as_str()) {
            head_contains_remote = self.release_on_remote(repo, &head_id, &plan.tag);
        }
        let mut problems = std::mem::take(&mut self.problems);
        problems.extend(remote_problems(&RemoteCheck {
            remote: &target.remote,
            branch: &target.branch,
            head: &head_id,
            remote_commit: remote_commit.as_deref(),
            head_contains_remote,
            tag: &plan.tag,
            remote_tag_commit: remote_tag_commit.as_deref(),
            resumes: plan.resumes.as_deref(),
        }));
        Ok(problems)
    }

    /// The remote's problems for `relcut publish`, which pushes a tag and no new commit: the
    /// tag there on another commit than `release_commit`.
    pub(super) fn tag_problems(&mut self, release_commit: &str, tag: &str) -> Vec<Problem> {
        let mut problems = std::mem::take(&mut self.problems);
        if let (Some(target), Some(refs)) = (&self.target, &self.refs) {
            problems.extend(remote_problems(&RemoteCheck {
                remote: &target.remote,
                branch: &target.branch,
                head: release_commit,
                remote_commit: refs.branch.as_deref(),
                head_contains_remote: true,
                tag,
                remote_tag_commit: refs.tags.get(tag).map(|found| found.commit.as_str()),
                resumes: Some(release_commit),
            }));
        }
        problems
    }

    /// Whether the remote has the release of `tag` on `commit`: its tag there peels to the
    /// commit, and its branch contains the commit (fetching the branch's objects when its tip is
    /// not here). A fetch that fails is a problem, and the release counts as not there.
    fn release_on_remote(&mut self, repo: &Repo, commit: &str, tag: &str) -> bool {
        let (Some(target), Some(refs)) = (&self.target, &self.refs) else {
            return false;
        };
        if refs
            .tags
            .get(tag)
            .is_none_or(|remote| remote.commit != commit)
        {
            return false;
        }
        let Some(remote_commit) = &refs.branch else {
            return false;
        };
        match apply::push::remote_commit_contains(
            &git(repo),
            &target.remote,
            &target.branch,
            remote_commit,
            commit,
        ) {
            Ok(contains) => contains,
            Err(error) => {
                let problem = remote_unreadable_problem(&target.remote, &error.to_string());
                self.problems.push(problem);
                false
            }
        }
    }
}

fn git(repo: &Repo) -> Git {
    Git::new(repo.git_dir(), repo.root())
}
