//! The history as the plan reads it: commits, their authors, release tags. The reading side
//! (`repo`) fills these from git; the plan only reads them. Commit and tag ids are libgit2's
//! value type, `Oid`, which carries no repository.

use git2::Oid;

/// A tag whose name is a release version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTag {
    /// The tag's name, e.g. `v1.2.3`.
    pub name: String,
    /// The version the name stands for.
    pub version: semver::Version,
    /// The commit the tag points at (annotated tags peeled).
    pub commit: Oid,
}

/// A signature on a commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// The name, when it is valid UTF-8.
    pub name: Option<String>,
    /// The e-mail address, when it is valid UTF-8.
    pub email: Option<String>,
    /// Seconds since the Unix epoch.
    pub time: i64,
}

/// A commit as read from the repository, before any interpretation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCommit {
    /// The full hexadecimal id.
    pub id: String,
    /// The message with trailing white space removed.
    pub message: String,
    /// The author.
    pub author: Person,
    /// The committer.
    pub committer: Person,
    /// How many parents the commit has (more than one: a merge).
    pub parent_count: usize,
    /// The parents, first parent first: the changelog assigns commits to releases by what each
    /// tag reaches, as git-cliff does. Empty where only the messages matter.
    pub parents: Vec<Oid>,
    /// Diff statistics against the first parent, read only when a changelog template uses them.
    pub statistics: Option<DiffStatistics>,
}

/// What a commit changed, against its first parent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffStatistics {
    /// Files changed.
    pub files_changed: usize,
    /// Lines added.
    pub additions: usize,
    /// Lines removed.
    pub deletions: usize,
}

impl RawCommit {
    /// The first line of the message.
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or_default()
    }

    /// The abbreviated id shown to people.
    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }
}

/// A tag of any name, for the changelog of the whole history (git-cliff semantics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnyTag {
    /// The tag's name.
    pub name: String,
    /// The annotated tag's message, signature removed; `None` for lightweight tags.
    pub message: Option<String>,
    /// The commit the tag points at.
    pub commit: Oid,
    /// The commit's time, which orders tags as git-cliff does.
    pub commit_time: i64,
}
