//! The manifest editors: arbitrary text as a VERSION, Cargo.toml, package.json or
//! pyproject.toml is an error, or an edit that changes only the version's bytes, and editing
//! again with the same version changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use relcut::plan::version_files::{Origin, ParsedFiles, SourceFile, VersionFileKind};

const FILES: [&str; 4] = ["VERSION", "Cargo.toml", "package.json", "pyproject.toml"];
const NEW: &str = "7.8.9-rc.1";
/// The same version as a pyproject.toml writes it (PEP 440).
const NEW_PEP440: &str = "7.8.9rc1";

fn edited(path: &str, text: &str, new: &semver::Version) -> Option<(String, String)> {
    let files = [SourceFile {
        path: path.into(),
        kind: VersionFileKind::for_path(path.as_ref()),
        origin: Origin::Detected,
        text: text.to_string(),
    }];
    let parsed = ParsedFiles::parse(&files).ok()?;
    let current = parsed.current_versions().first()?.version.to_string();
    let edits = parsed.plan_edits(new).ok()?;
    let after = edits
        .iter()
        .find(|edit| edit.path.as_os_str() == path)
        .map_or_else(|| text.to_string(), |edit| edit.after.clone());
    Some((current, after))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let path = FILES[usize::from(selector) % FILES.len()];
    let text = String::from_utf8_lossy(rest);
    let new = semver::Version::parse(NEW).unwrap();
    let Some((current, after)) = edited(path, &text, &new) else {
        return;
    };
    // Only version text changed: every difference lies where the new version now stands.
    let written = if path == "pyproject.toml" {
        NEW_PEP440
    } else {
        NEW
    };
    if !text.contains(written) {
        let before_lines: Vec<&str> = text.split_inclusive('\n').collect();
        let after_lines: Vec<&str> = after.split_inclusive('\n').collect();
        assert_eq!(before_lines.len(), after_lines.len(), "{path}: lines");
        for (before, after) in before_lines.iter().zip(&after_lines) {
            if before != after {
                assert!(
                    after.contains(written),
                    "{path}: {before:?} -> {after:?} (was {current})"
                );
            }
        }
    }
    let (_, again) = edited(path, &after, &new).expect("an edited file parses again");
    assert_eq!(again, after, "{path}: a second edit changed the file");
});
