//! The prompts of a guided `relcut release`, on standard error, and the text they show. The
//! texts are pure functions of the plan, so they are snapshot-tested; the prompts only ask.

use std::io;

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Editor, Input, Select};

use crate::error::{Error, Result};
use crate::plan::commits::{AnalyzedCommit, CommitAnalysis, CommitKind};
use crate::plan::version::Level;

/// The commits since the last release as a person reads them before choosing: breaking changes
/// first and marked, then each type (features and fixes first), then what did not count.
pub fn commit_summary(analysis: &CommitAnalysis, since: Option<&str>) -> String {
    let total = analysis.commits.len();
    let mut text = match since {
        Some(tag) => format!("{total} commit{} since {tag}:\n", plural(total)),
        None => format!("{total} commit{}, the whole history:\n", plural(total)),
    };
    let conventional: Vec<&AnalyzedCommit> = analysis.of_kind(CommitKind::Conventional).collect();
    let breaking: Vec<&AnalyzedCommit> = conventional
        .iter()
        .copied()
        .filter(|commit| commit.breaking)
        .collect();
    if !breaking.is_empty() {
        text.push_str("\n  Breaking changes\n");
        for commit in &breaking {
            text.push_str(&line("!", commit));
        }
    }
    let mut types: Vec<&str> = Vec::new();
    for commit in &conventional {
        let kind = commit.commit_type.as_deref().unwrap_or_default();
        if !types.contains(&kind) {
            types.push(kind);
        }
    }
    types.sort_by_key(|kind| match *kind {
        "feat" => 0,
        "fix" => 1,
        "perf" => 2,
        _ => 3,
    });
    for kind in types {
        let of_type: Vec<&&AnalyzedCommit> = conventional
            .iter()
            .filter(|commit| commit.commit_type.as_deref() == Some(kind) && !commit.breaking)
            .collect();
        if of_type.is_empty() {
            continue;
        }
        text.push_str(&format!("\n  {}\n", type_heading(kind)));
        for commit in of_type {
            text.push_str(&line(" ", commit));
        }
    }
    let apart: Vec<&AnalyzedCommit> = analysis
        .commits
        .iter()
        .filter(|commit| commit.kind != CommitKind::Conventional)
        .collect();
    if !apart.is_empty() {
        text.push_str("\n  Not counted (merges, reverts, not Conventional Commits)\n");
        for commit in apart {
            text.push_str(&line(" ", commit));
        }
    }
    text
}

/// Why the commits ask for their level, in a few words: `minor — 3 features, 2 fixes`.
pub fn suggestion_reason(analysis: &CommitAnalysis, level: Level) -> String {
    let conventional = || analysis.of_kind(CommitKind::Conventional);
    let count = |kind: &str| {
        conventional()
            .filter(|commit| commit.commit_type.as_deref() == Some(kind))
            .count()
    };
    let breaking = conventional().filter(|commit| commit.breaking).count();
    let mut parts = Vec::new();
    if breaking > 0 {
        parts.push(format!("{breaking} breaking change{}", plural(breaking)));
    }
    let features = count("feat");
    if features > 0 {
        parts.push(format!("{features} feature{}", plural(features)));
    }
    let fixes = count("fix");
    if fixes > 0 {
        parts.push(format!("{fixes} fix{}", if fixes == 1 { "" } else { "es" }));
    }
    let others = conventional()
        .filter(|commit| commit.bump.is_some())
        .count()
        - conventional()
            .filter(|commit| {
                commit.bump.is_some()
                    && (commit.breaking
                        || matches!(commit.commit_type.as_deref(), Some("feat" | "fix")))
            })
            .count();
    if others > 0 {
        parts.push(format!("{others} other bumping commit{}", plural(others)));
    }
    format!("{level} — {}", parts.join(", "))
}

fn type_heading(kind: &str) -> String {
    match kind {
        "feat" => String::from("Features (feat)"),
        "fix" => String::from("Fixes (fix)"),
        "perf" => String::from("Performance (perf)"),
        other => other.to_string(),
    }
}

