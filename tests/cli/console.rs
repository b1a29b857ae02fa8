//! The command line's manners: a closed pipe, colour, `-q` and `-v`, completions and the man page.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::harness::TestRepo;

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    let repo = TestRepo::new();
    // Far more changelog than a pipe holds, so relcut is still writing when the reader goes.
    repo.import_linear_history(3000, 10);
    let mut child = repo
        .relcut_command(&["changelog"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(!line.is_empty());
    drop(reader);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

fn released_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.commit("feat: first version");
    repo.tag_annotated("v1.0.0", "v1.0.0");
    repo.commit("docs: say more");
    repo.commit("wip");
    repo
}

#[test]
fn colour_is_on_when_asked_and_off_without_a_terminal_or_with_no_color() {
    let repo = released_project();
    repo.write("VERSION", "dirty\n");
    let always = repo
        .relcut(&["--color", "always", "release", "--yes"])
        .code(4);
    assert!(
        always.stderr.contains("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m"),
        "{:?}",
        always.stderr
    );
    let auto = repo
        .relcut_with(&["release", "--yes"], &[("NO_COLOR", "1")])
        .code(4);
    assert!(auto.stderr.starts_with("error: "), "{:?}", auto.stderr);
    assert!(!auto.stderr.contains('\u{1b}'), "{:?}", auto.stderr);
    let never = repo
        .relcut_with(
            &["release", "--yes", "--color=never"],
            &[("CLICOLOR_FORCE", "1")],
        )
        .code(4);
    assert!(!never.stderr.contains('\u{1b}'), "{:?}", never.stderr);
    // clap's own errors follow the flag too.
    let clap = repo
        .relcut(&["--color", "always", "release", "--bogus"])
        .code(2);
    assert!(clap.stderr.contains('\u{1b}'), "{:?}", clap.stderr);
}

#[test]
fn quiet_leaves_only_the_answer_and_verbose_shows_git_commands() {
    let repo = released_project();
    repo.write("VERSION", "1.0.0\n");
    let noisy = repo
        .relcut(&["release", "--yes", "--bump", "patch", "--dry-run"])
        .success();
    assert!(noisy.stderr.contains("Dry run"), "{}", noisy.stderr);
    let quiet = repo
        .relcut(&["-q", "release", "--yes", "--bump", "patch"])
        .success();
    assert_eq!(quiet.stderr, "");
    assert!(
        quiet.stdout.starts_with("Released 1.0.1"),
        "{}",
        quiet.stdout
    );
    repo.commit("fix: a bug");
    let verbose = repo.relcut(&["release", "-v", "--yes"]).success();
    assert!(
        verbose
            .stderr
            .lines()
            .any(|line| line.starts_with("  git commit")),
        "{}",
        verbose.stderr
    );
    repo.relcut(&["-q", "-v", "next"]).code(2);
}

const SUBCOMMANDS: [&str; 7] = [
    "release",
    "next",
    "changelog",
    "check",
    "publish",
    "deploy",
    "rollback",
];

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    let repo = TestRepo::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = repo.relcut(&["completions", shell]).success();
        for subcommand in SUBCOMMANDS {
            assert!(run.stdout.contains(subcommand), "{shell}: {subcommand}");
        }
    }
    let script = repo.scratch().join("relcut.bash");
    std::fs::write(
        &script,
        repo.relcut(&["completions", "bash"]).success().stdout,
    )
    .unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    repo.relcut(&["completions", "tcsh"]).code(2);
}

#[test]
fn the_man_page_is_roff_and_lists_the_subcommands() {
    let run = TestRepo::new().relcut(&["man"]).success();
    // clap_mangen puts two lines defining the apostrophe first, then the title.
    assert!(
        run.stdout
            .lines()
            .take(3)
            .any(|line| line.starts_with(".TH relcut 1")),
        "{}",
        &run.stdout[..120]
    );
    for subcommand in SUBCOMMANDS {
        assert!(run.stdout.contains(subcommand), "{subcommand}");
    }
}
