//! Deploys: which `[deploy.*]` targets a version starts, and what each dispatch sends. Pure.
//!
//! A release made with GitHub's default token starts no other workflow, except by
//! `workflow_dispatch` and `repository_dispatch`; relcut sends those itself, routed by the kind of
//! version (a target's [`When`]).

use serde_json::{Map, Value};

use crate::plan::template::{render_message, uses_placeholder};

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
        /// The inputs; string values are templates.
        inputs: Map<String, Value>,
    },
    /// `repository_dispatch` with an event name.
    Event {
        /// The event type, a template.
        event: String,
        /// The client payload; string values (at any depth) are templates.
        payload: Map<String, Value>,
        /// The workflow file the event starts (`starts` in relcut.toml), whose
        /// `repository_dispatch` runs tell a re-run whether the event was sent.
        starts: Option<String>,
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
        /// The workflow the event starts, where its run is looked for; `None` when relcut.toml
        /// names none, and nothing tells whether an earlier run sent the event.
        #[serde(skip_serializing_if = "Option::is_none")]
        starts: Option<String>,
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

impl When {
    /// Whether a release of `version` starts the target by itself.
    pub fn accepts(self, version: &semver::Version) -> bool {
        match self {
            When::Prerelease => !version.pre.is_empty(),
            When::Stable => version.pre.is_empty(),
            When::Always => true,
            When::Never => false,
        }
    }

    /// Whether `version` is one the target runs, as a rollback chooses among them: stable
    /// versions for a stable target, prereleases for a prerelease target, any for the others.
    pub fn runs(self, version: &semver::Version) -> bool {
        match self {
            When::Prerelease | When::Stable => self.accepts(version),
            When::Always | When::Never => true,
        }
    }

    /// The word of relcut.toml.
    pub fn word(self) -> &'static str {
        match self {
            When::Prerelease => "prerelease",
            When::Stable => "stable",
            When::Always => "always",
            When::Never => "never",
        }
    }
}

/// What a deploy's placeholders are filled in with.
#[derive(Debug, Clone, Copy)]
pub struct DeployContext<'a> {
    /// `OWNER/NAME`.
    pub repository: &'a str,
    /// The version deployed.
    pub version: &'a semver::Version,
    /// Its release tag.
    pub tag: &'a str,
    /// The version released before it, when there is one (`{{previous_version}}` is empty
    /// otherwise).
    pub previous_version: Option<&'a semver::Version>,
    /// The released commit; `None` while the release commit is still to be made.
    pub sha: Option<&'a str>,
    /// The GitHub release's web page.
    pub release_url: &'a str,
}

/// The literal a `{{sha}}` stays as until the commit is known.
const SHA_PENDING: &str = "{{sha}}";

/// The target's templates filled in for one version.
pub fn deploy_spec(target: &DeployTarget, context: &DeployContext<'_>) -> DeploySpec {
    let version = context.version.to_string();
    let previous = context
        .previous_version
        .map(ToString::to_string)
        .unwrap_or_default();
    let prerelease = (!context.version.pre.is_empty()).to_string();
    let values: [(&str, &str); 7] = [
        ("version", &version),
        ("tag", context.tag),
        ("previous_version", &previous),
        ("prerelease", &prerelease),
        ("sha", context.sha.unwrap_or(SHA_PENDING)),
        ("release_url", context.release_url),
        ("target", &target.name),
    ];
    let fill = |template: &str| render_message(template, &values);
    let (dispatch, uses_sha) = match &target.kind {
        TargetKind::Workflow {
            workflow,
            git_ref,
            inputs,
        } => (
            Dispatch::Workflow {
                workflow: workflow.clone(),
                git_ref: fill(git_ref),
                inputs: fill_map(inputs, &fill),
            },
            uses_placeholder(git_ref, "sha") || map_uses_sha(inputs),
        ),
        TargetKind::Event {
            event,
            payload,
            starts,
        } => (
            Dispatch::Event {
                event: fill(event),
                payload: fill_map(payload, &fill),
                starts: starts.clone(),
            },
            uses_placeholder(event, "sha") || map_uses_sha(payload),
        ),
    };
    DeploySpec {
        target: target.name.clone(),
        version,
        tag: context.tag.to_string(),
        repository: context.repository.to_string(),
        dispatch,
        pending_sha: uses_sha && context.sha.is_none(),
    }
}

