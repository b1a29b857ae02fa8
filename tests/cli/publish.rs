//! The GitHub release end to end: `relcut release` and `relcut publish` against a real bare
//! remote on disk and the local GitHub API double. Every run must end with exactly one tag and
//! one release, whatever failed on the way, and no output may carry the token.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::github_double::GitHubDouble;
use crate::harness::{Run, TestRepo};

const TOKEN: &str = "ghs_publish0token0value0123456789";
const REPOSITORY: &str = "octo/rocket";

/// A project at 1.0.0 released and pushed to its remote (`origin`, tracked by `main`), with a
/// feature since, and a double serving the repository.
struct Project {
    repo: TestRepo,
    remote: PathBuf,
    double: GitHubDouble,
}

impl Project {
    fn new() -> Project {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.0.0\n");
        repo.commit("feat: first version");
        repo.tag_annotated("v1.0.0", "v1.0.0");
        let remote = repo.add_github_origin("octo", "rocket");
        repo.git(&["push", "-q", "-u", "origin", "main", "v1.0.0"]);
        repo.write("engine.txt", "thrust\n");
        repo.commit("feat: an engine");
        let double = GitHubDouble::start_for(REPOSITORY);
        double.expect_token(TOKEN);
        Project {
            repo,
            remote,
            double,
        }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("GITHUB_API_URL", self.double.url()),
            ("GITHUB_TOKEN", String::from(TOKEN)),
        ]
    }

    fn relcut(&self, args: &[&str]) -> Run {
        self.relcut_with(args, &[])
    }

    fn relcut_with(&self, args: &[&str], extra: &[(&str, &str)]) -> Run {
        let env = self.env();
        let mut pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend_from_slice(extra);
        let run = self.repo.relcut_with(args, &pairs);
        assert_no_token(&run.stdout);
        assert_no_token(&run.stderr);
        run
    }

    /// The tags on the remote.
    fn remote_tags(&self) -> Vec<String> {
        self.repo
            .git_in(&self.remote, &["tag", "--list"])
            .lines()
            .map(String::from)
            .collect()
    }

    fn remote_head(&self) -> String {
        self.repo
            .git_in(&self.remote, &["rev-parse", "main"])
            .trim()
            .to_string()
    }

    /// Exactly one release for `tag` on the double, and it is published.
    #[track_caller]
    fn assert_one_release(&self, tag: &str) -> crate::github_double::DoubleRelease {
        let releases: Vec<_> = self
            .double
            .releases()
            .into_iter()
            .filter(|release| release.tag_name == tag)
            .collect();
        assert_eq!(releases.len(), 1, "{releases:#?}");
        assert!(!releases[0].draft, "{releases:#?}");
        releases[0].clone()
    }

    fn creates(&self) -> usize {
        self.double
            .requests()
            .iter()
            .filter(|request| request.operation.as_deref() == Some("repos/create-release"))
            .count()
    }
}

#[track_caller]
fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}", run.stdout))
}

