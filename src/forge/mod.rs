//! The forge boundary: the GitHub API behind one trait, [`Forge`], so that the publish and deploy
//! steps and their probes never see HTTP, and tests can point it at a local double.
//!
//! [`GitHub`] implements it with octocrab on a runtime of its own; the rest of relcut stays
//! synchronous. [`retry`] decides, in one place, which failures are tried again and when.
//! Nothing here reads git, files or the environment (settings come in as [`ForgeSettings`]) or
//! prints. Errors are sentences that never carry the token; any text from the server in them is
//! redacted first.

mod content_type;
mod github;
pub mod retry;

use std::fmt;

pub use content_type::content_type_for;
pub use github::GitHub;
pub use retry::{Backoff, RetryPolicy};

pub use crate::plan::remote_context::{PullRequest, RemoteCommit};

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
    /// The release notes (Markdown), when it has any.
    pub body: Option<String>,
    /// Whether it is a draft (not published).
    pub draft: bool,
    /// Whether it is marked as a prerelease.
    pub prerelease: bool,
    /// The release's web page.
    pub html_url: String,
    /// Where its assets are uploaded (a URI template, `…/assets{?name,label}`).
    pub upload_url: String,
    /// The files attached to it, as GitHub listed them with the release.
    pub assets: Vec<Asset>,
    /// When it was published, RFC 3339 (`2026-12-02T10:00:00Z`); `None` for a draft. A deploy
    /// event's probe looks for runs created since.
    pub published_at: Option<String>,
}

/// A file attached to a release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Asset {
    /// GitHub's id of the asset.
    pub id: u64,
    /// The file name it is downloaded as.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// `uploaded`, or `open` while an upload is unfinished (such an asset is broken: delete it
    /// and upload again).
    pub state: String,
}

/// A release to create (`POST /repos/{owner}/{repo}/releases`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelease {
    /// The tag it is for; GitHub creates the tag at `target_commitish` when it does not exist.
    pub tag_name: String,
    /// The branch or commit a missing tag is created at; `None` leaves it to GitHub (the
    /// default branch). Unused when the tag exists, as it does after relcut pushed it.
    pub target_commitish: Option<String>,
    /// The title.
    pub name: String,
    /// The release notes (Markdown).
    pub body: String,
    /// Create it as a draft (not published, visible only to those who may write).
    pub draft: bool,
    /// Mark it as a prerelease.
    pub prerelease: bool,
    /// Make it the repository's latest release (sent as `make_latest: "true"`/`"false"`;
    /// GitHub never makes a draft or a prerelease the latest).
    pub make_latest: bool,
}

/// Changes to a release (`PATCH /repos/{owner}/{repo}/releases/{release_id}`); `None` fields
/// are not sent and stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseUpdate {
    /// `Some(false)` publishes a draft.
    pub draft: Option<bool>,
    /// Make it the latest release, or not.
    pub make_latest: Option<bool>,
    /// A new title.
    pub name: Option<String>,
    /// New release notes.
    pub body: Option<String>,
    /// Mark or unmark it as a prerelease.
    pub prerelease: Option<bool>,
}

/// A run of a GitHub Actions workflow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WorkflowRun {
    /// GitHub's id of the run.
    pub id: u64,
    /// The run's web page.
    pub html_url: String,
    /// `queued`, `in_progress`, `completed`, or one of GitHub's waiting states (`waiting`,
    /// `requested`, `pending`).
    pub status: String,
    /// Once completed: `success`, `failure`, `cancelled`, `timed_out`, `skipped`, `neutral`,
    /// `action_required`, `stale`, `startup_failure`.
    pub conclusion: Option<String>,
    /// The branch or tag the run is for (GitHub's `head_branch`: a tag's name for a tag).
    pub head_branch: Option<String>,
    /// The commit it runs.
    pub head_sha: String,
    /// The event that started it (`workflow_dispatch`, `push`, …).
    pub event: String,
    /// The title GitHub shows for it (the workflow's `run-name`, when it has one).
    pub display_title: String,
    /// When it was created, RFC 3339 (`2026-12-02T10:00:00Z`).
    pub created_at: String,
}

/// A `workflow_dispatch` to send
/// (`POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches`).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowDispatch {
    /// The workflow's file name in `.github/workflows/` (`deploy.yml`) or its id.
    pub workflow: String,
    /// The branch or tag the run is for.
    pub git_ref: String,
    /// The workflow's inputs (at most 25).
    pub inputs: serde_json::Map<String, serde_json::Value>,
}

/// The run a dispatch started, when GitHub said which (`return_run_details`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DispatchedRun {
    /// GitHub's id of the run.
    pub id: u64,
    /// The run's web page.
    pub html_url: String,
}

/// Which runs of a workflow to list
/// (`GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFilter {
    /// Only runs for this branch or tag (`branch=`).
    pub branch: Option<String>,
    /// Only runs started by this event (`event=`).
    pub event: Option<String>,
    /// Only runs created at or after this time, RFC 3339 (sent as `created=>=TIME`).
    pub created_since: Option<String>,
}

/// The operations relcut needs from a forge. Every method is one request (or a few: retries,
/// pages) and blocks until it has an answer. Which failures are retried, and when a request is
/// in doubt ([`Error::ForgeInDoubt`]), is decided by [`retry::decide`].
pub trait Forge {
    /// The repository, checking that the token may write to it (`GET /repos/{owner}/{repo}`):
    /// a refused token and a token that cannot see the repository or lacks `contents: write`
    /// are errors that say how to fix them.
    fn repository(&self, repo: &RepoId) -> Result<Repository>;

