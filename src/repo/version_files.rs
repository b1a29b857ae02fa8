//! The read step for version files: finding them under the repository root (the kinds the
//! registration list of `plan::version_files` detects, and Cargo workspace members) and reading
//! their text into [`SourceFile`]s, which `plan::version_files::ParsedFiles` parses. It only
//! reads; it must not decide versions or edits.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::plan::version_files::{
    ConfiguredFile, DependencyScope, Manifest, MemberGlob, Origin, SourceFile, StringField,
    VersionFileError, VersionFileKind, detected_at_root, detected_beside, npm_workspaces,
    pnpm_packages, resolve, uv_workspace,
};

/// Finds the version files of the repository at `root` and reads them.
///
/// In order: `VERSION` if present; `Cargo.toml` if present and, when it declares `[workspace]`,
/// every member's `Cargo.toml` the way Cargo finds them (`members` globs, minus `exclude`, plus
/// path dependencies inside the repository); `Cargo.lock` if present; `package.json` and then
/// `package-lock.json` and `npm-shrinkwrap.json` beside it; `pyproject.toml` and then `uv.lock`.
/// Lockfiles count only beside their manifest. Paths in the result are relative to `root`. A
/// repository with none of these gives an empty list; deciding whether that is an error is the
/// caller's business.
///
/// # Errors
///
/// A present file that is a directory, unreadable or not UTF-8; a workspace `Cargo.toml` that
/// does not parse; a `members` entry that is not a valid glob, matches nothing, or names a
/// directory without `Cargo.toml` (Cargo refuses those workspaces too).
pub fn discover(root: &Path) -> Result<Vec<SourceFile>, VersionFileError> {
    let mut files = Vec::new();
    for (name, kind) in detected_at_root() {
        let Some(file) = read_if_present(root, Path::new(name), kind, Origin::Detected)? else {
            continue;
        };
        // A Cargo workspace's members come right after its root manifest.
        let members = match file.kind {
            VersionFileKind::CargoManifest => workspace_members(root, &file)?,
            VersionFileKind::PackageJson => js_workspace_members(root, &file)?,
            VersionFileKind::Pyproject => uv_workspace_members(root, &file)?,
            _ => Vec::new(),
        };
        files.push(file);
        files.extend(members);
        for (beside, kind) in detected_beside(name) {
            files.extend(read_if_present(
                root,
                Path::new(beside),
                kind,
                Origin::Detected,
            )?);
        }
    }
    Ok(files)
}

/// Reads the files `relcut.toml` lists and adds them to `files` (the detected ones, or none).
///
/// A `path` may be a glob (`charts/*/Chart.yaml`). An entry without patterns adds the file with
/// the kind its name says, unless it is already among `files`. An entry with a pattern adds it to
/// the file's pattern list, so several entries for one file make one [`SourceFile`]; a pattern on
/// a file that is also detected makes a second entry for the same path, which
/// [`ParsedFiles::plan_edits`](crate::plan::version_files::ParsedFiles::plan_edits) merges.
///
/// # Errors
///
/// A literal path that does not exist, a glob that is invalid or matches no file, and everything
/// reading a file can fail with.
pub fn load(
    root: &Path,
    entries: &[ConfiguredFile],
    files: &mut Vec<SourceFile>,
) -> Result<(), VersionFileError> {
    for entry in entries {
        for (path, origin) in expand(root, entry)? {
            let kind = match &entry.pattern {
                None => {
                    // Already read as a file of a known kind; a pattern on the same path does
                    // not count, since it rewrites other text.
                    let known = files.iter_mut().find(|file| {
                        file.path == path && !matches!(file.kind, VersionFileKind::Pattern(_))
                    });
                    if let Some(file) = known {
                        // Named by its path as well as matched by a glob: the user's word.
                        if origin == Origin::Configured && file.origin == Origin::Matched {
                            file.origin = Origin::Configured;
                        }
                        continue;
                    }
                    VersionFileKind::for_path(&path)
                }
                Some(pattern) => {
                    let existing = files.iter_mut().find(|file| {
                        file.path == path && matches!(file.kind, VersionFileKind::Pattern(_))
                    });
                    if let Some(file) = existing {
                        if let VersionFileKind::Pattern(patterns) = &mut file.kind {
                            patterns.push(pattern.clone());
                        }
                        // Named by its path as well as matched by a glob: the user's word.
                        if origin == Origin::Configured && file.origin == Origin::Matched {
                            file.origin = Origin::Configured;
                        }
                        continue;
                    }
                    VersionFileKind::Pattern(vec![pattern.clone()])
                }
            };
            let file = read_if_present(root, &path, kind, origin)?.ok_or_else(|| {
                VersionFileError::NotFound {
                    path: path.clone(),
                    config_line: entry.config_line,
                }
            })?;
            files.push(file);
        }
    }
    Ok(())
}

