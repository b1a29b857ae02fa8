//! What pushing and publishing add to a release: `relcut release --yes` pushing to a bare remote
//! on disk and publishing on the local GitHub API double, against the same release kept local
//! (`--no-push --no-publish`), in the same run. Each sample is a fresh repository with the same
//! history, so both sides do the same local work.
//!
//! Run: `cargo bench --bench publish_overhead` (SAMPLES=N, default 15). Not part of the tests.

#[allow(dead_code, unused_imports)]
#[path = "../tests/cli/github_double/mod.rs"]
mod github_double;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const TOKEN: &str = "ghs_bench0token0value0123456789";

fn git(directory: &Path, home: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(directory)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.com")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.com")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A repository at 1.0.0 with 20 commits since, pushed to a bare remote that stands for
/// `github.com/octo/rocket`.
fn project(root: &Path) -> std::path::PathBuf {
    let work = root.join("work");
    let bare = root.join("remote.git");
    std::fs::create_dir_all(&work).unwrap();
    git(
        root,
        root,
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    );
    git(&work, root, &["init", "-q", "-b", "main"]);
    std::fs::write(work.join("VERSION"), "1.0.0\n").unwrap();
    git(&work, root, &["add", "."]);
    git(&work, root, &["commit", "-qm", "feat: first"]);
    git(&work, root, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    let url = "https://github.com/octo/rocket.git";
    git(&work, root, &["remote", "add", "origin", url]);
    git(
        &work,
        root,
        &["config", &format!("url.{}.insteadOf", bare.display()), url],
    );
    git(
        &work,
        root,
        &["push", "-q", "-u", "origin", "main", "v1.0.0"],
    );
    for index in 0..20 {
        std::fs::write(work.join("file.txt"), format!("{index}\n")).unwrap();
        git(&work, root, &["add", "."]);
        let kind = if index % 3 == 0 { "feat" } else { "fix" };
        git(
            &work,
            root,
            &["commit", "-qm", &format!("{kind}: change {index}")],
        );
    }
    work
}

fn release(work: &Path, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Duration {
    let mut command = Command::new(env!("CARGO_BIN_EXE_relcut"));
    command
        .current_dir(work)
        .arg("release")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.com")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.com");
    for (key, value) in env {
        command.env(key, value);
    }
    let start = Instant::now();
    let output = command.output().expect("relcut runs");
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "relcut release {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let samples: usize = std::env::var("SAMPLES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(15);
    let mut local = Vec::with_capacity(samples);
    let mut published = Vec::with_capacity(samples);
    let mut requests = 0;
    for _ in 0..samples {
        let dir = tempfile::tempdir().unwrap();
        let work = project(dir.path());
        local.push(release(
            &work,
            dir.path(),
            &["--yes", "--no-push", "--no-publish"],
            &[],
        ));

        let dir = tempfile::tempdir().unwrap();
        let work = project(dir.path());
        let double = github_double::GitHubDouble::start_for("octo/rocket");
        double.expect_token(TOKEN);
        let url = double.url();
        published.push(release(
            &work,
            dir.path(),
            &["--yes"],
            &[("GITHUB_API_URL", &url), ("GITHUB_TOKEN", TOKEN)],
        ));
        requests = double.finish().len();
    }
    let (local, published) = (median(local), median(published));
    println!(
        "relcut release, median of {samples}: local {:.1} ms, with push and GitHub release {:.1} ms: +{:.1} ms ({} requests to the API)",
        local.as_secs_f64() * 1e3,
        published.as_secs_f64() * 1e3,
        (published.as_secs_f64() - local.as_secs_f64()) * 1e3,
        requests
    );
}
