//! What a command did, as one value: the terminal summary, `--json`, and the GitHub Actions
//! outputs and step summary to come are all views of it. No effects, no printing.

use crate::apply::executor::{PublishedRelease, StepOutcome};
use crate::error::Problem;
use crate::plan::publish::NotesSource;
use crate::plan::{Plan, Step, SyncPlan};

/// The outcome of `relcut release`, planned or applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReleaseOutcome {
    /// The version of this document's shape.
    pub schema_version: u32,
    /// Whether nothing was applied (`--dry-run`).
    pub dry_run: bool,
    /// What the release does (or did).
    pub plan: Plan,
    /// Each step's outcome, in order; empty for a dry run.
    pub steps: Vec<StepOutcome>,
    /// The release commit, made now or by an earlier run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The tag, made now or by an earlier run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The GitHub release, made now or by an earlier run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<PublishedRelease>,
    /// Why there is no GitHub release, when there is none (no GitHub repository, `--no-publish`).
    pub not_published: Option<String>,
    /// Failed checks (a dry run still shows its plan).
    pub problems: Vec<Problem>,
}

/// The outcome of `relcut release --sync`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SyncOutcome {
    /// The version of this document's shape.
    pub schema_version: u32,
    /// Whether nothing was applied (`--dry-run`).
    pub dry_run: bool,
    /// What the sync does (or did).
    pub sync: SyncPlan,
    /// Each step's outcome, in order; empty for a dry run.
    pub steps: Vec<StepOutcome>,
    /// The commit made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Failed checks.
    pub problems: Vec<Problem>,
}

/// The outcome of `relcut publish`, planned or applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublishOutcome {
    /// The version of this document's shape.
    pub schema_version: u32,
    /// Whether nothing was applied (`--dry-run`).
    pub dry_run: bool,
    /// The version HEAD's files say.
    pub version: semver::Version,
    /// Its tag.
    pub tag: String,
    /// The commit released: the tag's, or HEAD when the tag is made now.
    pub commit: String,
    /// Whether the tag existed before this run.
    pub tag_exists: bool,
    /// The release notes.
    pub notes: String,
    /// Where the notes came from.
    pub notes_source: NotesSource,
    /// The effects, in order.
    pub plan_steps: Vec<Step>,
    /// Each step's outcome, in order; empty for a dry run.
    pub steps: Vec<StepOutcome>,
    /// The GitHub release, made now or found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<PublishedRelease>,
    /// Failed checks.
    pub problems: Vec<Problem>,
}
