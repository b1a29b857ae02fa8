//! What a remote holds, as `git ls-remote` prints it, and the decisions made from that: whether
//! a release's push is done, still to do (and which of its refs), or blocked; and the sentence
//! for a push the remote refused. Pure: `apply::push` runs git and passes in what it saw.

use std::collections::BTreeMap;

use crate::plan::push::{branch_ref, tag_ref};

/// A tag on the remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTag {
    /// The object the tag ref points at: the tag object of an annotated tag, else a commit.
    pub object: String,
    /// What it peels to (`^{}`): the commit of an annotated tag; the object itself otherwise.
    pub commit: String,
}

/// The refs of a remote that a release looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteRefs {
    /// The release branch's commit there; `None` when the remote has no such branch yet.
    pub branch: Option<String>,
    /// The tags, by name without `refs/tags/`.
    pub tags: BTreeMap<String, RemoteTag>,
}

/// Reads `git ls-remote` output (`<id>\t<ref>` lines, `<ref>^{}` for a peeled tag) for the
/// branch `branch` and the tags; other refs are ignored (a pattern of `ls-remote` matches the
/// tail of a name, so `refs/heads/main` also matches `refs/heads/x/refs/heads/main`).
pub fn parse_ls_remote(text: &str, branch: &str) -> RemoteRefs {
    let branch_ref = branch_ref(branch);
    let mut refs = RemoteRefs::default();
    let mut peeled: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines() {
        let Some((id, name)) = line.split_once('\t') else {
            continue;
        };
        let (id, name) = (id.trim(), name.trim());
        if name == branch_ref {
            refs.branch = Some(id.to_string());
        } else if let Some(tag) = name.strip_prefix("refs/tags/") {
            match tag.strip_suffix("^{}") {
                Some(tag) => {
                    peeled.insert(tag.to_string(), id.to_string());
                }
                None => {
                    refs.tags.insert(
                        tag.to_string(),
                        RemoteTag {
                            object: id.to_string(),
                            commit: id.to_string(),
                        },
                    );
                }
            }
        }
    }
    for (name, commit) in peeled {
        if let Some(tag) = refs.tags.get_mut(&name) {
            tag.commit = commit;
        }
    }
    refs
}

/// What the push step's probe saw, on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushObservation<'a> {
    /// The remote's name, for messages.
    pub remote: &'a str,
    /// The tag's name.
    pub tag: &'a str,
    /// The commit the local tag is on: what the branch must contain.
    pub release_commit: &'a str,
    /// The local tag's object.
    pub local_tag: &'a str,
    /// The tag of that name on the remote.
    pub remote_tag: Option<&'a RemoteTag>,
    /// Whether the remote's branch contains the release commit (it may have moved on since an
    /// earlier run pushed it).
    pub branch_has_release: bool,
}

/// Which refs a push still has to bring to the remote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Missing {
    /// The release commit, to the branch.
    pub branch: bool,
    /// The tag.
    pub tag: bool,
}

/// The push step's probe, decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushDecision {
    /// The remote has the tag on the release commit and its branch contains the commit.
    Done,
    /// These refs are still to push.
    Push(Missing),
    /// The remote's tag of that name is on another commit.
    InTheWay(String),
}

/// Whether the push is done, what it still has to push, or what is in the way. The remote's tag
/// is the release's when it is the very tag object made here, or when it peels to the release
/// commit (an earlier run pushed it, and the local tag was made again since).
pub fn decide_push(observed: &PushObservation<'_>) -> PushDecision {
    let tag_there = match observed.remote_tag {
        None => false,
        Some(remote) if remote.object == observed.local_tag => true,
        Some(remote) if remote.commit == observed.release_commit => true,
        Some(remote) => {
            return PushDecision::InTheWay(format!(
                "the tag `{tag}` on `{remote_name}` points at {}, not at the release commit {}: another release took the name since the checks; look at it (`git fetch {remote_name} tag {tag}`), then delete the remote tag if it is a mistake (`git push {remote_name} :refs/tags/{tag}`) or drop the local release and release again",
                short(&remote.commit),
                short(observed.release_commit),
                tag = observed.tag,
                remote_name = observed.remote,
            ));
        }
    };
    if tag_there && observed.branch_has_release {
        return PushDecision::Done;
    }
    PushDecision::Push(Missing {
        branch: !observed.branch_has_release,
        tag: !tag_there,
    })
}

