//! The double's model of GitHub Actions in its repository: the workflow runs that dispatches
//! create (and tests seed), which advance each time they are read, the listing of a workflow's
//! runs with GitHub's filters, and the repository dispatch events received, with the runs they
//! start in the workflows that listen for them. Like `state`, it
//! sees only requests that passed the contract checks, and never the test's programmed answers.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use super::Recorded;
use super::http::Answer;
use super::state::{example, not_found, page};
use super::validate::Matched;

/// The id the double gives the first workflow it hears of; each next one counts on from it.
const FIRST_WORKFLOW_ID: u64 = 161_335;

/// How far back a seeded run is dated, so that a `created>=` filter taken before the test's own
/// dispatches leaves it out.
const SEEDED_AGE_SECONDS: i64 = 60;

/// A workflow run as the double holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubleRun {
    /// GitHub's id, counting from 1 in creation order.
    pub id: u64,
    /// The workflow's file name in `.github/workflows/` (`deploy.yml`).
    pub workflow: String,
    /// The branch or tag it runs on: the dispatch's `ref` without `refs/heads/` or `refs/tags/`.
    pub head_branch: String,
    /// The commit: the one set with `set_ref_sha` for its ref, else 40 hex digits made from it.
    pub head_sha: String,
    /// `workflow_dispatch`, or `repository_dispatch` for a run an event started.
    pub event: String,
    /// `queued`, `in_progress` or `completed` (or what a seeded run was given).
    pub status: String,
    /// `None` until it is completed.
    pub conclusion: Option<String>,
    /// The workflow's run-name with the inputs filled in, else its file name without `.yml`.
    pub display_title: String,
    /// The inputs it was dispatched with.
    pub inputs: Map<String, Value>,
    /// RFC 3339 in UTC to the second; never earlier than a run created before it.
    pub created_at: String,
    /// How many times `actions/get-workflow-run` read it.
    pub fetches: usize,
}

/// What a run that is not completed yet will do.
struct Progress {
    /// The conclusion it completes with.
    conclusion: String,
    /// How many reads have seen it `in_progress`.
    in_progress_reads: usize,
    /// The ref as dispatched (`refs/tags/v1.0.0`), for the run's `path`.
    git_ref: String,
}

/// Where the repository is, for the URLs in answers.
pub(super) struct Place<'p> {
    pub owner: &'p str,
    pub name: &'p str,
    /// `http://127.0.0.1:PORT`, with the prefix the API is served under.
    pub api_base: &'p str,
}

impl Place<'_> {
    fn api(&self) -> String {
        format!("{}/repos/{}/{}", self.api_base, self.owner, self.name)
    }

    fn html(&self) -> String {
        format!("https://github.com/{}/{}", self.owner, self.name)
    }
}

/// The Actions side of the repository and the tests' settings for it.
pub(super) struct Actions {
    /// In creation order.
    pub runs: Vec<DoubleRun>,
    progress: BTreeMap<u64, Progress>,
    next_run_id: u64,
    /// The workflows that exist, once a test said; `None`: every workflow does.
    pub workflows: Option<Vec<String>>,
    /// Every workflow heard of, in order; a workflow's numeric id is its place here.
    known: Vec<String>,
    /// Workflow → its `run-name` template.
    pub run_names: BTreeMap<String, String>,
    /// The conclusion of a run no rule of `conclusion_rules` matches.
    pub conclusion: String,
    /// `(workflow, ref, conclusion)`; the last that matches a new run decides.
    pub conclusion_rules: Vec<(String, String, String)>,
    /// How many reads see a run `in_progress` before it completes.
    pub fetches_in_progress: usize,
    /// Answer dispatches 204 even when they ask for run details (GitHub Enterprise Server).
    pub without_run_details: bool,
    /// Ref (as dispatched, or without `refs/heads/`, `refs/tags/`) → the commit its runs run.
    pub ref_shas: BTreeMap<String, String>,
    /// `(event_type, client_payload)` of each repository dispatch, in order.
    pub repository_dispatches: Vec<(String, Value)>,
    /// `(workflow, event_type)`: the workflow runs on the default branch when that event comes
    /// (`on: repository_dispatch: types: [EVENT]`).
    pub event_listeners: Vec<(String, String)>,
    /// When the last run was created: no run is created before it.
    last_created: Option<DateTime<Utc>>,
    /// How many seconds ahead of the clock new runs are dated (GitHub's clock, or a run created
    /// in the same second as a later release, as a test sees it).
    pub runs_dated_ahead: i64,
}

