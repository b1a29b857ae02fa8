//! `relcut::forge`'s release and asset operations against the local GitHub API double, with
//! programmed answers (`respond`): the requests they send, how they read pages, what their
//! errors say, and which failures are tried again.

use relcut::config::ForgeSettings;
use relcut::error::Error;
use relcut::forge::{Forge, GitHub, NewRelease, Release, ReleaseUpdate, RepoId};
use relcut::secret::Secret;
use serde_json::{Value, json};

use crate::forge::quick_retries;
use crate::github_double::{GitHubDouble, Recorded};

const TOKEN: &str = "ghs_client0token0value01234567890";

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

fn repo() -> RepoId {
    RepoId::parse("octocat/Hello-World").unwrap()
}

#[track_caller]
fn assert_no_token(error: &Error) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
}

/// An example of the contract, by name (`release`, `release-asset-items`, …).
fn example(name: &str) -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/github-api/openapi.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    document["components"]["examples"][name]["value"].clone()
}

/// The contract's example release with another id, tag and draft flag, uploading to `upload_url`.
fn release_json(id: u64, tag: &str, draft: bool, upload_url: &str) -> Value {
    let mut release = example("release");
    release["id"] = json!(id);
    release["tag_name"] = json!(tag);
    release["name"] = json!(tag);
    release["draft"] = json!(draft);
    release["upload_url"] = json!(upload_url);
    release
}

fn asset_json(id: u64, name: &str) -> Value {
    let mut asset = example("release-asset-response-for-successful-upload");
    asset["id"] = json!(id);
    asset["name"] = json!(name);
    asset
}

/// The upload URL template of release `id` on the double.
fn upload_url(double: &GitHubDouble, id: u64) -> String {
    format!(
        "{}/repos/octocat/Hello-World/releases/{id}/assets{{?name,label}}",
        double.url()
    )
}

