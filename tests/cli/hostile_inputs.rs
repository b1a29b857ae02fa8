//! Inputs nobody planned for: odd commit messages, tags, repositories and files. None may make
//! relcut panic or leave a partial change; each gets the answer `git` itself would suggest.

use crate::harness::{Run, TestRepo};

fn project_at(version: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", &format!("{version}\n"));
    repo.commit("feat: first version");
    repo.tag_annotated(&format!("v{version}"), "first");
    repo
}

#[track_caller]
fn assert_no_panic(run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{}",
        run.stderr
    );
}

/// A commit made with `git commit -F` from raw bytes.
fn commit_bytes(repo: &TestRepo, message: &[u8]) {
    let file = repo.scratch().join("message");
    std::fs::write(&file, message).unwrap();
    std::fs::write(repo.path().join("change.txt"), rand_text(message.len())).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "--cleanup=verbatim",
        "-F",
        file.to_str().unwrap(),
    ]);
}

fn rand_text(seed: usize) -> String {
    format!("{seed}-{:?}\n", std::time::Instant::now())
}

#[test]
fn odd_commit_messages_release_without_a_panic() {
    let mut huge = b"fix: a fix with a long story\n\n".to_vec();
    huge.extend(std::iter::repeat_n(b"All work and no play. ".as_slice(), 480_000).flatten());
    let mut footers = b"feat: many trailers\n\n".to_vec();
    for index in 0..3_000 {
        footers.extend(format!("Reviewed-by: Person {index} <p{index}@example.com>\n").bytes());
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a 10 MB body", huge, "1.0.1"),
        ("thousands of footers", footers, "1.1.0"),
        (
            "Windows line endings",
            b"feat(api): crlf\r\n\r\nBREAKING CHANGE: the api moved\r\n".to_vec(),
            "2.0.0",
        ),
        ("a subject that is only `!:`", b"!:\n".to_vec(), "1.0.0"),
        (
            "template syntax and HTML",
            b"fix: {{ version }} {% raw %} <script>alert(1)</script>\n".to_vec(),
            "1.0.1",
        ),
    ];
    for (what, message, expected) in cases {
        let repo = project_at("1.0.0");
        commit_bytes(&repo, &message);
        let next = repo.relcut(&["next"]);
        assert_no_panic(&next);
        if expected == "1.0.0" {
            // Nothing that asks for a release: relcut says so and changes nothing.
            assert_ne!(next.code, 0, "{what}: {}", next.stdout);
            let run = repo.relcut(&["release", "--yes"]);
            assert_no_panic(&run);
            assert_eq!(repo.git(&["status", "--porcelain"]), "", "{what}");
            continue;
        }
        assert_eq!(next.stdout.trim(), expected, "{what}: {}", next.stderr);
        let run = repo.relcut(&["release", "--yes"]);
        assert_no_panic(&run);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        assert_eq!(repo.read("VERSION"), format!("{expected}\n"), "{what}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{what}");
        let changelog = repo.read("CHANGELOG.md");
        assert!(!changelog.contains("<script>"), "{what}: {changelog}");
        assert!(
            changelog.len() < 2_000_000,
            "{what}: the notes hold the body"
        );
    }
}

