//! `relcut init`: the configuration and the workflows a project starts with, from what was
//! found in it. Pure: the command reads the project, this renders the files and decides, for
//! each, whether it is written.

use std::path::PathBuf;

/// The configuration, shipped in `templates/init/`; `@@name@@` marks each value filled in.
const RELCUT_TOML: &str = include_str!("../../templates/init/relcut.toml");
const RELEASE_YML: &str = include_str!("../../templates/init/release.yml");
const PUBLISH_YML: &str = include_str!("../../templates/init/publish.yml");
const DEPLOY_YML: &str = include_str!("../../templates/init/deploy.yml");

/// What `relcut init` found in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The version files a release writes, each with why (`Cargo.toml`, "Cargo manifest").
    pub version_files: Vec<(PathBuf, String)>,
    /// The files whose change on the release branch means a new version was merged: the files
    /// that state the version (lockfiles only follow them).
    pub publish_trigger: Vec<PathBuf>,
    /// The branch releases are cut from.
    pub branch: String,
    /// The release tags' pattern, `v{version}` unless the tags say otherwise.
    pub tag_pattern: String,
    /// The relcut the workflows install.
    pub relcut_version: String,
    /// With no version file found, the `VERSION` init writes, with this version in it.
    pub new_version_file: Option<String>,
}

/// One file `relcut init` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitFile {
    /// Relative to the repository root.
    pub path: PathBuf,
    /// What it says.
    pub text: String,
}

/// What becomes of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// It does not exist: it is written.
    Create,
    /// It exists with other text, and `--force` replaces it.
    Overwrite,
    /// It exists with other text and is kept.
    Keep,
    /// It already says exactly this.
    Unchanged,
}

impl Action {
    /// Whether the file is written.
    pub fn writes(self) -> bool {
        matches!(self, Action::Create | Action::Overwrite)
    }
}

/// Decides what becomes of a file that should say `text`, given what is there now.
pub fn action(existing: Option<&str>, text: &str, force: bool) -> Action {
    match existing {
        None => Action::Create,
        Some(existing) if existing == text => Action::Unchanged,
        Some(_) if force => Action::Overwrite,
        Some(_) => Action::Keep,
    }
}

