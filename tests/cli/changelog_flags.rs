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
    // The newest commit has a tag already: git-cliff keeps it and ignores `--tag`, and drops the
    // empty release after it even when `render_always` is on.
    repo.write(
        "cliff.toml",
        &CLIFF_TOML.replace("trim = false", "trim = false\nrender_always = true"),
    );
    assert_eq!(
        changelog(&repo, &["v0.1.0..v0.2.0", "--tag", "v0.3.0"]),
        "v0.2.0 after v0.1.0: two; three;\n"
    );
    repo.write("cliff.toml", CLIFF_TOML);
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
fn unreleased_wins_over_latest_which_wins_over_a_range() {
    let repo = history();
    assert_eq!(
        changelog(&repo, &["--latest", "--unreleased"]),
        "next after v0.2.0: four;\n"
    );
    assert_eq!(
        changelog(&repo, &["--latest", "v0.2.0..HEAD"]),
        "v0.2.0 after v0.1.0: two; three;\n"
    );
    // `--current` decides over `--latest`: HEAD has no tag.
    repo.relcut(&["changelog", "--current", "--latest"]).code(2);
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

/// A header, a footer and a preprocessor that runs a command, around the same body.
const CLIFF_TOML_WITH_PARTS: &str = r##"[changelog]
header = "# H"
body = """{% if version %}{{ version }}{% else %}next{% endif %} after {{ previous.version | default(value="none") }}:{% for commit in commits %} {{ commit.message }};{% endfor %}
"""
footer = "F"
trim = false
[git]
commit_preprocessors = [{ pattern = "four", replace_command = "tr a-z A-Z" }]
"##;

fn history_with_parts() -> TestRepo {
    let repo = history();
    repo.write("cliff.toml", CLIFF_TOML_WITH_PARTS);
    repo
}

const RELEASES: &str = "v0.2.0 after v0.1.0: two; three;\nv0.1.0 after none: one;\n";

#[test]
fn strip_leaves_out_the_header_the_footer_or_both() {
    let repo = history_with_parts();
    let body = format!("next after v0.2.0: FOUR;\n{RELEASES}");
    assert_eq!(changelog(&repo, &[]), format!("# H\n{body}F\n"));
    assert_eq!(
        changelog(&repo, &["--strip", "header"]),
        format!("{body}F\n")
    );
    assert_eq!(
        changelog(&repo, &["--strip", "footer"]),
        format!("# H\n{body}")
    );
    assert_eq!(changelog(&repo, &["-s", "all"]), body);
}

#[test]
fn no_exec_skips_replace_commands() {
    let repo = history_with_parts();
    assert_eq!(
        changelog(&repo, &["--no-exec", "-s", "all"]),
        format!("next after v0.2.0: four;\n{RELEASES}")
    );
}

#[test]
fn sort_newest_lists_the_newest_commit_first() {
    let repo = history();
    let expected = "v0.2.0 after v0.1.0: three; two;\n";
    assert_eq!(
        changelog(&repo, &["--latest", "--sort", "newest"]),
        expected
    );
    assert_eq!(
        changelog(&repo, &["--latest", "--sort", "oldest"]),
        "v0.2.0 after v0.1.0: two; three;\n"
    );
}

#[test]
fn skip_commit_leaves_out_a_commit() {
    let repo = history();
    let two = repo.git(&["rev-parse", "HEAD~2"]);
    assert_eq!(
        changelog(&repo, &["--latest", "--skip-commit", two.trim()]),
        "v0.2.0 after v0.1.0: three;\n"
    );
}

#[test]
fn tag_flags_choose_the_tags_that_close_releases() {
    let repo = history();
    let rows: &[(&[&str], &str)] = &[
        (
            &["--tag-pattern", r"v0\.1.*"],
            "next after v0.1.0: two; three; four;\nv0.1.0 after none: one;\n",
        ),
        (
            &["--skip-tags", r"v0\.1\.0"],
            "next after v0.2.0: four;\nv0.2.0 after none: two; three;\n",
        ),
        (
            &["--skip-tags", r"v0\.2\.0"],
            "next after v0.1.0: four;\nv0.1.0 after none: one;\n",
        ),
        (
            &["--ignore-tags", r"v0\.1\.0"],
            "next after v0.2.0: four;\nv0.2.0 after none: one; two; three;\n",
        ),
        (
            &["--count-tags", r"v0\.2\.0"],
            "next after v0.2.0: four;\nv0.2.0 after none: one; two; three;\n",
        ),
    ];
    for (flags, expected) in rows {
        assert_eq!(changelog(&repo, flags), *expected, "{flags:?}");
    }
    let run = repo.relcut(&["changelog", "--skip-tags", "("]).code(2);
    assert!(run.stderr.contains("--skip-tags"), "{}", run.stderr);
}

fn history_with_paths() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("cliff.toml", CLIFF_TOML);
    repo.commit("chore: config");
    repo.write("docs/guide.md", "guide\n");
    repo.commit("docs: guide");
    repo.write("src/lib.rs", "fn a() {}\n");
    repo.commit("feat: code");
    repo.write("src/lib.rs", "fn b() {}\n");
    repo.write("docs/guide.md", "guide 2\n");
    repo.commit("feat: both");
    repo
}

