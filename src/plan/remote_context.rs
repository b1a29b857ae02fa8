//! What GitHub knows of a release's commits, for templates that read it: each commit's
//! `remote` (the author's GitHub account, the pull request it was merged from) and the release's
//! `github.contributors`, computed as git-cliff computes them. Pure: the data comes in from the
//! forge, read only when a template reads it.

use std::collections::HashMap;

use git_cliff_core::contributor::RemoteContributor;
use git_cliff_core::release::Release;

/// A commit as GitHub knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCommit {
    /// The full id.
    pub sha: String,
    /// The GitHub account GitHub matched the author to, if any.
    pub login: Option<String>,
    /// The author date, seconds since the epoch.
    pub timestamp: Option<i64>,
}

/// A closed pull request, for the commit it was merged as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    /// Its number.
    pub number: i64,
    /// Its title.
    pub title: Option<String>,
    /// Its labels' names.
    pub labels: Vec<String>,
    /// The commit it was merged as (GitHub's `merge_commit_sha`).
    pub merge_commit: Option<String>,
    /// Who opened it.
    pub author: Option<String>,
}

/// The repository's commits (newest first, as GitHub lists them) and closed pull requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteData {
    pub commits: Vec<RemoteCommit>,
    pub pull_requests: Vec<PullRequest>,
}

/// The variables of a Tera template that read remote data (`github.contributors`,
/// `commit.remote.username`, …), read from its tags and expressions with string literals left
/// out: git-cliff's own list of a template's variables leaves out those used only in
/// `{% set %}` or `{% for %}`, and `remote.github.owner` (configuration) or a
/// `https://github.com/…` link are not data.
pub fn remote_variables(template: &str) -> Vec<String> {
    static CODE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?s)\{\{(.*?)\}\}|\{%(.*?)%\}").expect("a valid regular expression")
    });
    static STRING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#""[^"]*"|'[^']*'|`[^`]*`"#).expect("a valid regular expression")
    });
    static READ: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:^|[^.\w])((?:github|commit\.remote|commit\.github)(?:\.\w+)*)")
            .expect("a valid regular expression")
    });
    let mut found = Vec::new();
    for code in CODE.captures_iter(template) {
        let code = code
            .get(1)
            .or_else(|| code.get(2))
            .map_or("", |m| m.as_str());
        let code = STRING.replace_all(code, " ");
        found.extend(READ.captures_iter(&code).map(|read| read[1].to_string()));
    }
    found
}

