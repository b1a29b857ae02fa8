//! The GitHub release a plan publishes: its name, its notes cut to GitHub's limit, whether it is
//! a prerelease or the latest release, and its assets. Pure: the asset files were found and
//! measured, and the other versions read, before planning.

use std::path::PathBuf;

use crate::plan::template::render_message;

/// GitHub refuses a release body longer than this many characters.
pub const BODY_LIMIT: usize = 125_000;

/// The release on the forge, as the publish step creates it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReleaseSpec {
    /// The repository, `OWNER/NAME`.
    pub repository: String,
    /// The tag the release is for.
    pub tag: String,
    /// The release's title.
    pub name: String,
    /// The release notes as sent: the changelog section without its heading, cut to GitHub's
    /// limit.
    pub body: String,
    /// Whether the notes were cut to fit.
    pub notes_cut: bool,
    /// Marked as a prerelease.
    pub prerelease: bool,
    /// Left as a draft (`--draft`).
    pub draft: bool,
    /// Marked as the repository's latest release.
    pub latest: bool,
    /// Files uploaded to it, in order.
    pub assets: Vec<PlannedAsset>,
}

/// A file attached to the release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedAsset {
    /// The file, relative to the repository root or absolute.
    pub path: PathBuf,
    /// The asset's name on the release: the file's name.
    pub name: String,
    /// Its size in bytes, as found when planning; an upload of another size is not this asset.
    pub size: u64,
    /// The media type it is uploaded with.
    pub content_type: String,
}

/// Where a published release's notes came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "path")]
pub enum NotesSource {
    /// The version's section of this changelog file, at the release commit.
    Changelog(PathBuf),
    /// Rendered from the commits since the previous release (the changelog has no section).
    Commits,
}

/// What the release's choices are made from.
pub struct ReleaseChoices<'a> {
    /// `OWNER/NAME`.
    pub repository: &'a str,
    /// The title's template (`{{version}}`, `{{tag}}`).
    pub name_template: &'a str,
    /// `--draft`.
    pub draft: bool,
    /// The asset files, found and measured.
    pub assets: Vec<PlannedAsset>,
    /// Where the whole changelog can be read, for notes that are cut.
    pub changelog_url: Option<String>,
    /// Every other release version the repository has (its version tags).
    pub other_versions: &'a [semver::Version],
}

/// The release for `version` at `tag` with `notes`.
pub fn release_spec(
    version: &semver::Version,
    tag: &str,
    notes: &str,
    choices: ReleaseChoices<'_>,
) -> ReleaseSpec {
    let shown_version = version.to_string();
    let (body, notes_cut) = cut_notes(notes, BODY_LIMIT, choices.changelog_url.as_deref());
    ReleaseSpec {
        repository: choices.repository.to_string(),
        tag: tag.to_string(),
        name: render_message(
            choices.name_template,
            &[("version", shown_version.as_str()), ("tag", tag)],
        ),
        body,
        notes_cut,
        prerelease: !version.pre.is_empty(),
        draft: choices.draft,
        latest: is_latest(version, choices.other_versions),
        assets: choices.assets,
    }
}

/// Whether `version` is to be the repository's latest release: a stable version above every
/// other stable one. A patch of an older line (a maintenance branch) and a prerelease are not.
pub fn is_latest(version: &semver::Version, others: &[semver::Version]) -> bool {
    version.pre.is_empty()
        && others
            .iter()
            .filter(|other| other.pre.is_empty())
            .all(|other| other.cmp_precedence(version).is_le())
}

