//! Rendering changelogs and release notes with git-cliff-core, and prepending a section to an
//! existing `CHANGELOG.md`.
//!
//! Pure: commits and tags come in as data (read by `repo`), text comes out. Releases are built the
//! way git-cliff builds them, so a project's `cliff.toml` renders byte for byte as with git-cliff,
//! but from one history walk instead of per-tag work, and without per-commit diff statistics unless
//! a template asks for them.

use std::collections::HashMap;

use git_cliff_core::changelog::Changelog;
use git_cliff_core::commit::{Commit, CommitStatistics, Range, Signature};
use git_cliff_core::config::{Config as CliffConfig, GitConfig};
use git_cliff_core::release::Release;
use git_cliff_core::template::Template;

use crate::plan::cliff_reading::{self, CliffReading, CommitReading};
use crate::plan::error::{PlanError as Error, Result};
use crate::plan::history::{AnyTag, Person, RawCommit};
use crate::plan::markdown;
use crate::plan::release_order;
use crate::plan::remote_context::{self, RemoteData};

/// Values relcut adds to every template's context under the `relcut` key.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TemplateExtras {
    /// `https://github.com/OWNER/REPO` when the remote is on GitHub; links are omitted otherwise.
    pub repository_url: Option<String>,
    /// The literal text before the version in tag names (`v`), so headings show bare versions.
    pub tag_prefix: String,
    /// What GitHub knows of the commits, read only when a template uses it (`github.*`,
    /// `commit.remote.*`); releases are then rendered one by one, each with its contributors.
    #[serde(skip)]
    pub remote: Option<std::sync::Arc<RemoteData>>,
    /// With `[git] recurse_submodules`: by the id of a release's newest commit, the submodules
    /// that changed in the release, each with its commits (git-cliff's `submodule_commits`).
    #[serde(skip)]
    pub submodules: Option<std::sync::Arc<SubmoduleCommits>>,
    /// Whose reading of each commit git-cliff is handed (`policy.commit_reading`).
    #[serde(skip)]
    pub reading: CommitReading,
}

/// Submodule commits by release: the release's newest commit id → (submodule path, its commits
/// newest first).
pub type SubmoduleCommits = HashMap<String, Vec<(String, Vec<RawCommit>)>>;

/// The release that is about to be made.
#[derive(Debug, Clone)]
pub struct NewRelease<'a> {
    /// Its tag name.
    pub tag: &'a str,
    /// The release time, seconds since the epoch (passed in: planning never reads the clock).
    pub timestamp: i64,
}

/// The previous release, as the section's `previous` context.
#[derive(Debug, Clone)]
pub struct PreviousRelease<'a> {
    /// Its tag name.
    pub tag: &'a str,
    /// The tagged commit.
    pub commit_id: String,
    /// The tagged commit's time.
    pub timestamp: i64,
}

/// One rendered release section.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    /// The whole section, heading included, as it goes into the changelog file.
    pub text: String,
    /// The section without its first heading line: the release notes.
    pub notes: String,
}

fn signature(person: &Person) -> Signature {
    Signature {
        name: person.name.clone(),
        email: person.email.clone(),
        timestamp: person.time,
    }
}

/// The commit as git-cliff gets it. With relcut's reading, Conventional Commits on and without
/// `split_commits` (which makes every line an entry of its own), it is given to read as relcut
/// reads it, so the changelog and the bump agree on each commit's type, scope and breaking flag.
/// With git-cliff's reading it is given as written (the bump then reads git-cliff's result).
pub(crate) fn to_cliff_commit(
    config: &GitConfig,
    reading: CommitReading,
    commit: &RawCommit,
) -> Commit<'static> {
    let statistics = commit.statistics.unwrap_or_default();
    let mut message = None;
    let mut raw_message = None;
    if reading == CommitReading::Relcut && config.conventional_commits && !config.split_commits {
        match cliff_reading::for_git_cliff(&commit.message, commit.parent_count) {
            CliffReading::AsWritten => {}
            CliffReading::Rewritten(text) => message = Some(text),
            CliffReading::Unconventional(text) => raw_message = Some(text),
        }
    }
    Commit {
        statistics: CommitStatistics {
            files_changed: statistics.files_changed,
            additions: statistics.additions,
            deletions: statistics.deletions,
        },
        id: commit.id.clone(),
        message: message.unwrap_or_else(|| commit.message.clone()),
        author: signature(&commit.author),
        committer: signature(&commit.committer),
        merge_commit: commit.parent_count > 1,
        raw_message,
        ..Commit::default()
    }
}

fn context_error(error: git_cliff_core::error::Error) -> Error {
    Error::Changelog(error.to_string())
}

fn section_config(config: &CliffConfig) -> CliffConfig {
    let mut config = config.clone();
    config.changelog.header = None;
    config.changelog.footer = None;
    config
}

/// Renders the section of a new release from the commits since the previous one (newest first,
/// as `repo::Repo::commits` returns them).
pub fn render_section(
    config: &CliffConfig,
    extras: &TemplateExtras,
    commits_newest_first: &[RawCommit],
    previous: Option<&PreviousRelease<'_>>,
    release: &NewRelease<'_>,
) -> Result<Section> {
    let text = render_unreleased(
        config,
        extras,
        commits_newest_first,
        previous,
        Some(release),
        false,
    )?;
    Ok(section_from_text(text))
}

/// Renders the commits since the previous release as one release: titled `release` when given,
/// "unreleased" otherwise; with the configured header and footer when asked.
pub fn render_unreleased(
    config: &CliffConfig,
    extras: &TemplateExtras,
    commits_newest_first: &[RawCommit],
    previous: Option<&PreviousRelease<'_>>,
    release: Option<&NewRelease<'_>>,
    with_header_and_footer: bool,
) -> Result<String> {
    let mut commits: Vec<Commit> = commits_newest_first
        .iter()
        .rev()
        .map(|commit| to_cliff_commit(&config.git, extras.reading, commit))
        .collect();
    if config.git.sort_commits == "newest" {
        commits.reverse();
    }
    let commit_range = match (commits.first(), commits.last()) {
        (Some(first), Some(last)) if config.git.sort_commits == "newest" => {
            Some(Range::new(last, first))
        }
        (Some(first), Some(last)) => Some(Range::new(first, last)),
        _ => None,
    };
    let new_release = Release {
        version: release.map(|release| release.tag.to_string()),
        commit_id: commits_newest_first.first().map(|commit| commit.id.clone()),
        timestamp: release.map(|release| release.timestamp),
        previous: Some(Box::new(match previous {
            Some(previous) => Release {
                version: Some(previous.tag.to_string()),
                commit_id: Some(previous.commit_id.clone()),
                timestamp: Some(previous.timestamp),
                ..Release::default()
            },
            None => Release::default(),
        })),
        commit_range,
        commits,
        ..Release::default()
    };
    let config = if with_header_and_footer {
        config.clone()
    } else {
        section_config(config)
    };
    let is_new_release = new_release.version.is_some();
    let text = render_releases(&config, extras, vec![new_release.clone()])?;
    if is_new_release && text.trim().is_empty() {
        // Every commit was filtered out of the changelog (only chores, say): git-cliff drops such
        // a release, but a release that is being made still gets its heading.
        return render_empty_release(&config, extras, new_release);
    }
    Ok(text)
}

