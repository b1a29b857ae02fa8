//! A local test double of the GitHub REST API: a small HTTP/1.1 server on 127.0.0.1 that checks
//! every request against the official contract in `../shared/github-api/openapi.json` (operation,
//! path and query parameters, JSON body, `X-GitHub-Api-Version`, `Authorization`, `User-Agent`),
//! records it, and answers with what the test programmed or the contract's example.
//!
//! A request that does not validate is answered 400 and makes the test fail: [`GitHubDouble::finish`]
//! and `Drop` panic listing every violation (unless the test took them with
//! [`GitHubDouble::take_violations`]). It never reaches the network.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use serde_json::{Value, json};

/// The API version every request must ask for.
pub const API_VERSION: &str = "2022-11-28";

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
    /// The body.
    pub body: Vec<u8>,
    /// The contract's `operationId` the request matched, if any.
    pub operation: Option<String>,
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

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    violations: Vec<String>,
    /// `operationId` → the answers to give, in order; the last one repeats.
    responses: BTreeMap<String, Vec<(u16, Value)>>,
    /// The token `Authorization` must carry, when the test says.
    token: Option<String>,
}

/// The running double. Stops when dropped.
pub struct GitHubDouble {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl GitHubDouble {
    /// Starts the double on a free port of 127.0.0.1.
    pub fn start() -> GitHubDouble {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
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
    /// now on; several calls queue answers, the last of which repeats.
    pub fn respond(&self, operation: &str, status: u16, body: Value) -> &GitHubDouble {
        assert!(
            contract().operations.iter().any(|op| op.id == operation),
            "`{operation}` is not an operation of the contract"
        );
        self.lock()
            .responses
            .entry(operation.to_string())
            .or_default()
            .push((status, body));
        self
    }

    /// Requires `Authorization: Bearer TOKEN` (or `token TOKEN`) on every request.
    pub fn expect_token(&self, token: &str) -> &GitHubDouble {
        self.lock().token = Some(token.to_string());
        self
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

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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

/// Reads one request from `stream`, checks it, records it and answers; then closes the
/// connection (`Connection: close`), so clients never wait on a kept-alive socket.
fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(clone) => clone,
        Err(_) => return,
    });
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    let token = state.lock().unwrap().token.clone();
    let (operation, mut problems) = validate(&request, token.as_deref());
    let mut recorded = request;
    recorded.operation = operation.as_ref().map(|op| op.id.clone());
    let (status, body) = if problems.is_empty() {
        let operation = operation.expect("a valid request matched an operation");
        let mut state = state.lock().unwrap();
        let programmed = state.responses.get_mut(&operation.id).and_then(|queue| {
            if queue.len() > 1 {
                Some(queue.remove(0))
            } else {
                queue.first().cloned()
            }
        });
        programmed.unwrap_or_else(|| operation.default_response())
    } else {
        let message = format!(
            "{} {}: {}",
            recorded.method,
            recorded.path,
            problems.join("; ")
        );
        problems = vec![message.clone()];
        (400, json!({ "message": message }))
    };
    {
        let mut state = state.lock().unwrap();
        state.violations.extend(problems);
        state.requests.push(recorded);
    }
    let body = if status == 204 || body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let reason = match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        _ => "Status",
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Recorded> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            break;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (target, String::new()),
    };
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
        operation: None,
    })
}

