//! Which of many commits HEAD reaches, answered with one shared walk of the history.
//!
//! Reads commits through libgit2 and nothing else; it never writes and knows nothing of tags.
//!
//! Asking libgit2 `graph_descendant_of` once per tag walks the history again for every tag that
//! HEAD does not reach (tags on another branch, higher than HEAD's): on vuejs/core, 29 such tags
//! made `relcut next` twice as slow as `git tag --merged HEAD`. Here HEAD and the candidates are
//! painted down the history together, as git's merge-base does: each commit carries a flag for
//! "HEAD reaches it" and one bit per candidate it is an ancestor of, and a commit whose flags grow
//! passes them to its parents. Commits are taken newest first, which only decides how soon the
//! answer comes, never what it is, so commit dates that lie (a commit dated before its parent)
//! cannot make it wrong.
//!
//! A candidate is reached once it carries the HEAD flag. It is unreachable once every commit still
//! waiting with the HEAD flag carries the candidate's bit: those commits are its ancestors, so no
//! path from HEAD that is still unexplored can lead back up to it.

use std::collections::{BinaryHeap, HashMap};

use git2::{Oid, Repository};

use crate::error::{Error, Result};

/// The flag of commits HEAD reaches; the other 63 bits of a commit's flags are candidates'.
const FROM_HEAD: u64 = 1;

/// How many candidates the walk carries at once: the bits of a `u64` beside [`FROM_HEAD`].
const CANDIDATE_BITS: u32 = u64::BITS - 1;

/// The index of the first commit among `count` candidates that `head` reaches (is `head` or one
/// of its ancestors), or `None`. `commit_of(index)` gives a candidate's commit, is called at most
/// once per index and only as far as needed; `None`, or an object that is not a commit, is a
/// candidate never reached.
///
/// The first candidate is tested alone, so when it is reached, the usual case for the newest
/// release tag, the walk goes from HEAD down to it and no further. Once it is not, the following
/// candidates join the walk together, so their histories are read once.
pub fn first_reached(
    repository: &Repository,
    head: Oid,
    count: usize,
    mut commit_of: impl FnMut(usize) -> Result<Option<Oid>>,
) -> Result<Option<usize>> {
    let mut commits: Vec<Option<Option<Oid>>> = vec![None; count];
    let mut commit_at = |index: usize| -> Result<Option<Oid>> {
        if let Some(known) = commits[index] {
            return Ok(known);
        }
        let commit = commit_of(index)?;
        commits[index] = Some(commit);
        Ok(commit)
    };
    let mut paint: Option<Paint<'_>> = None;
    for index in 0..count {
        let Some(commit) = commit_at(index)? else {
            continue;
        };
        if commit == head {
            return Ok(Some(index));
        }
        let paint = match &mut paint {
            Some(paint) => paint,
            None => paint.insert(Paint::new(repository, head)?),
        };
        if !paint.is_candidate(commit) {
            if paint.is_full() {
                paint.forget_candidates();
            }
            if !paint.add_candidate(commit)? {
                // Not a commit (a tag of a tree or blob): never reached.
                continue;
            }
            if index > 0 {
                // The first candidate was not reached: carry the next ones in the same walk.
                let mut next = index + 1;
                let end = count.min(next + CANDIDATE_BITS as usize);
                while next < end && !paint.is_full() {
                    if let Some(later) = commit_at(next)?
                        && later != head
                    {
                        paint.add_candidate(later)?;
                    }
                    next += 1;
                }
            }
        }
        if paint.reaches(commit)? {
            return Ok(Some(index));
        }
    }
    Ok(None)
}

/// A commit as the walk sees it.
struct Node {
    /// The committer time, which orders the walk.
    time: i64,
    /// The parents that are in the repository (a shallow clone's boundary has none).
    parents: Vec<Oid>,
    /// [`FROM_HEAD`] and the bits of the candidates this commit is an ancestor of (or is).
    flags: u64,
    /// Whether the commit waits in the queue to pass its flags on.
    queued: bool,
}

