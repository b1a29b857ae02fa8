//! `relcut changelog`, and git-cliff configuration compatibility.

use crate::harness::TestRepo;

fn history() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("feat: first feature");
    repo.commit("fix(core): first fix");
    repo.tag_annotated("v0.1.0", "v0.1.0");
    repo.commit("feat(api)!: rework the API\n\nBREAKING CHANGE: `get` is now `fetch`.");
    repo.commit("perf: faster");
    repo.commit("chore: not shown");
    repo.commit("docs: explain");
    repo.tag("v0.2.0");
    repo.commit("feat: unreleased work");
    repo.commit("not conventional");
    repo
}

#[test]
fn the_whole_history_renders_every_release() {
    let repo = history();
    repo.add_github_origin("acme", "demo");
    let run = repo.relcut(&["changelog"]).success();
    insta::assert_snapshot!("whole_history", run.stdout);
}

#[test]
fn unreleased_renders_only_commits_since_the_last_tag() {
    let repo = history();
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert!(run.stdout.contains("## [Unreleased]"), "{}", run.stdout);
    assert!(run.stdout.contains("Unreleased work"), "{}", run.stdout);
    assert!(!run.stdout.contains("Faster"), "{}", run.stdout);
    let run = repo
        .relcut(&["changelog", "--unreleased", "--tag", "v0.3.0"])
        .success();
    assert!(
        run.stdout.contains("## [0.3.0] - 2026-11-21"),
        "{}",
        run.stdout
    );
}

#[test]
fn output_and_prepend_write_files() {
    let repo = history();
    repo.relcut(&["changelog", "-o", "OUT.md"]).success();
    let written = repo.read("OUT.md");
    assert!(written.starts_with("# Changelog"), "{written}");
    assert!(
        written.contains("## [0.2.0]") && written.contains("## [0.1.0]"),
        "{written}"
    );

    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\nHand-written intro.\n\n## [0.2.0] - 2026-01-01\n\n- old\n",
    );
    repo.relcut(&["changelog", "--prepend", "CHANGELOG.md", "--tag", "v0.3.0"])
        .success();
    let prepended = repo.read("CHANGELOG.md");
    insta::assert_snapshot!("prepended", prepended);
}

#[test]
fn a_cliff_toml_is_honoured_with_git_cliff_semantics() {
    let repo = history();
    // Only the body is set: everything else comes from git-cliff's embedded defaults, as with
    // git-cliff itself (conventional commits, its commit parsers and groups).
    repo.write(
        "cliff.toml",
        r##"[changelog]
header = "# Release notes\n"
body = """
{% if version %}== {{ version }} ({{ timestamp | date(format="%Y-%m-%d") }}) ==
{% else %}== next ==
{% endif %}{% for group, commits in commits | group_by(attribute="group") %}{{ group | striptags | trim }}:
{% for commit in commits %}  * {{ commit.message }}
{% endfor %}{% endfor %}
"""
"##,
    );
    let run = repo.relcut(&["changelog"]).success();
    insta::assert_snapshot!("cliff_toml_history", run.stdout);
}

#[test]
fn changelog_tables_in_relcut_toml_are_layered_like_cliff_toml() {
    let repo = history();
    repo.write(
        "relcut.toml",
        "[release]\nstrict = false\n\n[changelog]\nbody = \"{% if version %}{{ version }}{% else %}next{% endif %}: {{ commits | length }}\\n\"\n",
    );
    let run = repo.relcut(&["changelog"]).success();
    // git-cliff's defaults apply: non-conventional commits are filtered, the chore is kept, and
    // `trim = true` drops each release's final newline, exactly as git-cliff renders it.
    assert_eq!(run.stdout, "next: 1v0.2.0: 4v0.1.0: 2");
}

#[test]
fn an_invalid_cliff_toml_is_a_clear_error() {
    let repo = history();
    repo.write("cliff.toml", "[changelog\nbody = 1\n");
    let run = repo.relcut(&["changelog"]).code(3);
    assert!(run.stderr.contains("cliff.toml"), "{}", run.stderr);
}

#[test]
fn git_cliff_reading_rules_apply_statistics_paths_and_ignore_files() {
    let repo = TestRepo::new();
    repo.write("docs/guide.md", "one\ntwo\n");
    repo.commit("docs: guide");
    repo.write("src/lib.rs", "fn a() {}\n");
    repo.commit("feat: code");
    repo.write("docs/guide.md", "one\n");
    let ignored = repo.commit("docs: shorter guide");
    repo.write("docs/extra.md", "x\n");
    repo.commit("docs: extra");
    repo.write(".cliffignore", &format!("# skipped\n{ignored}\n"));
    repo.write(
        "cliff.toml",
        r#"[changelog]
body = """{% for commit in commits %}{{ commit.message }} +{{ commit.statistics.additions }} -{{ commit.statistics.deletions }}
{% endfor %}"""
trim = false
[git]
include_paths = ["docs/"]
"#,
    );
    let run = repo.relcut(&["changelog"]).success();
    assert_eq!(run.stdout, "guide +2 -0\nextra +1 -0\n");
}

