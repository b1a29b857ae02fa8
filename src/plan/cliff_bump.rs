//! The bump of a project whose own git-cliff configuration renders the changelog: that changelog
//! is git-cliff's, byte for byte, so the bump counts what it counts. Each commit goes through
//! git-cliff-core's own processing (its preprocessors, its Conventional Commits parser, its commit
//! parsers and their `skip`, `split_commits`); the type and breaking flag git-cliff found give
//! the level by relcut's bump rules. A commit the configuration leaves out (its paths, a
//! parser's `skip`) does not count. A commit git-cliff's parser cannot read and relcut's can
//! counts as relcut reads it: losing a feature to a parser's strictness would be the worse
//! mistake. Either way the plan says why, next to the commit.
//!
//! Pure.

use std::collections::{HashMap, HashSet};

use git_cliff_core::config::GitConfig;
use git_cliff_core::process::CommitProcessor;
use git_cliff_core::summary::Summary;

use crate::plan::changelog::to_cliff_commit;
use crate::plan::cliff_reading::CommitReading;
use crate::plan::commits::{self, AnalyzedCommit, CommitAnalysis, CommitKind};
use crate::plan::conventional::BumpRules;
use crate::plan::history::RawCommit;
use crate::plan::policy::ReleasePolicy;
use crate::plan::version::Level;

/// The commits since the last release, read as the policy says: `commits` are all of them,
/// newest first; `listed` are the same commits as the changelog reads them (preprocessed by
/// commands, selected by path: `commands::changelog_commits`).
pub fn analyze(
    commits: &[RawCommit],
    listed: &[RawCommit],
    policy: &ReleasePolicy,
) -> CommitAnalysis {
    let mut analysis = commits::analyze(commits, &policy.bump_rules);
    if policy.commit_reading == CommitReading::GitCliff {
        reread(
            &mut analysis,
            listed,
            &policy.changelog.git,
            &policy.bump_rules,
        );
    }
    analysis
}

/// What git-cliff made of one commit.
struct CliffRead {
    kind: String,
    scope: Option<String>,
    breaking: bool,
    level: Option<Level>,
}

fn reread(
    analysis: &mut CommitAnalysis,
    listed: &[RawCommit],
    config: &GitConfig,
    rules: &BumpRules,
) {
    let mut processed: Vec<_> = listed
        .iter()
        .map(|commit| to_cliff_commit(config, CommitReading::GitCliff, commit))
        .collect();
    // `require_conventional` and `fail_on_unmatched_commit` judge the whole list, not a commit's
    // reading; the rendering of the same commits reports them, once.
    let reading = GitConfig {
        require_conventional: false,
        fail_on_unmatched_commit: false,
        ..config.clone()
    };
    let _ = CommitProcessor::new(&reading, &mut Summary::default()).run(&mut processed);
    let mut read: HashMap<&str, CliffRead> = HashMap::new();
    for commit in &processed {
        let Some(conv) = &commit.conv else {
            continue;
        };
        let kind = conv.type_().as_str();
        let breaking = conv.breaking();
        let level = rules.level_of_type(kind, breaking);
        // `split_commits` makes one entry a line: the commit asks for the highest of them.
        if read
            .get(commit.id.as_str())
            .is_some_and(|seen| seen.level >= level)
        {
            continue;
        }
        read.insert(
            commit.id.as_str(),
            CliffRead {
                kind: kind.to_lowercase(),
                scope: conv.scope().map(|scope| scope.as_str().to_string()),
                breaking,
                level,
            },
        );
    }
    let listed: HashMap<&str, &RawCommit> = listed
        .iter()
        .map(|commit| (commit.id.as_str(), commit))
        .collect();
    let mut seen = HashSet::new();
    for commit in &mut analysis.commits {
        if !seen.insert(commit.id.clone()) {
            continue;
        }
        match read.remove(commit.id.as_str()) {
            Some(cliff) => {
                commit.kind = CommitKind::Conventional;
                commit.commit_type = Some(cliff.kind);
                commit.scope = cliff.scope;
                commit.breaking = cliff.breaking;
                commit.bump = cliff.level;
                commit.problem = None;
            }
            None => not_read(commit, listed.get(commit.id.as_str()).copied(), config),
        }
    }
    analysis.level = analysis
        .commits
        .iter()
        .filter_map(|commit| commit.bump)
        .max();
}

/// A commit relcut reads as a Conventional Commit and git-cliff's processing gives no reading
/// of. One the configuration leaves out on purpose (its paths, a parser's `skip`) asks for no
/// bump. One git-cliff's parser cannot read keeps relcut's reading: its type is the author's
/// intent, and a parser on the message may still list it under that type's group.
fn not_read(commit: &mut AnalyzedCommit, listed: Option<&RawCommit>, config: &GitConfig) {
    if commit.kind != CommitKind::Conventional {
        return;
    }
    let Some(listed) = listed else {
        if commit.bump.take().is_some() {
            commit.problem = Some(String::from(
                "not counted: the changelog's paths leave it out",
            ));
        }
        return;
    };
    let parsed = to_cliff_commit(config, CommitReading::GitCliff, listed)
        .preprocess(&config.commit_preprocessors)
        .and_then(|commit| commit.into_conventional());
    match parsed {
        Err(error) => {
            commit.problem = Some(format!(
                "git-cliff's parser does not read it ({}); counted as relcut reads it",
                parse_error(&error)
            ));
        }
        Ok(_) => {
            if commit.bump.take().is_some() {
                commit.problem = Some(String::from(
                    "not counted: the changelog's commit parsers leave it out",
                ));
            }
        }
    }
}