/// The refspecs of a push of what is missing: the commit to the branch by id (HEAD may have
/// moved, the tag's commit has not), the tag as its own ref.
pub fn refspecs(release_commit: &str, branch: &str, tag: &str, missing: Missing) -> Vec<String> {
    let mut specs = Vec::with_capacity(2);
    if missing.branch {
        specs.push(format!("{release_commit}:{}", branch_ref(branch)));
    }
    if missing.tag {
        let tag = tag_ref(tag);
        specs.push(format!("{tag}:{tag}"));
    }
    specs
}

/// What became of the local release after the remote refused its push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterRefusal {
    /// The tag was deleted and, when relcut made one, the release commit dropped (HEAD back on
    /// `parent`, the work tree as before the release).
    Undone {
        /// The commit HEAD is back on, when a release commit was dropped.
        parent: Option<String>,
    },
    /// The local release was left as it is, for this reason.
    Kept(String),
    /// Undoing failed, with git's words.
    UndoFailed(String),
}

/// The error's sentence for a push the remote refused: the remote's words, what became of the
/// local release, and the fix. A refusal for a workflow file gets its own fix: the credentials
/// lack the permission, and `git pull --rebase` would not help.
pub fn refusal_message(remote: &str, tag: &str, words: &str, after: &AfterRefusal) -> String {
    let words = words.trim();
    let workflow = words.contains("refusing to allow") && words.contains("workflow");
    let mut message = if workflow {
        format!(
            "`{remote}` refused the push of {tag}: the credentials may not create or update files under `.github/workflows/`, which the release's commits touch ({words}); nothing was pushed. Give the token the `workflows` permission (a personal access token (classic) needs the `workflow` scope), or push with credentials that have it"
        )
    } else {
        format!(
            "`{remote}` refused the push of {tag} ({words}); nothing was pushed (the push is atomic)"
        )
    };
    let again = if workflow {
        "then run `relcut release` again"
    } else {
        "run `git pull --rebase`, then `relcut release` again"
    };
    match after {
        AfterRefusal::Undone { parent: Some(parent) } => message.push_str(&format!(
            ". The local release was undone: the tag {tag} is deleted and the release commit dropped (HEAD is back on {}, the work tree as before the release, other local changes kept); {again}",
            short(parent)
        )),
        AfterRefusal::Undone { parent: None } => message.push_str(&format!(
            ". The local release was undone: the tag {tag} is deleted; {again}"
        )),
        AfterRefusal::Kept(why) => message.push_str(&format!(
            ". The local release was kept because {why}; {again} once the remote accepts it"
        )),
        AfterRefusal::UndoFailed(error) => message.push_str(&format!(
            ". Undoing the local release failed ({error}); delete the tag (`git tag -d {tag}`) and drop the release commit (`git reset --keep HEAD^`) yourself, then {}",
            again.trim_start_matches("then ")
        )),
    }
    message
}

