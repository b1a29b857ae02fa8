//! The port against libgit2 itself: on generated histories of every shape, each walk must give
//! exactly `git2::Revwalk`'s commits in `git2::Revwalk`'s order.

use super::{Order, Walk, prefetch, walk};
use git2::{Oid, Repository, Signature, Sort, Time};

/// A small deterministic generator (xorshift), so that a failing shape is reproducible.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Writes a commit of the empty tree with `parents` at `time`.
fn commit_on(repository: &Repository, parents: &[Oid], time: i64, message: &str) -> Oid {
    let tree = {
        let mut index = repository.index().expect("an index");
        let id = index.write_tree().expect("a tree");
        repository.find_tree(id).expect("the tree")
    };
    let signature = Signature::new("A", "a@example.com", &Time::new(time, 0)).expect("a signature");
    let parents: Vec<git2::Commit<'_>> = parents
        .iter()
        .map(|id| repository.find_commit(*id).expect("a parent"))
        .collect();
    let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    repository
        .commit(None, &signature, &signature, message, &tree, &parent_refs)
        .expect("a commit")
}

/// A history of `size` commits: merges of up to three parents, branches that fork and merge
/// back both ways, several roots, and commit times that go backwards or repeat (clock skew,
/// rebases), which is where the orders of a walk differ.
fn history(repository: &Repository, random: &mut Random, size: usize) -> Vec<Oid> {
    let mut commits: Vec<Oid> = Vec::new();
    let mut clock: i64 = 1_600_000_000;
    for number in 0..size {
        clock += match random.below(6) {
            0 => 0,
            1 => -(random.below(5000) as i64),
            _ => random.below(3000) as i64,
        };
        let time = if random.below(8) == 0 {
            // A time many commits share.
            1_600_000_000
        } else {
            clock
        };
        let parent_count = if commits.is_empty() || random.below(25) == 0 {
            0
        } else if random.below(4) == 0 {
            2 + random.below(2)
        } else {
            1
        };
        let mut parents = Vec::new();
        for _ in 0..parent_count {
            // Mostly recent commits, sometimes an old one: long-lived branches.
            let back = if random.below(3) == 0 {
                random.below(commits.len())
            } else {
                random.below(commits.len().min(4))
            };
            let id = commits[commits.len() - 1 - back];
            if !parents.contains(&id) {
                parents.push(id);
            }
        }
        let id = commit_on(repository, &parents, time, &format!("commit {number}"));
        commits.push(id);
    }
    commits
}

fn libgit2(repository: &Repository, head: Oid, hide: Option<Oid>, order: Order) -> Vec<Oid> {
    let mut walk = repository.revwalk().expect("a walk");
    walk.set_sorting(match order {
        Order::Topological => Sort::TOPOLOGICAL,
        Order::Time => Sort::TIME,
    })
    .expect("sorting");
    walk.push(head).expect("push");
    if let Some(hide) = hide {
        walk.hide(hide).expect("hide");
    }
    walk.collect::<Result<_, _>>().expect("the walk")
}

fn ours(repository: &Repository, head: Oid, hide: Option<Oid>, order: Order) -> Vec<Oid> {
    ours_with(repository, head, hide, order, &[])
}

fn ours_with(
    repository: &Repository,
    head: Oid,
    hide: Option<Oid>,
    order: Order,
    landmarks: &[Oid],
) -> Vec<Oid> {
    walk(repository, head, hide, order, landmarks)
        .expect("the walk")
        .iter()
        .map(|commit| Oid::from_str(&commit.id).expect("an id"))
        .collect()
}

#[test]
fn every_walk_gives_libgit2s_commits_in_libgit2s_order() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0;
    let mut with_hidden_commits = 0;
    for round in 0..40 {
        let directory = tempfile::tempdir().expect("a directory");
        let repository = Repository::init(directory.path()).expect("a repository");
        let commits = history(&repository, &mut random, 20 + round * 6);
        for _ in 0..12 {
            let head = commits[commits.len() - 1 - random.below(commits.len().min(10))];
            let hide = match random.below(4) {
                0 => None,
                _ => Some(commits[random.below(commits.len())]),
            };
            for order in [Order::Topological, Order::Time] {
                let expected = libgit2(&repository, head, hide, order);
                let actual = ours(&repository, head, hide, order);
                assert_eq!(
                    actual, expected,
                    "round {round}: head {head}, hide {hide:?}, {order:?}"
                );
                // Read ahead from landmarks, some of them unreachable from `head`.
                let landmarks: Vec<Oid> = (0..12)
                    .map(|_| commits[random.below(commits.len())])
                    .collect();
                let read_ahead = ours_with(&repository, head, hide, order, &landmarks);
                assert_eq!(
                    read_ahead, expected,
                    "round {round}: head {head}, hide {hide:?}, {order:?}, read ahead"
                );
                compared += 1;
                if hide.is_some() && expected.len() < commits.len() / 2 {
                    with_hidden_commits += 1;
                }
            }
        }
    }
    // The generator must make walks where hiding matters, or the comparison proves little.
    assert!(
        compared >= 900 && with_hidden_commits >= 100,
        "{with_hidden_commits}"
    );
}

