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
