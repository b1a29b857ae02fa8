//! `relcut::forge` end to end against the stateful GitHub double: releases and assets that the
//! double holds, and its faults (server errors, rate limits, connections lost before or after
//! the work), to prove the client retries what it may, waits out limits, and never does a
//! creating request twice.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use relcut::config::ForgeSettings;
use relcut::error::Error;
use relcut::forge::{Forge, GitHub, NewRelease, ReleaseUpdate, RepoId, RetryPolicy};
use relcut::secret::Secret;
use serde_json::json;

use crate::forge::quick_retries;
use crate::github_double::GitHubDouble;

const TOKEN: &str = "ghs_faults0token0value0123456789";

fn github_with(double: &GitHubDouble, retry: RetryPolicy) -> GitHub {
    GitHub::new(&ForgeSettings {
        api_url: double.url(),
        token: Secret::new(TOKEN),
        repository: None,
        hosts: vec![String::from("github.com")],
        retry,
        poll: std::time::Duration::ZERO,
    })
    .unwrap()
}

fn github(double: &GitHubDouble) -> GitHub {
    github_with(double, quick_retries())
}

fn repo() -> RepoId {
    RepoId::parse("octocat/Hello-World").unwrap()
}

fn new_release(tag: &str) -> NewRelease {
    NewRelease {
        tag_name: tag.to_string(),
        target_commitish: None,
        name: tag.to_string(),
        body: String::from("notes"),
        draft: true,
        prerelease: false,
        make_latest: true,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[track_caller]
fn assert_no_token(error: &Error) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
}

fn faults(double: GitHubDouble) -> Vec<Option<String>> {
    double.finish().into_iter().map(|r| r.fault).collect()
}

#[test]
fn forge_faults_a_get_is_retried_through_two_502s() {
    let double = GitHubDouble::start();
    double.fail_next(
        "repos/get",
        2,
        502,
        json!({ "message": "Bad Gateway" }),
        &[],
    );
    let found = github(&double).repository(&repo()).unwrap();
    assert_eq!(found.full_name, "octocat/Hello-World");
    assert_eq!(
        faults(double),
        [
            Some(String::from("fail_next 502")),
            Some(String::from("fail_next 502")),
            None
        ]
    );
}

#[test]
fn forge_faults_a_get_is_retried_when_the_connection_drops() {
    let double = GitHubDouble::start();
    double.add_release("v1.0.0", false, false);
    double.drop_after("repos/get-release-by-tag", 1);
    double.drop_before("repos/get-release-by-tag", 1);
    let found = github(&double).release_by_tag(&repo(), "v1.0.0").unwrap();
    assert_eq!(
        found.map(|release| release.tag_name).as_deref(),
        Some("v1.0.0")
    );
    assert_eq!(double.finish().len(), 3);
}

#[test]
fn forge_faults_a_secondary_rate_limit_is_waited_out_for_retry_after() {
    let double = GitHubDouble::start();
    double.fail_next(
        "repos/create-release",
        1,
        403,
        json!({ "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }),
        &[("Retry-After", "1")],
    );
    let started = Instant::now();
    let created = github(&double)
        .create_release(&repo(), &new_release("v1.0.0"))
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as long as Retry-After said"
    );
    assert!(created.draft);
    assert_eq!(double.releases().len(), 1, "created exactly once");
    assert_eq!(double.finish().len(), 2);
}

#[test]
fn forge_faults_a_primary_rate_limit_waits_until_its_reset() {
    // (seconds from now to the reset, the least wait)
    let rows: &[(i64, Duration)] = &[
        // Already past (clocks differ): a backoff pause, then again.
        (-30, Duration::ZERO),
        (1, Duration::from_millis(1)),
    ];
    for (from_now, least) in rows {
        let double = GitHubDouble::start();
        let reset = (now() as i64 + from_now).to_string();
        double.fail_next(
            "repos/list-releases",
            1,
            403,
            json!({ "message": "API rate limit exceeded for installation ID 1.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }),
            &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &reset)],
        );
        double.add_release("v1.0.0", true, false);
        let started = Instant::now();
        let draft = github(&double).draft_for_tag(&repo(), "v1.0.0").unwrap();
        assert!(draft.is_some(), "{from_now}");
        assert!(started.elapsed() >= *least, "{from_now}");
        assert!(started.elapsed() < Duration::from_secs(3), "{from_now}");
        assert_eq!(double.finish().len(), 2, "{from_now}");
    }
}

#[test]
fn forge_faults_a_rate_limit_beyond_the_budget_fails_at_once_saying_when() {
    let double = GitHubDouble::start();
    let reset = (now() + 1800).to_string();
    double.fail_next(
        "repos/get",
        1,
        403,
        json!({ "message": format!("API rate limit exceeded for {TOKEN}"),
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }),
        &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &reset)],
    );
    let started = Instant::now();
    let error = github(&double).repository(&repo()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1), "no waiting");
    let message = error.to_string();
    for needle in [
        "GitHub answered 403 to `GET /repos/octocat/Hello-World`",
        "rate limit is used up until",
        "UTC (in 30 minutes)",
        "`github.retry_seconds`",
        "run relcut again",
    ] {
        assert!(message.contains(needle), "{message}");
    }
    assert_no_token(&error);
    assert_eq!(double.finish().len(), 1);
}

