//! CI mode: unattended runs, and what a GitHub Actions step gets from relcut — the outputs in
//! `$GITHUB_OUTPUT`, the summary in `$GITHUB_STEP_SUMMARY`, `::error::` annotations and groups
//! on standard error, and releases from a detached checkout of the run's branch.

use std::path::PathBuf;

use crate::github_double::GitHubDouble;
use crate::harness::{Run, TestRepo};

const TOKEN: &str = "ghs_cimode0token0value0123456789";

/// A project at 1.0.0, released and pushed to `origin`, with a feature since; a GitHub double;
/// and the two files Actions reads.
struct Project {
    repo: TestRepo,
    remote: PathBuf,
    double: GitHubDouble,
    files: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.0.0\n");
        repo.commit("feat: first version");
        repo.tag_annotated("v1.0.0", "v1.0.0");
        let remote = repo.add_github_origin("octo", "rocket");
        repo.git(&["push", "-q", "-u", "origin", "main", "v1.0.0"]);
        repo.write("engine.txt", "thrust\n");
        repo.commit("feat: an engine");
        let double = GitHubDouble::start_for("octo/rocket");
        double.expect_token(TOKEN);
        Project {
            repo,
            remote,
            double,
            files: tempfile::tempdir().unwrap(),
        }
    }

    fn output_path(&self) -> PathBuf {
        self.files.path().join("output")
    }

    fn summary_path(&self) -> PathBuf {
        self.files.path().join("summary")
    }

    /// Runs relcut as an Actions step: `GITHUB_ACTIONS`, `CI`, the two files, the double.
    fn step(&self, args: &[&str], extra: &[(&str, &str)]) -> Run {
        let output = self.output_path().display().to_string();
        let summary = self.summary_path().display().to_string();
        let url = self.double.url();
        let mut env = vec![
            ("GITHUB_ACTIONS", "true"),
            ("CI", "true"),
            ("GITHUB_OUTPUT", output.as_str()),
            ("GITHUB_STEP_SUMMARY", summary.as_str()),
            ("GITHUB_API_URL", url.as_str()),
            ("GITHUB_TOKEN", TOKEN),
        ];
        env.extend_from_slice(extra);
        let run = self.repo.relcut_with(args, &env);
        assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
        run
    }

    /// `$GITHUB_OUTPUT`, with the random delimiter replaced by `EOF`.
    fn outputs(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.output_path()).unwrap_or_default();
        let delimiter = text
            .lines()
            .find_map(|line| line.strip_prefix("notes<<"))
            .map(String::from);
        text.lines()
            .map(|line| match &delimiter {
                Some(delimiter) => line.replace(delimiter.as_str(), "EOF"),
                None => line.to_string(),
            })
            .collect()
    }

    fn summary(&self) -> String {
        std::fs::read_to_string(self.summary_path()).unwrap_or_default()
    }

    fn remote_tags(&self) -> String {
        self.repo.git_in(&self.remote, &["tag", "--list"])
    }
}

#[test]
fn a_release_in_actions_writes_its_outputs_and_summary_without_asking() {
    let project = Project::new();
    // No `--yes`: CI alone means unattended.
    let run = project.step(&["release"], &[]).success();
    let release = &project.double.releases()[0];
    let url = "https://github.com/octo/rocket/releases/tag/v1.1.0";
    let delimiter = std::fs::read_to_string(project.output_path())
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("notes<<").map(String::from))
        .unwrap();
    assert!(
        delimiter.starts_with("ghadelimiter_") && delimiter.len() == "ghadelimiter_".len() + 32,
        "{delimiter}"
    );
    let outputs = project.outputs();
    assert_eq!(
        outputs[..11],
        [
            "released=true",
            "version=1.1.0",
            "previous_version=1.0.0",
            "tag=v1.1.0",
            "prerelease=false",
            &format!("release_url={url}"),
            &format!("release_id={}", release.id),
            "deploys=[]",
            "notes<<EOF",
            "### Added",
            "",
        ]
    );
    assert!(outputs[11].starts_with("- An engine ("), "{outputs:#?}");
    assert_eq!(outputs.last().unwrap(), "EOF");
    assert_eq!(
        release.body.as_deref().map(|body| body.lines().count()),
        Some(outputs.len() - 10)
    );
    let summary = project.summary();
    assert!(
        summary.starts_with("## Released 1.1.0 (v1.1.0)\n\n"),
        "{summary}"
    );
    assert!(
        summary.contains("The commits since the last release ask for a minor bump."),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("- GitHub release: [v1.1.0]({url})")),
        "{summary}"
    );
    assert!(summary.contains("- An engine"), "{summary}");
    // The push and the publish are folded in groups, each closed.
    let lines: Vec<&str> = run.stderr.lines().collect();
    let opened = lines.iter().filter(|l| l.starts_with("::group::")).count();
    let closed = lines.iter().filter(|l| **l == "::endgroup::").count();
    assert!(
        lines.contains(&"::group::Pushing the release commit and tag…"),
        "{}",
        run.stderr
    );
    assert!(opened >= 2 && opened == closed, "{}", run.stderr);
    assert!(project.remote_tags().contains("v1.1.0"));
}

#[test]
fn a_prerelease_says_so_in_its_outputs() {
    let project = Project::new();
    project.step(&["release", "--pre", "rc"], &[]).success();
    let outputs = project.outputs();
    assert_eq!(outputs[0], "released=true");
    assert_eq!(outputs[1], "version=1.1.0-rc.1");
    assert_eq!(outputs[3], "tag=v1.1.0-rc.1");
    assert_eq!(outputs[4], "prerelease=true");
    assert!(project.double.releases()[0].prerelease);
}