impl Actions {
    pub fn new() -> Actions {
        Actions {
            runs: Vec::new(),
            progress: BTreeMap::new(),
            next_run_id: 1,
            workflows: None,
            known: Vec::new(),
            run_names: BTreeMap::new(),
            conclusion: String::from("success"),
            conclusion_rules: Vec::new(),
            fetches_in_progress: 1,
            without_run_details: false,
            ref_shas: BTreeMap::new(),
            repository_dispatches: Vec::new(),
            event_listeners: Vec::new(),
            last_created: None,
            runs_dated_ahead: 0,
        }
    }

    /// Answers an Actions operation, or `None` for any other.
    pub fn answer(
        &mut self,
        place: &Place,
        matched: &Matched,
        request: &Recorded,
        body: &Value,
    ) -> Option<Answer> {
        let answer = match matched.operation.id.as_str() {
            "actions/create-workflow-dispatch" => {
                let Some(workflow) = self.existing_workflow(matched.path("workflow_id")) else {
                    return Some(not_found(matched));
                };
                let git_ref = body["ref"].as_str().unwrap_or_default();
                let inputs = body["inputs"].as_object().cloned().unwrap_or_default();
                let id = self.create_run(&workflow, git_ref, "queued", None, None, inputs, 0);
                if body["return_run_details"] == json!(true) && !self.without_run_details {
                    Answer::new(
                        200,
                        json!({
                            "workflow_run_id": id,
                            "run_url": format!("{}/actions/runs/{id}", place.api()),
                            "html_url": format!("{}/actions/runs/{id}", place.html()),
                        }),
                    )
                } else {
                    Answer::new(204, Value::Null)
                }
            }
            "actions/get-workflow-run" => {
                let id = matched.number("run_id");
                if !self.runs.iter().any(|run| run.id == id) {
                    return Some(not_found(matched));
                }
                self.advance(id);
                Answer::new(200, self.run_json(place, id))
            }
            "actions/list-workflow-runs" => {
                let Some(workflow) = self.existing_workflow(matched.path("workflow_id")) else {
                    return Some(not_found(matched));
                };
                let query = |name: &str| matched.query.get(name).map(String::as_str);
                let mut listed: Vec<&DoubleRun> = self
                    .runs
                    .iter()
                    .filter(|run| run.workflow == workflow)
                    .filter(|run| query("branch").is_none_or(|branch| run.head_branch == branch))
                    .filter(|run| query("event").is_none_or(|event| run.event == event))
                    .filter(|run| query("head_sha").is_none_or(|sha| run.head_sha == sha))
                    // GitHub's `status` filter takes a status or a conclusion.
                    .filter(|run| {
                        query("status").is_none_or(|status| {
                            run.status == status || run.conclusion.as_deref() == Some(status)
                        })
                    })
                    .filter(|run| {
                        query("created").is_none_or(|range| created_in(range, &run.created_at))
                    })
                    .collect();
                listed.sort_by(|a, b| (&b.created_at, b.id).cmp(&(&a.created_at, a.id)));
                let total = listed.len();
                let ids: Vec<u64> = listed.iter().map(|run| run.id).collect();
                let items = ids.iter().map(|id| self.run_json(place, *id)).collect();
                let mut answer = page(place.api_base, matched, request, items);
                answer.body = json!({ "total_count": total, "workflow_runs": answer.body });
                answer
            }
            "repos/create-dispatch-event" => {
                let event_type = body["event_type"].as_str().unwrap_or_default().to_string();
                let payload = body.get("client_payload").cloned().unwrap_or(json!({}));
                let listening: Vec<String> = self
                    .event_listeners
                    .iter()
                    .filter(|(_, listened)| *listened == event_type)
                    .map(|(workflow, _)| workflow.clone())
                    .collect();
                for workflow in listening {
                    self.create_event_run(&workflow, &event_type, &payload);
                }
                self.repository_dispatches.push((event_type, payload));
                Answer::new(204, Value::Null)
            }
            _ => return None,
        };
        Some(answer)
    }

