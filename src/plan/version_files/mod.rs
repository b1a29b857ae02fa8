//! Version files: the files that hold the release version (`VERSION`, Cargo manifests and
//! `Cargo.lock`, `package.json` and npm's lockfiles, `pyproject.toml` and `uv.lock`, pattern files
//! from `relcut.toml`), what versions they declare, and their new text for a new version. Only
//! `discover.rs` reads the disk; everything reachable from [`current_versions`] and
//! [`plan_edits`] is pure and must stay so (no file system, no git, no clock).
//!
//! Adding a kind: add a [`VersionFileKind`] variant, a file `<kind>.rs` that parses one
//! [`SourceFile`] into its versions and splices (see `plain.rs` for a self-contained kind),
//! recognise its file name in [`VersionFileKind::for_path`] and in `discover`, and add one arm to
//! each `match` on the kind below. Kinds that depend on other files (like `Cargo.lock` on the
//! manifests, `uv.lock` on `pyproject.toml`) get their context from a cross-file model such as
//! `workspace.rs`.

mod cargo_lock;
mod cargo_manifest;
mod discover;
mod error;
mod json_source;
mod npm;
mod pattern;
mod pep440;
mod plain;
mod pyproject;
mod requirement;
mod text_edit;
mod toml_source;
mod uv_lock;
mod workspace;

#[cfg(test)]
mod layout_tests;

use std::path::{Path, PathBuf};

use semver::Version;

pub use discover::{discover, load};
pub use error::VersionFileError;
pub use pattern::{REPLACE_PLACEHOLDERS, ReplacePattern};

use plain::PlainVersion;
use pyproject::Pyproject;
use text_edit::{Splice, apply};
use workspace::Workspace;

/// What kind of file holds a version, which decides how it is read and edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionFileKind {
    /// A file that holds only the version, like `VERSION`: one version, optionally written
    /// `v1.2.3`, with any surrounding whitespace kept.
    PlainVersion,
    /// A `Cargo.toml`: `[package] version`, `[workspace.package] version`, and the requirements
    /// on path dependencies between workspace members.
    CargoManifest,
    /// A `Cargo.lock`: the entries of the workspace's own packages. Never a version source.
    CargoLock,
    /// A `package.json`: its `version`.
    PackageJson,
    /// A `package-lock.json` or `npm-shrinkwrap.json`: the root `version` and
    /// `packages[""].version`. Never a version source.
    NpmLock,
    /// A `pyproject.toml`: `[project] version` and `[tool.poetry] version`, in PEP 440 form.
    Pyproject,
    /// A `uv.lock`: the project's own entry. Never a version source.
    UvLock,
    /// A file rewritten by the patterns of `relcut.toml` (one or more entries for the same path).
    Pattern(Vec<ReplacePattern>),
}

impl VersionFileKind {
    /// The kind a configured path most likely has, from its file name; anything unknown is a
    /// plain version file.
    pub fn for_path(path: &Path) -> Self {
        match path.file_name().and_then(|name| name.to_str()) {
            Some("Cargo.toml") => Self::CargoManifest,
            Some("Cargo.lock") => Self::CargoLock,
            Some("package.json") => Self::PackageJson,
            Some("package-lock.json" | "npm-shrinkwrap.json") => Self::NpmLock,
            Some("pyproject.toml") => Self::Pyproject,
            Some("uv.lock") => Self::UvLock,
            _ => Self::PlainVersion,
        }
    }

