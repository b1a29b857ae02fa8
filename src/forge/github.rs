//! [`GitHub`]: the [`Forge`] on GitHub's REST API (github.com or GitHub Enterprise Server),
//! through octocrab on a current-thread tokio runtime that the client owns.
//!
//! The client sets its own headers (`User-Agent`, `Accept`, `X-GitHub-Api-Version`,
//! `Authorization`, replacing any octocrab would add), sends every request through one loop that
//! follows [`retry::decide`], and turns every answer into relcut's error sentences. It must never
//! put the token or unredacted server text into an error, and never sends the token to a host
//! other than the API's own (or its `uploads.` sibling).

use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
    USER_AGENT,
};
use http::{Method, Request, StatusCode, Uri};
use octocrab::{AuthState, OctoBody, Octocrab, OctocrabBuilder};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower::Service;

use super::retry::{self, Decision, GiveUp, Outcome, RateLimit, RetryPolicy};
use super::{
    Asset, DispatchedRun, Forge, NewRelease, PullRequest, Release, ReleaseUpdate, RemoteCommit,
    RepoId, Repository, RunFilter, WorkflowDispatch, WorkflowRun, no_read_access, no_write_access,
    token_refused,
};
use crate::config::{CONFIG_FILE, ForgeSettings};
use crate::error::{Error, Result};
use crate::secret::{Secret, redact};

/// The REST API version relcut is written against.
pub const API_VERSION: &str = "2022-11-28";

/// How long one attempt of a request may take, from connecting to the last byte of the answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The slowest upload relcut waits for, in bytes a second: an asset's attempt may take
/// [`REQUEST_TIMEOUT`] plus its size at this rate (a 100 MB archive: about 13 minutes).
const SLOWEST_UPLOAD: usize = 128 * 1024;

/// Items asked for per page of a list (GitHub's most).
const PER_PAGE: usize = 100;

/// The most pages relcut reads of one list, so that a server that always says "next" cannot
/// keep it reading forever (100,000 releases or assets).
const MAX_PAGES: u32 = 1000;

/// The GitHub REST API, at the base URL of the settings.
pub struct GitHub {
    runtime: tokio::runtime::Runtime,
    client: Octocrab,
    /// The base URL, which the token may be sent to.
    base: Uri,
    /// The base URL as shown in messages (redacted: it could carry credentials).
    api_url: String,
    token: Option<Secret>,
    retry: RetryPolicy,
}

impl fmt::Debug for GitHub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only what is safe to show: the redacted URL and the policy, never the token.
        f.debug_struct("GitHub")
            .field("api_url", &self.api_url)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// One request, as sent on every attempt.
struct Call {
    method: Method,
    /// A path below the base URL, or an absolute URL (an upload).
    uri: Uri,
    /// How messages name it: `POST /repos/o/r/releases`.
    shown: String,
    /// The media type and the bytes of the body, when it has one.
    body: Option<(HeaderValue, OctoBody, usize)>,
    /// How long one attempt may take.
    timeout: Duration,
}

impl Call {
    /// A request without a body to `route`, a path below the base URL.
    fn new(method: Method, route: String) -> Result<Call> {
        let uri = route.parse::<Uri>().map_err(|_| {
            Error::Forge(format!(
                "cannot build the request `{method} {route}`: it is not a valid URL path"
            ))
        })?;
        Ok(Call {
            shown: format!("{method} {route}"),
            method,
            uri,
            body: None,
            timeout: REQUEST_TIMEOUT,
        })
    }

    /// The same request with a JSON body.
    fn json(mut self, body: &impl Serialize) -> Result<Call> {
        let text = serde_json::to_string(body).map_err(|error| {
            Error::Forge(format!(
                "cannot write the body of `{}`: {error}",
                self.shown
            ))
        })?;
        let length = text.len();
        self.body = Some((
            HeaderValue::from_static("application/json"),
            OctoBody::from(text),
            length,
        ));
        Ok(self)
    }
}

/// GitHub's answer to an attempt.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    /// Whether an earlier attempt of the same request went before this one.
    retried: bool,
}

/// What one attempt came to.
enum Tried {
    Answer(Answer),
    /// No answer: `sent` is false when the connection could not even be made.
    Failed {
        sent: bool,
        error: String,
    },
    TimedOut,
}

impl GitHub {
    /// A client for the API at `settings.api_url`, authenticated with `settings.token` when there
    /// is one, retrying as `settings.retry` says. Fails when the URL is not an `http(s)://` URL
    /// or TLS cannot be set up.
    pub fn new(settings: &ForgeSettings) -> Result<GitHub> {
        let token = settings.token.clone();
        let shown_url = redact(&settings.api_url, token.as_ref());
        let base: Uri = settings
            .api_url
            .parse()
            .ok()
            .filter(|uri: &Uri| {
                matches!(uri.scheme_str(), Some("http" | "https")) && uri.authority().is_some()
            })
            .ok_or_else(|| {
                Error::Forge(format!(
                    "`GITHUB_API_URL` = `{shown_url}` is not an http(s) URL; set it to the API's base, e.g. `https://api.github.com` or `https://HOST/api/v3`"
                ))
            })?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .enable_io()
            .build()
            .map_err(|error| {
                Error::Forge(format!("cannot start the GitHub client's runtime: {error}"))
            })?;
        let connector = https_connector(base.scheme_str() == Some("https"))?;
        let http_client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        let headers = Arc::new(request_headers(token.as_ref())?);
        let rebase_on = base.clone();
        // octocrab's request queue is spawned on the runtime that is current when it is built.
        let _entered = runtime.enter();
        // Not octocrab's BaseUriLayer: it puts the base's path in front of absolute URLs too,
        // which sends a GitHub Enterprise upload (`https://HOST/api/uploads/…`) to
        // `https://HOST/api/v3/api/uploads/…`.
        let built = OctocrabBuilder::new_empty()
            .with_service(http_client)
            .with_layer(&tower::layer::layer_fn(move |inner| Rebase {
                inner,
                base: rebase_on.clone(),
            }))
            .with_layer(&tower::layer::layer_fn(move |inner| SetHeaders {
                inner,
                headers: Arc::clone(&headers),
            }))
            .with_auth(AuthState::None)
            .build();
        let client = match built {
            Ok(client) => client,
            Err(never) => match never {},
        };
        Ok(GitHub {
            runtime,
            client,
            base,
            api_url: shown_url,
            token,
            retry: settings.retry,
        })
    }

