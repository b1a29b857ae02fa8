//! The history walk, in exactly the order libgit2's revwalk gives (which is what git-cliff lists
//! commits in), with every commit read once.
//!
//! `git2::Revwalk` reads each commit to learn its parents and time, and reading the messages
//! afterwards read every commit a second time: on a long history that second read was a fifth of
//! a whole-history changelog. Here the walk keeps the commits it reads. The order is libgit2's
//! own algorithm (`prepare_walk`, `limit_list`, `sort_in_topological_order` and the time queue of
//! `revwalk.c` and `pqueue.c` in libgit2 1.9), ported step for step: which release a commit lands
//! in follows from this order, so "close to libgit2" would not do. The tests compare it with
//! `git2::Revwalk` on generated histories of every shape.
//!
//! A whole history is read on every core: given commits deep in it (the release tags), other
//! threads read from there down while the walk reads from the top (see [`prefetch`]).

mod prefetch;

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use git2::{Oid, Repository};

use crate::plan::history::RawCommit;

/// How far libgit2 goes on walking uninteresting commits once everything left looks
/// uninteresting (`SLOP` in `revwalk.c`): clock skew can hide an interesting commit behind them.
const SLOP: u32 = 5;

/// The order of the walk, as `git2::Sort::TOPOLOGICAL` or `git2::Sort::TIME` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Topological,
    Time,
}

/// The commits reachable from `head` and not from `hide`, newest first, in libgit2's `order`.
///
/// `landmarks` are commits the walk is likely to reach, oldest first (the release tags): when
/// nothing is hidden, other threads read the history below them while the walk reads from the
/// top. They change how fast the commits are read, never which or in what order.
pub(crate) fn walk(
    repository: &Repository,
    head: Oid,
    hide: Option<Oid>,
    order: Order,
    landmarks: &[Oid],
) -> Result<Vec<RawCommit>, git2::Error> {
    // A hidden commit means a range, usually short: the walk alone is quicker than threads, and
    // the commits the reachability test just read are still in libgit2's cache.
    if hide.is_some() || landmarks.is_empty() {
        let _reading = hide
            .is_none()
            .then(ReadingSettings::for_one_read_per_object);
        let idle = prefetch::Shared::idle();
        let mut walk = Walk {
            repository,
            nodes: Vec::new(),
            index: HashMap::default(),
            prefetched: &idle,
        };
        return walk.run(head, hide, order);
    }
    let _reading = ReadingSettings::for_one_read_per_object();
    let helpers = std::thread::available_parallelism().map_or(1, usize::from) - 1;
    let starts = prefetch::starts(landmarks, helpers.min(prefetch::MOST_HELPERS));
    let shared = prefetch::Shared::new();
    let store = prefetch::Store::of(repository);
    std::thread::scope(|scope| {
        let _stop = prefetch::StopWhenDone(&shared);
        for (helper, start) in starts.into_iter().enumerate() {
            let (shared, store) = (&shared, &store);
            prefetch::register(shared);
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || {
                prefetch::read_from(store, helper, start, shared);
            });
            // Without a thread (the system refused one) the walk reads that part itself.
            if spawned.is_err() {
                prefetch::unregister(shared);
            }
        }
        let mut walk = Walk {
            repository,
            nodes: Vec::new(),
            index: HashMap::default(),
            prefetched: &shared,
        };
        walk.run(head, hide, order)
    })
}

/// libgit2's settings for a walk that reads each commit once, restored when it ends.
///
/// libgit2 caches every object it reads, and checks each one's hash. A walk reads each commit
/// once and keeps it, so the cache only costs (a third of the walk on 100,000 commits); and git
/// itself does not hash objects it reads for `git log`: zlib's checksum still catches a damaged
/// object. Both settings are process-wide, and nothing else in relcut uses libgit2 while a walk
/// runs (its other threads render text or talk to the forge).
struct ReadingSettings;

impl ReadingSettings {
    fn for_one_read_per_object() -> ReadingSettings {
        git2::opts::enable_caching(false);
        git2::opts::strict_hash_verification(false);
        ReadingSettings
    }
}

impl Drop for ReadingSettings {
    fn drop(&mut self) {
        git2::opts::strict_hash_verification(true);
        git2::opts::enable_caching(true);
    }
}

/// Object ids are already uniformly distributed: their first bytes are a hash.
#[derive(Default)]
pub(super) struct OidHasher(u64);

impl Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // `Oid` hashes its bytes after their length; the length is the same for every id.
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }
}

pub(super) type OidMap<V> = HashMap<Oid, V, BuildHasherDefault<OidHasher>>;

