//! The release plan: every decision of a release, computed from a snapshot of the world.
//!
//! Everything under `plan` is pure: no file system, no git, no network, no clock. What a dry run
//! prints is the same value a real run applies.

pub mod changelog;
pub mod commits;
pub mod conventional;
pub mod diff;
pub mod lint;
pub mod tag_pattern;
pub mod version;
pub mod version_files;

use std::path::PathBuf;

use crate::config::{Settings, render_message};
use crate::error::{Error, Result};
use crate::plan::changelog::{NewRelease, PreviousRelease, TemplateExtras};
use crate::plan::commits::CommitAnalysis;
use crate::plan::version::{BumpInput, BumpRequest};
use crate::plan::version_files::{FileEdit, SourceFile};
use crate::repo::{RawCommit, VersionTag};

/// Where the current version was read from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum CurrentSource {
    /// The highest release tag reachable from HEAD.
    Tag(String),
    /// The version files (there is no release tag yet).
    Files,
    /// Nothing: this is the first release.
    None,
}

/// One file the release writes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedFile {
    /// Path relative to the repository root.
    pub path: PathBuf,
    /// Why relcut writes it.
    pub reason: String,
    /// The text before (empty for a new file).
    #[serde(skip)]
    pub before: String,
    /// Whether the file exists now.
    pub exists: bool,
    /// The text after.
    #[serde(skip)]
    pub after: String,
    /// A unified diff from before to after.
    pub diff: String,
}

/// The changelog part of the plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangelogPlan {
    /// The changelog file, relative to the root.
    pub path: PathBuf,
    /// The new section, heading included.
    pub section: String,
    /// Whether an `## [Unreleased]` section is replaced.
    pub replaces_unreleased: bool,
}

/// One effect of the release, in the order they run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "step")]
pub enum Step {
    /// Write every planned file, all or nothing.
    WriteFiles {
        /// The files, relative to the root.
        paths: Vec<PathBuf>,
    },
    /// Make the release commit with exactly those files.
    Commit {
        /// The commit message.
        message: String,
    },
    /// Make an annotated tag at the release commit.
    Tag {
        /// The tag's name.
        name: String,
        /// The tag's message.
        message: String,
        /// Whether the tag is signed with the user's git signing configuration.
        signed: bool,
    },
}

/// Everything a release will do, decided before it does any of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Plan {
    /// The current version; `None` before the first release.
    pub current_version: Option<semver::Version>,
    /// Where the current version came from.
    pub current_source: CurrentSource,
    /// The version being released.
    pub next_version: semver::Version,
    /// Whether it is a prerelease.
    pub prerelease: bool,
    /// Why this version, in a sentence.
    pub reason: String,
    /// The previous release's tag.
    pub previous_tag: Option<String>,
    /// The new tag.
    pub tag: String,
    /// The commits since the previous release.
    pub commits: CommitAnalysis,
    /// Files written, the changelog included.
    pub files: Vec<PlannedFile>,
    /// The changelog section, when the changelog is on.
    pub changelog: Option<ChangelogPlan>,
    /// The release notes: the section without its heading.
    pub notes: String,
    /// The effects, in order.
    pub steps: Vec<Step>,
}

/// What planning a release needs; all of it read beforehand.
pub struct ReleaseInputs<'a> {
    /// The project's settings.
    pub settings: &'a Settings,
    /// What the user asked for.
    pub request: &'a BumpRequest,
    /// The prerelease channel, if any.
    pub pre: Option<&'a str>,
    /// The highest release tag reachable from HEAD.
    pub last_release: Option<&'a VersionTag>,
    /// The highest stable release tag reachable from HEAD.
    pub last_stable: Option<&'a VersionTag>,
    /// The commit the last release's tag points at, with its time.
    pub last_release_time: Option<i64>,
    /// Commits since the last release, newest first.
    pub commits: &'a [RawCommit],
    /// The same commits as the changelog reads them (see `commands::changelog_commits`).
    pub changelog_commits: &'a [RawCommit],
    /// The version files, as read.
    pub version_files: &'a [SourceFile],
    /// The changelog file's text, when it exists.
    pub changelog_existing: Option<&'a str>,
    /// Values for the changelog templates.
    pub extras: &'a TemplateExtras,
    /// The release time, seconds since the epoch.
    pub timestamp: i64,
    /// Whether the tag is signed.
    pub sign: bool,
}

/// The current version and where it came from, checking that every source agrees.
pub fn current_version(
    last_release: Option<&VersionTag>,
    version_files: &[SourceFile],
) -> Result<(Option<semver::Version>, CurrentSource)> {
    agreed_version(
        last_release,
        &version_files::current_versions(version_files)?,
    )
}