/// The operation `request` is, and every way it breaks the contract.
fn validate(request: &Recorded, token: Option<&str>) -> (Option<&'static Operation>, Vec<String>) {
    let contract = contract();
    let mut problems = Vec::new();
    let versions = request.header("x-github-api-version");
    if versions != [API_VERSION] {
        problems.push(format!(
            "`X-GitHub-Api-Version` must be sent once as `{API_VERSION}`, got {versions:?}"
        ));
    }
    if request.header("user-agent").len() != 1 {
        problems.push(String::from("GitHub requires exactly one `User-Agent`"));
    }
    let authorizations = request.header("authorization");
    match (authorizations.as_slice(), token) {
        ([], None) => {}
        ([], Some(_)) => problems.push(String::from("no `Authorization` header")),
        ([value], expected) => {
            let form = value
                .split_once(' ')
                .filter(|(scheme, credential)| {
                    matches!(*scheme, "Bearer" | "token")
                        && !credential.is_empty()
                        && !credential.contains(char::is_whitespace)
                })
                .map(|(_, credential)| credential);
            match (form, expected) {
                (None, _) => problems.push(String::from(
                    "`Authorization` must be `Bearer TOKEN` or `token TOKEN`",
                )),
                (Some(credential), Some(expected)) if credential != expected => {
                    problems.push(String::from("`Authorization` carries another token"))
                }
                _ => {}
            }
        }
        _ => problems.push(String::from("more than one `Authorization` header")),
    }
    let path = request.path.as_str();
    let mut candidates: Vec<(&Operation, Vec<String>)> = contract
        .operations
        .iter()
        .filter(|op| op.method.eq_ignore_ascii_case(&request.method))
        .filter_map(|op| op.match_path(path).map(|values| (op, values)))
        .collect();
    // A literal segment beats a parameter: `/releases/latest` is not release `latest`.
    candidates.sort_by_key(|(op, _)| std::cmp::Reverse(op.literal_length));
    let Some((operation, values)) = candidates.into_iter().next() else {
        problems.push(String::from(
            "no operation of the contract has this method and path",
        ));
        return (None, problems);
    };
    for (parameter, value) in operation.path_parameters.iter().zip(values) {
        let Some(value) = percent_decode(&value) else {
            problems.push(format!(
                "path parameter `{}` is not valid percent-encoding",
                parameter.name
            ));
            continue;
        };
        check_parameter(parameter, &value, &mut problems);
    }
    let mut seen = Vec::new();
    for pair in request.query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(name), Some(value)) = (
            percent_decode(&name.replace('+', " ")),
            percent_decode(&value.replace('+', " ")),
        ) else {
            problems.push(format!("query `{pair}` is not valid percent-encoding"));
            continue;
        };
        match operation.query_parameters.iter().find(|p| p.name == name) {
            None => problems.push(format!("unknown query parameter `{name}`")),
            Some(parameter) => {
                check_parameter(parameter, &value, &mut problems);
                seen.push(name);
            }
        }
    }
    for parameter in &operation.query_parameters {
        if parameter.required && !seen.contains(&parameter.name) {
            problems.push(format!(
                "required query parameter `{}` is missing",
                parameter.name
            ));
        }
    }
    match &operation.body {
        None if !request.body.is_empty() => {
            problems.push(String::from("this operation takes no request body"))
        }
        None => {}
        Some(body) if request.body.is_empty() && body.required => {
            problems.push(String::from("the request body is required"))
        }
        Some(_) if request.body.is_empty() => {}
        Some(body) => match &body.json_schema {
            None => {}
            Some(schema) => {
                let content_type = request.header("content-type");
                if !content_type
                    .first()
                    .is_some_and(|value| value.starts_with("application/json"))
                {
                    problems.push(format!(
                        "the body must be `application/json`, `Content-Type` is {content_type:?}"
                    ));
                }
                match serde_json::from_slice::<Value>(&request.body) {
                    Err(error) => problems.push(format!("the body is not JSON: {error}")),
                    Ok(value) => {
                        check_schema(&contract.document, schema, &value, "body", &mut problems)
                    }
                }
            }
        },
    }
    (Some(operation), problems)
}

fn check_parameter(parameter: &Parameter, value: &str, problems: &mut Vec<String>) {
    let typed = match parameter.schema.get("type").and_then(Value::as_str) {
        Some("integer") => value.parse::<i64>().map(Value::from).ok(),
        Some("number") => value.parse::<f64>().ok().map(Value::from),
        Some("boolean") => value.parse::<bool>().ok().map(Value::from),
        _ => Some(Value::from(value)),
    };
    match typed {
        None => problems.push(format!(
            "parameter `{}` = `{value}` is not of type {}",
            parameter.name, parameter.schema["type"]
        )),
        Some(typed) => check_schema(
            &contract().document,
            &parameter.schema,
            &typed,
            &format!("parameter `{}`", parameter.name),
            problems,
        ),
    }
}

