//! Pattern files: any file whose version is found by a regular expression from `relcut.toml` and
//! rewritten from a replacement template (`helm/Chart.yaml`, `src/pkg/__init__.py`, a Dockerfile
//! label, a README badge). Pure; must not read the disk.
//!
//! Rules (for the README):
//! - `search` is a regular expression (Rust `regex` syntax). Every match is replaced by `replace`.
//! - `replace` may use `{{version}}` (SemVer), `{{pep440}}` (PEP 440), `{{major}}`, `{{minor}}`,
//!   `{{patch}}`, and the groups of `search` as `${1}` or `${name}`; `$$` is a literal `$`.
//! - `count` is the exact number of matches expected; without it, at least one. A pattern that
//!   matches nothing is an error, never a silent no-op.
//! - A group named `version` (`(?P<version>…)`) makes the file a version source: what it captures
//!   (SemVer, or PEP 440) must agree with the other sources before a release.

use regex::{Captures, Regex};
use semver::Version;

use super::error::{VersionFileError, line_at};
use super::format::{Context, Parsed, VersionFileModel};
use super::pep440;
use super::text_edit::Splice;
use super::{FoundVersion, SourceFile, VersionFileKind, VersionForm};

/// The placeholders a replacement template may use.
pub const REPLACE_PLACEHOLDERS: &[&str] = &["version", "pep440", "major", "minor", "patch"];

/// One `[[files]]` entry with `search` and `replace`.
#[derive(Debug, Clone)]
pub struct ReplacePattern {
    /// What to find.
    pub search: Regex,
    /// What each match becomes: placeholders, then the match's groups.
    pub replace: String,
    /// The exact number of matches expected; `None` means at least one.
    pub count: Option<usize>,
    /// 1-based line of the entry in `relcut.toml`, to name it in messages.
    pub config_line: usize,
}

impl PartialEq for ReplacePattern {
    fn eq(&self, other: &Self) -> bool {
        self.search.as_str() == other.search.as_str()
            && self.replace == other.replace
            && self.count == other.count
            && self.config_line == other.config_line
    }
}

impl Eq for ReplacePattern {}

impl ReplacePattern {
    /// The matches in `file`, with their groups, checked against [`ReplacePattern::count`].
    fn matches<'t>(&self, file: &'t SourceFile) -> Result<Vec<Captures<'t>>, VersionFileError> {
        #[cfg(test)]
        super::parse_count::record(&file.path);
        let matches: Vec<Captures<'t>> = self.search.captures_iter(&file.text).collect();
        let acceptable = match self.count {
            None => !matches.is_empty(),
            Some(expected) => matches.len() == expected,
        };
        if !acceptable {
            return Err(VersionFileError::PatternCount {
                path: file.path.clone(),
                config_line: self.config_line,
                search: self.search.as_str().to_owned(),
                expected: self.count,
                found: matches.len(),
                lines: matches
                    .iter()
                    .map(|found| line_at(&file.text, whole(found).start()))
                    .collect(),
            });
        }
        Ok(matches)
    }

    /// The versions captured by a `version` group, one per match; none without such a group.
    #[cfg(test)]
    fn found_versions(&self, file: &SourceFile) -> Result<Vec<FoundVersion>, VersionFileError> {
        self.found_in(file, &self.matches(file)?)
    }

    /// The splices that put `new` in every match.
    #[cfg(test)]
    fn splices(&self, file: &SourceFile, new: &Version) -> Result<Vec<Splice>, VersionFileError> {
        self.splices_in(file, &self.matches(file)?, new)
    }

    /// The versions a `version` group captures in `matches`, the matches of this pattern in
    /// `file`.
    fn found_in(
        &self,
        file: &SourceFile,
        matches: &[Captures<'_>],
    ) -> Result<Vec<FoundVersion>, VersionFileError> {
        let mut found = Vec::new();
        for group in matches.iter().filter_map(|found| found.name("version")) {
            let written = group.as_str();
            let line = line_at(&file.text, group.start());
            let field = format!("pattern, relcut.toml line {}", self.config_line);
            let (version, form) =
                read_version(written).ok_or_else(|| VersionFileError::PatternNotAVersion {
                    path: file.path.clone(),
                    line,
                    found: written.to_owned(),
                    config_line: self.config_line,
                })?;
            found.push(FoundVersion {
                path: file.path.clone(),
                line,
                field,
                version,
                written: written.to_owned(),
                form,
            });
        }
        Ok(found)
    }

    /// The splices that put `new` in every one of `matches`, the matches of this pattern in
    /// `file`.
    fn splices_in(
        &self,
        file: &SourceFile,
        matches: &[Captures<'_>],
        new: &Version,
    ) -> Result<Vec<Splice>, VersionFileError> {
        let template = self.render(file, new)?;
        Ok(matches
            .iter()
            .map(|captures| {
                let mut replacement = String::new();
                captures.expand(&template, &mut replacement);
                Splice::new(whole(captures).range(), replacement)
            })
            .collect())
    }

    /// The replacement template with the placeholders filled in for `new`.
    fn render(&self, file: &SourceFile, new: &Version) -> Result<String, VersionFileError> {
        let pep440 = if crate::plan::template::uses_placeholder(&self.replace, "pep440") {
            pep440::to_pep440(new).map_err(|error| VersionFileError::NoPep440Form {
                path: file.path.clone(),
                line: None,
                message: error.to_string(),
            })?
        } else {
            String::new()
        };
        let version = new.to_string();
        let (major, minor, patch) = (
            new.major.to_string(),
            new.minor.to_string(),
            new.patch.to_string(),
        );
        Ok(crate::plan::template::render_message(
            &self.replace,
            &[
                ("version", version.as_str()),
                ("pep440", pep440.as_str()),
                ("major", major.as_str()),
                ("minor", minor.as_str()),
                ("patch", patch.as_str()),
            ],
        ))
    }
}

/// Reads a pattern file into its model: each pattern's matches, found once, and the versions they
/// capture.
///
/// # Errors
///
/// A pattern that matches a number of times other than configured, a `version` group that
/// captures no version.
pub(super) fn parse<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    let VersionFileKind::Pattern(patterns) = &file.kind else {
        unreachable!("the registration list gives this parser pattern files only");
    };
    let mut scanned = Vec::new();
    let mut found = Vec::new();
    for pattern in patterns {
        let matches = pattern.matches(file)?;
        found.extend(pattern.found_in(file, &matches)?);
        scanned.push((pattern, matches));
    }
    Ok(Box::new(PatternFile {
        file,
        patterns: scanned,
        found,
    }))
}