fn agreed_version(
    last_release: Option<&VersionTag>,
    found: &[version_files::FoundVersion],
) -> Result<(Option<semver::Version>, CurrentSource)> {
    let mut rows: Vec<(String, String)> = found
        .iter()
        .map(|found| {
            (
                format!(
                    "{} line {} ({})",
                    found.path.display(),
                    found.line,
                    found.field
                ),
                found.version.to_string(),
            )
        })
        .collect();
    if let Some(tag) = last_release {
        rows.push((format!("tag {}", tag.name), tag.version.to_string()));
    }
    let first = found.first().map(|found| &found.version);
    let disagree = found.iter().any(|other| Some(&other.version) != first)
        || matches!((first, last_release), (Some(file), Some(tag)) if *file != tag.version);
    if disagree {
        let width = rows
            .iter()
            .map(|(source, _)| source.len())
            .max()
            .unwrap_or(0);
        let table = rows
            .iter()
            .map(|(source, version)| format!("  {source:<width$}  {version}"))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(Error::VersionsDisagree { table });
    }
    Ok(match (last_release, first) {
        (Some(tag), _) => (
            Some(tag.version.clone()),
            CurrentSource::Tag(tag.name.clone()),
        ),
        (None, Some(version)) => (Some(version.clone()), CurrentSource::Files),
        (None, None) => (None, CurrentSource::None),
    })
}

/// Decides the whole release.
pub fn plan_release(inputs: &ReleaseInputs<'_>) -> Result<Plan> {
    let settings = inputs.settings;
    let analysis = commits::analyze(inputs.commits, &settings.bump_rules);
    let found = version_files::current_versions(inputs.version_files)?;
    if let Some(plan) = resume_plan(inputs, &found, &analysis) {
        return Ok(plan);
    }
    let (current, current_source) = agreed_version(inputs.last_release, &found)?;

    let (next, reason) = decide_version(
        current.as_ref(),
        inputs.last_stable.map(|tag| &tag.version),
        inputs.request,
        inputs.pre,
        &analysis,
        settings,
    )?;

    let tag = settings.tag_pattern.tag_name(&next);
    let previous_tag = inputs.last_release.map(|tag| tag.name.clone());
    let mut files: Vec<PlannedFile> = version_files::plan_edits(inputs.version_files, &next)?
        .into_iter()
        .map(|edit| planned_file(edit, "holds the version", true))
        .collect();

    let section = changelog::render_section(
        &settings.changelog,
        inputs.extras,
        inputs.changelog_commits,
        inputs
            .last_release
            .map(|release| PreviousRelease {
                tag: &release.name,
                commit_id: release.commit.to_string(),
                timestamp: inputs.last_release_time.unwrap_or_default(),
            })
            .as_ref(),
        &NewRelease {
            tag: &tag,
            timestamp: inputs.timestamp,
        },
    )?;
    let changelog = match &settings.changelog_file {
        Some(path) => {
            let outcome = changelog::prepend_section(
                inputs.changelog_existing,
                settings.changelog_header(),
                &section.text,
            );
            files.push(planned_file(
                FileEdit {
                    path: path.clone(),
                    before: inputs.changelog_existing.unwrap_or_default().to_string(),
                    after: outcome.text,
                },
                "the changelog",
                inputs.changelog_existing.is_some(),
            ));
            Some(ChangelogPlan {
                path: path.clone(),
                section: section.text.clone(),
                replaces_unreleased: outcome.replaced_unreleased,
            })
        }
        None => None,
    };

    let (commit_message, tag_message) =
        messages(settings, &next, current.as_ref(), previous_tag.as_deref());
    let mut steps = Vec::new();
    if !files.is_empty() {
        steps.push(Step::WriteFiles {
            paths: files.iter().map(|file| file.path.clone()).collect(),
        });
        steps.push(Step::Commit {
            message: commit_message,
        });
    }
    steps.push(Step::Tag {
        name: tag.clone(),
        message: tag_message,
        signed: inputs.sign,
    });

    Ok(Plan {
        current_version: current,
        current_source,
        prerelease: !next.pre.is_empty(),
        next_version: next,
        reason,
        previous_tag,
        tag,
        commits: analysis,
        files,
        changelog,
        notes: section.notes,
        steps,
    })
}

/// The next version and why: version arithmetic on the current version, or the first release.
pub fn decide_version(
    current: Option<&semver::Version>,
    last_stable: Option<&semver::Version>,
    request: &BumpRequest,
    pre: Option<&str>,
    analysis: &CommitAnalysis,
    settings: &Settings,
) -> Result<(semver::Version, String)> {
    let Some(current) = current else {
        return first_release(request, pre, analysis, settings);
    };
    let next = version::next_version(
        &BumpInput {
            current,
            last_stable,
            request,
            commits_level: analysis.level,
            pre,
        },
        &settings.version_policy,
    )
    .map_err(|error| match error {
        version::VersionError::NothingToRelease => {
            Error::NothingToRelease(nothing_to_release_message(analysis))
        }
        other => other.into(),
    })?;
    Ok((next.version, next.reason.to_string()))
}

