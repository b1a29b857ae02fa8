//! Running unattended and in GitHub Actions: the one rule that decides whether relcut may ask,
//! the branch a detached Actions checkout releases, and the step outputs, step summary and
//! annotations as views of a command's outcome. Pure: the environment comes in as a function,
//! and writing the files is `ui`'s.

use crate::apply::executor::PublishedRelease;
use crate::outcome::{DeployOutcome, DeployReport, PublishOutcome, ReleaseOutcome};
use crate::plan::deploy::Dispatch;

/// Reads one environment variable; `None` when unset.
pub type Environment<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Whether relcut runs in CI: `CI` is set to anything but empty, `false` or `0`.
pub fn in_ci(environment: Environment<'_>) -> bool {
    crate::config::running_in_ci(environment)
}

/// Whether relcut runs as a GitHub Actions step (`GITHUB_ACTIONS=true`).
pub fn in_github_actions(environment: Environment<'_>) -> bool {
    environment("GITHUB_ACTIONS").as_deref() == Some("true")
}

/// Whether relcut runs unattended: `--yes`, or in CI. Unattended, it never asks: every decision
/// comes from the flags, the environment and the configuration.
pub fn unattended(yes: bool, environment: Environment<'_>) -> bool {
    yes || in_ci(environment)
}

/// The branch a detached HEAD releases in GitHub Actions, or `None`. Actions checks out a
/// tag, a SHA or a pull request's merge commit detached; a release needs a branch to push to, so
/// it takes `GITHUB_REF_NAME` when the run is for a branch (`GITHUB_REF_TYPE=branch`) and HEAD
/// is that branch's tip (the remote-tracking ref the checkout fetched) or the run's commit
/// (`GITHUB_SHA`). A pull request run (`GITHUB_HEAD_REF` set) checks out a merge commit that is
/// on no branch: releasing it would push a commit nobody merged, so it gets none.
pub fn actions_branch(
    environment: Environment<'_>,
    head: &str,
    tracking_tip: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let set = |name: &str| environment(name).filter(|value| !value.is_empty());
    if !in_github_actions(environment)
        || set("GITHUB_HEAD_REF").is_some()
        || set("GITHUB_REF_TYPE").as_deref() != Some("branch")
    {
        return None;
    }
    let branch = set("GITHUB_REF_NAME")?;
    let at_tip = tracking_tip(&branch).is_some_and(|tip| tip == head);
    let at_sha = set("GITHUB_SHA").is_some_and(|sha| sha == head);
    (at_tip || at_sha).then_some(branch)
}

/// What a run tells GitHub Actions: the step's outputs and its summary are both views of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Whether a version was released (or published) by this run or an earlier one it finished.
    pub released: bool,
    /// The heading of the summary: what happened.
    pub title: String,
    /// Why: the plan's reason, or why nothing was released.
    pub why: String,
    /// The version; empty when none.
    pub version: String,
    /// The version before it; empty when none or unknown.
    pub previous_version: String,
    /// The tag; empty when none.
    pub tag: String,
    /// Whether the version is a prerelease.
    pub prerelease: bool,
    /// The GitHub release's page; empty when none.
    pub release_url: String,
    /// The GitHub release's id; empty when none.
    pub release_id: String,
    /// The deploys started or found, then any rollbacks.
    pub deploys: Vec<DeployReport>,
    /// The release notes.
    pub notes: String,
}

/// The GitHub release's page and id as outputs; empty when there is none.
fn release_outputs(release: Option<&PublishedRelease>) -> (String, String) {
    release.map_or_else(Default::default, |release| {
        (release.url.clone(), release.id.to_string())
    })
}

impl Report {
    /// The report of a finished `relcut release`.
    pub fn of_release(outcome: &ReleaseOutcome) -> Report {
        let plan = &outcome.plan;
        let (release_url, release_id) = release_outputs(outcome.release.as_ref());
        Report {
            released: outcome.released,
            title: format!("Released {} ({})", plan.next_version, plan.tag),
            why: plan.reason.clone(),
            version: plan.next_version.to_string(),
            previous_version: plan
                .current_version
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            tag: outcome.tag.clone().unwrap_or_else(|| plan.tag.clone()),
            prerelease: plan.prerelease,
            release_url,
            release_id,
            deploys: outcome.deploys.clone(),
            notes: plan.notes.clone(),
        }
    }

