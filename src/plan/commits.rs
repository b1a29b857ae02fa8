//! What the commits since the last release say: each commit's kind and the bump it asks for.
//!
//! Pure: takes commits as read from git and the bump rules; prints nothing, reads nothing.

use crate::plan::conventional::{self, BumpRules, CommitClass};
use crate::plan::history::RawCommit;
use crate::plan::version::Level;

/// How relcut reads one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitKind {
    /// A Conventional Commit.
    Conventional,
    /// A merge commit (more than one parent); never bumps.
    Merge,
    /// git's own `Revert "…"` commit; listed, never bumps by itself.
    Revert,
    /// Anything else; never bumps, an error with `--strict`.
    NonConventional,
}

/// One commit since the last release, as the plan reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AnalyzedCommit {
    /// The full id.
    pub id: String,
    /// The first line of the message.
    pub subject: String,
    /// How relcut reads it.
    pub kind: CommitKind,
    /// The Conventional Commit type, lower case.
    #[serde(rename = "type")]
    pub commit_type: Option<String>,
    /// The Conventional Commit scope, trimmed.
    pub scope: Option<String>,
    /// Whether it is a breaking change.
    pub breaking: bool,
    /// The bump it asks for.
    pub bump: Option<Level>,
    /// Why it is not conventional.
    pub problem: Option<String>,
}

impl AnalyzedCommit {
    /// The abbreviated id shown to people.
    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }
}

/// All commits since the last release and the bump they ask for together.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CommitAnalysis {
    /// Newest first.
    pub commits: Vec<AnalyzedCommit>,
    /// The highest bump any commit asks for; `None` when nothing is releasable.
    pub level: Option<Level>,
}

impl CommitAnalysis {
    /// Commits of one kind.
    pub fn of_kind(&self, kind: CommitKind) -> impl Iterator<Item = &AnalyzedCommit> {
        self.commits
            .iter()
            .filter(move |commit| commit.kind == kind)
    }

    /// Commits that ask for a bump.
    pub fn releasable(&self) -> impl Iterator<Item = &AnalyzedCommit> {
        self.commits.iter().filter(|commit| commit.bump.is_some())
    }
}

/// Reads every commit and combines their bumps.
pub fn analyze(commits: &[RawCommit], rules: &BumpRules) -> CommitAnalysis {
    let mut analysis = CommitAnalysis::default();
    analysis.commits.reserve(commits.len());
    for commit in commits {
        let analyzed = match conventional::classify(&commit.message, commit.parent_count) {
            CommitClass::Conventional(parsed) => {
                let bump = rules.level_of(&parsed);
                AnalyzedCommit {
                    id: commit.id.clone(),
                    subject: commit.subject().to_string(),
                    kind: CommitKind::Conventional,
                    commit_type: Some(parsed.type_lowercase()),
                    scope: parsed.scope.clone(),
                    breaking: parsed.is_breaking(),
                    bump,
                    problem: None,
                }
            }
            CommitClass::Merge => plain(commit, CommitKind::Merge, None),
            CommitClass::Revert { .. } => plain(commit, CommitKind::Revert, None),
            CommitClass::NonConventional(error) => {
                plain(commit, CommitKind::NonConventional, Some(error.to_string()))
            }
        };
        analysis.level = analysis.level.max(analyzed.bump);
        analysis.commits.push(analyzed);
    }
    analysis
}

fn plain(commit: &RawCommit, kind: CommitKind, problem: Option<String>) -> AnalyzedCommit {
    AnalyzedCommit {
        id: commit.id.clone(),
        subject: commit.subject().to_string(),
        kind,
        commit_type: None,
        scope: None,
        breaking: false,
        bump: None,
        problem,
    }
}
