//! What a workflow file's `on:` says about `repository_dispatch`, and the problem of an event
//! target whose `starts` names a workflow that its event would not start. Pure: it reads the
//! text it is given, never the file system.
//!
//! The reading is deliberately small: the forms GitHub documents for `on:` (a name, a list of
//! names, a map of names) and `types:` under `repository_dispatch`. Whatever else the file holds
//! (text that is not YAML, an `on:` built some other way) says nothing, and nothing is reported:
//! GitHub, not relcut, is the judge of a workflow file.

use yaml_rust2::{Yaml, YamlLoader};

use crate::plan::deploy::DeployTarget;

/// The event a workflow must run on for a `repository_dispatch` to start it.
const REPOSITORY_DISPATCH: &str = "repository_dispatch";

/// What a workflow file's `on:` says about `repository_dispatch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DispatchTrigger {
    /// It runs on `repository_dispatch`: of every type (`None`), or of these types only.
    Listens(Option<Vec<String>>),
    /// It does not; these are the events it runs on.
    Ignores(Vec<String>),
    /// The text does not tell (not YAML, or an `on:` of another shape).
    Unknown,
}

/// Reads the `on:` of the workflow file `text`.
pub fn repository_dispatch_trigger(text: &str) -> DispatchTrigger {
    let Ok(documents) = YamlLoader::load_from_str(text) else {
        return DispatchTrigger::Unknown;
    };
    let Some(Yaml::Hash(top)) = documents.first() else {
        return DispatchTrigger::Unknown;
    };
    // YAML 1.1 readers take a bare `on` for `true`; GitHub's does not, but a file written
    // through one may say `true:`.
    let on = top
        .get(&Yaml::String(String::from("on")))
        .or_else(|| top.get(&Yaml::Boolean(true)));
    match on {
        Some(Yaml::String(event)) => one_of(std::slice::from_ref(event)),
        Some(Yaml::Array(items)) => match names(items) {
            Some(events) => one_of(&events),
            None => DispatchTrigger::Unknown,
        },
        Some(Yaml::Hash(events)) => {
            match events.get(&Yaml::String(String::from(REPOSITORY_DISPATCH))) {
                None => {
                    let listed: Option<Vec<String>> = events
                        .keys()
                        .map(|key| key.as_str().map(String::from))
                        .collect();
                    listed.map_or(DispatchTrigger::Unknown, DispatchTrigger::Ignores)
                }
                Some(Yaml::Null) => DispatchTrigger::Listens(None),
                Some(Yaml::Hash(settings)) => {
                    match settings.get(&Yaml::String(String::from("types"))) {
                        None | Some(Yaml::Null) => DispatchTrigger::Listens(None),
                        Some(Yaml::String(single)) => {
                            DispatchTrigger::Listens(Some(vec![single.clone()]))
                        }
                        Some(Yaml::Array(types)) => names(types)
                            .map_or(DispatchTrigger::Unknown, |types| {
                                DispatchTrigger::Listens(Some(types))
                            }),
                        Some(_) => DispatchTrigger::Unknown,
                    }
                }
                Some(_) => DispatchTrigger::Unknown,
            }
        }
        _ => DispatchTrigger::Unknown,
    }
}

fn one_of(events: &[String]) -> DispatchTrigger {
    if events.iter().any(|event| event == REPOSITORY_DISPATCH) {
        DispatchTrigger::Listens(None)
    } else {
        DispatchTrigger::Ignores(events.to_vec())
    }
}

/// The items as names, when every one is a plain string.
fn names(items: &[Yaml]) -> Option<Vec<String>> {
    items
        .iter()
        .map(|item| item.as_str().map(String::from))
        .collect()
}

/// The workflow file `starts` names, as the repository holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowFile {
    /// Committed at HEAD, with this text (`None` when it is not UTF-8).
    Committed(Option<String>),
    /// In the work tree, not in HEAD's tree: the push would not take it to GitHub.
    Uncommitted,
    /// Nowhere; `other` is a file of `.github/workflows/` that differs only by `.yml`/`.yaml`.
    Missing {
        /// The near name, when there is one.
        other: Option<String>,
    },
}