/// Validates `value` against the subset of OpenAPI 3.0 schema keywords the contract uses
/// (`$ref`, `type`, `nullable`, `enum`, `properties`, `required`, `additionalProperties`,
/// `items`, `oneOf`/`anyOf`/`allOf`, lengths, counts and bounds).
fn check_schema(
    document: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    problems: &mut Vec<String>,
) {
    let schema = resolve(document, schema);
    if value.is_null() && schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        return;
    }
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        let fits = match kind {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            "null" => value.is_null(),
            _ => true,
        };
        if !fits {
            problems.push(format!("{at} must be of type {kind}, is {value}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        problems.push(format!(
            "{at} = {value} is not one of {}",
            Value::from(allowed.clone())
        ));
    }
    let number = |key: &str| schema.get(key).and_then(Value::as_u64).map(|n| n as usize);
    if let Some(text) = value.as_str() {
        let length = text.chars().count();
        if number("minLength").is_some_and(|min| length < min) {
            problems.push(format!("{at} is shorter than {}", schema["minLength"]));
        }
        if number("maxLength").is_some_and(|max| length > max) {
            problems.push(format!("{at} is longer than {}", schema["maxLength"]));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|min| n < min)
        {
            problems.push(format!("{at} is below {}", schema["minimum"]));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|max| n > max)
        {
            problems.push(format!("{at} is above {}", schema["maximum"]));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name.as_str()
                && !object.contains_key(name)
            {
                problems.push(format!("{at} lacks the required `{name}`"));
            }
        }
        for (name, item) in object {
            match properties.and_then(|properties| properties.get(name)) {
                Some(property) => {
                    check_schema(document, property, item, &format!("{at}.{name}"), problems)
                }
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        problems.push(format!("{at} has the unknown property `{name}`"))
                    }
                    Some(extra @ Value::Object(_)) => {
                        check_schema(document, extra, item, &format!("{at}.{name}"), problems)
                    }
                    _ => {}
                },
            }
        }
        if number("maxProperties").is_some_and(|max| object.len() > max) {
            problems.push(format!(
                "{at} has more than {} properties",
                schema["maxProperties"]
            ));
        }
        if number("minProperties").is_some_and(|min| object.len() < min) {
            problems.push(format!(
                "{at} has fewer than {} properties",
                schema["minProperties"]
            ));
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(item_schema) = schema.get("items") {
            for (index, item) in items.iter().enumerate() {
                check_schema(
                    document,
                    item_schema,
                    item,
                    &format!("{at}[{index}]"),
                    problems,
                );
            }
        }
        if number("maxItems").is_some_and(|max| items.len() > max) {
            problems.push(format!("{at} has more than {} items", schema["maxItems"]));
        }
        if number("minItems").is_some_and(|min| items.len() < min) {
            problems.push(format!("{at} has fewer than {} items", schema["minItems"]));
        }
    }
    let outcomes = |key: &str| -> Option<Vec<Vec<String>>> {
        let alternatives = schema.get(key)?.as_array()?;
        Some(
            alternatives
                .iter()
                .map(|alternative| {
                    let mut found = Vec::new();
                    check_schema(document, alternative, value, at, &mut found);
                    found
                })
                .collect(),
        )
    };
    if let Some(outcomes) = outcomes("allOf") {
        problems.extend(outcomes.into_iter().flatten());
    }
    if let Some(outcomes) = outcomes("anyOf")
        && !outcomes.iter().any(Vec::is_empty)
    {
        problems.push(format!(
            "{at} matches none of `anyOf`: {}",
            outcomes.concat().join("; ")
        ));
    }
    if let Some(outcomes) = outcomes("oneOf") {
        let matching = outcomes.iter().filter(|found| found.is_empty()).count();
        if matching != 1 {
            problems.push(format!(
                "{at} matches {matching} of `oneOf`, not exactly one"
            ));
        }
    }
}

/// Follows `$ref`s (`#/components/...`) to the schema itself.
fn resolve<'d>(document: &'d Value, mut schema: &'d Value) -> &'d Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').expect("local references only");
        schema = document
            .pointer(pointer)
            .unwrap_or_else(|| panic!("the contract has no `{reference}`"));
    }
    schema
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The contract, read once per test binary.
struct Contract {
    document: Value,
    operations: Vec<Operation>,
}

