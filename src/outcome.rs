//! What a command did, as one value: the terminal summary, `--json`, and the GitHub Actions
//! outputs and step summary (`ci`) are all views of it. No effects, no printing.

use crate::apply::executor::{Deployed, PublishedRelease, StepOutcome, StepStatus};
use crate::error::Problem;
use crate::plan::deploy::Dispatch;
use crate::plan::publish::NotesSource;
use crate::plan::{Plan, Step, SyncPlan};

/// The outcome of `relcut release`, planned or applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReleaseOutcome {
    /// The version of this document's shape.
    pub schema_version: u32,
    /// Whether nothing was applied (`--dry-run`).
    pub dry_run: bool,
    /// Whether the version is released: by this run, or by an earlier one it finished.
    pub released: bool,
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
    /// The deploys started (or found started), then any rollbacks; empty for a dry run.
    pub deploys: Vec<DeployReport>,
    /// Why deploys that the version would start are not planned (`--no-deploy`, no release).
    pub not_deployed: Option<String>,
    /// What the plan may do that a person should know and that is no problem: an event a
    /// re-run cannot look for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Failed checks (a dry run still shows its plan).
    pub problems: Vec<Problem>,
}

/// `relcut release --json` in CI when there is nothing to release, which is no failure there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NothingReleased {
    /// The version of this document's shape.
    pub schema_version: u32,
    /// Always `false`.
    pub released: bool,
    /// Always `nothing_to_release`, the error's kind outside CI.
    pub kind: &'static str,
    /// Why: no commit since the last release asks for a new version.
    pub reason: String,
}

impl NothingReleased {
    /// The document for `reason`.
    pub fn new(reason: &str) -> NothingReleased {
        NothingReleased {
            schema_version: crate::ui::JSON_SCHEMA_VERSION,
            released: false,
            kind: "nothing_to_release",
            reason: reason.to_string(),
        }
    }
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
    /// The deploys started (or found started), then any rollbacks; empty for a dry run.
    pub deploys: Vec<DeployReport>,
    /// Why deploys that the version would start are not planned (`--no-deploy`).
    pub not_deployed: Option<String>,
    /// What the plan may do that a person should know and that is no problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Failed checks.
    pub problems: Vec<Problem>,
}

/// The outcome of `relcut deploy` and `relcut rollback`, planned or applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeployOutcome {
    /// The version of this document's shape.
    pub schema_version: u32,
    /// Whether nothing was sent (`--dry-run`).
    pub dry_run: bool,
    /// `deploy` or `rollback`.
    pub command: &'static str,
    /// The target.
    pub target: String,
    /// The version deployed.
    pub version: String,
    /// Its release tag.
    pub tag: String,
    /// The deploy step.
    pub plan_steps: Vec<Step>,
    /// What was done; empty for a dry run.
    pub deploys: Vec<DeployReport>,
    /// Failed checks.
    pub problems: Vec<Problem>,
}

/// One deploy as the outcome reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeployReport {
    /// The target's name.
    pub target: String,
    /// The version deployed.
    pub version: String,
    /// What was sent: `kind` (`workflow` or `event`) with the workflow and ref and inputs, or
    /// the event and payload.
    #[serde(flatten)]
    pub dispatch: Dispatch,
    /// GitHub's id of the workflow run.
    pub run_id: Option<u64>,
    /// The run's web page.
    pub url: Option<String>,
    /// `done` (dispatched now) or `already_done` (found dispatched by an earlier run).
    pub status: StepStatus,
    /// How the run ended, when it was followed (`--wait`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<String>,
    /// For a rollback: the version whose run failed, which this deploy replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_of: Option<String>,
    /// Why an event was sent although an earlier run may have sent it, or what its probe saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl DeployReport {
    /// The report of what the executor did, before it is followed.
    pub fn of(deployed: &Deployed, rollback_of: Option<String>) -> DeployReport {
        DeployReport {
            target: deployed.target.clone(),
            version: deployed.version.clone(),
            dispatch: deployed.dispatch.clone(),
            run_id: deployed.run.as_ref().map(|run| run.id),
            url: deployed.run.as_ref().map(|run| run.url.clone()),
            status: deployed.status,
            conclusion: None,
            rollback_of,
            note: deployed.note.clone(),
        }
    }
}
