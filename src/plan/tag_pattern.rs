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
        let pattern_value = TagPattern {
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
            regex: OnceLock::new(),
        };
        // A version adds only ASCII letters, digits, `.`, `-` and `+`, starts with a digit and ends
        // with a letter or digit, so it can neither make nor mend a rule git's ref names break at
        // its edges: one sample version decides for every version.
        let sample = pattern_value.tag_name(&semver::Version::new(1, 2, 3));
        if let Err(reason) = check_tag_name(&sample) {
            return Err(format!(
                "\"{pattern}\" makes tag names such as `{sample}`, which git refuses: {reason}; write it as for example \"v{PLACEHOLDER}\" or \"release-{PLACEHOLDER}\""
            ));
        }
        Ok(pattern_value)
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

    /// The pattern as written in relcut.toml: `v{version}`.
    pub fn pattern(&self) -> String {
        format!("{}{PLACEHOLDER}{}", self.prefix, self.suffix)
    }
}

/// Whether git accepts `name` as a tag: `refs/tags/<name>` must pass `git check-ref-format`, and
/// `git tag` refuses a name that starts with `-`. The reason comes back as a phrase.
pub fn check_tag_name(name: &str) -> Result<(), String> {
    if name.starts_with('-') {
        return Err(String::from("a tag name cannot start with `-`"));
    }
    if name.is_empty() || name.starts_with('/') || name.ends_with('/') || name.contains("//") {
        return Err(String::from(
            "a `/` cannot start or end a tag name or follow another `/`",
        ));
    }
    if let Some(character) = name.chars().find(|&c| {
        c.is_ascii_control() || matches!(c, ' ' | '~' | '^' | ':' | '?' | '*' | '[' | '\\')
    }) {
        let shown = match character {
            ' ' => String::from("a space"),
            c if c.is_ascii_control() => format!("the control character U+{:04X}", c as u32),
            c => format!("`{c}`"),
        };
        return Err(format!("a tag name cannot contain {shown}"));
    }
    for sequence in ["..", "@{"] {
        if name.contains(sequence) {
            return Err(format!("a tag name cannot contain `{sequence}`"));
        }
    }
    if name.ends_with('.') {
        return Err(String::from("a tag name cannot end with `.`"));
    }
    for component in name.split('/') {
        if component.starts_with('.') {
            return Err(format!(
                "a part of a tag name (`{component}`) cannot start with `.`"
            ));
        }
        if component.ends_with(".lock") {
            return Err(format!(
                "a part of a tag name (`{component}`) cannot end with `.lock`"
            ));
        }
    }
    Ok(())
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
    fn tag_names_follow_git_ref_name_rules() {
        let rows: &[(&str, bool)] = &[
            ("v1.2.3", true),
            ("release-1.2.3", true),
            ("app@1.2.3", true),
            ("team/app/v1.2.3", true),
            ("v1.2.3-stable", true),
            ("versión-1.2.3", true),
            ("release 1.2.3", false),
            ("-1.2.3", false),
            ("v1.2.3.", false),
            ("v1.2.3.lock", false),
            ("v1.2.3.lock/x", false),
            (".v1.2.3", false),
            ("app/.1.2.3", false),
            ("v..1.2.3", false),
            ("v@{1.2.3", false),
            ("/v1.2.3", false),
            ("v1.2.3/", false),
            ("team//1.2.3", false),
            ("v~1.2.3", false),
            ("v^1.2.3", false),
            ("v:1.2.3", false),
            ("v?1.2.3", false),
            ("v*1.2.3", false),
            ("v[1.2.3", false),
            ("v\\1.2.3", false),
            ("v\t1.2.3", false),
            ("v\u{7f}1.2.3", false),
        ];
        // Where git is installed, it has the last word on every row.
        let git = std::process::Command::new("git")
            .arg("--version")
            .output()
            .is_ok();
        for (name, valid) in rows {
            assert_eq!(check_tag_name(name).is_ok(), *valid, "{name:?}");
            if git && !name.starts_with('-') {
                let accepted = std::process::Command::new("git")
                    .args(["check-ref-format", &format!("refs/tags/{name}")])
                    .status()
                    .unwrap()
                    .success();
                assert_eq!(accepted, *valid, "git check-ref-format on {name:?}");
            }
        }
    }

    #[test]
    fn patterns_that_cannot_name_a_tag_are_refused() {
        let rows: &[(&str, &str)] = &[
            ("release {version}", "a space"),
            ("-{version}", "start with `-`"),
            ("{version}.", "end with `.`"),
            ("{version}.lock", "`.lock`"),
            ("v~{version}", "`~`"),
            ("releases//{version}", "`/`"),
            (".{version}", "start with `.`"),
        ];
        for (pattern, reason) in rows {
            let message = TagPattern::parse(pattern).unwrap_err();
            assert!(message.contains(reason), "{pattern}: {message}");
            assert!(message.contains("git refuses"), "{pattern}: {message}");
        }
    }

    #[test]
    fn patterns_need_one_placeholder() {
        assert!(TagPattern::parse("v").is_err());
        assert!(TagPattern::parse("{version}-{version}").is_err());
    }
}
