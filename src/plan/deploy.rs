//! Deploys: which `[deploy.*]` targets a version starts, and what each dispatch sends. Pure.
//!
//! A release made with GitHub's default token starts no other workflow, except by
//! `workflow_dispatch` and `repository_dispatch`; relcut sends those itself, routed by the kind of
//! version (a target's [`When`]).

use serde_json::{Map, Value};

/// When a target is deployed to without being asked (`on` in `[deploy.NAME]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// After every prerelease.
    Prerelease,
    /// After every stable release.
    Stable,
    /// After every release.
    Always,
    /// Only by hand (`relcut deploy`, `relcut rollback`).
    Never,
}

/// How a target is started.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TargetKind {
    /// `workflow_dispatch` of a workflow file.
    Workflow {
        /// The file name in `.github/workflows/` (`deploy.yml`).
        workflow: String,
        /// The ref the run is for, a template (default `{{tag}}`).
        git_ref: String,
        /// The inputs, in the order written; string values are templates.
        inputs: Map<String, Value>,
    },
    /// `repository_dispatch` with an event name.
    Event {
        /// The event type, a template.
        event: String,
        /// The client payload; string values (at any depth) are templates.
        payload: Map<String, Value>,
    },
}

/// One `[deploy.NAME]` table of relcut.toml, checked when the settings were loaded (its
/// templates use only [`PLACEHOLDERS`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeployTarget {
    /// `NAME`.
    pub name: String,
    /// When it is deployed to after a release.
    pub on: When,
    /// What starts it.
    pub kind: TargetKind,
    /// The line of relcut.toml where the table starts, for errors.
    #[serde(skip)]
    pub line: usize,
}

/// The placeholders a deploy's inputs, payload, ref and event name may use.
pub const PLACEHOLDERS: &[&str] = &[
    "version",
    "tag",
    "previous_version",
    "prerelease",
    "sha",
    "release_url",
    "target",
];

/// What one deploy sends: a target's templates filled in for one version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeploySpec {
    /// The target's name.
    pub target: String,
    /// The version deployed.
    pub version: String,
    /// Its release tag.
    pub tag: String,
    /// The repository, `OWNER/NAME`.
    pub repository: String,
    /// The dispatch.
    pub dispatch: Dispatch,
    /// Whether the values still hold `{{sha}}`, filled in with the release commit once it is
    /// made (see `DeploySpec::with_sha`).
    #[serde(skip)]
    pub pending_sha: bool,
}

/// The request a deploy sends.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Dispatch {
    /// `workflow_dispatch`.
    Workflow {
        /// The workflow file.
        workflow: String,
        /// The ref the run is for.
        #[serde(rename = "ref")]
        git_ref: String,
        /// The inputs.
        inputs: Map<String, Value>,
    },
    /// `repository_dispatch`.
    Event {
        /// The event type.
        event: String,
        /// The client payload.
        payload: Map<String, Value>,
    },
}

/// When a run of the target's workflow that is already there means the deploy is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeployOnce {
    /// A version is deployed to a target once: a dispatched run for its tag means done (after
    /// a release, and by hand).
    PerVersion,
    /// Done only while the target's newest dispatched run is for this tag: a rollback puts back
    /// a version that was deployed before.
    UnlessCurrent,
}

/// Words of a run's title (the workflow's `run-name`) that tell a target's runs from those of
/// other targets that use the same workflow file: its name and the input values only it has.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunMarks {
    /// This target's words.
    pub own: Vec<String>,
    /// The other targets' words; empty when no other target uses the workflow.
    pub others: Vec<String>,
}

impl RunMarks {
    /// Whether a run titled `title` is this target's: unless the title names another target
    /// sharing the workflow and not this one. A title that names none (a workflow without
    /// `run-name`) counts as this target's, so that a re-run never deploys twice.
    pub fn is_ours(&self, title: &str) -> bool {
        let title = title.to_lowercase();
        let names = |words: &[String]| {
            words
                .iter()
                .any(|word| !word.is_empty() && title.contains(&word.to_lowercase()))
        };
        names(&self.own) || !names(&self.others)
    }
}

impl DeploySpec {
    /// The spec with `{{sha}}` filled in (placeholder until the deploy-plan work lands).
    pub fn with_sha(&self, sha: &str) -> DeploySpec {
        let _ = sha;
        self.clone()
    }
}