fn fill_map(map: &Map<String, Value>, fill: &dyn Fn(&str) -> String) -> Map<String, Value> {
    map.iter()
        .map(|(key, value)| (key.clone(), fill_value(value, fill)))
        .collect()
}

fn fill_value(value: &Value, fill: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(text) => Value::String(fill(text)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| fill_value(item, fill)).collect())
        }
        Value::Object(map) => Value::Object(fill_map(map, fill)),
        other => other.clone(),
    }
}

fn map_uses_sha(map: &Map<String, Value>) -> bool {
    map.values().any(value_uses_sha)
}

fn value_uses_sha(value: &Value) -> bool {
    match value {
        Value::String(text) => uses_placeholder(text, "sha"),
        Value::Array(items) => items.iter().any(value_uses_sha),
        Value::Object(map) => map_uses_sha(map),
        _ => false,
    }
}

impl DeploySpec {
    /// The spec with `{{sha}}` filled in with the release commit, made after it was planned.
    pub fn with_sha(&self, sha: &str) -> DeploySpec {
        if !self.pending_sha {
            return self.clone();
        }
        let fill = |text: &str| text.replace(SHA_PENDING, sha);
        let dispatch = match &self.dispatch {
            Dispatch::Workflow {
                workflow,
                git_ref,
                inputs,
            } => Dispatch::Workflow {
                workflow: workflow.clone(),
                git_ref: fill(git_ref),
                inputs: fill_map(inputs, &fill),
            },
            Dispatch::Event {
                event,
                payload,
                starts,
            } => Dispatch::Event {
                event: fill(event),
                payload: fill_map(payload, &fill),
                starts: starts.clone(),
            },
        };
        DeploySpec {
            dispatch,
            pending_sha: false,
            ..self.clone()
        }
    }

    /// `deploy.yml @ v1.2.0` or `event release-published`, for the plan and messages.
    pub fn describe(&self) -> String {
        match &self.dispatch {
            Dispatch::Workflow {
                workflow, git_ref, ..
            } => format!("workflow `{workflow}` at `{git_ref}`"),
            Dispatch::Event { event, .. } => format!("event `{event}`"),
        }
    }
}

/// GitHub's most inputs of one `workflow_dispatch`.
pub const MAX_INPUTS: usize = 25;
/// GitHub's most top-level keys of a `repository_dispatch` payload.
pub const MAX_PAYLOAD_KEYS: usize = 10;
/// GitHub's longest `repository_dispatch` event name.
pub const MAX_EVENT_CHARS: usize = 100;
/// GitHub refuses a `repository_dispatch` payload of this size or more, in bytes.
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// What GitHub would refuse of the deploys `specs`, as sentences naming the target's
/// relcut.toml line: checked with the other checks, before any effect.
pub fn limit_problems(targets: &[DeployTarget], specs: &[DeploySpec]) -> Vec<String> {
    let mut problems = Vec::new();
    for spec in specs {
        let line = targets
            .iter()
            .find(|target| target.name == spec.target)
            .map_or(0, |target| target.line);
        let at = format!("`[deploy.{}]` (relcut.toml, line {line})", spec.target);
        match &spec.dispatch {
            Dispatch::Workflow {
                git_ref, inputs, ..
            } => {
                if inputs.len() > MAX_INPUTS {
                    problems.push(format!(
                        "{at} sends {} inputs, and GitHub takes at most {MAX_INPUTS} in one workflow dispatch; pass fewer (several values can go in one input as JSON)",
                        inputs.len()
                    ));
                }
                if git_ref.trim().is_empty() {
                    problems.push(format!(
                        "{at} has an empty `ref`; name the branch or tag the run is for, or remove `ref` to run at the release tag"
                    ));
                }
            }
            Dispatch::Event { event, payload, .. } => {
                let chars = event.chars().count();
                if chars == 0 || chars > MAX_EVENT_CHARS {
                    problems.push(format!(
                        "{at} has an event name of {chars} characters, and GitHub takes 1 to {MAX_EVENT_CHARS}; shorten `event`"
                    ));
                }
                if payload.len() > MAX_PAYLOAD_KEYS {
                    problems.push(format!(
                        "{at} sends a payload of {} top-level keys, and GitHub takes at most {MAX_PAYLOAD_KEYS}; nest some of them under one key",
                        payload.len()
                    ));
                }
                let bytes = serde_json::to_string(payload).map_or(0, |text| text.len());
                if bytes >= MAX_PAYLOAD_BYTES {
                    problems.push(format!(
                        "{at} sends a payload of {bytes} bytes, and GitHub takes less than {MAX_PAYLOAD_BYTES}; send less"
                    ));
                }
            }
        }
    }
    problems
}

