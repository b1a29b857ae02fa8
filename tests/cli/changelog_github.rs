//! git-cliff's GitHub integration: a template that reads `commit.remote.*` or
//! `github.contributors` gets them from the API (the local double), and a template that does
//! not makes no request at all.

use serde_json::{Value, json};

use crate::github_double::GitHubDouble;
use crate::harness::TestRepo;

const TEMPLATE: &str = r#"[changelog]
body = """
## {{ version | default(value="unreleased") }}
{% for commit in commits %}- {{ commit.message }} by @{{ commit.remote.username }}{% if commit.remote.pr_number %} in #{{ commit.remote.pr_number }} ({{ commit.remote.pr_labels | join(sep=", ") }}){% endif %}
{% endfor %}{% for contributor in github.contributors | filter(attribute="is_first_time", value=true) %}* @{{ contributor.username }} made their first contribution
{% endfor %}"""
[git]
conventional_commits = true
"#;

/// A commits-listing item shaped as the contract's example, for one commit.
fn listed_commit(sha: &str, login: &str, date: &str) -> Value {
    let mut item = GitHubDouble::example("repos/list-commits")[0].clone();
    item["sha"] = json!(sha);
    item["author"]["login"] = json!(login);
    item["commit"]["author"]["date"] = json!(date);
    item
}

fn merged_pull(number: i64, merge_commit: &str, labels: &[&str]) -> Value {
    let mut item = GitHubDouble::example("pulls/list")[0].clone();
    item["number"] = json!(number);
    item["title"] = json!("Add the engine");
    item["merge_commit_sha"] = json!(merge_commit);
    item["labels"] = json!(
        labels
            .iter()
            .map(|name| json!({"name": name}))
            .collect::<Vec<_>>()
    );
    item
}

/// Commits `v1.0.0` (by `regular`), then a fix by `regular` and a feature by `newcomer` merged
/// from pull request #7 with `labels`, and a double that knows them as GitHub would.
fn history_on_github(repo: &TestRepo, labels: &[&str]) -> GitHubDouble {
    let old = repo.commit("feat: the first feature");
    repo.tag("v1.0.0");
    let regular = repo.commit("fix: a fix");
    let newcomer = repo.commit("feat: an engine");
    repo.add_github_origin("octo", "rocket");
    let double = GitHubDouble::start_for("octo/rocket");
    double
        .respond(
            "repos/list-commits",
            200,
            json!([
                listed_commit(&newcomer, "newcomer", "2026-01-01T00:03:00Z"),
                listed_commit(&regular, "regular", "2026-01-01T00:02:00Z"),
                listed_commit(&old, "regular", "2026-01-01T00:01:00Z"),
            ]),
        )
        .respond(
            "pulls/list",
            200,
            json!([merged_pull(7, &newcomer, labels)]),
        );
    double
}

#[test]
fn commits_and_contributors_come_from_github_when_the_template_reads_them() {
    let repo = TestRepo::new();
    repo.write("cliff.toml", TEMPLATE);
    let double = history_on_github(&repo, &["feature"]);
    let run = repo
        .relcut_with(
            &["changelog", "--unreleased"],
            &[("GITHUB_API_URL", &double.url())],
        )
        .success();
    assert_eq!(
        run.stdout,
        "## unreleased\n- a fix by @regular\n- an engine by @newcomer in #7 (feature)\n* @newcomer made their first contribution\n"
    );
    assert!(
        run.stderr
            .contains("reading the commits and pull requests of `octo/rocket`"),
        "{}",
        run.stderr
    );
    // The whole history: each release has its own contributors.
    let run = repo
        .relcut_with(&["changelog"], &[("GITHUB_API_URL", &double.url())])
        .success();
    assert_eq!(
        run.stdout,
        "## unreleased\n- a fix by @regular\n- an engine by @newcomer in #7 (feature)\n* @newcomer made their first contribution\n## v1.0.0\n- the first feature by @regular\n* @regular made their first contribution\n"
    );
    let requests: Vec<(String, String)> = double
        .finish()
        .into_iter()
        .map(|request| (request.operation.unwrap_or_default(), request.query))
        .collect();
    let one_run = [
        (
            String::from("repos/list-commits"),
            String::from("per_page=100&page=1"),
        ),
        (
            String::from("pulls/list"),
            String::from("state=closed&per_page=100&page=1"),
        ),
    ];
    assert_eq!(requests, [one_run.clone(), one_run].concat());
}