#[test]
fn a_long_history_renders_every_commit_in_order() {
    // Long enough to read commits and render releases on several threads.
    let repo = TestRepo::new();
    repo.import_linear_history(5_000, 1_000);
    let run = repo.relcut(&["changelog"]).success();
    let entries: Vec<usize> = run
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("- Change "))
        .map(|number| number.parse().unwrap())
        .collect();
    assert_eq!(entries.len(), 5_000);
    // Releases newest first, commits oldest first within each release.
    let expected: Vec<usize> = (0..5)
        .rev()
        .flat_map(|release| release * 1_000 + 1..=release * 1_000 + 1_000)
        .collect();
    assert_eq!(entries, expected);
    let headings: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("## ["))
        .collect();
    assert_eq!(headings.len(), 5);
    assert!(headings[0].starts_with("## [0.5.0]"), "{headings:?}");
    let checked = repo.relcut(&["check", "HEAD", "--json"]).success();
    let document: serde_json::Value = serde_json::from_str(&checked.stdout).unwrap();
    assert_eq!(document["checked"], 5_000);
}

/// Commits whose text looks like Markdown structure, HTML or template syntax, as anyone who
/// opens a pull request can write them.
fn hostile_history() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    repo.commit(
        "feat(api)!: new call\n\nBREAKING CHANGE: call it like this:\n```sh\nrelcut <x> {{ version }}\n```\nand then\n```\nthe fence is never closed",
    );
    repo.commit(
        "fix(core)!: a subject with <details> in it\n\nBREAKING-CHANGE: <!-- a comment never closed\n# not a heading\n[the release]: https://example.com/hijacked\nUnderlined\n---",
    );
    repo.commit(
        "fix: {{ version }} and {% if true %}evaluated{% endif %} stay text in `Option<T>`",
    );
    repo.commit("docs: <script>alert(1)</script> and <https://example.com>");
    repo
}

/// What a Markdown renderer makes of `text`: its headings, its fenced code blocks, and whether
/// any HTML or link definition came through.
fn markdown_structure(text: &str) -> (Vec<String>, usize, Vec<String>) {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let parser = Parser::new(text);
    let mut headings = Vec::new();
    let mut fences = 0;
    let mut leaks = Vec::new();
    let mut heading: Option<String> = None;
    let mut events = Vec::new();
    let definitions: Vec<String> = parser
        .reference_definitions()
        .iter()
        .map(|(label, _)| label.to_string())
        .collect();
    leaks.extend(
        definitions
            .into_iter()
            .map(|label| format!("definition {label}")),
    );
    events.extend(parser);
    for event in events {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(level)) => {
                headings.push(format!("{level} {}", heading.take().unwrap_or_default()));
            }
            Event::Text(text) if heading.is_some() => heading.as_mut().unwrap().push_str(&text),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => fences += 1,
            Event::Html(html) | Event::InlineHtml(html) => leaks.push(format!("html {html}")),
            _ => {}
        }
    }
    (headings, fences, leaks)
}