#[test]
fn odd_tags_are_read_or_passed_over() {
    // Build metadata does not count in precedence; the release after it is the next patch.
    let repo = project_at("1.0.0");
    repo.write("VERSION", "1.0.1+build.5\n");
    repo.commit("fix: one");
    repo.tag_annotated("v1.0.1+build.5", "with metadata");
    repo.commit("fix: two");
    let next = repo.relcut(&["next"]).success();
    assert_eq!(next.stdout.trim(), "1.0.2");

    // A tag with leading zeros is not SemVer: it is not a release, and relcut says nothing
    // of it being one.
    let repo = project_at("1.0.0");
    repo.commit("fix: one");
    repo.git(&["tag", "v01.2.3"]);
    repo.commit("fix: two");
    let next = repo.relcut(&["next"]).success();
    assert_eq!(next.stdout.trim(), "1.0.1");

    // Two version tags on one commit: the higher one is the release.
    let repo = project_at("1.0.0");
    repo.write("VERSION", "1.1.0\n");
    repo.commit("feat: one");
    repo.tag_annotated("v1.1.0", "one");
    repo.git(&["tag", "v1.1.0-rc.1"]);
    repo.commit("fix: two");
    let next = repo.relcut(&["next"]).success();
    assert_eq!(next.stdout.trim(), "1.1.1");

    // Tags that point at a tree and at a blob are not commits, so no release.
    let repo = project_at("1.0.0");
    repo.commit("feat: one");
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    repo.git(&["tag", "v9.0.0", tree.trim()]);
    let blob = repo.git(&["rev-parse", "HEAD:VERSION"]);
    repo.git(&["tag", "-a", "v8.0.0", "-m", "a blob", blob.trim()]);
    let next = repo.relcut(&["next"]);
    assert_no_panic(&next);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_eq!(next.stdout.trim(), "1.1.0");
    let changelog = repo.relcut(&["changelog"]);
    assert_no_panic(&changelog);
    assert_eq!(changelog.code, 0, "{}", changelog.stderr);
}

#[test]
fn odd_repositories_get_a_sentence_or_a_release() {
    // No commit at all: every command says so.
    let empty = TestRepo::new();
    for args in [&["next"][..], &["changelog"], &["release", "--yes"]] {
        let run = empty.relcut(args);
        assert_no_panic(&run);
        assert_ne!(run.code, 0, "{args:?}");
        assert!(run.stderr.contains("no commit"), "{args:?}: {}", run.stderr);
    }
    // Linting no commits finds nothing wrong.
    assert_no_panic(&empty.relcut(&["check"]));

    // GIT_DIR and GIT_WORK_TREE set, run from elsewhere.
    let repo = project_at("1.0.0");
    repo.commit("feat: one");
    let elsewhere = tempfile::tempdir().unwrap();
    let git_dir = repo.path().join(".git");
    let work_tree = repo.path();
    let run = repo.relcut_in(
        elsewhere.path(),
        &["next"],
        &[
            ("GIT_DIR", git_dir.to_str().unwrap()),
            ("GIT_WORK_TREE", work_tree.to_str().unwrap()),
        ],
    );
    assert_no_panic(&run);
    assert_eq!(run.stdout.trim(), "1.1.0", "{}", run.stderr);

    // A linked worktree releases from its own branch.
    let linked = repo.scratch().join("linked");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "release",
        linked.to_str().unwrap(),
    ]);
    std::fs::write(
        linked.join("relcut.toml"),
        "[release]\nbranches = [\"release\"]\n",
    )
    .unwrap();
    repo.git_in(&linked, &["add", "relcut.toml"]);
    repo.git_in(
        &linked,
        &["commit", "-q", "-m", "ci: release from the release branch"],
    );
    let run = repo.relcut_in(&linked, &["release", "--yes"], &[]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(linked.join("VERSION")).unwrap(),
        "1.1.0\n"
    );
    assert_eq!(repo.git_in(&linked, &["status", "--porcelain"]), "");
    assert_eq!(
        repo.read("VERSION"),
        "1.0.0\n",
        "the main worktree is left alone"
    );
}

#[test]
fn odd_files_are_kept_as_they_are_but_the_version() {
    // A VERSION with trailing spaces and no newline, a Cargo.toml with a BOM and CRLF, and a
    // changelog of 100,000 lines.
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0  ");
    repo.write(
        "Cargo.toml",
        "\u{feff}[package]\r\nname = \"demo\"\r\nversion = \"1.0.0\"\r\nedition = \"2021\"\r\n",
    );
    let mut changelog = String::from("# Changelog\n\n## [1.0.0] - 2020-01-01\n\n### Added\n\n");
    for line in 0..100_000 {
        changelog.push_str(&format!("- Entry {line}\n"));
    }
    repo.write("CHANGELOG.md", &changelog);
    repo.commit("feat: first version");
    repo.tag_annotated("v1.0.0", "first");
    repo.commit("feat: one");
    let started = std::time::Instant::now();
    let run = repo.relcut(&["release", "--yes"]);
    let took = started.elapsed();
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(repo.read("VERSION"), "1.1.0  ");
    assert_eq!(
        repo.read("Cargo.toml"),
        "\u{feff}[package]\r\nname = \"demo\"\r\nversion = \"1.1.0\"\r\nedition = \"2021\"\r\n"
    );
    let written = repo.read("CHANGELOG.md");
    assert!(
        written.starts_with("# Changelog\n\n## [1.1.0]"),
        "{}",
        &written[..200]
    );
    assert!(written.ends_with("- Entry 99999\n"));
    assert_eq!(written.lines().count(), changelog.lines().count() + 6);
    // Not a timing test: a prepend that rewrote the file line by line would still pass; this
    // only catches one that is quadratic in the file's length.
    assert!(took.as_secs() < 30, "{took:?}");
}

