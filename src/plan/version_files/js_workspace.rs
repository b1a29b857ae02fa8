//! Which directories a JavaScript workspace names as members: npm's and Yarn's `workspaces` in
//! the root `package.json` (an array, or `{ "packages": [...] }`) and pnpm's `packages:` in
//! `pnpm-workspace.yaml`. Pure; must not read the disk (discovery, which expands the globs, is
//! `repo::version_files`).

use super::SourceFile;
use super::error::{VersionFileError, line_at};
use super::json_source::{self, JsonValue, Node};

/// One member glob as written, with its line; a leading `!` excludes what it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberGlob {
    /// The glob, `!` included for an exclusion.
    pub value: String,
    /// 1-based line in the file that writes it.
    pub line: usize,
}

/// The `workspaces` globs of a root `package.json`; empty when it declares none.
///
/// # Errors
///
/// Invalid JSON, and a `workspaces` that is neither an array of strings nor an object whose
/// `packages` is one.
pub fn npm_workspaces(file: &SourceFile) -> Result<Vec<MemberGlob>, VersionFileError> {
    let document =
        json_source::parse(&file.text).map_err(|error| VersionFileError::InvalidJson {
            path: file.path.clone(),
            line: error.line,
            column: error.column,
            message: error.message,
        })?;
    let Some(workspaces) = document.get("workspaces") else {
        return Ok(Vec::new());
    };
    // Yarn's object form also names `nohoist`, which is not about membership.
    let (list, field) = match &workspaces.value {
        JsonValue::Object(_) => match workspaces.get("packages") {
            Some(list) => (list, "workspaces.packages"),
            None => return Ok(Vec::new()),
        },
        _ => (workspaces, "workspaces"),
    };
    let wrong = |node: &Node| VersionFileError::JsonWrongType {
        path: file.path.clone(),
        line: line_at(&file.text, node.span.start),
        field: field.to_owned(),
        found: node.type_name().to_owned(),
        expected: String::from("an array of globs such as `[\"packages/*\"]`"),
    };
    let JsonValue::Array(items) = &list.value else {
        return Err(wrong(list));
    };
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(|value| MemberGlob {
                    value: value.to_owned(),
                    line: line_at(&file.text, item.span.start),
                })
                .ok_or_else(|| wrong(item))
        })
        .collect()
}

/// The `packages:` globs of a `pnpm-workspace.yaml`, block (`- 'packages/*'`) or flow
/// (`['packages/*']`) form, quoted or not, comments ignored. Only this key is read; the rest of
/// the file (catalogs, settings) is pnpm's.
pub fn pnpm_packages(text: &str) -> Vec<MemberGlob> {
    let mut globs = Vec::new();
    let mut in_packages = false;
    for (index, raw_line) in text.lines().enumerate() {
        let line = strip_comment(raw_line);
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if !indented && !line.starts_with('-') {
            in_packages = false;
            if let Some(rest) = line.strip_prefix("packages:") {
                let rest = rest.trim();
                if let Some(flow) = rest.strip_prefix('[') {
                    let flow = flow.trim_end().trim_end_matches(']');
                    globs.extend(
                        flow.split(',')
                            .map(unquote)
                            .filter(|value| !value.is_empty())
                            .map(|value| MemberGlob {
                                value,
                                line: index + 1,
                            }),
                    );
                } else {
                    in_packages = true;
                }
            }
            continue;
        }
        if in_packages && let Some(item) = line.trim_start().strip_prefix('-') {
            let value = unquote(item);
            if !value.is_empty() {
                globs.push(MemberGlob {
                    value,
                    line: index + 1,
                });
            }
        }
    }
    globs
}

/// `line` without a `#` comment outside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '#') if at == 0 || line[..at].ends_with([' ', '\t']) => return &line[..at],
            _ => {}
        }
    }
    line
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::{Origin, VersionFileKind};

    fn manifest(text: &str) -> SourceFile {
        SourceFile {
            path: "package.json".into(),
            kind: VersionFileKind::PackageJson,
            origin: Origin::Detected,
            text: text.to_owned(),
        }
    }

    fn values(globs: &[MemberGlob]) -> Vec<(&str, usize)> {
        globs
            .iter()
            .map(|glob| (glob.value.as_str(), glob.line))
            .collect()
    }

    #[test]
    fn npm_and_yarn_forms() {
        let rows: [(&str, Vec<(&str, usize)>); 4] = [
            (
                "{\n\"workspaces\": [\n\"packages/*\",\n\"!packages/old\"]}",
                vec![("packages/*", 3), ("!packages/old", 4)],
            ),
            (
                "{\"workspaces\": {\"packages\": [\"libs/*\"], \"nohoist\": [\"**/x\"]}}",
                vec![("libs/*", 1)],
            ),
            ("{\"name\": \"single\"}", vec![]),
            ("{\"workspaces\": {\"nohoist\": []}}", vec![]),
        ];
        for (text, expected) in rows {
            assert_eq!(
                values(&npm_workspaces(&manifest(text)).unwrap()),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            npm_workspaces(&manifest("{\"workspaces\": \"packages/*\"}"))
                .unwrap_err()
                .to_string(),
            "`package.json` line 1: `workspaces` is a string; write an array of globs such as `[\"packages/*\"]`"
        );
    }

    #[test]
    fn pnpm_block_and_flow_forms() {
        let text = "# pnpm\npackages:\n  - 'packages/*'\n  - \"packages-private/*\" # demos\n  - tools/**\n  - '!**/test/**'\n\ncatalog:\n  vite: ^8\n  - not/a/member\n";
        assert_eq!(
            values(&pnpm_packages(text)),
            [
                ("packages/*", 3),
                ("packages-private/*", 4),
                ("tools/**", 5),
                ("!**/test/**", 6)
            ]
        );
        assert_eq!(
            values(&pnpm_packages(
                "packages: ['a/*', \"b\"]\nonlyBuiltDependencies: []\n"
            )),
            [("a/*", 1), ("b", 1)]
        );
        assert_eq!(pnpm_packages("catalog:\n  x: 1\n"), []);
    }
}
