//! `relcut::forge`'s GitHub Actions operations against the stateful GitHub double: workflow
//! dispatches and the runs they start, listing runs with filters, reading a run as it advances,
//! repository dispatches, the errors that say how to fix a refusal, and dispatches in doubt that
//! are never sent twice.

use relcut::config::ForgeSettings;
use relcut::error::Error;
use relcut::forge::{DispatchedRun, Forge, GitHub, RepoId, RunFilter, WorkflowDispatch};
use relcut::secret::Secret;
use serde_json::{Map, Value, json};

use crate::forge::quick_retries;
use crate::github_double::{GitHubDouble, Recorded};

const TOKEN: &str = "ghs_actions0token0value012345678";

fn github(double: &GitHubDouble) -> GitHub {
    GitHub::new(&ForgeSettings {
        api_url: double.url(),
        token: Secret::new(TOKEN),
        repository: None,
        hosts: vec![String::from("github.com")],
        retry: quick_retries(),
        poll: std::time::Duration::ZERO,
    })
    .unwrap()
}

fn repo() -> RepoId {
    RepoId::parse("octocat/Hello-World").unwrap()
}

fn object(value: Value) -> Map<String, Value> {
    serde_json::from_value(value).expect("an object")
}

fn dispatch(workflow: &str, git_ref: &str, inputs: Value) -> WorkflowDispatch {
    WorkflowDispatch {
        workflow: workflow.to_string(),
        git_ref: git_ref.to_string(),
        inputs: object(inputs),
    }
}

fn body_json(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

/// The requests of `operation`.
fn of(requests: &[Recorded], operation: &str) -> Vec<Recorded> {
    requests
        .iter()
        .filter(|request| request.operation.as_deref() == Some(operation))
        .cloned()
        .collect()
}

/// The error's message, checked to carry no token.
#[track_caller]
fn message(error: &Error) -> String {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
    error.to_string()
}

#[track_caller]
fn assert_says(error: &Error, needles: &[&str]) {
    let text = message(error);
    for needle in needles {
        assert!(text.contains(needle), "`{needle}` not in: {text}");
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn forge_workflows_a_dispatch_returns_its_run_and_sends_the_contract_body() {
    let double = GitHubDouble::start();
    double.expect_token(TOKEN);
    double.set_ref_sha("v1.0.0", "0123456789abcdef0123456789abcdef01234567");
    let started = github(&double)
        .dispatch_workflow(
            &repo(),
            &dispatch(
                "deploy.yml",
                "refs/tags/v1.0.0",
                json!({ "version": "1.0.0", "target": "production" }),
            ),
        )
        .unwrap();
    assert_eq!(
        started,
        Some(DispatchedRun {
            id: 1,
            html_url: String::from("https://github.com/octocat/Hello-World/actions/runs/1"),
        })
    );
    let runs = double.runs();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(
        (
            run.workflow.as_str(),
            run.head_branch.as_str(),
            run.head_sha.as_str(),
            run.event.as_str(),
            run.status.as_str(),
            run.conclusion.as_deref(),
            run.display_title.as_str(),
            run.fetches,
        ),
        (
            "deploy.yml",
            "v1.0.0",
            "0123456789abcdef0123456789abcdef01234567",
            "workflow_dispatch",
            "queued",
            None,
            "deploy",
            0,
        )
    );
    assert_eq!(run.inputs["target"], "production");
    let requests = double.finish();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.path,
        "/repos/octocat/Hello-World/actions/workflows/deploy.yml/dispatches"
    );
    assert_eq!(sent.header("content-type"), ["application/json"]);
    assert_eq!(
        body_json(sent),
        json!({ "ref": "refs/tags/v1.0.0", "inputs": { "version": "1.0.0", "target": "production" },
                "return_run_details": true })
    );
}

#[test]
fn forge_workflows_a_dispatch_answered_204_has_no_run() {
    let double = GitHubDouble::start();
    double.answer_dispatch_without_run_details(true);
    let started = github(&double)
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "main", json!({})))
        .unwrap();
    assert_eq!(started, None);
    // GitHub started it all the same; only the answer does not say which run it is.
    assert_eq!(double.runs().len(), 1);
    let requests = double.finish();
    assert_eq!(body_json(&requests[0])["inputs"], json!({}));
}

