//! [`GitHub`]: the [`Forge`] on GitHub's REST API (github.com or GitHub Enterprise Server),
//! through octocrab on a current-thread tokio runtime that the client owns.
//!
//! The client sets its own headers (`User-Agent`, `Accept`, `X-GitHub-Api-Version`,
//! `Authorization`, replacing any octocrab would add), retries a request that failed on the way or
//! with a 502/503/504, and turns every answer into relcut's error sentences. It must never put
//! the token or unredacted server text into an error.

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use http::{Request, StatusCode, Uri};
use octocrab::service::middleware::base_uri::BaseUriLayer;
use octocrab::{AuthState, Octocrab, OctocrabBuilder};
use serde::Deserialize;
use tower::Service;

use super::{Forge, Release, RepoId, Repository, no_write_access, token_refused};
use crate::config::ForgeSettings;
use crate::error::{Error, Result};
use crate::secret::{Secret, redact};

/// The REST API version relcut is written against.
pub const API_VERSION: &str = "2022-11-28";

/// How long one request may take, from connecting to the last byte of the answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The pauses before the second and third attempt of a request that failed on the way.
const RETRY_PAUSES: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(3)];

/// The GitHub REST API, at the base URL of the settings.
pub struct GitHub {
    runtime: tokio::runtime::Runtime,
    client: Octocrab,
    /// The base URL as shown in messages (redacted: it could carry credentials).
    api_url: String,
    token: Option<Secret>,
}

impl GitHub {
    /// A client for the API at `settings.api_url`, authenticated with `settings.token` when there
    /// is one. Fails when the URL is not an `http(s)://` URL or TLS cannot be set up.
    pub fn new(settings: &ForgeSettings) -> Result<GitHub> {
        let token = settings.token.clone();
        let shown_url = redact(&settings.api_url, token.as_ref());
        let base_uri: Uri = settings
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
        let connector = https_connector(base_uri.scheme_str() == Some("https"))?;
        let http_client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        let headers = Arc::new(request_headers(token.as_ref())?);
        // octocrab's request queue is spawned on the runtime that is current when it is built.
        let _entered = runtime.enter();
        let built = OctocrabBuilder::new_empty()
            .with_service(http_client)
            .with_layer(&BaseUriLayer::new(base_uri))
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
            api_url: shown_url,
            token,
        })
    }

    /// `GET route` (a path below the base URL): the status and the body, retried when it failed
    /// on the way or GitHub was briefly unavailable.
    fn get(&self, route: &str) -> Result<(StatusCode, String)> {
        let mut attempt = 0;
        loop {
            let outcome = self.runtime.block_on(async {
                tokio::time::timeout(REQUEST_TIMEOUT, async {
                    let response = self.client._get(route).await?;
                    let status = response.status();
                    let body = self.client.body_to_string(response).await?;
                    Ok::<_, octocrab::Error>((status, body))
                })
                .await
            });
            let retry = match &outcome {
                Ok(Ok((status, _))) => matches!(status.as_u16(), 502..=504),
                _ => true,
            };
            if retry && attempt < RETRY_PAUSES.len() {
                std::thread::sleep(RETRY_PAUSES[attempt]);
                attempt += 1;
                continue;
            }
            return match outcome {
                Ok(Ok(answer)) => Ok(answer),
                Ok(Err(error)) => Err(Error::Forge(format!(
                    "cannot reach GitHub at `{}` (`GET {route}`): {}; check `GITHUB_API_URL` and the network",
                    self.api_url,
                    self.redacted(&error_chain(&error))
                ))),
                Err(_elapsed) => Err(Error::Forge(format!(
                    "GitHub at `{}` did not answer `GET {route}` within {} seconds; try again later",
                    self.api_url,
                    REQUEST_TIMEOUT.as_secs()
                ))),
            };
        }
    }

    fn redacted(&self, text: &str) -> String {
        redact(text, self.token.as_ref())
    }

    /// The error for an answer relcut did not expect, with GitHub's own message (redacted).
    fn unexpected(&self, request: &str, status: StatusCode, body: &str) -> Error {
        let message = serde_json::from_str::<ErrorBody>(body)
            .ok()
            .and_then(|body| body.message)
            .unwrap_or_else(|| body.chars().take(200).collect());
        let message = self.redacted(message.trim());
        let hint = if is_rate_limit(status, body) {
            "; the API rate limit is used up, try again later"
        } else {
            ""
        };
        Error::Forge(if message.is_empty() {
            format!("GitHub answered {status} to `{request}`{hint}")
        } else {
            format!("GitHub answered {status} to `{request}`: {message}{hint}")
        })
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, request: &str, body: &str) -> Result<T> {
        serde_json::from_str(body).map_err(|error| {
            Error::Forge(format!(
                "GitHub's answer to `{request}` is not what the API describes: {}",
                self.redacted(&error.to_string())
            ))
        })
    }
}

impl Forge for GitHub {
    fn repository(&self, repo: &RepoId) -> Result<Repository> {
        let route = format!("/repos/{}/{}", encode(&repo.owner), encode(&repo.name));
        let request = format!("GET {route}");
        let (status, body) = self.get(&route)?;
        match status.as_u16() {
            200 => {
                let found: RepositoryBody = self.parse(&request, &body)?;
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
            401 => Err(token_refused(&request)),
            403 if is_rate_limit(status, &body) => Err(self.unexpected(&request, status, &body)),
            403 | 404 => Err(no_write_access(
                repo,
                &format!("GitHub answered {status} to `{request}`"),
            )),
            _ => Err(self.unexpected(&request, status, &body)),
        }
    }

    fn release_by_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>> {
        let route = format!(
            "/repos/{}/{}/releases/tags/{}",
            encode(&repo.owner),
            encode(&repo.name),
            encode_keeping_slashes(tag)
        );
        let request = format!("GET {route}");
        let (status, body) = self.get(&route)?;
        match status.as_u16() {
            200 => {
                let found: ReleaseBody = self.parse(&request, &body)?;
                Ok(Some(Release {
                    id: found.id,
                    tag_name: found.tag_name,
                    name: found.name,
                    draft: found.draft,
                    prerelease: found.prerelease,
                    html_url: found.html_url,
                    upload_url: found.upload_url,
                }))
            }
            404 => Ok(None),
            401 => Err(token_refused(&request)),
            _ => Err(self.unexpected(&request, status, &body)),
        }
    }
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

/// Whether an answer says the rate limit is used up (GitHub answers 403 or 429).
fn is_rate_limit(status: StatusCode, body: &str) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN && body.to_ascii_lowercase().contains("rate limit"))
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
    draft: bool,
    prerelease: bool,
    html_url: String,
    upload_url: String,
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

    #[test]
    fn base_urls_must_be_http() {
        for url in ["ftp://example.com", "api.github.com", "", "https://"] {
            let settings = ForgeSettings {
                api_url: url.to_string(),
                token: None,
                repository: None,
                hosts: vec![],
            };
            let error = GitHub::new(&settings).err().expect(url);
            assert!(error.to_string().contains("GITHUB_API_URL"), "{error}");
        }
    }
}
