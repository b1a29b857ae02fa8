//! Git writes, through the git command line so the user's hooks, identity and signing
//! configuration apply exactly as they would by hand.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config;
use crate::error::{Error, Result};
use crate::secret::redact;

/// Runs `git ARGS` in `root` and returns its standard output.
fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|source| Error::Io {
            action: "run",
            path: PathBuf::from("git"),
            source,
        })?;
    if !output.status.success() {
        // A push URL can carry credentials, and git repeats it in its messages.
        let token = config::token_from(&config::process_environment);
        return Err(Error::GitCommand {
            command: redact(&display_args(args), token.as_ref()),
            stderr: redact(&String::from_utf8_lossy(&output.stderr), token.as_ref()),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The arguments as shown in an error: messages are long, so they are elided.
fn display_args(args: &[&str]) -> String {
    let mut shown = Vec::with_capacity(args.len());
    let mut skip_next = false;
    for arg in args {
        if skip_next {
            shown.push("…");
            skip_next = false;
            continue;
        }
        skip_next = *arg == "-m";
        shown.push(arg);
    }
    shown.join(" ")
}

/// Commits exactly `paths` (other staged changes stay staged and out of the release commit).
/// Returns the new commit's id.
pub fn commit(root: &Path, paths: &[PathBuf], message: &str) -> Result<String> {
    let paths: Vec<String> = paths
        .iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    let mut add = vec!["add", "--"];
    add.extend(paths.iter().map(String::as_str));
    git(root, &add)?;
    let mut commit = vec!["commit", "--quiet", "-m", message, "--"];
    commit.extend(paths.iter().map(String::as_str));
    git(root, &commit)?;
    head(root)
}

/// Takes `paths` out of the index again (back to HEAD's version), after a failed commit.
pub fn unstage(root: &Path, paths: &[PathBuf]) -> Result<()> {
    let paths: Vec<String> = paths
        .iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    let mut reset = vec!["reset", "--quiet", "--"];
    reset.extend(paths.iter().map(String::as_str));
    git(root, &reset).map(|_| ())
}

/// The commit at HEAD.
pub fn head(root: &Path) -> Result<String> {
    Ok(git(root, &["rev-parse", "HEAD"])?.trim().to_string())
}

/// Makes an annotated (or signed) tag at HEAD. The preflight refused an existing tag, so a tag
/// that appeared since is a race with another release and fails here rather than being moved.
pub fn tag(root: &Path, name: &str, message: &str, sign: bool) -> Result<()> {
    let kind = if sign { "-s" } else { "-a" };
    git(root, &["tag", kind, name, "-m", message, "HEAD"])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_errors_carry_no_credentials() {
        let dir = tempfile::tempdir().unwrap();
        // Port 1 on this machine: refused at once, nothing leaves it.
        let url = "http://x-access-token:s3cr3t-pw@127.0.0.1:1/o/r.git";
        let error = git(dir.path(), &["ls-remote", url]).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(matches!(error, Error::GitCommand { .. }), "{shown}");
        assert!(!shown.contains("s3cr3t-pw"), "{shown}");
        assert!(shown.contains("http://***@127.0.0.1:1/o/r.git"), "{shown}");
    }
}
