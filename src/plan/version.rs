//! SemVer 2.0.0 arithmetic that picks the next version (bump levels, prereleases, channels); pure, with no I/O.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use semver::{BuildMetadata, Prerelease, Version};

/// How big a change the commits ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Backwards-compatible fixes.
    Patch,
    /// Backwards-compatible features.
    Minor,
    /// Breaking changes.
    Major,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        })
    }
}

/// What the user asked for (`--bump`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BumpRequest {
    /// Let the commits since the last release decide the level.
    Auto,
    /// Bump the patch version.
    Patch,
    /// Bump the minor version.
    Minor,
    /// Bump the major version.
    Major,
    /// Continue the current prerelease, or start one with `--pre`.
    Prerelease,
    /// Promote the current prerelease to its stable version.
    Release,
    /// Use exactly this version.
    Exact(Version),
}

impl fmt::Display for BumpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BumpRequest::Auto => f.write_str("auto"),
            BumpRequest::Patch => f.write_str("patch"),
            BumpRequest::Minor => f.write_str("minor"),
            BumpRequest::Major => f.write_str("major"),
            BumpRequest::Prerelease => f.write_str("prerelease"),
            BumpRequest::Release => f.write_str("release"),
            BumpRequest::Exact(version) => write!(f, "{version}"),
        }
    }
}

/// Why a `--bump` value could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseBumpError {
    /// The value is neither a keyword nor something that looks like a version.
    #[error(
        "`{input}` is not a bump; use auto, patch, minor, major, prerelease, release, or a version such as `1.2.3` or `v2.0.0-rc.1`"
    )]
    Unknown {
        /// The value as given.
        input: String,
    },
    /// The value starts like a version but is not valid SemVer.
    #[error(
        "`{input}` is not a valid version ({reason}); use a full version such as `1.2.3` or `v2.0.0-rc.1`, or one of auto, patch, minor, major, prerelease, release"
    )]
    BadVersion {
        /// The value as given.
        input: String,
        /// What the SemVer parser objected to.
        reason: String,
    },
}

impl FromStr for BumpRequest {
    type Err = ParseBumpError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => return Ok(BumpRequest::Auto),
            "patch" => return Ok(BumpRequest::Patch),
            "minor" => return Ok(BumpRequest::Minor),
            "major" => return Ok(BumpRequest::Major),
            "prerelease" => return Ok(BumpRequest::Prerelease),
            "release" => return Ok(BumpRequest::Release),
            _ => {}
        }
        // Tags are commonly written `v1.2.3`, so users paste them as they see them.
        let bare = s.strip_prefix('v').unwrap_or(s);
        if !bare.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(ParseBumpError::Unknown {
                input: s.to_owned(),
            });
        }
        Version::parse(bare)
            .map(BumpRequest::Exact)
            .map_err(|e| ParseBumpError::BadVersion {
                input: s.to_owned(),
                reason: e.to_string(),
            })
    }
}

/// Knobs from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionPolicy {
    /// The number a new prerelease channel starts counting at (`rc.1` by default, `rc.0` if 0).
    pub prerelease_counter_start: u64,
    /// While the major version is 0, apply breaking changes as a minor bump.
    pub breaking_bumps_minor_below_1: bool,
}

impl Default for VersionPolicy {
    fn default() -> Self {
        VersionPolicy {
            prerelease_counter_start: 1,
            breaking_bumps_minor_below_1: true,
        }
    }
}

/// Everything the computation needs.
#[derive(Debug, Clone, Copy)]
pub struct BumpInput<'a> {
    /// The current version; may be a prerelease and may carry build metadata.
    pub current: &'a Version,
    /// The highest stable release at or below `current`, if known.
    pub last_stable: Option<&'a Version>,
    /// What the user asked for.
    pub request: &'a BumpRequest,
    /// What the commits since the last tag ask for; `None` if nothing is releasable.
    pub commits_level: Option<Level>,
    /// The `--pre` identifier (`alpha`, `beta`, `rc`, ...), if any.
    pub pre: Option<&'a str>,
}

/// The computed next version and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    /// The version to release.
    pub version: Version,
    /// Why this version, for a one-sentence explanation in the UI.
    pub reason: Reason,
}

/// Why [`next_version`] chose its result; `Display` gives one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The commits asked for `level`; `channel` is set when the result is a prerelease.
    Commits {
        /// The level the commits asked for, which was applied as is.
        level: Level,
        /// The prerelease channel, if the result is a prerelease.
        channel: Option<String>,
    },
    /// The commits contain a breaking change, applied as a minor bump because the major version is 0.
    MajorZero {
        /// The prerelease channel, if the result is a prerelease.
        channel: Option<String>,
    },
    /// `--bump patch|minor|major` named the level.
    Requested {
        /// The level that was requested.
        level: Level,
        /// The prerelease channel, if `--pre` was given.
        channel: Option<String>,
    },
    /// `--bump X.Y.Z` named the version.
    Explicit,
    /// A stable version got a prerelease of its next patch version.
    StartPrerelease {
        /// The channel the prerelease starts on.
        channel: String,
    },
    /// The current prerelease continued on its channel.
    ContinuePrerelease {
        /// The channel, unless the prerelease starts with a number (`1.0.0-0`).
        channel: Option<String>,
    },
    /// The current prerelease moved to a channel that sorts higher.
    ChannelSwitch {
        /// The first identifier of the current prerelease.
        from: String,
        /// The new channel.
        to: String,
    },
    /// A prerelease became its stable version.
    Promote,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn on(channel: &Option<String>) -> String {
            channel
                .as_deref()
                .map(|c| format!(", as a prerelease on the `{c}` channel"))
                .unwrap_or_default()
        }
        match self {
            Reason::Commits { level, channel } => write!(
                f,
                "The commits since the last release ask for a {level} bump{}.",
                on(channel)
            ),
            Reason::MajorZero { channel } => write!(
                f,
                "The commits contain a breaking change, which bumps the minor version while the major version is 0{}.",
                on(channel)
            ),
            Reason::Requested { level, channel } => {
                write!(f, "A {level} bump was requested{}.", on(channel))
            }
            Reason::Explicit => f.write_str("The version was named explicitly."),
            Reason::StartPrerelease { channel } => write!(
                f,
                "A prerelease of the next patch version starts on the `{channel}` channel."
            ),
            Reason::ContinuePrerelease { channel: Some(c) } => {
                write!(f, "The `{c}` prerelease continues.")
            }
            Reason::ContinuePrerelease { channel: None } => {
                f.write_str("The prerelease continues.")
            }
            Reason::ChannelSwitch { from, to } => write!(
                f,
                "The prerelease moves up from the `{from}` channel to the `{to}` channel."
            ),
            Reason::Promote => f.write_str("The prerelease is promoted to its stable version."),
        }
    }
}

