//! The release plan: every decision of a release, computed from a snapshot of the world.
//!
//! Everything under `plan` is pure: no file system, no git, no network, no clock. What a dry run
//! prints is the same value a real run applies. The plan is a leaf: it imports nothing of the
//! crate outside `plan` (its inputs — the history, the release policy — and its error type are
//! its own), which `plan_is_a_leaf` below checks.

pub mod changelog;
pub mod cliff_bump;
pub mod cliff_reading;
pub mod commits;
pub mod conventional;
pub mod deploy;
pub mod diff;
pub mod edited_notes;
pub mod error;
pub mod history;
pub mod init;
pub mod lint;
pub mod markdown;
pub mod policy;
pub mod publish;
pub mod push;
pub mod release_order;
pub mod remote_context;
pub mod resume;
pub mod tag_pattern;
pub mod template;
pub mod version;
pub mod version_files;
pub mod workflow_triggers;

use std::path::PathBuf;

use crate::plan::changelog::{NewRelease, PreviousRelease, TemplateExtras};
use crate::plan::commits::CommitAnalysis;
use crate::plan::error::{PlanError as Error, Result};
use crate::plan::history::{RawCommit, VersionTag};
use crate::plan::policy::ReleasePolicy as Settings;
use crate::plan::push::PushTarget;
use crate::plan::template::render_message;
use crate::plan::version::{BumpInput, BumpRequest};
use crate::plan::version_files::{FileEdit, ParsedFiles};

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

/// A version file the release reads and does not write.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeftAlone {
    /// Path relative to the repository root.
    pub path: PathBuf,
    /// Why it is not written.
    pub reason: String,
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

/// One effect of the release, in the order they run. Each names what it acts on, so that the
/// executor (`apply::executor`) can probe whether its work is already done before doing it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "step")]
pub enum Step {
    /// Write every planned file, all or nothing.
    WriteFiles {
        /// The files, relative to the root.
        paths: Vec<PathBuf>,
    },
    /// Make the release commit with exactly those files, on `parent`.
    Commit {
        /// The commit message.
        message: String,
        /// The commit the release commit goes on: HEAD when the plan was made.
        parent: String,
    },
    /// Make an annotated tag.
    Tag {
        /// The tag's name.
        name: String,
        /// The tag's message.
        message: String,
        /// Whether the tag is signed with the user's git signing configuration.
        signed: bool,
        /// The commit the tag goes on.
        target: TagTarget,
    },
    /// Publish the release on the forge, with its assets; the tag is on the remote by then.
    Publish(publish::ReleaseSpec),
    /// Push the commit the tag is on to the remote's branch, and the tag, in one atomic push.
    /// Its JSON also lists the refs pushed (see [`push::serialize_step`]).
    #[serde(serialize_with = "push::serialize_step")]
    Push {
        /// The remote's name.
        remote: String,
        /// The branch's name on the remote.
        branch: String,
        /// The tag's name.
        tag: String,
    },
    /// Start one deploy target for a version: its workflow, or its event. After the release
    /// is published, so that a deploy always finds its release.
    Deploy {
        /// What the dispatch sends.
        spec: deploy::DeploySpec,
        /// When a run already there means the deploy is done.
        once: deploy::DeployOnce,
        /// How the target's runs are told from other targets' runs of the same workflow.
        #[serde(skip)]
        marks: deploy::RunMarks,
    },
}

impl Step {
    /// The step's name, as the JSON outcome and the fault injection of the tests spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Step::WriteFiles { .. } => "write_files",
            Step::Commit { .. } => "commit",
            Step::Tag { .. } => "tag",
            Step::Publish(_) => "publish",
            Step::Push { .. } => "push",
            Step::Deploy { .. } => "deploy",
        }
    }
}

