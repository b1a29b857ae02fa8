//! The push step's effects: reading the remote (`git ls-remote`, read-only), fetching objects
//! to test ancestry, the atomic push, and undoing a local release whose push was refused. What
//! to push and what a refusal means are decided in `remote`; this runs git.

use crate::apply::git::{Git, PushResult};
use crate::error::{Error, Result};
use crate::plan::push::{PushTarget, branch_ref, tag_ref};
use crate::remote::{
    AfterRefusal, Missing, PushDecision, PushObservation, RemoteRefs, decide_push, parse_ls_remote,
    refspecs,
};

/// The remote's release branch and every tag, with one `git ls-remote`: nothing is written
/// here, so a dry run reads exactly what a real run reads.
pub fn read_remote(git: &Git, target: &PushTarget) -> Result<RemoteRefs> {
    let branch = branch_ref(&target.branch);
    let text = git.ls_remote(&target.remote, &[&branch, "refs/tags/*"])?;
    Ok(parse_ls_remote(&text, &target.branch))
}

/// Whether `remote_commit` (the tip of the remote's branch) contains `local`: is it, or descends
/// from it. A tip this repository lacks is fetched first, objects only (no ref changes), since
/// the branch may have moved on; a tip still missing after that counts as not containing it.
pub fn remote_commit_contains(
    git: &Git,
    remote: &str,
    branch: &str,
    remote_commit: &str,
    local: &str,
) -> Result<bool> {
    if remote_commit == local {
        return Ok(true);
    }
    if !git.has_commit(remote_commit)? {
        git.fetch_objects(remote, &branch_ref(branch))?;
        if !git.has_commit(remote_commit)? {
            return Ok(false);
        }
    }
    git.is_ancestor(local, remote_commit)
}

/// The push step's probe: the remote's branch and tag, against the local tag and its commit.
pub fn probe(git: &Git, remote: &str, branch: &str, tag: &str) -> Result<(PushDecision, String)> {
    let (release_commit, local_tag) = local_release(git, tag)?;
    let tag_ref = tag_ref(tag);
    let peeled = format!("{tag_ref}^{{}}");
    let text = git.ls_remote(remote, &[&branch_ref(branch), &tag_ref, &peeled])?;
    let refs = parse_ls_remote(&text, branch);
    let branch_has_release = match &refs.branch {
        Some(commit) => remote_commit_contains(git, remote, branch, commit, &release_commit)?,
        None => false,
    };
    let decision = decide_push(&PushObservation {
        remote,
        tag,
        release_commit: &release_commit,
        local_tag: &local_tag,
        remote_tag: refs.tags.get(tag),
        branch_has_release,
    });
    Ok((decision, release_commit))
}

/// The commit the local tag is on, and the tag's object.
fn local_release(git: &Git, tag: &str) -> Result<(String, String)> {
    let tag_ref = tag_ref(tag);
    match (git.resolve(&tag_ref)?, git.object(&tag_ref)?) {
        (Some(commit), Some(object)) => Ok((commit, object)),
        _ => Err(Error::Usage(format!(
            "the tag `{tag}` is gone, so there is nothing to push; run `relcut release` again to make it"
        ))),
    }
}

/// Pushes what is missing, atomically. `Ok(None)` when the remote took it; `Ok(Some(words))`
/// when it refused, with its words, redacted.
pub fn push(
    git: &Git,
    remote: &str,
    branch: &str,
    tag: &str,
    release_commit: &str,
    missing: Missing,
) -> Result<Option<String>> {
    let specs = refspecs(release_commit, branch, tag, missing);
    Ok(match git.push(remote, &specs)? {
        PushResult::Pushed => None,
        PushResult::Refused(words) => Some(words),
    })
}

/// The local release whose push was refused, as the executor saw it.
pub struct Refused<'a> {
    /// The tag.
    pub tag: &'a str,
    /// The commit the tag was to go on.
    pub release_commit: &'a str,
    /// The parent of a release commit relcut made (in this run or an earlier one); `None` for a
    /// release without files, tagged where it was planned.
    pub made_commit_on: Option<&'a str>,
    /// Whether the refused push carried the tag; when the remote has it already, deleting it
    /// here would only make the two disagree.
    pub tag_was_pushed: bool,
}

/// Removes the local tag and the release commit relcut made, so that the work tree is as before
/// the release and the next run releases again from where the remote is. Only a release still
/// as relcut left it is undone: HEAD on the release commit, the tag on it.
pub fn undo_refused(git: &Git, refused: &Refused<'_>) -> AfterRefusal {
    let check = || -> Result<Option<String>> {
        if !refused.tag_was_pushed {
            return Ok(Some(format!(
                "the tag {} is on the remote already",
                refused.tag
            )));
        }
        if git.resolve(&tag_ref(refused.tag))?.as_deref() != Some(refused.release_commit) {
            return Ok(Some(format!(
                "the tag {} no longer points at the release commit",
                refused.tag
            )));
        }
        if refused.made_commit_on.is_some()
            && git.resolve("HEAD")?.as_deref() != Some(refused.release_commit)
        {
            return Ok(Some(String::from("HEAD is no longer the release commit")));
        }
        Ok(None)
    };
    match check() {
        Ok(Some(why)) => return AfterRefusal::Kept(why),
        Ok(None) => {}
        Err(error) => return AfterRefusal::UndoFailed(error.to_string()),
    }
    // The commit first: should that fail, the tag still marks a release the next run finishes.
    if let Some(parent) = refused.made_commit_on
        && let Err(error) = git.reset_keep(parent)
    {
        return AfterRefusal::UndoFailed(error.to_string());
    }
    match git.delete_tag(refused.tag) {
        Ok(()) => AfterRefusal::Undone {
            parent: refused.made_commit_on.map(String::from),
        },
        Err(error) => AfterRefusal::UndoFailed(error.to_string()),
    }
}
