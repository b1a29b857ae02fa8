//! `relcut::forge` against the local GitHub API double: access checks, the release probe, what
//! errors say, and that the double itself rejects requests that break the contract.

use std::io::{Read, Write};
use std::net::TcpStream;

use relcut::config::ForgeSettings;
use relcut::forge::{Forge, GitHub, RepoId, RetryPolicy};
use relcut::secret::Secret;
use serde_json::json;

use crate::github_double::GitHubDouble;

const TOKEN: &str = "ghs_double0token0value0123456789";

fn settings(double: &GitHubDouble) -> ForgeSettings {
    ForgeSettings {
        api_url: double.url(),
        token: Secret::new(TOKEN),
        repository: None,
        hosts: vec![String::from("github.com")],
        retry: quick_retries(),
        poll: std::time::Duration::ZERO,
    }
}

/// Retries as in production, with pauses short enough for tests.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        max_elapsed: std::time::Duration::from_secs(10),
        first_pause: std::time::Duration::from_millis(10),
    }
}

fn repo() -> RepoId {
    RepoId::parse("octocat/Hello-World").unwrap()
}

#[track_caller]
fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
}

#[test]
fn forge_repository_ok_sends_the_contract_headers() {
    let double = GitHubDouble::start();
    double.expect_token(TOKEN);
    // The contract's example is seen by a token without push; this one may write.
    double.respond(
        "repos/get",
        200,
        json!({ "full_name": "octocat/Hello-World", "html_url": "https://github.com/octocat/Hello-World",
                "default_branch": "main", "permissions": { "admin": false, "push": true, "pull": true } }),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let found = github.repository(&repo()).unwrap();
    assert_eq!(found.full_name, "octocat/Hello-World");
    let requests = double.finish();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.operation.as_deref(), Some("repos/get"));
    assert_eq!(request.path, "/repos/octocat/Hello-World");
    assert_eq!(request.header("x-github-api-version"), ["2022-11-28"]);
    assert_eq!(
        request.header("authorization"),
        [format!("Bearer {TOKEN}").as_str()]
    );
    let agents = request.header("user-agent");
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0], concat!("relcut/", env!("CARGO_PKG_VERSION")));
}

#[test]
fn forge_repository_errors_say_what_to_fix() {
    // (status, what the message must say)
    let rows: &[(u16, &[&str])] = &[
        (401, &["the token was refused", "GITHUB_TOKEN"]),
        (
            403,
            &[
                "contents: write",
                "permissions: contents: write",
                "octocat/Hello-World",
            ],
        ),
        (
            404,
            &[
                "contents: write",
                "permissions: contents: write",
                "cannot see the repository",
            ],
        ),
        (500, &["500", "GET /repos/octocat/Hello-World"]),
    ];
    for (status, needles) in rows {
        let double = GitHubDouble::start();
        // The server echoes the token: relcut must not repeat it.
        double.respond(
            "repos/get",
            *status,
            json!({ "message": format!("bad credentials {TOKEN}"), "documentation_url": "https://docs.github.com/rest" }),
        );
        let github = GitHub::new(&settings(&double)).unwrap();
        let error = github.repository(&repo()).unwrap_err();
        let message = error.to_string();
        for needle in *needles {
            assert!(message.contains(needle), "{status}: {message}");
        }
        assert_eq!(error.exit_code(), 7, "{status}");
        assert_no_token(&message);
        assert_no_token(&format!("{error:?}"));
        double.finish();
    }
}

