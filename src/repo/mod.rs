//! Reading git: HEAD, the branch, the work tree's state, release tags, commits and the remote;
//! and, in `version_files`, the files that hold the version.
//!
//! Everything here reads through libgit2 and nothing writes; writes go through the git command line
//! in `apply::git` so that the user's hooks and signing configuration apply.

mod history_walk;
mod objects;
mod reach;
mod tag_refs;
pub mod version_files;

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, StatusOptions};

use crate::error::{Error, Result};
use crate::plan::tag_pattern::TagPattern;
use crate::plan::workflow_triggers::WorkflowFile;
use crate::remote::RemoteTag;

pub use crate::plan::history::{AnyTag, DiffStatistics, Person, RawCommit, VersionTag};
pub use objects::MissingObject;

/// A tag whose name reads as a version, before its commit is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCandidate {
    /// The tag's name, e.g. `v1.2.3`.
    pub name: String,
    /// The version the name stands for.
    pub version: semver::Version,
    /// The ref's target and peeled commit, when read from git's ref files.
    reference: Option<tag_refs::TagRef>,
}

/// Where the project's remote lives, when it is a GitHub repository.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemoteInfo {
    /// The remote's name, e.g. `origin`.
    pub name: String,
    /// The host, e.g. `github.com`.
    pub host: Option<String>,
    /// The repository's owner.
    pub owner: String,
    /// The repository's name.
    pub repo: String,
}

impl RemoteInfo {
    /// The web address of the repository (`https://HOST/OWNER/REPO`) when the remote's host is
    /// one of `github_hosts` (github.com and any GitHub Enterprise host configured).
    pub fn github_url(&self, github_hosts: &[String]) -> Option<String> {
        let host = self.host.as_deref()?;
        github_hosts
            .iter()
            .any(|known| known.eq_ignore_ascii_case(host))
            .then(|| format!("https://{}/{}/{}", host, self.owner, self.repo))
    }
}

/// How git sees a file of the work tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracking {
    /// In the index: a release can commit it.
    Tracked,
    /// Neither tracked nor ignored.
    Untracked,
    /// Ignored by `.gitignore` (or `info/exclude`, `core.excludesFile`): `git add` refuses it.
    Ignored,
}

/// What HEAD changed, to tell whether it is the release commit of an unfinished release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadChange {
    /// HEAD.
    pub id: Oid,
    /// HEAD's only parent.
    pub parent: Oid,
    /// HEAD's message, trailing white space removed.
    pub message: String,
    /// The paths HEAD changed against its parent.
    pub changed_paths: Vec<PathBuf>,
}

/// How a history walk orders commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkOrder {
    /// No parent before its children (libgit2's topological sort, as git-cliff's default).
    Topological,
    /// By commit time, newest first (`[git] topo_order_commits = false`).
    CommitTime,
}

impl From<WalkOrder> for history_walk::Order {
    fn from(order: WalkOrder) -> history_walk::Order {
        match order {
            WalkOrder::Topological => history_walk::Order::Topological,
            WalkOrder::CommitTime => history_walk::Order::Time,
        }
    }
}

impl WalkOrder {
    /// The order git-cliff walks in for `[git] topo_order_commits`.
    pub fn for_changelog(topo_order_commits: bool) -> WalkOrder {
        if topo_order_commits {
            WalkOrder::Topological
        } else {
            WalkOrder::CommitTime
        }
    }
}

/// The remote actions/checkout clones from.
const ACTIONS_REMOTE: &str = "origin";

/// An open repository.
pub struct Repo {
    /// Never closed: relcut opens one repository per run, and freeing the object cache of a
    /// walk over a long history (a tenth of a whole-history changelog's time on 100,000
    /// commits) is work the process's exit does for free.
    inner: std::mem::ManuallyDrop<Repository>,
    root: PathBuf,
    /// Release tags the remote has and this repository does not, read before the history so
    /// that the version is decided from every release (see [`Repo::include_remote_tags`]).
    remote_tags: Vec<(String, tag_refs::TagRef)>,
}

/// What the submodules gained between two commits (see [`Repo::submodule_commits`]).
pub struct SubmoduleChanges {
    /// Each changed submodule's path with its commits in between, newest first.
    pub read: Vec<(String, Vec<RawCommit>)>,
    /// The changed submodules that are not checked out, so could not be read.
    pub unreadable: Vec<String>,
}

impl Repo {
    /// Opens the repository as git itself would from the current directory: `GIT_DIR`,
    /// `GIT_WORK_TREE`, `core.worktree`, `GIT_CEILING_DIRECTORIES` and the other variables of
    /// git's environment apply, so that what relcut reads is the repository its git commands
    /// write (see [`Repo::git_dir`]). `-C DIR` changes the directory before this, as in git.
    pub fn open_from_env() -> Result<Repo> {
        // Like git itself, trust the object store when reading; verifying every object's hash
        // doubles the cost of reading long histories. relcut never writes objects through libgit2.
        git2::opts::strict_hash_verification(false);
        let inner = match Repository::open_from_env() {
            Ok(inner) => inner,
            Err(error) if error.code() == git2::ErrorCode::NotFound => {
                let shown = match std::env::var_os("GIT_DIR") {
                    Some(git_dir) => format!("GIT_DIR `{}`", Path::new(&git_dir).display()),
                    None => format!(
                        "`{}`",
                        std::env::current_dir().unwrap_or_default().display()
                    ),
                };
                return Err(Error::Usage(format!(
                    "{shown} is not inside a git repository; run relcut in your project's checkout (or pass `-C DIR`)"
                )));
            }
            Err(source) => {
                return Err(Error::Git {
                    context: String::from("cannot open the git repository"),
                    source,
                });
            }
        };
        // git takes the current directory as the work tree when `GIT_DIR` is set and neither
        // `GIT_WORK_TREE` nor `core.worktree` names one; libgit2 would take the git directory's
        // parent, and relcut would then read one tree and commit another.
        if std::env::var_os("GIT_DIR").is_some()
            && std::env::var_os("GIT_WORK_TREE").is_none()
            && inner
                .config()
                .and_then(|config| config.get_path("core.worktree"))
                .is_err()
            && !inner.is_bare()
        {
            let cwd = std::env::current_dir().map_err(Error::io("read", "."))?;
            inner.set_workdir(&cwd, false).map_err(Error::git(
                "cannot use the current directory as the work tree",
            ))?;
        }
        let Some(root) = inner.workdir().map(Path::to_path_buf) else {
            return Err(Error::Usage(String::from(
                "the repository is bare; run relcut in a checkout with a work tree",
            )));
        };
        Ok(Repo {
            inner: std::mem::ManuallyDrop::new(inner),
            root,
            remote_tags: Vec::new(),
        })
    }

