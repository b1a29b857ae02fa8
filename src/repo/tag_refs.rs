//! Tag names and their commits read straight from git's ref files (`packed-refs` and loose refs
//! under `refs/tags/`), in one pass.
//!
//! libgit2 builds a sorted cache of every packed ref before answering, which on a repository with
//! thousands of tags is most of the time of a `relcut next`. Reading the files is a plain parse.
//! Anything unexpected makes this return `None`, and the caller asks libgit2 instead.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use git2::Oid;

/// A tag ref: its target object, and the object it peels to when `packed-refs` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagRef {
    /// The object the ref points at (a commit, or an annotated tag object).
    pub target: Oid,
    /// The object an annotated tag peels to, when `packed-refs` says so: usually a commit, but a
    /// tag of a tree or a blob peels to that tree or blob, so it is checked before use.
    pub peeled: Option<Oid>,
    /// Whether `packed-refs` is "fully peeled", so a missing `peeled` means the target itself is
    /// not a tag object.
    pub fully_peeled: bool,
}

/// Every tag under `refs/tags/`, by name without the prefix, each name once; `None` when the
/// files are not in a form this reader knows (the caller then uses libgit2).
pub fn read(common_dir: &Path) -> Option<Vec<(String, TagRef)>> {
    let mut tags = Vec::new();
    let mut sorted = true;
    match fs::read_to_string(common_dir.join("packed-refs")) {
        Ok(text) => sorted = parse_packed(&text, &mut tags)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) => return None,
    }
    let mut loose = HashMap::new();
    read_loose(&common_dir.join("refs/tags"), "", &mut loose)?;
    // git writes `packed-refs` sorted, so its names are unique and no map is needed (hashing
    // every name was a tenth of a `relcut next` on thousands of tags). A file that is not sorted,
    // or loose refs to lay over it, take the map: the last packed line of a name wins, and a
    // loose ref wins over it.
    if !sorted || !loose.is_empty() {
        let mut merged: HashMap<String, TagRef> = tags.into_iter().collect();
        merged.extend(loose);
        return Some(merged.into_iter().collect());
    }
    Some(tags)
}

/// Reads the tags of `packed-refs` in file order; whether their names are strictly ascending
/// (so each comes once), or `None` for a line this reader does not know.
fn parse_packed(text: &str, tags: &mut Vec<(String, TagRef)>) -> Option<bool> {
    let mut fully_peeled = false;
    let mut sorted = true;
    // Sized for one ref per line of about 60 bytes, so the list does not grow as it fills.
    tags.reserve(text.len() / 60);
    // Whether the previous line was a tag, which a `^` line then peels.
    let mut last_is_tag = false;
    let mut last_name: &str = "";
    let mut rest = text;
    while !rest.is_empty() {
        // Lines as `str::lines` splits them (`\n`, and a `\r` before it dropped). The id of a
        // ref line (`<id> <name>`) or a peeled line (`^<id>`) is read at its known place first:
        // 40 hex digits hold no line end, so only what follows them is searched for it.
        let id_at = usize::from(rest.as_bytes()[0] == b'^');
        let id = rest.get(id_at..id_at + 40).and_then(parse_oid);
        let from = if id.is_some() { id_at + 40 } else { 0 };
        let (line, next) = match rest.as_bytes()[from..]
            .iter()
            .position(|&byte| byte == b'\n')
        {
            Some(at) => (&rest[..from + at], &rest[from + at + 1..]),
            None => (rest, ""),
        };
        rest = next;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(header) = line.strip_prefix("# pack-refs with:") {
            fully_peeled = header.split_whitespace().any(|word| word == "fully-peeled");
            continue;
        }
        if let Some(peeled) = line.strip_prefix('^') {
            if !std::mem::take(&mut last_is_tag) {
                return None;
            }
            let peeled = match id {
                Some(id) if peeled.len() == 40 => id,
                _ => parse_oid(peeled.trim())?,
            };
            if let Some((_, tag)) = tags.last_mut() {
                tag.peeled = Some(peeled);
            }
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // `<40 hex digits> <name>`: split at the known width rather than searching for the space.
        let (target, name) = (line.get(..40)?, line.get(40..)?.strip_prefix(' ')?);
        let target = match id {
            Some(id) => id,
            None => parse_oid(target)?,
        };
        last_is_tag = false;
        if let Some(name) = name.strip_prefix("refs/tags/") {
            sorted &= last_name < name;
            last_name = name;
            tags.push((
                name.to_string(),
                TagRef {
                    target,
                    peeled: None,
                    fully_peeled,
                },
            ));
            last_is_tag = true;
        }
    }
    Some(sorted)
}

/// Loose refs win over packed ones of the same name, as in git.
fn read_loose(directory: &Path, prefix: &str, tags: &mut HashMap<String, TagRef>) -> Option<()> {
    let entries = match fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Some(()),
        Err(_) => return None,
    };
    for entry in entries {
        let entry = entry.ok()?;
        let name = format!("{prefix}{}", entry.file_name().to_str()?);
        let kind = entry.file_type().ok()?;
        if kind.is_dir() {
            read_loose(&entry.path(), &format!("{name}/"), tags)?;
        } else if kind.is_file() {
            // A lock file is a ref being written; git ignores it too.
            if name.ends_with(".lock") {
                continue;
            }
            let text = fs::read_to_string(entry.path()).ok()?;
            let target = parse_oid(text.trim())?;
            tags.insert(
                name,
                TagRef {
                    target,
                    peeled: None,
                    fully_peeled: false,
                },
            );
        } else {
            return None;
        }
    }
    Some(())
}