#[test]
fn include_and_exclude_path_select_commits_by_the_files_they_change() {
    let repo = history_with_paths();
    let rows: &[(&[&str], &str)] = &[
        (
            &["--include-path", "src/**"],
            "next after none: code; both;\n",
        ),
        (
            &["--include-path", "src/**", "--include-path", "docs/*"],
            "next after none: guide; code; both;\n",
        ),
        (
            &["--include-path", "src/** docs/*"],
            "next after none: guide; code; both;\n",
        ),
        (
            &["--exclude-path", "docs/**"],
            "next after none: config; code; both;\n",
        ),
        (
            &["--include-path", "docs/**", "--exclude-path", "src/**"],
            "next after none: guide; both;\n",
        ),
    ];
    for (flags, expected) in rows {
        assert_eq!(changelog(&repo, flags), *expected, "{flags:?}");
    }
    let run = repo
        .relcut_with(
            &["changelog"],
            &[("GIT_CLIFF_INCLUDE_PATH", "docs/** src/**")],
        )
        .success();
    assert_eq!(run.stdout, "next after none: guide; code; both;\n");
    let run = repo
        .relcut_with(
            &["changelog", "--include-path", "src/**"],
            &[("GIT_CLIFF_INCLUDE_PATH", "docs/**")],
        )
        .success();
    assert_eq!(run.stdout, "next after none: code; both;\n");
    let run = repo
        .relcut_with(
            &["changelog"],
            &[("GIT_CLIFF_EXCLUDE_PATH", "docs/** lib/**")],
        )
        .success();
    assert_eq!(run.stdout, "next after none: config; code; both;\n");
    let run = repo
        .relcut_with(&["changelog"], &[("GIT_CLIFF_INCLUDE_PATH", "a[b")])
        .code(2);
    assert!(
        run.stderr.contains("`GIT_CLIFF_INCLUDE_PATH` holds `a[b`"),
        "{}",
        run.stderr
    );
    let run = repo.relcut(&["changelog", "--include-path", "a[b"]).code(2);
    assert!(
        run.stderr.contains("`--include-path a[b`"),
        "{}",
        run.stderr
    );
}

#[test]
fn bump_titles_the_unreleased_commits_with_the_next_version() {
    let repo = history();
    assert_eq!(
        changelog(&repo, &["--bump", "-u"]),
        "v0.3.0 after v0.2.0: four;\n"
    );
    assert_eq!(
        changelog(&repo, &["--bump", "patch", "-u"]),
        "v0.2.1 after v0.2.0: four;\n"
    );
    assert_eq!(
        changelog(&repo, &["--bump", "major", "-u"]),
        "v1.0.0 after v0.2.0: four;\n"
    );
    assert_eq!(
        changelog(&repo, &["--bump"]),
        format!("v0.3.0 after v0.2.0: four;\n{RELEASES}")
    );
    // Nothing unreleased: nothing to title.
    repo.git(&["checkout", "-q", "v0.2.0"]);
    assert_eq!(
        changelog(&repo, &["--bump", "--latest"]),
        "v0.2.0 after v0.1.0: two; three;\n"
    );
}

