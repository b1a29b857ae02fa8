//! `relcut.toml`, `cliff.toml` and the built-in defaults, resolved into one [`Settings`] value.
//!
//! This is the one place defaults live. It reads configuration files only; it never touches git.

use std::path::{Path, PathBuf};

use git_cliff_core::config::Config as CliffConfig;
use git_cliff_core::embed::EmbeddedConfig;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::forge::RetryPolicy;
use crate::plan::cliff_reading::CommitReading;
use crate::plan::conventional::BumpRules;
use crate::plan::deploy::{DeployTarget, PLACEHOLDERS as DEPLOY_PLACEHOLDERS, TargetKind, When};
use crate::plan::policy::ReleasePolicy;
use crate::plan::tag_pattern::TagPattern;
use crate::plan::template::check_template;
use crate::plan::version::{Level, VersionPolicy};
use crate::plan::version_files::{ConfiguredFile, REPLACE_PLACEHOLDERS, ReplacePattern};
use crate::secret::Secret;

/// The file relcut reads its own settings from, at the repository root.
pub const CONFIG_FILE: &str = "relcut.toml";

/// relcut's own changelog configuration (git-cliff format), used when the project has none.
const DEFAULT_CHANGELOG_CONFIG: &str = include_str!("../templates/changelog.toml");
/// The header of the changelog, written at the top of a new `CHANGELOG.md`.
const DEFAULT_HEADER: &str = include_str!("../templates/header.md");
/// The template of one release section.
const DEFAULT_BODY: &str = include_str!("../templates/release.md.tera");

/// Where the changelog configuration came from; it decides the layering rules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "path")]
pub enum ChangelogSource {
    /// relcut's built-in Keep a Changelog templates.
    Builtin,
    /// A git-cliff configuration file, layered on git-cliff's embedded default as git-cliff does.
    CliffFile(PathBuf),
    /// `[changelog]`/`[git]` tables in `relcut.toml`, layered the same way.
    RelcutFile,
    /// git-cliff's tables in Cargo.toml (`[package.metadata.git-cliff.*]`) or pyproject.toml
    /// (`[tool.git-cliff.*]`), read as git-cliff reads them when there is no cliff.toml.
    Manifest(PathBuf),
}

/// Everything a command needs to know about the project's preferences.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Branches a release may be cut from.
    pub branches: Vec<String>,
    /// Whether non-conventional commits since the last release are an error.
    pub strict: bool,
    /// Whether version files are detected at the root.
    pub detect: bool,
    /// Version files listed in the configuration.
    pub files: Vec<ConfiguredFile>,
    /// Globs of detected version files (workspace members, say) relcut must not read.
    pub exclude: Vec<glob::Pattern>,
    /// How versions, tags, messages and the changelog are made: what planning reads.
    pub policy: ReleasePolicy,
    /// Where the changelog configuration (`policy.changelog`) came from.
    pub changelog_source: ChangelogSource,
    /// Whether a shallow clone's missing history and tags may be fetched (`release.fetch`; on
    /// by default in CI, where checkouts are shallow unless told otherwise).
    pub fetch: bool,
    /// The forge: GitHub's API, the token, which hosts are GitHub.
    pub forge: ForgeSettings,
    /// The title of the GitHub release (`[github] release_name`, placeholders `{{version}}` and
    /// `{{tag}}`); by default the tag.
    pub release_name: String,
    /// The changelog's commit preprocessors when one of them runs a command: relcut then runs
    /// them all itself, in order (see `apply::preprocess`), and git-cliff's list is empty.
    pub commit_preprocessors: Vec<git_cliff_core::config::TextProcessor>,
    /// The `[deploy.NAME]` targets, in the order of relcut.toml.
    pub deploy: Vec<DeployTarget>,
    /// `release.remote`: the remote a release is pushed to, when set; by default the current
    /// branch's upstream (none: the release stays local).
    pub remote: Option<ConfiguredRemote>,
}

/// `release.remote` as written, with its line for errors (whether the remote exists is known
/// only to git, so the command checks it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredRemote {
    /// The remote's name.
    pub name: String,
    /// The line of `relcut.toml` that names it.
    pub line: usize,
}

