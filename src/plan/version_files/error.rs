//! The error type of version files: every variant renders as one sentence that names the file, the
//! line and the fix. It holds no logic beyond rendering and must not read the disk.

use std::io;
use std::path::{Path, PathBuf};

/// Why a version file could not be read, understood or rewritten.
///
/// Each message is a sentence a person can act on: which file (relative to the repository root),
/// which line, what is wrong, and what to do. Underlying causes (I/O errors) are kept as
/// [`std::error::Error::source`] so the caller prints them as `caused by:` lines.
#[derive(Debug, thiserror::Error)]
pub enum VersionFileError {
    /// The file exists but reading it failed (permissions, I/O).
    #[error("`{path}` could not be read; check that it is readable", path = .path.display())]
    Read {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },

    /// A configured version file does not exist.
    #[error(
        "`{path}` (relcut.toml line {config_line}) does not exist; create it, or remove its \
         `[[files]]` entry",
        path = .path.display()
    )]
    NotFound {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the `[[files]]` entry.
        config_line: usize,
    },

    /// A `[[files]]` glob is not a valid glob.
    #[error(
        "`relcut.toml` line {config_line}: the file pattern `{pattern}` is not a valid glob \
         ({message}); fix `path`"
    )]
    InvalidFilesGlob {
        /// The glob as written.
        pattern: String,
        /// 1-based line of the `[[files]]` entry.
        config_line: usize,
        /// Why the glob crate rejected it.
        message: String,
    },

    /// A `[[files]]` glob matches no file.
    #[error(
        "`relcut.toml` line {config_line}: `{pattern}` matches no file; fix `path`, or remove the entry"
    )]
    FilesGlobMatchesNothing {
        /// The glob as written.
        pattern: String,
        /// 1-based line of the `[[files]]` entry.
        config_line: usize,
    },

    /// A path that should be a file is a directory.
    #[error(
        "`{path}` is a directory, not a file; point relcut at a file, or move the directory away",
        path = .path.display()
    )]
    IsDirectory {
        /// The path, relative to the repository root.
        path: PathBuf,
    },

    /// The file is not UTF-8 text.
    #[error("`{path}` is not UTF-8 text; save it as UTF-8", path = .path.display())]
    NotUtf8 {
        /// The file, relative to the repository root.
        path: PathBuf,
    },

    /// A TOML file does not parse.
    #[error(
        "`{path}` line {line}: invalid TOML: {message}; fix the syntax and run again",
        path = .path.display()
    )]
    InvalidToml {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// First line of the parser's message.
        message: String,
    },

    /// A `VERSION` file holds nothing but whitespace.
    #[error(
        "`{path}` is empty; write the current version in it, e.g. `0.1.0`",
        path = .path.display()
    )]
    EmptyVersionFile {
        /// The file, relative to the repository root.
        path: PathBuf,
    },

    /// A `VERSION` file holds more than the version.
    #[error(
        "`{path}` line {line}: unexpected text after the version; keep only the version, on one line",
        path = .path.display()
    )]
    TextAfterVersion {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the unexpected text.
        line: usize,
    },

    /// A version is not a SemVer version.
    #[error(
        "`{path}` line {line}: `{found}` is not a SemVer version (X.Y.Z); write a full version such as `{example}`",
        path = .path.display()
    )]
    NotSemver {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the version.
        line: usize,
        /// The offending text as written, e.g. `version = "1.2"` or `1.2`.
        found: String,
        /// A corrected version to suggest, e.g. `1.2.0`.
        example: String,
    },

    /// A TOML field has the wrong type.
    #[error(
        "`{path}` line {line}: `{field}` is {found}; write {expected}",
        path = .path.display()
    )]
    WrongType {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the field.
        line: usize,
        /// The dotted field name, e.g. `package.version`.
        field: String,
        /// The TOML type found, with its article, e.g. `an integer`.
        found: String,
        /// What to write instead, e.g. ``a string such as `"1.2.0"` ``.
        expected: String,
    },

    /// A required TOML field is missing.
    #[error(
        "`{path}` line {line}: `{table}` has no `{field}`; add {example}",
        path = .path.display()
    )]
    MissingField {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the table that lacks the field.
        line: usize,
        /// The table, e.g. `[package]`.
        table: String,
        /// The missing key, e.g. `name`.
        field: String,
        /// What to add, e.g. ``a line such as `name = "my-crate"` ``.
        example: String,
    },

    /// A package inherits `version.workspace = true` but no workspace declares a version.
    #[error(
        "`{path}` line {line}: `version.workspace = true`, but no workspace `Cargo.toml` among the \
         version files declares `[workspace.package] version`; add `version = \"…\"` under \
         `[workspace.package]`, or add the workspace `Cargo.toml` to the version files",
        path = .path.display()
    )]
    MissingWorkspaceVersion {
        /// The member manifest, relative to the repository root.
        path: PathBuf,
        /// 1-based line of `version.workspace = true`.
        line: usize,
    },

    /// The version requirement on a path dependency between members does not parse.
    #[error(
        "`{path}` line {line}: `{requirement}`, the version requirement on path dependency \
         `{dependency}`, is not a valid requirement; write one such as `\"{example}\"`",
        path = .path.display()
    )]
    InvalidRequirement {
        /// The manifest, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the requirement.
        line: usize,
        /// The dependency's key in its table.
        dependency: String,
        /// The requirement as written.
        requirement: String,
        /// The new version, to suggest as a requirement.
        example: String,
    },

    /// The requirement on a path dependency between members is a range relcut cannot move, and
    /// the new version falls outside it.
    #[error(
        "`{path}` line {line}: the requirement `{requirement}` on path dependency `{dependency}` \
         does not accept the new version {version}; write `\"{version}\"` or a requirement that \
         accepts it",
        path = .path.display()
    )]
    RequirementRejectsVersion {
        /// The manifest, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the requirement.
        line: usize,
        /// The dependency's key in its table.
        dependency: String,
        /// The requirement as written.
        requirement: String,
        /// The new version, without build metadata (requirements cannot hold it).
        version: String,
    },

    /// A range on a workspace member, in another member's `package.json`, that relcut does not
    /// move and that does not accept the new version.
    #[error(
        "`{path}` line {line}: the range `{range}` on workspace member `{dependency}` does not \
         accept the new version {version}, so npm would install the published `{dependency}` \
         instead of the workspace's; write `^{version}` (or `workspace:^` with pnpm and Yarn), \
         or a range that accepts it",
        path = .path.display()
    )]
    NpmRangeRejectsVersion {
        /// The manifest, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the range.
        line: usize,
        /// The member the range is on.
        dependency: String,
        /// The range as written.
        range: String,
        /// The new version, without build metadata (ranges cannot hold it).
        version: String,
    },

    /// A `workspace.members` entry is not a valid glob pattern.
    #[error(
        "`{path}` line {line}: the workspace member pattern `{pattern}` is not a valid glob \
         ({message}); fix the pattern",
        path = .path.display()
    )]
    InvalidMemberPattern {
        /// The workspace manifest, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the pattern.
        line: usize,
        /// The pattern as written.
        pattern: String,
        /// Why the glob crate rejected it.
        message: String,
    },

    /// A `workspace.members` entry matches no path at all (Cargo fails the same way).
    #[error(
        "`{path}` line {line}: the workspace member `{pattern}` matches no directory; create it, \
         or remove it from `workspace.members`",
        path = .path.display()
    )]
    MemberMatchesNothing {
        /// The workspace manifest, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the pattern.
        line: usize,
        /// The pattern as written.
        pattern: String,
    },

    /// A workspace member directory has no `Cargo.toml` (Cargo fails the same way).
    #[error(
        "`{path}` line {line}: the workspace member `{member}`{via} has no `Cargo.toml`; add one, \
         or list `{member}` in `workspace.exclude`",
        path = .path.display(),
        member = .member.display(),
        via = via_pattern(.member, .pattern)
    )]
    MemberWithoutManifest {
        /// The workspace manifest, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the `members` entry.
        line: usize,
        /// The member directory, relative to the repository root.
        member: PathBuf,
        /// The `members` entry that produced it.
        pattern: String,
    },

    /// A JSON file does not parse.
    #[error(
        "`{path}` line {line}, column {column}: invalid JSON: {message}; fix the syntax and run again",
        path = .path.display()
    )]
    InvalidJson {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem, in characters.
        column: usize,
        /// What the parser expected.
        message: String,
    },

    /// A JSON value has the wrong type.
    #[error(
        "`{path}` line {line}: `{field}` is {found}; write {expected}",
        path = .path.display()
    )]
    JsonWrongType {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the value.
        line: usize,
        /// The dotted field name, e.g. `packages[""].version`.
        field: String,
        /// The JSON type found, with its article.
        found: String,
        /// What to write instead.
        expected: String,
    },

    /// A lockfile has no entry for the project itself.
    #[error("`{path}`{at}: {problem}; {fix}", path = .path.display(), at = at_line(*.line))]
    NoLockRoot {
        /// The lockfile, relative to the repository root.
        path: PathBuf,
        /// 1-based line to point at, when there is one.
        line: Option<usize>,
        /// What is missing.
        problem: String,
        /// How to regenerate it.
        fix: String,
    },

    /// A configured version file has no version to update.
    #[error("`{path}`{at}: {problem}; {fix}", path = .path.display(), at = at_line(*.line))]
    NoVersionField {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the table that lacks it, when there is one.
        line: Option<usize>,
        /// What is missing.
        problem: String,
        /// What to add.
        fix: String,
    },

    /// `pyproject.toml` says the version is computed elsewhere.
    #[error(
        "`{path}` line {line}: the version is dynamic (`dynamic = [\"version\"]`), so it is not \
         written in this file{source_hint}; add the file that holds it to relcut.toml as a pattern \
         file (`[[files]]` with `path`, `search` and `replace`), or, if the version comes from git \
         tags alone, set `detect = false` and list the other version files",
        path = .path.display()
    )]
    DynamicVersion {
        /// The `pyproject.toml`, relative to the repository root.
        path: PathBuf,
        /// 1-based line of `dynamic`.
        line: usize,
        /// Where the build backend reads the version, when the file says, e.g.
        /// `` (hatch reads it from `src/pkg/__about__.py`)``.
        source_hint: String,
    },

    /// A version has no PEP 440 form, and a file needs one.
    #[error("`{path}`{at}: {message}", path = .path.display(), at = at_line(*.line))]
    NoPep440Form {
        /// The file that needs the PEP 440 form, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the version, when there is one.
        line: Option<usize>,
        /// Why, from the PEP 440 conversion.
        message: String,
    },

    /// A version in PEP 440 form has no SemVer form.
    #[error(
        "`{path}` line {line}: {message}; write a version relcut can release, such as `{example}`",
        path = .path.display()
    )]
    NotPep440 {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the version.
        line: usize,
        /// Why, from the PEP 440 conversion.
        message: String,
        /// A version to suggest.
        example: String,
    },

    /// A pattern matched a number of times other than expected.
    #[error(
        "`{path}`: the pattern `{search}` (relcut.toml line {config_line}) {outcome}",
        path = .path.display(),
        outcome = pattern_outcome(*.expected, *.found, .lines)
    )]
    PatternCount {
        /// The pattern file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the `[[files]]` entry.
        config_line: usize,
        /// The regular expression.
        search: String,
        /// `count`, when set.
        expected: Option<usize>,
        /// How many matches there are.
        found: usize,
        /// 1-based lines of the matches.
        lines: Vec<usize>,
    },

    /// A pattern's `version` group captured something that is not a version.
    #[error(
        "`{path}` line {line}: `{found}`, captured as the version by the pattern on relcut.toml \
         line {config_line}, is not a version; fix the `version` group of `search`",
        path = .path.display()
    )]
    PatternNotAVersion {
        /// The pattern file, relative to the repository root.
        path: PathBuf,
        /// 1-based line of the capture.
        line: usize,
        /// What the group captured.
        found: String,
        /// 1-based line of the `[[files]]` entry.
        config_line: usize,
    },

    /// Two entries for the same file rewrite overlapping text.
    #[error(
        "`{path}` line {line}: two version entries for this file rewrite the same text; make the \
         patterns in relcut.toml match different text",
        path = .path.display()
    )]
    OverlappingEdits {
        /// The file, relative to the repository root.
        path: PathBuf,
        /// 1-based line where the edits overlap.
        line: usize,
    },
}