    /// The report of a finished `relcut publish`.
    pub fn of_publish(outcome: &PublishOutcome) -> Report {
        let (release_url, release_id) = release_outputs(outcome.release.as_ref());
        Report {
            released: !outcome.dry_run,
            title: format!("Published {} ({})", outcome.version, outcome.tag),
            why: String::from("The version files at HEAD say this version."),
            version: outcome.version.to_string(),
            previous_version: String::new(),
            tag: outcome.tag.clone(),
            prerelease: !outcome.version.pre.is_empty(),
            release_url,
            release_id,
            deploys: outcome.deploys.clone(),
            notes: outcome.notes.clone(),
        }
    }

    /// The report of a finished `relcut deploy` or `relcut rollback`: it releases nothing.
    pub fn of_deploy(outcome: &DeployOutcome) -> Report {
        let verb = if outcome.command == "rollback" {
            "Rolled back"
        } else {
            "Deployed"
        };
        Report {
            released: false,
            title: format!("{verb} `{}` to {}", outcome.target, outcome.version),
            why: format!(
                "`relcut {}` was run for `{}`.",
                outcome.command, outcome.target
            ),
            version: outcome.version.clone(),
            tag: outcome.tag.clone(),
            prerelease: outcome.version.contains('-'),
            deploys: outcome.deploys.clone(),
            ..Report::default()
        }
    }

    /// Nothing was released, and why (nothing to release, or the error that stopped the run).
    pub fn not_released(title: &str, why: &str) -> Report {
        Report {
            title: title.to_string(),
            why: why.to_string(),
            ..Report::default()
        }
    }

    /// The step outputs, in order: every key always, an empty value when not known.
    pub fn outputs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("released", self.released.to_string()),
            ("version", self.version.clone()),
            ("previous_version", self.previous_version.clone()),
            ("tag", self.tag.clone()),
            ("prerelease", self.prerelease.to_string()),
            ("release_url", self.release_url.clone()),
            ("release_id", self.release_id.clone()),
            ("deploys", deploys_json(&self.deploys)),
            ("notes", self.notes.clone()),
        ]
    }

    /// The step summary, in Markdown: what happened and why, the links, the notes.
    pub fn summary(&self) -> String {
        let mut text = format!("## {}\n\n{}\n", self.title, self.why.trim());
        let mut links = Vec::new();
        if !self.release_url.is_empty() {
            links.push(format!(
                "- GitHub release: [{}]({})",
                self.tag, self.release_url
            ));
        }
        for deploy in &self.deploys {
            let what = match &deploy.rollback_of {
                Some(from) => format!(
                    "Rollback of `{}` from {from} to {}",
                    deploy.target, deploy.version
                ),
                None => format!("Deploy of {} to `{}`", deploy.version, deploy.target),
            };
            let run = match (&deploy.url, deploy.run_id, &deploy.dispatch) {
                (Some(url), Some(id), _) => format!("[run {id}]({url})"),
                (Some(url), None, _) => format!("[the run]({url})"),
                (None, _, Dispatch::Event { event, .. }) => format!("event `{event}` sent"),
                _ => String::from("no run found"),
            };
            let end = deploy
                .conclusion
                .as_ref()
                .map(|conclusion| format!(" ({conclusion})"))
                .unwrap_or_default();
            // In CI nobody watches the log: an event sent again says why here too.
            let note = deploy
                .note
                .as_ref()
                .map(|note| format!("; {note}"))
                .unwrap_or_default();
            links.push(format!("- {what}: {run}{end}{note}"));
        }
        if !links.is_empty() {
            text.push('\n');
            text.push_str(&links.join("\n"));
            text.push('\n');
        }
        if !self.notes.trim().is_empty() {
            text.push_str("\n**Release notes**\n\n");
            text.push_str(self.notes.trim_end());
            text.push('\n');
        }
        text
    }
}