/// The state of the walk: every commit read so far and the ones waiting to pass flags on.
struct Paint<'r> {
    repository: &'r Repository,
    odb: git2::Odb<'r>,
    nodes: HashMap<Oid, Node>,
    /// Waiting commits, newest first.
    queue: BinaryHeap<(i64, Oid)>,
    /// Each candidate commit's bit.
    bits: HashMap<Oid, u64>,
    /// The bits handed out so far, after [`FROM_HEAD`].
    used_bits: u32,
    /// The candidate bit whose waiting commits `missing` counts (0: none yet).
    tracked: u64,
    /// How many waiting commits HEAD reaches that lack the `tracked` bit: while there are some,
    /// the tracked candidate may still be reached.
    missing: usize,
}

impl<'r> Paint<'r> {
    fn new(repository: &'r Repository, head: Oid) -> Result<Paint<'r>> {
        let mut paint = Paint {
            repository,
            odb: repository
                .odb()
                .map_err(Error::git("cannot open the object database"))?,
            nodes: HashMap::new(),
            queue: BinaryHeap::new(),
            bits: HashMap::new(),
            used_bits: 0,
            tracked: 0,
            missing: 0,
        };
        if !paint.load(head)? {
            return Err(Error::Git {
                context: String::from("cannot walk the history"),
                source: git2::Error::from_str(&format!("HEAD ({head}) is not a commit")),
            });
        }
        paint.add_flags(head, FROM_HEAD);
        Ok(paint)
    }

    fn is_candidate(&self, commit: Oid) -> bool {
        self.bits.contains_key(&commit)
    }

    fn is_full(&self) -> bool {
        self.used_bits == CANDIDATE_BITS
    }

    /// Drops every candidate's bit, to make room for more. The walk stays valid: flags only ever
    /// claim ancestry, so commits carrying fewer of them claim less.
    fn forget_candidates(&mut self) {
        for node in self.nodes.values_mut() {
            node.flags &= FROM_HEAD;
        }
        self.bits.clear();
        self.used_bits = 0;
        self.tracked = 0;
        self.missing = 0;
    }

    /// Starts painting a candidate's ancestors with a bit of its own; `false` when the object is
    /// not a commit. Room must be left (see [`Paint::is_full`]).
    fn add_candidate(&mut self, commit: Oid) -> Result<bool> {
        if self.is_candidate(commit) {
            return Ok(true);
        }
        if !self.load(commit)? {
            return Ok(false);
        }
        self.used_bits += 1;
        let bit = 1 << self.used_bits;
        self.bits.insert(commit, bit);
        self.add_flags(commit, bit);
        Ok(true)
    }

    /// Whether HEAD reaches a candidate, walking only as far as it takes to know.
    fn reaches(&mut self, commit: Oid) -> Result<bool> {
        let bit = self.bits[&commit];
        if self.tracked != bit {
            self.tracked = bit;
            self.missing = self
                .queue
                .iter()
                .filter(|(_, waiting)| Self::lacks(self.nodes[waiting].flags, bit))
                .count();
        }
        loop {
            if self.nodes[&commit].flags & FROM_HEAD != 0 {
                return Ok(true);
            }
            if self.missing == 0 {
                return Ok(false);
            }
            self.step()?;
        }
    }

    /// Whether a waiting commit with these flags may still lead HEAD to the candidate `bit`; no
    /// commit counts while no candidate is tracked (`bit` 0), so the count cannot drift.
    fn lacks(flags: u64, bit: u64) -> bool {
        bit != 0 && flags & FROM_HEAD != 0 && flags & bit == 0
    }

    /// Passes the newest waiting commit's flags to its parents.
    fn step(&mut self) -> Result<()> {
        let Some((_, id)) = self.queue.pop() else {
            return Ok(());
        };
        let node = self.nodes.get_mut(&id).expect("queued commits are loaded");
        node.queued = false;
        let flags = node.flags;
        if Self::lacks(flags, self.tracked) {
            self.missing -= 1;
        }
        let parents = std::mem::take(&mut node.parents);
        for &parent in &parents {
            if self.load(parent)? {
                self.add_flags(parent, flags);
            }
        }
        self.nodes.get_mut(&id).expect("still loaded").parents = parents;
        Ok(())
    }

    /// Adds flags to a loaded commit, queueing it when they are new to it.
    fn add_flags(&mut self, id: Oid, flags: u64) {
        let node = self.nodes.get_mut(&id).expect("flagged commits are loaded");
        let merged = node.flags | flags;
        if merged == node.flags {
            return;
        }
        if node.queued {
            if Self::lacks(node.flags, self.tracked) {
                self.missing -= 1;
            }
        } else {
            node.queued = true;
            self.queue.push((node.time, id));
        }
        if Self::lacks(merged, self.tracked) {
            self.missing += 1;
        }
        node.flags = merged;
    }

    /// Reads a commit into the walk; `false` when the object is missing (beyond a shallow
    /// clone's boundary) or is not a commit.
    ///
    /// The raw object is read and only its header parsed: libgit2 keeps the raw object in its
    /// cache, where the history walk and the commit reads that follow find it again. A parsed
    /// `find_commit` would take that cache entry and make the walk read the pack a second time.
    fn load(&mut self, id: Oid) -> Result<bool> {
        if self.nodes.contains_key(&id) {
            return Ok(true);
        }
        let object = match self.odb.read(id) {
            Ok(object) => object,
            Err(error) if error.code() == git2::ErrorCode::NotFound => return Ok(false),
            Err(source) => {
                return Err(Error::Git {
                    context: format!("cannot read commit {id}"),
                    source,
                });
            }
        };
        if object.kind() != git2::ObjectType::Commit {
            return Ok(false);
        }
        let node = match parse_header(object.data()) {
            Some(node) => node,
            None => {
                // An unusual header: let libgit2 read it.
                let commit = self
                    .repository
                    .find_commit(id)
                    .map_err(Error::git(format!("cannot read commit {id}")))?;
                Node {
                    time: commit.time().seconds(),
                    parents: commit.parent_ids().collect(),
                    flags: 0,
                    queued: false,
                }
            }
        };
        self.nodes.insert(id, node);
        Ok(true)
    }
}

/// The parents and committer time of a raw commit; `None` when the header is not in the form
/// git writes (the caller then asks libgit2).
fn parse_header(data: &[u8]) -> Option<Node> {
    let mut parents = Vec::new();
    for line in data.split(|&byte| byte == b'\n') {
        if line.is_empty() {
            break;
        }
        if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(Oid::from_str(std::str::from_utf8(hex).ok()?).ok()?);
        } else if let Some(rest) = line.strip_prefix(b"committer ") {
            let after_email = &rest[rest.iter().rposition(|&byte| byte == b'>')? + 1..];
            let text = std::str::from_utf8(after_email).ok()?;
            let time = text.split_whitespace().next()?.parse().ok()?;
            return Some(Node {
                time,
                parents,
                flags: 0,
                queued: false,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic pseudo-random sequence, so every run builds the same histories.
    struct Sequence(u64);

    impl Sequence {
        fn below(&mut self, bound: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % bound
        }
    }

    /// A history of `count` commits with merges and several roots, dated at random, so that
    /// commits dated before their parents are common; returns the commits, oldest first.
    fn random_history(repository: &Repository, count: usize, seed: u64) -> Vec<Oid> {
        let mut sequence = Sequence(seed);
        let tree = {
            let builder = repository.treebuilder(None).unwrap();
            builder.write().unwrap()
        };
        let tree = repository.find_tree(tree).unwrap();
        let mut commits: Vec<Oid> = Vec::new();
        for index in 0..count {
            let time = 1_700_000_000 + sequence.below(1_000_000) as i64;
            let signature =
                git2::Signature::new("T", "t@example.com", &git2::Time::new(time, 0)).unwrap();
            let mut parents = Vec::new();
            // One root in ten; otherwise one parent, and a merge one time in four.
            if !commits.is_empty() && sequence.below(10) != 0 {
                parents.push(commits[sequence.below(commits.len())]);
                if sequence.below(4) == 0 {
                    let other = commits[sequence.below(commits.len())];
                    if !parents.contains(&other) {
                        parents.push(other);
                    }
                }
            }
            let parents: Vec<git2::Commit<'_>> = parents
                .iter()
                .map(|id| repository.find_commit(*id).unwrap())
                .collect();
            let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let id = repository
                .commit(
                    None,
                    &signature,
                    &signature,
                    &format!("commit {index}"),
                    &tree,
                    &parents,
                )
                .unwrap();
            commits.push(id);
        }
        commits
    }

    fn oracle(repository: &Repository, head: Oid, candidates: &[Oid]) -> Option<usize> {
        candidates.iter().position(|&candidate| {
            candidate == head
                || (repository.find_commit(candidate).is_ok()
                    && repository.graph_descendant_of(head, candidate).unwrap())
        })
    }

    #[test]
    fn the_first_reached_candidate_matches_libgit2_on_skewed_histories() {
        let dir = tempfile::tempdir().unwrap();
        let repository = Repository::init(dir.path()).unwrap();
        let tree = repository.treebuilder(None).unwrap().write().unwrap();
        for seed in 1..=6 {
            let commits = random_history(&repository, 80, seed);
            let mut sequence = Sequence(seed * 7919);
            for _ in 0..40 {
                let head = commits[sequence.below(commits.len())];
                // Up to 150 candidates, so the walk must also drop bits to make room; a tree
                // among them is never reached.
                let length = 1 + sequence.below(150);
                let candidates: Vec<Oid> = (0..length)
                    .map(|_| {
                        if sequence.below(40) == 0 {
                            tree
                        } else {
                            commits[sequence.below(commits.len())]
                        }
                    })
                    .collect();
                let mut asked = vec![0; length];
                let found = first_reached(&repository, head, length, |index| {
                    asked[index] += 1;
                    Ok(Some(candidates[index]))
                })
                .unwrap();
                assert_eq!(
                    found,
                    oracle(&repository, head, &candidates),
                    "seed {seed}, head {head}"
                );
                assert!(asked.iter().all(|&times| times <= 1), "{asked:?}");
            }
        }
    }

    #[test]
    fn more_candidates_than_bits_are_answered() {
        let dir = tempfile::tempdir().unwrap();
        let repository = Repository::init(dir.path()).unwrap();
        for seed in 11..=14 {
            let commits = random_history(&repository, 120, seed);
            let head = commits[60];
            // Every commit newer than HEAD first (most unreachable), then every one.
            let candidates: Vec<Oid> = commits[61..].iter().chain(&commits).copied().collect();
            let found = first_reached(&repository, head, candidates.len(), |index| {
                Ok(Some(candidates[index]))
            })
            .unwrap();
            assert_eq!(found, oracle(&repository, head, &candidates), "seed {seed}");
        }
    }

    #[test]
    fn a_walk_goes_no_further_than_its_answer() {
        let dir = tempfile::tempdir().unwrap();
        let repository = Repository::init(dir.path()).unwrap();
        let tree = repository
            .find_tree(repository.treebuilder(None).unwrap().write().unwrap())
            .unwrap();
        // A line of 30 commits, each dated one minute after the last.
        let mut line: Vec<Oid> = Vec::new();
        for index in 0..30 {
            let signature = git2::Signature::new(
                "T",
                "t@example.com",
                &git2::Time::new(1_700_000_000 + index * 60, 0),
            )
            .unwrap();
            let parent = line.last().map(|id| repository.find_commit(*id).unwrap());
            let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
            line.push(
                repository
                    .commit(None, &signature, &signature, "c", &tree, &parents)
                    .unwrap(),
            );
        }
        let head = line[29];
        let mut paint = Paint::new(&repository, head).unwrap();
        assert!(paint.add_candidate(line[25]).unwrap());
        assert!(paint.reaches(line[25]).unwrap());
        // HEAD, the three commits between, and the candidate: nothing older is read.
        assert_eq!(paint.nodes.len(), 5);
        assert!(!paint.add_candidate(tree.id()).unwrap());
        // Nothing is asked of candidates after the first that is reached.
        let found = first_reached(&repository, head, 3, |index| {
            assert!(index < 2, "candidate {index} was read");
            Ok(Some(line[28 - index]))
        })
        .unwrap();
        assert_eq!(found, Some(0));
    }
}
