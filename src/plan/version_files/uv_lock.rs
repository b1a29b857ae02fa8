//! The `uv.lock` kind: the version of the project's own entry, the `[[package]]` whose source is
//! the project directory (`source = { editable = "." }` or `{ virtual = "." }`). Pure; must not
//! read the disk. Never a version source: it follows `pyproject.toml`.
//!
//! uv writes that version in PEP 440 normalised form, so relcut does too. An entry without
//! `version` (uv leaves it out for a dynamic version) is left alone.

use std::path::{Path, PathBuf};

use semver::Version;
use toml_edit::{Document, Item};

use super::SourceFile;
use super::error::VersionFileError;
use super::format::{Context, Parsed, VersionFileModel, with_origin};
use super::pep440;
#[cfg(test)]
use super::pyproject::Pyproject;
use super::text_edit::Splice;
use super::toml_source::{StringField, item_line, parse, string_item, string_value, wrong_type};

/// Reads a `uv.lock` into its model; its project entry is found once the `pyproject.toml`
/// beside it has shared its name (see [`VersionFileModel::link`]).
///
/// # Errors
///
/// Invalid TOML.
pub(super) fn parse_lock<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    Ok(Box::new(UvLockFile {
        file,
        document: parse(file)?,
        project_version: None,
        member_versions: Vec::new(),
    }))
}

/// A `uv.lock`, parsed.
struct UvLockFile<'f> {
    file: &'f SourceFile,
    document: Document<&'f str>,
    /// The project entry's `version`, once linked; `None` also when the entry has none.
    project_version: Option<StringField>,
    /// The `version`s of the uv workspace members' entries, once linked, with the path of the
    /// member's `pyproject.toml`.
    member_versions: Vec<(PathBuf, StringField)>,
}

impl VersionFileModel for UvLockFile<'_> {
    fn link(&mut self, context: &Context) -> Result<(), VersionFileError> {
        let beside = self.file.path.with_file_name("pyproject.toml");
        let project_name = context
            .python_projects
            .get(&beside)
            .and_then(Option::as_deref);
        self.project_version = project_entry_version(self.file, &self.document, project_name)?;
        // Workspace members are the other projects under the lockfile's directory; uv writes
        // each one's entry with its directory as the source.
        let lock_dir = self.file.path.parent().unwrap_or(Path::new(""));
        for path in context.python_projects.keys() {
            let Some(directory) = path
                .parent()
                .and_then(|dir| dir.strip_prefix(lock_dir).ok())
            else {
                continue;
            };
            if directory.as_os_str().is_empty() {
                continue;
            }
            let source = directory.to_string_lossy().replace('\\', "/");
            if let Some(field) = member_entry_version(self.file, &self.document, &source)? {
                self.member_versions.push((path.clone(), field));
            }
        }
        Ok(())
    }

    fn splices(&self, new: &Version, context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        // A private member at a version of its own stays, and so does its entry.
        let in_lockstep = |field: &StringField| {
            let project = context.project_version.as_ref().map(pep440::to_pep440);
            matches!(
                (pep440::normalize(&field.value), project),
                (Ok(mine), Some(Ok(theirs))) if mine == theirs
            )
        };
        let members = self
            .member_versions
            .iter()
            .filter(|(path, field)| !context.python_followers.contains(path) || in_lockstep(field))
            .map(|(_, field)| field);
        self.project_version
            .iter()
            .chain(members)
            .map(|field| rewrite(self.file, field, new))
            .collect()
    }

    fn reason(&self) -> String {
        if self.member_versions.is_empty() {
            with_origin(self.file, "uv lockfile, the project's own entry")
        } else {
            with_origin(self.file, "uv lockfile, the workspace's own entries")
        }
    }
}

/// The project's own `version` in the lockfile, if the entry has one.
#[cfg(test)]
fn project_version(
    file: &SourceFile,
    project: Option<&Pyproject>,
) -> Result<Option<StringField>, VersionFileError> {
    let document = parse(file)?;
    project_entry_version(
        file,
        &document,
        project.and_then(|project| project.name.as_deref()),
    )
}

/// The `version` of the project's own entry in a parsed lockfile, if the entry has one.
///
/// `project_name` is the name in the `pyproject.toml` beside the lockfile, when it is among the
/// version files; it picks the entry. Without it, the one entry whose source is `.` is taken.
///
/// # Errors
///
/// Fields of the wrong type, no entry for the project.
fn project_entry_version(
    file: &SourceFile,
    document: &Document<&str>,
    project_name: Option<&str>,
) -> Result<Option<StringField>, VersionFileError> {
    let wanted = project_name.map(normalize_name);
    let packages = match document.get("package") {
        None => None,
        Some(item) => Some(item.as_array_of_tables().ok_or_else(|| {
            wrong_type(
                file,
                item_line(file, item),
                "package",
                item.type_name(),
                "an array of tables, `[[package]]`",
            )
        })?),
    };
    for package in packages.into_iter().flatten() {
        let is_root = package
            .get("source")
            .and_then(Item::as_table_like)
            .is_some_and(|source| {
                ["editable", "virtual"]
                    .iter()
                    .any(|key| source.get(key).and_then(Item::as_str) == Some("."))
            });
        if !is_root {
            continue;
        }
        if let Some(wanted) = &wanted {
            let name = match package.get("name") {
                Some(item) => string_item(file, item, "package.name", "a string")?.value,
                None => continue,
            };
            if normalize_name(&name) != *wanted {
                continue;
            }
        }
        return match package.get("version") {
            None => Ok(None),
            Some(item) => match item.as_value() {
                Some(value) => string_value(
                    file,
                    value,
                    "package.version",
                    "a string such as `\"1.2.0\"`",
                )
                .map(Some),
                None => Err(wrong_type(
                    file,
                    item_line(file, item),
                    "package.version",
                    item.type_name(),
                    "a string such as `\"1.2.0\"`",
                )),
            },
        };
    }
    Err(VersionFileError::NoLockRoot {
        path: file.path.clone(),
        line: None,
        problem: match project_name {
            Some(name) => format!(
                "there is no `[[package]]` entry for the project `{name}` with `source = {{ editable = \".\" }}`"
            ),
            None => String::from(
                "there is no `[[package]]` entry for the project itself (`source = { editable = \".\" }`)",
            ),
        },
        fix: String::from("regenerate it with `uv lock` and run again"),
    })
}

