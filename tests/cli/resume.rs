//! A release that stopped part way is finished by running the same command again: the plan
//! comes from what the repository shows, and steps already done are skipped.

use crate::harness::TestRepo;

/// A project at 1.2.3 (VERSION and Cargo.toml), released and tagged, with a feature since.
fn project_with_a_feature() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"1.2.3\"\nedition = \"2021\"\n",
    );
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.write("src.txt", "parse");
    repo.commit("feat(parser): accept tabs");
    repo
}

/// A project whose only release file is the changelog.
fn changelog_only_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("README.md", "demo\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.0.0", "v1.0.0");
    repo.commit("feat: a feature");
    repo
}

fn release_commits(repo: &TestRepo) -> usize {
    repo.git(&["log", "--format=%s"])
        .lines()
        .filter(|subject| subject.starts_with("chore(release)"))
        .count()
}

/// Exactly one release of `version` (tagged `tag`): one release commit, the tag on it, one
/// changelog section, a clean work tree.
#[track_caller]
fn assert_released_once(repo: &TestRepo, version: &str, tag: &str) {
    assert_eq!(
        release_commits(repo),
        1,
        "{}",
        repo.git(&["log", "--oneline"])
    );
    assert_eq!(
        repo.git(&["rev-parse", &format!("{tag}^{{commit}}")])
            .trim(),
        repo.head(),
        "the tag is on the release commit"
    );
    assert_eq!(
        repo.git(&["cat-file", "-t", tag]).trim(),
        "tag",
        "annotated"
    );
    let changelog = repo.read("CHANGELOG.md");
    assert_eq!(
        changelog.matches(&format!("## [{version}]")).count(),
        1,
        "{changelog}"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_lost_tag_in_a_repository_with_only_a_changelog_is_made_again_without_a_second_commit() {
    let repo = changelog_only_project();
    repo.relcut(&["release", "--yes"]).success();
    let release_commit = repo.head();
    repo.git(&["tag", "-d", "v1.1.0"]);

    let run = repo.relcut(&["release", "--yes"]).success();
    assert!(
        run.stdout
            .contains("the release commit from the earlier run is tagged v1.1.0"),
        "{}",
        run.stdout
    );
    assert_eq!(repo.head(), release_commit);
    assert_released_once(&repo, "1.1.0", "v1.1.0");
}

#[test]
fn a_reworded_release_commit_is_still_recognised_and_tagged() {
    for project in [project_with_a_feature(), changelog_only_project()] {
        let repo = project;
        repo.relcut(&["release", "--yes"]).success();
        let tag = repo.git(&["describe", "--tags", "--exact-match"]);
        let tag = tag.trim().to_string();
        repo.git(&["tag", "-d", &tag]);
        let message = repo.git(&["log", "-1", "--format=%B"]);
        repo.git(&[
            "commit",
            "--amend",
            "-q",
            "-m",
            &format!("{} [skip ci]", message.trim()),
        ]);
        let reworded = repo.head();

        let run = repo.relcut(&["release", "--yes"]).success();
        assert_eq!(repo.head(), reworded, "{}", run.stdout);
        let version = tag.trim_start_matches('v');
        assert_released_once(&repo, version, &tag);
    }
}

#[test]
fn a_fault_after_any_step_is_finished_by_running_the_same_command_again() {
    for step in ["write_files", "commit", "tag"] {
        let repo = project_with_a_feature();
        let failed = repo.relcut_with(&["release", "--yes"], &[("RELCUT_TEST_FAIL_AFTER", step)]);
        assert_ne!(failed.code, 0, "{step}: {}", failed.stderr);
        assert!(
            failed.stderr.contains(&format!("after the {step} step")),
            "{step}: {}",
            failed.stderr
        );
        assert!(
            failed.stderr.contains("run `relcut release` again"),
            "{step}: {}",
            failed.stderr
        );
        if step == "write_files" {
            // Files written for a commit that was not made are put back: no half state.
            assert_eq!(repo.read("VERSION"), "1.2.3\n", "{step}");
            assert_eq!(repo.git(&["status", "--porcelain"]), "", "{step}");
        }

        let run = repo.relcut(&["release", "--yes", "--json"]).success();
        let outcome: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_released_once(&repo, "1.3.0", "v1.3.0");
        assert_eq!(repo.read("VERSION"), "1.3.0\n", "{step}");
        assert!(repo.read("Cargo.toml").contains("version = \"1.3.0\""));
        let statuses: Vec<(String, String)> = outcome["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|step| {
                (
                    step["step"].as_str().unwrap().to_string(),
                    step["status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let expected: Vec<(&str, &str)> = match step {
            "write_files" => vec![("write_files", "done"), ("commit", "done"), ("tag", "done")],
            "commit" => vec![
                ("write_files", "already_done"),
                ("commit", "already_done"),
                ("tag", "done"),
            ],
            _ => vec![
                ("write_files", "already_done"),
                ("commit", "already_done"),
                ("tag", "already_done"),
            ],
        };
        let statuses: Vec<(&str, &str)> = statuses
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(statuses, expected, "after a fault after {step}");

        // And once more: nothing left to do, nothing done twice.
        let again = repo.relcut(&["release", "--yes"]).success();
        assert!(
            again.stdout.contains("v1.3.0 was already released"),
            "{}",
            again.stdout
        );
        assert_released_once(&repo, "1.3.0", "v1.3.0");
    }
}

#[test]
fn a_tag_that_git_refuses_leaves_the_commit_and_the_next_run_tags_it() {
    let repo = project_with_a_feature();
    // Another process holding the tag's lock: git refuses to make the tag.
    std::fs::create_dir_all(repo.path().join(".git/refs/tags")).unwrap();
    std::fs::write(repo.path().join(".git/refs/tags/v1.3.0.lock"), "").unwrap();
    let failed = repo.relcut(&["release", "--yes"]).code(1);
    assert!(failed.stderr.contains("Stopped after"), "{}", failed.stderr);
    assert!(failed.stderr.contains("Not done: tag"), "{}", failed.stderr);
    assert_eq!(release_commits(&repo), 1);
    std::fs::remove_file(repo.path().join(".git/refs/tags/v1.3.0.lock")).unwrap();

    let dry = repo.relcut(&["release", "--dry-run"]).success();
    assert!(
        dry.stdout.contains("Next version:    1.3.0"),
        "{}",
        dry.stdout
    );
    repo.relcut(&["release", "--yes"]).success();
    assert_released_once(&repo, "1.3.0", "v1.3.0");
}

#[test]
fn finishing_names_the_unfinished_version_when_the_bump_asks_for_another() {
    let repo = project_with_a_feature();
    repo.relcut(&["release", "--yes"]).success();
    repo.git(&["tag", "-d", "v1.3.0"]);
    let run = repo
        .relcut(&["release", "--yes", "--bump", "major"])
        .code(2);
    assert!(
        run.stderr.contains("is the release commit of 1.3.0"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("git reset --hard HEAD^"),
        "{}",
        run.stderr
    );
    // The same request as the first run finishes it.
    repo.relcut(&["release", "--yes", "--bump", "minor"])
        .success();
    assert_released_once(&repo, "1.3.0", "v1.3.0");
}

#[test]
fn a_commit_that_only_moves_the_version_files_ahead_is_not_taken_for_a_release() {
    let repo = project_with_a_feature();
    repo.write("VERSION", "2.0.0\n");
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"2.0.0\"\nedition = \"2021\"\n",
    );
    repo.commit("chore: prepare 2.0.0");
    // Without the changelog section a release commit writes, this is a prepared version,
    // released by naming it.
    repo.relcut(&["release", "--yes", "--bump", "2.0.0"])
        .success();
    assert_eq!(
        repo.git(&["rev-parse", "v2.0.0^{commit}"]).trim(),
        repo.head()
    );
    assert_eq!(release_commits(&repo), 1);
    assert!(repo.read("CHANGELOG.md").contains("## [2.0.0]"));
}

#[test]
fn a_tag_on_another_commit_is_reported_before_anything_is_done() {
    let repo = project_with_a_feature();
    repo.relcut(&["release", "--yes"]).success();
    repo.git(&["tag", "-d", "v1.3.0"]);
    repo.git(&["tag", "v1.3.0", "HEAD^"]);
    let refs = repo.refs();
    // The tag now points below HEAD: HEAD is a later commit, and v1.3.0 is the last release.
    let run = repo.relcut(&["release", "--yes"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert_eq!(repo.refs(), refs);
}

#[test]
fn next_names_the_version_of_an_unfinished_release() {
    let repo = project_with_a_feature();
    repo.relcut(&["release", "--yes"]).success();
    repo.git(&["tag", "-d", "v1.3.0"]);
    // The files say 1.3.0 and the last tag 1.2.3: the release in progress, not a disagreement.
    let run = repo.relcut(&["next"]).success();
    assert_eq!(run.stdout, "1.3.0\n");
    // Files moved ahead by hand are still a disagreement.
    let repo = project_with_a_feature();
    repo.write("VERSION", "2.0.0\n");
    repo.commit("chore: bump by hand");
    let run = repo.relcut(&["next"]).code(3);
    assert!(run.stderr.contains("disagree"), "{}", run.stderr);
}
