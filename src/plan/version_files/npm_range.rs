//! The rule that moves an npm dependency on a workspace member to the member's new version.
//! Pure string logic; must not know about files, JSON or the workspace.
//!
//! The rule (for the README):
//! - `workspace:` ranges (`workspace:*`, `workspace:^`, `workspace:^1.2.3`) stay as written: pnpm
//!   and Yarn replace them with the member's version when they publish.
//! - An exact pin or a range on the member's current version, `1.2.3`, `=1.2.3`, `^1.2.3`,
//!   `~1.2.3` or `>=1.2.3` (a `v` and spaces after the operator allowed), moves to the new
//!   version and keeps its operator and spacing: `^1.2.3` → `^1.3.0`.
//! - Anything else (`^1.0.0`, `1.x`, `*`, `file:`, a tag) is a range the author chose and stays,
//!   as long as it accepts the new version: one that does not (`^1.0.0` when 2.0.0 is released)
//!   would make npm install the published package instead of the workspace's, so it is an error
//!   ([`accepts`]).
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

/// Whether the npm range accepts `version`, or `None` when it is not a range of versions relcut
/// reads (a dist-tag, `file:`, `npm:`, a URL, `workspace:`). Comparators follow npm's meaning:
/// a bare `1.2` or `1.2.x` is every `1.2.*`, `-` between two versions is inclusive, `||` joins
/// alternatives; a prerelease is accepted only by a comparator on the same `major.minor.patch`,
/// as npm (and Cargo, whose requirements each alternative is read as) decide.
pub(super) fn accepts(range: &str, version: &Version) -> Option<bool> {
    let mut any = false;
    for alternative in range.split("||") {
        any |= requirement(alternative)?.matches(version);
    }
    Some(any)
}

/// One `||` alternative as the Cargo requirement with the same meaning.
fn requirement(alternative: &str) -> Option<semver::VersionReq> {
    let words: Vec<&str> = alternative.split_whitespace().collect();
    let comparators: Vec<String> = match words.as_slice() {
        [] => vec![String::from("*")],
        [low, "-", high] => vec![
            format!(">={}", partial(low)?),
            format!("<={}", partial(high)?),
        ],
        _ => {
            let mut comparators = Vec::new();
            let mut pending_operator: Option<&str> = None;
            for word in words {
                let text = match pending_operator.take() {
                    Some(operator) => format!("{operator}{word}"),
                    None => word.to_string(),
                };
                if matches!(text.as_str(), ">=" | "<=" | ">" | "<" | "=" | "^" | "~") {
                    pending_operator = Some(word);
                    continue;
                }
                comparators.push(comparator(&text)?);
            }
            if pending_operator.is_some() {
                return None;
            }
            comparators
        }
    };
    semver::VersionReq::parse(&comparators.join(", ")).ok()
}

/// One npm comparator (`^1.2.3`, `1.x`, `>=2`) as a Cargo one.
fn comparator(text: &str) -> Option<String> {
    let operator = [">=", "<=", ">", "<", "=", "^", "~"]
        .into_iter()
        .find(|operator| text.starts_with(operator))
        .unwrap_or("");
    let version = partial(&text[operator.len()..])?;
    if version == "*" {
        return Some(String::from("*"));
    }
    // npm's bare version is exact, or every version it leaves open; Cargo's `=` says the same.
    Some(format!(
        "{}{version}",
        if operator.is_empty() { "=" } else { operator }
    ))
}

/// A version with its wildcard components (`x`, `X`, `*`) dropped, a `v` allowed: `1.2.x` →
/// `1.2`; `*` when nothing is left. `None` when it is not a version at all.
fn partial(text: &str) -> Option<String> {
    let text = text.strip_prefix('v').unwrap_or(text);
    if text.is_empty() {
        return Some(String::from("*"));
    }
    let (core, rest) = match text.find(['-', '+']) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let mut kept = Vec::new();
    for part in core.split('.') {
        if matches!(part, "x" | "X" | "*") {
            break;
        }
        if part.is_empty() || !part.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        kept.push(part);
    }
    if kept.len() > 3 || (!rest.is_empty() && kept.len() < 3) {
        return None;
    }
    if kept.is_empty() {
        return Some(String::from("*"));
    }
    Some(format!("{}{rest}", kept.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_accept_as_npm_decides() {
        let two = Version::parse("2.0.0").unwrap();
        let rc = Version::parse("2.0.0-rc.1").unwrap();
        let rows: [(&str, &Version, Option<bool>); 22] = [
            ("^1.0.0", &two, Some(false)),
            ("^2.0.0", &two, Some(true)),
            ("~1.9.0", &two, Some(false)),
            ("1.x", &two, Some(false)),
            ("2.x", &two, Some(true)),
            ("2", &two, Some(true)),
            ("1.2", &two, Some(false)),
            ("*", &two, Some(true)),
            ("", &two, Some(true)),
            (">=1.0.0", &two, Some(true)),
            (">= 1.0.0 < 2.0.0", &two, Some(false)),
            (">=1.0.0 <3", &two, Some(true)),
            ("^1 || ^2", &two, Some(true)),
            ("^0.9 || ^1", &two, Some(false)),
            ("1.0.0 - 2.0.0", &two, Some(true)),
            ("1.0.0 - 1.9.9", &two, Some(false)),
            ("1.0.0", &two, Some(false)),
            ("v2.0.0", &two, Some(true)),
            ("^1.0.0", &rc, Some(false)),
            ("latest", &two, None),
            ("file:../shared", &two, None),
            ("npm:other@2.0.0", &two, None),
        ];
        for (range, version, expected) in rows {
            assert_eq!(accepts(range, version), expected, "{range} {version}");
        }
    }

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