#[test]
fn forge_repository_without_push_permission_is_refused() {
    let double = GitHubDouble::start();
    double.respond(
        "repos/get",
        200,
        json!({ "full_name": "octocat/Hello-World", "html_url": "https://github.com/octocat/Hello-World",
                "default_branch": "main", "permissions": { "admin": false, "push": false, "pull": true } }),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let message = github.repository(&repo()).unwrap_err().to_string();
    assert!(message.contains("contents: write"), "{message}");
    double.finish();
}

#[test]
fn forge_release_by_tag_found_and_not_found() {
    let double = GitHubDouble::start();
    double.add_release("v1.0.0", false, false);
    let github = GitHub::new(&settings(&double)).unwrap();
    let release = github
        .release_by_tag(&repo(), "v1.0.0")
        .unwrap()
        .expect("the example release");
    assert_eq!(release.tag_name, "v1.0.0");
    double.respond(
        "repos/get-release-by-tag",
        404,
        json!({ "message": "Not Found" }),
    );
    assert_eq!(github.release_by_tag(&repo(), "release/2.0").unwrap(), None);
    assert_eq!(double.requests().len(), 2);
    let requests = double.finish();
    let paths: Vec<_> = requests
        .iter()
        .map(|r| (r.operation.clone().unwrap(), r.path.clone()))
        .collect();
    assert_eq!(
        paths,
        [
            (
                String::from("repos/get-release-by-tag"),
                String::from("/repos/octocat/Hello-World/releases/tags/v1.0.0")
            ),
            (
                String::from("repos/get-release-by-tag"),
                String::from("/repos/octocat/Hello-World/releases/tags/release/2.0")
            ),
        ]
    );
    for request in &requests {
        assert!(
            request.text().contains(TOKEN),
            "the header carries the token"
        );
    }
}

#[test]
fn forge_release_by_tag_401_names_the_token_without_showing_it() {
    let double = GitHubDouble::start();
    double.respond("repos/get-release-by-tag", 401, json!({ "message": TOKEN }));
    let github = GitHub::new(&settings(&double)).unwrap();
    let error = github.release_by_tag(&repo(), "v1.0.0").unwrap_err();
    assert!(
        error.to_string().contains("the token was refused"),
        "{error}"
    );
    assert_no_token(&error.to_string());
    assert_no_token(&format!("{error:?}"));
    double.finish();
}

#[test]
fn forge_unreachable_api_is_an_error_without_the_token() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = ForgeSettings {
        api_url: format!("http://user:{TOKEN}@127.0.0.1:{port}"),
        token: Secret::new(TOKEN),
        repository: None,
        hosts: vec![],
        retry: quick_retries(),
        poll: std::time::Duration::ZERO,
    };
    let error = match GitHub::new(&settings) {
        Ok(github) => github.repository(&repo()).unwrap_err(),
        Err(error) => error,
    };
    assert_no_token(&error.to_string());
    assert_no_token(&format!("{error:?}"));
}

/// Sends `request` as raw bytes and returns the status code of the answer.
fn raw(double: &GitHubDouble, request: &str) -> u16 {
    let mut stream = TcpStream::connect(double.address()).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn post(path: &str, body: &str, version: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\nAuthorization: Bearer t\r\nX-GitHub-Api-Version: {version}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn github_double_rejects_requests_that_break_the_contract() {
    // (request, a word the violation must contain)
    let rows: Vec<(String, &str)> = vec![
        (post("/repos/o/r/releases", r#"{"name":"v1"}"#, "2022-11-28"), "tag_name"),
        (post("/repos/o/r/releases", r#"{"tag_name":1}"#, "2022-11-28"), "type string"),
        (post("/repos/o/r/releases", r#"{"tag_name":"v1"}"#, "2021-01-01"), "X-GitHub-Api-Version"),
        (post("/repos/o/r/dispatches", r#"{"event_type":""}"#, "2022-11-28"), "shorter"),
        (post("/repos/o/r/nothing", "{}", "2022-11-28"), "no operation"),
        (
            "GET /repos/o/r/releases?per_page=many HTTP/1.1\r\nUser-Agent: t\r\nX-GitHub-Api-Version: 2022-11-28\r\n\r\n".into(),
            "per_page",
        ),
        (
            "GET /repos/o/r/releases?colour=red HTTP/1.1\r\nUser-Agent: t\r\nX-GitHub-Api-Version: 2022-11-28\r\n\r\n".into(),
            "unknown query parameter",
        ),
        (
            "GET /repos/o/r HTTP/1.1\r\nUser-Agent: t\r\nAuthorization: secret\r\nX-GitHub-Api-Version: 2022-11-28\r\n\r\n".into(),
            "Authorization",
        ),
    ];
    for (request, word) in rows {
        let double = GitHubDouble::start();
        assert_eq!(raw(&double, &request), 400, "{request}");
        let violations = double.take_violations();
        assert_eq!(violations.len(), 1, "{request}: {violations:?}");
        assert!(violations[0].contains(word), "{request}: {violations:?}");
        double.finish();
    }
}

#[test]
fn github_double_accepts_valid_requests() {
    let double = GitHubDouble::start();
    let body = r#"{"tag_name":"v1.0.0","name":"v1.0.0","body":"notes","draft":false,"prerelease":false,"make_latest":"true"}"#;
    assert_eq!(
        raw(
            &double,
            &post("/repos/octocat/Hello-World/releases", body, "2022-11-28")
        ),
        201
    );
    let get = "GET /repos/octocat/Hello-World/releases/latest HTTP/1.1\r\nUser-Agent: t\r\nX-GitHub-Api-Version: 2022-11-28\r\n\r\n";
    assert_eq!(raw(&double, get), 200);
    let requests = double.finish();
    assert_eq!(
        requests[0].operation.as_deref(),
        Some("repos/create-release")
    );
    assert_eq!(
        requests[1].operation.as_deref(),
        Some("repos/get-latest-release")
    );
}

#[test]
#[should_panic(expected = "break the GitHub API contract")]
fn github_double_fails_the_test_on_a_violation() {
    let double = GitHubDouble::start();
    raw(&double, &post("/repos/o/r/releases", "{}", "2022-11-28"));
    double.finish();
}