/// The commit a tag goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TagTarget {
    /// The commit the plan's commit step makes (or, on a re-run, made).
    ReleaseCommit,
    /// This commit: a release without files is tagged where it was planned.
    Commit(String),
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
    /// Version files read but not written, with why.
    pub left_alone: Vec<LeftAlone>,
    /// The changelog section, when the changelog is on.
    pub changelog: Option<ChangelogPlan>,
    /// The release notes: the section without its heading.
    pub notes: String,
    /// The effects, in order.
    pub steps: Vec<Step>,
    /// The release commit of an earlier run that this plan finishes, when HEAD is one.
    pub resumes: Option<String>,
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
    /// The versions of every release tag, here or on the remote, reachable from HEAD or not.
    pub taken: &'a [semver::Version],
    /// The commit the last release's tag points at, with its time.
    pub last_release_time: Option<i64>,
    /// Commits since the last release, newest first.
    pub commits: &'a [RawCommit],
    /// The same commits as the changelog reads them (see `commands::changelog_commits`).
    pub changelog_commits: &'a [RawCommit],
    /// The version files, as read.
    pub version_files: &'a ParsedFiles<'a>,
    /// The changelog file's text, when it exists.
    pub changelog_existing: Option<&'a str>,
    /// Values for the changelog templates.
    pub extras: &'a TemplateExtras,
    /// The release time, seconds since the epoch.
    pub timestamp: i64,
    /// Whether the tag is signed.
    pub sign: bool,
    /// The commit at HEAD, which the release commit goes on.
    pub head: &'a str,
    /// HEAD as a candidate release commit of an earlier run, when it may be one.
    pub observed: Option<&'a resume::ObservedHead<'a>>,
    /// Where the release is pushed; `None` keeps it local.
    pub push: Option<PushInputs<'a>>,
}

/// What planning a push needs, read from the repository and the remote beforehand.
#[derive(Debug, Clone, Copy)]
pub struct PushInputs<'a> {
    /// The remote and its branch.
    pub target: &'a PushTarget,
    /// Whether the remote has the last release: its tag there is on the same commit as here,
    /// and the remote's branch contains that commit. When the last release is at HEAD and the
    /// remote lacks it, an earlier run stopped before its push, and the plan finishes it.
    pub last_release_pushed: bool,
    /// Whether the release is published on the forge after its push: then a last release at
    /// HEAD whose push is complete may still lack its GitHub release, which the publish step's
    /// probe finds out.
    pub publishes: bool,
}

impl ReleaseInputs<'_> {
    /// The push step for `tag`, when the release is pushed.
    pub(crate) fn push_step(&self, tag: &str) -> Option<Step> {
        self.push.map(|push| Step::Push {
            remote: push.target.remote.clone(),
            branch: push.target.branch.clone(),
            tag: tag.to_string(),
        })
    }
}

/// The current version and where it came from, checking that every source agrees.
pub fn current_version(
    last_release: Option<&VersionTag>,
    version_files: &ParsedFiles<'_>,
) -> Result<(Option<semver::Version>, CurrentSource)> {
    agreed_version(last_release, version_files.current_versions())
}

fn agreed_version(
    last_release: Option<&VersionTag>,
    found: &[version_files::FoundVersion],
) -> Result<(Option<semver::Version>, CurrentSource)> {
    let files_version = files_version(found);
    let disagree = match (files_version, last_release) {
        (None, _) => false,
        (Some(version), tag) => {
            found.iter().any(|other| !other.agrees_with(version))
                || tag.is_some_and(|tag| !found.iter().all(|other| other.agrees_with(&tag.version)))
        }
    };
    if disagree {
        return Err(Error::VersionsDisagree {
            table: sources_table(last_release, found),
        });
    }
    Ok(match (last_release, files_version) {
        (Some(tag), _) => (
            Some(tag.version.clone()),
            CurrentSource::Tag(tag.name.clone()),
        ),
        (None, Some(version)) => (Some(version.clone()), CurrentSource::Files),
        (None, None) => (None, CurrentSource::None),
    })
}

/// Whether every file already states the exact version requested, above the last release.
fn prepared_ahead(
    request: &BumpRequest,
    last_release: Option<&VersionTag>,
    found: &[version_files::FoundVersion],
) -> bool {
    let (BumpRequest::Exact(requested), Some(tag)) = (request, last_release) else {
        return false;
    };
    !found.is_empty()
        && found.iter().all(|found| found.agrees_with(requested))
        && tag.version.cmp_precedence(requested).is_lt()
}