    /// Adds a run for a test (`add_run`), dated a minute back but never before an earlier run.
    /// A run not completed yet completes with `conclusion` when given.
    pub fn seed_run(
        &mut self,
        workflow: &str,
        git_ref: &str,
        status: &str,
        conclusion: Option<&str>,
        display_title: &str,
    ) -> u64 {
        self.create_run(
            workflow,
            git_ref,
            status,
            conclusion,
            Some(display_title),
            Map::new(),
            SEEDED_AGE_SECONDS,
        )
    }

    /// The run of `workflow` an event starts: on the default branch, titled by the workflow's
    /// `run-name` with `github.event.client_payload.NAME` (or `github.event.action`, the event
    /// type) filled in, else by the event type, as GitHub titles it.
    pub fn create_event_run(&mut self, workflow: &str, event_type: &str, payload: &Value) {
        let mut values = payload.as_object().cloned().unwrap_or_default();
        let title = match self.run_names.get(workflow) {
            Some(template) => {
                let template = template
                    .replace("github.event.client_payload.", "inputs.")
                    .replace("github.event.action", "inputs.__action");
                values.insert(String::from("__action"), json!(event_type));
                fill_run_name(&template, &values)
            }
            None => event_type.to_string(),
        };
        self.create_run(
            workflow,
            "refs/heads/main",
            "queued",
            None,
            Some(&title),
            Map::new(),
            0,
        );
        let run = self.runs.last_mut().expect("the run just made");
        run.event = String::from("repository_dispatch");
        run.inputs = payload.as_object().cloned().unwrap_or_default();
    }

    /// The workflow a path's `workflow_id` names (a file name, or the id the double gave it),
    /// when it exists.
    fn existing_workflow(&mut self, workflow_id: &str) -> Option<String> {
        let name = match workflow_id.parse::<u64>() {
            Ok(number) => self
                .known
                .get(usize::try_from(number.checked_sub(FIRST_WORKFLOW_ID)?).ok()?)?
                .clone(),
            Err(_) => workflow_id.to_string(),
        };
        match &self.workflows {
            Some(workflows) if !workflows.contains(&name) => None,
            _ => {
                self.workflow_id(&name);
                Some(name)
            }
        }
    }

    /// The numeric id of `workflow`, giving it one when it is new.
    fn workflow_id(&mut self, workflow: &str) -> u64 {
        let index = match self.known.iter().position(|known| known == workflow) {
            Some(index) => index,
            None => {
                self.known.push(workflow.to_string());
                self.known.len() - 1
            }
        };
        FIRST_WORKFLOW_ID + index as u64
    }

    #[allow(clippy::too_many_arguments)]
    fn create_run(
        &mut self,
        workflow: &str,
        git_ref: &str,
        status: &str,
        conclusion: Option<&str>,
        display_title: Option<&str>,
        inputs: Map<String, Value>,
        age_seconds: i64,
    ) -> u64 {
        self.workflow_id(workflow);
        let id = self.next_run_id;
        self.next_run_id += 1;
        let branch = short_ref(git_ref);
        let head_sha = self
            .ref_shas
            .get(git_ref)
            .or_else(|| self.ref_shas.get(branch))
            .cloned()
            .unwrap_or_else(|| fake_sha(branch));
        let display_title = match display_title {
            Some(title) => title.to_string(),
            None => match self.run_names.get(workflow) {
                Some(template) => fill_run_name(template, &inputs),
                None => workflow
                    .strip_suffix(".yml")
                    .or_else(|| workflow.strip_suffix(".yaml"))
                    .unwrap_or(workflow)
                    .to_string(),
            },
        };
        let now = Utc::now() - chrono::Duration::seconds(age_seconds - self.runs_dated_ahead);
        let created = self.last_created.map_or(now, |last| last.max(now));
        self.last_created = Some(created);
        let eventual = conclusion.map(String::from).unwrap_or_else(|| {
            self.conclusion_rules
                .iter()
                .rev()
                .find(|(rule_workflow, rule_ref, _)| {
                    rule_workflow == workflow && short_ref(rule_ref) == branch
                })
                .map_or_else(|| self.conclusion.clone(), |(_, _, found)| found.clone())
        });
        let completed = status == "completed";
        self.runs.push(DoubleRun {
            id,
            workflow: workflow.to_string(),
            head_branch: branch.to_string(),
            head_sha,
            event: String::from("workflow_dispatch"),
            status: status.to_string(),
            conclusion: completed.then(|| eventual.clone()),
            display_title,
            inputs,
            created_at: created.to_rfc3339_opts(SecondsFormat::Secs, true),
            fetches: 0,
        });
        self.progress.insert(
            id,
            Progress {
                conclusion: eventual,
                in_progress_reads: 0,
                git_ref: git_ref.to_string(),
            },
        );
        id
    }

