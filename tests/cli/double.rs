//! Tests of the GitHub API double itself, over raw HTTP: its repository model (releases, assets,
//! paging, latest), GitHub's refusals, the injected faults, and the framing real clients use
//! (`Expect: 100-continue`, chunked bodies). The tests of relcut against it live elsewhere.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};

use relcut::config::ForgeSettings;
use relcut::forge::{Forge, GitHub, RepoId};
use relcut::secret::Secret;
use serde_json::{Value, json};

use crate::github_double::{DoubleAsset, GitHubDouble};

const REPO: &str = "/repos/octocat/Hello-World";

/// The headers every valid request carries.
const HEADERS: &str = "Host: 127.0.0.1\r\nUser-Agent: double-test\r\nAuthorization: Bearer t\r\nX-GitHub-Api-Version: 2022-11-28\r\n";

/// An answer as a client reads it.
#[derive(Debug)]
struct Reply {
    status: u16,
    status_line: String,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    body: Value,
}

impl Reply {
    /// Every value of header `name` (lower case).
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    fn one_header(&self, name: &str) -> &str {
        match self.header(name).as_slice() {
            [value] => value,
            other => panic!("`{name}` should be sent once, is {other:?}"),
        }
    }
}

/// Reads everything up to the close and parses it; `None` if the double closed without a byte.
fn read_reply(stream: &mut TcpStream) -> Option<Reply> {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    if raw.is_empty() {
        return None;
    }
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("an answer has a blank line after its headers");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap().to_string();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.trim().to_ascii_lowercase(), value.trim().to_string())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map(|(_, value)| value.parse().unwrap())
        .expect("every answer has a Content-Length");
    assert_eq!(body.len(), length, "the body has its announced length");
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).unwrap()
    };
    Some(Reply {
        status,
        status_line,
        headers,
        body,
    })
}

/// Sends `head` (request line and extra headers, no blank line) with `body`; the answer, or
/// `None` when the connection closed without one.
fn exchange(double: &GitHubDouble, head: &str, body: &[u8]) -> Option<Reply> {
    let mut stream = TcpStream::connect(double.address()).unwrap();
    let mut request = format!("{head}\r\n{HEADERS}");
    if !body.is_empty() {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    read_reply(&mut stream)
}

#[track_caller]
fn answered(reply: Option<Reply>) -> Reply {
    reply.expect("the double answered")
}

fn get(double: &GitHubDouble, path: &str) -> Reply {
    answered(exchange(double, &format!("GET {path} HTTP/1.1"), b""))
}

fn send_json(double: &GitHubDouble, method: &str, path: &str, body: Value) -> Option<Reply> {
    exchange(
        double,
        &format!("{method} {path} HTTP/1.1\r\nContent-Type: application/json"),
        body.to_string().as_bytes(),
    )
}

fn create(double: &GitHubDouble, body: Value) -> Option<Reply> {
    send_json(double, "POST", &format!("{REPO}/releases"), body)
}

fn update(double: &GitHubDouble, id: u64, body: Value) -> Reply {
    answered(send_json(
        double,
        "PATCH",
        &format!("{REPO}/releases/{id}"),
        body,
    ))
}

fn delete(double: &GitHubDouble, path: &str) -> Reply {
    answered(exchange(double, &format!("DELETE {path} HTTP/1.1"), b""))
}

fn upload(double: &GitHubDouble, release: u64, query: &str, kind: &str, bytes: &[u8]) -> Reply {
    answered(exchange(
        double,
        &format!("POST {REPO}/releases/{release}/assets?{query} HTTP/1.1\r\nContent-Type: {kind}"),
        bytes,
    ))
}

fn ids(reply: &Reply) -> Vec<u64> {
    reply
        .body
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["id"].as_u64().unwrap())
        .collect()
}