/// The version the files state, read from the first source written in SemVer (a PEP 440 form
/// such as `1.3.0a1` does not say whether the channel is `a` or `alpha`), else the first source.
pub(crate) fn files_version(found: &[version_files::FoundVersion]) -> Option<&semver::Version> {
    found
        .iter()
        .find(|found| found.form == version_files::VersionForm::SemVer)
        .or_else(|| found.first())
        .map(|found| &found.version)
}

/// Every version source and what it says, one per line, for a disagreement.
fn sources_table(
    last_release: Option<&VersionTag>,
    found: &[version_files::FoundVersion],
) -> String {
    let mut rows: Vec<(String, String)> = found
        .iter()
        .map(|found| (source_label(found), found.written.clone()))
        .collect();
    if let Some(tag) = last_release {
        rows.push((format!("tag {}", tag.name), tag.version.to_string()));
    }
    let width = rows
        .iter()
        .map(|(source, _)| source.len())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(source, version)| format!("  {source:<width$}  {version}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One version source and what it says, for the sync plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceRow {
    /// `path line N (field)`, or `tag vX.Y.Z`.
    pub source: String,
    /// The version as written there.
    pub written: String,
}

/// Aligning every version source to the highest one: its own change, reviewed and committed
/// apart from any release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncPlan {
    /// Every source and what it says now.
    pub sources: Vec<SourceRow>,
    /// The highest version among them, which every file will say.
    pub target_version: semver::Version,
    /// The last release tag, when there is one.
    pub last_tag: Option<String>,
    /// Whether the target is above the last release (the files then describe an unreleased
    /// version, released with `--bump <target>`).
    pub above_last_release: bool,
    /// Files written; empty when every source already agrees.
    pub files: Vec<PlannedFile>,
    /// Version files read but not written, with why.
    pub left_alone: Vec<LeftAlone>,
    /// The effects, in order; empty when there is nothing to do.
    pub steps: Vec<Step>,
}

/// Plans `relcut release --sync`: every version source, the tag included, moved to the highest
/// version any of them states. Pure.
pub fn plan_sync(
    settings: &Settings,
    last_release: Option<&VersionTag>,
    version_files: &ParsedFiles<'_>,
    head: &str,
) -> Result<SyncPlan> {
    let found = version_files.current_versions();
    let Some(target) = found
        .iter()
        .map(|found| &found.version)
        .chain(last_release.map(|tag| &tag.version))
        .max_by(|a, b| a.cmp_precedence(b).then_with(|| a.cmp(b)))
        .cloned()
    else {
        return Err(Error::Usage(String::from(
            "there is no version file to align; `--sync` needs at least one (see the version files section of the README)",
        )));
    };
    let edits = version_files.plan_edits(&target)?;
    let left_alone = left_alone(version_files, &edits, &target);
    let files: Vec<PlannedFile> = edits
        .into_iter()
        .map(|edit| planned_file(edit, true))
        .collect();
    let mut steps = Vec::new();
    if !files.is_empty() {
        let version = target.to_string();
        let tag = settings.tag_pattern.tag_name(&target);
        steps.push(Step::WriteFiles {
            paths: files.iter().map(|file| file.path.clone()).collect(),
        });
        steps.push(Step::Commit {
            message: render_message(
                &settings.sync_message,
                &[("version", version.as_str()), ("tag", tag.as_str())],
            ),
            parent: head.to_string(),
        });
    }
    let sources = found
        .iter()
        .map(|found| SourceRow {
            source: source_label(found),
            written: found.written.clone(),
        })
        .chain(last_release.map(|tag| SourceRow {
            source: format!("tag {}", tag.name),
            written: tag.version.to_string(),
        }))
        .collect();
    Ok(SyncPlan {
        sources,
        above_last_release: last_release
            .is_some_and(|tag| tag.version.cmp_precedence(&target).is_lt()),
        last_tag: last_release.map(|tag| tag.name.clone()),
        target_version: target,
        files,
        left_alone,
        steps,
    })
}

