//! Effects: each step of a plan, executed. Nothing here decides anything; a step that finds its
//! work already done skips it, so a failed release can be run again to finish it.

pub mod files;
pub mod git;

use std::path::Path;

use crate::error::Result;
use crate::plan::PlannedFile;

/// Commits the planned files, which [`files::write_all`] wrote. If the commit fails (a hook can
/// refuse it), the files are unstaged and put back as they were, so the work tree ends as it
/// started; the commit's error is returned.
pub fn commit_written(root: &Path, written: &[PlannedFile], message: &str) -> Result<String> {
    let mut paths: Vec<_> = written.iter().map(|file| file.path.clone()).collect();
    // A version file that is a symbolic link was written through it (see `files`); the change
    // is in the file it points at, which the commit must take too.
    paths.extend(
        written
            .iter()
            .filter_map(|file| files::link_destination(root, &file.path)),
    );
    git::commit(root, &paths, message).or_else(|error| {
        git::unstage(root, &paths)?;
        files::put_back(root, written)?;
        Err(error)
    })
}
