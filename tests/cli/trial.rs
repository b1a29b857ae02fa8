//! A release cycle with deploys on a real project's history, against a bare remote and the GitHub
//! double: a prerelease to staging, its promotion to production, a failed deploy rolled back and
//! a re-run that sends nothing. Generated histories hide the shapes real ones have, so this runs
//! on a copy of one: `RELCUT_TRIAL_REPO=/path/to/repo.git cargo test --test cli trial --
//! --ignored` (a `fetch`ed snapshot such as orhun/git-cliff). Not part of the test run: it
//! depends on a repository this checkout does not hold.

use serde_json::Value;

use crate::github_double::GitHubDouble;
use crate::harness::{Run, TestRepo};

const TOKEN: &str = "ghs_trial0token0value01234567890";

const TARGETS: &str = r#"
[github]
poll_seconds = 0

[deploy.staging]
workflow = "deploy.yml"
inputs = { environment = "staging", version = "{{version}}" }
on = "prerelease"

[deploy.production]
workflow = "deploy.yml"
inputs = { environment = "production", version = "{{version}}" }
on = "stable"

[deploy.announce]
event = "release-published"
payload = { version = "{{version}}", tag = "{{tag}}", previous = "{{previous_version}}" }
starts = "announce.yml"
on = "always"
"#;

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}", run.stdout))
}

fn environments(double: &GitHubDouble) -> Vec<(String, String)> {
    double
        .runs()
        .iter()
        .filter(|run| run.event == "workflow_dispatch")
        .map(|run| {
            (
                run.inputs["environment"]
                    .as_str()
                    .unwrap_or_default()
                    .into(),
                run.inputs["version"].as_str().unwrap_or_default().into(),
            )
        })
        .collect()
}

fn writes(double: &GitHubDouble) -> usize {
    double
        .requests()
        .iter()
        .filter(|request| request.method != "GET")
        .count()
}

