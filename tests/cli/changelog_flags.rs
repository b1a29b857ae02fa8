//! `relcut changelog` with git-cliff's command-line flags: each flag against the output git-cliff
//! 2.14.2 gives for the same repository and `cliff.toml`.

use crate::harness::TestRepo;

/// A body that shows what each flag changes: the release, the one before it, and its commits.
const CLIFF_TOML: &str = r#"[changelog]
body = """{% if version %}{{ version }}{% else %}next{% endif %} after {{ previous.version | default(value="none") }}:{% for commit in commits %} {{ commit.message }};{% endfor %}
"""
trim = false
"#;

/// v0.1.0 (one), v0.2.0 (two, three), then four unreleased.
fn history() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("cliff.toml", CLIFF_TOML);
    repo.commit("feat: one");
    repo.tag("v0.1.0");
    repo.commit("fix: two");
    repo.commit("feat: three");
    repo.tag_annotated("v0.2.0", "The second release");
    repo.commit("feat: four");
    repo
}

fn changelog(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["changelog"];
    all.extend_from_slice(args);
    repo.relcut(&all).success().stdout
}

#[test]
fn a_range_renders_only_its_commits() {
    let repo = history();
    assert_eq!(
        changelog(&repo, &["v0.1.0..v0.2.0"]),
        "v0.2.0 after v0.1.0: two; three;\n"
    );
    assert_eq!(
        changelog(&repo, &["v0.2.0..HEAD"]),
        "next after v0.2.0: four;\n"
    );
    assert_eq!(
        changelog(&repo, &["v0.2.0..HEAD", "--tag", "v0.3.0"]),
        "v0.3.0 after v0.2.0: four;\n"
    );
    // One revision is its whole history.
    assert_eq!(
        changelog(&repo, &["v0.2.0"]),
        "v0.2.0 after v0.1.0: two; three;\nv0.1.0 after none: one;\n"
    );
    let run = repo.relcut(&["changelog", "v9..HEAD"]).code(1);
    assert!(run.stderr.contains("`v9..HEAD`"), "{}", run.stderr);
}

#[test]
fn latest_renders_the_release_between_the_last_two_tags() {
    let repo = history();
    let expected = "v0.2.0 after v0.1.0: two; three;\n";
    assert_eq!(changelog(&repo, &["--latest"]), expected);
    assert_eq!(changelog(&repo, &["-l"]), expected);

    let one_tag = TestRepo::new();
    one_tag.write("cliff.toml", CLIFF_TOML);
    one_tag.commit("feat: one");
    one_tag.commit("feat: two");
    one_tag.tag("v0.1.0");
    one_tag.commit("feat: three");
    assert_eq!(
        changelog(&one_tag, &["--latest"]),
        "v0.1.0 after none: one; two;\n"
    );
}

#[test]
fn current_renders_the_release_of_the_tag_at_head() {
    let repo = history();
    let run = repo.relcut(&["changelog", "--current"]).code(2);
    assert!(
        run.stderr.contains("`--current`") && run.stderr.contains("`--latest`"),
        "{}",
        run.stderr
    );
    repo.git(&["checkout", "-q", "v0.2.0"]);
    assert_eq!(
        changelog(&repo, &["--current"]),
        "v0.2.0 after v0.1.0: two; three;\n"
    );
    repo.git(&["checkout", "-q", "v0.1.0"]);
    assert_eq!(
        changelog(&repo, &["--current"]),
        "v0.1.0 after none: one;\n"
    );
}

#[test]
fn unreleased_and_tag_have_git_cliffs_short_names() {
    let repo = history();
    assert_eq!(changelog(&repo, &["-u"]), "next after v0.2.0: four;\n");
    assert_eq!(
        changelog(&repo, &["-u", "-t", "v0.3.0"]),
        "v0.3.0 after v0.2.0: four;\n"
    );
}

#[test]
fn prepend_takes_the_selected_releases() {
    let repo = history();
    repo.write("CHANGELOG.md", "# Changelog\n\n## old\n");
    repo.relcut(&["changelog", "--latest", "-p", "CHANGELOG.md"])
        .success();
    assert_eq!(
        repo.read("CHANGELOG.md"),
        "# Changelog\n\nv0.2.0 after v0.1.0: two; three;\n\n## old\n"
    );
    // Without a file, `-o` and `-p` mean CHANGELOG.md, as in git-cliff.
    repo.relcut(&["changelog", "--latest", "-o"]).success();
    assert_eq!(
        repo.read("CHANGELOG.md"),
        "v0.2.0 after v0.1.0: two; three;\n"
    );
}
