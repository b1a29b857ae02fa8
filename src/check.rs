//! Preflight: every precondition of a release, checked together before the first side effect.
//!
//! Reads only what it is given; reports problems as sentences with their fix, all at once.

use std::path::Path;

use crate::config::Settings;
use crate::error::Problem;
use crate::plan::commits::{CommitAnalysis, CommitKind};
use crate::repo::MissingObject;

/// The state of the world the checks look at.
pub struct Preflight<'a> {
    /// The project's settings.
    pub settings: &'a Settings,
    /// The checked-out branch; `None` when HEAD is detached.
    pub branch: Option<&'a str>,
    /// Whether the repository has any commit.
    pub has_commits: bool,
    /// Tracked files with uncommitted changes.
    pub dirty_paths: &'a [String],
    /// `--allow-dirty`.
    pub allow_dirty: bool,
}

/// Problems that do not depend on the plan: the work tree, the branch, HEAD.
pub fn repository_problems(preflight: &Preflight<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !preflight.has_commits {
        problems.push(problem(String::from(
            "the repository has no commit yet; commit your work, then release",
        )));
    }
    match preflight.branch {
        None => problems.push(problem(String::from(
            "HEAD is detached; check out a release branch (e.g. `git switch main`) and run again (in GitHub Actions, a detached HEAD at the tip of the run's branch releases as that branch)",
        ))),
        Some(branch) if !is_release_branch(&preflight.settings.branches, branch) => {
            problems.push(problem(format!(
                "the branch `{branch}` is not a release branch ({}); switch to one, or add it to `release.branches` in relcut.toml",
                preflight
                    .settings
                    .branches
                    .iter()
                    .map(|b| format!("`{b}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
        Some(_) => {}
    }
    if !preflight.allow_dirty && !preflight.dirty_paths.is_empty() {
        let shown: Vec<String> = preflight
            .dirty_paths
            .iter()
            .take(5)
            .map(|path| format!("`{path}`"))
            .collect();
        let more = preflight.dirty_paths.len().saturating_sub(shown.len());
        problems.push(problem(format!(
            "the work tree has uncommitted changes ({}{}); commit or stash them, or pass `--allow-dirty`",
            shown.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        )));
    }
    problems
}

/// Objects HEAD's tree names that the object store lacks (a partial clone whose objects cannot
/// be fetched, a damaged copy): `git commit` would stop on them after the files were written.
pub fn missing_objects_problem(missing: &[MissingObject]) -> Option<Problem> {
    let (first, rest) = missing.split_first()?;
    let more = match rest.len() {
        0 => String::new(),
        1 => format!(
            " and the {} {} of `{}`",
            rest[0].kind, rest[0].id, rest[0].path
        ),
        count => format!(" and {count} more"),
    };
    Some(problem(format!(
        "the object store lacks the {} {} of `{}` at HEAD{more} (a partial clone, or a damaged copy of the repository), so the release commit would fail; fetch the missing objects with `git fetch --refetch` (git 2.36 or later), or make a fresh full clone",
        first.kind, first.id, first.path
    )))
}

/// A commit the history walk reads (back to the last release) that the object store lacks: the
/// version and the changelog cannot be computed without it.
pub fn missing_commit_problem(id: &str) -> Problem {
    problem(format!(
        "the object store lacks the commit {id}, which the history since the last release goes through (a partial clone, or a damaged copy of the repository), so the version cannot be computed; fetch the missing objects with `git fetch --refetch` (git 2.36 or later), or make a fresh full clone"
    ))
}

/// Problems with the commits: with `strict` (`--strict` or `release.strict`), every commit must
/// be conventional.
pub fn commit_problems(strict: bool, analysis: &CommitAnalysis) -> Vec<Problem> {
    if !strict {
        return Vec::new();
    }
    analysis
        .of_kind(CommitKind::NonConventional)
        .map(|commit| {
            problem(format!(
                "commit {} {:?} is not a Conventional Commit ({}); reword it, or drop `--strict`",
                commit.short_id(),
                commit.subject,
                commit.problem.as_deref().unwrap_or("unreadable")
            ))
        })
        .collect()
}

/// The tag must not exist yet.
pub fn tag_problem(tag: &str, existing: Option<&str>) -> Option<Problem> {
    existing.map(|commit| {
        problem(format!(
            "the tag `{tag}` already exists and points at {}; pick another version with `--bump`, or delete the tag",
            short(commit)
        ))
    })
}

/// Planned files that cannot be written (read-only, links out of the repository), as read by
/// `apply::files::unwritable`.
pub fn file_problems(unwritable: Vec<String>) -> Vec<Problem> {
    unwritable.into_iter().map(problem).collect()
}

/// A shallow clone: the history a version is computed from may be partial. `fetch_failed` is
/// git's word when relcut tried to fetch the rest.
pub fn shallow_problem(remote: &str, fetch_failed: Option<&str>) -> Problem {
    problem(match fetch_failed {
        None => format!(
            "the repository is a shallow clone, so release tags and commits since the last release may be missing and a version computed from it could be wrong; fetch the whole history with `git fetch --unshallow --tags {remote}` (in GitHub Actions, `fetch-depth: 0` on actions/checkout), or set `fetch = true` under `[release]` in relcut.toml to let relcut fetch it"
        ),
        Some(error) => format!(
            "the repository is a shallow clone and fetching its whole history from `{remote}` failed ({error}); fetch it yourself with `git fetch --unshallow --tags {remote}` (in GitHub Actions, `fetch-depth: 0` on actions/checkout)"
        ),
    })
}

/// A file the release writes that git ignores: `git add` would refuse it.
pub fn ignored_file_problem(path: &Path) -> Problem {
    problem(format!(
        "`{}` is ignored by git, so the release commit cannot take it; stop ignoring it (see `git check-ignore -v {}`) or take it out of relcut.toml",
        path.display(),
        path.display()
    ))
}

/// A file the release writes that has uncommitted changes: with `--allow-dirty` the commit
/// would take them although the plan's diff does not show them.
pub fn dirty_planned_file_problem(path: &Path) -> Problem {
    problem(format!(
        "`{}` has uncommitted changes and the release rewrites it, so the release commit would take them too; commit or stash them first (`--allow-dirty` allows changes only in files the release does not write)",
        path.display()
    ))
}

/// What the checks saw of the remote a release is pushed to.
pub struct RemoteCheck<'a> {
    /// The remote's name.
    pub remote: &'a str,
    /// The branch's name on the remote.
    pub branch: &'a str,
    /// HEAD.
    pub head: &'a str,
    /// The commit of the remote's branch; `None` when the remote has no such branch yet.
    pub remote_commit: Option<&'a str>,
    /// Whether HEAD contains that commit (is it, or descends from it).
    pub head_contains_remote: bool,
    /// The release tag.
    pub tag: &'a str,
    /// The commit the release tag peels to on the remote, when the remote has it.
    pub remote_tag_commit: Option<&'a str>,
    /// The commit of the release an earlier run began, which this run finishes: a remote tag
    /// on it is that run's push.
    pub resumes: Option<&'a str>,
}

/// Problems with the remote: HEAD behind the remote's branch (the push would be refused, or the
/// version would be computed without the commits there), the release tag on the remote at
/// another commit.
pub fn remote_problems(check: &RemoteCheck<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let RemoteCheck {
        remote,
        branch,
        tag,
        ..
    } = *check;
    if let Some(remote_commit) = check.remote_commit
        && !check.head_contains_remote
    {
        let fix = match check.resumes {
            // A release commit on the old tip is rebased by `git pull --rebase` and its tag would
            // stay behind: drop it, and release again on top of the remote.
            Some(_) => format!(
                "HEAD is the unfinished release of an earlier run: drop it (`git tag -d {tag}` if it is tagged, and `git reset --keep HEAD^` for a release commit), run `git pull --rebase`, then release again"
            ),
            None => String::from("run `git pull --rebase` and release again"),
        };
        problems.push(problem(format!(
            "the branch is behind `{remote}`: `{remote}/{branch}` is at {}, which HEAD ({}) does not contain, so the push would be refused; {fix}",
            short(remote_commit),
            short(check.head)
        )));
    }
    if let Some(tagged) = check.remote_tag_commit
        && check.resumes != Some(tagged)
    {
        problems.push(problem(format!(
            "the tag `{tag}` already exists on `{remote}` and points at {}; pick another version with `--bump`, or delete the remote tag if it is a mistake (`git push {remote} :refs/tags/{tag}`)",
            short(tagged)
        )));
    }
    problems
}

/// The remote could not be read (unreachable, refused credentials): what git said, redacted.
pub fn remote_unreadable_problem(remote: &str, error: &str) -> Problem {
    problem(format!(
        "cannot read the remote `{remote}` to check the release against it ({error}); check that it is reachable and that your credentials work (`git ls-remote {remote}` shows the same), or pass `--no-push` to release locally"
    ))
}

fn short(id: &str) -> &str {
    &id[..id.len().min(7)]
}

fn problem(message: String) -> Problem {
    Problem { message }
}

/// `relcut publish` where the branch has no remote to push the tag to: GitHub can only release
/// a tag it has.
pub fn publish_without_remote_problem(tag: &str) -> Problem {
    Problem {
        message: format!(
            "the branch has no upstream to push the tag `{tag}` to, and GitHub can only release a tag it has; set one (`git push -u origin HEAD`) or name the remote in `release.remote` of relcut.toml"
        ),
    }
}

/// `relcut publish` of a version that is not above the last release before it.
pub fn publish_below_previous_problem(version: &semver::Version, previous_tag: &str) -> Problem {
    Problem {
        message: format!(
            "the files say {version}, which is not above the release {previous_tag} before it; move the files to the version to publish (`relcut release` bumps and publishes in one go)"
        ),
    }
}

/// Whether `branch` is one of the release branches: a name, or a glob such as `release/*` for
/// maintenance branches (`*` does not cross `/`).
pub fn is_release_branch(allowed: &[String], branch: &str) -> bool {
    let options = glob::MatchOptions {
        require_literal_separator: true,
        ..glob::MatchOptions::new()
    };
    allowed.iter().any(|allowed| {
        allowed == branch
            || glob::Pattern::new(allowed)
                .is_ok_and(|pattern| pattern.matches_with(branch, options))
    })
}

#[cfg(test)]
mod branch_tests {
    use super::is_release_branch;

    #[test]
    fn release_branches_are_names_or_globs() {
        let allowed = [
            String::from("main"),
            String::from("release/*"),
            String::from("v[0-9].x"),
        ];
        let rows = [
            ("main", true),
            ("mainline", false),
            ("release/1.0", true),
            ("release/1.0/hotfix", false),
            ("v1.x", true),
            ("feature/x", false),
        ];
        for (branch, expected) in rows {
            assert_eq!(is_release_branch(&allowed, branch), expected, "{branch}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "1111111111111111111111111111111111111111";
    const THERE: &str = "2222222222222222222222222222222222222222";

    /// The remote's commit, whether HEAD contains it, the remote tag's commit, the release being
    /// finished, and the phrases the problems say (none: no problem).
    type Row<'a> = (
        Option<&'a str>,
        bool,
        Option<&'a str>,
        Option<&'a str>,
        &'a [&'a str],
    );

    #[test]
    fn the_remote_is_checked_for_new_commits_and_the_release_tag() {
        // (remote commit, HEAD contains it, remote tag's commit, resumed release) → phrases
        let rows: [Row; 8] = [
            // The remote has no branch yet, or HEAD is at or ahead of it: nothing to say.
            (None, false, None, None, &[]),
            (Some(THERE), true, None, None, &[]),
            (Some(HEAD), true, None, None, &[]),
            (
                Some(THERE),
                false,
                None,
                None,
                &[
                    "behind `origin`",
                    "`origin/trunk` is at 2222222",
                    "HEAD (1111111)",
                    "git pull --rebase",
                ],
            ),
            (
                Some(THERE),
                false,
                None,
                Some(HEAD),
                &[
                    "unfinished release",
                    "git tag -d v1.3.0",
                    "git reset --keep HEAD^",
                ],
            ),
            // A tag on the remote: another release's, unless it is on the release being finished.
            (
                Some(HEAD),
                true,
                Some(THERE),
                None,
                &["the tag `v1.3.0` already exists on `origin` and points at 2222222"],
            ),
            (Some(HEAD), true, Some(HEAD), Some(HEAD), &[]),
            (
                Some(HEAD),
                true,
                Some(THERE),
                Some(HEAD),
                &["points at 2222222"],
            ),
        ];
        for (index, (remote_commit, contains, tag_commit, resumes, phrases)) in
            rows.into_iter().enumerate()
        {
            let problems = remote_problems(&RemoteCheck {
                remote: "origin",
                branch: "trunk",
                head: HEAD,
                remote_commit,
                head_contains_remote: contains,
                tag: "v1.3.0",
                remote_tag_commit: tag_commit,
                resumes,
            });
            let text: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
            assert_eq!(
                problems.is_empty(),
                phrases.is_empty(),
                "row {index}: {text:?}"
            );
            for phrase in phrases {
                assert!(
                    text.iter().any(|message| message.contains(phrase)),
                    "row {index}: {phrase:?} not in {text:?}"
                );
            }
        }
    }
}

#[cfg(test)]
mod missing_object_tests {
    use super::*;

    #[test]
    fn missing_objects_are_named_with_their_path_and_the_fix() {
        let object = |path: &str| MissingObject {
            id: git2::Oid::from_str("9a48505e504d4fc474d610fcfd5dc36d44ee61e5").unwrap(),
            kind: "blob",
            path: String::from(path),
        };
        let rows: [(Vec<MissingObject>, &[&str]); 4] = [
            (Vec::new(), &[]),
            (
                vec![object("README.md")],
                &[
                    "lacks the blob 9a48505e504d4fc474d610fcfd5dc36d44ee61e5 of `README.md` at HEAD (",
                    "git fetch --refetch",
                    "fresh full clone",
                ],
            ),
            (
                vec![object("a"), object("b")],
                &["of `a` at HEAD and the blob 9a48505e504d4fc474d610fcfd5dc36d44ee61e5 of `b` ("],
            ),
            (
                vec![object("a"), object("b"), object("c")],
                &["of `a` at HEAD and 2 more ("],
            ),
        ];
        for (missing, phrases) in rows {
            let problem = missing_objects_problem(&missing);
            assert_eq!(problem.is_none(), phrases.is_empty(), "{problem:?}");
            for phrase in phrases {
                let message = &problem.as_ref().unwrap().message;
                assert!(message.contains(phrase), "{phrase:?} not in {message}");
            }
        }
    }
}
