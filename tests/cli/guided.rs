//! The guided `relcut release`, driven on a pseudo-terminal as a person drives it: the commits
//! and the suggestion, the version picked with the arrow keys or typed in, the notes edited in
//! `$EDITOR`, the preview, and leaving at any point with nothing changed.

use std::path::PathBuf;

use crate::github_double::GitHubDouble;
use crate::harness::{TerminalSession, TestRepo};

const TOKEN: &str = "ghs_guided0token0value0123456789";
const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const CTRL_C: &str = "\x03";

/// A project at 1.2.0, released and pushed, with a breaking-free feature, a fix and a chore
/// since, and a double serving its GitHub repository.
struct Project {
    repo: TestRepo,
    remote: PathBuf,
    double: GitHubDouble,
}

impl Project {
    fn new() -> Project {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.2.0\n");
        repo.write(
            "CHANGELOG.md",
            "# Changelog\n\n## [1.2.0] - 2026-01-01\n\n### Added\n\n- The first version\n",
        );
        repo.commit("feat: first version");
        repo.tag_annotated("v1.2.0", "v1.2.0");
        let remote = repo.add_github_origin("octo", "rocket");
        repo.git(&["push", "-q", "-u", "origin", "main", "v1.2.0"]);
        repo.write("engine.txt", "thrust\n");
        repo.commit("feat: an engine");
        repo.write("engine.txt", "more thrust\n");
        repo.commit("fix: the engine stalls");
        repo.write("notes.txt", "tidy\n");
        repo.commit("chore: tidy up");
        repo.write("notes.txt", "wip\n");
        repo.commit("work in progress");
        let double = GitHubDouble::start_for("octo/rocket");
        double.expect_token(TOKEN);
        Project {
            repo,
            remote,
            double,
        }
    }

    fn start(&self, args: &[&str]) -> TerminalSession {
        self.start_with(args, &[])
    }

    fn start_with(&self, args: &[&str], extra: &[(&str, &str)]) -> TerminalSession {
        let url = self.double.url();
        let mut env = vec![("GITHUB_API_URL", url.as_str()), ("GITHUB_TOKEN", TOKEN)];
        env.extend_from_slice(extra);
        self.repo.relcut_at_terminal_with(args, &env)
    }

    fn tags(&self) -> Vec<String> {
        self.repo
            .git(&["tag", "--list"])
            .lines()
            .map(String::from)
            .collect()
    }

    fn remote_tags(&self) -> Vec<String> {
        self.repo
            .git_in(&self.remote, &["tag", "--list"])
            .lines()
            .map(String::from)
            .collect()
    }

    /// Nothing happened anywhere: no tag, no commit, no file, nothing pushed or published.
    #[track_caller]
    fn assert_untouched(&self, head: &str) {
        assert_eq!(self.tags(), ["v1.2.0"]);
        assert_eq!(self.repo.head(), head);
        assert_eq!(self.repo.read("VERSION"), "1.2.0\n");
        assert_eq!(self.repo.git(&["status", "--porcelain"]), "");
        assert_eq!(self.remote_tags(), ["v1.2.0"]);
        assert!(self.double.releases().is_empty());
    }
}

#[test]
fn a_person_accepts_the_suggestion_and_sees_each_step_and_the_release() {
    let project = Project::new();
    let mut session = project.start(&["release"]);
    session.wait_for("Which version?");
    // The prompt's line and its choices reach the terminal in separate writes.
    session.wait_for("major → 2.0.0");
    let shown = session.screen();
    for expected in [
        "4 commits since v1.2.0:",
        "Features (feat)",
        "feat: an engine",
        "Fixes (fix)",
        "Not counted (merges, reverts, not Conventional Commits)",
        "work in progress",
        "minor — 1 feature, 1 fix → 1.3.0 (suggested)",
        "patch → 1.2.1",
        "major → 2.0.0",
    ] {
        assert!(shown.contains(expected), "{expected}\n{shown}");
    }
    session.press(&[ENTER]);
    session.wait_for("What now?");
    session.wait_for("Release v1.3.0 now");
    let preview = session.screen();
    for expected in [
        "Next version:    1.3.0",
        "+1.3.0",
        "Changelog section (CHANGELOG.md)",
        "Push:   to `origin`",
        "Release v1.3.0 now",
    ] {
        assert!(preview.contains(expected), "{expected}\n{preview}");
    }
    session.press(&[ENTER]);
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    for expected in [
        "✓ tagged v1.3.0",
        "✓ pushed main and v1.3.0 to `origin`",
        "✓ published the GitHub release v1.3.0",
        "Released 1.3.0",
    ] {
        assert!(screen.contains(expected), "{expected}\n{screen}");
    }
    assert_eq!(project.remote_tags(), ["v1.2.0", "v1.3.0"]);
    let releases = project.double.releases();
    assert_eq!(releases.len(), 1, "{releases:#?}");
    assert!(
        screen.contains("/octo/rocket/releases/tag/v1.3.0"),
        "{screen}"
    );
    assert!(!screen.contains(TOKEN));
}

#[test]
fn a_person_picks_a_prerelease_channel() {
    let project = Project::new();
    let mut session = project.start(&["release"]);
    session.wait_for("Which version?");
    // suggested, patch, minor, major, then the prerelease channels.
    session.press(&[DOWN, DOWN, DOWN, DOWN, ENTER]);
    session.wait_for("Which prerelease channel?");
    session.wait_for("rc → 1.3.0-rc.1");
    session.press(&[DOWN, DOWN, ENTER]);
    session.wait_for("What now?");
    assert!(
        session
            .screen()
            .contains("Next version:    1.3.0-rc.1 (prerelease)"),
        "{}",
        session.screen()
    );
    session.press(&[ENTER]);
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    assert_eq!(project.remote_tags(), ["v1.2.0", "v1.3.0-rc.1"]);
    let releases = project.double.releases();
    assert!(releases[0].prerelease, "{releases:#?}");
}