    /// Why relcut writes a file of this kind, for the plan.
    fn reason(&self) -> String {
        match self {
            Self::PlainVersion => String::from("the version file"),
            Self::CargoManifest => String::from("Cargo manifest"),
            Self::CargoLock => String::from("Cargo lockfile, the workspace's own packages"),
            Self::PackageJson => String::from("npm package manifest"),
            Self::NpmLock => String::from("npm lockfile, the root package"),
            Self::Pyproject => String::from("Python project, in PEP 440 form"),
            Self::UvLock => String::from("uv lockfile, the project's own entry"),
            Self::Pattern(patterns) => format!(
                "pattern{} from relcut.toml line{} {}",
                if patterns.len() == 1 { "" } else { "s" },
                if patterns.len() == 1 { "" } else { "s" },
                patterns
                    .iter()
                    .map(|pattern| pattern.config_line.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A `[[files]]` entry of `relcut.toml`, as the read step needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredFile {
    /// The path relative to the repository root, or a glob.
    pub path: String,
    /// `search`/`replace`/`count`, for a pattern file; `None` for a file of a known kind.
    pub pattern: Option<ReplacePattern>,
    /// 1-based line of the entry in `relcut.toml`.
    pub config_line: usize,
}

/// How relcut came to read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Found at the repository root (or as a workspace member, or a lockfile beside a manifest).
    Detected,
    /// Listed in `relcut.toml`: a file without a version is then an error, not skipped.
    Configured,
}

/// One file as read from disk: its path relative to the repository root, its kind and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the repository root, e.g. `crates/core/Cargo.toml`.
    pub path: PathBuf,
    /// How to read and edit it.
    pub kind: VersionFileKind,
    /// Whether it was detected or configured.
    pub origin: Origin,
    /// The whole file, exactly as read.
    pub text: String,
}

/// How a version is written in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionForm {
    /// SemVer 2.0.0, as relcut computes it.
    SemVer,
    /// PEP 440, as Python packaging writes it (`1.3.0rc1`).
    Pep440,
}

/// A version a file declares: where it is and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundVersion {
    /// The file, relative to the repository root.
    pub path: PathBuf,
    /// 1-based line of the version.
    pub line: usize,
    /// Which field holds it: `VERSION`, `package.version`, `project.version`, …
    pub field: String,
    /// The version, read as SemVer (PEP 440 forms converted).
    pub version: Version,
    /// The version exactly as the file writes it.
    pub written: String,
    /// The form it is written in.
    pub form: VersionForm,
}

impl FoundVersion {
    /// Whether this source states `other`. A PEP 440 source is compared in normalised PEP 440
    /// form, so `1.3.0rc1` agrees with `1.3.0-rc.1` and with `1.3.0-c.1` alike.
    pub fn agrees_with(&self, other: &Version) -> bool {
        if self.version == *other {
            return true;
        }
        self.form == VersionForm::Pep440
            && matches!(
                (pep440::normalize(&self.written), pep440::to_pep440(other)),
                (Ok(mine), Ok(theirs)) if mine == theirs
            )
    }
}

/// The new text of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    /// The file, relative to the repository root.
    pub path: PathBuf,
    /// Why it is written, for the plan.
    pub reason: String,
    /// The text it has now (the [`SourceFile::text`] it was planned from).
    pub before: String,
    /// The text it must have.
    pub after: String,
}

/// What the files as a whole say, which some kinds need to read one file.
struct Context<'f> {
    /// The Cargo workspace (or single package) the manifests form.
    workspace: Workspace<'f>,
    /// Whether `relcut.toml` names pattern files, which is where a dynamic Python version lives.
    has_patterns: bool,
}

impl<'f> Context<'f> {
    fn new(files: &'f [SourceFile]) -> Result<Self, VersionFileError> {
        Ok(Self {
            workspace: Workspace::from_files(files)?,
            has_patterns: files
                .iter()
                .any(|file| matches!(file.kind, VersionFileKind::Pattern(_))),
        })
    }

    /// The `pyproject.toml` beside `lock` among the files, parsed.
    fn pyproject_beside(
        &self,
        files: &[SourceFile],
        lock: &SourceFile,
    ) -> Result<Option<Pyproject>, VersionFileError> {
        let wanted = lock.path.with_file_name("pyproject.toml");
        match files
            .iter()
            .find(|file| file.kind == VersionFileKind::Pyproject && file.path == wanted)
        {
            Some(file) => Pyproject::parse(file, self.has_patterns).map(Some),
            None => Ok(None),
        }
    }
}

/// The versions the files declare, in file order and then line order. Pure.
///
/// Sources are `VERSION`-like files, `[workspace.package] version` and `[package] version`
/// written out in a manifest, `package.json`'s `version`, `pyproject.toml`'s `[project]` and
/// `[tool.poetry]` versions, and what a pattern's `version` group captures. Not sources: a
/// member's `version.workspace = true` (it inherits), a package without `version` (Cargo treats it
/// as `0.0.0`, unpublishable, and relcut leaves it alone), a detected `package.json` or
/// `pyproject.toml` without a version, path-dependency requirements and lockfiles (those only
/// follow the release). Whether the sources agree is for the caller to check.
///
/// # Errors
///
/// A file that does not parse, a version that is not SemVer (or PEP 440 where that is the form)
/// or has the wrong type, a `version.workspace = true` with no workspace version among the files,
/// a lockfile without the project's own entry, a pattern that does not match as configured.
pub fn current_versions(files: &[SourceFile]) -> Result<Vec<FoundVersion>, VersionFileError> {
    let context = Context::new(files)?;
    let mut found = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let of_file: Vec<FoundVersion> = match &file.kind {
            VersionFileKind::PlainVersion => vec![PlainVersion::parse(file)?.found(file)],
            // Read together below: a manifest's meaning depends on the workspace.
            VersionFileKind::CargoManifest => Vec::new(),
            VersionFileKind::CargoLock => {
                cargo_lock::validate(file)?;
                Vec::new()
            }
            VersionFileKind::PackageJson => npm::manifest_version(file)?.into_iter().collect(),
            VersionFileKind::NpmLock => {
                npm::Lock::parse(file)?;
                Vec::new()
            }
            VersionFileKind::Pyproject => Pyproject::parse(file, context.has_patterns)?.found(file),
            VersionFileKind::UvLock => {
                let project = context.pyproject_beside(files, file)?;
                uv_lock::project_version(file, project.as_ref())?;
                Vec::new()
            }
            VersionFileKind::Pattern(patterns) => {
                let mut of_file = Vec::new();
                for pattern in patterns {
                    of_file.extend(pattern.found_versions(file)?);
                }
                of_file
            }
        };
        found.extend(of_file.into_iter().map(|version| (index, version)));
    }
    found.extend(context.workspace.found_versions());
    found.sort_by_key(|(index, found)| (*index, found.line));
    Ok(found.into_iter().map(|(_, found)| found).collect())
}

