//! `relcut changelog` of the whole history: which commits go to which release, in which order,
//! and which releases are rendered. The expected texts are git-cliff 2.14.2's output for the same
//! histories and configurations.

use crate::harness::TestRepo;

/// Lists each release's commits as they are, in the order git-cliff gives them.
const PLAIN_CLIFF_TOML: &str = r#"[changelog]
body = """
## {{ version | default(value="unreleased") }}
{% for commit in commits %}- {{ commit.message }}
{% endfor %}"""
trim = false

[git]
conventional_commits = false
filter_unconventional = false
"#;

/// Completes a merge of `branch` into the current branch as a commit of its own.
fn merge(repo: &TestRepo, branch: &str, message: &str) {
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", branch]);
    repo.commit(message);
}

/// Two long-lived branches, `main` and `minor`, tagged on both and merged both ways (the shape of
/// vuejs/core), then a topic branch whose commits interleave in time with `main`'s.
fn two_long_lived_branches() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    repo.git(&["branch", "minor"]);
    repo.commit("fix: main one");
    repo.tag("v1.0.1");
    repo.git(&["checkout", "-q", "minor"]);
    repo.commit("feat: minor one");
    repo.tag("v1.1.0-beta.1");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("fix: main two");
    repo.git(&["checkout", "-q", "minor"]);
    repo.commit("feat: minor two");
    merge(&repo, "main", "chore: merge main into minor");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("fix: main three");
    repo.tag("v1.0.2");
    repo.git(&["checkout", "-q", "minor"]);
    repo.commit("feat: minor three");
    repo.tag("v1.1.0-beta.2");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("fix: main four");
    repo.git(&["checkout", "-q", "minor"]);
    merge(&repo, "main", "chore: merge main into minor again");
    repo.git(&["checkout", "-q", "main"]);
    merge(&repo, "minor", "chore: merge minor into main");
    repo.tag("v1.1.0");
    repo.commit("fix: after");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.commit("feat: topic one");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("fix: main five");
    repo.git(&["checkout", "-q", "topic"]);
    repo.commit("feat: topic two");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("fix: main six");
    merge(&repo, "topic", "chore: merge topic");
    repo
}

/// What git-cliff prints for [`two_long_lived_branches`] from the `unreleased` line on (the
/// topic's commits, which depend on the walk order, come first).
const RELEASED_ON_TWO_BRANCHES: &str = "\
## v1.1.0
- fix: main four
- chore: merge main into minor again
- chore: merge minor into main
## v1.1.0-beta.2
- feat: minor two
- chore: merge main into minor
- feat: minor three
## v1.0.2
- fix: main two
- fix: main three
## v1.1.0-beta.1
- feat: minor one
## v1.0.1
- fix: main one
## v1.0.0
- feat: first
";

#[test]
fn each_commit_goes_to_the_oldest_tag_that_contains_it() {
    let repo = two_long_lived_branches();
    repo.write("cliff.toml", PLAIN_CLIFF_TOML);
    let run = repo.relcut(&["changelog"]).success();
    let expected = format!(
        "## unreleased\n- fix: after\n- fix: main five\n- fix: main six\n- feat: topic one\n\
         - feat: topic two\n- chore: merge topic\n{RELEASED_ON_TWO_BRANCHES}"
    );
    assert_eq!(run.stdout, expected);
}

#[test]
fn topo_order_commits_false_orders_commits_by_time() {
    let repo = two_long_lived_branches();
    repo.write(
        "cliff.toml",
        &PLAIN_CLIFF_TOML.replace("[git]\n", "[git]\ntopo_order_commits = false\n"),
    );
    let run = repo.relcut(&["changelog"]).success();
    let expected = format!(
        "## unreleased\n- fix: after\n- feat: topic one\n- fix: main five\n- feat: topic two\n\
         - fix: main six\n- chore: merge topic\n{RELEASED_ON_TWO_BRANCHES}"
    );
    assert_eq!(run.stdout, expected);
}

/// A release candidate and a release whose only commits are `chore(release)` commits, which
/// git-cliff's default parsers skip; HEAD is tagged.
fn releases_of_skipped_commits() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    repo.commit("fix: a bug");
    repo.commit("chore(release): prepare for v1.1.0-rc.0");
    repo.tag("v1.1.0-rc.0");
    repo.commit("chore(release): prepare for v1.1.0");
    repo.tag("v1.1.0");
    repo
}

#[test]
fn a_cliff_toml_drops_the_empty_releases_git_cliff_drops() {
    let repo = releases_of_skipped_commits();
    // Conventional, on git-cliff's defaults (whose `render_always` is on): `v1.1.0` lists nothing
    // and follows a release with commits, and nothing is unreleased, so neither is rendered.
    repo.write(
        "cliff.toml",
        "[changelog]\nbody = \"\"\"\n## {{ version | default(value=\"unreleased\") }}\n\
         {% for commit in commits %}- {{ commit.message }}\n{% endfor %}\"\"\"\ntrim = false\n",
    );
    let run = repo.relcut(&["changelog"]).success();
    assert_eq!(run.stdout, "## v1.1.0-rc.0\n- a bug\n## v1.0.0\n- first\n");
}

#[test]
fn relcut_s_template_gives_every_release_tag_its_section() {
    let repo = releases_of_skipped_commits();
    let run = repo.relcut(&["changelog"]).success();
    let releases = run.stdout.split_once("\n## ").map_or("", |(_, rest)| rest);
    assert_eq!(
        releases,
        "[1.1.0] - 2026-01-01\n\nNo user-facing changes.\n\n\
         ## [1.1.0-rc.0] - 2026-01-01\n\n### Fixed\n\n- A bug\n\n\
         ## [1.0.0] - 2026-01-01\n\n### Added\n\n- First\n\n",
        "{}",
        run.stdout
    );
    // Nothing unreleased: no section for it.
    assert!(!run.stdout.contains("Unreleased]"), "{}", run.stdout);
}

#[test]
fn the_oldest_release_follows_the_tag_before_it_in_time() {
    // `v0.1.0-side` is on a branch HEAD never merged, tagged before `v1.0.0`: git-cliff makes it
    // the oldest release's `previous`.
    let repo = TestRepo::new();
    repo.commit("feat: first");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.commit("feat: side work");
    repo.tag("v0.1.0-side");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("fix: second");
    repo.tag("v1.0.0");
    repo.commit("fix: third");
    repo.write(
        "cliff.toml",
        &PLAIN_CLIFF_TOML.replace(
            "## {{ version | default(value=\"unreleased\") }}\n",
            "## {{ version | default(value=\"unreleased\") }} \
             (after {{ previous.version | default(value=\"none\") }})\n",
        ),
    );
    let run = repo.relcut(&["changelog"]).success();
    assert_eq!(
        run.stdout,
        "## unreleased (after v1.0.0)\n- fix: third\n\
         ## v1.0.0 (after v0.1.0-side)\n- feat: first\n- fix: second\n"
    );
}