fn short(id: &str) -> &str {
    &id[..id.len().min(7)]
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const T: &str = "tttttttttttttttttttttttttttttttttttttttt";
    const U: &str = "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu";

    #[test]
    fn ls_remote_output_gives_the_branch_and_peeled_tags() {
        let text = format!(
            "{A}\trefs/heads/main\n{B}\trefs/heads/x/refs/heads/main\n{T}\trefs/tags/v1.3.0\n{A}\trefs/tags/v1.3.0^{{}}\n{B}\trefs/tags/light\n{A}\tHEAD\n"
        );
        let refs = parse_ls_remote(&text, "main");
        assert_eq!(refs.branch.as_deref(), Some(A));
        assert_eq!(
            refs.tags["v1.3.0"],
            RemoteTag {
                object: T.to_string(),
                commit: A.to_string()
            }
        );
        assert_eq!(refs.tags["light"].commit, B);
        assert_eq!(refs.tags.len(), 2);
        assert_eq!(parse_ls_remote("", "main"), RemoteRefs::default());
    }

    #[test]
    fn the_push_probe_pushes_only_what_the_remote_lacks() {
        let ours = RemoteTag {
            object: T.to_string(),
            commit: A.to_string(),
        };
        // The tag made again since an earlier run pushed it: another object, the same commit.
        let remade = RemoteTag {
            object: U.to_string(),
            commit: A.to_string(),
        };
        let elsewhere = RemoteTag {
            object: U.to_string(),
            commit: B.to_string(),
        };
        let push = |branch, tag| PushDecision::Push(Missing { branch, tag });
        // (remote tag, branch has the release commit) → decision
        let rows: [(Option<&RemoteTag>, bool, Option<PushDecision>); 8] = [
            (None, false, Some(push(true, true))),
            // The branch has it (pushed by hand, or the push of the tag failed): the tag alone.
            (None, true, Some(push(false, true))),
            (Some(&ours), false, Some(push(true, false))),
            (Some(&ours), true, Some(PushDecision::Done)),
            (Some(&remade), true, Some(PushDecision::Done)),
            (Some(&remade), false, Some(push(true, false))),
            (Some(&elsewhere), true, None),
            (Some(&elsewhere), false, None),
        ];
        for (index, (remote_tag, branch_has_release, expected)) in rows.into_iter().enumerate() {
            let decision = decide_push(&PushObservation {
                remote: "origin",
                tag: "v1.3.0",
                release_commit: A,
                local_tag: T,
                remote_tag,
                branch_has_release,
            });
            match expected {
                Some(expected) => assert_eq!(decision, expected, "row {index}"),
                None => match decision {
                    PushDecision::InTheWay(why) => {
                        assert!(why.contains("points at bbbbbbb"), "row {index}: {why}");
                        assert!(why.contains("release commit aaaaaaa"), "row {index}: {why}");
                    }
                    other => panic!("row {index}: {other:?}"),
                },
            }
        }
    }

    #[test]
    fn refspecs_name_the_commit_and_the_tag_ref() {
        let both = Missing {
            branch: true,
            tag: true,
        };
        assert_eq!(
            refspecs(A, "trunk", "v1.3.0", both),
            vec![
                format!("{A}:refs/heads/trunk"),
                String::from("refs/tags/v1.3.0:refs/tags/v1.3.0")
            ]
        );
        let tag_only = Missing {
            branch: false,
            tag: true,
        };
        assert_eq!(
            refspecs(A, "main", "v1.3.0", tag_only),
            vec![String::from("refs/tags/v1.3.0:refs/tags/v1.3.0")]
        );
    }

    #[test]
    fn a_refusal_says_what_was_undone_and_the_fix() {
        let moved = "refs/heads/main: [rejected] (fetch first)";
        let workflow = "refs/heads/main: [remote rejected] (refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission)";
        // (remote's words, what became of the local release) → phrases the message has
        let rows: [(&str, AfterRefusal, &[&str]); 5] = [
            (
                moved,
                AfterRefusal::Undone {
                    parent: Some(B.to_string()),
                },
                &[
                    "`origin` refused the push of v1.3.0 (refs/heads/main: [rejected] (fetch first))",
                    "nothing was pushed",
                    "the local release was undone",
                    "HEAD is back on bbbbbbb",
                    "run `git pull --rebase`, then `relcut release` again",
                ],
            ),
            (
                moved,
                AfterRefusal::Undone { parent: None },
                &["the tag v1.3.0 is deleted; run `git pull --rebase`"],
            ),
            (
                moved,
                AfterRefusal::Kept(String::from("HEAD moved")),
                &["kept because HEAD moved"],
            ),
            (
                moved,
                AfterRefusal::UndoFailed(String::from("boom")),
                &[
                    "Undoing the local release failed (boom)",
                    "git tag -d v1.3.0",
                    "run `git pull --rebase`",
                ],
            ),
            (
                workflow,
                AfterRefusal::Undone {
                    parent: Some(B.to_string()),
                },
                &[
                    "`.github/workflows/`",
                    "the `workflows` permission",
                    "the `workflow` scope",
                    "then run `relcut release` again",
                ],
            ),
        ];
        for (index, (words, after, phrases)) in rows.iter().enumerate() {
            let message = refusal_message("origin", "v1.3.0", words, after);
            for phrase in *phrases {
                assert!(
                    message.to_lowercase().contains(&phrase.to_lowercase()),
                    "row {index}: {phrase:?} not in {message}"
                );
            }
            if index == 4 {
                assert!(!message.contains("git pull --rebase"), "{message}");
            }
        }
    }
}
