//! Reading TOML for version files: parsing with spans, locating string values and their lines,
//! and re-quoting a string literal. Pure; must not read files and must not edit anything itself
//! (edits are [`Splice`]s built by the callers).
//!
//! `toml_edit::Document` (the immutable, span-keeping document) is used for every read, because
//! `DocumentMut` drops the spans that give line numbers and splice ranges.

use std::ops::Range;

use toml_edit::{Document, Item, Value};

use super::SourceFile;
use super::error::{VersionFileError, line_at};
use super::text_edit::Splice;

/// Parses a TOML source file, keeping spans.
pub(super) fn parse(file: &SourceFile) -> Result<Document<&str>, VersionFileError> {
    #[cfg(test)]
    super::parse_count::record(&file.path);
    Document::parse(file.text.as_str()).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        VersionFileError::InvalidToml {
            path: file.path.clone(),
            line: line_at(&file.text, offset),
            message: error.message().lines().next().unwrap_or("").to_owned(),
        }
    })
}

/// A string value as written in a TOML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StringField {
    /// The decoded value.
    pub value: String,
    /// Byte range of the literal, quotes included.
    pub span: Range<usize>,
    /// 1-based line of the literal.
    pub line: usize,
}

impl StringField {
    /// The literal as written, quotes included.
    pub(super) fn raw<'t>(&self, file: &'t SourceFile) -> &'t str {
        &file.text[self.span.clone()]
    }

    /// A splice that makes this literal hold `value`, keeping its quote style.
    pub(super) fn rewrite(&self, file: &SourceFile, value: &str) -> Splice {
        Splice::new(self.span.clone(), requote(self.raw(file), value))
    }
}

/// 1-based line where `item` starts (its key for dotted tables, its header for tables), or 1
/// when the parser kept no span.
pub(super) fn item_line(file: &SourceFile, item: &Item) -> usize {
    item.span()
        .map_or(1, |span| line_at(&file.text, span.start))
}

/// The string at `item`, or a [`VersionFileError::WrongType`] naming `field` and `expected`.
pub(super) fn string_item(
    file: &SourceFile,
    item: &Item,
    field: &str,
    expected: &str,
) -> Result<StringField, VersionFileError> {
    match item.as_value() {
        Some(value) => string_value(file, value, field, expected),
        None => Err(wrong_type(
            file,
            item_line(file, item),
            field,
            item.type_name(),
            expected,
        )),
    }
}

/// The string `value`, or a [`VersionFileError::WrongType`] naming `field` and `expected`.
pub(super) fn string_value(
    file: &SourceFile,
    value: &Value,
    field: &str,
    expected: &str,
) -> Result<StringField, VersionFileError> {
    // Values parsed from text always carry a span; 0..0 only guards against a future parser change.
    let span = value.span().unwrap_or(0..0);
    let line = line_at(&file.text, span.start);
    match value.as_str() {
        Some(text) => Ok(StringField {
            value: text.to_owned(),
            span,
            line,
        }),
        None => Err(wrong_type(file, line, field, value.type_name(), expected)),
    }
}

/// A [`VersionFileError::WrongType`] for `field` found as TOML type `type_name`.
pub(super) fn wrong_type(
    file: &SourceFile,
    line: usize,
    field: &str,
    type_name: &str,
    expected: &str,
) -> VersionFileError {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    VersionFileError::WrongType {
        path: file.path.clone(),
        line,
        field: field.to_owned(),
        found: format!("{article} {type_name}"),
        expected: expected.to_owned(),
    }
}

/// `value` as a literal with the same delimiters as `raw` (`"…"`, `'…'`, `"""…"""` or `'''…'''`).
///
/// Versions and version requirements never need escaping, which is what lets a single-quoted
/// literal stay single-quoted. A value that would need escaping is written as an escaped basic
/// string instead, so the result is always valid TOML.
pub(super) fn requote(raw: &str, value: &str) -> String {
    let needs_escaping = value.contains(['"', '\'', '\\']) || value.contains(char::is_control);
    if needs_escaping {
        let escaped: String = value
            .chars()
            .map(|c| match c {
                '"' => "\\\"".to_owned(),
                '\\' => "\\\\".to_owned(),
                c if c.is_control() => format!("\\u{:04X}", u32::from(c)),
                c => c.to_string(),
            })
            .collect();
        return format!("\"{escaped}\"");
    }
    let delimiter = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|delimiter| raw.starts_with(delimiter))
        .unwrap_or("\"");
    format!("{delimiter}{value}{delimiter}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::VersionFileKind;

    fn toml(text: &str) -> SourceFile {
        SourceFile {
            path: "Cargo.toml".into(),
            kind: VersionFileKind::CargoManifest,
            origin: crate::plan::version_files::Origin::Detected,
            text: text.to_owned(),
        }
    }

    #[test]
    fn requote_keeps_the_quote_style() {
        for (raw, expected) in [
            ("\"1.2.3\"", "\"2.0.0\""),
            ("'1.2.3'", "'2.0.0'"),
            ("\"\"\"1.2.3\"\"\"", "\"\"\"2.0.0\"\"\""),
            ("'''1.2.3'''", "'''2.0.0'''"),
        ] {
            assert_eq!(requote(raw, "2.0.0"), expected, "{raw}");
        }
    }

    #[test]
    fn requote_escapes_what_a_literal_cannot_hold() {
        let value = "a'b\\c\"d\u{1}";
        let literal = requote("'x'", value);
        assert_eq!(literal, r#""a'b\\c\"d\u0001""#);
        let document = Document::parse(format!("k = {literal}")).unwrap();
        assert_eq!(document["k"].as_str(), Some(value));
    }

    #[test]
    fn invalid_toml_names_the_line_and_the_fix() {
        let file = toml("[package]\nname = \"a\"\nversion = 1.2.3\n");
        let error = parse(&file).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("`Cargo.toml` line 3: invalid TOML: "),
            "{message}"
        );
        assert!(
            message.ends_with("; fix the syntax and run again"),
            "{message}"
        );
    }

    #[test]
    fn duplicate_table_is_reported_on_its_line() {
        let file = toml("[package]\nname = \"a\"\n\n[package]\n");
        assert_eq!(
            parse(&file).unwrap_err().to_string(),
            "`Cargo.toml` line 4: invalid TOML: duplicate key; fix the syntax and run again"
        );
    }

    #[test]
    fn string_item_reports_the_type_found() {
        let file = toml("[package]\nversion = 1\n");
        let document = parse(&file).unwrap();
        let error = string_item(
            &file,
            &document["package"]["version"],
            "package.version",
            "a string such as `\"1.2.0\"`",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "`Cargo.toml` line 2: `package.version` is an integer; write a string such as `\"1.2.0\"`"
        );
    }
}
