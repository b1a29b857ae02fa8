//! Properties of the manifest editors over generated versions and layouts: an edit changes only
//! version text, and editing again with the same version changes nothing.

use proptest::prelude::*;
use semver::Version;

use super::{Origin, SourceFile, VersionFileKind, current_versions, plan_edits};

fn file(path: &str, text: String) -> SourceFile {
    SourceFile {
        path: path.into(),
        kind: VersionFileKind::for_path(path.as_ref()),
        origin: Origin::Detected,
        text,
    }
}

fn version() -> impl Strategy<Value = Version> {
    (
        0u64..40,
        0u64..40,
        0u64..40,
        prop::option::of(("alpha|beta|rc", 0u64..9)),
    )
        .prop_map(|(major, minor, patch, pre)| {
            let text = match pre {
                Some((channel, number)) => format!("{major}.{minor}.{patch}-{channel}.{number}"),
                None => format!("{major}.{minor}.{patch}"),
            };
            Version::parse(&text).unwrap()
        })
}

/// A project's version files at `current`, with the layout's free parts generated: line
/// endings, a BOM, comments, indentation and key order.
fn project(current: Version) -> impl Strategy<Value = Vec<SourceFile>> {
    (any::<bool>(), any::<bool>(), 0usize..5, any::<bool>()).prop_map(
        move |(crlf, bom, indent, comment)| {
            let newline = if crlf { "\r\n" } else { "\n" };
            let pad = " ".repeat(indent);
            let lines = |lines: &[String]| {
                let mut text = if bom {
                    String::from("\u{feff}")
                } else {
                    String::new()
                };
                text.push_str(&lines.join(newline));
                text.push_str(newline);
                text
            };
            let note = if comment {
                " # the release sets this"
            } else {
                ""
            };
            vec![
                file("VERSION", format!("{current}{newline}")),
                file(
                    "Cargo.toml",
                    lines(&[
                        String::from("[package]"),
                        String::from("name = \"demo\""),
                        format!("version{pad} = \"{current}\"{note}"),
                        String::from("edition = \"2021\""),
                    ]),
                ),
                file(
                    "package.json",
                    lines(&[
                        String::from("{"),
                        format!("{pad}  \"name\": \"demo\","),
                        format!("{pad}  \"version\":{pad}\"{current}\","),
                        format!("{pad}  \"private\": true"),
                        String::from("}"),
                    ]),
                ),
            ]
        },
    )
}

fn applied(files: &[SourceFile], new: &Version) -> Vec<SourceFile> {
    let edits = plan_edits(files, new).unwrap();
    files
        .iter()
        .map(|file| {
            let mut file = file.clone();
            if let Some(edit) = edits.iter().find(|edit| edit.path == file.path) {
                file.text.clone_from(&edit.after);
            }
            file
        })
        .collect()
}

proptest! {
    #[test]
    fn editing_twice_with_the_same_version_changes_nothing_more(
        (current, files) in version().prop_flat_map(|current| (Just(current.clone()), project(current))),
        new in version(),
    ) {
        let once = applied(&files, &new);
        for version in current_versions(&once).unwrap() {
            prop_assert_eq!(&version.version, &new);
        }
        let again = plan_edits(&once, &new).unwrap();
        prop_assert!(
            again.iter().all(|edit| edit.before == edit.after),
            "a second edit to {new} from {current} changed {:?}",
            again.iter().map(|edit| &edit.path).collect::<Vec<_>>()
        );
        let twice = applied(&once, &new);
        prop_assert_eq!(
            twice.iter().map(|file| &file.text).collect::<Vec<_>>(),
            once.iter().map(|file| &file.text).collect::<Vec<_>>()
        );
    }

    #[test]
    fn an_edit_keeps_everything_but_the_version(
        (current, files) in version().prop_flat_map(|current| (Just(current.clone()), project(current))),
        new in version(),
    ) {
        let once = applied(&files, &new);
        for (before, after) in files.iter().zip(&once) {
            // Putting the old version back in place of the new gives the file as it was.
            prop_assert_eq!(
                after.text.replace(&new.to_string(), &current.to_string()),
                before.text.clone(),
                "{}", before.path.display()
            );
        }
    }
}