/// The section of `version` in an existing changelog: from its `## [version]` heading (with or
/// without the brackets or a tag prefix) to the next `## ` heading.
pub fn section_of(text: &str, version: &semver::Version) -> Option<Section> {
    let version = version.to_string();
    let headings = release_headings(text);
    let position = headings.iter().position(|&(start, _)| {
        let line = text[start..].lines().next().unwrap_or_default();
        let title = line[3..].trim_start().trim_start_matches('[');
        let title = title.trim_start_matches(|c: char| !c.is_ascii_digit());
        title.starts_with(&version)
            && !title[version.len()..].starts_with(|c: char| {
                c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+'
            })
    })?;
    let start = headings[position].0;
    let end = headings
        .get(position + 1)
        .map_or(text.len(), |&(next, _)| next);
    Some(section_from_text(text[start..end].to_string()))
}

fn section_from_text(text: String) -> Section {
    let trimmed = text.trim_matches('\n');
    let notes = match trimmed.split_once('\n') {
        Some((first, rest)) if first.starts_with('#') => rest.trim_matches('\n').to_string(),
        Some(_) => trimmed.to_string(),
        None if trimmed.starts_with('#') => String::new(),
        None => trimmed.to_string(),
    };
    Section {
        text: format!("{trimmed}\n"),
        notes: if notes.is_empty() {
            notes
        } else {
            format!("{notes}\n")
        },
    }
}

fn render_releases(
    config: &CliffConfig,
    extras: &TemplateExtras,
    releases: Vec<Release<'static>>,
) -> Result<String> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    render_releases_on(config, extras, releases, threads)
}

fn render_releases_on(
    config: &CliffConfig,
    extras: &TemplateExtras,
    releases: Vec<Release<'static>>,
    threads: usize,
) -> Result<String> {
    let commits: usize = releases.iter().map(|release| release.commits.len()).sum();
    if threads < 2
        || commits < PARALLEL_THRESHOLD
        || releases.len() < 2
        || !renders_releases_independently(config)?
    {
        return render_with_git_cliff(config, extras, releases);
    }
    // Each release renders on its own, so contiguous runs of releases render on separate threads
    // and are joined in git-cliff's order (newest first); the header and footer have no
    // variables, so they are rendered once around them.
    let chunks = split_by_commits(releases, threads);
    let body_config = section_config(config);
    let bodies: Vec<Result<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let body_config = &body_config;
                scope.spawn(move || render_with_git_cliff(body_config, extras, chunk))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(Error::Changelog(String::from("a rendering thread failed")))
                })
            })
            .collect()
    });
    let mut header_only = config.clone();
    header_only.changelog.footer = None;
    let mut footer_only = config.clone();
    footer_only.changelog.header = None;
    let mut output = render_with_git_cliff(&header_only, extras, Vec::new())?;
    for body in bodies.into_iter().rev() {
        output.push_str(&body?);
    }
    output.push_str(&render_with_git_cliff(&footer_only, extras, Vec::new())?);
    Ok(output)
}

/// Below this many commits one thread is as fast as several.
const PARALLEL_THRESHOLD: usize = 2_000;