/// The paths one entry stands for, with how they were named: itself, or the files its glob
/// matches, in sorted order.
fn expand(root: &Path, entry: &ConfiguredFile) -> Result<Vec<(PathBuf, Origin)>, VersionFileError> {
    if !entry.path.contains(['*', '?', '[']) {
        return Ok(vec![(PathBuf::from(&entry.path), Origin::Configured)]);
    }
    let invalid = |message: String| VersionFileError::InvalidFilesGlob {
        pattern: entry.path.clone(),
        config_line: entry.config_line,
        message,
    };
    let mut paths: Vec<PathBuf> = glob_under(root, &entry.path, invalid)?
        .into_iter()
        .filter(|found| found.is_file())
        .map(|found| relative(root, &found))
        .filter(|path| !excluded(path, &entry.exclude))
        .collect();
    if paths.is_empty() {
        return Err(VersionFileError::FilesGlobMatchesNothing {
            pattern: entry.path.clone(),
            config_line: entry.config_line,
        });
    }
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| (path, Origin::Matched))
        .collect())
}

/// Whether `path` (relative to the repository root) matches one of `exclude`.
fn excluded(path: &Path, exclude: &[glob::Pattern]) -> bool {
    // `*` stays within one directory, as it does in `path`.
    let options = glob::MatchOptions {
        require_literal_separator: true,
        ..glob::MatchOptions::new()
    };
    exclude
        .iter()
        .any(|pattern| pattern.matches_path_with(path, options))
}

/// Removes the detected files `exclude` (relcut.toml's top-level `exclude`) matches: workspace
/// members or lockfiles relcut must not read.
pub fn drop_excluded(files: &mut Vec<SourceFile>, exclude: &[glob::Pattern]) {
    files.retain(|file| file.origin != Origin::Detected || !excluded(&file.path, exclude));
}

