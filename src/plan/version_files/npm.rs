//! npm's files: `package.json` and its lockfiles (`package-lock.json`, `npm-shrinkwrap.json`).
//! Pure; must not read the disk.
//!
//! Format rules (for the README):
//! - `package.json`: the top-level `"version"`, a SemVer version. A detected `package.json`
//!   without one (a private tooling package, say) is left alone; one listed in `relcut.toml`
//!   must have it.
//! - Lockfiles: the root `"version"` and, for `lockfileVersion` 2 and 3, `packages[""].version`
//!   (the entry for the project itself, which those versions must have). Fields the lockfile
//!   does not have are not added; npm adds them when it next writes the file.
//! - Only the bytes of the version string change, so key order, indentation (spaces or tabs)
//!   and the final newline stay exactly as they are.

use std::path::Path;

use semver::Version;

use super::error::{VersionFileError, example_version, line_at};
use super::format::{Context, NpmPackage, Parsed, VersionFileModel, with_origin};
use super::json_source::{self, JsonValue, Node};
use super::npm_range::{accepts, retarget_range};
use super::text_edit::Splice;
use super::{FoundVersion, Origin, SourceFile, VersionForm};

/// Reads a `package.json` into its model.
///
/// # Errors
///
/// Invalid JSON, a document that is not an object, a `version` that is not a SemVer string, a
/// configured file without `version`.
pub(super) fn parse_manifest<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    let document = parse(file)?;
    let version = manifest_version_field(file, &document)?;
    let root = object(file, &document)?;
    let private = matches!(
        root.get("private").map(|node| &node.value),
        Some(JsonValue::Bool(true))
    );
    Ok(Box::new(ManifestFile {
        file,
        version,
        name: root.get("name").and_then(Node::as_str).map(str::to_owned),
        // The root manifest is always a version source, private or not (a monorepo's root is
        // usually private), and so is a listed one (a private app named in relcut.toml); a
        // private detected member, or one a glob matched, only follows the project.
        follower: private
            && match file.origin {
                Origin::Detected => file.path != Path::new("package.json"),
                Origin::Matched => true,
                Origin::Configured => false,
            },
        dependencies: dependencies(root),
    }))
}

/// A `package.json`, parsed: its `version` and the byte range of its string literal, when it
/// has one, and what the workspace needs of it.
struct ManifestFile<'f> {
    file: &'f SourceFile,
    version: Option<(FoundVersion, std::ops::Range<usize>)>,
    name: Option<String>,
    /// A private workspace member: not a version source; moved only when in lockstep.
    follower: bool,
    dependencies: Vec<Dependency>,
}

/// The tables whose entries name other packages with a version range.
pub(super) const DEPENDENCY_TABLES: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// One dependency entry of a manifest or of a lockfile entry: the package it names and its
/// range, with the byte range of the range's string literal.
pub(super) struct Dependency {
    /// The package the entry names.
    pub name: String,
    /// The range, decoded.
    pub range: String,
    /// Where the range's string literal is, quotes included.
    pub span: std::ops::Range<usize>,
}

/// The string-valued entries of every dependency table of `object`, in source order.
pub(super) fn dependencies(object: &Node) -> Vec<Dependency> {
    let mut found = Vec::new();
    for table in DEPENDENCY_TABLES {
        let Some(JsonValue::Object(members)) = object.get(table).map(|node| &node.value) else {
            continue;
        };
        for (name, node) in members {
            if let Some(range) = node.as_str() {
                found.push(Dependency {
                    name: name.clone(),
                    range: range.to_owned(),
                    span: node.span.clone(),
                });
            }
        }
    }
    found
}

/// The splices that move the ranges among `dependencies` that name a package moving with the
/// release (see `npm_range.rs` for the rule).
pub(super) fn dependency_splices(
    dependencies: &[Dependency],
    new: &Version,
    context: &Context,
) -> Vec<Splice> {
    dependencies
        .iter()
        .filter_map(|dependency| {
            let target = context.moving_npm_package(&dependency.name)?;
            let old = target.version.as_ref()?;
            let moved = retarget_range(&dependency.range, old, new)?;
            Some(Splice::new(
                dependency.span.clone(),
                json_source::quote(&moved),
            ))
        })
        .collect()
}