    /// The git directory (`.git`, or `GIT_DIR`), absolute; git commands are pointed at it and at
    /// [`Repo::root`] explicitly.
    pub fn git_dir(&self) -> &Path {
        self.inner.path()
    }

    /// Whether the repository is a shallow clone: history and tags beyond its depth are missing,
    /// so a version computed from it could be wrong.
    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }

    /// How git sees a file of the work tree: tracked, untracked, or ignored.
    pub fn tracking(&self, relative: &Path) -> Result<Tracking> {
        // A file in HEAD's tree is tracked; looking there reads a few objects the history walk
        // has mostly cached, where loading the index costs as much as the rest of `relcut next`.
        let in_head = self
            .inner
            .head()
            .and_then(|head| head.peel_to_tree())
            .is_ok_and(|tree| tree.get_path(relative).is_ok());
        if in_head {
            return Ok(Tracking::Tracked);
        }
        let staged = match self.inner.index() {
            Ok(index) => index.get_path(relative, 0).is_some(),
            Err(error) if is_sparse_index(&error) => {
                let path = relative.to_string_lossy();
                !self
                    .read_with_git(&["ls-files", "--sparse", "-z", "--", &path])?
                    .is_empty()
            }
            Err(error) => return Err(Error::git("cannot read the index")(error)),
        };
        if staged {
            return Ok(Tracking::Tracked);
        }
        let ignored = self
            .inner
            .status_should_ignore(relative)
            .map_err(Error::git(format!(
                "cannot tell whether git ignores `{}`",
                relative.display()
            )))?;
        Ok(if ignored {
            Tracking::Ignored
        } else {
            Tracking::Untracked
        })
    }

    /// HEAD as a candidate release commit: its single parent, message and changed paths.
    /// `None` for a root commit or a merge, which no release step makes.
    pub fn head_change(&self, head: Oid) -> Result<Option<HeadChange>> {
        let commit = self
            .inner
            .find_commit(head)
            .map_err(Error::git(format!("cannot read commit {head}")))?;
        if commit.parent_count() != 1 {
            return Ok(None);
        }
        let parent = commit
            .parent_id(0)
            .map_err(Error::git(format!("cannot read the parent of {head}")))?;
        Ok(Some(HeadChange {
            id: head,
            parent,
            message: commit_message(&commit),
            changed_paths: self.changed_paths(&head.to_string())?,
        }))
    }

    /// A file's text in a commit, `None` when the commit has no such file (or it is not text).
    pub fn file_at(&self, commit: Oid, relative: &Path) -> Result<Option<String>> {
        let tree = self
            .inner
            .find_commit(commit)
            .and_then(|commit| commit.tree())
            .map_err(Error::git(format!("cannot read the tree of {commit}")))?;
        let Ok(entry) = tree.get_path(relative) else {
            return Ok(None);
        };
        let Ok(blob) = self.inner.find_blob(entry.id()) else {
            return Ok(None);
        };
        Ok(std::str::from_utf8(blob.content()).ok().map(String::from))
    }

    /// The workflow file `.github/workflows/NAME` as HEAD's tree holds it, or the work tree
    /// when HEAD's tree does not: what GitHub runs is what the release pushes.
    pub fn workflow_file(&self, name: &str) -> WorkflowFile {
        let folder = Path::new(".github/workflows");
        let tree = self.inner.head().and_then(|head| head.peel_to_tree()).ok();
        // `Some(None)`: in the tree, its text unreadable (not UTF-8, or its blob missing).
        let committed = |name: &str| -> Option<Option<String>> {
            let entry = tree.as_ref()?.get_path(&folder.join(name)).ok()?;
            Some(
                self.inner
                    .find_blob(entry.id())
                    .ok()
                    .and_then(|blob| std::str::from_utf8(blob.content()).ok().map(String::from)),
            )
        };
        if let Some(text) = committed(name) {
            return WorkflowFile::Committed(text);
        }
        if self.root.join(folder).join(name).is_file() {
            return WorkflowFile::Uncommitted;
        }
        let other = name
            .strip_suffix(".yml")
            .map(|stem| format!("{stem}.yaml"))
            .or_else(|| name.strip_suffix(".yaml").map(|stem| format!("{stem}.yml")))
            .filter(|other| committed(other).is_some());
        WorkflowFile::Missing { other }
    }

    /// The work tree's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The commit HEAD points at; `None` in a repository with no commit yet.
    pub fn head_commit(&self) -> Result<Option<Oid>> {
        match self.inner.head() {
            Ok(head) => Ok(Some(
                head.peel_to_commit()
                    .map_err(Error::git("cannot read the commit at HEAD"))?
                    .id(),
            )),
            Err(error) if error.code() == git2::ErrorCode::UnbornBranch => Ok(None),
            Err(error) => Err(Error::Git {
                context: String::from("cannot read HEAD"),
                source: error,
            }),
        }
    }

    /// The checked-out branch, or `None` when HEAD is detached; in GitHub Actions, a detached
    /// HEAD at the tip of the run's branch is that branch (see [`crate::ci::actions_branch`]).
    pub fn branch(&self) -> Result<Option<String>> {
        if self
            .inner
            .head_detached()
            .map_err(Error::git("cannot read HEAD"))?
        {
            return Ok(self.actions_branch());
        }
        let head = self
            .inner
            .find_reference("HEAD")
            .map_err(Error::git("cannot read HEAD"))?;
        Ok(head
            .symbolic_target()
            .ok()
            .flatten()
            .and_then(|target| target.strip_prefix("refs/heads/"))
            .map(String::from))
    }

    /// The branch a detached HEAD releases in GitHub Actions, from the run's environment.
    fn actions_branch(&self) -> Option<String> {
        let head = self.inner.head().ok()?.target()?.to_string();
        crate::ci::actions_branch(&|name| std::env::var(name).ok(), &head, &|branch| {
            self.inner
                .refname_to_id(&format!("refs/remotes/{ACTIONS_REMOTE}/{branch}"))
                .ok()
                .map(|id| id.to_string())
        })
    }

    /// Tracked files with changes, staged or not (untracked files are not part of a release), as
    /// `git status --porcelain` lists them.
    pub fn dirty_paths(&self) -> Result<Vec<String>> {
        let mut options = StatusOptions::new();
        options
            .include_untracked(false)
            .include_ignored(false)
            .exclude_submodules(true);
        let statuses = match self.inner.statuses(Some(&mut options)) {
            Ok(statuses) => statuses,
            Err(error) if is_sparse_index(&error) => return self.dirty_paths_from_git(),
            Err(error) => return Err(Error::git("cannot read the work tree's status")(error)),
        };
        let index = self
            .inner
            .index()
            .map_err(Error::git("cannot read the index"))?;
        Ok(statuses
            .iter()
            .filter(|entry| {
                let mut status = entry.status();
                // libgit2 compares the work tree even where git has been told not to look: a file
                // outside a sparse checkout (absent, so "deleted"), or one marked
                // `--skip-worktree` or `--assume-unchanged`. git status shows only what is staged
                // for those, and so does relcut, or it refuses a tree git calls clean.
                if index_entry_hides_work_tree(&index, entry.path_bytes()) {
                    status &= !WORK_TREE_CHANGES;
                }
                status != git2::Status::CURRENT
            })
            .filter_map(|entry| entry.path().ok().map(String::from))
            .collect())
    }

    /// What `git status` lists as changed in tracked files, for an index libgit2 cannot read.
    fn dirty_paths_from_git(&self) -> Result<Vec<String>> {
        let output = self.read_with_git(&[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=no",
            "--ignore-submodules=all",
        ])?;
        Ok(porcelain_paths(&output))
    }

    /// The standard output of a git command that only reads, for what libgit2 cannot read.
    fn read_with_git(&self, args: &[&str]) -> Result<Vec<u8>> {
        let output = std::process::Command::new("git")
            .current_dir(&self.root)
            .arg("--git-dir")
            .arg(self.inner.path())
            .arg("--work-tree")
            .arg(&self.root)
            // A read must not write: without this, git status refreshes the index.
            .arg("--no-optional-locks")
            .args(args)
            .output()
            .map_err(Error::io("run", "git"))?;
        if !output.status.success() {
            // No token can be in these: relcut's own arguments, and git's words about paths.
            return Err(Error::GitCommand {
                command: args.join(" "),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        Ok(output.stdout)
    }

    /// Every tag whose name the pattern reads as a version, highest version first. Names are read
    /// from the refs alone; a tag's commit is resolved only when it is tried as the last release.
    pub fn version_tags(&self, pattern: &TagPattern) -> Result<Vec<TagCandidate>> {
        let mut tags = Vec::new();
        if let Some(references) = tag_refs::read(self.inner.commondir()) {
            tags.reserve(references.len() + self.remote_tags.len());
            for (name, reference) in references {
                if let Some(version) = pattern.version_of(&name) {
                    tags.push(TagCandidate {
                        name,
                        version,
                        reference: Some(reference),
                    });
                }
            }
        } else {
            let references = self
                .inner
                .references_glob("refs/tags/*")
                .map_err(Error::git("cannot list the tags"))?;
            for reference in references {
                let reference = reference.map_err(Error::git("cannot read a tag"))?;
                let Ok(name) = reference.shorthand() else {
                    continue;
                };
                let Some(version) = pattern.version_of(name) else {
                    continue;
                };
                tags.push(TagCandidate {
                    name: name.to_string(),
                    version,
                    reference: None,
                });
            }
        }
        let local: std::collections::HashSet<String> = if self.remote_tags.is_empty() {
            Default::default()
        } else {
            tags.iter().map(|tag| tag.name.clone()).collect()
        };
        for (name, reference) in &self.remote_tags {
            if !local.contains(name)
                && let Some(version) = pattern.version_of(name)
            {
                tags.push(TagCandidate {
                    name: name.clone(),
                    version,
                    reference: Some(*reference),
                });
            }
        }
        // The numbers decide almost every comparison, and comparing them alone is far cheaper than
        // `Version::cmp`; sorting small keys rather than the candidates themselves also saves
        // moving them around (sorting thousands of tags was a sixth of a `relcut next`).
        let mut order: Vec<_> = tags
            .iter()
            .enumerate()
            .map(|(index, tag)| {
                let version = &tag.version;
                (
                    std::cmp::Reverse((version.major, version.minor, version.patch)),
                    index,
                )
            })
            .collect();
        order.sort_by(|(a_numbers, a), (b_numbers, b)| {
            a_numbers.cmp(b_numbers).then_with(|| {
                let (a, b) = (&tags[*a], &tags[*b]);
                b.version.cmp(&a.version).then_with(|| a.name.cmp(&b.name))
            })
        });
        // Put each candidate in its place by swaps rather than into a second list: the list
        // is tens of pages of memory on thousands of tags, and each page a fault.
        let sources: Vec<usize> = order.into_iter().map(|(_, index)| index).collect();
        for place in 0..sources.len() {
            // The candidate first at `sources[place]` was swapped away from there if that place
            // is already done; the chain of earlier swaps says where it went.
            let mut source = sources[place];
            while source < place {
                source = sources[source];
            }
            tags.swap(place, source);
        }
        Ok(tags)
    }

    /// The names of every tag, whatever they point at.
    pub fn tag_names(&self) -> Result<Vec<String>> {
        let names = self
            .inner
            .tag_names(None)
            .map_err(Error::git("cannot list the tags"))?;
        Ok(names.iter().flatten().flatten().map(String::from).collect())
    }

    /// The branch `origin/HEAD` names: the remote's default branch, as the last clone or
    /// `git remote set-head` saw it.
    pub fn remote_default_branch(&self) -> Option<String> {
        let head = self.inner.find_reference("refs/remotes/origin/HEAD").ok()?;
        head.symbolic_target()
            .ok()
            .flatten()
            .and_then(|target| target.strip_prefix("refs/remotes/origin/"))
            .map(String::from)
    }

    /// Counts the remote's tags that this repository lacks as release candidates, in memory:
    /// nothing is written, so a dry run sees the same releases as a real run. A local tag of the
    /// same name wins (one on another commit is the checks' business). A tag whose commit is not
    /// here is never reached from HEAD, so it changes no version; the checks find HEAD behind.
    pub fn include_remote_tags(&mut self, tags: &std::collections::BTreeMap<String, RemoteTag>) {
        self.remote_tags = tags
            .iter()
            .filter_map(|(name, tag)| {
                let target = Oid::from_str(&tag.object).ok()?;
                let commit = Oid::from_str(&tag.commit).ok()?;
                Some((
                    name.clone(),
                    tag_refs::TagRef {
                        target,
                        peeled: (commit != target).then_some(commit),
                        fully_peeled: true,
                    },
                ))
            })
            .collect();
    }

    /// The names of the repository's remotes.
    pub fn remote_names(&self) -> Result<Vec<String>> {
        let names = self
            .inner
            .remotes()
            .map_err(Error::git("cannot list the remotes"))?;
        // Names that are not UTF-8 cannot be named in relcut.toml either.
        Ok(names
            .iter()
            .flatten()
            .flatten()
            .map(str::to_string)
            .collect())
    }

    /// The current branch's upstream: its remote (`.` for a branch of this repository) and the
    /// ref it merges, e.g. `("origin", "refs/heads/main")`.
    pub fn upstream(&self) -> Option<(String, String)> {
        // A detached Actions checkout tracks nothing; its branch is `origin`'s, as
        // actions/checkout names the remote.
        if self.inner.head_detached().unwrap_or(false) {
            let branch = self.actions_branch()?;
            self.inner.find_remote(ACTIONS_REMOTE).ok()?;
            return Some((String::from(ACTIONS_REMOTE), format!("refs/heads/{branch}")));
        }
        let branch = format!("refs/heads/{}", self.branch().ok().flatten()?);
        let remote = self.inner.branch_upstream_remote(&branch).ok()?;
        let merge = self.inner.branch_upstream_merge(&branch).ok()?;
        Some((
            remote.as_str().ok()?.to_string(),
            merge.as_str().ok()?.to_string(),
        ))
    }

    /// Whether `head` contains the commit `id` (is it, or descends from it); `None` when `id` is
    /// no commit of this repository.
    pub fn contains(&self, head: Oid, id: &str) -> Result<Option<bool>> {
        let Ok(id) = Oid::from_str(id) else {
            return Ok(None);
        };
        if self.inner.find_commit(id).is_err() {
            return Ok(None);
        }
        if id == head {
            return Ok(Some(true));
        }
        self.inner
            .graph_descendant_of(head, id)
            .map(Some)
            .map_err(Error::git(format!(
                "cannot tell whether HEAD contains {id}"
            )))
    }

    /// The object a candidate tag leads to, for the reachability walk: the peeled value
    /// `packed-refs` recorded, the target with annotated tags followed, or (refs libgit2 listed)
    /// the ref's commit looked up by name.
    ///
    /// A tag of a tree or blob leads to that tree or blob (`packed-refs` records those as peeled
    /// values too). The walk, which reads each object anyway, never counts one that is not a
    /// commit as reached, so it is not a release; the commit is not read here, since a parsed
    /// read would make the walk read it from the pack a second time.
    fn candidate_commit(&self, tag: &TagCandidate) -> Result<Option<Oid>> {
        match tag.reference {
            Some(tag_refs::TagRef {
                peeled: Some(peeled),
                ..
            }) => Ok(Some(peeled)),
            Some(reference) => {
                let mut id = reference.target;
                // Tags of tags are followed as far as git itself would go.
                for _ in 0..32 {
                    match self.inner.find_tag(id) {
                        Ok(tag) => id = tag.target_id(),
                        Err(_) => break,
                    }
                }
                Ok(Some(id))
            }
            None => self.tag_commit(&tag.name),
        }
    }

    /// The highest version tag reachable from `head` (the tag's commit is `head` or an ancestor).
    ///
    /// Tags are tried from the highest version down, so a repository whose newest tag is reachable,
    /// the usual case, reads one tag and makes one reachability test however many tags it has.
    pub fn last_release(&self, head: Oid, tags: &[TagCandidate]) -> Result<Option<VersionTag>> {
        self.highest_reachable(head, tags.iter())
    }

    /// The highest stable version among the tags reachable from `head`, at or below `ceiling`.
    pub fn last_stable(
        &self,
        head: Oid,
        tags: &[TagCandidate],
        ceiling: &semver::Version,
    ) -> Result<Option<VersionTag>> {
        self.highest_reachable(
            head,
            tags.iter()
                .filter(|tag| tag.version.pre.is_empty() && &tag.version <= ceiling),
        )
    }

    /// The first of `candidates` (highest version first) whose commit `head` reaches, found with
    /// one walk shared by every candidate it has to try (see [`reach`]). A tag of a tree or blob
    /// is not a release and is skipped rather than failing the whole run.
    fn highest_reachable<'t>(
        &self,
        head: Oid,
        candidates: impl Iterator<Item = &'t TagCandidate>,
    ) -> Result<Option<VersionTag>> {
        let candidates: Vec<&TagCandidate> = candidates.collect();
        let mut commits: Vec<Option<Oid>> = vec![None; candidates.len()];
        let reached = reach::first_reached(&self.inner, head, candidates.len(), |index| {
            let commit = self.candidate_commit(candidates[index])?;
            commits[index] = commit;
            Ok(commit)
        })?;
        Ok(reached.and_then(|index| {
            let tag = candidates[index];
            Some(VersionTag {
                name: tag.name.clone(),
                version: tag.version.clone(),
                commit: commits[index]?,
            })
        }))
    }

    /// The index of the first of `commits` that `head` reaches (is `head` or an ancestor of it),
    /// found with one walk shared by all of them.
    pub fn first_reachable(&self, head: Oid, commits: &[Oid]) -> Result<Option<usize>> {
        reach::first_reached(&self.inner, head, commits.len(), |index| {
            Ok(Some(commits[index]))
        })
    }

    /// The commit a tag points at, when a tag of that name exists. A tag of a tree or blob gives
    /// that tree or blob: the name is taken all the same, so the preflight must see it, and the
    /// reachability walk never counts such an object as a release.
    pub fn tag_commit(&self, name: &str) -> Result<Option<Oid>> {
        match self.inner.find_reference(&format!("refs/tags/{name}")) {
            Ok(reference) => Ok(reference
                .peel(git2::ObjectType::Any)
                .map(|object| object.id())
                .ok()
                .or_else(|| reference.target())),
            Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(error) => Err(Error::Git {
                context: format!("cannot read the tag `{name}`"),
                source: error,
            }),
        }
    }

    /// Commits reachable from `head` and not from `since`, newest first, in topological order.
    pub fn commits(&self, head: Oid, since: Option<Oid>) -> Result<Vec<RawCommit>> {
        self.commits_in_order(head, since, WalkOrder::Topological)
    }

    /// Commits reachable from `head` and not from `since`, newest first, in `order`: the walk
    /// git-cliff makes for `[git] topo_order_commits`.
    pub fn commits_in_order(
        &self,
        head: Oid,
        since: Option<Oid>,
        order: WalkOrder,
    ) -> Result<Vec<RawCommit>> {
        history_walk::walk(&self.inner, head, since, order.into(), &[])
            .map_err(Error::git("cannot walk the history"))
    }

    /// Every commit reachable from `head`, newest first, in `order`, read on every core: the
    /// release tags tell the walk where older parts of the history begin.
    pub fn whole_history(
        &self,
        head: Oid,
        order: WalkOrder,
        tags: &[AnyTag],
    ) -> Result<Vec<RawCommit>> {
        let mut landmarks: Vec<(i64, Oid)> = tags
            .iter()
            .map(|tag| (tag.commit_time, tag.commit))
            .collect();
        landmarks.sort_unstable();
        landmarks.dedup();
        let landmarks: Vec<Oid> = landmarks.into_iter().map(|(_, commit)| commit).collect();
        history_walk::walk(&self.inner, head, None, order.into(), &landmarks)
            .map_err(Error::git("cannot walk the history"))
    }

    /// The submodules whose recorded commit changed from `old` (none: from an empty tree) to
    /// `new`, each with the submodule's commits in between (all of them up to the new one for a
    /// submodule added), newest first, as git-cliff's `recurse_submodules` reads them. A changed
    /// submodule that is not checked out cannot be read; it comes back as unreadable.
    pub fn submodule_commits(
        &self,
        old: Option<Oid>,
        new: Oid,
        topological: bool,
    ) -> Result<SubmoduleChanges> {
        let tree_of = |id: Oid| {
            self.inner
                .find_commit(id)
                .and_then(|commit| commit.tree())
                .map_err(Error::git(format!("cannot read the tree of commit {id}")))
        };
        let new_tree = tree_of(new)?;
        let old_tree = old.map(tree_of).transpose()?;
        let diff = self
            .inner
            .diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), None)
            .map_err(Error::git("cannot compare the submodules of two releases"))?;
        let mut read = Vec::new();
        let mut unreadable = Vec::new();
        for delta in diff.deltas() {
            let (before, after) = (delta.old_file().id(), delta.new_file().id());
            if before == after
                || after.is_zero()
                || delta.new_file().mode() != git2::FileMode::Commit
            {
                continue;
            }
            let Some(path) = delta.new_file().path().and_then(Path::to_str) else {
                continue;
            };
            let Some(submodule) = self
                .inner
                .find_submodule(path)
                .ok()
                .and_then(|submodule| submodule.open().ok())
            else {
                unreadable.push(path.to_string());
                continue;
            };
            let order = if topological {
                history_walk::Order::Topological
            } else {
                history_walk::Order::Time
            };
            // The submodule's clone may not have the recorded commits yet: without the new one
            // it cannot be read, without the old one all of its history is new.
            if submodule.find_commit(after).is_err() {
                unreadable.push(path.to_string());
                continue;
            }
            let hide =
                (!before.is_zero() && submodule.find_commit(before).is_ok()).then_some(before);
            let commits = history_walk::walk(&submodule, after, hide, order, &[])
                .map_err(Error::git(format!("cannot walk the submodule `{path}`")))?;
            read.push((path.to_string(), commits));
        }
        Ok(SubmoduleChanges { read, unreadable })
    }

    /// Every tag, with the annotated message, for the whole-history changelog; ordered by the
    /// time of the tagged commit, as git-cliff orders them.
    pub fn all_tags(&self, pattern: Option<&regex::Regex>) -> Result<Vec<AnyTag>> {
        let names = self
            .inner
            .tag_names(None)
            .map_err(Error::git("cannot list the tags"))?;
        let mut tags = Vec::new();
        for name in names.iter().flatten().flatten() {
            if pattern.is_some_and(|pattern| !pattern.is_match(name)) {
                continue;
            }
            let Ok(object) = self.inner.revparse_single(&format!("refs/tags/{name}")) else {
                continue;
            };
            let message = object
                .as_tag()
                .and_then(|tag| tag.message_bytes())
                // Lossy, as commit messages are: bytes that are not UTF-8 must not drop the
                // message, nor stop the changelog.
                .map(|bytes| strip_signature(&String::from_utf8_lossy(bytes)));
            let Ok(commit) = object.peel_to_commit() else {
                continue;
            };
            tags.push(AnyTag {
                name: object
                    .as_tag()
                    .and_then(|tag| tag.name().ok())
                    .unwrap_or(name)
                    .to_string(),
                message,
                commit: commit.id(),
                commit_time: commit.time().seconds(),
            });
        }
        tags.sort_by_key(|tag| tag.commit_time);
        Ok(tags)
    }

    /// The remote of the current branch's upstream, or `origin`, when its URL names an owner and a
    /// repository.
    pub fn remote(&self) -> Option<RemoteInfo> {
        let name = self
            .upstream_remote_name()
            .unwrap_or_else(|| String::from("origin"));
        let remote = self.inner.find_remote(&name).ok()?;
        // libgit2 applies `url.<base>.insteadOf`; when the rewritten URL names no host (a mirror on
        // disk, say), the URL as configured still says where the project lives.
        let configured = || {
            self.inner
                .config()
                .ok()?
                .get_string(&format!("remote.{name}.url"))
                .ok()
        };
        let parsed = remote
            .url()
            .ok()
            .and_then(parse_remote_url)
            .filter(|(host, _, _)| host.is_some())
            .or_else(|| configured().as_deref().and_then(parse_remote_url))?;
        let (host, owner, repo) = parsed;
        Some(RemoteInfo {
            name,
            host,
            owner,
            repo,
        })
    }

    /// The committer time of a commit, seconds since the epoch.
    pub fn commit_time(&self, id: Oid) -> Result<i64> {
        let commit = self
            .inner
            .find_commit(id)
            .map_err(Error::git(format!("cannot read commit {id}")))?;
        Ok(commit.time().seconds())
    }

    /// Commits in a range as git reads it (`A..B`, or one revision for its whole history).
    pub fn commits_in_range(&self, spec: &str) -> Result<Vec<RawCommit>> {
        let not_found = |source| Error::Git {
            context: format!(
                "`{spec}` is not a revision or range in this repository; write it as `v1.0.0..HEAD`"
            ),
            source,
        };
        let revspec = self.inner.revparse(spec).map_err(not_found)?;
        let peel = |object: Option<&git2::Object<'_>>| -> Result<Option<Oid>> {
            match object {
                None => Ok(None),
                Some(object) => Ok(Some(
                    object
                        .peel_to_commit()
                        .map_err(Error::git(format!("`{spec}` does not name a commit")))?
                        .id(),
                )),
            }
        };
        if revspec.mode().contains(git2::RevparseMode::RANGE) {
            let from = peel(revspec.from())?;
            let to = peel(revspec.to())?.map_or_else(|| self.head_commit(), |to| Ok(Some(to)))?;
            match to {
                Some(to) => self.commits(to, from),
                None => Ok(Vec::new()),
            }
        } else {
            match peel(revspec.from())? {
                Some(head) => self.commits(head, None),
                None => Ok(Vec::new()),
            }
        }
    }

    /// Diffs a commit against its first parent (the empty tree for a root commit).
    fn diff_with_parent(&self, id: &str) -> Result<git2::Diff<'_>> {
        let context = || format!("cannot diff commit {id}");
        let oid = Oid::from_str(id).map_err(Error::git(context()))?;
        let commit = self.inner.find_commit(oid).map_err(Error::git(context()))?;
        let tree = commit.tree().map_err(Error::git(context()))?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree().map_err(Error::git(context()))?),
            Err(_) => None,
        };
        self.inner
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
            .map_err(Error::git(context()))
    }

    /// Fills in each commit's diff statistics (one diff per commit: only when a template needs them).
    pub fn add_statistics(&self, commits: &mut [RawCommit]) -> Result<()> {
        for commit in commits {
            let stats = self
                .diff_with_parent(&commit.id)?
                .stats()
                .map_err(Error::git(format!("cannot diff commit {}", commit.id)))?;
            commit.statistics = Some(DiffStatistics {
                files_changed: stats.files_changed(),
                additions: stats.insertions(),
                deletions: stats.deletions(),
            });
        }
        Ok(())
    }

    /// The paths a commit changed against its first parent (every file, for a root commit).
    pub fn changed_paths(&self, id: &str) -> Result<Vec<PathBuf>> {
        let diff = self.diff_with_parent(id)?;
        let mut paths = Vec::new();
        for delta in diff.deltas() {
            for file in [delta.new_file(), delta.old_file()] {
                if let Some(path) = file.path()
                    && !paths.iter().any(|known: &PathBuf| known == path)
                {
                    paths.push(path.to_path_buf());
                }
            }
        }
        Ok(paths)
    }

    /// The owner and name of the current branch's upstream repository, read from its URL exactly
    /// as git-cliff reads it (so changelog templates see the same `remote` values): a URL with a
    /// scheme gives its last two path segments, an scp-like `user@host:owner/name` its two parts;
    /// a branch without an upstream, or any other URL, gives nothing.
    pub fn upstream_owner_and_name(&self) -> Option<(String, String)> {
        let remote = self.inner.find_remote(&self.upstream_remote_name()?).ok()?;
        cliff_owner_and_name(remote.url().ok()?)
    }

    /// The name of the remote the current branch tracks, if it tracks one.
    pub fn upstream_remote_name(&self) -> Option<String> {
        if self.inner.head_detached().unwrap_or(false) {
            return self.upstream().map(|(remote, _)| remote);
        }
        let branch = self.branch().ok().flatten()?;
        let name = self
            .inner
            .branch_upstream_remote(&format!("refs/heads/{branch}"))
            .ok()?;
        name.as_str().ok().map(String::from)
    }

    /// The contents of a file at the repository root, when it exists.
    pub fn read_root_file(&self, relative: &Path) -> Result<Option<String>> {
        let path = self.root.join(relative);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Error::io("read", relative)(error)),
        }
    }
}

