//! Finishing a release that an earlier run began: whether HEAD is the release commit of a
//! version, told from what the repository shows (HEAD's files and its parent's, the changelog,
//! the tags), never from what the last run remembers. Pure.
//!
//! HEAD is the release commit of version V when it changed only release files (version files
//! and the changelog), its version files say V where its parent's said the previous release's
//! version, and the changelog gained V's section (with the changelog turned off, the message
//! must start as the release commit's does). A reworded message, a lost tag or a step that
//! failed after the commit then give a plan whose done steps the executor skips.

use std::path::{Path, PathBuf};

use crate::plan::changelog::{self, Section};
use crate::plan::cliff_bump;
use crate::plan::commits::CommitAnalysis;
use crate::plan::error::{PlanError as Error, Result};
use crate::plan::history::{RawCommit, VersionTag};
use crate::plan::policy::ReleasePolicy;
use crate::plan::version::BumpRequest;
use crate::plan::version_files::{FileEdit, FoundVersion, ParsedFiles, SourceFile};
use crate::plan::{
    ChangelogPlan, CurrentSource, Plan, ReleaseInputs, Step, TagTarget, decide_version,
    files_version, left_alone, messages, planned_file,
};

/// HEAD as git shows it, with what its parent held, for telling whether it is a release commit.
pub struct ObservedHead<'a> {
    /// HEAD's id.
    pub id: &'a str,
    /// HEAD's only parent.
    pub parent: &'a str,
    /// HEAD's message.
    pub message: &'a str,
    /// The paths HEAD changed against its parent.
    pub changed_paths: &'a [PathBuf],
    /// The version files as the parent has them (the same paths as the work tree's).
    pub parent_files: &'a [SourceFile],
    /// The changelog as the parent has it.
    pub parent_changelog: Option<&'a str>,
    /// The release before HEAD's: the highest release tag reachable from the parent.
    pub previous: Option<&'a VersionTag>,
    /// When `previous` is a prerelease, the highest stable release below it.
    pub previous_stable: Option<&'a VersionTag>,
    /// The commits from `previous` to the parent, newest first.
    pub commits: &'a [RawCommit],
    /// The release tag at HEAD, when HEAD is tagged.
    pub tag_at_head: Option<&'a VersionTag>,
}

/// Whether HEAD's change could be a release commit at all: it changed something, and only
/// files a release writes. Cheap, so that the parent's files are read only when it holds.
pub fn may_be_release_commit(
    changed_paths: &[PathBuf],
    version_files: &[SourceFile],
    changelog: Option<&Path>,
) -> bool {
    !changed_paths.is_empty()
        && changed_paths.iter().all(|path| {
            changelog == Some(path.as_path()) || version_files.iter().any(|file| file.path == *path)
        })
}