/// Whether rendering releases separately and joining them gives git-cliff's exact output: no
/// `skip_tags` (which rewires neighbouring releases), no whole-document Markdown formatting, and
/// a header and footer that do not depend on the releases.
fn renders_releases_independently(config: &CliffConfig) -> Result<bool> {
    if config.git.skip_tags.is_some() || config.changelog.format {
        return Ok(false);
    }
    for part in [&config.changelog.header, &config.changelog.footer]
        .into_iter()
        .flatten()
    {
        let template =
            Template::new("part", part.clone(), config.changelog.trim).map_err(context_error)?;
        if !template.variables.is_empty() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Splits releases (oldest first) into at most `parts` contiguous runs of similar commit counts.
fn split_by_commits(releases: Vec<Release<'static>>, parts: usize) -> Vec<Vec<Release<'static>>> {
    let runs = balanced_runs(releases.iter().map(|release| release.commits.len()), parts);
    let mut releases = releases.into_iter();
    runs.into_iter()
        .map(|run| releases.by_ref().take(run.len()).collect())
        .collect()
}

/// Contiguous runs of items, at most `parts` of them, of similar total weight (an item weighs
/// at least 1), for work split over threads.
fn balanced_runs(
    weights: impl Iterator<Item = usize>,
    parts: usize,
) -> Vec<std::ops::Range<usize>> {
    let weights: Vec<usize> = weights.map(|weight| weight.max(1)).collect();
    let share = weights.iter().sum::<usize>().div_ceil(parts.max(1));
    // One run to fill from the start, even with no items.
    let mut runs = Vec::with_capacity(parts.max(1));
    runs.push(0..0);
    let mut filled = 0;
    for (index, weight) in weights.into_iter().enumerate() {
        if filled >= share && runs.len() < parts {
            runs.push(index..index);
            filled = 0;
        }
        filled += weight;
        runs.last_mut().expect("not empty").end = index + 1;
    }
    runs
}

fn render_with_git_cliff(
    config: &CliffConfig,
    extras: &TemplateExtras,
    mut releases: Vec<Release<'static>>,
) -> Result<String> {
    if let Some(submodules) = &extras.submodules {
        for release in &mut releases {
            let Some(changed) = release.commit_id.as_ref().and_then(|id| submodules.get(id)) else {
                continue;
            };
            for (path, commits) in changed {
                release.submodule_commits.insert(
                    path.clone(),
                    // Newest first: git-cliff keeps a submodule's commits in its walk's order.
                    commits
                        .iter()
                        .map(|commit| to_cliff_commit(&config.git, extras.reading, commit))
                        .collect(),
                );
            }
        }
    }
    if let Some(remote) = &extras.remote {
        return render_with_remote_data(config, extras, releases, remote);
    }
    let changelog = Changelog::new(releases, config.clone(), None).map_err(context_error)?;
    generate(changelog, extras)
}

/// The changelog's text, with relcut's values in the templates' context.
fn generate(mut changelog: Changelog<'_>, extras: &TemplateExtras) -> Result<String> {
    let body = &changelog.config.changelog.body;
    // A project's template made from relcut's (copied into its cliff.toml) lists its sections
    // from the same data, so it gets it too, with the text of its commits as written.
    if body.contains(SECTIONS_KEY) {
        let relcut_body = is_relcut_body(body);
        let text = if relcut_body {
            SectionText::Markdown
        } else {
            SectionText::AsWritten
        };
        for release in &mut changelog.releases {
            attach_sections(release, text);
            if relcut_body {
                // relcut's template lists commits from its sections and reads `commits` only
                // to tell whether the release lists any (a test holds it to that). Handing it
                // one commit rather than all spares git-cliff putting every commit into Tera's
                // context: a tenth of the changelog's time on a long history.
                release.commits.truncate(1);
            }
        }
    }
    changelog
        .add_context("relcut", extras)
        .map_err(context_error)?;
    let mut out = Vec::new();
    changelog.generate(&mut out).map_err(context_error)?;
    String::from_utf8(out).map_err(|error| Error::Changelog(error.to_string()))
}

/// Renders releases (oldest first) newest first, each on its own with its `github` context:
/// git-cliff's contributors belong to one release, and an additional context is the same for
/// every release of one rendering.
fn render_with_remote_data(
    config: &CliffConfig,
    extras: &TemplateExtras,
    releases: Vec<Release<'static>>,
    remote: &RemoteData,
) -> Result<String> {
    let plain = TemplateExtras {
        remote: None,
        submodules: None,
        ..extras.clone()
    };
    let mut header_only = config.clone();
    header_only.changelog.footer = None;
    let mut footer_only = config.clone();
    footer_only.changelog.header = None;
    let body = section_config(config);
    let mut output = render_with_git_cliff(&header_only, &plain, Vec::new())?;
    for mut release in releases.into_iter().rev() {
        let contributors = remote_context::contributors(&mut release, remote);
        let mut changelog =
            Changelog::new(vec![release], body.clone(), None).map_err(context_error)?;
        changelog
            .add_context("github", github_context(contributors))
            .map_err(context_error)?;
        output.push_str(&generate(changelog, &plain)?);
    }
    output.push_str(&render_with_git_cliff(&footer_only, &plain, Vec::new())?);
    Ok(output)
}

/// The `github` variable of git-cliff's templates.
fn github_context(
    contributors: Vec<git_cliff_core::contributor::RemoteContributor>,
) -> serde_json::Value {
    serde_json::json!({ "contributors": contributors })
}

fn render_empty_release(
    config: &CliffConfig,
    extras: &TemplateExtras,
    mut release: Release<'static>,
) -> Result<String> {
    release.commits.clear();
    let template = Template::new("body", config.changelog.body.clone(), config.changelog.trim)
        .map_err(context_error)?;
    let mut context: HashMap<String, serde_json::Value> = HashMap::new();
    let groups: Vec<String> = config
        .git
        .commit_parsers
        .iter()
        .filter_map(|parser| parser.group.clone())
        .collect();
    context.insert(
        String::from("commit_parsers_groups"),
        serde_json::json!(groups),
    );
    context.insert(
        String::from("remote"),
        serde_json::to_value(&config.remote)
            .map_err(|error| Error::Changelog(error.to_string()))?,
    );
    context.insert(
        String::from("relcut"),
        serde_json::to_value(extras).map_err(|error| Error::Changelog(error.to_string()))?,
    );
    if extras.remote.is_some() {
        context.insert(String::from("github"), github_context(Vec::new()));
    }
    template
        .render(&release, Some(&context), &config.changelog.postprocessors)
        .map_err(context_error)
}

/// What the whole-history changelog covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryRange {
    /// Every commit, every release.
    All,
    /// Only the commits after the newest tag.
    Unreleased,
}

/// Renders a changelog of many releases from the whole history, as git-cliff does: each tag
/// closes a release, commits after the last tag are unreleased (or belong to `upcoming`).
///
/// `history` is the whole walk from HEAD, newest first; `commits_newest_first` the part of it the
/// changelog lists (path filters remove commits, never reorder them; pass `history` itself when
/// nothing is removed); `tags` are ordered by commit time.
pub fn render_history(
    config: &CliffConfig,
    extras: &TemplateExtras,
    history: &[RawCommit],
    commits_newest_first: &[RawCommit],
    tags: &[AnyTag],
    upcoming: Option<&NewRelease<'_>>,
    with_header_and_footer: bool,
) -> Result<String> {
    let mut config = if with_header_and_footer {
        config.clone()
    } else {
        section_config(config)
    };
    let every_tag_renders = every_tag_renders(&config);
    if every_tag_renders {
        // git-cliff keeps an empty release when this is on and its `previous` has no commits;
        // `build_releases` gives only the unreleased one a `previous` with commits.
        config.changelog.render_always = true;
    }
    let releases = build_releases(
        &config,
        history,
        commits_newest_first,
        tags,
        upcoming,
        every_tag_renders,
        extras.reading,
    );
    render_releases(&config, extras, releases)
}

/// A part of the history (a range, `--latest`, `--current`), as git-cliff renders it.
#[derive(Debug, Clone, Copy)]
pub struct HistoryPart<'a> {
    /// The part as walked, before path filters: which commits a tag reaches is read from it.
    pub history: &'a [RawCommit],
    /// The commits, newest first.
    pub commits_newest_first: &'a [RawCommit],
    /// Every tag, ordered by commit time.
    pub tags: &'a [AnyTag],
    /// The release before the oldest one in the part, as that one's `previous`.
    pub before: Option<&'a PreviousRelease<'a>>,
    /// The release being made, which titles the unreleased commits.
    pub upcoming: Option<&'a NewRelease<'a>>,
    /// The message of the newest release with commits, in place of its tag's (git-cliff's
    /// `--with-tag-message`).
    pub latest_message: Option<&'a str>,
}

/// Renders the releases of a part of the history as git-cliff does: the oldest release's
/// `previous` is the tag before it (links and "since" lines need it), and the empty release after
/// a range that ends on a tag is dropped, since git-cliff drops a release without commits after
/// one with commits.
pub fn render_part_of_history(
    config: &CliffConfig,
    extras: &TemplateExtras,
    part: &HistoryPart<'_>,
    with_header_and_footer: bool,
) -> Result<String> {
    let config = if with_header_and_footer {
        config.clone()
    } else {
        section_config(config)
    };
    let releases = part_of_history(&config, part, extras.reading);
    render_releases(&config, extras, releases)
}

/// The releases of [`render_part_of_history`], oldest first.
fn part_of_history(
    config: &CliffConfig,
    part: &HistoryPart<'_>,
    reading: CommitReading,
) -> Vec<Release<'static>> {
    let mut releases = build_releases(
        config,
        part.history,
        part.commits_newest_first,
        part.tags,
        part.upcoming,
        false,
        reading,
    );
    if part.upcoming.is_none()
        && releases.len() > 1
        && releases.last().is_some_and(|last| last.commits.is_empty())
    {
        releases.pop();
    }
    if let (Some(before), Some(oldest)) = (part.before, releases.first_mut())
        && oldest
            .previous
            .as_ref()
            .is_none_or(|previous| previous.version.is_none())
    {
        oldest.previous = Some(Box::new(Release {
            version: Some(before.tag.to_string()),
            commit_id: Some(before.commit_id.clone()),
            timestamp: Some(before.timestamp),
            ..Release::default()
        }));
    }
    if let Some(message) = part.latest_message
        && let Some(latest) = releases
            .iter_mut()
            .rfind(|release| !release.commits.is_empty())
    {
        latest.message = Some(message.to_string());
    }
    releases
}

