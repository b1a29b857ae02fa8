//! `relcut check`.

use crate::harness::TestRepo;

#[test]
fn conventional_history_passes() {
    let repo = TestRepo::new();
    repo.commit("feat: a");
    repo.commit("fix(core)!: b\n\nBREAKING CHANGE: c");
    let run = repo.relcut(&["check"]).success();
    assert_eq!(
        run.stdout,
        "2 commits checked; all follow Conventional Commits 1.0.0.\n"
    );
}

#[test]
fn offenders_are_listed_with_what_is_wrong() {
    let repo = TestRepo::new();
    repo.commit("feat: a");
    repo.tag("v1.0.0");
    repo.commit("feat:no space");
    repo.commit("fix(): empty scope");
    repo.commit("Add things");
    repo.commit("docs: fine");
    let run = repo.relcut(&["check"]).code(6);
    assert!(
        run.stderr.contains("3 commits do not follow"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\"feat:no space\""), "{}", run.stderr);
    assert!(
        run.stderr.contains("\"fix(): empty scope\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\"Add things\""), "{}", run.stderr);
    assert!(!run.stderr.contains("feat: a"), "{}", run.stderr);

    let run = repo.relcut(&["check", "--json"]).code(6);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["checked"], 4);
    assert_eq!(document["offenders"].as_array().unwrap().len(), 3);
}

#[test]
fn a_range_limits_the_commits() {
    let repo = TestRepo::new();
    repo.commit("bad one");
    let first = repo.head();
    repo.commit("feat: good");
    repo.relcut(&["check", &format!("{first}..HEAD")]).success();
    repo.relcut(&["check", "HEAD"]).code(6);
    let run = repo.relcut(&["check", "nope..HEAD"]).code(1);
    assert!(
        run.stderr
            .contains("`nope..HEAD` is not a revision or range"),
        "{}",
        run.stderr
    );
}

/// `relcut check` and `release --strict` read scopes by one rule, the README's: any text without
/// parentheses or line breaks, not empty.
#[test]
fn check_and_strict_release_agree_on_scopes() {
    // Message, whether it is a Conventional Commit.
    let rows = [
        ("feat(a, b): x", true),
        ("feat(my scope): x", true),
        ("feat(): x", false),
        ("feat(a\nb): x", false),
    ];
    for (message, conventional) in rows {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.0.0\n");
        repo.commit("feat: first");
        repo.tag("v1.0.0");
        // Something releasable, so that the release reaches its checks whatever `message` is.
        repo.commit("fix: y");
        repo.commit(message);
        let subject = message.lines().next().unwrap();

        let check = repo.relcut(&["check", "v1.0.0..HEAD"]);
        let strict = repo.relcut(&["release", "--dry-run", "--strict"]);
        if conventional {
            check.success();
            let strict = strict.success();
            assert!(
                strict.stdout.contains("Next version:    1.1.0"),
                "{message:?}: {}",
                strict.stdout
            );
        } else {
            let check = check.code(6);
            assert!(
                check.stderr.contains(&format!("{subject:?}")),
                "{message:?}: {}",
                check.stderr
            );
            let strict = strict.code(4);
            assert!(
                strict
                    .stderr
                    .contains(&format!("{subject:?} is not a Conventional Commit")),
                "{message:?}: {}",
                strict.stderr
            );
        }
    }
}
