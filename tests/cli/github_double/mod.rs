//! A local test double of the GitHub REST API: a small HTTP/1.1 server on 127.0.0.1 that checks
//! every request against the official contract in `../shared/github-api/openapi.json` (operation,
//! path and query parameters, body, `X-GitHub-Api-Version`, `Authorization`, `User-Agent`),
//! records it, and answers like GitHub: from a programmed answer, else from its model of one
//! repository (releases, assets, which is latest, workflow runs and dispatches), else with the
//! contract's example.
//!
//! Tests can make the next requests of an operation fail ([`GitHubDouble::fail_next`]) or lose
//! the connection before or after the work is done ([`GitHubDouble::drop_before`],
//! [`GitHubDouble::drop_after`]), to prove a client neither gives up too early nor does a thing
//! twice.
//!
//! A request that does not validate is answered 400 and makes the test fail: [`GitHubDouble::finish`]
//! and `Drop` panic listing every violation (unless the test took them with
//! [`GitHubDouble::take_violations`]). It never reaches the network.
//!
//! Layout: `http` frames requests and answers, `validate` holds the contract and its checks,
//! `state` the repository model, `actions` its workflow runs and dispatches; this module ties them together and is the tests' interface.

mod actions;
mod http;
mod state;
mod validate;

use std::collections::{BTreeMap, VecDeque};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

pub use actions::DoubleRun;
use http::Answer;
use state::Repository;
pub use state::{DoubleAsset, DoubleRelease};
use validate::{Matched, check_schema, contract, validate};

/// The API version every request must ask for.
pub const API_VERSION: &str = "2022-11-28";

/// The repository [`GitHubDouble::start`] models, the one of the contract's examples.
pub const DEFAULT_REPOSITORY: &str = "octocat/Hello-World";

/// The hourly request budget the double announces in `x-ratelimit-limit`, GitHub's for a token.
const RATE_LIMIT: u64 = 5000;

/// One request as the double received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, still percent-encoded, without the query.
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
    /// The headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body (decoded from chunks if it came chunked).
    pub body: Vec<u8>,
    /// The contract's `operationId` the request matched, if any.
    pub operation: Option<String>,
    /// The fault the double injected for this request: `fail_next 502`, `drop_before`,
    /// `drop_after`; `None` when it was served normally.
    pub fault: Option<String>,
}

impl Recorded {
    /// Every value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The request as one text, headers and body included (to look for leaks).
    pub fn text(&self) -> String {
        let mut text = format!("{} {}?{}\n", self.method, self.path, self.query);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push_str(&String::from_utf8_lossy(&self.body));
        text
    }
}

/// What the double does to a request instead of serving it normally.
#[derive(Clone)]
enum FaultKind {
    /// Answer this, do nothing.
    Fail {
        status: u16,
        body: Value,
        headers: Vec<(String, String)>,
    },
    /// Close without answering, do nothing.
    DropBefore,
    /// Do the work, then close without answering.
    DropAfter,
}

impl FaultKind {
    fn label(&self) -> String {
        match self {
            FaultKind::Fail { status, .. } => format!("fail_next {status}"),
            FaultKind::DropBefore => String::from("drop_before"),
            FaultKind::DropAfter => String::from("drop_after"),
        }
    }
}

struct Fault {
    kind: FaultKind,
    /// How many more requests it applies to.
    remaining: usize,
}

struct State {
    requests: Vec<Recorded>,
    violations: Vec<String>,
    /// `operationId` → the answers to give, in order; the last one repeats.
    responses: BTreeMap<String, Vec<(u16, Value)>>,
    /// `operationId` → faults for its next requests, applied in the order set.
    faults: BTreeMap<String, VecDeque<Fault>>,
    /// The token `Authorization` must carry, when the test says.
    token: Option<String>,
    repository: Repository,
    /// The path the API is served under (`/api/v3` on GitHub Enterprise Server), if any.
    prefix: Option<String>,
    /// When the announced rate-limit window ends (seconds since the Unix epoch).
    rate_limit_reset: u64,
}