fn source_label(found: &version_files::FoundVersion) -> String {
    format!(
        "{} line {} ({})",
        found.path.display(),
        found.line,
        found.field
    )
}

/// Decides the whole release.
pub fn plan_release(inputs: &ReleaseInputs<'_>) -> Result<Plan> {
    let settings = inputs.settings;
    let analysis = cliff_bump::analyze(inputs.commits, inputs.changelog_commits, settings);
    let found = inputs.version_files.current_versions();
    if let Some(observed) = inputs.observed
        && let Some(plan) = resume::plan_from_release_commit(inputs, observed, found)?
    {
        return Ok(plan);
    }
    if let Some(plan) = finish_push_of_tagged_head(inputs, &analysis) {
        return Ok(plan);
    }
    let (current, current_source) = match agreed_version(inputs.last_release, found) {
        // The files were moved ahead of the tag on purpose (by `--sync`, or by hand) and the
        // user names that version: releasing it is what they ask for.
        Err(Error::VersionsDisagree { .. })
            if prepared_ahead(inputs.request, inputs.last_release, found) =>
        {
            let tag = inputs.last_release.expect("checked by prepared_ahead");
            (
                Some(tag.version.clone()),
                CurrentSource::Tag(tag.name.clone()),
            )
        }
        other => other?,
    };

    let (next, reason) = decide_version(
        current.as_ref(),
        inputs.last_stable.map(|tag| &tag.version),
        inputs.request,
        inputs.pre,
        &analysis,
        settings,
        inputs.taken,
    )?;

    let tag = settings.tag_pattern.tag_name(&next);
    let previous_tag = inputs.last_release.map(|tag| tag.name.clone());
    let edits = inputs.version_files.plan_edits(&next)?;
    let left_alone = left_alone(inputs.version_files, &edits, &next);
    let mut files: Vec<PlannedFile> = edits
        .into_iter()
        .map(|edit| planned_file(edit, true))
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
                    reason: String::from("the changelog"),
                    before: inputs.changelog_existing.unwrap_or_default().to_string(),
                    after: outcome.text,
                },
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
            parent: inputs.head.to_string(),
        });
    }
    steps.push(Step::Tag {
        name: tag.clone(),
        message: tag_message,
        signed: inputs.sign,
        target: if files.is_empty() {
            TagTarget::Commit(inputs.head.to_string())
        } else {
            TagTarget::ReleaseCommit
        },
    });
    steps.extend(inputs.push_step(&tag));

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
        left_alone,
        changelog,
        notes: section.notes,
        steps,
        resumes: None,
    })
}

/// The plan that finishes a release tagged at HEAD whose push an earlier run did not complete:
/// the tag is there (its step is found done) and the push is not. A release with files is
/// finished from its release commit (`resume`); this is the release without files, tagged where
/// it was planned, which would otherwise be "nothing to release". `None` when the last release
/// is not at HEAD, the remote has it, or the bump asks for another version.
fn finish_push_of_tagged_head(
    inputs: &ReleaseInputs<'_>,
    analysis: &CommitAnalysis,
) -> Option<Plan> {
    let push = inputs.push?;
    let last = inputs.last_release?;
    if (push.last_release_pushed && !push.publishes) || last.commit.to_string() != inputs.head {
        return None;
    }
    let asks_for_it = match inputs.request {
        BumpRequest::Auto => inputs.pre.is_none(),
        BumpRequest::Exact(version) => *version == last.version,
        _ => false,
    };
    if !asks_for_it {
        return None;
    }
    let (_, tag_message) = messages(inputs.settings, &last.version, None, None);
    let mut steps = vec![Step::Tag {
        name: last.name.clone(),
        message: tag_message,
        signed: inputs.sign,
        target: TagTarget::Commit(inputs.head.to_string()),
    }];
    steps.extend(inputs.push_step(&last.name));
    Some(Plan {
        current_version: Some(last.version.clone()),
        current_source: CurrentSource::Tag(last.name.clone()),
        next_version: last.version.clone(),
        prerelease: !last.version.pre.is_empty(),
        reason: if push.last_release_pushed {
            format!(
                "HEAD ({}) is tagged {}, which `{}` has; its GitHub release is finished if an earlier run left it incomplete.",
                &inputs.head[..inputs.head.len().min(7)],
                last.name,
                push.target.remote
            )
        } else {
            format!(
                "HEAD ({}) is tagged {} by an earlier run whose push to `{}` did not complete; the push is finished.",
                &inputs.head[..inputs.head.len().min(7)],
                last.name,
                push.target.remote
            )
        },
        previous_tag: Some(last.name.clone()),
        tag: last.name.clone(),
        commits: analysis.clone(),
        files: Vec::new(),
        left_alone: Vec::new(),
        changelog: None,
        notes: String::new(),
        steps,
        resumes: Some(inputs.head.to_string()),
    })
}

