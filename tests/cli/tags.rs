//! Release tags as git stores them: loose or packed refs, tags of objects that are not commits,
//! tags on other branches, and tag patterns that cannot name a ref.

use crate::harness::TestRepo;

/// How the tags' refs are stored when relcut reads them.
#[derive(Debug, Clone, Copy)]
enum Storage {
    /// One file per tag under `.git/refs/tags/`.
    Loose,
    /// `git pack-refs --all`, as in every fresh clone: `packed-refs` records peeled values.
    Packed,
    /// A symbolic ref among the tags, which relcut's own ref reader leaves to libgit2.
    LibgitListing,
}

const STORAGES: [Storage; 3] = [Storage::Loose, Storage::Packed, Storage::LibgitListing];

fn store(repo: &TestRepo, storage: Storage) {
    match storage {
        Storage::Loose => {}
        Storage::Packed => {
            repo.git(&["pack-refs", "--all"]);
        }
        Storage::LibgitListing => {
            repo.git(&["symbolic-ref", "refs/tags/latest", "refs/heads/main"]);
        }
    }
}

#[test]
fn tags_of_trees_and_blobs_are_not_releases() {
    for storage in STORAGES {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.0.0\n");
        repo.commit("feat: a");
        repo.tag_annotated("v1.0.0", "v1.0.0");
        repo.commit("fix: b");
        // Higher versions, none of them on a commit: an annotated tag of a tree, a lightweight
        // tag of a blob, an annotated tag of a blob, and an annotated tag of the tag of a tree.
        repo.git(&["tag", "-a", "v9.0.0", "-m", "tree", "HEAD^{tree}"]);
        repo.git(&["tag", "v8.0.0", "HEAD:VERSION"]);
        repo.git(&["tag", "-a", "v7.0.0", "-m", "blob", "HEAD:VERSION"]);
        repo.git(&[
            "-c",
            "advice.nestedTag=false",
            "tag",
            "-a",
            "v6.0.0",
            "-m",
            "nested",
            "v9.0.0",
        ]);
        store(&repo, storage);

        let run = repo.relcut(&["next"]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "1.0.1\n"),
            "{storage:?}: {}",
            run.stderr
        );
        let run = repo.relcut(&["release", "--dry-run"]).success();
        assert!(run.stdout.contains("v1.0.1"), "{storage:?}: {}", run.stdout);
        let run = repo.relcut(&["check"]).success();
        assert!(
            run.stdout.contains("1 commit checked"),
            "{storage:?}: {}",
            run.stdout
        );
        let run = repo.relcut(&["changelog", "--unreleased"]).success();
        assert!(run.stdout.contains("- B"), "{storage:?}: {}", run.stdout);
        let run = repo.relcut(&["changelog"]).success();
        assert!(
            run.stdout.contains("## [1.0.0]"),
            "{storage:?}: {}",
            run.stdout
        );
        assert!(!run.stdout.contains("9.0.0"), "{storage:?}: {}", run.stdout);
    }
}