#[test]
fn bumped_version_prints_the_next_tag() {
    let repo = history();
    assert_eq!(changelog(&repo, &["--bumped-version"]), "v0.3.0\n");
    assert_eq!(
        changelog(&repo, &["--bump", "major", "--bumped-version"]),
        "v1.0.0\n"
    );
    assert_eq!(repo.relcut(&["next"]).success().stdout, "0.3.0\n");
    // Nothing to bump: the last release, as git-cliff prints it.
    repo.git(&["checkout", "-q", "v0.2.0"]);
    assert_eq!(changelog(&repo, &["--bumped-version"]), "v0.2.0\n");
}

#[test]
fn context_prints_what_the_templates_read() {
    let repo = history();
    let run = repo
        .relcut(&["changelog", "--latest", "--context"])
        .success();
    let context: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let release = &context[0];
    assert_eq!(context.as_array().map(Vec::len), Some(1), "{}", run.stdout);
    assert_eq!(release["version"], "v0.2.0");
    assert_eq!(release["message"], "The second release");
    assert_eq!(release["previous"]["version"], "v0.1.0");
    assert_eq!(release["commits"][0]["message"], "two");
    assert_eq!(release["commits"][0]["raw_message"], "fix: two");
    assert_eq!(release["commits"][1]["group"], "<!-- 0 -->🚀 Features");
    assert_eq!(
        release["commits"][1]["statistics"],
        serde_json::json!({"files_changed": 0, "additions": 0, "deletions": 0})
    );
    let path = std::fs::canonicalize(repo.path()).unwrap();
    assert_eq!(release["repository"], path.display().to_string());
    let whole = repo.relcut(&["changelog", "-x"]).success();
    let whole: serde_json::Value = serde_json::from_str(&whole.stdout).unwrap();
    let versions: Vec<&serde_json::Value> = whole
        .as_array()
        .unwrap()
        .iter()
        .map(|release| &release["version"])
        .collect();
    assert_eq!(
        versions,
        [&serde_json::Value::Null, &"v0.2.0".into(), &"v0.1.0".into()]
    );
    assert_eq!(whole[0]["previous"]["commits"][1]["message"], "feat: three");
}

#[test]
fn from_context_renders_a_printed_context() {
    let repo = history_with_parts();
    repo.relcut(&["changelog", "--context", "-o", "context.json"])
        .success();
    let mut context: serde_json::Value = serde_json::from_str(&repo.read("context.json")).unwrap();
    // git-cliff reads a conventional commit from its `raw_message` again.
    context[0]["commits"][0]["raw_message"] = "feat: edited".into();
    repo.write("context.json", &context.to_string());
    assert_eq!(
        changelog(&repo, &["--from-context", "context.json"]),
        format!("# H\nnext after v0.2.0: edited;\n{RELEASES}F\n")
    );
    let mut command = repo.relcut_command(&["changelog", "--from-context", "-"]);
    command
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        repo.read("context.json").as_bytes(),
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("# H\nnext after v0.2.0: edited;\n{RELEASES}F\n")
    );
    let run = repo
        .relcut(&["changelog", "--from-context", "missing.json"])
        .code(2);
    assert!(run.stderr.contains("--context -o FILE"), "{}", run.stderr);
}

/// An app and a library in one repository: v0.1.0 (app), then lib, then app again.
fn monorepo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("cliff.toml", CLIFF_TOML);
    repo.commit("chore: config");
    repo.write("app/a", "a\n");
    repo.commit("feat: app");
    repo.tag("v0.1.0");
    repo.write("lib/l", "l\n");
    repo.commit("feat: lib");
    repo.write("app/b", "b\n");
    repo.commit("fix: app again");
    repo
}

#[test]
fn workdir_reads_only_the_commits_under_it() {
    let repo = monorepo();
    let expected = "next after v0.1.0: app again;\nv0.1.0 after none: app;\n";
    assert_eq!(changelog(&repo, &["--workdir", "app"]), expected);
    assert_eq!(
        repo.relcut_in(&repo.path().join("app"), &["changelog", "-w", "."], &[])
            .success()
            .stdout,
        expected
    );
    // `--prepend` is in the work directory; `-o` where relcut was started.
    repo.write("app/CHANGELOG.md", "# App\n");
    repo.relcut(&["changelog", "-w", "app", "-u", "--prepend", "CHANGELOG.md"])
        .success();
    assert_eq!(
        repo.read("app/CHANGELOG.md"),
        "# App\n\nnext after v0.1.0: app again;\n"
    );
    repo.relcut(&["changelog", "-w", "app", "-o", "OUT.md"])
        .success();
    assert_eq!(repo.read("OUT.md"), expected);
    let run = repo.relcut(&["changelog", "--workdir", "nowhere"]).code(2);
    assert!(run.stderr.contains("`--workdir`"), "{}", run.stderr);
}