#[test]
fn a_work_tree_inside_a_submodule_releases_in_the_submodule() {
    // The project, released once, checked out as a submodule of a superproject.
    let project = project_at("1.0.0");
    project.commit("feat: a feature to release");
    let superproject = TestRepo::new();
    superproject.commit("chore: start");
    let url = project.path().display().to_string();
    superproject.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "project",
    ]);
    superproject.commit("chore: add the project");
    let checkout = superproject.path().join("project");
    let super_head = superproject.head();
    let module_head = superproject.git_in(&checkout, &["rev-parse", "HEAD"]);

    let run = superproject.relcut_in(
        &checkout,
        &["release", "--yes", "--no-push", "--no-publish"],
        &[],
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(checkout.join("VERSION")).unwrap(),
        "1.1.0\n"
    );
    // Commit and tag are the submodule's; its parent is what was checked out.
    let git = |args: &[&str]| superproject.git_in(&checkout, args);
    assert_eq!(git(&["rev-parse", "HEAD^"]), module_head);
    assert_eq!(
        git(&["rev-parse", "v1.1.0^{commit}"]).trim(),
        git(&["rev-parse", "HEAD"]).trim()
    );
    assert_eq!(git(&["status", "--porcelain"]), "");
    // The superproject is left alone but for the submodule's new commit, and the lock is gone.
    assert_eq!(superproject.head(), super_head);
    assert_eq!(superproject.git(&["tag", "-l"]), "");
    assert_eq!(
        superproject.git(&["status", "--porcelain"]).trim(),
        "M project"
    );
    let module_dir = superproject.path().join(".git/modules/project");
    assert!(module_dir.is_dir());
    assert!(!module_dir.join("relcut.lock").exists());
    // The project itself (the submodule's origin) has not moved.
    assert!(!project.git(&["tag", "-l"]).contains("v1.1.0"));
}

#[test]
fn a_failing_hook_in_core_hooks_path_stops_the_release_whole_and_a_fixed_one_releases() {
    let repo = project_at("1.0.0");
    repo.commit("feat: a feature to release");
    let hooks = repo.scratch().join("shared-hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let hook = hooks.join("pre-commit");
    let write_hook = |script: &str| {
        std::fs::write(&hook, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    write_hook("#!/bin/sh\necho 'policy: CHANGELOG.md needs a sign-off line' >&2\nexit 1\n");
    repo.git(&["config", "core.hooksPath", hooks.to_str().unwrap()]);
    let head = repo.head();

    let run = repo.relcut(&["release", "--yes"]);
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("policy: CHANGELOG.md needs a sign-off line"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("put back"), "{}", run.stderr);
    assert_eq!(repo.head(), head);
    assert_eq!(repo.read("VERSION"), "1.0.0\n");
    assert!(!repo.path().join("CHANGELOG.md").exists());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.git(&["tag", "-l"]).trim(), "v1.0.0");
    assert!(!repo.path().join(".git/relcut.lock").exists());

    // The hook fixed (it still runs: it leaves a mark), the same command releases.
    let ran = repo.scratch().join("hook-ran");
    write_hook(&format!("#!/bin/sh\ntouch '{}'\nexit 0\n", ran.display()));
    repo.relcut(&["release", "--yes"]).success();
    assert!(ran.exists(), "the hook in core.hooksPath ran");
    assert_eq!(repo.read("VERSION"), "1.1.0\n");
    assert_eq!(
        repo.git(&["rev-parse", "v1.1.0^{commit}"]).trim(),
        repo.head()
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}