#[test]
fn double_release_is_created_found_published_and_deleted() {
    let double = GitHubDouble::start();
    let port = double.address().port();
    let draft = answered(create(
        &double,
        json!({ "tag_name": "v0.9.0", "name": "Nine", "body": "notes", "draft": true }),
    ));
    assert_eq!(draft.status, 201);
    assert_eq!(draft.status_line, "HTTP/1.1 201 Created");
    assert_eq!(draft.body["id"], 1);
    assert_eq!(draft.body["draft"], true);
    assert_eq!(draft.body["published_at"], Value::Null);
    assert_eq!(draft.body["target_commitish"], "main");
    assert_eq!(draft.body["name"], "Nine");
    assert_eq!(draft.body["body"], "notes");
    assert_eq!(draft.body["assets"], json!([]));
    assert!(
        draft.body["html_url"]
            .as_str()
            .unwrap()
            .starts_with("https://github.com/octocat/Hello-World/releases/tag/untagged-"),
        "{}",
        draft.body["html_url"]
    );
    assert_eq!(
        draft.body["upload_url"],
        format!(
            "http://127.0.0.1:{port}/repos/octocat/Hello-World/releases/1/assets{{?name,label}}"
        )
    );
    assert_eq!(
        draft.one_header("location"),
        format!("http://127.0.0.1:{port}/repos/octocat/Hello-World/releases/1")
    );
    // GitHub finds releases by tag among published ones only.
    assert_eq!(
        get(&double, &format!("{REPO}/releases/tags/v0.9.0")).status,
        404
    );
    assert_eq!(
        get(&double, &format!("{REPO}/releases/1")).body["tag_name"],
        "v0.9.0"
    );

    let published = answered(create(
        &double,
        json!({ "tag_name": "release/1.0", "target_commitish": "abc123" }),
    ));
    assert_eq!(published.body["id"], 2);
    assert_eq!(published.body["name"], Value::Null);
    assert_eq!(published.body["target_commitish"], "abc123");
    assert!(published.body["published_at"].is_string());
    let found = get(&double, &format!("{REPO}/releases/tags/release%2F1.0"));
    assert_eq!(found.status, 200);
    assert_eq!(found.body["id"], 2);
    assert_eq!(
        found.body["html_url"],
        "https://github.com/octocat/Hello-World/releases/tag/release/1.0"
    );

    let updated = update(
        &double,
        1,
        json!({ "tag_name": "v0.9.1", "target_commitish": "def456", "name": "Nine and a bit",
                "body": "more notes", "draft": false, "prerelease": true, "make_latest": "false" }),
    );
    assert_eq!(updated.status, 200);
    assert_eq!(updated.body["tag_name"], "v0.9.1");
    assert_eq!(updated.body["draft"], false);
    assert_eq!(updated.body["prerelease"], true);
    assert!(updated.body["published_at"].is_string());
    assert_eq!(
        updated.body["html_url"],
        "https://github.com/octocat/Hello-World/releases/tag/v0.9.1"
    );
    assert_eq!(
        get(&double, &format!("{REPO}/releases/tags/v0.9.1")).body["id"],
        1
    );
    let held = &double.releases()[0];
    assert_eq!(
        (
            held.tag_name.as_str(),
            held.target_commitish.as_str(),
            held.name.as_deref(),
            held.body.as_deref(),
            held.draft,
            held.prerelease,
            held.make_latest.as_deref()
        ),
        (
            "v0.9.1",
            "def456",
            Some("Nine and a bit"),
            Some("more notes"),
            false,
            true,
            Some("false")
        )
    );
    assert!(held.published_at.is_some());

    assert_eq!(delete(&double, &format!("{REPO}/releases/1")).status, 204);
    assert_eq!(get(&double, &format!("{REPO}/releases/1")).status, 404);
    assert_eq!(delete(&double, &format!("{REPO}/releases/1")).status, 404);
    assert_eq!(update(&double, 1, json!({ "name": "gone" })).status, 404);
    let left: Vec<u64> = double.releases().iter().map(|release| release.id).collect();
    assert_eq!(left, [2]);
    double.finish();
}

