//! The `pyproject.toml` kind: `[project] version` (PEP 621) and `[tool.poetry] version`, written
//! in PEP 440 form. Pure; must not read the disk.
//!
//! Format rules (for the README):
//! - Both fields are version sources when present, read as PEP 440 and compared with the other
//!   sources as the same version (`1.3.0rc1` is `1.3.0-rc.1`).
//! - The new version is written in PEP 440 normalised form (`1.3.0-rc.1` → `1.3.0rc1`).
//! - `dynamic = ["version"]` without a `[tool.poetry] version` means the build backend computes
//!   the version from another file or from git: that is an error that says where to point relcut,
//!   unless `relcut.toml` names pattern files (the version then lives in one of them).
//! - A detected `pyproject.toml` with neither table (one that only configures tools) is left
//!   alone; a `[project]` table without `version` and not dynamic is an error, as it is for
//!   every build backend.

use semver::Version;
use toml_edit::{Item, TableLike};

use super::error::{VersionFileError, example_version};
use super::format::{Context, Parsed, VersionFileModel, with_origin};
use super::pep440;
use super::text_edit::Splice;
use super::toml_source::{StringField, item_line, parse, string_item, wrong_type};
use super::{FoundVersion, Origin, SourceFile, VersionForm};

/// The classifier that marks a package never to be uploaded.
const PRIVATE_CLASSIFIER: &str = "Private :: Do Not Upload";

/// What to write instead of a version of the wrong type.
const VERSION_EXPECTED: &str = "a string such as `\"1.2.0\"`";

/// The version fields of one `pyproject.toml`.
#[derive(Debug)]
pub(super) struct Pyproject {
    /// The project's name (`[project] name`, else `[tool.poetry] name`), as written.
    pub name: Option<String>,
    /// Whether `[project]` declares the version dynamic (and no Poetry version is written).
    pub dynamic: bool,
    /// Whether its classifiers say `Private :: Do Not Upload` (PyPI refuses such a package).
    pub private: bool,
    /// `project.version` and `tool.poetry.version`, those present.
    fields: Vec<VersionField>,
}

#[derive(Debug)]
struct VersionField {
    name: &'static str,
    literal: StringField,
    version: Version,
}

impl Pyproject {
    /// Reads the version fields. `has_patterns` says whether `relcut.toml` names pattern files,
    /// which is where a dynamic version is then expected to live.
    pub(super) fn parse(file: &SourceFile, has_patterns: bool) -> Result<Self, VersionFileError> {
        let document = parse(file)?;
        let root = document.as_table();
        let project = table(file, root.get("project"), "project")?;
        let poetry = match table(file, root.get("tool"), "tool")? {
            Some(tool) => table(file, tool.get("poetry"), "tool.poetry")?,
            None => None,
        };

        let private = project
            .and_then(|project| project.get("classifiers"))
            .and_then(Item::as_array)
            .is_some_and(|classifiers| {
                classifiers
                    .iter()
                    .any(|value| value.as_str() == Some(PRIVATE_CLASSIFIER))
            });
        let mut fields = Vec::new();
        let mut name = None;
        for (section, field) in [(project, "project"), (poetry, "tool.poetry")] {
            let Some(section) = section else {
                continue;
            };
            if let Some(item) = section.get("name") {
                let value = string_item(file, item, &format!("{field}.name"), "a string")?;
                name.get_or_insert(value.value);
            }
            if let Some(item) = section.get("version") {
                let name = if field == "project" {
                    "project.version"
                } else {
                    "tool.poetry.version"
                };
                fields.push(read_version(file, item, name)?);
            }
        }
        if fields.is_empty() {
            if let Some(line) = project.and_then(|project| dynamic_version_line(file, project)) {
                if has_patterns {
                    return Ok(Self {
                        name,
                        dynamic: true,
                        private,
                        fields,
                    });
                }
                return Err(VersionFileError::DynamicVersion {
                    path: file.path.clone(),
                    line,
                    source_hint: source_hint(root),
                });
            }
            if let Some(item) = root.get("project") {
                return Err(VersionFileError::MissingField {
                    path: file.path.clone(),
                    line: item_line(file, item),
                    table: String::from("[project]"),
                    field: String::from("version"),
                    example: String::from(
                        "a line such as `version = \"0.1.0\"` (PEP 621 requires it unless it is dynamic)",
                    ),
                });
            }
            if file.origin != Origin::Detected {
                return Err(VersionFileError::NoVersionField {
                    path: file.path.clone(),
                    line: None,
                    problem: String::from(
                        "there is no `[project] version` or `[tool.poetry] version`",
                    ),
                    fix: String::from(
                        "add `version = \"0.1.0\"` under `[project]`, or remove the file from relcut.toml",
                    ),
                });
            }
        }
        Ok(Self {
            name,
            dynamic: false,
            private,
            fields,
        })
    }

