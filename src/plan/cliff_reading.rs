//! What git-cliff is given to read for each commit when relcut's own template renders the
//! changelog ([`CommitReading::Relcut`]), so the changelog reads every commit the way the bump
//! did: conventional or not, and with the same type, scope and breaking flag. (With a project's
//! own git-cliff configuration git-cliff's reading wins instead, and the bump follows it:
//! `plan::cliff_bump`.)
//!
//! Pure: a message in, the text git-cliff should parse out. It must leave alone every commit that
//! git-cliff's parser (`git-conventional`) already reads as relcut's does, so a `cliff.toml`
//! renders those byte for byte as git-cliff renders them.
//!
//! Where the two parsers disagree under relcut's template, relcut's reading wins:
//! - relcut reads a conventional commit that git-cliff reads otherwise (`BREAKING CHANGE #12`
//!   read as breaking, a padded scope, leading blank lines, a trailing `Refs:` that git-cliff
//!   rejects): git-cliff gets the message written anew from relcut's parse, which it reads with
//!   relcut's type, scope and breaking flag;
//! - relcut reads no conventional commit (a merge, `feat:add`, a `feat/ui:` type) where
//!   git-cliff reads one: git-cliff's conventional parse is made to fail, so it treats the
//!   commit as unconventional, and its message stays as written.

use crate::plan::conventional::{self, CommitClass, ConventionalCommit, Footer};

/// Whose reading of a commit decides its type, scope, breaking flag and bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommitReading {
    /// relcut's parser. relcut's own template renders the changelog, and git-cliff is handed
    /// each commit so that it reads it as relcut does ([`for_git_cliff`]).
    #[default]
    Relcut,
    /// git-cliff's. A project's own git-cliff configuration renders the changelog, so its
    /// changelog is the one git-cliff writes: commits are handed over as written, and the bump
    /// counts what git-cliff makes of them (`plan::cliff_bump`).
    GitCliff,
}

/// How to hand one commit to git-cliff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliffReading {
    /// git-cliff reads the message as relcut does: give it as written.
    AsWritten,
    /// Give git-cliff this message instead, written from relcut's parse.
    Rewritten(String),
    /// relcut reads no conventional commit: keep the message, and give git-cliff this text to
    /// parse as the conventional commit (its `raw_message`), which it cannot parse.
    Unconventional(String),
}

/// The type, scope and breaking flag of a conventional commit; `None` when not conventional.
type Reading<'a> = Option<(&'a str, Option<&'a str>, bool)>;

/// How git-cliff must be given `message` so that it reads it as `conventional::classify` does.
pub fn for_git_cliff(message: &str, parent_count: usize) -> CliffReading {
    let class = conventional::classify(message, parent_count);
    let relcut = relcut_reading(&class);
    if git_cliff_reading(message) == relcut {
        return CliffReading::AsWritten;
    }
    match &class {
        CommitClass::Conventional(commit) => CliffReading::Rewritten(rewritten(commit)),
        CommitClass::Merge | CommitClass::Revert { .. } | CommitClass::NonConventional(_) => {
            // A type cannot start with a line break, so git-conventional rejects the text.
            CliffReading::Unconventional(format!("\n{message}"))
        }
    }
}

fn relcut_reading(class: &CommitClass) -> Reading<'_> {
    match class {
        CommitClass::Conventional(commit) => conventional_reading(commit),
        CommitClass::Merge | CommitClass::Revert { .. } | CommitClass::NonConventional(_) => None,
    }
}

fn conventional_reading(commit: &ConventionalCommit) -> Reading<'_> {
    Some((
        commit.kind.as_str(),
        commit.scope.as_deref(),
        commit.is_breaking(),
    ))
}

/// How git-cliff-core reads `message`: with `git-conventional`, as `Commit::into_conventional`.
fn git_cliff_reading(message: &str) -> Reading<'_> {
    let commit = git_conventional::Commit::parse(message).ok()?;
    Some((
        commit.type_().as_str(),
        commit.scope().map(|scope| scope.as_str()),
        commit.breaking(),
    ))
}

/// `commit` written out so that git-conventional reads relcut's type, scope and breaking flag.
fn rewritten(commit: &ConventionalCommit) -> String {
    let full = written(commit, true);
    if git_cliff_reading(&full) == conventional_reading(commit) {
        return full;
    }
    // Not reached by any message in the tests; a safe reading if some text still trips it.
    written(commit, false)
}

/// The subject, then (when `with_text`) the body and footers. A line git-conventional would
/// read as the start of a footer where relcut reads body or a footer's continuation, or as a
/// breaking-change footer relcut does not count, is indented by one space so it stays text.
fn written(commit: &ConventionalCommit, with_text: bool) -> String {
    let mut text = commit.kind.clone();
    if let Some(scope) = &commit.scope {
        text.push('(');
        text.push_str(scope);
        text.push(')');
    }
    let breaking_by_footer = commit.footers.iter().any(Footer::is_breaking_change);
    if commit.bang || (!with_text && breaking_by_footer) {
        text.push('!');
    }
    text.push_str(": ");
    text.push_str(&commit.description);
    if !with_text {
        return text;
    }
    if let Some(body) = &commit.body {
        text.push_str("\n\n");
        let mut paragraph_start = true;
        for (index, line) in body.split('\n').enumerate() {
            if index > 0 {
                text.push('\n');
            }
            if paragraph_start && starts_git_cliff_footer(line) {
                text.push(' ');
            }
            text.push_str(line);
            paragraph_start = line.trim().is_empty();
        }
    }
    for (index, footer) in commit.footers.iter().enumerate() {
        text.push_str(if index == 0 { "\n\n" } else { "\n" });
        let line = format!(
            "{}{}{}",
            footer.token,
            footer.separator.as_str(),
            footer.value
        );
        for (number, line) in line.split('\n').enumerate() {
            if number > 0 {
                text.push('\n');
            }
            let own_start = number == 0 && !is_uncounted_breaking_footer(footer);
            if !own_start && starts_git_cliff_footer(line) {
                text.push(' ');
            }
            text.push_str(line);
        }
    }
    text
}

