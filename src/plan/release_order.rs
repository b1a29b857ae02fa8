//! Which commits go to which release of a whole-history changelog, in git-cliff's order.
//!
//! Pure: the history and the tags come in as data. git-cliff 2.14.2 gives each commit to the
//! earliest tag, in its tag order (by the tagged commit's time), whose commit reaches it; groups
//! the commits of each tag, oldest first in walk order, with the tagged commit last; puts the
//! groups in tag order and the commits no tag reaches after them; and then closes a release at
//! every tagged commit of that sequence. On a history where long-lived branches are merged both
//! ways, that differs from splitting the walk at tagged commits.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use git_cliff_core::config::GitConfig;
use git2::Oid;

use crate::plan::history::{AnyTag, RawCommit};

/// git-cliff's tag map: one tag per commit, in the order of the tagged commits' times. Where
/// several tags name one commit, the last (in `tags` order) is the one kept and the first one's
/// place is kept, as in the `IndexMap` git-cliff collects them into; then the tags that
/// `count_tags` does not count or `ignore_tags` ignores are removed. Skipped tags stay: they
/// still close releases, which git-cliff drops afterwards.
pub fn release_tags<'t>(git: &GitConfig, tags: &'t [AnyTag]) -> Vec<&'t AnyTag> {
    let mut place: HashMap<Oid, usize> = HashMap::with_capacity(tags.len());
    let mut kept: Vec<&AnyTag> = Vec::with_capacity(tags.len());
    for tag in tags {
        match place.get(&tag.commit) {
            Some(&index) => kept[index] = tag,
            None => {
                place.insert(tag.commit, kept.len());
                kept.push(tag);
            }
        }
    }
    kept.retain(|tag| is_release(git, &tag.name));
    kept
}

fn is_release(git: &GitConfig, name: &str) -> bool {
    if git
        .skip_tags
        .as_ref()
        .is_some_and(|skip| skip.is_match(name))
    {
        return true;
    }
    let counted = git
        .count_tags
        .as_ref()
        .is_none_or(|count| count.is_match(name));
    let ignored = git
        .ignore_tags
        .as_ref()
        .is_some_and(|ignore| !ignore.as_str().trim().is_empty() && ignore.is_match(name));
    counted && !ignored
}

/// The commits of `kept` in the order releases are built from, oldest first, as indices into
/// `kept`.
///
/// `history` is the whole walk, newest first; `kept` is the part of it that the changelog lists
/// (in the same order: path filters and `limit_commits` remove commits, never reorder them).
/// Reachability is read from `history`'s parents, so a commit that a filter removed still
/// connects its children to its ancestors; only tags on kept commits close releases, as only
/// those are in git-cliff's walk.
pub fn release_order(history: &[RawCommit], kept: &[RawCommit], tags: &[&AnyTag]) -> Vec<usize> {
    let ids: Vec<Oid> = history.iter().map(commit_oid).collect();
    let position: OidMap<usize> = ids
        .iter()
        .enumerate()
        .map(|(index, &id)| (id, index))
        .collect();
    let kept_positions = kept_positions(history, kept, &position);
    let mut is_kept = vec![false; history.len()];
    for &at in kept_positions.iter().flatten() {
        is_kept[at] = true;
    }
    let boundaries: Vec<usize> = tags
        .iter()
        .filter_map(|tag| position.get(&tag.commit).copied())
        .filter(|&at| is_kept[at])
        .collect();
    let owners = owners(history, &position, &boundaries);

    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); boundaries.len()];
    let mut unreleased = Vec::new();
    for (index, at) in kept_positions.iter().enumerate().rev() {
        match at.and_then(|at| owners[at]) {
            Some(owner) => groups[owner].push(index),
            None => unreleased.push(index),
        }
    }
    let mut order = Vec::with_capacity(kept.len());
    for (group, &boundary) in groups.iter_mut().zip(&boundaries) {
        // The tagged commit is the release's tip, so it closes the group.
        if let Some(tip) = group
            .iter()
            .position(|&index| kept_positions[index] == Some(boundary))
        {
            let tip = group.remove(tip);
            group.push(tip);
        }
        order.append(group);
    }
    order.append(&mut unreleased);
    order
}

/// Commit ids are uniformly random, so their first bytes are a hash already: SipHash over the
/// 100,000 commits of a long history costs more than the rest of the assignment.
#[derive(Default)]
struct OidHasher(u64);

impl Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8).take(1) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }

    fn write_usize(&mut self, _length: usize) {}
}

type OidMap<V> = HashMap<Oid, V, BuildHasherDefault<OidHasher>>;

fn commit_oid(commit: &RawCommit) -> Oid {
    Oid::from_str(&commit.id).unwrap_or(Oid::ZERO_SHA1)
}

/// Where each kept commit is in the history; `None` for one that is not in it (it then belongs
/// to no release but the unreleased one).
fn kept_positions(
    history: &[RawCommit],
    kept: &[RawCommit],
    position: &OidMap<usize>,
) -> Vec<Option<usize>> {
    if std::ptr::eq(history, kept) {
        return (0..history.len()).map(Some).collect();
    }
    kept.iter()
        .map(|commit| position.get(&commit_oid(commit)).copied())
        .collect()
}