#[test]
fn double_lists_releases_newest_first_with_drafts_and_pages() {
    let double = GitHubDouble::start();
    for (tag, draft) in [
        ("v1", false),
        ("v2", true),
        ("v3", false),
        ("v4", true),
        ("v5", false),
    ] {
        double.add_release(tag, draft, false);
    }
    let all = get(&double, &format!("{REPO}/releases"));
    assert_eq!(ids(&all), [5, 4, 3, 2, 1]);
    assert!(all.header("link").is_empty(), "one page needs no Link");

    let base = format!("{}{REPO}/releases", double.url());
    let first = get(&double, &format!("{REPO}/releases?per_page=2"));
    assert_eq!(ids(&first), [5, 4]);
    assert_eq!(
        first.one_header("link"),
        format!(
            "<{base}?per_page=2&page=2>; rel=\"next\", <{base}?per_page=2&page=3>; rel=\"last\""
        )
    );
    let middle = get(&double, &format!("{REPO}/releases?per_page=2&page=2"));
    assert_eq!(ids(&middle), [3, 2]);
    assert_eq!(
        middle.one_header("link"),
        format!(
            "<{base}?per_page=2&page=1>; rel=\"prev\", <{base}?per_page=2&page=3>; rel=\"next\", \
             <{base}?per_page=2&page=3>; rel=\"last\", <{base}?per_page=2&page=1>; rel=\"first\""
        )
    );
    let last = get(&double, &format!("{REPO}/releases?page=3&per_page=2"));
    assert_eq!(ids(&last), [1]);
    let link = last.one_header("link");
    assert!(!link.contains("rel=\"next\""), "{link}");
    assert!(link.contains("page=2>; rel=\"prev\""), "{link}");
    assert_eq!(
        ids(&get(&double, &format!("{REPO}/releases?per_page=2&page=4"))),
        [] as [u64; 0]
    );
    // GitHub caps `per_page` at 100.
    let capped = get(&double, &format!("{REPO}/releases?per_page=500"));
    assert_eq!(ids(&capped), [5, 4, 3, 2, 1]);
    assert!(capped.header("link").is_empty());

    // Without push access a token sees no drafts.
    double.set_push_permission(false);
    assert_eq!(ids(&get(&double, &format!("{REPO}/releases"))), [5, 3, 1]);
    assert_eq!(get(&double, &format!("{REPO}/releases/2")).status, 404);
    double.finish();
}

#[test]
fn double_pages_of_thirty_by_default() {
    let double = GitHubDouble::start();
    for index in 0..31 {
        double.add_release(&format!("v0.{index}.0"), false, false);
    }
    let first = get(&double, &format!("{REPO}/releases"));
    assert_eq!(first.body.as_array().unwrap().len(), 30);
    assert!(
        first
            .one_header("link")
            .contains("per_page=30&page=2>; rel=\"last\""),
        "{:?}",
        first.header("link")
    );
    assert_eq!(ids(&get(&double, &format!("{REPO}/releases?page=2"))), [1]);
    double.finish();
}

#[test]
fn double_latest_release_follows_make_latest() {
    let double = GitHubDouble::start();
    let latest = |double: &GitHubDouble| {
        let reply = get(double, &format!("{REPO}/releases/latest"));
        let by_api = (reply.status == 200).then(|| reply.body["id"].as_u64().unwrap());
        assert_eq!(
            by_api,
            double.latest_release_id(),
            "the API and the test see one latest"
        );
        by_api
    };
    assert_eq!(latest(&double), None, "no release, no latest: 404");
    // (what is done, the latest release after it)
    let steps: Vec<(Value, Option<u64>)> = vec![
        // 1: published without `make_latest`: "Defaults to `true` for newly published releases".
        (json!({ "create": { "tag_name": "v1" } }), Some(1)),
        // 2: a prerelease is never latest, even when asked.
        (
            json!({ "create": { "tag_name": "v2-rc", "prerelease": true, "make_latest": "true" } }),
            Some(1),
        ),
        // 3: `false` leaves the latest alone.
        (
            json!({ "create": { "tag_name": "v0.9", "make_latest": "false" } }),
            Some(1),
        ),
        // 4: a draft is never latest.
        (
            json!({ "create": { "tag_name": "v4", "draft": true } }),
            Some(1),
        ),
        // release 3 made latest explicitly.
        (json!({ "update": [3, { "make_latest": "true" }] }), Some(3)),
        // 5: `legacy`: the newest-created published full release, which is 5 itself.
        (
            json!({ "create": { "tag_name": "v5", "make_latest": "legacy" } }),
            Some(5),
        ),
        // The draft published now, without `make_latest`: it becomes latest.
        (json!({ "update": [4, { "draft": false }] }), Some(4)),
        // Latest made a prerelease: the legacy rule picks the newest-created full release.
        (json!({ "update": [4, { "prerelease": true }] }), Some(5)),
        (json!({ "delete": 5 }), Some(3)),
        (json!({ "update": [3, { "draft": true }] }), Some(1)),
    ];
    for (step, expected) in steps {
        if let Some(body) = step.get("create") {
            assert_eq!(
                answered(create(&double, body.clone())).status,
                201,
                "{step}"
            );
        } else if let Some(update_step) = step.get("update") {
            let id = update_step[0].as_u64().unwrap();
            assert_eq!(
                update(&double, id, update_step[1].clone()).status,
                200,
                "{step}"
            );
        } else {
            let id = step["delete"].as_u64().unwrap();
            assert_eq!(
                delete(&double, &format!("{REPO}/releases/{id}")).status,
                204
            );
        }
        assert_eq!(latest(&double), expected, "after {step}");
    }
    double.finish();
}