/// The `version` of the entry whose source is the directory `source` (`packages/a`), if there
/// is one with a version.
fn member_entry_version(
    file: &SourceFile,
    document: &Document<&str>,
    source: &str,
) -> Result<Option<StringField>, VersionFileError> {
    let Some(packages) = document.get("package").and_then(Item::as_array_of_tables) else {
        return Ok(None);
    };
    for package in packages {
        let matches = package
            .get("source")
            .and_then(Item::as_table_like)
            .is_some_and(|table| {
                ["editable", "virtual", "directory"]
                    .iter()
                    .any(|key| table.get(key).and_then(Item::as_str) == Some(source))
            });
        if let (true, Some(value)) = (matches, package.get("version").and_then(Item::as_value)) {
            return string_value(
                file,
                value,
                "package.version",
                "a string such as `\"1.2.0\"`",
            )
            .map(Some);
        }
    }
    Ok(None)
}

/// The splice that writes `new`, in PEP 440 form, as the project's version.
pub(super) fn rewrite(
    file: &SourceFile,
    field: &StringField,
    new: &Version,
) -> Result<Splice, VersionFileError> {
    let written = pep440::to_pep440(new).map_err(|error| VersionFileError::NoPep440Form {
        path: file.path.clone(),
        line: Some(field.line),
        message: error.to_string(),
    })?;
    Ok(field.rewrite(file, &written))
}

/// A distribution name as PEP 503 compares it: lower case, runs of `-`, `_` and `.` as one `-`.
fn normalize_name(name: &str) -> String {
    let mut normalized = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                normalized.push('-');
            }
            in_separator = true;
        } else {
            normalized.extend(c.to_lowercase());
            in_separator = false;
        }
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::{Origin, VersionFileKind, text_edit::apply};

    const LOCK: &str = r#"version = 1
revision = 2
requires-python = ">=3.11"

[[package]]
name = "idna"
version = "3.10"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/idna-3.10.tar.gz", hash = "sha256:12", size = 190490 }

[[package]]
name = "my-pkg"
version = "1.2.3"
source = { editable = "." }
dependencies = [
    { name = "idna" },
]

[package.metadata]
requires-dist = [{ name = "idna", specifier = ">=3" }]
"#;

    fn file(path: &str, kind: VersionFileKind, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind,
            origin: Origin::Detected,
            text: text.to_owned(),
        }
    }

    fn project(name: &str) -> Pyproject {
        let text = format!("[project]\nname = \"{name}\"\nversion = \"1.2.3\"\n");
        Pyproject::parse(
            &file("pyproject.toml", VersionFileKind::Pyproject, &text),
            false,
        )
        .unwrap()
    }

    #[test]
    fn moves_only_the_project_entry() {
        let lock = file("uv.lock", VersionFileKind::UvLock, LOCK);
        for name in ["my-pkg", "My_Pkg", "my.pkg"] {
            let field = project_version(&lock, Some(&project(name)))
                .unwrap()
                .unwrap();
            let splice = rewrite(&lock, &field, &Version::parse("1.3.0-rc.1").unwrap()).unwrap();
            assert_eq!(
                apply(LOCK, vec![splice]),
                LOCK.replace("version = \"1.2.3\"", "version = \"1.3.0rc1\""),
                "{name}"
            );
        }
        let field = project_version(&lock, None).unwrap().unwrap();
        assert_eq!(field.line, 13);
    }

    #[test]
    fn a_dynamic_project_entry_has_no_version() {
        let text = "version = 1\n\n[[package]]\nname = \"my-pkg\"\nsource = { virtual = \".\" }\n";
        let lock = file("uv.lock", VersionFileKind::UvLock, text);
        assert_eq!(
            project_version(&lock, Some(&project("my-pkg"))).unwrap(),
            None
        );
    }

    #[test]
    fn errors_name_the_fix() {
        let lock = file("uv.lock", VersionFileKind::UvLock, LOCK);
        assert_eq!(
            project_version(&lock, Some(&project("other")))
                .unwrap_err()
                .to_string(),
            "`uv.lock`: there is no `[[package]]` entry for the project `other` with `source = { editable = \".\" }`; regenerate it with `uv lock` and run again"
        );
        let no_packages = file("uv.lock", VersionFileKind::UvLock, "version = 1\n");
        assert_eq!(
            project_version(&no_packages, None).unwrap_err().to_string(),
            "`uv.lock`: there is no `[[package]]` entry for the project itself (`source = { editable = \".\" }`); regenerate it with `uv lock` and run again"
        );
        let broken = file(
            "uv.lock",
            VersionFileKind::UvLock,
            "version = 1\n[[package]\n",
        );
        assert!(
            project_version(&broken, None)
                .unwrap_err()
                .to_string()
                .starts_with("`uv.lock` line 2: invalid TOML")
        );
    }

    #[test]
    fn names_are_normalised_as_pep_503_says() {
        for (name, normalized) in [("My_Pkg", "my-pkg"), ("a.-_b", "a-b"), ("Django", "django")] {
            assert_eq!(normalize_name(name), normalized);
        }
    }
}