/// A commit of the walk: libgit2's `git_commit_list_node`.
struct Node {
    id: Oid,
    /// The commit, once read (libgit2's "parsed").
    commit: Option<RawCommit>,
    parents: Vec<usize>,
    time: i64,
    seen: bool,
    added: bool,
    uninteresting: bool,
    in_degree: u32,
}

struct Walk<'r> {
    repository: &'r Repository,
    nodes: Vec<Node>,
    index: OidMap<usize>,
    prefetched: &'r prefetch::Shared,
}

impl Walk<'_> {
    fn node(&mut self, id: Oid) -> usize {
        if let Some(&at) = self.index.get(&id) {
            return at;
        }
        let at = self.nodes.len();
        self.nodes.push(Node {
            id,
            commit: None,
            parents: Vec::new(),
            time: 0,
            seen: false,
            added: false,
            uninteresting: false,
            in_degree: 0,
        });
        self.index.insert(id, at);
        at
    }

    /// Reads a commit once: `git_commit_list_parse`.
    fn parse(&mut self, at: usize) -> Result<(), git2::Error> {
        if self.nodes[at].commit.is_some() {
            return Ok(());
        }
        let id = self.nodes[at].id;
        let commit = match self.prefetched.take(id) {
            Some(commit) => commit,
            None => super::raw_commit(&self.repository.find_commit(id)?),
        };
        let parents: Vec<usize> = commit.parents.iter().map(|&id| self.node(id)).collect();
        let node = &mut self.nodes[at];
        node.time = commit.committer.time;
        node.parents = parents;
        node.commit = Some(commit);
        Ok(())
    }

    fn run(
        &mut self,
        head: Oid,
        hide: Option<Oid>,
        order: Order,
    ) -> Result<Vec<RawCommit>, git2::Error> {
        // `git_revwalk__push_commit`: each push goes to the front of the user's input, and a
        // commit already hidden is not pushed again.
        let mut input: VecDeque<usize> = VecDeque::new();
        let head = self.node(head);
        input.push_front(head);
        if let Some(hide) = hide {
            let hide = self.node(hide);
            if !self.nodes[hide].uninteresting {
                self.nodes[hide].uninteresting = true;
                input.push_front(hide);
            }
        }
        // `prepare_walk`.
        let mut commits = VecDeque::new();
        for &at in &input {
            self.parse(at)?;
            if self.nodes[at].uninteresting {
                self.mark_parents_uninteresting(at);
            }
            if !self.nodes[at].seen {
                self.nodes[at].seen = true;
                commits.push_back(at);
            }
        }
        let limited = self.limit_list(commits)?;
        let ordered = match order {
            Order::Topological => self.sort_in_topological_order(&limited),
            Order::Time => self.sort_by_time(&limited),
        };
        // Commits can become uninteresting after they were listed; they are left out here, as
        // `revwalk_next_toposort` and `revwalk_next_timesort` do.
        let mut walked = Vec::with_capacity(ordered.len());
        for at in ordered {
            let node = &mut self.nodes[at];
            if !node.uninteresting
                && let Some(commit) = node.commit.take()
            {
                walked.push(commit);
            }
        }
        Ok(walked)
    }

    fn mark_parents_uninteresting(&mut self, at: usize) {
        let mut pending: Vec<usize> = self.nodes[at].parents.clone();
        while let Some(next) = pending.pop() {
            let mut current = Some(next);
            while let Some(at) = current {
                let node = &mut self.nodes[at];
                if node.uninteresting {
                    break;
                }
                node.uninteresting = true;
                // Only a commit already read has known parents to mark.
                if node.commit.is_none() {
                    break;
                }
                pending.extend_from_slice(&node.parents);
                current = node.parents.first().copied();
            }
        }
    }

    /// `git_commit_list_insert_by_date`: before the first commit older than `at`.
    fn insert_by_date(&self, at: usize, list: &mut VecDeque<usize>) {
        let time = self.nodes[at].time;
        let position = list
            .iter()
            .position(|&other| self.nodes[other].time < time)
            .unwrap_or(list.len());
        list.insert(position, at);
    }

    fn add_parents_to_list(
        &mut self,
        at: usize,
        list: &mut VecDeque<usize>,
    ) -> Result<(), git2::Error> {
        if self.nodes[at].added {
            return Ok(());
        }
        self.nodes[at].added = true;
        let parents = self.nodes[at].parents.clone();
        if self.nodes[at].uninteresting {
            for parent in parents {
                self.nodes[parent].uninteresting = true;
                self.parse(parent)?;
                self.mark_parents_uninteresting(parent);
                self.nodes[parent].seen = true;
                self.insert_by_date(parent, list);
            }
            return Ok(());
        }
        for parent in parents {
            self.parse(parent)?;
            if !self.nodes[parent].seen {
                self.nodes[parent].seen = true;
                self.insert_by_date(parent, list);
            }
        }
        Ok(())
    }

    fn still_interesting(&self, list: &VecDeque<usize>, time: i64, slop: u32) -> u32 {
        let Some(&first) = list.front() else {
            return 0;
        };
        if time <= self.nodes[first].time {
            return SLOP;
        }
        if list.iter().any(|&at| {
            let node = &self.nodes[at];
            !node.uninteresting || node.time > time
        }) {
            return SLOP;
        }
        slop - 1
    }

    fn limit_list(&mut self, mut list: VecDeque<usize>) -> Result<Vec<usize>, git2::Error> {
        let mut slop = SLOP;
        let mut time = i64::MAX;
        let mut kept = Vec::new();
        while let Some(at) = list.pop_front() {
            self.add_parents_to_list(at, &mut list)?;
            if self.nodes[at].uninteresting {
                self.mark_parents_uninteresting(at);
                slop = self.still_interesting(&list, time, slop);
                if slop > 0 {
                    continue;
                }
                break;
            }
            time = self.nodes[at].time;
            kept.push(at);
        }
        Ok(kept)
    }

    /// `sort_in_topological_order` without a time comparison: its queue is then a stack.
    fn sort_in_topological_order(&mut self, list: &[usize]) -> Vec<usize> {
        for &at in list {
            self.nodes[at].in_degree = 1;
        }
        for &at in list {
            for index in 0..self.nodes[at].parents.len() {
                let parent = self.nodes[at].parents[index];
                if self.nodes[parent].in_degree > 0 {
                    self.nodes[parent].in_degree += 1;
                }
            }
        }
        let mut stack: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&at| self.nodes[at].in_degree == 1)
            .collect();
        stack.reverse();
        let mut sorted = Vec::with_capacity(list.len());
        while let Some(next) = stack.pop() {
            for index in 0..self.nodes[next].parents.len() {
                let parent = self.nodes[next].parents[index];
                let node = &mut self.nodes[parent];
                if node.in_degree == 0 {
                    continue;
                }
                node.in_degree -= 1;
                if node.in_degree == 1 {
                    stack.push(parent);
                }
            }
            self.nodes[next].in_degree = 0;
            sorted.push(next);
        }
        sorted
    }

    /// libgit2's time queue (`pqueue.c`): a binary heap whose order among commits of the same
    /// time is the heap's own, so it is ported rather than replaced by a stable sort.
    fn sort_by_time(&self, list: &[usize]) -> Vec<usize> {
        let mut heap = TimeHeap {
            nodes: &self.nodes,
            items: Vec::with_capacity(list.len()),
        };
        for &at in list {
            heap.insert(at);
        }
        std::iter::from_fn(|| heap.pop()).collect()
    }
}