#[test]
fn double_refuses_a_second_published_release_of_a_tag() {
    let double = GitHubDouble::start();
    assert_eq!(
        answered(create(&double, json!({ "tag_name": "v1.0.0" }))).status,
        201
    );
    let refused = answered(create(
        &double,
        json!({ "tag_name": "v1.0.0", "name": "again" }),
    ));
    assert_eq!(refused.status, 422);
    assert_eq!(refused.status_line, "HTTP/1.1 422 Unprocessable Entity");
    assert_eq!(refused.body["message"], "Validation Failed");
    assert_eq!(
        refused.body["errors"],
        json!([{ "resource": "Release", "code": "already_exists", "field": "tag_name" }])
    );
    assert!(
        refused.body["documentation_url"]
            .as_str()
            .unwrap()
            .starts_with("https://docs.github.com/")
    );
    // Drafts may share a tag, with a published release and with each other…
    let draft = answered(create(
        &double,
        json!({ "tag_name": "v1.0.0", "draft": true }),
    ));
    assert_eq!(draft.status, 201);
    assert_eq!(
        answered(create(
            &double,
            json!({ "tag_name": "v1.0.0", "draft": true })
        ))
        .status,
        201
    );
    // A tag that only drafts have is free for a published release.
    let only_drafts = json!({ "tag_name": "v3.0.0", "draft": true });
    assert_eq!(answered(create(&double, only_drafts)).status, 201);
    assert_eq!(
        answered(create(&double, json!({ "tag_name": "v3.0.0" }))).status,
        201
    );
    // …but publishing one of them would make a second release of the tag.
    let id = draft.body["id"].as_u64().unwrap();
    let publish = update(&double, id, json!({ "draft": false }));
    assert_eq!(publish.status, 422);
    assert_eq!(publish.body["errors"][0]["code"], "already_exists");
    assert!(
        double.releases()[1].draft,
        "a refused update changes nothing"
    );
    // Nor may a published release take another's tag.
    let other = answered(create(&double, json!({ "tag_name": "v2.0.0" })));
    let other = other.body["id"].as_u64().unwrap();
    assert_eq!(
        update(&double, other, json!({ "tag_name": "v1.0.0" })).status,
        422
    );
    let published: Vec<String> = double
        .releases()
        .into_iter()
        .filter(|release| !release.draft)
        .map(|release| release.tag_name)
        .collect();
    assert_eq!(published, ["v1.0.0", "v3.0.0", "v2.0.0"]);
    double.finish();
}

