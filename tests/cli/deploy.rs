//! Deploys end to end: `relcut release`, `deploy` and `rollback` against a real bare remote and
//! the GitHub double, whose workflow runs go queued → in_progress → completed. A version reaches
//! each target once, whatever failed on the way.

use serde_json::{Value, json};

use crate::github_double::{DoubleRun, GitHubDouble};
use crate::harness::{Run, TestRepo};

const TOKEN: &str = "ghs_deploy0token0value0123456789";

const TARGETS: &str = r#"[github]
poll_seconds = 0
max_attempts = 2
retry_seconds = 1

[deploy.staging]
workflow = "deploy.yml"
inputs = { environment = "staging", version = "{{version}}" }
on = "prerelease"

[deploy.production]
workflow = "deploy.yml"
inputs = { environment = "production", version = "{{version}}" }
on = "stable"

[deploy.announce]
event = "release-published"
payload = { version = "{{version}}", tag = "{{tag}}" }
starts = "announce.yml"
on = "always"
"#;

const DEPLOY_WORKFLOW: &str =
    "on:\n  workflow_dispatch:\n    inputs:\n      environment: {}\n      version: {}\n";

const ANNOUNCE_WORKFLOW: &str =
    "name: Announce\non:\n  repository_dispatch:\n    types: [release-published]\njobs: {}\n";

/// A project at 1.0.0, released and pushed, with the targets above and a feature since.
struct Project {
    repo: TestRepo,
    double: GitHubDouble,
}

impl Project {
    fn new() -> Project {
        Project::with_config(TARGETS)
    }

    fn with_config(config: &str) -> Project {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.0.0\n");
        repo.write("relcut.toml", config);
        // The workflows the targets start, as relcut checks them before a release.
        repo.write(".github/workflows/deploy.yml", DEPLOY_WORKFLOW);
        repo.write(".github/workflows/announce.yml", ANNOUNCE_WORKFLOW);
        repo.write(
            ".github/workflows/notify.yml",
            "on:\n  repository_dispatch:\n    types: [release-published, mirror-release]\n",
        );
        repo.commit("feat: first version");
        repo.tag_annotated("v1.0.0", "v1.0.0");
        repo.add_github_origin("octo", "rocket");
        repo.git(&["push", "-q", "-u", "origin", "main", "v1.0.0"]);
        repo.write("engine.txt", "thrust\n");
        repo.commit("feat: an engine");
        let double = GitHubDouble::start_for("octo/rocket");
        double.expect_token(TOKEN);
        double.set_run_name(
            "deploy.yml",
            "Deploy ${{ inputs.version }} to ${{ inputs.environment }}",
        );
        double.listen_for_event("announce.yml", "release-published");
        Project { repo, double }
    }

    fn relcut(&self, args: &[&str]) -> Run {
        self.relcut_with(args, &[])
    }

    fn relcut_with(&self, args: &[&str], extra: &[(&str, &str)]) -> Run {
        let url = self.double.url();
        let mut env: Vec<(&str, &str)> = vec![("GITHUB_API_URL", &url), ("GITHUB_TOKEN", TOKEN)];
        env.extend_from_slice(extra);
        let run = self.repo.relcut_with(args, &env);
        assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
        run
    }

    /// The runs dispatches started.
    fn runs(&self) -> Vec<DoubleRun> {
        self.runs_by("workflow_dispatch")
    }

    /// The runs events started.
    fn event_runs(&self) -> Vec<DoubleRun> {
        self.runs_by("repository_dispatch")
    }

    fn runs_by(&self, event: &str) -> Vec<DoubleRun> {
        self.double
            .runs()
            .into_iter()
            .filter(|run| run.event == event)
            .collect()
    }

    fn operations(&self) -> Vec<String> {
        self.double
            .requests()
            .iter()
            .filter_map(|request| request.operation.clone())
            .collect()
    }
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}", run.stdout))
}

