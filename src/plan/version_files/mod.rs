//! Version files: the files that hold the release version (`VERSION`, Cargo manifests and
//! `Cargo.lock`, `package.json` and npm's lockfiles, `pyproject.toml` and `uv.lock`, pattern files
//! from `relcut.toml`), what versions they declare, and their new text for a new version. Pure:
//! nothing here reads the disk (discovery, which does, is `repo::version_files`), touches git or
//! reads the clock.
//!
//! A command reads its [`SourceFile`]s and parses them once, into [`ParsedFiles`]; that one
//! parsed set serves the current versions, the edits for a new version and the reasons files are
//! left alone. Each kind is a model behind one trait, `format::VersionFileModel`, in a file of its
//! own; the registration list `KINDS` below maps kinds and file names to their parsers.
//!
//! Adding a kind:
//! 1. add a [`VersionFileKind`] variant;
//! 2. add a file `<kind>.rs` with a parser `fn parse<'f>(&'f SourceFile, &Context) -> Parsed<'f>`
//!    and the model (a `VersionFileModel`) it returns, which answers the versions the file
//!    declares, its splices for a new version, why relcut writes it and why it is left alone (see
//!    `plain.rs` for a self-contained kind);
//! 3. add one row to `KINDS`: the kind, its file names, whether and where discovery looks for it
//!    (at the root, beside another detected file, or only when `relcut.toml` lists it), its
//!    parser. Discovery reads the list, so it needs no change, unless the kind names further files
//!    to read the way a Cargo workspace names its members.
//!
//! A kind that depends on other files (like `Cargo.lock` on the manifests, `uv.lock` on
//! `pyproject.toml`) reads them through `format::Context`: the files it depends on `share` what
//! it needs once every file is parsed, and it `link`s to that (see `workspace.rs` and
//! `uv_lock.rs`); a new kind of fact is a new field there.

mod cargo_lock;
mod cargo_manifest;
mod error;
mod format;
mod js_workspace;
mod json_source;
mod linked_lock;
mod npm;
mod npm_range;
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
#[cfg(test)]
mod parse_once_tests;
#[cfg(test)]
mod property_tests;

use std::mem::discriminant;
use std::path::{Path, PathBuf};

use semver::Version;

pub(crate) use cargo_manifest::{DependencyScope, Manifest};
pub use error::VersionFileError;
pub use format::Detection;
pub use js_workspace::{MemberGlob, npm_workspaces, pnpm_packages};
pub use pattern::{REPLACE_PLACEHOLDERS, ReplacePattern};
pub(crate) use pyproject::uv_workspace;
pub(crate) use toml_source::StringField;
pub(crate) use workspace::resolve;

use format::{Context, Model, Registration};
use text_edit::{Splice, apply};

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
    /// A `pnpm-lock.yaml` or `yarn.lock`: records no version of the project's own packages, so
    /// it is only listed as left alone. Never a version source.
    LinkedLock,
    /// A `pyproject.toml`: `[project] version` and `[tool.poetry] version`, in PEP 440 form.
    Pyproject,
    /// A `uv.lock`: the project's own entry. Never a version source.
    UvLock,
    /// A file rewritten by the patterns of `relcut.toml` (one or more entries for the same path).
    Pattern(Vec<ReplacePattern>),
}

/// Every kind relcut reads, in the order discovery looks for them: the one list that maps kinds
/// and file names to their parsers.
const KINDS: &[Registration] = &[
    Registration {
        kind: VersionFileKind::PlainVersion,
        file_names: &["VERSION"],
        detection: Detection::AtRoot,
        parse: plain::parse,
    },
    Registration {
        kind: VersionFileKind::CargoManifest,
        file_names: &["Cargo.toml"],
        detection: Detection::AtRoot,
        parse: workspace::parse_manifest,
    },
    Registration {
        kind: VersionFileKind::CargoLock,
        file_names: &["Cargo.lock"],
        detection: Detection::Beside("Cargo.toml"),
        parse: cargo_lock::parse_lock,
    },
    Registration {
        kind: VersionFileKind::PackageJson,
        file_names: &["package.json"],
        detection: Detection::AtRoot,
        parse: npm::parse_manifest,
    },
    Registration {
        kind: VersionFileKind::NpmLock,
        file_names: &["package-lock.json", "npm-shrinkwrap.json"],
        detection: Detection::Beside("package.json"),
        parse: npm::parse_lock,
    },
    Registration {
        kind: VersionFileKind::LinkedLock,
        file_names: &["pnpm-lock.yaml", "yarn.lock"],
        detection: Detection::Beside("package.json"),
        parse: linked_lock::parse,
    },
    Registration {
        kind: VersionFileKind::Pyproject,
        file_names: &["pyproject.toml"],
        detection: Detection::AtRoot,
        parse: pyproject::parse_project,
    },
    Registration {
        kind: VersionFileKind::UvLock,
        file_names: &["uv.lock"],
        detection: Detection::Beside("pyproject.toml"),
        parse: uv_lock::parse_lock,
    },
    Registration {
        kind: VersionFileKind::Pattern(Vec::new()),
        file_names: &[],
        detection: Detection::Listed,
        parse: pattern::parse,
    },
];

