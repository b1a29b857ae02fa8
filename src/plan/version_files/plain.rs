//! The `VERSION` file kind: a file that holds only the version. Pure; must not read the disk.
//!
//! Format rules (for the README):
//! - The file holds one version, e.g. `1.2.3`, `1.3.0-rc.1` or `1.2.3+build.5`.
//! - An optional lowercase `v` prefix (`v1.2.3`) is accepted and kept when the version is rewritten.
//! - Whitespace around the version (spaces, tabs, blank lines, the final newline, CRLF line
//!   endings) and a UTF-8 byte-order mark are accepted and kept byte-for-byte; only the version
//!   itself is replaced.
//! - Anything else after the version (a second version, a comment) is an error, as is an empty
//!   file, so relcut never guesses which text is the version.

use std::ops::Range;

use semver::Version;

use super::error::{VersionFileError, example_version, line_at};
use super::format::{Context, Parsed, VersionFileModel, with_origin};
use super::text_edit::Splice;
use super::{FoundVersion, SourceFile, VersionForm};

/// The field name reported for a plain version file.
const FIELD: &str = "VERSION";

/// The version a plain version file holds, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PlainVersion {
    /// The version, without the `v` prefix.
    pub version: Version,
    /// Byte range of the version text, `v` prefix included.
    pub token: Range<usize>,
    /// 1-based line of the version.
    pub line: usize,
    /// Whether the file writes the version as `v1.2.3`.
    pub v_prefix: bool,
}

impl PlainVersion {
    /// Reads the version of a plain version file.
    pub(super) fn parse(file: &SourceFile) -> Result<Self, VersionFileError> {
        #[cfg(test)]
        super::parse_count::record(&file.path);
        let text = file.text.as_str();
        // Editors on Windows may save a byte-order mark; it is neither version nor whitespace.
        let body_start = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let body = &text[body_start..];
        let Some(token_start) = body.find(|c: char| !c.is_whitespace()) else {
            return Err(VersionFileError::EmptyVersionFile {
                path: file.path.clone(),
            });
        };
        let token_length = body[token_start..]
            .find(char::is_whitespace)
            .unwrap_or(body.len() - token_start);
        let token_end = token_start + token_length;
        if let Some(extra) = body[token_end..].find(|c: char| !c.is_whitespace()) {
            return Err(VersionFileError::TextAfterVersion {
                path: file.path.clone(),
                line: line_at(text, body_start + token_end + extra),
            });
        }

        let token = &body[token_start..token_end];
        let line = line_at(text, body_start + token_start);
        let (v_prefix, number) = match token.strip_prefix('v') {
            Some(number) => (true, number),
            None => (false, token),
        };
        let version = Version::parse(number).map_err(|_| VersionFileError::NotSemver {
            path: file.path.clone(),
            line,
            found: token.to_owned(),
            example: example_version(token),
        })?;
        Ok(Self {
            version,
            token: body_start + token_start..body_start + token_end,
            line,
            v_prefix,
        })
    }

    /// The version as a [`FoundVersion`] of `file`.
    pub(super) fn found(&self, file: &SourceFile) -> FoundVersion {
        FoundVersion {
            path: file.path.clone(),
            line: self.line,
            field: FIELD.to_owned(),
            version: self.version.clone(),
            written: file.text[self.token.clone()].to_owned(),
            form: VersionForm::SemVer,
        }
    }

    /// The splice that writes `new` in place of the version, keeping the `v` prefix if any.
    pub(super) fn rewrite(&self, new: &Version) -> Splice {
        let prefix = if self.v_prefix { "v" } else { "" };
        Splice::new(self.token.clone(), format!("{prefix}{new}"))
    }
}

/// Reads a plain version file into its model.
pub(super) fn parse<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    Ok(Box::new(PlainFile {
        file,
        version: PlainVersion::parse(file)?,
    }))
}

/// A plain version file, parsed.
struct PlainFile<'f> {
    file: &'f SourceFile,
    version: PlainVersion,
}

