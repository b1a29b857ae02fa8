//! The double's model of one GitHub repository: its permissions, releases and their assets, and
//! the answers GitHub gives for them (404 for what is not there, 422 `already_exists`, paging
//! with `Link`, which release is latest). It receives only requests that passed the contract
//! checks; it never touches the network or the test's programmed answers.

use serde_json::{Value, json};

use super::Recorded;
use super::actions::{Actions, Place};
use super::http::Answer;
use super::validate::{Matched, contract};

/// The first `created_at` of a release the double makes; each event after it is one second
/// later, so times are reproducible and strictly increasing.
const EPOCH: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z

/// A release as the double holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubleRelease {
    /// GitHub's id, counting from 1 in creation order.
    pub id: u64,
    pub tag_name: String,
    /// `main` unless the request named one.
    pub target_commitish: String,
    /// `None` when the request gave none.
    pub name: Option<String>,
    /// The release notes; `None` when the request gave none.
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    /// The `make_latest` last sent for it (`"true"`, `"false"`, `"legacy"`), if any.
    pub make_latest: Option<String>,
    /// RFC 3339, from a clock that starts at 2024-01-01T00:00:00Z and ticks a second per event.
    pub created_at: String,
    /// `None` while it is a draft.
    pub published_at: Option<String>,
    /// `https://github.com/OWNER/REPO/releases/tag/TAG`; for a draft `…/tag/untagged-…`.
    pub html_url: String,
    /// The API URLs, all on the double: `…/releases/ID`, `…/releases/ID/assets`, and
    /// `…/releases/ID/assets{?name,label}` (the double serves uploads itself).
    pub url: String,
    pub assets_url: String,
    pub upload_url: String,
    /// In upload order.
    pub assets: Vec<DoubleAsset>,
}

/// An asset of a release, with the bytes uploaded.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubleAsset {
    /// GitHub's id, counting from 1 across all releases.
    pub id: u64,
    pub name: String,
    pub label: Option<String>,
    /// The length of `bytes`.
    pub size: u64,
    /// The request's `Content-Type` (`application/octet-stream` for a seeded asset).
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub created_at: String,
}

/// The repository and everything in it.
pub(super) struct Repository {
    pub owner: String,
    pub name: String,
    /// What `permissions.push` says; without it GitHub hides drafts and refuses writes.
    pub push: bool,
    /// `http://127.0.0.1:PORT`, the base of every API URL the double hands out.
    pub api_base: String,
    pub releases: Vec<DoubleRelease>,
    /// The release last made latest explicitly (`make_latest: "true"`, or a first publication
    /// without `make_latest`); `None` means GitHub's legacy rule decides.
    latest_pin: Option<u64>,
    next_release_id: u64,
    next_asset_id: u64,
    /// Seconds after [`EPOCH`] of the last event.
    clock: i64,
    /// Workflow runs and dispatches.
    pub actions: Actions,
}

impl Repository {
    pub fn new(full_name: &str, api_base: String) -> Repository {
        let (owner, name) = full_name
            .split_once('/')
            .filter(|(owner, name)| !owner.is_empty() && !name.is_empty() && !name.contains('/'))
            .unwrap_or_else(|| panic!("`{full_name}` is not `OWNER/REPO`"));
        Repository {
            owner: owner.to_string(),
            name: name.to_string(),
            push: true,
            api_base,
            releases: Vec::new(),
            latest_pin: None,
            next_release_id: 1,
            next_asset_id: 1,
            clock: 0,
            actions: Actions::new(),
        }
    }