/// The plan that finishes the release HEAD is the commit of, or `None` when HEAD is not a
/// release commit (then the release is planned as new). A bump request that names another
/// version than the unfinished one is an error: finishing one release and starting another
/// at once would hide one of them.
pub fn plan_from_release_commit(
    inputs: &ReleaseInputs<'_>,
    observed: &ObservedHead<'_>,
    found_at_head: &[FoundVersion],
) -> Result<Option<Plan>> {
    let settings = inputs.settings;
    let changelog_path = settings.changelog_file.as_deref();
    if !may_be_release_commit(
        observed.changed_paths,
        inputs.version_files.files(),
        changelog_path,
    ) {
        return Ok(None);
    }
    let Some(version) =
        unfinished_version(settings, inputs.changelog_existing, observed, found_at_head)
    else {
        return Ok(None);
    };
    if observed
        .tag_at_head
        .is_some_and(|tag| tag.version != version)
    {
        return Ok(None);
    }
    let analysis = cliff_bump::analyze(observed.commits, observed.commits, settings);
    let previous_version = observed.previous.map(|tag| tag.version.clone());
    if !request_names(inputs, observed, &analysis, &version) {
        if observed.tag_at_head.is_some() {
            // A finished release and a request for another: plan it as new.
            return Ok(None);
        }
        return Err(Error::Usage(format!(
            "HEAD ({}) is the release commit of {version}, made by an earlier run that did not finish; the bump asked for names another version. Run `relcut release` without `--bump` (or with `--bump {version}`) to finish {version}, or drop the release commit (`git reset --hard HEAD^`) to release another version",
            short(observed.id)
        )));
    }

    let tag = settings.tag_pattern.tag_name(&version);
    let previous_tag = observed.previous.map(|tag| tag.name.clone());
    let (_, tag_message) = messages(
        settings,
        &version,
        previous_version.as_ref(),
        previous_tag.as_deref(),
    );
    let edits = committed_edits(inputs, observed);
    let left_alone = left_alone(inputs.version_files, &edits, &version);
    let files: Vec<_> = edits
        .into_iter()
        .map(|edit| {
            let existed = before_text(inputs, observed, &edit.path).is_some();
            planned_file(edit, existed)
        })
        .collect();
    let section = changelog_path
        .and(inputs.changelog_existing)
        .and_then(|text| changelog::section_of(text, &version));
    let changelog = changelog_path
        .zip(section.as_ref())
        .map(|(path, section)| ChangelogPlan {
            path: path.to_path_buf(),
            section: section.text.clone(),
            replaces_unreleased: false,
        });
    let push_step = inputs.push_step(&tag);
    let state = if observed.tag_at_head.is_some() {
        "is tagged"
    } else {
        "has no tag yet"
    };
    Ok(Some(Plan {
        current_source: match observed.previous {
            Some(tag) => CurrentSource::Tag(tag.name.clone()),
            None => CurrentSource::None,
        },
        current_version: previous_version,
        prerelease: !version.pre.is_empty(),
        reason: format!(
            "HEAD ({}) is the release commit of {version}, made by an earlier run, and {state}; the steps already done are skipped.",
            short(observed.id)
        ),
        next_version: version,
        previous_tag,
        tag: tag.clone(),
        commits: analysis,
        steps: [
            Step::WriteFiles {
                paths: files.iter().map(|file| file.path.clone()).collect(),
            },
            Step::Commit {
                message: observed.message.to_string(),
                parent: observed.parent.to_string(),
            },
            Step::Tag {
                name: tag,
                message: tag_message,
                signed: inputs.sign,
                target: TagTarget::ReleaseCommit,
            },
        ]
        .into_iter()
        .chain(push_step)
        .collect(),
        files,
        left_alone,
        changelog,
        notes: section
            .map(|section: Section| section.notes)
            .unwrap_or_default(),
        resumes: Some(observed.id.to_string()),
    }))
}

/// The version HEAD is the release commit of, when its files and the changelog say it is one
/// (tagged or not).
pub fn unfinished_version(
    settings: &ReleasePolicy,
    head_changelog: Option<&str>,
    observed: &ObservedHead<'_>,
    found_at_head: &[FoundVersion],
) -> Option<semver::Version> {
    let version = match files_version(found_at_head) {
        Some(version) => {
            if found_at_head
                .iter()
                .any(|found| !found.agrees_with(version))
            {
                return None;
            }
            version.clone()
        }
        // Without version files, the changelog's newest section names the version.
        None => newest_new_section(head_changelog?, observed.parent_changelog)?,
    };
    if observed
        .previous
        .is_some_and(|previous| previous.version.cmp_precedence(&version).is_ge())
    {
        return None;
    }
    // The parent is the previous release's line: its files say the previous version.
    let parent_files = ParsedFiles::parse(observed.parent_files).ok()?;
    let found_at_parent = parent_files.current_versions();
    let parent_agrees = match observed.previous {
        Some(previous) => found_at_parent
            .iter()
            .all(|found| found.agrees_with(&previous.version)),
        None => found_at_parent
            .iter()
            .all(|found| found.version.cmp_precedence(&version).is_lt()),
    };
    if !parent_agrees {
        return None;
    }
    let evidence = match settings.changelog_file {
        Some(_) => {
            head_changelog.is_some_and(|text| changelog::section_of(text, &version).is_some())
                && observed
                    .parent_changelog
                    .is_none_or(|text| changelog::section_of(text, &version).is_none())
        }
        // Without a changelog, files alone cannot tell a release commit from a commit that
        // moved the files ahead by hand or by `--sync`; the message can.
        None => {
            let previous_version = observed.previous.map(|tag| tag.version.clone());
            let previous_tag = observed.previous.map(|tag| tag.name.clone());
            let (commit_message, _) = messages(
                settings,
                &version,
                previous_version.as_ref(),
                previous_tag.as_deref(),
            );
            !found_at_head.is_empty() && observed.message.starts_with(commit_message.trim_end())
        }
    };
    evidence.then_some(version)
}