impl State {
    /// The fault for the next request of `operation`, counting it off.
    fn take_fault(&mut self, operation: &str) -> Option<FaultKind> {
        let queue = self.faults.get_mut(operation)?;
        let fault = queue.front_mut()?;
        fault.remaining -= 1;
        let kind = fault.kind.clone();
        if fault.remaining == 0 {
            queue.pop_front();
        }
        Some(kind)
    }

    /// Does what a valid request asks and says what GitHub would answer: a programmed answer,
    /// else the repository model's, else the contract's example.
    fn carry_out(&mut self, matched: &Matched, request: &Recorded) -> Answer {
        let id = &matched.operation.id;
        let programmed = self.responses.get_mut(id).and_then(|queue| {
            if queue.len() > 1 {
                Some(queue.remove(0))
            } else {
                queue.first().cloned()
            }
        });
        if let Some((status, body)) = programmed {
            return Answer::new(status, body);
        }
        if let Some(answer) = self.repository.answer(matched, request) {
            // The model's answers must fit the contract as much as the client's requests do,
            // or a test could pass against a GitHub that does not exist.
            if let Some(schema) = matched.operation.response_schema(answer.status) {
                let mut problems = Vec::new();
                check_schema(
                    &contract().document,
                    schema,
                    &answer.body,
                    "answer",
                    &mut problems,
                );
                if !problems.is_empty() {
                    self.violations.push(format!(
                        "the double's own {} answer to `{id}` breaks the contract: {}",
                        answer.status,
                        problems.join("; ")
                    ));
                }
            }
            return answer;
        }
        let (status, body) = matched.operation.default_response();
        Answer::new(status, body)
    }

    /// Adds the headers GitHub puts on every answer; the answer's own headers win.
    fn finish_answer(&self, answer: Answer) -> Answer {
        let used = self.requests.len() as u64;
        let common = [
            ("X-GitHub-Api-Version-Selected", API_VERSION.to_string()),
            ("x-ratelimit-limit", RATE_LIMIT.to_string()),
            (
                "x-ratelimit-remaining",
                RATE_LIMIT.saturating_sub(used).to_string(),
            ),
            ("x-ratelimit-reset", self.rate_limit_reset.to_string()),
            ("x-ratelimit-used", used.to_string()),
            ("x-ratelimit-resource", String::from("core")),
        ];
        let mut headers: Vec<(String, String)> = common
            .into_iter()
            .filter(|(name, _)| {
                !answer
                    .headers
                    .iter()
                    .any(|(own, _)| own.eq_ignore_ascii_case(name))
            })
            .map(|(name, value)| (name.to_string(), value))
            .collect();
        headers.extend(answer.headers);
        Answer { headers, ..answer }
    }
}

/// The running double. Stops when dropped.
pub struct GitHubDouble {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl GitHubDouble {
    /// Starts the double on a free port of 127.0.0.1, modelling [`DEFAULT_REPOSITORY`].
    pub fn start() -> GitHubDouble {
        GitHubDouble::start_for(DEFAULT_REPOSITORY)
    }