impl VersionFileKind {
    /// The kind a configured path most likely has, from its file name; anything unknown is a
    /// plain version file.
    pub fn for_path(path: &Path) -> Self {
        let name = path.file_name().and_then(|name| name.to_str());
        KINDS
            .iter()
            .find(|registration| name.is_some_and(|name| registration.file_names.contains(&name)))
            .map_or(Self::PlainVersion, |registration| registration.kind.clone())
    }

    /// The registration of this kind.
    fn registration(&self) -> &'static Registration {
        KINDS
            .iter()
            .find(|registration| discriminant(&registration.kind) == discriminant(self))
            .expect("every kind is in the registration list")
    }
}

/// The files discovery looks for at the repository root, with their kinds, in order.
pub fn detected_at_root() -> impl Iterator<Item = (&'static str, VersionFileKind)> {
    detected_where(Detection::AtRoot)
}

/// The files discovery looks for beside a detected file named `name` (its lockfiles), with
/// their kinds, in order.
pub fn detected_beside(
    name: &'static str,
) -> impl Iterator<Item = (&'static str, VersionFileKind)> {
    detected_where(Detection::Beside(name))
}

fn detected_where(detection: Detection) -> impl Iterator<Item = (&'static str, VersionFileKind)> {
    KINDS
        .iter()
        .filter(move |registration| registration.detection == detection)
        .flat_map(|registration| {
            registration
                .file_names
                .iter()
                .map(|name| (*name, registration.kind.clone()))
        })
}

/// A `[[files]]` entry of `relcut.toml`, as the read step needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredFile {
    /// The path relative to the repository root, or a glob.
    pub path: String,
    /// `search`/`replace`/`count`, for a pattern file; `None` for a file of a known kind.
    pub pattern: Option<ReplacePattern>,
    /// Files the glob in `path` matches that the entry must leave out.
    pub exclude: Vec<glob::Pattern>,
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
    /// Matched by a glob listed in `relcut.toml` (`packages/*/package.json`): released as a
    /// listed file is, except that a private package at another version than the project's is
    /// left alone, as a detected workspace member is, rather than a disagreement.
    Matched,
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

/// The version files of one command, each parsed once: the current versions, the edits for a
/// new version and why files are left alone all come from this set. Pure.
pub struct ParsedFiles<'f> {
    /// The files, in the order read.
    files: &'f [SourceFile],
    /// The model of each file, by the file's index.
    models: Vec<Model<'f>>,
    /// What the files say as a whole.
    context: Context,
    /// The versions the files declare, in file order and then line order.
    found: Vec<FoundVersion>,
}

impl<'f> ParsedFiles<'f> {
    /// Parses every file once and reads the versions they declare.
    ///
    /// Sources are `VERSION`-like files, `[workspace.package] version` and `[package] version`
    /// written out in a manifest, `package.json`'s `version`, `pyproject.toml`'s `[project]` and
    /// `[tool.poetry]` versions, and what a pattern's `version` group captures. Not sources: a
    /// member's `version.workspace = true` (it inherits), a package without `version` (Cargo
    /// treats it as `0.0.0`, unpublishable, and relcut leaves it alone), a detected
    /// `package.json` or `pyproject.toml` without a version, path-dependency requirements and
    /// lockfiles (those only follow the release). Whether the sources agree is for the caller to
    /// check.
    ///
    /// # Errors
    ///
    /// The first problem, in file order (files on their own first, then what they mean
    /// together): a file that does not parse, a version that is not SemVer (or PEP 440 where
    /// that is the form) or has the wrong type, a `version.workspace = true` with no workspace
    /// version among the files, a lockfile without the project's own entry, a pattern that does
    /// not match as configured.
    pub fn parse(files: &'f [SourceFile]) -> Result<Self, VersionFileError> {
        let mut context = Context {
            has_patterns: files
                .iter()
                .any(|file| matches!(file.kind, VersionFileKind::Pattern(_))),
            ..Context::default()
        };
        let mut models = Vec::with_capacity(files.len());
        for file in files {
            models.push((file.kind.registration().parse)(file, &context)?);
        }
        for model in &models {
            model.share(&mut context);
        }
        for model in &mut models {
            model.link(&context)?;
        }
        let mut found: Vec<(usize, FoundVersion)> = Vec::new();
        for (index, model) in models.iter().enumerate() {
            found.extend(
                model
                    .found_versions()
                    .into_iter()
                    .map(|found| (index, found)),
            );
        }
        found.sort_by_key(|(index, found)| (*index, found.line));
        // As `plan::files_version` reads it: what lockstep members are compared with.
        context.project_version = found
            .iter()
            .map(|(_, found)| found)
            .find(|found| found.form == VersionForm::SemVer)
            .or_else(|| found.first().map(|(_, found)| found))
            .map(|found| found.version.clone());
        Ok(Self {
            files,
            models,
            context,
            found: found.into_iter().map(|(_, found)| found).collect(),
        })
    }

