//! `relcut release` end to end.

use crate::harness::{TestRepo, scrub};

/// A project at 1.2.3, released and tagged, with a few changes since.
fn released_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\" # the demo crate\nversion = \"1.2.3\"\nedition = \"2021\"\n\n[dependencies]\n",
    );
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo
}

#[test]
fn a_feature_releases_a_minor_version_with_commit_tag_and_changelog() {
    let repo = released_project();
    repo.write("src.txt", "parse");
    repo.commit("feat(parser): accept tabs");
    repo.commit("fix: handle empty input\n\nThe old code panicked.");
    repo.commit("chore: tidy");
    repo.commit("update readme");

    let run = repo.relcut(&["release", "--yes"]).success();
    assert!(
        run.stdout.contains("Released 1.3.0 (v1.3.0)"),
        "{}",
        run.stdout
    );

    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert_eq!(
        repo.read("Cargo.toml"),
        "[package]\nname = \"demo\" # the demo crate\nversion = \"1.3.0\"\nedition = \"2021\"\n\n[dependencies]\n"
    );
    insta::assert_snapshot!("feature_release_changelog", repo.read("CHANGELOG.md"));

    // One release commit with exactly the edited files, an annotated tag on it, a clean tree.
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]).trim(),
        "chore(release): v1.3.0"
    );
    let changed = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    let mut changed: Vec<&str> = changed.lines().collect();
    changed.sort();
    assert_eq!(changed, ["CHANGELOG.md", "Cargo.toml", "VERSION"]);
    assert_eq!(repo.git(&["cat-file", "-t", "v1.3.0"]).trim(), "tag");
    assert_eq!(
        repo.git(&["rev-parse", "v1.3.0^{commit}"]).trim(),
        repo.head()
    );
    assert_eq!(
        repo.git(&["tag", "-l", "--format=%(contents:subject)", "v1.3.0"])
            .trim(),
        "v1.3.0"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let repo = released_project();
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n- notes by hand\n\n## [1.2.3] - 2026-01-01\n\n- First\n",
    );
    repo.commit("docs: changelog");
    repo.commit("feat!: drop the old API\n\nBREAKING CHANGE: `old()` is gone; call `new()`.");
    let refs = repo.refs();
    let index = repo.index();
    let files = ["VERSION", "Cargo.toml", "CHANGELOG.md"].map(|file| repo.read(file));

    let run = repo.relcut(&["release", "--dry-run"]).success();

    assert_eq!(repo.refs(), refs, "refs changed");
    assert_eq!(repo.index(), index, "the index changed");
    assert_eq!(
        ["VERSION", "Cargo.toml", "CHANGELOG.md"].map(|file| repo.read(file)),
        files
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(
        run.stderr.contains("Dry run: nothing was changed."),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!("dry_run_plan", scrub(&repo, &run.stdout));
}

#[test]
fn dry_run_json_is_one_document_with_the_plan() {
    let repo = released_project();
    repo.commit("fix: off by one");
    let run = repo.relcut(&["release", "--dry-run", "--json"]).success();
    let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(document["schema_version"], 1);
    assert_eq!(document["dry_run"], true);
    let plan = &document["plan"];
    assert_eq!(plan["current_version"], "1.2.3");
    assert_eq!(plan["next_version"], "1.2.4");
    assert_eq!(plan["tag"], "v1.2.4");
    assert_eq!(plan["previous_tag"], "v1.2.3");
    assert_eq!(plan["prerelease"], false);
    assert_eq!(plan["commits"]["level"], "patch");
    assert_eq!(plan["commits"]["commits"][0]["type"], "fix");
    let paths: Vec<&str> = plan["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["VERSION", "Cargo.toml", "CHANGELOG.md"]);
    assert!(plan["notes"].as_str().unwrap().contains("Off by one"));
    assert_eq!(plan["steps"][1]["step"], "commit");
    assert_eq!(plan["steps"][2]["name"], "v1.2.4");
}

#[test]
fn nothing_to_release_is_a_clear_message_and_its_own_exit_code() {
    let repo = released_project();
    repo.commit("chore: tidy");
    repo.commit("not conventional at all");
    let run = repo.relcut(&["release", "--yes"]).code(5);
    assert!(run.stderr.contains("nothing to release"), "{}", run.stderr);
    assert!(
        run.stderr.contains("1 is not a Conventional Commit"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--bump patch"), "{}", run.stderr);
    assert_eq!(repo.git(&["tag", "-l"]).trim(), "v1.2.3");

    // Naming the bump releases anyway.
    repo.relcut(&["release", "--yes", "--bump", "patch"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.2.4\n");
}

#[test]
fn every_failed_check_is_reported_at_once_and_nothing_is_written() {
    let repo = released_project();
    // The tag the release would make, already taken by a commit elsewhere.
    repo.git(&["switch", "-q", "-c", "elsewhere"]);
    repo.commit("feat: elsewhere");
    repo.tag("v1.3.0");
    repo.git(&["switch", "-q", "main"]);
    repo.write("notes.txt", "one\n");
    repo.commit("feat: more");
    repo.git(&["switch", "-q", "-c", "topic"]);
    repo.write("notes.txt", "two\n");
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(run.stderr.contains("3 problems"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the branch `topic` is not a release branch"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("uncommitted changes (`notes.txt`)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the tag `v1.3.0` already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert!(!repo.path().join("CHANGELOG.md").exists());
}

#[test]
fn allow_dirty_releases_without_committing_the_other_changes() {
    let repo = released_project();
    repo.write("notes.txt", "one\n");
    repo.commit("feat: notes");
    repo.write("notes.txt", "two\n");
    repo.relcut(&["release", "--yes", "--allow-dirty"])
        .success();
    assert_eq!(repo.git(&["status", "--porcelain"]).trim(), "M notes.txt");
    let changed = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(!changed.contains("notes.txt"), "{changed}");
}

#[test]
fn detached_head_is_refused() {
    let repo = released_project();
    repo.commit("fix: a");
    let head = repo.head();
    repo.git(&["checkout", "-q", &head]);
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(run.stderr.contains("HEAD is detached"), "{}", run.stderr);
}

#[test]
fn version_sources_that_disagree_are_listed() {
    let repo = released_project();
    repo.write("VERSION", "1.2.4\n");
    repo.commit("fix: a");
    let run = repo.relcut(&["release", "--yes"]).code(3);
    assert!(run.stderr.contains("disagree"), "{}", run.stderr);
    assert!(run.stderr.contains("VERSION line 1"), "{}", run.stderr);
    assert!(run.stderr.contains("Cargo.toml line 3"), "{}", run.stderr);
    assert!(run.stderr.contains("tag v1.2.3"), "{}", run.stderr);
}

#[test]
fn a_malformed_manifest_names_file_and_line_and_nothing_is_written() {
    let repo = released_project();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"1.2.3\n",
    );
    repo.commit("fix: a");
    let run = repo.relcut(&["release", "--yes"]).code(3);
    assert!(run.stderr.contains("Cargo.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert!(!repo.path().join("CHANGELOG.md").exists());
}

#[test]
fn prereleases_start_continue_switch_channel_and_promote() {
    let repo = released_project();
    repo.commit("feat: a");
    repo.relcut(&["release", "--yes", "--pre", "beta"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.3.0-beta.1\n");
    repo.commit("fix: b");
    repo.relcut(&["release", "--yes", "--pre", "beta"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.3.0-beta.2\n");
    repo.commit("fix: c");
    repo.relcut(&["release", "--yes", "--bump", "prerelease", "--pre", "rc"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.3.0-rc.1\n");
    repo.commit("fix: d");
    let run = repo
        .relcut(&["release", "--yes", "--bump", "prerelease", "--pre", "alpha"])
        .code(3);
    assert!(run.stderr.contains("alpha"), "{}", run.stderr);
    repo.relcut(&["release", "--yes", "--bump", "release"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    let tags = repo.git(&["tag", "-l", "--sort=v:refname"]);
    assert_eq!(
        tags.split_whitespace().collect::<Vec<_>>(),
        [
            "v1.2.3",
            "v1.3.0",
            "v1.3.0-beta.1",
            "v1.3.0-beta.2",
            "v1.3.0-rc.1"
        ]
    );
}

#[test]
fn auto_with_pre_keeps_a_base_that_covers_the_commits() {
    let repo = released_project();
    repo.commit("feat!: new world");
    repo.relcut(&["release", "--yes", "--pre", "rc"]).success();
    assert_eq!(repo.read("VERSION"), "2.0.0-rc.1\n");
    repo.commit("feat: more");
    repo.relcut(&["release", "--yes", "--pre", "rc"]).success();
    assert_eq!(repo.read("VERSION"), "2.0.0-rc.2\n");
}

#[test]
fn the_first_release_without_tag_or_version_file_is_0_1_0() {
    let repo = TestRepo::new();
    repo.commit("feat: start");
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(repo.git(&["tag", "-l"]).trim(), "v0.1.0");
    insta::assert_snapshot!("first_release_changelog", repo.read("CHANGELOG.md"));
}

#[test]
fn without_a_tag_the_version_file_is_the_current_version() {
    let repo = TestRepo::new();
    repo.write("VERSION", "0.4.0\n");
    repo.commit("feat: start");
    repo.commit("feat!: break things");
    let run = repo.relcut(&["release", "--dry-run"]).success();
    // Below 1.0.0 a breaking change bumps the minor version.
    assert!(
        run.stdout.contains("Next version:    0.5.0"),
        "{}",
        run.stdout
    );
    repo.relcut(&["release", "--yes", "--bump", "major"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.0.0\n");
}

#[test]
fn strict_mode_refuses_non_conventional_commits() {
    let repo = released_project();
    repo.commit("feat: ok");
    repo.commit("WIP stuff");
    let run = repo.relcut(&["release", "--yes", "--strict"]).code(4);
    assert!(
        run.stderr
            .contains("\"WIP stuff\" is not a Conventional Commit"),
        "{}",
        run.stderr
    );
    repo.write("relcut.toml", "[release]\nstrict = true\n");
    let run = repo.relcut(&["release", "--yes", "--allow-dirty"]).code(4);
    assert!(run.stderr.contains("WIP stuff"), "{}", run.stderr);
}

#[test]
fn tags_that_are_not_versions_or_not_reachable_are_ignored() {
    let repo = released_project();
    repo.git(&["switch", "-q", "-c", "side"]);
    repo.commit("feat: side work");
    repo.tag("v5.0.0");
    repo.git(&["switch", "-q", "main"]);
    repo.commit("fix: main work");
    repo.tag("latest");
    repo.tag("v1.2");
    let run = repo.relcut(&["next"]).success();
    assert_eq!(run.stdout, "1.2.4\n");
    // The same from packed refs (as in a fresh clone), annotated tags peeled from packed-refs.
    repo.git(&["pack-refs", "--all"]);
    assert!(!repo.path().join(".git/refs/tags/v1.2.3").exists());
    assert_eq!(repo.relcut(&["next"]).success().stdout, "1.2.4\n");
    let plan = repo
        .relcut(&["release", "--dry-run", "--json"])
        .success()
        .stdout;
    assert!(plan.contains("\"previous_tag\": \"v1.2.3\""), "{plan}");
}

#[test]
fn bare_version_tags_with_a_configured_pattern() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "[release]\ntag_pattern = \"{version}\"\ncommit_message = \"release {{version}}\"\n",
    );
    repo.write("VERSION", "2.0.0\n");
    repo.commit("feat: a");
    repo.tag("2.0.0");
    repo.commit("fix: b");
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(repo.git(&["tag", "-l", "2.0.1"]).trim(), "2.0.1");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]).trim(),
        "release 2.0.1"
    );
}

#[test]
fn no_terminal_and_no_yes_is_refused_without_changes() {
    let repo = released_project();
    repo.commit("fix: a");
    let run = repo.relcut(&["release"]).code(2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
}

#[test]
fn a_workspace_is_released_in_every_manifest_and_the_lockfile() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"0.3.1\" # shared\nedition = \"2021\"\n",
    );
    repo.write(
        "crates/core/Cargo.toml",
        "[package]\nname = \"demo-core\"\nversion.workspace = true\nedition.workspace = true\n",
    );
    repo.write(
        "crates/cli/Cargo.toml",
        "[package]\nname = \"demo-cli\"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\ndemo-core = { path = \"../core\", version = \"0.3.1\" }\nserde = \"0.3.1\"\n",
    );
    repo.write("crates/core/src/lib.rs", "");
    repo.write("crates/cli/src/lib.rs", "");
    repo.write(
        "Cargo.lock",
        "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = \"demo-cli\"\nversion = \"0.3.1\"\ndependencies = [\n \"demo-core\",\n]\n\n[[package]]\nname = \"demo-core\"\nversion = \"0.3.1\"\n",
    );
    repo.commit("feat: workspace");
    repo.tag("v0.3.1");
    repo.commit("fix(core): a bug");
    let run = repo.relcut(&["release", "--dry-run"]).success();
    insta::assert_snapshot!("workspace_plan", scrub(&repo, &run.stdout));
    repo.relcut(&["release", "--yes"]).success();
    assert!(
        repo.read("Cargo.toml")
            .contains("version = \"0.3.2\" # shared")
    );
    assert!(
        repo.read("crates/cli/Cargo.toml")
            .contains("version = \"0.3.2\" }")
    );
    assert!(
        repo.read("crates/cli/Cargo.toml")
            .contains("serde = \"0.3.1\"")
    );
    assert_eq!(
        repo.read("Cargo.lock")
            .matches("version = \"0.3.2\"")
            .count(),
        2
    );
}

#[test]
fn github_remotes_get_commit_and_compare_links() {
    let repo = released_project();
    repo.add_github_origin("acme", "demo");
    repo.commit("feat: linked");
    repo.relcut(&["release", "--yes", "--no-publish"]).success();
    let changelog = repo.read("CHANGELOG.md");
    assert!(
        changelog.contains("https://github.com/acme/demo/commit/"),
        "{changelog}"
    );
    assert!(
        changelog.contains("[1.3.0]: https://github.com/acme/demo/compare/v1.2.3...v1.3.0"),
        "{changelog}"
    );
}

#[test]
fn the_json_outcome_names_the_commit_and_the_tag() {
    let repo = released_project();
    repo.commit("perf: faster");
    let run = repo.relcut(&["release", "--yes", "--json"]).success();
    let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(document["dry_run"], false);
    assert_eq!(document["commit"], repo.head());
    assert_eq!(document["tag"], "v1.2.4");
    assert_eq!(document["plan"]["next_version"], "1.2.4");
    assert_eq!(document["problems"], serde_json::json!([]));
}

#[test]
fn a_failed_check_in_json_mode_is_one_document() {
    let repo = released_project();
    repo.commit("fix: a");
    repo.git(&["switch", "-q", "-c", "topic"]);
    let run = repo.relcut(&["release", "--dry-run", "--json"]).code(4);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(document["plan"]["next_version"], "1.2.4");
    assert!(
        document["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`topic`")
    );
    let run = repo.relcut(&["release", "--yes", "--json"]).code(4);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(document["error"]["kind"], "checks_failed");
    assert_eq!(document["error"]["exit_code"], 4);
}

#[test]
fn sign_makes_a_signed_tag_with_the_users_signing_configuration() {
    let repo = released_project();
    let key = repo.path().join("../signing-key");
    let status = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "author@example.com",
            "-f",
        ])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = repo.path().join("../allowed-signers");
    std::fs::write(&allowed, format!("author@example.com {public}")).unwrap();
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingkey", &key.display().to_string()]);
    repo.git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        &allowed.display().to_string(),
    ]);
    repo.commit("feat: signed");
    repo.relcut(&["release", "--yes", "--sign"]).success();
    let tag = repo.git(&["cat-file", "-p", "v1.3.0"]);
    assert!(tag.contains("-----BEGIN SSH SIGNATURE-----"), "{tag}");
    repo.git(&["tag", "-v", "v1.3.0"]);
}

#[test]
fn running_again_after_a_release_that_was_not_tagged_finishes_it() {
    let repo = released_project();
    repo.commit("feat: a");
    repo.relcut(&["release", "--yes"]).success();
    let release_commit = repo.head();
    // As if the run had stopped after the commit, before the tag.
    repo.git(&["tag", "-d", "v1.3.0"]);

    let run = repo.relcut(&["release", "--dry-run"]).success();
    assert!(
        run.stdout.contains("Next version:    1.3.0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("made by an earlier run"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Commit: chore(release): v1.3.0  (done by the earlier run)"),
        "{}",
        run.stdout
    );

    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(repo.head(), release_commit, "no second release commit");
    assert_eq!(
        repo.git(&["rev-parse", "v1.3.0^{commit}"]).trim(),
        release_commit
    );
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
}

#[test]
fn configured_files_detection_and_changelog_switches() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "detect = false\n\n[release]\nchangelog_file = false\ntag_message = \"Release {{tag}} after {{previous_tag}}\"\n\n[[files]]\npath = \"pkg/VERSION\"\n",
    );
    repo.write("pkg/VERSION", "3.1.0\n");
    // Not detected: detection is off, so this file is neither read nor written.
    repo.write("VERSION", "garbage that would not parse\n");
    repo.commit("feat: a");
    repo.tag("v3.1.0");
    repo.commit("fix: b");
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(repo.read("pkg/VERSION"), "3.1.1\n");
    assert_eq!(repo.read("VERSION"), "garbage that would not parse\n");
    assert!(!repo.path().join("CHANGELOG.md").exists());
    assert_eq!(
        repo.git(&["tag", "-l", "--format=%(contents:subject)", "v3.1.1"])
            .trim(),
        "Release v3.1.1 after v3.1.0"
    );
}

#[test]
fn a_configuration_mistake_names_the_file_and_line() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "[release]\nbranches = [\"main\"]\ntag_patern = \"v{version}\"\n",
    );
    repo.commit("feat: a");
    let run = repo.relcut(&["release", "--dry-run"]).code(3);
    assert!(run.stderr.contains("relcut.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    assert!(run.stderr.contains("tag_patern"), "{}", run.stderr);
    repo.write(
        "relcut.toml",
        "[release]\ncommit_message = \"release {{ versoin }}\"\n",
    );
    let run = repo
        .relcut(&["release", "--dry-run", "--allow-dirty"])
        .code(3);
    assert!(
        run.stderr.contains("unknown placeholder `{{versoin}}`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_hook_that_refuses_the_commit_leaves_the_work_tree_as_it_was() {
    let repo = released_project();
    repo.commit("feat: a");
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'lint failed: fix the README' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let head = repo.head();
    let run = repo.relcut(&["release", "--yes"]).code(1);
    assert!(
        run.stderr.contains("lint failed: fix the README"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("put back"), "{}", run.stderr);
    assert_eq!(repo.head(), head);
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert!(!repo.path().join("CHANGELOG.md").exists());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.git(&["tag", "-l"]).trim(), "v1.2.3");
}
