//! `relcut next`: the next version, printed alone.

use std::path::Path;

use crate::cli::NextArgs;
use crate::commands::{History, open_for_versions, read_history, read_version_files};
use crate::error::{Error, Result};
use crate::plan::version::{BumpInput, BumpRequest, next_version};
use crate::plan::{self, commits};

use crate::ui;

pub fn run(directory: &Path, args: &NextArgs) -> Result<()> {
    let version = match &args.current {
        Some(current) => from_flag(directory, args, current)?,
        None => from_repository(directory, args)?,
    };
    ui::out(&format!("{version}\n"))
}

fn from_flag(directory: &Path, args: &NextArgs, current: &str) -> Result<semver::Version> {
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
        let (repo, settings) = open_for_versions(directory).map_err(|error| match error {
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
            commits::analyze(&history.commits, &settings.bump_rules).level,
            settings.version_policy,
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

fn from_repository(directory: &Path, args: &NextArgs) -> Result<semver::Version> {
    let (repo, settings) = open_for_versions(directory)?;
    let Some(head) = repo.head_commit()? else {
        return Err(Error::NothingToRelease(String::from(
            "nothing to release: the repository has no commit yet",
        )));
    };
    let History {
        last,
        last_stable,
        commits,
    } = read_history(&repo, &settings, head)?;
    let files = read_version_files(&repo, &settings)?;
    let analysis = commits::analyze(&commits, &settings.bump_rules);
    let (current, _) = plan::current_version(last.as_ref(), &files)?;
    let (next, _) = plan::decide_version(
        current.as_ref(),
        last_stable.as_ref().map(|tag| &tag.version),
        &args.bump.bump,
        args.bump.pre.as_deref(),
        &analysis,
        &settings,
    )?;
    Ok(next)
}