    /// The versions this file declares, in line order.
    pub(super) fn found(&self, file: &SourceFile) -> Vec<FoundVersion> {
        let mut found: Vec<FoundVersion> = self
            .fields
            .iter()
            .map(|field| FoundVersion {
                path: file.path.clone(),
                line: field.literal.line,
                field: field.name.to_owned(),
                version: field.version.clone(),
                written: field.literal.value.clone(),
                form: VersionForm::Pep440,
            })
            .collect();
        found.sort_by_key(|found| found.line);
        found
    }

    /// The splices that write `new`, in PEP 440 form, into every version field.
    pub(super) fn splices(
        &self,
        file: &SourceFile,
        new: &Version,
    ) -> Result<Vec<Splice>, VersionFileError> {
        let Some(first) = self.fields.first() else {
            return Ok(Vec::new());
        };
        let written = pep440::to_pep440(new).map_err(|error| VersionFileError::NoPep440Form {
            path: file.path.clone(),
            line: Some(first.literal.line),
            message: error.to_string(),
        })?;
        Ok(self
            .fields
            .iter()
            .map(|field| field.literal.rewrite(file, &written))
            .collect())
    }
}

/// Reads a `pyproject.toml` into its model.
///
/// # Errors
///
/// What [`Pyproject::parse`] reports.
pub(super) fn parse_project<'f>(file: &'f SourceFile, context: &Context) -> Parsed<'f> {
    Ok(Box::new(PyprojectFile {
        file,
        project: Pyproject::parse(file, context.has_patterns)?,
    }))
}

/// A `pyproject.toml`, parsed.
struct PyprojectFile<'f> {
    file: &'f SourceFile,
    project: Pyproject,
}

impl PyprojectFile<'_> {
    /// A private detected workspace member: not a version source, moved only in lockstep (the
    /// root and listed files are always sources).
    fn follower(&self) -> bool {
        self.project.private
            && match self.file.origin {
                Origin::Detected => self.file.path != std::path::Path::new("pyproject.toml"),
                Origin::Matched => true,
                Origin::Configured => false,
            }
    }

    /// Its first version, when it is a follower not in lockstep with the project.
    fn left_behind(&self, context: &Context) -> Option<FoundVersion> {
        let first = self.project.found(self.file).into_iter().next()?;
        let in_lockstep = context
            .project_version
            .as_ref()
            .is_some_and(|version| first.agrees_with(version));
        (self.follower() && !in_lockstep).then_some(first)
    }
}

