//! The token never leaves relcut: each command's failure paths run as an Actions step with a
//! recognisable token and `RUST_BACKTRACE=1`, against a GitHub double that even echoes the token
//! back, and no byte of standard output, standard error, the JSON document, `$GITHUB_OUTPUT` or
//! the step summary holds it, or a recognisable part of it.

use serde_json::json;

use crate::github_double::GitHubDouble;
use crate::harness::TestRepo;

const TOKEN: &str = "ghs_SECRET0leak0probe0value0123456";

const TARGETS: &str = r#"[github]
poll_seconds = 0
max_attempts = 2
retry_seconds = 1

[deploy.production]
workflow = "deploy.yml"
inputs = { version = "{{version}}" }
on = "stable"
"#;

/// What one failing run left where a person or a log could read it.
struct Traces {
    code: Option<i32>,
    text: String,
}

/// A project at 1.0.0, released and pushed, with a feature since, run as an Actions step;
/// `fault` sets the double up to fail, `args` is the command and `token` the token given.
fn run_failing(
    args: &[&str],
    token: &str,
    api_url: Option<&str>,
    fault: impl Fn(&GitHubDouble),
) -> Traces {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.write("relcut.toml", TARGETS);
    repo.commit("feat: first version");
    repo.tag_annotated("v1.0.0", "v1.0.0");
    repo.add_github_origin("octo", "rocket");
    repo.git(&["push", "-q", "-u", "origin", "main", "v1.0.0"]);
    repo.write("engine.txt", "thrust\n");
    repo.commit("feat: an engine");
    let double = GitHubDouble::start_for("octo/rocket");
    fault(&double);
    let files = tempfile::tempdir().unwrap();
    let output = files.path().join("output");
    let summary = files.path().join("summary");
    let url = api_url.map_or_else(|| double.url(), String::from);
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("CI", "true"),
        ("RUST_BACKTRACE", "1"),
        ("GITHUB_OUTPUT", output.to_str().unwrap()),
        ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ("GITHUB_API_URL", url.as_str()),
        ("GITHUB_TOKEN", token),
    ];
    let run = repo.relcut_with(args, &env);
    let read = |path: &std::path::Path| std::fs::read_to_string(path).unwrap_or_default();
    Traces {
        code: Some(run.code),
        text: [run.stdout, run.stderr, read(&output), read(&summary)].join("\n"),
    }
}

#[track_caller]
fn assert_no_token(what: &str, traces: &Traces) {
    assert_ne!(traces.code, Some(0), "{what}: the run was to fail");
    for part in [TOKEN, "SECRET0leak0probe", "0value0123456"] {
        assert!(
            !traces.text.contains(part),
            "{what}: `{part}` is in:\n{}",
            traces.text
        );
    }
}

fn echoing_refusal(double: &GitHubDouble, operation: &str, status: u16) {
    double.fail_next(
        operation,
        10,
        status,
        json!({ "message": format!("Bad credentials: {TOKEN}"), "token": TOKEN }),
        &[],
    );
}

#[test]
fn no_failure_path_shows_the_token() {
    let cases: Vec<(&str, Traces)> = vec![
        (
            "release, the release refused with the token echoed",
            run_failing(&["release", "--json"], TOKEN, None, |double| {
                echoing_refusal(double, "repos/create-release", 401)
            }),
        ),
        (
            "release, GitHub failing on every try",
            run_failing(&["release", "--json"], TOKEN, None, |double| {
                echoing_refusal(double, "repos/create-release", 502)
            }),
        ),
        (
            "release, the repository read refused",
            run_failing(&["release", "--yes"], TOKEN, None, |double| {
                echoing_refusal(double, "repos/get", 403)
            }),
        ),
        (
            "publish, no server at the API address",
            run_failing(
                &["publish", "--yes"],
                TOKEN,
                Some("http://127.0.0.1:9"),
                |_| {},
            ),
        ),
        (
            "deploy, the dispatch refused with the token echoed",
            run_failing(
                &["deploy", "1.0.0", "--to", "production", "--yes"],
                TOKEN,
                None,
                |double| echoing_refusal(double, "actions/create-workflow-dispatch", 404),
            ),
        ),
        (
            "release, a token that is not a valid header value",
            run_failing(
                &["release", "--json"],
                &format!("{TOKEN}\nX-Injected: 1"),
                None,
                |_| {},
            ),
        ),
    ];
    for (what, traces) in &cases {
        assert_no_token(what, traces);
    }
}
