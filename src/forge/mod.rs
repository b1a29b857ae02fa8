//! The forge boundary: the GitHub API behind one trait, [`Forge`], so that the publish and deploy
//! steps and their probes never see HTTP, and tests can point it at a local double.
//!
//! [`GitHub`] implements it with octocrab on a runtime of its own; the rest of relcut stays
//! synchronous. Nothing here reads git, files or the environment (settings come in as
//! [`ForgeSettings`]) or prints. Errors are sentences that never carry the token; any text from
//! the server in them is redacted first.

mod github;

use std::fmt;

pub use github::GitHub;

use crate::config::{CONFIG_FILE, ForgeSettings};
use crate::error::{Error, Result};
use crate::repo::RemoteInfo;

/// A GitHub repository: `OWNER/NAME`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepoId {
    /// The user or organisation that owns it.
    pub owner: String,
    /// The repository's name.
    pub name: String,
}

impl RepoId {
    /// Reads `OWNER/NAME` (as in `GITHUB_REPOSITORY`); `None` unless both parts are names GitHub
    /// accepts (letters, digits, `-`, `_`, `.`).
    pub fn parse(text: &str) -> Option<RepoId> {
        let (owner, name) = text.trim().split_once('/')?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        let valid = |part: &str| {
            !part.is_empty()
                && !part.chars().all(|c| c == '.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (valid(owner) && valid(name)).then(|| RepoId {
            owner: owner.to_string(),
            name: name.to_string(),
        })
    }

    /// The repository relcut works on: `GITHUB_REPOSITORY` when set, else the remote's owner and
    /// name when the remote is on a GitHub host.
    pub fn resolve(settings: &ForgeSettings, remote: Option<&RemoteInfo>) -> Result<RepoId> {
        if let Some(text) = &settings.repository {
            return RepoId::parse(text).ok_or_else(|| Error::Config {
                path: "GITHUB_REPOSITORY".into(),
                message: format!(
                    "`{text}` is not `OWNER/REPO`; set it to the repository's owner and name, e.g. `octo-org/rocket`"
                ),
            });
        }
        let fix = format!(
            "set `GITHUB_REPOSITORY=OWNER/REPO`, or list a GitHub Enterprise host in `[github] hosts` of {CONFIG_FILE}"
        );
        match remote {
            None => Err(Error::Usage(format!(
                "cannot tell which GitHub repository this is: no remote names one; {fix}"
            ))),
            Some(remote) => match remote.host.as_deref() {
                Some(host) if settings.is_github_host(host) => Ok(RepoId {
                    owner: remote.owner.clone(),
                    name: remote.repo.clone(),
                }),
                host => Err(Error::Usage(format!(
                    "cannot tell which GitHub repository this is: the remote `{}` is on `{}`, which is not a GitHub host; {fix}",
                    remote.name,
                    host.unwrap_or("this machine")
                ))),
            },
        }
    }
}

impl fmt::Display for RepoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// What the forge says about a repository the token can see.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repository {
    /// `OWNER/NAME` as GitHub spells it.
    pub full_name: String,
    /// The repository's web page.
    pub html_url: String,
    /// The default branch, when GitHub said.
    pub default_branch: Option<String>,
}

/// A release on the forge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Release {
    /// GitHub's id of the release.
    pub id: u64,
    /// The tag the release is for.
    pub tag_name: String,
    /// The release's title.
    pub name: Option<String>,
    /// Whether it is a draft (not published).
    pub draft: bool,
    /// Whether it is marked as a prerelease.
    pub prerelease: bool,
    /// The release's web page.
    pub html_url: String,
    /// Where its assets are uploaded (a URI template, `…/assets{?name,label}`).
    pub upload_url: String,
}

/// The operations relcut needs from a forge. Every method is one request (or a few, for
/// retries) and blocks until it has an answer.
pub trait Forge {
    /// The repository, checking that the token may write to it (`GET /repos/{owner}/{repo}`):
    /// a refused token and a token that cannot see the repository or lacks `contents: write`
    /// are errors that say how to fix them.
    fn repository(&self, repo: &RepoId) -> Result<Repository>;

    /// The release for `tag`, or `None` when there is none
    /// (`GET /repos/{owner}/{repo}/releases/tags/{tag}`): the probe of the publish step.
    fn release_by_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>>;
}

/// The error of a request GitHub answered with 401: the token itself was refused.
fn token_refused(request: &str) -> Error {
    Error::Forge(format!(
        "GitHub answered 401 to `{request}`: the token was refused; set `GITHUB_TOKEN` (or `GH_TOKEN`) to a valid token that has not expired"
    ))
}

/// The error of a repository the token cannot see (403 or 404) or may not write to.
fn no_write_access(repo: &RepoId, what_happened: &str) -> Error {
    Error::Forge(format!(
        "{what_happened}: the token cannot see the repository `{repo}` or lacks the `contents: write` permission; grant it to the token (in a GitHub Actions workflow: `permissions: contents: write`; a fine-grained token: Contents, read and write, on this repository)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(repository: Option<&str>) -> ForgeSettings {
        ForgeSettings {
            api_url: String::from(crate::config::DEFAULT_GITHUB_API_URL),
            token: None,
            repository: repository.map(String::from),
            hosts: vec![String::from("github.com"), String::from("ghe.example.com")],
        }
    }

    fn remote(url: &str) -> RemoteInfo {
        let (host, owner, repo) = crate::repo::parse_remote_url(url).unwrap();
        RemoteInfo {
            name: String::from("origin"),
            host,
            owner,
            repo,
        }
    }

    #[test]
    fn the_repository_comes_from_github_repository_or_the_remote() {
        // (GITHUB_REPOSITORY, remote URL, the repository or the start of the error)
        type Row<'r> = (
            Option<&'r str>,
            Option<&'r str>,
            std::result::Result<&'r str, &'r str>,
        );
        let rows: &[Row] = &[
            (Some("acme/rocket"), None, Ok("acme/rocket")),
            (
                Some("acme/rocket"),
                Some("https://github.com/o/r.git"),
                Ok("acme/rocket"),
            ),
            (None, Some("https://github.com/o/r.git"), Ok("o/r")),
            (None, Some("https://github.com/o/r"), Ok("o/r")),
            (None, Some("ssh://git@github.com/o/r.git"), Ok("o/r")),
            (None, Some("git@ghe.example.com:o/r.git"), Ok("o/r")),
            (None, Some("https://GHE.example.com/o/r"), Ok("o/r")),
            (None, Some("https://gitlab.com/o/r.git"), Err("cannot tell")),
            (None, None, Err("cannot tell")),
            (Some("rocket"), None, Err("`GITHUB_REPOSITORY`")),
            (Some("a/b/c"), None, Err("`GITHUB_REPOSITORY`")),
            (Some("../x"), None, Err("`GITHUB_REPOSITORY`")),
        ];
        for (repository, url, expected) in rows {
            let remote = url.map(remote);
            let found = RepoId::resolve(&settings(*repository), remote.as_ref());
            match (found, expected) {
                (Ok(found), Ok(expected)) => assert_eq!(found.to_string(), *expected),
                (Err(error), Err(start)) => {
                    assert!(error.to_string().starts_with(start), "{error}")
                }
                (found, expected) => panic!("{repository:?} {url:?}: {found:?} not {expected:?}"),
            }
        }
    }
}
