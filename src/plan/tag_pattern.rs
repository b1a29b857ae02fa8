//! How release tags are named: a literal prefix and suffix around the version (`v{version}`).
//!
//! Pure: turns versions into tag names and back; it never lists or reads tags itself.

use std::sync::OnceLock;

use regex::Regex;

/// A tag naming rule such as `v{version}`, `{version}` or `release-{version}`.
#[derive(Debug, Clone)]
pub struct TagPattern {
    prefix: String,
    suffix: String,
    /// Built on first use: only the changelog needs it, and compiling the SemVer grammar was a
    /// fifth of the instructions of a `relcut next`.
    regex: OnceLock<Regex>,
}

/// The placeholder that stands for the version in a tag pattern.
const PLACEHOLDER: &str = "{version}";

impl TagPattern {
    /// Parses a pattern; it must hold `{version}` exactly once.
    pub fn parse(pattern: &str) -> Result<TagPattern, String> {
        let Some(index) = pattern.find(PLACEHOLDER) else {
            return Err(format!(
                "\"{pattern}\" does not contain `{PLACEHOLDER}`; write it as for example \"v{PLACEHOLDER}\""
            ));
        };
        let prefix = &pattern[..index];
        let suffix = &pattern[index + PLACEHOLDER.len()..];
        if suffix.contains(PLACEHOLDER) {
            return Err(format!(
                "\"{pattern}\" contains `{PLACEHOLDER}` more than once"
            ));
        }
        Ok(TagPattern {
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
            regex: OnceLock::new(),
        })
    }

    /// The tag name of a version.
    pub fn tag_name(&self, version: &semver::Version) -> String {
        format!("{}{}{}", self.prefix, version, self.suffix)
    }

    /// The version a tag name stands for, or `None` when the tag is not a release tag.
    pub fn version_of(&self, tag: &str) -> Option<semver::Version> {
        let inner = tag.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        // A bare prefix-less pattern must not take `v1.2.3`, and `v` must not take `vv1.2.3`.
        if !inner.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        semver::Version::parse(inner).ok()
    }

    /// The anchored regular expression that matches exactly the release tags.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            // The same version grammar as SemVer 2.0.0, anchored, so git-cliff selects the same
            // tags. Prefix and suffix are escaped literals, so the expression always compiles.
            Regex::new(&format!(
                r"^{}(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?{}$",
                regex::escape(&self.prefix),
                regex::escape(&self.suffix)
            ))
            .expect("escaped literals around the SemVer grammar form a valid regular expression")
        })
    }

    /// The literal text before the version.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_versions_round_trip() {
        let rows: &[(&str, &str, Option<&str>)] = &[
            ("v{version}", "v1.2.3", Some("1.2.3")),
            ("v{version}", "v1.2.3-rc.1", Some("1.2.3-rc.1")),
            ("v{version}", "1.2.3", None),
            ("v{version}", "vv1.2.3", None),
            ("v{version}", "v1.2", None),
            ("v{version}", "v01.2.3", None),
            ("v{version}", "latest", None),
            ("{version}", "1.2.3", Some("1.2.3")),
            ("{version}", "v1.2.3", None),
            ("release-{version}", "release-2.0.0", Some("2.0.0")),
            ("release-{version}", "v2.0.0", None),
            ("app@{version}", "app@0.1.0+build.5", Some("0.1.0+build.5")),
            ("{version}-stable", "1.0.0-stable", Some("1.0.0")),
        ];
        for (pattern, tag, expected) in rows {
            let pattern = TagPattern::parse(pattern).unwrap();
            let found = pattern.version_of(tag).map(|v| v.to_string());
            assert_eq!(found.as_deref(), *expected, "{tag}");
            assert_eq!(
                pattern.regex().is_match(tag),
                expected.is_some(),
                "regex on {tag}"
            );
            if let Some(version) = expected {
                let version = semver::Version::parse(version).unwrap();
                assert_eq!(pattern.tag_name(&version), *tag);
            }
        }
    }

    #[test]
    fn patterns_need_one_placeholder() {
        assert!(TagPattern::parse("v").is_err());
        assert!(TagPattern::parse("{version}-{version}").is_err());
    }
}
