//! Lockfiles that record no version of the project's own packages: pnpm's `pnpm-lock.yaml`
//! (workspace members are `link:` importers) and Yarn's `yarn.lock` (no entry for the root; Yarn
//! 2+ writes members as `0.0.0-use.local`). They are read only so the plan can say why they stay
//! as they are. Pure; must not read the disk, and never parses the file.

use semver::Version;

use super::SourceFile;
use super::error::VersionFileError;
use super::format::{Context, Parsed, VersionFileModel, with_origin};
use super::text_edit::Splice;

/// The model of such a lockfile: nothing to edit.
pub(super) fn parse<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    Ok(Box::new(LinkedLock { file }))
}

struct LinkedLock<'f> {
    file: &'f SourceFile,
}

impl VersionFileModel for LinkedLock<'_> {
    fn splices(&self, _new: &Version, _context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        Ok(Vec::new())
    }

    fn reason(&self) -> String {
        with_origin(self.file, "lockfile without the project's versions")
    }

    fn no_version_reason(&self) -> Option<&'static str> {
        Some("it records no version of the project's own packages; they are linked")
    }
}