#[test]
fn forge_workflows_a_run_goes_from_queued_through_in_progress_to_its_conclusion() {
    let double = GitHubDouble::start();
    double
        .set_run_conclusion("failure")
        .set_run_conclusion_for("deploy.yml", "refs/tags/v2.0.0", "cancelled")
        .set_fetches_in_progress(2);
    let github = github(&double);
    let first = github
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "v1.0.0", json!({})))
        .unwrap()
        .unwrap();
    let second = github
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "v2.0.0", json!({})))
        .unwrap()
        .unwrap();
    assert_eq!(double.runs()[0].status, "queued");
    let seen: Vec<(String, Option<String>)> = (0..4)
        .map(|_| {
            let run = github.workflow_run(&repo(), first.id).unwrap();
            (run.status, run.conclusion)
        })
        .collect();
    let state =
        |status: &str, conclusion: Option<&str>| (status.to_string(), conclusion.map(String::from));
    assert_eq!(
        seen,
        [
            state("in_progress", None),
            state("in_progress", None),
            state("completed", Some("failure")),
            state("completed", Some("failure")),
        ]
    );
    let run = github.workflow_run(&repo(), first.id).unwrap();
    assert_eq!(run.id, first.id);
    assert_eq!(run.html_url, first.html_url);
    assert_eq!(run.head_branch.as_deref(), Some("v1.0.0"));
    assert_eq!(run.event, "workflow_dispatch");
    assert_eq!(run.head_sha.len(), 40);
    assert_eq!(double.runs()[0].fetches, 5);
    double.set_fetches_in_progress(0);
    let other = github.workflow_run(&repo(), second.id).unwrap();
    assert_eq!(
        (other.status.as_str(), other.conclusion.as_deref()),
        ("completed", Some("cancelled"))
    );
    let requests = double.finish();
    let reads = of(&requests, "actions/get-workflow-run");
    assert_eq!(reads.len(), 6);
    assert_eq!(
        reads[0].path,
        format!("/repos/octocat/Hello-World/actions/runs/{}", first.id)
    );
}

#[test]
fn forge_workflows_a_read_is_retried_and_an_unknown_run_is_a_sentence() {
    let double = GitHubDouble::start();
    let id = double.add_run("deploy.yml", "main", "queued", None, "Deploy main");
    double.fail_next(
        "actions/get-workflow-run",
        1,
        502,
        json!({ "message": "Bad Gateway" }),
        &[],
    );
    let github = github(&double);
    let run = github.workflow_run(&repo(), id).unwrap();
    assert_eq!(
        (run.status.as_str(), run.display_title.as_str()),
        ("in_progress", "Deploy main")
    );
    // The failed attempt was answered without reading the run.
    assert_eq!(double.runs()[0].fetches, 1);
    let error = github.workflow_run(&repo(), 999).unwrap_err();
    assert!(matches!(error, Error::Forge(_)), "{error:?}");
    assert_says(
        &error,
        &["there is no workflow run 999 in `octocat/Hello-World`"],
    );
    double.finish();
}

