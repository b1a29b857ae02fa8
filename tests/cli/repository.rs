//! One repository as git sees it: `GIT_DIR` and `GIT_WORK_TREE`, files git ignores or does not
//! track or is told not to look at (sparse checkouts, skip-worktree), uncommitted edits inside
//! version files, shallow clones.

use crate::harness::TestRepo;

fn released_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.commit("feat: a feature");
    repo
}

#[test]
fn git_dir_and_work_tree_from_the_environment_name_the_repository_that_is_read_and_released() {
    let repo = released_project();
    // A second repository, at another version, as the directory relcut is started in.
    let other = repo.scratch().join("other");
    std::fs::create_dir(&other).unwrap();
    repo.git_in(&other, &["init", "-q", "-b", "main"]);
    std::fs::write(other.join("VERSION"), "7.0.0\n").unwrap();
    repo.git_in(&other, &["add", "VERSION"]);
    repo.git_in(&other, &["commit", "-q", "-m", "feat: other"]);
    repo.git_in(&other, &["tag", "v7.0.0"]);
    repo.git_in(
        &other,
        &["commit", "-q", "--allow-empty", "-m", "fix: other"],
    );
    let other_head = repo.git_in(&other, &["rev-parse", "HEAD"]);

    let git_dir = repo.path().join(".git");
    let git_dir = git_dir.to_str().unwrap();
    let work_tree = repo.path();
    let work_tree = work_tree.to_str().unwrap();
    let env = [("GIT_DIR", git_dir), ("GIT_WORK_TREE", work_tree)];
    let next = repo.relcut_in(&other, &["next"], &env).success();
    assert_eq!(next.stdout, "1.3.0\n");
    repo.relcut_in(&other, &["release", "--yes"], &env)
        .success();

    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert_eq!(
        repo.git(&["rev-parse", "v1.3.0^{commit}"]).trim(),
        repo.head()
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    // The directory relcut started in is untouched.
    assert_eq!(repo.git_in(&other, &["rev-parse", "HEAD"]), other_head);
    assert_eq!(
        std::fs::read_to_string(other.join("VERSION")).unwrap(),
        "7.0.0\n"
    );
    assert!(!other.join("CHANGELOG.md").exists());
    assert_eq!(repo.git_in(&other, &["tag", "-l"]).trim(), "v7.0.0");
}

#[test]
fn git_dir_alone_takes_the_current_directory_as_the_work_tree_as_git_does() {
    let repo = released_project();
    // A separate work tree: the files checked out elsewhere, the git directory kept apart.
    let checkout = repo.scratch().join("checkout");
    std::fs::create_dir(&checkout).unwrap();
    let git_dir = repo.path().join(".git");
    let git_dir = git_dir.to_str().unwrap();
    repo.git_in(
        &checkout,
        &[
            "--git-dir",
            git_dir,
            "--work-tree",
            ".",
            "checkout",
            "-q",
            "-f",
            "HEAD",
            "--",
            ".",
        ],
    );
    // The original work tree stays at 1.2.3 and is not the one released.
    let run = repo
        .relcut_in(&checkout, &["release", "--yes"], &[("GIT_DIR", git_dir)])
        .success();
    assert!(run.stdout.contains("Released 1.3.0"), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(checkout.join("VERSION")).unwrap(),
        "1.3.0\n"
    );
    assert!(checkout.join("CHANGELOG.md").exists());
    assert!(!repo.path().join("CHANGELOG.md").exists());
    assert_eq!(
        repo.git(&["show", "v1.3.0:VERSION"]).trim(),
        "1.3.0",
        "the release commit holds what was written"
    );
}

#[test]
fn a_detected_lockfile_that_git_ignores_is_left_alone_in_the_dry_run_and_the_release() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"1.2.3\"\nedition = \"2021\"\n",
    );
    repo.write(".gitignore", "Cargo.lock\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.write(
        "Cargo.lock",
        "version = 4\n\n[[package]]\nname = \"demo\"\nversion = \"1.2.3\"\n",
    );
    repo.write("UNTRACKED", "x");
    repo.commit("fix: a fix");
    repo.write("VERSION", "1.2.3\n"); // detected, not tracked

    let dry = repo.relcut(&["release", "--dry-run", "--json"]).success();
    let plan: serde_json::Value = serde_json::from_str(&dry.stdout).unwrap();
    let left_alone: Vec<(String, String)> = plan["plan"]["left_alone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            (
                file["path"].as_str().unwrap().to_string(),
                file["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        left_alone
            .iter()
            .any(|(path, reason)| path == "Cargo.lock" && reason.contains("ignored by git")),
        "{left_alone:?}"
    );
    assert!(
        left_alone
            .iter()
            .any(|(path, reason)| path == "VERSION" && reason.contains("not tracked")),
        "{left_alone:?}"
    );
    let written: Vec<&str> = plan["plan"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    assert_eq!(written, ["Cargo.toml", "CHANGELOG.md"]);

    repo.relcut(&["release", "--yes"]).success();
    assert!(repo.read("Cargo.toml").contains("version = \"1.2.4\""));
    assert!(repo.read("Cargo.lock").contains("version = \"1.2.3\""));
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
}

#[test]
fn a_configured_file_that_git_ignores_is_a_check_in_the_dry_run_too() {
    let repo = released_project();
    repo.write("relcut.toml", "[[files]]\npath = \"build/VERSION\"\n");
    repo.write(".gitignore", "build/\n");
    repo.commit("chore: configure");
    repo.write("build/VERSION", "1.2.3\n");
    for args in [&["release", "--dry-run"][..], &["release", "--yes"][..]] {
        let run = repo.relcut(args).code(4);
        assert!(
            run.stderr.contains("`build/VERSION` is ignored by git"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(repo.git(&["tag", "-l"]).trim(), "v1.2.3");
}

#[test]
fn allow_dirty_does_not_let_an_uncommitted_edit_inside_a_version_file_into_the_release() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"1.2.3\"\nedition = \"2021\"\n",
    );
    repo.write("notes.txt", "a\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.commit("fix: a fix");
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"1.2.3\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n",
    );
    repo.write("notes.txt", "b\n");
    let run = repo.relcut(&["release", "--yes", "--allow-dirty"]).code(4);
    assert!(
        run.stderr.contains("`Cargo.toml` has uncommitted changes"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.git(&["tag", "-l"]).trim(), "v1.2.3");
    // Uncommitted changes elsewhere are what `--allow-dirty` is for.
    repo.git(&["checkout", "--", "Cargo.toml"]);
    repo.relcut(&["release", "--yes", "--allow-dirty"])
        .success();
    assert_eq!(repo.read("notes.txt"), "b\n");
    assert_eq!(repo.git(&["status", "--porcelain"]).trim(), "M notes.txt");
}

/// A bare remote with a released history, and a one-commit-deep clone of it.
fn shallow_clone() -> (TestRepo, std::path::PathBuf) {
    let repo = released_project();
    repo.commit("feat: another feature");
    let bare = repo.scratch().join("remote.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    let clone = repo.scratch().join("shallow");
    repo.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &format!("file://{}", bare.display()),
        clone.to_str().unwrap(),
    ]);
    (repo, clone)
}

#[test]
fn a_shallow_clone_stops_with_the_fix_instead_of_a_wrong_version() {
    let (repo, clone) = shallow_clone();
    for args in [&["next"][..], &["release", "--dry-run"][..]] {
        let run = repo.relcut_in(&clone, args, &[]).code(4);
        assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
        assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
        assert!(
            run.stderr.contains("git fetch --unshallow --tags origin"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn in_ci_a_shallow_clone_is_fetched_and_the_version_is_the_full_historys() {
    let (repo, clone) = shallow_clone();
    let run = repo
        .relcut_in(&clone, &["next"], &[("CI", "true")])
        .success();
    assert_eq!(run.stdout, "1.3.0\n", "{}", run.stderr);
    assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
    assert!(!clone.join(".git/shallow").exists());
    // `fetch = false` turns it off, in CI too.
    let (repo, clone) = shallow_clone();
    std::fs::write(clone.join("relcut.toml"), "[release]\nfetch = false\n").unwrap();
    let run = repo.relcut_in(&clone, &["next"], &[("CI", "true")]).code(4);
    assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
}

/// A release's commit holds the released files and nothing else, and git calls the tree clean.
#[track_caller]
fn assert_released_cleanly(repo: &TestRepo, run: crate::harness::Run) {
    let run = run.success();
    assert!(
        run.stdout.contains("Released 1.3.0 (v1.3.0)"),
        "{}",
        run.stdout
    );
    let changed = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    let mut changed: Vec<&str> = changed.lines().collect();
    changed.sort();
    assert_eq!(changed, ["CHANGELOG.md", "VERSION"]);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_sparse_checkout_is_clean_and_releases_without_touching_the_files_outside_it() {
    let repo = released_project();
    repo.write("app/main.txt", "main\n");
    repo.write("docs/guide.md", "guide\n");
    repo.write("docs/api/index.md", "api\n");
    repo.commit("docs: a guide");
    repo.git(&["sparse-checkout", "set", "--cone", "app"]);
    assert!(!repo.path().join("docs").exists());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    assert_released_cleanly(&repo, repo.relcut(&["release", "--yes"]));
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    // The files outside the checkout are still in the release commit, as they were.
    let tree = repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(tree.contains("docs/guide.md"), "{tree}");
    assert!(tree.contains("docs/api/index.md"), "{tree}");
    assert!(!repo.path().join("docs").exists());

    // A real edit inside the checkout still stops the next release.
    repo.commit("fix: a fix");
    repo.write("app/main.txt", "edited\n");
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(
        run.stderr.contains("uncommitted changes (`app/main.txt`)"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_git_is_told_not_to_look_at_are_clean_and_release() {
    let repo = released_project();
    repo.write("local.cfg", "committed\n");
    repo.write("generated.txt", "committed\n");
    repo.write("gone.txt", "committed\n");
    repo.write("notes.txt", "committed\n");
    repo.commit("chore: files");
    repo.git(&["update-index", "--skip-worktree", "local.cfg", "gone.txt"]);
    repo.git(&["update-index", "--assume-unchanged", "generated.txt"]);
    repo.write("local.cfg", "edited locally\n");
    repo.write("generated.txt", "regenerated\n");
    std::fs::remove_file(repo.path().join("gone.txt")).unwrap();
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    assert_released_cleanly(&repo, repo.relcut(&["release", "--yes"]));
    // The local edits stay local: neither committed nor put back.
    assert_eq!(repo.read("local.cfg"), "edited locally\n");
    assert_eq!(repo.read("generated.txt"), "regenerated\n");
    assert_eq!(
        repo.git(&["show", "HEAD:local.cfg", "HEAD:generated.txt"]),
        "committed\ncommitted\n"
    );

    // A file git does look at still stops the release, and so does a staged change to a
    // skip-worktree file, which git status shows too.
    repo.commit("fix: a fix");
    repo.write("notes.txt", "edited\n");
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(
        run.stderr.contains("uncommitted changes (`notes.txt`)"),
        "{}",
        run.stderr
    );
    repo.git(&["checkout", "notes.txt"]);
    let blob = repo.git(&["hash-object", "-w", "local.cfg"]);
    let cacheinfo = format!("100644,{},local.cfg", blob.trim());
    repo.git(&["update-index", "--cacheinfo", &cacheinfo]);
    repo.git(&["update-index", "--skip-worktree", "local.cfg"]);
    assert_eq!(repo.git(&["status", "--porcelain"]), "M  local.cfg\n");
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(
        run.stderr.contains("uncommitted changes (`local.cfg`)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sparse_index_which_libgit2_cannot_read_is_read_with_git_status() {
    let repo = released_project();
    repo.write("app/main.txt", "main\n");
    repo.write("docs/guide.md", "guide\n");
    repo.commit("docs: a guide");
    repo.git(&["sparse-checkout", "set", "--cone", "--sparse-index", "app"]);
    assert!(repo.git(&["ls-files", "--sparse"]).contains("docs/\n"));
    repo.write("app/main.txt", "edited\n");
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(
        run.stderr.contains("uncommitted changes (`app/main.txt`)"),
        "{}",
        run.stderr
    );
    repo.git(&["checkout", "app/main.txt"]);

    assert_released_cleanly(&repo, repo.relcut(&["release", "--yes"]));
    let tree = repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(tree.contains("docs/guide.md"), "{tree}");
}

/// Deletes the loose object file of `id` from the store of `repo`.
fn delete_loose_object(repo: &TestRepo, id: &str) {
    // Every object of a repository built commit by commit is loose until a `git gc`.
    let counts = repo.git(&["count-objects", "-v"]);
    assert!(counts.contains("in-pack: 0"), "{counts}");
    let file = repo
        .path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..]);
    std::fs::remove_file(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
}

#[test]
fn an_object_missing_from_the_store_stops_the_release_before_anything_is_written() {
    let repo = released_project();
    // Beside VERSION: `git commit` re-reads the directory the release changes, and stops with
    // "invalid object" on it.
    repo.write("README.md", "a readme nobody else wrote\n");
    repo.commit("docs: a readme");
    let blob = repo.git(&["rev-parse", "HEAD:README.md"]);
    let blob = blob.trim();
    delete_loose_object(&repo, blob);
    let refs = repo.refs();

    let run = repo.relcut(&["release", "--yes"]).code(4);
    for phrase in [
        &format!("the object store lacks the blob {blob} of `README.md` at HEAD"),
        "git fetch --refetch",
        "a fresh full clone",
    ] {
        assert!(
            run.stderr.contains(phrase),
            "{phrase:?} not in {}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("invalid object"), "{}", run.stderr);
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert!(!repo.path().join("CHANGELOG.md").exists());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.refs(), refs);
    // The dry run names it too.
    let run = repo.relcut(&["release", "--dry-run"]).code(4);
    assert!(run.stderr.contains(blob), "{}", run.stderr);
}

#[test]
fn in_a_partial_clone_a_blob_outside_the_sparse_checkout_may_be_missing() {
    let repo = released_project();
    repo.write("app/main.txt", "main\n");
    repo.write("docs/guide.md", "a guide fetched on demand\n");
    repo.commit("docs: a guide");
    repo.git(&["sparse-checkout", "set", "--cone", "app"]);
    let blob = repo.git(&["rev-parse", "HEAD:docs/guide.md"]);
    delete_loose_object(&repo, blob.trim());
    // A promisor remote would supply it when git needs it, which a release commit does not.
    let promisor = repo.scratch().join("promisor.git");
    repo.git(&["init", "-q", "--bare", promisor.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", promisor.to_str().unwrap()]);
    repo.git(&["config", "remote.origin.promisor", "true"]);
    repo.git(&["config", "extensions.partialClone", "origin"]);

    assert_released_cleanly(&repo, repo.relcut(&["release", "--yes", "--no-push"]));
    // A missing file that is checked out is still a problem.
    repo.commit("fix: a fix");
    let blob = repo.git(&["rev-parse", "HEAD:app/main.txt"]);
    delete_loose_object(&repo, blob.trim());
    let run = repo.relcut(&["release", "--yes", "--no-push"]).code(4);
    assert!(
        run.stderr
            .contains(&format!("{} of `app/main.txt`", blob.trim())),
        "{}",
        run.stderr
    );
}

#[test]
fn a_commit_missing_from_the_history_since_the_last_release_stops_the_release_with_the_fix() {
    let repo = released_project();
    repo.write("notes.txt", "a\n");
    repo.commit("fix: a fix");
    let commit = repo.git(&["rev-parse", "HEAD~1"]);
    let commit = commit.trim();
    delete_loose_object(&repo, commit);
    let refs = repo.refs();
    for args in [&["release", "--yes"][..], &["next"][..]] {
        let run = repo.relcut(args).code(4);
        for phrase in [
            &format!("the object store lacks the commit {commit}"),
            "git fetch --refetch",
            "a fresh full clone",
        ] {
            assert!(
                run.stderr.contains(phrase),
                "{args:?}: {phrase:?} not in {}",
                run.stderr
            );
        }
    }
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.refs(), refs);
}
