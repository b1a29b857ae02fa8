//! The changelog's configuration and what it says: git-cliff's tables in Cargo.toml or
//! pyproject.toml are read as git-cliff reads them; commits a project's configuration skipped
//! are a warning; a commit preprocessor that fails stops the command, naming the command and
//! what it printed, with nothing changed; relcut's own release commits are never listed.

use crate::harness::TestRepo;

const BODY: &str = r#"[changelog]
body = """
## {{ version | default(value="unreleased") }}
{% for commit in commits %}- {{ commit.message }}
{% endfor %}"""
"#;

fn repo_with(git_table: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("cliff.toml", &format!("{BODY}[git]\n{git_table}"))
        .write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.commit("feat: teh first feature");
    repo.commit("an unconventional commit");
    repo
}

#[test]
fn commits_a_cliff_toml_skips_are_a_warning() {
    let repo = repo_with("conventional_commits = true\nfilter_unconventional = true\n");
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert_eq!(run.stdout, "## unreleased\n- teh first feature\n");
    assert!(
        run.stderr
            .contains("warning: git-cliff: 1 commit(s) were skipped due to parse error(s)\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("-vv"), "{}", run.stderr);
}

#[test]
fn relcuts_own_template_leaves_non_conventional_commits_to_relcut() {
    let repo = repo_with("");
    std::fs::remove_file(repo.path().join("cliff.toml")).unwrap();
    repo.commit("chore: relcut's own template");
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert!(!run.stderr.contains("git-cliff"), "{}", run.stderr);
}

#[test]
fn a_command_preprocessor_rewrites_each_message_it_matches() {
    let repo = repo_with(
        "conventional_commits = true\nfilter_unconventional = true\ncommit_preprocessors = [\n  { pattern = \"teh\", replace_command = \"sed s/teh/the/\" },\n  { pattern = \"first\", replace = \"1st\" },\n]\n",
    );
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert_eq!(run.stdout, "## unreleased\n- the 1st feature\n");
}

#[test]
fn a_failing_preprocessor_stops_the_release_before_anything_changes() {
    let repo = repo_with(
        "conventional_commits = true\ncommit_preprocessors = [{ pattern = \".*\", replace_command = \"relcut-missing-typos --write-changes -\" }]\n",
    );
    let run = repo.relcut(&["changelog", "--unreleased"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "the commit preprocessor `relcut-missing-typos --write-changes -` failed on commit "
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not found (exit status 127)"),
        "{}",
        run.stderr
    );
    // No panic from a thread writing to the command that never read.
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.stdout, "");

    let head = repo.head();
    let run = repo.relcut(&["release", "--yes", "--no-push"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("relcut-missing-typos"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.head(), head);
    assert_eq!(repo.read("VERSION"), "1.0.0\n");
    assert_eq!(repo.git(&["tag", "--list"]), "v1.0.0\n");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn relcuts_own_release_commits_are_never_listed() {
    let repo = repo_with(
        "conventional_commits = true\nfilter_unconventional = true\ncommit_parsers = [\n  { message = \"^chore\\\\(release\\\\): prepare for\", skip = true },\n  { message = \".*\", group = \"Changes\" },\n]\n",
    );
    repo.relcut(&["release", "--yes", "--no-push"]).success();
    assert!(
        repo.git(&["log", "-1", "--format=%s"])
            .starts_with("chore(release): v1.1.0")
    );
    repo.commit("fix: after the release");
    repo.commit("chore(release): prepare for v1.1.1");
    let run = repo.relcut(&["changelog"]).success();
    assert!(!run.stdout.contains("- v1.1.0"), "{}", run.stdout);
    // Skipped, not left out: the tagged release commit still closes its release.
    assert!(
        run.stdout
            .contains("## v1.1.0\n- teh first feature\n## v1.0.0\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("chore(release)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("- after the release\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("- teh first feature\n"),
        "{}",
        run.stdout
    );
}

/// git-cliff's output for this history with the configuration below, in Cargo.toml or
/// pyproject.toml (checked with git-cliff 2.14.2).
const FROM_MANIFEST: &str = "# From the manifest\n## unreleased\n- Two\n## v0.1.0\n- One\n";

const MANIFEST_TABLES: &str = r##"
[PREFIX.changelog]
header = "# From the manifest\n"
body = """
## {{ version | default(value="unreleased") }}
{% for commit in commits %}- {{ commit.message | upper_first }}
{% endfor %}"""

[PREFIX.git]
filter_unconventional = true
"##;

fn manifest_repo(name: &str, manifest: &str, prefix: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        name,
        &format!("{manifest}{}", MANIFEST_TABLES.replace("PREFIX", prefix)),
    );
    repo.commit("feat: one");
    repo.tag("v0.1.0");
    repo.commit("fix: two");
    repo
}

#[test]
fn git_cliffs_tables_in_cargo_toml_are_the_changelog_configuration() {
    let repo = manifest_repo(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        "package.metadata.git-cliff",
    );
    assert_eq!(repo.relcut(&["changelog"]).success().stdout, FROM_MANIFEST);
}

#[test]
fn git_cliffs_tables_in_pyproject_toml_are_the_changelog_configuration() {
    let repo = manifest_repo(
        "pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n",
        "tool.git-cliff",
    );
    assert_eq!(repo.relcut(&["changelog"]).success().stdout, FROM_MANIFEST);
}

#[test]
fn a_cliff_toml_wins_over_the_manifest() {
    let repo = manifest_repo(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        "package.metadata.git-cliff",
    );
    repo.write(
        "cliff.toml",
        "[changelog]\nbody = \"{{ version | default(value='next') }};\"\n",
    );
    repo.commit("chore: a cliff.toml");
    assert_eq!(repo.relcut(&["changelog"]).success().stdout, "next;v0.1.0;");
}

#[test]
fn commits_in_time_order_when_topo_order_commits_is_off() {
    let repo = repo_with("conventional_commits = true\ntopo_order_commits = false\n");
    repo.commit_dated("feat: the parent, dated later", 4_000_000_000);
    repo.commit_dated("fix: the child, dated earlier", 3_000_000_000);
    let changelog = repo.relcut(&["changelog", "--unreleased"]).success();
    let expected = "## unreleased\n- teh first feature\n- the child, dated earlier\n- the parent, dated later\n";
    assert_eq!(changelog.stdout, expected);
    // The release's notes are in the same order.
    let run = repo
        .relcut(&["release", "--dry-run", "--no-push", "--json"])
        .success();
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        plan["plan"]["notes"],
        "- teh first feature\n- the child, dated earlier\n- the parent, dated later\n"
    );
}
