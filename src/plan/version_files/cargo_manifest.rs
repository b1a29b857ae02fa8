//! The `Cargo.toml` kind, one file at a time: the package's name and version, the workspace's
//! `[workspace.package] version`, `members` and `exclude`, and the dependencies that carry a
//! `path` or inherit from the workspace. Pure; must not read the disk and must not decide anything
//! that needs other manifests (that is `workspace.rs`).

use std::path::{Path, PathBuf};

use semver::Version;
use toml_edit::{Item, TableLike};

use super::SourceFile;
use super::error::{VersionFileError, example_version};
use super::toml_source::{StringField, item_line, parse, string_item, string_value, wrong_type};

/// What to write instead of a version of the wrong type.
const VERSION_EXPECTED: &str = "a string such as `\"1.2.0\"`";

/// The dependency tables Cargo reads, at the top level and under `[target.'…']`. The underscore
/// spellings are older aliases that Cargo still accepts before edition 2024.
const DEPENDENCY_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
];

/// One parsed `Cargo.toml`.
#[derive(Debug)]
pub(crate) struct Manifest<'f> {
    /// The file it was read from.
    pub file: &'f SourceFile,
    /// The directory holding the manifest, relative to the repository root (empty for the root).
    pub dir: PathBuf,
    /// `[package]`, if the manifest has one (a virtual workspace manifest has none).
    pub package: Option<Package>,
    /// `[workspace]`, if this manifest is a workspace root.
    pub workspace: Option<WorkspaceSection>,
    /// Dependencies with a `path` or `workspace = true`, from every dependency table.
    pub dependencies: Vec<Dependency>,
}

/// `[package]` of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Package {
    /// `package.name`.
    pub name: String,
    /// `package.version`.
    pub version: PackageVersion,
}

/// How a package declares its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PackageVersion {
    /// `version = "1.2.3"`: a version source of its own.
    Own(VersionField),
    /// `version.workspace = true` or `version = { workspace = true }`.
    Inherited {
        /// 1-based line of the `version` key.
        line: usize,
    },
    /// No `version`: Cargo (1.75+) treats the package as `0.0.0` and unpublishable, so it is
    /// neither a version source nor an edit target.
    Absent,
}

/// A version string and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VersionField {
    /// The parsed version.
    pub version: Version,
    /// The string literal.
    pub literal: StringField,
}

/// `[workspace]` of a workspace root manifest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct WorkspaceSection {
    /// `[workspace.package] version`, the version members inherit.
    pub version: Option<VersionField>,
    /// `workspace.members` entries (paths or globs), with their lines.
    pub members: Vec<StringField>,
    /// `workspace.exclude` entries (path prefixes).
    pub exclude: Vec<String>,
}

/// Where a dependency entry is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DependencyScope {
    /// A package's `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`, or their
    /// `[target.'…']` variants.
    Package,
    /// `[workspace.dependencies]`, which members use through `dep = { workspace = true }`.
    Workspace,
}

/// A dependency entry that may point at a workspace member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dependency {
    /// Which kind of table it is declared in.
    pub scope: DependencyScope,
    /// Its key in the table (the name the code uses; `package = "…"` may rename it).
    pub key: String,
    /// `path = "…"`, relative to the manifest's directory.
    pub path: Option<String>,
    /// `version = "…"`, the requirement.
    pub requirement: Option<StringField>,
    /// `workspace = true`: the entry comes from `[workspace.dependencies]`.
    pub inherits: bool,
}