/// The warning for each event target among `targets` that names no workflow its event starts:
/// nothing then tells a re-run whether the event was sent, and it sends it again. Not a problem:
/// an event sent twice is the lesser harm, and some workflows cannot be looked for.
pub fn unprobed_event_warnings<'t>(
    config_file: &str,
    targets: impl IntoIterator<Item = &'t DeployTarget>,
) -> Vec<String> {
    targets
        .into_iter()
        .filter_map(|target| match &target.kind {
            TargetKind::Event {
                event,
                starts: None,
                ..
            } => Some(format!(
                "`[deploy.{}]` ({config_file}, line {}) names no workflow its event starts, so a re-run of a release that stopped cannot tell whether the `{event}` event was sent, and will send it again; name the workflow file that runs on it, such as `starts = \"deploy.yml\"`, so that a re-run looks for its run",
                target.name, target.line
            )),
            _ => None,
        })
        .collect()
}

/// The web page of the GitHub release of `tag` in the repository whose page is `html_url`.
pub fn release_url(html_url: &str, tag: &str) -> String {
    let mut encoded = String::with_capacity(tag.len());
    for byte in tag.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'+') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{}/releases/tag/{encoded}", html_url.trim_end_matches('/'))
}

/// The release asked for by `text` (`1.2.0`, `v1.2.0` or the tag's name) among `releases`
/// (highest version first), or an error that lists the newest there are.
pub fn find_release(
    text: &str,
    releases: &[(semver::Version, String)],
) -> std::result::Result<(semver::Version, String), String> {
    let text = text.trim();
    let wanted = semver::Version::parse(text.strip_prefix('v').unwrap_or(text)).ok();
    let found = releases.iter().find(|(version, tag)| {
        tag == text || wanted.as_ref().is_some_and(|wanted| wanted == version)
    });
    if let Some(found) = found {
        return Ok(found.clone());
    }
    const SHOWN: usize = 10;
    let listed = releases
        .iter()
        .take(SHOWN)
        .map(|(version, _)| version.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let what = if wanted.is_some() {
        format!("{text} has no release tag")
    } else {
        format!("`{text}` is neither a version nor a release tag")
    };
    Err(match releases.len() {
        0 => format!("{what}: this repository has no release tag yet"),
        n if n > SHOWN => format!(
            "{what}; the newest releases are {listed} (and {} more)",
            n - SHOWN
        ),
        _ => format!("{what}; the releases are {listed}"),
    })
}

/// The newest release `on` runs, among `releases` (highest version first).
pub fn newest_for(
    on: When,
    releases: &[(semver::Version, String)],
) -> Option<(semver::Version, String)> {
    releases
        .iter()
        .find(|(version, _)| on.runs(version))
        .cloned()
}

/// The highest release below `current` that `on` runs: what a rollback puts back.
pub fn previous_for(
    on: When,
    releases: &[(semver::Version, String)],
    current: &semver::Version,
) -> Option<(semver::Version, String)> {
    releases
        .iter()
        .find(|(version, _)| version < current && on.runs(version))
        .cloned()
}

/// The marks that tell `target`'s runs from those of the other targets whose runs are in the
/// same workflow file: the targets' names, and the fixed values (no placeholder) only one of
/// them has — input values of a workflow, the event type of an event (GitHub's title of a
/// `repository_dispatch` run without `run-name`).
pub fn run_marks(targets: &[DeployTarget], target: &DeployTarget) -> RunMarks {
    let Some(workflow) = runs_in(target) else {
        return RunMarks::default();
    };
    let sharing: Vec<&DeployTarget> = targets
        .iter()
        .filter(|other| {
            runs_in(other) == Some(workflow)
                && matches!(&other.kind, TargetKind::Workflow { .. })
                    == matches!(&target.kind, TargetKind::Workflow { .. })
        })
        .collect();
    let fixed_values = |of: &DeployTarget| -> Vec<String> {
        let fixed = |value: &&str| !value.contains("{{") && !value.trim().is_empty();
        match &of.kind {
            TargetKind::Workflow { inputs, .. } => inputs
                .values()
                .filter_map(Value::as_str)
                .filter(fixed)
                .map(String::from)
                .collect(),
            TargetKind::Event { event, .. } => Some(event.as_str())
                .filter(fixed)
                .map(String::from)
                .into_iter()
                .collect(),
        }
    };
    let words_of = |of: &DeployTarget| -> Vec<String> {
        let mut words = vec![of.name.clone()];
        for value in fixed_values(of) {
            let shared = sharing
                .iter()
                .filter(|other| other.name != of.name)
                .any(|other| fixed_values(other).contains(&value));
            if !shared && !words.contains(&value) {
                words.push(value);
            }
        }
        words
    };
    RunMarks {
        own: words_of(target),
        others: sharing
            .iter()
            .filter(|other| other.name != target.name)
            .flat_map(|other| words_of(other))
            .collect(),
    }
}

/// Whether a run's title names versions and none of them is `version`: then it is another
/// version's run (an event's run is told from others only by its title, when its workflow's
/// `run-name` names the version). A title that names no version says nothing.
pub fn names_another_version(title: &str, version: &str) -> bool {
    let pattern = regex::Regex::new(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]*[0-9A-Za-z])?")
        .expect("a valid pattern");
    let mut named = pattern
        .find_iter(title)
        .map(|found| found.as_str())
        .peekable();
    named.peek().is_some() && !named.any(|named| named == version)
}