/// A range on a moving member that stays as written must accept the new version: npm would
/// otherwise install the published package in place of the workspace's. (The lockfile mirrors
/// the manifests, so only manifests are checked.)
fn check_unmoved_ranges(
    file: &SourceFile,
    dependencies: &[Dependency],
    moved: &[Splice],
    new: &Version,
    context: &Context,
) -> Result<(), VersionFileError> {
    let version = Version {
        build: semver::BuildMetadata::EMPTY,
        ..new.clone()
    };
    for dependency in dependencies {
        let stays = !moved.iter().any(|splice| splice.range == dependency.span);
        if stays
            && context.moving_npm_package(&dependency.name).is_some()
            && accepts(&dependency.range, &version) == Some(false)
        {
            return Err(VersionFileError::NpmRangeRejectsVersion {
                path: file.path.clone(),
                line: line_at(&file.text, dependency.span.start),
                dependency: dependency.name.clone(),
                range: dependency.range.clone(),
                version: version.to_string(),
            });
        }
    }
    Ok(())
}

impl ManifestFile<'_> {
    fn package(&self) -> NpmPackage {
        NpmPackage {
            name: self.name.clone(),
            version: self
                .version
                .as_ref()
                .map(|(found, _)| found.version.clone()),
            follower: self.follower,
        }
    }
}

impl VersionFileModel for ManifestFile<'_> {
    /// Its name and version, which members depending on it and the lockfile follow.
    fn share(&self, context: &mut Context) {
        let directory = self
            .file
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        context
            .npm_packages
            .entry(directory)
            .or_insert_with(|| self.package());
    }

    fn found_versions(&self) -> Vec<FoundVersion> {
        if self.follower {
            return Vec::new();
        }
        self.version
            .iter()
            .map(|(found, _)| found.clone())
            .collect()
    }

    fn splices(&self, new: &Version, context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        let mut splices: Vec<Splice> = Vec::new();
        if context.npm_moves(&self.package()) {
            splices.extend(
                self.version.iter().map(|(_, span)| {
                    Splice::new(span.clone(), json_source::quote(&new.to_string()))
                }),
            );
        }
        let moved = dependency_splices(&self.dependencies, new, context);
        check_unmoved_ranges(self.file, &self.dependencies, &moved, new, context)?;
        splices.extend(moved);
        Ok(splices)
    }

    fn reason(&self) -> String {
        if self.file.origin == Origin::Detected && self.file.path != Path::new("package.json") {
            String::from("npm package manifest of a workspace member, detected")
        } else {
            with_origin(self.file, "npm package manifest")
        }
    }

    fn alone_reason(&self, context: &Context, new: &Version) -> Option<String> {
        let (found, _) = self.version.as_ref().filter(|_| self.follower)?;
        Some(if found.version == *new {
            format!("it already says {new}")
        } else {
            let project = context
                .project_version
                .as_ref()
                .map_or_else(String::new, |version| {
                    format!(", not in lockstep with the project's {version}")
                });
            format!("it is private and at {}{project}", found.written)
        })
    }

    fn no_version_reason(&self) -> Option<&'static str> {
        Some("it has no `version`")
    }
}

/// Reads an npm lockfile into its model.
///
/// # Errors
///
/// What [`Lock::parse`] reports.
pub(super) fn parse_lock<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    Ok(Box::new(LockFile {
        file,
        lock: Lock::parse(file)?,
    }))
}

/// An npm lockfile, parsed.
struct LockFile<'f> {
    file: &'f SourceFile,
    lock: Lock,
}