impl<'f> Manifest<'f> {
    /// Parses a `Cargo.toml`.
    pub(crate) fn parse(file: &'f SourceFile) -> Result<Self, VersionFileError> {
        let document = parse(file)?;
        let root = document.as_table();

        let package = match root.get("package") {
            Some(item) => Some(read_package(file, item)?),
            None => None,
        };
        let mut dependencies = Vec::new();
        for table in DEPENDENCY_TABLES {
            if let Some(entries) = root.get(table).and_then(Item::as_table_like) {
                read_dependencies(file, entries, DependencyScope::Package, &mut dependencies)?;
            }
        }
        if let Some(targets) = root.get("target").and_then(Item::as_table_like) {
            for (_, target) in targets.iter() {
                let Some(target) = target.as_table_like() else {
                    continue;
                };
                for table in DEPENDENCY_TABLES {
                    if let Some(entries) = target.get(table).and_then(Item::as_table_like) {
                        read_dependencies(
                            file,
                            entries,
                            DependencyScope::Package,
                            &mut dependencies,
                        )?;
                    }
                }
            }
        }
        let workspace = match root.get("workspace") {
            Some(item) => Some(read_workspace(file, item, &mut dependencies)?),
            None => None,
        };

        Ok(Self {
            file,
            dir: file
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            package,
            workspace,
            dependencies,
        })
    }
}

fn read_package(file: &SourceFile, item: &Item) -> Result<Package, VersionFileError> {
    let Some(table) = item.as_table_like() else {
        return Err(wrong_type(
            file,
            item_line(file, item),
            "package",
            item.type_name(),
            "a table `[package]`",
        ));
    };
    let name = match table.get("name") {
        Some(name) => {
            string_item(
                file,
                name,
                "package.name",
                "a string such as `\"my-crate\"`",
            )?
            .value
        }
        None => {
            return Err(VersionFileError::MissingField {
                path: file.path.clone(),
                line: item_line(file, item),
                table: "[package]".to_owned(),
                field: "name".to_owned(),
                example: "a line such as `name = \"my-crate\"`".to_owned(),
            });
        }
    };
    let version = match table.get("version") {
        None => PackageVersion::Absent,
        Some(version) if inherits_workspace(version) => PackageVersion::Inherited {
            line: item_line(file, version),
        },
        Some(version) => PackageVersion::Own(read_version(
            file,
            version,
            "package.version",
            &format!("{VERSION_EXPECTED} or `{{ workspace = true }}`"),
        )?),
    };
    Ok(Package { name, version })
}

fn read_workspace(
    file: &SourceFile,
    item: &Item,
    dependencies: &mut Vec<Dependency>,
) -> Result<WorkspaceSection, VersionFileError> {
    let Some(table) = item.as_table_like() else {
        return Err(wrong_type(
            file,
            item_line(file, item),
            "workspace",
            item.type_name(),
            "a table `[workspace]`",
        ));
    };
    let version = match table
        .get("package")
        .and_then(Item::as_table_like)
        .and_then(|package| package.get("version"))
    {
        Some(version) => Some(read_version(
            file,
            version,
            "workspace.package.version",
            VERSION_EXPECTED,
        )?),
        None => None,
    };
    let members = read_string_array(file, table.get("members"), "workspace.members")?;
    let exclude = read_string_array(file, table.get("exclude"), "workspace.exclude")?
        .into_iter()
        .map(|field| field.value)
        .collect();
    if let Some(entries) = table.get("dependencies").and_then(Item::as_table_like) {
        read_dependencies(file, entries, DependencyScope::Workspace, dependencies)?;
    }
    Ok(WorkspaceSection {
        version,
        members,
        exclude,
    })
}

/// Reads a version string; `field` names it in errors.
fn read_version(
    file: &SourceFile,
    item: &Item,
    field: &str,
    expected: &str,
) -> Result<VersionField, VersionFileError> {
    let literal = string_item(file, item, field, expected)?;
    let version = Version::parse(&literal.value).map_err(|_| VersionFileError::NotSemver {
        path: file.path.clone(),
        line: literal.line,
        found: format!("version = {}", literal.raw(file)),
        example: example_version(&literal.value),
    })?;
    Ok(VersionField { version, literal })
}

