//! The Cargo workspace across manifests: which packages are released together, which manifest
//! fields are version sources, and how every manifest changes for a new version (package versions,
//! `[workspace.package] version`, and requirements on path dependencies between members). Pure;
//! must not read the disk (member discovery is `discover.rs`) and must not touch `Cargo.lock`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use semver::{BuildMetadata, Version};

use super::cargo_manifest::{Manifest, PackageVersion};
use super::error::VersionFileError;
use super::requirement::{RequirementProblem, retarget};
use super::text_edit::Splice;
use super::{FoundVersion, SourceFile, VersionFileKind, VersionForm};

/// The Cargo manifests among the version files, parsed.
///
/// The members are exactly the manifests given: `discover` finds them the way Cargo does, and a
/// configured list names them explicitly.
#[derive(Debug)]
pub(super) struct Workspace<'f> {
    /// Each manifest with the index of its file in the caller's list.
    manifests: Vec<(usize, Manifest<'f>)>,
}

impl<'f> Workspace<'f> {
    /// Parses every [`VersionFileKind::CargoManifest`] in `files` and checks that every inherited
    /// version has a workspace version to inherit.
    pub(super) fn from_files(files: &'f [SourceFile]) -> Result<Self, VersionFileError> {
        let mut manifests = Vec::new();
        for (index, file) in files.iter().enumerate() {
            if file.kind == VersionFileKind::CargoManifest {
                manifests.push((index, Manifest::parse(file)?));
            }
        }
        let has_workspace_version = manifests.iter().any(|(_, manifest)| {
            manifest
                .workspace
                .as_ref()
                .is_some_and(|workspace| workspace.version.is_some())
        });
        if !has_workspace_version {
            for (_, manifest) in &manifests {
                if let Some(PackageVersion::Inherited { line }) =
                    manifest.package.as_ref().map(|package| &package.version)
                {
                    return Err(VersionFileError::MissingWorkspaceVersion {
                        path: manifest.file.path.clone(),
                        line: *line,
                    });
                }
            }
        }
        Ok(Self { manifests })
    }

    /// The version sources: `[workspace.package] version` and every `[package] version` written
    /// out, each with the index of its file. Inherited and absent versions are not sources.
    pub(super) fn found_versions(&self) -> Vec<(usize, FoundVersion)> {
        let mut found = Vec::new();
        for (index, manifest) in &self.manifests {
            let workspace_version = manifest
                .workspace
                .as_ref()
                .and_then(|workspace| workspace.version.as_ref())
                .map(|field| ("workspace.package.version", field));
            let package_version = match manifest.package.as_ref().map(|package| &package.version) {
                Some(PackageVersion::Own(field)) => Some(("package.version", field)),
                _ => None,
            };
            for (name, field) in workspace_version.into_iter().chain(package_version) {
                found.push((
                    *index,
                    FoundVersion {
                        path: manifest.file.path.clone(),
                        line: field.literal.line,
                        field: name.to_owned(),
                        version: field.version.clone(),
                        written: field.literal.value.clone(),
                        form: VersionForm::SemVer,
                    },
                ));
            }
        }
        found.sort_by_key(|(index, found)| (*index, found.line));
        found
    }

    /// Names of the packages whose version moves with the release (own or inherited version).
    pub(super) fn released_package_names(&self) -> BTreeSet<String> {
        self.released_packages().into_values().collect()
    }

    /// The released packages by directory (relative to the repository root).
    fn released_packages(&self) -> BTreeMap<PathBuf, String> {
        self.manifests
            .iter()
            .filter_map(|(_, manifest)| {
                let package = manifest.package.as_ref()?;
                match package.version {
                    PackageVersion::Own(_) | PackageVersion::Inherited { .. } => {
                        Some((manifest.dir.clone(), package.name.clone()))
                    }
                    PackageVersion::Absent => None,
                }
            })
            .collect()
    }

    /// The splices that move every manifest to `new`, by file index. Files with nothing to
    /// change are left out.
    pub(super) fn splices(
        &self,
        new: &Version,
    ) -> Result<Vec<(usize, Vec<Splice>)>, VersionFileError> {
        let released = self.released_packages();
        let new_text = new.to_string();
        let mut out = Vec::new();
        for (index, manifest) in &self.manifests {
            let file = manifest.file;
            let mut splices = Vec::new();

            let workspace_version = manifest
                .workspace
                .as_ref()
                .and_then(|workspace| workspace.version.as_ref());
            let package_version = match manifest.package.as_ref().map(|package| &package.version) {
                Some(PackageVersion::Own(field)) => Some(field),
                _ => None,
            };
            for field in workspace_version.into_iter().chain(package_version) {
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
                    .is_some_and(|target| released.contains_key(&target));
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

            if !splices.is_empty() {
                out.push((*index, splices));
            }
        }
        Ok(out)
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
pub(super) fn resolve(base: &Path, path: &str) -> Option<PathBuf> {
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
    use super::*;
    use crate::plan::version_files::text_edit::apply;

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
        let workspace = Workspace::from_files(files).map_err(|error| error.to_string())?;
        let splices = workspace
            .splices(&Version::parse(new).unwrap())
            .map_err(|error| error.to_string())?;
        Ok(files
            .iter()
            .enumerate()
            .map(|(index, file)| {
                let file_splices = splices
                    .iter()
                    .find(|(spliced, _)| *spliced == index)
                    .map(|(_, splices)| splices.clone())
                    .unwrap_or_default();
                apply(&file.text, file_splices)
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
        let workspace = Workspace::from_files(&files).unwrap();
        let found: Vec<_> = workspace
            .found_versions()
            .into_iter()
            .map(|(index, found)| (index, found.field, found.line, found.version.to_string()))
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
            workspace.released_package_names(),
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
        let error = Workspace::from_files(&[root, a]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`a/Cargo.toml` line 3: `version.workspace = true`, but no workspace `Cargo.toml` among \
             the version files declares `[workspace.package] version`; add `version = \"…\"` under \
             `[workspace.package]`, or add the workspace `Cargo.toml` to the version files"
        );
    }
}