impl VersionFileModel for LockFile<'_> {
    fn splices(&self, new: &Version, context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        let mut splices = self.lock.splices(new);
        let lock_dir = self.file.path.parent().unwrap_or(Path::new(""));
        let literal = json_source::quote(&new.to_string());
        for entry in &self.lock.entries {
            // The entry mirrors the member's `package.json`: the same version, the same ranges.
            let moves = context
                .npm_packages
                .get(&lock_dir.join(&entry.directory))
                .is_some_and(|package| context.npm_moves(package));
            if let (true, Some(span)) = (moves, &entry.version) {
                splices.push(Splice::new(span.clone(), literal.clone()));
            }
            splices.extend(dependency_splices(&entry.dependencies, new, context));
        }
        Ok(splices)
    }

    fn reason(&self) -> String {
        if self
            .lock
            .entries
            .iter()
            .any(|entry| entry.version.is_some())
        {
            with_origin(self.file, "npm lockfile, the workspace's own packages")
        } else {
            with_origin(self.file, "npm lockfile, the root package")
        }
    }
}

/// The `version` of a `package.json`, or `None` when a detected one has none.
#[cfg(test)]
fn manifest_version(file: &SourceFile) -> Result<Option<FoundVersion>, VersionFileError> {
    Ok(read_manifest(file)?.map(|(found, _)| found))
}

/// The splice that writes `new` as the `version` of a `package.json`, when it has one.
#[cfg(test)]
fn manifest_splice(file: &SourceFile, new: &Version) -> Result<Option<Splice>, VersionFileError> {
    Ok(read_manifest(file)?
        .map(|(_, span)| Splice::new(span, json_source::quote(&new.to_string()))))
}

/// The `version` of a `package.json` and the byte range of its string literal: one parse serves
/// both reading the version and rewriting it.
#[cfg(test)]
fn read_manifest(
    file: &SourceFile,
) -> Result<Option<(FoundVersion, std::ops::Range<usize>)>, VersionFileError> {
    manifest_version_field(file, &parse(file)?)
}

/// The `version` of a parsed `package.json` and the byte range of its string literal.
fn manifest_version_field(
    file: &SourceFile,
    document: &Node,
) -> Result<Option<(FoundVersion, std::ops::Range<usize>)>, VersionFileError> {
    let Some(node) = object(file, document)?.get("version") else {
        return match file.origin {
            Origin::Detected => Ok(None),
            Origin::Configured | Origin::Matched => Err(VersionFileError::NoVersionField {
                path: file.path.clone(),
                line: None,
                problem: String::from("there is no top-level `\"version\"`"),
                fix: String::from(
                    "add `\"version\": \"0.1.0\"`, or remove the file from relcut.toml",
                ),
            }),
        };
    };
    let written = string(file, node, "version")?;
    let line = line_at(&file.text, node.span.start);
    let version = Version::parse(written).map_err(|_| VersionFileError::NotSemver {
        path: file.path.clone(),
        line,
        found: format!("\"version\": \"{written}\""),
        example: example_version(written),
    })?;
    let found = FoundVersion {
        path: file.path.clone(),
        line,
        field: String::from("version"),
        version,
        written: written.to_owned(),
        form: VersionForm::SemVer,
    };
    Ok(Some((found, node.span.clone())))
}

/// The version fields of an npm lockfile.
pub(super) struct Lock {
    /// Byte ranges of the version strings (quotes included) to rewrite.
    versions: Vec<std::ops::Range<usize>>,
    /// The entries of the project's own packages (`packages[""]` and the workspace members,
    /// keyed by directory), whose versions and ranges follow their manifests.
    entries: Vec<LockEntry>,
}

/// One entry of `packages` for a directory of the project (not under `node_modules`).
struct LockEntry {
    /// The directory, relative to the lockfile's.
    directory: std::path::PathBuf,
    /// The byte range of its `version` string (none for `packages[""]`, whose version is among
    /// the root versions).
    version: Option<std::ops::Range<usize>>,
    /// Its dependency ranges.
    dependencies: Vec<Dependency>,
}