/// The deploys as one line of JSON: `[{"target", "kind", "workflow" | "event", "run_id",
/// "run_url", "conclusion"}]`, `null` for what is not known.
fn deploys_json(deploys: &[DeployReport]) -> String {
    let items: Vec<serde_json::Value> = deploys
        .iter()
        .map(|deploy| {
            let mut item = serde_json::json!({
                "target": deploy.target,
                "version": deploy.version,
                "run_id": deploy.run_id,
                "run_url": deploy.url,
                "conclusion": deploy.conclusion,
            });
            match &deploy.dispatch {
                Dispatch::Workflow { workflow, .. } => {
                    item["kind"] = "workflow".into();
                    item["workflow"] = workflow.as_str().into();
                }
                Dispatch::Event { event, .. } => {
                    item["kind"] = "event".into();
                    item["event"] = event.as_str().into();
                }
            }
            if let Some(from) = &deploy.rollback_of {
                item["rollback_of"] = from.as_str().into();
            }
            item
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

/// The outputs as lines of the `GITHUB_OUTPUT` file: `key=value`, or for the notes and any
/// value with a line break `key<<DELIMITER`, the value, `DELIMITER`. `delimiter` makes a fresh
/// random delimiter; one that occurs in the value is not used, since it would end it early.
pub fn render_outputs(outputs: &[(&str, String)], delimiter: &mut dyn FnMut() -> String) -> String {
    let mut text = String::new();
    for (key, value) in outputs {
        if *key != "notes" && !value.contains(['\n', '\r']) {
            text.push_str(&format!("{key}={value}\n"));
            continue;
        }
        let mut fence = delimiter();
        while value.contains(&fence) || key.contains(&fence) {
            fence = delimiter();
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        text.push_str(&format!("{key}<<{fence}\n{value}\n{fence}\n"));
    }
    text
}

/// An error as a workflow command: one line, `%`, CR and LF escaped as the Actions spec says.
pub fn error_annotation(message: &str) -> String {
    format!("::error::{}", escape_data(message))
}

/// The escaping of a workflow command's data.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A group's start line, its name escaped like a command's data.
pub fn group_start(name: &str) -> String {
    format!("::group::{}", escape_data(name))
}

/// The line that closes a group.
pub const GROUP_END: &str = "::endgroup::";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::executor::StepStatus;

    fn environment(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        }
    }

    #[test]
    fn unattended_with_yes_or_in_ci() {
        // (yes, CI, unattended)
        let rows = [
            (false, None, false),
            (true, None, true),
            (false, Some("true"), true),
            (false, Some("1"), true),
            (false, Some("false"), false),
            (false, Some("0"), false),
            (false, Some(""), false),
            (true, Some("false"), true),
        ];
        for (yes, ci, expected) in rows {
            let pairs: Vec<(&str, &str)> = ci.map(|value| ("CI", value)).into_iter().collect();
            assert_eq!(
                unattended(yes, &environment(&pairs)),
                expected,
                "{yes} {ci:?}"
            );
        }
    }

    #[test]
    fn a_detached_actions_checkout_releases_its_branch_only_at_its_tip() {
        let head = "abc";
        let tip = |branch: &str| (branch == "main").then(|| String::from("abc"));
        let base = [
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_REF_TYPE", "branch"),
            ("GITHUB_REF_NAME", "main"),
        ];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = base.to_vec();
            pairs.retain(|(key, _)| !extra.iter().any(|(other, _)| other == key));
            pairs.extend_from_slice(extra);
            actions_branch(&environment(&pairs), head, &tip)
        };
        assert_eq!(with(&[]), Some(String::from("main")));
        assert_eq!(with(&[("GITHUB_ACTIONS", "false")]), None);
        assert_eq!(with(&[("GITHUB_REF_TYPE", "tag")]), None);
        assert_eq!(with(&[("GITHUB_HEAD_REF", "feature")]), None);
        // Another branch: HEAD is not its tip, unless it is the run's commit.
        assert_eq!(with(&[("GITHUB_REF_NAME", "release")]), None);
        assert_eq!(
            with(&[("GITHUB_REF_NAME", "release"), ("GITHUB_SHA", "abc")]),
            Some(String::from("release"))
        );
        assert_eq!(with(&[("GITHUB_REF_NAME", "")]), None);
    }

    fn deploy(conclusion: Option<&str>) -> DeployReport {
        DeployReport {
            target: String::from("production"),
            version: String::from("1.2.0"),
            dispatch: Dispatch::Workflow {
                workflow: String::from("deploy.yml"),
                git_ref: String::from("v1.2.0"),
                inputs: serde_json::Map::new(),
            },
            run_id: Some(42),
            url: Some(String::from(
                "https://github.com/octo/rocket/actions/runs/42",
            )),
            status: StepStatus::Done,
            conclusion: conclusion.map(String::from),
            rollback_of: None,
            note: None,
        }
    }

    fn released() -> Report {
        Report {
            released: true,
            title: String::from("Released 1.2.0 (v1.2.0)"),
            why: String::from("The commits since the last release ask for a minor bump."),
            version: String::from("1.2.0"),
            previous_version: String::from("1.1.0"),
            tag: String::from("v1.2.0"),
            prerelease: false,
            release_url: String::from("https://github.com/octo/rocket/releases/tag/v1.2.0"),
            release_id: String::from("7"),
            deploys: vec![deploy(Some("success"))],
            notes: String::from("### Added\n\n- An engine\n"),
        }
    }

    #[test]
    fn outputs_name_every_key_and_leave_the_unknown_empty() {
        let outputs = released().outputs();
        let keys: Vec<&str> = outputs.iter().map(|(key, _)| *key).collect();
        assert_eq!(
            keys,
            [
                "released",
                "version",
                "previous_version",
                "tag",
                "prerelease",
                "release_url",
                "release_id",
                "deploys",
                "notes"
            ]
        );
        assert_eq!(outputs[0].1, "true");
        assert_eq!(
            outputs[7].1,
            r#"[{"conclusion":"success","kind":"workflow","run_id":42,"run_url":"https://github.com/octo/rocket/actions/runs/42","target":"production","version":"1.2.0","workflow":"deploy.yml"}]"#
        );
        let nothing = Report::not_released("Nothing to release", "No commit asks for a bump.");
        let values: Vec<String> = nothing.outputs().into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, ["false", "", "", "", "false", "", "", "[]", ""]);
    }

    #[test]
    fn multi_line_values_are_fenced_by_a_delimiter_they_do_not_hold() {
        let outputs = vec![
            ("tag", String::from("v1.2.0")),
            (
                "notes",
                String::from("line one\nghadelimiter_1\nline three\n"),
            ),
            ("empty", String::new()),
        ];
        let mut candidates = ["ghadelimiter_1", "ghadelimiter_2"].into_iter();
        let text = render_outputs(&outputs, &mut || candidates.next().unwrap().to_string());
        assert_eq!(
            text,
            "tag=v1.2.0\nnotes<<ghadelimiter_2\nline one\nghadelimiter_1\nline three\nghadelimiter_2\nempty=\n"
        );
    }

    #[test]
    fn annotations_are_one_line() {
        assert_eq!(
            error_annotation("100% wrong\r\nsecond line"),
            "::error::100%25 wrong%0D%0Asecond line"
        );
        assert_eq!(group_start("Push"), "::group::Push");
    }

    #[test]
    fn summaries_say_what_why_and_where() {
        insta::assert_snapshot!("summary_released", released().summary());
        let mut rolled_back = released();
        rolled_back.deploys.push(DeployReport {
            rollback_of: Some(String::from("1.2.0")),
            version: String::from("1.1.0"),
            ..deploy(Some("success"))
        });
        rolled_back.deploys[0].conclusion = Some(String::from("failure"));
        insta::assert_snapshot!("summary_rolled_back", rolled_back.summary());
        insta::assert_snapshot!(
            "summary_nothing",
            Report::not_released(
                "Nothing to release",
                "no commit since v1.1.0 asks for a new version"
            )
            .summary()
        );
    }

    #[test]
    fn an_event_sent_again_says_why_in_the_summary() {
        let mut report = released();
        report.deploys = vec![DeployReport {
            target: String::from("announce"),
            dispatch: Dispatch::Event {
                event: String::from("release-published"),
                payload: serde_json::Map::new(),
                starts: None,
            },
            run_id: None,
            url: None,
            note: Some(String::from("sent again: relcut cannot look for its run")),
            ..deploy(None)
        }];
        let summary = report.summary();
        assert!(
            summary.contains(
                "- Deploy of 1.2.0 to `announce`: event `release-published` sent; sent again: relcut cannot look for its run\n"
            ),
            "{summary}"
        );
    }
}
