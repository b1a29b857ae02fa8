//! Proof that a command parses each version file once: test builds count every TOML and JSON
//! parse, plain version read and pattern scan by path (`parse_count`), and a release and a sync
//! are planned from one [`ParsedFiles`] over every kind. Test-only; must not touch the disk
//! beyond an empty directory for the settings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use semver::Version;

use super::tests::file;
use super::{Origin, ParsedFiles, ReplacePattern, SourceFile, VersionFileKind, parse_count};
use crate::config::Settings;
use crate::plan::changelog::TemplateExtras;
use crate::plan::version::BumpRequest;
use crate::plan::{ReleaseInputs, plan_release, plan_sync};

/// One file of every kind, with files that are edited, files left alone for each reason, and
/// the cross-file cases (a member inheriting the workspace version, `Cargo.lock` following the
/// manifests, `uv.lock` following `pyproject.toml`).
fn every_kind() -> Vec<SourceFile> {
    let pattern = ReplacePattern {
        search: regex::Regex::new("__version__ = \"(?P<version>[^\"]*)\"").unwrap(),
        replace: String::from("__version__ = \"{{pep440}}\""),
        count: None,
        config_line: 3,
    };
    vec![
        file("VERSION", "1.2.3\n"),
        file(
            "Cargo.toml",
            "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.package]\nversion = \"1.2.3\"\n",
        ),
        file(
            "a/Cargo.toml",
            "[package]\nname = \"a\"\nversion.workspace = true\n",
        ),
        file(
            "b/Cargo.toml",
            "[package]\nname = \"b\"\n[dependencies]\na = { path = \"../a\", version = \"1.2.3\" }\n",
        ),
        file(
            "Cargo.lock",
            "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.2.3\"\n\n[[package]]\nname = \"b\"\nversion = \"0.0.0\"\ndependencies = [\n \"a\",\n]\n",
        ),
        file("package.json", "{\"version\": \"1.2.3\"}\n"),
        file(
            "package-lock.json",
            "{\"version\": \"1.2.3\", \"lockfileVersion\": 3, \"packages\": {\"\": {\"version\": \"1.2.3\"}}}\n",
        ),
        file("web/package.json", "{\"private\": true}\n"),
        file(
            "pyproject.toml",
            "[project]\nname = \"p\"\ndynamic = [\"version\"]\n",
        ),
        file(
            "uv.lock",
            "version = 1\n\n[[package]]\nname = \"p\"\nsource = { editable = \".\" }\n",
        ),
        SourceFile {
            path: "src/p/__init__.py".into(),
            kind: VersionFileKind::Pattern(vec![pattern]),
            origin: Origin::Configured,
            text: String::from("__version__ = \"1.2.3\"\n"),
        },
    ]
}

/// Every file of `files` counted once.
fn once_each(files: &[SourceFile]) -> BTreeMap<PathBuf, usize> {
    files.iter().map(|file| (file.path.clone(), 1)).collect()
}

#[test]
fn a_release_parses_each_file_once() {
    let root = tempfile::tempdir().unwrap();
    let settings = Settings::load(root.path()).unwrap();
    let files = every_kind();
    parse_count::take();

    let parsed = ParsedFiles::parse(&files).unwrap();
    let plan = plan_release(&ReleaseInputs {
        settings: &settings.policy,
        request: &BumpRequest::Minor,
        pre: None,
        last_release: None,
        last_stable: None,
        taken: &[],
        last_release_time: None,
        commits: &[],
        changelog_commits: &[],
        version_files: &parsed,
        changelog_existing: None,
        extras: &TemplateExtras {
            repository_url: None,
            tag_prefix: String::from("v"),
            remote: None,
            submodules: None,
            reading: Default::default(),
        },
        timestamp: 0,
        sign: false,
        head: "0123456789abcdef0123456789abcdef01234567",
        observed: None,
        push: None,
    })
    .unwrap();

    assert_eq!(parse_count::take(), once_each(&files));
    assert_eq!(plan.next_version, Version::new(1, 3, 0));
    // The plan used every part of the model: edits, and each reason for leaving a file alone.
    let written: Vec<_> = plan.files.iter().map(|file| file.path.clone()).collect();
    assert!(
        written.contains(&PathBuf::from("Cargo.lock")),
        "{written:?}"
    );
    assert!(
        written.contains(&PathBuf::from("b/Cargo.toml")),
        "{written:?}"
    );
    let alone: Vec<_> = plan
        .left_alone
        .iter()
        .map(|file| format!("{}: {}", file.path.display(), file.reason))
        .collect();
    assert_eq!(
        alone,
        [
            "a/Cargo.toml: it inherits `[workspace.package] version`",
            "web/package.json: it has no `version`",
            "pyproject.toml: its version is dynamic; the pattern files carry it",
            "uv.lock: it already says 1.3.0",
        ]
    );
}

#[test]
fn a_sync_parses_each_file_once() {
    let root = tempfile::tempdir().unwrap();
    let settings = Settings::load_for_versions(root.path()).unwrap();
    let mut files = every_kind();
    files[0].text = String::from("1.2.4\n");
    parse_count::take();

    let parsed = ParsedFiles::parse(&files).unwrap();
    let plan = plan_sync(
        &settings.policy,
        None,
        &parsed,
        "0123456789abcdef0123456789abcdef01234567",
    )
    .unwrap();

    assert_eq!(parse_count::take(), once_each(&files));
    assert_eq!(plan.target_version, Version::new(1, 2, 4));
}