#[test]
fn forge_faults_a_create_whose_answer_was_lost_is_in_doubt_and_done_once() {
    let double = GitHubDouble::start();
    double.drop_after("repos/create-release", 1);
    let github = github(&double);
    let error = github
        .create_release(&repo(), &new_release("v1.0.0"))
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    assert_eq!(error.exit_code(), 7);
    assert!(
        error
            .to_string()
            .starts_with("`POST /repos/octocat/Hello-World/releases` got no answer from GitHub"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("may or may not have been carried out"),
        "{error}"
    );
    assert_no_token(&error);
    assert_eq!(double.releases().len(), 1, "exactly one release exists");
    // What the publish step does next: look before creating again.
    let draft = github.draft_for_tag(&repo(), "v1.0.0").unwrap().unwrap();
    assert_eq!(draft.id, double.releases()[0].id);
    let requests = double.finish();
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.operation.as_deref() == Some("repos/create-release"))
            .count(),
        1,
        "never sent twice"
    );
}

#[test]
fn forge_faults_a_create_lost_before_it_was_done_is_in_doubt_and_nothing_exists() {
    let double = GitHubDouble::start();
    double.drop_before("repos/create-release", 1);
    let github = github(&double);
    let error = github
        .create_release(&repo(), &new_release("v1.0.0"))
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    assert!(double.releases().is_empty());
    assert_eq!(github.draft_for_tag(&repo(), "v1.0.0").unwrap(), None);
    assert_eq!(double.finish().len(), 2);
}

#[test]
fn forge_faults_a_server_error_on_a_post_is_not_retried() {
    let double = GitHubDouble::start();
    double.fail_next(
        "repos/create-release",
        1,
        500,
        json!({ "message": "Internal Server Error" }),
        &[],
    );
    let error = github(&double)
        .create_release(&repo(), &new_release("v1.0.0"))
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    assert!(error.to_string().contains("GitHub answered 500"), "{error}");
    assert!(double.releases().is_empty());
    assert_eq!(double.finish().len(), 1, "one request recorded");
}

#[test]
fn forge_faults_an_update_and_a_delete_are_repeated_safely() {
    let double = GitHubDouble::start();
    let id = double.add_release("v1.0.0", true, false);
    let asset = double.add_asset(id, "a.tar.gz", b"bytes");
    double.drop_after("repos/update-release", 1);
    double.drop_after("repos/delete-release-asset", 1);
    let github = github(&double);
    let publish = ReleaseUpdate {
        draft: Some(false),
        make_latest: Some(true),
        ..ReleaseUpdate::default()
    };
    let published = github.update_release(&repo(), id, &publish).unwrap();
    assert!(!published.draft);
    // The first attempt deleted it, the second finds it gone: done, as asked.
    github.delete_asset(&repo(), asset).unwrap();
    let held = &double.releases()[0];
    assert!(!held.draft);
    assert!(held.assets.is_empty());
    assert_eq!(double.latest_release_id(), Some(id));
    assert_eq!(double.finish().len(), 4);
}

#[test]
fn forge_faults_server_errors_until_the_last_attempt_say_how_often() {
    let double = GitHubDouble::start();
    double.fail_next(
        "repos/list-release-assets",
        3,
        503,
        json!({ "message": "Service Unavailable" }),
        &[],
    );
    let retry = RetryPolicy {
        max_attempts: 3,
        ..quick_retries()
    };
    let error = github_with(&double, retry)
        .release_assets(&repo(), 1)
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("GitHub answered 503 to `GET /repos/octocat/Hello-World/releases/1/assets?per_page=100&page=1`: Service Unavailable (tried 3 times, relcut's most (`github.max_attempts` in relcut.toml))"),
        "{message}"
    );
    assert_eq!(double.finish().len(), 3);
}