/// Reads the commits with these ids, in this order.
fn raw_commit(commit: &git2::Commit<'_>) -> RawCommit {
    let encoding = message_encoding(commit);
    RawCommit {
        id: commit.id().to_string(),
        message: commit_message(commit),
        author: person(&commit.author(), encoding),
        committer: person(&commit.committer(), encoding),
        parent_count: commit.parent_count(),
        statistics: None,
        parents: commit.parent_ids().collect(),
    }
}

/// The names and emails are in the commit's encoding too: git re-encodes the whole commit.
fn person(signature: &git2::Signature<'_>, encoding: &'static encoding_rs::Encoding) -> Person {
    Person {
        name: Some(decode(signature.name_bytes(), encoding)),
        email: Some(decode(signature.email_bytes(), encoding)),
        time: signature.when().seconds(),
    }
}

/// A commit's message as `git log` shows it: decoded from the encoding its `encoding` header
/// names, without trailing whitespace.
fn commit_message(commit: &git2::Commit<'_>) -> String {
    decode(commit.message_bytes(), message_encoding(commit))
        .trim_end()
        .to_string()
}

/// The encoding a commit's header names; UTF-8 without a header, as git assumes. A name nobody
/// knows leaves the bytes as they are, as `git log` does when iconv cannot convert, which here
/// means read as UTF-8.
fn message_encoding(commit: &git2::Commit<'_>) -> &'static encoding_rs::Encoding {
    encoding_named(commit.message_encoding().ok().flatten())
}

fn encoding_named(label: Option<&str>) -> &'static encoding_rs::Encoding {
    label
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        .unwrap_or(encoding_rs::UTF_8)
}