/// The value of each ASCII hex digit, and `INVALID` for every other byte.
const HEX: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut digit = 0;
    while digit < 10 {
        table[b'0' as usize + digit] = digit as u8;
        digit += 1;
    }
    let mut letter = 0;
    while letter < 6 {
        table[b'a' as usize + letter] = 10 + letter as u8;
        table[b'A' as usize + letter] = 10 + letter as u8;
        letter += 1;
    }
    table
};
const INVALID: u8 = 0xff;

/// A full 40-digit SHA-1 in hex. Written here because `Oid::from_str` goes through libgit2 and
/// was a tenth of the instructions of a `relcut next` on a repository with thousands of tags;
/// anything else (a SHA-256 repository, a short or malformed id) makes the reader fall back.
fn parse_oid(hex: &str) -> Option<Oid> {
    let digits = hex.as_bytes();
    if digits.len() != 40 {
        return None;
    }
    let mut bytes = [0u8; 20];
    // Invalid digits are only checked once at the end: `INVALID` sets the high bits.
    let mut seen = 0u8;
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        let (high, low) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        seen |= high | low;
        *byte = high << 4 | low;
    }
    if seen & 0xf0 != 0 {
        return None;
    }
    Oid::from_bytes(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const C: &str = "3333333333333333333333333333333333333333";

    #[test]
    fn packed_and_loose_tags_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("packed-refs"),
            format!(
                "# pack-refs with: peeled fully-peeled sorted \n{A} refs/heads/main\n{B} refs/tags/v1.0.0\n^{A}\n{A} refs/tags/v0.9.0\n{C} refs/tags/nested/v2.0.0\n"
            ),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("refs/tags/team")).unwrap();
        std::fs::write(dir.path().join("refs/tags/v0.9.0"), format!("{C}\n")).unwrap();
        std::fs::write(dir.path().join("refs/tags/team/v3.0.0"), format!("{B}\n")).unwrap();
        std::fs::write(dir.path().join("refs/tags/v4.0.0.lock"), "junk").unwrap();
        let tags: HashMap<String, TagRef> = read(dir.path()).unwrap().into_iter().collect();
        let mut names: Vec<&str> = tags.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["nested/v2.0.0", "team/v3.0.0", "v0.9.0", "v1.0.0"]);
        let v1 = tags["v1.0.0"];
        assert_eq!(v1.target.to_string(), B);
        assert_eq!(v1.peeled.map(|oid| oid.to_string()).as_deref(), Some(A));
        assert!(v1.fully_peeled);
        // The loose ref overrides the packed one.
        assert_eq!(tags["v0.9.0"].target.to_string(), C);
        assert!(!tags["v0.9.0"].fully_peeled);
    }

    #[test]
    fn object_ids_parse_like_libgit2() {
        for hex in [
            A,
            "0123456789abcdefABCDEF0123456789abcdef01",
            "ffffffffffffffffffffffffffffffffffffffff",
        ] {
            assert_eq!(parse_oid(hex), Oid::from_str(hex).ok(), "{hex}");
        }
        for bad in [
            "",
            "123",
            &A[..39],
            &format!("{A}0"),
            "g111111111111111111111111111111111111111",
        ] {
            assert_eq!(parse_oid(bad), None, "{bad}");
        }
    }

    #[test]
    fn unknown_forms_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("packed-refs"), "not a ref line\n").unwrap();
        assert!(read(dir.path()).is_none());
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("refs/tags")).unwrap();
        std::fs::write(
            dir.path().join("refs/tags/v1.0.0"),
            "ref: refs/tags/other\n",
        )
        .unwrap();
        assert!(read(dir.path()).is_none());
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(read(empty.path()).unwrap().len(), 0);
    }
}
