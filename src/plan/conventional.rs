//! Conventional Commits 1.0.0: parsing, release classification, bump rules and the `relcut check`
//! lint. Pure: no I/O, no git.
//!
//! Where the spec (<https://www.conventionalcommits.org/en/v1.0.0/>) leaves room, these are the
//! choices, so that `relcut check` and a release always agree on what a message means:
//!
//! - **Type**: an ASCII letter, then ASCII letters, digits, `-` or `_`. The spec only says "a
//!   noun"; digits, `-` and `_` are accepted because commitlint and the `git-conventional` crate
//!   accept them (`i18n:`). Compared ignoring ASCII case (rule 15): `FEAT:` is `feat`.
//! - **Scope**: any text but `(`, `)` and line breaks, not blank; stored trimmed (`feat(a, b):`
//!   is scope `a, b`). This is the README's rule, and [`lint`] adds nothing to it, so `relcut
//!   check` and `--strict` accept and refuse the same subjects.
//! - **Separator and description**: `:` then a space; the description is the rest of the line,
//!   trimmed, and must not be empty. Whitespace before the `:` is an error.
//! - **Framing**: blank lines before the subject and at the end are ignored (git strips them
//!   too); a subject that starts with whitespace is an error. `\n` and `\r\n` both end a line.
//!   Lines starting with `#` are content: git has already removed its comments.
//! - **Body**: starts after at least one blank line; more than one is accepted.
//! - **Footers**: a footer line is `token: value` or `token #value` with a non-blank value; a
//!   token is a type-like word (`Reviewed-by`) or exactly `BREAKING CHANGE`. The footer block is
//!   the longest run of final paragraphs that each start with a footer line; any other line in
//!   those paragraphs continues the value above it. A value never crosses a blank line —
//!   otherwise a body paragraph starting with `Note: …` would swallow the prose after it.
//! - **Breaking**: `!` before the `:`, or a footer whose token is exactly `BREAKING CHANGE` or
//!   `BREAKING-CHANGE` (upper case only, rule 15) followed by `: ` (rule 12). Look-alikes (other
//!   case, ` #`, no value, outside the footer block) do not count, and [`lint`] reports them.
//! - **Not conventional**: git's `fixup! `, `squash! ` and `amend! ` subjects.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::plan::version::Level;

/// The footer token that marks a breaking change; `BREAKING-CHANGE` is its synonym (rule 16).
const BREAKING_CHANGE: &str = "BREAKING CHANGE";
/// The footer-token synonym of [`BREAKING_CHANGE`]; both have the same length.
const BREAKING_CHANGE_HYPHEN: &str = "BREAKING-CHANGE";
/// Subjects git writes for `commit --fixup`/`--squash`: meant to be squashed away, never released.
const AUTOSQUASH_PREFIXES: [&str; 3] = ["fixup! ", "squash! ", "amend! "];

/// A commit message that follows Conventional Commits 1.0.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionalCommit {
    /// The type as written (`feat`, `FEAT`, `fix`…); compare with [`ConventionalCommit::is_type`].
    pub kind: String,
    /// The scope without its parentheses, trimmed.
    pub scope: Option<String>,
    /// Whether a `!` precedes the `:`, which marks a breaking change.
    pub bang: bool,
    /// The text after `: ` on the subject line, trimmed.
    pub description: String,
    /// The paragraphs between the description and the footers, with `\n` line endings.
    pub body: Option<String>,
    /// The trailing footers, in order.
    pub footers: Vec<Footer>,
}

impl ConventionalCommit {
    /// The type in lower case, the form bump rules and changelog sections use.
    pub fn type_lowercase(&self) -> String {
        self.kind.to_lowercase()
    }

    /// Whether the type is `kind`, ignoring ASCII case.
    pub fn is_type(&self, kind: &str) -> bool {
        self.kind.eq_ignore_ascii_case(kind)
    }

    /// Whether the commit is breaking: a `!`, or a `BREAKING CHANGE: `/`BREAKING-CHANGE: ` footer
    /// in upper case.
    pub fn is_breaking(&self) -> bool {
        self.bang || self.footers.iter().any(Footer::is_breaking_change)
    }

    /// What breaks: the first breaking-change footer's value, else the description when only `!`
    /// says so.
    pub fn breaking_description(&self) -> Option<&str> {
        self.footers
            .iter()
            .find(|footer| footer.is_breaking_change())
            .map(|footer| footer.value.as_str())
            .or_else(|| self.bang.then_some(self.description.as_str()))
    }
}

/// One footer (git calls them trailers): `Reviewed-by: Z`, `Fixes #12`, `BREAKING CHANGE: …`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footer {
    /// The token as written, e.g. `Reviewed-by` or `BREAKING CHANGE`.
    pub token: String,
    /// What separates the token from the value.
    pub separator: FooterSeparator,
    /// The value, trimmed; continuation lines are joined with `\n`. For ` #` it excludes the `#`.
    pub value: String,
}

impl Footer {
    /// Whether this footer marks a breaking change: upper-case token and `: ` (rules 12, 15, 16).
    pub fn is_breaking_change(&self) -> bool {
        self.separator == FooterSeparator::ColonSpace && is_breaking_token(&self.token)
    }
}

/// The two separators the spec allows between a footer's token and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FooterSeparator {
    /// `token: value`
    ColonSpace,
    /// `token #value`
    SpaceHash,
}

impl FooterSeparator {
    /// The separator as it appears in a message.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ColonSpace => ": ",
            Self::SpaceHash => " #",
        }
    }
}

/// Why a message is not a conventional commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{kind}")]
pub struct ParseError {
    /// What is wrong.
    pub kind: ParseErrorKind,
}

impl From<ParseErrorKind> for ParseError {
    fn from(kind: ParseErrorKind) -> Self {
        Self { kind }
    }
}

/// What is wrong with a message; `Display` is the phrase `relcut check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParseErrorKind {
    /// Nothing but whitespace.
    Empty,
    /// A `fixup! `, `squash! ` or `amend! ` subject.
    Autosquash,
    /// The subject starts with whitespace.
    LeadingWhitespace,
    /// Nothing before the `:`, `(` or `!`.
    MissingType,
    /// Plain prose: no `type: ` prefix at all.
    MissingSeparator,
    /// Something other than one type word before `: `.
    InvalidType,
    /// `()`.
    EmptyScope,
    /// `(` without `)` on the subject line.
    UnclosedScope,
    /// `(` inside the scope.
    NestedScope,
    /// Whitespace between the type, scope or `!` and the `:`.
    SpaceBeforeColon,
    /// The type, scope or `!` is followed by something other than `:`.
    MissingColon,
    /// The `:` is not followed by a space.
    MissingSpace,
    /// Nothing after `: `.
    EmptyDescription,
    /// The line after the subject is not blank.
    MissingBlankLine,
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "empty commit message",
            Self::Autosquash => {
                "`fixup!`, `squash!` or `amend!` commit: squash it (`git rebase --autosquash`) before releasing"
            }
            Self::LeadingWhitespace => "the subject must start with the type, not with whitespace",
            Self::MissingType => "missing type before `:`",
            Self::MissingSeparator => "missing type and `:` separator",
            Self::InvalidType => "the type must be one word of ASCII letters, digits, `-` or `_`",
            Self::EmptyScope => "empty scope",
            Self::UnclosedScope => "scope is not closed with `)`",
            Self::NestedScope => "the scope must not contain `(`",
            Self::SpaceBeforeColon => "no whitespace is allowed before the `:`",
            Self::MissingColon => "the type, scope or `!` must be followed by `: `",
            Self::MissingSpace => "the type must be followed by `: ` (colon and space)",
            Self::EmptyDescription => "empty description",
            Self::MissingBlankLine => {
                "the body must be separated from the description by a blank line"
            }
        })
    }
}