#[test]
fn forge_workflows_listing_filters_by_branch_event_and_time_newest_first() {
    let double = GitHubDouble::start();
    let old_main = double.add_run(
        "deploy.yml",
        "main",
        "completed",
        Some("success"),
        "old main",
    );
    let old_tag = double.add_run(
        "deploy.yml",
        "v1.0.0",
        "completed",
        Some("failure"),
        "old tag",
    );
    let since = now();
    let github = github(&double);
    let new_main = github
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "main", json!({})))
        .unwrap()
        .unwrap()
        .id;
    let new_tag = github
        .dispatch_workflow(
            &repo(),
            &dispatch("deploy.yml", "refs/tags/v1.0.0", json!({})),
        )
        .unwrap()
        .unwrap()
        .id;
    double.add_run(
        "ci.yml",
        "main",
        "completed",
        Some("success"),
        "another workflow",
    );
    let list = |filter: RunFilter| -> Vec<u64> {
        github
            .workflow_runs(&repo(), "deploy.yml", &filter)
            .unwrap()
            .into_iter()
            .map(|run| run.id)
            .collect()
    };
    let filter = |branch: Option<&str>, event: Option<&str>, since: Option<&str>| RunFilter {
        branch: branch.map(String::from),
        event: event.map(String::from),
        created_since: since.map(String::from),
    };
    assert_eq!(
        list(RunFilter::default()),
        [new_tag, new_main, old_tag, old_main]
    );
    assert_eq!(list(filter(Some("main"), None, None)), [new_main, old_main]);
    assert_eq!(list(filter(Some("v1.0.0"), None, None)), [new_tag, old_tag]);
    assert_eq!(list(filter(None, None, Some(&since))), [new_tag, new_main]);
    assert_eq!(
        list(filter(
            Some("main"),
            Some("workflow_dispatch"),
            Some(&since)
        )),
        [new_main]
    );
    assert_eq!(list(filter(None, Some("push"), None)), Vec::<u64>::new());
    let runs = github
        .workflow_runs(&repo(), "deploy.yml", &filter(Some("main"), None, None))
        .unwrap();
    assert_eq!(runs[1].display_title, "old main");
    assert_eq!(runs[1].conclusion.as_deref(), Some("success"));
    assert!(
        runs[0].created_at >= since,
        "{} < {since}",
        runs[0].created_at
    );
    // Listing shows runs as they are; it does not advance them.
    assert!(double.runs().iter().all(|run| run.fetches == 0));
    assert_eq!(double.runs()[2].status, "queued");
    let requests = double.finish();
    let lists = of(&requests, "actions/list-workflow-runs");
    assert_eq!(lists.len(), 7);
    assert_eq!(
        lists[0].path,
        "/repos/octocat/Hello-World/actions/workflows/deploy.yml/runs"
    );
    assert_eq!(lists[0].query, "per_page=100");
    assert_eq!(
        lists[4].query,
        format!(
            "per_page=100&branch=main&event=workflow_dispatch&created=%3E%3D{}",
            since.replace(':', "%3A")
        )
    );
}

#[test]
fn forge_workflows_an_unknown_workflow_is_named_with_the_fix() {
    let double = GitHubDouble::start();
    double.set_workflows(&["deploy.yml"]);
    let github = github(&double);
    let error = github
        .dispatch_workflow(&repo(), &dispatch("deploi.yml", "v1.0.0", json!({})))
        .unwrap_err();
    assert!(matches!(error, Error::Forge(_)), "{error:?}");
    assert_says(
        &error,
        &[
            "GitHub answered 404 to `POST /repos/octocat/Hello-World/actions/workflows/deploi.yml/dispatches`",
            "the workflow `.github/workflows/deploi.yml` does not exist on `v1.0.0` in `octocat/Hello-World`",
            "check the workflow's file name",
        ],
    );
    let error = github
        .workflow_runs(&repo(), "deploi.yml", &RunFilter::default())
        .unwrap_err();
    assert_says(
        &error,
        &["the workflow `.github/workflows/deploi.yml` does not exist in `octocat/Hello-World`"],
    );
    assert!(double.runs().is_empty());
    // The workflow that exists is dispatched.
    github
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "v1.0.0", json!({})))
        .unwrap();
    assert_eq!(double.runs().len(), 1);
    double.finish();
}

#[test]
fn forge_workflows_a_422_says_what_github_refused_and_how_to_fix_the_workflow() {
    let double = GitHubDouble::start();
    let documentation =
        "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event";
    double
        .respond(
            "actions/create-workflow-dispatch",
            422,
            json!({ "message": "Workflow does not have 'workflow_dispatch' trigger",
                    "documentation_url": documentation, "status": "422" }),
        )
        .respond(
            "actions/create-workflow-dispatch",
            422,
            json!({ "message": format!("Unexpected inputs provided: [\"{TOKEN}\"]"),
                    "documentation_url": documentation, "status": "422" }),
        );
    let github = github(&double);
    let error = github
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "main", json!({})))
        .unwrap_err();
    assert_says(
        &error,
        &[
            "GitHub answered 422 to `POST /repos/octocat/Hello-World/actions/workflows/deploy.yml/dispatches`: Workflow does not have 'workflow_dispatch' trigger",
            "`.github/workflows/deploy.yml` must have `on: workflow_dispatch`",
        ],
    );
    // GitHub's text is redacted like every other: a token it echoes never reaches the user.
    let error = github
        .dispatch_workflow(
            &repo(),
            &dispatch("deploy.yml", "main", json!({ "x": "1" })),
        )
        .unwrap_err();
    assert_says(&error, &["Unexpected inputs provided", "`inputs:`"]);
    double.finish();
}

