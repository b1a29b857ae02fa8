//! Whether the object store holds what the release commit needs: HEAD's tree, read down to every
//! file. `git commit` re-reads the entries of the directories the release changes and stops with
//! "invalid object" on one it lacks, after the files were written; this finds it first.
//!
//! Reads the store only; it never fetches what is missing.

use std::path::Path;

use git2::{ObjectType, Oid, Tree};

use super::Repo;
use crate::error::{Error, Result};

/// One object HEAD's tree names that the store does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingObject {
    /// The object's id.
    pub id: Oid,
    /// `blob` or `tree`.
    pub kind: &'static str,
    /// Its path in the tree, `/`-separated.
    pub path: String,
}

/// How many missing objects are gathered: enough to name, without walking a damaged store to
/// its end.
const ENOUGH: usize = 20;

impl Repo {
    /// The objects HEAD's tree names that the store lacks (at most a few; see [`ENOUGH`]).
    /// Blobs are only looked up (`odb.exists` inflates nothing), trees are read to walk them.
    /// In a partial clone a file outside the checkout (a sparse checkout's) is left to be fetched
    /// on demand, as git does; a file in the work tree must be in the store.
    pub fn missing_objects(&self, head: Oid) -> Result<Vec<MissingObject>> {
        let commit = self
            .inner
            .find_commit(head)
            .map_err(Error::git(format!("cannot read commit {head}")))?;
        let mut missing = Vec::new();
        let tree = match commit.tree() {
            Ok(tree) => tree,
            Err(error) if error.code() == git2::ErrorCode::NotFound => {
                missing.push(MissingObject {
                    id: commit.tree_id(),
                    kind: "tree",
                    path: String::from("/"),
                });
                return Ok(missing);
            }
            Err(source) => {
                return Err(Error::git(format!("cannot read the tree of {head}"))(
                    source,
                ));
            }
        };
        let odb = self
            .inner
            .odb()
            .map_err(Error::git("cannot open the object store"))?;
        let partial = self.is_partial_clone();
        let mut walk = Walk {
            repo: self,
            odb: &odb,
            partial,
            missing,
        };
        walk.tree(&tree, "")?;
        Ok(walk.missing)
    }

    /// Whether objects may be missing on purpose, to be fetched from a promisor remote.
    fn is_partial_clone(&self) -> bool {
        let Ok(config) = self.inner.config() else {
            return false;
        };
        if config.get_string("extensions.partialclone").is_ok() {
            return true;
        }
        let Ok(mut entries) = config.entries(Some(r"remote\..*\.promisor")) else {
            return false;
        };
        let mut promisor = false;
        while let Some(Ok(entry)) = entries.next() {
            promisor |= entry
                .value()
                .is_ok_and(|value| matches!(value, "true" | "yes" | "on" | "1"));
        }
        promisor
    }
}

struct Walk<'a> {
    repo: &'a Repo,
    odb: &'a git2::Odb<'a>,
    partial: bool,
    missing: Vec<MissingObject>,
}

impl Walk<'_> {
    fn tree(&mut self, tree: &Tree<'_>, prefix: &str) -> Result<()> {
        for entry in tree.iter() {
            if self.missing.len() >= ENOUGH {
                return Ok(());
            }
            let name = String::from_utf8_lossy(entry.name_bytes());
            let path = format!("{prefix}{name}");
            match entry.kind() {
                Some(ObjectType::Tree) => match self.repo.inner.find_tree(entry.id()) {
                    Ok(subtree) => self.tree(&subtree, &format!("{path}/"))?,
                    Err(error) if error.code() == git2::ErrorCode::NotFound => {
                        self.note(entry.id(), "tree", path);
                    }
                    Err(source) => {
                        return Err(Error::git(format!("cannot read the tree of `{path}`"))(
                            source,
                        ));
                    }
                },
                Some(ObjectType::Blob) if !self.odb.exists(entry.id()) => {
                    self.note(entry.id(), "blob", path);
                }
                // A submodule's commit lives in the submodule's own store.
                _ => {}
            }
        }
        Ok(())
    }

    fn note(&mut self, id: Oid, kind: &'static str, path: String) {
        // `symlink_metadata`: a link that points nowhere is still a checked-out file.
        let checked_out =
            std::fs::symlink_metadata(self.repo.root().join(Path::new(&path))).is_ok();
        if self.partial && !checked_out {
            return;
        }
        self.missing.push(MissingObject { id, kind, path });
    }
}
