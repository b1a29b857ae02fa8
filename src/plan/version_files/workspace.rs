//! The Cargo workspace across manifests: which packages are released together, which manifest
//! fields are version sources, and how every manifest changes for a new version (package versions,
//! `[workspace.package] version`, and requirements on path dependencies between members). Each
//! manifest shares its released package with the others through the parsed set's context. Pure;
//! must not read the disk (member discovery is `repo::version_files`) and must not touch
//! `Cargo.lock`.

use std::path::{Component, Path, PathBuf};

use semver::{BuildMetadata, Version};

use super::cargo_manifest::{Manifest, PackageVersion, VersionField};
use super::error::VersionFileError;
use super::format::{Context, Parsed, VersionFileModel, with_origin};
use super::requirement::{RequirementProblem, retarget};
use super::text_edit::Splice;
use super::{FoundVersion, Origin, SourceFile, VersionForm};

/// Reads a `Cargo.toml` into its model.
///
/// # Errors
///
/// What [`Manifest::parse`] reports.
pub(super) fn parse_manifest<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    Ok(Box::new(ManifestFile {
        manifest: Manifest::parse(file)?,
    }))
}

/// A Cargo manifest, parsed, read as a member of the workspace the manifests among the version
/// files form.
///
/// The members are exactly the manifests given: discovery finds them the way Cargo does, and a
/// configured list names them explicitly.
struct ManifestFile<'f> {
    manifest: Manifest<'f>,
}

impl ManifestFile<'_> {
    /// The version sources of this manifest: `[workspace.package] version` and `[package]
    /// version` when written out, with their field names. Inherited and absent versions are not
    /// sources.
    fn version_fields(&self) -> impl Iterator<Item = (&'static str, &VersionField)> {
        let workspace_version = self
            .manifest
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.version.as_ref())
            .map(|field| ("workspace.package.version", field));
        let package_version = match self.package_version() {
            Some(PackageVersion::Own(field)) => Some(("package.version", field)),
            _ => None,
        };
        workspace_version.into_iter().chain(package_version)
    }

    fn package_version(&self) -> Option<&PackageVersion> {
        self.manifest
            .package
            .as_ref()
            .map(|package| &package.version)
    }
}

impl VersionFileModel for ManifestFile<'_> {
    /// A package whose version moves with the release, and whether this manifest holds the
    /// workspace version.
    fn share(&self, context: &mut Context) {
        if let Some(package) = &self.manifest.package {
            match package.version {
                PackageVersion::Own(_) | PackageVersion::Inherited { .. } => {
                    context
                        .cargo_released
                        .insert(self.manifest.dir.clone(), package.name.clone());
                }
                PackageVersion::Absent => {}
            }
        }
        let workspace = self.manifest.workspace.as_ref();
        if workspace.is_some_and(|workspace| workspace.version.is_some()) {
            context.cargo_workspace_version = true;
        }
    }

    /// An inherited version needs a workspace version to inherit.
    fn link(&mut self, context: &Context) -> Result<(), VersionFileError> {
        match self.package_version() {
            Some(PackageVersion::Inherited { line }) if !context.cargo_workspace_version => {
                Err(VersionFileError::MissingWorkspaceVersion {
                    path: self.manifest.file.path.clone(),
                    line: *line,
                })
            }
            _ => Ok(()),
        }
    }

    fn found_versions(&self) -> Vec<FoundVersion> {
        let mut found: Vec<FoundVersion> = self
            .version_fields()
            .map(|(name, field)| FoundVersion {
                path: self.manifest.file.path.clone(),
                line: field.literal.line,
                field: name.to_owned(),
                version: field.version.clone(),
                written: field.literal.value.clone(),
                form: VersionForm::SemVer,
            })
            .collect();
        found.sort_by_key(|found| found.line);
        found
    }

    /// Its own versions, and the requirements on path dependencies that point at released
    /// members.
    fn splices(&self, new: &Version, context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        let manifest = &self.manifest;
        let file = manifest.file;
        let new_text = new.to_string();
        let mut splices = Vec::new();
        for (_, field) in self.version_fields() {
            if field.literal.value != new_text {
                splices.push(field.literal.rewrite(file, &new_text));
            }
        }

        for dependency in &manifest.dependencies {
            let (Some(path), Some(requirement)) = (&dependency.path, &dependency.requirement)
            else {
                continue;
            };
            let targets_released_member = resolve(&manifest.dir, path)
                .is_some_and(|target| context.cargo_released.contains_key(&target));
            if !targets_released_member {
                continue;
            }
            let moved = retarget(&requirement.value, new).map_err(|problem| {
                requirement_error(
                    file,
                    requirement.line,
                    &dependency.key,
                    requirement.raw(file),
                    new,
                    problem,
                )
            })?;
            if moved != requirement.value {
                splices.push(requirement.rewrite(file, &moved));
            }
        }
        Ok(splices)
    }

    fn reason(&self) -> String {
        let file = self.manifest.file;
        if file.origin == Origin::Detected && file.path != Path::new("Cargo.toml") {
            String::from("Cargo manifest of a workspace member, detected")
        } else {
            with_origin(file, "Cargo manifest")
        }
    }

    fn no_version_reason(&self) -> Option<&'static str> {
        Some(match self.package_version() {
            Some(PackageVersion::Absent) => {
                "it has no `version` (Cargo treats the package as unpublished)"
            }
            Some(PackageVersion::Inherited { .. }) => "it inherits `[workspace.package] version`",
            _ => "it declares no version",
        })
    }
}