    /// The files, in the order read.
    pub fn files(&self) -> &'f [SourceFile] {
        self.files
    }

    /// The versions the files declare, in file order and then line order.
    pub fn current_versions(&self) -> &[FoundVersion] {
        &self.found
    }

    /// The edits that move every version source to `new`, with the files that follow it
    /// (path-dependency requirements between members, lockfiles). Only files whose text changes
    /// are returned, in the order of the files; several entries for the same path (a detected
    /// `package.json` and a pattern on it, say) make one edit.
    ///
    /// Each edit replaces version strings and nothing else: comments, key order, indentation,
    /// whitespace and quote style stay as they are.
    ///
    /// # Errors
    ///
    /// A requirement on a path dependency between members that does not parse, or is a range
    /// that does not accept `new` (see `requirement.rs` for the rewrite rule), a `new` with no
    /// PEP 440 form for a file that needs one, a `Cargo.lock` entry that does not read, and two
    /// entries rewriting the same text.
    pub fn plan_edits(&self, new: &Version) -> Result<Vec<FileEdit>, VersionFileError> {
        // One edit per path: entries for the same file are applied together, to the text read
        // first.
        let mut edits: Vec<(usize, Vec<Splice>, Vec<String>)> = Vec::new();
        for (index, (file, model)) in self.files.iter().zip(&self.models).enumerate() {
            let file_splices = model.splices(new, &self.context)?;
            let reason = model.reason();
            match edits
                .iter_mut()
                .find(|(first, _, _)| self.files[*first].path == file.path)
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
            let file = &self.files[index];
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

    /// The version files that `edits` (planned for `new`) leave alone, with why, so a plan can
    /// say that it read them. A file is left alone when it declares no version (a detected
    /// `package.json` without `version`, a `pyproject.toml` that only configures tools or has a
    /// dynamic version) or already says the new version.
    pub fn left_alone(&self, edits: &[FileEdit], new: &Version) -> Vec<(PathBuf, String)> {
        let mut alone: Vec<(PathBuf, String)> = Vec::new();
        for (file, model) in self.files.iter().zip(&self.models) {
            let edited = edits.iter().any(|edit| edit.path == file.path);
            if edited || alone.iter().any(|(path, _)| *path == file.path) {
                continue;
            }
            if let Some(reason) = model.alone_reason(&self.context, new) {
                alone.push((file.path.clone(), reason));
                continue;
            }
            let declares = self.found.iter().any(|found| found.path == file.path);
            let reason = match model.no_version_reason() {
                Some(reason) if !declares => reason.to_owned(),
                _ => format!("it already says {new}"),
            };
            alone.push((file.path.clone(), reason));
        }
        alone
    }
}

/// The versions `files` declare; see [`ParsedFiles::parse`]. Parses them, so it is for tests
/// that ask one question of a set.
#[cfg(test)]
pub(crate) fn current_versions(
    files: &[SourceFile],
) -> Result<Vec<FoundVersion>, VersionFileError> {
    Ok(ParsedFiles::parse(files)?.current_versions().to_vec())
}

/// The edits that move `files` to `new`; see [`ParsedFiles::plan_edits`]. Parses them, so it is
/// for tests that ask one question of a set.
#[cfg(test)]
fn plan_edits(files: &[SourceFile], new: &Version) -> Result<Vec<FileEdit>, VersionFileError> {
    ParsedFiles::parse(files)?.plan_edits(new)
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

/// Test builds count how often each file's text is parsed (TOML, JSON, a plain version, a
/// pattern's scan), so a test can prove that a command reads each file once.
#[cfg(test)]
pub(crate) mod parse_count {
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    thread_local! {
        static COUNTS: RefCell<BTreeMap<PathBuf, usize>> = const { RefCell::new(BTreeMap::new()) };
    }

    /// Notes one parse of the file at `path`.
    pub(crate) fn record(path: &Path) {
        COUNTS.with(|counts| *counts.borrow_mut().entry(path.to_path_buf()).or_default() += 1);
    }

    /// The parses noted on this thread since the last call, by path.
    pub(crate) fn take() -> BTreeMap<PathBuf, usize> {
        COUNTS.with(|counts| std::mem::take(&mut *counts.borrow_mut()))
    }
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

    /// A detected file of the kind its name says.
    pub(super) fn file(path: &str, text: &str) -> SourceFile {
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
        let parsed = ParsedFiles::parse(&files).unwrap();
        let edits = parsed.plan_edits(&new).unwrap();
        let alone = parsed.left_alone(&edits, &new);
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