#[test]
fn double_uploads_lists_and_deletes_assets() {
    let double = GitHubDouble::start();
    let release = double.add_release("v1.0.0", true, false);
    // Not UTF-8, not JSON: an upload body is raw bytes.
    let bytes = [0x1f, 0x8b, 0x00, 0xff, 0xfe, b'\r', b'\n'];
    let uploaded = upload(
        &double,
        release,
        "name=relcut-x86_64.tar.gz&label=Linux%20build",
        "application/gzip",
        &bytes,
    );
    assert_eq!(uploaded.status, 201, "{:?}", uploaded.body);
    let asset = &uploaded.body;
    assert_eq!(asset["id"], 1);
    assert_eq!(asset["name"], "relcut-x86_64.tar.gz");
    assert_eq!(asset["label"], "Linux build");
    assert_eq!(asset["size"], bytes.len());
    assert_eq!(asset["content_type"], "application/gzip");
    assert_eq!(asset["state"], "uploaded");
    assert_eq!(
        asset["browser_download_url"],
        "https://github.com/octocat/Hello-World/releases/download/v1.0.0/relcut-x86_64.tar.gz"
    );
    assert_eq!(
        double.releases()[0].assets,
        [DoubleAsset {
            id: 1,
            name: String::from("relcut-x86_64.tar.gz"),
            label: Some(String::from("Linux build")),
            size: bytes.len() as u64,
            content_type: String::from("application/gzip"),
            bytes: bytes.to_vec(),
            created_at: double.releases()[0].assets[0].created_at.clone(),
        }]
    );
    let release_json = get(&double, &format!("{REPO}/releases/{release}"));
    assert_eq!(
        release_json.body["assets"][0]["name"],
        "relcut-x86_64.tar.gz"
    );

    let again = upload(
        &double,
        release,
        "name=relcut-x86_64.tar.gz",
        "application/gzip",
        b"other",
    );
    assert_eq!(again.status, 422);
    assert_eq!(
        again.body["errors"],
        json!([{ "resource": "ReleaseAsset", "code": "already_exists", "field": "name" }])
    );
    assert_eq!(
        upload(&double, 99, "name=a.txt", "text/plain", b"a").status,
        404
    );

    double.add_asset(release, "b.txt", b"b");
    double.add_asset(release, "c.txt", b"c");
    let names = |reply: &Reply| -> Vec<String> {
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|asset| asset["name"].as_str().unwrap().to_string())
            .collect()
    };
    let assets = format!("{REPO}/releases/{release}/assets");
    assert_eq!(
        names(&get(&double, &assets)),
        ["relcut-x86_64.tar.gz", "b.txt", "c.txt"]
    );
    let first = get(&double, &format!("{assets}?per_page=2"));
    assert_eq!(names(&first), ["relcut-x86_64.tar.gz", "b.txt"]);
    assert!(first.one_header("link").contains("page=2>; rel=\"next\""));
    assert_eq!(
        names(&get(&double, &format!("{assets}?per_page=2&page=2"))),
        ["c.txt"]
    );

    assert_eq!(
        delete(&double, &format!("{REPO}/releases/assets/1")).status,
        204
    );
    assert_eq!(
        delete(&double, &format!("{REPO}/releases/assets/1")).status,
        404
    );
    assert_eq!(names(&get(&double, &assets)), ["b.txt", "c.txt"]);
    assert_eq!(
        get(&double, &format!("{REPO}/releases/99/assets")).status,
        404
    );
    double.finish();
}

#[test]
fn double_upload_requires_a_name_and_a_media_type() {
    // (request head, a word the violation must contain)
    let rows = [
        (
            format!("POST {REPO}/releases/1/assets HTTP/1.1\r\nContent-Type: text/plain"),
            "`name`",
        ),
        (
            format!("POST {REPO}/releases/1/assets?name=a.txt HTTP/1.1"),
            "Content-Type",
        ),
    ];
    for (head, word) in rows {
        let double = GitHubDouble::start();
        double.add_release("v1", false, false);
        assert_eq!(
            answered(exchange(&double, &head, b"data")).status,
            400,
            "{head}"
        );
        let violations = double.take_violations();
        assert_eq!(violations.len(), 1, "{head}: {violations:?}");
        assert!(violations[0].contains(word), "{head}: {violations:?}");
        assert!(double.releases()[0].assets.is_empty());
        double.finish();
    }
}

#[test]
fn double_answers_expect_continue_before_the_body() {
    let double = GitHubDouble::start();
    let release = double.add_release("v1", false, false);
    let body = b"asked first";
    let mut stream = TcpStream::connect(double.address()).unwrap();
    write!(
        stream,
        "POST {REPO}/releases/{release}/assets?name=a.bin HTTP/1.1\r\n{HEADERS}Content-Type: application/octet-stream\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    )
    .unwrap();
    // The client sends nothing more until it reads the interim answer.
    let mut interim = Vec::new();
    let mut byte = [0; 1];
    while !interim.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "the double closed: {interim:?}"
        );
        interim.push(byte[0]);
    }
    assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(body).unwrap();
    let reply = read_reply(&mut stream).unwrap();
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    assert_eq!(double.releases()[0].assets[0].bytes, body);
    double.finish();
}