    /// One read of run `id`: queued (or waiting) → in progress, seen so for
    /// `fetches_in_progress` reads → completed with its conclusion.
    fn advance(&mut self, id: u64) {
        let fetches_in_progress = self.fetches_in_progress;
        let run = self.runs.iter_mut().find(|run| run.id == id).unwrap();
        let progress = self.progress.get_mut(&id).unwrap();
        run.fetches += 1;
        let complete = match run.status.as_str() {
            "completed" => false,
            "in_progress" => progress.in_progress_reads >= fetches_in_progress,
            _ => fetches_in_progress == 0,
        };
        if complete {
            run.status = String::from("completed");
            run.conclusion = Some(progress.conclusion.clone());
        } else if run.status != "completed" {
            run.status = String::from("in_progress");
            progress.in_progress_reads += 1;
        }
    }

    /// The contract's `workflow-run` example, made run `id`.
    fn run_json(&self, place: &Place, id: u64) -> Value {
        let run = self.runs.iter().find(|run| run.id == id).unwrap();
        let git_ref = &self.progress[&id].git_ref;
        let workflow_id =
            FIRST_WORKFLOW_ID + self.known.iter().position(|w| *w == run.workflow).unwrap() as u64;
        let run_number = self
            .runs
            .iter()
            .filter(|other| other.workflow == run.workflow && other.id <= id)
            .count();
        let api = format!("{}/actions/runs/{id}", place.api());
        let name = run
            .workflow
            .strip_suffix(".yml")
            .or_else(|| run.workflow.strip_suffix(".yaml"))
            .unwrap_or(&run.workflow);
        let mut value = example("workflow-run");
        let fields = json!({
            "id": id,
            "name": name,
            "node_id": format!("WFR_double{id}"),
            "check_suite_id": id,
            "check_suite_node_id": format!("CS_double{id}"),
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
            "path": format!(".github/workflows/{}@{git_ref}", run.workflow),
            "run_number": run_number,
            "event": run.event,
            "display_title": run.display_title,
            "status": run.status,
            "conclusion": run.conclusion,
            "workflow_id": workflow_id,
            "url": api,
            "html_url": format!("{}/actions/runs/{id}", place.html()),
            "pull_requests": [],
            "created_at": run.created_at,
            "updated_at": run.created_at,
            "run_started_at": run.created_at,
            "run_attempt": 1,
            "referenced_workflows": [],
            "jobs_url": format!("{api}/jobs"),
            "logs_url": format!("{api}/logs"),
            "check_suite_url": format!("{}/check-suites/{id}", place.api()),
            "artifacts_url": format!("{api}/artifacts"),
            "cancel_url": format!("{api}/cancel"),
            "rerun_url": format!("{api}/rerun"),
            "previous_attempt_url": null,
            "workflow_url": format!("{}/actions/workflows/{workflow_id}", place.api()),
        });
        for (key, field) in fields.as_object().unwrap() {
            value[key] = field.clone();
        }
        value["head_commit"]["id"] = json!(run.head_sha);
        value
    }
}

/// A ref without `refs/heads/` or `refs/tags/`: what GitHub shows as a run's `head_branch`.
fn short_ref(git_ref: &str) -> &str {
    git_ref
        .strip_prefix("refs/heads/")
        .or_else(|| git_ref.strip_prefix("refs/tags/"))
        .unwrap_or(git_ref)
}

