//! Reading a long history on several cores, ahead of the walk.
//!
//! The walk reads from the top of the history and cannot know a commit before it has read its
//! child; decompressing commits is most of its time. Helper threads, each with its own handle on
//! the repository, start at release tags deep in the history and read down from there, leaving
//! each commit where the walk takes it. Every commit is claimed by one reader: a helper stops where
//! the walk or another helper has been, and the walk waits for a commit a helper is reading
//! rather than read it twice. Only the source of a commit changes; the walk decides the order.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use git2::{Oid, Repository};

use super::OidMap;
use crate::plan::history::RawCommit;

/// More helpers than this gain nothing on one pack file.
pub(super) const MOST_HELPERS: usize = 3;

/// Below this many landmarks the history is too short to be worth a thread.
const FEWEST_LANDMARKS: usize = 8;

const SHARDS: usize = 64;

/// The walk's part of the history, in hundredths of a helper's (measured on the 100k-commit
/// benchmark: with equal parts the helper finished a fifth of the walk's time early).
const WALK_PART: usize = 75;

/// Where `helpers` threads start, given landmarks oldest first: they cut the list into one part
/// per reader, the walk's (the newest) a little smaller than the others.
pub(super) fn starts(landmarks: &[Oid], helpers: usize) -> Vec<Oid> {
    if helpers == 0 || landmarks.len() < FEWEST_LANDMARKS {
        return Vec::new();
    }
    let parts = helpers * 100 + WALK_PART;
    (1..=helpers)
        .map(|part| landmarks[landmarks.len() * part * 100 / parts])
        .collect()
}

enum Slot {
    /// A helper is reading it.
    Reading,
    /// Read by a helper, for the walk to take.
    Ready(Box<RawCommit>),
    /// Taken by the walk, or left for it to read itself (a helper could not).
    Walked,
}

/// The commits read ahead, shared by the walk and its helpers.
pub(super) struct Shared {
    shards: Vec<Mutex<OidMap<Slot>>>,
    /// Whether any helper was started: without one the walk reads everything itself.
    used: AtomicBool,
    running: AtomicUsize,
    stop: AtomicBool,
}

impl Shared {
    /// No helpers: the walk reads everything itself.
    pub(super) fn idle() -> Shared {
        Shared {
            shards: Vec::new(),
            used: AtomicBool::new(false),
            running: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        }
    }

    pub(super) fn new() -> Shared {
        Shared {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            used: AtomicBool::new(false),
            running: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        }
    }

    fn shard(&self, id: Oid) -> std::sync::MutexGuard<'_, OidMap<Slot>> {
        let at = usize::from(id.as_bytes()[0]) % SHARDS;
        // A reader that panicked leaves only whole slots behind.
        self.shards[at]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The commit as a helper read it, or `None` when the walk must read it: then no helper
    /// will.
    pub(super) fn take(&self, id: Oid) -> Option<RawCommit> {
        if !self.used.load(Ordering::Acquire) {
            return None;
        }
        loop {
            {
                let mut shard = self.shard(id);
                match shard.get_mut(&id) {
                    None => {
                        shard.insert(id, Slot::Walked);
                        return None;
                    }
                    Some(Slot::Walked) => return None,
                    Some(slot @ Slot::Ready(_)) => {
                        let Slot::Ready(commit) = std::mem::replace(slot, Slot::Walked) else {
                            unreachable!("matched as ready");
                        };
                        return Some(*commit);
                    }
                    Some(Slot::Reading) if self.running.load(Ordering::Acquire) == 0 => {
                        return None;
                    }
                    Some(Slot::Reading) => {}
                }
            }
            // A helper is decompressing it this very moment.
            std::thread::yield_now();
        }
    }

    /// Claims a commit for a helper; false when someone else has it.
    fn claim(&self, id: Oid) -> bool {
        let mut shard = self.shard(id);
        if shard.contains_key(&id) {
            return false;
        }
        shard.insert(id, Slot::Reading);
        true
    }

    fn settle(&self, id: Oid, slot: Slot) {
        self.shard(id).insert(id, slot);
    }

    /// How many commits read ahead wait for the walk.
    #[cfg(test)]
    pub(super) fn ready(&self) -> usize {
        (0..SHARDS)
            .map(|at| {
                self.shards[at]
                    .lock()
                    .expect("not poisoned")
                    .values()
                    .filter(|slot| matches!(slot, Slot::Ready(_)))
                    .count()
            })
            .sum()
    }
}