/// Parses `message` as a Conventional Commit; see the module docs for the grammar.
pub fn parse(message: &str) -> Result<ConventionalCommit, ParseError> {
    let layout = layout(message).ok_or(ParseErrorKind::Empty)?;
    let subject = parse_subject(layout.subject.text)?;
    if layout.crowded.is_some() {
        return Err(ParseErrorKind::MissingBlankLine.into());
    }
    Ok(ConventionalCommit {
        kind: subject.kind.to_owned(),
        scope: subject.scope.map(|scope| scope.trim().to_owned()),
        bang: subject.bang,
        description: subject.description.to_owned(),
        body: layout.body.map(|range| owned_text(&message[range])),
        footers: layout
            .footers
            .map_or_else(Vec::new, |range| parse_footers(&message[range])),
    })
}

/// What a commit means for a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitClass {
    /// A conventional commit, including a `revert:` one.
    Conventional(ConventionalCommit),
    /// More than one parent: its changes arrive through its parents, whatever its message says.
    Merge,
    /// git's own `Revert "…"` (or `Reapply "…"`) commit.
    Revert {
        /// The subject of the reverted commit, when the quotes are intact.
        reverted_subject: Option<String>,
    },
    /// Anything else, with the reason.
    NonConventional(ParseError),
}

/// Classifies a commit from its message and its number of parents.
pub fn classify(message: &str, parent_count: usize) -> CommitClass {
    if parent_count > 1 {
        return CommitClass::Merge;
    }
    if let Some(reverted_subject) = git_revert(message) {
        return CommitClass::Revert { reverted_subject };
    }
    match parse(message) {
        Ok(commit) => CommitClass::Conventional(commit),
        Err(error) => CommitClass::NonConventional(error),
    }
}

/// Which commit types bump the version, and how far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BumpRules {
    /// Lower-case type → level; a type not listed does not bump.
    levels: BTreeMap<String, Level>,
}

impl Default for BumpRules {
    /// `feat` → minor, `fix` and `perf` → patch, any breaking commit → major, the rest nothing.
    fn default() -> Self {
        Self::empty()
            .with_type("feat", Some(Level::Minor))
            .with_type("fix", Some(Level::Patch))
            .with_type("perf", Some(Level::Patch))
    }
}

impl BumpRules {
    /// Rules under which only breaking commits bump (to major).
    pub fn empty() -> Self {
        Self {
            levels: BTreeMap::new(),
        }
    }

    /// Sets the level of `kind` (any case); `None` makes it not bump.
    pub fn with_type(mut self, kind: &str, level: Option<Level>) -> Self {
        let kind = kind.to_ascii_lowercase();
        match level {
            Some(level) => self.levels.insert(kind, level),
            None => self.levels.remove(&kind),
        };
        self
    }

    /// The bump `commit` asks for: major when breaking whatever its type, else its type's level.
    pub fn level_of(&self, commit: &ConventionalCommit) -> Option<Level> {
        self.level_of_type(&commit.kind, commit.is_breaking())
    }

    /// The bump a commit of type `kind` asks for: major when `breaking`, else the type's level.
    pub fn level_of_type(&self, kind: &str, breaking: bool) -> Option<Level> {
        if breaking {
            return Some(Level::Major);
        }
        if kind.bytes().any(|byte| byte.is_ascii_uppercase()) {
            self.levels.get(&kind.to_ascii_lowercase()).copied()
        } else {
            // The common case: look up without allocating.
            self.levels.get(kind).copied()
        }
    }

    /// The bump a classified commit asks for; only conventional commits bump.
    pub fn level_of_class(&self, class: &CommitClass) -> Option<Level> {
        match class {
            CommitClass::Conventional(commit) => self.level_of(commit),
            CommitClass::Merge | CommitClass::Revert { .. } | CommitClass::NonConventional(_) => {
                None
            }
        }
    }
}

/// One thing `relcut check` reports about a commit message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// The 1-based line of the message it is on.
    pub line: usize,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

/// What [`lint`] can report; `Display` is the phrase `relcut check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The message does not parse.
    Parse(ParseErrorKind),
    /// `breaking change:` or another case of it, which is not breaking (rule 15).
    BreakingChangeCase,
    /// `BREAKING CHANGE #…`, which is not breaking (rule 12 wants `: `).
    BreakingChangeSeparator,
    /// `BREAKING CHANGE:` with no description on its line, which is not a footer.
    BreakingChangeEmpty,
    /// `BREAKING CHANGE: …` in the body rather than in the final footer paragraphs.
    BreakingChangeOutsideFooters,
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Parse(kind) => return kind.fmt(f),
            Self::BreakingChangeCase => {
                "write `BREAKING CHANGE:` in upper case or it is not a breaking change"
            }
            Self::BreakingChangeSeparator => {
                "write `BREAKING CHANGE: ` (colon and space), not ` #`, or it is not a breaking change"
            }
            Self::BreakingChangeEmpty => {
                "`BREAKING CHANGE:` must be followed by a space and the description on the same line"
            }
            Self::BreakingChangeOutsideFooters => {
                "`BREAKING CHANGE:` only counts in the last paragraph(s), with the other footers"
            }
        })
    }
}

/// Everything `relcut check` reports about one commit, in message order; empty when it is fine.
///
/// Merge commits and git's `Revert "…"`/`Reapply "…"` commits pass as they are: git writes their
/// messages, and they never bump the version.
pub fn lint(message: &str, parent_count: usize) -> Vec<Problem> {
    if parent_count > 1 || git_revert(message).is_some() {
        return Vec::new();
    }
    let Some(layout) = layout(message) else {
        return vec![Problem {
            kind: ProblemKind::Parse(ParseErrorKind::Empty),
            line: 1,
        }];
    };
    let mut problems = Vec::new();
    let subject_line = layout.subject.number;
    // The subject is judged by the parser itself: a second opinion here is how `check` and
    // `--strict` once disagreed about `feat(a, b): x`.
    if let Err(kind) = parse_subject(layout.subject.text) {
        problems.push(Problem {
            kind: ProblemKind::Parse(kind),
            line: subject_line,
        });
    }
    if let Some(line) = layout.crowded {
        problems.push(Problem {
            kind: ProblemKind::Parse(ParseErrorKind::MissingBlankLine),
            line: line.number,
        });
    }
    let footers_start = layout.footers.map_or(usize::MAX, |range| range.start);
    problems.extend(lines(message).skip(subject_line).filter_map(|line| {
        let kind = breaking_change_problem(line.text, line.start >= footers_start)?;
        Some(Problem {
            kind,
            line: line.number,
        })
    }));
    problems
}