#[test]
fn forge_faults_one_attempt_means_no_retry() {
    let double = GitHubDouble::start();
    double.fail_next(
        "repos/get",
        1,
        502,
        json!({ "message": "Bad Gateway" }),
        &[],
    );
    let retry = RetryPolicy {
        max_attempts: 1,
        ..quick_retries()
    };
    let error = github_with(&double, retry).repository(&repo()).unwrap_err();
    assert!(error.to_string().contains("tried once"), "{error}");
    assert_eq!(double.finish().len(), 1);
}

#[test]
fn forge_faults_drafts_are_found_across_pages() {
    let double = GitHubDouble::start();
    // Oldest first: the draft ends up last when listed newest first.
    let draft = double.add_release("v0.0.1", true, false);
    for minor in 1..=150 {
        double.add_release(&format!("v0.{minor}.0"), false, false);
    }
    let github = github(&double);
    let found = github.draft_for_tag(&repo(), "v0.0.1").unwrap().unwrap();
    assert_eq!((found.id, found.draft), (draft, true));
    // A published tag is no draft, and one that is not there at all is none.
    assert_eq!(github.draft_for_tag(&repo(), "v0.150.0").unwrap(), None);
    let requests = double.finish();
    let queries: Vec<&str> = requests.iter().map(|r| r.query.as_str()).collect();
    assert_eq!(
        queries,
        [
            "per_page=100&page=1",
            "per_page=100&page=2",
            "per_page=100&page=1",
            "per_page=100&page=2"
        ]
    );
}

#[test]
fn forge_faults_assets_are_uploaded_listed_and_deleted() {
    let double = GitHubDouble::start();
    double.expect_token(TOKEN);
    double.add_release("v1.0.0", true, false);
    let github = github(&double);
    let release = github.draft_for_tag(&repo(), "v1.0.0").unwrap().unwrap();
    assert!(release.upload_url.starts_with(&double.url()));
    let archive = github
        .upload_asset(
            &release,
            "relcut 1.0.0.tar.gz",
            relcut::forge::content_type_for(std::path::Path::new("relcut 1.0.0.tar.gz")),
            b"archive".to_vec(),
        )
        .unwrap();
    assert_eq!(
        (archive.name.as_str(), archive.size, archive.state.as_str()),
        ("relcut 1.0.0.tar.gz", 7, "uploaded")
    );
    let sums = github
        .upload_asset(&release, "SHA256SUMS", "text/plain", b"sums".to_vec())
        .unwrap();
    let listed = github.release_assets(&repo(), release.id).unwrap();
    let names: Vec<&str> = listed.iter().map(|asset| asset.name.as_str()).collect();
    assert_eq!(names, ["relcut 1.0.0.tar.gz", "SHA256SUMS"]);
    // A second upload of the same name is GitHub's 422.
    let error = github
        .upload_asset(&release, "SHA256SUMS", "text/plain", b"again".to_vec())
        .unwrap_err();
    assert!(
        error.to_string().contains("already exists for name"),
        "{error}"
    );
    github.delete_asset(&repo(), sums.id).unwrap();
    let held = &double.releases()[0].assets;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].content_type, "application/gzip");
    assert_eq!(held[0].bytes, b"archive");
    double.finish();
}

#[test]
fn forge_faults_an_upload_whose_answer_was_lost_is_in_doubt() {
    let double = GitHubDouble::start();
    double.add_release("v1.0.0", true, false);
    double.drop_after("repos/upload-release-asset", 1);
    let github = github(&double);
    let release = github.draft_for_tag(&repo(), "v1.0.0").unwrap().unwrap();
    let error = github
        .upload_asset(&release, "a.zip", "application/zip", vec![1, 2, 3])
        .unwrap_err();
    assert!(matches!(error, Error::ForgeInDoubt(_)), "{error:?}");
    // Looking shows it arrived.
    let assets = github.release_assets(&repo(), release.id).unwrap();
    assert_eq!(assets.len(), 1);
    assert_eq!(assets[0].size, 3);
    double.finish();
}

#[test]
fn forge_faults_a_token_without_push_cannot_write() {
    let double = GitHubDouble::start();
    let id = double.add_release("v1.0.0", false, false);
    double.set_push_permission(false);
    let github = github(&double);
    let update = ReleaseUpdate {
        body: Some(String::from("new notes")),
        ..ReleaseUpdate::default()
    };
    let error = github.update_release(&repo(), id, &update).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "GitHub answered 403 to `PATCH /repos/octocat/Hello-World/releases/{id}`: Resource not accessible by integration: the token cannot see the repository `octocat/Hello-World` or lacks the `contents: write` permission"
        )),
        "{message}"
    );
    assert_eq!(double.finish().len(), 1);
}