/// The files of `relcut init`, in the order they are reported.
pub fn render(project: &Project) -> Vec<InitFile> {
    let tag = project
        .tag_pattern
        .replacen("{version}", "${{ inputs.version }}", 1);
    let listed = if project.version_files.is_empty() {
        String::from(
            "#   VERSION (written by `relcut init`, since no other version file was found)",
        )
    } else {
        project
            .version_files
            .iter()
            .map(|(path, why)| format!("#   {} ({why})", slashed(path)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let trigger: Vec<String> = if project.publish_trigger.is_empty() {
        vec![quoted("VERSION")]
    } else {
        project
            .publish_trigger
            .iter()
            .map(|path| quoted(&slashed(path)))
            .collect()
    };
    let fill = |template: &str| {
        template
            .replace("@@version_files@@", &listed)
            .replace("@@branches@@", &format!("[{}]", quoted(&project.branch)))
            .replace("@@tag_pattern@@", &quoted(&project.tag_pattern))
            .replace("@@branch_yaml@@", &quoted(&project.branch))
            .replace("@@version_file_yaml@@", &trigger.join(", "))
            .replace("@@tag_yaml@@", &quoted(&tag))
            .replace("@@relcut_version@@", &project.relcut_version)
    };
    let mut files = vec![
        InitFile {
            path: PathBuf::from("relcut.toml"),
            text: fill(RELCUT_TOML),
        },
        InitFile {
            path: PathBuf::from(".github/workflows/release.yml"),
            text: fill(RELEASE_YML),
        },
        InitFile {
            path: PathBuf::from(".github/workflows/publish.yml"),
            text: fill(PUBLISH_YML),
        },
        InitFile {
            path: PathBuf::from(".github/workflows/deploy.yml"),
            text: fill(DEPLOY_YML),
        },
    ];
    if let Some(version) = &project.new_version_file {
        files.push(InitFile {
            path: PathBuf::from("VERSION"),
            text: format!("{version}\n"),
        });
    }
    files
}

/// The tag pattern the existing tags follow: the literal before the version that most release
/// tags share (`v`, none, `release-`), `v{version}` when no tag is a version.
pub fn tag_pattern_of<'t>(tags: impl IntoIterator<Item = &'t str>) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for tag in tags {
        let Some(prefix) = version_prefix(tag) else {
            continue;
        };
        match counts.iter_mut().find(|(known, _)| known == prefix) {
            Some((_, count)) => *count += 1,
            None => counts.push((prefix.to_string(), 1)),
        }
    }
    // The most used; between equals, the one met first is as good as any, `v` is better.
    let best = counts
        .iter()
        .max_by_key(|(prefix, count)| (*count, prefix == "v"))
        .map_or("v", |(prefix, _)| prefix.as_str());
    format!("{best}{{version}}")
}

/// The part of a tag before a SemVer version that runs to its end, if there is one. The
/// version starts at a digit after a character that is not a digit or a dot, so `v1.2.3` is
/// `v` and `1.2.3`, never `v1.` and `2.3`.
fn version_prefix(tag: &str) -> Option<&str> {
    tag.char_indices()
        .filter(|(at, c)| {
            c.is_ascii_digit()
                && tag[..*at]
                    .chars()
                    .next_back()
                    .is_none_or(|before| !before.is_ascii_digit() && before != '.')
        })
        .find(|(at, _)| semver::Version::parse(&tag[*at..]).is_ok())
        .map(|(at, _)| &tag[..at])
}

/// A path as the files write it, with `/` whatever the system.
fn slashed(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A double-quoted string as JSON writes it, which is also a TOML basic string and a YAML
/// double-quoted scalar (JSON's escapes are valid in both).
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> Project {
        Project {
            version_files: vec![
                (PathBuf::from("Cargo.toml"), String::from("Cargo manifest")),
                (PathBuf::from("Cargo.lock"), String::from("Cargo lockfile")),
            ],
            publish_trigger: vec![PathBuf::from("Cargo.toml")],
            branch: String::from("main"),
            tag_pattern: String::from("v{version}"),
            relcut_version: String::from("1.2.3"),
            new_version_file: None,
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        for file in render(&project()) {
            assert!(!file.text.contains("@@"), "{}", file.path.display());
        }
        let with_version = Project {
            version_files: Vec::new(),
            publish_trigger: Vec::new(),
            new_version_file: Some(String::from("0.0.0")),
            ..project()
        };
        let files = render(&with_version);
        assert_eq!(files.last().unwrap().text, "0.0.0\n");
        assert!(files[2].text.contains("paths: [\"VERSION\"]"));
    }

    #[test]
    fn the_deploy_checks_out_the_tag_of_the_version() {
        let bare = Project {
            tag_pattern: String::from("release-{version}"),
            ..project()
        };
        let deploy = &render(&bare)[3].text;
        assert!(
            deploy.contains("ref: \"release-${{ inputs.version }}\""),
            "{deploy}"
        );
    }

    #[test]
    fn a_file_is_written_only_when_missing_or_forced() {
        assert_eq!(action(None, "a", false), Action::Create);
        assert_eq!(action(Some("a"), "a", false), Action::Unchanged);
        assert_eq!(action(Some("a"), "a", true), Action::Unchanged);
        assert_eq!(action(Some("b"), "a", false), Action::Keep);
        assert_eq!(action(Some("b"), "a", true), Action::Overwrite);
    }

    #[test]
    fn the_tag_pattern_follows_most_tags() {
        assert_eq!(tag_pattern_of([]), "v{version}");
        assert_eq!(tag_pattern_of(["latest", "v1.2"]), "v{version}");
        assert_eq!(tag_pattern_of(["1.0.0", "1.1.0", "v0.9.0"]), "{version}");
        assert_eq!(tag_pattern_of(["v1.0.0", "1.1.0"]), "v{version}");
        assert_eq!(
            tag_pattern_of(["release-2.0.0-rc.1", "release-2.0.0", "v1"]),
            "release-{version}"
        );
        assert_eq!(tag_pattern_of(["v10.20.30"]), "v{version}");
    }
}
