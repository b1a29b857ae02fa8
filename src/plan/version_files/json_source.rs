//! Strict JSON parsing that remembers where every value sits in the source text.
//!
//! relcut edits package.json and package-lock.json in place: it must change exactly the bytes
//! of one string (such as `"version"`) and keep every other byte — key order, indentation,
//! final newline — as the user wrote it. A serialize round trip would reformat the file, so this
//! module parses the text itself, accepts exactly what JavaScript's `JSON.parse` accepts
//! (RFC 8259, after npm strips a leading UTF-8 BOM), and records the byte span of every value.
//!
//! It only turns text into a tree and reports positions; it must not read files or edit
//! anything. Callers splice replacement text (see [`quote`]) into a [`Node::span`] themselves.

use std::fmt;
use std::ops::Range;

use super::error::line_at;

/// A hostile file must not overflow the stack; npm's own files nest a handful of levels.
const MAX_DEPTH: usize = 512;

const BOM: char = '\u{feff}';

/// Why the text is not JSON: 1-based line and column (column counted in characters) and a short
/// lowercase message with no trailing period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// 1-based line of the offending character.
    pub line: usize,
    /// 1-based column of the offending character, in characters (a leading BOM is not counted).
    pub column: usize,
    /// What is wrong, e.g. "unterminated string".
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for JsonError {}

/// A parsed JSON value with the byte range of its text in the source (for strings: quotes
/// included).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte range of the value's text in the original source, BOM included in the counting.
    pub span: Range<usize>,
    /// The value itself.
    pub value: JsonValue,
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// The number's text as written (relcut never needs its value).
    Number(String),
    /// The decoded string.
    String(String),
    /// The elements in source order.
    Array(Vec<Node>),
    /// Members in source order, duplicates kept.
    Object(Vec<(String, Node)>),
}

/// Parses a whole document. A leading UTF-8 BOM (U+FEFF) is skipped (spans still index the
/// original text). Whitespace is only space, tab, LF, CR.
pub fn parse(text: &str) -> Result<Node, JsonError> {
    let start = if text.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
    };
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: start,
        content_start: start,
    };
    parser.skip_whitespace();
    if parser.pos == parser.bytes.len() {
        return Err(parser.error(parser.pos, "the file is empty"));
    }
    let node = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.unexpected("unexpected text after the JSON value"));
    }
    Ok(node)
}

impl Node {
    /// The member `key` of an object — the LAST one when the key repeats, as `JSON.parse` keeps
    /// the last; None when this is not an object or has no such key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            JsonValue::Object(members) => members
                .iter()
                .rev()
                .find(|(name, _)| name == key)
                .map(|(_, node)| node),
            _ => None,
        }
    }

    /// Follows a path of object keys: `node.at(&["packages", "", "version"])`.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The decoded string, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// JSON type name with article for error messages: "an object", "an array", "a string",
    /// "a number", "a boolean", "null".
    pub fn type_name(&self) -> &'static str {
        match self.value {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }
}

/// The JSON string literal for `value` (quotes included), escaping `"`, `\\` and control
/// characters as `JSON.stringify` does (\b \f \n \r \t, others \u00XX; non-ASCII kept as is).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Why four hex digits of a `\u` escape could not be read.
enum HexError {
    End,
    NotHex,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Where the text starts after a BOM, so columns on line 1 match what an editor shows.
    content_start: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Line and column are computed here, only on failure, so parsing stays linear.
    fn error(&self, offset: usize, message: impl Into<String>) -> JsonError {
        let offset = offset.min(self.bytes.len());
        let before = &self.bytes[..offset];
        let line_start = match before.iter().rposition(|&b| b == b'\n') {
            Some(newline) => newline + 1,
            None => self.content_start.min(offset),
        };
        // Counting bytes that do not continue a UTF-8 sequence counts characters.
        let column = before[line_start..]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
            + 1;
        JsonError {
            line: line_at(self.text, offset),
            column,
            message: message.into(),
        }
    }

