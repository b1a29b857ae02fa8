//! Version files: the files that hold the release version (`VERSION`, Cargo manifests,
//! `Cargo.lock`), what versions they declare, and their new text for a new version. Only
//! `discover.rs` reads the disk; everything reachable from [`current_versions`] and
//! [`plan_edits`] is pure and must stay so (no file system, no git, no clock).
//!
//! Adding a kind (package.json, pyproject.toml, pattern files): add a [`VersionFileKind`]
//! variant, a file `<kind>.rs` that parses one [`SourceFile`] into its versions and splices
//! (see `plain.rs` for a self-contained kind), recognise its file name in
//! [`VersionFileKind::for_path`] and in `discover`, and add one arm to each `match` on the kind
//! below. Kinds that depend on other files (like `Cargo.lock` on the manifests) get their context
//! from a cross-file model such as `workspace.rs`.

mod cargo_lock;
mod cargo_manifest;
mod discover;
mod error;
mod plain;
mod requirement;
mod text_edit;
mod toml_source;
mod workspace;

#[cfg(test)]
mod layout_tests;

use std::path::{Path, PathBuf};

use semver::Version;

pub use discover::{discover, load};
pub use error::VersionFileError;

use plain::PlainVersion;
use text_edit::{Splice, apply};
use workspace::Workspace;

/// What kind of file holds a version, which decides how it is read and edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionFileKind {
    /// A file that holds only the version, like `VERSION`: one version, optionally written
    /// `v1.2.3`, with any surrounding whitespace kept.
    PlainVersion,
    /// A `Cargo.toml`: `[package] version`, `[workspace.package] version`, and the requirements
    /// on path dependencies between workspace members.
    CargoManifest,
    /// A `Cargo.lock`: the entries of the workspace's own packages. Never a version source.
    CargoLock,
}

impl VersionFileKind {
    /// The kind a configured path most likely has, from its file name: `Cargo.toml`,
    /// `Cargo.lock`, and anything else is a plain version file.
    pub fn for_path(path: &Path) -> Self {
        match path.file_name().and_then(|name| name.to_str()) {
            Some("Cargo.toml") => Self::CargoManifest,
            Some("Cargo.lock") => Self::CargoLock,
            _ => Self::PlainVersion,
        }
    }
}

/// One file as read from disk: its path relative to the repository root, its kind and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the repository root, e.g. `crates/core/Cargo.toml`.
    pub path: PathBuf,
    /// How to read and edit it.
    pub kind: VersionFileKind,
    /// The whole file, exactly as read.
    pub text: String,
}

/// A version a file declares: where it is and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundVersion {
    /// The file, relative to the repository root.
    pub path: PathBuf,
    /// 1-based line of the version.
    pub line: usize,
    /// Which field holds it: `VERSION`, `package.version` or `workspace.package.version`.
    pub field: String,
    /// The version, with any prerelease and build metadata.
    pub version: Version,
}

/// The new text of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    /// The file, relative to the repository root.
    pub path: PathBuf,
    /// The text it has now (the [`SourceFile::text`] it was planned from).
    pub before: String,
    /// The text it must have.
    pub after: String,
}

/// The versions the files declare, in file order and then line order. Pure.
///
/// Sources are `VERSION`-like files, `[workspace.package] version`, and `[package] version`
/// written out in a manifest. Not sources: a member's `version.workspace = true` (it inherits),
/// a package without `version` (Cargo treats it as `0.0.0`, unpublishable, and relcut leaves it
/// alone), path-dependency requirements and `Cargo.lock` (those only follow the release). Whether
/// the sources agree is for the caller to check.
///
/// # Errors
///
/// A file that does not parse, a version that is not SemVer or has the wrong type, a
/// `version.workspace = true` with no workspace version among the files.
pub fn current_versions(files: &[SourceFile]) -> Result<Vec<FoundVersion>, VersionFileError> {
    let mut found = Vec::new();
    for (index, file) in files.iter().enumerate() {
        match file.kind {
            VersionFileKind::PlainVersion => {
                found.push((index, PlainVersion::parse(file)?.found(file)));
            }
            // Read together below: a manifest's meaning depends on the workspace.
            VersionFileKind::CargoManifest => {}
            VersionFileKind::CargoLock => cargo_lock::validate(file)?,
        }
    }
    found.extend(Workspace::from_files(files)?.found_versions());
    found.sort_by_key(|(index, found)| (*index, found.line));
    Ok(found.into_iter().map(|(_, found)| found).collect())
}

