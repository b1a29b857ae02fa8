//! What a command did, as one value: the terminal summary, `--json`, and the GitHub Actions
//! outputs and step summary to come are all views of it. No effects, no printing.

use crate::apply::executor::StepOutcome;
use crate::error::Problem;
use crate::plan::{Plan, SyncPlan};

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
