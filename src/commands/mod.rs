//! The commands: each reads the world, plans, checks, asks, applies and reports, in that order,
//! by calling the modules that own each part.

mod changelog;
mod check;
mod next;
mod release;

use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::plan::changelog::TemplateExtras;
use crate::plan::version_files::{self, SourceFile, VersionFileKind};
use crate::repo::Repo;

/// Runs the command the command line names.
pub fn run(cli: Cli) -> Result<()> {
    let directory = cli.directory.clone().unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Release(args) => release::run(&directory, &args),
        Command::Next(args) => next::run(&directory, &args),
        Command::Changelog(args) => changelog::run(&directory, &args),
        Command::Check(args) => check::run(&directory, &args),
    }
}

/// Whether the command's output is JSON, so errors are reported as JSON too.
pub fn wants_json(cli: &Cli) -> bool {
    match &cli.command {
        Command::Release(args) => args.json,
        Command::Check(args) => args.json,
        Command::Next(_) | Command::Changelog(_) => false,
    }
}

/// The repository and its settings.
fn open(directory: &Path) -> Result<(Repo, Settings)> {
    let repo = Repo::discover(directory)?;
    let mut settings = Settings::load(repo.root())?;
    // git-cliff fills the GitHub remote from the upstream when none is configured, and templates
    // written for git-cliff rely on it.
    if let Some(remote) = repo.remote() {
        let github = &mut settings.changelog.remote.github;
        if github.owner.is_empty() && github.repo.is_empty() {
            github.owner = remote.owner.clone();
            github.repo = remote.repo.clone();
            github.is_custom = false;
        }
    }
    Ok((repo, settings))
}

/// Values relcut's templates use: links when the remote is on GitHub, the tag prefix.
fn template_extras(repo: &Repo, settings: &Settings) -> TemplateExtras {
    TemplateExtras {
        repository_url: repo.remote().and_then(|remote| remote.github_url()),
        tag_prefix: settings.tag_pattern.prefix().to_string(),
    }
}

/// The version files: detected at the root (unless turned off) plus those configured.
fn read_version_files(repo: &Repo, settings: &Settings) -> Result<Vec<SourceFile>> {
    let mut files = if settings.detect {
        version_files::discover(repo.root())?
    } else {
        Vec::new()
    };
    let configured: Vec<(PathBuf, VersionFileKind)> = settings
        .files
        .iter()
        .filter(|entry| !files.iter().any(|file| file.path == entry.path))
        .map(|entry| (entry.path.clone(), VersionFileKind::for_path(&entry.path)))
        .collect();
    if !configured.is_empty() {
        files.extend(version_files::load(repo.root(), &configured)?);
    }
    Ok(files)
}

/// The release time: `SOURCE_DATE_EPOCH` when set (reproducible output), the clock otherwise.
fn release_timestamp() -> Result<i64> {
    if let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") {
        return text.trim().parse::<i64>().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH is \"{text}\", not a number of seconds; unset it or give seconds since 1970"
            ))
        });
    }
    Ok(chrono::Utc::now().timestamp())
}