    /// Sends `call` until [`retry::decide`] takes the answer, and returns it; or the error of the
    /// last attempt, saying how many were made and what to do.
    fn send(&self, call: &Call) -> Result<Answer> {
        // The method and path only: headers carry the token.
        crate::ui::detail(&format!("GitHub: {}", call.shown));
        let started = Instant::now();
        let mut backoff = self.retry.pauses();
        let mut retried = false;
        loop {
            let tried = self.attempt(call, retried)?;
            let message = match &tried {
                Tried::Answer(answer) => github_message(&answer.body),
                _ => String::new(),
            };
            let outcome = match &tried {
                Tried::Answer(answer) => Outcome::Answered {
                    status: answer.status.as_u16(),
                    headers: &answer.headers,
                    message: &message,
                },
                Tried::Failed { sent: false, .. } => Outcome::NotSent,
                Tried::Failed { .. } | Tried::TimedOut => Outcome::NoAnswer,
            };
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            match retry::decide(&call.method, &outcome, &mut backoff, started.elapsed(), now) {
                Decision::Accept => match tried {
                    Tried::Answer(answer) => return Ok(answer),
                    // decide never takes a missing answer; treat it as in doubt to be safe.
                    _ => return Err(self.in_doubt(call, &tried, &message)),
                },
                Decision::Retry(pause) => {
                    crate::interruption::wait(pause)?;
                    retried = true;
                }
                Decision::InDoubt => return Err(self.in_doubt(call, &tried, &message)),
                Decision::GiveUp(reason) => {
                    return Err(self.given_up(
                        call,
                        &tried,
                        &message,
                        backoff.attempts(),
                        reason,
                        started.elapsed(),
                    ));
                }
            }
        }
    }

    /// One attempt of `call`.
    fn attempt(&self, call: &Call, retried: bool) -> Result<Tried> {
        let mut builder = Request::builder()
            .method(call.method.clone())
            .uri(call.uri.clone());
        let body = match &call.body {
            Some((media_type, body, length)) => {
                builder = builder
                    .header(CONTENT_TYPE, media_type.clone())
                    .header(CONTENT_LENGTH, *length);
                body.try_clone().unwrap_or_else(|| body.clone())
            }
            None => OctoBody::empty(),
        };
        let request = builder.body(body).map_err(|error| {
            Error::Forge(format!(
                "cannot build the request `{}`: {error}",
                call.shown
            ))
        })?;
        // The timer is made inside the runtime: tokio's timers need it to be current.
        let result = self.runtime.block_on(async {
            tokio::time::timeout(call.timeout, async {
                let response = self.client.execute(request).await?;
                let status = response.status();
                let headers = response.headers().clone();
                let body = self.client.body_to_string(response).await?;
                Ok::<_, octocrab::Error>(Answer {
                    status,
                    headers,
                    body,
                    retried,
                })
            })
            .await
        });
        Ok(match result {
            Ok(Ok(answer)) => Tried::Answer(answer),
            Ok(Err(error)) => Tried::Failed {
                sent: !never_sent(&error),
                error: self.redacted(&error_chain(&error)),
            },
            Err(_elapsed) => Tried::TimedOut,
        })
    }

    fn redacted(&self, text: &str) -> String {
        redact(text, self.token.as_ref())
    }

    /// The error of a request GitHub may or may not have carried out.
    fn in_doubt(&self, call: &Call, tried: &Tried, message: &str) -> Error {
        let what = match tried {
            Tried::Answer(answer) => format!(
                "GitHub answered {} to `{}`{}",
                answer.status.as_u16(),
                call.shown,
                self.quoted(message)
            ),
            Tried::Failed { error, .. } => format!(
                "`{}` got no answer from GitHub at `{}`: {error}",
                call.shown, self.api_url
            ),
            Tried::TimedOut => format!(
                "GitHub at `{}` did not answer `{}` within {} seconds",
                self.api_url,
                call.shown,
                call.timeout.as_secs()
            ),
        };
        Error::ForgeInDoubt(format!(
            "{what}; the request may or may not have been carried out, so relcut did not send it again (it could create a second one); look on GitHub before trying again (running relcut again does: it finds what was created)"
        ))
    }

    /// The error of a request given up on after `attempts` attempts.
    fn given_up(
        &self,
        call: &Call,
        tried: &Tried,
        message: &str,
        attempts: u32,
        reason: GiveUp,
        elapsed: Duration,
    ) -> Error {
        let times = match attempts {
            1 => String::from("once"),
            n => format!("{n} times"),
        };
        let budget = self.retry.max_elapsed.as_secs();
        if let GiveUp::RateLimited { limit, wait } = reason {
            let status = match tried {
                Tried::Answer(answer) => answer.status.as_u16(),
                _ => 403,
            };
            let answered = format!(
                "GitHub answered {status} to `{}`{}",
                call.shown,
                self.quoted(message)
            );
            let when = match limit {
                RateLimit::Primary { reset_at } => format!(
                    "the token's API rate limit is used up until {} ({})",
                    clock_time(reset_at),
                    in_how_long(wait)
                ),
                RateLimit::Secondary {
                    retry_after: Some(_),
                } => format!(
                    "GitHub's secondary rate limit asks to wait {} before the next request",
                    in_how_long(wait).trim_start_matches("in ")
                ),
                RateLimit::Secondary { retry_after: None } => {
                    String::from("GitHub's secondary rate limit stops requests that come too fast")
                }
            };
            let fix = if wait.is_zero() || elapsed.saturating_add(wait) <= self.retry.max_elapsed {
                format!(
                    "relcut tried {times}, its most (`github.max_attempts` in {CONFIG_FILE}); wait, then run relcut again, which finishes what is not done"
                )
            } else {
                format!(
                    "that is longer than relcut waits for one request ({budget} seconds, `github.retry_seconds` in {CONFIG_FILE}); wait until then and run relcut again, which finishes what is not done, or raise `github.retry_seconds`"
                )
            };
            return Error::Forge(format!("{answered}: {when}; {fix}"));
        }
        let how_often = match reason {
            GiveUp::OutOfTime { .. } => format!(
                "{times} in {} seconds, as long as relcut tries one request (`github.retry_seconds` in {CONFIG_FILE})",
                elapsed.as_secs()
            ),
            _ if attempts > 1 => {
                format!("{times}, relcut's most (`github.max_attempts` in {CONFIG_FILE})")
            }
            _ => times.clone(),
        };
        Error::Forge(match tried {
            Tried::Answer(answer) => format!(
                "GitHub answered {} to `{}`{} (tried {how_often}); GitHub may be having trouble (see https://www.githubstatus.com): try again later",
                answer.status.as_u16(),
                call.shown,
                self.quoted(message)
            ),
            Tried::Failed { error, .. } => format!(
                "cannot reach GitHub at `{}` (`{}`, tried {how_often}): {error}; check `GITHUB_API_URL` and the network",
                self.api_url, call.shown
            ),
            Tried::TimedOut => format!(
                "GitHub at `{}` did not answer `{}` within {} seconds (tried {how_often}); try again later",
                self.api_url,
                call.shown,
                call.timeout.as_secs()
            ),
        })
    }

    /// `: message`, redacted, or nothing when GitHub said nothing.
    fn quoted(&self, message: &str) -> String {
        let message = self.redacted(message.trim());
        if message.is_empty() {
            String::new()
        } else {
            format!(": {message}")
        }
    }

    /// "GitHub answered 404 to `GET …`: its message", redacted.
    fn answered(&self, call: &Call, answer: &Answer) -> String {
        format!(
            "GitHub answered {} to `{}`{}",
            answer.status.as_u16(),
            call.shown,
            self.quoted(&github_message(&answer.body))
        )
    }