/// The version of the first section in `head` whose version `parent` has no section for.
fn newest_new_section(head: &str, parent: Option<&str>) -> Option<semver::Version> {
    let version_pattern =
        regex::Regex::new(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
            .expect("a valid pattern");
    head.lines()
        .filter(|line| line.starts_with("## "))
        .filter_map(|line| version_pattern.find(line))
        .filter_map(|found| semver::Version::parse(found.as_str()).ok())
        .find(|version| parent.is_none_or(|text| changelog::section_of(text, version).is_none()))
}

/// Whether the bump asked for names `version` (the default, `auto`, finishes whatever is
/// unfinished).
fn request_names(
    inputs: &ReleaseInputs<'_>,
    observed: &ObservedHead<'_>,
    analysis: &CommitAnalysis,
    version: &semver::Version,
) -> bool {
    match inputs.request {
        BumpRequest::Auto if inputs.pre.is_none() => true,
        BumpRequest::Exact(requested) => requested == version,
        request => decide_version(
            observed.previous.map(|tag| &tag.version),
            observed.previous_stable.map(|tag| &tag.version),
            request,
            inputs.pre,
            analysis,
            inputs.settings,
            inputs.taken,
        )
        .is_ok_and(|(next, _)| next == *version),
    }
}

/// What HEAD changed, as file edits from the parent's text to HEAD's, in the order a release
/// writes them (version files, then the changelog).
fn committed_edits(inputs: &ReleaseInputs<'_>, observed: &ObservedHead<'_>) -> Vec<FileEdit> {
    let mut edits = Vec::new();
    for file in inputs.version_files.files() {
        if observed.changed_paths.contains(&file.path) {
            edits.push(FileEdit {
                path: file.path.clone(),
                reason: String::from("written by the release commit"),
                before: before_text(inputs, observed, &file.path).unwrap_or_default(),
                after: file.text.clone(),
            });
        }
    }
    if let Some(path) = &inputs.settings.changelog_file
        && observed.changed_paths.contains(path)
    {
        edits.push(FileEdit {
            path: path.clone(),
            reason: String::from("the changelog"),
            before: observed.parent_changelog.unwrap_or_default().to_string(),
            after: inputs.changelog_existing.unwrap_or_default().to_string(),
        });
    }
    edits
}

fn before_text(
    inputs: &ReleaseInputs<'_>,
    observed: &ObservedHead<'_>,
    path: &Path,
) -> Option<String> {
    if inputs.settings.changelog_file.as_deref() == Some(path) {
        return observed.parent_changelog.map(String::from);
    }
    observed
        .parent_files
        .iter()
        .find(|file| file.path == path)
        .map(|file| file.text.clone())
}

fn short(id: &str) -> &str {
    &id[..id.len().min(7)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::{Origin, VersionFileKind};

    fn version_file(text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("VERSION"),
            kind: VersionFileKind::PlainVersion,
            origin: Origin::Detected,
            text: text.to_string(),
        }
    }

    fn tag(version: &str) -> VersionTag {
        VersionTag {
            name: format!("v{version}"),
            version: semver::Version::parse(version).unwrap(),
            commit: git2::Oid::ZERO_SHA1,
        }
    }

    /// One row: HEAD's VERSION and changelog, the parent's, HEAD's message, the changed paths,
    /// whether the changelog is on, and the version HEAD is found to release.
    struct Row {
        head: (&'static str, &'static str),
        parent: (&'static str, &'static str),
        message: &'static str,
        changed: &'static [&'static str],
        changelog_on: bool,
        expected: Option<&'static str>,
    }

    #[test]
    fn a_release_commit_is_told_from_its_files_its_parent_and_the_changelog() {
        let section = "# Changelog\n\n## [1.3.0] - 2026-11-21\n\n- a\n\n## [1.2.3]\n";
        let before = "# Changelog\n\n## [1.2.3]\n";
        let rows = [
            // The release commit, as relcut makes it, reworded or not.
            Row {
                head: ("1.3.0\n", section),
                parent: ("1.2.3\n", before),
                message: "chore(release): v1.3.0",
                changed: &["VERSION", "CHANGELOG.md"],
                changelog_on: true,
                expected: Some("1.3.0"),
            },
            Row {
                head: ("1.3.0\n", section),
                parent: ("1.2.3\n", before),
                message: "release it all [skip ci]",
                changed: &["VERSION", "CHANGELOG.md"],
                changelog_on: true,
                expected: Some("1.3.0"),
            },
            // Only the changelog: the newest new section names the version.
            Row {
                head: ("", section),
                parent: ("", before),
                message: "x",
                changed: &["CHANGELOG.md"],
                changelog_on: true,
                expected: Some("1.3.0"),
            },
            // Files moved ahead without a changelog section: prepared by hand or `--sync`.
            Row {
                head: ("1.3.0\n", before),
                parent: ("1.2.3\n", before),
                message: "chore: bump",
                changed: &["VERSION"],
                changelog_on: true,
                expected: None,
            },
            // Another file changed too: a commit of work, not a release.
            Row {
                head: ("1.3.0\n", section),
                parent: ("1.2.3\n", before),
                message: "chore(release): v1.3.0",
                changed: &["VERSION", "CHANGELOG.md", "src/lib.rs"],
                changelog_on: true,
                expected: None,
            },
            // The parent is not at the previous release's version.
            Row {
                head: ("1.3.0\n", section),
                parent: ("1.2.9\n", before),
                message: "chore(release): v1.3.0",
                changed: &["VERSION", "CHANGELOG.md"],
                changelog_on: true,
                expected: None,
            },
            // Not above the last release.
            Row {
                head: ("1.2.3\n", section),
                parent: ("1.2.3\n", before),
                message: "chore(release): v1.2.3",
                changed: &["CHANGELOG.md"],
                changelog_on: true,
                expected: None,
            },
            // Without a changelog, the message decides.
            Row {
                head: ("1.3.0\n", ""),
                parent: ("1.2.3\n", ""),
                message: "chore(release): v1.3.0 [skip ci]",
                changed: &["VERSION"],
                changelog_on: false,
                expected: Some("1.3.0"),
            },
            Row {
                head: ("1.3.0\n", ""),
                parent: ("1.2.3\n", ""),
                message: "chore(release): align version files to 1.3.0",
                changed: &["VERSION"],
                changelog_on: false,
                expected: None,
            },
        ];
        let previous = tag("1.2.3");
        for (index, row) in rows.iter().enumerate() {
            let mut settings =
                crate::config::Settings::load_for_versions(Path::new("/nonexistent")).unwrap();
            if !row.changelog_on {
                settings.policy.changelog_file = None;
            }
            let head_files: Vec<_> = [row.head.0]
                .iter()
                .filter(|t| !t.is_empty())
                .map(|t| version_file(t))
                .collect();
            let parent_files: Vec<_> = [row.parent.0]
                .iter()
                .filter(|t| !t.is_empty())
                .map(|t| version_file(t))
                .collect();
            let changed: Vec<PathBuf> = row.changed.iter().map(PathBuf::from).collect();
            let observed = ObservedHead {
                id: "1111111",
                parent: "2222222",
                message: row.message,
                changed_paths: &changed,
                parent_files: &parent_files,
                parent_changelog: Some(row.parent.1),
                previous: Some(&previous),
                previous_stable: None,
                commits: &[],
                tag_at_head: None,
            };
            let found = crate::plan::version_files::current_versions(&head_files).unwrap();
            let changelog = settings.policy.changelog_file.as_deref();
            let version = may_be_release_commit(&changed, &head_files, changelog)
                .then(|| unfinished_version(&settings.policy, Some(row.head.1), &observed, &found))
                .flatten();
            assert_eq!(
                version.map(|version| version.to_string()).as_deref(),
                row.expected,
                "row {index}: {}",
                row.message
            );
        }
    }
}