fn body_json(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

fn new_release(tag: &str) -> NewRelease {
    NewRelease {
        tag_name: tag.to_string(),
        target_commitish: None,
        name: format!("Release {tag}"),
        body: String::from("## Fixed\n- a bug"),
        draft: true,
        prerelease: false,
        make_latest: false,
    }
}

#[test]
fn forge_create_release_sends_the_contract_body() {
    let double = GitHubDouble::start();
    double.expect_token(TOKEN);
    double.respond(
        "repos/create-release",
        201,
        release_json(7, "v1.0.0", true, &upload_url(&double, 7)),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let created = github
        .create_release(&repo(), &new_release("v1.0.0"))
        .unwrap();
    assert_eq!((created.id, created.draft), (7, true));
    assert_eq!(created.body.as_deref(), Some("Description of the release"));
    let mut with_target = new_release("v1.0.0");
    with_target.target_commitish = Some(String::from("0123abc"));
    with_target.make_latest = true;
    github.create_release(&repo(), &with_target).unwrap();
    let requests = double.finish();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/repos/octocat/Hello-World/releases");
    assert_eq!(first.header("content-type"), ["application/json"]);
    assert_eq!(
        first.header("content-length"),
        [first.body.len().to_string().as_str()]
    );
    assert_eq!(
        body_json(first),
        json!({ "tag_name": "v1.0.0", "name": "Release v1.0.0", "body": "## Fixed\n- a bug",
                "draft": true, "prerelease": false, "make_latest": "false" })
    );
    let second = body_json(&requests[1]);
    assert_eq!(second["target_commitish"], "0123abc");
    assert_eq!(second["make_latest"], "true");
}

#[test]
fn forge_write_errors_say_what_to_fix() {
    let already = json!({ "message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
        "errors": [ { "resource": "Release", "code": "already_exists", "field": "tag_name" } ] });
    // (status, body, what the message must say)
    let rows: Vec<(u16, Value, Vec<&str>)> = vec![
        (
            422,
            already,
            vec![
                "GitHub answered 422 to `POST /repos/octocat/Hello-World/releases`: Validation Failed: the release already exists for tag_name (already_exists)",
            ],
        ),
        (
            403,
            json!({ "message": format!("Resource not accessible by integration {TOKEN}") }),
            vec![
                "GitHub answered 403 to `POST /repos/octocat/Hello-World/releases`",
                "Resource not accessible by integration",
                "`contents: write`",
                "permissions: contents: write",
            ],
        ),
        (
            404,
            json!({ "message": "Not Found" }),
            vec![
                "cannot see the repository `octocat/Hello-World`",
                "contents: write",
            ],
        ),
        (
            401,
            json!({ "message": "Bad credentials" }),
            vec!["the token was refused", "GITHUB_TOKEN"],
        ),
    ];
    for (status, body, needles) in rows {
        let double = GitHubDouble::start();
        double.respond("repos/create-release", status, body);
        let github = GitHub::new(&settings(&double)).unwrap();
        let error = github
            .create_release(&repo(), &new_release("v1.0.0"))
            .unwrap_err();
        assert!(matches!(error, Error::Forge(_)), "{status}: {error:?}");
        assert_eq!(error.exit_code(), 7);
        for needle in needles {
            assert!(error.to_string().contains(needle), "{status}: {error}");
        }
        assert_no_token(&error);
        // An error GitHub answered is final: sent once.
        assert_eq!(double.finish().len(), 1, "{status}");
    }
}

#[test]
fn forge_update_release_sends_only_what_changes() {
    let double = GitHubDouble::start();
    double.respond(
        "repos/update-release",
        200,
        release_json(7, "v1.0.0", false, &upload_url(&double, 7)),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let publish = ReleaseUpdate {
        draft: Some(false),
        make_latest: Some(true),
        ..ReleaseUpdate::default()
    };
    let updated = github.update_release(&repo(), 7, &publish).unwrap();
    assert!(!updated.draft);
    let notes = ReleaseUpdate {
        name: Some(String::from("v1.0.0 (fixed notes)")),
        body: Some(String::from("notes")),
        prerelease: Some(true),
        ..ReleaseUpdate::default()
    };
    github.update_release(&repo(), 7, &notes).unwrap();
    let requests = double.finish();
    assert_eq!(requests[0].method, "PATCH");
    assert_eq!(requests[0].path, "/repos/octocat/Hello-World/releases/7");
    assert_eq!(
        body_json(&requests[0]),
        json!({ "draft": false, "make_latest": "true" })
    );
    assert_eq!(
        body_json(&requests[1]),
        json!({ "name": "v1.0.0 (fixed notes)", "body": "notes", "prerelease": true })
    );
}

#[test]
fn forge_draft_for_tag_reads_pages_only_while_needed() {
    let published_page = |first_id: u64| -> Value {
        Value::Array(
            (first_id..first_id + 100)
                .map(|id| release_json(id, &format!("v0.{id}.0"), false, "unused"))
                .collect(),
        )
    };
    // (pages programmed, the draft's id found, pages read)
    let rows: Vec<(Vec<Value>, Option<u64>, usize)> = vec![
        // On the first page: the second is never asked for.
        (
            vec![json!([
                release_json(500, "v2.0.0", false, "u"),
                release_json(400, "v2.0.0", true, "u"),
                release_json(300, "v2.0.0", true, "u"),
            ])],
            Some(400),
            1,
        ),
        // A full page means there may be more.
        (
            vec![
                published_page(1),
                json!([release_json(401, "v2.0.0", true, "u")]),
            ],
            Some(401),
            2,
        ),
        // A published release of the tag is no draft; a short page is the last.
        (
            vec![
                published_page(1),
                json!([release_json(402, "v2.0.0", false, "u")]),
            ],
            None,
            2,
        ),
        (vec![json!([])], None, 1),
    ];
    for (pages, expected, read) in rows {
        let double = GitHubDouble::start();
        for page in pages {
            double.respond("repos/list-releases", 200, page);
        }
        let github = GitHub::new(&settings(&double)).unwrap();
        let found = github.draft_for_tag(&repo(), "v2.0.0").unwrap();
        assert_eq!(found.as_ref().map(|release| release.id), expected);
        assert!(found.is_none_or(|release| release.draft));
        let requests = double.finish();
        let queries: Vec<&str> = requests.iter().map(|r| r.query.as_str()).collect();
        let expected_queries: Vec<String> = (1..=read)
            .map(|page| format!("per_page=100&page={page}"))
            .collect();
        assert_eq!(queries, expected_queries);
        assert!(
            requests
                .iter()
                .all(|r| r.path == "/repos/octocat/Hello-World/releases")
        );
    }
}

#[test]
fn forge_release_assets_reads_every_page() {
    let double = GitHubDouble::start();
    let page = |ids: std::ops::Range<u64>| -> Value {
        Value::Array(
            ids.map(|id| asset_json(id, &format!("file-{id}.tar.gz")))
                .collect(),
        )
    };
    double.respond("repos/list-release-assets", 200, page(1..101));
    double.respond("repos/list-release-assets", 200, page(101..104));
    let github = GitHub::new(&settings(&double)).unwrap();
    let assets = github.release_assets(&repo(), 7).unwrap();
    assert_eq!(assets.len(), 103);
    assert_eq!(assets[102].name, "file-103.tar.gz");
    assert_eq!(assets[0].state, "uploaded");
    let requests = double.finish();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].path,
        "/repos/octocat/Hello-World/releases/7/assets"
    );
    assert_eq!(requests[1].query, "per_page=100&page=2");
}

fn release_on(double: &GitHubDouble, id: u64) -> Release {
    Release {
        id,
        tag_name: String::from("v1.0.0"),
        name: Some(String::from("v1.0.0")),
        body: None,
        draft: true,
        prerelease: false,
        html_url: String::from("https://github.com/octocat/Hello-World/releases/v1.0.0"),
        upload_url: upload_url(double, id),
        assets: vec![],
        published_at: None,
    }
}

#[test]
fn forge_upload_asset_sends_raw_bytes_to_the_upload_url() {
    let double = GitHubDouble::start();
    double.expect_token(TOKEN);
    double.respond(
        "repos/upload-release-asset",
        201,
        asset_json(11, "relcut 1.0 (linux).tar.gz"),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let bytes = vec![0x1f, 0x8b, 0, 1, 2, 3, 0xff];
    let asset = github
        .upload_asset(
            &release_on(&double, 7),
            "relcut 1.0 (linux).tar.gz",
            "application/gzip",
            bytes.clone(),
        )
        .unwrap();
    assert_eq!(
        (asset.id, asset.name.as_str()),
        (11, "relcut 1.0 (linux).tar.gz")
    );
    let requests = double.finish();
    assert_eq!(requests.len(), 1);
    let upload = &requests[0];
    assert_eq!(
        upload.operation.as_deref(),
        Some("repos/upload-release-asset")
    );
    assert_eq!(upload.path, "/repos/octocat/Hello-World/releases/7/assets");
    assert_eq!(upload.query, "name=relcut%201.0%20%28linux%29.tar.gz");
    assert_eq!(upload.header("content-type"), ["application/gzip"]);
    assert_eq!(upload.header("content-length"), ["7"]);
    assert_eq!(upload.body, bytes);
}

#[test]
fn forge_upload_asset_sends_the_token_to_no_other_host() {
    let double = GitHubDouble::start();
    let github = GitHub::new(&settings(&double)).unwrap();
    let mut release = release_on(&double, 7);
    // The contract's own example: uploads.github.com, which is not this API's host.
    release.upload_url = String::from(
        "https://uploads.github.com/repos/octocat/Hello-World/releases/1/assets{?name,label}",
    );
    let error = github
        .upload_asset(&release, "a.zip", "application/zip", vec![1])
        .unwrap_err();
    assert!(
        error.to_string().contains("not on the API's host"),
        "{error}"
    );
    let error = github
        .upload_asset(&release_on(&double, 7), "a.zip", "not a type", vec![1])
        .unwrap_err();
    assert!(error.to_string().contains("is not a media type"), "{error}");
    assert!(double.finish().is_empty(), "nothing was sent");
}

#[test]
fn forge_upload_asset_422_and_403_are_sentences() {
    let rows: Vec<(u16, Value, &str)> = vec![
        (
            422,
            json!({ "message": "Validation Failed", "documentation_url": "d",
                    "errors": [ { "resource": "ReleaseAsset", "code": "already_exists", "field": "name" } ] }),
            "Validation Failed: the release asset already exists for name (already_exists)",
        ),
        (
            403,
            json!({ "message": "Forbidden" }),
            "cannot see the repository `octocat/Hello-World` or lacks the `contents: write` permission",
        ),
    ];
    for (status, body, needle) in rows {
        let double = GitHubDouble::start();
        double.respond("repos/upload-release-asset", status, body);
        let github = GitHub::new(&settings(&double)).unwrap();
        let error = github
            .upload_asset(&release_on(&double, 7), "a.zip", "application/zip", vec![1])
            .unwrap_err();
        assert!(error.to_string().contains(needle), "{error}");
        assert!(
            error
                .to_string()
                .contains("`POST /repos/octocat/Hello-World/releases/7/assets?name=a.zip`"),
            "{error}"
        );
        assert_eq!(double.finish().len(), 1);
    }
}

#[test]
fn forge_delete_asset() {
    let double = GitHubDouble::start();
    // Answers queue: the first is used once, the last repeats.
    double.respond("repos/delete-release-asset", 204, Value::Null);
    double.respond(
        "repos/delete-release-asset",
        404,
        json!({ "message": "Not Found" }),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    github.delete_asset(&repo(), 11).unwrap();
    let error = github.delete_asset(&repo(), 12).unwrap_err();
    assert!(
        error.to_string().starts_with(
            "GitHub answered 404 to `DELETE /repos/octocat/Hello-World/releases/assets/12`"
        ),
        "{error}"
    );
    let requests = double.finish();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "DELETE");
    assert!(requests[0].body.is_empty());
}

#[test]
fn forge_retries_server_errors_on_reads_until_an_answer() {
    let double = GitHubDouble::start();
    for status in [502, 503] {
        double.respond("repos/get", status, json!({ "message": "Server Error" }));
    }
    double.respond(
        "repos/get",
        200,
        json!({ "full_name": "octocat/Hello-World", "html_url": "https://github.com/octocat/Hello-World",
                "default_branch": "main", "permissions": { "admin": false, "push": true, "pull": true } }),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let found = github.repository(&repo()).unwrap();
    assert_eq!(found.full_name, "octocat/Hello-World");
    assert_eq!(double.finish().len(), 3);
}

#[test]
fn forge_gives_up_after_the_last_attempt_saying_how_often() {
    let double = GitHubDouble::start();
    double.respond(
        "repos/get-release-by-tag",
        503,
        json!({ "message": format!("Service Unavailable {TOKEN}") }),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let error = github.release_by_tag(&repo(), "v1.0.0").unwrap_err();
    let message = error.to_string();
    for needle in [
        "GitHub answered 503 to `GET /repos/octocat/Hello-World/releases/tags/v1.0.0`: Service Unavailable ***",
        "tried 5 times",
        "`github.max_attempts`",
        "try again later",
    ] {
        assert!(message.contains(needle), "{message}");
    }
    assert_no_token(&error);
    assert_eq!(double.finish().len(), 5);
}

#[test]
fn forge_never_repeats_a_post_that_met_a_server_error() {
    let double = GitHubDouble::start();
    double.respond(
        "repos/create-release",
        502,
        json!({ "message": "Bad Gateway" }),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let error = github
        .create_release(&repo(), &new_release("v1.0.0"))
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    assert_eq!(error.exit_code(), 7);
    let message = error.to_string();
    assert!(
        message.starts_with(
            "GitHub answered 502 to `POST /repos/octocat/Hello-World/releases`: Bad Gateway"
        ),
        "{message}"
    );
    assert!(
        message.contains("may or may not have been carried out"),
        "{message}"
    );
    assert_eq!(double.finish().len(), 1, "sent once");
}

#[test]
fn forge_waits_out_a_secondary_rate_limit_even_on_a_post() {
    let double = GitHubDouble::start();
    double.respond(
        "repos/create-release",
        403,
        json!({ "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }),
    );
    double.respond(
        "repos/create-release",
        201,
        release_json(9, "v1.0.0", true, &upload_url(&double, 9)),
    );
    let github = GitHub::new(&settings(&double)).unwrap();
    let created = github
        .create_release(&repo(), &new_release("v1.0.0"))
        .unwrap();
    assert_eq!(created.id, 9);
    assert_eq!(double.finish().len(), 2);
}