    /// The error of an answer that is not what the operation wanted: 401 refused the token,
    /// 403/404 on a write (`repo` is `Some`) lack a permission, 422 says what GitHub would not
    /// accept; anything else is quoted.
    fn refused(&self, call: &Call, answer: &Answer, repo: Option<&dyn fmt::Display>) -> Error {
        let status = answer.status.as_u16();
        match (status, repo) {
            (401, _) => token_refused(&call.shown),
            (403 | 404, Some(repo)) => no_write_access(repo, &self.answered(call, answer)),
            (422, _) => Error::Forge(format!(
                "GitHub answered 422 to `{}`: {}",
                call.shown,
                self.redacted(&validation_sentence(&answer.body))
            )),
            _ => Error::Forge(format!(
                "GitHub answered {status} to `{}`{}",
                call.shown,
                self.quoted(&github_message(&answer.body))
            )),
        }
    }

    /// The error of an answer to a workflow operation (`workflow` in `.github/workflows/`, run
    /// on `git_ref` for a dispatch) that is not what it wanted: each status with what fixes it.
    fn actions_refused(
        &self,
        call: &Call,
        answer: &Answer,
        repo: &RepoId,
        workflow: &str,
        git_ref: Option<&str>,
    ) -> Error {
        let status = answer.status.as_u16();
        let answered = format!("GitHub answered {status} to `{}`", call.shown);
        let file = workflow_file(workflow);
        // A dispatch writes (it starts a run); listing only reads.
        let access = if call.method == Method::POST {
            "write"
        } else {
            "read"
        };
        match status {
            401 => token_refused(&call.shown),
            404 => {
                let on_ref = git_ref.map_or(String::new(), |git_ref| format!(" on `{git_ref}`"));
                Error::Forge(format!(
                    "{answered}: the workflow {file} does not exist{on_ref} in `{repo}`, or the token cannot see the repository; check the workflow's file name, commit and push it{on_ref}, and give the token access to `{repo}`"
                ))
            }
            422 => Error::Forge(format!(
                "{answered}: {}; the workflow {file} must have `on: workflow_dispatch` with an entry under `inputs:` for every input relcut sends{}, or relcut must send only the inputs it declares",
                self.redacted(&validation_sentence(&answer.body)),
                git_ref.map_or(String::new(), |git_ref| format!(" (on `{git_ref}`)")),
            )),
            403 => Error::Forge(format!(
                "{answered}{}: the token lacks the `actions: {access}` permission on `{repo}`; grant it (in a GitHub Actions workflow: `permissions: actions: {access}`; a fine-grained token: Actions, {}, on this repository)",
                self.quoted(&github_message(&answer.body)),
                if access == "write" {
                    "read and write"
                } else {
                    "read"
                },
            )),
            _ => self.refused(call, answer, None),
        }
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, call: &Call, body: &str) -> Result<T> {
        serde_json::from_str(body).map_err(|error| {
            Error::Forge(format!(
                "GitHub's answer to `{}` is not what the API describes: {}",
                call.shown,
                self.redacted(&error.to_string())
            ))
        })
    }

    /// Reads the pages of a list at `route` (which has no query) one by one, handing each page's
    /// items to `visit` until it returns `Some` or the last page is read.
    fn list<T: serde::de::DeserializeOwned, F>(
        &self,
        route: &str,
        repo: &RepoId,
        access: Access,
        mut visit: impl FnMut(Vec<T>) -> Option<F>,
    ) -> Result<Option<F>> {
        for page in 1..=MAX_PAGES {
            let call = Call::new(
                Method::GET,
                format!(
                    "{route}{}per_page={PER_PAGE}&page={page}",
                    if route.contains('?') { '&' } else { '?' }
                ),
            )?;
            let answer = self.send(&call)?;
            if answer.status != StatusCode::OK {
                return Err(match (access, answer.status.as_u16()) {
                    (Access::Read, 403 | 404) => {
                        no_read_access(repo, &self.answered(&call, &answer))
                    }
                    (Access::Read, _) => self.refused(&call, &answer, None),
                    (Access::Write, _) => self.refused(&call, &answer, Some(repo)),
                });
            }
            let items: Vec<T> = self.parse(&call, &answer.body)?;
            let more = has_next_page(&answer.headers, items.len());
            if let Some(found) = visit(items) {
                return Ok(Some(found));
            }
            if !more {
                return Ok(None);
            }
        }
        Err(Error::Forge(format!(
            "GitHub kept answering `GET {route}` with more pages after {MAX_PAGES} of them; relcut stopped reading"
        )))
    }
}

/// What a listing needs of the token, which decides the sentence a 403 or 404 gets.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Reading: commits and pull requests for templates.
    Read,
    /// Writing: releases and their assets, which GitHub lists in full only to writers.
    Write,
}

impl Forge for GitHub {
    fn repository(&self, repo: &RepoId) -> Result<Repository> {
        let call = Call::new(Method::GET, repo_route(repo, ""))?;
        let answer = self.send(&call)?;
        if answer.status != StatusCode::OK {
            return Err(self.refused(&call, &answer, Some(repo)));
        }
        let found: RepositoryBody = self.parse(&call, &answer.body)?;
        if found.permissions.and_then(|permissions| permissions.push) == Some(false) {
            return Err(no_write_access(
                repo,
                &format!("GitHub lets the token read `{repo}` but not write to it"),
            ));
        }
        Ok(Repository {
            full_name: found.full_name,
            html_url: found.html_url,
            default_branch: found.default_branch,
        })
    }

    fn release_by_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>> {
        let route = repo_route(
            repo,
            &format!("/releases/tags/{}", encode_keeping_slashes(tag)),
        );
        let call = Call::new(Method::GET, route)?;
        let answer = self.send(&call)?;
        match answer.status.as_u16() {
            200 => Ok(Some(self.parse::<ReleaseBody>(&call, &answer.body)?.into())),
            404 => Ok(None),
            _ => Err(self.refused(&call, &answer, None)),
        }
    }

    fn draft_for_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>> {
        // Newest first, as GitHub lists them: the first match is the newest draft.
        self.list(
            &repo_route(repo, "/releases"),
            repo,
            Access::Write,
            |page: Vec<ReleaseBody>| {
                page.into_iter()
                    .find(|release| release.draft && release.tag_name == tag)
                    .map(Release::from)
            },
        )
    }

    fn create_release(&self, repo: &RepoId, release: &NewRelease) -> Result<Release> {
        let body = CreateBody {
            tag_name: &release.tag_name,
            target_commitish: release.target_commitish.as_deref(),
            name: &release.name,
            body: &release.body,
            draft: release.draft,
            prerelease: release.prerelease,
            make_latest: latest(release.make_latest),
        };
        let call = Call::new(Method::POST, repo_route(repo, "/releases"))?.json(&body)?;
        let answer = self.send(&call)?;
        match answer.status.as_u16() {
            200 | 201 => Ok(self.parse::<ReleaseBody>(&call, &answer.body)?.into()),
            _ => Err(self.refused(&call, &answer, Some(repo))),
        }
    }

