//! Git writes, through the git command line so the user's hooks, identity and signing
//! configuration apply exactly as they would by hand.
//!
//! Every command names the git directory and the work tree explicitly: they are the ones relcut
//! read (`repo::Repo::open_from_env`), whatever `GIT_DIR` or `GIT_WORK_TREE` say.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config;
use crate::error::{Error, Result};
use crate::secret::redact;

/// The repository that git commands act on: its git directory and its work tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Git {
    git_dir: PathBuf,
    work_tree: PathBuf,
}

impl Git {
    /// Git commands against this git directory and work tree.
    pub fn new(git_dir: &Path, work_tree: &Path) -> Git {
        Git {
            git_dir: git_dir.to_path_buf(),
            work_tree: work_tree.to_path_buf(),
        }
    }

    /// The work tree's root.
    pub fn work_tree(&self) -> &Path {
        &self.work_tree
    }

    fn command(&self) -> Command {
        let mut command = Command::new("git");
        command
            .current_dir(&self.work_tree)
            .arg("--git-dir")
            .arg(&self.git_dir)
            .arg("--work-tree")
            .arg(&self.work_tree);
        command
    }

    /// Runs `git ARGS` and returns its standard output.
    fn run(&self, args: &[&str]) -> Result<String> {
        let output = self.output(args)?;
        if !output.status.success() {
            return Err(command_error(args, &output.stderr));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn output(&self, args: &[&str]) -> Result<std::process::Output> {
        self.command()
            .args(args)
            .output()
            .map_err(|source| Error::Io {
                action: "run",
                path: PathBuf::from("git"),
                source,
            })
    }

    /// The commit a revision names, or `None` when it names none (an unborn branch, a missing
    /// tag, a root commit's parent).
    pub fn resolve(&self, revision: &str) -> Result<Option<String>> {
        let spec = format!("{revision}^{{commit}}");
        let output = self.output(&["rev-parse", "--verify", "--quiet", &spec])?;
        Ok(output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string()))
    }

    /// Whether the work tree and the index hold what HEAD holds for `paths`.
    pub fn committed(&self, paths: &[PathBuf]) -> Result<bool> {
        let mut args = vec!["diff", "--quiet", "HEAD", "--"];
        let paths = path_args(paths);
        args.extend(paths.iter().map(String::as_str));
        let output = self.output(&args)?;
        match output.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(command_error(&args, &output.stderr)),
        }
    }

    /// Commits exactly `paths` (other staged changes stay staged and out of the release
    /// commit). Returns the new commit's id.
    pub fn commit(&self, paths: &[PathBuf], message: &str) -> Result<String> {
        let paths = path_args(paths);
        let mut add = vec!["add", "--"];
        add.extend(paths.iter().map(String::as_str));
        self.run(&add)?;
        let mut commit = vec!["commit", "--quiet", "-m", message, "--"];
        commit.extend(paths.iter().map(String::as_str));
        self.run(&commit)?;
        self.head()
    }

    /// Takes `paths` out of the index again (back to HEAD's version), after a failed commit.
    pub fn unstage(&self, paths: &[PathBuf]) -> Result<()> {
        let paths = path_args(paths);
        let mut reset = vec!["reset", "--quiet", "--"];
        reset.extend(paths.iter().map(String::as_str));
        self.run(&reset).map(|_| ())
    }

    /// The commit at HEAD.
    pub fn head(&self) -> Result<String> {
        Ok(self.run(&["rev-parse", "HEAD"])?.trim().to_string())
    }

    /// Makes an annotated (or signed) tag on `commit`. An existing tag is never moved: a tag
    /// that appeared since the checks is a race with another release and fails here.
    pub fn tag(&self, name: &str, message: &str, sign: bool, commit: &str) -> Result<()> {
        let kind = if sign { "-s" } else { "-a" };
        self.run(&["tag", kind, name, "-m", message, commit])?;
        Ok(())
    }

    /// Completes a shallow clone from `remote`: the whole history and every tag, so that the
    /// last release and the commits since it can be read.
    pub fn fetch_unshallow(&self, remote: &str) -> Result<()> {
        self.run(&["fetch", "--quiet", "--unshallow", "--tags", remote])?;
        Ok(())
    }
}

fn path_args(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect()
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

/// The error for a git command that failed. A push URL can carry credentials, and git repeats
/// it in its messages: both the arguments and git's words are redacted.
fn command_error(args: &[&str], stderr: &[u8]) -> Error {
    let token = config::token_from(&config::process_environment);
    Error::GitCommand {
        command: redact(&display_args(args), token.as_ref()),
        stderr: redact(&String::from_utf8_lossy(stderr), token.as_ref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_errors_carry_no_credentials() {
        let dir = tempfile::tempdir().unwrap();
        // Port 1 on this machine: refused at once, nothing leaves it.
        let url = "http://x-access-token:s3cr3t-pw@127.0.0.1:1/o/r.git";
        let git = Git::new(&dir.path().join(".git"), dir.path());
        let error = git.run(&["ls-remote", url]).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(matches!(error, Error::GitCommand { .. }), "{shown}");
        assert!(!shown.contains("s3cr3t-pw"), "{shown}");
        assert!(shown.contains("http://***@127.0.0.1:1/o/r.git"), "{shown}");
    }
}