/// Decodes text git holds, replacing what does not decode: a commit's bytes are whatever its
/// writer put there, and an unreadable byte must not stop a release.
fn decode(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// Removes a PGP or SSH signature block from an annotated tag's message, as git-cliff does.
fn strip_signature(message: &str) -> String {
    let cut = [
        "-----BEGIN PGP SIGNATURE-----",
        "-----BEGIN SSH SIGNATURE-----",
    ]
    .iter()
    .filter_map(|marker| message.find(marker))
    .min()
    .unwrap_or(message.len());
    message[..cut].trim().to_string()
}

/// Reads `(host, owner, repo)` from an HTTPS, SSH or scp-like remote URL.
pub fn parse_remote_url(url: &str) -> Option<(Option<String>, String, String)> {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    let (host, path) = if let Some((_scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next().unwrap_or(authority);
        let host = host.split(':').next().unwrap_or(host);
        (Some(host.to_string()), path)
    } else if let Some((authority, path)) = url.split_once(':') {
        // scp-like syntax: git@github.com:owner/repo
        let host = authority.rsplit('@').next().unwrap_or(authority);
        (Some(host.to_string()), path)
    } else {
        (None, url)
    };
    let mut segments = path.rsplit('/').filter(|segment| !segment.is_empty());
    let repo = segments.next()?.to_string();
    let owner = segments.next()?.to_string();
    Some((host.filter(|host| !host.is_empty()), owner, repo))
}

/// git-cliff's reading of a remote URL (see [`Repo::upstream_owner_and_name`]).
fn cliff_owner_and_name(url: &str) -> Option<(String, String)> {
    let url = url.strip_suffix(".git").unwrap_or(url);
    let has_scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if has_scheme && url.contains("://") {
        let path = url.split_once("://")?.1;
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let mut segments = path
            .split('/')
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev();
        let name = segments.next()?;
        let owner = segments.next()?;
        return Some((owner.to_string(), name.to_string()));
    }
    if url.contains('@') && url.contains(':') && url.contains('/') {
        let owner_and_name = url.split(':').nth(1)?;
        let mut parts = owner_and_name.split('/');
        let (owner, name) = (parts.next()?, parts.next()?);
        return parts
            .next()
            .is_none()
            .then(|| (owner.to_string(), name.to_string()));
    }
    None
}

/// A sparse index (`git sparse-checkout --sparse-index`), whose directory entries libgit2 does
/// not read; git itself still can.
fn is_sparse_index(error: &git2::Error) -> bool {
    error.class() == git2::ErrorClass::Index && error.message().contains("'sdir'")
}

/// The paths of `git status --porcelain=v1 -z`: `XY path`, and for a rename or copy the path it
/// came from after the next NUL, which is not listed again.
fn porcelain_paths(output: &[u8]) -> Vec<String> {
    let mut paths = Vec::new();
    let mut entries = output.split(|&byte| byte == 0);
    while let Some(entry) = entries.next() {
        let Some(path) = entry.get(3..) else {
            continue;
        };
        paths.push(String::from_utf8_lossy(path).into_owned());
        if matches!(entry[0], b'R' | b'C') {
            entries.next();
        }
    }
    paths
}

/// Every status bit that compares the work tree with the index.
const WORK_TREE_CHANGES: git2::Status = git2::Status::WT_NEW
    .union(git2::Status::WT_MODIFIED)
    .union(git2::Status::WT_DELETED)
    .union(git2::Status::WT_TYPECHANGE)
    .union(git2::Status::WT_RENAMED)
    .union(git2::Status::WT_UNREADABLE);

/// Whether git is told not to look at the work tree's copy of `path`: `skip-worktree` (a sparse
/// checkout, or `git update-index --skip-worktree`) or `assume-unchanged`.
fn index_entry_hides_work_tree(index: &git2::Index, path: &[u8]) -> bool {
    let Ok(path) = std::str::from_utf8(path) else {
        return false;
    };
    index.get_path(Path::new(path), 0).is_some_and(|entry| {
        git2::IndexEntryFlag::from_bits_truncate(entry.flags).is_valid()
            || git2::IndexEntryExtendedFlag::from_bits_truncate(entry.flags_extended)
                .is_skip_worktree()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_status_paths() {
        let output = b" M app/a.txt\0M  b.txt\0R  new name.txt\0old name.txt\0 D gone\0";
        assert_eq!(
            porcelain_paths(output),
            ["app/a.txt", "b.txt", "new name.txt", "gone"]
        );
        assert_eq!(porcelain_paths(b""), Vec::<String>::new());
    }

    #[test]
    fn messages_decode_from_the_encoding_their_header_names() {
        // Header, bytes, text.
        let rows: &[(Option<&str>, &[u8], &str)] = &[
            (None, b"feat: caf\xc3\xa9", "feat: caf\u{e9}"),
            (Some("UTF-8"), b"feat: caf\xc3\xa9", "feat: caf\u{e9}"),
            (Some("ISO-8859-1"), b"feat: caf\xe9", "feat: caf\u{e9}"),
            (Some("latin1"), b"feat: caf\xe9", "feat: caf\u{e9}"),
            (Some(" iso-8859-15 "), b"fix: \xa4", "fix: \u{20ac}"),
            (
                Some("Shift_JIS"),
                b"fix: \x93\xfa\x96\x7b",
                "fix: \u{65e5}\u{672c}",
            ),
            (
                Some("KOI8-R"),
                b"fix: \xd4\xc5\xd3\xd4",
                "fix: \u{442}\u{435}\u{441}\u{442}",
            ),
            // Invalid bytes and unknown names never fail: what does not decode is replaced.
            (
                None,
                b"feat: caf\xe9 \xe2\x82",
                "feat: caf\u{fffd} \u{fffd}",
            ),
            (Some("x-unknown"), b"fix: na\xefve", "fix: na\u{fffd}ve"),
            (Some("Shift_JIS"), b"fix: \x93", "fix: \u{fffd}"),
        ];
        for &(header, bytes, text) in rows {
            assert_eq!(decode(bytes, encoding_named(header)), text, "{header:?}");
        }
    }

    #[test]
    fn remote_urls_as_git_cliff_reads_them() {
        let rows: &[(&str, Option<(&str, &str)>)] = &[
            (
                "https://github.com/acme/rocket.git",
                Some(("acme", "rocket")),
            ),
            ("https://github.com/acme/rocket", Some(("acme", "rocket"))),
            (
                "ssh://git@github.com/acme/rocket.git",
                Some(("acme", "rocket")),
            ),
            (
                "https://gitlab.com/group/sub/project.git",
                Some(("sub", "project")),
            ),
            ("git@github.com:acme/rocket.git", Some(("acme", "rocket"))),
            ("git@host:group/sub/project.git", None),
            ("/srv/git/acme/rocket.git", None),
            ("../rocket", None),
            ("https://github.com/rocket", None),
        ];
        for (url, expected) in rows {
            let found = cliff_owner_and_name(url);
            let found = found
                .as_ref()
                .map(|(owner, name)| (owner.as_str(), name.as_str()));
            assert_eq!(found, *expected, "{url}");
        }
    }

    #[test]
    fn remote_urls() {
        type Expected<'a> = Option<(&'a str, &'a str, &'a str)>;
        let rows: &[(&str, Expected)] = &[
            (
                "https://github.com/acme/rocket.git",
                Some(("github.com", "acme", "rocket")),
            ),
            (
                "https://github.com/acme/rocket",
                Some(("github.com", "acme", "rocket")),
            ),
            (
                "git@github.com:acme/rocket.git",
                Some(("github.com", "acme", "rocket")),
            ),
            (
                "ssh://git@github.com/acme/rocket.git",
                Some(("github.com", "acme", "rocket")),
            ),
            (
                "https://user:pass@ghe.example.com:8443/org/tool.git",
                Some(("ghe.example.com", "org", "tool")),
            ),
            (
                "https://gitlab.com/group/sub/project.git",
                Some(("gitlab.com", "sub", "project")),
            ),
            ("/srv/git/remote.git", None),
        ];
        for (url, expected) in rows {
            let parsed = parse_remote_url(url);
            match expected {
                Some((host, owner, repo)) => {
                    let (found_host, found_owner, found_repo) = parsed.expect(url);
                    assert_eq!(found_host.as_deref(), Some(*host), "{url}");
                    assert_eq!(
                        (found_owner.as_str(), found_repo.as_str()),
                        (*owner, *repo),
                        "{url}"
                    );
                }
                None => assert!(
                    parsed.as_ref().is_none_or(|(host, _, _)| host.is_none()),
                    "{url}: {parsed:?}"
                ),
            }
        }
    }

    #[test]
    fn github_links_for_every_configured_host() {
        let hosts = [String::from("github.com"), String::from("ghe.example.com")];
        let rows: &[(&str, Option<&str>)] = &[
            ("github.com", Some("https://github.com/acme/rocket")),
            (
                "GHE.example.com",
                Some("https://GHE.example.com/acme/rocket"),
            ),
            ("gitlab.com", None),
        ];
        for (host, expected) in rows {
            let remote = RemoteInfo {
                name: String::from("origin"),
                host: Some(host.to_string()),
                owner: String::from("acme"),
                repo: String::from("rocket"),
            };
            assert_eq!(remote.github_url(&hosts).as_deref(), *expected, "{host}");
        }
    }

    #[test]
    fn signatures_are_stripped_from_tag_messages() {
        let message =
            "v1.0.0\n\nnotes\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n";
        assert_eq!(strip_signature(message), "v1.0.0\n\nnotes");
    }
}
