//! Conversion between SemVer 2.0.0 versions and PEP 440 versions.
//!
//! relcut computes SemVer versions, but Python project files (`[project] version` and
//! `[tool.poetry] version` in `pyproject.toml`, and `uv.lock`) hold PEP 440 versions. This
//! module maps one onto the other, so relcut can write `1.3.0-rc.1` as `1.3.0rc1`, read
//! `1.3.0rc1` back, and compare a PEP 440 spelling with a SemVer one as the same version.
//! Everything here is pure: no I/O, no global state, and no input makes it panic.
//!
//! SemVer → PEP 440 ([`to_pep440`]):
//!
//! - A release `X.Y.Z` is written `X.Y.Z`.
//! - A prerelease `<channel>.<n>` or `<channel>` (no counter means 0) is written by channel,
//!   matched case-insensitively: `alpha` or `a` → `aN`; `beta` or `b` → `bN`; `rc`, `c`,
//!   `pre` or `preview` → `rcN`; `dev` → `.devN` (`1.3.0-dev.2` → `1.3.0.dev2`).
//! - Any other prerelease (another channel such as `next`, more identifiers such as
//!   `rc.1.2`, a counter that is not a number such as `alpha.beta`) has no PEP 440 form and
//!   is an error.
//! - Build metadata `+a.b-c` becomes the local version `+a.b.c`: `-` becomes `.`, letters
//!   are lowercased and numeric parts lose their leading zeros, as PEP 440 normalises them.
//!   Build metadata with an empty part after that (`+a--b`) is an error.
//! - The result is already in normalised PEP 440 form.
//!
//! PEP 440 → SemVer ([`to_semver`]) reads every spelling PEP 440 normalisation accepts
//! (surrounding whitespace, a leading `v`, any letter case, `alpha`/`a`, `beta`/`b`,
//! `c`/`rc`/`pre`/`preview`, separators `.`, `-`, `_` or none around pre, post and dev parts,
//! an implicit number 0, leading zeros in numbers, `-` and `_` in local versions):
//!
//! - `aN` → `-alpha.N`, `bN` → `-beta.N`, `rcN` → `-rc.N`, `.devN` → `-dev.N`.
//! - A release of one or two numbers is padded with zeros (`1.2` → `1.2.0`), because
//!   PEP 440 compares them equal; four or more numbers are an error.
//! - The epoch `0!` is dropped; any other epoch is an error.
//! - Post-releases (`.post1`, `-1`, `rev1`, `r1`) are an error.
//! - A prerelease combined with a dev release (`1.0a1.dev2`) is an error.
//! - The local version `+abc.5` becomes build metadata `+abc.5`.
//! - Anything that is not PEP 440 (`1.2.x`) is an error.
//!
//! [`normalize`] accepts exactly what Python's `packaging.version.Version` accepts and prints
//! what `str(Version(text))` prints, including epochs, post-releases and long releases that
//! have no SemVer form. One deliberate difference: `packaging` matches letters with a Unicode
//! case-insensitive regex, so it also takes a few non-ASCII letters (KELVIN SIGN `K`, LONG S
//! `ſ`, `ı`, `İ`) for ASCII ones; PEP 440 allows only ASCII letters, so those are rejected here.
//! Numbers are kept as text, so numbers of any length normalise (Python 3.11+ makes
//! `packaging` raise `ValueError` past 4300 digits instead).

use std::fmt;

use semver::{BuildMetadata, Prerelease, Version};

/// Why a version has no form on the other side, or does not parse.
///
/// The message is a lowercase clause with no trailing period, meant to be embedded by the
/// caller in a sentence that names the file and line, e.g. "`1.2.3-next.1` has no PEP 440
/// form: PEP 440 prereleases are alpha (a), beta (b), rc and dev; release on one of those
/// channels".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pep440Error {
    /// The clause itself, naming the offending version in backticks.
    pub message: String,
}

impl fmt::Display for Pep440Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Pep440Error {}

/// The prerelease channels that have a PEP 440 form, for error messages.
const CHANNELS: &str = "PEP 440 prereleases are alpha (a), beta (b), rc and dev";

/// The normalised PEP 440 form of a SemVer version.
///
/// Fails when the prerelease is not one of the channels PEP 440 has (see the module doc), or
/// when the build metadata has an empty part once `-` becomes `.`.
pub fn to_pep440(version: &Version) -> Result<String, Pep440Error> {
    let no_form = |why: String| Pep440Error {
        message: format!("`{version}` has no PEP 440 form: {why}"),
    };
    let mut out = format!("{}.{}.{}", version.major, version.minor, version.patch);

    if !version.pre.is_empty() {
        let mut identifiers = version.pre.as_str().split('.');
        let channel = identifiers.next().unwrap_or_default();
        let counter = identifiers.next();
        let Some(channel) = channel_of_semver(channel) else {
            return Err(no_form(format!(
                "{CHANNELS}; release on one of those channels"
            )));
        };
        if identifiers.next().is_some() {
            return Err(no_form(format!(
                "a PEP 440 prerelease is a channel and at most one number, like `rc.1`; {CHANNELS}"
            )));
        }
        // SemVer forbids leading zeros in numeric identifiers, so a numeric counter is
        // already in the canonical form PEP 440 prints.
        let number = match counter {
            None => "0",
            Some(counter) if is_digits(counter) => counter,
            Some(counter) => {
                return Err(no_form(format!(
                    "the prerelease counter `{counter}` is not a number; {CHANNELS}, each with a number, like `rc.1`"
                )));
            }
        };
        out.push_str(match channel {
            Channel::Alpha => "a",
            Channel::Beta => "b",
            Channel::Rc => "rc",
            Channel::Dev => ".dev",
        });
        out.push_str(number);
    }

    if !version.build.is_empty() {
        let mut parts = Vec::new();
        // PEP 440 local versions separate parts with `.`, and read `-` as `.`.
        for part in version.build.as_str().split(['.', '-']) {
            if part.is_empty() {
                return Err(no_form(format!(
                    "build metadata `{}` has an empty part once `-` becomes `.`, and PEP 440 local version parts cannot be empty",
                    version.build
                )));
            }
            parts.push(normalize_local_part(part));
        }
        out.push('+');
        out.push_str(&parts.join("."));
    }

    Ok(out)
}