/// Sets each of the release's commits' `remote` from `data` and returns the release's
/// contributors, each once, in the order GitHub lists their commits. A contributor is there for
/// the first time when no commit of theirs outside the release is older than the release's own
/// commit (for a release not made yet, or one GitHub does not list, none outside it at all).
pub fn contributors(release: &mut Release<'_>, data: &RemoteData) -> Vec<RemoteContributor> {
    let index: HashMap<String, usize> = release
        .commits
        .iter()
        .enumerate()
        .map(|(at, commit)| (commit.id.clone(), at))
        .collect();
    let mut pulls: HashMap<&str, &PullRequest> = HashMap::new();
    for pull in &data.pull_requests {
        if let Some(merged) = &pull.merge_commit {
            pulls.entry(merged.as_str()).or_insert(pull);
        }
    }
    let mut found: Vec<RemoteContributor> = Vec::new();
    let mut outside: Vec<&RemoteCommit> = Vec::new();
    let mut release_commit_time = None;
    for remote in &data.commits {
        let Some(&at) = index.get(remote.sha.as_str()) else {
            outside.push(remote);
            continue;
        };
        // git-cliff also takes a pull request whose merge commit is written short (12 digits).
        let short: String = remote.sha.chars().take(12).collect();
        let pull = pulls
            .get(remote.sha.as_str())
            .or_else(|| pulls.get(short.as_str()))
            .copied();
        let entry = RemoteContributor {
            username: remote.login.clone(),
            pr_author: pull.and_then(|pull| pull.author.clone()),
            pr_title: pull.and_then(|pull| pull.title.clone()),
            pr_number: pull.map(|pull| pull.number),
            pr_numbers: Vec::new(),
            pr_labels: pull.map(|pull| pull.labels.clone()).unwrap_or_default(),
            is_first_time: false,
        };
        match found
            .iter_mut()
            .find(|known| known.username == entry.username)
        {
            Some(known) => {
                if let Some(number) = entry.pr_number
                    && !known.pr_numbers.contains(&number)
                {
                    known.pr_numbers.push(number);
                }
            }
            None => found.push(RemoteContributor {
                pr_author: None,
                pr_numbers: entry.pr_number.into_iter().collect(),
                ..entry.clone()
            }),
        }
        release.commits[at].remote = Some(entry);
        if release.commit_id.as_deref() == Some(remote.sha.as_str()) {
            release_commit_time = remote.timestamp;
        }
    }
    let unbounded = release.timestamp.is_none() || release_commit_time.is_none();
    for contributor in &mut found {
        contributor.pr_numbers.sort_unstable();
        contributor.is_first_time = !outside.iter().any(|remote| {
            (unbounded || remote.timestamp < release_commit_time)
                && remote.login == contributor.username
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use git_cliff_core::commit::Commit;

    #[test]
    fn only_expressions_that_read_remote_data_count() {
        let template = r#"[{{ version }}]: https://github.com/{{ remote.github.owner }}/x
{% for c in github.contributors | filter(attribute="is_first_time", value=true) %}{{ c.username }}{% endfor %}
{{ "https://github.com/" ~ commit.id }} {{ commit.remote.pr_number }}"#;
        assert_eq!(
            remote_variables(template),
            ["github.contributors", "commit.remote.pr_number"]
        );
        assert!(remote_variables("https://github.com/{{ remote.github.repo }}").is_empty());
    }

    fn remote(sha: &str, login: &str, timestamp: i64) -> RemoteCommit {
        RemoteCommit {
            sha: sha.to_string(),
            login: Some(login.to_string()),
            timestamp: Some(timestamp),
        }
    }

    fn release(ids: &[&str], tagged: bool) -> Release<'static> {
        Release {
            version: tagged.then(|| String::from("v1.1.0")),
            commit_id: ids.last().map(|id| id.to_string()),
            timestamp: tagged.then_some(300),
            commits: ids
                .iter()
                .map(|id| Commit {
                    id: id.to_string(),
                    message: String::from("feat: x"),
                    ..Commit::default()
                })
                .collect(),
            ..Release::default()
        }
    }

    fn data() -> RemoteData {
        RemoteData {
            commits: vec![
                remote("c3", "newcomer", 300),
                remote("c2", "regular", 200),
                remote("c1", "regular", 100),
                remote("c0", "old-timer", 50),
            ],
            pull_requests: vec![PullRequest {
                number: 7,
                title: Some(String::from("Add x")),
                labels: vec![String::from("feature")],
                merge_commit: Some(String::from("c3")),
                author: Some(String::from("newcomer")),
            }],
        }
    }

    #[test]
    fn commits_get_their_account_and_pull_request() {
        let mut release = release(&["c2", "c3"], true);
        let contributors = contributors(&mut release, &data());
        let newest = release.commits[1].remote.as_ref().unwrap();
        assert_eq!(newest.username.as_deref(), Some("newcomer"));
        assert_eq!(newest.pr_number, Some(7));
        assert_eq!(newest.pr_title.as_deref(), Some("Add x"));
        assert_eq!(newest.pr_labels, ["feature"]);
        assert_eq!(newest.pr_author.as_deref(), Some("newcomer"));
        let names: Vec<(Option<&str>, bool, &[i64])> = contributors
            .iter()
            .map(|c| {
                (
                    c.username.as_deref(),
                    c.is_first_time,
                    c.pr_numbers.as_slice(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                (Some("newcomer"), true, &[7][..]),
                (Some("regular"), false, &[][..])
            ]
        );
    }

    #[test]
    fn an_unreleased_release_counts_every_commit_outside_it() {
        let mut newest = release(&["c3"], false);
        let found = contributors(&mut newest, &data());
        assert_eq!(found.len(), 1);
        assert!(found[0].is_first_time);
        let mut middle = release(&["c2"], false);
        let found = contributors(&mut middle, &data());
        assert!(!found[0].is_first_time, "`regular` has c1 outside it");
    }
}