/// The next version and why: version arithmetic on the current version, or the first release.
/// `taken`: the versions of every release tag, here or on the remote, reachable or not; a
/// computed prerelease goes on past them (a version typed in is the checks' business).
pub fn decide_version(
    current: Option<&semver::Version>,
    last_stable: Option<&semver::Version>,
    request: &BumpRequest,
    pre: Option<&str>,
    analysis: &CommitAnalysis,
    settings: &Settings,
    taken: &[semver::Version],
) -> Result<(semver::Version, String)> {
    let (next, reason) = computed_version(current, last_stable, request, pre, analysis, settings)?;
    if matches!(request, BumpRequest::Exact(_)) {
        return Ok((next, reason));
    }
    match version::first_untaken(next, taken) {
        (next, Some(skipped)) => {
            let reason = format!(
                "{reason} `{skipped}` is tagged already, on a commit HEAD does not reach (another branch), so the counter goes on to `{next}`."
            );
            Ok((next, reason))
        }
        (next, None) => Ok((next, reason)),
    }
}

fn computed_version(
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
        version::VersionError::NothingToRelease => Error::NothingToRelease(
            nothing_to_release_message(analysis, Some(current), &settings.version_policy),
        ),
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
            None,
            &settings.version_policy,
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

/// The sentence for "nothing to release", naming what was found instead and how to go on from
/// where the project is: after a prerelease that is the next prerelease or the promotion, never
/// `--bump patch`, which would skip past the version being prepared.
pub fn nothing_to_release_message(
    analysis: &CommitAnalysis,
    current: Option<&semver::Version>,
    policy: &version::VersionPolicy,
) -> String {
    use commits::CommitKind;
    let total = analysis.commits.len();
    let prerelease = current.filter(|version| !version.pre.is_empty());
    let mut message = if total == 0 {
        match prerelease {
            Some(version) => format!("nothing to release: there are no commits since {version}"),
            None => String::from("nothing to release: there are no commits since the last release"),
        }
    } else {
        format!(
            "nothing to release: none of the {total} commit{} since the last release asks for a new version",
            if total == 1 { "" } else { "s" }
        )
    };
    let unconventional = analysis.of_kind(CommitKind::NonConventional).count();
    if unconventional > 0 {
        message.push_str(&format!(
            " ({unconventional} {} not a Conventional Commit)",
            if unconventional == 1 { "is" } else { "are" }
        ));
    }
    let Some(current) = prerelease else {
        if total > 0 {
            message.push_str("; use `--bump patch` (or minor, major, X.Y.Z) to release anyway");
        }
        return message;
    };
    let promoted = semver::Version::new(current.major, current.minor, current.patch);
    let next_pre = version::next_version(
        &BumpInput {
            current,
            last_stable: None,
            request: &BumpRequest::Prerelease,
            commits_level: None,
            pre: None,
        },
        policy,
    );
    match next_pre {
        // A second prerelease of the same commits would only repeat the first.
        Ok(next) if total > 0 => message.push_str(&format!(
            "; `--bump prerelease` makes the next prerelease ({}), `--bump release` promotes {current} to {promoted}",
            next.version
        )),
        _ => message.push_str(&format!(
            "; `--bump release` promotes {current} to {promoted}"
        )),
    }
    message
}

/// The release commit's and the tag's messages for `next`.
pub(crate) fn messages(
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

pub(crate) fn left_alone(
    files: &ParsedFiles<'_>,
    edits: &[FileEdit],
    new: &semver::Version,
) -> Vec<LeftAlone> {
    files
        .left_alone(edits, new)
        .into_iter()
        .map(|(path, reason)| LeftAlone { path, reason })
        .collect()
}

pub(crate) fn planned_file(edit: FileEdit, exists: bool) -> PlannedFile {
    let diff = diff::unified(&edit.path, &edit.before, &edit.after, exists);
    PlannedFile {
        path: edit.path,
        reason: edit.reason,
        before: edit.before,
        exists,
        after: edit.after,
        diff,
    }
}

#[cfg(test)]
mod leaf_tests {
    /// Every module under `src/plan`, outside its tests, imports only `crate::plan` and touches
    /// neither the file system, the environment nor other processes.
    #[test]
    fn plan_is_a_leaf() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/plan");
        let mut files = vec![root];
        let mut offenders = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .map(|entry| entry.unwrap().path()),
                );
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name.ends_with("_tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (index, line) in code.lines().enumerate() {
                let line = line.split("//").next().unwrap_or_default();
                let foreign = line
                    .match_indices("crate::")
                    .any(|(at, _)| !line[at + "crate::".len()..].starts_with("plan"));
                let effect = ["std::fs", "std::env", "std::process", "std::net"]
                    .iter()
                    .any(|module| line.contains(module));
                if foreign || effect {
                    offenders.push(format!("{}:{}: {}", path.display(), index + 1, line.trim()));
                }
            }
        }
        assert!(offenders.is_empty(), "{}", offenders.join("\n"));
    }
}

