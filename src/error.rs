//! The error type every command returns, and the exit code of each kind.
//!
//! Messages are sentences a person reads: what went wrong, where, and the fix. Nothing here may ever
//! carry a token or other secret; values are quoted from files and git only.

use std::fmt;
use std::path::PathBuf;

use crate::plan::error::PlanError;
use crate::plan::lint::Offender;
use crate::plan::version::VersionError;
use crate::plan::version_files::VersionFileError;

/// Exit codes, one per kind of failure; documented in the README.
pub mod exit_code {
    /// Success.
    pub const OK: u8 = 0;
    /// An unexpected failure: git, the file system, a template that failed while rendering.
    pub const FAILURE: u8 = 1;
    /// The command line was wrong (clap uses the same code).
    pub const USAGE: u8 = 2;
    /// A configuration file, manifest or version file could not be read or understood.
    pub const INVALID_INPUT: u8 = 3;
    /// A precondition of the release does not hold (dirty tree, wrong branch, existing tag, …).
    pub const CHECKS_FAILED: u8 = 4;
    /// There is nothing to release: no commit since the last release asks for a bump.
    pub const NOTHING_TO_RELEASE: u8 = 5;
    /// `relcut check` found commits that do not follow Conventional Commits.
    pub const LINT_FAILED: u8 = 6;
    /// The forge (GitHub) refused or failed a request: the token, a permission, the network; or
    /// a request that creates something got no clear answer, so it may or may not have been done.
    pub const FORGE: u8 = 7;
    /// The remote refused the release's push (it moved, a hook or a branch protection said no);
    /// nothing was pushed and the local release was undone.
    pub const PUSH_REFUSED: u8 = 8;
    /// A deploy run followed with `--wait` did not succeed (it failed, was cancelled, or was
    /// still running when the time was up). The release itself stands.
    pub const DEPLOY_FAILED: u8 = 9;
    /// The person pressed Ctrl-C at a prompt; nothing was changed (128 + SIGINT, as shells do).
    pub const INTERRUPTED: u8 = 130;
}

/// One precondition that does not hold, found by the preflight checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The sentence shown to the user: what is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Everything that can make a relcut command fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is inconsistent in a way clap cannot see.
    #[error("{0}")]
    Usage(String),

    /// A configuration file could not be read or parsed.
    #[error("`{}`{}", path.display(), located(message))]
    Config {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },

    /// A version file or manifest is malformed.
    #[error(transparent)]
    VersionFile(#[from] VersionFileError),

    /// The version sources disagree on the current version.
    #[error(
        "the version files disagree on the current version:\n{table}\nmake them agree (`relcut release --sync` aligns them all to the highest) and run again"
    )]
    VersionsDisagree {
        /// One line per file: path, line and the version it holds.
        table: String,
    },

    /// The requested version cannot be computed.
    #[error(transparent)]
    Version(VersionError),

    /// No commit since the last release asks for a new version.
    #[error("{0}")]
    NothingToRelease(String),

    /// Ctrl-C at a prompt, before anything was changed.
    #[error("interrupted: nothing was changed")]
    Interrupted,

    /// SIGINT or SIGTERM while the steps ran: the run stopped at a step boundary.
    #[error("{0}")]
    InterruptedApplying(String),

    /// Preconditions of a release that do not hold, all of them.
    #[error("{}", render_problems(.0))]
    ChecksFailed(Vec<Problem>),

    /// Commits that do not follow Conventional Commits.
    #[error("{}", render_offenders(.0))]
    LintFailed(Vec<Offender>),

    /// A git operation failed.
    #[error("{context}")]
    Git {
        /// What relcut was doing.
        context: String,
        /// What libgit2 said.
        #[source]
        source: git2::Error,
    },

    /// A git command (used for writes so hooks and signing apply) failed.
    #[error("`git {command}` failed{}", stderr_suffix(.stderr))]
    GitCommand {
        /// The arguments, without `git`.
        command: String,
        /// What git printed on standard error.
        stderr: String,
    },

    /// Reading or writing a file failed.
    #[error("cannot {action} `{}`", path.display())]
    Io {
        /// What relcut was doing: "read", "write", …
        action: &'static str,
        /// The file at fault.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The changelog could not be rendered.
    #[error("cannot render the changelog: {0}")]
    Changelog(String),

    /// Writing to standard output failed.
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),

    /// The forge (GitHub) refused or failed a request. The message names the request and the
    /// fix; any text from the server in it was redacted, and it never holds the token.
    #[error("{0}")]
    Forge(String),

    /// The remote refused the push of a release. Nothing was pushed (the push is atomic); the
    /// message has the remote's words (redacted), what became of the local release, and the fix.
    #[error("{message}")]
    PushRefused {
        /// The sentence.
        message: String,
        /// The steps undone locally (`commit`, `tag`); empty when the local release was kept.
        undone: Vec<&'static str>,
    },
    /// A forge request that creates something (a release, an asset) got no answer or a server
    /// error, so GitHub may or may not have carried it out. It is not repeated blindly: the caller
    /// looks (the release by its tag, the assets by name) before it tries again. The message says
    /// so; like [`Error::Forge`] it holds no token and only redacted server text.
    #[error("{0}")]
    ForgeInDoubt(String),
    /// A deploy run followed with `--wait` did not succeed; the message names each such run and
    /// its URL, and what a rollback did.
    #[error("{0}")]
    DeployFailed(String),
}