/// Reads any valid PEP 440 version (normalising as PEP 440 / `packaging` does) as a SemVer
/// version.
///
/// Fails when `text` is not PEP 440, or when it is PEP 440 with no SemVer form: an epoch
/// other than `0!`, four or more release numbers, a post-release, a prerelease together with
/// a dev release, or a release number larger than SemVer's `u64`.
pub fn to_semver(text: &str) -> Result<Version, Pep440Error> {
    let parsed = parse(text).ok_or_else(|| not_pep440(text))?;
    let shown = text.trim_matches(is_python_space);
    let fail = |why: String| Pep440Error {
        message: format!("`{shown}` {why}"),
    };

    if parsed.epoch != "0" {
        return Err(fail(format!(
            "has epoch {}; SemVer has no epochs, so only epoch 0 converts",
            parsed.epoch
        )));
    }
    if parsed.release.len() > 3 {
        return Err(fail(format!(
            "has {} release numbers; SemVer has three",
            count_word(parsed.release.len())
        )));
    }
    if parsed.post.is_some() {
        return Err(fail(
            "is a post-release; post-releases have no SemVer form".to_owned(),
        ));
    }
    let pre = match (parsed.pre, parsed.dev) {
        (None, None) => String::new(),
        (Some((label, number)), None) => format!("{}.{number}", label.semver_channel()),
        (None, Some(number)) => format!("dev.{number}"),
        (Some(_), Some(_)) => {
            return Err(fail(
                "is a dev release of a prerelease; SemVer has no form for a prerelease and a dev release together"
                    .to_owned(),
            ));
        }
    };

    // PEP 440 compares `1.2` equal to `1.2.0`, so missing numbers are zeros.
    let mut numbers = [0u64; 3];
    for (slot, digits) in numbers.iter_mut().zip(&parsed.release) {
        *slot = digits.parse().map_err(|_| {
            fail(format!(
                "has release number {digits}, larger than SemVer's limit of {}",
                u64::MAX
            ))
        })?;
    }
    let [major, minor, patch] = numbers;

    // Both are built from ASCII alphanumerics with canonical numbers, which SemVer always
    // accepts; mapping the error anyway keeps this free of panics.
    let pre = Prerelease::new(&pre).map_err(|e| fail(format!("has no SemVer form: {e}")))?;
    let build = BuildMetadata::new(&parsed.local.join("."))
        .map_err(|e| fail(format!("has no SemVer form: {e}")))?;

    Ok(Version {
        major,
        minor,
        patch,
        pre,
        build,
    })
}

/// The normalised form of a PEP 440 version string (what
/// `str(packaging.version.Version(text))` prints), or an error when it is not valid PEP 440.
pub fn normalize(text: &str) -> Result<String, Pep440Error> {
    parse(text)
        .map(|parsed| parsed.render())
        .ok_or_else(|| not_pep440(text))
}

fn not_pep440(text: &str) -> Pep440Error {
    let shown = text.trim_matches(is_python_space);
    let message = if shown.is_empty() {
        "an empty version is not a PEP 440 version".to_owned()
    } else {
        format!("`{shown}` is not a PEP 440 version")
    };
    Pep440Error { message }
}

/// A SemVer prerelease channel that has a PEP 440 form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Alpha,
    Beta,
    Rc,
    Dev,
}

fn channel_of_semver(identifier: &str) -> Option<Channel> {
    match identifier.to_ascii_lowercase().as_str() {
        "alpha" | "a" => Some(Channel::Alpha),
        "beta" | "b" => Some(Channel::Beta),
        "rc" | "c" | "pre" | "preview" => Some(Channel::Rc),
        "dev" => Some(Channel::Dev),
        _ => None,
    }
}

/// A PEP 440 prerelease label after normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PreLabel {
    A,
    B,
    Rc,
}

impl PreLabel {
    fn pep440(self) -> &'static str {
        match self {
            PreLabel::A => "a",
            PreLabel::B => "b",
            PreLabel::Rc => "rc",
        }
    }

    fn semver_channel(self) -> &'static str {
        match self {
            PreLabel::A => "alpha",
            PreLabel::B => "beta",
            PreLabel::Rc => "rc",
        }
    }
}

// Longest spelling first, so `alpha` is not read as `a` followed by junk. No shorter
// spelling can succeed where a longer one that also matches fails, because what follows
// the shorter one would start with a letter no grammar rule allows there.
const PRE_LABELS: &[(&str, PreLabel)] = &[
    ("preview", PreLabel::Rc),
    ("alpha", PreLabel::A),
    ("beta", PreLabel::B),
    ("pre", PreLabel::Rc),
    ("rc", PreLabel::Rc),
    ("a", PreLabel::A),
    ("b", PreLabel::B),
    ("c", PreLabel::Rc),
];
const POST_LABELS: &[(&str, ())] = &[("post", ()), ("rev", ()), ("r", ())];
const DEV_LABELS: &[(&str, ())] = &[("dev", ())];