#[test]
fn double_reads_chunked_bodies() {
    let double = GitHubDouble::start();
    let release = double.add_release("v1", false, false);
    let mut stream = TcpStream::connect(double.address()).unwrap();
    write!(
        stream,
        "POST {REPO}/releases/{release}/assets?name=chunked.bin HTTP/1.1\r\n{HEADERS}Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    // Two chunks (one with an extension), the last chunk, a trailer.
    stream
        .write_all(b"5\r\nhello\r\nA;note=x\r\n, chunked!\r\n0\r\nX-Trailer: yes\r\n\r\n")
        .unwrap();
    let reply = read_reply(&mut stream).unwrap();
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    assert_eq!(reply.body["size"], 15);
    assert_eq!(double.releases()[0].assets[0].bytes, b"hello, chunked!");
    // A chunked JSON body is validated like any other.
    let mut stream = TcpStream::connect(double.address()).unwrap();
    let json = br#"{"tag_name":"v2"}"#;
    write!(
        stream,
        "POST {REPO}/releases HTTP/1.1\r\n{HEADERS}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
        json.len()
    )
    .unwrap();
    stream.write_all(json).unwrap();
    stream.write_all(b"\r\n0\r\n\r\n").unwrap();
    assert_eq!(read_reply(&mut stream).unwrap().status, 201);
    assert_eq!(double.releases().len(), 2);
    double.finish();
}

#[test]
fn double_rejects_a_body_that_does_not_match_its_length() {
    let double = GitHubDouble::start();
    let release = double.add_release("v1", false, false);
    let mut stream = TcpStream::connect(double.address()).unwrap();
    write!(
        stream,
        "POST {REPO}/releases/{release}/assets?name=short.bin HTTP/1.1\r\n{HEADERS}Content-Type: application/octet-stream\r\nContent-Length: 10\r\n\r\nfour"
    )
    .unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_reply(&mut stream).unwrap().status, 400);
    let violations = double.take_violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(violations[0].contains("Content-Length"), "{violations:?}");
    assert!(double.releases()[0].assets.is_empty());

    let mut stream = TcpStream::connect(double.address()).unwrap();
    write!(
        stream,
        "POST {REPO}/releases/{release}/assets?name=long.bin HTTP/1.1\r\n{HEADERS}Content-Type: application/octet-stream\r\nContent-Length: 2\r\n\r\ntoo long"
    )
    .unwrap();
    assert_eq!(read_reply(&mut stream).unwrap().status, 400);
    let violations = double.take_violations();
    assert!(
        violations.len() == 1 && violations[0].contains("Content-Length"),
        "{violations:?}"
    );
    double.finish();
}

#[test]
fn double_fail_next_answers_the_fault_then_serves_again() {
    let double = GitHubDouble::start();
    double.fail_next(
        "repos/create-release",
        2,
        502,
        json!({ "message": "Server Error" }),
        &[("Retry-After", "1")],
    );
    for attempt in 0..2 {
        let reply = answered(create(&double, json!({ "tag_name": "v1" })));
        assert_eq!(
            reply.status_line, "HTTP/1.1 502 Bad Gateway",
            "attempt {attempt}"
        );
        assert_eq!(reply.body["message"], "Server Error");
        assert_eq!(reply.one_header("retry-after"), "1");
        assert!(
            double.releases().is_empty(),
            "a failed request does nothing"
        );
    }
    let served = answered(create(&double, json!({ "tag_name": "v1" })));
    assert_eq!(served.status, 201);
    assert!(served.header("retry-after").is_empty());
    assert_eq!(double.releases().len(), 1);

    // A used-up rate limit: the fault's headers replace the usual ones.
    double.fail_next(
        "repos/get-release-by-tag",
        1,
        403,
        json!({ "message": "API rate limit exceeded for installation ID 1." }),
        &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000000"),
        ],
    );
    let limited = get(&double, &format!("{REPO}/releases/tags/v1"));
    assert_eq!(limited.status, 403);
    assert_eq!(limited.one_header("x-ratelimit-remaining"), "0");
    assert_eq!(limited.one_header("x-ratelimit-reset"), "1700000000");
    assert_eq!(limited.one_header("x-ratelimit-limit"), "5000");
    assert_eq!(
        get(&double, &format!("{REPO}/releases/tags/v1")).status,
        200
    );

    // Each status a client may meet, with its reason phrase.
    for (status, line) in [
        (429, "HTTP/1.1 429 Too Many Requests"),
        (500, "HTTP/1.1 500 Internal Server Error"),
        (503, "HTTP/1.1 503 Service Unavailable"),
        (504, "HTTP/1.1 504 Gateway Timeout"),
    ] {
        double.fail_next("repos/get", 1, status, json!({ "message": "no" }), &[]);
        assert_eq!(get(&double, REPO).status_line, line);
    }
    assert_eq!(get(&double, REPO).status, 200);

    let faults: Vec<Option<String>> = double.requests().into_iter().map(|r| r.fault).collect();
    let fail = |status: u16| Some(format!("fail_next {status}"));
    assert_eq!(
        faults,
        [
            fail(502),
            fail(502),
            None,
            fail(403),
            None,
            fail(429),
            fail(500),
            fail(503),
            fail(504),
            None
        ]
    );
    double.finish();
}