/// For each commit of the history, the index of the first boundary that reaches it. Each
/// boundary's walk stops at commits an earlier one reached, whose ancestors that one reached
/// too, so every commit is visited once: the result of git-cliff's walk per tag that hides every
/// earlier tag, in linear time.
fn owners(
    history: &[RawCommit],
    position: &OidMap<usize>,
    boundaries: &[usize],
) -> Vec<Option<usize>> {
    let mut owners: Vec<Option<usize>> = vec![None; history.len()];
    let mut pending = Vec::new();
    for (owner, &boundary) in boundaries.iter().enumerate() {
        pending.push(boundary);
        while let Some(at) = pending.pop() {
            if owners[at].is_some() {
                continue;
            }
            owners[at] = Some(owner);
            pending.extend(
                history[at]
                    .parents
                    .iter()
                    .filter_map(|parent| position.get(parent).copied())
                    .filter(|&parent| owners[parent].is_none()),
            );
        }
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::history::Person;

    /// A history from `(name, parents)` rows, oldest first; ids are the names' positions.
    fn history(rows: &[(&str, &[&str])]) -> Vec<RawCommit> {
        let id = |name: &str| {
            let index = rows.iter().position(|(row, _)| *row == name).unwrap();
            format!("{:040x}", index + 1)
        };
        let mut commits: Vec<RawCommit> = rows
            .iter()
            .map(|(name, parents)| RawCommit {
                id: id(name),
                message: name.to_string(),
                author: Person::default(),
                committer: Person::default(),
                parent_count: parents.len(),
                statistics: None,
                parents: parents
                    .iter()
                    .map(|parent| Oid::from_str(&id(parent)).unwrap())
                    .collect(),
            })
            .collect();
        commits.reverse();
        commits
    }

    fn tag(history: &[RawCommit], name: &str, on: &str) -> AnyTag {
        let commit = history.iter().find(|commit| commit.message == on).unwrap();
        AnyTag {
            name: name.to_string(),
            message: None,
            commit: Oid::from_str(&commit.id).unwrap(),
            commit_time: 0,
        }
    }

    fn ordered(history: &[RawCommit], kept: &[RawCommit], tags: &[AnyTag]) -> Vec<String> {
        let tags: Vec<&AnyTag> = tags.iter().collect();
        release_order(history, kept, &tags)
            .into_iter()
            .map(|index| kept[index].message.clone())
            .collect()
    }

    #[test]
    fn commits_go_to_the_first_tag_that_reaches_them() {
        // main: a - b - m1 - c - m2(v2)   minor: a - x(v1-beta) - y - merged into m1, z into m2
        // The walk (newest first) puts z before m1; z belongs to v2, which comes after v1.
        let history = history(&[
            ("a", &[]),
            ("x", &["a"]),
            ("b", &["a"]),
            ("y", &["x"]),
            ("z", &["y"]),
            ("m1", &["b", "y"]),
            ("c", &["m1"]),
            ("m2", &["c", "z"]),
            ("d", &["m2"]),
        ]);
        let tags = [
            tag(&history, "v1-beta", "x"),
            tag(&history, "v1", "m1"),
            tag(&history, "v2", "m2"),
        ];
        assert_eq!(
            ordered(&history, &history, &tags),
            ["a", "x", "b", "y", "m1", "z", "c", "m2", "d"]
        );
        // Tagged later in tag order than a tag that reaches it, a commit closes a release inside
        // the earlier tag's group (git-cliff's behaviour, kept as it is).
        let reversed = [tags[2].clone(), tags[0].clone(), tags[1].clone()];
        assert_eq!(
            ordered(&history, &history, &reversed),
            ["a", "x", "b", "y", "z", "m1", "c", "m2", "d"]
        );
        let beta_last = [tags[1].clone(), tags[2].clone(), tags[0].clone()];
        assert_eq!(
            ordered(&history, &history, &beta_last),
            ["a", "x", "b", "y", "m1", "z", "c", "m2", "d"]
        );
    }

    #[test]
    fn a_filtered_tagged_commit_closes_no_release() {
        let history = history(&[("a", &[]), ("b", &["a"]), ("c", &["b"]), ("d", &["c"])]);
        let tags = [tag(&history, "v1", "b"), tag(&history, "v2", "d")];
        // `b` filtered out: `a` reaches v2 through it.
        let kept: Vec<RawCommit> = history
            .iter()
            .filter(|commit| commit.message != "b")
            .cloned()
            .collect();
        assert_eq!(ordered(&history, &kept, &tags), ["a", "c", "d"]);
    }

    #[test]
    fn tags_as_git_cliff_maps_them() {
        let history = history(&[("a", &[]), ("b", &["a"])]);
        let tags = [
            tag(&history, "v1", "a"),
            tag(&history, "v1-alias", "a"),
            tag(&history, "v2", "b"),
            tag(&history, "v2-ignored", "b"),
        ];
        let git = GitConfig {
            ignore_tags: Some(regex::Regex::new("ignored").unwrap()),
            ..GitConfig::default()
        };
        let names: Vec<&str> = release_tags(&git, &tags)
            .iter()
            .map(|tag| tag.name.as_str())
            .collect();
        assert_eq!(names, ["v1-alias"]);
    }
}
