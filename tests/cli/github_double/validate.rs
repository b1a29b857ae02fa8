//! The GitHub API contract (`../shared/github-api/openapi.json`) as the double reads it, and the
//! checks of a request against it: operation, path and query parameters, body, and the headers
//! GitHub requires. It only judges; it never answers or keeps state.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::{API_VERSION, Recorded};

/// A request that matched an operation of the contract, with its parameters decoded.
pub(super) struct Matched {
    pub operation: &'static Operation,
    /// The path parameters by name, percent-decoded (a `tag` may hold `/`).
    pub path: BTreeMap<String, String>,
    /// The query parameters by name, percent-decoded.
    pub query: BTreeMap<String, String>,
}

impl Matched {
    /// Path parameter `name`, which the operation's template has.
    pub fn path(&self, name: &str) -> &str {
        self.path
            .get(name)
            .unwrap_or_else(|| panic!("`{}` has no path parameter `{name}`", self.operation.id))
    }

    /// Path parameter `name` as a number (the contract typed and checked it).
    pub fn number(&self, name: &str) -> u64 {
        self.path(name).parse().unwrap_or(0)
    }
}

/// The operation `request` is, and every way it breaks the contract.
pub(super) fn validate(request: &Recorded, token: Option<&str>) -> (Option<Matched>, Vec<String>) {
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
    let mut matched = Matched {
        operation,
        path: BTreeMap::new(),
        query: BTreeMap::new(),
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
        matched.path.insert(parameter.name.clone(), value);
    }
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
            Some(_) if matched.query.contains_key(&name) => {
                problems.push(format!("query parameter `{name}` is given twice"))
            }
            Some(parameter) => {
                check_parameter(parameter, &value, &mut problems);
                matched.query.insert(name, value);
            }
        }
    }
    for parameter in &operation.query_parameters {
        if parameter.required && !matched.query.contains_key(&parameter.name) {
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
        // A raw body (an asset upload, `application/octet-stream` in the contract) is any bytes;
        // GitHub stores the asset under the media type the client names, so one must be named.
        Some(RequestBody {
            json_schema: None, ..
        }) => {
            let content_type = request.header("content-type");
            if content_type.len() != 1 || content_type[0].trim().is_empty() {
                problems.push(format!(
                    "a raw body needs exactly one `Content-Type` naming its media type, got {content_type:?}"
                ));
            }
        }
        Some(RequestBody {
            json_schema: Some(schema),
            ..
        }) => {
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
    }
    (Some(matched), problems)
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
pub(super) fn check_schema(
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
pub(super) fn resolve<'d>(document: &'d Value, mut schema: &'d Value) -> &'d Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').expect("local references only");
        schema = document
            .pointer(pointer)
            .unwrap_or_else(|| panic!("the contract has no `{reference}`"));
    }
    schema
}

pub(super) fn percent_decode(text: &str) -> Option<String> {
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
pub(super) struct Contract {
    pub document: Value,
    pub operations: Vec<Operation>,
}

pub(super) struct Operation {
    pub id: String,
    method: String,
    /// The page of GitHub's documentation for it (GitHub's errors link it).
    pub documentation_url: String,
    /// The path template as a regular expression, one group per path parameter.
    pattern: regex::Regex,
    /// How many literal characters the template has (more wins).
    literal_length: usize,
    path_parameters: Vec<Parameter>,
    query_parameters: Vec<Parameter>,
    body: Option<RequestBody>,
    /// The responses the contract lists, by status.
    responses: Vec<ContractResponse>,
}

struct ContractResponse {
    status: u16,
    /// The first `application/json` example (or null).
    example: Value,
    /// The schema of an `application/json` body, if the response has one.
    schema: Option<Value>,
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
    pub fn default_response(&self) -> (u16, Value) {
        self.responses
            .iter()
            .find(|response| (200..300).contains(&response.status))
            .map(|response| (response.status, response.example.clone()))
            .unwrap_or((200, Value::Null))
    }

    /// The schema the body of a `status` answer must fit, if the contract gives one.
    pub fn response_schema(&self, status: u16) -> Option<&Value> {
        self.responses
            .iter()
            .find(|response| response.status == status)
            .and_then(|response| response.schema.as_ref())
    }
}

pub(super) fn contract() -> &'static Contract {
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
                // A body is JSON or raw bytes (`application/octet-stream`, `*/*`): nothing else
                // is checked, so a contract with another kind must not slip through unseen.
                for media_type in raw["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                {
                    assert!(
                        matches!(
                            media_type.as_str(),
                            "application/json" | "application/octet-stream" | "*/*"
                        ),
                        "{template}: request body of media type `{media_type}`"
                    );
                }
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
                    let schema = response
                        .pointer("/content/application~1json/schema")
                        .cloned();
                    Some(ContractResponse {
                        status,
                        example,
                        schema,
                    })
                })
                .collect();
            operations.push(Operation {
                id: operation["operationId"].as_str().unwrap().to_string(),
                method: method.to_ascii_uppercase(),
                documentation_url: operation
                    .pointer("/externalDocs/url")
                    .and_then(Value::as_str)
                    .unwrap_or("https://docs.github.com/rest")
                    .to_string(),
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