/// A pattern file, scanned: each pattern with its matches.
struct PatternFile<'f> {
    file: &'f SourceFile,
    patterns: Vec<(&'f ReplacePattern, Vec<Captures<'f>>)>,
    found: Vec<FoundVersion>,
}

impl VersionFileModel for PatternFile<'_> {
    fn found_versions(&self) -> Vec<FoundVersion> {
        self.found.clone()
    }

    fn splices(&self, new: &Version, _context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        let mut splices = Vec::new();
        for (pattern, matches) in &self.patterns {
            splices.extend(pattern.splices_in(self.file, matches, new)?);
        }
        Ok(splices)
    }

    /// A pattern's reason names its relcut.toml line, which says how the file came to be read.
    fn reason(&self) -> String {
        let lines = self.patterns.len();
        format!(
            "pattern{} from relcut.toml line{} {}",
            if lines == 1 { "" } else { "s" },
            if lines == 1 { "" } else { "s" },
            self.patterns
                .iter()
                .map(|(pattern, _)| pattern.config_line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The whole text a match covers.
fn whole<'t>(captures: &Captures<'t>) -> regex::Match<'t> {
    captures.get(0).expect("group 0 always matches")
}

/// A captured version read as SemVer (a leading `v` allowed), or else as PEP 440.
fn read_version(text: &str) -> Option<(Version, VersionForm)> {
    let trimmed = text.trim();
    let bare = trimmed.strip_prefix('v').unwrap_or(trimmed);
    if let Ok(version) = Version::parse(bare) {
        return Some((version, VersionForm::SemVer));
    }
    pep440::to_semver(trimmed)
        .ok()
        .map(|version| (version, VersionForm::Pep440))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::{Origin, VersionFileKind, text_edit::apply};

    fn pattern(search: &str, replace: &str, count: Option<usize>) -> ReplacePattern {
        ReplacePattern {
            search: Regex::new(search).unwrap(),
            replace: replace.to_owned(),
            count,
            config_line: 7,
        }
    }

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind: VersionFileKind::Pattern(Vec::new()),
            origin: Origin::Configured,
            text: text.to_owned(),
        }
    }

    fn rewrite(pattern: &ReplacePattern, text: &str, new: &str) -> String {
        let file = file("f", text);
        apply(
            text,
            pattern
                .splices(&file, &Version::parse(new).unwrap())
                .unwrap(),
        )
    }

    #[test]
    fn rewrites_every_match_from_the_template() {
        let chart = "apiVersion: v2\nname: app\nversion: 1.2.3\nappVersion: \"1.2.3\"\n";
        let rows = [
            (
                pattern(
                    r"(?m)^appVersion: .*$",
                    "appVersion: \"{{version}}\"",
                    Some(1),
                ),
                chart,
                "1.3.0-rc.1",
                "apiVersion: v2\nname: app\nversion: 1.2.3\nappVersion: \"1.3.0-rc.1\"\n",
            ),
            (
                pattern(
                    r"(?m)^(?P<key>version|appVersion): .*$",
                    "${key}: {{version}}",
                    Some(2),
                ),
                chart,
                "2.0.0",
                "apiVersion: v2\nname: app\nversion: 2.0.0\nappVersion: 2.0.0\n",
            ),
            (
                pattern(
                    r#"__version__ = "[^"]*""#,
                    r#"__version__ = "{{pep440}}""#,
                    None,
                ),
                "__version__ = \"1.2.3\"\n",
                "1.3.0-rc.1",
                "__version__ = \"1.3.0rc1\"\n",
            ),
            (
                pattern(
                    r"LABEL version=\S+",
                    "LABEL version={{major}}.{{minor}}.{{patch}}",
                    None,
                ),
                "FROM scratch\nLABEL version=1.2.3\n",
                "1.3.0-beta.2",
                "FROM scratch\nLABEL version=1.3.0\n",
            ),
            (
                pattern(r"version-[0-9.]+-blue", "version-{{version}}-blue", None),
                "![v](https://img.shields.io/badge/version-1.2.3-blue)\n",
                "1.2.4",
                "![v](https://img.shields.io/badge/version-1.2.4-blue)\n",
            ),
            (
                pattern(r"price: \S+", "price: $$5 for {{version}}", None),
                "price: 1\r\n",
                "1.0.0",
                "price: $5 for 1.0.0\r\n",
            ),
        ];
        for (pattern, before, new, after) in rows {
            assert_eq!(rewrite(&pattern, before, new), after, "{}", pattern.search);
        }
    }

    #[test]
    fn the_number_of_matches_is_checked() {
        let text = "v: 1\nv: 2\n";
        let rows = [
            (
                pattern(r"x: \d", "x", None),
                "`Chart.yaml`: the pattern `x: \\d` (relcut.toml line 7) matches nothing; fix `search`, or the file",
            ),
            (pattern(r"x: \d", "x", Some(0)), ""),
            (
                pattern(r"v: \d", "v", Some(1)),
                "`Chart.yaml`: the pattern `v: \\d` (relcut.toml line 7) matches 2 times (lines 1, 2), but `count = 1`; fix `search` or `count`",
            ),
            (
                pattern(r"v: \d", "v", Some(3)),
                "`Chart.yaml`: the pattern `v: \\d` (relcut.toml line 7) matches 2 times (lines 1, 2), but `count = 3`; fix `search` or `count`",
            ),
        ];
        for (pattern, message) in rows {
            let file = file("Chart.yaml", text);
            let outcomes = [
                pattern.found_versions(&file).map(|_| ()),
                pattern.splices(&file, &Version::new(1, 0, 0)).map(|_| ()),
            ];
            for outcome in outcomes {
                match outcome {
                    Ok(()) => assert_eq!(message, "", "{}", pattern.search),
                    Err(error) => assert_eq!(error.to_string(), message),
                }
            }
        }
    }

    #[test]
    fn a_version_group_makes_the_file_a_source() {
        let text = "name: app\nversion: 1.2.3\nappVersion: v1.2.3\npython: 1.2.3rc1\n";
        let found = pattern(r"(?m)^\w+: (?P<version>v?\d.*)$", "{{version}}", None)
            .found_versions(&file("Chart.yaml", text))
            .unwrap();
        let summary: Vec<_> = found
            .iter()
            .map(|found| (found.line, found.version.to_string(), found.form))
            .collect();
        assert_eq!(
            summary,
            [
                (2, "1.2.3".to_owned(), VersionForm::SemVer),
                (3, "1.2.3".to_owned(), VersionForm::SemVer),
                (4, "1.2.3-rc.1".to_owned(), VersionForm::Pep440),
            ]
        );
        assert_eq!(found[0].field, "pattern, relcut.toml line 7");

        let without_group = pattern(r"version: .*", "version: {{version}}", None);
        assert!(
            without_group
                .found_versions(&file("Chart.yaml", text))
                .unwrap()
                .is_empty()
        );

        let error = pattern(r"name: (?P<version>\w+)", "", None)
            .found_versions(&file("Chart.yaml", text))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "`Chart.yaml` line 1: `app`, captured as the version by the pattern on relcut.toml line 7, is not a version; fix the `version` group of `search`"
        );
    }

    #[test]
    fn pep440_without_a_form_is_an_error_only_when_used() {
        let next = Version::parse("1.3.0-next.1").unwrap();
        for template in ["v={{version}}", "pep440={{version}}", "{{ major }}"] {
            let semver_only = pattern(r"v=\S+", template, None);
            assert!(
                semver_only.splices(&file("f", "v=1\n"), &next).is_ok(),
                "{template}"
            );
        }
        let pep = pattern(r"v=\S+", "v={{ pep440 }}", None);
        let error = pep.splices(&file("f", "v=1\n"), &next).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("`f`: `1.3.0-next.1` has no PEP 440 form"),
            "{error}"
        );
    }
}