/// `BREAKING CHANGE #12` and the like: a footer git-conventional counts as breaking and relcut
/// does not (rule 12 wants `: `).
fn is_uncounted_breaking_footer(footer: &Footer) -> bool {
    !footer.is_breaking_change() && is_breaking_token(&footer.token)
}

fn is_breaking_token(token: &str) -> bool {
    token == "BREAKING CHANGE" || token == "BREAKING-CHANGE"
}

/// Whether git-conventional reads `line` as the start of a footer: `BREAKING CHANGE` or a word
/// without whitespace, parentheses, `:` or `!`, then `:` or ` #`.
fn starts_git_cliff_footer(line: &str) -> bool {
    let separated = |rest: &str| rest.starts_with(':') || rest.starts_with(" #");
    if line.strip_prefix("BREAKING CHANGE").is_some_and(separated) {
        return true;
    }
    let token_len = line
        .find(|c: char| matches!(c, '(' | ')' | ':' | '!') || c.is_whitespace())
        .unwrap_or(line.len());
    token_len > 0 && separated(&line[token_len..])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::plan::conventional::tests::{classify_rows, parse_rows};

    /// Every message of relcut's parser and classification tables, with its parent count, and
    /// the cases git-cliff is known to read differently.
    pub(crate) fn table_messages() -> Vec<(&'static str, &'static str, usize)> {
        let mut rows: Vec<(&str, &str, usize)> = parse_rows()
            .into_iter()
            .map(|(name, message, _)| (name, message, 1))
            .collect();
        rows.extend(
            classify_rows()
                .into_iter()
                .map(|(name, message, parents, _)| (name, message, parents)),
        );
        rows.extend([
            ("issue 7", "fix: three\n\nBREAKING CHANGE #12", 1),
            ("BREAKING-CHANGE:x", "feat: x\n\nBREAKING-CHANGE:y", 1),
            (
                "uncounted breaking footer among footers",
                "fix: x\n\nRefs: #1\nBREAKING CHANGE #2\nBREAKING-CHANGE: counted",
                1,
            ),
            (
                "footer continuation that looks like a breaking footer",
                "fix: x\n\nRefs: #1\n BREAKING CHANGE: no",
                1,
            ),
            (
                "body paragraphs that look like footers",
                "fix( a ): x\n\nNote: a\n\nBREAKING CHANGE:\nprose\n\nRefs:",
                1,
            ),
            (
                "leading blank lines and !",
                "\n\nfeat(api)!: x\n\nRefs #1",
                1,
            ),
        ]);
        rows
    }

    #[test]
    fn what_git_cliff_reads_is_what_relcut_reads() {
        for (name, message, parents) in table_messages() {
            let message = message.trim_end();
            let class = conventional::classify(message, parents);
            let want = relcut_reading(&class);
            let given = match for_git_cliff(message, parents) {
                CliffReading::AsWritten => message.to_string(),
                CliffReading::Rewritten(text) => {
                    // The full rewrite, not the subject-only fallback, serves every row.
                    let CommitClass::Conventional(commit) = &class else {
                        panic!("{name}: rewritten but not conventional");
                    };
                    assert_eq!(text, written(commit, true), "{name}");
                    text
                }
                CliffReading::Unconventional(text) => text,
            };
            assert_eq!(git_cliff_reading(&given), want, "{name}: {given:?}");
        }
    }

    #[test]
    fn rewrites() {
        let rows: &[(&str, usize, CliffReading)] = &[
            (
                "feat(api)!: x\n\nBREAKING CHANGE: y",
                1,
                CliffReading::AsWritten,
            ),
            ("Update README", 1, CliffReading::AsWritten),
            (
                "fix: three\n\nBREAKING CHANGE #12",
                1,
                CliffReading::Rewritten(String::from("fix: three\n\n BREAKING CHANGE #12")),
            ),
            (
                "feat( api ): x",
                1,
                CliffReading::Rewritten(String::from("feat(api): x")),
            ),
            (
                "\n\nfix: x\n\nRefs:",
                1,
                CliffReading::Rewritten(String::from("fix: x\n\n Refs:")),
            ),
            (
                "feat: x\n\nBREAKING CHANGE: y\n\nMore about y.",
                1,
                CliffReading::Rewritten(String::from(
                    "feat: x\n\n BREAKING CHANGE: y\n\nMore about y.",
                )),
            ),
            (
                "feat: x",
                2,
                CliffReading::Unconventional(String::from("\nfeat: x")),
            ),
            (
                "feat:add x",
                1,
                CliffReading::Unconventional(String::from("\nfeat:add x")),
            ),
        ];
        for (message, parents, want) in rows {
            assert_eq!(&for_git_cliff(message, *parents), want, "{message:?}");
        }
    }

    #[test]
    fn the_fallback_keeps_the_reading() {
        let commit = conventional::parse("fix(a): x\n\nBREAKING CHANGE: y").unwrap();
        assert_eq!(written(&commit, false), "fix(a)!: x");
        let commit = conventional::parse("fix(a): x\n\nBREAKING CHANGE #1").unwrap();
        assert_eq!(written(&commit, false), "fix(a): x");
    }
}