/// What is wrong with `target`'s `starts = "WORKFLOW"`, given the file and the event type the
/// target sends (`event`, its template filled in; `None` when it is not known yet): the file
/// must be committed and, when its `on:` tells, run on `repository_dispatch` of that type.
pub fn starts_problem(
    config_file: &str,
    target: &DeployTarget,
    workflow: &str,
    event: Option<&str>,
    file: &WorkflowFile,
) -> Option<String> {
    let path = format!(".github/workflows/{workflow}");
    let at = format!(
        "`[deploy.{}]` ({config_file}, line {}) says its event starts `{workflow}` (`starts = \"{workflow}\"`)",
        target.name, target.line
    );
    let sent = event.map_or_else(
        || String::from("its event"),
        |event| format!("the `{event}` event"),
    );
    let no_starts = "or remove `starts` (a re-run then cannot tell whether the event was sent, and sends it again)";
    match file {
        WorkflowFile::Missing { other } => Some(match other {
            Some(other) => format!(
                "{at}, and the repository has no `{path}` but `.github/workflows/{other}`; set `starts = \"{other}\"`"
            ),
            None => format!(
                "{at}, and the repository has no `{path}` at HEAD; set `starts` to the file of `.github/workflows/` that runs on `repository_dispatch` when {sent} comes, {no_starts}"
            ),
        }),
        WorkflowFile::Uncommitted => Some(format!(
            "{at}, and `{path}` is not committed: GitHub starts a workflow for an event only from the files of the default branch, so {sent} would start no run of it; commit it, then release"
        )),
        WorkflowFile::Committed(None) => None,
        WorkflowFile::Committed(Some(text)) => match repository_dispatch_trigger(text) {
            DispatchTrigger::Unknown | DispatchTrigger::Listens(None) => None,
            DispatchTrigger::Ignores(events) => Some(format!(
                "{at}, and `{path}` does not run on `repository_dispatch` ({}), so {sent} would start no run of it; add `repository_dispatch:` to its `on:`{}, or name the workflow that has it, {no_starts}",
                if events.is_empty() {
                    String::from("its `on:` names no event")
                } else {
                    format!(
                        "its `on:` names {}",
                        events
                            .iter()
                            .map(|event| format!("`{event}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                event.map_or_else(String::new, |event| format!(" with `types: [{event}]`"))
            )),
            DispatchTrigger::Listens(Some(types)) => {
                let event = event?;
                if types.iter().any(|listed| listed == event) {
                    return None;
                }
                Some(format!(
                    "{at}, and `{path}` runs on `repository_dispatch` of the types {} only, not `{event}`, so the event would start no run of it; add `{event}` to its `types:`, or name the workflow that runs on it, {no_starts}",
                    types
                        .iter()
                        .map(|listed| format!("`{listed}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::deploy::{TargetKind, When};

    #[test]
    fn the_on_of_a_workflow_is_read_in_every_documented_form() {
        let listens = |types: &[&str]| {
            DispatchTrigger::Listens(Some(types.iter().map(|t| t.to_string()).collect()))
        };
        let ignores = |events: &[&str]| {
            DispatchTrigger::Ignores(events.iter().map(|e| e.to_string()).collect())
        };
        let deep = "[".repeat(100_000);
        let rows: Vec<(&str, DispatchTrigger)> = vec![
            ("on: repository_dispatch\n", DispatchTrigger::Listens(None)),
            (
                "on: [push, repository_dispatch]\n",
                DispatchTrigger::Listens(None),
            ),
            (
                "on:\n  repository_dispatch:\n",
                DispatchTrigger::Listens(None),
            ),
            (
                "on:\n  repository_dispatch:\n    types: [release-published, other]\n",
                listens(&["release-published", "other"]),
            ),
            (
                "on:\n  repository_dispatch:\n    types:\n      - release-published\n",
                listens(&["release-published"]),
            ),
            (
                "on:\n  repository_dispatch:\n    types: release-published\n",
                listens(&["release-published"]),
            ),
            (
                "\"on\": {repository_dispatch: {}}\n",
                DispatchTrigger::Listens(None),
            ),
            (
                "true:\n  repository_dispatch:\n",
                DispatchTrigger::Listens(None),
            ),
            ("on: push\n", ignores(&["push"])),
            (
                "on: [push, workflow_dispatch]\n",
                ignores(&["push", "workflow_dispatch"]),
            ),
            (
                "on:\n  push:\n    branches: [main]\n  workflow_dispatch:\n",
                ignores(&["push", "workflow_dispatch"]),
            ),
            ("name: no trigger\njobs: {}\n", DispatchTrigger::Unknown),
            ("on: [push\n", DispatchTrigger::Unknown),
            ("- a list\n", DispatchTrigger::Unknown),
            ("", DispatchTrigger::Unknown),
            (
                "on:\n  repository_dispatch:\n    types: 3\n",
                DispatchTrigger::Unknown,
            ),
            ("on: [{nested: map}]\n", DispatchTrigger::Unknown),
            (&deep, DispatchTrigger::Unknown),
        ];
        for (text, expected) in rows {
            assert_eq!(
                repository_dispatch_trigger(text),
                expected,
                "{}",
                &text[..text.len().min(80)]
            );
        }
    }

    fn announce() -> DeployTarget {
        DeployTarget {
            name: String::from("announce"),
            on: When::Always,
            kind: TargetKind::Event {
                event: String::from("release-published"),
                payload: serde_json::Map::new(),
                starts: Some(String::from("announce.yml")),
            },
            line: 7,
        }
    }

    #[test]
    fn a_starts_naming_a_workflow_the_event_does_not_start_is_a_problem() {
        let committed = |text: &str| WorkflowFile::Committed(Some(text.to_string()));
        let rows: Vec<(WorkflowFile, Option<&str>)> = vec![
            (committed("on: repository_dispatch\n"), None),
            (
                committed("on:\n  repository_dispatch:\n    types: [release-published]\n"),
                None,
            ),
            (committed("not: [yaml"), None),
            (WorkflowFile::Committed(None), None),
            (
                committed("on:\n  repository_dispatch:\n    types: [deployed]\n"),
                Some("of the types `deployed` only, not `release-published`"),
            ),
            (
                committed("on: [push]\n"),
                Some("does not run on `repository_dispatch` (its `on:` names `push`)"),
            ),
            (
                WorkflowFile::Uncommitted,
                Some("`.github/workflows/announce.yml` is not committed"),
            ),
            (
                WorkflowFile::Missing { other: None },
                Some("has no `.github/workflows/announce.yml` at HEAD"),
            ),
            (
                WorkflowFile::Missing {
                    other: Some(String::from("announce.yaml")),
                },
                Some("set `starts = \"announce.yaml\"`"),
            ),
        ];
        for (file, expected) in rows {
            let problem = starts_problem(
                "relcut.toml",
                &announce(),
                "announce.yml",
                Some("release-published"),
                &file,
            );
            match (expected, &problem) {
                (None, None) => {}
                (Some(words), Some(problem)) => {
                    assert!(problem.contains(words), "{problem}");
                    assert!(
                        problem.contains("`[deploy.announce]` (relcut.toml, line 7)"),
                        "{problem}"
                    );
                }
                _ => panic!("{file:?}: {problem:?}"),
            }
        }
        // An event type still to be filled in cannot be told from the types.
        let pending = starts_problem(
            "relcut.toml",
            &announce(),
            "announce.yml",
            None,
            &committed("on:\n  repository_dispatch:\n    types: [deployed]\n"),
        );
        assert_eq!(pending, None);
    }
}