/// ` line N` when there is a line.
fn at_line(line: Option<usize>) -> String {
    line.map(|line| format!(" line {line}")).unwrap_or_default()
}

/// How a pattern's matches differ from what was expected, and the fix.
fn pattern_outcome(expected: Option<usize>, found: usize, lines: &[usize]) -> String {
    let what = match found {
        0 => String::from("matches nothing"),
        _ => format!(
            "matches {found} time{} (line{} {})",
            if found == 1 { "" } else { "s" },
            if lines.len() == 1 { "" } else { "s" },
            lines
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    match expected {
        None => format!("{what}; fix `search`, or the file"),
        Some(count) => format!("{what}, but `count = {count}`; fix `search` or `count`"),
    }
}

/// Names the glob a member came from, unless the member was listed literally.
fn via_pattern(member: &Path, pattern: &str) -> String {
    if Path::new(pattern) == member {
        String::new()
    } else {
        format!(" (matched by `{pattern}`)")
    }
}

/// 1-based line of a byte offset; an offset past the end counts as the last line.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

/// A full version to suggest in place of `found`: its leading numbers padded to X.Y.Z
/// (`1.2` → `1.2.0`, `v3` → `3.0.0`), or `0.1.0` when it has no leading number.
pub(super) fn example_version(found: &str) -> String {
    let trimmed = found.trim().trim_start_matches(['v', 'V', '=']);
    // Parsing as a number also drops leading zeros, which SemVer forbids.
    let mut numbers: Vec<String> = trimmed
        .split('.')
        .take(3)
        .map_while(|part| part.parse::<u64>().ok())
        .map(|number| number.to_string())
        .collect();
    if numbers.is_empty() {
        return "0.1.0".to_owned();
    }
    numbers.resize(3, "0".to_owned());
    numbers.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_at_counts_newlines_before_the_offset() {
        let text = "a\nb\r\nc";
        for (offset, line) in [(0, 1), (1, 1), (2, 2), (5, 3), (99, 3)] {
            assert_eq!(line_at(text, offset), line, "offset {offset}");
        }
    }

    #[test]
    fn example_version_pads_leading_numbers() {
        for (found, example) in [
            ("1.2", "1.2.0"),
            ("1", "1.0.0"),
            ("v3", "3.0.0"),
            ("1.2.3.4", "1.2.3"),
            ("01.x", "1.0.0"),
            ("1.-2", "1.0.0"),
            ("latest", "0.1.0"),
            ("", "0.1.0"),
        ] {
            assert_eq!(example_version(found), example, "{found:?}");
        }
    }

    #[test]
    fn member_message_names_the_pattern_only_when_it_differs() {
        let literal = VersionFileError::MemberWithoutManifest {
            path: "Cargo.toml".into(),
            line: 2,
            member: "crates/core".into(),
            pattern: "crates/core".into(),
        };
        assert_eq!(
            literal.to_string(),
            "`Cargo.toml` line 2: the workspace member `crates/core` has no `Cargo.toml`; add one, \
             or list `crates/core` in `workspace.exclude`"
        );
        let globbed = VersionFileError::MemberWithoutManifest {
            path: "Cargo.toml".into(),
            line: 2,
            member: "crates/empty".into(),
            pattern: "crates/*".into(),
        };
        assert_eq!(
            globbed.to_string(),
            "`Cargo.toml` line 2: the workspace member `crates/empty` (matched by `crates/*`) has \
             no `Cargo.toml`; add one, or list `crates/empty` in `workspace.exclude`"
        );
    }
}