/// `: message`, or ` line N: …` when the message starts with its line, so every error that
/// names a file and a line reads the same way.
fn located(message: &str) -> String {
    if message.starts_with("line ") {
        format!(" {message}")
    } else {
        format!(": {message}")
    }
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => exit_code::USAGE,
            Error::Config { .. }
            | Error::VersionFile(_)
            | Error::VersionsDisagree { .. }
            | Error::Version(_) => exit_code::INVALID_INPUT,
            Error::NothingToRelease(_) => exit_code::NOTHING_TO_RELEASE,
            Error::ChecksFailed(_) => exit_code::CHECKS_FAILED,
            Error::LintFailed(_) => exit_code::LINT_FAILED,
            Error::PushRefused { .. } => exit_code::PUSH_REFUSED,
            Error::DeployFailed(_) => exit_code::DEPLOY_FAILED,
            Error::Interrupted | Error::InterruptedApplying(_) => exit_code::INTERRUPTED,
            Error::Forge(_) | Error::ForgeInDoubt(_) => exit_code::FORGE,
            Error::Git { .. }
            | Error::GitCommand { .. }
            | Error::Io { .. }
            | Error::Changelog(_)
            | Error::Output(_) => exit_code::FAILURE,
        }
    }

    /// A short machine-readable name of the kind, for `--json` output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Usage(_) => "usage",
            Error::Config { .. } => "config",
            Error::VersionFile(_) => "version_file",
            Error::VersionsDisagree { .. } => "versions_disagree",
            Error::Version(_) => "version",
            Error::NothingToRelease(_) => "nothing_to_release",
            Error::ChecksFailed(_) => "checks_failed",
            Error::LintFailed(_) => "lint_failed",
            Error::Git { .. } => "git",
            Error::GitCommand { .. } => "git_command",
            Error::Io { .. } => "io",
            Error::Changelog(_) => "changelog",
            Error::Output(_) => "output",
            Error::Forge(_) => "forge",
            Error::PushRefused { .. } => "push_refused",
            Error::DeployFailed(_) => "deploy_failed",
            Error::Interrupted | Error::InterruptedApplying(_) => "interrupted",
            Error::ForgeInDoubt(_) => "forge_in_doubt",
        }
    }

    /// Wraps a libgit2 error with what relcut was doing.
    pub fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
        let context = context.into();
        move |source| Error::Git { context, source }
    }

    /// Wraps an I/O error with the action and the file.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}

impl From<PlanError> for Error {
    fn from(error: PlanError) -> Self {
        match error {
            PlanError::Usage(message) => Error::Usage(message),
            PlanError::VersionFile(error) => Error::VersionFile(error),
            PlanError::VersionsDisagree { table } => Error::VersionsDisagree { table },
            PlanError::Version(error) => Error::Version(error),
            PlanError::NothingToRelease(message) => Error::NothingToRelease(message),
            PlanError::Changelog(message) => Error::Changelog(message),
        }
    }
}

impl From<VersionError> for Error {
    fn from(error: VersionError) -> Self {
        match error {
            VersionError::NothingToRelease => Error::NothingToRelease(error.to_string()),
            other => Error::Version(other),
        }
    }
}

fn render_problems(problems: &[Problem]) -> String {
    let mut text = if problems.len() == 1 {
        String::from("the release cannot start:")
    } else {
        format!("the release cannot start, {} problems:", problems.len())
    };
    for problem in problems {
        text.push_str("\n  - ");
        text.push_str(&problem.message);
    }
    text
}

fn render_offenders(offenders: &[Offender]) -> String {
    let mut text = format!(
        "{} {} not follow Conventional Commits 1.0.0:",
        offenders.len(),
        if offenders.len() == 1 {
            "commit does"
        } else {
            "commits do"
        }
    );
    for offender in offenders {
        text.push_str(&format!("\n  {offender}"));
    }
    text
}

fn stderr_suffix(stderr: &str) -> String {
    let trimmed = stderr.trim();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!(": {trimmed}")
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