/// 40 hex digits that stand for the commit of `git_ref`: the same ref, the same digits.
fn fake_sha(git_ref: &str) -> String {
    (0u64..3)
        .map(|seed| {
            // FNV-1a, seeded, so each 16-digit part differs.
            let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
            for byte in git_ref.bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{hash:016x}")
        })
        .collect::<String>()[..40]
        .to_string()
}

/// A `run-name` with each `${{ inputs.NAME }}` (or `github.event.inputs.NAME`) replaced by that
/// input, as GitHub renders it; an input not given renders empty, as on GitHub.
fn fill_run_name(template: &str, inputs: &Map<String, Value>) -> String {
    let pattern =
        regex::Regex::new(r"\$\{\{\s*(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)\s*\}\}").unwrap();
    pattern
        .replace_all(template, |captures: &regex::Captures| {
            match inputs.get(&captures[1]) {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            }
        })
        .into_owned()
}

/// Whether `created` (RFC 3339) is in GitHub's date range `range`: `>=T`, `>T`, `<=T`, `<T`,
/// `A..B` (both included, `*` open), or `T` alone (that time, or that day for a date).
fn created_in(range: &str, created: &str) -> bool {
    let compare = |bound: &str| compare_times(created, bound);
    if let Some((low, high)) = range.split_once("..") {
        return (low == "*" || compare(low) != Ordering::Less)
            && (high == "*" || compare(high) != Ordering::Greater);
    }
    if let Some(bound) = range.strip_prefix(">=") {
        compare(bound) != Ordering::Less
    } else if let Some(bound) = range.strip_prefix("<=") {
        compare(bound) != Ordering::Greater
    } else if let Some(bound) = range.strip_prefix('>') {
        compare(bound) == Ordering::Greater
    } else if let Some(bound) = range.strip_prefix('<') {
        compare(bound) == Ordering::Less
    } else {
        created.starts_with(range) || compare(range) == Ordering::Equal
    }
}

/// Two times as instants when both are RFC 3339 (offsets differ), else as text (a date alone
/// orders before every time of its day).
fn compare_times(a: &str, b: &str) -> Ordering {
    match (
        DateTime::parse_from_rfc3339(a),
        DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => a.cmp(b),
    }
}

#[test]
fn forge_double_created_ranges_are_read_like_github() {
    let at = "2026-12-02T10:00:00Z";
    let rows: &[(&str, bool)] = &[
        (">=2026-12-02T10:00:00Z", true),
        (">2026-12-02T10:00:00Z", false),
        (">=2026-12-02T11:00:00+01:00", true),
        ("<=2026-12-02T10:00:00Z", true),
        ("<2026-12-02T10:00:00Z", false),
        ("<2026-12-02T10:00:01Z", true),
        ("2026-12-01T00:00:00Z..2026-12-02T10:00:00Z", true),
        ("2026-12-02T10:00:01Z..*", false),
        ("*..2026-12-03", true),
        (">=2026-12-02", true),
        ("2026-12-02", true),
        ("2026-12-03", false),
    ];
    for (range, expected) in rows {
        assert_eq!(created_in(range, at), *expected, "{range}");
    }
}

#[test]
fn forge_double_run_names_fill_in_the_inputs() {
    let inputs: Map<String, Value> =
        serde_json::from_value(json!({ "version": "1.2.0", "target": "prod", "dry": false }))
            .unwrap();
    let rows: &[(&str, &str)] = &[
        (
            "Deploy ${{ inputs.version }} to ${{inputs.target}}",
            "Deploy 1.2.0 to prod",
        ),
        (
            "${{ github.event.inputs.version }} dry=${{ inputs.dry }}",
            "1.2.0 dry=false",
        ),
        ("missing: [${{ inputs.nothing }}]", "missing: []"),
        ("plain", "plain"),
    ];
    for (template, expected) in rows {
        assert_eq!(fill_run_name(template, &inputs), *expected, "{template}");
    }
    assert_eq!(fake_sha("main").len(), 40);
    assert_eq!(fake_sha("main"), fake_sha("main"));
    assert_ne!(fake_sha("main"), fake_sha("v1.0.0"));
}