/// `notes` cut at a line boundary so that they and a closing line fit in `limit` characters;
/// a code fence left open by the cut is closed, so the rest of the page does not render as
/// code. Returns the body and whether it was cut.
pub fn cut_notes(notes: &str, limit: usize, changelog_url: Option<&str>) -> (String, bool) {
    if notes.chars().count() <= limit {
        return (notes.to_string(), false);
    }
    let closing = match changelog_url {
        Some(url) => format!(
            "\n\n---\n\nThese notes are cut at GitHub's limit of {limit} characters; read them whole in [CHANGELOG.md]({url})."
        ),
        None => format!(
            "\n\n---\n\nThese notes are cut at GitHub's limit of {limit} characters; read them whole in CHANGELOG.md."
        ),
    };
    // Room for the closing line and a fence that may have to be closed.
    let room = limit.saturating_sub(closing.chars().count() + "\n```".len());
    let mut kept = String::new();
    let mut count = 0;
    let mut open_fence: Option<String> = None;
    for line in notes.split_inclusive('\n') {
        let length = line.chars().count();
        if count + length > room {
            break;
        }
        count += length;
        kept.push_str(line);
        let trimmed = line.trim_start();
        let fence: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        if fence.len() >= 3 && fence.chars().all(|c| c == fence.chars().next().unwrap()) {
            match &open_fence {
                Some(open) if fence.starts_with(open.as_str()) && trimmed.trim() == fence => {
                    open_fence = None
                }
                Some(_) => {}
                None => open_fence = Some(fence),
            }
        }
    }
    let mut body = kept.trim_end_matches('\n').to_string();
    if let Some(fence) = open_fence {
        body.push('\n');
        body.push_str(&fence);
    }
    body.push_str(&closing);
    (body, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> semver::Version {
        semver::Version::parse(text).unwrap()
    }

    #[test]
    fn only_the_highest_stable_version_is_latest() {
        // (version, the other versions, latest)
        let rows: &[(&str, &[&str], bool)] = &[
            ("1.0.0", &[], true),
            ("1.3.0", &["1.2.0", "0.9.0"], true),
            ("1.3.0", &["1.2.0", "2.0.0-rc.1"], true),
            ("1.2.4", &["1.2.3", "1.3.0"], false),
            ("2.0.0-rc.1", &["1.3.0"], false),
            ("2.0.0-rc.1", &[], false),
            ("1.3.0", &["1.3.0"], true),
            ("1.3.0", &["1.3.0+build.2"], true),
        ];
        for (released, others, latest) in rows {
            let others: Vec<_> = others.iter().map(|text| version(text)).collect();
            assert_eq!(
                is_latest(&version(released), &others),
                *latest,
                "{released} {others:?}"
            );
        }
    }

    #[test]
    fn notes_within_the_limit_are_sent_whole() {
        let (body, cut) = cut_notes("### Added\n\n- a\n", 100, Some("https://x"));
        assert_eq!(body, "### Added\n\n- a\n");
        assert!(!cut);
    }

    #[test]
    fn long_notes_are_cut_at_a_line_with_a_link_to_the_changelog() {
        let notes: String = (0..200).map(|n| format!("- change number {n}\n")).collect();
        let (body, cut) = cut_notes(
            &notes,
            1_000,
            Some("https://github.com/o/r/blob/v1.0.0/CHANGELOG.md"),
        );
        assert!(cut);
        assert!(body.chars().count() <= 1_000, "{}", body.chars().count());
        assert!(body.ends_with("[CHANGELOG.md](https://github.com/o/r/blob/v1.0.0/CHANGELOG.md)."));
        let kept = body.split("\n\n---\n\n").next().unwrap();
        assert!(
            kept.lines()
                .all(|line| line.starts_with("- change number ")),
            "{kept}"
        );
        assert!(notes.starts_with(kept));
    }

    #[test]
    fn a_cut_inside_a_code_block_closes_the_fence() {
        let mut notes = String::from("- breaking\n\n```toml\n");
        notes.extend((0..300).map(|n| format!("key{n} = {n}\n")));
        notes.push_str("```\n");
        let (body, cut) = cut_notes(&notes, 2_000, None);
        assert!(cut);
        assert!(body.chars().count() <= 2_000);
        let fences = body.lines().filter(|line| line.starts_with("```")).count();
        assert_eq!(fences, 2, "{body}");
        assert!(body.ends_with("read them whole in CHANGELOG.md."));
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let notes = "é".repeat(90) + "\n";
        let (_, cut) = cut_notes(&notes, 100, None);
        assert!(!cut, "90 characters fit in 100 although they are 180 bytes");
    }

    #[test]
    fn the_spec_names_the_release_and_marks_prereleases() {
        let spec = release_spec(
            &version("2.0.0-rc.1"),
            "v2.0.0-rc.1",
            "- a\n",
            ReleaseChoices {
                repository: "o/r",
                name_template: "Rocket {{version}}",
                draft: false,
                assets: Vec::new(),
                changelog_url: None,
                other_versions: &[version("1.0.0")],
            },
        );
        assert_eq!(spec.name, "Rocket 2.0.0-rc.1");
        assert!(spec.prerelease);
        assert!(!spec.latest);
        assert_eq!(spec.body, "- a\n");
    }
}