#[test]
fn no_commit_text_breaks_the_structure_of_the_built_in_notes() {
    let repo = hostile_history();
    let run = repo.relcut(&["changelog"]).success();
    let (headings, fences, leaks) = markdown_structure(&run.stdout);
    assert_eq!(
        headings,
        [
            "h1 Changelog",
            "h2 [Unreleased]",
            "h3 ⚠ Breaking Changes",
            "h3 Fixed",
            "h3 Documentation",
            "h2 [1.0.0] - 2026-01-01",
            "h3 Added",
        ],
        "{}",
        run.stdout
    );
    assert_eq!(fences, 2, "{}", run.stdout);
    assert_eq!(leaks, Vec::<String>::new(), "{}", run.stdout);
    // Template syntax in a commit is text: it is printed, never evaluated.
    assert!(
        run.stdout
            .contains("{{ version }} and {% if true %}evaluated{% endif %}"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!("hostile_history", run.stdout);

    // The release writes the same section into CHANGELOG.md.
    repo.write("VERSION", "1.0.0\n");
    repo.commit("chore: a version file");
    repo.relcut(&["release", "--yes"]).success();
    let changelog = repo.read("CHANGELOG.md");
    let (headings, fences, leaks) = markdown_structure(&changelog);
    assert_eq!(
        headings[..4],
        [
            "h1 Changelog",
            "h2 [2.0.0] - 2026-11-21",
            "h3 ⚠ Breaking Changes",
            "h3 Fixed"
        ],
        "{changelog}"
    );
    assert_eq!(fences, 2, "{changelog}");
    assert_eq!(leaks, Vec::<String>::new(), "{changelog}");
}

#[test]
fn a_project_template_gets_commit_text_as_written_as_with_git_cliff() {
    let repo = hostile_history();
    repo.write(
        "cliff.toml",
        r##"[changelog]
body = """
{% for commit in commits %}- {{ commit.message }}{% if commit.breaking_description %}: {{ commit.breaking_description }}{% endif %}
{% endfor %}
"""
"##,
    );
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert!(
        run.stdout.contains("- a subject with <details> in it"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("and then\n```\nthe fence is never closed\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("&lt;"), "{}", run.stdout);
}

/// Writes a commit object with these header lines and message bytes, as a git of another locale
/// or a tool that writes objects itself could, and moves `main` to it.
fn commit_bytes(repo: &TestRepo, headers: &str, message: &[u8]) -> String {
    let tree = repo.git(&["write-tree"]).trim().to_string();
    let parent = repo.head();
    let mut object = format!(
        "tree {tree}\nparent {parent}\nauthor Test Author <author@example.com> 1767225600 +0000\ncommitter Test Author <author@example.com> 1767225600 +0000\n{headers}\n"
    )
    .into_bytes();
    object.extend_from_slice(message);
    let file = repo.scratch().join("commit-object");
    std::fs::write(&file, object).unwrap();
    let id = repo
        .git(&["hash-object", "-t", "commit", "-w", file.to_str().unwrap()])
        .trim()
        .to_string();
    repo.git(&["update-ref", "refs/heads/main", &id]);
    id
}

#[test]
fn a_commit_in_another_encoding_reads_as_git_log_reads_it() {
    let repo = TestRepo::new();
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    // What git writes with `i18n.commitEncoding` and a Latin-1 editor: an `encoding` header, the
    // message in Latin-1 as written (git does not convert it).
    let message = repo.scratch().join("message");
    std::fs::write(&message, b"feat: Caf\xe9 au lait\n").unwrap();
    repo.git(&[
        "-c",
        "i18n.commitEncoding=ISO-8859-1",
        "commit",
        "-q",
        "--allow-empty",
        "-F",
        message.to_str().unwrap(),
    ]);
    let raw = repo.git(&["cat-file", "commit", "HEAD"]);
    assert!(raw.contains("\nencoding ISO-8859-1\n"), "{raw}");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "feat: Caf\u{e9} au lait\n"
    );
    // Another encoding, written by hand: Shift_JIS for 日本.
    commit_bytes(&repo, "encoding Shift_JIS\n", b"fix: \x93\xfa\x96\x7b\n");
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert!(run.stdout.contains("- Caf\u{e9} au lait"), "{}", run.stdout);
    assert!(run.stdout.contains("- \u{65e5}\u{672c}"), "{}", run.stdout);
    let run = repo.relcut(&["check", "v1.0.0..HEAD"]).success();
    assert_eq!(
        run.stdout,
        "2 commits checked; all follow Conventional Commits 1.0.0.\n"
    );
}

#[test]
fn invalid_bytes_in_a_message_render_lossily_without_failing() {
    let repo = TestRepo::new();
    repo.commit("feat: first");
    repo.tag("v1.0.0");
    // No encoding header, so UTF-8 is meant, but the bytes are not: a lone Latin-1 é and a
    // truncated sequence.
    commit_bytes(&repo, "", b"feat: caf\xe9 and \xe2\x82\n");
    // An encoding nobody knows: git log shows the bytes as they are, relcut as lossy UTF-8.
    commit_bytes(&repo, "encoding x-no-such-encoding\n", b"fix: na\xefve\n");
    let run = repo.relcut(&["changelog", "--unreleased"]).success();
    assert!(
        run.stdout.contains("- Caf\u{fffd} and \u{fffd}"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("- Na\u{fffd}ve"), "{}", run.stdout);
    repo.relcut(&["check", "v1.0.0..HEAD"]).success();
    repo.relcut(&["next"]).success();
}

#[test]
fn a_tag_message_that_is_not_utf8_is_kept_lossily() {
    let repo = TestRepo::new();
    repo.commit("feat: first");
    let message = repo.scratch().join("tag-message");
    std::fs::write(&message, b"Caf\xe9 release\n").unwrap();
    repo.git(&["tag", "-a", "v1.0.0", "-F", message.to_str().unwrap()]);
    repo.write(
        "cliff.toml",
        "[changelog]\nbody = \"{{ version }}: {{ message }}\\n\"\ntrim = false\n",
    );
    let run = repo.relcut(&["changelog"]).success();
    assert!(
        run.stdout.contains("v1.0.0: Caf\u{fffd} release"),
        "{}",
        run.stdout
    );
}