impl Lock {
    /// Reads a lockfile and finds its root version fields.
    ///
    /// # Errors
    ///
    /// Invalid JSON, a document that is not an object, an unknown `lockfileVersion`, a v2 or v3
    /// lockfile without `packages[""]`, version fields that are not strings.
    pub(super) fn parse(file: &SourceFile) -> Result<Self, VersionFileError> {
        let document = parse(file)?;
        let root = object(file, &document)?;
        let lockfile_version = match root.get("lockfileVersion") {
            None => 1,
            Some(node) => match &node.value {
                JsonValue::Number(text) if matches!(text.as_str(), "1" | "2" | "3") => {
                    text.parse::<u8>().expect("matched a digit")
                }
                _ => {
                    return Err(VersionFileError::JsonWrongType {
                        path: file.path.clone(),
                        line: line_at(&file.text, node.span.start),
                        field: String::from("lockfileVersion"),
                        found: describe(file, node),
                        expected: String::from(
                            "1, 2 or 3 (the versions npm writes); regenerate it with `npm install --package-lock-only`",
                        ),
                    });
                }
            },
        };
        let mut versions = Vec::new();
        if let Some(node) = root.get("version") {
            string(file, node, "version")?;
            versions.push(node.span.clone());
        }
        if lockfile_version >= 2 {
            let entry = root.at(&["packages", ""]).ok_or_else(|| {
                VersionFileError::NoLockRoot {
                    path: file.path.clone(),
                    line: root
                        .get("packages")
                        .map(|node| line_at(&file.text, node.span.start)),
                    problem: format!(
                        "this lockfile (`lockfileVersion` {lockfile_version}) has no entry for the project itself, `packages[\"\"]`"
                    ),
                    fix: String::from(
                        "regenerate it with `npm install --package-lock-only` and run again",
                    ),
                }
            })?;
            let entry = object_field(file, entry, "packages[\"\"]")?;
            if let Some(node) = entry.get("version") {
                string(file, node, "packages[\"\"].version")?;
                versions.push(node.span.clone());
            }
        }
        let mut entries = Vec::new();
        if let Some(JsonValue::Object(packages)) = root.get("packages").map(|node| &node.value) {
            for (key, entry) in packages {
                let installed = key.starts_with("node_modules/") || key.contains("/node_modules/");
                if installed || !matches!(entry.value, JsonValue::Object(_)) {
                    continue;
                }
                let version = match (key.is_empty(), entry.get("version")) {
                    (false, Some(node)) => {
                        string(file, node, &format!("packages[\"{key}\"].version"))?;
                        Some(node.span.clone())
                    }
                    _ => None,
                };
                entries.push(LockEntry {
                    directory: key.into(),
                    version,
                    dependencies: dependencies(entry),
                });
            }
        }
        Ok(Self { versions, entries })
    }

    /// The splices that write `new` in every root version field.
    pub(super) fn splices(&self, new: &Version) -> Vec<Splice> {
        let literal = json_source::quote(&new.to_string());
        self.versions
            .iter()
            .map(|range| Splice::new(range.clone(), literal.clone()))
            .collect()
    }
}

fn parse(file: &SourceFile) -> Result<Node, VersionFileError> {
    #[cfg(test)]
    super::parse_count::record(&file.path);
    json_source::parse(&file.text).map_err(|error| VersionFileError::InvalidJson {
        path: file.path.clone(),
        line: error.line,
        column: error.column,
        message: error.message,
    })
}

/// The document itself, which npm requires to be an object.
fn object<'n>(file: &SourceFile, document: &'n Node) -> Result<&'n Node, VersionFileError> {
    object_field(file, document, "the document")
}

fn object_field<'n>(
    file: &SourceFile,
    node: &'n Node,
    field: &str,
) -> Result<&'n Node, VersionFileError> {
    match node.value {
        JsonValue::Object(_) => Ok(node),
        _ => Err(VersionFileError::JsonWrongType {
            path: file.path.clone(),
            line: line_at(&file.text, node.span.start),
            field: field.to_owned(),
            found: describe(file, node),
            expected: String::from("an object (`{ … }`)"),
        }),
    }
}