/// One line of a message, without its `\n` or `\r\n`.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// 1-based, as editors and `relcut check` count.
    number: usize,
    /// Byte offset of the line in the text it came from.
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The lines of `text` with their offsets, so bodies and values are sliced out, not rebuilt.
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split('\n').enumerate().map(move |(index, raw)| {
        let line = Line {
            number: index + 1,
            start,
            text: raw.strip_suffix('\r').unwrap_or(raw),
        };
        start += raw.len() + 1;
        line
    })
}

/// Where the parts of a message are, found in one pass without copying anything.
struct Layout<'a> {
    /// The first non-blank line.
    subject: Line<'a>,
    /// The line right after the subject when it is not blank, which the spec forbids.
    crowded: Option<Line<'a>>,
    /// Byte range of the body: first to last non-blank line before the footers.
    body: Option<Range<usize>>,
    /// Byte range of the footer block: its first line to the last non-blank line of the message.
    footers: Option<Range<usize>>,
}

/// Splits `message` into subject, body and footers; `None` when it is blank.
fn layout(message: &str) -> Option<Layout<'_>> {
    let mut all = lines(message);
    let subject = all.by_ref().find(|line| !line.is_blank())?;
    let mut rest = all.peekable();
    let crowded = rest.peek().copied().filter(|line| !line.is_blank());
    // Non-blank content after the subject, from its first to its last line.
    let mut content: Option<Range<usize>> = None;
    // The current run of paragraphs that start with a footer line: where it starts, and where the
    // content before it ends. A paragraph that does not start with a footer line ends the run,
    // so what is left at the end is the last paragraphs that all parse as footers.
    let mut footer_run: Option<(usize, usize)> = None;
    let mut in_paragraph = false;
    for line in rest {
        if line.is_blank() {
            in_paragraph = false;
            continue;
        }
        if !in_paragraph {
            in_paragraph = true;
            if footer_line(line.text).is_some() {
                let before = content.as_ref().map_or(line.start, |content| content.end);
                footer_run.get_or_insert((line.start, before));
            } else {
                footer_run = None;
            }
        }
        match &mut content {
            Some(content) => content.end = line.end(),
            None => content = Some(line.start..line.end()),
        }
    }
    let (body, footers) = match (content, footer_run) {
        (None, _) => (None, None),
        (Some(content), None) => (Some(content), None),
        (Some(content), Some((start, body_end))) => (
            (content.start < start).then_some(content.start..body_end),
            Some(start..content.end),
        ),
    };
    Some(Layout {
        subject,
        crowded,
        body,
        footers,
    })
}

/// The subject line's parts, borrowed from the message.
struct Subject<'a> {
    kind: &'a str,
    /// As written between the parentheses, untrimmed so the lint can see stray whitespace.
    scope: Option<&'a str>,
    bang: bool,
    description: &'a str,
}

/// Parses `type(scope)!: description`.
fn parse_subject(line: &str) -> Result<Subject<'_>, ParseErrorKind> {
    use ParseErrorKind as E;
    if AUTOSQUASH_PREFIXES
        .iter()
        .any(|prefix| line.starts_with(prefix))
    {
        return Err(E::Autosquash);
    }
    if line.starts_with(char::is_whitespace) {
        return Err(E::LeadingWhitespace);
    }
    let type_len = word_len(line);
    if type_len == 0 {
        return Err(if line.starts_with([':', '(', '!']) {
            E::MissingType
        } else if line.contains(": ") {
            E::InvalidType
        } else {
            E::MissingSeparator
        });
    }
    let kind = &line[..type_len];
    let mut rest = &line[type_len..];
    let mut scope = None;
    if let Some(inside) = rest.strip_prefix('(') {
        let close = inside.find(['(', ')']).ok_or(E::UnclosedScope)?;
        if inside.as_bytes()[close] == b'(' {
            return Err(E::NestedScope);
        }
        let raw = &inside[..close];
        if raw.trim().is_empty() {
            return Err(E::EmptyScope);
        }
        scope = Some(raw);
        rest = &inside[close + 1..];
    }
    let bang = match rest.strip_prefix('!') {
        Some(after) => {
            rest = after;
            true
        }
        None => false,
    };
    let Some(after_colon) = rest.strip_prefix(':') else {
        return Err(
            if rest.starts_with(char::is_whitespace) && rest.trim_start().starts_with(':') {
                E::SpaceBeforeColon
            } else if scope.is_some() || bang {
                E::MissingColon
            } else if rest.is_empty() || !line.contains(": ") {
                // A word and then prose: a sentence, not a malformed type.
                E::MissingSeparator
            } else {
                E::InvalidType
            },
        );
    };
    let description = match after_colon.strip_prefix(' ') {
        Some(description) => description.trim(),
        // git trims trailing whitespace, so `feat: ` arrives as `feat:`: a missing description.
        None if after_colon.trim().is_empty() => "",
        None => return Err(E::MissingSpace),
    };
    if description.is_empty() {
        return Err(E::EmptyDescription);
    }
    Ok(Subject {
        kind,
        scope,
        bang,
        description,
    })
}

/// A line that starts a footer.
#[derive(Debug, Clone, Copy)]
struct FooterLine<'a> {
    token: &'a str,
    separator: FooterSeparator,
    /// Byte offset of the value within the line.
    value_at: usize,
}

/// Recognises `token: value` and `token #value`, where the value has something besides whitespace.
fn footer_line(line: &str) -> Option<FooterLine<'_>> {
    // The one token allowed a space (rule 9); "BREAKING" alone is never followed by a separator, so
    // no other reading of such a line is lost.
    let token_len = if line.starts_with(BREAKING_CHANGE) {
        BREAKING_CHANGE.len()
    } else {
        word_len(line)
    };
    if token_len == 0 {
        return None;
    }
    let after = &line[token_len..];
    let separator = if after.starts_with(": ") {
        FooterSeparator::ColonSpace
    } else if after.starts_with(" #") {
        FooterSeparator::SpaceHash
    } else {
        return None;
    };
    let value_at = token_len + 2;
    if line[value_at..].trim().is_empty() {
        return None;
    }
    Some(FooterLine {
        token: &line[..token_len],
        separator,
        value_at,
    })
}