fn first_release(
    request: &BumpRequest,
    pre: Option<&str>,
    analysis: &CommitAnalysis,
    settings: &Settings,
) -> Result<(semver::Version, String)> {
    let initial = &settings.initial_version;
    if let BumpRequest::Exact(version) = request {
        return Ok((
            version.clone(),
            String::from("The version was named explicitly."),
        ));
    }
    if matches!(request, BumpRequest::Auto) && analysis.level.is_none() {
        return Err(Error::NothingToRelease(nothing_to_release_message(
            analysis,
        )));
    }
    let mut version = initial.clone();
    let mut reason = format!(
        "First release: there is no release tag and no version file, so the initial version `{initial}`"
    );
    if let Some(channel) = pre {
        version::validate_identifier(channel)?;
        version.pre = semver::Prerelease::new(&format!(
            "{channel}.{}",
            settings.version_policy.prerelease_counter_start
        ))
        .expect("a valid identifier and a number make a valid prerelease");
        reason.push_str(&format!(", as a prerelease on the `{channel}` channel"));
    }
    reason.push('.');
    Ok((version, reason))
}

/// The sentence for "nothing to release", naming what was found instead.
pub fn nothing_to_release_message(analysis: &CommitAnalysis) -> String {
    use commits::CommitKind;
    let total = analysis.commits.len();
    if total == 0 {
        return String::from("nothing to release: there are no commits since the last release");
    }
    let unconventional = analysis.of_kind(CommitKind::NonConventional).count();
    let mut message = format!(
        "nothing to release: none of the {total} commit{} since the last release asks for a new version",
        if total == 1 { "" } else { "s" }
    );
    if unconventional > 0 {
        message.push_str(&format!(
            " ({unconventional} {} not a Conventional Commit)",
            if unconventional == 1 { "is" } else { "are" }
        ));
    }
    message.push_str("; use `--bump patch` (or minor, major, X.Y.Z) to release anyway");
    message
}

/// The release commit's and the tag's messages for `next`.
fn messages(
    settings: &Settings,
    next: &semver::Version,
    current: Option<&semver::Version>,
    previous_tag: Option<&str>,
) -> (String, String) {
    let version = next.to_string();
    let tag = settings.tag_pattern.tag_name(next);
    let previous_version = current.map(ToString::to_string).unwrap_or_default();
    let values = [
        ("version", version.as_str()),
        ("tag", tag.as_str()),
        ("previous_version", previous_version.as_str()),
        ("previous_tag", previous_tag.unwrap_or_default()),
    ];
    (
        render_message(&settings.commit_message, &values),
        render_message(&settings.tag_message, &values),
    )
}

/// A release that an earlier run committed but did not tag: the version files agree on a version
/// above the last release and HEAD is that version's release commit. Finishing it is tagging it;
/// planning a new bump on top would release twice.
fn resume_plan(
    inputs: &ReleaseInputs<'_>,
    found: &[version_files::FoundVersion],
    analysis: &CommitAnalysis,
) -> Option<Plan> {
    let settings = inputs.settings;
    let head = inputs.commits.first()?;
    let version = &found.first()?.version;
    if found.iter().any(|other| &other.version != version) {
        return None;
    }
    if inputs
        .last_release
        .is_some_and(|tag| tag.version >= *version)
    {
        return None;
    }
    let current = inputs.last_release.map(|tag| tag.version.clone());
    let previous_tag = inputs.last_release.map(|tag| tag.name.clone());
    let (commit_message, tag_message) =
        messages(settings, version, current.as_ref(), previous_tag.as_deref());
    if head.message.trim_end() != commit_message.trim_end() {
        return None;
    }
    let tag = settings.tag_pattern.tag_name(version);
    let notes = inputs
        .changelog_existing
        .and_then(|text| changelog::section_of(text, version))
        .map(|section| section.notes)
        .unwrap_or_default();
    Some(Plan {
        current_source: match inputs.last_release {
            Some(tag) => CurrentSource::Tag(tag.name.clone()),
            None => CurrentSource::None,
        },
        current_version: current,
        prerelease: !version.pre.is_empty(),
        next_version: version.clone(),
        reason: format!(
            "HEAD is the release commit of {version} from an earlier run that did not finish; tagging it finishes the release."
        ),
        previous_tag,
        tag: tag.clone(),
        commits: analysis.clone(),
        files: Vec::new(),
        changelog: None,
        notes,
        steps: vec![Step::Tag {
            name: tag,
            message: tag_message,
            signed: inputs.sign,
        }],
    })
}

fn planned_file(edit: FileEdit, reason: &str, exists: bool) -> PlannedFile {
    let diff = diff::unified(&edit.path, &edit.before, &edit.after, exists);
    PlannedFile {
        path: edit.path,
        reason: reason.to_string(),
        before: edit.before,
        exists,
        after: edit.after,
        diff,
    }
}