/// The workflow file a target's runs are in: its workflow, or the workflow its event starts.
fn runs_in(target: &DeployTarget) -> Option<&str> {
    match &target.kind {
        TargetKind::Workflow { workflow, .. } => Some(workflow),
        TargetKind::Event { starts, .. } => starts.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(name: &str, on: When, environment: &str) -> DeployTarget {
        let mut inputs = Map::new();
        inputs.insert("environment".into(), Value::from(environment));
        inputs.insert("version".into(), Value::from("{{version}}"));
        inputs.insert("commit".into(), Value::from("{{sha}}"));
        DeployTarget {
            name: name.into(),
            on,
            kind: TargetKind::Workflow {
                workflow: "deploy.yml".into(),
                git_ref: "{{tag}}".into(),
                inputs,
            },
            line: 3,
        }
    }

    fn releases(versions: &[&str]) -> Vec<(semver::Version, String)> {
        versions
            .iter()
            .map(|text| (semver::Version::parse(text).unwrap(), format!("v{text}")))
            .collect()
    }

    #[test]
    fn targets_accept_versions_by_their_kind() {
        let stable = semver::Version::parse("1.2.0").unwrap();
        let pre = semver::Version::parse("1.2.0-rc.1").unwrap();
        assert!(When::Stable.accepts(&stable) && !When::Stable.accepts(&pre));
        assert!(When::Prerelease.accepts(&pre) && !When::Prerelease.accepts(&stable));
        assert!(When::Always.accepts(&pre) && When::Always.accepts(&stable));
        assert!(!When::Never.accepts(&stable) && When::Never.runs(&stable));
    }

    #[test]
    fn a_spec_fills_every_placeholder_and_the_sha_once_known() {
        let target = workflow("production", When::Stable, "production");
        let version = semver::Version::parse("1.2.0").unwrap();
        let context = DeployContext {
            repository: "octo/rocket",
            version: &version,
            tag: "v1.2.0",
            previous_version: None,
            sha: None,
            release_url: "https://github.com/octo/rocket/releases/tag/v1.2.0",
        };
        let spec = deploy_spec(&target, &context);
        assert!(spec.pending_sha);
        let spec = spec.with_sha("abc123");
        let Dispatch::Workflow {
            git_ref, inputs, ..
        } = &spec.dispatch
        else {
            panic!("{spec:?}")
        };
        assert_eq!(git_ref, "v1.2.0");
        assert_eq!(inputs["version"], "1.2.0");
        assert_eq!(inputs["commit"], "abc123");
        assert_eq!(inputs["environment"], "production");
    }

    #[test]
    fn releases_are_found_by_version_or_tag_and_unknown_ones_list_what_exists() {
        let releases = releases(&["1.1.0", "1.1.0-rc.1", "1.0.0"]);
        assert_eq!(find_release("v1.0.0", &releases).unwrap().1, "v1.0.0");
        assert_eq!(
            find_release("1.1.0-rc.1", &releases).unwrap().1,
            "v1.1.0-rc.1"
        );
        let error = find_release("2.0.0", &releases).unwrap_err();
        assert!(error.contains("1.1.0, 1.1.0-rc.1, 1.0.0"), "{error}");
        assert_eq!(
            previous_for(When::Stable, &releases, &releases[0].0)
                .unwrap()
                .1,
            "v1.0.0"
        );
        assert_eq!(
            newest_for(When::Prerelease, &releases).unwrap().1,
            "v1.1.0-rc.1"
        );
        assert!(previous_for(When::Prerelease, &releases, &releases[1].0).is_none());
    }

    #[test]
    fn run_marks_tell_targets_sharing_a_workflow_apart() {
        let targets = [
            workflow("staging", When::Prerelease, "stage"),
            workflow("production", When::Stable, "prod"),
        ];
        let marks = run_marks(&targets, &targets[1]);
        assert!(marks.is_ours("Deploy 1.2.0 to prod"));
        assert!(!marks.is_ours("Deploy 1.2.0 to stage"));
        // A workflow without `run-name` names neither: it counts, so nothing is sent twice.
        assert!(marks.is_ours("deploy"));
    }

    #[test]
    fn run_marks_tell_events_starting_one_workflow_apart() {
        let event = |name: &str, event: &str, starts: Option<&str>| DeployTarget {
            name: name.into(),
            on: When::Always,
            kind: TargetKind::Event {
                event: event.into(),
                payload: Map::new(),
                starts: starts.map(String::from),
            },
            line: 1,
        };
        let targets = [
            event("announce", "release-published", Some("notify.yml")),
            event("mirror", "mirror-release", Some("notify.yml")),
            event("elsewhere", "shipped", Some("other.yml")),
            event("blind", "shipped", None),
            workflow("production", When::Stable, "prod"),
        ];
        // GitHub titles a `repository_dispatch` run without `run-name` by its event type.
        let announce = run_marks(&targets, &targets[0]);
        assert!(announce.is_ours("release-published"));
        assert!(!announce.is_ours("mirror-release"));
        assert!(announce.is_ours("Notify"));
        // Alone in its workflow: every run there is its own.
        assert!(run_marks(&targets, &targets[2]).others.is_empty());
        assert_eq!(run_marks(&targets, &targets[3]), RunMarks::default());
        // A workflow target is not told apart from events, whose runs are of another event.
        assert!(
            !run_marks(&targets, &targets[4])
                .others
                .contains(&String::from("release-published"))
        );
    }

    #[test]
    fn a_run_title_naming_other_versions_only_is_another_versions() {
        let rows: &[(&str, &str, bool)] = &[
            ("release-published", "1.2.0", false),
            ("release-published 1.2.0", "1.2.0", false),
            ("Announce v1.2.0 (after v1.1.0)", "1.2.0", false),
            ("release-published 1.3.0", "1.2.0", true),
            ("Announce 1.2.0-rc.1.", "1.2.0-rc.1", false),
            ("Announce 1.2.0-rc.1", "1.2.0", true),
            ("Announce 1.2.0", "1.2.0-rc.1", true),
        ];
        for (title, version, expected) in rows {
            assert_eq!(
                names_another_version(title, version),
                *expected,
                "{title} / {version}"
            );
        }
    }

    #[test]
    fn only_an_event_without_starts_is_warned_of() {
        let event = |name: &str, starts: Option<&str>| DeployTarget {
            name: name.into(),
            on: When::Always,
            kind: TargetKind::Event {
                event: String::from("release-published"),
                payload: Map::new(),
                starts: starts.map(String::from),
            },
            line: 9,
        };
        let targets = [
            workflow("production", When::Stable, "prod"),
            event("announce", Some("announce.yml")),
            event("blind", None),
        ];
        let warnings = unprobed_event_warnings("relcut.toml", &targets);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("`[deploy.blind]` (relcut.toml, line 9)"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[0].contains("`release-published` event")
                && warnings[0].contains("starts = \"deploy.yml\""),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn github_limits_are_problems_naming_the_line() {
        let mut target = workflow("production", When::Stable, "production");
        if let TargetKind::Workflow { inputs, .. } = &mut target.kind {
            for n in 0..23 {
                inputs.insert(format!("i{n}"), Value::from("x"));
            }
        }
        let version = semver::Version::parse("1.2.0").unwrap();
        let spec = deploy_spec(
            &target,
            &DeployContext {
                repository: "octo/rocket",
                version: &version,
                tag: "v1.2.0",
                previous_version: None,
                sha: Some("abc"),
                release_url: "",
            },
        );
        let problems = limit_problems(std::slice::from_ref(&target), &[spec]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("line 3") && problems[0].contains("26 inputs"));
    }
}