/// Reads the footer block: each footer line opens a footer, other lines continue its value.
fn parse_footers(block: &str) -> Vec<Footer> {
    let mut footers = Vec::new();
    let mut open: Option<(FooterLine<'_>, Range<usize>)> = None;
    let close = |(footer, value): (FooterLine<'_>, Range<usize>)| Footer {
        token: footer.token.to_owned(),
        separator: footer.separator,
        value: owned_text(block[value].trim()),
    };
    for line in lines(block) {
        if line.is_blank() {
            // Between footer paragraphs; the next non-blank line opens a footer by construction.
            continue;
        }
        if let Some(footer) = footer_line(line.text) {
            let value = line.start + footer.value_at..line.end();
            footers.extend(open.replace((footer, value)).map(close));
        } else if let Some((_, value)) = &mut open {
            value.end = line.end();
        }
    }
    footers.extend(open.map(close));
    footers
}

/// The length of a leading type or footer token: an ASCII letter, then letters, digits, `-`, `_`.
fn word_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    bytes
        .iter()
        .position(|&byte| !(byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'))
        .unwrap_or(bytes.len())
}

/// Copies part of a message with `\n` line endings.
fn owned_text(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_owned()
    }
}

/// Case-sensitive on purpose: rule 15 exempts `BREAKING CHANGE` from case-insensitivity.
fn is_breaking_token(token: &str) -> bool {
    token == BREAKING_CHANGE || token == BREAKING_CHANGE_HYPHEN
}

/// `Some(reverted subject)` when git wrote the subject: `Revert "…"`, or, for a revert of a
/// revert since git 2.43, `Reapply "…"`.
fn git_revert(message: &str) -> Option<Option<String>> {
    let subject = lines(message)
        .find(|line| !line.is_blank())?
        .text
        .trim_end();
    let quoted = |rest: &str| {
        rest.strip_suffix('"')
            .filter(|inner| !inner.is_empty())
            .map(str::to_owned)
    };
    if let Some(rest) = subject.strip_prefix("Revert \"") {
        return Some(quoted(rest));
    }
    let rest = subject.strip_prefix("Reapply \"")?;
    // git shortens `Revert "Revert "x""` to `Reapply "x"`; what it reverted was `Revert "x"`.
    Some(quoted(rest).map(|inner| format!("Revert \"{inner}\"")))
}

/// What is wrong with a line that looks like a breaking-change footer but does not count as one.
fn breaking_change_problem(line: &str, in_footers: bool) -> Option<ProblemKind> {
    let token = line.get(..BREAKING_CHANGE.len())?;
    if !(token.eq_ignore_ascii_case(BREAKING_CHANGE)
        || token.eq_ignore_ascii_case(BREAKING_CHANGE_HYPHEN))
    {
        return None;
    }
    let after = &line[token.len()..];
    let hash = after.starts_with(" #");
    if !(hash || after.starts_with(':')) {
        return None;
    }
    if !is_breaking_token(token) {
        Some(ProblemKind::BreakingChangeCase)
    } else if hash {
        Some(ProblemKind::BreakingChangeSeparator)
    } else if footer_line(line).is_none() {
        Some(ProblemKind::BreakingChangeEmpty)
    } else if !in_footers {
        Some(ProblemKind::BreakingChangeOutsideFooters)
    } else {
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use FooterSeparator::{ColonSpace, SpaceHash};
    use ParseErrorKind as E;

    /// The expected parse of a message, built up one field at a time.
    #[derive(Debug, Clone)]
    pub(crate) struct Want {
        kind: &'static str,
        scope: Option<&'static str>,
        bang: bool,
        description: &'static str,
        body: Option<&'static str>,
        footers: Vec<(&'static str, FooterSeparator, &'static str)>,
        breaking: Option<&'static str>,
    }

    fn ok(kind: &'static str, description: &'static str) -> Result<Want, E> {
        Ok(Want {
            kind,
            scope: None,
            bang: false,
            description,
            body: None,
            footers: Vec::new(),
            breaking: None,
        })
    }

    /// Builder steps on an expected success; rows read like the message they describe.
    trait WantExt: Sized {
        fn map(self, f: impl FnOnce(&mut Want)) -> Self;
        fn scope(self, scope: &'static str) -> Self {
            self.map(|want| want.scope = Some(scope))
        }
        fn bang(self) -> Self {
            self.map(|want| {
                want.bang = true;
                want.breaking = want.breaking.or(Some(want.description));
            })
        }
        fn body(self, body: &'static str) -> Self {
            self.map(|want| want.body = Some(body))
        }
        fn footer(
            self,
            token: &'static str,
            separator: FooterSeparator,
            value: &'static str,
        ) -> Self {
            self.map(|want| want.footers.push((token, separator, value)))
        }
        fn breaking(self, what: &'static str) -> Self {
            self.map(|want| want.breaking = Some(what))
        }
    }

    impl WantExt for Result<Want, E> {
        fn map(mut self, f: impl FnOnce(&mut Want)) -> Self {
            if let Ok(want) = &mut self {
                f(want);
            }
            self
        }
    }

    const SPEC_RACING: &str = "fix: prevent racing of requests

Introduce a request id and a reference to latest request. Dismiss
incoming responses other than from latest request.

Remove timeouts which were used to mitigate the racing issue but are
obsolete now.

Reviewed-by: Z
Refs: #123
";

    fn long_message() -> &'static str {
        let description = "x".repeat(5_000);
        let body = "a line of the body that goes on\n".repeat(2_000);
        let footers = "Refs: #1\n".repeat(500);
        format!("feat(big): {description}\n\n{body}\n{footers}").leak()
    }

    /// The parser's table: name, message, the parse it must give. Shared with the tests that
    /// check the changelog reads each message as the bump does.
    pub(crate) fn parse_rows() -> Vec<(&'static str, &'static str, Result<Want, E>)> {
        const BIG_BODY_LINE: &str = "a line of the body that goes on";
        let long = long_message();
        vec![
            // The examples of conventionalcommits.org 1.0.0.
            (
                "spec: description and breaking change footer",
                "feat: allow provided config object to extend other configs\n\nBREAKING CHANGE: `extends` key in config file is now used for extending other config files",
                ok("feat", "allow provided config object to extend other configs")
                    .footer("BREAKING CHANGE", ColonSpace, "`extends` key in config file is now used for extending other config files")
                    .breaking("`extends` key in config file is now used for extending other config files"),
            ),
            (
                "spec: ! to draw attention to a breaking change",
                "feat!: send an email to the customer when a product is shipped",
                ok("feat", "send an email to the customer when a product is shipped").bang(),
            ),
            (
                "spec: scope and !",
                "feat(api)!: send an email to the customer when a product is shipped",
                ok("feat", "send an email to the customer when a product is shipped").scope("api").bang(),
            ),
            (
                "spec: both ! and BREAKING CHANGE footer",
                "chore!: drop support for Node 6\n\nBREAKING CHANGE: use JavaScript features not available in Node 6.",
                ok("chore", "drop support for Node 6")
                    .breaking("use JavaScript features not available in Node 6.")
                    .bang()
                    .footer("BREAKING CHANGE", ColonSpace, "use JavaScript features not available in Node 6."),
            ),
            ("spec: no body", "docs: correct spelling of CHANGELOG", ok("docs", "correct spelling of CHANGELOG")),
            ("spec: scope", "feat(lang): add Polish language", ok("feat", "add Polish language").scope("lang")),
            (
                "spec: multi-paragraph body and multiple footers",
                SPEC_RACING,
                ok("fix", "prevent racing of requests")
                    .body("Introduce a request id and a reference to latest request. Dismiss\nincoming responses other than from latest request.\n\nRemove timeouts which were used to mitigate the racing issue but are\nobsolete now.")
                    .footer("Reviewed-by", ColonSpace, "Z")
                    .footer("Refs", ColonSpace, "#123"),
            ),
            (
                "spec FAQ: revert with Refs",
                "revert: let us never again speak of the noodle incident\n\nRefs: 676104e, a215868",
                ok("revert", "let us never again speak of the noodle incident").footer("Refs", ColonSpace, "676104e, a215868"),
            ),
            (
                "spec: Refs #133 uses the ` #` separator",
                "fix: correct minor typos in code\n\nsee the issue for details\n\non typos fixed.\n\nReviewed-by: Z\nRefs #133",
                ok("fix", "correct minor typos in code")
                    .body("see the issue for details\n\non typos fixed.")
                    .footer("Reviewed-by", ColonSpace, "Z")
                    .footer("Refs", SpaceHash, "133"),
            ),
            // Line endings and framing.
            (
                "CRLF throughout",
                "feat(api): add x\r\n\r\nBody line one\r\nline two\r\n\r\nRefs: #1\r\nSee-also: a\r\n  b\r\n",
                ok("feat", "add x").scope("api").body("Body line one\nline two").footer("Refs", ColonSpace, "#1").footer("See-also", ColonSpace, "a\n  b"),
            ),
            ("CRLF subject only", "fix: y\r\n", ok("fix", "y")),
            ("CRLF breaking footer", "fix: y\r\n\r\nBREAKING CHANGE: z\r\n", ok("fix", "y").footer("BREAKING CHANGE", ColonSpace, "z").breaking("z")),
            ("leading blank lines are ignored", "\n \n\nfeat: x", ok("feat", "x")),
            ("trailing blank lines are ignored", "feat: x\n\n\n  \n\t\n", ok("feat", "x")),
            ("trailing spaces after the description", "feat: x   ", ok("feat", "x")),
            ("extra spaces after `: `", "feat:   x", ok("feat", "x")),
            ("leading whitespace", "  feat: x", Err(E::LeadingWhitespace)),
            ("leading tab", "\tfeat: x", Err(E::LeadingWhitespace)),
            ("empty message", "", Err(E::Empty)),
            ("blank message", "  \n\r\n\t", Err(E::Empty)),
            // Type.
            ("upper-case type", "FEAT: shout", ok("FEAT", "shout")),
            ("mixed-case type and scope", "Fix(Parser): handle it", ok("Fix", "handle it").scope("Parser")),
            ("digits in type", "i18n: add German", ok("i18n", "add German")),
            ("hyphen and underscore in type", "build-deps_x: bump", ok("build-deps_x", "bump")),
            ("a `fixup!:` is a breaking `fixup` type, not git's prefix", "fixup!: x", ok("fixup", "x").bang()),
            ("plain prose", "Update README", Err(E::MissingSeparator)),
            ("one word", "wip", Err(E::MissingSeparator)),
            ("git merge message", "Merge branch 'main' of https://example.com/r into dev", Err(E::MissingSeparator)),
            ("nothing before the colon", ": x", Err(E::MissingType)),
            ("only a scope", "(api): x", Err(E::MissingType)),
            ("two words before the colon", "my feat: x", Err(E::InvalidType)),
            ("slash in type", "feat/ui: x", Err(E::InvalidType)),
            ("non-ASCII type", "fëat: x", Err(E::InvalidType)),
            ("type starts with a digit", "1.0: release", Err(E::InvalidType)),
            ("bracketed prefix", "[WIP] feat: x", Err(E::InvalidType)),
            ("gitmoji prefix", ":sparkles: feat: x", Err(E::MissingType)),
            ("fixup!", "fixup! feat: x", Err(E::Autosquash)),
            ("squash!", "squash! fix: y", Err(E::Autosquash)),
            ("amend!", "amend! fix: y", Err(E::Autosquash)),
            // Scope.
            ("scope with comma", "feat(api,cli): x", ok("feat", "x").scope("api,cli")),
            ("scope with slash", "feat(ui/button): x", ok("feat", "x").scope("ui/button")),
            ("scope with whitespace parses (lint reports it)", "feat(my scope): x", ok("feat", "x").scope("my scope")),
            ("scope is trimmed", "feat( api ): x", ok("feat", "x").scope("api")),
            ("unicode scope", "feat(ünïcode): façade", ok("feat", "façade").scope("ünïcode")),
            ("scope listing two", "feat(a, b): x", ok("feat", "x").scope("a, b")),
            ("scope broken by a line break", "feat(a\nb): x", Err(E::UnclosedScope)),
            ("empty scope", "feat(): x", Err(E::EmptyScope)),
            ("blank scope", "feat( ): x", Err(E::EmptyScope)),
            ("unclosed scope", "feat(api: x", Err(E::UnclosedScope)),
            ("nested scope", "feat(a(b)): x", Err(E::NestedScope)),
            ("two scopes", "feat(a)(b): x", Err(E::MissingColon)),
            ("`!` before the scope", "feat!(api): x", Err(E::MissingColon)),
            // Separator and description.
            ("missing space after colon", "feat:add x", Err(E::MissingSpace)),
            ("missing space after scope colon", "feat(api):add", Err(E::MissingSpace)),
            ("tab after colon", "feat:\tadd", Err(E::MissingSpace)),
            ("double colon", "feat:: x", Err(E::MissingSpace)),
            ("space before colon", "feat : x", Err(E::SpaceBeforeColon)),
            ("space between scope and colon", "feat(api) : x", Err(E::SpaceBeforeColon)),
            ("`!` then a space", "feat! x", Err(E::MissingColon)),
            ("scope then prose", "feat(api) x", Err(E::MissingColon)),
            ("scope and nothing else", "feat(api)", Err(E::MissingColon)),
            ("empty description", "feat: ", Err(E::EmptyDescription)),
            ("colon at end of line", "feat:", Err(E::EmptyDescription)),
            ("blank description after scope and !", "feat(api)!:    ", Err(E::EmptyDescription)),
            ("description with a colon and parens", "fix(parser): handle `a: b` (again)", ok("fix", "handle `a: b` (again)").scope("parser")),
            ("emoji in description", "feat: ✨ add sparkles 🎉", ok("feat", "✨ add sparkles 🎉")),
            ("CJK description", "docs: 更新文档", ok("docs", "更新文档")),
            ("description mentioning breaking change is not breaking", "fix: breaking change: no", ok("fix", "breaking change: no")),
            // Body.
            ("no blank line before the body", "feat: x\nbody here", Err(E::MissingBlankLine)),
            ("no blank line before a footer", "feat: x\nRefs: #1", Err(E::MissingBlankLine)),
            ("several blank lines before the body", "feat: x\n\n\n\nbody", ok("feat", "x").body("body")),
            ("blank lines inside the body are kept", "feat: x\n\na\n\n\nb", ok("feat", "x").body("a\n\n\nb")),
            ("`#` lines are content", "feat: x\n\n# not a comment\nmore", ok("feat", "x").body("# not a comment\nmore")),
            // Footers.
            (
                "`Note:` paragraph followed by prose stays body",
                "fix: x\n\nNote: something important\n\nAnd then some prose.",
                ok("fix", "x").body("Note: something important\n\nAnd then some prose."),
            ),
            (
                "`Note:` paragraph, prose, then footers",
                "fix: x\n\nNote: a\n\nprose\n\nRefs: #1",
                ok("fix", "x").body("Note: a\n\nprose").footer("Refs", ColonSpace, "#1"),
            ),
            (
                "every trailing footer paragraph joins the footers",
                "fix: x\n\nprose\n\nNote: a\n\nRefs: #1",
                ok("fix", "x").body("prose").footer("Note", ColonSpace, "a").footer("Refs", ColonSpace, "#1"),
            ),
            (
                "a last paragraph that starts with prose is body",
                "fix: x\n\nThanks to:\nReviewed-by: Z",
                ok("fix", "x").body("Thanks to:\nReviewed-by: Z"),
            ),
            ("a URL is not a footer", "docs: x\n\nhttps://example.com/a", ok("docs", "x").body("https://example.com/a")),
            ("a token without a value is not a footer", "fix: x\n\nRefs:", ok("fix", "x").body("Refs:")),
            ("footers without a body", "fix: x\n\nReviewed-by: Z\n\nRefs: #1", ok("fix", "x").footer("Reviewed-by", ColonSpace, "Z").footer("Refs", ColonSpace, "#1")),
            ("` #` footers", "fix: x\n\nFixes #42\nCloses #7", ok("fix", "x").footer("Fixes", SpaceHash, "42").footer("Closes", SpaceHash, "7")),
            ("digits and `_` in a token", "fix: x\n\nX-Ticket_2: ABC-1", ok("fix", "x").footer("X-Ticket_2", ColonSpace, "ABC-1")),
            ("value containing `: `", "fix: x\n\nRefs: a: b", ok("fix", "x").footer("Refs", ColonSpace, "a: b")),
            ("value is trimmed", "fix: x\n\nRefs:   a   ", ok("fix", "x").footer("Refs", ColonSpace, "a")),
            (
                "git trailers",
                "fix: x\n\nSigned-off-by: A <a@example.com>\nCo-authored-by: B <b@example.com>",
                ok("fix", "x").footer("Signed-off-by", ColonSpace, "A <a@example.com>").footer("Co-authored-by", ColonSpace, "B <b@example.com>"),
            ),
            (
                "multi-line footer value ends at the next token",
                "feat: x\n\nBREAKING CHANGE: the config format changed;\nold files must be migrated\n  with `relcut migrate`.\nRefs: #9",
                ok("feat", "x")
                    .footer("BREAKING CHANGE", ColonSpace, "the config format changed;\nold files must be migrated\n  with `relcut migrate`.")
                    .footer("Refs", ColonSpace, "#9")
                    .breaking("the config format changed;\nold files must be migrated\n  with `relcut migrate`."),
            ),
            (
                "a spaced token continues the value above",
                "fix: x\n\nRefs: #1\nSigned off: nobody",
                ok("fix", "x").footer("Refs", ColonSpace, "#1\nSigned off: nobody"),
            ),
            ("BREAKING-CHANGE is breaking", "fix: x\n\nBREAKING-CHANGE: y", ok("fix", "x").footer("BREAKING-CHANGE", ColonSpace, "y").breaking("y")),
            (
                "first breaking footer describes it",
                "fix: x\n\nBREAKING CHANGE: one\nBREAKING-CHANGE: two",
                ok("fix", "x").footer("BREAKING CHANGE", ColonSpace, "one").footer("BREAKING-CHANGE", ColonSpace, "two").breaking("one"),
            ),
            ("lower-case `breaking change:` is not a footer", "feat: x\n\nbreaking change: the api moved", ok("feat", "x").body("breaking change: the api moved")),
            ("lower-case `breaking-change:` is a plain footer", "feat: x\n\nbreaking-change: y", ok("feat", "x").footer("breaking-change", ColonSpace, "y")),
            ("title-case `Breaking-Change:` is a plain footer", "feat: x\n\nBreaking-Change: y", ok("feat", "x").footer("Breaking-Change", ColonSpace, "y")),
            ("`BREAKING CHANGE #` is not breaking", "feat: x\n\nBREAKING CHANGE #12", ok("feat", "x").footer("BREAKING CHANGE", SpaceHash, "12")),
            ("`BREAKING CHANGE:` without a value is body", "feat: x\n\nBREAKING CHANGE:\nthe api moved", ok("feat", "x").body("BREAKING CHANGE:\nthe api moved")),
            (
                "`BREAKING CHANGE:` followed by prose is body",
                "feat: x\n\nBREAKING CHANGE: y\n\nMore about y.",
                ok("feat", "x").body("BREAKING CHANGE: y\n\nMore about y."),
            ),
            ("unicode footer value", "feat: x\n\nReviewed-by: Zoë 🎉", ok("feat", "x").footer("Reviewed-by", ColonSpace, "Zoë 🎉")),
            (
                "very long message",
                long,
                Ok(Want {
                    kind: "feat",
                    scope: Some("big"),
                    bang: false,
                    description: &long[11..5_011],
                    body: Some(long[5_013..5_013 + 2_000 * (BIG_BODY_LINE.len() + 1) - 1].to_owned().leak()),
                    footers: vec![("Refs", ColonSpace, "#1"); 500],
                    breaking: None,
                }),
            ),
        ]
    }

    #[test]
    fn parse_table() {
        let rows = parse_rows();
        assert!(rows.len() >= 50, "{} rows", rows.len());
        for (name, message, want) in rows {
            let got = parse(message);
            let want = want.map(|want| {
                let commit = ConventionalCommit {
                    kind: want.kind.to_owned(),
                    scope: want.scope.map(str::to_owned),
                    bang: want.bang,
                    description: want.description.to_owned(),
                    body: want.body.map(str::to_owned),
                    footers: want
                        .footers
                        .iter()
                        .map(|&(token, separator, value)| Footer {
                            token: token.to_owned(),
                            separator,
                            value: value.to_owned(),
                        })
                        .collect(),
                };
                (commit, want.breaking)
            });
            match (got, want) {
                (Ok(got), Ok((commit, breaking))) => {
                    assert_eq!(got, commit, "{name}");
                    assert_eq!(
                        got.breaking_description(),
                        breaking,
                        "{name}: breaking description"
                    );
                    assert_eq!(got.is_breaking(), breaking.is_some(), "{name}: is_breaking");
                    assert_eq!(got.type_lowercase(), commit.kind.to_lowercase(), "{name}");
                    assert!(got.is_type(&commit.kind.to_uppercase()), "{name}");
                }
                (Err(got), Err(kind)) => assert_eq!(got.kind, kind, "{name}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn parse_never_panics_on_prefixes() {
        // Every cut of awkward text, to catch slicing inside a multi-byte character.
        let text = "fé(ü)!: ✨\r\n\r\nBREAKING CHANGÉ: é\nBREAKING CHANGE: ü\r\nRé: x\n";
        for (at, _) in text.char_indices() {
            let _ = parse(&text[..at]);
            let _ = lint(&text[..at], 1);
            let _ = classify(&text[at..], 1);
        }
    }

    #[test]
    fn error_messages() {
        let rows = [
            (E::MissingSeparator, "missing type and `:` separator"),
            (
                E::MissingSpace,
                "the type must be followed by `: ` (colon and space)",
            ),
            (E::EmptyDescription, "empty description"),
            (E::EmptyScope, "empty scope"),
            (E::UnclosedScope, "scope is not closed with `)`"),
            (
                E::MissingBlankLine,
                "the body must be separated from the description by a blank line",
            ),
        ];
        for (kind, message) in rows {
            assert_eq!(ParseError::from(kind).to_string(), message);
            assert_eq!(ProblemKind::Parse(kind).to_string(), message);
        }
    }

    #[derive(Debug)]
    pub(crate) enum WantClass {
        Merge,
        Revert(Option<&'static str>),
        Conventional(&'static str),
        NonConventional(E),
    }

    /// The classification table: name, message, parent count, the class it must get. Shared
    /// like [`parse_rows`].
    pub(crate) fn classify_rows() -> Vec<(&'static str, &'static str, usize, WantClass)> {
        use WantClass as W;
        vec![
            ("merge with a conventional message", "feat: x", 2, W::Merge),
            (
                "merge with git's message",
                "Merge branch 'main' into dev",
                2,
                W::Merge,
            ),
            (
                "octopus merge",
                "Merge branches 'a', 'b' and 'c'",
                3,
                W::Merge,
            ),
            ("merge with an empty message", "", 2, W::Merge),
            (
                "merge message on a single-parent commit",
                "Merge branch 'main' into dev",
                1,
                W::NonConventional(E::MissingSeparator),
            ),
            (
                "git revert",
                "Revert \"feat: add x\"\n\nThis reverts commit 0123abcd.",
                1,
                W::Revert(Some("feat: add x")),
            ),
            (
                "git revert with CRLF",
                "Revert \"fix: y\"\r\n\r\nThis reverts commit 0123abcd.\r\n",
                1,
                W::Revert(Some("fix: y")),
            ),
            (
                "git revert of a revert, old git",
                "Revert \"Revert \"feat: x\"\"",
                1,
                W::Revert(Some("Revert \"feat: x\"")),
            ),
            (
                "git reapply, git 2.43+",
                "Reapply \"feat: x\"\n\nThis reverts commit 0123abcd.",
                1,
                W::Revert(Some("Revert \"feat: x\"")),
            ),
            (
                "git revert with edited quotes",
                "Revert \"feat: x",
                1,
                W::Revert(None),
            ),
            (
                "conventional revert",
                "revert: let us never again speak of the noodle incident",
                1,
                W::Conventional("revert"),
            ),
            (
                "conventional Revert: is not git's form",
                "Revert: x",
                1,
                W::Conventional("Revert"),
            ),
            (
                "fixup!",
                "fixup! feat: x",
                1,
                W::NonConventional(E::Autosquash),
            ),
            (
                "squash!",
                "squash! feat: x\n\nmore",
                1,
                W::NonConventional(E::Autosquash),
            ),
            (
                "amend!",
                "amend! feat: x",
                1,
                W::NonConventional(E::Autosquash),
            ),
            (
                "plain text",
                "Update README",
                1,
                W::NonConventional(E::MissingSeparator),
            ),
            ("empty message", "", 1, W::NonConventional(E::Empty)),
            ("conventional", "feat(api)!: x", 1, W::Conventional("feat")),
            ("root commit", "chore: init", 0, W::Conventional("chore")),
        ]
    }

    #[test]
    fn classify_table() {
        use WantClass as W;
        for (name, message, parents, want) in classify_rows() {
            let got = classify(message, parents);
            let matches = match (&got, &want) {
                (CommitClass::Merge, W::Merge) => true,
                (CommitClass::Revert { reverted_subject }, W::Revert(want)) => {
                    reverted_subject.as_deref() == *want
                }
                (CommitClass::Conventional(commit), W::Conventional(kind)) => commit.kind == *kind,
                (CommitClass::NonConventional(error), W::NonConventional(kind)) => {
                    error.kind == *kind
                }
                _ => false,
            };
            assert!(matches, "{name}: got {got:?}, want {want:?}");
        }
    }

    #[test]
    fn bump_table() {
        use Level::{Major, Minor, Patch};
        let custom = || {
            BumpRules::default()
                .with_type("DOCS", Some(Patch))
                .with_type("feat", None)
        };
        let rows: Vec<(&str, BumpRules, &str, usize, Option<Level>)> = vec![
            (
                "default feat",
                BumpRules::default(),
                "feat: x",
                1,
                Some(Minor),
            ),
            (
                "default fix",
                BumpRules::default(),
                "fix: x",
                1,
                Some(Patch),
            ),
            (
                "default perf",
                BumpRules::default(),
                "perf: x",
                1,
                Some(Patch),
            ),
            ("default docs", BumpRules::default(), "docs: x", 1, None),
            ("default chore", BumpRules::default(), "chore: x", 1, None),
            (
                "default refactor",
                BumpRules::default(),
                "refactor(core): x",
                1,
                None,
            ),
            (
                "default unknown type",
                BumpRules::default(),
                "wibble: x",
                1,
                None,
            ),
            (
                "default revert type",
                BumpRules::default(),
                "revert: x",
                1,
                None,
            ),
            (
                "upper-case type",
                BumpRules::default(),
                "FEAT: x",
                1,
                Some(Minor),
            ),
            ("feat!", BumpRules::default(), "feat!: x", 1, Some(Major)),
            (
                "docs! is major whatever the type",
                BumpRules::default(),
                "docs!: x",
                1,
                Some(Major),
            ),
            (
                "breaking footer",
                BumpRules::default(),
                "chore: x\n\nBREAKING CHANGE: y",
                1,
                Some(Major),
            ),
            (
                "BREAKING-CHANGE footer",
                BumpRules::default(),
                "fix: x\n\nBREAKING-CHANGE: y",
                1,
                Some(Major),
            ),
            (
                "lower-case breaking-change is not breaking",
                BumpRules::default(),
                "feat: x\n\nbreaking-change: y",
                1,
                Some(Minor),
            ),
            (
                "breaking change in the body is not breaking",
                BumpRules::default(),
                "fix: x\n\nBREAKING CHANGE: y\n\nmore",
                1,
                Some(Patch),
            ),
            ("custom: docs is patch", custom(), "docs: x", 1, Some(Patch)),
            ("custom: feat is nothing", custom(), "feat: x", 1, None),
            (
                "custom: feat! is still major",
                custom(),
                "feat!: x",
                1,
                Some(Major),
            ),
            (
                "custom: fix keeps its default",
                custom(),
                "fix: x",
                1,
                Some(Patch),
            ),
            (
                "custom: fix raised to minor",
                BumpRules::default().with_type("fix", Some(Minor)),
                "fix: x",
                1,
                Some(Minor),
            ),
            ("empty rules: feat", BumpRules::empty(), "feat: x", 1, None),
            (
                "empty rules: breaking",
                BumpRules::empty(),
                "feat: x\n\nBREAKING CHANGE: y",
                1,
                Some(Major),
            ),
            (
                "merge does not bump",
                BumpRules::default(),
                "feat!: x",
                2,
                None,
            ),
            (
                "git revert does not bump",
                BumpRules::default(),
                "Revert \"feat: x\"",
                1,
                None,
            ),
            (
                "non-conventional does not bump",
                BumpRules::default(),
                "add feature",
                1,
                None,
            ),
            (
                "fixup does not bump",
                BumpRules::default(),
                "fixup! feat!: x",
                1,
                None,
            ),
        ];
        for (name, rules, message, parents, want) in rows {
            let class = classify(message, parents);
            assert_eq!(rules.level_of_class(&class), want, "{name}");
            if let CommitClass::Conventional(commit) = &class {
                assert_eq!(rules.level_of(commit), want, "{name}: level_of");
            }
        }
    }

    /// `relcut check` and `--strict` must refuse exactly the same messages: a message the parser
    /// refuses has a parse problem in the lint, and one it accepts has none.
    #[test]
    fn lint_judges_the_subject_as_the_parser_does() {
        for (name, message, _) in parse_rows() {
            let parse_problems: Vec<ParseErrorKind> = lint(message, 1)
                .into_iter()
                .filter_map(|problem| match problem.kind {
                    ProblemKind::Parse(kind) => Some(kind),
                    _ => None,
                })
                .collect();
            match parse(message) {
                Ok(_) => assert_eq!(parse_problems, [], "{name}"),
                Err(error) => assert!(
                    parse_problems.contains(&error.kind),
                    "{name}: parse says {:?}, lint says {parse_problems:?}",
                    error.kind
                ),
            }
        }
    }

    #[test]
    fn lint_table() {
        use ProblemKind as P;
        // Name, message, parent count, the problems as (kind, line).
        type Row = (&'static str, &'static str, usize, Vec<(ProblemKind, usize)>);
        let rows: Vec<Row> = vec![
            (
                "conventional",
                "feat(api): x\n\nbody\n\nRefs: #1",
                1,
                vec![],
            ),
            (
                "merge with any message",
                "Merged stuff, whatever",
                2,
                vec![],
            ),
            (
                "git revert",
                "Revert \"feat: x\"\n\nThis reverts commit 0123abcd.",
                1,
                vec![],
            ),
            ("git reapply", "Reapply \"feat: x\"", 1, vec![]),
            (
                "conventional revert",
                "revert: x\n\nRefs: 676104e",
                1,
                vec![],
            ),
            (
                "breaking footer",
                "feat: x\n\nBREAKING CHANGE: y",
                1,
                vec![],
            ),
            (
                "BREAKING-CHANGE footer",
                "feat: x\n\nBREAKING-CHANGE: y",
                1,
                vec![],
            ),
            (
                "`Note:` then prose",
                "fix: x\n\nNote: y\n\nprose",
                1,
                vec![],
            ),
            (
                "breaking change in the description",
                "fix: breaking change: no",
                1,
                vec![],
            ),
            (
                "plain text",
                "Update README",
                1,
                vec![(P::Parse(E::MissingSeparator), 1)],
            ),
            ("empty", "\n\n", 1, vec![(P::Parse(E::Empty), 1)]),
            (
                "fixup",
                "fixup! feat: x",
                1,
                vec![(P::Parse(E::Autosquash), 1)],
            ),
            (
                "empty scope",
                "feat(): x",
                1,
                vec![(P::Parse(E::EmptyScope), 1)],
            ),
            ("scope with whitespace", "feat(my scope): x", 1, vec![]),
            ("scope padded with spaces", "feat( api ): x", 1, vec![]),
            ("scope listing two", "feat(a, b): x", 1, vec![]),
            (
                "scope broken by a line break",
                "feat(a\nb): x",
                1,
                vec![
                    (P::Parse(E::UnclosedScope), 1),
                    (P::Parse(E::MissingBlankLine), 2),
                ],
            ),
            (
                "lower-case breaking-change footer",
                "feat: x\n\nbreaking-change: y",
                1,
                vec![(P::BreakingChangeCase, 3)],
            ),
            (
                "lower-case breaking change in body",
                "feat: x\n\nbreaking change: y",
                1,
                vec![(P::BreakingChangeCase, 3)],
            ),
            (
                "title-case Breaking Change",
                "feat: x\n\nRefs: #1\nBreaking Change: y",
                1,
                vec![(P::BreakingChangeCase, 4)],
            ),
            (
                "BREAKING CHANGE #",
                "feat: x\n\nBREAKING CHANGE #1",
                1,
                vec![(P::BreakingChangeSeparator, 3)],
            ),
            (
                "BREAKING CHANGE: with the value below",
                "feat: x\n\nBREAKING CHANGE:\nthe api moved",
                1,
                vec![(P::BreakingChangeEmpty, 3)],
            ),
            (
                "BREAKING CHANGE:x",
                "feat: x\n\nBREAKING-CHANGE:y",
                1,
                vec![(P::BreakingChangeEmpty, 3)],
            ),
            (
                "BREAKING CHANGE in the body",
                "feat: x\n\nBREAKING CHANGE: y\n\nMore about y.",
                1,
                vec![(P::BreakingChangeOutsideFooters, 3)],
            ),
            (
                "`Breaking changes` prose is fine",
                "feat: x\n\nBreaking changes are listed below.",
                1,
                vec![],
            ),
            (
                "all problems at once",
                "feat:x\nbody\n\nbreaking change: y",
                1,
                vec![
                    (P::Parse(E::MissingSpace), 1),
                    (P::Parse(E::MissingBlankLine), 2),
                    (P::BreakingChangeCase, 4),
                ],
            ),
            (
                "footer problems after a bad subject",
                "Update README\n\nBREAKING CHANGE #2\nbreaking-change: z",
                1,
                vec![
                    (P::Parse(E::MissingSeparator), 1),
                    (P::BreakingChangeSeparator, 3),
                    (P::BreakingChangeCase, 4),
                ],
            ),
            (
                "line numbers count leading blank lines",
                "\n\nfeat:x",
                1,
                vec![(P::Parse(E::MissingSpace), 3)],
            ),
            (
                "CRLF",
                "feat: x\r\nbody\r\n\r\nbreaking-change: y\r\n",
                1,
                vec![
                    (P::Parse(E::MissingBlankLine), 2),
                    (P::BreakingChangeCase, 4),
                ],
            ),
        ];
        for (name, message, parents, want) in rows {
            let got: Vec<(ProblemKind, usize)> = lint(message, parents)
                .into_iter()
                .map(|problem| (problem.kind, problem.line))
                .collect();
            assert_eq!(got, want, "{name}");
            let parses = parse(message).is_ok();
            let parse_problems = got.iter().any(|(kind, _)| matches!(kind, P::Parse(_)));
            if parents < 2 && git_revert(message).is_none() {
                assert_eq!(parses, !parse_problems, "{name}: lint and parse disagree");
            }
        }
    }

    #[test]
    fn problem_messages() {
        let problem = Problem {
            kind: ProblemKind::BreakingChangeCase,
            line: 3,
        };
        assert_eq!(
            problem.to_string(),
            "write `BREAKING CHANGE:` in upper case or it is not a breaking change"
        );
    }
}
