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

/// Commits that relcut's parser and git-cliff's (git-conventional) read differently, as real
/// histories have them: no space after the colon, a padded scope, `BREAKING CHANGE #12`, a bors
/// merge whose body holds a conventional line.
fn readings_differ(with_cliff_toml: bool) -> TestRepo {
    let repo = TestRepo::new();
    if with_cliff_toml {
        repo.write(
            "cliff.toml",
            r#"[changelog]
body = """
## {{ version | default(value="unreleased") }}
{% for group, commits in commits | group_by(attribute="group") %}### {{ group }}
{% for commit in commits %}- {% if commit.scope %}({{ commit.scope }}) {% endif %}{% if commit.breaking %}[breaking] {% endif %}{{ commit.message }}
{% endfor %}{% endfor %}"""

[git]
conventional_commits = true
filter_unconventional = false
commit_parsers = [
  { message = "^feat", group = "Features" },
  { message = "^fix", group = "Fixes" },
  { message = "^chore", group = "Chores" },
  { message = ".*", group = "Other" },
]
"#,
        );
    }
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.commit("chore:fix-issue-id");
    repo.commit("feat( ui ): padded scope");
    repo.commit("fix: three\n\nBREAKING CHANGE #12");
    repo.commit("feat:add no space");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.commit("fix: on the side");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "side",
        "-m",
        "Merge #162\n\n162: feat: x r=a a=b",
    ]);
    repo
}

/// With a project's cliff.toml the changelog is git-cliff's, byte for byte (the expected text is
/// git-cliff 2.14.2's output for this history), and the bump counts what it lists: the
/// `BREAKING CHANGE #12` it marks breaking makes it major.
#[test]
fn with_a_cliff_toml_commits_are_read_as_git_cliff_reads_them() {
    let repo = readings_differ(true);
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert_eq!(
        run.stdout,
        "## unreleased
### Chores
- fix-issue-id
### Features
- ( ui ) padded scope
- add no space
### Fixes
- [breaking] three
- on the side
### Other
- Merge #162

162: feat: x r=a a=b
"
    );
    assert_eq!(repo.relcut(&["next"]).success().stdout, "2.0.0\n");
    let run = repo
        .relcut(&["release", "--dry-run", "--no-push", "--no-publish"])
        .success();
    assert!(
        run.stdout.contains("Next version:    2.0.0\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(" feat:add no space\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  minor  "), "{}", run.stdout);
}

/// With relcut's own template relcut's reading decides: `feat:add` is no Conventional Commit and
/// `BREAKING CHANGE #12` does not break (the spec wants `: `), so the padded scope's `feat` is
/// the highest bump.
#[test]
fn with_relcuts_template_commits_are_read_as_relcut_reads_them() {
    let repo = readings_differ(false);
    assert_eq!(repo.relcut(&["next"]).success().stdout, "1.1.0\n");
}

/// A commit git-cliff's parser rejects and relcut's reads still counts, and the plan says so; a
/// commit the configuration's parsers skip does not count, and the plan says that too.
#[test]
fn the_plan_says_which_commits_count_differently_under_a_cliff_toml() {
    let repo = TestRepo::new();
    repo.write(
        "cliff.toml",
        "[git]\ncommit_parsers = [\n  { message = \"^feat\\\\(internal\\\\)\", skip = true },\n]\n",
    )
    .write("VERSION", "1.0.0\n");
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.commit("feat(internal): hidden");
    repo.git(&[
        "commit",
        "-q",
        "--allow-empty",
        "--cleanup=verbatim",
        "-m",
        "fix: trailing refs\n\nRefs:",
    ]);
    let run = repo
        .relcut(&["release", "--dry-run", "--no-push", "--no-publish"])
        .success();
    assert!(
        run.stdout.contains("Next version:    1.0.1\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            " fix: trailing refs  (git-cliff's parser does not read it (incorrect conventional commit format); counted as relcut reads it)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            " feat(internal): hidden  (not counted: the changelog's commit parsers leave it out)\n"
        ),
        "{}",
        run.stdout
    );
}