fn string<'n>(file: &SourceFile, node: &'n Node, field: &str) -> Result<&'n str, VersionFileError> {
    node.as_str()
        .ok_or_else(|| VersionFileError::JsonWrongType {
            path: file.path.clone(),
            line: line_at(&file.text, node.span.start),
            field: field.to_owned(),
            found: describe(file, node),
            expected: String::from("a string such as `\"1.2.0\"`"),
        })
}

/// The type of a value, with the text when it is short: `the number 1.2`.
fn describe(file: &SourceFile, node: &Node) -> String {
    let text = &file.text[node.span.clone()];
    if text.len() <= 20 && !matches!(node.value, JsonValue::Object(_) | JsonValue::Array(_)) {
        format!("{} (`{text}`)", node.type_name())
    } else {
        node.type_name().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::VersionFileKind;
    use crate::plan::version_files::text_edit::apply;

    fn file(path: &str, origin: Origin, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind: VersionFileKind::for_path(std::path::Path::new(path)),
            origin,
            text: text.to_owned(),
        }
    }

    fn bumped_manifest(text: &str) -> String {
        let file = file("package.json", Origin::Detected, text);
        let splice = manifest_splice(&file, &Version::parse("1.3.0-rc.1").unwrap()).unwrap();
        apply(text, splice.into_iter().collect())
    }

    #[test]
    fn package_json_keeps_its_formatting() {
        let rows = [
            (
                "{\n  \"name\": \"app\",\n  \"version\": \"1.2.3\"\n}\n",
                "{\n  \"name\": \"app\",\n  \"version\": \"1.3.0-rc.1\"\n}\n",
            ),
            (
                "{\n    \"version\": \"1.2.3\",\n    \"name\": \"app\"\n}",
                "{\n    \"version\": \"1.3.0-rc.1\",\n    \"name\": \"app\"\n}",
            ),
            (
                "{\r\n\t\"name\": \"app\",\r\n\t\"version\" : \"1.2.3\",\r\n\t\"config\": {\"version\": \"9.9.9\"}\r\n}\r\n",
                "{\r\n\t\"name\": \"app\",\r\n\t\"version\" : \"1.3.0-rc.1\",\r\n\t\"config\": {\"version\": \"9.9.9\"}\r\n}\r\n",
            ),
            (
                "\u{feff}{\"version\":\"1.2.3\"}",
                "\u{feff}{\"version\":\"1.3.0-rc.1\"}",
            ),
            // No version: a detected private package is left alone.
            ("{ \"private\": true }\n", "{ \"private\": true }\n"),
        ];
        for (before, after) in rows {
            assert_eq!(bumped_manifest(before), after, "{before:?}");
        }
    }

    #[test]
    fn package_json_errors_name_the_line_and_the_fix() {
        let rows = [
            (
                Origin::Detected,
                "{\n  \"name\": \"app\",\n  \"version\": \"1.2.3\",\n}\n",
                "`package.json` line 3, column 21: invalid JSON: trailing comma is not allowed in JSON; fix the syntax and run again",
            ),
            (
                Origin::Detected,
                "{\n  \"version\": 1.2\n}\n",
                "`package.json` line 2: `version` is a number (`1.2`); write a string such as `\"1.2.0\"`",
            ),
            (
                Origin::Detected,
                "{\n  \"version\": \"1.2\"\n}\n",
                "`package.json` line 2: `\"version\": \"1.2\"` is not a SemVer version (X.Y.Z); write a full version such as `1.2.0`",
            ),
            (
                Origin::Detected,
                "[1, 2]\n",
                "`package.json` line 1: `the document` is an array; write an object (`{ … }`)",
            ),
            (
                Origin::Configured,
                "{ \"name\": \"app\" }\n",
                "`package.json`: there is no top-level `\"version\"`; add `\"version\": \"0.1.0\"`, or remove the file from relcut.toml",
            ),
        ];
        for (origin, text, message) in rows {
            let error = manifest_version(&file("package.json", origin, text)).unwrap_err();
            assert_eq!(error.to_string(), message, "{text:?}");
        }
    }

    #[test]
    fn duplicate_keys_follow_json_parse() {
        // JSON.parse keeps the last duplicate, so that is the version npm sees and relcut edits.
        let text = "{\"version\": \"0.0.1\", \"version\": \"1.2.3\"}";
        let found = manifest_version(&file("package.json", Origin::Detected, text))
            .unwrap()
            .unwrap();
        assert_eq!(found.version, Version::new(1, 2, 3));
        assert_eq!(
            bumped_manifest(text),
            "{\"version\": \"0.0.1\", \"version\": \"1.3.0-rc.1\"}"
        );
    }

    const LOCK_V3: &str = r#"{
  "name": "app",
  "version": "1.2.3",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "app",
      "version": "1.2.3",
      "license": "MIT"
    },
    "node_modules/left-pad": {
      "version": "1.2.3",
      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.2.3.tgz"
    }
  }
}
"#;

    fn bumped_lock(text: &str) -> String {
        let file = file("package-lock.json", Origin::Detected, text);
        apply(
            text,
            Lock::parse(&file).unwrap().splices(&Version::new(2, 0, 0)),
        )
    }

    #[test]
    fn lockfiles_change_only_the_root_versions() {
        let after = bumped_lock(LOCK_V3);
        assert_eq!(
            after,
            LOCK_V3.replacen("\"version\": \"1.2.3\"", "\"version\": \"2.0.0\"", 2)
        );
        assert!(
            after.contains("left-pad-1.2.3.tgz")
                && after.contains("\"version\": \"1.2.3\",\n      \"resolved\"")
        );

        let v1 = "{\n\t\"name\": \"app\",\n\t\"version\": \"1.2.3\",\n\t\"lockfileVersion\": 1,\n\t\"dependencies\": {}\n}\n";
        assert_eq!(bumped_lock(v1), v1.replace("1.2.3", "2.0.0"));

        // A private package's lockfile has no versions; nothing to do.
        let none = "{\"name\": \"app\", \"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"app\"}}}";
        assert_eq!(bumped_lock(none), none);
    }

    #[test]
    fn lockfile_errors_name_the_line_and_the_fix() {
        let rows = [
            (
                "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": {}\n  }\n}\n",
                "`package-lock.json` line 3: this lockfile (`lockfileVersion` 3) has no entry for the project itself, `packages[\"\"]`; regenerate it with `npm install --package-lock-only` and run again",
            ),
            (
                "{\n  \"lockfileVersion\": 2\n}\n",
                "`package-lock.json`: this lockfile (`lockfileVersion` 2) has no entry for the project itself, `packages[\"\"]`; regenerate it with `npm install --package-lock-only` and run again",
            ),
            (
                "{\n  \"lockfileVersion\": \"3\"\n}\n",
                "`package-lock.json` line 2: `lockfileVersion` is a string (`\"3\"`); write 1, 2 or 3 (the versions npm writes); regenerate it with `npm install --package-lock-only`",
            ),
            (
                "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"version\": [1]}}}",
                "`package-lock.json` line 1: `packages[\"\"].version` is an array; write a string such as `\"1.2.0\"`",
            ),
            (
                "{\"lockfileVersion\": 3,",
                "`package-lock.json` line 1, column 23: invalid JSON: unexpected end of input; fix the syntax and run again",
            ),
        ];
        for (text, message) in rows {
            let error = Lock::parse(&file("package-lock.json", Origin::Detected, text))
                .err()
                .unwrap();
            assert_eq!(error.to_string(), message, "{text:?}");
        }
    }
}