/// The edits that move every version source to `new`, with the files that follow it
/// (path-dependency requirements between members, lockfiles). Pure. Only files whose text
/// changes are returned, in the order of `files`; several entries for the same path (a detected
/// `package.json` and a pattern on it, say) make one edit.
///
/// Each edit replaces version strings and nothing else: comments, key order, indentation,
/// whitespace and quote style stay as they are.
///
/// # Errors
///
/// Everything [`current_versions`] reports, plus a requirement on a path dependency between
/// members that does not parse, or is a range that does not accept `new` (see `requirement.rs`
/// for the rewrite rule), a `new` with no PEP 440 form for a file that needs one, and two
/// entries rewriting the same text.
pub fn plan_edits(files: &[SourceFile], new: &Version) -> Result<Vec<FileEdit>, VersionFileError> {
    let context = Context::new(files)?;
    let mut splices: Vec<Vec<Splice>> = vec![Vec::new(); files.len()];
    for (index, file) in files.iter().enumerate() {
        splices[index] = match &file.kind {
            VersionFileKind::PlainVersion => vec![PlainVersion::parse(file)?.rewrite(new)],
            // Planned together below: requirements depend on which members are released.
            VersionFileKind::CargoManifest => Vec::new(),
            VersionFileKind::CargoLock => {
                cargo_lock::splices(file, &context.workspace.released_package_names(), new)?
            }
            VersionFileKind::PackageJson => npm::manifest_splice(file, new)?.into_iter().collect(),
            VersionFileKind::NpmLock => npm::Lock::parse(file)?.splices(new),
            VersionFileKind::Pyproject => {
                Pyproject::parse(file, context.has_patterns)?.splices(file, new)?
            }
            VersionFileKind::UvLock => {
                let project = context.pyproject_beside(files, file)?;
                uv_lock::project_version(file, project.as_ref())?
                    .map(|field| uv_lock::rewrite(file, &field, new))
                    .transpose()?
                    .into_iter()
                    .collect()
            }
            VersionFileKind::Pattern(patterns) => {
                let mut of_file = Vec::new();
                for pattern in patterns {
                    of_file.extend(pattern.splices(file, new)?);
                }
                of_file
            }
        };
    }
    for (index, manifest_splices) in context.workspace.splices(new)? {
        splices[index].extend(manifest_splices);
    }

    // One edit per path: entries for the same file are applied together, to the text read first.
    let mut edits: Vec<(usize, Vec<Splice>, Vec<String>)> = Vec::new();
    for (index, (file, file_splices)) in files.iter().zip(splices).enumerate() {
        let reason = match (&file.kind, file.origin) {
            // A pattern's reason already names its relcut.toml line.
            (VersionFileKind::Pattern(_), _) => file.kind.reason(),
            (VersionFileKind::CargoManifest, Origin::Detected)
                if file.path != Path::new("Cargo.toml") =>
            {
                String::from("Cargo manifest of a workspace member, detected")
            }
            (_, Origin::Detected) => format!("{}, detected", file.kind.reason()),
            (_, Origin::Configured) => format!("{}, listed in relcut.toml", file.kind.reason()),
        };
        match edits
            .iter_mut()
            .find(|(first, _, _)| files[*first].path == file.path)
        {
            Some((_, merged, reasons)) => {
                merged.extend(file_splices);
                reasons.push(reason);
            }
            None => edits.push((index, file_splices, vec![reason])),
        }
    }
    let mut result = Vec::new();
    for (index, mut file_splices, reasons) in edits {
        let file = &files[index];
        check_no_overlap(file, &mut file_splices)?;
        let after = apply(&file.text, file_splices);
        if after != file.text {
            result.push(FileEdit {
                path: file.path.clone(),
                reason: reasons.join("; "),
                before: file.text.clone(),
                after,
            });
        }
    }
    Ok(result)
}