struct Operation {
    id: String,
    method: String,
    /// The path template as a regular expression, one group per path parameter.
    pattern: regex::Regex,
    /// How many literal characters the template has (more wins).
    literal_length: usize,
    path_parameters: Vec<Parameter>,
    query_parameters: Vec<Parameter>,
    body: Option<RequestBody>,
    /// The responses: status → the example body (or null).
    responses: Vec<(u16, Value)>,
}

struct Parameter {
    name: String,
    required: bool,
    schema: Value,
}

struct RequestBody {
    required: bool,
    /// The schema of an `application/json` body; `None` for raw bodies (asset uploads).
    json_schema: Option<Value>,
}

impl Operation {
    fn match_path(&self, path: &str) -> Option<Vec<String>> {
        let captures = self.pattern.captures(path)?;
        Some(
            captures
                .iter()
                .skip(1)
                .map(|group| group.map_or(String::new(), |m| m.as_str().to_string()))
                .collect(),
        )
    }

    /// The contract's first success response with its example.
    fn default_response(&self) -> (u16, Value) {
        self.responses
            .iter()
            .find(|(status, _)| (200..300).contains(status))
            .cloned()
            .unwrap_or((200, Value::Null))
    }
}

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/github-api/openapi.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let document: Value = serde_json::from_str(&text).expect("the contract is JSON");
        let operations = load_operations(&document);
        Contract {
            document,
            operations,
        }
    })
}

fn load_operations(document: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (template, item) in document["paths"].as_object().expect("paths") {
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (method, operation) in item.as_object().unwrap() {
            if !matches!(method.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                continue;
            }
            let parameters: Vec<&Value> = shared
                .iter()
                .chain(
                    operation
                        .get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .map(|parameter| resolve(document, parameter))
                .collect();
            let parameter = |raw: &Value| Parameter {
                name: raw["name"].as_str().unwrap().to_string(),
                required: raw.get("required").and_then(Value::as_bool) == Some(true),
                schema: raw.get("schema").cloned().unwrap_or(json!({})),
            };
            let mut path_parameters = Vec::new();
            let mut pattern = String::from("^");
            let mut literal_length = 0;
            for segment in template.split('/').skip(1) {
                pattern.push('/');
                match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => {
                        let raw = parameters
                            .iter()
                            .find(|p| p["name"] == name && p["in"] == "path")
                            .unwrap_or_else(|| panic!("{template}: no parameter `{name}`"));
                        let multi =
                            raw.get("x-multi-segment").and_then(Value::as_bool) == Some(true);
                        pattern.push_str(if multi { "(.+)" } else { "([^/]+)" });
                        path_parameters.push(parameter(raw));
                    }
                    None => {
                        pattern.push_str(&regex::escape(segment));
                        literal_length += segment.len();
                    }
                }
            }
            pattern.push('$');
            let query_parameters = parameters
                .iter()
                .filter(|p| p["in"] == "query")
                .map(|raw| parameter(raw))
                .collect();
            let body = operation.get("requestBody").map(|raw| {
                let raw = resolve(document, raw);
                RequestBody {
                    required: raw.get("required").and_then(Value::as_bool) == Some(true),
                    json_schema: raw.pointer("/content/application~1json/schema").cloned(),
                }
            });
            let responses = operation["responses"]
                .as_object()
                .unwrap()
                .iter()
                .filter_map(|(status, response)| {
                    let status = status.parse::<u16>().ok()?;
                    let response = resolve(document, response);
                    let example = response
                        .pointer("/content/application~1json/examples")
                        .and_then(Value::as_object)
                        .and_then(|examples| examples.values().next())
                        .map(|example| resolve(document, example)["value"].clone())
                        .unwrap_or(Value::Null);
                    Some((status, example))
                })
                .collect();
            operations.push(Operation {
                id: operation["operationId"].as_str().unwrap().to_string(),
                method: method.to_ascii_uppercase(),
                pattern: regex::Regex::new(&pattern).unwrap(),
                literal_length,
                path_parameters,
                query_parameters,
                body,
                responses,
            });
        }
    }
    assert_eq!(
        operations.len(),
        19,
        "the contract lists nineteen operations"
    );
    operations
}