#[test]
fn a_head_that_is_also_hidden_walks_as_libgit2_does() {
    let directory = tempfile::tempdir().expect("a directory");
    let repository = Repository::init(directory.path()).expect("a repository");
    let commits = history(&repository, &mut Random(7), 30);
    let head = *commits.last().expect("commits");
    for order in [Order::Topological, Order::Time] {
        assert_eq!(
            ours(&repository, head, Some(head), order),
            libgit2(&repository, head, Some(head), order)
        );
    }
    assert!(ours(&repository, head, Some(head), Order::Topological).is_empty());
}

#[test]
fn a_missing_parent_is_libgit2s_not_found_error() {
    let directory = tempfile::tempdir().expect("a directory");
    let repository = Repository::init(directory.path()).expect("a repository");
    let commits = history(&repository, &mut Random(11), 10);
    let head = *commits.last().expect("commits");
    // A commit whose parent is not in the store, as in a shallow or damaged clone.
    let missing = Oid::from_str("1234567890123456789012345678901234567890").expect("an id");
    let tree = repository
        .find_commit(head)
        .and_then(|commit| commit.tree())
        .expect("a tree");
    let raw = format!(
        "tree {}\nparent {missing}\nauthor A <a@example.com> 1600000000 +0000\ncommitter A <a@example.com> 1600000000 +0000\n\norphan\n",
        tree.id()
    );
    let orphan = repository
        .odb()
        .and_then(|odb| odb.write(git2::ObjectType::Commit, raw.as_bytes()))
        .expect("a commit");
    let error = walk(&repository, orphan, None, Order::Topological, &[])
        .expect_err("a missing parent fails");
    assert_eq!(error.code(), git2::ErrorCode::NotFound);
    assert_eq!(error.class(), git2::ErrorClass::Odb);
    assert!(error.message().contains(&missing.to_string()), "{error}");
}

/// The same comparison on a real repository, from its HEAD and from each of its tags with the
/// tag before it hidden (the walks a changelog makes): `RELCUT_WALK_REPO=<path> cargo test --lib
/// history_walk -- --ignored`.
#[test]
#[ignore = "needs a real repository in RELCUT_WALK_REPO"]
fn every_walk_of_a_real_repository_gives_libgit2s_order() {
    let path = std::env::var("RELCUT_WALK_REPO").expect("RELCUT_WALK_REPO names a repository");
    let repository = Repository::open(path).expect("a repository");
    let head = repository
        .head()
        .and_then(|head| head.peel_to_commit())
        .expect("a HEAD commit")
        .id();
    // Tagged commits in time order, so that each walk hides the release before.
    let mut tagged: Vec<(i64, Oid)> = repository
        .tag_names(None)
        .expect("tags")
        .iter()
        .flatten()
        .flatten()
        .filter_map(|name| {
            repository
                .revparse_single(&format!("refs/tags/{name}"))
                .and_then(|object| object.peel_to_commit())
                .ok()
                .map(|commit| (commit.time().seconds(), commit.id()))
        })
        .collect();
    tagged.sort();
    tagged.dedup();
    let tips: Vec<Oid> = tagged.into_iter().map(|(_, id)| id).collect();
    let mut walks = vec![(head, None)];
    walks.extend(tips.windows(2).map(|pair| (pair[1], Some(pair[0]))));
    walks.extend(tips.iter().map(|&tip| (head, Some(tip))));
    for order in [Order::Topological, Order::Time] {
        assert_eq!(
            ours_with(&repository, head, None, order, &tips),
            libgit2(&repository, head, None, order),
            "HEAD read ahead from the tags, {order:?}"
        );
    }
    for (tip, hide) in walks {
        for order in [Order::Topological, Order::Time] {
            assert_eq!(
                ours(&repository, tip, hide, order),
                libgit2(&repository, tip, hide, order),
                "{tip} hiding {hide:?}, {order:?}"
            );
        }
    }
}

/// A first-parent line of `size` commits, each tenth merging a side commit.
fn line(repository: &Repository, size: usize) -> Vec<Oid> {
    let mut commits: Vec<Oid> = Vec::new();
    for number in 0..size {
        let time = 1_600_000_000 + number as i64 * 60;
        let mut parents: Vec<Oid> = commits.last().copied().into_iter().collect();
        if number % 10 == 9 {
            parents.push(commit_on(repository, &parents, time, "side"));
        }
        let message = format!("feat: change {number}\n\nBody {number}.");
        commits.push(commit_on(repository, &parents, time, &message));
    }
    commits
}

