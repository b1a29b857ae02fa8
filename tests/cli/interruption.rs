//! SIGINT and SIGTERM while a release runs: it ends with the files put back or the local release
//! whole, never between, with exit code 130, and the same command run again finishes it. The
//! signal is sent by a `pre-commit` hook to relcut (the parent of the `git commit` that runs the
//! hook), so it arrives at a known point: during the commit step.

use crate::harness::TestRepo;

fn project_with_a_feature() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.write("src.txt", "parse");
    repo.commit("feat(parser): accept tabs");
    repo
}

/// A `pre-commit` hook that sends `signal` to relcut, then ends with `exit`.
fn signal_during_the_commit(repo: &TestRepo, signal: &str, exit: u8) {
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\n\
             # relcut runs `git commit`, which runs this hook: its parent's parent.\n\
             relcut=$(awk '{{print $4}}' /proc/$PPID/stat)\n\
             kill -{signal} \"$relcut\"\n\
             sleep 0.2\n\
             exit {exit}\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn remove_hook(repo: &TestRepo) {
    std::fs::remove_file(repo.path().join(".git/hooks/pre-commit")).unwrap();
}

#[test]
fn a_signal_that_stops_the_commit_puts_the_files_back() {
    for signal in ["INT", "TERM"] {
        let repo = project_with_a_feature();
        let head = repo.head();
        // The hook fails as `git commit` does when the terminal's Ctrl-C reaches it too.
        signal_during_the_commit(&repo, signal, 1);
        let run = repo.relcut(&["release", "--yes"]).code(130);
        assert!(
            run.stderr.contains("interrupted during the commit step"),
            "{signal}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("put back"), "{signal}: {}", run.stderr);
        assert_eq!(repo.head(), head, "{signal}");
        assert_eq!(repo.read("VERSION"), "1.2.3\n", "{signal}");
        assert!(!repo.path().join("CHANGELOG.md").exists(), "{signal}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{signal}");
        assert_eq!(repo.git(&["tag", "-l"]).trim(), "v1.2.3", "{signal}");

        remove_hook(&repo);
        repo.relcut(&["release", "--yes"]).success();
        assert_eq!(repo.read("VERSION"), "1.3.0\n", "{signal}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{signal}");
    }
}

#[test]
fn a_signal_after_the_commit_is_made_tags_it_and_stops_before_the_push() {
    let repo = project_with_a_feature();
    let bare = repo.add_github_origin("acme", "demo");
    repo.git(&["push", "-q", "-u", "origin", "main", "refs/tags/v1.2.3"]);
    // The commit goes through; the signal is seen when it is made.
    signal_during_the_commit(&repo, "INT", 0);
    let run = repo.relcut(&["release", "--yes", "--no-publish"]).code(130);
    assert!(
        run.stderr.contains("interrupted before the push step"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Not done: push"), "{}", run.stderr);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert_eq!(
        repo.git(&["rev-parse", "v1.3.0^{commit}"]).trim(),
        repo.head(),
        "the commit is tagged: the local release is whole"
    );
    let remote_tags = |bare: &std::path::Path| repo.git_in(bare, &["tag", "-l"]);
    assert_eq!(remote_tags(&bare).trim(), "v1.2.3", "nothing was pushed");

    remove_hook(&repo);
    repo.relcut(&["release", "--yes", "--no-publish"]).success();
    assert!(remote_tags(&bare).contains("v1.3.0"));
    assert_eq!(
        repo.git(&["log", "--format=%s"])
            .lines()
            .filter(|subject| subject.starts_with("chore(release)"))
            .count(),
        1,
        "the re-run made no second release commit"
    );
}