/// A project whose only commit since 1.0.0 asks for no release.
fn nothing_to_release() -> Project {
    let project = Project::new();
    project.repo.git(&["reset", "-q", "--hard", "v1.0.0"]);
    project.repo.write("notes.txt", "a chore\n");
    project.repo.commit("chore: tidy up");
    project
}

#[test]
fn nothing_to_release_in_ci_is_success_with_released_false() {
    let project = nothing_to_release();
    let run = project.step(&["release", "--json"], &[]).success();
    assert!(
        run.stderr
            .contains("note: nothing to release: none of the 1 commit"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("::error::"), "{}", run.stderr);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["released"], false);
    assert_eq!(document["kind"], "nothing_to_release");
    assert!(
        document["reason"]
            .as_str()
            .unwrap()
            .starts_with("nothing to release: none of the 1 commit since the last release"),
        "{document}"
    );
    assert_eq!(
        project.outputs(),
        [
            "released=false",
            "version=",
            "previous_version=",
            "tag=",
            "prerelease=false",
            "release_url=",
            "release_id=",
            "deploys=[]",
            "notes<<EOF",
            "",
            "EOF",
        ]
    );
    let summary = project.summary();
    assert!(
        summary.starts_with("## Nothing to release\n\nNone of the 1 commit since the last release asks for a new version"),
        "{summary}"
    );
    assert!(project.double.releases().is_empty());
}

#[test]
fn nothing_to_release_outside_ci_keeps_its_exit_code() {
    let project = nothing_to_release();
    let run = project
        .repo
        .relcut(&["release", "--yes", "--no-publish", "--no-push"])
        .code(5);
    assert!(
        run.stderr.contains("error: nothing to release"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_failure_is_an_annotation_and_claims_no_release() {
    let project = Project::new();
    project.repo.write("VERSION", "1.0.0\nedited\n");
    let run = project.step(&["release", "--json"], &[]).code(4);
    let annotations: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("::error::"))
        .collect();
    assert_eq!(annotations.len(), 1, "{}", run.stderr);
    assert!(
        annotations[0].starts_with("::error::the release cannot start, 2 problems:%0A  - "),
        "{}",
        annotations[0]
    );
    // Standard output stays one JSON document.
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["error"]["kind"], "checks_failed");
    let outputs = project.outputs();
    assert_eq!(outputs[0], "released=false");
    assert!(outputs.iter().all(|line| !line.starts_with("tag=v")));
    assert!(
        project
            .summary()
            .starts_with("## relcut failed\n\nerror: the release cannot start")
    );
    assert_eq!(project.remote_tags().trim(), "v1.0.0");
}

#[test]
fn without_a_terminal_or_yes_relcut_says_so_at_once() {
    let project = Project::new();
    let before = project.repo.refs();
    // The harness runs relcut with standard input closed and no terminal, and without CI.
    for args in [
        &["release"][..],
        &["publish"],
        &["deploy", "1.0.0", "--to", "production"],
    ] {
        let run = project.repo.relcut(args).code(2);
        assert!(
            run.stderr.contains("pass `--yes` (or set `CI=true`)"),
            "{args:?}: {}",
            run.stderr
        );
        // Said before anything was read: no request, no remote read.
        assert!(project.double.requests().is_empty());
    }
    assert_eq!(project.repo.refs(), before);
    // `CI=false` is no CI.
    project
        .repo
        .relcut_with(&["release"], &[("CI", "false")])
        .code(2);
    // A dry run asks nothing.
    project
        .repo
        .relcut(&["release", "--dry-run", "--no-push", "--no-publish"])
        .success();
}

#[test]
fn a_detached_checkout_of_the_runs_branch_releases_that_branch() {
    let project = Project::new();
    project.repo.git(&["push", "-q", "origin", "main"]);
    project.repo.git(&["fetch", "-q", "origin"]);
    project.repo.git(&["checkout", "-q", "--detach", "HEAD"]);
    let head = project.repo.head();
    // Outside Actions, a detached HEAD is refused.
    let refused = project
        .repo
        .relcut(&["release", "--yes", "--no-publish"])
        .code(4);
    assert!(
        refused.stderr.contains("HEAD is detached"),
        "{}",
        refused.stderr
    );
    // A pull request's merge checkout is not released either.
    let pull = project
        .step(
            &["release", "--no-publish"],
            &[
                ("GITHUB_REF_TYPE", "branch"),
                ("GITHUB_REF_NAME", "7/merge"),
                ("GITHUB_HEAD_REF", "feature"),
                ("GITHUB_SHA", head.as_str()),
            ],
        )
        .code(4);
    assert!(pull.stderr.contains("HEAD is detached"), "{}", pull.stderr);
    std::fs::remove_file(project.output_path()).unwrap();
    project
        .step(
            &["release"],
            &[("GITHUB_REF_TYPE", "branch"), ("GITHUB_REF_NAME", "main")],
        )
        .success();
    let released = project.repo.head();
    assert_ne!(released, head);
    assert_eq!(
        project
            .repo
            .git_in(&project.remote, &["rev-parse", "refs/heads/main"])
            .trim(),
        released
    );
    assert!(project.remote_tags().contains("v1.1.0"));
    assert_eq!(project.outputs()[0], "released=true");
}