fn deployed(runs: &[DoubleRun]) -> Vec<(String, String, String)> {
    runs.iter()
        .map(|run| {
            (
                run.head_branch.clone(),
                run.inputs["environment"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                run.inputs["version"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

fn triple(git_ref: &str, environment: &str, version: &str) -> (String, String, String) {
    (git_ref.into(), environment.into(), version.into())
}

#[test]
fn a_stable_release_deploys_to_production_only_after_the_release_and_announces_it() {
    let project = Project::new();
    let outcome = json_of(&project.relcut(&["release", "--yes", "--json"]).success());
    assert_eq!(
        deployed(&project.runs()),
        [triple("v1.1.0", "production", "1.1.0")]
    );
    assert_eq!(
        project.double.repository_dispatches(),
        [(
            String::from("release-published"),
            json!({ "version": "1.1.0", "tag": "v1.1.0" })
        )]
    );
    let operations = project.operations();
    let created = operations
        .iter()
        .position(|op| op == "repos/create-release")
        .unwrap();
    let dispatched = operations
        .iter()
        .position(|op| op == "actions/create-workflow-dispatch")
        .unwrap();
    assert!(created < dispatched, "{operations:?}");
    let deploys = outcome["deploys"].as_array().unwrap();
    assert_eq!(deploys.len(), 2, "{deploys:#?}");
    assert_eq!(deploys[0]["target"], "production");
    assert_eq!(deploys[0]["kind"], "workflow");
    assert_eq!(deploys[0]["ref"], "v1.1.0");
    assert_eq!(deploys[0]["run_id"], json!(project.runs()[0].id));
    assert!(
        deploys[0]["url"]
            .as_str()
            .unwrap()
            .contains("/actions/runs/")
    );
    assert_eq!(deploys[1]["target"], "announce");
    assert_eq!(deploys[1]["kind"], "event");
    assert_eq!(deploys[1]["starts"], "announce.yml");
    // The announcement is also created after the release.
    let announced = operations
        .iter()
        .position(|op| op == "repos/create-dispatch-event")
        .unwrap();
    assert!(created < announced, "{operations:?}");

    // Run again: everything is done, nothing is sent twice; the event's run is what says so.
    let again = json_of(&project.relcut(&["release", "--yes", "--json"]).success());
    assert_eq!(project.runs().len(), 1);
    assert_eq!(project.double.repository_dispatches().len(), 1);
    let found = &again["deploys"][1];
    assert_eq!(found["status"], "already_done");
    assert_eq!(found["run_id"], json!(project.event_runs()[0].id));
}

#[test]
fn a_prerelease_deploys_to_staging_only() {
    let project = Project::new();
    project
        .relcut(&["release", "--yes", "--pre", "rc"])
        .success();
    assert_eq!(
        deployed(&project.runs()),
        [triple("v1.1.0-rc.1", "staging", "1.1.0-rc.1")]
    );
    assert_eq!(project.double.repository_dispatches().len(), 1);
}

#[test]
fn wait_follows_the_run_to_its_success() {
    let project = Project::new();
    project.double.set_fetches_in_progress(2);
    let outcome = json_of(
        &project
            .relcut(&["release", "--yes", "--json", "--wait"])
            .success(),
    );
    assert_eq!(outcome["deploys"][0]["conclusion"], "success");
    let run = &project.runs()[0];
    assert_eq!(run.status, "completed");
}

#[test]
fn a_failed_deploy_exits_9_naming_the_run_and_the_release_stays() {
    let project = Project::new();
    project.double.set_run_conclusion("failure");
    let run = project.relcut(&["release", "--yes", "--wait"]).code(9);
    let url = project.runs()[0].id.to_string();
    assert!(run.stderr.contains("did not succeed"), "{}", run.stderr);
    assert!(run.stderr.contains(&url), "{}", run.stderr);
    assert_eq!(project.double.releases().len(), 1);
}

#[test]
fn rollback_on_failure_puts_the_previous_stable_version_back() {
    let project = Project::new();
    project
        .double
        .set_run_conclusion_for("deploy.yml", "v1.1.0", "failure");
    let run = project
        .relcut(&[
            "release",
            "--yes",
            "--json",
            "--wait",
            "--rollback-on-failure",
        ])
        .code(9);
    assert_eq!(
        deployed(&project.runs()),
        [
            triple("v1.1.0", "production", "1.1.0"),
            triple("v1.0.0", "production", "1.0.0")
        ]
    );
    let outcome = json_of(&run);
    let deploys = outcome["deploys"].as_array().unwrap();
    let rollback = deploys
        .iter()
        .find(|deploy| deploy["rollback_of"] == "1.1.0")
        .unwrap();
    assert_eq!(rollback["version"], "1.0.0");
    assert_eq!(rollback["conclusion"], "success");
}

#[test]
fn deploy_and_rollback_by_hand() {
    let project = Project::new();
    project.relcut(&["release", "--yes"]).success();
    // A stable version may go to a prerelease target by hand.
    project
        .relcut(&["deploy", "v1.0.0", "--to", "staging", "--yes"])
        .success();
    assert_eq!(
        deployed(&project.runs())[1],
        triple("v1.0.0", "staging", "1.0.0")
    );
    // Once per version and target.
    project
        .relcut(&["deploy", "1.0.0", "--to", "staging", "--yes"])
        .success();
    assert_eq!(project.runs().len(), 2);

    let unknown = project
        .relcut(&["deploy", "9.9.9", "--to", "production", "--yes"])
        .code(2);
    assert!(
        unknown.stderr.contains("1.1.0, 1.0.0"),
        "{}",
        unknown.stderr
    );
    let nowhere = project
        .relcut(&["deploy", "1.0.0", "--to", "moon", "--yes"])
        .code(2);
    assert!(
        nowhere
            .stderr
            .contains("`staging`, `production`, `announce`"),
        "{}",
        nowhere.stderr
    );
    assert_eq!(project.runs().len(), 2);

    project
        .relcut(&["rollback", "--to", "production", "--yes"])
        .success();
    assert_eq!(
        deployed(&project.runs())[2],
        triple("v1.0.0", "production", "1.0.0")
    );
    // Production runs 1.0.0 now: a second rollback has nothing to do.
    project
        .relcut(&["rollback", "--to", "production", "--yes"])
        .success();
    assert_eq!(project.runs().len(), 3);
}

#[test]
fn a_dispatch_answered_without_run_details_finds_its_run() {
    let project = Project::new();
    project.double.answer_dispatch_without_run_details(true);
    let outcome = json_of(&project.relcut(&["release", "--yes", "--json"]).success());
    assert_eq!(outcome["deploys"][0]["run_id"], json!(project.runs()[0].id));
}

#[test]
fn a_dispatch_outage_is_finished_by_a_rerun_with_one_deploy() {
    // One attempt per request: the outage outlasts the retries.
    let project = Project::with_config(&TARGETS.replace("max_attempts = 2", "max_attempts = 1"));
    project.double.fail_next(
        "actions/create-workflow-dispatch",
        1,
        502,
        json!({ "message": "Bad Gateway" }),
        &[],
    );
    let failed = project.relcut(&["release", "--yes"]);
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("relcut release"),
        "{}",
        failed.stderr
    );
    assert_eq!(project.double.releases().len(), 1);
    assert!(project.runs().is_empty());
    project.relcut(&["release", "--yes"]).success();
    assert_eq!(
        deployed(&project.runs()),
        [triple("v1.1.0", "production", "1.1.0")]
    );
    // The announcement went out once.
    assert_eq!(project.double.repository_dispatches().len(), 1);
}

#[test]
fn a_lost_dispatch_answer_does_not_deploy_twice() {
    let project = Project::new();
    project
        .double
        .drop_after("actions/create-workflow-dispatch", 1);
    project.relcut(&["release", "--yes"]).success();
    assert_eq!(project.runs().len(), 1);
}

#[test]
fn a_fault_after_the_deploy_step_is_finished_by_a_rerun() {
    let project = Project::new();
    project
        .relcut_with(
            &["release", "--yes"],
            &[("RELCUT_TEST_FAIL_AFTER", "deploy")],
        )
        .code(2);
    project.relcut(&["release", "--yes"]).success();
    assert_eq!(project.runs().len(), 1);
    assert_eq!(project.double.repository_dispatches().len(), 1);
}

#[test]
fn twenty_six_inputs_are_refused_before_any_effect() {
    let inputs: Vec<String> = (0..26).map(|n| format!("i{n} = \"x\"")).collect();
    let config = format!(
        "[deploy.production]\nworkflow = \"deploy.yml\"\ninputs = {{ {} }}\non = \"stable\"\n",
        inputs.join(", ")
    );
    let project = Project::with_config(&config);
    let head = project.repo.head();
    let run = project.relcut(&["release", "--yes"]).code(4);
    assert!(run.stderr.contains("at most 25"), "{}", run.stderr);
    assert!(run.stderr.contains("line 1"), "{}", run.stderr);
    assert_eq!(project.repo.head(), head);
    assert!(project.double.releases().is_empty());
    assert!(project.runs().is_empty());
}

#[test]
fn an_unknown_placeholder_is_a_config_error_naming_the_line() {
    let config = "[deploy.production]\nworkflow = \"deploy.yml\"\ninputs = { version = \"{{verison}}\" }\non = \"stable\"\n";
    let project = Project::with_config(config);
    let run = project.relcut(&["release", "--yes"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    assert!(run.stderr.contains("{{verison}}"), "{}", run.stderr);
}

#[test]
fn a_dry_run_lists_the_deploys_and_sends_nothing() {
    let project = Project::new();
    let head = project.repo.head();
    let run = project.relcut(&["release", "--dry-run"]).success();
    assert!(
        run.stdout.contains(
            "Deploy: 1.1.0 to `production`: workflow deploy.yml at v1.1.0, inputs {\"environment\":\"production\",\"version\":\"1.1.0\"}"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("event `release-published`"),
        "{}",
        run.stdout
    );
    assert_eq!(project.repo.head(), head);
    assert!(project.runs().is_empty());
    assert!(project.double.repository_dispatches().is_empty());
    assert!(project.double.releases().is_empty());
}

#[test]
fn no_deploy_starts_nothing_and_says_so() {
    let project = Project::new();
    let run = project
        .relcut(&["release", "--yes", "--no-deploy"])
        .success();
    assert!(project.runs().is_empty());
    assert!(run.stdout.contains("--no-deploy"), "{}", run.stdout);
}

/// One event target whose event starts `announce.yml` (with `starts`), or not.
fn event_only(starts: bool) -> String {
    format!(
        "[github]\npoll_seconds = 0\n\n[deploy.announce]\nevent = \"release-published\"\npayload = {{ version = \"{{{{version}}}}\" }}\n{}on = \"always\"\n",
        if starts {
            "starts = \"announce.yml\"\n"
        } else {
            ""
        }
    )
}

#[test]
fn a_stop_between_the_release_and_its_event_is_finished_by_a_rerun_that_sends_it_once() {
    let project = Project::with_config(&event_only(true));
    let stopped = project
        .relcut_with(
            &["release", "--yes"],
            &[("RELCUT_TEST_FAIL_AFTER", "publish")],
        )
        .code(2);
    assert!(
        stopped.stderr.contains("after the publish step"),
        "{}",
        stopped.stderr
    );
    assert_eq!(project.double.releases().len(), 1);
    assert!(project.double.repository_dispatches().is_empty());

    // Every step before the event is done; the event's workflow has no run since the release
    // was published, so the event is sent, and says why.
    let rerun = project.relcut(&["release", "--yes"]).success();
    assert_eq!(
        project.double.repository_dispatches(),
        [(
            String::from("release-published"),
            json!({ "version": "1.1.0" })
        )]
    );
    assert!(
        rerun
            .stdout
            .contains("`announce.yml` has no `repository_dispatch` run"),
        "{}",
        rerun.stdout
    );
    assert!(
        rerun.stdout.contains(
            "v1.1.0 was already released by an earlier run; this run did what it left: the deploys."
        ),
        "{}",
        rerun.stdout
    );
    // Once sent, its run says so: a third run sends nothing.
    let third = json_of(&project.relcut(&["release", "--yes", "--json"]).success());
    assert_eq!(project.double.repository_dispatches().len(), 1);
    assert_eq!(third["deploys"][0]["status"], "already_done");
    assert_eq!(
        third["deploys"][0]["run_id"],
        json!(project.event_runs()[0].id)
    );
}

#[test]
fn without_starts_a_rerun_sends_the_event_again_and_says_why() {
    let project = Project::with_config(&event_only(false));
    project
        .relcut_with(
            &["release", "--yes"],
            &[("RELCUT_TEST_FAIL_AFTER", "publish")],
        )
        .code(2);
    assert!(project.double.repository_dispatches().is_empty());
    let rerun = project.relcut(&["release", "--yes"]).success();
    assert_eq!(project.double.repository_dispatches().len(), 1);
    assert!(rerun.stdout.contains("sent again"), "{}", rerun.stdout);
    assert!(rerun.stdout.contains("starts = "), "{}", rerun.stdout);
}

#[test]
fn an_event_run_of_another_target_in_the_same_workflow_does_not_count() {
    let config = "[github]\npoll_seconds = 0\n\n\
        [deploy.announce]\nevent = \"release-published\"\nstarts = \"notify.yml\"\non = \"always\"\n\n\
        [deploy.mirror]\nevent = \"mirror-release\"\nstarts = \"notify.yml\"\non = \"always\"\n";
    let project = Project::with_config(config);
    project
        .double
        .listen_for_event("notify.yml", "release-published")
        .listen_for_event("notify.yml", "mirror-release");
    // Stopped after the first event: the workflow has a run since the release, announce's.
    project
        .relcut_with(
            &["release", "--yes"],
            &[("RELCUT_TEST_FAIL_AFTER", "deploy")],
        )
        .code(2);
    assert_eq!(project.double.repository_dispatches().len(), 1);
    project.relcut(&["release", "--yes"]).success();
    let events: Vec<String> = project
        .double
        .repository_dispatches()
        .into_iter()
        .map(|(event, _)| event)
        .collect();
    assert_eq!(events, ["release-published", "mirror-release"]);
}

#[test]
fn sigterm_while_following_a_deploy_run_exits_130_and_a_rerun_dispatches_nothing_again() {
    let project = Project::new();
    // The run stays in progress until the test says otherwise.
    project.double.set_fetches_in_progress(1_000_000);
    let url = project.double.url();
    let child = project
        .repo
        .relcut_command(&["release", "--yes", "--wait"])
        .env("GITHUB_API_URL", &url)
        .env("GITHUB_TOKEN", TOKEN)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Following: the run was read at least once.
    let started = std::time::Instant::now();
    while !project.runs().iter().any(|run| run.fetches >= 2) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "relcut never followed the run: {:?}",
            project.double.runs()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    assert!(
        stderr.contains("interrupted while following the deploy runs"),
        "{stderr}"
    );
    let run_url = format!("/actions/runs/{}", project.runs()[0].id);
    assert!(stderr.contains(&run_url), "{stderr}");
    assert!(stderr.contains("relcut release --wait"), "{stderr}");
    assert_eq!(project.runs().len(), 1);
    assert_eq!(project.double.repository_dispatches().len(), 1);

    // The re-run finds the deploy and its announcement done and follows the run to its end.
    project.double.set_fetches_in_progress(0);
    let outcome = json_of(
        &project
            .relcut(&["release", "--yes", "--wait", "--json"])
            .success(),
    );
    assert_eq!(project.runs().len(), 1, "no second dispatch");
    assert_eq!(project.double.repository_dispatches().len(), 1);
    assert_eq!(outcome["deploys"][0]["status"], "already_done");
    assert_eq!(outcome["deploys"][0]["conclusion"], "success");
}

#[test]
fn an_event_by_hand_is_sent_even_when_a_later_release_ran_it() {
    let project = Project::new();
    project.double.add_release("v1.0.0", false, false);
    project.relcut(&["release", "--yes"]).success();
    assert_eq!(project.event_runs().len(), 1);
    // 1.1.0's run came after 1.0.0 was published, and says nothing of a version: it must not
    // pass for 1.0.0's.
    let run = project
        .relcut(&["deploy", "1.0.0", "--to", "announce", "--yes"])
        .success();
    assert!(run.stdout.contains("started"), "{}", run.stdout);
    let events = project.double.repository_dispatches();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[1].1["version"], "1.0.0");
}

#[test]
fn an_event_run_titled_with_another_version_does_not_count() {
    let project = Project::with_config(&event_only(true));
    project.double.set_run_name(
        "announce.yml",
        "${{ github.event.action }} ${{ github.event.client_payload.version }}",
    );
    project
        .relcut_with(
            &["release", "--yes"],
            &[("RELCUT_TEST_FAIL_AFTER", "publish")],
        )
        .code(2);
    // Before the re-run, a later version's announcement ran in the same workflow.
    project.double.add_event_run(
        "announce.yml",
        "release-published",
        json!({ "version": "1.2.0" }),
    );
    project.relcut(&["release", "--yes"]).success();
    let events = project.double.repository_dispatches();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].1["version"], "1.1.0");
    let titles: Vec<String> = project
        .event_runs()
        .iter()
        .map(|run| run.display_title.clone())
        .collect();
    assert_eq!(
        titles,
        ["release-published 1.2.0", "release-published 1.1.0"]
    );
    // And the 1.1.0 run, once there, is found.
    project.relcut(&["release", "--yes"]).success();
    assert_eq!(project.double.repository_dispatches().len(), 1);
}

#[test]
fn a_starts_naming_a_workflow_its_event_does_not_start_is_refused_before_any_effect() {
    // (relcut.toml's `starts`, the announce.yml committed, words of the problem)
    let rows: &[(&str, &str, &str)] = &[
        (
            "annonce.yml",
            ANNOUNCE_WORKFLOW,
            "the repository has no `.github/workflows/annonce.yml` at HEAD",
        ),
        (
            "announce.yaml",
            ANNOUNCE_WORKFLOW,
            "set `starts = \"announce.yml\"`",
        ),
        (
            "announce.yml",
            "on:\n  push:\n    branches: [main]\n",
            "does not run on `repository_dispatch` (its `on:` names `push`)",
        ),
        (
            "announce.yml",
            "on:\n  repository_dispatch:\n    types: [released]\n",
            "of the types `released` only, not `release-published`",
        ),
    ];
    for (starts, workflow, words) in rows {
        let project = Project::with_config(&TARGETS.replace(
            "starts = \"announce.yml\"",
            &format!("starts = \"{starts}\""),
        ));
        project
            .repo
            .write(".github/workflows/announce.yml", workflow);
        project.repo.commit("ci: the announcement's workflow");
        // `relcut check`, in a pull request's CI, says it first, as a warning.
        let check = project.relcut(&["check"]).success();
        assert!(check.stderr.contains(words), "{starts}: {}", check.stderr);
        let head = project.repo.head();
        let refs = project.repo.refs();
        for args in [&["release", "--dry-run"][..], &["release", "--yes"]] {
            let run = project.relcut(args).code(4);
            assert!(run.stderr.contains(words), "{starts}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains("`[deploy.announce]` (relcut.toml, line 16)"),
                "{}",
                run.stderr
            );
        }
        assert_eq!(project.repo.head(), head);
        assert_eq!(project.repo.refs(), refs);
        assert_eq!(project.repo.git(&["status", "--porcelain"]), "");
        let writes: Vec<String> = project
            .double
            .requests()
            .iter()
            .filter(|request| request.method != "GET")
            .map(|request| format!("{} {}", request.method, request.path))
            .collect();
        assert!(writes.is_empty(), "{writes:?}");
    }
}

#[test]
fn a_starts_whose_workflow_is_not_committed_is_refused_before_any_effect() {
    let project = Project::with_config(&event_only(true));
    project
        .repo
        .git(&["rm", "-q", "--cached", ".github/workflows/announce.yml"]);
    // Not `commit`, which would add it back.
    project.repo.git(&[
        "commit",
        "-q",
        "-m",
        "ci: the announcement leaves the repository",
    ]);
    let head = project.repo.head();
    let run = project.relcut(&["release", "--yes"]).code(4);
    assert!(
        run.stderr
            .contains("`.github/workflows/announce.yml` is not committed"),
        "{}",
        run.stderr
    );
    assert_eq!(project.repo.head(), head);
    assert!(project.double.releases().is_empty());
    // By hand, too, before anything is sent.
    let by_hand = project
        .relcut(&["deploy", "1.0.0", "--to", "announce", "--yes"])
        .code(4);
    assert!(
        by_hand.stderr.contains("is not committed"),
        "{}",
        by_hand.stderr
    );
    assert!(project.double.repository_dispatches().is_empty());
}

#[test]
fn an_event_without_starts_is_warned_of_before_the_release() {
    let project = Project::with_config(&event_only(false));
    let warning = "warning: `[deploy.announce]` (relcut.toml, line 4) names no workflow its event starts, so a re-run of a release that stopped cannot tell whether the `release-published` event was sent, and will send it again";
    let fix = "such as `starts = \"deploy.yml\"`";

    let dry = project.relcut(&["release", "--dry-run"]).success();
    assert!(dry.stdout.contains(warning), "{}", dry.stdout);
    assert!(dry.stdout.contains(fix), "{}", dry.stdout);
    let json = json_of(
        &project
            .relcut(&["release", "--dry-run", "--json"])
            .success(),
    );
    assert_eq!(json["warnings"].as_array().map(Vec::len), Some(1), "{json}");

    let check = project.relcut(&["check"]).success();
    assert!(check.stderr.contains(warning), "{}", check.stderr);
    let check_json = json_of(&project.relcut(&["check", "--json"]).success());
    assert!(
        check_json["warnings"][0]
            .as_str()
            .is_some_and(|text| text.contains(fix)),
        "{check_json}"
    );

    // Not a problem: the release goes on, and its log says it too; `--wait` cannot follow it.
    let released = project.relcut(&["release", "--yes", "--wait"]).success();
    assert!(released.stderr.contains(warning), "{}", released.stderr);
    assert!(
        released.stderr.contains(
            "The `release-published` event of 1.1.0 to `announce` is not followed: `[deploy.announce]` names no workflow it starts"
        ),
        "{}",
        released.stderr
    );
    assert_eq!(project.double.repository_dispatches().len(), 1);

    // Sent only by hand, it is sent each time it is asked for: nothing to warn of.
    let by_hand = Project::with_config(&event_only(false).replace("\"always\"", "\"never\""));
    let check = by_hand.relcut(&["check"]).success();
    assert!(!check.stderr.contains("warning:"), "{}", check.stderr);

    // With `starts`, nothing to warn of.
    let named = Project::with_config(&event_only(true));
    let dry = named.relcut(&["release", "--dry-run"]).success();
    assert!(!dry.stdout.contains("warning:"), "{}", dry.stdout);
    let check = named.relcut(&["check"]).success();
    assert!(!check.stderr.contains("warning:"), "{}", check.stderr);
}

#[test]
fn wait_follows_the_run_of_an_event_it_just_sent() {
    let project = Project::with_config(&event_only(true));
    project.double.set_fetches_in_progress(2);
    let outcome = json_of(
        &project
            .relcut(&["release", "--yes", "--json", "--wait"])
            .success(),
    );
    let runs = project.event_runs();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let deploy = &outcome["deploys"][0];
    assert_eq!(deploy["status"], "done");
    assert_eq!(deploy["run_id"], json!(runs[0].id));
    assert_eq!(deploy["conclusion"], "success");
    assert_eq!(runs[0].status, "completed");

    // By hand, the run followed is the one this event started, not the release's.
    let by_hand = json_of(
        &project
            .relcut(&[
                "deploy", "1.1.0", "--to", "announce", "--yes", "--json", "--wait",
            ])
            .success(),
    );
    let runs = project.event_runs();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(by_hand["deploys"][0]["run_id"], json!(runs[1].id));
    assert_eq!(by_hand["deploys"][0]["conclusion"], "success");
}

#[test]
fn a_failed_event_run_exits_9_and_is_rolled_back_when_asked() {
    let project = Project::with_config(&event_only(true));
    // Titles that name the version, as the README advises.
    project.double.set_run_name(
        "announce.yml",
        "Announce ${{ github.event.client_payload.version }}",
    );
    project
        .double
        .set_run_conclusion_for("announce.yml", "main", "failure");
    let failed = project.relcut(&["release", "--yes", "--wait"]).code(9);
    let run = project.event_runs()[0].id.to_string();
    assert!(
        failed.stderr.contains("did not succeed"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains(&format!("/actions/runs/{run}")),
        "{}",
        failed.stderr
    );
    assert_eq!(project.double.releases().len(), 1);

    // The next release's event fails too, and its rollback sends 1.1.0's event again and
    // follows that run (which fails as well: every run of the workflow does here).
    project.repo.write("wing.txt", "lift\n");
    project.repo.commit("feat: a wing");
    let rolled = json_of(
        &project
            .relcut(&[
                "release",
                "--yes",
                "--json",
                "--wait",
                "--rollback-on-failure",
            ])
            .code(9),
    );
    let versions: Vec<String> = project
        .double
        .repository_dispatches()
        .iter()
        .map(|(_, payload)| payload["version"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(versions, ["1.1.0", "1.2.0", "1.1.0"], "{rolled:#}");
    let deploys = rolled["deploys"].as_array().unwrap();
    let rollback = deploys
        .iter()
        .find(|deploy| deploy["rollback_of"] == "1.2.0")
        .unwrap_or_else(|| panic!("{deploys:#?}"));
    assert_eq!(rollback["version"], "1.1.0");
    assert_eq!(rollback["run_id"], json!(project.event_runs()[2].id));
    assert_eq!(rollback["conclusion"], "failure");
}

#[test]
fn wait_says_when_an_events_run_never_shows_up() {
    // The workflow runs on every event type; the double starts no run for this one.
    let project = Project::with_config(&event_only(true).replace("release-published", "launched"));
    project.repo.write(
        ".github/workflows/announce.yml",
        "on: repository_dispatch\n",
    );
    project.repo.commit("ci: announce on every event");
    let run = project
        .relcut(&["release", "--yes", "--wait", "--wait-timeout", "1"])
        .code(9);
    assert!(
        run.stderr.contains(
            "the `launched` event of 1.1.0 to `announce` was sent, and `announce.yml` listed no `repository_dispatch` run of it within 1 second,"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(project.double.repository_dispatches().len(), 1);
    assert_eq!(project.double.releases().len(), 1);
}

#[test]
fn a_release_made_now_sends_its_event_whatever_runs_the_workflow_has() {
    // The run of 1.1.0's event is dated after 1.2.0's release is published (as when both come
    // in one second), and its title names no version: only the release being new tells.
    let project = Project::with_config(&event_only(true));
    project.double.date_runs_ahead(30);
    project.relcut(&["release", "--yes"]).success();
    project.double.date_runs_ahead(0);
    project.repo.write("wing.txt", "lift\n");
    project.repo.commit("feat: a wing");
    project.relcut(&["release", "--yes"]).success();
    let versions: Vec<String> = project
        .double
        .repository_dispatches()
        .iter()
        .map(|(_, payload)| payload["version"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(versions, ["1.1.0", "1.2.0"]);
    // A re-run of 1.2.0 finds it sent: its run is there.
    project.relcut(&["release", "--yes"]).success();
    assert_eq!(project.double.repository_dispatches().len(), 2);
}