#[test]
fn double_every_answer_announces_the_rate_limit() {
    let double = GitHubDouble::start();
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let reply = get(&double, REPO);
        assert_eq!(reply.one_header("x-ratelimit-limit"), "5000");
        let reset: u64 = reply.one_header("x-ratelimit-reset").parse().unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(reset > now && reset <= now + 3600, "{reset} vs {now}");
        remaining.push(reply.one_header("x-ratelimit-remaining").to_string());
    }
    assert_eq!(remaining, ["4999", "4998", "4997"]);
    // Refusals count against it too.
    let refused = get(&double, "/repos/octocat/Other");
    assert_eq!(refused.status, 404);
    assert_eq!(refused.one_header("x-ratelimit-remaining"), "4996");
    double.finish();
}

#[test]
fn double_drop_before_loses_the_request_undone() {
    let double = GitHubDouble::start();
    double.drop_before("repos/create-release", 1);
    assert!(
        create(&double, json!({ "tag_name": "v1" })).is_none(),
        "no answer at all"
    );
    assert!(double.releases().is_empty(), "nothing was created");
    let requests = double.requests();
    assert_eq!(requests.len(), 1, "the dropped request is recorded");
    assert_eq!(requests[0].fault.as_deref(), Some("drop_before"));
    assert_eq!(
        requests[0].operation.as_deref(),
        Some("repos/create-release")
    );
    // The retry is served.
    assert_eq!(
        answered(create(&double, json!({ "tag_name": "v1" }))).status,
        201
    );
    assert_eq!(double.releases().len(), 1);
    double.finish();
}

#[test]
fn double_drop_after_does_the_work_and_loses_the_answer() {
    let double = GitHubDouble::start();
    double.drop_after("repos/create-release", 1);
    assert!(create(&double, json!({ "tag_name": "v1", "name": "One" })).is_none());
    let releases = double.releases();
    assert_eq!(releases.len(), 1, "the release was created");
    assert_eq!(releases[0].name.as_deref(), Some("One"));
    assert_eq!(double.requests()[0].fault.as_deref(), Some("drop_after"));
    // A client that retries blindly makes GitHub refuse; one that looks first finds it.
    let retry = answered(create(&double, json!({ "tag_name": "v1" })));
    assert_eq!(retry.status, 422);
    assert_eq!(
        get(&double, &format!("{REPO}/releases/tags/v1")).body["id"],
        releases[0].id
    );

    double.drop_after("repos/upload-release-asset", 1);
    let mut stream = TcpStream::connect(double.address()).unwrap();
    write!(
        stream,
        "POST {REPO}/releases/1/assets?name=a.bin HTTP/1.1\r\n{HEADERS}Content-Type: application/octet-stream\r\nContent-Length: 3\r\n\r\nabc"
    )
    .unwrap();
    assert!(read_reply(&mut stream).is_none());
    assert_eq!(
        double.releases()[0].assets[0].bytes,
        b"abc",
        "the upload was stored"
    );
    double.finish();
}

#[test]
fn double_faults_skip_invalid_requests_and_other_operations() {
    let double = GitHubDouble::start();
    double.drop_before("repos/create-release", 1);
    // Another operation is served.
    assert_eq!(get(&double, REPO).status, 200);
    // A request that breaks the contract is answered 400 and does not use the fault up.
    assert_eq!(
        answered(create(&double, json!({ "name": "no tag" }))).status,
        400
    );
    assert_eq!(double.take_violations().len(), 1);
    assert!(create(&double, json!({ "tag_name": "v1" })).is_none());
    assert_eq!(
        answered(create(&double, json!({ "tag_name": "v1" }))).status,
        201
    );
    double.finish();
}

#[test]
fn double_programmed_answers_beat_the_model_and_faults_beat_both() {
    let double = GitHubDouble::start();
    double.add_release("v1", false, false);
    double.respond(
        "repos/get-release-by-tag",
        404,
        json!({ "message": "Not Found" }),
    );
    double.fail_next(
        "repos/get-release-by-tag",
        1,
        503,
        json!({ "message": "later" }),
        &[],
    );
    let path = format!("{REPO}/releases/tags/v1");
    assert_eq!(get(&double, &path).status, 503);
    assert_eq!(get(&double, &path).status, 404);
    assert_eq!(
        get(&double, &path).status,
        404,
        "the last programmed answer repeats"
    );
    double.finish();
}

