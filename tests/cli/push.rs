//! Pushing a release: the release commit and the tag in one atomic push to a real bare remote,
//! the checks against the remote before any effect, a refused push undone locally, and a push
//! an earlier run did not complete finished by the next.

use std::path::{Path, PathBuf};

use crate::harness::TestRepo;

/// A project at 1.2.3 with a feature since, on `main`, tracking `origin/main` in a bare remote
/// that is up to date with it.
fn tracked_project() -> (TestRepo, PathBuf) {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.write("src.txt", "parse");
    repo.commit("feat(parser): accept tabs");
    let bare = repo.add_github_origin("acme", "demo");
    repo.git(&["push", "-q", "-u", "origin", "main", "refs/tags/v1.2.3"]);
    (repo, bare)
}

/// Every ref of the bare remote with its target.
fn remote_refs(repo: &TestRepo, bare: &Path) -> String {
    repo.git_in(bare, &["for-each-ref", "--format=%(refname) %(objectname)"])
}

fn remote_ref(repo: &TestRepo, bare: &Path, name: &str) -> Option<String> {
    remote_refs(repo, bare).lines().find_map(|line| {
        let (refname, id) = line.split_once(' ')?;
        (refname == name).then(|| id.to_string())
    })
}

/// A second clone of the remote, for commits and tags made "elsewhere".
fn other_clone(repo: &TestRepo, bare: &Path) -> PathBuf {
    let clone = repo.scratch().join("other");
    repo.git_in(
        &repo.scratch(),
        &[
            "clone",
            "-q",
            bare.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    clone
}

/// Writes an executable hook.
fn hook(git_dir: &Path, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = git_dir.join("hooks").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn release_commits(repo: &TestRepo) -> usize {
    repo.git(&["log", "--format=%s"])
        .lines()
        .filter(|subject| subject.starts_with("chore(release)"))
        .count()
}

fn statuses(stdout: &str) -> Vec<(String, String)> {
    let outcome: serde_json::Value = serde_json::from_str(stdout).unwrap();
    outcome["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            (
                step["step"].as_str().unwrap().to_string(),
                step["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// What a refused push must leave: no local tag, HEAD back where it was, the files as before.
#[track_caller]
fn assert_release_undone(repo: &TestRepo, head_before: &str) {
    assert_eq!(repo.head(), head_before, "the release commit is dropped");
    assert_eq!(
        repo.git(&["tag", "--list", "v1.3.0"]),
        "",
        "the tag is deleted"
    );
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert!(!repo.path().join("CHANGELOG.md").exists());
    assert_eq!(release_commits(repo), 0);
}

#[test]
fn push_a_stable_release_pushes_branch_and_tag_in_one_push() {
    let (repo, bare) = tracked_project();
    // The remote logs each push it receives: one line per ref, `---` after each push.
    let log = repo.scratch().join("received.log");
    hook(
        &bare,
        "pre-receive",
        &format!("cat >> '{0}'; echo --- >> '{0}'", log.display()),
    );

    let run = repo.relcut(&["release", "--no-publish", "--yes"]).success();
    assert!(
        run.stdout.contains("Pushed main and v1.3.0 to `origin`."),
        "{}",
        run.stdout
    );
    assert_eq!(
        remote_ref(&repo, &bare, "refs/heads/main").as_deref(),
        Some(repo.head().as_str())
    );
    // The annotated tag itself, not only its commit.
    let tag_object = repo.git(&["rev-parse", "refs/tags/v1.3.0"]);
    assert_eq!(
        remote_ref(&repo, &bare, "refs/tags/v1.3.0").as_deref(),
        Some(tag_object.trim())
    );
    assert_eq!(
        repo.git_in(&bare, &["cat-file", "-t", "v1.3.0"]).trim(),
        "tag"
    );
    let received = std::fs::read_to_string(&log).unwrap();
    assert_eq!(received.matches("---").count(), 1, "{received}");
    assert!(received.contains(" refs/heads/main\n"), "{received}");
    assert!(received.contains(" refs/tags/v1.3.0\n"), "{received}");
}

#[test]
fn push_goes_to_the_upstream_branch_even_under_another_name() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first version");
    let bare = repo.add_github_origin("acme", "demo");
    repo.git(&["push", "-q", "-u", "origin", "main:trunk"]);
    repo.commit("fix: a bug");

    repo.relcut(&["release", "--no-publish", "--yes"]).success();
    assert_eq!(
        remote_ref(&repo, &bare, "refs/heads/trunk").as_deref(),
        Some(repo.head().as_str())
    );
    assert_eq!(remote_ref(&repo, &bare, "refs/heads/main"), None);
    assert!(remote_ref(&repo, &bare, "refs/tags/v1.3.0").is_some());
}

#[test]
fn push_a_configured_remote_gets_the_branch_of_the_same_name() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.write("relcut.toml", "[release]\nremote = \"mirror\"\n");
    repo.commit("feat: first version");
    let bare = repo.scratch().join("mirror.git");
    repo.git_in(
        &repo.scratch(),
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    );
    repo.git(&["remote", "add", "mirror", bare.to_str().unwrap()]);

    // No upstream: the setting alone decides, and a remote without the branch gets it.
    repo.relcut(&["release", "--no-publish", "--yes", "--bump", "1.3.0"])
        .success();
    assert_eq!(
        remote_ref(&repo, &bare, "refs/heads/main").as_deref(),
        Some(repo.head().as_str())
    );
    assert!(remote_ref(&repo, &bare, "refs/tags/v1.3.0").is_some());
}

#[test]
fn push_a_configured_remote_that_does_not_exist_is_a_config_error() {
    let (repo, bare) = tracked_project();
    repo.write("relcut.toml", "[release]\nremote = \"upstream\"\n");
    repo.commit("chore: configure");
    let refs = repo.refs();
    let remote = remote_refs(&repo, &bare);
    for args in [
        &["release", "--no-publish", "--yes"][..],
        &["release", "--no-publish", "--yes", "--no-push"][..],
    ] {
        let run = repo.relcut(args).code(3);
        assert!(
            run.stderr.contains("`relcut.toml` line 2"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("`release.remote` = \"upstream\" names no remote"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("its remotes are `origin`"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(repo.refs(), refs);
    assert_eq!(remote_refs(&repo, &bare), remote);
}

#[test]
fn push_no_push_keeps_the_release_local_and_reads_no_remote() {
    let (repo, bare) = tracked_project();
    let remote = remote_refs(&repo, &bare);
    // An unreachable remote: reading it would fail the checks.
    repo.git(&[
        "remote",
        "set-url",
        "origin",
        "http://x-access-token:SECRET@127.0.0.1:1/o/r.git",
    ]);
    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--no-push", "--json"])
        .success();
    assert_eq!(
        statuses(&run.stdout),
        pairs(&[("write_files", "done"), ("commit", "done"), ("tag", "done")])
    );
    assert!(repo.git(&["tag", "--list", "v1.3.0"]).contains("v1.3.0"));
    assert_eq!(remote_refs(&repo, &bare), remote);
}

#[test]
fn push_without_a_remote_the_release_stays_local() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.commit("feat: more");
    let dry = repo
        .relcut(&["release", "--no-publish", "--dry-run"])
        .success();
    assert!(!dry.stdout.contains("Push:"), "{}", dry.stdout);
    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--json"])
        .success();
    assert_eq!(
        statuses(&run.stdout),
        pairs(&[("write_files", "done"), ("commit", "done"), ("tag", "done")])
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn push_a_branch_behind_its_upstream_is_refused_before_any_effect() {
    let (repo, bare) = tracked_project();
    let other = other_clone(&repo, &bare);
    std::fs::write(other.join("other.txt"), "x").unwrap();
    repo.git_in(&other, &["add", "-A"]);
    repo.git_in(&other, &["commit", "-q", "-m", "fix: elsewhere"]);
    repo.git_in(&other, &["push", "-q", "origin", "main"]);
    let theirs = repo
        .git_in(&other, &["rev-parse", "HEAD"])
        .trim()
        .to_string();
    let ours = repo.head();

    let refs = repo.refs();
    let index = repo.index();
    let remote = remote_refs(&repo, &bare);
    for args in [
        &["release", "--no-publish", "--yes"][..],
        &["release", "--no-publish", "--dry-run"][..],
    ] {
        let run = repo.relcut(args).code(4);
        assert!(
            run.stderr
                .contains(&format!("`origin/main` is at {}", &theirs[..7])),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("HEAD ({})", &ours[..7])),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("git pull --rebase"), "{}", run.stderr);
        assert_eq!(repo.refs(), refs, "{args:?}");
        assert_eq!(repo.index(), index, "{args:?}");
        assert_eq!(repo.read("VERSION"), "1.2.3\n");
        assert!(!repo.path().join("CHANGELOG.md").exists());
        assert!(!repo.path().join(".git/FETCH_HEAD").exists());
        assert_eq!(remote_refs(&repo, &bare), remote);
    }
}

#[test]
fn push_a_tag_on_the_remote_at_another_commit_is_refused_before_any_effect() {
    let (repo, bare) = tracked_project();
    // Another clone tags a commit of its own v1.3.0 and pushes the tag only.
    let other = other_clone(&repo, &bare);
    repo.git_in(&other, &["switch", "-q", "-c", "side"]);
    repo.git_in(
        &other,
        &["commit", "-q", "--allow-empty", "-m", "feat: side"],
    );
    repo.git_in(&other, &["tag", "v1.3.0"]);
    repo.git_in(&other, &["push", "-q", "origin", "refs/tags/v1.3.0"]);
    let theirs = repo
        .git_in(&other, &["rev-parse", "HEAD"])
        .trim()
        .to_string();

    let refs = repo.refs();
    let remote = remote_refs(&repo, &bare);
    let run = repo.relcut(&["release", "--no-publish", "--yes"]).code(4);
    assert!(
        run.stderr.contains(&format!(
            "the tag `v1.3.0` already exists on `origin` and points at {}",
            &theirs[..7]
        )),
        "{}",
        run.stderr
    );
    assert_eq!(repo.refs(), refs);
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert_eq!(remote_refs(&repo, &bare), remote);
}

#[test]
fn push_a_release_tag_only_the_remote_has_counts_when_the_version_is_decided() {
    let (repo, bare) = tracked_project();
    // v1.3.0 was cut elsewhere on the commit HEAD is at; this clone never fetched it.
    let other = other_clone(&repo, &bare);
    repo.git_in(&other, &["tag", "-a", "v1.3.0", "-m", "v1.3.0"]);
    repo.git_in(&other, &["push", "-q", "origin", "refs/tags/v1.3.0"]);
    repo.write("VERSION", "1.3.0\n");
    repo.commit("fix: after 1.3.0");

    let dry = repo.relcut(&["release", "--no-publish", "--dry-run"]);
    assert!(
        dry.stdout.contains("Next version:    1.3.1"),
        "{}",
        dry.stdout
    );
    // Read in memory: no local tag was made.
    assert_eq!(repo.git(&["tag", "--list", "v1.3.0"]), "");
}

#[test]
fn push_a_pre_push_hook_that_moves_the_remote_undoes_the_local_release() {
    let (repo, bare) = tracked_project();
    // A commit ready on the remote; the hook moves `main` to it while relcut pushes, as another
    // release or a merge would between the checks and the push.
    let other = other_clone(&repo, &bare);
    std::fs::write(other.join("other.txt"), "x").unwrap();
    repo.git_in(&other, &["add", "-A"]);
    repo.git_in(&other, &["commit", "-q", "-m", "fix: meanwhile"]);
    repo.git_in(
        &other,
        &["push", "-q", "origin", "HEAD:refs/heads/incoming"],
    );
    hook(
        &repo.path().join(".git"),
        "pre-push",
        &format!(
            "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ngit --git-dir='{}' update-ref refs/heads/main refs/heads/incoming",
            bare.display()
        ),
    );
    // An unrelated local change, which undoing the release keeps.
    repo.write("src.txt", "parse, locally edited");
    let head_before = repo.head();

    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--allow-dirty"])
        .code(8);
    assert!(
        run.stderr.contains("`origin` refused the push of v1.3.0"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("local release was undone"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("git pull --rebase"), "{}", run.stderr);
    assert_release_undone(&repo, &head_before);
    assert_eq!(repo.read("src.txt"), "parse, locally edited");
    assert_eq!(repo.git(&["status", "--porcelain"]).trim(), "M src.txt");
    assert_eq!(remote_ref(&repo, &bare, "refs/tags/v1.3.0"), None);

    // After `git pull --rebase` the release is made again on top, and pushed once.
    std::fs::remove_file(repo.path().join(".git/hooks/pre-push")).unwrap();
    repo.git(&["checkout", "--", "src.txt"]);
    repo.git(&["pull", "-q", "--rebase"]);
    repo.relcut(&["release", "--no-publish", "--yes"]).success();
    assert_eq!(
        remote_ref(&repo, &bare, "refs/heads/main").as_deref(),
        Some(repo.head().as_str())
    );
    let remote_tags = repo.git_in(&bare, &["tag", "--list"]);
    assert_eq!(remote_tags, "v1.2.3\nv1.3.0\n");
    assert_eq!(release_commits(&repo), 1);
    assert_eq!(
        repo.git(&["rev-parse", "v1.3.0^{commit}"]).trim(),
        repo.head()
    );
}

#[test]
fn push_a_pre_push_hook_that_refuses_undoes_the_local_release() {
    let (repo, bare) = tracked_project();
    hook(
        &repo.path().join(".git"),
        "pre-push",
        "echo 'not on a Friday' >&2; exit 1",
    );
    let head_before = repo.head();
    let remote = remote_refs(&repo, &bare);

    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--json"])
        .code(8);
    assert!(run.stderr.contains("not on a Friday"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("The remote refused the push, so nothing was pushed"),
        "{}",
        run.stderr
    );
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["error"]["kind"], "push_refused", "{}", run.stdout);
    assert_eq!(document["error"]["exit_code"], 8);
    assert_eq!(
        document["error"]["undone"],
        serde_json::json!(["commit", "tag"])
    );
    assert!(
        document["error"]["message"]
            .as_str()
            .unwrap()
            .contains("git pull --rebase")
    );
    assert_release_undone(&repo, &head_before);
    assert_eq!(remote_refs(&repo, &bare), remote);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn push_a_refusal_for_a_workflow_file_names_the_permission() {
    let (repo, bare) = tracked_project();
    // What GitHub says to a token without the permission.
    hook(
        &bare,
        "pre-receive",
        "echo 'refusing to allow a Personal Access Token to create or update workflow `.github/workflows/ci.yml` without `workflow` scope' >&2; exit 1",
    );
    let head_before = repo.head();
    let run = repo.relcut(&["release", "--no-publish", "--yes"]).code(8);
    assert!(
        run.stderr.contains("`.github/workflows/`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`workflows` permission"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`workflow` scope"), "{}", run.stderr);
    assert_release_undone(&repo, &head_before);
}

#[test]
fn push_a_fault_after_the_tag_is_finished_by_pushing_without_a_second_commit_or_tag() {
    let (repo, bare) = tracked_project();
    let failed = repo.relcut_with(
        &["release", "--no-publish", "--yes"],
        &[("RELCUT_TEST_FAIL_AFTER", "tag")],
    );
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("Not done: push"),
        "{}",
        failed.stderr
    );
    assert_eq!(remote_ref(&repo, &bare, "refs/tags/v1.3.0"), None);
    let release_commit = repo.head();
    let tag_object = repo.git(&["rev-parse", "refs/tags/v1.3.0"]);

    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--json"])
        .success();
    assert_eq!(
        statuses(&run.stdout),
        pairs(&[
            ("write_files", "already_done"),
            ("commit", "already_done"),
            ("tag", "already_done"),
            ("push", "done"),
        ])
    );
    assert_eq!(repo.head(), release_commit);
    assert_eq!(release_commits(&repo), 1);
    assert_eq!(repo.git(&["rev-parse", "refs/tags/v1.3.0"]), tag_object);
    assert_eq!(
        remote_ref(&repo, &bare, "refs/tags/v1.3.0").as_deref(),
        Some(tag_object.trim())
    );
    assert_eq!(
        remote_ref(&repo, &bare, "refs/heads/main").as_deref(),
        Some(release_commit.as_str())
    );
}

#[test]
fn push_a_release_without_files_tagged_by_an_earlier_run_is_pushed_not_nothing_to_release() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "detect = false\n[release]\nchangelog_file = false\n",
    );
    repo.commit("feat: first version");
    repo.tag_annotated("v1.0.0", "v1.0.0");
    repo.commit("feat: more");
    let bare = repo.add_github_origin("acme", "demo");
    repo.git(&["push", "-q", "-u", "origin", "main", "refs/tags/v1.0.0"]);

    let failed = repo.relcut_with(
        &["release", "--no-publish", "--yes"],
        &[("RELCUT_TEST_FAIL_AFTER", "tag")],
    );
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    let dry = repo
        .relcut(&["release", "--no-publish", "--dry-run"])
        .success();
    assert!(dry.stdout.contains("did not complete"), "{}", dry.stdout);
    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--json"])
        .success();
    assert_eq!(
        statuses(&run.stdout),
        pairs(&[("tag", "already_done"), ("push", "done")])
    );
    assert!(remote_ref(&repo, &bare, "refs/tags/v1.1.0").is_some());
    // Pushed whole: nothing left, as before there was a push.
    repo.relcut(&["release", "--no-publish", "--yes"]).code(5);
}

#[test]
fn push_a_fault_after_the_push_then_a_rerun_says_it_is_done() {
    let (repo, bare) = tracked_project();
    let failed = repo.relcut_with(
        &["release", "--no-publish", "--yes"],
        &[("RELCUT_TEST_FAIL_AFTER", "push")],
    );
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    assert!(remote_ref(&repo, &bare, "refs/tags/v1.3.0").is_some());
    let remote = remote_refs(&repo, &bare);

    let run = repo.relcut(&["release", "--no-publish", "--yes"]).success();
    assert!(
        run.stdout.contains("v1.3.0 was already released"),
        "{}",
        run.stdout
    );
    assert_eq!(remote_refs(&repo, &bare), remote);
    assert_eq!(release_commits(&repo), 1);

    // The remote moved on since: the release is still whole there.
    let other = other_clone(&repo, &bare);
    repo.git_in(
        &other,
        &["commit", "-q", "--allow-empty", "-m", "fix: later"],
    );
    repo.git_in(&other, &["push", "-q", "origin", "main"]);
    let refs = repo.refs();
    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--json"])
        .success();
    assert_eq!(
        statuses(&run.stdout),
        pairs(&[
            ("write_files", "already_done"),
            ("commit", "already_done"),
            ("tag", "already_done"),
            ("push", "already_done"),
        ])
    );
    // Its commits were fetched to see that, and no ref was written.
    assert_eq!(repo.refs(), refs);
    assert!(!repo.path().join(".git/FETCH_HEAD").exists());
}

#[test]
fn push_the_dry_run_shows_the_push_and_changes_nothing() {
    let (repo, bare) = tracked_project();
    let refs = repo.refs();
    let index = repo.index();
    let remote = remote_refs(&repo, &bare);

    let dry = repo
        .relcut(&["release", "--no-publish", "--dry-run"])
        .success();
    assert!(
        dry.stdout
            .contains("Push:   to `origin`, atomically: HEAD:refs/heads/main refs/tags/v1.3.0"),
        "{}",
        dry.stdout
    );
    let json = repo
        .relcut(&["release", "--no-publish", "--dry-run", "--json"])
        .success();
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let push = document["plan"]["steps"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        push,
        serde_json::json!({
            "step": "push",
            "remote": "origin",
            "branch": "main",
            "tag": "v1.3.0",
            "refspecs": ["HEAD:refs/heads/main", "refs/tags/v1.3.0"],
        })
    );
    assert_eq!(repo.refs(), refs);
    assert_eq!(repo.index(), index);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(!repo.path().join(".git/FETCH_HEAD").exists());
    assert_eq!(remote_refs(&repo, &bare), remote);
}

#[test]
fn push_credentials_in_the_remote_url_never_appear_in_any_output() {
    let (repo, _bare) = tracked_project();
    // Port 1 on this machine: refused at once, nothing leaves it.
    repo.git(&[
        "remote",
        "set-url",
        "origin",
        "http://x-access-token:SECRET@127.0.0.1:1/o/r.git",
    ]);
    let refs = repo.refs();
    for args in [
        &["release", "--no-publish", "--yes"][..],
        &["release", "--no-publish", "--dry-run"][..],
        &["release", "--no-publish", "--dry-run", "--json"][..],
        &["release", "--no-publish", "--yes", "--json"][..],
    ] {
        let run = repo.relcut(args).code(4);
        assert!(
            run.stderr.contains("cannot read the remote `origin`"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("--no-push"), "{}", run.stderr);
        assert!(!run.stderr.contains("SECRET"), "{args:?}: {}", run.stderr);
        assert!(!run.stdout.contains("SECRET"), "{args:?}: {}", run.stdout);
    }
    assert_eq!(repo.refs(), refs);
}

#[test]
fn push_a_refused_release_without_files_takes_back_only_its_tag() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "detect = false\n[release]\nchangelog_file = false\n",
    );
    repo.commit("feat: first version");
    repo.tag_annotated("v1.0.0", "v1.0.0");
    repo.commit("feat: more");
    repo.add_github_origin("acme", "demo");
    repo.git(&["push", "-q", "-u", "origin", "main", "refs/tags/v1.0.0"]);
    hook(&repo.path().join(".git"), "pre-push", "exit 1");
    let head = repo.head();

    let run = repo
        .relcut(&["release", "--no-publish", "--yes", "--json"])
        .code(8);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["error"]["undone"], serde_json::json!(["tag"]));
    assert_eq!(repo.head(), head);
    assert_eq!(repo.git(&["tag", "--list", "v1.1.0"]), "");
}

#[test]
fn push_two_clones_releasing_at_once_the_loser_releases_the_next_version_after_a_rebase() {
    let (repo, bare) = tracked_project();
    let other = other_clone(&repo, &bare);
    // This clone has a fix of its own; the other releases the feature both have, during this
    // clone's push, so the remote moves between this release's checks and its push.
    repo.write("fix.txt", "fixed");
    repo.commit("fix(parser): a fix of this clone");
    hook(
        &repo.path().join(".git"),
        "pre-push",
        &format!(
            "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ncd '{}' && '{}' release --no-publish --yes >/dev/null 2>&1",
            other.display(),
            env!("CARGO_BIN_EXE_relcut")
        ),
    );
    let head_before = repo.head();
    let run = repo.relcut(&["release", "--no-publish", "--yes"]).code(8);
    assert!(
        run.stderr.contains("local release was undone"),
        "{}",
        run.stderr
    );
    assert_release_undone(&repo, &head_before);
    // The winner's release is on the remote, whole.
    assert_eq!(repo.git_in(&bare, &["tag", "--list"]), "v1.2.3\nv1.3.0\n");
    assert_eq!(
        remote_ref(&repo, &bare, "refs/heads/main"),
        Some(
            repo.git_in(&other, &["rev-parse", "HEAD"])
                .trim()
                .to_string()
        )
    );

    std::fs::remove_file(repo.path().join(".git/hooks/pre-push")).unwrap();
    repo.git(&["pull", "-q", "--rebase"]);
    let run = repo.relcut(&["release", "--no-publish", "--yes"]).success();
    assert!(run.stdout.contains("1.3.1"), "{}", run.stdout);
    assert_eq!(
        repo.git_in(&bare, &["tag", "--list"]),
        "v1.2.3\nv1.3.0\nv1.3.1\n"
    );
    assert_eq!(repo.read("VERSION"), "1.3.1\n");
    assert_eq!(release_commits(&repo), 2, "the winner's and this one's");
    assert!(repo.read("CHANGELOG.md").contains("A fix of this clone"));
}