#[cfg(test)]
mod nothing_to_release_tests {
    use super::commits::analyze;
    use super::conventional::BumpRules;
    use super::history::{Person, RawCommit};
    use super::nothing_to_release_message;
    use super::version::VersionPolicy;

    fn commits(messages: &[&str]) -> Vec<RawCommit> {
        let person = Person {
            name: Some(String::from("A")),
            email: Some(String::from("a@example.com")),
            time: 0,
        };
        messages
            .iter()
            .enumerate()
            .map(|(index, message)| RawCommit {
                id: format!("{index:040}"),
                message: (*message).to_string(),
                author: person.clone(),
                committer: person.clone(),
                parent_count: 1,
                statistics: None,
                parents: Vec::new(),
            })
            .collect()
    }

    fn message(current: &str, messages: &[&str]) -> String {
        let analysis = analyze(&commits(messages), &BumpRules::default());
        let current = semver::Version::parse(current).unwrap();
        nothing_to_release_message(&analysis, Some(&current), &VersionPolicy::default())
    }

    #[test]
    fn after_a_prerelease_it_offers_the_next_prerelease_and_the_promotion_not_a_patch() {
        let text = message("1.3.0-rc.1", &["chore: tidy", "docs: typo"]);
        assert!(
            text.ends_with(
                "; `--bump prerelease` makes the next prerelease (1.3.0-rc.2), `--bump release` promotes 1.3.0-rc.1 to 1.3.0"
            ),
            "{text}"
        );
        assert!(!text.contains("--bump patch"), "{text}");
    }

    #[test]
    fn with_no_commit_since_a_prerelease_it_offers_only_the_promotion() {
        let text = message("2.0.0-beta.3", &[]);
        assert_eq!(
            text,
            "nothing to release: there are no commits since 2.0.0-beta.3; `--bump release` promotes 2.0.0-beta.3 to 2.0.0"
        );
    }

    #[test]
    fn after_a_stable_release_it_offers_a_level() {
        let text = message("1.2.3", &["chore: tidy", "wip"]);
        assert_eq!(
            text,
            "nothing to release: none of the 2 commits since the last release asks for a new version (1 is not a Conventional Commit); use `--bump patch` (or minor, major, X.Y.Z) to release anyway"
        );
        assert_eq!(
            message("1.2.3", &[]),
            "nothing to release: there are no commits since the last release"
        );
    }
}