/// The context git-cliff's `--context` prints for these releases: the JSON its templates read,
/// newest release first, after the commits are parsed and filtered. `repository` is the path
/// git-cliff puts in each release.
pub fn context_of_history(
    config: &CliffConfig,
    part: &HistoryPart<'_>,
    reading: CommitReading,
    repository: &str,
) -> Result<String> {
    // The context shows each release's `previous` whole, commits included, as git-cliff's does.
    let mut whole_previous = config.clone();
    whole_previous.changelog.body = String::from("{{ previous.commits }}");
    let mut releases = part_of_history(&whole_previous, part, reading);
    for release in &mut releases {
        release.repository = Some(repository.to_string());
        // A previous release that was built from commits carries the path too; the one given
        // from before the range was not.
        if let Some(previous) = release
            .previous
            .as_mut()
            .filter(|previous| !previous.commits.is_empty())
        {
            previous.repository = Some(repository.to_string());
        }
    }
    let changelog = Changelog::new(releases, config.clone(), None).map_err(context_error)?;
    let mut out = Vec::new();
    changelog.write_context(&mut out).map_err(context_error)?;
    String::from_utf8(out).map_err(|error| Error::Changelog(error.to_string()))
}

/// Renders a changelog from a context that `--context` printed (possibly edited), as git-cliff's
/// `--from-context` does: the commits in it are taken as they are.
pub fn render_from_context(
    config: &CliffConfig,
    extras: &TemplateExtras,
    context: &str,
) -> Result<String> {
    let mut changelog =
        Changelog::from_context(&mut context.as_bytes(), config.clone()).map_err(context_error)?;
    changelog.add_remote_context().map_err(context_error)?;
    generate(changelog, extras)
}

/// relcut's own release template (the configuration fills it in as the body of its built-in
/// changelog), to tell it from a project's.
const RELCUT_BODY: &str = include_str!("../../templates/release.md.tera");
/// Its "New Contributors" section, with `[github] new_contributors = true`.
const NEW_CONTRIBUTORS: &str = include_str!("../../templates/new_contributors.md.tera");
/// Where that section goes: before the compare link.
const NEW_CONTRIBUTORS_BEFORE: &str = "{% if base and version and previous and previous.version %}";

/// relcut's own release template, with the "New Contributors" section (whose data comes from
/// GitHub) when asked.
pub fn relcut_body(new_contributors: bool) -> String {
    if !new_contributors {
        return RELCUT_BODY.to_string();
    }
    match RELCUT_BODY.find(NEW_CONTRIBUTORS_BEFORE) {
        Some(at) => format!(
            "{}{NEW_CONTRIBUTORS}{}",
            &RELCUT_BODY[..at],
            &RELCUT_BODY[at..]
        ),
        None => format!("{RELCUT_BODY}{NEW_CONTRIBUTORS}"),
    }
}

/// Whether every release tag gets its section even when the changelog lists none of its commits:
/// with relcut's own template, which says so in a line. Any other template renders the releases
/// git-cliff renders.
fn every_tag_renders(config: &CliffConfig) -> bool {
    is_relcut_body(&config.changelog.body) && !templates_read_previous_commits(config)
}

/// Whether `body` is relcut's own release template, with or without "New Contributors".
fn is_relcut_body(body: &str) -> bool {
    body == RELCUT_BODY || body == relcut_body(true)
}

/// Where relcut's template finds its sections, under a release's `extra` (git-cliff's field for
/// a tool's own data).
const SECTIONS_KEY: &str = "relcut_sections";

/// The characters of a commit id that relcut's template shows, as `git log --abbrev=7` does.
const SHORT_ID: usize = 7;

/// How the commits' text goes into the sections' data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionText {
    /// Made safe to place in Markdown (see [`markdown`]), for relcut's own template: relcut
    /// decides for its users that no commit can break the notes' structure.
    Markdown,
    /// As git-cliff gives it to templates, for a project's own template.
    AsWritten,
}

/// Tells relcut's template which commits each section of a release lists, and what it prints of
/// each (`extra.relcut_sections`): `breaking`, the breaking commits, and `groups`, the others by
/// group (the type when no parser set one), each in the order of `commits`. An entry holds the
/// commit's `id` and its first seven characters (`short_id`), its `scope` and `message` as
/// git-cliff's serialisation gives them, and for a breaking commit its `breaking_description`
/// when that says more than the subject (`null` otherwise).
///
/// The template loops over these lists as they are: looking through every commit once for each
/// of the nine groups, or looking commits up by their place in `commits` (Tera copies what it
/// looks up), were each most of the rendering's time on a long history. relcut's template reads
/// nothing else of a release's `extra`, so data of another shape there (from an edited
/// `--context`) gives way.
fn attach_sections(release: &mut Release<'_>, text: SectionText) {
    let mut breaking: Vec<serde_json::Value> = Vec::new();
    let mut groups = serde_json::Map::new();
    for commit in &release.commits {
        let (message, scope, breaking_description, group) = match &commit.conv {
            Some(conv) => (
                conv.description(),
                commit
                    .scope
                    .as_deref()
                    .or_else(|| conv.scope().map(|scope| scope.as_str()))
                    .or(commit.default_scope.as_deref()),
                conv.breaking().then(|| conv.breaking_description()),
                Some(
                    commit
                        .group
                        .clone()
                        .unwrap_or_else(|| conv.type_().to_string()),
                ),
            ),
            None => (
                commit.message.as_str(),
                commit.scope.as_deref().or(commit.default_scope.as_deref()),
                None,
                commit.group.clone(),
            ),
        };
        let is_breaking = breaking_description.is_some();
        if !is_breaking && group.is_none() {
            continue;
        }
        let mut entry = serde_json::Map::new();
        entry.insert(String::from("id"), commit.id.clone().into());
        // What `commit.id | truncate(length=7, end="")` gives, which reads every character of
        // the id as a Unicode grapheme: 3 % of the changelog's time on a long history.
        let short_id = commit.id.get(..SHORT_ID).unwrap_or(&commit.id);
        entry.insert(String::from("short_id"), short_id.into());
        let said = |written: &str, safe: fn(&str) -> String| match text {
            SectionText::Markdown => safe(written),
            SectionText::AsWritten => written.to_string(),
        };
        entry.insert(
            String::from("message"),
            said(message, markdown::inline).into(),
        );
        entry.insert(
            String::from("scope"),
            scope.map(|scope| said(scope, markdown::inline)).into(),
        );
        match (breaking_description, group) {
            (Some(description), _) => {
                let more = description.filter(|text| !text.is_empty() && *text != message);
                entry.insert(
                    String::from("breaking_description"),
                    more.map(|text| said(text, markdown::continued_block))
                        .into(),
                );
                breaking.push(entry.into());
            }
            (None, Some(group)) => match groups
                .entry(group)
                .or_insert_with(|| serde_json::Value::Array(Vec::new()))
            {
                serde_json::Value::Array(entries) => entries.push(entry.into()),
                _ => unreachable!("only lists are inserted"),
            },
            (None, None) => unreachable!("left out above"),
        }
    }
    let sections = serde_json::json!({ "breaking": breaking, "groups": groups });
    match &mut release.extra {
        Some(serde_json::Value::Object(extra)) => {
            extra.insert(SECTIONS_KEY.to_string(), sections);
        }
        extra => *extra = Some(serde_json::json!({ SECTIONS_KEY: sections })),
    }
}

