//! Commit text made safe to place in relcut's own Markdown release template: whatever a commit
//! says, it stays text inside its list item and cannot end the list, open a code block that
//! swallows the rest of the notes, start HTML or define a link. Pure; a project's own template
//! never goes through here, so it renders exactly as git-cliff renders it.

/// How deep continuation lines go so that they stay inside a `- ` list item.
const LIST_ITEM_INDENT: &str = "  ";

/// One line of commit text (a description, a scope) for the middle of a list item's line: line
/// breaks become spaces and HTML is escaped outside code spans. Markdown emphasis and code spans
/// are kept: they are how commit authors format subjects, and they cannot leave the line.
pub fn inline(text: &str) -> String {
    let one_line = text.replace("\r\n", " ").replace(['\n', '\r'], " ");
    escape_html(&one_line)
}

/// Text of several lines (a `BREAKING CHANGE` footer) that continues a list item's line: the
/// first line goes on the item's line, the others are indented into the item, a code fence left
/// open is closed, and lines that would start a heading, a thematic break or a link definition
/// are escaped. Lines inside a code fence are kept as written.
pub fn continued_block(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut open_fence: Option<Fence> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let fence = Fence::of(line);
        // The item's own line cannot hold a fence: one there would be text, and its closing
        // line would then open a block. It starts on a line of its own instead.
        if number > 0 || fence.is_some() {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(LIST_ITEM_INDENT);
            }
        }
        match (&open_fence, fence) {
            (Some(open), Some(fence)) if fence.closes(open) => {
                open_fence = None;
                out.push_str(line);
            }
            (Some(_), _) => out.push_str(line),
            (None, Some(fence)) => {
                open_fence = Some(fence);
                out.push_str(line);
            }
            (None, None) if number == 0 => out.push_str(&escape_html(line)),
            (None, None) => out.push_str(&escape_line_start(&escape_html(line))),
        }
    }
    if let Some(open) = open_fence {
        out.push('\n');
        out.push_str(LIST_ITEM_INDENT);
        out.push_str(&open.marker());
    }
    out
}

/// A code fence line: up to three spaces, then three or more backticks or tildes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fence {
    character: char,
    length: usize,
    /// Whether anything follows the run (an info string); a closing fence has nothing.
    has_info: bool,
}

impl Fence {
    fn of(line: &str) -> Option<Fence> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            return None;
        }
        let rest = &line[indent..];
        let character = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = rest.len() - rest.trim_start_matches(character).len();
        if length < 3 {
            return None;
        }
        let info = rest[length..].trim();
        // CommonMark: a backtick fence's info string cannot hold a backtick (it is inline code).
        if character == '`' && info.contains('`') {
            return None;
        }
        Some(Fence {
            character,
            length,
            has_info: !info.is_empty(),
        })
    }

    fn closes(&self, open: &Fence) -> bool {
        self.character == open.character && self.length >= open.length && !self.has_info
    }

    fn marker(&self) -> String {
        std::iter::repeat_n(self.character, self.length).collect()
    }
}