#[test]
fn a_typed_version_is_explained_and_asked_again_until_it_is_valid() {
    let project = Project::new();
    let mut session = project.start(&["release", "--no-publish"]);
    session.wait_for("Which version?");
    session.press(&[DOWN, DOWN, DOWN, DOWN, DOWN, ENTER]);
    session.wait_for("Version (X.Y.Z or X.Y.Z-pre.N)");
    session.type_text("1.4");
    session.press(&[ENTER]);
    session.wait_for("`1.4` is not a SemVer version");
    session.type_text("1.1.0");
    session.press(&[ENTER]);
    session.wait_for("1.1.0 is not above the current version 1.2.0; type a higher one");
    session.type_text("v2.0.0");
    session.press(&[ENTER]);
    session.wait_for("What now?");
    session.press(&[ENTER]);
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    assert_eq!(project.tags(), ["v1.2.0", "v2.0.0"]);
    assert_eq!(project.repo.read("VERSION"), "2.0.0\n");
}

#[test]
fn notes_edited_in_the_editor_go_to_the_changelog_and_the_release() {
    let project = Project::new();
    let editor = project.repo.scratch().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf '### Added\\n\\n- A hand-written line about the engine\\n' > \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let editor = editor.display().to_string();
    let mut session = project.start_with(&["release"], &[("EDITOR", &editor)]);
    session.wait_for("Which version?");
    session.press(&[ENTER]);
    session.wait_for("What now?");
    session.press(&[DOWN, ENTER]);
    // The preview is shown again, with the notes as edited.
    session.wait_for("- A hand-written line about the engine");
    session.wait_for("What now?");
    session.press(&[ENTER]);
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    let changelog = project.repo.read("CHANGELOG.md");
    assert!(
        changelog.contains("## [1.3.0]")
            && changelog.contains("- A hand-written line about the engine")
            && !changelog.contains("An engine"),
        "{changelog}"
    );
    // The new section goes on top of the ones already there, which are kept as they were.
    let new = changelog.find("## [1.3.0]").unwrap();
    let old = changelog.find("## [1.2.0] - 2026-01-01\n\n### Added\n\n- The first version\n");
    assert!(old.is_some_and(|old| old > new), "{changelog}");
    let releases = project.double.releases();
    let body = releases[0].body.clone().unwrap_or_default();
    assert!(
        body.contains("- A hand-written line about the engine") && !body.contains("An engine"),
        "{body}"
    );
}

#[test]
fn declining_at_the_confirmation_changes_nothing_and_exits_0() {
    let project = Project::new();
    let head = project.repo.head();
    let mut session = project.start(&["release"]);
    session.wait_for("Which version?");
    session.press(&[ENTER]);
    session.wait_for("Cancel: change nothing");
    // The last item, picked with the arrow keys.
    session.press(&[DOWN, DOWN, DOWN, ENTER]);
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("Cancelled: nothing was changed."),
        "{screen}"
    );
    project.assert_untouched(&head);
    assert!(
        project
            .double
            .requests()
            .iter()
            .all(|request| request.method == "GET")
    );
}

#[test]
fn ctrl_c_at_a_prompt_changes_nothing_and_exits_130() {
    let project = Project::new();
    let head = project.repo.head();
    for place in ["the first question", "typing a version", "the confirmation"] {
        let mut session = project.start(&["release"]);
        session.wait_for("Which version?");
        // Held from the start: a second release would stop on it.
        assert!(
            project.repo.path().join(".git/relcut.lock").exists(),
            "{place}: the guided release took no lock"
        );
        match place {
            "typing a version" => {
                session.press(&[DOWN, DOWN, DOWN, DOWN, DOWN, ENTER]);
                session.wait_for("Version (X.Y.Z");
                session.type_text("2.0");
            }
            "the confirmation" => {
                session.press(&[ENTER]);
                session.wait_for("What now?");
            }
            _ => {}
        }
        session.press(&[CTRL_C]);
        let (screen, code) = session.finish();
        assert_eq!(code, 130, "{place}: {screen}");
        assert!(
            screen.contains("interrupted: nothing was changed"),
            "{place}: relcut said so itself, it was not killed: {screen}"
        );
        project.assert_untouched(&head);
        assert!(
            !project.repo.path().join(".git/relcut.lock").exists(),
            "{place}: the release's lock outlived it"
        );
    }
}

#[test]
fn after_a_prerelease_the_choices_are_the_next_prerelease_and_the_promotion_first() {
    let project = Project::new();
    project
        .repo
        .relcut(&[
            "release",
            "--yes",
            "--no-push",
            "--no-publish",
            "--pre",
            "rc",
        ])
        .success();
    project.repo.write("docs.txt", "words\n");
    project.repo.commit("docs: explain the engine");
    let mut session = project.start(&["release", "--no-push", "--no-publish"]);
    session.wait_for("Which version?");
    session.wait_for("next prerelease → 1.3.0-rc.2");
    session.wait_for("promote to stable → 1.3.0");
    let shown = session.screen();
    let next = shown.find("next prerelease → 1.3.0-rc.2").expect(&shown);
    let promote = shown.find("promote to stable → 1.3.0").expect(&shown);
    let patch = shown.find("patch → ").expect(&shown);
    assert!(next < promote && promote < patch, "{shown}");
    session.press(&[DOWN, ENTER]);
    session.wait_for("What now?");
    session.press(&[ENTER]);
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(project.tags().contains(&String::from("v1.3.0")), "{screen}");
}