fn build_releases(
    config: &CliffConfig,
    history: &[RawCommit],
    commits_newest_first: &[RawCommit],
    tags: &[AnyTag],
    upcoming: Option<&NewRelease<'_>>,
    every_tag_renders: bool,
    reading: CommitReading,
) -> Vec<Release<'static>> {
    let release_tags = release_order::release_tags(&config.git, tags);
    let tag_of: HashMap<String, &AnyTag> = release_tags
        .iter()
        .map(|tag| (tag.commit.to_string(), *tag))
        .collect();
    let mut selected: &[RawCommit] = commits_newest_first;
    if let Some(limit) = config.git.limit_commits {
        selected = &selected[..limit.min(selected.len())];
    }
    let order = release_order::release_order(history, selected, &release_tags);

    let keep_previous_commits = templates_read_previous_commits(config);
    // Each release's commits, as spans of `order`, and the tag that closes each span.
    let mut spans: Vec<(std::ops::Range<usize>, Option<&AnyTag>)> = Vec::new();
    let mut start = 0;
    for (at, &index) in order.iter().enumerate() {
        if let Some(tag) = tag_of.get(&selected[index].id) {
            spans.push((start..at + 1, Some(*tag)));
            start = at + 1;
        }
    }
    spans.push((start..order.len(), None));
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let commit_lists = converted_spans(&spans, &order, selected, &config.git, reading, threads);

    let mut releases = Vec::with_capacity(spans.len());
    let mut previous_release = Release::default();
    let mut first_tag: Option<&AnyTag> = None;
    for ((span, tag), commits) in spans.iter().zip(commit_lists) {
        let mut release = Release {
            commit_id: span.clone().last().map(|at| selected[order[at]].id.clone()),
            commits,
            ..Release::default()
        };
        if let Some(tag) = tag {
            first_tag.get_or_insert(tag);
            release.version = Some(tag.name.clone());
            release.message.clone_from(&tag.message);
            release.timestamp = Some(selected[order[span.end - 1]].committer.time);
            previous_release.previous = None;
            release.previous = Some(Box::new(previous_release));
            previous_release = if keep_previous_commits {
                release.clone()
            } else {
                as_previous(&release)
            };
        }
        releases.push(release);
    }
    if releases.len() > 1 {
        previous_release.previous = None;
        releases.last_mut().expect("not empty").previous = Some(Box::new(previous_release));
    }
    if let Some(upcoming) = upcoming {
        let last = releases.last_mut().expect("not empty");
        last.version = Some(upcoming.tag.to_string());
        last.timestamp = Some(upcoming.timestamp);
    }
    set_first_previous(&mut releases, &release_tags, first_tag);
    if !keep_previous_commits {
        mark_previous_commits(&mut releases, every_tag_renders);
    }
    let newest_first = config.git.sort_commits == "newest";
    for release in &mut releases {
        if newest_first {
            release.commits.reverse();
        }
        if let (Some(first), Some(last)) = (release.commits.first(), release.commits.last()) {
            release.commit_range = Some(if newest_first {
                Range::new(last, first)
            } else {
                Range::new(first, last)
            });
        }
    }
    releases
}