impl VersionFileModel for PlainFile<'_> {
    fn found_versions(&self) -> Vec<FoundVersion> {
        vec![self.version.found(self.file)]
    }

    fn splices(&self, new: &Version, _context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        Ok(vec![self.version.rewrite(new)])
    }

    fn reason(&self) -> String {
        with_origin(self.file, "the version file")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::VersionFileKind;
    use crate::plan::version_files::text_edit::apply;

    fn version_file(text: &str) -> SourceFile {
        SourceFile {
            path: "VERSION".into(),
            kind: VersionFileKind::PlainVersion,
            origin: crate::plan::version_files::Origin::Detected,
            text: text.to_owned(),
        }
    }

    #[test]
    fn reads_and_rewrites_accepted_forms() {
        // (file text, version read, line, text after moving to 1.3.0)
        let rows = [
            ("1.2.3", "1.2.3", 1, "1.3.0"),
            ("1.2.3\n", "1.2.3", 1, "1.3.0\n"),
            ("1.2.3\r\n", "1.2.3", 1, "1.3.0\r\n"),
            ("  1.2.3  \n", "1.2.3", 1, "  1.3.0  \n"),
            ("\t1.2.3\t", "1.2.3", 1, "\t1.3.0\t"),
            ("\n\n1.2.3\n\n", "1.2.3", 3, "\n\n1.3.0\n\n"),
            ("v1.2.3\n", "1.2.3", 1, "v1.3.0\n"),
            ("\u{feff}1.2.3\n", "1.2.3", 1, "\u{feff}1.3.0\n"),
            ("1.3.0-rc.1+build.7\n", "1.3.0-rc.1+build.7", 1, "1.3.0\n"),
        ];
        let new = Version::parse("1.3.0").unwrap();
        for (text, version, line, after) in rows {
            let file = version_file(text);
            let parsed =
                PlainVersion::parse(&file).unwrap_or_else(|error| panic!("{text:?}: {error}"));
            assert_eq!(parsed.version, Version::parse(version).unwrap(), "{text:?}");
            assert_eq!(parsed.line, line, "{text:?}");
            assert_eq!(apply(text, vec![parsed.rewrite(&new)]), after, "{text:?}");
        }
    }

    #[test]
    fn rewrite_writes_prerelease_and_build_metadata() {
        let file = version_file("v1.2.3\n");
        let parsed = PlainVersion::parse(&file).unwrap();
        let new = Version::parse("2.0.0-beta.1+sha.abc").unwrap();
        assert_eq!(
            apply(&file.text, vec![parsed.rewrite(&new)]),
            "v2.0.0-beta.1+sha.abc\n"
        );
    }

    #[test]
    fn rejects_what_is_not_one_version() {
        let rows = [
            (
                "",
                "`VERSION` is empty; write the current version in it, e.g. `0.1.0`",
            ),
            (
                " \n\r\n",
                "`VERSION` is empty; write the current version in it, e.g. `0.1.0`",
            ),
            (
                "1.2.3\n1.2.4\n",
                "`VERSION` line 2: unexpected text after the version; keep only the version, on one line",
            ),
            (
                "1.2.3 # current\n",
                "`VERSION` line 1: unexpected text after the version; keep only the version, on one line",
            ),
            (
                "1.2\n",
                "`VERSION` line 1: `1.2` is not a SemVer version (X.Y.Z); write a full version such as `1.2.0`",
            ),
            (
                "V1.2.3\n",
                "`VERSION` line 1: `V1.2.3` is not a SemVer version (X.Y.Z); write a full version such as `1.2.3`",
            ),
            (
                "\nversion=1.2.3\n",
                "`VERSION` line 2: `version=1.2.3` is not a SemVer version (X.Y.Z); write a full version such as `0.1.0`",
            ),
            (
                "garbage",
                "`VERSION` line 1: `garbage` is not a SemVer version (X.Y.Z); write a full version such as `0.1.0`",
            ),
            (
                "01.2.3",
                "`VERSION` line 1: `01.2.3` is not a SemVer version (X.Y.Z); write a full version such as `1.2.3`",
            ),
        ];
        for (text, message) in rows {
            let error = PlainVersion::parse(&version_file(text)).unwrap_err();
            assert_eq!(error.to_string(), message, "{text:?}");
        }
    }
}