    /// An error at the current position, with clearer messages for the usual non-JSON habits.
    fn unexpected(&self, message: &str) -> JsonError {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        let message = if rest.is_empty() {
            "unexpected end of input"
        } else if rest.starts_with(b"//") || rest.starts_with(b"/*") {
            "comments are not allowed in JSON"
        } else if rest.starts_with(b"'") {
            "strings must use double quotes"
        } else {
            message
        };
        self.error(self.pos, message)
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => self.literal()?,
        };
        Ok(Node {
            span: start..self.pos,
            value,
        })
    }

    fn literal(&mut self) -> Result<JsonValue, JsonError> {
        let rest = &self.bytes[self.pos..];
        let (word, value) = if rest.starts_with(b"true") {
            ("true", JsonValue::Bool(true))
        } else if rest.starts_with(b"false") {
            ("false", JsonValue::Bool(false))
        } else if rest.starts_with(b"null") {
            ("null", JsonValue::Null)
        } else {
            return Err(self.unexpected("expected a JSON value"));
        };
        self.pos += word.len();
        Ok(value)
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(
                self.pos,
                format!("nesting is deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(JsonValue::Object(members));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("expected a string key in an object"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("expected `:` after an object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            members.push((key, self.value(depth)?));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.comma(b'}')?,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue::Object(members));
                }
                _ => return Err(self.unexpected("expected `,` or `}` after an object member")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut elements = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(JsonValue::Array(elements));
        }
        loop {
            elements.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.comma(b']')?,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonValue::Array(elements));
                }
                _ => return Err(self.unexpected("expected `,` or `]` after an array element")),
            }
        }
    }

    /// Consumes a separating comma; a comma right before `close` is the most common hand-edit
    /// mistake, so it gets its own message pointing at the comma.
    fn comma(&mut self, close: u8) -> Result<(), JsonError> {
        let comma = self.pos;
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            return Err(self.error(comma, "trailing comma is not allowed in JSON"));
        }
        Ok(())
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Both ends sit next to ASCII bytes (or the end), so they are char boundaries.
            out.push_str(&self.text[run..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape(open)?),
                // A line break inside a string almost always means a missing closing quote.
                None | Some(b'\n' | b'\r') => return Err(self.error(open, "unterminated string")),
                Some(_) => {
                    return Err(
                        self.error(self.pos, "control character in a string must be escaped")
                    );
                }
            }
        }
    }

    /// Decodes the escape at the current backslash; `open` is the string's opening quote.
    fn escape(&mut self, open: usize) -> Result<char, JsonError> {
        let backslash = self.pos;
        let Some(&letter) = self.bytes.get(backslash + 1) else {
            return Err(self.error(open, "unterminated string"));
        };
        self.pos += 2;
        let decoded = match letter {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = match self.hex4(self.pos) {
                    Ok(unit) => unit,
                    Err(HexError::End) => return Err(self.error(open, "unterminated string")),
                    Err(HexError::NotHex) => {
                        return Err(self.error(
                            backslash,
                            "invalid `\\u` escape in a string: expected four hex digits",
                        ));
                    }
                };
                self.pos += 4;
                self.surrogate_pair(unit)
            }
            _ => {
                // `backslash + 1` follows an ASCII byte, so it is a char boundary.
                let c = self.text[backslash + 1..].chars().next().unwrap_or(' ');
                let message = if c.is_control() {
                    format!(
                        "invalid escape `\\` followed by U+{:04X} in a string",
                        u32::from(c)
                    )
                } else {
                    format!("invalid escape `\\{c}` in a string")
                };
                return Err(self.error(backslash, message));
            }
        };
        Ok(decoded)
    }

    /// Turns one UTF-16 unit into a char, consuming a following `\u` low surrogate when `unit`
    /// is a high one. `JSON.parse` keeps lone surrogates, which a Rust string cannot hold; relcut
    /// never needs such a value, so U+FFFD stands in for it.
    fn surrogate_pair(&mut self, unit: u32) -> char {
        if (0xD800..0xDC00).contains(&unit)
            && self.bytes.get(self.pos) == Some(&b'\\')
            && self.bytes.get(self.pos + 1) == Some(&b'u')
            && let Ok(low @ 0xDC00..=0xDFFF) = self.hex4(self.pos + 2)
        {
            self.pos += 6;
            let combined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            return char::from_u32(combined).unwrap_or(char::REPLACEMENT_CHARACTER);
        }
        char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    fn hex4(&self, at: usize) -> Result<u32, HexError> {
        let mut value = 0;
        for i in 0..4 {
            let b = *self.bytes.get(at + i).ok_or(HexError::End)?;
            let digit = char::from(b).to_digit(16).ok_or(HexError::NotHex)?;
            value = value * 16 + digit;
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<JsonValue, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error(self.pos - 1, "a number must not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("expected a digit after `-`")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.digits() {
                return Err(self.unexpected("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.digits() {
                return Err(self.unexpected("expected a digit in the exponent"));
            }
        }
        Ok(JsonValue::Number(self.text[start..self.pos].to_owned()))
    }

    /// Skips ASCII digits; false when there were none.
    fn digits(&mut self) -> bool {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos > start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Why a document may be valid for `JSON.parse` yet rejected by serde_json.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Serde {
        /// serde_json agrees.
        Agrees,
        /// serde_json refuses lone surrogates in `\u` escapes; `JSON.parse` keeps them.
        LoneSurrogate,
        /// serde_json stops at 127 levels of nesting; `JSON.parse` (and this module) go deeper.
        Deep,
        /// serde_json refuses numbers beyond f64's range; `JSON.parse` yields Infinity.
        OutOfRange,
    }

    fn to_serde(node: &Node) -> serde_json::Value {
        use serde_json::Value;
        match &node.value {
            JsonValue::Null => Value::Null,
            JsonValue::Bool(b) => Value::Bool(*b),
            // Letting serde_json read the number alone gives the same value as in the document.
            JsonValue::Number(text) => serde_json::from_str(text).expect("number in range"),
            JsonValue::String(s) => Value::String(s.clone()),
            JsonValue::Array(elements) => Value::Array(elements.iter().map(to_serde).collect()),
            JsonValue::Object(members) => {
                let mut map = serde_json::Map::new();
                for (key, value) in members {
                    map.insert(key.clone(), to_serde(value));
                }
                Value::Object(map)
            }
        }
    }

    fn children(node: &Node) -> Vec<&Node> {
        match &node.value {
            JsonValue::Array(elements) => elements.iter().collect(),
            JsonValue::Object(members) => members.iter().map(|(_, node)| node).collect(),
            _ => Vec::new(),
        }
    }

    fn depth(node: &Node) -> usize {
        let below = children(node).into_iter().map(depth).max().unwrap_or(0);
        match node.value {
            JsonValue::Array(_) | JsonValue::Object(_) => below + 1,
            _ => 0,
        }
    }

    fn any(node: &Node, test: &dyn Fn(&Node) -> bool) -> bool {
        test(node) || children(node).into_iter().any(|child| any(child, test))
    }

    fn has_replacement_char(node: &Node) -> bool {
        any(node, &|n| match &n.value {
            JsonValue::String(s) => s.contains(char::REPLACEMENT_CHARACTER),
            JsonValue::Object(members) => members
                .iter()
                .any(|(key, _)| key.contains(char::REPLACEMENT_CHARACTER)),
            _ => false,
        })
    }

    fn has_infinite_number(node: &Node) -> bool {
        any(
            node,
            &|n| matches!(&n.value, JsonValue::Number(t) if t.parse::<f64>().is_ok_and(f64::is_infinite)),
        )
    }

    /// Every span must hold exactly the text its value came from.
    fn check_spans(text: &str, node: &Node) {
        let slice = &text[node.span.clone()];
        match &node.value {
            JsonValue::Null => assert_eq!(slice, "null"),
            JsonValue::Bool(b) => assert_eq!(slice, b.to_string()),
            JsonValue::Number(n) => assert_eq!(slice, n),
            JsonValue::String(s) => assert_eq!(parse(slice).unwrap().as_str(), Some(s.as_str())),
            JsonValue::Array(_) => assert!(slice.starts_with('[') && slice.ends_with(']')),
            JsonValue::Object(_) => assert!(slice.starts_with('{') && slice.ends_with('}')),
        }
        for child in children(node) {
            assert!(node.span.start < child.span.start && child.span.end < node.span.end);
            check_spans(text, child);
        }
    }

    /// Compares with serde_json, which is as strict as `JSON.parse` except for the documented
    /// cases in [`Serde`]; returns which case applied so table entries can assert it.
    fn compare_with_serde(text: &str) -> Serde {
        let ours = parse(text);
        let theirs =
            serde_json::from_str::<serde_json::Value>(text.strip_prefix(BOM).unwrap_or(text));
        match (&ours, &theirs) {
            (Ok(node), Ok(value)) => {
                check_spans(text, node);
                assert_eq!(&to_serde(node), value, "different values for {text:?}");
                Serde::Agrees
            }
            (Err(_), Err(_)) => Serde::Agrees,
            (Err(e), Ok(_)) => panic!("we reject {text:?} ({e}) but serde_json accepts it"),
            (Ok(node), Err(e)) => {
                check_spans(text, node);
                // Each known difference must be backed by evidence in the tree, so this cannot
                // hide a real bug behind a matching message.
                let message = e.to_string();
                if message.starts_with("recursion limit exceeded") && depth(node) >= 128 {
                    Serde::Deep
                } else if message.starts_with("number out of range") && has_infinite_number(node) {
                    Serde::OutOfRange
                } else if (message.starts_with("lone leading surrogate")
                    || message.starts_with("unexpected end of hex escape"))
                    && has_replacement_char(node)
                {
                    Serde::LoneSurrogate
                } else {
                    panic!("we accept {text:?} but serde_json rejects it: {message}")
                }
            }
        }
    }

    #[test]
    fn validity_matches_json_parse_and_serde_json() {
        use Serde::*;
        let deep_ok = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let cases: &[(&str, bool, Serde)] = &[
            ("{}", true, Agrees),
            ("[]", true, Agrees),
            ("\"\"", true, Agrees),
            (" \t\r\n[ 1 , 2 ] \n", true, Agrees),
            ("0", true, Agrees),
            ("-0", true, Agrees),
            ("-0.0e-0", true, Agrees),
            ("1E+2", true, Agrees),
            ("1e01", true, Agrees),
            ("123456789012345678901234567890", true, Agrees),
            ("1e400", true, OutOfRange),
            ("01", false, Agrees),
            ("-01", false, Agrees),
            ("-", false, Agrees),
            ("+1", false, Agrees),
            ("1.", false, Agrees),
            (".5", false, Agrees),
            ("1e", false, Agrees),
            ("1e+", false, Agrees),
            ("0x10", false, Agrees),
            ("NaN", false, Agrees),
            ("-Infinity", false, Agrees),
            ("undefined", false, Agrees),
            ("tru", false, Agrees),
            ("nulll", false, Agrees),
            ("True", false, Agrees),
            ("[1,]", false, Agrees),
            ("{\"a\":1,}", false, Agrees),
            ("[,1]", false, Agrees),
            ("{,}", false, Agrees),
            ("{\"a\" 1}", false, Agrees),
            ("{a:1}", false, Agrees),
            ("{'a':1}", false, Agrees),
            ("// c\n{}", false, Agrees),
            ("{} /* c */", false, Agrees),
            ("{} {}", false, Agrees),
            ("[1 2]", false, Agrees),
            ("\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", true, Agrees),
            ("\"\\x\"", false, Agrees),
            ("\"\\u12G4\"", false, Agrees),
            ("\"\\u00e9\\u00E9\"", true, Agrees),
            ("\"\\ud83d\\ude00\"", true, Agrees),
            ("\"\\ud800\"", true, LoneSurrogate),
            ("\"\\udc00\\ud800x\"", true, LoneSurrogate),
            ("\"\\ud800\\ud83d\\ude00\"", true, LoneSurrogate),
            ("\"a\tb\"", false, Agrees),
            ("\"a\0b\"", false, Agrees),
            ("\"a\nb\"", false, Agrees),
            ("\"\u{7f}\u{2028}é\"", true, Agrees),
            ("\u{feff}{}", true, Agrees),
            ("{}\u{feff}", false, Agrees),
            ("\u{feff}\u{feff}{}", false, Agrees),
            ("\u{feff}", false, Agrees),
            ("\u{a0}[]", false, Agrees),
            ("\u{b}[]", false, Agrees),
            ("\u{c}[]", false, Agrees),
            ("", false, Agrees),
            ("   ", false, Agrees),
            ("{\"a\":1,\"a\":2}", true, Agrees),
            (&deep_ok, true, Deep),
        ];
        for &(text, valid, serde) in cases {
            assert_eq!(parse(text).is_ok(), valid, "{text:?}: {:?}", parse(text));
            assert_eq!(compare_with_serde(text), serde, "{text:?}");
        }
    }

    #[test]
    fn errors_point_at_the_offending_character() {
        let too_deep = "[".repeat(513);
        let hostile = "[".repeat(100_000);
        let cases: &[(&str, usize, usize, &str)] = &[
            ("", 1, 1, "the file is empty"),
            ("  \n ", 2, 2, "the file is empty"),
            (
                "{\n  \"a\": 1,\n}",
                2,
                9,
                "trailing comma is not allowed in JSON",
            ),
            ("[1,\n2,\n]", 2, 2, "trailing comma is not allowed in JSON"),
            (
                "{\"a\": 1 \"b\": 2}",
                1,
                9,
                "expected `,` or `}` after an object member",
            ),
            ("[1 2]", 1, 4, "expected `,` or `]` after an array element"),
            ("{\"a\": \"b", 1, 7, "unterminated string"),
            ("{\"a\": \"b\n}", 1, 7, "unterminated string"),
            ("\"\\u12", 1, 1, "unterminated string"),
            (
                "\"a\u{1}b\"",
                1,
                3,
                "control character in a string must be escaped",
            ),
            ("[\"\\x\"]", 1, 3, "invalid escape `\\x` in a string"),
            (
                "\"\\\tx\"",
                1,
                2,
                "invalid escape `\\` followed by U+0009 in a string",
            ),
            (
                "\"\\u12\"",
                1,
                2,
                "invalid `\\u` escape in a string: expected four hex digits",
            ),
            ("{\"é\": tru}", 1, 7, "expected a JSON value"),
            ("é", 1, 1, "expected a JSON value"),
            ("[1,,2]", 1, 4, "expected a JSON value"),
            ("\r\n[\r\n  x]", 3, 3, "expected a JSON value"),
            ("\u{feff}[x]", 1, 2, "expected a JSON value"),
            ("{} x", 1, 4, "unexpected text after the JSON value"),
            ("[1,", 1, 4, "unexpected end of input"),
            ("{\"a\"", 1, 5, "unexpected end of input"),
            ("-", 1, 2, "unexpected end of input"),
            ("01", 1, 1, "a number must not have leading zeros"),
            ("[1.]", 1, 4, "expected a digit after the decimal point"),
            ("-x", 1, 2, "expected a digit after `-`"),
            ("1e+]", 1, 4, "expected a digit in the exponent"),
            ("{'a': 1}", 1, 2, "strings must use double quotes"),
            ("[1, 'a']", 1, 5, "strings must use double quotes"),
            ("{\n  // c\n}", 2, 3, "comments are not allowed in JSON"),
            ("{a: 1}", 1, 2, "expected a string key in an object"),
            ("{\"a\" 1}", 1, 6, "expected `:` after an object key"),
            (&too_deep, 1, 513, "nesting is deeper than 512 levels"),
            (&hostile, 1, 513, "nesting is deeper than 512 levels"),
        ];
        for &(text, line, column, message) in cases {
            let expected = JsonError {
                line,
                column,
                message: message.to_owned(),
            };
            assert_eq!(parse(text), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        let text = format!("{}{}", "[".repeat(512), "]".repeat(512));
        assert_eq!(depth(&parse(&text).unwrap()), 512);
    }

    #[test]
    fn replacing_the_version_span_keeps_every_other_byte() {
        let layouts = [
            "{\n\t\"name\": \"a\",\n\t\"version\": \"1.2.3\"\n}\n",
            "{\n  \"name\": \"a\",\n  \"version\": \"1.2.3\"\n}\n",
            "{\n    \"name\": \"a\",\n    \"version\": \"1.2.3\"\n}",
            "{\r\n  \"version\" :\"1.2.3\",\r\n  \"name\": \"a\"\r\n}\r\n",
            "\u{feff}{\"name\":\"a\",\"version\":\"1.2.3\"}\n",
        ];
        for text in layouts {
            let node = parse(text).unwrap();
            let version = node.get("version").unwrap();
            assert_eq!(&text[version.span.clone()], "\"1.2.3\"", "{text:?}");
            let mut edited = text.to_owned();
            edited.replace_range(version.span.clone(), &quote("2.0.0-rc.1"));
            assert_eq!(edited, text.replace("1.2.3", "2.0.0-rc.1"));
            assert_eq!(
                parse(&edited).unwrap().at(&["version"]).unwrap().as_str(),
                Some("2.0.0-rc.1")
            );
        }
    }

    #[test]
    fn lookups() {
        let lock = r#"{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "app", "version": "1.0.0", "dependencies": { "dep": "^2.0.0" } },
    "node_modules/dep": { "version": "2.1.0", "resolved": "https://r/dep-2.1.0.tgz" }
  }
}
"#;
        let root = parse(lock).unwrap();
        let cases: &[(&[&str], Option<&str>, &str)] = &[
            (&["packages", "", "version"], Some("\"1.0.0\""), "a string"),
            (
                &["packages", "node_modules/dep", "version"],
                Some("\"2.1.0\""),
                "a string",
            ),
            (&["lockfileVersion"], Some("3"), "a number"),
            (&["requires"], Some("true"), "a boolean"),
            (&["packages", ""], None, "an object"),
            (&[], None, "an object"),
        ];
        for &(path, text, type_name) in cases {
            let node = root.at(path).unwrap();
            assert_eq!(node.type_name(), type_name, "{path:?}");
            if let Some(text) = text {
                assert_eq!(&lock[node.span.clone()], text, "{path:?}");
            }
        }
        assert!(root.at(&["packages", "missing"]).is_none());
        assert!(root.at(&["version", "deeper"]).is_none());

        let dup = parse(r#"{"version": "1", "x": [null], "version": "2"}"#).unwrap();
        assert_eq!(dup.get("version").unwrap().as_str(), Some("2"));
        assert_eq!(dup.get("x").unwrap().type_name(), "an array");
        assert_eq!(dup.at(&["x"]).unwrap().get("0"), None);
        assert_eq!(parse("null").unwrap().type_name(), "null");

        let bom = "\u{feff}{\"version\": \"1.0.0\"}";
        let span = parse(bom).unwrap().get("version").unwrap().span.clone();
        assert_eq!((span.start, &bom[span]), (15, "\"1.0.0\""));
    }

    #[test]
    fn quote_matches_json_stringify() {
        let all_controls: String = (0u8..0x20).map(char::from).collect();
        let cases = [
            "",
            "1.2.3",
            "say \"hi\"",
            "back\\slash / slash",
            "é ü 😀 \u{2028} \u{7f}",
            &all_controls,
        ];
        for value in cases {
            // serde_json escapes exactly like JSON.stringify: short forms, then lowercase \u00XX.
            assert_eq!(
                quote(value),
                serde_json::to_string(value).unwrap(),
                "{value:?}"
            );
            assert_eq!(parse(&quote(value)).unwrap().as_str(), Some(value));
        }
        assert_eq!(quote("\u{1}\u{1f}"), "\"\\u0001\\u001f\"");
    }

    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn fuzzed_documents_never_panic_and_agree_with_serde() {
        let seeds = [
            "{\n  \"name\": \"relcut\",\n  \"version\": \"1.2.3\",\n  \"private\": true,\n  \"main\": null\n}\n",
            "{\"packages\":{\"\":{\"version\":\"0.1.0\"},\"node_modules/a\":{\"version\":\"1.0.0-beta.1\"}}}",
            "[1, -2.5, 3e10, 0.1E-2, -0, \"\\u00e9\\ud83d\\ude00\\n\", [], {}, [[{\"a\": [false]}]]]",
            "\u{feff}{\"k\": \"é\\\"\\\\\\/\\b\\f\\r\\t\", \"n\": 12345678901234567890}",
            "\"\\ud800\\udc00 \\uDBFF\\uDFFF\"",
        ];
        let alphabet = [
            '{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', '0', '1', '9', '-', '+', '.', 'e',
            'E', 'u', 'd', '8', 'c', 'a', 'f', 'n', 't', 'l', ' ', '\n', '\t', '\r', '\0',
            '\u{1f}', '\'', 'é', BOM, '\u{2028}', 'x',
        ];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut differences = [0; 4];
        for _ in 0..20_000 {
            let mut chars: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
            for _ in 0..=rng.below(3) {
                let at = rng.below(chars.len() + 1);
                let c = alphabet[rng.below(alphabet.len())];
                match rng.below(4) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 if at < chars.len() => chars[at] = c,
                    2 => chars.truncate(at),
                    _ => chars.insert(at, c),
                }
            }
            let text: String = chars.into_iter().collect();
            if let Err(e) = parse(&text) {
                let lines = text.split('\n').count();
                assert!(e.line <= lines && e.column >= 1, "{text:?}: {e}");
            }
            differences[compare_with_serde(&text) as usize] += 1;
        }
        // Most mutations must stay comparable, or the test proves little.
        assert!(
            differences[Serde::Agrees as usize] > 19_000,
            "{differences:?}"
        );
    }

    #[test]
    fn large_lockfile_parses() {
        let mut text = String::from(
            "{\n  \"name\": \"big\",\n  \"version\": \"9.9.9\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n      \"name\": \"big\",\n      \"version\": \"9.9.9\"\n    }",
        );
        let mut count = 0;
        while text.len() < 5_000_000 {
            text.push_str(&format!(
                ",\n    \"node_modules/pkg-{count}\": {{\n      \"version\": \"1.{count}.0\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-{count}/-/pkg-{count}-1.{count}.0.tgz\",\n      \"integrity\": \"sha512-{}==\",\n      \"dependencies\": {{ \"left\": \"^1.0.0\", \"right\": \"~2.3.4\" }}\n    }}",
                "Ab0+/".repeat(17)
            ));
            count += 1;
        }
        text.push_str("\n  }\n}\n");
        let root = parse(&text).unwrap();
        let Some(JsonValue::Object(packages)) = root.get("packages").map(|p| &p.value) else {
            panic!("packages is not an object");
        };
        assert_eq!(packages.len(), count + 1);
        let last = format!("node_modules/pkg-{}", count - 1);
        let version = root.at(&["packages", &last, "version"]).unwrap();
        assert_eq!(
            &text[version.span.clone()],
            format!("\"1.{}.0\"", count - 1)
        );
        assert_eq!(
            root.at(&["packages", "", "version"]).unwrap().as_str(),
            Some("9.9.9")
        );
    }
}
