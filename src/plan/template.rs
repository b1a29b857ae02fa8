//! `{{placeholder}}` templates (commit and tag messages, pattern replacements): checking,
//! rendering and asking which placeholders a template uses, from one reading of the syntax.
//! Pure.

/// Checks that every `{{…}}` in `template` is closed and one of `placeholders`.
pub fn check_template(template: &str, placeholders: &[&str]) -> std::result::Result<(), String> {
    for piece in template_pieces(template) {
        match piece {
            TemplatePiece::Text(_) => {}
            TemplatePiece::Unclosed(_) => {
                return Err(String::from("a `{{` is not closed with `}}`"));
            }
            TemplatePiece::Placeholder(name) if placeholders.contains(&name) => {}
            TemplatePiece::Placeholder(name) => {
                return Err(format!(
                    "unknown placeholder `{{{{{name}}}}}`; use one of {}",
                    placeholders
                        .iter()
                        .map(|p| format!("`{{{{{p}}}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// Whether `template` uses the placeholder `name` (`{{name}}`, spaces allowed inside).
pub fn uses_placeholder(template: &str, name: &str) -> bool {
    template_pieces(template).contains(&TemplatePiece::Placeholder(name))
}

/// Fills a message template's placeholders; the template was checked when the settings were loaded.
pub fn render_message(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    for piece in template_pieces(template) {
        match piece {
            TemplatePiece::Text(text) | TemplatePiece::Unclosed(text) => out.push_str(text),
            TemplatePiece::Placeholder(name) => {
                if let Some((_, value)) = values.iter().find(|(key, _)| *key == name) {
                    out.push_str(value);
                }
            }
        }
    }
    out
}

/// One part of a `{{placeholder}}` template.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TemplatePiece<'t> {
    /// Literal text.
    Text(&'t str),
    /// A placeholder's name, trimmed.
    Placeholder(&'t str),
    /// The rest of the template from a `{{` that is never closed.
    Unclosed(&'t str),
}

/// A template split into literal text and placeholders: the one reading of the `{{…}}` syntax
/// that checking, rendering and asking about templates share.
pub(crate) fn template_pieces(template: &str) -> Vec<TemplatePiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        pieces.push(TemplatePiece::Text(&rest[..start]));
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            pieces.push(TemplatePiece::Unclosed(&rest[start..]));
            return pieces;
        };
        pieces.push(TemplatePiece::Placeholder(after[..end].trim()));
        rest = &after[end + 2..];
    }
    pieces.push(TemplatePiece::Text(rest));
    pieces
}

/// A regular expression that matches the messages `template` renders to, whatever the versions
/// and tags in it, so that relcut knows its own release commits. A version placeholder matches
/// a version, a tag placeholder a word holding one; `None` for a template of placeholders only
/// with nothing literal, which would take ordinary one-word messages.
pub fn message_matcher(template: &str) -> Option<regex::Regex> {
    const VERSION: &str = r"v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?";
    let pieces = template_pieces(template);
    let literal = pieces.iter().any(|piece| match piece {
        TemplatePiece::Text(text) | TemplatePiece::Unclosed(text) => !text.trim().is_empty(),
        TemplatePiece::Placeholder(_) => false,
    });
    if !literal {
        return None;
    }
    let mut pattern = String::from("^");
    for piece in pieces {
        match piece {
            TemplatePiece::Text(text) | TemplatePiece::Unclosed(text) => {
                pattern.push_str(&regex::escape(text));
            }
            TemplatePiece::Placeholder(name) if name.ends_with("tag") => {
                pattern.push_str(&format!(r"\S*?{VERSION}\S*"));
            }
            TemplatePiece::Placeholder(_) => pattern.push_str(VERSION),
        }
    }
    pattern.push('$');
    regex::Regex::new(&pattern).ok()
}

#[cfg(test)]
mod matcher_tests {
    use super::*;

    #[test]
    fn release_messages_match_and_others_do_not() {
        let matcher = message_matcher("chore(release): v{{version}}").unwrap();
        assert!(matcher.is_match("chore(release): v2.14.0"));
        assert!(matcher.is_match("chore(release): v2.14.0-rc.1"));
        assert!(!matcher.is_match("chore(release): prepare for v2.14.0"));
        assert!(!matcher.is_match("chore(release): v2.14.0 and more"));
        assert!(!matcher.is_match("feat: chore(release): v2.14.0"));

        let tagged = message_matcher("release {{tag}} (from {{previous_tag}})").unwrap();
        assert!(tagged.is_match("release app-v1.2.0 (from app-v1.1.0)"));
        assert!(!tagged.is_match("release notes (from me)"));

        let aligned =
            message_matcher("chore(release): align version files to {{version}}").unwrap();
        assert!(aligned.is_match("chore(release): align version files to 1.3.0"));

        assert!(message_matcher("{{version}}").is_none());
        assert!(message_matcher(" {{tag}} ").is_none());
    }
}