#[cfg(test)]
mod workspace_tests {
    use semver::Version;

    use crate::plan::version_files::{Origin, ParsedFiles, SourceFile, VersionFileKind};

    fn manifest(path: &str, origin: Origin, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind: VersionFileKind::PackageJson,
            origin,
            text: text.to_owned(),
        }
    }

    #[test]
    fn members_move_in_lockstep_and_private_ones_at_their_own_version_stay() {
        let files = [
            manifest(
                "package.json",
                Origin::Detected,
                r#"{"private": true, "version": "1.2.3", "workspaces": ["packages/*"]}"#,
            ),
            manifest(
                "packages/a/package.json",
                Origin::Detected,
                r#"{"name": "a", "version": "1.2.3"}"#,
            ),
            manifest(
                "packages/p/package.json",
                Origin::Detected,
                r#"{"name": "p", "version": "1.2.3", "private": true}"#,
            ),
            manifest(
                "packages/t/package.json",
                Origin::Detected,
                r#"{"name": "t", "version": "0.0.0", "private": true}"#,
            ),
            manifest(
                "packages/b/package.json",
                Origin::Detected,
                r#"{"name": "b", "version": "1.2.3", "dependencies": {"a": "^1.2.3", "p": "1.2.3", "t": "0.0.0", "x": "1.2.3"}, "devDependencies": {"a": "workspace:*"}}"#,
            ),
        ];
        let new = Version::new(1, 3, 0);
        let parsed = ParsedFiles::parse(&files).unwrap();
        let sources: Vec<_> = parsed
            .current_versions()
            .iter()
            .map(|found| found.path.display().to_string())
            .collect();
        assert_eq!(
            sources,
            [
                "package.json",
                "packages/a/package.json",
                "packages/b/package.json"
            ]
        );
        let edits = parsed.plan_edits(&new).unwrap();
        let edited: Vec<_> = edits
            .iter()
            .map(|edit| (edit.path.display().to_string(), edit.after.clone()))
            .collect();
        assert_eq!(edited.len(), 4, "{edited:?}");
        assert_eq!(
            edited[3].1,
            r#"{"name": "b", "version": "1.3.0", "dependencies": {"a": "^1.3.0", "p": "1.3.0", "t": "0.0.0", "x": "1.2.3"}, "devDependencies": {"a": "workspace:*"}}"#
        );
        assert_eq!(edited[2].0, "packages/p/package.json");
        let alone = parsed.left_alone(&edits, &new);
        assert_eq!(
            alone,
            [(
                "packages/t/package.json".into(),
                String::from(
                    "it is private and at 0.0.0, not in lockstep with the project's 1.2.3"
                )
            )]
        );
    }

    #[test]
    fn a_range_on_a_member_that_rejects_the_new_version_is_an_error() {
        let files = [
            manifest(
                "package.json",
                Origin::Detected,
                r#"{"private": true, "version": "1.2.3", "workspaces": ["packages/*"]}"#,
            ),
            manifest(
                "packages/a/package.json",
                Origin::Detected,
                r#"{"name": "a", "version": "1.2.3"}"#,
            ),
            manifest(
                "packages/b/package.json",
                Origin::Detected,
                "{\"name\": \"b\", \"version\": \"1.2.3\",\n\"dependencies\": {\"a\": \"^1.0.0\"}}",
            ),
        ];
        let parsed = ParsedFiles::parse(&files).unwrap();
        // A minor release stays inside `^1.0.0`: the range is the author's, and it stays.
        let edits = parsed.plan_edits(&Version::new(1, 3, 0)).unwrap();
        assert!(edits.iter().all(|edit| !edit.after.contains("^1.3.0")));
        let error = parsed.plan_edits(&Version::new(2, 0, 0)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`packages/b/package.json` line 2: the range `^1.0.0` on workspace member `a` does not accept the new version 2.0.0, so npm would install the published `a` instead of the workspace's; write `^2.0.0` (or `workspace:^` with pnpm and Yarn), or a range that accepts it"
        );
    }

    #[test]
    fn a_listed_private_package_is_a_version_source() {
        let files = [manifest(
            "web/package.json",
            Origin::Configured,
            r#"{"private": true, "version": "0.4.0"}"#,
        )];
        let parsed = ParsedFiles::parse(&files).unwrap();
        assert_eq!(parsed.current_versions().len(), 1);
        assert_eq!(parsed.plan_edits(&Version::new(0, 5, 0)).unwrap().len(), 1);
    }
}