#[test]
fn forge_workflows_refused_writes_name_the_permission() {
    let double = GitHubDouble::start();
    double.set_push_permission(false);
    let github = github(&double);
    let error = github
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "main", json!({})))
        .unwrap_err();
    assert_says(
        &error,
        &[
            "GitHub answered 403",
            "Resource not accessible by integration",
            "the `actions: write` permission",
            "`permissions: actions: write`",
        ],
    );
    let error = github
        .repository_dispatch(&repo(), "deploy", &Map::new())
        .unwrap_err();
    assert_says(
        &error,
        &[
            "GitHub answered 403 to `POST /repos/octocat/Hello-World/dispatches`",
            "`contents: write`",
        ],
    );
    assert!(double.runs().is_empty());
    assert!(double.repository_dispatches().is_empty());
    double.finish();
}

#[test]
fn forge_workflows_a_502_on_a_dispatch_is_in_doubt_and_never_sent_again() {
    let double = GitHubDouble::start();
    double.fail_next(
        "actions/create-workflow-dispatch",
        1,
        502,
        json!({ "message": "Bad Gateway" }),
        &[],
    );
    let error = github(&double)
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "main", json!({})))
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    assert_says(&error, &["GitHub answered 502", "did not send it again"]);
    assert!(double.runs().is_empty());
    let requests = double.finish();
    assert_eq!(of(&requests, "actions/create-workflow-dispatch").len(), 1);
}

#[test]
fn forge_workflows_a_dispatch_whose_answer_is_lost_is_in_doubt_and_its_run_exists() {
    let double = GitHubDouble::start();
    double.drop_after("actions/create-workflow-dispatch", 1);
    double.drop_after("repos/create-dispatch-event", 1);
    let github = github(&double);
    let error = github
        .dispatch_workflow(&repo(), &dispatch("deploy.yml", "main", json!({})))
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    message(&error);
    let error = github
        .repository_dispatch(&repo(), "deploy", &object(json!({ "version": "1.0.0" })))
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    // Both were done; only their answers were lost, so the caller must look before retrying.
    assert_eq!(double.runs().len(), 1);
    assert_eq!(double.repository_dispatches().len(), 1);
    let found = github
        .workflow_runs(&repo(), "deploy.yml", &RunFilter::default())
        .unwrap();
    assert_eq!(found.len(), 1);
    let requests = double.finish();
    assert_eq!(of(&requests, "actions/create-workflow-dispatch").len(), 1);
    assert_eq!(of(&requests, "repos/create-dispatch-event").len(), 1);
}

#[test]
fn forge_workflows_a_repository_dispatch_carries_its_payload() {
    let double = GitHubDouble::start();
    double.expect_token(TOKEN);
    let payload = object(json!({ "version": "1.0.0", "tag": "v1.0.0", "prerelease": false }));
    github(&double)
        .repository_dispatch(&repo(), "release-published", &payload)
        .unwrap();
    assert_eq!(
        double.repository_dispatches(),
        [(
            String::from("release-published"),
            json!({ "version": "1.0.0", "tag": "v1.0.0", "prerelease": false })
        )]
    );
    let requests = double.finish();
    assert_eq!(requests[0].path, "/repos/octocat/Hello-World/dispatches");
    assert_eq!(
        body_json(&requests[0]),
        json!({ "event_type": "release-published",
                "client_payload": { "version": "1.0.0", "tag": "v1.0.0", "prerelease": false } })
    );
}

#[test]
fn forge_workflows_a_run_is_titled_by_the_workflows_run_name() {
    let double = GitHubDouble::start();
    double.set_run_name(
        "deploy.yml",
        "Deploy ${{ inputs.version }} to ${{inputs.target}}",
    );
    let github = github(&double);
    let started = github
        .dispatch_workflow(
            &repo(),
            &dispatch(
                "deploy.yml",
                "v1.2.0",
                json!({ "version": "1.2.0", "target": "staging" }),
            ),
        )
        .unwrap()
        .unwrap();
    let run = github.workflow_run(&repo(), started.id).unwrap();
    assert_eq!(run.display_title, "Deploy 1.2.0 to staging");
    let listed = github
        .workflow_runs(&repo(), "deploy.yml", &RunFilter::default())
        .unwrap();
    assert_eq!(listed[0].display_title, "Deploy 1.2.0 to staging");
    // Another workflow has no run-name: GitHub shows the workflow's name.
    github
        .dispatch_workflow(&repo(), &dispatch("release.yaml", "main", json!({})))
        .unwrap();
    assert_eq!(double.runs()[1].display_title, "release");
    double.finish();
}