/// A valid PEP 440 version, with every number already in canonical form (no leading zeros)
/// so that rendering it gives the normalised string.
#[derive(Debug)]
struct Parsed<'a> {
    epoch: &'a str,
    release: Vec<&'a str>,
    pre: Option<(PreLabel, &'a str)>,
    post: Option<&'a str>,
    dev: Option<&'a str>,
    /// Empty when there is no local version.
    local: Vec<String>,
}

impl Parsed<'_> {
    /// The normalised form, laid out as `packaging`'s `Version.__str__` does.
    fn render(&self) -> String {
        let mut out = String::new();
        if self.epoch != "0" {
            out.push_str(self.epoch);
            out.push('!');
        }
        out.push_str(&self.release.join("."));
        if let Some((label, number)) = self.pre {
            out.push_str(label.pep440());
            out.push_str(number);
        }
        if let Some(number) = self.post {
            out.push_str(".post");
            out.push_str(number);
        }
        if let Some(number) = self.dev {
            out.push_str(".dev");
            out.push_str(number);
        }
        if !self.local.is_empty() {
            out.push('+');
            out.push_str(&self.local.join("."));
        }
        out
    }
}

/// Parses PEP 440's grammar as `packaging`'s `VERSION_PATTERN` states it:
///
/// ```text
/// v? (N!)? N(.N)* ([-_.]? pre-label [-_.]? N?)? (-N | [-_.]? post-label [-_.]? N?)?
///    ([-_.]? dev [-_.]? N?)? (+ [a-z0-9]+ ([-_.] [a-z0-9]+)*)?
/// ```
///
/// case-insensitively, with surrounding whitespace. Each optional part is tried greedily and
/// undone when its label is missing. Greedy is enough: a separator left dangling after a
/// label (`1.0a-`) is allowed by the grammar, and the only rule that needs a particular
/// separator, the post-release `-N`, would have had its digits taken as the prerelease
/// number, exactly as the regex's first match does.
fn parse(text: &str) -> Option<Parsed<'_>> {
    let text = text.trim_matches(is_python_space);
    let mut cursor = Cursor { text, pos: 0 };

    let _ = cursor.eat(b'v') || cursor.eat(b'V');
    let mut first = cursor.eat_digits()?;
    let mut epoch = "0";
    if cursor.eat(b'!') {
        epoch = canonical_number(first);
        first = cursor.eat_digits()?;
    }
    let mut release = vec![canonical_number(first)];
    // A `.` not followed by a digit belongs to the next part (`1.0.dev1`).
    while cursor.peek(0) == Some(b'.') && cursor.peek(1).is_some_and(|b| b.is_ascii_digit()) {
        cursor.pos += 1;
        release.push(canonical_number(cursor.eat_digits()?));
    }

    let start = cursor.pos;
    cursor.eat_separator();
    let pre = match cursor.eat_label(PRE_LABELS) {
        Some(label) => Some((label, cursor.eat_optional_number())),
        None => {
            cursor.pos = start;
            None
        }
    };

    let start = cursor.pos;
    let post = if cursor.peek(0) == Some(b'-') && cursor.peek(1).is_some_and(|b| b.is_ascii_digit())
    {
        // The implicit post-release spelling `1.0-1`.
        cursor.pos += 1;
        Some(canonical_number(cursor.eat_digits()?))
    } else {
        cursor.eat_separator();
        match cursor.eat_label(POST_LABELS) {
            Some(()) => Some(cursor.eat_optional_number()),
            None => {
                cursor.pos = start;
                None
            }
        }
    };

    let start = cursor.pos;
    cursor.eat_separator();
    let dev = match cursor.eat_label(DEV_LABELS) {
        Some(()) => Some(cursor.eat_optional_number()),
        None => {
            cursor.pos = start;
            None
        }
    };

    let mut local = Vec::new();
    if cursor.eat(b'+') {
        loop {
            local.push(normalize_local_part(cursor.eat_alphanumerics()?));
            if !cursor.eat_separator() {
                break;
            }
        }
    }

    (cursor.pos == text.len()).then_some(Parsed {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

/// A position in the text being parsed. It only ever moves past ASCII bytes, so it always
/// sits on a character boundary and slicing at it cannot panic.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos + ahead).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek(0) == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_separator(&mut self) -> bool {
        let found = matches!(self.peek(0), Some(b'.' | b'-' | b'_'));
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_while(&mut self, accept: impl Fn(u8) -> bool) -> Option<&'a str> {
        let start = self.pos;
        while self.peek(0).is_some_and(&accept) {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.text[start..self.pos])
    }

    fn eat_digits(&mut self) -> Option<&'a str> {
        self.eat_while(|b| b.is_ascii_digit())
    }

    fn eat_alphanumerics(&mut self) -> Option<&'a str> {
        self.eat_while(|b| b.is_ascii_alphanumeric())
    }

    /// After a pre, post or dev label: an optional separator, then an optional number,
    /// which is 0 when absent.
    fn eat_optional_number(&mut self) -> &'a str {
        self.eat_separator();
        self.eat_digits().map_or("0", canonical_number)
    }

    fn eat_label<T: Copy>(&mut self, labels: &[(&str, T)]) -> Option<T> {
        let rest = &self.text.as_bytes()[self.pos..];
        let (label, value) = labels.iter().find(|(label, _)| {
            rest.get(..label.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(label.as_bytes()))
        })?;
        self.pos += label.len();
        Some(*value)
    }
}