    fn update_release(&self, repo: &RepoId, id: u64, update: &ReleaseUpdate) -> Result<Release> {
        let body = UpdateBody {
            draft: update.draft,
            make_latest: update.make_latest.map(latest),
            name: update.name.as_deref(),
            body: update.body.as_deref(),
            prerelease: update.prerelease,
        };
        let call =
            Call::new(Method::PATCH, repo_route(repo, &format!("/releases/{id}")))?.json(&body)?;
        let answer = self.send(&call)?;
        match answer.status.as_u16() {
            200 => Ok(self.parse::<ReleaseBody>(&call, &answer.body)?.into()),
            _ => Err(self.refused(&call, &answer, Some(repo))),
        }
    }

    fn release_assets(&self, repo: &RepoId, release_id: u64) -> Result<Vec<Asset>> {
        let mut assets = Vec::new();
        let route = repo_route(repo, &format!("/releases/{release_id}/assets"));
        self.list(&route, repo, Access::Write, |page: Vec<AssetBody>| {
            assets.extend(page.into_iter().map(Asset::from));
            None::<()>
        })?;
        Ok(assets)
    }

    fn upload_asset(
        &self,
        release: &Release,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Asset> {
        let shown_url = self.redacted(&release.upload_url);
        let uri = upload_uri(&self.base, &release.upload_url, name).map_err(|problem| {
            Error::Forge(format!(
                "cannot upload `{name}` to the release `{}`: its upload URL `{shown_url}` {problem}",
                release.tag_name
            ))
        })?;
        let media_type = HeaderValue::from_str(content_type)
            .ok()
            .filter(|_| content_type.contains('/'))
            .ok_or_else(|| {
                Error::Forge(format!(
                    "cannot upload `{name}`: `{content_type}` is not a media type such as `application/gzip`"
                ))
            })?;
        let length = bytes.len();
        let path = uri.path_and_query().map_or("", |path| path.as_str());
        let call = Call {
            method: Method::POST,
            shown: format!("POST {path}"),
            uri,
            body: Some((media_type, OctoBody::from(bytes), length)),
            timeout: REQUEST_TIMEOUT
                + Duration::from_secs(u64::try_from(length / SLOWEST_UPLOAD).unwrap_or(u64::MAX)),
        };
        let answer = self.send(&call)?;
        let repo = repo_of_upload(&release.upload_url)
            .unwrap_or_else(|| format!("of the release `{}`", release.tag_name));
        match answer.status.as_u16() {
            200 | 201 => Ok(self.parse::<AssetBody>(&call, &answer.body)?.into()),
            _ => Err(self.refused(&call, &answer, Some(&repo))),
        }
    }

    fn delete_asset(&self, repo: &RepoId, asset_id: u64) -> Result<()> {
        let route = repo_route(repo, &format!("/releases/assets/{asset_id}"));
        let call = Call::new(Method::DELETE, route)?;
        let answer = self.send(&call)?;
        match answer.status.as_u16() {
            204 | 200 => Ok(()),
            // An earlier attempt got no answer but deleted it: it is gone, as asked.
            404 if answer.retried => Ok(()),
            _ => Err(self.refused(&call, &answer, Some(repo))),
        }
    }

    fn dispatch_workflow(
        &self,
        repo: &RepoId,
        dispatch: &WorkflowDispatch,
    ) -> Result<Option<DispatchedRun>> {
        let route = repo_route(
            repo,
            &format!(
                "/actions/workflows/{}/dispatches",
                encode(&dispatch.workflow)
            ),
        );
        let body = DispatchBody {
            git_ref: &dispatch.git_ref,
            inputs: &dispatch.inputs,
            return_run_details: true,
        };
        let call = Call::new(Method::POST, route)?.json(&body)?;
        let answer = self.send(&call)?;
        match answer.status.as_u16() {
            200 => {
                let run: DispatchResponseBody = self.parse(&call, &answer.body)?;
                Ok(Some(DispatchedRun {
                    id: run.workflow_run_id,
                    html_url: run.html_url,
                }))
            }
            // GitHub Enterprise Server without run details: started, but not said which run.
            204 => Ok(None),
            _ => Err(self.actions_refused(
                &call,
                &answer,
                repo,
                &dispatch.workflow,
                Some(&dispatch.git_ref),
            )),
        }
    }

    fn workflow_runs(
        &self,
        repo: &RepoId,
        workflow: &str,
        filter: &RunFilter,
    ) -> Result<Vec<WorkflowRun>> {
        let route = repo_route(
            repo,
            &format!(
                "/actions/workflows/{}/runs?{}",
                encode(workflow),
                runs_query(filter)
            ),
        );
        let call = Call::new(Method::GET, route)?;
        let answer = self.send(&call)?;
        if answer.status != StatusCode::OK {
            return Err(self.actions_refused(&call, &answer, repo, workflow, None));
        }
        let listed: RunsBody = self.parse(&call, &answer.body)?;
        Ok(listed
            .workflow_runs
            .into_iter()
            .map(WorkflowRun::from)
            .collect())
    }

    fn commits(&self, repo: &RepoId, branch: Option<&str>) -> Result<Vec<RemoteCommit>> {
        let route = match branch {
            Some(branch) => repo_route(repo, &format!("/commits?sha={}", encode(branch))),
            None => repo_route(repo, "/commits"),
        };
        let mut commits = Vec::new();
        self.list(&route, repo, Access::Read, |page: Vec<CommitBody>| {
            commits.extend(page.into_iter().map(RemoteCommit::from));
            None::<()>
        })?;
        Ok(commits)
    }

    fn closed_pull_requests(&self, repo: &RepoId) -> Result<Vec<PullRequest>> {
        let route = repo_route(repo, "/pulls?state=closed");
        let mut pulls = Vec::new();
        self.list(&route, repo, Access::Read, |page: Vec<PullBody>| {
            pulls.extend(page.into_iter().map(PullRequest::from));
            None::<()>
        })?;
        Ok(pulls)
    }

    fn workflow_run(&self, repo: &RepoId, run_id: u64) -> Result<WorkflowRun> {
        let call = Call::new(
            Method::GET,
            repo_route(repo, &format!("/actions/runs/{run_id}")),
        )?;
        let answer = self.send(&call)?;
        match answer.status.as_u16() {
            200 => Ok(self.parse::<RunBody>(&call, &answer.body)?.into()),
            404 => Err(Error::Forge(format!(
                "GitHub answered 404 to `{}`: there is no workflow run {run_id} in `{repo}`, or the token cannot see the repository; check the run's id and that the token may read `{repo}`",
                call.shown
            ))),
            _ => Err(self.refused(&call, &answer, None)),
        }
    }

    fn repository_dispatch(
        &self,
        repo: &RepoId,
        event_type: &str,
        client_payload: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<()> {
        let body = RepositoryDispatchBody {
            event_type,
            client_payload,
        };
        let call = Call::new(Method::POST, repo_route(repo, "/dispatches"))?.json(&body)?;
        let answer = self.send(&call)?;
        match answer.status.as_u16() {
            200 | 204 => Ok(()),
            _ => Err(self.refused(&call, &answer, Some(repo))),
        }
    }
}

/// `/repos/OWNER/NAME` and `rest`, each part percent-encoded.
fn repo_route(repo: &RepoId, rest: &str) -> String {
    format!(
        "/repos/{}/{}{rest}",
        encode(&repo.owner),
        encode(&repo.name)
    )
}

/// How messages name a workflow: its file `.github/workflows/deploy.yml`, or the id GitHub gave it.
fn workflow_file(workflow: &str) -> String {
    if !workflow.is_empty() && workflow.bytes().all(|byte| byte.is_ascii_digit()) {
        format!("with id {workflow}")
    } else {
        format!("`.github/workflows/{workflow}`")
    }
}

/// The query of `actions/list-workflow-runs` for `filter`: one page of the most GitHub gives,
/// and each filter that is set, percent-encoded (`created=%3E%3D2026-…`).
fn runs_query(filter: &RunFilter) -> String {
    let mut query = format!("per_page={PER_PAGE}");
    let created = filter
        .created_since
        .as_ref()
        .map(|time| format!(">={time}"));
    for (name, value) in [
        ("branch", filter.branch.as_ref()),
        ("event", filter.event.as_ref()),
        ("created", created.as_ref()),
    ] {
        if let Some(value) = value {
            query.push_str(&format!("&{name}={}", encode(value)));
        }
    }
    query
}

/// `make_latest` as the API takes it: a string.
fn latest(make_latest: bool) -> &'static str {
    if make_latest { "true" } else { "false" }
}

/// Whether a list goes on after a page of `count` items: the `Link` header's `rel="next"` when
/// GitHub sent one, else whether the page was full.
fn has_next_page(headers: &HeaderMap, count: usize) -> bool {
    match headers
        .get(http::header::LINK)
        .and_then(|value| value.to_str().ok())
    {
        Some(link) => link
            .split(',')
            .any(|part| part.split(';').skip(1).any(|p| p.trim() == r#"rel="next""#)),
        None => count >= PER_PAGE,
    }
}

/// The URL to upload `name` to: the release's `upload_url` template expanded with `?name=…`.
/// It must be http(s) on the API's host, or on `uploads.` beside an `api.` host (github.com:
/// `api.github.com` → `uploads.github.com`), since the token is sent with it; `Err` says why not.
fn upload_uri(base: &Uri, template: &str, name: &str) -> std::result::Result<Uri, &'static str> {
    if name.is_empty() {
        return Err("cannot take an asset without a name");
    }
    // RFC 6570: `{?name,label}` expands to `?name=…`; any other expression is dropped the same way.
    let url = template.split('{').next().unwrap_or_default();
    let separator = if url.contains('?') { '&' } else { '?' };
    let expanded = format!("{url}{separator}name={}", encode(name));
    let uri: Uri = expanded.parse().map_err(|_| "is not a URL")?;
    let host = |uri: &Uri| uri.host().map(str::to_ascii_lowercase);
    let (Some(upload_host), Some(api_host)) = (host(&uri), host(base)) else {
        return Err("is not an absolute URL");
    };
    if !matches!(uri.scheme_str(), Some("https" | "http")) {
        return Err("is not an http(s) URL");
    }
    let same_host = upload_host == api_host && uri.port_u16() == base.port_u16();
    let sibling = api_host
        .strip_prefix("api.")
        .is_some_and(|domain| upload_host.strip_prefix("uploads.") == Some(domain));
    // Plain HTTP only where the API itself is plain HTTP (a local double, a proxy).
    let secure = uri.scheme_str() == Some("https") || base.scheme_str() == Some("http");
    if !(same_host || sibling) {
        return Err(
            "is not on the API's host, and relcut sends the token to no other; check `GITHUB_API_URL`",
        );
    }
    if !secure {
        return Err("is plain HTTP while the API is HTTPS");
    }
    Ok(uri)
}

/// `OWNER/NAME` from an upload URL (`…/repos/OWNER/NAME/releases/ID/assets…`), for messages.
fn repo_of_upload(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("/repos/")?;
    let mut parts = rest.split('/');
    let owner = parts.next()?;
    let name = parts.next()?;
    (!owner.is_empty() && !name.is_empty()).then(|| format!("{owner}/{name}"))
}

/// GitHub's `message` from an error body, or the start of the body when it is not JSON.
fn github_message(body: &str) -> String {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody {
            message: Some(message),
        }) => message,
        Ok(_) => String::new(),
        Err(_) => body.chars().take(200).collect(),
    }
}