#[test]
fn repository_reads_another_repository() {
    let repo = monorepo();
    let elsewhere = repo.scratch().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let path = repo.path().display().to_string();
    let run = repo
        .relcut_in(
            &elsewhere,
            &["changelog", "--repository", &path, "-o", "out.md"],
            &[],
        )
        .success();
    assert_eq!(run.stdout, "");
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("out.md")).unwrap(),
        "next after v0.1.0: lib; app again;\nv0.1.0 after none: config; app;\n"
    );
    let run = repo
        .relcut_in(&elsewhere, &["changelog", "-r", &path], &[])
        .success();
    assert!(
        run.stdout.starts_with("next after v0.1.0"),
        "{}",
        run.stdout
    );
}

#[test]
fn with_tag_message_sets_the_message_of_the_latest_release() {
    let repo = history();
    repo.write(
        "cliff.toml",
        r#"[changelog]
body = """{% if version %}{{ version }}{% else %}next{% endif %} ({{ message | default(value="-") }}):{% for commit in commits %} {{ commit.message }};{% endfor %}
"""
trim = false
"#,
    );
    let rows: &[(&[&str], &str)] = &[
        (
            &[],
            "next (Hi): four;\nv0.2.0 (The second release): two; three;\nv0.1.0 (-): one;\n",
        ),
        (&["--latest"], "v0.2.0 (Hi): two; three;\n"),
        (&["-u"], "next (Hi): four;\n"),
        (&["v0.1.0..v0.2.0"], "v0.2.0 (Hi): two; three;\n"),
    ];
    for (flags, expected) in rows {
        let mut all = vec!["--with-tag-message", "Hi"];
        all.extend_from_slice(flags);
        assert_eq!(changelog(&repo, &all), *expected, "{flags:?}");
    }
    repo.git(&["checkout", "-q", "v0.2.0"]);
    assert_eq!(
        changelog(&repo, &["--with-tag-message", "Hi"]),
        "v0.2.0 (Hi): two; three;\nv0.1.0 (-): one;\n"
    );
}

#[test]
fn topo_order_orders_tags_by_name_as_git_lists_them() {
    let repo = TestRepo::new();
    repo.write("cliff.toml", CLIFF_TOML);
    repo.commit("feat: one");
    repo.tag("v0.9.0");
    repo.commit("feat: two");
    repo.tag("v0.10.0");
    repo.commit("feat: three");
    repo.tag("v0.11.0");
    repo.commit("feat: four");
    // By time, the latest release is v0.11.0; by name, the last tags are v0.11.0 and v0.9.0.
    assert_eq!(
        changelog(&repo, &["--latest"]),
        "v0.11.0 after v0.10.0: three;\n"
    );
    let rows: &[(&[&str], &str)] = &[
        (&["--latest"], "next after v0.9.0:\n"),
        (
            &["-u"],
            "next after v0.11.0: four;\nv0.11.0 after v0.10.0: three;\nv0.10.0 after none: two;\n",
        ),
        (
            &[],
            "next after v0.11.0: four;\nv0.11.0 after v0.10.0: three;\nv0.10.0 after v0.9.0: two;\nv0.9.0 after v0.11.0: one;\n",
        ),
    ];
    for (flags, expected) in rows {
        let mut all = vec!["--topo-order"];
        all.extend_from_slice(flags);
        assert_eq!(changelog(&repo, &all), *expected, "{flags:?}");
    }
    // `[git] topo_order` is the same.
    repo.write(
        "cliff.toml",
        &format!("{CLIFF_TOML}[git]\ntopo_order = true\n"),
    );
    assert_eq!(changelog(&repo, &["--latest"]), "next after v0.9.0:\n");
}
