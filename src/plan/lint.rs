//! `relcut check`: which commits do not follow Conventional Commits 1.0.0, and why.
//!
//! Pure: commits in, offenders out.

use std::fmt;

use crate::plan::conventional;
use crate::plan::history::RawCommit;

/// A commit that does not follow the specification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Offender {
    /// The full id.
    pub id: String,
    /// The first line of the message.
    pub subject: String,
    /// Each thing that is wrong, as a short phrase.
    pub problems: Vec<String>,
}

impl fmt::Display for Offender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:?}: {}",
            &self.id[..self.id.len().min(7)],
            self.subject,
            self.problems.join("; ")
        )
    }
}

/// Every offending commit, newest first.
pub fn offenders(commits: &[RawCommit]) -> Vec<Offender> {
    commits
        .iter()
        .filter_map(|commit| {
            let problems = conventional::lint(&commit.message, commit.parent_count);
            (!problems.is_empty()).then(|| Offender {
                id: commit.id.clone(),
                subject: commit.subject().to_string(),
                problems: problems
                    .into_iter()
                    .map(|problem| match problem.line {
                        0 | 1 => problem.to_string(),
                        line => format!("line {line}: {problem}"),
                    })
                    .collect(),
            })
        })
        .collect()
}