/// A 422's `message` and every entry of its `errors`: "Validation Failed: the release already
/// exists for tag_name (already_exists)".
fn validation_sentence(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return github_message(body);
    };
    let message = value
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("GitHub did not accept the request")
        .trim()
        .to_string();
    let entries: Vec<String> = value
        .get("errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(validation_entry)
        .filter(|entry| !entry.is_empty())
        .collect();
    if entries.is_empty() {
        message
    } else {
        format!("{message}: {}", entries.join("; "))
    }
}

/// One entry of a 422's `errors`, as words: GitHub's `resource`, `field` and `code`, or its own
/// `message` when it gave one (code `custom`), or the entry itself when it is a string.
fn validation_entry(entry: &Value) -> String {
    if let Some(text) = entry.as_str() {
        return text.trim().to_string();
    }
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let code = text("code");
    let resource = text("resource").map_or(String::from("the request"), |resource| {
        format!("the {}", words_of(resource))
    });
    let field = text("field");
    let described = match (code, field) {
        (Some("already_exists"), Some(field)) => format!("{resource} already exists for {field}"),
        (Some("already_exists"), None) => format!("{resource} already exists"),
        (Some("missing_field"), Some(field)) => {
            format!("{resource} lacks the required field {field}")
        }
        (Some("invalid"), Some(field)) => format!("{resource} has an invalid {field}"),
        (Some("missing"), _) => format!("{resource} does not exist"),
        (Some("unprocessable"), Some(field)) => format!("{resource}'s {field} cannot be processed"),
        (_, Some(field)) => format!("{resource}: {field}"),
        (_, None) => String::new(),
    };
    let message = text("message");
    let described = match (message, described.is_empty()) {
        (Some(message), true) => message.to_string(),
        (Some(message), false) => format!("{described}: {message}"),
        (None, _) => described,
    };
    match code {
        Some(code) if code != "custom" && !described.is_empty() => format!("{described} ({code})"),
        Some(code) if described.is_empty() => code.to_string(),
        _ => described,
    }
}

/// `ReleaseAsset` → `release asset`.
fn words_of(name: &str) -> String {
    let mut words = String::new();
    for (index, character) in name.chars().enumerate() {
        if character.is_uppercase() && index > 0 {
            words.push(' ');
        }
        words.extend(character.to_lowercase());
    }
    words
}

