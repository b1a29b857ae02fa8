//! Why a plan could not be made. The plan's own error type, so that `plan` depends on nothing
//! outside itself; the crate's error (`crate::error::Error`) takes each kind over with its exit
//! code.

use crate::plan::version::VersionError;
use crate::plan::version_files::VersionFileError;

/// Everything that can stop planning.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The request does not fit the repository (a bump naming another version than the one an
    /// earlier run left unfinished, `--sync` without version files).
    #[error("{0}")]
    Usage(String),

    /// A version file or manifest is malformed.
    #[error(transparent)]
    VersionFile(#[from] VersionFileError),

    /// The version sources disagree on the current version.
    #[error("the version files disagree on the current version")]
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

    /// The changelog could not be rendered.
    #[error("cannot render the changelog: {0}")]
    Changelog(String),
}

impl From<VersionError> for PlanError {
    fn from(error: VersionError) -> Self {
        match error {
            VersionError::NothingToRelease => PlanError::NothingToRelease(error.to_string()),
            other => PlanError::Version(other),
        }
    }
}

/// The result type of planning.
pub type Result<T, E = PlanError> = std::result::Result<T, E>;