/// `version.workspace = true` (a dotted table) or `version = { workspace = true }`.
fn inherits_workspace(item: &Item) -> bool {
    item.as_table_like()
        .and_then(|table| table.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

fn read_string_array(
    file: &SourceFile,
    item: Option<&Item>,
    field: &str,
) -> Result<Vec<StringField>, VersionFileError> {
    let expected = "an array of paths such as `[\"crates/*\"]`";
    let Some(item) = item else {
        return Ok(Vec::new());
    };
    let Some(array) = item.as_array() else {
        return Err(wrong_type(
            file,
            item_line(file, item),
            field,
            item.type_name(),
            expected,
        ));
    };
    array
        .iter()
        .map(|value| string_value(file, value, &format!("{field} entry"), "a string path"))
        .collect()
}

fn read_dependencies(
    file: &SourceFile,
    entries: &dyn TableLike,
    scope: DependencyScope,
    out: &mut Vec<Dependency>,
) -> Result<(), VersionFileError> {
    for (key, entry) in entries.iter() {
        // `name = "1.2"` is a registry dependency: never a workspace member.
        let Some(entry) = entry.as_table_like() else {
            continue;
        };
        let inherits = entry.get("workspace").and_then(Item::as_bool) == Some(true);
        let path = match entry.get("path") {
            Some(path) => Some(
                string_item(
                    file,
                    path,
                    &format!("{key}.path"),
                    "a string path such as `\"../core\"`",
                )?
                .value,
            ),
            None => None,
        };
        if path.is_none() && !inherits {
            continue;
        }
        let requirement = match entry.get("version") {
            Some(version) if path.is_some() => Some(string_item(
                file,
                version,
                &format!("{key}.version"),
                "a string requirement such as `\"1.2.0\"`",
            )?),
            _ => None,
        };
        out.push(Dependency {
            scope,
            key: key.to_owned(),
            path,
            requirement,
            inherits,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::VersionFileKind;

    fn manifest_file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind: VersionFileKind::CargoManifest,
            origin: crate::plan::version_files::Origin::Detected,
            text: text.to_owned(),
        }
    }

    fn version_of(text: &str) -> Result<Option<PackageVersion>, String> {
        let file = manifest_file("Cargo.toml", text);
        Manifest::parse(&file)
            .map(|manifest| manifest.package.map(|package| package.version))
            .map_err(|error| error.to_string())
    }

    #[test]
    fn reads_how_the_package_declares_its_version() {
        let own = version_of("[package]\nname = \"a\"\nversion = \"1.2.3\"\n").unwrap();
        let Some(PackageVersion::Own(field)) = own else {
            panic!("expected an own version, got {own:?}");
        };
        assert_eq!(field.version, Version::parse("1.2.3").unwrap());
        assert_eq!(
            (field.literal.line, field.literal.span.clone()),
            (3, 31..38)
        );

        // (manifest, expected)
        let rows = [
            (
                "[package]\nname = \"a\"\nversion.workspace = true\n",
                Some(PackageVersion::Inherited { line: 3 }),
            ),
            (
                "[package]\nname = \"a\"\n\nversion = { workspace = true }\n",
                Some(PackageVersion::Inherited { line: 4 }),
            ),
            ("[package]\nname = \"a\"\n", Some(PackageVersion::Absent)),
            ("[workspace]\nmembers = []\n", None),
        ];
        for (text, expected) in rows {
            assert_eq!(version_of(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn prerelease_and_build_metadata_are_versions() {
        let found = version_of("[package]\nname = \"a\"\nversion = '1.3.0-rc.1+sha.5'\n").unwrap();
        let Some(PackageVersion::Own(field)) = found else {
            panic!("{found:?}");
        };
        assert_eq!(field.version.to_string(), "1.3.0-rc.1+sha.5");
    }

    #[test]
    fn rejects_bad_package_tables() {
        let rows = [
            (
                "[package]\nname = \"core\"\n\n\n\n\nversion = \"1.2\"\n",
                "`crates/core/Cargo.toml` line 7: `version = \"1.2\"` is not a SemVer version (X.Y.Z); write a full version such as `1.2.0`",
            ),
            (
                "[package]\nname = \"core\"\nversion = 'v1.2.3'\n",
                "`crates/core/Cargo.toml` line 3: `version = 'v1.2.3'` is not a SemVer version (X.Y.Z); write a full version such as `1.2.3`",
            ),
            (
                "[package]\nname = \"core\"\nversion = 1\n",
                "`crates/core/Cargo.toml` line 3: `package.version` is an integer; write a string such as `\"1.2.0\"` or `{ workspace = true }`",
            ),
            (
                "[package]\nversion = \"1.2.3\"\n",
                "`crates/core/Cargo.toml` line 1: `[package]` has no `name`; add a line such as `name = \"my-crate\"`",
            ),
            (
                "[workspace.package]\nversion = \"latest\"\n",
                "`crates/core/Cargo.toml` line 2: `version = \"latest\"` is not a SemVer version (X.Y.Z); write a full version such as `0.1.0`",
            ),
            (
                "[workspace]\nmembers = \"crates/*\"\n",
                "`crates/core/Cargo.toml` line 2: `workspace.members` is a string; write an array of paths such as `[\"crates/*\"]`",
            ),
            (
                "[package]\nname = \"a\"\n[dependencies]\ncore = { path = \"../core\", version = 1 }\n",
                "`crates/core/Cargo.toml` line 4: `core.version` is an integer; write a string requirement such as `\"1.2.0\"`",
            ),
        ];
        for (text, message) in rows {
            let file = manifest_file("crates/core/Cargo.toml", text);
            let error = Manifest::parse(&file).unwrap_err();
            assert_eq!(error.to_string(), message, "{text}");
        }
    }

    #[test]
    fn reads_path_dependencies_from_every_table_form() {
        let text = r#"[package]
name = "app"
version = "1.2.3"

[dependencies]
core = { path = "../core", version = "1.2.3" }
serde = "1.2.3"
regex = { version = "1.2.3", features = ["std"] }
util.path = "../util"
util.version = "=1.2.3"
shared = { workspace = true }

[dependencies.macros]
path = "../macros"

[dev-dependencies]
testkit = { path = "../testkit", version = "^1.2" }

[build_dependencies]
gen = { path = "../gen", version = "1.2.3" }

[target.'cfg(unix)'.dependencies]
unix-core = { package = "core", path = "../core", version = "~1.2.3" }

[workspace.dependencies]
core = { path = "crates/core", version = "1.2.3" }
"#;
        let file = manifest_file("crates/app/Cargo.toml", text);
        let manifest = Manifest::parse(&file).unwrap();
        assert_eq!(manifest.dir, Path::new("crates/app"));
        let summary: Vec<_> = manifest
            .dependencies
            .iter()
            .map(|dependency| {
                (
                    dependency.scope,
                    dependency.key.as_str(),
                    dependency.path.as_deref(),
                    dependency
                        .requirement
                        .as_ref()
                        .map(|requirement| (requirement.value.as_str(), requirement.line)),
                    dependency.inherits,
                )
            })
            .collect();
        use DependencyScope::{Package as P, Workspace as W};
        assert_eq!(
            summary,
            [
                (P, "core", Some("../core"), Some(("1.2.3", 6)), false),
                (P, "util", Some("../util"), Some(("=1.2.3", 10)), false),
                (P, "shared", None, None, true),
                (P, "macros", Some("../macros"), None, false),
                (P, "testkit", Some("../testkit"), Some(("^1.2", 17)), false),
                (P, "gen", Some("../gen"), Some(("1.2.3", 20)), false),
                (P, "unix-core", Some("../core"), Some(("~1.2.3", 23)), false),
                (W, "core", Some("crates/core"), Some(("1.2.3", 26)), false),
            ]
        );
    }

    #[test]
    fn reads_workspace_members_and_exclude() {
        let text = "[workspace]\nmembers = [\n  \"crates/*\",\n  'tools/cli',\n]\nexclude = [\"crates/legacy\"]\n\n[workspace.package]\nversion = \"0.4.0\"\n";
        let file = manifest_file("Cargo.toml", text);
        let manifest = Manifest::parse(&file).unwrap();
        assert_eq!(manifest.dir, Path::new(""));
        let workspace = manifest.workspace.unwrap();
        let members: Vec<_> = workspace
            .members
            .iter()
            .map(|member| (member.value.as_str(), member.line))
            .collect();
        assert_eq!(members, [("crates/*", 3), ("tools/cli", 4)]);
        assert_eq!(workspace.exclude, ["crates/legacy"]);
        let version = workspace.version.unwrap();
        assert_eq!(version.version.to_string(), "0.4.0");
        assert_eq!(version.literal.line, 9);
    }
}
