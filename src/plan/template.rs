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
