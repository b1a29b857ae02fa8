//! The rule that moves a version requirement on a workspace member to the member's new version.
//! Pure string logic; must not know about files, TOML or the workspace.
//!
//! The rule (for the README):
//! - A single comparator with `=`, `^`, `~`, `>=` or no operator is rewritten: the operator, any
//!   whitespace and the number of version components are kept, the numbers become the new
//!   version's: `"1.2.3"` → `"1.3.0"`, `"=1.2.3"` → `"=1.3.0"`, `"^1.2"` → `"^1.3"`,
//!   `"~1"` → `"~2"` (for 2.0.0), `">= 1.2"` → `">= 1.3"`.
//! - When the new version is a prerelease, the requirement is written in full with the prerelease
//!   (`"^1.2"` → `"^1.3.0-rc.1"`), because a truncated requirement never matches a prerelease.
//!   The same holds when the old requirement named a prerelease (`"=1.3.0-rc.1"` → `"=1.3.0"`).
//! - Build metadata is never written into a requirement; Cargo ignores it there.
//! - Anything else (`<`, `<=`, `>`, wildcards such as `1.*`, `*`, several comparators such as
//!   `">=1.2, <2"`) is a range the user chose on purpose: it is left as written when it accepts
//!   the new version, and is an error when it does not.

use semver::{BuildMetadata, Op, Version, VersionReq};

/// Why a requirement could not be moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RequirementProblem {
    /// The text is not a Cargo version requirement.
    Invalid,
    /// The requirement is a range relcut keeps as written, and the new version is outside it.
    RejectsVersion,
}

/// The requirement `requirement` moved to `new` by the rule above (possibly unchanged).
pub(super) fn retarget(requirement: &str, new: &Version) -> Result<String, RequirementProblem> {
    let parsed = VersionReq::parse(requirement).map_err(|_| RequirementProblem::Invalid)?;
    let new = Version {
        build: BuildMetadata::EMPTY,
        ..new.clone()
    };

    let retargeted = match parsed.comparators.as_slice() {
        [comparator]
            if matches!(
                comparator.op,
                Op::Exact | Op::Caret | Op::Tilde | Op::GreaterEq
            ) =>
        {
            let components = if !new.pre.is_empty() || !comparator.pre.is_empty() {
                None
            } else if comparator.patch.is_some() {
                Some(3)
            } else if comparator.minor.is_some() {
                Some(2)
            } else {
                Some(1)
            };
            let numbers = match components {
                Some(1) => new.major.to_string(),
                Some(2) => format!("{}.{}", new.major, new.minor),
                _ => new.to_string(),
            };
            // The operator and its spacing are everything before the first digit; trailing
            // whitespace is kept too, so only the numbers change.
            let start = requirement
                .find(|c: char| c.is_ascii_digit())
                .ok_or(RequirementProblem::Invalid)?;
            let end = requirement.trim_end().len();
            format!("{}{numbers}{}", &requirement[..start], &requirement[end..])
        }
        _ => requirement.to_owned(),
    };

    // Rewritten requirements accept the new version by construction; kept ranges may not.
    let accepts = VersionReq::parse(&retargeted).is_ok_and(|req| req.matches(&new));
    if accepts {
        Ok(retargeted)
    } else {
        Err(RequirementProblem::RejectsVersion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_single_comparators_keeping_operator_and_precision() {
        // (requirement, new version, expected requirement)
        let rows = [
            ("1.2.3", "1.3.0", "1.3.0"),
            ("=1.2.3", "1.3.0", "=1.3.0"),
            ("^1.2.3", "1.3.0", "^1.3.0"),
            ("~1.2.3", "1.3.0", "~1.3.0"),
            (">=1.2.3", "1.3.0", ">=1.3.0"),
            ("^1.2", "1.3.0", "^1.3"),
            ("1.2", "2.0.0", "2.0"),
            ("~1", "2.0.0", "~2"),
            ("1", "1.3.0", "1"),
            ("= 1.2.3", "1.3.0", "= 1.3.0"),
            (">= 1.2 ", "1.3.0", ">= 1.3 "),
            ("0.1.0", "0.1.1", "0.1.1"),
            // A prerelease needs the full version, or the requirement would not match it.
            ("^1.2", "1.3.0-rc.1", "^1.3.0-rc.1"),
            ("1", "2.0.0-alpha.1", "2.0.0-alpha.1"),
            // Leaving a prerelease writes the full version back.
            ("=1.3.0-rc.1", "1.3.0", "=1.3.0"),
            // Build metadata never goes into a requirement.
            ("1.2.3", "1.3.0+build.5", "1.3.0"),
            // Kept ranges that still accept the new version.
            ("<2", "1.3.0", "<2"),
            (">=1.2, <2", "1.3.0", ">=1.2, <2"),
            ("1.*", "1.3.0", "1.*"),
            ("*", "1.3.0", "*"),
        ];
        for (requirement, new, expected) in rows {
            let new = Version::parse(new).unwrap();
            assert_eq!(
                retarget(requirement, &new),
                Ok(expected.to_owned()),
                "{requirement} → {new}"
            );
        }
    }

    #[test]
    fn reports_ranges_that_reject_the_new_version_and_invalid_text() {
        let rows = [
            ("<2", "2.0.0", RequirementProblem::RejectsVersion),
            (">1.2.3, <1.3", "1.3.0", RequirementProblem::RejectsVersion),
            ("1.2.*", "1.3.0", RequirementProblem::RejectsVersion),
            ("*", "1.3.0-rc.1", RequirementProblem::RejectsVersion),
            ("not a version", "1.3.0", RequirementProblem::Invalid),
            ("", "1.3.0", RequirementProblem::Invalid),
            ("1.2.3.4", "1.3.0", RequirementProblem::Invalid),
        ];
        for (requirement, new, problem) in rows {
            let new = Version::parse(new).unwrap();
            assert_eq!(
                retarget(requirement, &new),
                Err(problem),
                "{requirement} → {new}"
            );
        }
    }
}