/// The commits of each span of `order` as git-cliff gets them. Converting copies every message
/// and name, so on a long history the spans are converted on several threads.
fn converted_spans(
    spans: &[(std::ops::Range<usize>, Option<&AnyTag>)],
    order: &[usize],
    selected: &[RawCommit],
    git: &GitConfig,
    reading: CommitReading,
    threads: usize,
) -> Vec<Vec<Commit<'static>>> {
    let convert =
        |spans: &[(std::ops::Range<usize>, Option<&AnyTag>)]| -> Vec<Vec<Commit<'static>>> {
            spans
                .iter()
                .map(|(span, _)| {
                    order[span.clone()]
                        .iter()
                        .map(|&index| to_cliff_commit(git, reading, &selected[index]))
                        .collect()
                })
                .collect()
        };
    if threads < 2 || order.len() < PARALLEL_THRESHOLD || spans.len() < 2 {
        return convert(spans);
    }
    let parts = balanced_runs(spans.iter().map(|(span, _)| span.len()), threads)
        .into_iter()
        .map(|run| &spans[run]);
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .map(|part| scope.spawn(move || convert(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// A release as the next one's `previous`, minus the commits no template reads. Whether it had
/// commits is recorded by [`mark_previous_commits`].
fn as_previous(release: &Release<'static>) -> Release<'static> {
    Release {
        version: release.version.clone(),
        message: release.message.clone(),
        commit_id: release.commit_id.clone(),
        timestamp: release.timestamp,
        ..Release::default()
    }
}

/// git-cliff gives the oldest release, when nothing precedes it in the walk, the tag before the
/// first tag it closed (in tag order), or the newest tag when it closed none: a tag of another
/// branch, or one a range left out.
fn set_first_previous(
    releases: &mut [Release<'static>],
    release_tags: &[&AnyTag],
    first_tag: Option<&AnyTag>,
) {
    let first = &mut releases[0];
    if first
        .previous
        .as_ref()
        .and_then(|previous| previous.version.as_ref())
        .is_some()
    {
        return;
    }
    let before = match first_tag {
        Some(first_tag) => release_tags
            .iter()
            .position(|tag| tag.name == first_tag.name)
            .and_then(|index| index.checked_sub(1))
            .map(|index| release_tags[index]),
        None => release_tags.last().copied(),
    };
    if let Some(tag) = before {
        first.previous = Some(Box::new(Release {
            commit_id: Some(tag.commit.to_string()),
            version: Some(tag.name.clone()),
            timestamp: Some(tag.commit_time),
            ..Release::default()
        }));
    }
}

/// git-cliff drops a release whose listed commits are all filtered out unless its `previous` had
/// no commits either and `render_always` is on. `previous` goes without its commits where no
/// template reads them (copying them is quadratic work on long histories), so one placeholder
/// commit stands for them: in a `previous` that had commits, or, when every tag renders (see
/// [`every_tag_renders`]), in the unreleased release's only.
fn mark_previous_commits(releases: &mut [Release<'static>], every_tag_renders: bool) {
    let mut had_commits = false;
    for release in releases.iter_mut() {
        let marked = if every_tag_renders {
            release.version.is_none()
        } else {
            had_commits
        };
        had_commits = !release.commits.is_empty();
        if marked && let Some(previous) = release.previous.as_mut() {
            previous.commits.push(Commit::default());
        }
    }
}

/// Fields of `previous` a template may read without needing its commits.
const PREVIOUS_FIELDS_WITHOUT_COMMITS: &[&str] = &[
    "version",
    "message",
    "commit_id",
    "timestamp",
    "repository",
    "commit_range",
    "extra",
    "bump_type",
];

/// Whether any template could read the previous release's commits. git-cliff copies every
/// release's commits into the next one's `previous`, which doubles the work on long histories;
/// the copy is left out only when every use of `previous` provably reads one of the fields above
/// or tests it as a condition.
fn templates_read_previous_commits(config: &CliffConfig) -> bool {
    static USE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\bprevious\b(\s*\.\s*(?P<field>[A-Za-z_]\w*)|\s+(?P<logic>and|or)\b)?")
            .expect("a valid regular expression")
    });
    let texts = [
        Some(&config.changelog.body),
        config.changelog.header.as_ref(),
        config.changelog.footer.as_ref(),
    ];
    texts.into_iter().flatten().any(|text| {
        USE.captures_iter(text)
            .any(|found| match (found.name("field"), found.name("logic")) {
                (Some(field), _) => !PREVIOUS_FIELDS_WITHOUT_COMMITS.contains(&field.as_str()),
                (None, Some(_)) => false,
                (None, None) => true,
            })
    })
}

/// The result of putting a new section into a changelog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrependOutcome {
    /// The file's new text.
    pub text: String,
    /// Whether an `## [Unreleased]` section was replaced by the release.
    pub replaced_unreleased: bool,
}

/// Puts `section` at the top of the releases in an existing changelog (or a new one that starts
/// with `header`). An `## [Unreleased]` section is replaced by the release; whatever precedes the
/// first release heading (the file's own header) is kept as it is.
pub fn prepend_section(existing: Option<&str>, header: &str, section: &str) -> PrependOutcome {
    let section = section.trim_matches('\n');
    let Some(existing) = existing.filter(|text| !text.trim().is_empty()) else {
        let header = header.trim_end_matches('\n');
        let text = if header.is_empty() {
            format!("{section}\n")
        } else {
            format!("{header}\n\n{section}\n")
        };
        return PrependOutcome {
            text,
            replaced_unreleased: false,
        };
    };
    let headings = release_headings(existing);
    let mut replaced_unreleased = false;
    let (insert_at, resume_at) = match headings.first() {
        Some(&(start, is_unreleased)) if is_unreleased => {
            replaced_unreleased = true;
            let end = headings
                .get(1)
                .map(|&(next, _)| next)
                .unwrap_or(existing.len());
            (start, end)
        }
        Some(&(start, _)) => (start, start),
        None => (existing.len(), existing.len()),
    };
    let before = existing[..insert_at].trim_end_matches('\n');
    let after = existing[resume_at..].trim_start_matches('\n');
    let mut text = String::with_capacity(existing.len() + section.len() + 4);
    if !before.is_empty() {
        text.push_str(before);
        text.push_str("\n\n");
    }
    text.push_str(section);
    text.push('\n');
    if !after.is_empty() {
        text.push('\n');
        text.push_str(after);
        if !after.ends_with('\n') {
            text.push('\n');
        }
    }
    PrependOutcome {
        text,
        replaced_unreleased,
    }
}

/// Byte offsets of `## ` headings (outside fenced code), each with whether it is "Unreleased".
fn release_headings(text: &str) -> Vec<(usize, bool)> {
    let mut headings = Vec::new();
    let mut offset = 0;
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && trimmed.starts_with("## ") {
            let title = trimmed[3..]
                .trim()
                .trim_start_matches('[')
                .to_ascii_lowercase();
            headings.push((offset, title.starts_with("unreleased")));
        }
        offset += line.len();
    }
    headings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_filter_names_time_zones_as_the_tz_database_does() {
        // chrono-tz is patched (vendor/README.md) to name its timespans by index; the names and
        // offsets a template shows must be the database's.
        let template = Template::new(
            "tz",
            String::from(
                r#"{{ 0 | date(format="%Z %z", timezone="Europe/Paris") }} {{ 1720000000 | date(format="%Z %z", timezone="Europe/Paris") }} {{ 1720000000 | date(format="%Z", timezone="America/New_York") }} {{ 0 | date(format="%Z", timezone="UTC") }}"#,
            ),
            false,
        )
        .unwrap();
        let rendered = template
            .render(
                &serde_json::json!({}),
                None::<&std::collections::HashMap<String, String>>,
                &[],
            )
            .unwrap();
        assert_eq!(rendered, "CET +0100 CEST +0200 EDT UTC");
    }
    use crate::plan::history::Person;

    #[test]
    fn prepend_cases() {
        let header = "# Changelog\n";
        let section = "## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n";
        let rows: &[(Option<&str>, &str, bool)] = &[
            (
                None,
                "# Changelog\n\n## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n",
                false,
            ),
            (
                Some(""),
                "# Changelog\n\n## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n",
                false,
            ),
            (
                Some("# Changelog\n\nIntro.\n\n## [1.0.0] - 2026-01-01\n\n- A\n"),
                "# Changelog\n\nIntro.\n\n## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n\n## [1.0.0] - 2026-01-01\n\n- A\n",
                false,
            ),
            (
                Some("# Changelog\n\n## [Unreleased]\n\n- wip\n\n## [1.0.0] - 2026-01-01\n\n- A\n"),
                "# Changelog\n\n## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n\n## [1.0.0] - 2026-01-01\n\n- A\n",
                true,
            ),
            (
                Some("# Changelog\n\n## Unreleased\n"),
                "# Changelog\n\n## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n",
                true,
            ),
            (
                Some("# My project\n\nNo releases yet.\n"),
                "# My project\n\nNo releases yet.\n\n## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n",
                false,
            ),
            (
                Some("# Changelog\n\n```\n## [Unreleased]\n```\n\n## [1.0.0] - x\n"),
                "# Changelog\n\n```\n## [Unreleased]\n```\n\n## [1.1.0] - 2026-11-21\n\n### Added\n\n- B\n\n## [1.0.0] - x\n",
                false,
            ),
        ];
        for (existing, expected, replaced) in rows {
            let outcome = prepend_section(*existing, header, section);
            assert_eq!(outcome.text, *expected, "{existing:?}");
            assert_eq!(outcome.replaced_unreleased, *replaced, "{existing:?}");
        }
    }

    #[test]
    fn sections_are_found_by_version() {
        let text = "# Changelog\n\n## [1.3.0-rc.1] - x\n\n- rc\n\n## [1.3.0] - y\n\n- stable\n\n## v1.2.0\n\n- old\n";
        let rows: &[(&str, Option<&str>)] = &[
            ("1.3.0", Some("- stable\n")),
            ("1.3.0-rc.1", Some("- rc\n")),
            ("1.2.0", Some("- old\n")),
            ("1.3", None),
            ("1.1.0", None),
        ];
        for (version, notes) in rows {
            let version =
                semver::Version::parse(version).unwrap_or_else(|_| semver::Version::new(9, 9, 9));
            let found = section_of(text, &version).map(|section| section.notes);
            assert_eq!(found.as_deref(), *notes, "{version}");
        }
    }

    fn synthetic_history(commits: usize, every: usize) -> (Vec<RawCommit>, Vec<AnyTag>) {
        let kinds = [
            "feat",
            "fix(core)",
            "perf",
            "docs",
            "chore",
            "feat(api)!",
            "refactor",
            "nonsense",
        ];
        let mut raw = Vec::new();
        let mut tags = Vec::new();
        for index in 0..commits {
            let id = format!("{index:040x}");
            let kind = kinds[index % kinds.len()];
            let message = if kind == "nonsense" {
                format!("update things {index}")
            } else {
                format!("{kind}: change number {index}\n\nBody {index}.")
            };
            let person = Person {
                name: Some(String::from("A")),
                email: Some(String::from("a@example.com")),
                time: 1_700_000_000 + index as i64 * 60,
            };
            if index % every == every - 1 {
                tags.push(AnyTag {
                    name: format!("v0.{}.0", index / every),
                    message: None,
                    commit: git2::Oid::from_str(&id).unwrap(),
                    commit_time: person.time,
                });
            }
            let parents = match index {
                0 => Vec::new(),
                _ => vec![git2::Oid::from_str(&format!("{:040x}", index - 1)).unwrap()],
            };
            raw.push(RawCommit {
                id,
                message,
                author: person.clone(),
                committer: person,
                parent_count: parents.len(),
                statistics: None,
                parents,
            });
        }
        raw.reverse();
        (raw, tags)
    }

    /// The releases of a whole history with relcut's reading, nothing filtered.
    fn whole_history(
        config: &CliffConfig,
        commits: &[RawCommit],
        tags: &[AnyTag],
    ) -> Vec<Release<'static>> {
        build_releases(
            config,
            commits,
            commits,
            tags,
            None,
            false,
            CommitReading::Relcut,
        )
    }

    fn demo_extras() -> TemplateExtras {
        TemplateExtras {
            repository_url: Some(String::from("https://github.com/acme/demo")),
            tag_prefix: String::from("v"),
            remote: None,
            submodules: None,
            reading: CommitReading::Relcut,
        }
    }

    #[test]
    fn rendering_on_several_threads_gives_the_same_bytes() {
        let (commits, tags) = synthetic_history(PARALLEL_THRESHOLD + 1_234, 97);
        let extras = demo_extras();
        let builtin = crate::config::builtin_changelog_config().unwrap();
        let mut cliff_default = git_cliff_core::embed::EmbeddedConfig::parse().unwrap();
        cliff_default.changelog.header = Some(String::from("# Changes\n"));
        cliff_default.changelog.footer = Some(String::from("<!-- end -->"));
        for config in [builtin, cliff_default] {
            let releases = || whole_history(&config, &commits, &tags);
            let single = render_releases_on(&config, &extras, releases(), 1).unwrap();
            for threads in [2, 3, 8] {
                let parallel = render_releases_on(&config, &extras, releases(), threads).unwrap();
                assert_eq!(parallel, single, "{threads} threads");
            }
            assert!(single.matches("0.3.0").count() >= 1);
        }
    }

    /// relcut's template before it was told its sections: it looked through every commit of a
    /// release for each section, and is the reference for what each section lists.
    const LOOKING_THROUGH_COMMITS: &str =
        include_str!("testdata/release_looking_through_commits.md.tera");

    #[test]
    fn the_sections_relcut_works_out_list_what_looking_through_the_commits_lists() {
        // Text that needs no escaping: relcut's Markdown goes only to its own template (the
        // CLI tests cover that text).
        let (commits, tags) = synthetic_history(600, 37);
        let extras = demo_extras();
        let config = crate::config::builtin_changelog_config().unwrap();
        let mut reference = config.clone();
        reference.changelog.body = LOOKING_THROUGH_COMMITS.to_string();
        let releases = || whole_history(&config, &commits, &tags);
        let told = render_with_git_cliff(&config, &extras, releases()).unwrap();
        let looked_through = render_with_git_cliff(&reference, &extras, releases()).unwrap();
        assert_eq!(told, looked_through);
        for heading in [
            "### ⚠ Breaking Changes",
            "### Added",
            "### Fixed",
            "### Performance",
        ] {
            assert!(told.contains(heading), "{heading}");
        }
        // A project's copy of the template (here with a changed heading) lists the same.
        let mut copied = config.clone();
        copied.changelog.body = config.changelog.body.replace("## [Unreleased]", "## Next");
        let copy = render_with_git_cliff(&copied, &extras, releases()).unwrap();
        assert_eq!(copy, told.replace("## [Unreleased]", "## Next"));
        // Release data of another shape gives way to the sections.
        let mut other = releases();
        for release in &mut other {
            release.extra = Some(serde_json::json!("kept"));
        }
        assert_eq!(
            render_with_git_cliff(&config, &extras, other).unwrap(),
            told
        );
    }

    #[test]
    fn converting_on_several_threads_keeps_each_release_its_commits_in_order() {
        let (commits, _) = synthetic_history(PARALLEL_THRESHOLD + 777, 53);
        let order: Vec<usize> = (0..commits.len()).rev().collect();
        let mut spans = Vec::new();
        let mut start = 0;
        for end in (0..order.len()).step_by(41).skip(1).chain([order.len()]) {
            spans.push((start..end, None));
            start = end;
        }
        let git = crate::config::builtin_changelog_config().unwrap().git;
        let ids = |lists: Vec<Vec<Commit<'static>>>| -> Vec<Vec<String>> {
            lists
                .into_iter()
                .map(|list| list.into_iter().map(|commit| commit.id).collect())
                .collect()
        };
        let single = ids(converted_spans(
            &spans,
            &order,
            &commits,
            &git,
            CommitReading::Relcut,
            1,
        ));
        assert_eq!(single.len(), spans.len());
        assert_eq!(single[0][0], commits[order[0]].id);
        for threads in [2, 3, 8] {
            let parallel = converted_spans(
                &spans,
                &order,
                &commits,
                &git,
                CommitReading::Relcut,
                threads,
            );
            assert_eq!(ids(parallel), single, "{threads} threads");
        }
    }

    #[test]
    fn previous_commits_are_kept_when_a_template_may_read_them() {
        let rows: &[(&str, bool)] = &[
            ("{{ version }}", false),
            (
                "{% if previous and previous.version %}{{ previous.version }}{% endif %}",
                false,
            ),
            ("{{ previous.timestamp }} {{ previous . commit_id }}", false),
            ("{% for c in previous.commits %}{% endfor %}", true),
            ("{% set p = previous %}{{ p.commits | length }}", true),
            ("{{ previous | json_encode }}", true),
            ("{{ previous[\"commits\"] }}", true),
            ("{{ previous.statistics }}", true),
        ];
        for (body, expected) in rows {
            let mut config = crate::config::builtin_changelog_config().unwrap();
            config.changelog.body = body.to_string();
            assert_eq!(
                templates_read_previous_commits(&config),
                *expected,
                "{body}"
            );
        }
    }

    fn raw(id: usize, message: &str, parent_count: usize) -> RawCommit {
        let person = Person {
            name: Some(String::from("A")),
            email: Some(String::from("a@example.com")),
            time: 1_700_000_000 + id as i64,
        };
        RawCommit {
            id: format!("{id:040x}"),
            message: message.to_string(),
            author: person.clone(),
            committer: person,
            parent_count,
            statistics: None,
            parents: Vec::new(),
        }
    }

    #[test]
    fn sections_list_commits_as_the_bump_reads_them() {
        // Newest first. git-cliff's own parser reads `BREAKING CHANGE #12` as breaking, a
        // padded scope as ` api `, and a merge's conventional message as a feature; relcut reads
        // a patch, `api` and a merge, and its reading decided the version.
        let commits = [
            raw(5, "FEAT: shout", 1),
            raw(4, "feat: merged\n\nBREAKING CHANGE: no", 2),
            raw(3, "fix: three\n\nBREAKING CHANGE #12", 1),
            raw(2, "feat( api ): two", 1),
            raw(1, "fix: one\n\nRefs:", 1),
        ];
        let config = crate::config::builtin_changelog_config().unwrap();
        let release = NewRelease {
            tag: "v1.0.1",
            timestamp: 1_700_000_100,
        };
        let section = render_section(
            &config,
            &TemplateExtras::default(),
            &commits,
            None,
            &release,
        )
        .unwrap();
        assert_eq!(
            section.notes, "### Added\n\n- **api:** Two\n- Shout\n\n### Fixed\n\n- One\n- Three\n",
            "{}",
            section.text
        );
    }

    #[test]
    fn the_changelog_reads_every_table_commit_as_the_bump() {
        use crate::plan::commits::{CommitKind, analyze};
        use crate::plan::conventional::BumpRules;
        use crate::plan::version::Level;

        let builtin = crate::config::builtin_changelog_config().unwrap().git;
        // Everything kept, so each commit's context can be read.
        let keep_all = GitConfig {
            filter_unconventional: false,
            filter_commits: false,
            commit_parsers: Vec::new(),
            ..builtin.clone()
        };
        // git-cliff's defaults drop what it reads as unconventional; a parser on a field.
        let on_field = GitConfig {
            filter_unconventional: true,
            filter_commits: false,
            commit_parsers: vec![git_cliff_core::config::CommitParser {
                field: Some(String::from("breaking")),
                pattern: Some(regex::Regex::new("^true$").unwrap()),
                group: Some(String::from("Breaking")),
                ..git_cliff_core::config::CommitParser::default()
            }],
            ..builtin
        };
        let rows = crate::plan::cliff_reading::tests::table_messages();
        assert!(rows.len() >= 100, "{} rows", rows.len());
        for (index, (name, message, parents)) in rows.into_iter().enumerate() {
            let commit = raw(index, message.trim_end(), parents);
            let analysis = analyze(std::slice::from_ref(&commit), &BumpRules::default());
            let bump = &analysis.commits[0];
            let conventional = bump.kind == CommitKind::Conventional;

            let context = to_cliff_commit(&keep_all, CommitReading::Relcut, &commit)
                .process(&keep_all)
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            let context = serde_json::to_value(&context).unwrap();
            assert_eq!(
                context["conventional"], conventional,
                "{name}: conventional"
            );
            if conventional {
                let group = context["group"].as_str().unwrap_or_default();
                assert_eq!(Some(group.to_lowercase()), bump.commit_type, "{name}: type");
                assert_eq!(
                    context["scope"].as_str(),
                    bump.scope.as_deref(),
                    "{name}: scope"
                );
                assert_eq!(context["breaking"], bump.breaking, "{name}: breaking");
                assert_eq!(
                    bump.breaking,
                    bump.bump == Some(Level::Major),
                    "{name}: breaking bumps major"
                );
            }

            let grouped =
                to_cliff_commit(&on_field, CommitReading::Relcut, &commit).process(&on_field);
            assert_eq!(grouped.is_ok(), conventional, "{name}: kept");
            if let Ok(grouped) = grouped {
                assert_eq!(
                    grouped.group.as_deref() == Some("Breaking"),
                    bump.breaking,
                    "{name}: a parser on `breaking`"
                );
            }
        }
    }

    #[test]
    fn relcuts_template_reads_commits_only_to_tell_whether_a_release_lists_any() {
        // `generate` hands relcut's own template one commit of each release, not all of them.
        let comment = regex::Regex::new(r"(?s)\{#.*?#\}").unwrap();
        let commits = regex::Regex::new(r"[\w.]*\bcommits\b").unwrap();
        for body in [relcut_body(false), relcut_body(true)] {
            let code = comment.replace_all(&body, "");
            let reads = commits.find_iter(&code).count();
            let tests = code.matches("{% if not commits %}").count();
            assert_eq!((reads, tests), (1, 1), "{code}");
        }
    }

    #[test]
    fn notes_drop_the_heading() {
        let section = section_from_text(String::from(
            "## [1.0.0] - 2026-11-21\n\n### Added\n\n- A\n\n",
        ));
        assert_eq!(
            section.text,
            "## [1.0.0] - 2026-11-21\n\n### Added\n\n- A\n"
        );
        assert_eq!(section.notes, "### Added\n\n- A\n");
        let heading_only = section_from_text(String::from("## [1.0.0] - 2026-11-21\n"));
        assert_eq!(heading_only.notes, "");
    }
}