/// The version files that `edits` leave alone, with why, so a plan can say that it read them.
/// Pure. A file is left alone when it declares no version (a detected `package.json` without
/// `version`, a `pyproject.toml` that only configures tools or has a dynamic version) or already
/// says the new version.
pub fn left_alone(
    files: &[SourceFile],
    found: &[FoundVersion],
    edits: &[FileEdit],
    new: &Version,
) -> Vec<(PathBuf, String)> {
    let mut alone: Vec<(PathBuf, String)> = Vec::new();
    for file in files {
        let edited = edits.iter().any(|edit| edit.path == file.path);
        if edited || alone.iter().any(|(path, _)| *path == file.path) {
            continue;
        }
        let declares = found.iter().any(|found| found.path == file.path);
        let already = format!("it already says {new}");
        let reason = match &file.kind {
            VersionFileKind::PackageJson if !declares => "it has no `version`",
            VersionFileKind::Pyproject if !declares => {
                match Pyproject::parse(file, true).map(|project| project.dynamic) {
                    Ok(true) => "its version is dynamic; the pattern files carry it",
                    _ => "it has no `[project]` or `[tool.poetry]` version",
                }
            }
            VersionFileKind::CargoManifest if !declares => {
                use cargo_manifest::PackageVersion;
                let package = cargo_manifest::Manifest::parse(file)
                    .ok()
                    .and_then(|manifest| manifest.package);
                match package.map(|package| package.version) {
                    Some(PackageVersion::Absent) => {
                        "it has no `version` (Cargo treats the package as unpublished)"
                    }
                    Some(PackageVersion::Inherited { .. }) => {
                        "it inherits `[workspace.package] version`"
                    }
                    _ => "it declares no version",
                }
            }
            _ => already.as_str(),
        };
        alone.push((file.path.clone(), reason.to_owned()));
    }
    alone
}

/// Refuses splices that overlap; a splice identical to another (the same text written twice by
/// two entries) is kept once.
fn check_no_overlap(file: &SourceFile, splices: &mut Vec<Splice>) -> Result<(), VersionFileError> {
    splices.sort_by_key(|splice| (splice.range.start, splice.range.end));
    splices.dedup();
    for pair in splices.windows(2) {
        if pair[1].range.start < pair[0].range.end {
            return Err(VersionFileError::OverlappingEdits {
                path: file.path.clone(),
                line: error::line_at(&file.text, pair[1].range.start),
            });
        }
    }
    Ok(())
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
            ("package.json", VersionFileKind::PackageJson),
            ("web/package-lock.json", VersionFileKind::NpmLock),
            ("npm-shrinkwrap.json", VersionFileKind::NpmLock),
            ("pyproject.toml", VersionFileKind::Pyproject),
            ("uv.lock", VersionFileKind::UvLock),
            ("Chart.yaml", VersionFileKind::PlainVersion),
        ] {
            assert_eq!(VersionFileKind::for_path(Path::new(path)), kind, "{path}");
        }
    }

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind: VersionFileKind::for_path(Path::new(path)),
            origin: Origin::Detected,
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
                reason: String::from("Cargo manifest, detected"),
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
    fn left_alone_says_why_each_file_is_not_written() {
        let pattern = ReplacePattern {
            search: regex::Regex::new("__version__ = .*").unwrap(),
            replace: String::from("__version__ = \"{{pep440}}\""),
            count: None,
            config_line: 3,
        };
        let files = [
            file("VERSION", "1.3.0\n"),
            file("package.json", "{\"private\": true}"),
            file(
                "pyproject.toml",
                "[project]\nname = \"p\"\ndynamic = [\"version\"]\n",
            ),
            SourceFile {
                path: "src/p/__init__.py".into(),
                kind: VersionFileKind::Pattern(vec![pattern]),
                origin: Origin::Configured,
                text: String::from("__version__ = \"1.2.0\"\n"),
            },
            file(
                "Cargo.toml",
                "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.package]\nversion = \"1.3.0\"\n",
            ),
            file(
                "a/Cargo.toml",
                "[package]\nname = \"a\"\nversion.workspace = true\n",
            ),
            file("b/Cargo.toml", "[package]\nname = \"b\"\n"),
        ];
        let new = version("1.3.0");
        let edits = plan_edits(&files, &new).unwrap();
        let alone = left_alone(&files, &current_versions(&files).unwrap(), &edits, &new);
        let rows: Vec<_> = alone
            .iter()
            .map(|(path, reason)| format!("{}: {reason}", path.display()))
            .collect();
        assert_eq!(
            rows,
            [
                "VERSION: it already says 1.3.0",
                "package.json: it has no `version`",
                "pyproject.toml: its version is dynamic; the pattern files carry it",
                "Cargo.toml: it already says 1.3.0",
                "a/Cargo.toml: it inherits `[workspace.package] version`",
                "b/Cargo.toml: it has no `version` (Cargo treats the package as unpublished)",
            ]
        );
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].after, "__version__ = \"1.3.0\"\n");
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