#[test]
#[ignore = "a trial on a real history: set RELCUT_TRIAL_REPO to a git directory"]
fn a_real_history_releases_deploys_and_rolls_back() {
    let source = std::env::var("RELCUT_TRIAL_REPO")
        .expect("RELCUT_TRIAL_REPO names the git directory of the project to try");
    let repo = TestRepo::new();
    let head = borrow_history(&repo, &repo.path().join(".git"), &source);
    repo.git(&["reset", "-q", &head]);
    drop_absent_files(&repo);
    let config = match std::fs::read_to_string(repo.path().join("relcut.toml")) {
        Ok(existing) => existing + TARGETS,
        Err(_) => TARGETS.to_string(),
    };
    repo.write("relcut.toml", &config);
    // The workflow the announcement starts, which relcut checks before a release.
    repo.write(
        ".github/workflows/announce.yml",
        "on:\n  repository_dispatch:\n    types: [release-published]\n",
    );
    repo.commit("ci: deploy targets for relcut");
    let bare = repo.add_github_origin("octo", "trial");
    borrow_history(&repo, &bare, &source);
    repo.git(&["push", "-q", "-u", "origin", "main"]);

    let double = GitHubDouble::start_for("octo/trial");
    double.expect_token(TOKEN);
    double.set_run_name(
        "deploy.yml",
        "Deploy ${{ inputs.version }} to ${{ inputs.environment }}",
    );
    double.listen_for_event("announce.yml", "release-published");
    let url = double.url();
    // git-cliff's own cliff.toml pipes every commit through `typos`, which a release then needs
    // (relcut stops when it is missing); a stand-in that changes nothing takes its place.
    let tools = repo.scratch().join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    let typos = tools.join("typos");
    std::fs::write(&typos, "#!/bin/sh\ncat\n").unwrap();
    std::fs::set_permissions(&typos, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // A cliff.toml's `[remote.github]` names the real repository; the double is `octo/trial`.
    let env = [
        ("GITHUB_API_URL", url.as_str()),
        ("GITHUB_TOKEN", TOKEN),
        ("PATH", path.as_str()),
        ("GIT_CLIFF__REMOTE__GITHUB__OWNER", "octo"),
        ("GIT_CLIFF__REMOTE__GITHUB__REPO", "trial"),
    ];
    let relcut = |args: &[&str]| {
        let run = repo.relcut_with(args, &env);
        assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
        run
    };

    // A prerelease goes to staging only. The trial's commits have a scope: a project's
    // cliff.toml decides which commits count (git-cliff's own skips every unscoped one), and a
    // commit it skips asks for no release.
    repo.write("trial.txt", "one\n");
    repo.commit("feat(trial): a trial feature");
    let rc = json_of(
        &relcut(&[
            "release", "--yes", "--json", "--wait", "--bump", "minor", "--pre", "rc",
        ])
        .success(),
    );
    let rc_version = rc["plan"]["next_version"].as_str().unwrap().to_string();
    let previous = rc["plan"]["current_version"].as_str().unwrap().to_string();
    assert!(rc_version.contains("-rc."), "{rc}");
    assert_eq!(
        environments(&double),
        [(String::from("staging"), rc_version.clone())]
    );
    assert_eq!(double.repository_dispatches().len(), 1);
    assert!(double.releases().iter().all(|release| release.prerelease));

    // Its promotion goes to production, as the latest release.
    let stable =
        json_of(&relcut(&["release", "--yes", "--json", "--wait", "--bump", "release"]).success());
    let stable_version = stable["plan"]["next_version"].as_str().unwrap().to_string();
    assert_eq!(
        environments(&double)[1],
        (String::from("production"), stable_version.clone())
    );
    assert_eq!(
        double.latest_release_id(),
        Some(stable["release"]["id"].as_u64().unwrap())
    );

    // Nothing new: a re-run writes nothing.
    let before = writes(&double);
    relcut(&["publish", "--yes"]).success();
    assert_eq!(
        writes(&double),
        before,
        "a re-run sent a request that writes"
    );

    // A failed deploy of the next version is rolled back to the stable version before it.
    repo.write("trial.txt", "two\n");
    repo.commit("fix(trial): a trial fix");
    let next_tag = format!("v{}", bump_patch(&stable_version));
    double.set_run_conclusion_for("deploy.yml", &next_tag, "failure");
    let failed = relcut(&[
        "release",
        "--yes",
        "--json",
        "--wait",
        "--rollback-on-failure",
    ])
    .code(9);
    let outcome = json_of(&failed);
    let deploys = outcome["deploys"].as_array().unwrap();
    let rollback = deploys
        .iter()
        .find(|deploy| deploy["rollback_of"].is_string())
        .unwrap_or_else(|| panic!("no rollback in {outcome}"));
    assert_eq!(rollback["version"], stable_version.as_str());
    assert_eq!(rollback["conclusion"], "success");

    // By hand: the version before the trial goes to staging, if it has a release tag.
    relcut(&["deploy", &previous, "--to", "staging", "--yes"]).success();
    assert_eq!(
        environments(&double).last().unwrap(),
        &(String::from("staging"), previous.clone())
    );
    eprintln!(
        "trial: {previous} → {rc_version} → {stable_version} → {} (rolled back); {} requests",
        bump_patch(&stable_version),
        double.requests().len()
    );
    double.finish();
}

fn bump_patch(version: &str) -> String {
    let mut parts: Vec<u64> = version
        .split('.')
        .map(|part| part.parse().unwrap())
        .collect();
    parts[2] += 1;
    format!("{}.{}.{}", parts[0], parts[1], parts[2])
}

/// Makes `git_dir` see the objects of `source` (alternates) and hold its tags and its HEAD as
/// `main`, without packing them: a snapshot may lack its largest blobs, which a fetch or a
/// push of the whole history would need. Returns the commit HEAD names.
fn borrow_history(repo: &TestRepo, git_dir: &std::path::Path, source: &str) -> String {
    let source_objects = std::path::Path::new(source).join("objects");
    std::fs::write(
        git_dir.join("objects/info/alternates"),
        format!("{}\n", source_objects.display()),
    )
    .unwrap();
    let git_dir_arg = format!("--git-dir={}", git_dir.display());
    let source_arg = format!("--git-dir={source}");
    let head = repo
        .git(&[&source_arg, "rev-parse", "HEAD"])
        .trim()
        .to_string();
    let tags = repo.git(&[
        &source_arg,
        "for-each-ref",
        "--format=%(objectname) %(refname)",
        "refs/tags",
    ]);
    let mut updates = format!("update refs/heads/main {head}\n");
    for line in tags.lines() {
        let (object, name) = line.split_once(' ').unwrap();
        updates.push_str(&format!("update {name} {object}\n"));
    }
    let input = repo.scratch().join("ref-updates");
    std::fs::write(&input, updates).unwrap();
    let mut child = std::process::Command::new("git")
        .args([&git_dir_arg, "update-ref", "--stdin"])
        .stdin(std::fs::File::open(&input).unwrap())
        .spawn()
        .unwrap();
    assert!(child.wait().unwrap().success());
    head
}

/// Removes from the index, in one commit, the files whose blobs the snapshot lacks, and checks
/// out the rest.
fn drop_absent_files(repo: &TestRepo) {
    let tree = repo.git(&["ls-tree", "-r", "HEAD"]);
    let mut absent = Vec::new();
    for line in tree.lines() {
        let (meta, path) = line.split_once('\t').unwrap();
        let object = meta.split_whitespace().nth(2).unwrap();
        let present = std::process::Command::new("git")
            .args(["cat-file", "-e", object])
            .current_dir(repo.path())
            .status()
            .unwrap()
            .success();
        if meta.split_whitespace().nth(1) == Some("blob") && !present {
            absent.push(path.to_string());
        }
    }
    for path in &absent {
        repo.git(&["rm", "-q", "--cached", "--", path]);
    }
    repo.git(&["checkout", "--", "."]);
    if !absent.is_empty() {
        repo.git(&["commit", "-q", "-m", "chore: drop files the snapshot lacks"]);
    }
    eprintln!("trial: {} file(s) absent from the snapshot", absent.len());
}