/// `reset_at` (seconds since the epoch) as a time of day in UTC.
fn clock_time(reset_at: u64) -> String {
    i64::try_from(reset_at)
        .ok()
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map_or_else(
            || format!("{reset_at} (Unix time)"),
            |time| time.format("%H:%M:%S UTC").to_string(),
        )
}

/// "in 37 minutes", "in 12 seconds", or "now".
fn in_how_long(wait: Duration) -> String {
    let seconds = wait.as_secs_f64().ceil() as u64;
    match seconds {
        0 => String::from("now"),
        1 => String::from("in 1 second"),
        2..=119 => format!("in {seconds} seconds"),
        _ => format!("in {} minutes", seconds.div_ceil(60)),
    }
}

/// Whether a failed request never left: the connection could not be made (refused, no route,
/// DNS, TLS handshake), so GitHub cannot have seen it.
fn never_sent(error: &octocrab::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(client_error) = cause.downcast_ref::<hyper_util::client::legacy::Error>() {
            return client_error.is_connect();
        }
        source = cause.source();
    }
    false
}

/// The headers of every request. The token is marked sensitive, so hyper never logs it.
fn request_headers(token: Option<&Secret>) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    let user_agent = concat!("relcut/", env!("CARGO_PKG_VERSION"));
    headers.insert(USER_AGENT, HeaderValue::from_static(user_agent));
    headers.insert(
        ACCEPT,
        HeaderValue::from_static("application/vnd.github+json"),
    );
    headers.insert(
        HeaderName::from_static("x-github-api-version"),
        HeaderValue::from_static(API_VERSION),
    );
    if let Some(token) = token {
        let value = format!("Bearer {}", token.expose_for_authorization_header());
        let mut value = HeaderValue::from_str(&value).map_err(|_| {
            Error::Forge(String::from(
                "the token holds characters an HTTP header cannot carry; set `GITHUB_TOKEN` (or `GH_TOKEN`) to the token alone",
            ))
        })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    Ok(headers)
}

/// HTTPS with the system's root certificates, and plain HTTP (a local test double, a proxy on the
/// machine). Without root certificates only plain HTTP works.
fn https_connector(
    https: bool,
) -> Result<hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>> {
    let builder = match hyper_rustls::HttpsConnectorBuilder::new().with_native_roots() {
        Ok(builder) => builder,
        Err(error) if https => {
            return Err(Error::Forge(format!(
                "cannot load this system's root certificates for HTTPS: {error}; install them (Debian: the `ca-certificates` package)"
            )));
        }
        Err(_) => hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
            rustls::ClientConfig::builder()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth(),
        ),
    };
    Ok(builder.https_or_http().enable_http1().build())
}

/// Sets (replaces, never adds to) a fixed set of headers on every request.
#[derive(Clone)]
struct SetHeaders<S> {
    inner: S,
    headers: Arc<HeaderMap>,
}

impl<S, B> Service<Request<B>> for SetHeaders<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, mut request: Request<B>) -> S::Future {
        for (name, value) in self.headers.iter() {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        self.inner.call(request)
    }
}

/// Puts a request for a path (`/repos/…`) below the base URL, path included
/// (`https://HOST/api/v3/repos/…`), and leaves absolute URLs (uploads) as they are.
#[derive(Clone)]
struct Rebase<S> {
    inner: S,
    base: Uri,
}

impl<S, B> Service<Request<B>> for Rebase<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, mut request: Request<B>) -> S::Future {
        if let Some(uri) = rebased(&self.base, request.uri()) {
            *request.uri_mut() = uri;
        }
        self.inner.call(request)
    }
}

/// `relative` below `base`, or `None` when it is absolute already (or cannot be joined, which
/// a path relcut built never is; the request then fails as one without a host).
fn rebased(base: &Uri, relative: &Uri) -> Option<Uri> {
    if relative.authority().is_some() {
        return None;
    }
    let base_path = base.path().trim_end_matches('/');
    let path = relative
        .path_and_query()
        .map_or("/", |path_and_query| path_and_query.as_str());
    Uri::builder()
        .scheme(base.scheme_str()?)
        .authority(base.authority()?.as_str())
        .path_and_query(format!("{base_path}{path}"))
        .build()
        .ok()
}

/// An error and its causes, as one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// One path segment, percent-encoded.
fn encode(segment: &str) -> String {
    encode_path(segment, false)
}

/// A path parameter that may hold `/` (a tag), each segment percent-encoded.
fn encode_keeping_slashes(value: &str) -> String {
    encode_path(value, true)
}

fn encode_path(value: &str, keep_slashes: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_slashes && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Deserialize)]
struct ErrorBody {
    message: Option<String>,
}

#[derive(Deserialize)]
struct RepositoryBody {
    full_name: String,
    html_url: String,
    default_branch: Option<String>,
    permissions: Option<PermissionsBody>,
}

#[derive(Deserialize)]
struct PermissionsBody {
    push: Option<bool>,
}

#[derive(Deserialize)]
struct ReleaseBody {
    id: u64,
    tag_name: String,
    name: Option<String>,
    body: Option<String>,
    draft: bool,
    prerelease: bool,
    html_url: String,
    upload_url: String,
    #[serde(default)]
    assets: Vec<AssetBody>,
    #[serde(default)]
    published_at: Option<String>,
}

impl From<ReleaseBody> for Release {
    fn from(body: ReleaseBody) -> Release {
        Release {
            id: body.id,
            tag_name: body.tag_name,
            name: body.name,
            body: body.body,
            draft: body.draft,
            prerelease: body.prerelease,
            html_url: body.html_url,
            upload_url: body.upload_url,
            assets: body.assets.into_iter().map(Asset::from).collect(),
            published_at: body.published_at,
        }
    }
}

#[derive(Deserialize)]
struct AssetBody {
    id: u64,
    name: String,
    size: u64,
    state: String,
}

impl From<AssetBody> for Asset {
    fn from(body: AssetBody) -> Asset {
        Asset {
            id: body.id,
            name: body.name,
            size: body.size,
            state: body.state,
        }
    }
}

/// The body of `repos/create-release`.
#[derive(Serialize)]
struct CreateBody<'a> {
    tag_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_commitish: Option<&'a str>,
    name: &'a str,
    body: &'a str,
    draft: bool,
    prerelease: bool,
    make_latest: &'static str,
}

/// The body of `repos/update-release`: only the fields to change.
#[derive(Serialize)]
struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    make_latest: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prerelease: Option<bool>,
}

/// The body of `actions/create-workflow-dispatch`.
#[derive(Serialize)]
struct DispatchBody<'a> {
    #[serde(rename = "ref")]
    git_ref: &'a str,
    inputs: &'a serde_json::Map<String, Value>,
    return_run_details: bool,
}

/// The 200 answer of `actions/create-workflow-dispatch` (`workflow-dispatch-response`).
#[derive(Deserialize)]
struct DispatchResponseBody {
    workflow_run_id: u64,
    html_url: String,
}