fn requirement_error(
    file: &SourceFile,
    line: usize,
    dependency: &str,
    raw_requirement: &str,
    new: &Version,
    problem: RequirementProblem,
) -> VersionFileError {
    let version = Version {
        build: BuildMetadata::EMPTY,
        ..new.clone()
    }
    .to_string();
    match problem {
        RequirementProblem::Invalid => VersionFileError::InvalidRequirement {
            path: file.path.clone(),
            line,
            dependency: dependency.to_owned(),
            requirement: raw_requirement.to_owned(),
            example: version,
        },
        RequirementProblem::RejectsVersion => VersionFileError::RequirementRejectsVersion {
            path: file.path.clone(),
            line,
            dependency: dependency.to_owned(),
            requirement: raw_requirement.to_owned(),
            version,
        },
    }
}

/// The directory a `path = "…"` written in a manifest in `base` points at, relative to the
/// repository root, or `None` when it is absolute or leaves the repository.
///
/// Resolution is lexical, as Cargo's is for path dependencies: `..` removes the previous
/// component without looking at symlinks.
pub(crate) fn resolve(base: &Path, path: &str) -> Option<PathBuf> {
    let mut resolved = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::Normal(part) => resolved.push(part),
            Component::ParentDir => {
                if !resolved.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::plan::version_files::{ParsedFiles, VersionFileKind};

    fn manifest(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind: VersionFileKind::CargoManifest,
            origin: crate::plan::version_files::Origin::Detected,
            text: text.to_owned(),
        }
    }

    /// The text of every file after moving to `new`, unchanged files included.
    fn moved(files: &[SourceFile], new: &str) -> Result<Vec<String>, String> {
        let edits = ParsedFiles::parse(files)
            .and_then(|parsed| parsed.plan_edits(&Version::parse(new).unwrap()))
            .map_err(|error| error.to_string())?;
        Ok(files
            .iter()
            .map(|file| {
                edits
                    .iter()
                    .find(|edit| edit.path == file.path)
                    .map_or_else(|| file.text.clone(), |edit| edit.after.clone())
            })
            .collect())
    }

    #[test]
    fn resolve_is_lexical_and_stays_inside_the_repository() {
        for (base, path, expected) in [
            ("crates/app", "../core", Some("crates/core")),
            ("crates/app", "../core/", Some("crates/core")),
            ("crates/app", "./../../crates/./core", Some("crates/core")),
            ("", "crates/core", Some("crates/core")),
            ("", ".", Some("")),
            ("crates/app", "../../../elsewhere", None),
            ("crates/app", "/abs/core", None),
        ] {
            assert_eq!(
                resolve(Path::new(base), path),
                expected.map(PathBuf::from),
                "{base} + {path}"
            );
        }
    }

    #[test]
    fn path_dependency_requirements_move_in_every_table_kind() {
        let root = manifest(
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"1.2.3\"\n",
        );
        let core = manifest(
            "crates/core/Cargo.toml",
            "[package]\nname = \"core\"\nversion.workspace = true\n",
        );
        // (dependency entry in crates/app/Cargo.toml, the same entry after moving to 1.3.0)
        let rows = [
            (
                "[dependencies]\ncore = { path = \"../core\", version = \"1.2.3\" }\n",
                "[dependencies]\ncore = { path = \"../core\", version = \"1.3.0\" }\n",
            ),
            (
                "[dev-dependencies]\ncore = { path = \"../core\", version = \"=1.2.3\" }\n",
                "[dev-dependencies]\ncore = { path = \"../core\", version = \"=1.3.0\" }\n",
            ),
            (
                "[build-dependencies]\ncore = { version = '^1.2', path = '../core' }\n",
                "[build-dependencies]\ncore = { version = '^1.3', path = '../core' }\n",
            ),
            (
                "[target.'cfg(unix)'.dependencies]\ncore = { path = \"../core\", version = \"~1.2.3\" }\n",
                "[target.'cfg(unix)'.dependencies]\ncore = { path = \"../core\", version = \"~1.3.0\" }\n",
            ),
            (
                "[target.x86_64-pc-windows-msvc.dev-dependencies]\ncore = { path = \"../core\", version = \"1.2.3\" }\n",
                "[target.x86_64-pc-windows-msvc.dev-dependencies]\ncore = { path = \"../core\", version = \"1.3.0\" }\n",
            ),
            (
                "[dependencies]\ncore.path = \"../core\"\ncore.version = \"1.2.3\" # keep in step\n",
                "[dependencies]\ncore.path = \"../core\"\ncore.version = \"1.3.0\" # keep in step\n",
            ),
            (
                "[dependencies.core]\npath = \"../core\"\nversion = \"1.2.3\"\n",
                "[dependencies.core]\npath = \"../core\"\nversion = \"1.3.0\"\n",
            ),
            (
                "[dependencies]\nrenamed = { package = \"core\", path = \"../core\", version = \"1.2.3\" }\n",
                "[dependencies]\nrenamed = { package = \"core\", path = \"../core\", version = \"1.3.0\" }\n",
            ),
            (
                "[dependencies]\ncore = { path = \"../core\" }\n",
                "[dependencies]\ncore = { path = \"../core\" }\n",
            ),
            (
                "[dependencies]\ncore = { workspace = true }\n",
                "[dependencies]\ncore = { workspace = true }\n",
            ),
        ];
        for (entry, expected) in rows {
            let app = manifest(
                "crates/app/Cargo.toml",
                &format!("[package]\nname = \"app\"\nversion.workspace = true\n\n{entry}"),
            );
            let after = moved(&[root.clone(), core.clone(), app], "1.3.0").unwrap();
            assert_eq!(
                after[2],
                format!("[package]\nname = \"app\"\nversion.workspace = true\n\n{expected}"),
                "{entry}"
            );
            assert_eq!(
                after[0],
                "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"1.3.0\"\n"
            );
            assert_eq!(after[1], core.text, "an inherited version is not rewritten");
        }
    }

    #[test]
    fn dependencies_that_are_not_released_members_never_change() {
        let core = manifest(
            "crates/core/Cargo.toml",
            "[package]\nname = \"core\"\nversion = \"1.2.3\"\n",
        );
        let unversioned = manifest(
            "crates/internal/Cargo.toml",
            "[package]\nname = \"internal\"\n",
        );
        let app_text = r#"[package]
name = "app"
version = "1.2.3"

[dependencies]
# crates.io packages: one named like a member, one at the old version by coincidence.
core = "1.2.3"
serde = { version = "1.2.3", features = ["derive"] }
# A path dependency outside the workspace and one on a package without a version.
vendored = { path = "../../vendor/vendored", version = "1.2.3" }
internal = { path = "../internal", version = "0.0.0" }
# A git dependency.
remote = { git = "https://example.com/core.git", version = "1.2.3" }
"#;
        let app = manifest("crates/app/Cargo.toml", app_text);
        let after = moved(&[core, unversioned.clone(), app], "1.3.0").unwrap();
        assert_eq!(
            after[0],
            "[package]\nname = \"core\"\nversion = \"1.3.0\"\n"
        );
        assert_eq!(after[1], unversioned.text);
        assert_eq!(
            after[2],
            app_text.replacen("version = \"1.2.3\"", "version = \"1.3.0\"", 1)
        );
    }

    #[test]
    fn workspace_dependencies_with_a_path_move() {
        let root_text = r#"[workspace]
members = ["crates/*"]

[workspace.package]
version = "1.2.3"

[workspace.dependencies]
core = { path = "crates/core", version = "1.2.3" }
macros = { path = "./crates/macros", version = "1.2" }
docs = { path = "docs/tool" }
serde = { version = "1.2.3" }
"#;
        let root = manifest("Cargo.toml", root_text);
        let core = manifest(
            "crates/core/Cargo.toml",
            "[package]\nname = \"core\"\nversion.workspace = true\n",
        );
        let macros = manifest(
            "crates/macros/Cargo.toml",
            "[package]\nname = \"macros\"\nversion.workspace = true\n",
        );
        let after = moved(&[root, core, macros], "2.0.0").unwrap();
        assert_eq!(
            after[0],
            root_text
                .replace("version = \"1.2.3\"\n\n", "version = \"2.0.0\"\n\n")
                .replace(
                    "\"crates/core\", version = \"1.2.3\"",
                    "\"crates/core\", version = \"2.0.0\""
                )
                .replace("version = \"1.2\"", "version = \"2.0\"")
        );
        assert!(after[0].contains("serde = { version = \"1.2.3\" }"));
    }

    #[test]
    fn members_with_own_versions_are_sources_and_move() {
        let root = manifest(
            "Cargo.toml",
            "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.package]\nversion = \"1.2.3\"\n",
        );
        let a = manifest(
            "a/Cargo.toml",
            "[package]\nname = \"a\"\nversion.workspace = true\n",
        );
        let b = manifest(
            "b/Cargo.toml",
            "[package]\nname = \"b\"\nversion = \"0.9.0\"\n",
        );
        let files = [root, a, b];
        let parsed = ParsedFiles::parse(&files).unwrap();
        let index_of = |path: &Path| files.iter().position(|file| file.path == path).unwrap();
        let found: Vec<_> = parsed
            .current_versions()
            .iter()
            .map(|found| {
                (
                    index_of(&found.path),
                    found.field.clone(),
                    found.line,
                    found.version.to_string(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    0,
                    "workspace.package.version".to_owned(),
                    4,
                    "1.2.3".to_owned()
                ),
                (2, "package.version".to_owned(), 3, "0.9.0".to_owned()),
            ]
        );
        assert_eq!(
            parsed.context.cargo_released_names(),
            BTreeSet::from(["a".to_owned(), "b".to_owned()])
        );
        let after = moved(&files, "1.3.0").unwrap();
        assert_eq!(after[2], "[package]\nname = \"b\"\nversion = \"1.3.0\"\n");
    }

    #[test]
    fn reports_requirements_that_cannot_move() {
        let core = manifest(
            "core/Cargo.toml",
            "[package]\nname = \"core\"\nversion = \"1.2.3\"\n",
        );
        let rows = [
            (
                "core = { path = \"../core\", version = \"<2\" }",
                "`app/Cargo.toml` line 5: the requirement `\"<2\"` on path dependency `core` does not accept the new version 2.0.0; write `\"2.0.0\"` or a requirement that accepts it",
            ),
            (
                "core = { path = \"../core\", version = \"one point two\" }",
                "`app/Cargo.toml` line 5: `\"one point two\"`, the version requirement on path dependency `core`, is not a valid requirement; write one such as `\"2.0.0\"`",
            ),
        ];
        for (entry, message) in rows {
            let app = manifest(
                "app/Cargo.toml",
                &format!(
                    "[package]\nname = \"app\"\nversion = \"1.2.3\"\n[dependencies]\n{entry}\n"
                ),
            );
            assert_eq!(
                moved(&[core.clone(), app], "2.0.0+build.1"),
                Err(message.to_owned())
            );
        }
    }

    #[test]
    fn inheriting_without_a_workspace_version_is_an_error() {
        let root = manifest("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n");
        let a = manifest(
            "a/Cargo.toml",
            "[package]\nname = \"a\"\nversion.workspace = true\n",
        );
        let error = ParsedFiles::parse(&[root, a])
            .err()
            .expect("inheriting without a workspace version");
        assert_eq!(
            error.to_string(),
            "`a/Cargo.toml` line 3: `version.workspace = true`, but no workspace `Cargo.toml` among \
             the version files declares `[workspace.package] version`; add `version = \"…\"` under \
             `[workspace.package]`, or add the workspace `Cargo.toml` to the version files"
        );
    }
}