struct TimeHeap<'n> {
    nodes: &'n [Node],
    items: Vec<usize>,
}

impl TimeHeap<'_> {
    /// `git_commit_list_time_cmp`: positive when `one` is older.
    fn compare(&self, one: usize, other: usize) -> i32 {
        match self.nodes[one].time.cmp(&self.nodes[other].time) {
            std::cmp::Ordering::Less => 1,
            std::cmp::Ordering::Greater => -1,
            std::cmp::Ordering::Equal => 0,
        }
    }

    fn insert(&mut self, item: usize) {
        self.items.push(item);
        let mut at = self.items.len() - 1;
        while at > 0 {
            let parent_at = (at - 1) >> 1;
            let parent = self.items[parent_at];
            if self.compare(parent, item) <= 0 {
                break;
            }
            self.items[at] = parent;
            at = parent_at;
        }
        self.items[at] = item;
    }

    fn pop(&mut self) -> Option<usize> {
        let top = *self.items.first()?;
        let last = self.items.pop().expect("not empty");
        if self.items.is_empty() {
            return Some(top);
        }
        self.items[0] = last;
        let parent = last;
        let mut at = 0;
        loop {
            let mut kid_at = (at << 1) + 1;
            let Some(&left) = self.items.get(kid_at) else {
                break;
            };
            let mut kid = left;
            if let Some(&right) = self.items.get(kid_at + 1)
                && self.compare(kid, right) > 0
            {
                kid = right;
                kid_at += 1;
            }
            if self.compare(parent, kid) <= 0 {
                break;
            }
            self.items[at] = kid;
            at = kid_at;
        }
        self.items[at] = parent;
        Some(top)
    }
}

#[cfg(test)]
mod tests;