fn line(mark: &str, commit: &AnalyzedCommit) -> String {
    format!("  {mark} {} {}\n", commit.short_id(), commit.subject)
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Ctrl-C at a prompt is an interruption (exit 130); any other failure is the terminal's.
fn prompt_error(error: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(error) = error;
    // A select hides the cursor while it waits; an interrupted one leaves it hidden.
    let _ = dialoguer::console::Term::stderr().show_cursor();
    if error.kind() == io::ErrorKind::Interrupted {
        Error::Interrupted
    } else {
        Error::Output(error)
    }
}

/// Asks to pick one of `items`; Escape or `q` is the last item (which is "cancel").
pub fn select(prompt: &str, items: &[String], default: usize) -> Result<usize> {
    let picked = Select::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact_opt()
        .map_err(prompt_error)?;
    Ok(picked.unwrap_or(items.len().saturating_sub(1)))
}

/// Asks for a line of text until `validate` accepts it.
pub fn input<T, F>(prompt: &str, validate: F) -> Result<T>
where
    F: Fn(&str) -> std::result::Result<T, String>,
{
    let text: String = Input::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .validate_with(|text: &String| validate(text.trim()).map(|_| ()))
        .interact_text()
        .map_err(prompt_error)?;
    validate(text.trim()).map_err(Error::Usage)
}

/// Opens `text` in the person's editor (`$VISUAL`, `$EDITOR`); `None` when they quit without
/// saving.
pub fn edit(text: &str) -> Result<Option<String>> {
    super::interrupt::set_phase(super::interrupt::Phase::Editing);
    let edited = Editor::new().extension(".md").edit(text);
    super::interrupt::set_phase(super::interrupt::Phase::Asking);
    edited.map_err(prompt_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(
        subject: &str,
        kind: CommitKind,
        commit_type: Option<&str>,
        breaking: bool,
        bump: Option<Level>,
    ) -> AnalyzedCommit {
        AnalyzedCommit {
            id: {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                subject.hash(&mut hasher);
                format!("{:016x}{:024}", hasher.finish(), 0)
            },
            subject: subject.to_string(),
            kind,
            commit_type: commit_type.map(String::from),
            scope: None,
            breaking,
            bump,
            problem: None,
        }
    }

    fn analysis() -> CommitAnalysis {
        use CommitKind::*;
        CommitAnalysis {
            commits: vec![
                commit(
                    "fix: a crash",
                    Conventional,
                    Some("fix"),
                    false,
                    Some(Level::Patch),
                ),
                commit("chore: tidy", Conventional, Some("chore"), false, None),
                commit(
                    "feat(api)!: drop v1",
                    Conventional,
                    Some("feat"),
                    true,
                    Some(Level::Major),
                ),
                commit("wip", NonConventional, None, false, None),
                commit(
                    "feat: search",
                    Conventional,
                    Some("feat"),
                    false,
                    Some(Level::Minor),
                ),
                commit(
                    "perf: faster",
                    Conventional,
                    Some("perf"),
                    false,
                    Some(Level::Patch),
                ),
                commit(
                    "fix: another",
                    Conventional,
                    Some("fix"),
                    false,
                    Some(Level::Patch),
                ),
                commit("Merge branch 'x'", Merge, None, false, None),
            ],
            level: Some(Level::Major),
        }
    }

    #[test]
    fn the_summary_puts_breaking_changes_first_and_what_did_not_count_apart() {
        insta::assert_snapshot!(commit_summary(&analysis(), Some("v1.2.0")));
    }

    #[test]
    fn the_reason_counts_what_the_level_comes_from() {
        assert_eq!(
            suggestion_reason(&analysis(), Level::Major),
            "major — 1 breaking change, 2 features, 2 fixes, 1 other bumping commit"
        );
        let fixes = CommitAnalysis {
            commits: vec![commit(
                "fix: a",
                CommitKind::Conventional,
                Some("fix"),
                false,
                Some(Level::Patch),
            )],
            level: Some(Level::Patch),
        };
        assert_eq!(suggestion_reason(&fixes, Level::Patch), "patch — 1 fix");
    }
}