/// git-cliff-core's parse error without its "Cannot parse the commit: " framing.
fn parse_error(error: &git_cliff_core::error::Error) -> String {
    let text = match error {
        git_cliff_core::error::Error::ParseError(error) => error.to_string(),
        other => other.to_string(),
    };
    let mut chars = text.chars();
    chars.next().map_or(text.clone(), |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::history::Person;

    fn raw(index: usize, message: &str) -> RawCommit {
        let person = Person {
            name: Some(String::from("A")),
            email: Some(String::from("a@example.com")),
            time: 1_700_000_000 + index as i64,
        };
        RawCommit {
            id: format!("{index:040x}"),
            message: message.to_string(),
            parent_count: 1,
            parents: Vec::new(),
            author: person.clone(),
            committer: person,
            statistics: None,
        }
    }

    fn policy(reading: CommitReading, config: GitConfig) -> ReleasePolicy {
        let mut policy =
            crate::config::Settings::load_for_versions(std::path::Path::new("/nonexistent"))
                .unwrap()
                .policy;
        policy.changelog.git = config;
        policy.commit_reading = reading;
        policy
    }

    fn cliff_default() -> GitConfig {
        git_cliff_core::embed::EmbeddedConfig::parse().unwrap().git
    }

    fn level(messages: &[&str], policy: &ReleasePolicy) -> Option<Level> {
        let commits: Vec<RawCommit> = messages
            .iter()
            .enumerate()
            .map(|(index, message)| raw(index, message))
            .collect();
        analyze(&commits, &commits, policy).level
    }

    #[test]
    fn the_bump_counts_what_git_cliff_reads() {
        let cliff = policy(CommitReading::GitCliff, cliff_default());
        let relcut = policy(CommitReading::Relcut, cliff_default());
        // Read alike by both parsers.
        for reading in [&cliff, &relcut] {
            assert_eq!(level(&["feat: a", "fix: b"], reading), Some(Level::Minor));
            assert_eq!(level(&["chore: a"], reading), None);
        }
        // git-conventional reads `BREAKING CHANGE #12` as breaking; relcut wants `: `.
        let footer = "fix: a\n\nBREAKING CHANGE #12";
        assert_eq!(level(&[footer], &cliff), Some(Level::Major));
        assert_eq!(level(&[footer], &relcut), Some(Level::Patch));
    }

    #[test]
    fn a_skipped_commit_does_not_count_and_says_why() {
        let mut config = cliff_default();
        config.commit_parsers.insert(
            0,
            git_cliff_core::config::CommitParser {
                message: regex::Regex::new("^feat\\(internal\\)").ok(),
                skip: Some(true),
                ..Default::default()
            },
        );
        let cliff = policy(CommitReading::GitCliff, config);
        let commits = [raw(0, "feat(internal): hidden"), raw(1, "fix: shown")];
        let analysis = analyze(&commits, &commits, &cliff);
        assert_eq!(analysis.level, Some(Level::Patch));
        assert_eq!(analysis.commits[0].bump, None);
        assert_eq!(
            analysis.commits[0].problem.as_deref(),
            Some("not counted: the changelog's commit parsers leave it out")
        );
    }

    #[test]
    fn a_commit_outside_the_paths_does_not_count() {
        let cliff = policy(CommitReading::GitCliff, cliff_default());
        let commits = [raw(0, "feat: elsewhere"), raw(1, "fix: here")];
        let analysis = analyze(&commits, &commits[1..], &cliff);
        assert_eq!(analysis.level, Some(Level::Patch));
        assert_eq!(
            analysis.commits[0].problem.as_deref(),
            Some("not counted: the changelog's paths leave it out")
        );
    }

    #[test]
    fn a_commit_git_cliff_cannot_parse_counts_as_relcut_reads_it() {
        let cliff = policy(CommitReading::GitCliff, cliff_default());
        let commits = [raw(0, "feat: trailing refs\n\nRefs:")];
        let analysis = analyze(&commits, &commits, &cliff);
        assert_eq!(analysis.level, Some(Level::Minor));
        assert_eq!(analysis.commits[0].kind, CommitKind::Conventional);
        assert_eq!(
            analysis.commits[0].problem.as_deref(),
            Some(
                "git-cliff's parser does not read it (incorrect conventional commit format); counted as relcut reads it"
            )
        );
    }

    #[test]
    fn preprocessors_run_before_the_reading() {
        let mut config = cliff_default();
        config.commit_preprocessors = vec![git_cliff_core::config::TextProcessor {
            pattern: regex::Regex::new("^Feature: ").unwrap(),
            replace: Some(String::from("feat: ")),
            replace_command: None,
        }];
        let cliff = policy(CommitReading::GitCliff, config);
        assert_eq!(level(&["Feature: a"], &cliff), Some(Level::Minor));
    }

    #[test]
    fn split_commits_count_every_line() {
        let mut config = cliff_default();
        config.split_commits = true;
        let cliff = policy(CommitReading::GitCliff, config);
        assert_eq!(level(&["fix: a\nfeat: b"], &cliff), Some(Level::Minor));
    }
}
