//! `relcut next`.

use crate::harness::TestRepo;

#[test]
fn version_arithmetic_needs_no_repository() {
    let dir = tempfile::tempdir().unwrap();
    let rows: &[(&[&str], &str)] = &[
        (&["--current", "1.2.3", "--bump", "minor"], "1.3.0\n"),
        (&["--current", "1.2.3", "--bump", "major"], "2.0.0\n"),
        (&["--current", "v1.2.3", "--bump", "patch"], "1.2.4\n"),
        (
            &["--current", "1.2.3", "--bump", "minor", "--pre", "beta"],
            "1.3.0-beta.1\n",
        ),
        (
            &["--current", "1.3.0-beta.1", "--bump", "prerelease"],
            "1.3.0-beta.2\n",
        ),
        (&["--current", "2.0.0-rc.3", "--bump", "release"], "2.0.0\n"),
        (&["--current", "1.2.3", "--bump", "2.0.0"], "2.0.0\n"),
    ];
    for (args, expected) in rows {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_relcut"))
            .arg("next")
            .args(*args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            *expected,
            "{args:?}"
        );
        assert!(output.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn errors_outside_a_repository_are_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_relcut"))
            .arg("next")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
            .output()
            .unwrap()
    };
    let output = run(&["--current", "1.2.3"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("name the bump"));
    let output = run(&["--current", "1.2.3", "--bump", "1.0.0"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not greater"));
    let output = run(&["--current", "one", "--bump", "patch"]);
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["--bump", "sideways"]);
    assert_eq!(output.status.code(), Some(2));
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is not inside a git repository"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("class="),
        "libgit2's internals stay out of the message: {stderr}"
    );
}

#[test]
fn in_a_repository_the_commits_decide() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("feat: a");
    repo.tag("v1.0.0");
    repo.commit("fix: b");
    assert_eq!(repo.relcut(&["next"]).success().stdout, "1.0.1\n");
    repo.commit("feat(ui): c");
    assert_eq!(repo.relcut(&["next"]).success().stdout, "1.1.0\n");
    repo.commit("refactor!: d");
    assert_eq!(repo.relcut(&["next"]).success().stdout, "2.0.0\n");
    assert_eq!(
        repo.relcut(&["next", "--pre", "rc"]).success().stdout,
        "2.0.0-rc.1\n"
    );
    assert_eq!(
        repo.relcut(&["next", "--bump", "patch"]).success().stdout,
        "1.0.1\n"
    );
}

#[test]
fn configured_types_change_the_bump() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "[release.types]\ndocs = \"patch\"\nfeat = \"patch\"\n",
    );
    repo.commit("feat: a");
    repo.tag("v1.0.0");
    repo.commit("docs: b");
    assert_eq!(repo.relcut(&["next"]).success().stdout, "1.0.1\n");
    repo.commit("feat: c");
    assert_eq!(repo.relcut(&["next"]).success().stdout, "1.0.1\n");
}

#[test]
fn nothing_releasable_exits_with_its_code() {
    let repo = TestRepo::new();
    repo.commit("feat: a");
    repo.tag("v1.0.0");
    repo.commit("chore: b");
    let run = repo.relcut(&["next"]).code(5);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("nothing to release"), "{}", run.stderr);
}