/// Every path matching `pattern`, a glob relative to `root` (whose own name may hold glob
/// characters: only the pattern is one), in the glob crate's order. `invalid` turns the glob
/// crate's complaint about the pattern into the caller's error.
fn glob_under(
    root: &Path,
    pattern: &str,
    invalid: impl Fn(String) -> VersionFileError,
) -> Result<Vec<PathBuf>, VersionFileError> {
    let root_text = root
        .to_str()
        .ok_or_else(|| invalid(String::from("the repository path is not UTF-8")))?;
    let full_pattern = format!("{}/{pattern}", glob::Pattern::escape(root_text));
    glob::glob(&full_pattern)
        .map_err(|error| invalid(error.msg.to_owned()))?
        .map(|found| {
            found.map_err(|error| VersionFileError::Read {
                path: relative(root, error.path()),
                source: error.into(),
            })
        })
        .collect()
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The directory of a manifest, relative to the repository root.
fn manifest_dir(file: &SourceFile) -> PathBuf {
    file.path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Reads `root/path`, or `None` when nothing is there.
fn read_if_present(
    root: &Path,
    path: &Path,
    kind: VersionFileKind,
    origin: Origin,
) -> Result<Option<SourceFile>, VersionFileError> {
    let full = root.join(path);
    let read_error = |source: io::Error| VersionFileError::Read {
        path: path.to_path_buf(),
        source,
    };
    match fs::metadata(&full) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(read_error(error)),
        Ok(metadata) if metadata.is_dir() => {
            return Err(VersionFileError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        Ok(_) => {}
    }
    let bytes = fs::read(&full).map_err(read_error)?;
    let text = String::from_utf8(bytes).map_err(|_| VersionFileError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    Ok(Some(SourceFile {
        path: path.to_path_buf(),
        kind,
        origin,
        text,
    }))
}

/// The member manifests of the workspace declared by `root_manifest`, in Cargo's terms: the
/// `members` entries (globs allowed), minus `exclude`, plus every path dependency inside the
/// repository (Cargo makes those members implicitly), transitively. Empty when the manifest
/// declares no `[workspace]`.
fn workspace_members(
    root: &Path,
    root_manifest: &SourceFile,
) -> Result<Vec<SourceFile>, VersionFileError> {
    let parsed = Manifest::parse(root_manifest)?;
    let Some(workspace) = &parsed.workspace else {
        return Ok(Vec::new());
    };
    let exclusions = Exclusions::new(&workspace.members, &workspace.exclude);
    // `[workspace.dependencies]` paths, by key, for members that write `dep = { workspace = true }`.
    let inherited_paths: Vec<(String, PathBuf)> = parsed
        .dependencies
        .iter()
        .filter(|dependency| dependency.scope == DependencyScope::Workspace)
        .filter_map(|dependency| {
            let target = resolve(Path::new(""), dependency.path.as_deref()?)?;
            Some((dependency.key.clone(), target))
        })
        .collect();

    let mut seen = BTreeSet::from([PathBuf::new()]);
    let mut members = Vec::new();
    for pattern in &workspace.members {
        for directory in expand_member(root, root_manifest, pattern)? {
            if exclusions.excludes(&directory) || !seen.insert(directory.clone()) {
                continue;
            }
            let manifest_path = directory.join("Cargo.toml");
            let file = read_if_present(
                root,
                &manifest_path,
                VersionFileKind::CargoManifest,
                Origin::Detected,
            )?
            .ok_or_else(|| VersionFileError::MemberWithoutManifest {
                path: root_manifest.path.clone(),
                line: pattern.line,
                member: directory.clone(),
                pattern: pattern.value.clone(),
            })?;
            members.push(file);
        }
    }

    // Path dependencies, followed from the root manifest and every member, including the
    // members found this way.
    let mut queue = vec![(PathBuf::new(), parsed.dependencies.clone())];
    for member in &members {
        queue.push((manifest_dir(member), Manifest::parse(member)?.dependencies));
    }
    let mut next = 0;
    while next < queue.len() {
        let (manifest_dir_path, dependencies) = std::mem::take(&mut queue[next]);
        next += 1;
        for dependency in dependencies {
            let target = match (&dependency.path, dependency.scope) {
                // The root's own `[workspace.dependencies]` only count through members using them.
                (_, DependencyScope::Workspace) => None,
                (Some(path), DependencyScope::Package) => resolve(&manifest_dir_path, path),
                (None, DependencyScope::Package) => inherited_paths
                    .iter()
                    .find(|(key, _)| *key == dependency.key)
                    .map(|(_, target)| target.clone()),
            };
            let Some(target) = target else {
                continue;
            };
            if exclusions.excludes(&target) || seen.contains(&target) {
                continue;
            }
            // A path dependency without a manifest is Cargo's error to report, not a member.
            let manifest_path = target.join("Cargo.toml");
            let Some(file) = read_if_present(
                root,
                &manifest_path,
                VersionFileKind::CargoManifest,
                Origin::Detected,
            )?
            else {
                continue;
            };
            seen.insert(target.clone());
            queue.push((target, Manifest::parse(&file)?.dependencies));
            members.push(file);
        }
    }
    Ok(members)
}

/// The member directories (relative to `root`) one `members` entry stands for. Like Cargo: glob
/// matches that are not directories are skipped, and an entry that matches nothing at all is
/// taken literally, so it fails as a missing member.
fn expand_member(
    root: &Path,
    root_manifest: &SourceFile,
    pattern: &StringField,
) -> Result<Vec<PathBuf>, VersionFileError> {
    if !pattern.value.contains(['*', '?', '[']) {
        // A member outside the repository is not a file relcut can manage, so it is left out.
        return Ok(resolve(Path::new(""), &pattern.value).into_iter().collect());
    }
    let invalid = |message: String| VersionFileError::InvalidMemberPattern {
        path: root_manifest.path.clone(),
        line: pattern.line,
        pattern: pattern.value.clone(),
        message,
    };
    let matches = glob_under(root, &pattern.value, invalid)?;
    let matched_anything = !matches.is_empty();
    let directories = matches
        .iter()
        .filter(|found| found.is_dir())
        .filter_map(|found| resolve(Path::new(""), &relative(root, found).to_string_lossy()))
        .collect();
    if !matched_anything {
        return Err(VersionFileError::MemberMatchesNothing {
            path: root_manifest.path.clone(),
            line: pattern.line,
            pattern: pattern.value.clone(),
        });
    }
    Ok(directories)
}

/// The member manifests of the JavaScript workspace rooted at `root_manifest`: the directories
/// with a `package.json` that npm's and Yarn's `workspaces` or pnpm's `pnpm-workspace.yaml`
/// `packages:` globs match, minus those a `!` glob matches, as the tools expand them (`*` one
/// directory level, `**` any depth, never inside `node_modules`), in path order. Empty when
/// neither declares a workspace. A glob that matches nothing is not an error: the tools accept
/// it too.
fn js_workspace_members(
    root: &Path,
    root_manifest: &SourceFile,
) -> Result<Vec<SourceFile>, VersionFileError> {
    let mut globs: Vec<(PathBuf, MemberGlob)> = npm_workspaces(root_manifest)?
        .into_iter()
        .map(|glob| (root_manifest.path.clone(), glob))
        .collect();
    let pnpm = Path::new("pnpm-workspace.yaml");
    if let Some(file) =
        read_if_present(root, pnpm, VersionFileKind::PlainVersion, Origin::Detected)?
    {
        globs.extend(
            pnpm_packages(&file.text)
                .into_iter()
                .map(|glob| (pnpm.to_path_buf(), glob)),
        );
    }
    let clean = |value: &str| {
        let value = value.trim_start_matches("./").trim_end_matches('/');
        value.to_owned()
    };
    let mut exclusions = Vec::new();
    for (path, glob) in &globs {
        if let Some(excluded) = glob.value.strip_prefix('!') {
            let pattern = glob::Pattern::new(&clean(excluded)).map_err(|error| {
                VersionFileError::InvalidMemberPattern {
                    path: path.clone(),
                    line: glob.line,
                    pattern: glob.value.clone(),
                    message: error.msg.to_owned(),
                }
            })?;
            exclusions.push(pattern);
        }
    }
    let mut directories = BTreeSet::new();
    for (path, glob) in globs
        .iter()
        .filter(|(_, glob)| !glob.value.starts_with('!'))
    {
        let invalid = |message: String| VersionFileError::InvalidMemberPattern {
            path: path.clone(),
            line: glob.line,
            pattern: glob.value.clone(),
            message,
        };
        for found in glob_under(root, &clean(&glob.value), invalid)? {
            let directory = relative(root, &found);
            let in_node_modules = directory
                .components()
                .any(|component| component.as_os_str() == "node_modules");
            if directory.as_os_str().is_empty() || in_node_modules || !found.is_dir() {
                continue;
            }
            let text = directory.to_string_lossy();
            let manifest = directory.join("package.json");
            let excluded = exclusions.iter().any(|pattern| {
                pattern.matches(&text) || pattern.matches(&manifest.to_string_lossy())
            });
            if !excluded && root.join(&manifest).is_file() {
                directories.insert(directory);
            }
        }
    }
    read_members(
        root,
        directories,
        "package.json",
        VersionFileKind::PackageJson,
    )
}

/// The member `pyproject.toml`s of the uv workspace declared by `root_manifest`'s
/// `[tool.uv.workspace]`: the directories its `members` globs match that hold a
/// `pyproject.toml`, minus those an `exclude` glob matches, in path order. Empty when it
/// declares no uv workspace. uv refuses a member directory without `pyproject.toml`; relcut
/// skips it, as uv's own error says more.
fn uv_workspace_members(
    root: &Path,
    root_manifest: &SourceFile,
) -> Result<Vec<SourceFile>, VersionFileError> {
    let Some(workspace) = uv_workspace(root_manifest)? else {
        return Ok(Vec::new());
    };
    let (members, exclude) = (workspace.members, workspace.exclude);
    let exclusions: Vec<glob::Pattern> = exclude
        .iter()
        .filter_map(|pattern| glob::Pattern::new(pattern.trim_end_matches('/')).ok())
        .collect();
    let mut directories = BTreeSet::new();
    for pattern in &members {
        let invalid = |message: String| VersionFileError::InvalidMemberPattern {
            path: root_manifest.path.clone(),
            line: pattern.line,
            pattern: pattern.value.clone(),
            message,
        };
        for found in glob_under(root, pattern.value.trim_end_matches('/'), invalid)? {
            let Some(directory) = resolve(Path::new(""), &relative(root, &found).to_string_lossy())
            else {
                continue;
            };
            let excluded = exclusions
                .iter()
                .any(|pattern| pattern.matches(&directory.to_string_lossy()));
            let manifest = directory.join("pyproject.toml");
            if !directory.as_os_str().is_empty() && !excluded && root.join(&manifest).is_file() {
                directories.insert(directory);
            }
        }
    }
    read_members(
        root,
        directories,
        "pyproject.toml",
        VersionFileKind::Pyproject,
    )
}

/// The manifest `name` (of `kind`) in each member directory, read as detected files.
fn read_members(
    root: &Path,
    directories: BTreeSet<PathBuf>,
    name: &str,
    kind: VersionFileKind,
) -> Result<Vec<SourceFile>, VersionFileError> {
    let mut members = Vec::new();
    for directory in directories {
        members.extend(read_if_present(
            root,
            &directory.join(name),
            kind.clone(),
            Origin::Detected,
        )?);
    }
    Ok(members)
}

/// `workspace.exclude`, applied as Cargo applies it: a directory is excluded when it lies under
/// an `exclude` path and not under a literally listed member.
struct Exclusions {
    excluded: Vec<PathBuf>,
    listed: Vec<PathBuf>,
}

impl Exclusions {
    fn new(members: &[StringField], exclude: &[String]) -> Self {
        let paths = |entries: &mut dyn Iterator<Item = &str>| -> Vec<PathBuf> {
            entries
                .filter_map(|entry| resolve(Path::new(""), entry))
                .collect()
        };
        Self {
            excluded: paths(&mut exclude.iter().map(String::as_str)),
            listed: paths(&mut members.iter().map(|member| member.value.as_str())),
        }
    }

    fn excludes(&self, directory: &Path) -> bool {
        self.excluded
            .iter()
            .any(|excluded| directory.starts_with(excluded))
            && !self
                .listed
                .iter()
                .any(|listed| directory.starts_with(listed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` (path, text) under a new temporary directory.
    fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = root.path().join(path);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            fs::write(full, text).unwrap();
        }
        root
    }

    fn found(files: &[SourceFile]) -> Vec<(String, VersionFileKind)> {
        files
            .iter()
            .map(|file| (file.path.display().to_string(), file.kind.clone()))
            .collect()
    }

    const PACKAGE: &str = "[package]\nname = \"p\"\nversion.workspace = true\n";

    #[test]
    fn discovers_a_workspace_like_cargo() {
        let root = repository(&[
            ("VERSION", "1.2.3\n"),
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\", \"tools/cli\"]\nexclude = [\"crates/legacy\"]\n\n[workspace.package]\nversion = \"1.2.3\"\n\n[workspace.dependencies]\nshared = { path = \"libs/shared\", version = \"1.2.3\" }\n",
            ),
            ("Cargo.lock", "version = 4\n"),
            (
                "crates/app/Cargo.toml",
                "[package]\nname = \"app\"\nversion.workspace = true\n[dependencies]\nhelper = { path = \"../../libs/helper\" }\nshared = { workspace = true }\noutside = { path = \"../../../outside\" }\nmissing = { path = \"../../libs/missing\" }\n",
            ),
            ("crates/core/Cargo.toml", PACKAGE),
            ("crates/legacy/Cargo.toml", "not even toml ["),
            ("crates/README.md", "a file matched by the glob is skipped"),
            ("tools/cli/Cargo.toml", PACKAGE),
            (
                "libs/helper/Cargo.toml",
                "[package]\nname = \"helper\"\n[dependencies]\nleaf = { path = \"../leaf\" }\n",
            ),
            ("libs/leaf/Cargo.toml", PACKAGE),
            ("libs/shared/Cargo.toml", PACKAGE),
            ("libs/unused/Cargo.toml", PACKAGE),
        ]);
        let files = discover(root.path()).unwrap();
        assert_eq!(
            found(&files),
            [
                ("VERSION".to_owned(), VersionFileKind::PlainVersion),
                ("Cargo.toml".to_owned(), VersionFileKind::CargoManifest),
                (
                    "crates/app/Cargo.toml".to_owned(),
                    VersionFileKind::CargoManifest
                ),
                (
                    "crates/core/Cargo.toml".to_owned(),
                    VersionFileKind::CargoManifest
                ),
                (
                    "tools/cli/Cargo.toml".to_owned(),
                    VersionFileKind::CargoManifest
                ),
                (
                    "libs/helper/Cargo.toml".to_owned(),
                    VersionFileKind::CargoManifest
                ),
                (
                    "libs/shared/Cargo.toml".to_owned(),
                    VersionFileKind::CargoManifest
                ),
                (
                    "libs/leaf/Cargo.toml".to_owned(),
                    VersionFileKind::CargoManifest
                ),
                ("Cargo.lock".to_owned(), VersionFileKind::CargoLock),
            ]
        );
        assert_eq!(files[0].text, "1.2.3\n");
    }

    #[test]
    fn a_single_package_has_no_members() {
        let root = repository(&[
            (
                "Cargo.toml",
                "[package]\nname = \"one\"\nversion = \"0.1.0\"\n[dependencies]\nlocal = { path = \"local\" }\n",
            ),
            ("local/Cargo.toml", PACKAGE),
        ]);
        assert_eq!(
            found(&discover(root.path()).unwrap()),
            [("Cargo.toml".to_owned(), VersionFileKind::CargoManifest)]
        );
    }

    #[test]
    fn an_empty_repository_has_no_version_files() {
        let root = repository(&[("README.md", "hello")]);
        assert_eq!(discover(root.path()).unwrap(), Vec::new());
    }

    #[test]
    fn reports_broken_layouts() {
        let rows: [(&[(&str, &str)], &str); 6] = [
            (
                &[
                    (
                        "Cargo.toml",
                        "[workspace]\nmembers = [\n  \"crates/*\",\n]\n",
                    ),
                    ("crates/core/Cargo.toml", PACKAGE),
                    ("crates/empty/.keep", ""),
                ],
                "`Cargo.toml` line 3: the workspace member `crates/empty` (matched by `crates/*`) has no `Cargo.toml`; add one, or list `crates/empty` in `workspace.exclude`",
            ),
            (
                &[
                    ("Cargo.toml", "[workspace]\nmembers = [\"crates/core\"]\n"),
                    ("crates/core/src/lib.rs", ""),
                ],
                "`Cargo.toml` line 2: the workspace member `crates/core` has no `Cargo.toml`; add one, or list `crates/core` in `workspace.exclude`",
            ),
            (
                &[("Cargo.toml", "[workspace]\nmembers = [\"plugins/*\"]\n")],
                "`Cargo.toml` line 2: the workspace member `plugins/*` matches no directory; create it, or remove it from `workspace.members`",
            ),
            (
                &[("Cargo.toml", "[workspace]\nmembers = [\"crates/[\"]\n")],
                "`Cargo.toml` line 2: the workspace member pattern `crates/[` is not a valid glob (invalid range pattern); fix the pattern",
            ),
            (
                &[("Cargo.toml/README", "")],
                "`Cargo.toml` is a directory, not a file; point relcut at a file, or move the directory away",
            ),
            (
                &[("Cargo.toml", "[workspace\n")],
                "`Cargo.toml` line 1: invalid TOML: unclosed table, expected `]`; fix the syntax and run again",
            ),
        ];
        for (files, message) in rows {
            let root = repository(files);
            let error = discover(root.path()).unwrap_err();
            assert_eq!(error.to_string(), message, "{files:?}");
        }
    }

    #[test]
    fn exclude_does_not_remove_literally_listed_members() {
        let root = repository(&[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\", \"crates/legacy/keep\"]\nexclude = [\"crates/legacy\"]\n",
            ),
            ("crates/core/Cargo.toml", PACKAGE),
            ("crates/legacy/Cargo.toml", PACKAGE),
            ("crates/legacy/keep/Cargo.toml", PACKAGE),
        ]);
        let paths: Vec<_> = found(&discover(root.path()).unwrap())
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        assert_eq!(
            paths,
            [
                "Cargo.toml",
                "crates/core/Cargo.toml",
                "crates/legacy/keep/Cargo.toml"
            ]
        );
    }

    fn entry(path: &str, pattern: Option<(&str, &str)>, config_line: usize) -> ConfiguredFile {
        ConfiguredFile {
            path: path.to_owned(),
            pattern: pattern.map(
                |(search, replace)| crate::plan::version_files::ReplacePattern {
                    search: regex::Regex::new(search).unwrap(),
                    replace: replace.to_owned(),
                    count: None,
                    config_line,
                },
            ),
            exclude: Vec::new(),
            config_line,
        }
    }

    fn load_only(
        root: &Path,
        entries: &[ConfiguredFile],
    ) -> Result<Vec<SourceFile>, VersionFileError> {
        let mut files = Vec::new();
        load(root, entries, &mut files).map(|()| files)
    }

    #[test]
    fn load_reads_configured_paths() {
        let root = repository(&[
            ("VERSION", "v2.0.0\n"),
            ("crates/core/Cargo.toml", PACKAGE),
            ("charts/api/Chart.yaml", "version: 1\n"),
            ("charts/web/Chart.yaml", "version: 1\n"),
            ("charts/README.md", ""),
            (
                "web/package.json",
                "{\"name\": \"web\", \"version\": \"2.0.0\"}",
            ),
        ]);
        let files = load_only(
            root.path(),
            &[
                entry("VERSION", None, 1),
                entry("crates/core/Cargo.toml", None, 2),
                entry(
                    "charts/*/Chart.yaml",
                    Some(("version: .*", "version: {{version}}")),
                    3,
                ),
                entry("charts/api/Chart.yaml", Some(("appVersion: .*", "x")), 7),
                entry("VERSION", None, 9),
                entry("web/package.json", Some(("\"name\": .*", "x")), 11),
                entry("web/package.json", None, 14),
            ],
        )
        .unwrap();
        let kinds: Vec<_> = files
            .iter()
            .map(|file| {
                let patterns = match &file.kind {
                    VersionFileKind::Pattern(patterns) => {
                        patterns.iter().map(|pattern| pattern.config_line).collect()
                    }
                    _ => Vec::new(),
                };
                (file.path.display().to_string(), file.origin, patterns)
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("VERSION".to_owned(), Origin::Configured, vec![]),
                (
                    "crates/core/Cargo.toml".to_owned(),
                    Origin::Configured,
                    vec![]
                ),
                (
                    "charts/api/Chart.yaml".to_owned(),
                    Origin::Configured,
                    vec![3, 7]
                ),
                ("charts/web/Chart.yaml".to_owned(), Origin::Matched, vec![3]),
                ("web/package.json".to_owned(), Origin::Configured, vec![11]),
                ("web/package.json".to_owned(), Origin::Configured, vec![]),
            ]
        );
        assert_eq!(files[1].kind, VersionFileKind::CargoManifest);
        assert_eq!(files[1].text, PACKAGE);
    }

    #[test]
    fn load_reports_missing_directories_globs_and_non_utf8() {
        let root = repository(&[("docs/.keep", "")]);
        fs::write(root.path().join("latin1.txt"), [0x31, 0x2e, 0xe9]).unwrap();
        let rows = [
            (
                "VERSION",
                "`VERSION` (relcut.toml line 4) does not exist; create it, or remove its `[[files]]` entry",
            ),
            (
                "docs",
                "`docs` is a directory, not a file; point relcut at a file, or move the directory away",
            ),
            (
                "latin1.txt",
                "`latin1.txt` is not UTF-8 text; save it as UTF-8",
            ),
            (
                "charts/*/Chart.yaml",
                "`relcut.toml` line 4: `charts/*/Chart.yaml` matches no file; fix `path`, or remove the entry",
            ),
            (
                "charts/[/Chart.yaml",
                "`relcut.toml` line 4: the file pattern `charts/[/Chart.yaml` is not a valid glob (invalid range pattern); fix `path`",
            ),
        ];
        for (path, message) in rows {
            let error = load_only(root.path(), &[entry(path, None, 4)]).unwrap_err();
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn detects_npm_and_python_projects_with_their_lockfiles() {
        let root = repository(&[
            ("package.json", "{}"),
            ("package-lock.json", "{}"),
            ("npm-shrinkwrap.json", "{}"),
            ("pyproject.toml", ""),
            ("uv.lock", ""),
            // A lockfile without its manifest is not the project's.
            ("Cargo.lock", ""),
        ]);
        assert_eq!(
            found(&discover(root.path()).unwrap()),
            [
                ("package.json".to_owned(), VersionFileKind::PackageJson),
                ("package-lock.json".to_owned(), VersionFileKind::NpmLock),
                ("npm-shrinkwrap.json".to_owned(), VersionFileKind::NpmLock),
                ("pyproject.toml".to_owned(), VersionFileKind::Pyproject),
                ("uv.lock".to_owned(), VersionFileKind::UvLock),
            ]
        );
    }

    #[test]
    fn discovers_js_and_uv_workspace_members_as_their_tools_do() {
        let root = repository(&[
            (
                "package.json",
                "{\"version\": \"1.0.0\", \"workspaces\": [\"apps/*\", \"!apps/skip\"]}",
            ),
            (
                "pnpm-workspace.yaml",
                "packages:\n  - 'libs/**'\n  - '!**/fixtures/**'\n",
            ),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
            ("apps/web/package.json", "{}"),
            ("apps/skip/package.json", "{}"),
            ("apps/empty/README.md", ""),
            ("libs/a/package.json", "{}"),
            ("libs/a/node_modules/dep/package.json", "{}"),
            ("libs/group/b/package.json", "{}"),
            ("libs/fixtures/c/package.json", "{}"),
            (
                "pyproject.toml",
                "[project]\nname = \"r\"\nversion = \"1.0.0\"\n[tool.uv.workspace]\nmembers = [\"py/*\"]\nexclude = [\"py/old\"]\n",
            ),
            ("py/one/pyproject.toml", ""),
            ("py/old/pyproject.toml", ""),
        ]);
        let paths: Vec<_> = found(&discover(root.path()).unwrap())
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        assert_eq!(
            paths,
            [
                "package.json",
                "apps/web/package.json",
                "libs/a/package.json",
                "libs/group/b/package.json",
                "pnpm-lock.yaml",
                "pyproject.toml",
                "py/one/pyproject.toml",
            ]
        );
    }
}