/// How a test repository keeps its objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Storage {
    /// One file per object, as written.
    Loose,
    /// In one pack, which each helper opens itself.
    Packed,
    /// In one pack among more files than helpers open themselves (the others are not packs
    /// libgit2 reads: no index), so helpers share libgit2's handles.
    AmongManyPacks,
}

/// Moves every object of `repository` into one pack, removing the loose copies.
fn pack(repository: &Repository) {
    let mut builder = repository.packbuilder().expect("a pack builder");
    let mut revwalk = repository.revwalk().expect("a walk");
    for reference in repository.references().expect("references") {
        let target = reference.expect("a reference").target();
        revwalk
            .push(target.expect("a direct reference"))
            .expect("a start");
    }
    builder.insert_walk(&mut revwalk).expect("the history");
    let objects = repository.path().join("objects");
    builder
        .write(&objects.join("pack"), 0o644)
        .expect("the pack");
    for entry in std::fs::read_dir(&objects).expect("the objects") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if name.len() == 2 && name.chars().all(|c| c.is_ascii_hexdigit()) {
            std::fs::remove_dir_all(&path).expect("loose objects removed");
        }
    }
}

#[test]
fn commits_read_ahead_are_the_commits_the_walk_would_read() {
    for storage in [Storage::Loose, Storage::Packed, Storage::AmongManyPacks] {
        let directory = tempfile::tempdir().expect("a directory");
        let repository = Repository::init(directory.path()).expect("a repository");
        let commits = line(&repository, 300);
        let head = *commits.last().expect("commits");
        repository
            .reference("refs/heads/main", head, true, "the line")
            .expect("a branch");
        if storage != Storage::Loose {
            pack(&repository);
        }
        if storage == Storage::AmongManyPacks {
            for number in 0..40 {
                let name = format!("pack-{number:040}.pack");
                std::fs::write(repository.path().join("objects/pack").join(name), b"")
                    .expect("a file");
            }
        }
        let store = prefetch::Store::of(&repository);
        let own = storage != Storage::AmongManyPacks;
        assert_eq!(store.opens_its_own_packs(), own, "{storage:?}");
        #[cfg(target_os = "linux")]
        if storage != Storage::Loose {
            // Two helpers that read the pack hold it open twice when each has its own handle,
            // once when libgit2's is shared.
            let helpers = [store.open(0), store.open(1)].map(|helper| {
                let helper = helper.expect("a helper's repository");
                helper.find_commit(head).expect("a commit");
                helper
            });
            let pack = std::fs::read_dir(repository.path().join("objects/pack"))
                .expect("the packs")
                .filter_map(|entry| Some(entry.ok()?.path()))
                .find(|path| {
                    path.extension()
                        .is_some_and(|extension| extension == "pack")
                        && path.with_extension("idx").exists()
                })
                .expect("the pack")
                .canonicalize()
                .expect("its path");
            let opened = std::fs::read_dir("/proc/self/fd")
                .expect("the open files")
                .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
                .filter(|path| *path == pack)
                .count();
            assert_eq!(opened, if own { 2 } else { 1 }, "{storage:?}");
            drop(helpers);
        }
        for order in [Order::Topological, Order::Time] {
            let expected = libgit2(&repository, head, None, order);
            // Two helpers that have read everything below the middle, and below a quarter,
            // before the walk starts.
            let shared = prefetch::Shared::new();
            prefetch::register(&shared);
            prefetch::read_from(&store, 0, commits[150], &shared);
            prefetch::register(&shared);
            prefetch::read_from(&store, 1, commits[225], &shared);
            assert!(shared.ready() > 225, "{storage:?}: {}", shared.ready());
            let walked = Walk {
                repository: &repository,
                nodes: Vec::new(),
                index: Default::default(),
                prefetched: &shared,
            }
            .run(head, None, order)
            .expect("the walk");
            let ids: Vec<Oid> = walked
                .iter()
                .map(|commit| Oid::from_str(&commit.id).expect("an id"))
                .collect();
            assert_eq!(ids, expected, "{storage:?}, {order:?}");
            for commit in &walked {
                let read = crate::repo::raw_commit(
                    &repository
                        .find_commit(Oid::from_str(&commit.id).expect("an id"))
                        .expect("a commit"),
                );
                assert_eq!(commit, &read);
            }
            // Everything read ahead was taken by the walk, not read again.
            assert_eq!(shared.ready(), 0, "{storage:?}");
        }
    }
}
