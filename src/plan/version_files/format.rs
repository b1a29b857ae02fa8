//! The seam between the parsed set and the kinds of version file: the trait a kind's model
//! implements, the registration row that names a kind's files and how to parse them, and the
//! cross-file context some kinds need. Pure; must not read the disk and must not parse any kind
//! (the kinds live in their own files and in the registration list of `mod.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use semver::Version;

use super::error::VersionFileError;
use super::text_edit::Splice;
use super::{FoundVersion, Origin, SourceFile, VersionFileKind};

/// One version file, parsed once: everything a command asks of it comes from this model, so its
/// text is never parsed again.
pub(super) trait VersionFileModel {
    /// Tells the other files what they need to know of this one (a released Cargo package, a
    /// Python project's name). Called once per file, after every file is parsed.
    fn share(&self, _context: &mut Context) {}

    /// Checks what needs the other files (a member inheriting a workspace version, the project's
    /// entry in a lockfile). Called once per file, after every file has shared.
    ///
    /// # Errors
    ///
    /// What the file means among the others is wrong, with the fix.
    fn link(&mut self, _context: &Context) -> Result<(), VersionFileError> {
        Ok(())
    }

    /// The versions this file declares, in line order; none (the default) for a file that only
    /// follows the release, like a lockfile.
    fn found_versions(&self) -> Vec<FoundVersion> {
        Vec::new()
    }

    /// The splices that move this file to `new`.
    ///
    /// # Errors
    ///
    /// `new` cannot be written here (no PEP 440 form, a requirement that does not accept it, a
    /// lockfile entry that does not read).
    fn splices(&self, new: &Version, context: &Context) -> Result<Vec<Splice>, VersionFileError>;

    /// Why relcut writes this file, for the plan: what it is, then how relcut came to read it.
    fn reason(&self) -> String;

    /// Why the file is left alone, when this kind decides it from what the files say together
    /// (a private workspace member at a version of its own); `None` (the default) leaves the
    /// answer to [`VersionFileModel::no_version_reason`] and the already-says-it rule.
    fn alone_reason(&self, _context: &Context, _new: &Version) -> Option<String> {
        None
    }

    /// Why the file is left alone when it declares no version (`it has no \`version\``), or
    /// `None` when a file of this kind is only ever left alone because it already says the new
    /// version.
    fn no_version_reason(&self) -> Option<&'static str> {
        None
    }
}

/// One file's model, as the parsed set holds it.
pub(super) type Model<'f> = Box<dyn VersionFileModel + 'f>;

/// What a kind's parser returns: the model, or what makes the file unreadable on its own (bad
/// syntax, a version that is not one, a required field missing).
pub(super) type Parsed<'f> = Result<Model<'f>, VersionFileError>;

/// Parses one file of a kind into its model.
pub(super) type Parse = for<'f> fn(&'f SourceFile, &Context) -> Parsed<'f>;

/// How discovery finds files of a kind, without configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    /// Never detected: only read when `relcut.toml` lists it.
    Listed,
    /// At the repository root, under each of its file names.
    AtRoot,
    /// Beside a detected file of this name (a lockfile beside its manifest), under each of its
    /// file names.
    Beside(&'static str),
}

/// One kind of version file, as the registration list names it.
pub(super) struct Registration {
    /// The kind (for [`VersionFileKind::Pattern`], any pattern list).
    pub kind: VersionFileKind,
    /// The file names that have this kind.
    pub file_names: &'static [&'static str],
    /// Whether and where discovery looks for it.
    pub detection: Detection,
    /// Reads a file of this kind.
    pub parse: Parse,
}

/// What the files as a whole say, which some kinds need to read or move one file. Built once per
/// parsed set: `has_patterns` before parsing, the rest from [`VersionFileModel::share`].
#[derive(Debug, Default)]
pub(super) struct Context {
    /// Whether `relcut.toml` names pattern files, which is where a dynamic Python version lives.
    pub has_patterns: bool,
    /// The Cargo packages whose version moves with the release (own or inherited version), by
    /// directory relative to the repository root.
    pub cargo_released: BTreeMap<PathBuf, String>,
    /// Whether a manifest declares `[workspace.package] version`.
    pub cargo_workspace_version: bool,
    /// Each Python project's name (if it has one), by the path of its `pyproject.toml`.
    pub python_projects: BTreeMap<PathBuf, Option<String>>,
    /// The `pyproject.toml`s of private workspace members, which move only in lockstep.
    pub python_followers: BTreeSet<PathBuf>,
    /// Each npm package (`package.json`), by directory relative to the repository root.
    pub npm_packages: BTreeMap<PathBuf, NpmPackage>,
    /// The version the sources state (the first SemVer one, else the first), once every file is
    /// linked: what a workspace member must say to be in lockstep with the project.
    pub project_version: Option<Version>,
}

/// What a `package.json` tells the other files: its name, its version, and whether it only
/// follows the project (a private workspace member, released with it only when in lockstep).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NpmPackage {
    /// `name`, when it has one.
    pub name: Option<String>,
    /// `version`, when it has one that reads as SemVer.
    pub version: Option<Version>,
    /// A private workspace member: not a version source, and moved only when in lockstep.
    pub follower: bool,
}

impl Context {
    /// Names of the Cargo packages whose version moves with the release.
    pub(super) fn cargo_released_names(&self) -> BTreeSet<String> {
        self.cargo_released.values().cloned().collect()
    }

    /// Whether `package` moves with the release: it has a version, and is a version source or a
    /// follower in lockstep with the project.
    pub(super) fn npm_moves(&self, package: &NpmPackage) -> bool {
        match &package.version {
            None => false,
            Some(version) => !package.follower || self.project_version.as_ref() == Some(version),
        }
    }

    /// The npm package named `name` that moves with the release, if there is one.
    pub(super) fn moving_npm_package(&self, name: &str) -> Option<&NpmPackage> {
        self.npm_packages
            .values()
            .find(|package| package.name.as_deref() == Some(name) && self.npm_moves(package))
    }
}

/// `what` a file is, followed by how relcut came to read it: `npm lockfile, detected`.
pub(super) fn with_origin(file: &SourceFile, what: &str) -> String {
    match file.origin {
        Origin::Detected => format!("{what}, detected"),
        Origin::Configured => format!("{what}, listed in relcut.toml"),
        Origin::Matched => format!("{what}, matched by a glob in relcut.toml"),
    }
}