impl VersionFileModel for PyprojectFile<'_> {
    /// The project's name picks its entry in the `uv.lock` beside it; a private member says so,
    /// so the lockfile moves its entry only when the member moves.
    fn share(&self, context: &mut Context) {
        context
            .python_projects
            .entry(self.file.path.clone())
            .or_insert_with(|| self.project.name.clone());
        if self.follower() {
            context.python_followers.insert(self.file.path.clone());
        }
    }

    fn found_versions(&self) -> Vec<FoundVersion> {
        if self.follower() {
            return Vec::new();
        }
        self.project.found(self.file)
    }

    fn splices(&self, new: &Version, context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        if self.left_behind(context).is_some() {
            return Ok(Vec::new());
        }
        self.project.splices(self.file, new)
    }

    fn alone_reason(&self, context: &Context, new: &Version) -> Option<String> {
        if !self.follower() {
            return None;
        }
        let Some(found) = self.left_behind(context) else {
            let first = self.project.found(self.file).into_iter().next()?;
            return first
                .agrees_with(new)
                .then(|| format!("it already says {new}"));
        };
        let project = context
            .project_version
            .as_ref()
            .map_or_else(String::new, |version| {
                format!(", not in lockstep with the project's {version}")
            });
        Some(format!(
            "it is private (`{PRIVATE_CLASSIFIER}`) and at {}{project}",
            found.written
        ))
    }

    fn reason(&self) -> String {
        with_origin(self.file, "Python project, in PEP 440 form")
    }

    fn no_version_reason(&self) -> Option<&'static str> {
        Some(if self.project.dynamic {
            "its version is dynamic; the pattern files carry it"
        } else {
            "it has no `[project]` or `[tool.poetry]` version"
        })
    }
}

/// The `[tool.uv.workspace]` of a root `pyproject.toml`; `None` when it declares no uv
/// workspace.
///
/// # Errors
///
/// Invalid TOML, and tables or lists of the wrong type.
pub(crate) fn uv_workspace(file: &SourceFile) -> Result<Option<UvWorkspace>, VersionFileError> {
    let document = parse(file)?;
    let root = document.as_table();
    let Some(tool) = table(file, root.get("tool"), "tool")? else {
        return Ok(None);
    };
    let Some(uv) = table(file, tool.get("uv"), "tool.uv")? else {
        return Ok(None);
    };
    let Some(workspace) = table(file, uv.get("workspace"), "tool.uv.workspace")? else {
        return Ok(None);
    };
    let list = |key: &str| -> Result<Vec<StringField>, VersionFileError> {
        let field = format!("tool.uv.workspace.{key}");
        let Some(item) = workspace.get(key) else {
            return Ok(Vec::new());
        };
        let array = item.as_array().ok_or_else(|| {
            wrong_type(
                file,
                item_line(file, item),
                &field,
                item.type_name(),
                "an array of globs such as `[\"packages/*\"]`",
            )
        })?;
        array
            .iter()
            .map(|value| super::toml_source::string_value(file, value, &field, "a string"))
            .collect()
    };
    let members = list("members")?;
    let exclude = list("exclude")?
        .into_iter()
        .map(|field| field.value)
        .collect();
    Ok(Some(UvWorkspace { members, exclude }))
}

/// A root `pyproject.toml`'s `[tool.uv.workspace]`.
pub(crate) struct UvWorkspace {
    /// The `members` globs, with their lines.
    pub members: Vec<StringField>,
    /// The `exclude` globs.
    pub exclude: Vec<String>,
}

/// A `[…]` table that may be absent; anything else under that key is an error.
fn table<'d>(
    file: &SourceFile,
    item: Option<&'d Item>,
    field: &str,
) -> Result<Option<&'d dyn TableLike>, VersionFileError> {
    match item {
        None => Ok(None),
        Some(item) => item.as_table_like().map(Some).ok_or_else(|| {
            wrong_type(
                file,
                item_line(file, item),
                field,
                item.type_name(),
                &format!("a table, `[{field}]`"),
            )
        }),
    }
}

fn read_version(
    file: &SourceFile,
    item: &Item,
    name: &'static str,
) -> Result<VersionField, VersionFileError> {
    let literal = string_item(file, item, name, VERSION_EXPECTED)?;
    let version =
        pep440::to_semver(&literal.value).map_err(|error| VersionFileError::NotPep440 {
            path: file.path.clone(),
            line: literal.line,
            message: error.to_string(),
            example: example_version(&literal.value),
        })?;
    Ok(VersionField {
        name,
        literal,
        version,
    })
}

