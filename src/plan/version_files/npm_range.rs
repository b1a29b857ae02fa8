//! The rule that moves an npm dependency on a workspace member to the member's new version.
//! Pure string logic; must not know about files, JSON or the workspace.
//!
//! The rule (for the README):
//! - `workspace:` ranges (`workspace:*`, `workspace:^`, `workspace:^1.2.3`) stay as written: pnpm
//!   and Yarn replace them with the member's version when they publish.
//! - An exact pin or a range on the member's current version, `1.2.3`, `=1.2.3`, `^1.2.3`,
//!   `~1.2.3` or `>=1.2.3` (a `v` and spaces after the operator allowed), moves to the new
//!   version and keeps its operator and spacing: `^1.2.3` → `^1.3.0`.
//! - Anything else (`^1.0.0`, `1.x`, `*`, `file:`, a tag) is a range the author chose and stays.
//! - Build metadata is never written into a range; npm ignores it there.

use semver::{BuildMetadata, Version};

/// The operators whose range is moved, longest first so `>=` is not read as `=`.
const OPERATORS: [&str; 5] = [">=", "^", "~", "=", ""];

/// `range` moved from `old` to `new` by the rule above, or `None` when it stays as written.
pub(super) fn retarget_range(range: &str, old: &Version, new: &Version) -> Option<String> {
    if range.trim_start().starts_with("workspace:") {
        return None;
    }
    let leading = range.len() - range.trim_start().len();
    let body = range.trim();
    let operator = OPERATORS
        .iter()
        .find(|operator| body.starts_with(*operator))
        .expect("the empty operator matches everything");
    let rest = &body[operator.len()..];
    let spaced = rest.trim_start();
    let spaced = spaced.strip_prefix('v').unwrap_or(spaced);
    let written = Version::parse(spaced).ok()?;
    let without_build = |version: &Version| Version {
        build: BuildMetadata::EMPTY,
        ..version.clone()
    };
    if without_build(&written) != without_build(old) {
        return None;
    }
    // Everything around the version's numbers (operator, spaces, a `v`) is kept.
    let version_start = leading + operator.len() + (rest.len() - spaced.len());
    let version_end = leading + body.len();
    Some(format!(
        "{}{}{}",
        &range[..version_start],
        without_build(new),
        &range[version_end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_on_the_old_version_move_and_others_stay() {
        // (range, expected after 3.5.41 → 3.6.0)
        let rows = [
            ("3.5.41", Some("3.6.0")),
            ("=3.5.41", Some("=3.6.0")),
            ("^3.5.41", Some("^3.6.0")),
            ("~3.5.41", Some("~3.6.0")),
            (">=3.5.41", Some(">=3.6.0")),
            (">= 3.5.41", Some(">= 3.6.0")),
            ("v3.5.41", Some("v3.6.0")),
            ("^v3.5.41", Some("^v3.6.0")),
            (" ^3.5.41 ", Some(" ^3.6.0 ")),
            ("workspace:*", None),
            ("workspace:^", None),
            ("workspace:^3.5.41", None),
            ("^3.5.0", None),
            ("3.x", None),
            ("*", None),
            ("", None),
            ("<=3.5.41", None),
            ("^3.5.41 || ^4", None),
            ("file:../shared", None),
            ("npm:other@3.5.41", None),
            ("latest", None),
        ];
        let old = Version::parse("3.5.41").unwrap();
        let new = Version::parse("3.6.0+build.7").unwrap();
        for (range, expected) in rows {
            assert_eq!(
                retarget_range(range, &old, &new).as_deref(),
                expected,
                "{range:?}"
            );
        }
    }

    #[test]
    fn prereleases_are_written_in_full() {
        let old = Version::parse("1.3.0-rc.1").unwrap();
        let new = Version::parse("1.3.0").unwrap();
        assert_eq!(
            retarget_range("^1.3.0-rc.1", &old, &new).as_deref(),
            Some("^1.3.0")
        );
        assert_eq!(
            retarget_range("1.2.3", &Version::new(1, 2, 3), &old).as_deref(),
            Some("1.3.0-rc.1")
        );
    }
}