/// Python's `str.isspace`, which `\s` in `packaging`'s regex follows: Unicode whitespace
/// plus the ASCII separators U+001C to U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// A run of ASCII digits as Python's `str(int(digits))` prints it, without leading zeros.
/// Kept as text so numbers of any size normalise without overflow.
fn canonical_number(digits: &str) -> &str {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        // All zeros: keep the last one, which is "0".
        &digits[digits.len().saturating_sub(1)..]
    } else {
        trimmed
    }
}

/// One part of a local version as PEP 440 normalises it: numbers lose their leading zeros,
/// anything else is lowercased.
fn normalize_local_part(part: &str) -> String {
    if is_digits(part) {
        canonical_number(part).to_owned()
    } else {
        part.to_ascii_lowercase()
    }
}

fn count_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |word| (*word).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::io::Write;
    use std::process::{Command, Stdio};

    fn semver(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|e| panic!("bad test version {text}: {e}"))
    }

    /// SemVer input, then the PEP 440 output or a fragment of the error message.
    const TO_PEP440_ROWS: &[(&str, Result<&str, &str>)] = &[
        ("1.2.3", Ok("1.2.3")),
        ("0.0.0", Ok("0.0.0")),
        ("10.20.30", Ok("10.20.30")),
        ("18446744073709551615.0.0", Ok("18446744073709551615.0.0")),
        ("1.3.0-alpha.1", Ok("1.3.0a1")),
        ("1.3.0-alpha", Ok("1.3.0a0")),
        ("1.3.0-a.2", Ok("1.3.0a2")),
        ("1.3.0-a", Ok("1.3.0a0")),
        ("1.3.0-ALPHA.3", Ok("1.3.0a3")),
        ("1.3.0-Alpha.0", Ok("1.3.0a0")),
        ("1.3.0-beta.1", Ok("1.3.0b1")),
        ("1.3.0-beta", Ok("1.3.0b0")),
        ("1.3.0-b.4", Ok("1.3.0b4")),
        ("1.3.0-BeTa.5", Ok("1.3.0b5")),
        ("1.3.0-B", Ok("1.3.0b0")),
        ("1.3.0-rc.1", Ok("1.3.0rc1")),
        ("1.3.0-rc", Ok("1.3.0rc0")),
        ("1.3.0-RC.2", Ok("1.3.0rc2")),
        ("1.3.0-c.3", Ok("1.3.0rc3")),
        ("1.3.0-pre.4", Ok("1.3.0rc4")),
        ("1.3.0-preview.5", Ok("1.3.0rc5")),
        ("1.3.0-PREVIEW", Ok("1.3.0rc0")),
        ("1.3.0-Pre.10", Ok("1.3.0rc10")),
        ("1.3.0-dev.2", Ok("1.3.0.dev2")),
        ("1.3.0-dev", Ok("1.3.0.dev0")),
        ("1.3.0-DEV.7", Ok("1.3.0.dev7")),
        (
            "1.3.0-rc.99999999999999999999999",
            Ok("1.3.0rc99999999999999999999999"),
        ),
        ("1.2.3+build.5", Ok("1.2.3+build.5")),
        ("1.2.3+Build-05.X", Ok("1.2.3+build.5.x")),
        ("1.2.3+001", Ok("1.2.3+1")),
        ("1.2.3+0", Ok("1.2.3+0")),
        ("1.2.3+000.00a", Ok("1.2.3+0.00a")),
        ("1.2.3-rc.1+sha.abc123", Ok("1.2.3rc1+sha.abc123")),
        ("1.2.3-dev.1+a-b-c", Ok("1.2.3.dev1+a.b.c")),
        ("1.2.3-alpha+exp.sha.5114f85", Ok("1.2.3a0+exp.sha.5114f85")),
        ("1.2.3-next.1", Err("release on one of those channels")),
        (
            "1.2.3-next",
            Err("PEP 440 prereleases are alpha (a), beta (b), rc and dev"),
        ),
        ("1.2.3-alpha1", Err("release on one of those channels")),
        ("1.2.3-rc1", Err("release on one of those channels")),
        ("1.2.3-1", Err("release on one of those channels")),
        ("1.2.3-0", Err("release on one of those channels")),
        ("1.2.3-final", Err("release on one of those channels")),
        ("1.2.3-post.1", Err("release on one of those channels")),
        ("1.2.3-rc.1.2", Err("at most one number, like `rc.1`")),
        ("1.2.3-beta.1.dev.2", Err("at most one number")),
        (
            "1.2.3-alpha.beta",
            Err("the prerelease counter `beta` is not a number"),
        ),
        (
            "1.2.3-alpha.1a",
            Err("the prerelease counter `1a` is not a number"),
        ),
        (
            "1.2.3-dev.rc",
            Err("the prerelease counter `rc` is not a number"),
        ),
        ("1.2.3+a--b", Err("build metadata `a--b` has an empty part")),
        ("1.2.3+-x", Err("build metadata `-x` has an empty part")),
        ("1.2.3+x-", Err("build metadata `x-` has an empty part")),
    ];

    /// PEP 440 input, then the SemVer version or a fragment of the error message.
    const TO_SEMVER_ROWS: &[(&str, Result<&str, &str>)] = &[
        ("1.2.3", Ok("1.2.3")),
        ("1.2", Ok("1.2.0")),
        ("1", Ok("1.0.0")),
        ("01.02.03", Ok("1.2.3")),
        ("000", Ok("0.0.0")),
        (" 1.2.3 ", Ok("1.2.3")),
        ("\t1.2.3\n", Ok("1.2.3")),
        ("v1.2.3", Ok("1.2.3")),
        ("V1.2.3", Ok("1.2.3")),
        ("0!1.2.3", Ok("1.2.3")),
        ("00!1.2", Ok("1.2.0")),
        ("v0!1.0", Ok("1.0.0")),
        ("18446744073709551615.0.0", Ok("18446744073709551615.0.0")),
        ("1.3.0rc1", Ok("1.3.0-rc.1")),
        ("1.3.0RC1", Ok("1.3.0-rc.1")),
        ("1.3.0c1", Ok("1.3.0-rc.1")),
        ("1.3.0pre1", Ok("1.3.0-rc.1")),
        ("1.3.0preview1", Ok("1.3.0-rc.1")),
        ("1.3.0-rc-1", Ok("1.3.0-rc.1")),
        ("1.3.0_rc_1", Ok("1.3.0-rc.1")),
        ("1.3.0.rc.1", Ok("1.3.0-rc.1")),
        ("1.3.0rc", Ok("1.3.0-rc.0")),
        ("1.3.0-rc", Ok("1.3.0-rc.0")),
        ("1.3.0a1", Ok("1.3.0-alpha.1")),
        ("1.3.0alpha1", Ok("1.3.0-alpha.1")),
        ("1.3.0.alpha.2", Ok("1.3.0-alpha.2")),
        ("1.3.0A", Ok("1.3.0-alpha.0")),
        ("1.3.0a01", Ok("1.3.0-alpha.1")),
        ("1.3.0b2", Ok("1.3.0-beta.2")),
        ("1.3.0beta2", Ok("1.3.0-beta.2")),
        ("1.3.0-BETA_3", Ok("1.3.0-beta.3")),
        ("1.3.0.dev2", Ok("1.3.0-dev.2")),
        ("1.3.0dev2", Ok("1.3.0-dev.2")),
        ("1.3.0-dev", Ok("1.3.0-dev.0")),
        ("1.3.0_DEV_04", Ok("1.3.0-dev.4")),
        ("1.3a1", Ok("1.3.0-alpha.1")),
        ("1.2.3+abc.5", Ok("1.2.3+abc.5")),
        ("1.2.3+ABC-5_x", Ok("1.2.3+abc.5.x")),
        ("1.2.3+abc.05", Ok("1.2.3+abc.5")),
        ("1.3.0rc1+local", Ok("1.3.0-rc.1+local")),
        ("1.2.x", Err("`1.2.x` is not a PEP 440 version")),
        ("", Err("an empty version is not a PEP 440 version")),
        ("  ", Err("an empty version is not a PEP 440 version")),
        (" 1.2.x ", Err("`1.2.x` is not a PEP 440 version")),
        (
            "1.2.3-next.1",
            Err("`1.2.3-next.1` is not a PEP 440 version"),
        ),
        (
            "1.2.3.4",
            Err("`1.2.3.4` has four release numbers; SemVer has three"),
        ),
        (
            "1.2.3.4.5",
            Err("`1.2.3.4.5` has five release numbers; SemVer has three"),
        ),
        (
            "1!1.2.3",
            Err("`1!1.2.3` has epoch 1; SemVer has no epochs"),
        ),
        (
            "1.0.post1",
            Err("`1.0.post1` is a post-release; post-releases have no SemVer form"),
        ),
        ("1.0-1", Err("post-releases have no SemVer form")),
        ("1.0rev2", Err("post-releases have no SemVer form")),
        ("1.0r", Err("post-releases have no SemVer form")),
        ("1.0post", Err("post-releases have no SemVer form")),
        (
            "1.0a1.dev2",
            Err("`1.0a1.dev2` is a dev release of a prerelease"),
        ),
        ("1.0rc1-dev", Err("is a dev release of a prerelease")),
        (
            "99999999999999999999999.0.0",
            Err("has release number 99999999999999999999999, larger than SemVer's limit"),
        ),
        (
            "1.18446744073709551616.0",
            Err("larger than SemVer's limit"),
        ),
        ("1.2.3+", Err("`1.2.3+` is not a PEP 440 version")),
        ("1.2.3+a..b", Err("is not a PEP 440 version")),
        ("v", Err("`v` is not a PEP 440 version")),
        ("1.2.3 4", Err("is not a PEP 440 version")),
        ("1..2", Err("is not a PEP 440 version")),
        ("1.2.3-", Err("is not a PEP 440 version")),
    ];

    /// PEP 440 input, then what `str(packaging.version.Version(input))` prints, or `None`
    /// when `packaging` rejects it. Every row is also checked against `packaging` itself.
    const NORMALIZE_ROWS: &[(&str, Option<&str>)] = &[
        ("1.2.3", Some("1.2.3")),
        ("1.2", Some("1.2")),
        ("1.0.0.0.0", Some("1.0.0.0.0")),
        ("01.02.03", Some("1.2.3")),
        ("  v1.0  ", Some("1.0")),
        ("V1.0\n", Some("1.0")),
        ("0!2.0", Some("2.0")),
        ("1!2.0", Some("1!2.0")),
        ("0001!01.0", Some("1!1.0")),
        ("v1!2.0", Some("1!2.0")),
        ("1.0alpha", Some("1.0a0")),
        ("1.0ALPHA-3", Some("1.0a3")),
        ("1.0-beta.3", Some("1.0b3")),
        ("1.0C", Some("1.0rc0")),
        ("1.0_preview_2", Some("1.0rc2")),
        ("1.0.pre", Some("1.0rc0")),
        ("1.0a-", Some("1.0a0")),
        ("1.0a..post1", Some("1.0a0.post1")),
        ("1.0post.", Some("1.0.post0")),
        ("1.0-dev-", Some("1.0.dev0")),
        ("1.0.post1", Some("1.0.post1")),
        ("1.0-1", Some("1.0.post1")),
        ("1.0_post_1", Some("1.0.post1")),
        ("1.0rev", Some("1.0.post0")),
        ("1.0R1", Some("1.0.post1")),
        ("1.0-r-1", Some("1.0.post1")),
        ("1.0a1-1", Some("1.0a1.post1")),
        ("1.0a-1-1", Some("1.0a1.post1")),
        ("1.0.post-1", Some("1.0.post1")),
        ("1.0a1.dev2", Some("1.0a1.dev2")),
        ("1.0.post1.dev2", Some("1.0.post1.dev2")),
        ("1.0a1.post2.dev3", Some("1.0a1.post2.dev3")),
        ("1!1.0b2.post3.dev4+x.5", Some("1!1.0b2.post3.dev4+x.5")),
        ("v1.0+ABC.007", Some("1.0+abc.7")),
        ("1.0+0", Some("1.0+0")),
        ("1.0+00a", Some("1.0+00a")),
        ("1.0+a-b_c.d", Some("1.0+a.b.c.d")),
        ("\u{1c}1.0\u{1f}", Some("1.0")),
        ("\u{3000}1.0\u{2029}", Some("1.0")),
        ("\u{a0}v1", Some("1")),
        (
            "99999999999999999999999.0.0",
            Some("99999999999999999999999.0.0"),
        ),
        (
            "1.0a099999999999999999999999",
            Some("1.0a99999999999999999999999"),
        ),
        ("1.0+a..b", None),
        ("1.0+", None),
        ("1.0+a-", None),
        ("1.0+-a", None),
        ("1.0.", None),
        ("1.0..a1", None),
        ("1.0a1a2", None),
        ("1.0dev1a1", None),
        ("1.0post1a1", None),
        ("1.0.dev1.post1", None),
        ("1!", None),
        ("!1.0", None),
        ("1.0!", None),
        ("vv1.0", None),
        ("v 1.0", None),
        ("1.0 a1", None),
        ("1.0-", None),
        ("1.0_", None),
        ("1.0-+a", None),
        ("1.0final", None),
        ("1.0-next.1", None),
        ("1.2.x", None),
        (".1", None),
        ("-1.0", None),
        ("1.0+a+b", None),
        ("\u{661}.0", None),
        ("", None),
    ];

    /// Inputs `packaging` accepts only because its regex folds a few non-ASCII letters to
    /// ASCII ones; PEP 440 allows only ASCII letters, so these are rejected here on purpose.
    const STRICTER_THAN_PACKAGING: &[&str] = &[
        "1.0+\u{212a}",     // KELVIN SIGN, packaging prints `1.0+k`
        "1.0po\u{17f}t1",   // LONG S, packaging prints `1.0.post1`
        "1.0+\u{131}",      // dotless i, packaging prints it unchanged
        "1.0+\u{130}",      // dotted I, packaging prints `i` + combining dot
        "1.0prev\u{131}ew", // packaging prints `1.0prevıew0`
    ];

    #[test]
    fn to_pep440_table() {
        assert!(TO_PEP440_ROWS.len() >= 40);
        for (input, expected) in TO_PEP440_ROWS {
            let got = to_pep440(&semver(input));
            match (expected, &got) {
                (Ok(want), Ok(got)) => assert_eq!(got, want, "to_pep440({input})"),
                (Err(fragment), Err(error)) => {
                    assert!(
                        error
                            .message
                            .starts_with(&format!("`{input}` has no PEP 440 form: ")),
                        "to_pep440({input}): {error}"
                    );
                    assert!(
                        error.message.contains(fragment),
                        "to_pep440({input}): {error:?} lacks {fragment:?}"
                    );
                }
                _ => panic!("to_pep440({input}) = {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn to_pep440_error_names_channels() {
        let error = to_pep440(&semver("1.2.3-next.1")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`1.2.3-next.1` has no PEP 440 form: PEP 440 prereleases are alpha (a), beta (b), rc and dev; release on one of those channels"
        );
        for (input, expected) in TO_PEP440_ROWS {
            if let Err(fragment) = expected {
                let error = to_pep440(&semver(input)).unwrap_err();
                if fragment.contains("build metadata") {
                    continue;
                }
                assert!(error.message.contains("alpha (a), beta (b), rc"), "{error}");
            }
        }
    }

    #[test]
    fn to_semver_table() {
        assert!(TO_SEMVER_ROWS.len() >= 40);
        for (input, expected) in TO_SEMVER_ROWS {
            let got = to_semver(input);
            match (expected, &got) {
                (Ok(want), Ok(got)) => {
                    assert_eq!(got, &semver(want), "to_semver({input:?})");
                    // The build metadata takes part in `==`, but check the text too.
                    assert_eq!(got.to_string(), *want, "to_semver({input:?})");
                }
                (Err(fragment), Err(error)) => assert!(
                    error.message.contains(fragment),
                    "to_semver({input:?}): {error:?} lacks {fragment:?}"
                ),
                _ => panic!("to_semver({input:?}) = {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn normalize_table() {
        assert!(NORMALIZE_ROWS.len() >= 40);
        for (input, expected) in NORMALIZE_ROWS {
            let got = normalize(input);
            match (expected, &got) {
                (Some(want), Ok(got)) => assert_eq!(got, want, "normalize({input:?})"),
                (None, Err(error)) => {
                    assert!(
                        error.message.ends_with("is not a PEP 440 version"),
                        "{error}"
                    )
                }
                _ => panic!("normalize({input:?}) = {got:?}, expected {expected:?}"),
            }
        }
        for input in STRICTER_THAN_PACKAGING {
            assert!(normalize(input).is_err(), "normalize({input:?})");
        }
    }

    #[test]
    fn error_messages_are_clauses() {
        let inputs = TO_SEMVER_ROWS.iter().map(|(input, _)| *input);
        let errors = inputs.filter_map(|input| to_semver(input).err()).chain(
            TO_PEP440_ROWS
                .iter()
                .filter_map(|(input, _)| to_pep440(&semver(input)).err()),
        );
        for error in errors {
            let first = error.message.chars().next().unwrap();
            assert!(first == '`' || first.is_lowercase(), "{error}");
            assert!(!error.message.ends_with('.'), "{error}");
            assert!(!error.message.contains('\n'), "{error}");
        }
    }

    #[test]
    fn semver_round_trips_through_pep440() {
        for release in ["0.0.0", "1.2.3", "10.0.7", "18446744073709551615.1.0"] {
            for channel in ["", "alpha", "beta", "rc", "dev"] {
                for number in ["0", "1", "2", "10", "999"] {
                    for build in ["", "+build.5", "+sha.abc123"] {
                        let text = if channel.is_empty() {
                            format!("{release}{build}")
                        } else {
                            format!("{release}-{channel}.{number}{build}")
                        };
                        let version = semver(&text);
                        let pep440 = to_pep440(&version).unwrap();
                        assert_eq!(to_semver(&pep440), Ok(version), "{text} via {pep440}");
                    }
                }
            }
        }
    }

    #[test]
    fn canonical_pep440_round_trips_through_semver() {
        for text in [
            "1.2.3",
            "1.2.3a1",
            "1.2.3b0",
            "1.2.3rc12",
            "1.2.3.dev4",
            "1.2.3+abc.5",
            "1.2.3rc1+x.y",
        ] {
            assert_eq!(to_pep440(&to_semver(text).unwrap()).unwrap(), text);
        }
    }

    #[test]
    fn pep440_and_semver_spellings_compare_equal() {
        assert_eq!(to_semver("1.3.0rc1"), Ok(semver("1.3.0-rc.1")));
        assert_eq!(to_semver("v1.3-RC_1"), Ok(semver("1.3.0-rc.1")));
        assert_eq!(to_semver("1.3.0.dev2"), Ok(semver("1.3.0-dev.2")));
    }

    #[test]
    fn never_panics() {
        let long_digits = "9".repeat(10_000);
        let long_dots = "1.".repeat(5_000);
        let mut inputs: Vec<String> = vec![
            String::new(),
            "v".into(),
            "+".into(),
            "!".into(),
            "1!".into(),
            "1.0+".into(),
            "\u{212a}".into(),
            "é1.0".into(),
            "1.0é".into(),
            "1.0+é".into(),
            "1.0a\u{301}".into(),
            "\u{0}".into(),
            format!("{long_digits}.0.0"),
            format!("{long_digits}!1.0"),
            format!("1.0a{long_digits}"),
            format!("1.0+{long_digits}"),
            long_dots.clone(),
            format!("{long_dots}1"),
        ];
        inputs.extend(fuzz_inputs(
            5_000,
            "0123456789.-_+!vVaArRcCpPeEoOsStTdDbB é\u{212a}",
        ));
        for input in &inputs {
            let normalized = normalize(input);
            let converted = to_semver(input);
            if let Ok(version) = &converted {
                let _ = to_pep440(version);
            }
            assert_eq!(normalized.is_err(), parse(input).is_none());
        }
        let normalized = normalize(&format!("{long_dots}1")).unwrap();
        assert_eq!(normalized.len(), long_dots.len() + 1);
        assert!(to_semver(&format!("{long_digits}.0.0")).is_err());
    }

    /// Deterministic pseudo-random strings over `alphabet`, for differential testing.
    fn fuzz_inputs(count: usize, alphabet: &str) -> Vec<String> {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            // xorshift64: fast, deterministic, good enough to spread over the alphabet.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..count)
            .map(|_| {
                let len = (next() % 14) as usize;
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    /// Spellings built from every kind of part PEP 440 has, valid and invalid.
    fn structured_inputs() -> Vec<String> {
        let prefixes = ["", "v", " V", "0!", "1!", "v00!"];
        let releases = ["1", "1.2", "01.02.03", "1.2.3.4", "1..2"];
        let pres = [
            "",
            "a",
            "A1",
            ".alpha.2",
            "-beta_3",
            "_c",
            "rc",
            "pre4",
            "preview-5",
            ".a-",
            "b..1",
            "rc01",
        ];
        let posts = ["", ".post1", "-1", "rev", "_r2", "post", "-post-", "-"];
        let devs = ["", ".dev", "-dev3", "DEV_4", "dev.", "..dev"];
        let locals = ["", "+abc", "+ABC-05_x", "+a..b", "+", "+0.0"];
        let mut out = Vec::new();
        for prefix in prefixes {
            for release in releases {
                for pre in pres {
                    for post in posts {
                        for dev in devs {
                            for local in locals {
                                out.push(format!("{prefix}{release}{pre}{post}{dev}{local}"));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    fn hex(text: &str) -> String {
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(text: &str) -> String {
        let bytes: Vec<u8> = (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect();
        String::from_utf8(bytes).unwrap()
    }

    /// Reads lines `<hex input>[ <hex other>]` and answers one line each: `ERR` when
    /// `Version(input)` raises `InvalidVersion`, else `OK <hex str(Version(input))>`, then
    /// ` EQ` or ` NE` for whether `Version(input) == Version(other)` when `other` is given.
    const PYTHON_ORACLE: &str = r#"
import sys
try:
    from pip._vendor.packaging.version import InvalidVersion, Version
except Exception:
    print("NO-PACKAGING")
    sys.exit(0)
out = []
for line in sys.stdin:
    fields = line.split()
    text = bytes.fromhex(fields[0] if fields else "").decode()
    try:
        version = Version(text)
    except InvalidVersion:
        out.append("ERR")
        continue
    except Exception as e:
        out.append("EXC " + type(e).__name__)
        continue
    answer = "OK " + str(version).encode().hex()
    if len(fields) > 1:
        other = Version(bytes.fromhex(fields[1]).decode())
        answer += " EQ" if version == other else " NE"
    out.append(answer)
print("\n".join(out))
"#;

    /// Runs the oracle once over all `lines`; python3 and pip's `packaging` must be there.
    fn ask_packaging(lines: &[String]) -> Vec<String> {
        fn missing(why: String) -> ! {
            panic!("the packaging cross-check cannot run: {why}; install python3 and pip")
        }
        let child = Command::new("python3")
            .args(["-c", PYTHON_ORACLE])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) => missing(format!("cannot run python3: {e}")),
        };
        let mut stdin = child.stdin.take().unwrap();
        let input = lines.join("\n") + "\n";
        // Written from another thread so a full stdout pipe cannot deadlock the two sides.
        // A write error is left to the checks below: python3 exits without reading when
        // `packaging` is missing, and otherwise a short answer fails the count check.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output().unwrap();
        let written = writer.join().unwrap();
        assert!(
            output.status.success(),
            "python3 failed: {:?}",
            output.status
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        if stdout.trim() == "NO-PACKAGING" {
            missing("python3 has no pip._vendor.packaging".to_owned());
        }
        if let Err(e) = written {
            panic!("could not write the inputs to python3: {e}");
        }
        let answers: Vec<String> = stdout.lines().map(str::to_owned).collect();
        assert_eq!(answers.len(), lines.len(), "one answer per input");
        answers
    }

    /// Ignored where python3 or pip's `packaging` is missing (see `build.rs`); in CI it must run.
    #[test]
    #[cfg_attr(
        relcut_missing_python_packaging,
        ignore = "needs python3 with pip (its vendored `packaging`): run `.ci/setup-ecosystem-tools.sh`"
    )]
    fn agrees_with_python_packaging() {
        // Every PEP 440 input the tests know, plus generated ones. Fuzz over ASCII only:
        // non-ASCII letters are where this module is deliberately stricter.
        let mut inputs: Vec<String> = Vec::new();
        inputs.extend(NORMALIZE_ROWS.iter().map(|(input, _)| (*input).to_owned()));
        inputs.extend(TO_SEMVER_ROWS.iter().map(|(input, _)| (*input).to_owned()));
        inputs.extend(structured_inputs());
        inputs.extend(fuzz_inputs(
            20_000,
            "0123456789..--__+!vVaArRcCpPeEoOsStTdDbBlLhHwWiIxX \t",
        ));
        let pep440_outputs: Vec<String> = TO_PEP440_ROWS
            .iter()
            .filter_map(|(input, _)| to_pep440(&semver(input)).ok())
            .collect();

        // For inputs that convert, also ask whether the PEP 440 form of the SemVer result
        // is the same version as the input, by PEP 440's own comparison.
        let round_trips: Vec<Option<String>> = inputs
            .iter()
            .map(|input| to_semver(input).ok().map(|v| to_pep440(&v).unwrap()))
            .collect();
        let mut lines: Vec<String> = inputs
            .iter()
            .zip(&round_trips)
            .map(|(input, back)| match back {
                Some(back) => format!("{} {}", hex(input), hex(back)),
                None => hex(input),
            })
            .collect();
        lines.extend(pep440_outputs.iter().map(|out| hex(out)));

        let answers = ask_packaging(&lines);
        let mut accepted = 0;
        for ((input, back), answer) in inputs.iter().zip(&round_trips).zip(&answers) {
            let ours = normalize(input);
            let mut fields = answer.split(' ');
            match (fields.next(), &ours) {
                (Some("ERR"), Err(_)) => {
                    assert!(to_semver(input).is_err());
                }
                (Some("OK"), Ok(ours)) => {
                    accepted += 1;
                    let theirs = unhex(fields.next().unwrap_or_default());
                    assert_eq!(ours, &theirs, "normalize({input:?})");
                    match back {
                        Some(back) => assert_eq!(
                            fields.next(),
                            Some("EQ"),
                            "{input:?} and {back:?} differ as PEP 440 versions"
                        ),
                        None => {
                            let error = to_semver(input).unwrap_err();
                            assert!(
                                !error.message.contains("is not a PEP 440 version"),
                                "to_semver({input:?}): {error}"
                            );
                        }
                    }
                }
                _ => panic!("{input:?}: packaging says {answer:?}, normalize says {ours:?}"),
            }
        }
        for (out, answer) in pep440_outputs.iter().zip(&answers[inputs.len()..]) {
            assert_eq!(
                answer,
                &format!("OK {}", hex(out)),
                "{out} is not canonical"
            );
        }
        eprintln!(
            "packaging agreed on {} inputs ({accepted} valid) and {} to_pep440 outputs",
            inputs.len(),
            pep440_outputs.len()
        );
    }
}