#[test]
fn double_models_the_repository_it_was_started_for() {
    let double = GitHubDouble::start_for("octo/rocket");
    let repository = get(&double, "/repos/octo/rocket");
    assert_eq!(repository.status, 200);
    assert_eq!(repository.body["full_name"], "octo/rocket");
    assert_eq!(repository.body["name"], "rocket");
    assert_eq!(repository.body["owner"]["login"], "octo");
    assert_eq!(
        repository.body["html_url"],
        "https://github.com/octo/rocket"
    );
    assert_eq!(repository.body["default_branch"], "main");
    assert_eq!(repository.body["permissions"]["push"], true);
    // GitHub's names are not case-sensitive.
    assert_eq!(get(&double, "/repos/Octo/Rocket").status, 200);

    for path in [
        "/repos/octocat/Hello-World",
        "/repos/octocat/Hello-World/releases/latest",
        "/repos/octo/rocket-fork/releases",
    ] {
        let other = get(&double, path);
        assert_eq!(other.status, 404, "{path}");
        assert_eq!(other.body["message"], "Not Found");
        assert!(
            other.body["documentation_url"]
                .as_str()
                .unwrap()
                .starts_with("https://docs.github.com/")
        );
    }

    let created = answered(send_json(
        &double,
        "POST",
        "/repos/octo/rocket/releases",
        json!({ "tag_name": "v1" }),
    ));
    assert_eq!(
        created.body["html_url"],
        "https://github.com/octo/rocket/releases/tag/v1"
    );

    double.set_push_permission(false);
    assert_eq!(
        get(&double, "/repos/octo/rocket").body["permissions"]["push"],
        false
    );
    let refused = answered(send_json(
        &double,
        "POST",
        "/repos/octo/rocket/releases",
        json!({ "tag_name": "v2" }),
    ));
    assert_eq!(refused.status, 403);
    assert_eq!(double.releases().len(), 1);
    double.finish();
}

#[test]
fn double_seeds_releases_and_assets() {
    let double = GitHubDouble::start();
    let first = double.add_release("v1", false, false);
    let draft = double.add_release("v2", true, false);
    let pre = double.add_release("v3-rc.1", false, true);
    assert_eq!((first, draft, pre), (1, 2, 3));
    let asset = double.add_asset(draft, "notes.txt", b"hello");
    assert_eq!(asset, 1);
    let releases = double.releases();
    assert_eq!(releases[1].assets[0].bytes, b"hello");
    assert_eq!(releases[1].published_at, None);
    assert!(releases[0].created_at < releases[1].created_at);
    assert_eq!(double.latest_release_id(), Some(1));
    let listed = get(&double, &format!("{REPO}/releases/{draft}/assets"));
    assert_eq!(listed.body[0]["size"], 5);
    double.finish();
}

#[test]
#[should_panic(expected = "already has a published release of `v1`")]
fn double_will_not_seed_a_second_published_release_of_a_tag() {
    let double = GitHubDouble::start();
    double.add_release("v1", false, false);
    double.add_release("v1", false, false);
}

fn forge(double: &GitHubDouble) -> GitHub {
    GitHub::new(&ForgeSettings {
        api_url: double.url(),
        token: Secret::new("ghs_double0test"),
        repository: None,
        hosts: vec![String::from("github.com")],
        retry: relcut::forge::RetryPolicy {
            first_pause: std::time::Duration::from_millis(10),
            ..relcut::forge::RetryPolicy::default()
        },
        poll: std::time::Duration::ZERO,
    })
    .unwrap()
}

#[test]
fn double_faults_reach_a_real_client() {
    // relcut's client (octocrab over hyper) must see a dropped connection and a 502 as what they
    // are, and find the release on its retries.
    let double = GitHubDouble::start();
    double.add_release("v1.0.0", false, false);
    double.drop_before("repos/get-release-by-tag", 1);
    double.fail_next(
        "repos/get-release-by-tag",
        1,
        502,
        json!({ "message": "Bad Gateway" }),
        &[],
    );
    let github = forge(&double);
    let repo = RepoId::parse("octocat/Hello-World").unwrap();
    let found = github
        .release_by_tag(&repo, "v1.0.0")
        .unwrap()
        .expect("found on the third try");
    assert_eq!(found.tag_name, "v1.0.0");
    assert!(
        found.upload_url.starts_with(&double.url()),
        "uploads go to the double: {}",
        found.upload_url
    );
    let faults: Vec<Option<String>> = double.finish().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [
            Some(String::from("drop_before")),
            Some(String::from("fail_next 502")),
            None
        ]
    );
}