impl ConfiguredRemote {
    /// The configuration error for a remote that does not exist, naming those that do.
    pub fn missing_error(&self, existing: &[String]) -> Error {
        let existing = if existing.is_empty() {
            String::from("the repository has no remote")
        } else {
            format!(
                "its remotes are {}",
                existing
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Error::Config {
            path: PathBuf::from(CONFIG_FILE),
            message: format!(
                "line {}: `release.remote` = \"{}\" names no remote of this repository ({existing}); name one of them, add it (`git remote add {} URL`), or remove the key",
                self.line, self.name, self.name
            ),
        }
    }
}

/// Where the GitHub API is and how relcut authenticates to it, from the environment and the
/// `[github]` table of `relcut.toml`.
#[derive(Debug, Clone)]
pub struct ForgeSettings {
    /// The API's base URL: `GITHUB_API_URL`, by default `https://api.github.com`
    /// (GitHub Enterprise Server: `https://HOST/api/v3`).
    pub api_url: String,
    /// `GITHUB_TOKEN`, else `GH_TOKEN`; an empty value counts as none.
    pub token: Option<Secret>,
    /// `GITHUB_REPOSITORY` (`OWNER/REPO`) as set, unchecked: the forge reads it when it is used.
    pub repository: Option<String>,
    /// The hosts whose remotes are GitHub repositories, lower case: `github.com`, the host of
    /// `GITHUB_SERVER_URL`, and `github.hosts` from `relcut.toml`.
    pub hosts: Vec<String>,
    /// How often and how long one request is tried: `github.max_attempts` and
    /// `github.retry_seconds` from `relcut.toml`.
    pub retry: RetryPolicy,
    /// The first pause between two looks at a deploy run that is followed (`github.poll_seconds`;
    /// later pauses grow).
    pub poll: std::time::Duration,
}

/// The default of `GITHUB_API_URL`.
pub const DEFAULT_GITHUB_API_URL: &str = "https://api.github.com";

/// The default of `github.max_attempts`: how many times one request is sent at most.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// The default of `github.poll_seconds`.
pub const DEFAULT_POLL_SECONDS: u64 = 5;
/// The default of `github.retry_seconds`: the time budget of one request and its retries.
pub const DEFAULT_RETRY_SECONDS: u64 = 120;
/// The pause before a request's second attempt; later pauses double it.
pub const DEFAULT_FIRST_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

impl ForgeSettings {
    fn load(
        raw: RawGithub,
        text: &str,
        environment: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ForgeSettings> {
        let retry = retry_policy(&raw, text)?;
        let poll = match &raw.poll_seconds {
            None => DEFAULT_POLL_SECONDS,
            Some(value) => u64::try_from(*value.get_ref()).map_err(|_| Error::Config {
                path: PathBuf::from(CONFIG_FILE),
                message: format!(
                    "line {}: `github.poll_seconds` = {} is not a duration; write the seconds between two looks at a deploy run, 0 or more (the default is {DEFAULT_POLL_SECONDS})",
                    line_of(text, value.span().start),
                    value.get_ref()
                ),
            })?,
        };
        let set = |name: &str| environment(name).filter(|value| !value.trim().is_empty());
        let mut hosts = vec![String::from("github.com")];
        let server_host = set("GITHUB_SERVER_URL").and_then(|url| url_host(&url));
        for host in server_host.into_iter().chain(raw.hosts.unwrap_or_default()) {
            let host = host.trim().to_ascii_lowercase();
            if !host.is_empty() && !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        Ok(ForgeSettings {
            api_url: set("GITHUB_API_URL")
                .map(|url| url.trim().trim_end_matches('/').to_string())
                .unwrap_or_else(|| String::from(DEFAULT_GITHUB_API_URL)),
            token: token_from(environment),
            repository: set("GITHUB_REPOSITORY").map(|value| value.trim().to_string()),
            hosts,
            retry,
            poll: std::time::Duration::from_secs(poll),
        })
    }

    /// Whether `host` (of a remote URL) is a GitHub host.
    pub fn is_github_host(&self, host: &str) -> bool {
        self.hosts
            .iter()
            .any(|known| known.eq_ignore_ascii_case(host))
    }
}

/// `github.max_attempts` (1 or more) and `github.retry_seconds` (0 or more) over the defaults.
fn retry_policy(raw: &RawGithub, text: &str) -> Result<RetryPolicy> {
    let error_at = |offset: usize, message: String| Error::Config {
        path: PathBuf::from(CONFIG_FILE),
        message: format!("line {}: {message}", line_of(text, offset)),
    };
    let max_attempts = match &raw.max_attempts {
        None => DEFAULT_MAX_ATTEMPTS,
        Some(value) => u32::try_from(*value.get_ref())
            .ok()
            .filter(|attempts| *attempts >= 1)
            .ok_or_else(|| {
                error_at(
                    value.span().start,
                    format!(
                        "`github.max_attempts` = {} is not a number of attempts; write 1 or more (1 sends each request once, without retries; the default is {DEFAULT_MAX_ATTEMPTS})",
                        value.get_ref()
                    ),
                )
            })?,
    };
    let retry_seconds = match &raw.retry_seconds {
        None => DEFAULT_RETRY_SECONDS,
        Some(value) => u64::try_from(*value.get_ref()).map_err(|_| {
            error_at(
                value.span().start,
                format!(
                    "`github.retry_seconds` = {} is not a duration; write the seconds one request may spend on retries, 0 or more (the default is {DEFAULT_RETRY_SECONDS})",
                    value.get_ref()
                ),
            )
        })?,
    };
    Ok(RetryPolicy {
        max_attempts,
        max_elapsed: std::time::Duration::from_secs(retry_seconds),
        first_pause: DEFAULT_FIRST_PAUSE,
    })
}

/// The token: `GITHUB_TOKEN`, else `GH_TOKEN`; empty values count as absent.
pub fn token_from(environment: &dyn Fn(&str) -> Option<String>) -> Option<Secret> {
    ["GITHUB_TOKEN", "GH_TOKEN"]
        .into_iter()
        .find_map(|name| environment(name).and_then(Secret::new))
}

/// The one place relcut reads its process environment; tests pass their own function instead.
pub fn process_environment(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The host of `https://HOST[:PORT]/…`, lower case.
fn url_host(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .split_once("://")
        .map_or(url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    detect: Option<bool>,
    #[serde(default)]
    exclude: Vec<toml::Spanned<String>>,
    #[serde(default)]
    release: RawRelease,
    #[serde(default)]
    files: Vec<RawFileEntry>,
    // git-cliff's own tables; validated by git-cliff when layered.
    #[serde(default)]
    changelog: Option<toml::Value>,
    #[serde(default)]
    git: Option<toml::Value>,
    #[serde(default)]
    remote: Option<toml::Value>,
    #[serde(default)]
    bump: Option<toml::Value>,
    #[serde(default)]
    github: RawGithub,
    #[serde(default)]
    deploy: std::collections::BTreeMap<String, toml::Spanned<RawDeploy>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeploy {
    workflow: Option<toml::Spanned<String>>,
    event: Option<toml::Spanned<String>>,
    #[serde(rename = "ref")]
    git_ref: Option<toml::Spanned<String>>,
    inputs: Option<toml::Spanned<toml::Table>>,
    payload: Option<toml::Spanned<toml::Table>>,
    starts: Option<toml::Spanned<String>>,
    on: Option<toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGithub {
    hosts: Option<Vec<String>>,
    release_name: Option<String>,
    max_attempts: Option<toml::Spanned<i64>>,
    retry_seconds: Option<toml::Spanned<i64>>,
    poll_seconds: Option<toml::Spanned<i64>>,
    new_contributors: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    branches: Option<Vec<String>>,
    tag_pattern: Option<toml::Spanned<String>>,
    commit_message: Option<String>,
    sync_message: Option<String>,
    tag_message: Option<String>,
    strict: Option<bool>,
    initial_version: Option<String>,
    prerelease_counter_start: Option<u64>,
    breaking_bumps_minor_below_1: Option<bool>,
    changelog_file: Option<ChangelogFile>,
    fetch: Option<bool>,
    remote: Option<toml::Spanned<String>>,
    #[serde(default)]
    types: std::collections::BTreeMap<String, RawLevel>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ChangelogFile {
    Path(PathBuf),
    Enabled(bool),
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawLevel {
    None,
    Patch,
    Minor,
    Major,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFileEntry {
    path: toml::Spanned<String>,
    search: Option<toml::Spanned<String>>,
    replace: Option<toml::Spanned<String>>,
    count: Option<toml::Spanned<i64>>,
    #[serde(default)]
    exclude: Vec<toml::Spanned<String>>,
}

/// The placeholders a commit or tag message template may use.
pub const MESSAGE_PLACEHOLDERS: &[&str] = &["version", "tag", "previous_version", "previous_tag"];

impl Settings {
    /// Reads `relcut.toml` (if any) and the changelog configuration under `root`.
    pub fn load(root: &Path) -> Result<Settings> {
        Settings::load_parts(root, true, &process_environment)
    }

    /// [`Settings::load`] with the environment read through `environment` instead of the
    /// process's own.
    pub fn load_with_environment(
        root: &Path,
        environment: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings> {
        Settings::load_parts(root, true, environment)
    }

    /// Reads only what deciding a version needs, leaving the changelog configuration empty:
    /// commands that never render (`next`, `check`) do not parse templates and git-cliff tables.
    /// `changelog_source` still says where that configuration is; when it is the project's own,
    /// its reading of the commits decides the bump, so the caller must then `load` it in full
    /// (`commit_reading` is relcut's here).
    pub fn load_for_versions(root: &Path) -> Result<Settings> {
        Settings::load_parts(root, false, &process_environment)
    }

    fn load_parts(
        root: &Path,
        with_changelog: bool,
        environment: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings> {
        let path = root.join(CONFIG_FILE);
        let (raw, text) = match std::fs::read_to_string(&path) {
            Ok(text) => (parse_relcut_toml(&path, &text)?, Some(text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                (RawFile::default(), None)
            }
            Err(error) => return Err(Error::io("read", &path)(error)),
        };
        Settings::from_raw(
            root,
            &path,
            raw,
            text.as_deref(),
            with_changelog,
            environment,
        )
    }

    fn from_raw(
        root: &Path,
        path: &Path,
        raw: RawFile,
        text: Option<&str>,
        with_changelog: bool,
        environment: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings> {
        let config_error = |message: String| Error::Config {
            path: PathBuf::from(CONFIG_FILE),
            message,
        };
        let release = raw.release;
        let tag_pattern = match &release.tag_pattern {
            None => TagPattern::parse("v{version}").expect("the default tag pattern is valid"),
            Some(pattern) => TagPattern::parse(pattern.get_ref()).map_err(|message| {
                let line = line_of(text.unwrap_or_default(), pattern.span().start);
                config_error(format!("line {line}: `release.tag_pattern`: {message}"))
            })?,
        };
        let initial_version = match release.initial_version.as_deref() {
            None => semver::Version::new(0, 1, 0),
            Some(text) => semver::Version::parse(text.trim_start_matches('v')).map_err(|error| {
                config_error(format!(
                    "`release.initial_version` = \"{text}\" is not a SemVer version ({error}); write one such as \"0.1.0\""
                ))
            })?,
        };
        let commit_message = release
            .commit_message
            .unwrap_or_else(|| String::from("chore(release): v{{version}}"));
        let sync_message = release
            .sync_message
            .unwrap_or_else(|| String::from("chore(release): align version files to {{version}}"));
        let tag_message = release
            .tag_message
            .unwrap_or_else(|| String::from("v{{version}}"));
        for (key, template) in [
            ("commit_message", &commit_message),
            ("sync_message", &sync_message),
            ("tag_message", &tag_message),
        ] {
            check_message_template(template)
                .map_err(|message| config_error(format!("`release.{key}`: {message}")))?;
        }
        let release_name = raw
            .github
            .release_name
            .clone()
            .unwrap_or_else(|| String::from("{{tag}}"));
        check_template(&release_name, RELEASE_NAME_PLACEHOLDERS)
            .map_err(|message| config_error(format!("`github.release_name`: {message}")))?;
        let mut bump_rules = BumpRules::default();
        for (kind, level) in &release.types {
            let level = match level {
                RawLevel::None => None,
                RawLevel::Patch => Some(Level::Patch),
                RawLevel::Minor => Some(Level::Minor),
                RawLevel::Major => Some(Level::Major),
            };
            bump_rules = bump_rules.with_type(&kind.to_lowercase(), level);
        }
        let defaults = VersionPolicy::default();
        let version_policy = VersionPolicy {
            prerelease_counter_start: release
                .prerelease_counter_start
                .unwrap_or(defaults.prerelease_counter_start),
            breaking_bumps_minor_below_1: release
                .breaking_bumps_minor_below_1
                .unwrap_or(defaults.breaking_bumps_minor_below_1),
        };
        if version_policy.prerelease_counter_start > 1 {
            return Err(config_error(String::from(
                "`release.prerelease_counter_start` must be 0 or 1",
            )));
        }
        let changelog_file = match release.changelog_file {
            None | Some(ChangelogFile::Enabled(true)) => Some(PathBuf::from("CHANGELOG.md")),
            Some(ChangelogFile::Enabled(false)) => None,
            Some(ChangelogFile::Path(path)) => Some(path),
        };
        let has_cliff_tables = raw.changelog.is_some()
            || raw.git.is_some()
            || raw.remote.is_some()
            || raw.bump.is_some();
        let (mut changelog, changelog_source) = if with_changelog {
            load_changelog_config(root, path, text, has_cliff_tables)?
        } else {
            (
                empty_changelog_config(),
                changelog_source(root, has_cliff_tables)?,
            )
        };
        // Without Conventional Commits git-cliff reads no types, so relcut's reading decides.
        let commit_reading = if with_changelog
            && changelog_source != ChangelogSource::Builtin
            && changelog.git.conventional_commits
        {
            CommitReading::GitCliff
        } else {
            CommitReading::Relcut
        };
        if with_changelog && changelog_source == ChangelogSource::Builtin {
            changelog.git.tag_pattern = Some(tag_pattern.regex().clone());
            if raw.github.new_contributors == Some(true) {
                changelog.changelog.body = crate::plan::changelog::relcut_body(true);
            }
        }
        let commit_preprocessors =
            if crate::apply::preprocess::runs_commands(&changelog.git.commit_preprocessors) {
                std::mem::take(&mut changelog.git.commit_preprocessors)
            } else {
                Vec::new()
            };
        Ok(Settings {
            commit_preprocessors,
            branches: release
                .branches
                .unwrap_or_else(|| vec![String::from("main"), String::from("master")]),
            strict: release.strict.unwrap_or(false),
            detect: raw.detect.unwrap_or(true),
            exclude: globs(text.unwrap_or_default(), &raw.exclude, "exclude")?,
            files: raw
                .files
                .into_iter()
                .map(|entry| configured_file(text.unwrap_or_default(), entry))
                .collect::<Result<_>>()?,
            policy: ReleasePolicy {
                tag_pattern,
                commit_message,
                sync_message,
                tag_message,
                initial_version,
                version_policy,
                bump_rules,
                changelog_file,
                changelog,
                commit_reading,
            },
            changelog_source,
            fetch: release.fetch.unwrap_or_else(|| running_in_ci(environment)),
            release_name,
            remote: release.remote.map(|remote| ConfiguredRemote {
                line: line_of(text.unwrap_or_default(), remote.span().start),
                name: remote.into_inner(),
            }),
            forge: ForgeSettings::load(raw.github, text.unwrap_or_default(), environment)?,
            deploy: deploy_targets(raw.deploy, text.unwrap_or_default())?,
        })
    }
}

/// The `[deploy.NAME]` tables, checked, in the order written: exactly one of `workflow` and
/// `event`, the keys that go with it, a known `on`, and templates that use known placeholders.
fn deploy_targets(
    raw: std::collections::BTreeMap<String, toml::Spanned<RawDeploy>>,
    text: &str,
) -> Result<Vec<DeployTarget>> {
    let mut tables: Vec<(String, toml::Spanned<RawDeploy>)> = raw.into_iter().collect();
    tables.sort_by_key(|(_, table)| table.span().start);
    tables
        .into_iter()
        .map(|(name, table)| {
            let line = line_of(text, table.span().start);
            deploy_target(name, table.into_inner(), line, text)
        })
        .collect()
}

fn deploy_target(name: String, raw: RawDeploy, line: usize, text: &str) -> Result<DeployTarget> {
    let error_at = |offset: Option<usize>, message: String| Error::Config {
        path: PathBuf::from(CONFIG_FILE),
        message: format!(
            "line {}: `[deploy.{name}]`: {message}",
            offset.map_or(line, |offset| line_of(text, offset))
        ),
    };
    if name.trim().is_empty() {
        return Err(error_at(None, String::from("a deploy target needs a name")));
    }
    let on = match &raw.on {
        None => {
            return Err(error_at(
                None,
                String::from(
                    "`on` is missing; say when it is deployed to: `on = \"prerelease\"`, `\"stable\"`, `\"always\"`, or `\"never\"` (by hand only)",
                ),
            ));
        }
        Some(on) => match on.get_ref().as_str() {
            "prerelease" => When::Prerelease,
            "stable" => When::Stable,
            "always" => When::Always,
            "never" => When::Never,
            other => {
                return Err(error_at(
                    Some(on.span().start),
                    format!(
                        "`on = \"{other}\"` is not one of `prerelease`, `stable`, `always`, `never`"
                    ),
                ));
            }
        },
    };
    let template = |value: &toml::Spanned<String>, key: &str| -> Result<String> {
        check_template(value.get_ref(), DEPLOY_PLACEHOLDERS)
            .map_err(|message| error_at(Some(value.span().start), format!("`{key}`: {message}")))?;
        Ok(value.get_ref().clone())
    };
    let values = |table: &toml::Spanned<toml::Table>, key: &str, scalars_only: bool| {
        let mut map = serde_json::Map::new();
        for (field, value) in table.get_ref() {
            if scalars_only && matches!(value, toml::Value::Table(_) | toml::Value::Array(_)) {
                return Err(error_at(
                    Some(table.span().start),
                    format!(
                        "`{key}.{field}` is a table or an array, and a workflow input is a string, a number or a boolean; write it as a string (JSON, if need be)"
                    ),
                ));
            }
            let json = serde_json::to_value(value).map_err(|error| {
                error_at(
                    Some(table.span().start),
                    format!("`{key}.{field}`: {error}"),
                )
            })?;
            check_json_templates(&json).map_err(|message| {
                error_at(
                    Some(table.span().start),
                    format!("`{key}.{field}`: {message}"),
                )
            })?;
            map.insert(field.clone(), json);
        }
        Ok(map)
    };
    let only_for = |present: bool, key: &str, kind: &str| -> Result<()> {
        if present {
            Err(error_at(
                None,
                format!("`{key}` goes with `{kind}`; remove it, or use `{kind}`"),
            ))
        } else {
            Ok(())
        }
    };
    let workflow_file = |value: &toml::Spanned<String>, key: &str| -> Result<String> {
        let file = value.get_ref().trim();
        if file.is_empty() || file.contains('/') {
            return Err(error_at(
                Some(value.span().start),
                format!(
                    "`{key} = \"{file}\"` is not a workflow file name; name a file of `.github/workflows/`, such as \"deploy.yml\""
                ),
            ));
        }
        Ok(file.to_string())
    };
    let kind = match (&raw.workflow, &raw.event) {
        (Some(workflow), None) => {
            only_for(raw.payload.is_some(), "payload", "event")?;
            only_for(raw.starts.is_some(), "starts", "event")?;
            let file = workflow_file(workflow, "workflow")?;
            TargetKind::Workflow {
                workflow: file,
                git_ref: match &raw.git_ref {
                    Some(git_ref) => template(git_ref, "ref")?,
                    None => String::from("{{tag}}"),
                },
                inputs: match &raw.inputs {
                    Some(inputs) => values(inputs, "inputs", true)?,
                    None => serde_json::Map::new(),
                },
            }
        }
        (None, Some(event)) => {
            only_for(raw.inputs.is_some(), "inputs", "workflow")?;
            only_for(raw.git_ref.is_some(), "ref", "workflow")?;
            TargetKind::Event {
                event: template(event, "event")?,
                payload: match &raw.payload {
                    Some(payload) => values(payload, "payload", false)?,
                    None => serde_json::Map::new(),
                },
                starts: raw
                    .starts
                    .as_ref()
                    .map(|starts| workflow_file(starts, "starts"))
                    .transpose()?,
            }
        }
        (Some(_), Some(_)) => {
            return Err(error_at(
                None,
                String::from(
                    "has both `workflow` and `event`; a target starts a workflow (`workflow_dispatch`) or sends an event (`repository_dispatch`): keep one, and make a second target for the other",
                ),
            ));
        }
        (None, None) => {
            return Err(error_at(
                None,
                String::from(
                    "says neither what to start nor what to send; add `workflow = \"deploy.yml\"` (a workflow_dispatch) or `event = \"NAME\"` (a repository_dispatch)",
                ),
            ));
        }
    };
    Ok(DeployTarget {
        name,
        on,
        kind,
        line,
    })
}

/// Checks every string of a deploy's inputs or payload, at any depth, as a template.
fn check_json_templates(value: &serde_json::Value) -> std::result::Result<(), String> {
    match value {
        serde_json::Value::String(text) => check_template(text, DEPLOY_PLACEHOLDERS),
        serde_json::Value::Array(items) => items.iter().try_for_each(check_json_templates),
        serde_json::Value::Object(map) => map.values().try_for_each(check_json_templates),
        _ => Ok(()),
    }
}

/// Whether relcut runs in CI: `CI` is set to anything but `false` or `0`, as CI services set it.
pub fn running_in_ci(environment: &dyn Fn(&str) -> Option<String>) -> bool {
    environment("CI").is_some_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// A `[[files]]` entry, checked: a pattern needs both `search` (a valid regular expression) and
/// `replace` (known placeholders only), and `count` is a number of matches.
fn configured_file(text: &str, entry: RawFileEntry) -> Result<ConfiguredFile> {
    let config_line = line_of(text, entry.path.span().start);
    let error_at = |offset: usize, message: String| Error::Config {
        path: PathBuf::from(CONFIG_FILE),
        message: format!("line {}: {message}", line_of(text, offset)),
    };
    let path_offset = entry.path.span().start;
    let path = entry.path.into_inner();
    if path.trim().is_empty()
        || Path::new(&path).is_absolute()
        || path.split('/').any(|part| part == "..")
    {
        return Err(error_at(
            path_offset,
            format!(
                "`path = \"{path}\"` is not a path inside the repository; name a file relative to the repository root"
            ),
        ));
    }
    let pattern = match (entry.search, entry.replace) {
        (None, None) => {
            if let Some(count) = entry.count {
                return Err(error_at(
                    count.span().start,
                    String::from(
                        "`count` needs `search` and `replace`; add them, or remove `count`",
                    ),
                ));
            }
            None
        }
        (Some(search), Some(replace)) => {
            let regex = regex::Regex::new(search.get_ref()).map_err(|error| {
                error_at(
                    search.span().start,
                    format!(
                        "`search` is not a valid regular expression: {}; fix the pattern",
                        regex_error_summary(&error)
                    ),
                )
            })?;
            check_template(replace.get_ref(), REPLACE_PLACEHOLDERS).map_err(|message| {
                error_at(replace.span().start, format!("`replace`: {message}"))
            })?;
            let count = match entry.count {
                None => None,
                Some(count) => Some(usize::try_from(*count.get_ref()).map_err(|_| {
                    error_at(
                        count.span().start,
                        String::from("`count` is the number of matches expected; write 0 or more"),
                    )
                })?),
            };
            Some(ReplacePattern {
                search: regex,
                replace: replace.into_inner(),
                count,
                config_line,
            })
        }
        (Some(search), None) => {
            return Err(error_at(
                search.span().start,
                String::from(
                    "`search` needs a `replace` template, e.g. `replace = 'version: {{version}}'`",
                ),
            ));
        }
        (None, Some(replace)) => {
            return Err(error_at(
                replace.span().start,
                String::from(
                    "`replace` needs a `search` regular expression to say what it replaces",
                ),
            ));
        }
    };
    Ok(ConfiguredFile {
        path,
        pattern,
        exclude: globs(text, &entry.exclude, "exclude")?,
        config_line,
    })
}

/// A list of globs relative to the repository root, each checked, for `field`.
fn globs(text: &str, entries: &[toml::Spanned<String>], field: &str) -> Result<Vec<glob::Pattern>> {
    entries
        .iter()
        .map(|entry| {
            glob::Pattern::new(entry.get_ref().trim_start_matches("./")).map_err(|error| {
                Error::Config {
                    path: PathBuf::from(CONFIG_FILE),
                    message: format!(
                        "line {}: `{field}` entry `{}` is not a valid glob ({}); fix the pattern",
                        line_of(text, entry.span().start),
                        entry.get_ref(),
                        error.msg
                    ),
                }
            })
        })
        .collect()
}

/// The regex crate's error without its multi-line drawing of the pattern: its last line.
fn regex_error_summary(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("invalid pattern")
        .trim()
        .trim_start_matches("error: ")
        .to_owned()
}

fn parse_relcut_toml(path: &Path, text: &str) -> Result<RawFile> {
    toml::from_str::<RawFile>(text).map_err(|error| {
        let location = error
            .span()
            .map(|span| format!("line {}: ", line_of(text, span.start)))
            .unwrap_or_default();
        Error::Config {
            path: PathBuf::from(path.file_name().unwrap_or(path.as_os_str())),
            message: format!(
                "{location}{}; see the configuration section of the README",
                error.message().trim_end_matches('\n')
            ),
        }
    })
}

/// The 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The placeholders of `[github] release_name`.
const RELEASE_NAME_PLACEHOLDERS: &[&str] = &["version", "tag"];

fn check_message_template(template: &str) -> std::result::Result<(), String> {
    check_template(template, MESSAGE_PLACEHOLDERS)
}

fn load_changelog_config(
    root: &Path,
    relcut_path: &Path,
    relcut_text: Option<&str>,
    has_cliff_tables: bool,
) -> Result<(CliffConfig, ChangelogSource)> {
    for name in git_cliff_core::CONFIG_FILES {
        let path = root.join(name);
        if path.is_file() {
            let config = CliffConfig::load(&path).map_err(|error| Error::Config {
                path: PathBuf::from(name),
                message: format!("{error}; see https://git-cliff.org/docs/configuration"),
            })?;
            return Ok((config, ChangelogSource::CliffFile(PathBuf::from(name))));
        }
    }
    if has_cliff_tables {
        let text = relcut_text.unwrap_or_default();
        let config =
            layer_on_cliff_default(&cliff_tables_only(text)).map_err(|message| Error::Config {
                path: PathBuf::from(relcut_path.file_name().unwrap_or(relcut_path.as_os_str())),
                message,
            })?;
        return Ok((config, ChangelogSource::RelcutFile));
    }
    if let Some((name, contents)) = manifest_cliff_tables(root)? {
        let config = contents
            .parse::<CliffConfig>()
            .map_err(|error| Error::Config {
                path: PathBuf::from(name),
                message: format!("{error}; see https://git-cliff.org/docs/configuration"),
            })?;
        return Ok((config, ChangelogSource::Manifest(PathBuf::from(name))));
    }
    Ok((builtin_changelog_config()?, ChangelogSource::Builtin))
}

/// git-cliff's configuration in a project manifest, as git-cliff reads it when there is no
/// cliff.toml: `[package.metadata.git-cliff.*]` or `[workspace.metadata.git-cliff.*]` tables in
/// Cargo.toml, else `[tool.git-cliff.*]` tables in pyproject.toml, each turned into the table
/// of the same name (`[changelog]`, `[git]`, …).
/// Where the changelog configuration comes from, without reading it: the order of
/// [`load_changelog_config`].
fn changelog_source(root: &Path, has_cliff_tables: bool) -> Result<ChangelogSource> {
    if let Some(name) = git_cliff_core::CONFIG_FILES
        .iter()
        .find(|name| root.join(name).is_file())
    {
        return Ok(ChangelogSource::CliffFile(PathBuf::from(name)));
    }
    if has_cliff_tables {
        return Ok(ChangelogSource::RelcutFile);
    }
    Ok(match manifest_cliff_tables(root)? {
        Some((name, _)) => ChangelogSource::Manifest(PathBuf::from(name)),
        None => ChangelogSource::Builtin,
    })
}

fn manifest_cliff_tables(root: &Path) -> Result<Option<(&'static str, String)>> {
    // Each expression is compiled only once its manifest exists: most repositories have neither,
    // and compiling both was the only regular-expression build of a `relcut next`.
    static CARGO: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| cliff_table_header(r"(?:workspace|package)\.metadata"));
    static PYPROJECT: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| cliff_table_header("tool"));
    let manifests: [(&str, &std::sync::LazyLock<regex::Regex>); 2] =
        [("Cargo.toml", &CARGO), ("pyproject.toml", &PYPROJECT)];
    for (name, tables) in manifests {
        let path = root.join(name);
        let contents = match std::fs::read_to_string(&path) {
            Ok(contents) => contents,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(Error::io("read", PathBuf::from(name))(error)),
        };
        let tables: &regex::Regex = tables;
        if tables.is_match(&contents) {
            return Ok(Some((
                name,
                tables.replace_all(&contents, "[").into_owned(),
            )));
        }
    }
    Ok(None)
}

/// The header of a git-cliff table nested under `prefix` in a manifest, at a line's start.
fn cliff_table_header(prefix: &str) -> regex::Regex {
    regex::RegexBuilder::new(&format!(r"^\[{prefix}\.git\-cliff\."))
        .multi_line(true)
        .build()
        .expect("a valid regular expression")
}

/// A changelog configuration that renders nothing, for commands that do not render.
fn empty_changelog_config() -> CliffConfig {
    CliffConfig {
        changelog: Default::default(),
        git: Default::default(),
        remote: Default::default(),
        bump: Default::default(),
    }
}

/// relcut's built-in changelog configuration with its templates filled in.
pub fn builtin_changelog_config() -> Result<CliffConfig> {
    let mut config: CliffConfig = DEFAULT_CHANGELOG_CONFIG.parse().map_err(|error| {
        Error::Changelog(format!(
            "the built-in changelog configuration is invalid: {error}"
        ))
    })?;
    config.changelog.body = DEFAULT_BODY.to_string();
    config.changelog.header = Some(DEFAULT_HEADER.to_string());
    Ok(config)
}

/// Keeps only the tables git-cliff understands, so relcut's own keys do not reach its parser.
fn cliff_tables_only(text: &str) -> String {
    let Ok(mut document) = text.parse::<toml_edit::DocumentMut>() else {
        return String::new();
    };
    let keep = ["changelog", "git", "remote", "bump"];
    let names: Vec<String> = document.iter().map(|(key, _)| key.to_string()).collect();
    for name in names {
        if !keep.contains(&name.as_str()) {
            document.remove(&name);
        }
    }
    document.to_string()
}

/// Layers `text` over git-cliff's embedded default configuration, exactly as git-cliff's
/// `Config::load` does for a `cliff.toml`, so the same tables mean the same thing.
fn layer_on_cliff_default(text: &str) -> std::result::Result<CliffConfig, String> {
    let default = EmbeddedConfig::get_config().map_err(|error| error.to_string())?;
    config::Config::builder()
        .add_source(config::File::from_str(&default, config::FileFormat::Toml))
        .add_source(config::File::from_str(text, config::FileFormat::Toml))
        .add_source(config::Environment::with_prefix("GIT_CLIFF").separator("__"))
        .build()
        .and_then(|built| built.try_deserialize::<CliffConfig>())
        .map_err(|error| format!("the `[changelog]`/`[git]` tables are invalid: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::template::render_message;

    #[test]
    fn message_templates_accept_known_placeholders_only() {
        let rows: &[(&str, bool)] = &[
            ("chore(release): v{{version}}", true),
            ("release {{ tag }} after {{previous_tag}}", true),
            ("no placeholder", true),
            ("{{ versio }}", false),
            ("{{version", false),
        ];
        for (template, ok) in rows {
            assert_eq!(check_message_template(template).is_ok(), *ok, "{template}");
        }
    }

    #[test]
    fn message_templates_render() {
        let rows: &[(&str, &str)] = &[
            ("chore(release): v{{version}}", "chore(release): v1.2.3"),
            ("{{ tag }}", "v1.2.3"),
            ("from {{previous_version}}", "from 1.2.2"),
        ];
        for (template, expected) in rows {
            let rendered = render_message(
                template,
                &[
                    ("version", "1.2.3"),
                    ("tag", "v1.2.3"),
                    ("previous_version", "1.2.2"),
                ],
            );
            assert_eq!(&rendered, expected);
        }
    }

    fn load_text(text: &str) -> Result<Settings> {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join(CONFIG_FILE), text).unwrap();
        Settings::load_for_versions(root.path())
    }

    #[test]
    fn files_entries_are_checked_when_loaded() {
        let rows = [
            (
                "[[files]]\npath = \"Chart.yaml\"\nsearch = '(?m)^version: ('\nreplace = 'version: {{version}}'\n",
                "`relcut.toml` line 3: `search` is not a valid regular expression: unclosed group; fix the pattern",
            ),
            (
                "[[files]]\npath = \"Chart.yaml\"\nsearch = 'v'\nreplace = '{{ver}}'\n",
                "`relcut.toml` line 4: `replace`: unknown placeholder `{{ver}}`; use one of `{{version}}`, `{{pep440}}`, `{{major}}`, `{{minor}}`, `{{patch}}`",
            ),
            (
                "[[files]]\npath = \"Chart.yaml\"\nsearch = 'v'\n",
                "`relcut.toml` line 3: `search` needs a `replace` template, e.g. `replace = 'version: {{version}}'`",
            ),
            (
                "[[files]]\npath = \"Chart.yaml\"\nreplace = 'v'\n",
                "`relcut.toml` line 3: `replace` needs a `search` regular expression to say what it replaces",
            ),
            (
                "[[files]]\npath = \"VERSION\"\ncount = 2\n",
                "`relcut.toml` line 3: `count` needs `search` and `replace`; add them, or remove `count`",
            ),
            (
                "[[files]]\npath = \"a\"\nsearch = 'v'\nreplace = 'w'\ncount = -1\n",
                "`relcut.toml` line 5: `count` is the number of matches expected; write 0 or more",
            ),
            (
                "[[files]]\npath = \"../outside/VERSION\"\n",
                "`relcut.toml` line 2: `path = \"../outside/VERSION\"` is not a path inside the repository; name a file relative to the repository root",
            ),
        ];
        for (text, message) in rows {
            let error = load_text(text).unwrap_err();
            assert_eq!(error.to_string(), message, "{text}");
        }
    }

    #[test]
    fn tag_patterns_are_checked_when_loaded() {
        let rows = [
            (
                "[release]\nbranches = [\"main\"]\ntag_pattern = \"release {version}\"\n",
                "`relcut.toml` line 3: `release.tag_pattern`: \"release {version}\" makes tag names such as `release 1.2.3`, which git refuses: a tag name cannot contain a space; write it as for example \"v{version}\" or \"release-{version}\"",
            ),
            (
                "[release]\ntag_pattern = \"v\"\n",
                "`relcut.toml` line 2: `release.tag_pattern`: \"v\" does not contain `{version}`; write it as for example \"v{version}\"",
            ),
        ];
        for (text, message) in rows {
            let error = load_text(text).unwrap_err();
            assert_eq!(error.exit_code(), crate::error::exit_code::INVALID_INPUT);
            assert_eq!(error.to_string(), message, "{text}");
        }
        let settings = load_text("[release]\ntag_pattern = \"team/app-{version}\"\n").unwrap();
        assert_eq!(
            settings
                .policy
                .tag_pattern
                .tag_name(&semver::Version::new(1, 0, 0)),
            "team/app-1.0.0"
        );
    }

    #[test]
    fn files_entries_keep_their_lines() {
        let settings = load_text(
            "detect = false\n\n[[files]]\npath = \"VERSION\"\n\n[[files]]\npath = \"helm/Chart.yaml\"\nsearch = '(?m)^appVersion: .*$'\nreplace = 'appVersion: \"{{version}}\"'\ncount = 1\n",
        )
        .unwrap();
        assert!(!settings.detect);
        let summary: Vec<_> = settings
            .files
            .iter()
            .map(|file| {
                (
                    file.path.as_str(),
                    file.config_line,
                    file.pattern.as_ref().map(|pattern| {
                        (
                            pattern.search.as_str(),
                            pattern.replace.as_str(),
                            pattern.count,
                        )
                    }),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("VERSION", 4, None),
                (
                    "helm/Chart.yaml",
                    7,
                    Some((
                        "(?m)^appVersion: .*$",
                        "appVersion: \"{{version}}\"",
                        Some(1)
                    ))
                ),
            ]
        );
    }

    #[test]
    fn the_readme_configuration_examples_load() {
        let readme = include_str!("../README.md");
        let blocks: Vec<&str> = readme
            .split("```toml\n")
            .skip(1)
            .map(|rest| rest.split("```").next().unwrap())
            .collect();
        assert!(blocks.len() >= 3, "the README lost its examples");
        for block in blocks {
            if let Err(error) = load_text(block) {
                panic!("{error}\n{block}");
            }
        }
    }

    fn forge_settings(text: &str, variables: &[(&str, &str)]) -> ForgeSettings {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join(CONFIG_FILE), text).unwrap();
        let environment = |name: &str| {
            variables
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        };
        Settings::load_parts(root.path(), false, &environment)
            .unwrap()
            .forge
    }

    #[test]
    fn forge_settings_come_from_the_environment_and_relcut_toml() {
        // (relcut.toml, environment, api_url, token, repository, hosts)
        type Row<'r> = (
            &'r str,
            &'r [(&'r str, &'r str)],
            &'r str,
            Option<&'r str>,
            Option<&'r str>,
            &'r [&'r str],
        );
        let rows: &[Row] = &[
            ("", &[], DEFAULT_GITHUB_API_URL, None, None, &["github.com"]),
            (
                "",
                &[("GITHUB_TOKEN", "t1"), ("GH_TOKEN", "t2")],
                DEFAULT_GITHUB_API_URL,
                Some("t1"),
                None,
                &["github.com"],
            ),
            (
                "",
                &[("GITHUB_TOKEN", ""), ("GH_TOKEN", "t2")],
                DEFAULT_GITHUB_API_URL,
                Some("t2"),
                None,
                &["github.com"],
            ),
            (
                "",
                &[("GITHUB_TOKEN", " "), ("GH_TOKEN", "")],
                DEFAULT_GITHUB_API_URL,
                None,
                None,
                &["github.com"],
            ),
            (
                "[github]\nhosts = [\"GHE.example.com\", \"github.com\"]\n",
                &[
                    ("GITHUB_API_URL", "https://ghe.example.com/api/v3/"),
                    ("GITHUB_SERVER_URL", "https://Code.Example.org:8443"),
                    ("GITHUB_REPOSITORY", "acme/rocket"),
                ],
                "https://ghe.example.com/api/v3",
                None,
                Some("acme/rocket"),
                &["github.com", "code.example.org", "ghe.example.com"],
            ),
            (
                "",
                &[("GITHUB_API_URL", ""), ("GITHUB_REPOSITORY", "")],
                DEFAULT_GITHUB_API_URL,
                None,
                None,
                &["github.com"],
            ),
        ];
        for (text, variables, api_url, token, repository, hosts) in rows {
            let forge = forge_settings(text, variables);
            assert_eq!(forge.api_url, *api_url, "{variables:?}");
            assert_eq!(
                forge
                    .token
                    .as_ref()
                    .map(Secret::expose_for_authorization_header),
                *token,
                "{variables:?}"
            );
            assert_eq!(forge.repository.as_deref(), *repository, "{variables:?}");
            assert_eq!(forge.hosts, *hosts, "{text} {variables:?}");
        }
        let forge = forge_settings("", &[("GITHUB_TOKEN", "hidden-value")]);
        assert!(!format!("{forge:?}").contains("hidden-value"));
        assert!(forge.is_github_host("GitHub.com"));
    }

    #[test]
    fn retries_come_from_the_github_table() {
        // (relcut.toml, max_attempts and retry_seconds, or the error)
        type Row<'r> = (&'r str, std::result::Result<(u32, u64), &'r str>);
        let rows: &[Row] = &[
            ("", Ok((5, 120))),
            ("[github]\nmax_attempts = 1\n", Ok((1, 120))),
            ("[github]\nretry_seconds = 0\n", Ok((5, 0))),
            (
                "[github]\nmax_attempts = 8\nretry_seconds = 600\n",
                Ok((8, 600)),
            ),
            (
                "[github]\nmax_attempts = 0\n",
                Err(
                    "`relcut.toml` line 2: `github.max_attempts` = 0 is not a number of attempts; write 1 or more (1 sends each request once, without retries; the default is 5)",
                ),
            ),
            (
                "[github]\nhosts = []\nmax_attempts = -3\n",
                Err("`relcut.toml` line 3: `github.max_attempts` = -3 is not a number"),
            ),
            (
                "[github]\nretry_seconds = -1\n",
                Err(
                    "`relcut.toml` line 2: `github.retry_seconds` = -1 is not a duration; write the seconds one request may spend on retries, 0 or more (the default is 120)",
                ),
            ),
            ("[github]\nretry_seconds = \"2m\"\n", Err("line 2")),
        ];
        for (text, expected) in rows {
            match (load_text(text), expected) {
                (Ok(settings), Ok((attempts, seconds))) => {
                    let retry = settings.forge.retry;
                    assert_eq!(retry.max_attempts, *attempts, "{text}");
                    assert_eq!(retry.max_elapsed.as_secs(), *seconds, "{text}");
                    assert_eq!(retry.first_pause, DEFAULT_FIRST_PAUSE, "{text}");
                }
                (Err(error), Err(start)) => {
                    assert_eq!(error.exit_code(), crate::error::exit_code::INVALID_INPUT);
                    assert!(error.to_string().contains(start), "{text}: {error}");
                }
                (found, expected) => panic!("{text}: {found:?}, not {expected:?}"),
            }
        }
    }

    #[test]
    fn the_github_table_refuses_unknown_keys() {
        let error = load_text("[github]\nhost = [\"ghe.example.com\"]\n").unwrap_err();
        assert!(error.to_string().contains("line 2"), "{error}");
    }

    #[test]
    fn relcut_toml_errors_name_the_line() {
        let text = "[release]\nbranches = [\"main\"]\nstrcit = true\n";
        let error = parse_relcut_toml(Path::new("relcut.toml"), text).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("strcit"), "{message}");
    }

    #[test]
    fn deploy_targets_load_in_file_order_and_bad_ones_name_the_line() {
        let settings = load_text(
            "[deploy.zeta]\nevent = \"shipped\"\non = \"always\"\n\n[deploy.alpha]\nworkflow = \"deploy.yml\"\non = \"stable\"\n",
        )
        .unwrap();
        let names: Vec<&str> = settings.deploy.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha"]);
        assert_eq!(settings.deploy[1].line, 5);
        let with_starts =
            load_text("[deploy.x]\nevent = \"e\"\nstarts = \" ship.yml \"\non = \"stable\"\n")
                .unwrap();
        assert!(
            matches!(&with_starts.deploy[0].kind, TargetKind::Event { starts: Some(file), .. } if file == "ship.yml"),
            "{:?}",
            with_starts.deploy[0].kind
        );
        let rows = [
            (
                "[deploy.x]\nworkflow = \"d.yml\"\nevent = \"e\"\non = \"stable\"\n",
                "both `workflow` and `event`",
            ),
            ("[deploy.x]\non = \"stable\"\n", "neither"),
            ("[deploy.x]\nworkflow = \"d.yml\"\n", "`on` is missing"),
            (
                "[deploy.x]\nworkflow = \"d.yml\"\non = \"sometimes\"\n",
                "line 3",
            ),
            (
                "[deploy.x]\nworkflow = \"d.yml\"\non = \"stable\"\ninputs = { v = \"{{verison}}\" }\n",
                "line 4",
            ),
            (
                "[deploy.x]\nevent = \"e\"\non = \"stable\"\ninputs = { v = \"1\" }\n",
                "`inputs` goes with `workflow`",
            ),
            (
                "[deploy.x]\nworkflow = \"d.yml\"\nstarts = \"d.yml\"\non = \"stable\"\n",
                "`starts` goes with `event`",
            ),
            (
                "[deploy.x]\nevent = \"e\"\nstarts = \"ci/d.yml\"\non = \"stable\"\n",
                "`starts = \"ci/d.yml\"` is not a workflow file name",
            ),
            ("[github]\npoll_seconds = -1\n", "`github.poll_seconds`"),
        ];
        for (text, expected) in rows {
            let error = load_text(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn builtin_changelog_config_parses() {
        let config = builtin_changelog_config().unwrap();
        assert!(config.git.conventional_commits);
        assert!(!config.changelog.body.is_empty());
    }

    #[test]
    fn cliff_tables_are_layered_on_git_cliff_defaults() {
        let text = cliff_tables_only("[release]\nstrict = true\n[changelog]\ntrim = false\n");
        assert!(!text.contains("release"));
        let config = layer_on_cliff_default(&text).unwrap();
        assert!(!config.changelog.trim);
        // Untouched keys keep git-cliff's embedded defaults.
        assert!(config.git.conventional_commits);
        assert!(!config.git.commit_parsers.is_empty());
    }
}
