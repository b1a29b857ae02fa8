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
        crate::ui::detail(&format!("git {}", args.join(" ")));
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

    /// The object a revision names as is (a tag's own object, not its commit), or `None`.
    pub fn object(&self, revision: &str) -> Result<Option<String>> {
        let output = self.output(&["rev-parse", "--verify", "--quiet", revision])?;
        Ok(output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string()))
    }

    /// Whether `id` is a commit in the object store.
    pub fn has_commit(&self, id: &str) -> Result<bool> {
        let spec = format!("{id}^{{commit}}");
        Ok(self.output(&["cat-file", "-e", &spec])?.status.success())
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> Result<bool> {
        let args = ["merge-base", "--is-ancestor", ancestor, descendant];
        let output = self.output(&args)?;
        match output.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(command_error(&args, &output.stderr)),
        }
    }

    /// `git ls-remote REMOTE PATTERNS`: the remote's refs, read without changing anything here.
    pub fn ls_remote(&self, remote: &str, patterns: &[&str]) -> Result<String> {
        let mut args = vec!["ls-remote", remote];
        args.extend(patterns);
        self.run(&args)
    }

    /// Fetches the objects of `refname` from `remote` and nothing else: no ref is written (an
    /// empty `--refmap` stops git's update of the remote-tracking branch), no `FETCH_HEAD`, no
    /// tags, no maintenance. Enough to tell whether a commit there contains one here.
    pub fn fetch_objects(&self, remote: &str, refname: &str) -> Result<()> {
        self.run(&[
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--refmap=",
            "--no-recurse-submodules",
            "--no-auto-gc",
            remote,
            refname,
        ])
        .map(|_| ())
    }

    /// `git push --atomic --porcelain REMOTE REFSPECS`: every ref or none. The user's
    /// credentials, SSH agent and `pre-push` hook apply as to any push.
    pub fn push(&self, remote: &str, refspecs: &[String]) -> Result<PushResult> {
        let mut args = vec!["push", "--atomic", "--porcelain", remote];
        args.extend(refspecs.iter().map(String::as_str));
        let output = self.output(&args)?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => Ok(PushResult::Pushed),
            // git exits with 1 when the push reached a verdict and some ref was refused (by the
            // remote, its hooks, or the local `pre-push` hook); 128 when it could not talk to
            // the remote at all, which says nothing about the release and is run again.
            Some(1) => Ok(PushResult::Refused(redacted(&refusal_words(
                &stdout, &stderr,
            )))),
            _ => Err(command_error(&args, &output.stderr)),
        }
    }

    /// Deletes a local tag.
    pub fn delete_tag(&self, name: &str) -> Result<()> {
        self.run(&["tag", "-d", name]).map(|_| ())
    }

    /// `git reset --keep COMMIT`: HEAD, the index and the files that differ between HEAD and
    /// `commit` go back to `commit`; other local changes stay (git refuses rather than lose one).
    pub fn reset_keep(&self, commit: &str) -> Result<()> {
        self.run(&["reset", "--quiet", "--keep", commit])
            .map(|_| ())
    }

    /// Completes a shallow clone from `remote`: the whole history and every tag, so that the
    /// last release and the commits since it can be read.
    pub fn fetch_unshallow(&self, remote: &str) -> Result<()> {
        self.run(&["fetch", "--quiet", "--unshallow", "--tags", remote])?;
        Ok(())
    }
}

/// How a push ended, when git could talk to the remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushResult {
    /// Every ref was pushed.
    Pushed,
    /// The push was refused, with the words of whoever refused it, redacted; nothing was pushed.
    Refused(String),
}

/// What the refusal said: each refused ref with its reason (`--porcelain` prints them on
/// standard output as `!\tFROM:TO\t[rejected] (reason)`), and git's and the remote's messages
/// without git's hints.
fn refusal_words(stdout: &str, stderr: &str) -> String {
    let refused = stdout.lines().filter_map(|line| {
        let mut fields = line.strip_prefix("!\t")?.splitn(2, '\t');
        let spec = fields.next()?;
        let reason = fields.next().unwrap_or_default();
        let target = spec.rsplit(':').next().unwrap_or(spec);
        Some(format!("{target}: {reason}"))
    });
    let said = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("hint:"))
        .map(String::from);
    let mut words: Vec<String> = Vec::new();
    for line in refused.chain(said) {
        if !words.contains(&line) {
            words.push(line);
        }
    }
    words.join("; ")
}

/// Text from git or the remote, without credentials (see [`crate::secret::redact`]).
pub fn redacted(text: &str) -> String {
    let token = config::token_from(&config::process_environment);
    redact(text, token.as_ref())
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

    #[test]
    fn a_refusal_is_told_in_the_words_of_who_refused() {
        // (porcelain standard output, standard error) → words
        let rows = [
            (
                "To ../remote.git\n!\tabc:refs/heads/main\t[rejected] (fetch first)\n!\trefs/tags/v1:refs/tags/v1\t[rejected] (atomic push failed)\nDone\n",
                "error: failed to push some refs to '../remote.git'\nhint: Updates were rejected because the remote contains work\n",
                "refs/heads/main: [rejected] (fetch first); refs/tags/v1: [rejected] (atomic push failed); error: failed to push some refs to '../remote.git'",
            ),
            (
                "",
                "hook says no\nerror: failed to push some refs to 'https://tok@host/r'\n",
                "hook says no; error: failed to push some refs to 'https://tok@host/r'",
            ),
        ];
        for (stdout, stderr, expected) in rows {
            assert_eq!(refusal_words(stdout, stderr), expected);
        }
        assert_eq!(
            redacted("to 'https://tok@host/r'"),
            "to 'https://***@host/r'"
        );
    }
}
