//! The changelog's commit preprocessors, run by relcut when one of them runs a command
//! (`replace_command`): git-cliff-core runs such a command with its stdin written from a thread
//! that panics when the command is missing, and then skips the commit with a warning only a
//! logger sees, so a missing `typos` left a release's notes empty without a word. Here a command
//! that fails stops the command with its name and what it printed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use git_cliff_core::config::TextProcessor;

use crate::error::{Error, Result};
use crate::plan::history::RawCommit;

/// Whether the preprocessors must run here rather than in git-cliff-core: one runs a command.
pub fn runs_commands(processors: &[TextProcessor]) -> bool {
    processors
        .iter()
        .any(|processor| processor.replace.is_none() && processor.replace_command.is_some())
}

/// Rewrites each commit's message with the preprocessors in order, as git-cliff does: a
/// `replace` rewrites every match of the pattern; a `replace_command` gets the whole message on
/// standard input, when the pattern matches, and its output is the new message. The command
/// runs in `root` with `COMMIT_SHA` set, through `sh -c`.
pub fn preprocess(
    root: &Path,
    processors: &[TextProcessor],
    commits: &mut [RawCommit],
) -> Result<()> {
    for commit in commits {
        for processor in processors {
            if let Some(replace) = &processor.replace {
                let replaced = processor
                    .pattern
                    .replace_all(&commit.message, replace.as_str());
                if let std::borrow::Cow::Owned(text) = replaced {
                    commit.message = text;
                }
            } else if let Some(command) = &processor.replace_command
                && processor.pattern.is_match(&commit.message)
            {
                let output = run(root, command, &commit.message, &commit.id)?;
                commit.message = output.trim_end().to_string();
            }
        }
    }
    Ok(())
}

/// Runs one preprocessor command on one message.
fn run(root: &Path, command: &str, message: &str, id: &str) -> Result<String> {
    let short = &id[..id.len().min(7)];
    let failed = |detail: String| {
        Error::Changelog(format!(
            "the commit preprocessor `{command}` failed on commit {short}: {detail}; install the command or change the preprocessor in the changelog configuration (`relcut changelog --no-exec` renders without commands)"
        ))
    };
    let mut child = Command::new("sh")
        .args(["-c", command])
        .current_dir(root)
        .env("COMMIT_SHA", id)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| failed(format!("`sh` could not be started ({error})")))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = message.as_bytes().to_vec();
    // Written from a thread so that a command that prints before it reads cannot block on a
    // full pipe; a command that exits without reading is reported by its exit status below.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child
        .wait_with_output()
        .map_err(|error| failed(format!("it could not be waited for ({error})")))?;
    let _ = writer.join();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said = stderr.trim();
        let status = match output.status.code() {
            Some(code) => format!("exit status {code}"),
            None => String::from("killed by a signal"),
        };
        return Err(failed(if said.is_empty() {
            status
        } else {
            format!("{said} ({status})")
        }));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| failed(String::from("its output is not UTF-8 text")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::history::Person;

    fn processor(pattern: &str, replace: Option<&str>, command: Option<&str>) -> TextProcessor {
        TextProcessor {
            pattern: regex::Regex::new(pattern).unwrap(),
            replace: replace.map(String::from),
            replace_command: command.map(String::from),
        }
    }

    fn commit(message: &str) -> RawCommit {
        let person = Person {
            name: Some(String::from("A")),
            email: Some(String::from("a@example.com")),
            time: 0,
        };
        RawCommit {
            id: String::from("0123456789abcdef0123456789abcdef01234567"),
            message: message.to_string(),
            author: person.clone(),
            committer: person,
            parent_count: 1,
            parents: Vec::new(),
            statistics: None,
        }
    }

    #[test]
    fn replacements_and_commands_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let processors = [
            processor("teh", Some("the"), None),
            processor(
                "^feat",
                None,
                Some("tr a-z A-Z; printf ' %s' \"$COMMIT_SHA\""),
            ),
        ];
        assert!(runs_commands(&processors));
        let mut commits = [commit("feat: teh thing"), commit("fix: teh bug")];
        preprocess(dir.path(), &processors, &mut commits).unwrap();
        assert_eq!(
            commits[0].message,
            "FEAT: THE THING 0123456789abcdef0123456789abcdef01234567"
        );
        assert_eq!(commits[1].message, "fix: the bug");
    }

    #[test]
    fn a_missing_command_is_an_error_naming_it_and_what_it_said() {
        let dir = tempfile::tempdir().unwrap();
        let processors = [processor(
            ".*",
            None,
            Some("relcut-no-such-command --fix -"),
        )];
        let mut commits = [commit("feat: x")];
        let error = preprocess(dir.path(), &processors, &mut commits)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "the commit preprocessor `relcut-no-such-command --fix -` failed on commit 0123456"
            ),
            "{error}"
        );
        assert!(error.contains("not found"), "{error}");
        assert!(error.contains("exit status 127"), "{error}");
    }

    #[test]
    fn only_commands_need_relcut_to_run_the_preprocessors() {
        assert!(!runs_commands(&[processor("a", Some("b"), None)]));
        assert!(!runs_commands(&[]));
    }
}