/// The body of `repos/create-dispatch-event`.
#[derive(Serialize)]
struct RepositoryDispatchBody<'a> {
    event_type: &'a str,
    client_payload: &'a serde_json::Map<String, Value>,
}

/// A `commit` of the commits listing, the fields relcut reads.
#[derive(Deserialize)]
struct CommitBody {
    sha: String,
    author: Option<AccountBody>,
    commit: Option<CommitDetailsBody>,
}

#[derive(Deserialize)]
struct AccountBody {
    login: Option<String>,
}

#[derive(Deserialize)]
struct CommitDetailsBody {
    author: Option<GitActorBody>,
}

#[derive(Deserialize)]
struct GitActorBody {
    date: Option<String>,
}

impl From<CommitBody> for RemoteCommit {
    fn from(body: CommitBody) -> RemoteCommit {
        RemoteCommit {
            sha: body.sha,
            login: body.author.and_then(|author| author.login),
            timestamp: body
                .commit
                .and_then(|commit| commit.author)
                .and_then(|author| author.date)
                .and_then(|date| chrono::DateTime::parse_from_rfc3339(&date).ok())
                .map(|date| date.timestamp()),
        }
    }
}

/// A `pull-request-simple`, the fields relcut reads.
#[derive(Deserialize)]
struct PullBody {
    number: i64,
    title: Option<String>,
    #[serde(default)]
    labels: Vec<LabelBody>,
    merge_commit_sha: Option<String>,
    user: Option<AccountBody>,
}

#[derive(Deserialize)]
struct LabelBody {
    name: Option<String>,
}

impl From<PullBody> for PullRequest {
    fn from(body: PullBody) -> PullRequest {
        PullRequest {
            number: body.number,
            title: body.title,
            labels: body
                .labels
                .into_iter()
                .filter_map(|label| label.name)
                .collect(),
            merge_commit: body.merge_commit_sha,
            author: body.user.and_then(|user| user.login),
        }
    }
}

#[derive(Deserialize)]
struct RunsBody {
    workflow_runs: Vec<RunBody>,
}

/// A `workflow-run`, the fields relcut reads.
#[derive(Deserialize)]
struct RunBody {
    id: u64,
    html_url: String,
    status: Option<String>,
    conclusion: Option<String>,
    head_branch: Option<String>,
    head_sha: String,
    event: String,
    // Required by the contract, but older GitHub Enterprise Servers leave it out.
    #[serde(default)]
    display_title: String,
    created_at: String,
}