    /// The published release for `tag`, or `None` when there is none
    /// (`GET /repos/{owner}/{repo}/releases/tags/{tag}`, which never returns drafts): the probe
    /// of the publish step.
    fn release_by_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>>;

    /// A draft for `tag` (GitHub's get-by-tag never returns drafts): lists releases newest
    /// first, 100 a page, following pages only while needed; `None` when no draft has that tag.
    /// When several drafts have it, the newest. Drafts are listed only to tokens that may write.
    fn draft_for_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>>;

    /// Creates a release. Never repeated after a failure on the way or a server error: that is
    /// [`Error::ForgeInDoubt`], after which the caller looks the release up before trying again.
    fn create_release(&self, repo: &RepoId, release: &NewRelease) -> Result<Release>;

    /// Changes the release `id` (publishes a draft, marks it latest, …) and returns it as it is
    /// now.
    fn update_release(&self, repo: &RepoId, id: u64, update: &ReleaseUpdate) -> Result<Release>;

    /// Every asset of the release `release_id`, all pages.
    fn release_assets(&self, repo: &RepoId, release_id: u64) -> Result<Vec<Asset>>;

    /// Uploads to the release's `upload_url` (the URI template expanded with `?name=…`,
    /// percent-encoded), raw bytes with `Content-Type: content_type` (see
    /// [`content_type_for`]). The URL must be on the API's host or its `uploads.` sibling
    /// (`uploads.github.com`), since the token goes with it. Like
    /// [`Forge::create_release`], in doubt rather than repeated.
    fn upload_asset(
        &self,
        release: &Release,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Asset>;

    /// Deletes the asset `asset_id` (a broken or replaced upload).
    fn delete_asset(&self, repo: &RepoId, asset_id: u64) -> Result<()>;

    /// Starts a workflow by `workflow_dispatch`, asking for the run's details
    /// (`return_run_details: true`): `Some` run when GitHub answered 200 with them, `None` when
    /// it answered 204 without (GitHub Enterprise Server before they existed). Like
    /// [`Forge::create_release`], never repeated after a failure on the way: that is
    /// [`Error::ForgeInDoubt`], after which the caller lists the runs before trying again.
    /// A workflow that is missing or has no `workflow_dispatch` trigger, and a token without
    /// `actions: write`, are errors that say how to fix them.
    fn dispatch_workflow(
        &self,
        repo: &RepoId,
        dispatch: &WorkflowDispatch,
    ) -> Result<Option<DispatchedRun>>;

    /// The runs of `workflow` that match `filter`, newest first: the first page of 100, which
    /// is all a filtered listing needs (a ref has few dispatched runs).
    fn workflow_runs(
        &self,
        repo: &RepoId,
        workflow: &str,
        filter: &RunFilter,
    ) -> Result<Vec<WorkflowRun>>;

    /// One workflow run as it is now (`GET /repos/{owner}/{repo}/actions/runs/{run_id}`).
    fn workflow_run(&self, repo: &RepoId, run_id: u64) -> Result<WorkflowRun>;

    /// Every commit of the repository's default branch, or of `branch`, newest first, all pages
    /// (`GET /repos/{owner}/{repo}/commits`).
    fn commits(&self, repo: &RepoId, branch: Option<&str>) -> Result<Vec<RemoteCommit>>;

    /// Every closed pull request, all pages (`GET /repos/{owner}/{repo}/pulls?state=closed`).
    fn closed_pull_requests(&self, repo: &RepoId) -> Result<Vec<PullRequest>>;

    /// Sends a `repository_dispatch` event (`POST /repos/{owner}/{repo}/dispatches`) with
    /// `client_payload` (at most 10 top-level keys). In doubt rather than repeated, like
    /// [`Forge::dispatch_workflow`].
    fn repository_dispatch(
        &self,
        repo: &RepoId,
        event_type: &str,
        client_payload: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<()>;
}

/// The error of a request GitHub answered with 401: the token itself was refused.
fn token_refused(request: &str) -> Error {
    Error::Forge(format!(
        "GitHub answered 401 to `{request}`: the token was refused; set `GITHUB_TOKEN` (or `GH_TOKEN`) to a valid token that has not expired"
    ))
}

/// The error of a repository the token cannot see (403 or 404) or may not write to; `repo` is
/// `OWNER/NAME` as far as it is known.
fn no_write_access(repo: &dyn fmt::Display, what_happened: &str) -> Error {
    Error::Forge(format!(
        "{what_happened}: the token cannot see the repository `{repo}` or lacks the `contents: write` permission; grant it to the token (in a GitHub Actions workflow: `permissions: contents: write`; a fine-grained token: Contents, read and write, on this repository)"
    ))
}

/// The error of a repository a token cannot read from (403 or 404 on a read that needs no
/// more than read access: the commits and pull requests templates show).
fn no_read_access(repo: &dyn fmt::Display, what_happened: &str) -> Error {
    Error::Forge(format!(
        "{what_happened}: the token cannot read the repository `{repo}`; give it read access (in a GitHub Actions workflow: `permissions: contents: read` and `pull-requests: read`; a fine-grained token: Contents and Pull requests, read, on this repository), or render without GitHub data (`--offline`)"
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
            retry: RetryPolicy::default(),
            poll: std::time::Duration::from_secs(5),
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