#[test]
fn publish_a_stable_release_pushes_and_publishes_once() {
    let project = Project::new();
    let run = project.relcut(&["release", "--yes", "--json"]).success();
    let outcome = json_of(&run);
    let release = project.assert_one_release("v1.1.0");
    assert!(!release.prerelease);
    assert_eq!(release.make_latest.as_deref(), Some("true"));
    assert_eq!(release.name.as_deref(), Some("v1.1.0"));
    let body = release.body.clone().unwrap_or_default();
    assert!(body.contains("An engine"), "{body}");
    assert!(
        !body.contains("## [1.1.0]"),
        "the heading is not part of the notes: {body}"
    );
    assert_eq!(project.remote_tags(), ["v1.0.0", "v1.1.0"]);
    assert_eq!(project.remote_head(), project.repo.head());
    assert_eq!(outcome["release"]["id"], json!(release.id));
    let steps: Vec<&str> = outcome["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["write_files", "commit", "tag", "push", "publish"]);
    // Every request carried the token only in its `Authorization` header.
    for request in project.double.requests() {
        let text = request
            .text()
            .replace(&format!("Bearer {TOKEN}"), "Bearer ***");
        assert_no_token(&text);
    }
}

#[test]
fn publish_a_prerelease_is_marked_and_not_latest() {
    let project = Project::new();
    project
        .relcut(&["release", "--yes", "--pre", "rc"])
        .success();
    let release = project.assert_one_release("v1.1.0-rc.1");
    assert!(release.prerelease);
    assert_eq!(release.make_latest.as_deref(), Some("false"));
}

#[test]
fn publish_a_patch_on_a_maintenance_branch_is_not_latest() {
    let project = Project::new();
    let repo = &project.repo;
    repo.write(
        "relcut.toml",
        "[release]\nbranches = [\"main\", \"release/*\"]\n",
    );
    repo.commit("chore: release branches");
    project.relcut(&["release", "--yes"]).success();
    project.assert_one_release("v1.1.0");
    repo.git(&["switch", "-q", "-c", "release/1.0", "v1.0.0"]);
    repo.write(
        "relcut.toml",
        "[release]\nbranches = [\"main\", \"release/*\"]\n",
    );
    repo.commit("chore: release branches");
    repo.write("engine.txt", "fixed\n");
    repo.commit("fix: a leak");
    repo.git(&["push", "-q", "-u", "origin", "release/1.0"]);
    project.relcut(&["release", "--yes"]).success();
    let release = project.assert_one_release("v1.0.1");
    assert_eq!(release.make_latest.as_deref(), Some("false"));
}

#[test]
fn publish_with_assets_uploads_them_to_a_draft_then_publishes() {
    let project = Project::new();
    project.repo.write("dist/rocket.tar.gz", "gzip bytes");
    project
        .repo
        .write("dist/rocket.sha256", "abc  rocket.tar.gz\n");
    std::fs::write(project.repo.path().join(".gitignore"), "dist/\n").unwrap();
    project.repo.commit("chore: ignore dist");
    project
        .relcut(&["release", "--yes", "--asset", "dist/*"])
        .success();
    let release = project.assert_one_release("v1.1.0");
    let mut names: Vec<_> = release
        .assets
        .iter()
        .map(|asset| asset.name.clone())
        .collect();
    names.sort();
    assert_eq!(names, ["rocket.sha256", "rocket.tar.gz"]);
    let tarball = release
        .assets
        .iter()
        .find(|asset| asset.name == "rocket.tar.gz")
        .unwrap();
    assert_eq!(tarball.bytes, b"gzip bytes");
    assert_eq!(tarball.content_type, "application/gzip");
    // The release was created as a draft and published only once every asset was there.
    let operations: Vec<String> = project
        .double
        .requests()
        .iter()
        .filter_map(|request| request.operation.clone())
        .filter(|operation| operation != "repos/list-release-assets")
        .collect();
    let create = operations
        .iter()
        .position(|op| op == "repos/create-release")
        .unwrap();
    let update = operations
        .iter()
        .position(|op| op == "repos/update-release")
        .unwrap();
    let uploads: Vec<usize> = operations
        .iter()
        .enumerate()
        .filter(|(_, op)| *op == "repos/upload-release-asset")
        .map(|(index, _)| index)
        .collect();
    assert_eq!(uploads.len(), 2);
    assert!(create < uploads[0] && uploads[1] < update, "{operations:?}");
}

#[test]
fn publish_an_asset_pattern_that_matches_nothing_stops_before_any_effect() {
    let project = Project::new();
    let head = project.repo.head();
    let run = project
        .relcut(&["release", "--yes", "--asset", "dist/*.zip"])
        .code(4);
    assert!(
        run.stderr.contains("`dist/*.zip` matches no file"),
        "{}",
        run.stderr
    );
    assert_eq!(project.repo.head(), head);
    assert_eq!(project.remote_tags(), ["v1.0.0"]);
    assert!(project.double.releases().is_empty());
}

#[test]
fn publish_without_a_token_stops_before_any_effect() {
    let project = Project::new();
    let head = project.repo.head();
    let run = project.repo.relcut_with(
        &["release", "--yes"],
        &[("GITHUB_API_URL", project.double.url().as_str())],
    );
    let run = run.code(4);
    assert!(run.stderr.contains("needs a token"), "{}", run.stderr);
    assert!(run.stderr.contains("--no-publish"), "{}", run.stderr);
    assert_eq!(project.repo.head(), head);
    assert_eq!(project.remote_tags(), ["v1.0.0"]);
    assert!(
        project.double.requests().is_empty(),
        "nothing is asked without a token"
    );
}

#[test]
fn publish_with_a_refused_token_says_so_before_any_effect() {
    let project = Project::new();
    project.double.respond(
        "repos/get",
        401,
        json!({ "message": "Bad credentials", "documentation_url": "https://docs.github.com/rest" }),
    );
    let head = project.repo.head();
    let run = project.relcut(&["release", "--yes"]).code(4);
    assert!(
        run.stderr.contains("the token was refused"),
        "{}",
        run.stderr
    );
    assert_eq!(project.repo.head(), head);
    assert_eq!(project.remote_tags(), ["v1.0.0"]);
}

#[test]
fn publish_with_a_token_that_cannot_write_names_the_permission() {
    let project = Project::new();
    project.double.set_push_permission(false);
    let run = project.relcut(&["release", "--yes"]).code(4);
    assert!(
        run.stderr.contains("permissions: contents: write"),
        "{}",
        run.stderr
    );
    assert!(project.double.releases().is_empty());
}

#[test]
fn publish_no_publish_pushes_and_makes_no_request() {
    let project = Project::new();
    project
        .relcut(&["release", "--yes", "--no-publish"])
        .success();
    assert_eq!(project.remote_tags(), ["v1.0.0", "v1.1.0"]);
    assert!(project.double.requests().is_empty());
}

#[test]
fn publish_dry_run_shows_the_release_and_writes_nothing() {
    let project = Project::new();
    let head = project.repo.head();
    let run = project.relcut(&["release", "--dry-run"]).success();
    assert!(
        run.stdout.contains(
            "Publish: GitHub release \"v1.1.0\" of v1.1.0 on octo/rocket (stable, latest)"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("An engine"), "{}", run.stdout);
    assert_eq!(project.repo.head(), head);
    assert_eq!(project.remote_tags(), ["v1.0.0"]);
    let methods: Vec<String> = project
        .double
        .requests()
        .iter()
        .map(|request| request.method.clone())
        .collect();
    assert!(methods.iter().all(|method| method == "GET"), "{methods:?}");
}

#[test]
fn publish_on_github_enterprise_uses_the_configured_base_path() {
    let project = Project::new();
    let repo = &project.repo;
    repo.git(&[
        "remote",
        "set-url",
        "origin",
        "https://ghe.example.com/octo/rocket.git",
    ]);
    repo.git(&[
        "config",
        &format!("url.{}.insteadOf", project.remote.display()),
        "https://ghe.example.com/octo/rocket.git",
    ]);
    repo.write("relcut.toml", "[github]\nhosts = [\"ghe.example.com\"]\n");
    repo.commit("chore: our GitHub Enterprise host");
    project.double.serve_under("/api/v3");
    let base = format!("{}/api/v3", project.double.url());
    project
        .relcut_with(&["release", "--yes"], &[("GITHUB_API_URL", base.as_str())])
        .success();
    project.assert_one_release("v1.1.0");
    assert!(
        project
            .double
            .requests()
            .iter()
            .all(|request| request.path.starts_with("/api/v3/repos/octo/rocket")),
        "{:#?}",
        project.double.requests()
    );
}

#[test]
fn publish_after_a_merged_bump_tags_pushes_and_publishes() {
    let project = Project::new();
    let repo = &project.repo;
    // A bump merged from a pull request: the files and the changelog say 1.1.0, no tag yet.
    repo.write("VERSION", "1.1.0\n");
    repo.write("CHANGELOG.md", "# Changelog\n\n## [1.1.0] - 2026-01-02\n\n### Added\n\n- An engine\n\n## [1.0.0]\n\n- First\n");
    repo.commit("chore(release): v1.1.0");
    repo.git(&["push", "-q"]);
    project.relcut(&["publish", "--yes"]).success();
    let release = project.assert_one_release("v1.1.0");
    assert_eq!(release.body.as_deref(), Some("### Added\n\n- An engine\n"));
    assert_eq!(project.remote_tags(), ["v1.0.0", "v1.1.0"]);
    // Run again: everything exists, so it says so and sends no write.
    let before = project.double.requests().len();
    let run = project.relcut(&["publish", "--yes"]).success();
    assert!(run.stdout.contains("already published"), "{}", run.stdout);
    let writes = project.double.requests()[before..]
        .iter()
        .filter(|request| request.method != "GET")
        .count();
    assert_eq!(writes, 0);
    project.assert_one_release("v1.1.0");
}

#[test]
fn publish_retries_502s_then_succeeds_with_one_release() {
    let project = Project::new();
    project.double.fail_next(
        "repos/create-release",
        2,
        502,
        json!({ "message": "Server Error" }),
        &[],
    );
    project.relcut(&["release", "--yes"]).success();
    project.assert_one_release("v1.1.0");
}

#[test]
fn publish_waits_out_a_secondary_rate_limit() {
    let project = Project::new();
    project.double.fail_next(
        "repos/create-release",
        1,
        403,
        json!({ "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }),
        &[("retry-after", "1")],
    );
    project.relcut(&["release", "--yes"]).success();
    project.assert_one_release("v1.1.0");
}

#[test]
fn publish_finds_the_release_whose_create_answer_was_lost() {
    let project = Project::new();
    project.double.drop_after("repos/create-release", 1);
    project.relcut(&["release", "--yes"]).success();
    project.assert_one_release("v1.1.0");
    assert_eq!(
        project.creates(),
        1,
        "the lost create is looked up, not sent again"
    );
}

#[test]
fn publish_a_dropped_create_is_sent_again_once_it_is_known_missing() {
    let project = Project::new();
    project.double.drop_before("repos/create-release", 1);
    project.relcut(&["release", "--yes"]).success();
    project.assert_one_release("v1.1.0");
    assert_eq!(project.creates(), 2);
}

#[test]
fn publish_api_down_after_the_push_then_back_finishes_with_a_rerun() {
    let project = Project::new();
    project.repo.write(
        "relcut.toml",
        "[github]\nmax_attempts = 2\nretry_seconds = 5\n",
    );
    project.repo.commit("chore: fail fast");
    // Both attempts of the publish step's probe (`max_attempts = 2`) find the API down.
    project.double.fail_next(
        "repos/get-release-by-tag",
        2,
        503,
        json!({ "message": "Service Unavailable" }),
        &[],
    );
    let run = project.relcut(&["release", "--yes"]).code(7);
    assert!(run.stderr.contains("Stopped after"), "{}", run.stderr);
    assert!(run.stderr.contains("relcut release"), "{}", run.stderr);
    assert_eq!(project.remote_tags(), ["v1.0.0", "v1.1.0"]);
    assert!(project.double.releases().is_empty());
    // The API is back: the same command finishes the job.
    let run = project.relcut(&["release", "--yes", "--json"]).success();
    let outcome = json_of(&run);
    project.assert_one_release("v1.1.0");
    assert_eq!(project.remote_tags(), ["v1.0.0", "v1.1.0"]);
    let statuses: Vec<(&str, &str)> = outcome["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            (
                step["step"].as_str().unwrap(),
                step["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(statuses.contains(&("push", "already_done")), "{statuses:?}");
    let commits = project
        .repo
        .git(&["log", "--format=%s"])
        .lines()
        .filter(|subject| subject.starts_with("chore(release)"))
        .count();
    assert_eq!(commits, 1);
}

#[test]
fn publish_fault_after_each_step_is_finished_by_a_rerun() {
    for step in ["write_files", "commit", "tag", "push", "publish"] {
        let project = Project::new();
        let run = project.relcut_with(&["release", "--yes"], &[("RELCUT_TEST_FAIL_AFTER", step)]);
        assert_ne!(run.code, 0, "{step}: {}", run.stderr);
        project.relcut(&["release", "--yes"]).success();
        project.assert_one_release("v1.1.0");
        assert_eq!(project.remote_tags(), ["v1.0.0", "v1.1.0"], "{step}");
        assert_eq!(project.creates(), 1, "{step}");
    }
}

#[test]
fn release_without_files_pushed_but_unpublished_is_finished_by_a_rerun() {
    let project = Project::new();
    // Only tags say the version: no version files, no changelog.
    project.repo.git(&["rm", "-q", "VERSION"]);
    project.repo.write(
        "relcut.toml",
        "detect = false\n[release]\nchangelog_file = false\n",
    );
    project.repo.commit("chore: versions live in tags");
    project.repo.git(&["push", "-q", "origin", "main"]);
    project.repo.write("engine.txt", "more thrust\n");
    project.repo.commit("feat: a bigger engine");
    // The release is tagged and pushed; its publication fails.
    let failed = project.relcut_with(&["release", "--yes"], &[("RELCUT_TEST_FAIL_AFTER", "push")]);
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    assert_eq!(project.remote_tags(), ["v1.0.0", "v1.1.0"]);
    assert!(project.double.releases().is_empty());

    let run = project.relcut(&["release", "--yes", "--json"]).success();
    let outcome = json_of(&run);
    let statuses: Vec<(&str, &str)> = outcome["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            (
                step["step"].as_str().unwrap(),
                step["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("tag", "already_done"),
            ("push", "already_done"),
            ("publish", "done")
        ]
    );
    project.assert_one_release("v1.1.0");
    // Whole now: a third run finds it all done and makes nothing.
    project.relcut(&["release", "--yes"]).success();
    project.assert_one_release("v1.1.0");
    assert_eq!(project.creates(), 1);
}