/// Why no next version could be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// `auto` found no releasable commits.
    #[error(
        "there is nothing to release: no commit since the last release asks for a version bump; pass `--bump patch` (or another level) to release anyway"
    )]
    NothingToRelease,
    /// An explicit version does not sort above the current one.
    #[error(
        "`{requested}` is not greater than the current version `{current}`; name a higher version"
    )]
    NotGreater {
        /// The current version.
        current: Version,
        /// The version that was asked for.
        requested: Version,
    },
    /// `release` on a version that is already stable.
    #[error(
        "`{current}` is not a prerelease, so `--bump release` has nothing to promote; use `--bump patch`, `minor` or `major` instead"
    )]
    NotAPrerelease {
        /// The current version.
        current: Version,
    },
    /// `prerelease` on a stable version without a channel to start.
    #[error(
        "`{current}` is not a prerelease, so `--bump prerelease` needs `--pre <identifier>` to start one, e.g. `--pre rc`"
    )]
    PrereleaseNeedsIdentifier {
        /// The current version.
        current: Version,
    },
    /// `--pre` names a channel that sorts below the current prerelease's.
    #[error(
        "moving `{current}` from the `{from}` channel to `{to}` would go backwards, because `{to}` sorts before `{from}`; use `--pre {from}` or a channel that sorts after it, or bump the level too (e.g. `--bump minor --pre {to}`)"
    )]
    ChannelGoesBackwards {
        /// The current version.
        current: Version,
        /// The first identifier of the current prerelease.
        from: String,
        /// The channel that was asked for.
        to: String,
    },
    /// `--pre` is not a single valid SemVer prerelease identifier.
    #[error(
        "`{identifier}` is not a valid prerelease identifier; use ASCII letters, digits and hyphens with at least one letter or hyphen, such as `alpha`, `beta` or `rc`"
    )]
    InvalidIdentifier {
        /// The identifier as given.
        identifier: String,
    },
    /// Continuing an oddly shaped prerelease would not move forward.
    #[error(
        "the next prerelease after `{current}` would be `{next}`, which does not sort higher; name the version explicitly with `--bump <version>`"
    )]
    NotIncreasing {
        /// The current version.
        current: Version,
        /// What continuing the prerelease would have produced.
        next: Version,
    },
    /// `--pre` together with a request that already fixes the result.
    #[error(
        "`--pre {identifier}` cannot be combined with `--bump {request}`; drop `--pre` (an explicit version can carry its own prerelease, e.g. `--bump 2.0.0-rc.1`)"
    )]
    PreNotAllowed {
        /// The request that fixes the result.
        request: BumpRequest,
        /// The `--pre` identifier that was given.
        identifier: String,
    },
    /// The caller passed a "last stable" version that is a prerelease or above the current version.
    #[error(
        "the last stable release `{last_stable}` must be a stable version no higher than the current version `{current}`; check the release tags"
    )]
    InvalidLastStable {
        /// The current version.
        current: Version,
        /// The offending last stable version.
        last_stable: Version,
    },
    /// A major, minor or patch number would exceed `u64::MAX`.
    #[error(
        "the version after `{current}` does not fit: a version number would exceed {max}; name the version explicitly with `--bump <version>`",
        max = u64::MAX
    )]
    Overflow {
        /// The current version.
        current: Version,
    },
}

/// Computes the version to release next, following SemVer 2.0.0 and, for
/// prerelease arithmetic, npm's `semver.inc`.
pub fn next_version(input: &BumpInput<'_>, policy: &VersionPolicy) -> Result<Next, VersionError> {
    let current = input.current;
    if let Some(id) = input.pre {
        validate_identifier(id)?;
    }
    if let Some(last_stable) = input.last_stable
        && (!last_stable.pre.is_empty() || precedence(last_stable, current) == Ordering::Greater)
    {
        return Err(VersionError::InvalidLastStable {
            current: current.clone(),
            last_stable: last_stable.clone(),
        });
    }
    let start = policy.prerelease_counter_start;
    let channel = input.pre.map(str::to_owned);

    match input.request {
        BumpRequest::Exact(requested) => {
            reject_pre(input)?;
            if precedence(requested, current) != Ordering::Greater {
                return Err(VersionError::NotGreater {
                    current: current.clone(),
                    requested: requested.clone(),
                });
            }
            // The user typed it, build metadata included, so it is kept verbatim.
            Ok(Next {
                version: requested.clone(),
                reason: Reason::Explicit,
            })
        }
        BumpRequest::Release => {
            reject_pre(input)?;
            if current.pre.is_empty() {
                return Err(VersionError::NotAPrerelease {
                    current: current.clone(),
                });
            }
            Ok(Next {
                version: base_of(current),
                reason: Reason::Promote,
            })
        }
        BumpRequest::Patch | BumpRequest::Minor | BumpRequest::Major => {
            let level = match input.request {
                BumpRequest::Patch => Level::Patch,
                BumpRequest::Minor => Level::Minor,
                _ => Level::Major,
            };
            let version = match input.pre {
                None => npm_inc(current, level)?,
                // npm's pre<level> drops the prerelease first, so it always moves the base up.
                Some(id) => with_pre(bump_base(current, level, current)?, id, start),
            };
            Ok(Next {
                version,
                reason: Reason::Requested { level, channel },
            })
        }
        BumpRequest::Prerelease => {
            if !current.pre.is_empty() {
                return continue_prerelease(current, input.pre, start);
            }
            let Some(id) = input.pre else {
                return Err(VersionError::PrereleaseNeedsIdentifier {
                    current: current.clone(),
                });
            };
            Ok(Next {
                version: with_pre(bump_base(current, Level::Patch, current)?, id, start),
                reason: Reason::StartPrerelease {
                    channel: id.to_owned(),
                },
            })
        }
        BumpRequest::Auto => {
            let asked = input.commits_level.ok_or(VersionError::NothingToRelease)?;
            let from = if current.pre.is_empty() {
                Some(current)
            } else {
                input.last_stable
            };
            let target = match from {
                Some(from) => {
                    let (level, reason) = applied_level(from, asked, policy, channel);
                    Some((bump_base(from, level, current)?, reason))
                }
                None => None,
            };
            let base = base_of(current);
            match target {
                // From a stable version the target is always above the base; from a
                // prerelease only when the base does not already cover the commits.
                Some((target, reason)) if target > base => Ok(Next {
                    version: match input.pre {
                        Some(id) => with_pre(target, id, start),
                        None => target,
                    },
                    reason,
                }),
                // Without a last stable release there is nothing to measure the
                // commits against, so the prerelease is taken to cover them.
                _ => match input.pre {
                    Some(_) => continue_prerelease(current, input.pre, start),
                    None => Ok(Next {
                        version: base,
                        reason: Reason::Promote,
                    }),
                },
            }
        }
    }
}

fn reject_pre(input: &BumpInput<'_>) -> Result<(), VersionError> {
    match input.pre {
        Some(id) => Err(VersionError::PreNotAllowed {
            request: input.request.clone(),
            identifier: id.to_owned(),
        }),
        None => Ok(()),
    }
}

// `Version`'s `Ord` also orders build metadata, which SemVer says carries no precedence.
fn precedence(a: &Version, b: &Version) -> Ordering {
    (a.major, a.minor, a.patch, &a.pre).cmp(&(b.major, b.minor, b.patch, &b.pre))
}

/// Checks that `id` is one valid SemVer prerelease identifier usable as a channel.
pub fn validate_identifier(id: &str) -> Result<(), VersionError> {
    // A dot would make it several identifiers, which breaks the `<channel>.<n>` shape.
    let valid = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !is_numeric(id);
    if valid {
        Ok(())
    } else {
        Err(VersionError::InvalidIdentifier {
            identifier: id.to_owned(),
        })
    }
}