#[test]
fn next_names_the_configuration_error() {
    let repo = TestRepo::new();
    repo.write("relcut.toml", "[release]\nstrcit = true\n");
    repo.commit("feat: a");
    for args in [&["next", "--current", "1.2.3"][..], &["next"]] {
        let run = repo.relcut(args).code(3);
        assert!(
            run.stderr.contains("relcut.toml") && run.stderr.contains("line 2"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("run it in one"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_tag_pattern_git_cannot_name_is_a_configuration_error() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "[release]\ntag_pattern = \"release {version}\"\n",
    );
    repo.commit("feat: a");
    for args in [&["next"][..], &["release", "--dry-run"], &["changelog"]] {
        let run = repo.relcut(args).code(3);
        assert!(
            run.stderr
                .contains("`relcut.toml` line 2: `release.tag_pattern`")
                && run.stderr.contains("cannot contain a space"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn higher_tags_on_other_branches_are_not_the_last_release() {
    for storage in [Storage::Loose, Storage::Packed] {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.1.0\n");
        repo.commit("feat: a");
        repo.tag_annotated("v1.0.0", "v1.0.0");
        // A release branch with higher versions, one of them dated far in the future.
        repo.git(&["checkout", "-q", "-b", "next"]);
        repo.commit("feat: on next");
        repo.tag_annotated("v2.0.0-rc.1", "v2.0.0-rc.1");
        repo.write("VERSION", "2.0.0\n");
        repo.commit_dated("feat: from the future", 4_000_000_000);
        repo.tag("v2.0.0");
        repo.tag_annotated("v1.5.0", "v1.5.0");
        repo.git(&["checkout", "-q", "main"]);
        repo.commit("feat: b");
        repo.tag_annotated("v1.1.0", "v1.1.0");
        // Clock skew on main: a commit dated decades before its parent, and one after it again,
        // so a walk that stopped at the dates of the tags would never reach v1.1.0.
        repo.commit_dated("fix: dated in 2001", 1_000_000_000);
        repo.commit("fix: c");
        store(&repo, storage);

        let run = repo.relcut(&["next"]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "1.1.1\n"),
            "{storage:?}: {}",
            run.stderr
        );
        let run = repo.relcut(&["release", "--dry-run"]).success();
        assert!(run.stdout.contains("v1.1.1"), "{storage:?}: {}", run.stdout);
        let run = repo.relcut(&["check"]).success();
        assert!(
            run.stdout.contains("2 commits checked"),
            "{storage:?}: {}",
            run.stdout
        );
        // The newest tags by commit time are on the release branch; v1.1.0 closes the history.
        let run = repo.relcut(&["changelog", "--unreleased"]).success();
        assert!(
            run.stdout.contains("Dated in 2001") && run.stdout.contains("- C"),
            "{storage:?}: {}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("On next") && !run.stdout.contains("- B"),
            "{storage:?}: {}",
            run.stdout
        );

        // Once the release branch is merged, its highest tag is the last release.
        repo.git(&[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge branch 'next'",
            "next",
        ]);
        store(&repo, storage);
        let run = repo.relcut(&["next", "--bump", "patch"]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "2.0.1\n"),
            "{storage:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_tag_of_a_tree_with_the_next_release_name_is_in_the_way() {
    for storage in [Storage::Loose, Storage::Packed] {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.0.0\n");
        repo.commit("feat: a");
        repo.tag_annotated("v1.0.0", "v1.0.0");
        repo.commit("fix: b");
        repo.git(&["tag", "-a", "v1.0.1", "-m", "tree", "HEAD^{tree}"]);
        store(&repo, storage);
        let refs = repo.refs();
        let run = repo.relcut(&["release", "--dry-run"]).code(4);
        assert!(
            run.stdout.contains("the tag `v1.0.1` already exists")
                || run.stderr.contains("the tag `v1.0.1` already exists"),
            "{storage:?}: {}\n{}",
            run.stdout,
            run.stderr
        );
        repo.relcut(&["release", "--yes"]).code(4);
        assert_eq!(
            repo.refs(),
            refs,
            "{storage:?}: nothing was committed or tagged"
        );
    }
}

/// A long-lived branch (`minor`, as in vuejs/core) took `v1.1.0-rc.1`; a prerelease from `main`
/// goes on to the next free counter instead of failing on the name, and says why. A stable
/// version is never skipped: its tag is still in the way.
#[test]
fn a_prerelease_counter_goes_past_a_tag_on_another_branch() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("feat: first");
    repo.tag_annotated("v1.0.0", "v1.0.0");
    repo.git(&["checkout", "-q", "-b", "minor"]);
    repo.write("VERSION", "1.1.0-rc.1\n");
    repo.commit("feat: on the minor branch");
    repo.tag_annotated("v1.1.0-rc.1", "v1.1.0-rc.1");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.txt", "a\n");
    repo.commit("feat: on main");

    let next = repo
        .relcut(&["next", "--bump", "minor", "--pre", "rc"])
        .success();
    assert_eq!(next.stdout.trim(), "1.1.0-rc.2");
    let plan = repo
        .relcut(&["release", "--dry-run", "--bump", "minor", "--pre", "rc"])
        .success();
    assert!(
        plan.stdout.contains("`1.1.0-rc.1` is tagged already")
            && plan.stdout.contains("`1.1.0-rc.2`"),
        "{}",
        plan.stdout
    );
    repo.relcut(&["release", "--yes", "--bump", "minor", "--pre", "rc"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.1.0-rc.2\n");
    // A second one goes on from there.
    repo.commit("fix: more");
    repo.relcut(&["release", "--yes", "--bump", "prerelease"])
        .success();
    assert_eq!(repo.read("VERSION"), "1.1.0-rc.3\n");

    repo.git(&["tag", "v1.1.0", "minor"]);
    let stable = repo
        .relcut(&["release", "--yes", "--bump", "release"])
        .code(4);
    assert!(
        stable.stderr.contains("the tag `v1.1.0` already exists"),
        "{}",
        stable.stderr
    );
}