/// Tells the helpers to stop when the walk ends, however it ends: what they would read next is
/// not needed.
pub(super) struct StopWhenDone<'s>(pub(super) &'s Shared);

impl Drop for StopWhenDone<'_> {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::Release);
    }
}

/// Counts a helper as running until it returns or panics, so that the walk never waits for a
/// commit nobody is reading.
struct Running<'s>(&'s Shared);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Registers a helper before its thread starts, so the walk knows to look for its commits.
pub(super) fn register(shared: &Shared) {
    shared.running.fetch_add(1, Ordering::AcqRel);
    shared.used.store(true, Ordering::Release);
}

/// Counts out a helper whose thread could not be started.
pub(super) fn unregister(shared: &Shared) {
    shared.running.fetch_sub(1, Ordering::AcqRel);
}

/// Up to this many pack files, each helper opens them itself (see [`Store`]); beyond, helpers
/// share libgit2's handles, so that a repository of many packs does not run out of file
/// descriptors (each open pack holds one, per handle).
const MOST_PACKS_OF_THEIR_OWN: usize = 32;

/// How helpers reach the repository's objects.
///
/// libgit2 keeps one handle on each pack file for all the repositories a process opens, found
/// by the file's path, and holds that handle's lock while it looks an object up in the pack's
/// index. Readers on several threads therefore took turns: on the 100k-commit benchmark the
/// helpers spent a tenth of their time waiting, and the changelog took a tenth longer. A helper
/// opens the same object directory under a path of its own (`objects/./`, `objects/././`, …),
/// so it gets pack handles, and locks, of its own. Should libgit2 ever find the handles by
/// another key, the helpers only share them again.
pub(super) struct Store<'r> {
    git_dir: &'r Path,
    /// The object directory, when helpers open its packs themselves.
    objects: Option<PathBuf>,
}

impl<'r> Store<'r> {
    pub(super) fn of(repository: &'r Repository) -> Store<'r> {
        let objects = repository.commondir().join("objects");
        let packs = std::fs::read_dir(objects.join("pack")).map_or(0, |entries| {
            entries
                .filter_map(std::result::Result::ok)
                .filter(|entry| entry.file_name().as_encoded_bytes().ends_with(b".pack"))
                .count()
        });
        Store {
            git_dir: repository.path(),
            objects: (objects.is_dir() && packs <= MOST_PACKS_OF_THEIR_OWN).then_some(objects),
        }
    }

    /// Whether helpers open the packs themselves.
    #[cfg(test)]
    pub(super) fn opens_its_own_packs(&self) -> bool {
        self.objects.is_some()
    }

    /// The repository as helper number `helper` reads it.
    pub(super) fn open(&self, helper: usize) -> Option<Repository> {
        let own = self.objects.as_ref().and_then(|objects| {
            let mut path = objects.as_os_str().to_owned();
            for _ in 0..=helper {
                path.push("/.");
            }
            let odb = git2::Odb::new().ok()?;
            // Reads the directory's alternates too, as the repository's own database does.
            odb.add_disk_alternate(Path::new(&path).to_str()?).ok()?;
            Repository::from_odb(odb).ok()
        });
        own.or_else(|| Repository::open(self.git_dir).ok())
    }
}

/// Helper number `helper`: reads the history below `start`, first parents first, until it
/// reaches commits another reader has or the walk is done. A commit it cannot read is left to
/// the walk, which reports the error as its own.
pub(super) fn read_from(store: &Store<'_>, helper: usize, start: Oid, shared: &Shared) {
    let _running = Running(shared);
    let Some(repository) = store.open(helper) else {
        return;
    };
    let mut pending = vec![start];
    while let Some(id) = pending.pop() {
        if shared.stop.load(Ordering::Acquire) {
            return;
        }
        if !shared.claim(id) {
            continue;
        }
        match repository.find_commit(id) {
            Ok(commit) => {
                let commit = crate::repo::raw_commit(&commit);
                pending.extend(commit.parents.iter().rev());
                shared.settle(id, Slot::Ready(Box::new(commit)));
            }
            Err(_) => shared.settle(id, Slot::Walked),
        }
    }
}