/// The line of `dynamic = [..., "version", ...]` in `[project]`, if the version is dynamic.
fn dynamic_version_line(file: &SourceFile, project: &dyn TableLike) -> Option<usize> {
    let item = project.get("dynamic")?;
    let listed = item
        .as_array()?
        .iter()
        .any(|entry| entry.as_str() == Some("version"));
    listed.then(|| item_line(file, item))
}

/// Where the common build backends read a dynamic version, when the file says.
fn source_hint(root: &toml_edit::Table) -> String {
    let tool = |path: &[&str]| -> Option<&Item> {
        let mut item = root.get("tool")?;
        for key in path {
            item = item.as_table_like()?.get(key)?;
        }
        Some(item)
    };
    let text = |path: &[&str]| tool(path).and_then(Item::as_str).map(str::to_owned);
    if let Some(path) = text(&["hatch", "version", "path"]) {
        return format!(" (hatch reads it from `{path}`)");
    }
    if let Some(path) = text(&["pdm", "version", "path"]) {
        return format!(" (PDM reads it from `{path}`)");
    }
    let setuptools = tool(&["setuptools", "dynamic", "version"]);
    let setuptools_key = |key: &str| -> Option<String> {
        let value = setuptools?.as_table_like()?.get(key)?;
        value
            .as_str()
            .map(str::to_owned)
            .or_else(|| value.as_array()?.get(0)?.as_str().map(str::to_owned))
    };
    if let Some(path) = setuptools_key("file") {
        return format!(" (setuptools reads it from `{path}`)");
    }
    if let Some(attribute) = setuptools_key("attr") {
        return format!(" (setuptools reads it from `{attribute}`)");
    }
    let from_git = text(&["hatch", "version", "source"]).as_deref() == Some("vcs")
        || text(&["pdm", "version", "source"]).as_deref() == Some("scm")
        || tool(&["setuptools_scm"]).is_some();
    if from_git {
        return String::from(" (the build backend takes it from git tags)");
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::{VersionFileKind, text_edit::apply};

    fn file(origin: Origin, text: &str) -> SourceFile {
        SourceFile {
            path: "pyproject.toml".into(),
            kind: VersionFileKind::Pyproject,
            origin,
            text: text.to_owned(),
        }
    }

    fn bumped(text: &str, new: &str) -> String {
        let file = file(Origin::Detected, text);
        let splices = Pyproject::parse(&file, false)
            .unwrap()
            .splices(&file, &Version::parse(new).unwrap())
            .unwrap();
        apply(text, splices)
    }

    #[test]
    fn writes_pep440_and_keeps_everything_else() {
        let pep621 = "[project]\nname = \"pkg\"\nversion = \"1.2.3\"  # bumped by relcut\n\n[tool.ruff]\nline-length = 100\n";
        let poetry = "[tool.poetry]\nname = \"pkg\"\nversion = '1.2.3'\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\n";
        let both = "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n\n[tool.poetry]\nversion = \"1.2.3\"\n";
        let rows = [
            (pep621, "1.3.0-rc.1", pep621.replace("1.2.3", "1.3.0rc1")),
            (pep621, "1.3.0-alpha.2", pep621.replace("1.2.3", "1.3.0a2")),
            (pep621, "1.3.0-beta.1", pep621.replace("1.2.3", "1.3.0b1")),
            (pep621, "2.0.0", pep621.replace("1.2.3", "2.0.0")),
            (poetry, "1.3.0-rc.1", poetry.replace("1.2.3", "1.3.0rc1")),
            (both, "1.3.0", both.replace("1.2.3", "1.3.0")),
        ];
        for (before, new, after) in rows {
            assert_eq!(bumped(before, new), after, "{before} → {new}");
        }
    }

    #[test]
    fn reads_pep440_as_semver() {
        let text = "[project]\nname = \"pkg\"\nversion = \"1.3.0rc1\"\n[tool.poetry]\nversion = \"1.3.0-RC.1\"\n";
        let file = file(Origin::Detected, text);
        let found = Pyproject::parse(&file, false).unwrap().found(&file);
        let summary: Vec<_> = found
            .iter()
            .map(|found| {
                (
                    found.field.as_str(),
                    found.line,
                    found.version.to_string(),
                    found.written.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("project.version", 3, "1.3.0-rc.1".to_owned(), "1.3.0rc1"),
                (
                    "tool.poetry.version",
                    5,
                    "1.3.0-rc.1".to_owned(),
                    "1.3.0-RC.1"
                ),
            ]
        );
    }

    #[test]
    fn files_without_a_version() {
        // Only tool configuration: nothing to do when detected, an error when configured.
        let tools = "[tool.black]\nline-length = 100\n";
        let detected = file(Origin::Detected, tools);
        assert!(
            Pyproject::parse(&detected, false)
                .unwrap()
                .found(&detected)
                .is_empty()
        );
        assert_eq!(
            Pyproject::parse(&file(Origin::Configured, tools), false)
                .unwrap_err()
                .to_string(),
            "`pyproject.toml`: there is no `[project] version` or `[tool.poetry] version`; add `version = \"0.1.0\"` under `[project]`, or remove the file from relcut.toml"
        );

        // Dynamic: an error unless pattern files are configured.
        let dynamic = "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n\n[tool.hatch.version]\npath = \"src/pkg/__about__.py\"\n";
        let error = Pyproject::parse(&file(Origin::Detected, dynamic), false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`pyproject.toml` line 3: the version is dynamic (`dynamic = [\"version\"]`), so it is not written in this file (hatch reads it from `src/pkg/__about__.py`); add the file that holds it to relcut.toml as a pattern file (`[[files]]` with `path`, `search` and `replace`), or, if the version comes from git tags alone, set `detect = false` and list the other version files"
        );
        let dynamic_file = file(Origin::Detected, dynamic);
        assert!(
            Pyproject::parse(&dynamic_file, true)
                .unwrap()
                .found(&dynamic_file)
                .is_empty()
        );
    }

    #[test]
    fn errors_name_the_line_and_the_fix() {
        let rows = [
            (
                "[project]\nname = \"pkg\"\n",
                "`pyproject.toml` line 1: `[project]` has no `version`; add a line such as `version = \"0.1.0\"` (PEP 621 requires it unless it is dynamic)",
            ),
            (
                "[project]\nversion = 1\n",
                "`pyproject.toml` line 2: `project.version` is an integer; write a string such as `\"1.2.0\"`",
            ),
            (
                "project = 3\n",
                "`pyproject.toml` line 1: `project` is an integer; write a table, `[project]`",
            ),
            (
                "[project]\nversion = \"1.2.x\"\n",
                "`pyproject.toml` line 2: `1.2.x` is not a PEP 440 version; write a version relcut can release, such as `1.2.0`",
            ),
            (
                "[project]\nversion = \"1.2.3\"\nname = [\n",
                "`pyproject.toml` line 3: invalid TOML: unclosed array, expected `]`; fix the syntax and run again",
            ),
        ];
        for (text, message) in rows {
            let error = Pyproject::parse(&file(Origin::Detected, text), false).unwrap_err();
            assert_eq!(error.to_string(), message, "{text}");
        }
    }

    #[test]
    fn a_version_without_pep440_form_is_refused_before_writing() {
        let text = "[project]\nversion = \"1.2.3\"\n";
        let file = file(Origin::Detected, text);
        let error = Pyproject::parse(&file, false)
            .unwrap()
            .splices(&file, &Version::parse("1.3.0-next.1").unwrap())
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("`pyproject.toml` line 2: `1.3.0-next.1` has no PEP 440 form"),
            "{error}"
        );
    }
}