fn is_numeric(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

// SemVer 2.0.0 §11.4: numbers compare numerically and sort before text, text compares in ASCII order.
fn cmp_identifier(a: &str, b: &str) -> Ordering {
    match (is_numeric(a), is_numeric(b)) {
        (true, true) => {
            // Compared as digit strings so counters beyond u64 still order correctly.
            let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            a.len().cmp(&b.len()).then_with(|| a.cmp(b))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

fn base_of(v: &Version) -> Version {
    Version::new(v.major, v.minor, v.patch)
}

fn applied_level(
    from: &Version,
    asked: Level,
    policy: &VersionPolicy,
    channel: Option<String>,
) -> (Level, Reason) {
    if asked == Level::Major && from.major == 0 && policy.breaking_bumps_minor_below_1 {
        (Level::Minor, Reason::MajorZero { channel })
    } else {
        (
            asked,
            Reason::Commits {
                level: asked,
                channel,
            },
        )
    }
}

// Plain SemVer bump of the numeric part; any prerelease and build on `v` are ignored.
fn bump_base(v: &Version, level: Level, current: &Version) -> Result<Version, VersionError> {
    let overflow = || VersionError::Overflow {
        current: current.clone(),
    };
    Ok(match level {
        Level::Major => Version::new(v.major.checked_add(1).ok_or_else(overflow)?, 0, 0),
        Level::Minor => Version::new(v.major, v.minor.checked_add(1).ok_or_else(overflow)?, 0),
        Level::Patch => Version::new(
            v.major,
            v.minor,
            v.patch.checked_add(1).ok_or_else(overflow)?,
        ),
    })
}

// npm's `inc(major|minor|patch)`: a prerelease whose lower numbers are already
// zero is itself the run-up to that level, so it is released rather than skipped.
fn npm_inc(v: &Version, level: Level) -> Result<Version, VersionError> {
    let is_pre = !v.pre.is_empty();
    let lands_on_base = match level {
        Level::Major => is_pre && v.minor == 0 && v.patch == 0,
        Level::Minor => is_pre && v.patch == 0,
        Level::Patch => is_pre,
    };
    if lands_on_base {
        Ok(base_of(v))
    } else {
        bump_base(v, level, v)
    }
}

fn with_pre(base: Version, id: &str, counter: u64) -> Version {
    Version {
        pre: Prerelease::new(&format!("{id}.{counter}"))
            .expect("a validated identifier and a number form a valid prerelease"),
        build: BuildMetadata::EMPTY,
        ..base
    }
}

// npm's `inc('prerelease', id)` on a prerelease, plus the two places where we
// refuse to go backwards: a lower channel, and shapes where npm's reset sorts lower.
fn continue_prerelease(
    current: &Version,
    id: Option<&str>,
    start: u64,
) -> Result<Next, VersionError> {
    let mut parts: Vec<String> = current.pre.as_str().split('.').map(str::to_owned).collect();
    let first = parts[0].clone();
    if let Some(id) = id {
        match cmp_identifier(id, &first) {
            Ordering::Less => {
                return Err(VersionError::ChannelGoesBackwards {
                    current: current.clone(),
                    from: first,
                    to: id.to_owned(),
                });
            }
            Ordering::Greater => {
                return Ok(Next {
                    version: with_pre(base_of(current), id, start),
                    reason: Reason::ChannelSwitch {
                        from: first,
                        to: id.to_owned(),
                    },
                });
            }
            Ordering::Equal => {}
        }
    }

    match parts.iter().rposition(|p| is_numeric(p)) {
        Some(i) => parts[i] = increment_digits(&parts[i]),
        None => parts.push(start.to_string()),
    }
    // npm restarts the counter when the channel is not directly followed by a number.
    if let Some(id) = id
        && !is_numeric(&parts[1])
    {
        parts = vec![id.to_owned(), start.to_string()];
    }
    let next = Version {
        pre: Prerelease::new(&parts.join("."))
            .expect("incrementing or appending a number keeps a prerelease valid"),
        ..base_of(current)
    };
    if precedence(&next, current) != Ordering::Greater {
        return Err(VersionError::NotIncreasing {
            current: current.clone(),
            next,
        });
    }
    Ok(Next {
        version: next,
        reason: Reason::ContinuePrerelease {
            channel: (!is_numeric(&first)).then_some(first),
        },
    })
}

/// The first prerelease from `next` on whose version no tag has taken: a long-lived branch may
/// already have tagged `3.6.0-rc.1`, out of HEAD's reach, and a release from another branch
/// must not reuse the name. The counter (the last numeric identifier) goes on; a stable version
/// is never moved, since skipping one would skip a release. Returns the version and the first
/// taken one skipped, if any.
pub fn first_untaken(next: Version, taken: &[Version]) -> (Version, Option<Version>) {
    let is_taken = |version: &Version| {
        taken
            .iter()
            .any(|tag| precedence(tag, version) == Ordering::Equal)
    };
    if next.pre.is_empty() || !is_taken(&next) {
        return (next, None);
    }
    let skipped = next.clone();
    let mut parts: Vec<String> = next.pre.as_str().split('.').map(str::to_owned).collect();
    let counter = match parts.iter().rposition(|part| is_numeric(part)) {
        Some(index) => index,
        None => {
            parts.push(String::from("0"));
            parts.len() - 1
        }
    };
    let mut version = next;
    loop {
        parts[counter] = increment_digits(&parts[counter]);
        version.pre = Prerelease::new(&parts.join("."))
            .expect("incrementing or appending a number keeps a prerelease valid");
        if !is_taken(&version) {
            return (version, Some(skipped));
        }
    }
}

// Decimal string increment, so a prerelease counter can never overflow.
fn increment_digits(digits: &str) -> String {
    let mut bytes = digits.as_bytes().to_vec();
    for b in bytes.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return String::from_utf8(bytes).expect("ASCII digits");
        }
    }
    let mut out = String::with_capacity(bytes.len() + 1);
    out.push('1');
    out.push_str(std::str::from_utf8(&bytes).expect("ASCII digits"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::{Major as MA, Minor as MI, Patch as PA};

    #[test]
    fn a_prerelease_counter_goes_past_versions_tagged_elsewhere() {
        let v = |text: &str| Version::parse(text).unwrap();
        let taken = [
            v("3.6.0-rc.1"),
            v("3.6.0-rc.2"),
            v("3.6.0-beta.4"),
            v("3.6.0"),
        ];
        assert_eq!(
            first_untaken(v("3.6.0-rc.1"), &taken),
            (v("3.6.0-rc.3"), Some(v("3.6.0-rc.1")))
        );
        assert_eq!(
            first_untaken(v("3.6.0-rc.3"), &taken),
            (v("3.6.0-rc.3"), None)
        );
        // Build metadata does not make a different version.
        assert_eq!(
            first_untaken(v("3.6.0-beta.4+ci"), &taken).0,
            v("3.6.0-beta.5+ci")
        );
        // A stable version is never skipped: the tag check reports it.
        assert_eq!(first_untaken(v("3.6.0"), &taken), (v("3.6.0"), None));
        // Without a counter, one is added; 9 carries.
        assert_eq!(
            first_untaken(v("1.0.0-next"), &[v("1.0.0-next")]).0,
            v("1.0.0-next.1")
        );
        assert_eq!(
            first_untaken(v("1.0.0-rc.9"), &[v("1.0.0-rc.9")]).0,
            v("1.0.0-rc.10")
        );
    }

    const D: VersionPolicy = VersionPolicy {
        prerelease_counter_start: 1,
        breaking_bumps_minor_below_1: true,
    };
    /// Counter starting at 0.
    const Z: VersionPolicy = VersionPolicy {
        prerelease_counter_start: 0,
        breaking_bumps_minor_below_1: true,
    };
    /// Breaking changes bump major even below 1.0.0.
    const N: VersionPolicy = VersionPolicy {
        prerelease_counter_start: 1,
        breaking_bumps_minor_below_1: false,
    };
    /// A counter start npm cannot express.
    const F: VersionPolicy = VersionPolicy {
        prerelease_counter_start: 5,
        breaking_bumps_minor_below_1: true,
    };

    type Row = (
        VersionPolicy,
        &'static str,
        Option<&'static str>,
        &'static str,
        Option<Level>,
        Option<&'static str>,
        Result<&'static str, &'static str>,
    );

    #[rustfmt::skip]
    const ROWS: &[Row] = &[
        // policy, current, last_stable, request, commits_level, pre, expected (Ok version / Err variant)

        // patch/minor/major: plain SemVer on stable, npm `inc` on prereleases
        (D, "1.2.3", None, "patch", None, None, Ok("1.2.4")),
        (D, "1.2.3", None, "minor", None, None, Ok("1.3.0")),
        (D, "1.2.3", None, "major", None, None, Ok("2.0.0")),
        (D, "1.2.3+build.7", None, "patch", None, None, Ok("1.2.4")),
        (D, "1.2.3+build.7", None, "major", Some(PA), None, Ok("2.0.0")),
        (D, "2.0.0-rc.1", None, "major", None, None, Ok("2.0.0")),
        (D, "2.1.0-rc.1", None, "major", None, None, Ok("3.0.0")),
        (D, "2.0.1-rc.1", None, "major", None, None, Ok("3.0.0")),
        (D, "1.3.0-beta.1", None, "minor", None, None, Ok("1.3.0")),
        (D, "1.3.1-beta.1", None, "minor", None, None, Ok("1.4.0")),
        (D, "2.0.0-rc.1", None, "minor", None, None, Ok("2.0.0")),
        (D, "1.2.4-rc.1", None, "patch", None, None, Ok("1.2.4")),
        (D, "1.2.4-rc.1+build.9", None, "patch", None, None, Ok("1.2.4")),
        (D, "1.0.0-0", None, "patch", None, None, Ok("1.0.0")),
        (D, "0.4.2", None, "major", Some(MA), None, Ok("1.0.0")),
        (D, "0.4.2", None, "minor", None, None, Ok("0.5.0")),
        (D, "0.0.3", None, "patch", None, None, Ok("0.0.4")),
        (D, "1.2.3", None, "patch", None, None, Ok("1.2.4")),
        (D, "18446744073709551615.0.0", None, "major", None, None, Err("Overflow")),
        (D, "1.18446744073709551615.0", None, "minor", None, None, Err("Overflow")),

        // patch/minor/major --pre: npm premajor/preminor/prepatch, always moving the base up
        (D, "1.2.3", None, "minor", None, Some("beta"), Ok("1.3.0-beta.1")),
        (D, "1.2.3", None, "patch", None, Some("rc"), Ok("1.2.4-rc.1")),
        (D, "1.2.3", None, "major", None, Some("alpha"), Ok("2.0.0-alpha.1")),
        (D, "2.0.0-beta.1", None, "major", None, Some("beta"), Ok("3.0.0-beta.1")),
        (D, "1.3.0-beta.1", None, "minor", None, Some("beta"), Ok("1.4.0-beta.1")),
        (D, "1.2.4-rc.1", None, "patch", None, Some("rc"), Ok("1.2.5-rc.1")),
        (D, "2.0.0-rc.3", None, "major", None, Some("alpha"), Ok("3.0.0-alpha.1")),
        (D, "1.2.3+meta", None, "patch", None, Some("rc"), Ok("1.2.4-rc.1")),
        (D, "0.9.1", None, "major", None, Some("rc"), Ok("1.0.0-rc.1")),
        (D, "1.2.3", None, "patch", None, Some("-"), Ok("1.2.4--.1")),
        (D, "1.2.3", None, "patch", None, Some("0a"), Ok("1.2.4-0a.1")),
        (Z, "1.2.3", None, "minor", None, Some("beta"), Ok("1.3.0-beta.0")),
        (Z, "2.0.0-rc.3", None, "major", None, Some("alpha"), Ok("3.0.0-alpha.0")),
        (F, "1.2.3", None, "minor", None, Some("beta"), Ok("1.3.0-beta.5")),

        // prerelease: continue, switch up, refuse to switch down, start from stable
        (D, "1.3.0-beta.1", None, "prerelease", None, None, Ok("1.3.0-beta.2")),
        (D, "1.3.0-beta.9", None, "prerelease", None, None, Ok("1.3.0-beta.10")),
        (D, "1.3.0-beta.2+build.5", None, "prerelease", None, None, Ok("1.3.0-beta.3")),
        (D, "1.3.0-beta.1", None, "prerelease", None, Some("beta"), Ok("1.3.0-beta.2")),
        (D, "1.3.0-beta.2", None, "prerelease", None, Some("rc"), Ok("1.3.0-rc.1")),
        (D, "1.3.0-alpha.4", None, "prerelease", None, Some("beta"), Ok("1.3.0-beta.1")),
        (D, "1.0.0-rc.1", None, "prerelease", None, Some("rc-2"), Ok("1.0.0-rc-2.1")),
        (D, "1.3.0-rc.1", None, "prerelease", None, Some("alpha"), Err("ChannelGoesBackwards")),
        (D, "1.3.0-rc.2", None, "prerelease", None, Some("beta"), Err("ChannelGoesBackwards")),
        (D, "1.3.0-rc.2", None, "prerelease", None, Some("RC"), Err("ChannelGoesBackwards")),
        (D, "1.3.0-beta.11", None, "prerelease", None, Some("alpha"), Err("ChannelGoesBackwards")),
        (D, "1.2.3", None, "prerelease", None, Some("rc"), Ok("1.2.4-rc.1")),
        (D, "1.2.3+build.1", None, "prerelease", None, Some("beta"), Ok("1.2.4-beta.1")),
        (D, "1.2.3", None, "prerelease", Some(MA), None, Err("PrereleaseNeedsIdentifier")),
        (Z, "1.2.3", None, "prerelease", None, Some("rc"), Ok("1.2.4-rc.0")),
        (Z, "1.3.0-beta.2", None, "prerelease", None, Some("rc"), Ok("1.3.0-rc.0")),
        (Z, "1.3.0-beta.0", None, "prerelease", None, Some("beta"), Ok("1.3.0-beta.1")),
        (F, "1.3.0-beta.2", None, "prerelease", None, Some("rc"), Ok("1.3.0-rc.5")),
        // prerelease: shapes other than `<id>.<n>`, as npm does them
        (D, "1.0.0-alpha", None, "prerelease", None, None, Ok("1.0.0-alpha.1")),
        (D, "1.0.0-alpha", None, "prerelease", None, Some("alpha"), Ok("1.0.0-alpha.1")),
        (Z, "1.0.0-alpha", None, "prerelease", None, None, Ok("1.0.0-alpha.0")),
        (Z, "1.0.0-alpha", None, "prerelease", None, Some("alpha"), Ok("1.0.0-alpha.0")),
        (D, "1.0.0-beta", None, "prerelease", None, Some("rc"), Ok("1.0.0-rc.1")),
        (D, "1.0.0-0", None, "prerelease", None, None, Ok("1.0.0-1")),
        (Z, "1.0.0-0", None, "prerelease", None, None, Ok("1.0.0-1")),
        (D, "1.0.0-0", None, "prerelease", None, Some("alpha"), Ok("1.0.0-alpha.1")),
        (D, "1.0.0-alpha.beta", None, "prerelease", None, None, Ok("1.0.0-alpha.beta.1")),
        (D, "1.0.0-alpha.beta", None, "prerelease", None, Some("beta"), Ok("1.0.0-beta.1")),
        (D, "1.0.0-alpha.beta", None, "prerelease", None, Some("alpha"), Err("NotIncreasing")),
        (D, "1.0.0-alpha.1.beta", None, "prerelease", None, None, Ok("1.0.0-alpha.2.beta")),
        (D, "1.0.0-alpha.1.beta", None, "prerelease", None, Some("alpha"), Ok("1.0.0-alpha.2.beta")),
        (D, "1.0.0-x.7.z.92", None, "prerelease", None, None, Ok("1.0.0-x.7.z.93")),
        (D, "1.0.0-rc.18446744073709551615", None, "prerelease", None, None, Ok("1.0.0-rc.18446744073709551616")),

        // release
        (D, "2.0.0-rc.3", None, "release", None, None, Ok("2.0.0")),
        (D, "2.0.0-rc.3+build.1", None, "release", None, None, Ok("2.0.0")),
        (D, "0.1.0-alpha.1", None, "release", None, None, Ok("0.1.0")),
        (D, "1.0.0-0", None, "release", None, None, Ok("1.0.0")),
        (D, "1.2.3", None, "release", Some(MI), None, Err("NotAPrerelease")),
        (D, "2.0.0-rc.3", None, "release", None, Some("rc"), Err("PreNotAllowed")),

        // explicit versions
        (D, "1.4.0", None, "1.2.3", None, None, Err("NotGreater")),
        (D, "1.4.0", None, "1.4.0", None, None, Err("NotGreater")),
        (D, "1.4.0", None, "1.4.0+build.2", None, None, Err("NotGreater")),
        (D, "1.4.0", None, "1.4.0-rc.1", None, None, Err("NotGreater")),
        (D, "1.4.0", None, "1.4.1", None, None, Ok("1.4.1")),
        (D, "1.4.0", None, "v2.0.0", None, None, Ok("2.0.0")),
        (D, "1.4.0", None, "1.5.0+build.9", None, None, Ok("1.5.0+build.9")),
        (D, "1.4.0", None, "2.0.0-rc.1", None, None, Ok("2.0.0-rc.1")),
        (D, "2.0.0-rc.1", None, "2.0.0", None, None, Ok("2.0.0")),
        (D, "2.0.0-rc.1", None, "2.0.0-rc.2", None, None, Ok("2.0.0-rc.2")),
        (D, "2.0.0-rc.1", None, "2.0.0-beta.5", None, None, Err("NotGreater")),
        (D, "2.0.0-rc.1+build.1", None, "2.0.0-rc.1+build.2", None, None, Err("NotGreater")),
        (D, "0.3.0", None, "1.0.0", Some(MA), None, Ok("1.0.0")),
        (D, "1.4.0", None, "2.0.0", None, Some("rc"), Err("PreNotAllowed")),

        // auto from a stable version
        (D, "1.2.3", None, "auto", Some(PA), None, Ok("1.2.4")),
        (D, "1.2.3", None, "auto", Some(MI), None, Ok("1.3.0")),
        (D, "1.2.3", None, "auto", Some(MA), None, Ok("2.0.0")),
        (D, "1.2.3", Some("1.2.3"), "auto", Some(PA), None, Ok("1.2.4")),
        (D, "1.2.3+build.1", None, "auto", Some(MI), None, Ok("1.3.0")),
        (D, "1.2.3", None, "auto", None, None, Err("NothingToRelease")),
        (D, "1.2.3", None, "auto", None, Some("beta"), Err("NothingToRelease")),
        (D, "0.4.2", None, "auto", Some(MA), None, Ok("0.5.0")),
        (D, "0.4.2", None, "auto", Some(MI), None, Ok("0.5.0")),
        (D, "0.4.2", None, "auto", Some(PA), None, Ok("0.4.3")),
        (D, "0.0.3", None, "auto", Some(MA), None, Ok("0.1.0")),
        (N, "0.4.2", None, "auto", Some(MA), None, Ok("1.0.0")),
        (D, "1.2.3", None, "auto", Some(MI), Some("beta"), Ok("1.3.0-beta.1")),
        (D, "1.2.3", None, "auto", Some(MA), Some("rc"), Ok("2.0.0-rc.1")),
        (Z, "1.2.3", None, "auto", Some(MI), Some("beta"), Ok("1.3.0-beta.0")),
        (D, "0.9.9", None, "auto", Some(MA), Some("rc"), Ok("0.10.0-rc.1")),
        (N, "0.9.9", None, "auto", Some(MA), Some("rc"), Ok("1.0.0-rc.1")),

        // auto from a prerelease, no --pre: promote when the base covers the commits
        (D, "2.0.0-rc.1", Some("1.4.0"), "auto", Some(MI), None, Ok("2.0.0")),
        (D, "2.0.0-rc.1", Some("1.4.0"), "auto", Some(MA), None, Ok("2.0.0")),
        (D, "1.4.1-rc.1", Some("1.4.0"), "auto", Some(PA), None, Ok("1.4.1")),
        (D, "1.4.1-rc.1", Some("1.4.0"), "auto", Some(MI), None, Ok("1.5.0")),
        (D, "1.5.0-beta.2", Some("1.4.0"), "auto", Some(MA), None, Ok("2.0.0")),
        (D, "1.5.0-beta.2+build.3", Some("1.4.0"), "auto", Some(PA), None, Ok("1.5.0")),
        (D, "1.4.1-rc.1", None, "auto", Some(MA), None, Ok("1.4.1")),
        (D, "0.5.0-rc.1", Some("0.4.0"), "auto", Some(MA), None, Ok("0.5.0")),
        (N, "0.5.0-rc.1", Some("0.4.0"), "auto", Some(MA), None, Ok("1.0.0")),
        (D, "1.0.0-rc.1", Some("0.9.0"), "auto", Some(MA), None, Ok("1.0.0")),
        (D, "2.0.0-rc.1", Some("1.4.0"), "auto", None, None, Err("NothingToRelease")),

        // auto from a prerelease with --pre: keep the base when it covers, else move it up
        (D, "2.0.0-rc.1", Some("1.4.0"), "auto", Some(MI), Some("rc"), Ok("2.0.0-rc.2")),
        (D, "2.0.0-rc.1", None, "auto", Some(MA), Some("rc"), Ok("2.0.0-rc.2")),
        (D, "1.4.1-rc.1", Some("1.4.0"), "auto", Some(MI), Some("rc"), Ok("1.5.0-rc.1")),
        (D, "1.4.1-rc.1", Some("1.4.0"), "auto", Some(PA), Some("rc"), Ok("1.4.1-rc.2")),
        (D, "2.0.0-beta.3", Some("1.4.0"), "auto", Some(MI), Some("rc"), Ok("2.0.0-rc.1")),
        (D, "2.0.0-rc.1", Some("1.4.0"), "auto", Some(MI), Some("alpha"), Err("ChannelGoesBackwards")),
        (D, "1.4.1-rc.1", Some("1.4.0"), "auto", Some(MI), Some("alpha"), Ok("1.5.0-alpha.1")),
        (Z, "1.4.1-rc.1", Some("1.4.0"), "auto", Some(MI), Some("beta"), Ok("1.5.0-beta.0")),
        (Z, "2.0.0-beta.3", Some("1.4.0"), "auto", Some(MA), Some("rc"), Ok("2.0.0-rc.0")),
        (D, "0.5.0-beta.1", Some("0.4.0"), "auto", Some(MA), Some("beta"), Ok("0.5.0-beta.2")),
        (N, "0.5.0-beta.1", Some("0.4.0"), "auto", Some(MA), Some("beta"), Ok("1.0.0-beta.1")),
        (D, "1.0.0-alpha", Some("0.9.0"), "auto", Some(PA), Some("alpha"), Ok("1.0.0-alpha.1")),
        (D, "1.0.0-alpha.beta", None, "auto", Some(PA), Some("alpha"), Err("NotIncreasing")),
        (D, "1.0.0-0", Some("0.9.0"), "auto", Some(MI), Some("rc"), Ok("1.0.0-rc.1")),

        // invalid --pre identifiers
        (D, "1.2.3", None, "minor", None, Some(""), Err("InvalidIdentifier")),
        (D, "1.2.3", None, "minor", None, Some("123"), Err("InvalidIdentifier")),
        (D, "1.2.3", None, "prerelease", None, Some("beta.1"), Err("InvalidIdentifier")),
        (D, "1.2.3", None, "auto", Some(MI), Some("be_ta"), Err("InvalidIdentifier")),
        (D, "1.2.3", None, "minor", None, Some("rc "), Err("InvalidIdentifier")),
        (D, "1.2.3", None, "minor", None, Some("β"), Err("InvalidIdentifier")),

        // inconsistent last stable from the caller
        (D, "1.4.0", Some("1.5.0"), "auto", Some(PA), None, Err("InvalidLastStable")),
        (D, "2.0.0-rc.2", Some("2.0.0-rc.1"), "auto", Some(PA), None, Err("InvalidLastStable")),
        (D, "2.0.0-rc.1", Some("2.0.0"), "auto", Some(PA), None, Err("InvalidLastStable")),
    ];

    fn variant(e: &VersionError) -> &'static str {
        match e {
            VersionError::NothingToRelease => "NothingToRelease",
            VersionError::NotGreater { .. } => "NotGreater",
            VersionError::NotAPrerelease { .. } => "NotAPrerelease",
            VersionError::PrereleaseNeedsIdentifier { .. } => "PrereleaseNeedsIdentifier",
            VersionError::ChannelGoesBackwards { .. } => "ChannelGoesBackwards",
            VersionError::InvalidIdentifier { .. } => "InvalidIdentifier",
            VersionError::NotIncreasing { .. } => "NotIncreasing",
            VersionError::PreNotAllowed { .. } => "PreNotAllowed",
            VersionError::InvalidLastStable { .. } => "InvalidLastStable",
            VersionError::Overflow { .. } => "Overflow",
        }
    }

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or_else(|e| panic!("bad version {s:?} in test: {e}"))
    }

    fn run(row: &Row) -> Result<Next, VersionError> {
        let (policy, current, last_stable, request, level, pre, _) = *row;
        let current = v(current);
        let last_stable = last_stable.map(v);
        let request: BumpRequest = request.parse().expect("request column parses");
        next_version(
            &BumpInput {
                current: &current,
                last_stable: last_stable.as_ref(),
                request: &request,
                commits_level: level,
                pre,
            },
            &policy,
        )
    }

    fn show(row: &Row) -> String {
        let (p, cur, ls, req, lvl, pre, _) = row;
        format!(
            "current={cur} last_stable={ls:?} bump={req} commits={lvl:?} pre={pre:?} start={} minor_below_1={}",
            p.prerelease_counter_start, p.breaking_bumps_minor_below_1
        )
    }

    #[test]
    fn table() {
        assert!(ROWS.len() >= 70);
        let mut failures = Vec::new();
        for row in ROWS {
            let got = run(row);
            let ok = match (&got, row.6) {
                (Ok(next), Ok(want)) => next.version == v(want) && next.version.to_string() == want,
                (Err(e), Err(want)) => variant(e) == want,
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{}\n    want {:?}\n    got  {:?}",
                    show(row),
                    row.6,
                    got.map(|n| n.version.to_string()).map_err(|e| variant(&e))
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} rows failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn results_always_sort_above_current_and_drop_build() {
        let currents = [
            "0.0.0",
            "0.1.0",
            "0.9.9+b",
            "1.2.3",
            "1.2.3+b.1",
            "2.0.0-rc.1",
            "2.0.0-beta.3+b",
            "1.4.1-rc.1",
            "1.3.0-alpha",
            "1.0.0-0",
            "1.0.0-alpha.beta",
            "1.0.0-x.1.y",
            "0.5.0-rc.1",
        ];
        let requests = [
            "auto",
            "patch",
            "minor",
            "major",
            "prerelease",
            "release",
            "3.0.0",
        ];
        let levels = [None, Some(PA), Some(MI), Some(MA)];
        let pres = [
            None,
            Some("0a"),
            Some("alpha"),
            Some("beta"),
            Some("rc"),
            Some("zeta"),
        ];
        let lasts = [
            None,
            Some("0.0.0"),
            Some("0.4.0"),
            Some("1.2.3"),
            Some("1.4.0"),
        ];
        let mut checked = 0;
        for policy in [D, Z, N] {
            for cur in currents {
                for last in lasts {
                    for req in requests {
                        for level in levels {
                            for pre in pres {
                                let row: Row = (policy, cur, last, req, level, pre, Ok(""));
                                let Ok(next) = run(&row) else { continue };
                                checked += 1;
                                assert_eq!(
                                    precedence(&next.version, &v(cur)),
                                    Ordering::Greater,
                                    "{}",
                                    show(&row)
                                );
                                if req != "3.0.0" {
                                    assert!(next.version.build.is_empty(), "{}", show(&row));
                                }
                                if let Some(pre) = pre {
                                    assert!(
                                        next.version.pre.as_str().starts_with(pre),
                                        "{}",
                                        show(&row)
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "only {checked} successful combinations");
    }

    #[test]
    fn never_reaches_1_0_0_by_itself() {
        for cur in ["0.1.0", "0.9.9", "0.99.0-rc.1", "0.0.1"] {
            for pre in [None, Some("rc")] {
                let row: Row = (D, cur, Some("0.0.0"), "auto", Some(MA), pre, Ok(""));
                let next = run(&row).expect("auto with a breaking change succeeds");
                assert_eq!(next.version.major, 0, "{}", show(&row));
            }
        }
    }

    #[test]
    fn semver_spec_precedence_example() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        let stable = ["1.0.0", "2.0.0", "2.1.0", "2.1.1"];
        for chain in [&chain[..], &stable[..]] {
            for pair in chain.windows(2) {
                let (a, b) = (v(pair[0]), v(pair[1]));
                assert_eq!(precedence(&a, &b), Ordering::Less, "{a} < {b}");
                assert_eq!(precedence(&b, &a), Ordering::Greater, "{b} > {a}");
            }
        }
        // Build metadata carries no precedence.
        assert_eq!(precedence(&v("1.0.0+a"), &v("1.0.0+b")), Ordering::Equal);
        // The channel comparison uses the same identifier rules.
        let ids = ["0", "1", "11", "alpha", "beta", "rc"];
        for pair in ids.windows(2) {
            assert_eq!(cmp_identifier(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
        assert_eq!(cmp_identifier("2", "11"), Ordering::Less);
        assert_eq!(cmp_identifier("RC", "rc"), Ordering::Less);
        assert_eq!(cmp_identifier("rc", "rc"), Ordering::Equal);
    }

    #[test]
    fn parse_bump_request() {
        type ParseRow = (&'static str, Result<BumpRequest, &'static str>);
        let rows: &[ParseRow] = &[
            ("auto", Ok(BumpRequest::Auto)),
            ("patch", Ok(BumpRequest::Patch)),
            ("minor", Ok(BumpRequest::Minor)),
            ("major", Ok(BumpRequest::Major)),
            ("prerelease", Ok(BumpRequest::Prerelease)),
            ("release", Ok(BumpRequest::Release)),
            ("1.2.3", Ok(BumpRequest::Exact(v("1.2.3")))),
            ("v1.2.3", Ok(BumpRequest::Exact(v("1.2.3")))),
            ("0.0.0", Ok(BumpRequest::Exact(v("0.0.0")))),
            ("2.0.0-rc.1", Ok(BumpRequest::Exact(v("2.0.0-rc.1")))),
            (
                "v2.0.0-rc.1+build.5",
                Ok(BumpRequest::Exact(v("2.0.0-rc.1+build.5"))),
            ),
            ("", Err("Unknown")),
            ("v", Err("Unknown")),
            ("vv1.2.3", Err("Unknown")),
            ("V1.2.3", Err("Unknown")),
            ("Auto", Err("Unknown")),
            ("pre", Err("Unknown")),
            (" patch", Err("Unknown")),
            ("patch ", Err("Unknown")),
            ("=1.2.3", Err("Unknown")),
            ("1.2", Err("BadVersion")),
            ("v1.2", Err("BadVersion")),
            ("1.2.3.4", Err("BadVersion")),
            ("01.2.3", Err("BadVersion")),
            ("1.2.3-", Err("BadVersion")),
            ("1.2.3-rc.01", Err("BadVersion")),
            ("1.2.3 ", Err("BadVersion")),
        ];
        for (input, want) in rows {
            let got = input.parse::<BumpRequest>();
            match (&got, want) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{input:?}"),
                (Err(ParseBumpError::Unknown { input: i }), Err("Unknown"))
                | (Err(ParseBumpError::BadVersion { input: i, .. }), Err("BadVersion")) => {
                    assert_eq!(i, input)
                }
                _ => panic!("{input:?}: want {want:?}, got {got:?}"),
            }
        }
        for keyword in [
            "auto",
            "patch",
            "minor",
            "major",
            "prerelease",
            "release",
            "2.0.0-rc.1",
        ] {
            let parsed: BumpRequest = keyword.parse().expect("keyword parses");
            assert_eq!(parsed.to_string(), keyword, "Display round-trips");
        }
    }

    #[test]
    fn parse_error_messages_list_the_accepted_values() {
        let unknown = "bogus".parse::<BumpRequest>().unwrap_err().to_string();
        assert_eq!(
            unknown,
            "`bogus` is not a bump; use auto, patch, minor, major, prerelease, release, or a version such as `1.2.3` or `v2.0.0-rc.1`"
        );
        let bad = "1.2".parse::<BumpRequest>().unwrap_err().to_string();
        assert!(bad.starts_with("`1.2` is not a valid version ("), "{bad}");
        assert!(
            bad.contains("auto, patch, minor, major, prerelease, release"),
            "{bad}"
        );
    }

    #[test]
    fn error_messages_are_sentences_with_a_fix() {
        let err = |cur: &'static str, req: &'static str, pre: Option<&'static str>| {
            run(&(D, cur, None, req, Some(MI), pre, Ok("")))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("1.4.0", "1.2.3", None),
            "`1.2.3` is not greater than the current version `1.4.0`; name a higher version"
        );
        assert_eq!(
            err("1.2.3", "release", None),
            "`1.2.3` is not a prerelease, so `--bump release` has nothing to promote; use `--bump patch`, `minor` or `major` instead"
        );
        assert_eq!(
            err("1.2.3", "prerelease", None),
            "`1.2.3` is not a prerelease, so `--bump prerelease` needs `--pre <identifier>` to start one, e.g. `--pre rc`"
        );
        assert_eq!(
            err("1.3.0-rc.1", "prerelease", Some("alpha")),
            "moving `1.3.0-rc.1` from the `rc` channel to `alpha` would go backwards, because `alpha` sorts before `rc`; use `--pre rc` or a channel that sorts after it, or bump the level too (e.g. `--bump minor --pre alpha`)"
        );
        assert_eq!(
            err("1.2.3", "minor", Some("1")),
            "`1` is not a valid prerelease identifier; use ASCII letters, digits and hyphens with at least one letter or hyphen, such as `alpha`, `beta` or `rc`"
        );
        assert_eq!(
            err("1.0.0-alpha.beta", "prerelease", Some("alpha")),
            "the next prerelease after `1.0.0-alpha.beta` would be `1.0.0-alpha.1`, which does not sort higher; name the version explicitly with `--bump <version>`"
        );
        assert_eq!(
            err("1.4.0", "2.0.0", Some("rc")),
            "`--pre rc` cannot be combined with `--bump 2.0.0`; drop `--pre` (an explicit version can carry its own prerelease, e.g. `--bump 2.0.0-rc.1`)"
        );
        assert_eq!(
            err("18446744073709551615.0.0", "major", None),
            "the version after `18446744073709551615.0.0` does not fit: a version number would exceed 18446744073709551615; name the version explicitly with `--bump <version>`"
        );
        assert_eq!(
            run(&(D, "1.2.3", None, "auto", None, None, Ok("")))
                .unwrap_err()
                .to_string(),
            "there is nothing to release: no commit since the last release asks for a version bump; pass `--bump patch` (or another level) to release anyway"
        );
        assert_eq!(
            run(&(D, "1.4.0", Some("1.5.0"), "auto", Some(PA), None, Ok("")))
                .unwrap_err()
                .to_string(),
            "the last stable release `1.5.0` must be a stable version no higher than the current version `1.4.0`; check the release tags"
        );
    }

    #[test]
    fn reasons() {
        let reason = |row: Row| run(&row).expect("row succeeds").reason;
        let s = |x: &str| Some(x.to_owned());
        let cases: &[(Row, Reason, &str)] = &[
            (
                (D, "1.2.3", None, "auto", Some(MI), None, Ok("")),
                Reason::Commits {
                    level: MI,
                    channel: None,
                },
                "The commits since the last release ask for a minor bump.",
            ),
            (
                (D, "1.2.3", None, "auto", Some(MA), Some("rc"), Ok("")),
                Reason::Commits {
                    level: MA,
                    channel: s("rc"),
                },
                "The commits since the last release ask for a major bump, as a prerelease on the `rc` channel.",
            ),
            (
                (D, "0.4.2", None, "auto", Some(MA), None, Ok("")),
                Reason::MajorZero { channel: None },
                "The commits contain a breaking change, which bumps the minor version while the major version is 0.",
            ),
            (
                (D, "1.2.3", None, "major", None, None, Ok("")),
                Reason::Requested {
                    level: MA,
                    channel: None,
                },
                "A major bump was requested.",
            ),
            (
                (D, "1.2.3", None, "minor", None, Some("beta"), Ok("")),
                Reason::Requested {
                    level: MI,
                    channel: s("beta"),
                },
                "A minor bump was requested, as a prerelease on the `beta` channel.",
            ),
            (
                (D, "1.2.3", None, "2.0.0", None, None, Ok("")),
                Reason::Explicit,
                "The version was named explicitly.",
            ),
            (
                (D, "1.2.3", None, "prerelease", None, Some("rc"), Ok("")),
                Reason::StartPrerelease {
                    channel: "rc".into(),
                },
                "A prerelease of the next patch version starts on the `rc` channel.",
            ),
            (
                (D, "1.3.0-beta.1", None, "prerelease", None, None, Ok("")),
                Reason::ContinuePrerelease { channel: s("beta") },
                "The `beta` prerelease continues.",
            ),
            (
                (
                    D,
                    "2.0.0-rc.1",
                    Some("1.4.0"),
                    "auto",
                    Some(MI),
                    Some("rc"),
                    Ok(""),
                ),
                Reason::ContinuePrerelease { channel: s("rc") },
                "The `rc` prerelease continues.",
            ),
            (
                (D, "1.0.0-0", None, "prerelease", None, None, Ok("")),
                Reason::ContinuePrerelease { channel: None },
                "The prerelease continues.",
            ),
            (
                (
                    D,
                    "2.0.0-beta.3",
                    Some("1.4.0"),
                    "auto",
                    Some(MI),
                    Some("rc"),
                    Ok(""),
                ),
                Reason::ChannelSwitch {
                    from: "beta".into(),
                    to: "rc".into(),
                },
                "The prerelease moves up from the `beta` channel to the `rc` channel.",
            ),
            (
                (D, "2.0.0-rc.3", None, "release", None, None, Ok("")),
                Reason::Promote,
                "The prerelease is promoted to its stable version.",
            ),
            (
                (
                    D,
                    "2.0.0-rc.1",
                    Some("1.4.0"),
                    "auto",
                    Some(MI),
                    None,
                    Ok(""),
                ),
                Reason::Promote,
                "The prerelease is promoted to its stable version.",
            ),
        ];
        for (row, want, text) in cases {
            let got = reason(*row);
            assert_eq!(&got, want, "{}", show(row));
            assert_eq!(got.to_string(), *text);
        }
    }

    #[test]
    fn policy_defaults() {
        assert_eq!(VersionPolicy::default(), D);
        assert!(PA < MI && MI < MA);
    }

    #[test]
    fn increment_digits_carries() {
        assert_eq!(increment_digits("0"), "1");
        assert_eq!(increment_digits("9"), "10");
        assert_eq!(increment_digits("199"), "200");
        assert_eq!(
            increment_digits("18446744073709551615"),
            "18446744073709551616"
        );
    }

    /// One case for npm: `new SemVer(current).inc(op, id, base)`, or `None` when
    /// the row is not an npm operation or is a documented divergence.
    fn npm_case(
        row: &Row,
        ours: &Result<Next, VersionError>,
    ) -> Option<(String, String, Option<String>, String)> {
        let (policy, current, _, request, _, pre, _) = *row;
        let base = match policy.prerelease_counter_start {
            0 => "0",
            1 => "1",
            // npm only knows identifierBase 0 and 1.
            _ => return None,
        };
        // npm keeps numbers of Number.MAX_SAFE_INTEGER and above as text, so it does not count them up.
        if current
            .split(['-', '.', '+'])
            .any(|p| is_numeric(p) && cmp_identifier(p, "9007199254740991") != Ordering::Less)
        {
            return None;
        }
        let op = match (request, pre) {
            ("patch" | "minor" | "major", None) => request.to_owned(),
            ("patch" | "minor" | "major", Some(_)) => format!("pre{request}"),
            ("prerelease", _) => "prerelease".to_owned(),
            ("release", None) => "release".to_owned(),
            _ => return None,
        };
        match ours {
            // Where we refuse on purpose: lower channels and resets that sort lower
            // (npm goes backwards), `prerelease` on a stable version without `--pre`
            // (npm makes `X.Y.Z+1-0`), and identifiers npm also accepts (numeric, dotted).
            Err(
                VersionError::ChannelGoesBackwards { .. }
                | VersionError::NotIncreasing { .. }
                | VersionError::PrereleaseNeedsIdentifier { .. }
                | VersionError::InvalidIdentifier { .. }
                | VersionError::Overflow { .. },
            ) => None,
            _ => Some((
                current.to_owned(),
                op,
                pre.map(str::to_owned),
                base.to_owned(),
            )),
        }
    }

    fn json_str(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    const NPM_SCRIPT: &str = r#"
const path = require('path');
const SemVer = require(path.join(process.argv[1], 'node_modules', 'semver', 'classes', 'semver'));
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  for (const [version, op, id, base] of JSON.parse(input)) {
    let out;
    try { out = new SemVer(version).inc(op, id === null ? undefined : id, base).version; }
    catch (e) { out = 'null'; }
    console.log(out);
  }
});
"#;

    /// Ignored where npm's semver is missing (see `build.rs`); in CI it must run.
    #[test]
    #[cfg_attr(
        relcut_missing_npm_semver,
        ignore = "needs node and npm's semver: run `.ci/setup-npm-semver.sh DIR` and set RELCUT_NPM_SEMVER=DIR"
    )]
    fn agrees_with_npm_semver() {
        use std::io::Write;
        use std::process::{Command, Stdio};

        let dir = std::env::var_os("RELCUT_NPM_SEMVER").unwrap_or_else(|| {
            panic!(
                "RELCUT_NPM_SEMVER is not set: run `.ci/setup-npm-semver.sh DIR` and set RELCUT_NPM_SEMVER=DIR so the npm cross-check runs"
            )
        });
        let dir = std::path::PathBuf::from(dir);
        assert!(
            dir.join("node_modules/semver/classes/semver.js").is_file(),
            "RELCUT_NPM_SEMVER={} has no node_modules/semver; run `.ci/setup-npm-semver.sh {}`",
            dir.display(),
            dir.display()
        );

        let mut compared = Vec::new();
        for row in ROWS {
            let ours = run(row);
            if let Some(case) = npm_case(row, &ours) {
                compared.push((row, ours, case));
            }
        }
        let json = format!(
            "[{}]",
            compared
                .iter()
                .map(|(_, _, (version, op, id, base))| format!(
                    "[{},{},{},{}]",
                    json_str(version),
                    json_str(op),
                    id.as_deref().map_or("null".to_owned(), json_str),
                    json_str(base)
                ))
                .collect::<Vec<_>>()
                .join(",")
        );

        let mut child = Command::new("node")
            .arg("-e")
            .arg(NPM_SCRIPT)
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("`node` runs (it is needed for the npm cross-check)");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(json.as_bytes())
            .expect("cases are written to node");
        let output = child.wait_with_output().expect("node finishes");
        assert!(
            output.status.success(),
            "node failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).expect("node prints UTF-8");
        let answers: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            answers.len(),
            compared.len(),
            "one answer per case from node"
        );

        let mut mismatches = Vec::new();
        for ((row, ours, case), npm) in compared.iter().zip(&answers) {
            let ours = match ours {
                Ok(next) => next.version.to_string(),
                // npm signals its errors (`release` on a stable version) as null.
                Err(VersionError::NotAPrerelease { .. }) => "null".to_owned(),
                Err(e) => format!("error {}", variant(e)),
            };
            if ours != *npm {
                mismatches.push(format!(
                    "{}\n    npm inc{case:?} = {npm}, ours = {ours}",
                    show(row)
                ));
            }
        }
        assert!(
            mismatches.is_empty(),
            "{} of {} cases differ from npm semver:\n{}",
            mismatches.len(),
            compared.len(),
            mismatches.join("\n")
        );
        assert!(
            compared.len() >= 50,
            "only {} rows reached npm",
            compared.len()
        );
        eprintln!("npm semver agrees on {} cases", compared.len());
    }
}

#[cfg(test)]
mod property_tests {
    //! Properties of the version arithmetic over generated versions and sequences of bumps.

    use super::*;
    use proptest::prelude::*;

    fn version() -> impl Strategy<Value = Version> {
        (
            0u64..30,
            0u64..30,
            0u64..30,
            prop::option::of(("alpha|beta|rc", 0u64..9)),
        )
            .prop_map(|(major, minor, patch, pre)| {
                let text = match pre {
                    Some((channel, number)) => {
                        format!("{major}.{minor}.{patch}-{channel}.{number}")
                    }
                    None => format!("{major}.{minor}.{patch}"),
                };
                Version::parse(&text).unwrap()
            })
    }

    fn level() -> impl Strategy<Value = Level> {
        prop_oneof![Just(Level::Patch), Just(Level::Minor), Just(Level::Major)]
    }

    fn request() -> impl Strategy<Value = (BumpRequest, Option<Level>, Option<&'static str>)> {
        let pre = prop::option::of(prop_oneof![Just("alpha"), Just("beta"), Just("rc")]);
        (
            prop_oneof![
                Just(BumpRequest::Auto),
                Just(BumpRequest::Patch),
                Just(BumpRequest::Minor),
                Just(BumpRequest::Major),
                Just(BumpRequest::Prerelease),
                Just(BumpRequest::Release),
            ],
            prop::option::of(level()),
            pre,
        )
    }

    fn policy() -> impl Strategy<Value = VersionPolicy> {
        (0u64..2, any::<bool>()).prop_map(|(start, minor_below_1)| VersionPolicy {
            prerelease_counter_start: start,
            breaking_bumps_minor_below_1: minor_below_1,
        })
    }

    fn bump(
        current: &Version,
        (request, level, pre): &(BumpRequest, Option<Level>, Option<&'static str>),
        policy: &VersionPolicy,
    ) -> Result<Next, VersionError> {
        next_version(
            &BumpInput {
                current,
                last_stable: None,
                request,
                commits_level: *level,
                pre: *pre,
            },
            policy,
        )
    }

    /// The properties below hold only where a bump succeeds; most generated bumps must, or they
    /// would test nothing.
    #[test]
    fn most_generated_bumps_succeed() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = (version(), request(), policy());
        let mut succeeded = 0;
        for _ in 0..400 {
            let (current, request, policy) = strategy.new_tree(&mut runner).unwrap().current();
            succeeded += usize::from(bump(&current, &request, &policy).is_ok());
        }
        assert!(succeeded > 200, "{succeeded} of 400 bumps succeeded");
    }

    proptest! {
        #[test]
        fn the_next_version_is_always_greater(
            current in version(),
            request in request(),
            policy in policy(),
        ) {
            if let Ok(next) = bump(&current, &request, &policy) {
                prop_assert_eq!(
                    precedence(&next.version, &current),
                    Ordering::Greater,
                    "{} after {} ({:?})", next.version, current, request
                );
            }
        }

        #[test]
        fn releasing_a_prerelease_gives_its_base(current in version(), policy in policy()) {
            prop_assume!(!current.pre.is_empty());
            let next = bump(&current, &(BumpRequest::Release, None, None), &policy).unwrap();
            let base = Version::new(current.major, current.minor, current.patch);
            prop_assert_eq!(next.version, base);
        }

        #[test]
        fn a_sequence_of_bumps_sorts_in_the_order_it_was_made(
            start in version(),
            requests in prop::collection::vec(request(), 1..25),
            policy in policy(),
        ) {
            let mut made = vec![start];
            for request in &requests {
                let current = made.last().unwrap().clone();
                if let Ok(next) = bump(&current, request, &policy) {
                    made.push(next.version);
                }
            }
            let mut sorted = made.clone();
            sorted.sort_by(precedence);
            prop_assert_eq!(sorted, made);
        }
    }
}