/// The edits that move every version source to `new`, with the files that follow it
/// (path-dependency requirements between members, `Cargo.lock`). Pure. Only files whose text
/// changes are returned, in the order of `files`.
///
/// Each edit replaces version strings and nothing else: comments, key order, whitespace and
/// quote style stay as they are.
///
/// # Errors
///
/// Everything [`current_versions`] reports, plus a requirement on a path dependency between
/// members that does not parse, or is a range that does not accept `new` (see `requirement.rs`
/// for the rewrite rule).
pub fn plan_edits(files: &[SourceFile], new: &Version) -> Result<Vec<FileEdit>, VersionFileError> {
    let workspace = Workspace::from_files(files)?;
    let mut splices: Vec<Vec<Splice>> = vec![Vec::new(); files.len()];
    for (index, file) in files.iter().enumerate() {
        match file.kind {
            VersionFileKind::PlainVersion => {
                splices[index].push(PlainVersion::parse(file)?.rewrite(new));
            }
            // Planned together below: requirements depend on which members are released.
            VersionFileKind::CargoManifest => {}
            VersionFileKind::CargoLock => {
                splices[index] =
                    cargo_lock::splices(file, &workspace.released_package_names(), new)?;
            }
        }
    }
    for (index, manifest_splices) in workspace.splices(new)? {
        splices[index].extend(manifest_splices);
    }

    Ok(files
        .iter()
        .zip(splices)
        .filter_map(|(file, file_splices)| {
            let after = apply(&file.text, file_splices);
            (after != file.text).then(|| FileEdit {
                path: file.path.clone(),
                before: file.text.clone(),
                after,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_is_inferred_from_the_file_name() {
        for (path, kind) in [
            ("Cargo.toml", VersionFileKind::CargoManifest),
            ("crates/core/Cargo.toml", VersionFileKind::CargoManifest),
            ("Cargo.lock", VersionFileKind::CargoLock),
            ("VERSION", VersionFileKind::PlainVersion),
            ("cargo.toml", VersionFileKind::PlainVersion),
            ("docs/version.txt", VersionFileKind::PlainVersion),
        ] {
            assert_eq!(VersionFileKind::for_path(Path::new(path)), kind, "{path}");
        }
    }

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind: VersionFileKind::for_path(Path::new(path)),
            text: text.to_owned(),
        }
    }

    fn version(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn current_versions_are_in_file_then_line_order() {
        let files = [
            file("VERSION", "1.2.3\n"),
            file(
                "Cargo.toml",
                "[package]\nname = \"root\"\nversion = \"1.2.3\"\n\n[workspace]\nmembers = [\"a\"]\n\n[workspace.package]\nversion = \"1.2.2\"\n",
            ),
            file(
                "a/Cargo.toml",
                "[package]\nname = \"a\"\nversion.workspace = true\n",
            ),
            file("Cargo.lock", "version = 4\n"),
        ];
        let found: Vec<_> = current_versions(&files)
            .unwrap()
            .into_iter()
            .map(|found| {
                format!(
                    "{}:{} {} = {}",
                    found.path.display(),
                    found.line,
                    found.field,
                    found.version
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                "VERSION:1 VERSION = 1.2.3",
                "Cargo.toml:3 package.version = 1.2.3",
                "Cargo.toml:9 workspace.package.version = 1.2.2",
            ]
        );
    }

    #[test]
    fn current_versions_checks_that_the_lock_parses() {
        let files = [file("Cargo.lock", "version = 4\n[[package]\n")];
        assert_eq!(
            current_versions(&files).unwrap_err().to_string(),
            "`Cargo.lock` line 2: invalid TOML: unclosed array table, expected `]`; fix the syntax and run again"
        );
    }

    #[test]
    fn only_changed_files_are_returned() {
        let files = [
            file("VERSION", "1.3.0\n"),
            file(
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"1.2.3\"\n",
            ),
            file("tools/Cargo.toml", "[package]\nname = \"tools\"\n"),
        ];
        let edits = plan_edits(&files, &version("1.3.0")).unwrap();
        assert_eq!(
            edits,
            [FileEdit {
                path: "Cargo.toml".into(),
                before: files[1].text.clone(),
                after: "[package]\nname = \"a\"\nversion = \"1.3.0\"\n".to_owned(),
            }]
        );
        assert_eq!(plan_edits(&files[..1], &version("1.3.0")).unwrap(), []);
    }

    #[test]
    fn crlf_manifests_keep_their_line_endings() {
        let text = "[package]\r\nname = \"a\"\r\nversion = \"1.2.3\" # released\r\n";
        let edits = plan_edits(&[file("Cargo.toml", text)], &version("1.3.0")).unwrap();
        assert_eq!(
            edits[0].after,
            "[package]\r\nname = \"a\"\r\nversion = \"1.3.0\" # released\r\n"
        );
    }

    #[test]
    fn plan_edits_reports_the_first_problem() {
        let rows = [
            (
                file("VERSION", "1.2.3\n1.2.4\n"),
                "`VERSION` line 2: unexpected text after the version; keep only the version, on one line",
            ),
            (
                file(
                    "crates/core/Cargo.toml",
                    "[package]\nname = \"core\"\n\n\n\n\nversion = \"1.2\"\n",
                ),
                "`crates/core/Cargo.toml` line 7: `version = \"1.2\"` is not a SemVer version (X.Y.Z); write a full version such as `1.2.0`",
            ),
            (
                file("Cargo.toml", "[package]\nname = \"a\"\nversion = \"1.2.3\n"),
                "`Cargo.toml` line 3: invalid TOML: invalid basic string, expected `\"`; fix the syntax and run again",
            ),
        ];
        for (file, message) in rows {
            let error = plan_edits(std::slice::from_ref(&file), &version("1.3.0")).unwrap_err();
            assert_eq!(error.to_string(), message, "{}", file.text);
        }
    }
}
