//! Where a release is pushed: the remote and the branch on it, decided from the current
//! branch's upstream and `release.remote`, and the refs a push names. Pure: the branch, its
//! upstream and the setting are read beforehand and passed in.

/// Where the release commit and its tag go: one remote, one branch on it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PushTarget {
    /// The remote's name, e.g. `origin`.
    pub remote: String,
    /// The branch's name on the remote (the upstream's name, which may differ from the local one).
    pub branch: String,
}

/// The current branch's upstream, as `branch.<name>.remote` and `branch.<name>.merge` say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upstream<'a> {
    /// The remote's name; `.` for an upstream in the same repository.
    pub remote: &'a str,
    /// The upstream's ref on that remote, e.g. `refs/heads/main`.
    pub merge: &'a str,
}

/// Where a release is pushed, or `None` when it stays local.
///
/// `release.remote` is the project's explicit word and wins; it pushes to the branch of the
/// same name, unless the branch tracks a branch of that very remote, whose name is then taken
/// (a local `release` tracking `origin/main` pushes to `main`). Without the setting the
/// upstream decides. An upstream in the same repository (`.`) is no remote: there is nothing to
/// push to. A detached HEAD has no branch to push (the checks refuse it anyway), except in GitHub
/// Actions, where the run names the branch (see `crate::ci::actions_branch`).
pub fn push_target(
    branch: Option<&str>,
    upstream: Option<Upstream<'_>>,
    configured_remote: Option<&str>,
) -> Option<PushTarget> {
    let branch = branch?;
    let upstream = upstream
        .filter(|upstream| upstream.remote != ".")
        .and_then(|upstream| {
            let name = upstream.merge.strip_prefix("refs/heads/")?;
            Some((upstream.remote, name))
        });
    match (configured_remote, upstream) {
        (Some(remote), Some((tracked, name))) if tracked == remote => Some(PushTarget {
            remote: remote.to_string(),
            branch: name.to_string(),
        }),
        (Some(remote), _) => Some(PushTarget {
            remote: remote.to_string(),
            branch: branch.to_string(),
        }),
        (None, Some((remote, name))) => Some(PushTarget {
            remote: remote.to_string(),
            branch: name.to_string(),
        }),
        (None, None) => None,
    }
}

/// The ref the release commit goes to on the remote.
pub fn branch_ref(branch: &str) -> String {
    format!("refs/heads/{branch}")
}

/// The tag's ref, on both sides: an annotated tag is pushed as its own ref, so the remote gets
/// the tag object, its message and signature, not only the commit.
pub fn tag_ref(tag: &str) -> String {
    format!("refs/tags/{tag}")
}