    /// Starts the double modelling repository `full_name` (`OWNER/REPO`), empty, with push
    /// access; requests for any other repository are answered 404.
    pub fn start_for(full_name: &str) -> GitHubDouble {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().unwrap();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let state = Arc::new(Mutex::new(State {
            requests: Vec::new(),
            violations: Vec::new(),
            responses: BTreeMap::new(),
            faults: BTreeMap::new(),
            token: None,
            repository: Repository::new(full_name, format!("http://{address}")),
            prefix: None,
            rate_limit_reset: now + 3600,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let state = Arc::clone(&state);
                    std::thread::spawn(move || serve(stream, &state));
                }
            })
        };
        GitHubDouble {
            address,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// The API's base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the double listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Answers `operation` (an `operationId`, e.g. `repos/get`) with `status` and `body` from
    /// now on, instead of the model; several calls queue answers, the last of which repeats.
    pub fn respond(&self, operation: &str, status: u16, body: Value) -> &GitHubDouble {
        assert_operation(operation);
        self.lock()
            .responses
            .entry(operation.to_string())
            .or_default()
            .push((status, body));
        self
    }

    /// The contract's example answer to `operation`, for programmed answers shaped as GitHub's.
    pub fn example(operation: &str) -> Value {
        assert_operation(operation);
        contract()
            .operations
            .iter()
            .find(|op| op.id == operation)
            .map(|op| op.default_response().1)
            .unwrap_or(Value::Null)
    }

    /// Requires `Authorization: Bearer TOKEN` (or `token TOKEN`) on every request.
    pub fn expect_token(&self, token: &str) -> &GitHubDouble {
        self.lock().token = Some(token.to_string());
        self
    }

    /// Serves the API under `prefix` (`/api/v3`, as GitHub Enterprise Server does): requests
    /// must carry it, and every URL the double hands out includes it.
    pub fn serve_under(&self, prefix: &str) -> &GitHubDouble {
        let mut state = self.lock();
        state.repository.api_base = format!("http://{}{prefix}", self.address);
        state.prefix = Some(prefix.to_string());
        drop(state);
        self
    }

    /// Sets what `permissions.push` says (true at start). Without it, as on GitHub, drafts are
    /// hidden and writes to releases and assets, workflow dispatches and repository dispatches
    /// are answered 403.
    pub fn set_push_permission(&self, push: bool) -> &GitHubDouble {
        self.lock().repository.push = push;
        self
    }

    /// Answers the next `count` valid requests of `operation` with `status`, `body` and the
    /// extra `headers` (e.g. `Retry-After`, `x-ratelimit-remaining: 0`), without carrying them
    /// out.
    pub fn fail_next(
        &self,
        operation: &str,
        count: usize,
        status: u16,
        body: Value,
        headers: &[(&str, &str)],
    ) -> &GitHubDouble {
        let headers = headers
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        self.add_fault(
            operation,
            count,
            FaultKind::Fail {
                status,
                body,
                headers,
            },
        )
    }

    /// Reads and records the next `count` valid requests of `operation`, then closes the
    /// connection without answering or carrying them out.
    pub fn drop_before(&self, operation: &str, count: usize) -> &GitHubDouble {
        self.add_fault(operation, count, FaultKind::DropBefore)
    }

    /// Carries out the next `count` valid requests of `operation` (a release is created, an
    /// asset stored, a run dispatched), records them, and closes the connection without answering: the answer is
    /// lost on the way back.
    pub fn drop_after(&self, operation: &str, count: usize) -> &GitHubDouble {
        self.add_fault(operation, count, FaultKind::DropAfter)
    }

    fn add_fault(&self, operation: &str, count: usize, kind: FaultKind) -> &GitHubDouble {
        assert_operation(operation);
        if count > 0 {
            self.lock()
                .faults
                .entry(operation.to_string())
                .or_default()
                .push_back(Fault {
                    kind,
                    remaining: count,
                });
        }
        self
    }

    /// The releases the double holds, in the order they were created (drafts included).
    pub fn releases(&self) -> Vec<DoubleRelease> {
        self.lock().repository.releases.clone()
    }

    /// The id of the release GitHub would show as latest, if any.
    pub fn latest_release_id(&self) -> Option<u64> {
        self.lock().repository.latest_release_id()
    }

    /// Adds a release of `tag` (named `tag`, on `main`) as if it had been created earlier, and
    /// returns its id. Panics when a published release of `tag` exists and this one is published.
    pub fn add_release(&self, tag: &str, draft: bool, prerelease: bool) -> u64 {
        self.lock().repository.seed_release(tag, draft, prerelease)
    }

    /// Adds an asset `name` with `bytes` (`application/octet-stream`) to release `release_id` as
    /// if it had been uploaded, and returns its id. Panics when there is no such release or it
    /// already has an asset of that name.
    pub fn add_asset(&self, release_id: u64, name: &str, bytes: &[u8]) -> u64 {
        self.lock().repository.seed_asset(release_id, name, bytes)
    }

    /// The conclusion runs complete with (`success` at start) unless
    /// [`GitHubDouble::set_run_conclusion_for`] says otherwise; applies to runs created after.
    pub fn set_run_conclusion(&self, conclusion: &str) -> &GitHubDouble {
        self.lock().repository.actions.conclusion = conclusion.to_string();
        self
    }

    /// The conclusion of runs of `workflow` (`deploy.yml`) on `git_ref` (`v1.0.0` or
    /// `refs/tags/v1.0.0`: the same) created after; the last such call that matches decides.
    pub fn set_run_conclusion_for(
        &self,
        workflow: &str,
        git_ref: &str,
        conclusion: &str,
    ) -> &GitHubDouble {
        self.lock().repository.actions.conclusion_rules.push((
            workflow.to_string(),
            git_ref.to_string(),
            conclusion.to_string(),
        ));
        self
    }

    /// How many reads (`actions/get-workflow-run`) see a run `in_progress` before it completes
    /// (1 at start; 0 completes it on the first read).
    pub fn set_fetches_in_progress(&self, reads: usize) -> &GitHubDouble {
        self.lock().repository.actions.fetches_in_progress = reads;
        self
    }

    /// Answers workflow dispatches 204 without run details even when they ask for them, as
    /// GitHub Enterprise Server does before it knew `return_run_details`.
    pub fn answer_dispatch_without_run_details(&self, without: bool) -> &GitHubDouble {
        self.lock().repository.actions.without_run_details = without;
        self
    }

    /// The workflow files (`deploy.yml`) that exist; dispatching or listing any other is
    /// answered 404 as on GitHub. Until called, every workflow exists.
    pub fn set_workflows(&self, workflows: &[&str]) -> &GitHubDouble {
        self.lock().repository.actions.workflows = Some(
            workflows
                .iter()
                .map(|workflow| workflow.to_string())
                .collect(),
        );
        self
    }

    /// Dates the runs created from now on `seconds` ahead of the clock, as if each had been
    /// created in the same second as something that comes later (GitHub's times are to the
    /// second).
    pub fn date_runs_ahead(&self, seconds: i64) -> &GitHubDouble {
        self.lock().repository.actions.runs_dated_ahead = seconds;
        self
    }

    /// The `run-name` of `workflow`, e.g. `Deploy ${{ inputs.version }}`: the display title of
    /// its runs created after, with the dispatch's inputs filled in.
    pub fn set_run_name(&self, workflow: &str, template: &str) -> &GitHubDouble {
        self.lock()
            .repository
            .actions
            .run_names
            .insert(workflow.to_string(), template.to_string());
        self
    }

    /// Makes `workflow` listen for the repository dispatch `event_type`: each such event
    /// received starts a `repository_dispatch` run of it on `main`, titled by its `run-name`
    /// (see [`GitHubDouble::set_run_name`]) or else by the event type, as on GitHub.
    pub fn listen_for_event(&self, workflow: &str, event_type: &str) -> &GitHubDouble {
        self.lock()
            .repository
            .actions
            .event_listeners
            .push((workflow.to_string(), event_type.to_string()));
        self
    }

    /// Adds the run of `workflow` that a repository dispatch `event_type` with `payload` would
    /// start now, as if another release had sent it, without recording a dispatch.
    pub fn add_event_run(&self, workflow: &str, event_type: &str, payload: Value) -> &GitHubDouble {
        self.lock()
            .repository
            .actions
            .create_event_run(workflow, event_type, &payload);
        self
    }

    /// The commit runs dispatched on `git_ref` run (otherwise 40 hex digits made from the ref).
    pub fn set_ref_sha(&self, git_ref: &str, sha: &str) -> &GitHubDouble {
        self.lock()
            .repository
            .actions
            .ref_shas
            .insert(git_ref.to_string(), sha.to_string());
        self
    }

    /// Adds a `workflow_dispatch` run of `workflow` on `git_ref` as if it had been dispatched
    /// earlier, and returns its id (ids keep increasing). It is dated a minute ago, but never
    /// before a run made before it, so listing order follows creation order. A run that is not
    /// `completed` advances on reads like any other and completes with `conclusion` if given,
    /// else as configured.
    pub fn add_run(
        &self,
        workflow: &str,
        git_ref: &str,
        status: &str,
        conclusion: Option<&str>,
        display_title: &str,
    ) -> u64 {
        self.lock().repository.actions.seed_run(
            workflow,
            git_ref,
            status,
            conclusion,
            display_title,
        )
    }

    /// The workflow runs the double holds, in creation order.
    pub fn runs(&self) -> Vec<DoubleRun> {
        self.lock().repository.actions.runs.clone()
    }

    /// The `(event_type, client_payload)` of every repository dispatch received, in order
    /// (`{}` when a dispatch had no payload).
    pub fn repository_dispatches(&self) -> Vec<(String, Value)> {
        self.lock().repository.actions.repository_dispatches.clone()
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// The violations found so far, which then no longer fail the test.
    pub fn take_violations(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().violations)
    }

    /// Stops the double and returns the requests; panics if any request broke the contract.
    #[track_caller]
    pub fn finish(mut self) -> Vec<Recorded> {
        self.shut_down();
        let state = self.lock();
        assert!(
            state.violations.is_empty(),
            "requests that break the GitHub API contract:\n  - {}",
            state.violations.join("\n  - ")
        );
        state.requests.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn shut_down(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.stop.store(true, Ordering::SeqCst);
            // Wake the accepting thread so it sees the flag.
            let _ = TcpStream::connect(self.address);
            let _ = thread.join();
        }
    }
}

impl Drop for GitHubDouble {
    fn drop(&mut self) {
        self.shut_down();
        let violations = std::mem::take(&mut self.lock().violations);
        if !violations.is_empty() && !std::thread::panicking() {
            panic!(
                "requests that break the GitHub API contract:\n  - {}",
                violations.join("\n  - ")
            );
        }
    }
}

/// A panicking test must not hide every later finding behind a poisoned lock.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[track_caller]
fn assert_operation(operation: &str) {
    assert!(
        contract().operations.iter().any(|op| op.id == operation),
        "`{operation}` is not an operation of the contract"
    );
}

/// Reads one request from `stream`, checks it, records it and answers (or, for a fault, closes
/// without answering); the connection then closes (`Connection: close`), so clients never wait
/// on a kept-alive socket.
fn serve(stream: TcpStream, shared: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(http::READ_TIMEOUT));
    let Some((mut recorded, mut problems)) = http::read_request(&stream) else {
        return;
    };
    // One lock for the whole exchange: each request sees and leaves a consistent repository,
    // and is recorded before any byte of its answer leaves.
    let mut state = lock(shared);
    // Under a prefix, the contract's paths are read below it; the record keeps the whole path.
    let mut seen = recorded.clone();
    if let Some(prefix) = &state.prefix {
        match recorded.path.strip_prefix(prefix.as_str()) {
            Some(rest) if rest.starts_with('/') => seen.path = rest.to_string(),
            _ => problems.push(format!(
                "the API is served under `{prefix}`, not at the root"
            )),
        }
    }
    let (matched, found) = validate(&seen, state.token.as_deref());
    problems.extend(found);
    recorded.operation = matched.as_ref().map(|matched| matched.operation.id.clone());
    let reply = match matched {
        Some(matched) if problems.is_empty() => {
            let fault = state.take_fault(&matched.operation.id);
            recorded.fault = fault.as_ref().map(FaultKind::label);
            match fault {
                None => Some(state.carry_out(&matched, &seen)),
                Some(FaultKind::Fail {
                    status,
                    body,
                    headers,
                }) => Some(Answer {
                    status,
                    body,
                    headers,
                }),
                Some(FaultKind::DropBefore) => None,
                Some(FaultKind::DropAfter) => {
                    state.carry_out(&matched, &seen);
                    None
                }
            }
        }
        // A request that breaks the contract is answered 400 and consumes no fault.
        _ => {
            let message = format!(
                "{} {}: {}",
                recorded.method,
                recorded.path,
                problems.join("; ")
            );
            state.violations.push(message.clone());
            Some(Answer::new(400, json!({ "message": message })))
        }
    };
    state.requests.push(recorded);
    let reply = reply.map(|answer| state.finish_answer(answer));
    drop(state);
    match reply {
        Some(answer) => http::write_answer(stream, &answer),
        None => http::close_without_answer(stream),
    }
}