/// Escapes each `<` that could start HTML (a tag, a comment, a declaration), except inside code
/// spans, where Markdown shows it as written, and except in an autolink (`<https://…>`).
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['<', '`', '\\']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix('\\') {
            // An escape the author wrote stays one, with what it escapes.
            let escaped = after.chars().next().map_or(0, char::len_utf8);
            out.push('\\');
            out.push_str(&after[..escaped]);
            rest = &after[escaped..];
        } else if rest.starts_with('`') {
            let span = code_span_len(rest);
            out.push_str(&rest[..span]);
            rest = &rest[span..];
        } else {
            if starts_html(rest) && !is_autolink(rest) {
                out.push_str("&lt;");
            } else {
                out.push('<');
            }
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of the code span at the start of `text` (which starts with a backtick run), or of
/// the run alone when no run of the same length closes it, in which case the run is literal.
fn code_span_len(text: &str) -> usize {
    let run = text.len() - text.trim_start_matches('`').len();
    let mut offset = run;
    while let Some(found) = text[offset..].find('`') {
        let start = offset + found;
        let length = text[start..].len() - text[start..].trim_start_matches('`').len();
        if length == run {
            return start + length;
        }
        offset = start + length;
    }
    run
}

/// Whether `text` (which starts with `<`) reads as the start of inline or block HTML.
fn starts_html(text: &str) -> bool {
    text[1..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
}

/// `<scheme:…>` without spaces: a link, not HTML, which Markdown shows as the address.
fn is_autolink(text: &str) -> bool {
    let Some(end) = text.find('>') else {
        return false;
    };
    let inner = &text[1..end];
    let Some((scheme, address)) = inner.split_once(':') else {
        return false;
    };
    (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !address.contains(|c: char| c.is_whitespace() || c == '<')
}

/// Escapes the first character of a continuation line that would otherwise make a heading
/// (`# …`, or `---`/`===` under the line before), a thematic break, or a link reference
/// definition, which applies to the whole document and could redirect the notes' own links.
fn escape_line_start(line: &str) -> String {
    let trimmed = line.trim_start_matches(' ');
    let indent = &line[..line.len() - trimmed.len()];
    let escape = trimmed.starts_with('#')
        || trimmed.starts_with('[') && trimmed.contains("]:")
        || is_underline_or_break(trimmed);
    if escape {
        format!("{indent}\\{trimmed}")
    } else {
        line.to_string()
    }
}

/// `---`, `===`, `***`, `___`, `- - -` and the like: a setext underline or a thematic break.
fn is_underline_or_break(line: &str) -> bool {
    let line = line.trim_end();
    let Some(first) = line.chars().next() else {
        return false;
    };
    let marks = line.chars().filter(|&c| c == first).count();
    let only_marks = marks == line.chars().count();
    let marks_and_spaces = line.chars().all(|c| c == first || c == ' ' || c == '\t');
    match first {
        '=' => only_marks,
        '-' => only_marks || marks_and_spaces && marks >= 3,
        '*' | '_' => marks_and_spaces && marks >= 3,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text() {
        let rows = [
            ("plain", "add a flag", "add a flag"),
            (
                "a tag",
                "handle <details> blocks",
                "handle &lt;details> blocks",
            ),
            ("a closing tag", "x</div>", "x&lt;/div>"),
            ("a comment", "a <!-- b", "a &lt;!-- b"),
            ("a comparison", "a < b and a<3", "a < b and a<3"),
            ("in a code span", "handle `Option<T>`", "handle `Option<T>`"),
            (
                "in a double code span",
                "``a ` <b>`` <b>",
                "``a ` <b>`` &lt;b>",
            ),
            ("an unclosed backtick", "a ` <b>", "a ` &lt;b>"),
            (
                "an autolink",
                "see <https://example.com/a>",
                "see <https://example.com/a>",
            ),
            ("an escaped bracket", "a \\<b>", "a \\<b>"),
            (
                "template syntax",
                "{{ version }} {% if x %}",
                "{{ version }} {% if x %}",
            ),
            ("a line break", "a\nb\r\nc", "a b c"),
            ("multi-byte", "café <b>ü</b>", "café &lt;b>ü&lt;/b>"),
        ];
        for (name, text, want) in rows {
            assert_eq!(inline(text), want, "{name}");
        }
    }

    #[test]
    fn continued_blocks() {
        let rows = [
            ("one line", "the API changed", "the API changed"),
            ("two lines", "the API\nchanged", "the API\n  changed"),
            (
                "a closed fence",
                "call it so:\n```sh\nrelcut <x>\n```\nthen",
                "call it so:\n  ```sh\n  relcut <x>\n  ```\n  then",
            ),
            (
                "an unclosed fence",
                "call it so:\n```\ncode",
                "call it so:\n  ```\n  code\n  ```",
            ),
            (
                "a fence on the first line",
                "```\ncode",
                "\n  ```\n  code\n  ```",
            ),
            (
                "a longer fence closes only with as many",
                "x\n````\n```\n",
                "x\n  ````\n  ```\n  ````",
            ),
            ("a tilde fence", "x\n~~~\ny", "x\n  ~~~\n  y\n  ~~~"),
            (
                "a fence with info does not close",
                "x\n```\n```rust\n```",
                "x\n  ```\n  ```rust\n  ```",
            ),
            (
                "a backtick run with a backtick after is no fence",
                "x\n``` a ` b\ny",
                "x\n  ``` a ` b\n  y",
            ),
            ("html", "x\n<details>\ny", "x\n  &lt;details>\n  y"),
            ("a heading", "x\n# Title", "x\n  \\# Title"),
            ("an underline", "x\n---", "x\n  \\---"),
            ("an equals underline", "x\n==", "x\n  \\=="),
            ("a thematic break", "x\n* * *", "x\n  \\* * *"),
            (
                "a link definition",
                "x\n[1.3.0]: https://example.com",
                "x\n  \\[1.3.0]: https://example.com",
            ),
            (
                "a list stays inside the item",
                "x\n- a\n- b",
                "x\n  - a\n  - b",
            ),
            ("CRLF", "x\r\ny", "x\n  y"),
        ];
        for (name, text, want) in rows {
            assert_eq!(continued_block(text), want, "{name}");
        }
    }

    #[test]
    fn never_panics_on_cuts() {
        let text = "é<b>`c<d>`\n```ü\n<x>\n# é\n[a]: b\n~~~~";
        for (at, _) in text.char_indices() {
            let _ = inline(&text[..at]);
            let _ = continued_block(&text[..at]);
            let _ = inline(&text[at..]);
            let _ = continued_block(&text[at..]);
        }
    }
}