    fn tick(&mut self) -> String {
        self.clock += 1;
        chrono::DateTime::from_timestamp(EPOCH + self.clock, 0)
            .expect("a time in range")
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// The release GitHub shows as latest: the one made latest explicitly while it stays
    /// published and no prerelease; else (legacy rule) the newest-created published
    /// non-prerelease that was not created with `make_latest: "false"`.
    pub fn latest_release_id(&self) -> Option<u64> {
        let eligible = |release: &&DoubleRelease| !release.draft && !release.prerelease;
        if let Some(pinned) = self.latest_pin
            && self.release(pinned).filter(eligible).is_some()
        {
            return Some(pinned);
        }
        self.releases
            .iter()
            .filter(eligible)
            .filter(|release| release.make_latest.as_deref() != Some("false"))
            .max_by(|a, b| (&a.created_at, a.id).cmp(&(&b.created_at, b.id)))
            .map(|release| release.id)
    }

    fn release(&self, id: u64) -> Option<&DoubleRelease> {
        self.releases.iter().find(|release| release.id == id)
    }

    fn release_mut(&mut self, id: u64) -> Option<&mut DoubleRelease> {
        self.releases.iter_mut().find(|release| release.id == id)
    }

    /// Whether a published release other than `except` has `tag`: GitHub's one rule on tags
    /// (drafts may share a tag, since a draft is no release of it yet).
    fn tag_is_published(&self, tag: &str, except: Option<u64>) -> bool {
        self.releases
            .iter()
            .any(|release| !release.draft && release.tag_name == tag && Some(release.id) != except)
    }

    /// Makes a release as `repos/create-release` would; `fields` is the (valid) request body.
    fn create(&mut self, fields: &Value) -> u64 {
        let id = self.next_release_id;
        self.next_release_id += 1;
        let created_at = self.tick();
        let text = |key: &str| fields.get(key).and_then(Value::as_str).map(String::from);
        let flag = |key: &str| fields.get(key).and_then(Value::as_bool).unwrap_or(false);
        let tag_name = text("tag_name").unwrap_or_default();
        let mut name = text("name");
        let mut body = text("body");
        if flag("generate_release_notes") {
            // What GitHub writes when there is nothing before this tag to compare with.
            name.get_or_insert_with(|| tag_name.clone());
            let generated = format!(
                "**Full Changelog**: https://github.com/{}/{}/commits/{tag_name}",
                self.owner, self.name
            );
            body = Some(match body {
                Some(given) if !given.is_empty() => format!("{given}\n\n{generated}"),
                _ => generated,
            });
        }
        let release = DoubleRelease {
            id,
            tag_name,
            target_commitish: text("target_commitish").unwrap_or_else(|| String::from("main")),
            name,
            body,
            draft: flag("draft"),
            prerelease: flag("prerelease"),
            make_latest: text("make_latest"),
            created_at: created_at.clone(),
            published_at: None,
            html_url: String::new(),
            url: String::new(),
            assets_url: String::new(),
            upload_url: String::new(),
            assets: Vec::new(),
        };
        self.releases.push(release);
        if !flag("draft") {
            self.publish(id, created_at);
        }
        self.refresh_urls(id);
        id
    }

    /// Publishes release `id` (at `when`) and applies its `make_latest`, which for a release
    /// published now defaults to `"true"` (GitHub: "Defaults to `true` for newly published
    /// releases").
    fn publish(&mut self, id: u64, when: String) {
        let release = self.release_mut(id).expect("the release exists");
        release.draft = false;
        release.published_at = Some(when);
        let make_latest = release.make_latest.clone();
        self.apply_make_latest(id, make_latest.as_deref().unwrap_or("true"));
    }

    fn apply_make_latest(&mut self, id: u64, make_latest: &str) {
        let release = self.release(id).expect("the release exists");
        // "Drafts and prereleases cannot be set as latest."
        if release.draft || release.prerelease {
            return;
        }
        match make_latest {
            "true" => self.latest_pin = Some(id),
            "legacy" => self.latest_pin = None,
            _ => {}
        }
    }

    fn refresh_urls(&mut self, id: u64) {
        let (owner, name, api) = (self.owner.clone(), self.name.clone(), self.api_base.clone());
        let release = self.release_mut(id).expect("the release exists");
        release.url = format!("{api}/repos/{owner}/{name}/releases/{id}");
        release.assets_url = format!("{}/assets", release.url);
        release.upload_url = format!("{}/assets{{?name,label}}", release.url);
        release.html_url = if release.draft {
            // A draft has no tag page yet; GitHub names it by an opaque id.
            format!(
                "https://github.com/{owner}/{name}/releases/tag/untagged-{:020x}",
                id.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            )
        } else {
            format!(
                "https://github.com/{owner}/{name}/releases/tag/{}",
                release.tag_name
            )
        };
    }

    /// Adds a release for a test (`add_release`), as a `create-release` would.
    pub fn seed_release(&mut self, tag: &str, draft: bool, prerelease: bool) -> u64 {
        assert!(
            draft || !self.tag_is_published(tag, None),
            "the double already has a published release of `{tag}`; GitHub would refuse another"
        );
        self.create(
            &json!({ "tag_name": tag, "name": tag, "draft": draft, "prerelease": prerelease }),
        )
    }

    /// Adds an asset for a test (`add_asset`), as an upload would.
    pub fn seed_asset(&mut self, release_id: u64, name: &str, bytes: &[u8]) -> u64 {
        let release = self
            .release(release_id)
            .unwrap_or_else(|| panic!("the double has no release {release_id}"));
        assert!(
            !release.assets.iter().any(|asset| asset.name == name),
            "release {release_id} already has an asset `{name}`"
        );
        self.upload(release_id, name, None, "application/octet-stream", bytes)
    }

    fn upload(
        &mut self,
        release_id: u64,
        name: &str,
        label: Option<&str>,
        content_type: &str,
        bytes: &[u8],
    ) -> u64 {
        let id = self.next_asset_id;
        self.next_asset_id += 1;
        let created_at = self.tick();
        let release = self.release_mut(release_id).expect("the release exists");
        release.assets.push(DoubleAsset {
            id,
            name: name.to_string(),
            label: label.map(String::from),
            size: bytes.len() as u64,
            content_type: content_type.to_string(),
            bytes: bytes.to_vec(),
            created_at,
        });
        id
    }

    /// Answers a request that passed the contract checks, or `None` for an operation the model
    /// does not hold (refs, commits, pulls: the contract's example).
    pub fn answer(&mut self, matched: &Matched, request: &Recorded) -> Option<Answer> {
        let id = matched.operation.id.as_str();
        // Every operation is below `/repos/{owner}/{repo}`, and GitHub compares names without
        // regard to case.
        if !matched.path("owner").eq_ignore_ascii_case(&self.owner)
            || !matched.path("repo").eq_ignore_ascii_case(&self.name)
        {
            return Some(not_found(matched));
        }
        let writes = matches!(
            id,
            "repos/create-release"
                | "repos/update-release"
                | "repos/delete-release"
                | "repos/upload-release-asset"
                | "repos/delete-release-asset"
                | "actions/create-workflow-dispatch"
                | "repos/create-dispatch-event"
        );
        if writes && !self.push {
            return Some(error(
                matched,
                403,
                json!({ "message": "Resource not accessible by integration" }),
            ));
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(json!({}));
        let place = Place {
            owner: &self.owner,
            name: &self.name,
            api_base: &self.api_base,
        };
        if let Some(answer) = self.actions.answer(&place, matched, request, &body) {
            return Some(answer);
        }
        let answer = match id {
            "repos/get" => Answer::new(200, self.repository_json()),
            "repos/create-release" => {
                let tag = body["tag_name"].as_str().unwrap_or_default();
                let draft = body["draft"].as_bool().unwrap_or(false);
                if !draft && self.tag_is_published(tag, None) {
                    return Some(already_exists(matched, "Release", "tag_name"));
                }
                let id = self.create(&body);
                let mut answer = Answer::new(201, self.release_json(id));
                let location = self.release(id).unwrap().url.clone();
                answer.set_header("Location", &location);
                answer
            }
            "repos/get-release-by-tag" => {
                let tag = matched.path("tag");
                match self
                    .releases
                    .iter()
                    .find(|release| !release.draft && release.tag_name == tag)
                {
                    Some(release) => Answer::new(200, self.release_json(release.id)),
                    None => not_found(matched),
                }
            }
            "repos/get-release" => match self.visible(matched.number("release_id")) {
                Some(id) => Answer::new(200, self.release_json(id)),
                None => not_found(matched),
            },
            "repos/get-latest-release" => match self.latest_release_id() {
                Some(id) => Answer::new(200, self.release_json(id)),
                None => not_found(matched),
            },
            "repos/list-releases" => {
                let mut listed: Vec<&DoubleRelease> = self
                    .releases
                    .iter()
                    .filter(|release| self.push || !release.draft)
                    .collect();
                // Newest first, as GitHub lists them.
                listed.sort_by(|a, b| (&b.created_at, b.id).cmp(&(&a.created_at, a.id)));
                let ids: Vec<u64> = listed.iter().map(|release| release.id).collect();
                let items: Vec<Value> = ids.iter().map(|id| self.release_json(*id)).collect();
                page(&self.api_base, matched, request, items)
            }
            "repos/update-release" => {
                let id = matched.number("release_id");
                if self.visible(id).is_none() {
                    return Some(not_found(matched));
                }
                self.update(matched, id, &body)
                    .unwrap_or_else(|| Answer::new(200, self.release_json(id)))
            }
            "repos/delete-release" => {
                let id = matched.number("release_id");
                if self.visible(id).is_none() {
                    return Some(not_found(matched));
                }
                self.releases.retain(|release| release.id != id);
                if self.latest_pin == Some(id) {
                    self.latest_pin = None;
                }
                Answer::new(204, Value::Null)
            }
            "repos/upload-release-asset" => {
                let release_id = matched.number("release_id");
                if self.visible(release_id).is_none() {
                    return Some(not_found(matched));
                }
                let name = matched.query.get("name").cloned().unwrap_or_default();
                let release = self.release(release_id).unwrap();
                if release.assets.iter().any(|asset| asset.name == name) {
                    return Some(already_exists(matched, "ReleaseAsset", "name"));
                }
                let content_type = request
                    .header("content-type")
                    .first()
                    .map_or("application/octet-stream", |value| value)
                    .to_string();
                let label = matched.query.get("label").map(String::as_str);
                let asset_id = self.upload(release_id, &name, label, &content_type, &request.body);
                Answer::new(201, self.asset_json(release_id, asset_id))
            }
            "repos/list-release-assets" => {
                let release_id = matched.number("release_id");
                let Some(release_id) = self.visible(release_id) else {
                    return Some(not_found(matched));
                };
                let items: Vec<Value> = self
                    .release(release_id)
                    .unwrap()
                    .assets
                    .iter()
                    .map(|asset| self.asset_json(release_id, asset.id))
                    .collect();
                page(&self.api_base, matched, request, items)
            }
            "repos/delete-release-asset" => {
                let asset_id = matched.number("asset_id");
                let push = self.push;
                let holder = self
                    .releases
                    .iter_mut()
                    .filter(|release| push || !release.draft)
                    .find(|release| release.assets.iter().any(|asset| asset.id == asset_id));
                match holder {
                    Some(release) => {
                        release.assets.retain(|asset| asset.id != asset_id);
                        Answer::new(204, Value::Null)
                    }
                    None => not_found(matched),
                }
            }
            _ => return None,
        };
        Some(answer)
    }

    /// `id` if the caller may see that release: drafts only with push access, as on GitHub.
    fn visible(&self, id: u64) -> Option<u64> {
        self.release(id)
            .filter(|release| self.push || !release.draft)
            .map(|release| release.id)
    }

    /// Applies a `repos/update-release` body; `Some` is a refusal.
    fn update(&mut self, matched: &Matched, id: u64, body: &Value) -> Option<Answer> {
        let before = self.release(id).unwrap().clone();
        let tag = body["tag_name"]
            .as_str()
            .unwrap_or(&before.tag_name)
            .to_string();
        let draft = body["draft"].as_bool().unwrap_or(before.draft);
        if !draft && self.tag_is_published(&tag, Some(id)) {
            return Some(already_exists(matched, "Release", "tag_name"));
        }
        let when = self.tick();
        let release = self.release_mut(id).unwrap();
        release.tag_name = tag;
        if let Some(value) = body["target_commitish"].as_str() {
            release.target_commitish = value.to_string();
        }
        if let Some(value) = body["name"].as_str() {
            release.name = Some(value.to_string());
        }
        if let Some(value) = body["body"].as_str() {
            release.body = Some(value.to_string());
        }
        if let Some(value) = body["prerelease"].as_bool() {
            release.prerelease = value;
        }
        let make_latest = body["make_latest"].as_str().map(String::from);
        if make_latest.is_some() {
            release.make_latest = make_latest.clone();
        }
        // `discussion_category_name` would link a discussion; the double holds no discussions.
        match (before.draft, draft) {
            (true, false) => self.publish(id, when),
            (false, true) => {
                // Back to a draft: unpublished, and no longer a candidate for latest.
                let release = self.release_mut(id).unwrap();
                release.draft = true;
                release.published_at = None;
            }
            _ => {
                if let Some(make_latest) = make_latest {
                    self.apply_make_latest(id, &make_latest);
                }
            }
        }
        self.refresh_urls(id);
        None
    }

    /// The contract's `full-repository` example, made this repository.
    fn repository_json(&self) -> Value {
        let mut repository = example("full-repository-default-response");
        // GitHub's example leaves out `language`, which its schema requires (nullable); without
        // it the double's answer would break the contract it checks others against.
        for pointer in ["", "/source"] {
            if let Some(object) = repository
                .pointer_mut(pointer)
                .and_then(Value::as_object_mut)
            {
                object.entry("language").or_insert(Value::Null);
            }
        }
        let full_name = format!("{}/{}", self.owner, self.name);
        repository["name"] = json!(self.name);
        repository["full_name"] = json!(full_name);
        repository["owner"]["login"] = json!(self.owner);
        repository["html_url"] = json!(format!("https://github.com/{full_name}"));
        repository["url"] = json!(format!("{}/repos/{full_name}", self.api_base));
        repository["default_branch"] = json!("main");
        repository["permissions"] = json!({
            "admin": false,
            "maintain": false,
            "push": self.push,
            "triage": self.push,
            "pull": true,
        });
        repository
    }

    /// The contract's `release` example, made release `id`.
    fn release_json(&self, id: u64) -> Value {
        let release = self.release(id).expect("the release exists");
        let mut value = example("release");
        let object = value
            .as_object_mut()
            .expect("the release example is an object");
        // This release has no discussion; the example's would point nowhere.
        object.remove("discussion_url");
        let repo = format!("{}/repos/{}/{}", self.api_base, self.owner, self.name);
        let fields = json!({
            "id": release.id,
            "node_id": format!("RE_double{}", release.id),
            "tag_name": release.tag_name,
            "target_commitish": release.target_commitish,
            "name": release.name,
            "body": release.body,
            "draft": release.draft,
            "prerelease": release.prerelease,
            "immutable": false,
            "created_at": release.created_at,
            "published_at": release.published_at,
            "updated_at": release.published_at.clone().unwrap_or(release.created_at.clone()),
            "html_url": release.html_url,
            "url": release.url,
            "assets_url": release.assets_url,
            "upload_url": release.upload_url,
            "tarball_url": (!release.draft).then(|| format!("{repo}/tarball/{}", release.tag_name)),
            "zipball_url": (!release.draft).then(|| format!("{repo}/zipball/{}", release.tag_name)),
            "assets": release.assets.iter().map(|asset| self.asset_json(id, asset.id)).collect::<Vec<_>>(),
        });
        for (key, field) in fields.as_object().unwrap() {
            object.insert(key.clone(), field.clone());
        }
        value
    }

    /// The contract's asset example, made asset `asset_id` of release `release_id`.
    fn asset_json(&self, release_id: u64, asset_id: u64) -> Value {
        let release = self.release(release_id).expect("the release exists");
        let asset = release
            .assets
            .iter()
            .find(|asset| asset.id == asset_id)
            .expect("the asset exists");
        let mut value = example("release-asset-response-for-successful-upload");
        let fields = json!({
            "url": format!("{}/repos/{}/{}/releases/assets/{}", self.api_base, self.owner, self.name, asset.id),
            "browser_download_url": format!(
                "https://github.com/{}/{}/releases/download/{}/{}",
                self.owner, self.name, release.tag_name, asset.name
            ),
            "id": asset.id,
            "node_id": format!("RA_double{}", asset.id),
            "name": asset.name,
            "label": asset.label,
            "state": "uploaded",
            "content_type": asset.content_type,
            "size": asset.size,
            // The digest would need a SHA-256 the tests do not have; the contract allows null.
            "digest": null,
            "download_count": 0,
            "created_at": asset.created_at,
            "updated_at": asset.created_at,
        });
        for (key, field) in fields.as_object().unwrap() {
            value[key] = field.clone();
        }
        value
    }
}

/// One page of `items` by the request's `per_page` (default 30, at most 100) and `page`
/// (from 1), with GitHub's `Link` header when there is more than one page; the links keep the
/// request's other query parameters (a listing's filters), as GitHub's do.
pub(super) fn page(
    api_base: &str,
    matched: &Matched,
    request: &Recorded,
    items: Vec<Value>,
) -> Answer {
    let number = |name: &str, default: usize| {
        matched
            .query
            .get(name)
            .and_then(|value| value.parse::<usize>().ok())
            .unwrap_or(default)
    };
    let per_page = number("per_page", 30).clamp(1, 100);
    let page = number("page", 1).max(1);
    let last = items.len().div_ceil(per_page).max(1);
    let shown: Vec<Value> = items
        .into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .collect();
    let mut answer = Answer::new(200, Value::Array(shown));
    if last > 1 {
        let kept: String = matched
            .query
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "per_page" | "page"))
            .map(|(name, value)| format!("&{name}={}", query_encode(value)))
            .collect();
        let link = |to: usize, rel: &str| {
            format!(
                "<{api_base}{}?per_page={per_page}&page={to}{kept}>; rel=\"{rel}\"",
                request.path
            )
        };
        let mut links = Vec::new();
        if page > 1 {
            links.push(link((page - 1).min(last), "prev"));
        }
        if page < last {
            links.push(link(page + 1, "next"));
            links.push(link(last, "last"));
        }
        if page > 1 {
            links.push(link(1, "first"));
        }
        answer.set_header("Link", &links.join(", "));
    }
    answer
}

/// A query value percent-encoded, all but the unreserved characters.
fn query_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// A named example of the contract's `components.examples`.
pub(super) fn example(name: &str) -> Value {
    contract()
        .document
        .pointer(&format!("/components/examples/{name}/value"))
        .cloned()
        .unwrap_or_else(|| panic!("the contract has no example `{name}`"))
}

/// GitHub's error body: its message, the operation's documentation, the status as text.
fn error(matched: &Matched, status: u16, mut body: Value) -> Answer {
    body["documentation_url"] = json!(matched.operation.documentation_url);
    body["status"] = json!(status.to_string());
    Answer::new(status, body)
}

pub(super) fn not_found(matched: &Matched) -> Answer {
    error(matched, 404, json!({ "message": "Not Found" }))
}

/// GitHub's 422 for a name taken: `resource` (`Release`, `ReleaseAsset`) and the `field`.
fn already_exists(matched: &Matched, resource: &str, field: &str) -> Answer {
    error(
        matched,
        422,
        json!({
            "message": "Validation Failed",
            "errors": [{ "resource": resource, "code": "already_exists", "field": field }],
        }),
    )
}
