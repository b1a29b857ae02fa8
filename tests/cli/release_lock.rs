//! Two relcut commands that change one repository at once: the lock in the common git directory,
//! held by a live process (the second command stops and says so) or left by one that is gone
//! (taken over).

use crate::harness::TestRepo;

fn released_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.2.3", "v1.2.3");
    repo.commit("feat: a feature");
    repo
}

/// The host name relcut compares a lock's with.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .expect("the host name")
        .trim()
        .to_string()
}

/// A lock file as a relcut with process id `pid` on this host writes it.
fn lock_text(pid: u32) -> String {
    format!(
        "pid={pid}\nhost={}\nstarted=2026-12-04T22:00:00Z\ncommand=relcut release\n",
        host_name()
    )
}

/// The id of a process that has ended: a child, waited for.
fn ended_pid() -> u32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("true runs");
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[track_caller]
fn assert_unchanged(repo: &TestRepo, refs: &str) {
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.refs(), refs);
}

#[test]
fn a_lock_held_by_a_live_process_stops_every_command_that_changes_the_repository() {
    let repo = released_project();
    let lock = repo.path().join(".git/relcut.lock");
    // This test's own process is alive for as long as the test runs.
    let text = lock_text(std::process::id());
    std::fs::write(&lock, &text).unwrap();
    let refs = repo.refs();
    for args in [
        &["release", "--yes"][..],
        &["release", "--sync", "--yes"][..],
        &["publish", "--yes"][..],
        &["deploy", "1.2.3", "--to", "production", "--yes"][..],
        &["rollback", "--to", "production", "--yes"][..],
    ] {
        let run = repo.relcut(args).code(4);
        for phrase in [
            "another release is in progress",
            &format!("(process {})", std::process::id()),
            "since 2026-12-04T22:00:00Z",
            "wait for it to end",
            "delete `",
            "relcut.lock` if that process is gone",
        ] {
            assert!(
                run.stderr.contains(phrase),
                "{args:?}: {phrase:?} not in {}",
                run.stderr
            );
        }
        assert!(!run.stderr.contains("uncommitted"), "{}", run.stderr);
        assert_unchanged(&repo, &refs);
        // The other process's lock stays.
        assert_eq!(std::fs::read_to_string(&lock).unwrap(), text);
    }

    // A dry run changes nothing, so it runs beside the other release.
    let run = repo.relcut(&["release", "--dry-run"]).success();
    assert!(run.stdout.contains("1.3.0"), "{}", run.stdout);
    assert_unchanged(&repo, &refs);
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), text);
}

#[test]
fn a_lock_left_by_a_process_that_is_gone_is_taken_over_and_the_release_runs() {
    let repo = released_project();
    let lock = repo.path().join(".git/relcut.lock");
    let pid = ended_pid();
    std::fs::write(&lock, lock_text(pid)).unwrap();
    let run = repo.relcut(&["release", "--yes"]).success();
    assert!(
        run.stderr
            .contains(&format!("took over the lock `{}`", lock.display())),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("process {pid} on `")),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert!(!lock.exists(), "the lock outlived the release");
}

#[test]
fn an_empty_lock_is_taken_over_once_it_is_older_than_a_write_takes() {
    let repo = released_project();
    let lock = repo.path().join(".git/relcut.lock");
    // Just created and not yet written: another relcut is writing it.
    std::fs::write(&lock, "").unwrap();
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(run.stderr.contains("another release"), "{}", run.stderr);
    assert_eq!(repo.read("VERSION"), "1.2.3\n");

    // Left empty a minute ago: the relcut that created it was stopped before writing it.
    let file = std::fs::File::options().write(true).open(&lock).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
        .unwrap();
    drop(file);
    let run = repo.relcut(&["release", "--yes"]).success();
    assert!(run.stderr.contains("names no process"), "{}", run.stderr);
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert!(!lock.exists());
}

#[test]
fn the_lock_is_gone_after_a_release_that_succeeded_and_after_one_that_failed() {
    let repo = released_project();
    let lock = repo.path().join(".git/relcut.lock");
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert!(!lock.exists(), "the lock outlived the release");

    // Stopped by a check, and failed while applying (a hook that refuses the commit).
    repo.commit("fix: a fix");
    repo.write("notes.txt", "uncommitted\n");
    repo.git(&["add", "notes.txt"]);
    let run = repo.relcut(&["release", "--yes"]).code(4);
    assert!(run.stderr.contains("uncommitted changes"), "{}", run.stderr);
    assert!(!lock.exists(), "the lock outlived the failed check");
    repo.commit("docs: notes");
    repo.write(
        ".git/hooks/pre-commit",
        "#!/bin/sh\necho refused >&2\nexit 1\n",
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let hook = repo.path().join(".git/hooks/pre-commit");
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = repo.relcut(&["release", "--yes"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("refused"), "{}", run.stderr);
    assert!(!lock.exists(), "the lock outlived the failed release");
}

#[test]
fn a_linked_worktree_shares_the_lock_of_its_repository() {
    let repo = released_project();
    let linked = repo.scratch().join("linked");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "next",
        linked.to_str().unwrap(),
    ]);
    let lock = repo.path().join(".git/relcut.lock");
    std::fs::write(&lock, lock_text(std::process::id())).unwrap();
    let run = repo.relcut_in(&linked, &["release", "--yes"], &[]).code(4);
    assert!(
        run.stderr.contains("another release is in progress"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&lock.display().to_string()),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(linked.join("VERSION")).unwrap(),
        "1.2.3\n"
    );
    // And a release in the linked worktree locks the main one's git directory too: its lock
    // is there while it runs (the hook looks) and gone after.
    std::fs::remove_file(&lock).unwrap();
    std::fs::write(
        linked.join("relcut.toml"),
        "[release]\nbranches = [\"next\"]\n",
    )
    .unwrap();
    repo.git_in(&linked, &["add", "relcut.toml"]);
    repo.git_in(&linked, &["commit", "-q", "-m", "chore: release from next"]);
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ntest -f '{}' || {{ echo 'no lock' >&2; exit 1; }}\n",
            lock.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.relcut_in(&linked, &["release", "--yes"], &[])
        .success();
    assert_eq!(
        std::fs::read_to_string(linked.join("VERSION")).unwrap(),
        "1.3.0\n"
    );
    assert!(!lock.exists(), "the lock outlived the release");
}