impl From<RunBody> for WorkflowRun {
    fn from(body: RunBody) -> WorkflowRun {
        WorkflowRun {
            id: body.id,
            html_url: body.html_url,
            // The contract lets `status` be null; such a run has not started, which relcut
            // treats as queued.
            status: body.status.unwrap_or_else(|| String::from("queued")),
            conclusion: body.conclusion,
            head_branch: body.head_branch,
            head_sha: body.head_sha,
            event: body.event,
            display_title: body.display_title,
            created_at: body.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_percent_encoded() {
        let rows: &[(&str, bool, &str)] = &[
            ("v1.2.3", false, "v1.2.3"),
            ("release/1.0", true, "release/1.0"),
            ("release/1.0", false, "release%2F1.0"),
            ("v1.0.0+build#1", true, "v1.0.0%2Bbuild%231"),
            ("ü", false, "%C3%BC"),
        ];
        for (value, keep_slashes, expected) in rows {
            assert_eq!(encode_path(value, *keep_slashes), *expected, "{value}");
        }
    }

    #[test]
    fn run_filters_become_an_encoded_query() {
        let filter = |branch: Option<&str>, event: Option<&str>, created: Option<&str>| RunFilter {
            branch: branch.map(String::from),
            event: event.map(String::from),
            created_since: created.map(String::from),
        };
        let rows: &[(RunFilter, &str)] = &[
            (RunFilter::default(), "per_page=100"),
            (
                filter(Some("main"), Some("workflow_dispatch"), None),
                "per_page=100&branch=main&event=workflow_dispatch",
            ),
            (
                filter(None, None, Some("2026-12-02T10:00:00Z")),
                "per_page=100&created=%3E%3D2026-12-02T10%3A00%3A00Z",
            ),
            (
                filter(
                    Some("release/1.0 & more"),
                    None,
                    Some("2026-12-02T10:00:00+01:00"),
                ),
                "per_page=100&branch=release%2F1.0%20%26%20more&created=%3E%3D2026-12-02T10%3A00%3A00%2B01%3A00",
            ),
        ];
        for (filter, expected) in rows {
            assert_eq!(runs_query(filter), *expected, "{filter:?}");
        }
    }

    #[test]
    fn workflows_are_named_by_file_or_id() {
        assert_eq!(
            workflow_file("deploy.yml"),
            "`.github/workflows/deploy.yml`"
        );
        assert_eq!(workflow_file("161335"), "with id 161335");
    }

    #[test]
    fn the_token_header_is_sensitive_and_the_rest_fixed() {
        let token = Secret::new("abc123").unwrap();
        let headers = request_headers(Some(&token)).unwrap();
        let authorization = &headers[AUTHORIZATION];
        assert!(authorization.is_sensitive());
        assert!(!format!("{authorization:?}").contains("abc123"));
        assert_eq!(headers["x-github-api-version"], API_VERSION);
        assert!(headers[USER_AGENT].to_str().unwrap().starts_with("relcut/"));
        assert!(request_headers(None).unwrap().get(AUTHORIZATION).is_none());
    }

    fn settings(url: &str) -> ForgeSettings {
        ForgeSettings {
            api_url: url.to_string(),
            token: Secret::new("abc123-token"),
            repository: None,
            hosts: vec![],
            retry: RetryPolicy::default(),
            poll: std::time::Duration::from_secs(5),
        }
    }

    #[test]
    fn base_urls_must_be_http() {
        for url in ["ftp://example.com", "api.github.com", "", "https://"] {
            let error = GitHub::new(&settings(url)).expect_err(url);
            assert!(error.to_string().contains("GITHUB_API_URL"), "{error}");
        }
    }

    #[test]
    fn the_client_shows_no_token_in_debug() {
        let github = GitHub::new(&settings("https://api.github.com")).unwrap();
        let shown = format!("{github:?}");
        assert!(shown.contains("api.github.com"), "{shown}");
        assert!(!shown.contains("abc123"), "{shown}");
    }

    #[test]
    fn paths_go_below_the_base_and_absolute_urls_stay() {
        let rows: &[(&str, &str, Option<&str>)] = &[
            (
                "https://api.github.com",
                "/repos/o/r",
                Some("https://api.github.com/repos/o/r"),
            ),
            (
                "https://ghe.example.com/api/v3",
                "/repos/o/r/releases?per_page=100&page=2",
                Some("https://ghe.example.com/api/v3/repos/o/r/releases?per_page=100&page=2"),
            ),
            (
                "https://ghe.example.com/api/v3/",
                "/repos/o/r",
                Some("https://ghe.example.com/api/v3/repos/o/r"),
            ),
            // Uploads are absolute and go where the release says.
            (
                "https://ghe.example.com/api/v3",
                "https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets?name=a",
                None,
            ),
            (
                "https://api.github.com",
                "https://uploads.github.com/repos/o/r/releases/1/assets?name=a",
                None,
            ),
            (
                "http://127.0.0.1:8080",
                "/repos/o/r",
                Some("http://127.0.0.1:8080/repos/o/r"),
            ),
        ];
        for (base, uri, expected) in rows {
            let found = rebased(&base.parse().unwrap(), &uri.parse().unwrap());
            assert_eq!(
                found.map(|uri| uri.to_string()).as_deref(),
                *expected,
                "{base} {uri}"
            );
        }
    }

    #[test]
    fn upload_urls_are_expanded_and_must_stay_on_github() {
        let rows: &[(&str, &str, &str, std::result::Result<&str, &str>)] = &[
            (
                "https://api.github.com",
                "https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}",
                "relcut-1.0.0.tar.gz",
                Ok(
                    "https://uploads.github.com/repos/o/r/releases/1/assets?name=relcut-1.0.0.tar.gz",
                ),
            ),
            (
                "https://ghe.example.com/api/v3",
                "https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets{?name,label}",
                "notes & sums (all).txt",
                Ok(
                    "https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets?name=notes%20%26%20sums%20%28all%29.txt",
                ),
            ),
            (
                "http://127.0.0.1:4000",
                "http://127.0.0.1:4000/repos/o/r/releases/1/assets{?name,label}",
                "ü.zip",
                Ok("http://127.0.0.1:4000/repos/o/r/releases/1/assets?name=%C3%BC.zip"),
            ),
            (
                "https://api.github.com",
                "https://uploads.github.com/repos/o/r/releases/1/assets?x=1{&name}",
                "a",
                Ok("https://uploads.github.com/repos/o/r/releases/1/assets?x=1&name=a"),
            ),
            (
                "https://api.github.com",
                "https://uploads.evil.example/repos/o/r/releases/1/assets{?name,label}",
                "a",
                Err("not on the API's host"),
            ),
            (
                "http://127.0.0.1:4000",
                "https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}",
                "a",
                Err("not on the API's host"),
            ),
            (
                "http://127.0.0.1:4000",
                "http://127.0.0.1:4001/repos/o/r/releases/1/assets{?name,label}",
                "a",
                Err("not on the API's host"),
            ),
            (
                "https://ghe.example.com/api/v3",
                "http://ghe.example.com/api/uploads/repos/o/r/releases/1/assets",
                "a",
                Err("plain HTTP"),
            ),
            (
                "https://api.github.com",
                "/repos/o/r/releases/1/assets{?name,label}",
                "a",
                Err("absolute"),
            ),
            (
                "https://api.github.com",
                "https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}",
                "",
                Err("without a name"),
            ),
        ];
        for (base, template, name, expected) in rows {
            let found = upload_uri(&base.parse().unwrap(), template, name);
            match (found, expected) {
                (Ok(uri), Ok(expected)) => assert_eq!(uri.to_string(), *expected),
                (Err(problem), Err(needle)) => {
                    assert!(problem.contains(needle), "{template}: {problem}")
                }
                (found, expected) => panic!("{template}: {found:?}, not {expected:?}"),
            }
        }
    }

    #[test]
    fn validation_errors_become_one_sentence() {
        let rows: &[(&str, &str)] = &[
            (
                r#"{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}],"documentation_url":"x"}"#,
                "Validation Failed: the release already exists for tag_name (already_exists)",
            ),
            (
                r#"{"message":"Validation Failed","errors":[{"resource":"ReleaseAsset","code":"already_exists","field":"name"},{"resource":"Release","code":"invalid","field":"target_commitish"}]}"#,
                "Validation Failed: the release asset already exists for name (already_exists); the release has an invalid target_commitish (invalid)",
            ),
            (
                r#"{"message":"Validation Failed","errors":[{"resource":"Release","code":"custom","field":"tag_name","message":"tag_name is not a valid tag"}]}"#,
                "Validation Failed: the release: tag_name: tag_name is not a valid tag",
            ),
            (
                r#"{"message":"Validation Failed","errors":[{"code":"custom","message":"Published releases must have a valid tag"}]}"#,
                "Validation Failed: Published releases must have a valid tag",
            ),
            (
                r#"{"message":"Validation Failed","errors":[{"resource":"Release","code":"missing_field","field":"tag_name"}]}"#,
                "Validation Failed: the release lacks the required field tag_name (missing_field)",
            ),
            (
                r#"{"message":"Validation Failed","errors":["tag_name is taken"]}"#,
                "Validation Failed: tag_name is taken",
            ),
            (
                r#"{"message":"Validation Failed","errors":[{"code":"unprocessable"}]}"#,
                "Validation Failed: unprocessable",
            ),
            (r#"{"message":"Validation Failed"}"#, "Validation Failed"),
            ("not json", "not json"),
        ];
        for (body, expected) in rows {
            assert_eq!(validation_sentence(body), *expected, "{body}");
        }
    }

    #[test]
    fn the_next_page_comes_from_link_or_a_full_page() {
        let link = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(http::header::LINK, HeaderValue::from_str(value).unwrap());
            headers
        };
        let rows: Vec<(HeaderMap, usize, bool)> = vec![
            (
                link(
                    r#"<https://api.github.com/repositories/1/releases?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/releases?per_page=100&page=5>; rel="last""#,
                ),
                100,
                true,
            ),
            (
                link(
                    r#"<https://api.github.com/repositories/1/releases?per_page=100&page=1>; rel="prev", <https://api.github.com/repositories/1/releases?per_page=100&page=1>; rel="first""#,
                ),
                100,
                false,
            ),
            (HeaderMap::new(), 100, true),
            (HeaderMap::new(), 99, false),
            (HeaderMap::new(), 0, false),
        ];
        for (headers, count, expected) in rows {
            assert_eq!(
                has_next_page(&headers, count),
                expected,
                "{headers:?} {count}"
            );
        }
    }

    #[test]
    fn waits_are_said_in_words() {
        let rows: &[(u64, &str)] = &[
            (0, "now"),
            (1, "in 1 second"),
            (45, "in 45 seconds"),
            (120, "in 2 minutes"),
            (2201, "in 37 minutes"),
        ];
        for (seconds, expected) in rows {
            assert_eq!(in_how_long(Duration::from_secs(*seconds)), *expected);
        }
        assert_eq!(clock_time(1_700_000_000), "22:13:20 UTC");
    }

    #[test]
    fn a_refused_connection_never_left() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let github = GitHub::new(&settings(&format!("http://127.0.0.1:{port}"))).unwrap();
        let call = Call::new(Method::POST, String::from("/repos/o/r/releases")).unwrap();
        match github.attempt(&call, false).unwrap() {
            Tried::Failed { sent, error } => assert!(!sent, "{error}"),
            _ => panic!("nothing listens there"),
        }
    }
}
