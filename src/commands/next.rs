//! `relcut next`: the next version, printed alone.

use crate::cli::NextArgs;
use crate::commands::{
    History, analyze_commits, open_for_versions, read_before_head, read_history, read_version_files,
};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::plan;
use crate::plan::error::PlanError;
use crate::plan::version::{BumpInput, BumpRequest, next_version};
use crate::plan::version_files::ParsedFiles;
use crate::repo::{Repo, VersionTag};

use crate::ui;

pub fn run(args: &NextArgs) -> Result<()> {
    let version = match &args.current {
        Some(current) => from_flag(args, current)?,
        None => from_repository(args)?,
    };
    ui::out(&format!("{version}\n"))
}

fn from_flag(args: &NextArgs, current: &str) -> Result<semver::Version> {
    let current =
        semver::Version::parse(current.strip_prefix('v').unwrap_or(current)).map_err(|error| {
            Error::Usage(format!(
                "`--current {current}` is not a SemVer version ({error}); write it as X.Y.Z"
            ))
        })?;
    // Only `auto` needs commits; every other bump is pure arithmetic and needs no repository.
    let (level, policy) = if matches!(args.bump.bump, BumpRequest::Auto) {
        // Only "there is no repository here" (a usage error) gets the hint; a broken relcut.toml
        // or an unreadable repository is reported as itself, so the user can fix it.
        let (repo, settings) = open_for_versions().map_err(|error| match error {
            Error::Usage(_) => Error::Usage(String::from(
                "`--bump auto` reads the commits of a repository; run it in one, or name the bump (patch, minor, major, …)",
            )),
            other => other,
        })?;
        let Some(head) = repo.head_commit()? else {
            return Err(Error::NothingToRelease(String::from(
                "nothing to release: the repository has no commit yet",
            )));
        };
        let history = read_history(&repo, &settings, head)?;
        (
            analyze_commits(&repo, &settings, &history.commits)?.level,
            settings.policy.version_policy,
        )
    } else {
        (None, crate::plan::version::VersionPolicy::default())
    };
    Ok(next_version(
        &BumpInput {
            current: &current,
            last_stable: None,
            request: &args.bump.bump,
            commits_level: level,
            pre: args.bump.pre.as_deref(),
        },
        &policy,
    )?
    .version)
}

/// The next version from the repository's tags, files and commits.
pub(super) fn from_repository(args: &NextArgs) -> Result<semver::Version> {
    let (repo, settings) = open_for_versions()?;
    let Some(head) = repo.head_commit()? else {
        return Err(Error::NothingToRelease(String::from(
            "nothing to release: the repository has no commit yet",
        )));
    };
    let History {
        last,
        last_stable,
        commits,
        taken,
    } = read_history(&repo, &settings, head)?;
    let files = read_version_files(&repo, &settings)?.files;
    let analysis = analyze_commits(&repo, &settings, &commits)?;
    let files = ParsedFiles::parse(&files)?;
    let (current, _) = match plan::current_version(last.as_ref(), &files) {
        // Files ahead of the tag: HEAD may be the release commit of a release that an earlier
        // run did not finish, and that version is the one `relcut release` will finish.
        Err(error @ PlanError::VersionsDisagree { .. }) => {
            return unfinished_release(&repo, &settings, head, last.as_ref(), &files, args)?
                .ok_or_else(|| error.into());
        }
        other => other?,
    };
    let (next, _) = plan::decide_version(
        current.as_ref(),
        last_stable.as_ref().map(|tag| &tag.version),
        &args.bump.bump,
        args.bump.pre.as_deref(),
        &analysis,
        &settings.policy,
        &taken,
    )?;
    Ok(next)
}

/// The version of the release HEAD is the unfinished commit of, when the default bump is asked
/// for (any other request plans anew, as `relcut release` does).
fn unfinished_release(
    repo: &Repo,
    settings: &Settings,
    head: git2::Oid,
    last: Option<&VersionTag>,
    files: &ParsedFiles<'_>,
    args: &NextArgs,
) -> Result<Option<semver::Version>> {
    if !matches!(args.bump.bump, BumpRequest::Auto) || args.bump.pre.is_some() {
        return Ok(None);
    }
    let Some(before) = read_before_head(repo, settings, head, last, files.files())? else {
        return Ok(None);
    };
    let head_changelog = match &settings.policy.changelog_file {
        Some(path) => repo.read_root_file(path)?,
        None => None,
    };
    Ok(plan::resume::unfinished_version(
        &settings.policy,
        head_changelog.as_deref(),
        &before.observed(),
        files.current_versions(),
    )
    .filter(|_| before.observed().tag_at_head.is_none()))
}