/// The push step's JSON: `{"step": "push", "remote", "branch", "tag", "refspecs"}`, where
/// `refspecs` are the refs the push names, `HEAD` standing for the commit the tag is on (the
/// release commit, which a dry run has not made yet).
pub fn serialize_step<S: serde::Serializer>(
    remote: &String,
    branch: &String,
    tag: &String,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut step = serializer.serialize_struct("Push", 4)?;
    step.serialize_field("remote", remote)?;
    step.serialize_field("branch", branch)?;
    step.serialize_field("tag", tag)?;
    step.serialize_field(
        "refspecs",
        &[format!("HEAD:{}", branch_ref(branch)), tag_ref(tag)],
    )?;
    step.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The branch, its upstream, `release.remote`, and where the release goes.
    type Row<'a> = (
        Option<&'a str>,
        Option<Upstream<'a>>,
        Option<&'a str>,
        Option<(&'a str, &'a str)>,
    );

    #[test]
    fn the_upstream_or_the_configured_remote_decides_where_a_release_goes() {
        let origin_main = Upstream {
            remote: "origin",
            merge: "refs/heads/main",
        };
        let origin_trunk = Upstream {
            remote: "origin",
            merge: "refs/heads/trunk",
        };
        let local = Upstream {
            remote: ".",
            merge: "refs/heads/main",
        };
        // (branch, upstream, release.remote) → (remote, branch)
        let rows: [Row; 9] = [
            // No upstream, no setting: local only, as before pushing existed.
            (Some("main"), None, None, None),
            (
                Some("main"),
                Some(origin_main),
                None,
                Some(("origin", "main")),
            ),
            // The upstream's name on the remote, not the local one.
            (
                Some("main"),
                Some(origin_trunk),
                None,
                Some(("origin", "trunk")),
            ),
            // The setting names a remote: the branch of the same name on it.
            (
                Some("main"),
                None,
                Some("upstream"),
                Some(("upstream", "main")),
            ),
            (
                Some("main"),
                Some(origin_trunk),
                Some("upstream"),
                Some(("upstream", "main")),
            ),
            // The setting names the upstream's remote: the upstream's branch.
            (
                Some("main"),
                Some(origin_trunk),
                Some("origin"),
                Some(("origin", "trunk")),
            ),
            // An upstream in the same repository is no remote.
            (Some("main"), Some(local), None, None),
            (
                Some("main"),
                Some(local),
                Some("origin"),
                Some(("origin", "main")),
            ),
            // Detached: nothing to push.
            (None, Some(origin_main), Some("origin"), None),
        ];
        for (index, (branch, upstream, configured, expected)) in rows.into_iter().enumerate() {
            let target = push_target(branch, upstream, configured);
            assert_eq!(
                target
                    .as_ref()
                    .map(|target| (target.remote.as_str(), target.branch.as_str())),
                expected,
                "row {index}"
            );
        }
    }

    #[test]
    fn the_push_step_shows_the_refs_it_pushes() {
        let step = crate::plan::Step::Push {
            remote: String::from("origin"),
            branch: String::from("trunk"),
            tag: String::from("v1.3.0"),
        };
        assert_eq!(
            serde_json::to_value(&step).unwrap(),
            serde_json::json!({
                "step": "push",
                "remote": "origin",
                "branch": "trunk",
                "tag": "v1.3.0",
                "refspecs": ["HEAD:refs/heads/trunk", "refs/tags/v1.3.0"],
            })
        );
    }

    #[test]
    fn a_pushed_release_ends_with_the_push_and_a_tagged_head_is_finished_when_not_on_the_remote() {
        use crate::plan::changelog::TemplateExtras;
        use crate::plan::error::PlanError;
        use crate::plan::history::{Person, RawCommit, VersionTag};
        use crate::plan::version::BumpRequest;
        use crate::plan::version_files::ParsedFiles;
        use crate::plan::{PushInputs, ReleaseInputs, plan_release};

        const HEAD: &str = "1111111111111111111111111111111111111111";
        const BELOW: &str = "2222222222222222222222222222222222222222";
        let dir = tempfile::tempdir().unwrap();
        let mut settings = crate::config::Settings::load(dir.path()).unwrap();
        settings.policy.changelog_file = None;
        let target = PushTarget {
            remote: String::from("origin"),
            branch: String::from("main"),
        };
        let tag_at = |commit: &str| VersionTag {
            name: String::from("v1.0.0"),
            version: semver::Version::new(1, 0, 0),
            commit: git2::Oid::from_str(commit).unwrap(),
        };
        let feature = RawCommit {
            id: String::from(HEAD),
            message: String::from("feat: more"),
            author: Person::default(),
            committer: Person::default(),
            parent_count: 1,
            statistics: None,
            parents: Vec::new(),
        };
        let extras = TemplateExtras {
            repository_url: None,
            tag_prefix: String::from("v"),
            remote: None,
            submodules: None,
            reading: Default::default(),
        };
        let parsed = ParsedFiles::parse(&[]).unwrap();
        // (last release's commit, commits since, push, the last release pushed, bump) → steps,
        // or `None` for "nothing to release"
        #[allow(clippy::type_complexity)]
        let rows: [(&str, bool, bool, bool, BumpRequest, Option<&[&str]>); 6] = [
            // A new release: the push comes last, and only when there is a remote.
            (
                BELOW,
                true,
                true,
                true,
                BumpRequest::Auto,
                Some(&["tag", "push"]),
            ),
            (BELOW, true, false, true, BumpRequest::Auto, Some(&["tag"])),
            // Tagged at HEAD by an earlier run that did not push: finished.
            (
                HEAD,
                false,
                true,
                false,
                BumpRequest::Auto,
                Some(&["tag", "push"]),
            ),
            // Pushed whole, or no remote: nothing to release, as before.
            (HEAD, false, true, true, BumpRequest::Auto, None),
            (HEAD, false, false, false, BumpRequest::Auto, None),
            // Another version asked for: not the earlier release's finish.
            (
                HEAD,
                false,
                true,
                false,
                BumpRequest::Major,
                Some(&["tag", "push"]),
            ),
        ];
        for (index, (last_commit, with_commits, with_push, pushed, request, expected)) in
            rows.into_iter().enumerate()
        {
            let last = tag_at(last_commit);
            let commits = if with_commits {
                vec![feature.clone()]
            } else {
                Vec::new()
            };
            let planned = plan_release(&ReleaseInputs {
                settings: &settings.policy,
                request: &request,
                pre: None,
                last_release: Some(&last),
                last_stable: None,
                taken: &[],
                last_release_time: None,
                commits: &commits,
                changelog_commits: &commits,
                version_files: &parsed,
                changelog_existing: None,
                extras: &extras,
                timestamp: 0,
                sign: false,
                head: HEAD,
                observed: None,
                push: with_push.then_some(PushInputs {
                    target: &target,
                    last_release_pushed: pushed,
                    publishes: false,
                }),
            });
            match (planned, expected) {
                (Ok(plan), Some(expected)) => {
                    let names: Vec<&str> = plan.steps.iter().map(|step| step.name()).collect();
                    assert_eq!(names, expected, "row {index}");
                    if let Some(crate::plan::Step::Push {
                        remote,
                        branch,
                        tag,
                    }) = plan.steps.last()
                    {
                        assert_eq!((remote.as_str(), branch.as_str()), ("origin", "main"));
                        assert_eq!(*tag, plan.tag, "row {index}");
                    }
                    let finishing = last_commit == HEAD && !pushed && request == BumpRequest::Auto;
                    assert_eq!(plan.resumes.is_some(), finishing, "row {index}");
                    if finishing {
                        assert_eq!(plan.tag, "v1.0.0", "row {index}");
                    }
                }
                (Err(PlanError::NothingToRelease(_)), None) => {}
                (other, expected) => panic!("row {index}: {other:?}, expected {expected:?}"),
            }
        }
    }
}