#[test]
fn a_template_that_reads_nothing_of_github_sends_no_request() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("feat: the first feature");
    repo.add_github_origin("octo", "rocket");
    let double = GitHubDouble::start_for("octo/rocket");
    repo.relcut_with(&["changelog"], &[("GITHUB_API_URL", &double.url())])
        .success();
    assert!(double.finish().is_empty());
}

#[test]
fn a_failed_read_stops_the_changelog_with_why() {
    let repo = TestRepo::new();
    repo.write("cliff.toml", TEMPLATE);
    repo.commit("feat: the first feature");
    repo.add_github_origin("octo", "rocket");
    let double = GitHubDouble::start_for("octo/elsewhere");
    let run = repo.relcut_with(
        &["changelog"],
        &[
            ("GITHUB_API_URL", &double.url()),
            ("GITHUB_TOKEN", "ghs_secret0value"),
        ],
    );
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "the changelog template reads `commit.remote.pr_labels`, which comes from GitHub, and reading `octo/rocket` failed"
        ),
        "{}",
        run.stderr
    );
    // Reading needs read access only, and that is what the sentence asks for.
    assert!(
        run.stderr
            .contains("the token cannot read the repository `octo/rocket`; give it read access"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("contents: write"), "{}", run.stderr);
    assert!(!run.stderr.contains("ghs_secret0value"));
    assert_eq!(run.stdout, "");
}

#[test]
fn relcuts_template_names_new_contributors_when_asked() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n")
        .write("relcut.toml", "[github]\nnew_contributors = true\n");
    let double = history_on_github(&repo, &[]);
    let env = [("GITHUB_API_URL", double.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = repo
        .relcut_with(
            &[
                "release",
                "--dry-run",
                "--no-push",
                "--no-publish",
                "--json",
            ],
            &env,
        )
        .success();
    let plan: Value = serde_json::from_str(&run.stdout).unwrap();
    let notes = plan["plan"]["notes"].as_str().unwrap();
    assert!(
        notes.contains(
            "### New Contributors\n\n- @newcomer made their first contribution in [#7](https://github.com/octo/rocket/pull/7)\n"
        ),
        "{notes}"
    );
    // Before the compare link, which closes the section.
    assert!(
        notes
            .trim_end()
            .ends_with("[1.1.0]: https://github.com/octo/rocket/compare/v1.0.0...v1.1.0"),
        "{notes}"
    );
    assert!(!notes.contains("@regular"), "{notes}");

    // Without the setting the template reads nothing of GitHub.
    repo.write("relcut.toml", "");
    repo.commit("chore: no contributors");
    let quiet = GitHubDouble::start_for("octo/rocket");
    let env = [("GITHUB_API_URL", quiet.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = repo
        .relcut_with(
            &[
                "release",
                "--dry-run",
                "--no-push",
                "--no-publish",
                "--json",
            ],
            &env,
        )
        .success();
    assert!(!run.stdout.contains("New Contributors"));
    assert!(quiet.finish().is_empty());
}

#[test]
fn offline_reads_nothing_from_github() {
    const GUARDED: &str = r#"[changelog]
body = """
## {{ version | default(value="unreleased") }}
{% for commit in commits %}- {{ commit.message }}{% if commit.remote %} by @{{ commit.remote.username }}{% endif %}
{% endfor %}{% if github %}{% for contributor in github.contributors %}* @{{ contributor.username }}
{% endfor %}{% endif %}"""
"#;
    let repo = TestRepo::new();
    repo.write("cliff.toml", GUARDED);
    let double = history_on_github(&repo, &[]);
    let expected = "## unreleased\n- a fix\n- an engine\n";
    for (args, env) in [
        (&["changelog", "--unreleased", "--offline"][..], None),
        (
            &["changelog", "--unreleased"][..],
            Some(("GIT_CLIFF_OFFLINE", "true")),
        ),
    ] {
        let mut pairs = vec![("GITHUB_API_URL", double.url())];
        if let Some((key, value)) = env {
            pairs.push((key, value.to_string()));
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let run = repo.relcut_with(args, &pairs).success();
        assert_eq!(run.stdout, expected);
    }
    // Online, the same template names the authors.
    let run = repo
        .relcut_with(
            &["changelog", "--unreleased"],
            &[("GITHUB_API_URL", &double.url())],
        )
        .success();
    assert!(
        run.stdout.contains("- an engine by @newcomer\n"),
        "{}",
        run.stdout
    );
    assert_eq!(double.finish().len(), 2, "only the online run reads GitHub");
}
