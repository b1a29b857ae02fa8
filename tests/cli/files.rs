//! Version files beyond `VERSION` and Cargo, end to end: `package.json` and npm's lockfile,
//! `pyproject.toml` (PEP 621 and Poetry) and `uv.lock`, pattern files from `relcut.toml`, the
//! consistency check between them and `relcut release --sync`. Where the ecosystem's own tool is
//! installed (npm, node, python3, uv, cargo), it reads the edited files back: a file relcut wrote
//! must be one that tool accepts as it is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use crate::harness::{TestRepo, scrub};

// ---------------------------------------------------------------------------------------------
// External tools

thread_local! {
    /// Whether the running test is the twin that checks relcut's edits with the tools.
    static WITH_TOOLS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the running test checks relcut's edits with `name`. A test leaves those checks to its
/// twin run by [`with_tools`], so it passes only for what it checked itself; the twin needs
/// every tool it uses, and is reported as ignored where one is missing (`build.rs` looks for
/// them; in CI, `CI` set, it always runs and a missing tool fails it). Cargo, which runs the
/// tests, is always there.
pub(crate) fn tool_available(name: &str) -> bool {
    if name != "cargo" && !WITH_TOOLS.with(std::cell::Cell::get) {
        return false;
    }
    static SEEN: Mutex<BTreeMap<String, bool>> = Mutex::new(BTreeMap::new());
    let mut seen = SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let available = *seen.entry(name.to_owned()).or_insert_with(|| {
        Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success())
    });
    assert!(
        available,
        "`{name}` is not installed, and this test checks with it; run `.ci/setup-ecosystem-tools.sh`"
    );
    true
}

/// Runs `test` again as its twin that also checks every edit with the ecosystem's tools.
pub(crate) fn with_tools(test: fn()) {
    WITH_TOOLS.with(|with_tools| with_tools.set(true));
    test();
}

/// Runs an external tool in the work tree. Unlike relcut and git, it keeps the environment (tools
/// installed by pyenv or nvm need theirs), but its caches and settings live in the test's
/// temporary directory and it never downloads.
pub(crate) fn tool(repo: &TestRepo, program: &str, args: &[&str]) -> Output {
    let scratch = repo.path().join("../tools");
    Command::new(program)
        .args(args)
        .current_dir(repo.path())
        .env("npm_config_cache", scratch.join("npm-cache"))
        .env("npm_config_userconfig", scratch.join("npmrc"))
        .env("npm_config_update_notifier", "false")
        .env("npm_config_audit", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_offline", "true")
        .env("UV_CACHE_DIR", scratch.join("uv-cache"))
        .env("UV_OFFLINE", "1")
        .env("UV_NO_CONFIG", "1")
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("CARGO_TARGET_DIR", scratch.join("cargo-target"))
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap_or_else(|error| panic!("{program} runs: {error}"))
}

/// [`tool`], failing the test unless it succeeds; its standard output.
#[track_caller]
pub(crate) fn tool_ok(repo: &TestRepo, program: &str, args: &[&str]) -> String {
    let output = tool(repo, program, args);
    assert!(
        output.status.success(),
        "{program} {args:?} failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A value of a TOML file read by Python's `tomllib`, with its PEP 440 normal form from
/// `packaging` (pip's vendored copy when it is not installed on its own): `(as written, normal)`.
fn python_toml_version(repo: &TestRepo, file: &str, dotted_key: &str) -> (String, String) {
    const SCRIPT: &str = "import sys, tomllib
try:
    from packaging.version import Version
except ImportError:
    from pip._vendor.packaging.version import Version
with open(sys.argv[1], 'rb') as handle:
    data = tomllib.load(handle)
for key in sys.argv[2].split('.'):
    data = data[key]
print(data)
print(Version(data))
";
    let output = tool_ok(repo, "python3", &["-c", SCRIPT, file, dotted_key]);
    let mut lines = output.lines().map(str::to_owned);
    (lines.next().unwrap(), lines.next().unwrap())
}

/// Runs `expression` in node over the document `JSON.parse` makes of `file` (as `d`).
fn node_json(repo: &TestRepo, file: &str, expression: &str) -> String {
    let script = format!(
        "const d = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); console.log({expression});"
    );
    tool_ok(repo, "node", &["-e", &script, file])
        .trim()
        .to_owned()
}

/// The versions `cargo metadata` reports for the workspace's packages, by name.
fn cargo_package_versions(repo: &TestRepo) -> BTreeMap<String, String> {
    let metadata = tool_ok(
        repo,
        "cargo",
        &[
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--no-deps",
        ],
    );
    let metadata: serde_json::Value = serde_json::from_str(&metadata).unwrap();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            (
                package["name"].as_str().unwrap().to_owned(),
                package["version"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Assertions on the repository

/// Every file of the work tree outside `.git`, with its bytes (directories as paths only), to
/// prove a run wrote nothing and left no temporary file behind.
fn work_tree(repo: &TestRepo) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(root: &Path, directory: &Path, into: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for entry in std::fs::read_dir(directory).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            if relative == Path::new(".git") {
                continue;
            }
            if path.is_dir() {
                into.insert(relative, None);
                walk(root, &path, into);
            } else {
                into.insert(relative, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(&repo.path(), &repo.path(), &mut files);
    files
}

/// Everything a failed or dry run must leave as it was: files, refs, index, status.
struct Untouched {
    tree: BTreeMap<PathBuf, Option<Vec<u8>>>,
    refs: String,
    index: Vec<u8>,
    status: String,
}

impl Untouched {
    fn record(repo: &TestRepo) -> Untouched {
        // `git status` first: it refreshes the index's stat data (after a chmod, say), which is
        // git's doing, not the run's.
        let status = repo.git(&["status", "--porcelain", "--ignored"]);
        Untouched {
            tree: work_tree(repo),
            refs: repo.refs(),
            index: repo.index(),
            status,
        }
    }

    #[track_caller]
    fn assert_same(&self, repo: &TestRepo, context: &str) {
        let tree = work_tree(repo);
        let changed: Vec<_> = self
            .tree
            .keys()
            .chain(tree.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|path| self.tree.get(*path) != tree.get(*path))
            .collect();
        assert!(changed.is_empty(), "{context}: files changed: {changed:?}");
        assert_eq!(repo.refs(), self.refs, "{context}: refs changed");
        assert!(repo.index() == self.index, "{context}: the index changed");
        assert_eq!(
            repo.git(&["status", "--porcelain", "--ignored"]),
            self.status,
            "{context}: git status changed"
        );
    }
}

/// The release commit's diff of `paths`, without the `index` lines (blob hashes).
fn commit_diff(repo: &TestRepo, paths: &[&str]) -> String {
    let mut args = vec!["show", "--format=", "HEAD", "--"];
    args.extend(paths);
    repo.git(&args)
        .lines()
        .filter(|line| !line.starts_with("index "))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The 1-based lines where `after` differs from `before`. Fails the test unless both have the
/// same lines (final newline included) and each changed line is its old self with `old` replaced
/// by `new` once, so every other byte of the file is proven identical.
#[track_caller]
fn changed_lines(before: &str, after: &str, old: &str, new: &str) -> Vec<usize> {
    let before: Vec<&str> = before.split_inclusive('\n').collect();
    let after: Vec<&str> = after.split_inclusive('\n').collect();
    assert_eq!(before.len(), after.len(), "the number of lines changed");
    let mut changed = Vec::new();
    for (index, (old_line, new_line)) in before.iter().zip(&after).enumerate() {
        if old_line != new_line {
            assert_eq!(
                *new_line,
                old_line.replacen(old, new, 1),
                "line {} changed more than its version",
                index + 1
            );
            changed.push(index + 1);
        }
    }
    changed
}

/// The names of the files the release commit changed, sorted.
pub(crate) fn files_in_head(repo: &TestRepo) -> Vec<String> {
    let mut names: Vec<String> = repo
        .git(&["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

/// Lets npm rewrite `package-lock.json` from `package.json`, offline: with a lockfile, npm needs
/// neither the registry nor the dependencies' tarballs.
pub(crate) fn npm_rewrites_lock(repo: &TestRepo) {
    tool_ok(
        repo,
        "npm",
        &[
            "install",
            "--package-lock-only",
            "--offline",
            "--ignore-scripts",
        ],
    );
}

/// The tags, in git's (byte) order.
fn tags(repo: &TestRepo) -> Vec<String> {
    repo.git(&["tag", "-l"])
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Short commit hashes in a plan, which depend on files some tools generate.
fn hash_filters() -> Vec<(&'static str, &'static str)> {
    vec![(r"(?m)^(  \S+\s+)[0-9a-f]{7} ", "$1[HASH] ")]
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/// `text`, written with two spaces per level, re-indented with `indent` per level.
fn reindent(text: &str, indent: &str) -> String {
    text.lines()
        .map(|line| {
            let content = line.trim_start_matches(' ');
            let depth = (line.len() - content.len()) / 2;
            format!("{}{content}\n", indent.repeat(depth))
        })
        .collect()
}

/// A `package.json` with a dependency whose version is the project's own, so a careless edit
/// would change it too.
const PACKAGE_JSON: &str = r#"{
  "name": "demo-web",
  "version": "1.2.3",
  "description": "A demo web app",
  "private": true,
  "scripts": {
    "test": "node --test"
  },
  "dependencies": {
    "left-pad": "file:vendor/left-pad-1.2.3.tgz"
  }
}
"#;

/// The lockfile npm 11 writes for [`PACKAGE_JSON`] (lockfileVersion 3).
const PACKAGE_LOCK: &str = r#"{
  "name": "demo-web",
  "version": "1.2.3",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "demo-web",
      "version": "1.2.3",
      "dependencies": {
        "left-pad": "file:vendor/left-pad-1.2.3.tgz"
      }
    },
    "node_modules/left-pad": {
      "version": "1.2.3",
      "resolved": "file:vendor/left-pad-1.2.3.tgz",
      "integrity": "sha512-WsIRQgTsAo3CJBqax57au2qxakXJf+hNLIW714PbUaElJ4EtOvqCSQsPZNfVFhXMWs/ql+VQLNSvJiFeBrhOzQ=="
    }
  }
}
"#;

/// A PEP 621 project with comments relcut must keep.
const PYPROJECT_PEP621: &str = r#"# The demo package; relcut keeps this comment.
[project]
name = "demo-pkg"
version = "1.2.3"  # released by relcut
description = "A demo package"
requires-python = ">=3.11"
dependencies = []

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"#;

/// What `uv lock` (0.13) writes for [`PYPROJECT_PEP621`]; used where uv is not installed.
const UV_LOCK: &str = r#"version = 1
revision = 5
requires-python = ">=3.11"

[[package]]
name = "demo-pkg"
version = "1.2.3"
source = { editable = "." }
"#;

/// `uv.lock` for [`PYPROJECT_PEP621`], made by uv when it is installed, else [`UV_LOCK`].
fn write_uv_lock(repo: &TestRepo) {
    if tool_available("uv") {
        tool_ok(repo, "uv", &["lock", "--offline"]);
        assert!(repo.read("uv.lock").contains("version = \"1.2.3\""));
    } else {
        repo.write("uv.lock", UV_LOCK);
    }
}

// ---------------------------------------------------------------------------------------------
// 1. npm

#[test]
fn npm_manifest_and_lockfile_change_only_their_version_strings_in_every_indentation() {
    for (label, indent, final_newline) in [
        ("two_spaces", "  ", true),
        ("four_spaces", "    ", true),
        ("tabs_no_final_newline", "\t", false),
    ] {
        let repo = TestRepo::new();
        let mut manifest = reindent(PACKAGE_JSON, indent);
        if !final_newline {
            manifest.pop();
        }
        // npm indents its lockfile like the manifest, and always ends it with a newline.
        let lock = reindent(PACKAGE_LOCK, indent);
        repo.write("package.json", &manifest);
        repo.write("package-lock.json", &lock);
        if tool_available("npm") {
            // The fixture is exactly what npm writes (it would rewrite it otherwise), offline:
            // with a lockfile, npm needs neither the registry nor the dependency's tarball.
            npm_rewrites_lock(&repo);
            assert_eq!(
                repo.read("package-lock.json"),
                lock,
                "{label}: npm's own lock"
            );
            assert_eq!(repo.read("package.json"), manifest, "{label}");
        }
        repo.commit("feat: first");
        repo.tag("v1.2.3");
        repo.commit("feat: x");

        let run = repo.relcut(&["release", "--yes"]).success();
        assert!(
            run.stdout.contains("Released 1.3.0 (v1.3.0)"),
            "{}",
            run.stdout
        );

        let new_manifest = repo.read("package.json");
        let new_lock = repo.read("package-lock.json");
        assert_eq!(
            changed_lines(&manifest, &new_manifest, "1.2.3", "1.3.0"),
            [3],
            "{label}: package.json"
        );
        assert_eq!(
            changed_lines(&lock, &new_lock, "1.2.3", "1.3.0"),
            [3, 9],
            "{label}: package-lock.json (the dependency's 1.2.3 stays)"
        );
        assert_eq!(new_manifest.ends_with('\n'), final_newline, "{label}");
        insta::assert_snapshot!(
            format!("npm_release_diff_{label}"),
            commit_diff(&repo, &["package.json", "package-lock.json"])
        );

        if tool_available("node") {
            assert_eq!(
                node_json(
                    &repo,
                    "package-lock.json",
                    r#"[d.version, d.packages[""].version, d.packages["node_modules/left-pad"].version].join(" ")"#
                ),
                "1.3.0 1.3.0 1.2.3",
                "{label}"
            );
            assert_eq!(node_json(&repo, "package.json", "d.version"), "1.3.0");
        }
        if tool_available("npm") {
            assert_eq!(
                tool_ok(&repo, "npm", &["pkg", "get", "version"]).trim(),
                "\"1.3.0\"",
                "{label}"
            );
            // npm rewrites the root entries from package.json: an unchanged lockfile means npm
            // agrees with relcut's edit byte for byte.
            npm_rewrites_lock(&repo);
            assert_eq!(
                repo.read("package-lock.json"),
                new_lock,
                "{label}: npm rewrote the lock"
            );
            assert_eq!(repo.read("package.json"), new_manifest, "{label}");
        }
    }
}

#[test]
#[cfg_attr(
    any(relcut_missing_npm, relcut_missing_node),
    ignore = "needs npm and node: run `.ci/setup-ecosystem-tools.sh`"
)]
fn npm_and_node_read_the_edited_manifest_and_lockfile_back() {
    with_tools(npm_manifest_and_lockfile_change_only_their_version_strings_in_every_indentation);
}

// ---------------------------------------------------------------------------------------------
// 2. and 3. Python

#[test]
fn a_pep621_prerelease_is_written_in_pep440_form_in_pyproject_and_uv_lock_then_promoted() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", PYPROJECT_PEP621);
    write_uv_lock(&repo);
    let lock = repo.read("uv.lock");
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat: x");

    let run = repo.relcut(&["release", "--pre", "rc", "--yes"]).success();
    assert!(
        run.stdout.contains("Released 1.3.0-rc.1 (v1.3.0-rc.1)"),
        "{}",
        run.stdout
    );
    assert_eq!(tags(&repo), ["v1.2.3", "v1.3.0-rc.1"]);
    assert_eq!(
        changed_lines(
            PYPROJECT_PEP621,
            &repo.read("pyproject.toml"),
            "1.2.3",
            "1.3.0rc1"
        ),
        [4]
    );
    let lock_line = lock
        .lines()
        .position(|line| line == "version = \"1.2.3\"")
        .unwrap()
        + 1;
    assert_eq!(
        changed_lines(&lock, &repo.read("uv.lock"), "1.2.3", "1.3.0rc1"),
        [lock_line]
    );
    insta::assert_snapshot!(
        "pep621_prerelease_diff",
        commit_diff(&repo, &["pyproject.toml", "uv.lock"])
    );
    if tool_available("python3") {
        assert_eq!(
            python_toml_version(&repo, "pyproject.toml", "project.version"),
            ("1.3.0rc1".to_owned(), "1.3.0rc1".to_owned())
        );
    }
    if tool_available("uv") {
        // `--locked` fails when the lock does not match pyproject.toml.
        tool_ok(&repo, "uv", &["lock", "--locked", "--offline"]);
    }

    // `1.3.0rc1` is read back as 1.3.0-rc.1 and agrees with the tag v1.3.0-rc.1.
    repo.relcut(&["release", "--bump", "release", "--yes"])
        .success();
    assert_eq!(tags(&repo), ["v1.2.3", "v1.3.0", "v1.3.0-rc.1"]);
    assert_eq!(
        repo.read("pyproject.toml"),
        PYPROJECT_PEP621.replace("\"1.2.3\"", "\"1.3.0\"")
    );
    assert_eq!(repo.read("uv.lock"), lock.replace("\"1.2.3\"", "\"1.3.0\""));
    if tool_available("python3") {
        assert_eq!(
            python_toml_version(&repo, "pyproject.toml", "project.version").0,
            "1.3.0"
        );
    }
    if tool_available("uv") {
        tool_ok(&repo, "uv", &["lock", "--locked", "--offline"]);
    }
}

#[test]
#[cfg_attr(
    any(relcut_missing_python3, relcut_missing_uv),
    ignore = "needs python3 and uv: run `.ci/setup-ecosystem-tools.sh`"
)]
fn python_and_uv_read_the_pep621_prerelease_back() {
    with_tools(
        a_pep621_prerelease_is_written_in_pep440_form_in_pyproject_and_uv_lock_then_promoted,
    );
}

#[test]
fn a_poetry_beta_is_written_in_pep440_form() {
    let repo = TestRepo::new();
    let pyproject = "[tool.poetry]\nname = \"demo-poetry\"\nversion = \"1.2.3\" # the release\ndescription = \"A demo\"\nauthors = [\"Test Author <author@example.com>\"]\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\n\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n";
    repo.write("pyproject.toml", pyproject);
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat: x");

    repo.relcut(&["release", "--pre", "beta", "--yes"])
        .success();
    assert_eq!(tags(&repo), ["v1.2.3", "v1.3.0-beta.1"]);
    assert_eq!(
        changed_lines(pyproject, &repo.read("pyproject.toml"), "1.2.3", "1.3.0b1"),
        [3]
    );
    insta::assert_snapshot!("poetry_beta_diff", commit_diff(&repo, &["pyproject.toml"]));
    if tool_available("python3") {
        assert_eq!(
            python_toml_version(&repo, "pyproject.toml", "tool.poetry.version"),
            ("1.3.0b1".to_owned(), "1.3.0b1".to_owned())
        );
    }
}

#[test]
#[cfg_attr(
    relcut_missing_python3,
    ignore = "needs python3: run `.ci/setup-ecosystem-tools.sh`"
)]
fn python_reads_the_poetry_beta_back() {
    with_tools(a_poetry_beta_is_written_in_pep440_form);
}

// ---------------------------------------------------------------------------------------------
// 4. Every kind in one repository

const CHART: &str = "apiVersion: v2\nname: demo\ndescription: A demo chart\ntype: application\nversion: 1.2.3\nappVersion: \"1.2.3\"\n";

fn mixed_repository() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/core\", \"crates/cli\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"1.2.3\"\nedition = \"2021\"\n",
    );
    repo.write(
        "crates/core/Cargo.toml",
        "[package]\nname = \"demo-core\"\nversion.workspace = true\nedition.workspace = true\n",
    );
    repo.write(
        "crates/cli/Cargo.toml",
        "[package]\nname = \"demo-cli\"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\ndemo-core = { path = \"../core\", version = \"1.2.3\" }\n",
    );
    repo.write("crates/core/src/lib.rs", "");
    repo.write("crates/cli/src/lib.rs", "");
    if tool_available("cargo") {
        tool_ok(&repo, "cargo", &["generate-lockfile", "--offline"]);
    } else {
        repo.write(
            "Cargo.lock",
            "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = \"demo-cli\"\nversion = \"1.2.3\"\ndependencies = [\n \"demo-core\",\n]\n\n[[package]]\nname = \"demo-core\"\nversion = \"1.2.3\"\n",
        );
    }
    repo.write(
        "package.json",
        "{\n  \"name\": \"demo-web\",\n  \"version\": \"1.2.3\",\n  \"private\": true\n}\n",
    );
    repo.write(
        "package-lock.json",
        "{\n  \"name\": \"demo-web\",\n  \"version\": \"1.2.3\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {\n      \"name\": \"demo-web\",\n      \"version\": \"1.2.3\"\n    }\n  }\n}\n",
    );
    repo.write("pyproject.toml", PYPROJECT_PEP621);
    repo.write("VERSION", "1.2.3\n");
    repo.write("helm/Chart.yaml", CHART);
    repo.write(
        "src/pkg/__init__.py",
        "\"\"\"The demo package.\"\"\"\n\n__version__ = \"1.2.3\"\n",
    );
    repo.write(
        "relcut.toml",
        r#"[[files]]
path = "helm/Chart.yaml"
search = '(?m)^version: .*$'
replace = 'version: {{version}}'
count = 1

[[files]]
path = "helm/Chart.yaml"
search = '(?m)^appVersion: .*$'
replace = 'appVersion: "{{version}}"'

[[files]]
path = "src/pkg/__init__.py"
search = '__version__ = "(?P<version>[^"]+)"'
replace = '__version__ = "{{pep440}}"'
"#,
    );
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo
}

#[test]
fn one_release_moves_cargo_npm_python_version_and_pattern_files_together() {
    let repo = mixed_repository();
    repo.commit("feat: x");

    let before = Untouched::record(&repo);
    let run = repo.relcut(&["release", "--dry-run"]).success();
    before.assert_same(&repo, "dry run");
    insta::with_settings!({ filters => hash_filters() }, {
        insta::assert_snapshot!("mixed_plan", scrub(&repo, &run.stdout));
    });

    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(tags(&repo), ["v1.2.3", "v1.3.0"]);
    assert_eq!(
        files_in_head(&repo),
        [
            "CHANGELOG.md",
            "Cargo.lock",
            "Cargo.toml",
            "VERSION",
            "crates/cli/Cargo.toml",
            "helm/Chart.yaml",
            "package-lock.json",
            "package.json",
            "pyproject.toml",
            "src/pkg/__init__.py",
        ]
    );
    insta::assert_snapshot!(
        "mixed_release_diff",
        commit_diff(&repo, &[":(exclude)CHANGELOG.md"])
    );
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert_eq!(
        repo.read("helm/Chart.yaml"),
        CHART.replace("1.2.3", "1.3.0")
    );
    assert_eq!(
        repo.read("src/pkg/__init__.py"),
        "\"\"\"The demo package.\"\"\"\n\n__version__ = \"1.3.0\"\n"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    if tool_available("cargo") {
        assert_eq!(
            cargo_package_versions(&repo),
            BTreeMap::from([
                ("demo-cli".to_owned(), "1.3.0".to_owned()),
                ("demo-core".to_owned(), "1.3.0".to_owned()),
            ])
        );
        // `--locked` fails when Cargo.lock no longer matches the manifests.
        tool_ok(
            &repo,
            "cargo",
            &["metadata", "--format-version", "1", "--locked", "--offline"],
        );
    }
    if tool_available("npm") {
        assert_eq!(
            tool_ok(&repo, "npm", &["pkg", "get", "version"]).trim(),
            "\"1.3.0\""
        );
    }
    if tool_available("node") {
        assert_eq!(
            node_json(
                &repo,
                "package-lock.json",
                r#"d.version + " " + d.packages[""].version"#
            ),
            "1.3.0 1.3.0"
        );
    }
    if tool_available("python3") {
        assert_eq!(
            python_toml_version(&repo, "pyproject.toml", "project.version").0,
            "1.3.0"
        );
    }
}

#[test]
#[cfg_attr(
    any(relcut_missing_npm, relcut_missing_node, relcut_missing_python3),
    ignore = "needs npm, node and python3: run `.ci/setup-ecosystem-tools.sh`"
)]
fn cargo_npm_node_and_python_read_the_mixed_release_back() {
    with_tools(one_release_moves_cargo_npm_python_version_and_pattern_files_together);
}

// ---------------------------------------------------------------------------------------------
// 5. Consistency and --sync

/// `package.json`, `pyproject.toml` and `VERSION` with the given versions, tagged v1.2.3, and a
/// feature since.
fn three_sources(package_json: &str, pyproject: &str, version_file: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        &format!("{{\n  \"name\": \"demo\",\n  \"version\": \"{package_json}\"\n}}\n"),
    );
    repo.write(
        "pyproject.toml",
        &format!("[project]\nname = \"demo\"\nversion = \"{pyproject}\"\n"),
    );
    repo.write("VERSION", &format!("{version_file}\n"));
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat: x");
    repo
}

#[test]
fn files_that_disagree_are_a_table_of_file_line_and_version() {
    let repo = three_sources("1.2.2", "1.2.3", "1.2.3");
    let before = Untouched::record(&repo);
    let run = repo.relcut(&["release", "--dry-run"]).code(3);
    before.assert_same(&repo, "refused release");
    insta::assert_snapshot!("disagreement_table", scrub(&repo, &run.stderr));
}

#[test]
fn a_pep440_and_a_semver_spelling_of_one_prerelease_agree() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"demo\",\n  \"version\": \"1.3.0-rc.1\"\n}\n",
    );
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"1.3.0rc1\"\n",
    );
    repo.commit("feat: first");
    repo.tag("v1.3.0-rc.1");
    repo.commit("fix: y");
    repo.relcut(&["release", "--pre", "rc", "--yes"]).success();
    assert_eq!(tags(&repo), ["v1.3.0-rc.1", "v1.3.0-rc.2"]);
    assert!(
        repo.read("package.json")
            .contains("\"version\": \"1.3.0-rc.2\"")
    );
    assert!(
        repo.read("pyproject.toml")
            .contains("version = \"1.3.0rc2\"")
    );
}

#[test]
fn sync_aligns_every_file_to_the_highest_in_one_commit_without_a_tag() {
    let repo = three_sources("1.2.2", "1.2.3", "1.2.3");

    let before = Untouched::record(&repo);
    let run = repo.relcut(&["release", "--sync", "--dry-run"]).success();
    before.assert_same(&repo, "sync dry run");
    insta::assert_snapshot!("sync_plan", scrub(&repo, &run.stdout));

    let head = repo.head();
    let tags_before = tags(&repo);
    let run = repo.relcut(&["release", "--sync", "--yes"]).success();
    assert!(
        run.stdout.contains("Aligned 1 file(s) to 1.2.3"),
        "{}",
        run.stdout
    );
    assert_eq!(
        repo.git(&["rev-parse", "HEAD~1"]).trim(),
        head,
        "one commit"
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]).trim(),
        "chore(release): align version files to 1.2.3"
    );
    assert_eq!(files_in_head(&repo), ["package.json"]);
    assert_eq!(
        repo.read("package.json"),
        "{\n  \"name\": \"demo\",\n  \"version\": \"1.2.3\"\n}\n"
    );
    assert_eq!(tags(&repo), tags_before, "a sync makes no tag");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(tags(&repo), ["v1.2.3", "v1.3.0"]);
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert!(repo.read("package.json").contains("\"1.3.0\""));
    assert!(repo.read("pyproject.toml").contains("\"1.3.0\""));
}

#[test]
fn sync_to_a_file_ahead_of_the_tag_suggests_releasing_that_version() {
    let repo = three_sources("2.0.0", "1.2.3", "1.2.3");
    let run = repo.relcut(&["release", "--sync", "--yes"]).success();
    assert!(
        run.stdout.contains("Aligned 2 file(s) to 2.0.0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("`relcut release --bump 2.0.0`"),
        "{}",
        run.stderr
    );
    assert_eq!(tags(&repo), ["v1.2.3"]);
    assert_eq!(repo.read("VERSION"), "2.0.0\n");
    assert!(repo.read("pyproject.toml").contains("version = \"2.0.0\""));

    repo.relcut(&["release", "--bump", "2.0.0", "--yes"])
        .success();
    assert_eq!(tags(&repo), ["v1.2.3", "v2.0.0"]);
    assert_eq!(
        repo.git(&["rev-parse", "v2.0.0^{commit}"]).trim(),
        repo.head()
    );
}

#[test]
fn sync_when_every_file_agrees_has_nothing_to_align() {
    let repo = three_sources("1.2.3", "1.2.3", "1.2.3");
    let before = Untouched::record(&repo);
    let run = repo.relcut(&["release", "--sync", "--yes"]).success();
    assert!(run.stdout.contains("nothing to align"), "{}", run.stdout);
    before.assert_same(&repo, "sync with nothing to align");
}

// ---------------------------------------------------------------------------------------------
// 6. Malformed input

/// A valid project (npm, Python with uv, VERSION) at 1.2.3, tagged.
fn valid_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.write(
        "package.json",
        "{\n  \"name\": \"demo\",\n  \"version\": \"1.2.3\"\n}\n",
    );
    repo.write(
        "package-lock.json",
        "{\n  \"name\": \"demo\",\n  \"version\": \"1.2.3\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {\n      \"name\": \"demo\",\n      \"version\": \"1.2.3\"\n    }\n  }\n}\n",
    );
    repo.write("pyproject.toml", PYPROJECT_PEP621);
    repo.write("uv.lock", UV_LOCK);
    repo.write("helm/Chart.yaml", CHART);
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo
}

/// A `relcut.toml` with one pattern entry for `helm/Chart.yaml` (its `path` on line 2).
fn chart_pattern(search: &str, extra: &str) -> String {
    format!(
        "[[files]]\npath = \"helm/Chart.yaml\"\nsearch = '{search}'\nreplace = 'version: {{{{version}}}}'\n{extra}"
    )
}

#[test]
fn malformed_input_names_file_and_line_and_nothing_is_written() {
    struct Row {
        name: &'static str,
        files: Vec<(&'static str, String)>,
        /// Paths to replace by a directory.
        directories: Vec<&'static str>,
        code: i32,
        mentions: Vec<&'static str>,
    }
    let row = |name, files: Vec<(&'static str, String)>, mentions: Vec<&'static str>| Row {
        name,
        files,
        directories: Vec::new(),
        code: 3,
        mentions,
    };
    let rows = vec![
        row(
            "package.json is not valid JSON",
            vec![(
                "package.json",
                "{\n  \"name\": \"demo\",\n  \"version\": \"1.2.3\",\n}\n".to_owned(),
            )],
            // The trailing comma is the error, not the brace after it.
            vec!["`package.json`", "line 3, column 21"],
        ),
        row(
            "pyproject.toml is not valid TOML",
            vec![(
                "pyproject.toml",
                "[project]\nname = \"demo-pkg\"\nversion = \"1.2.3\n".to_owned(),
            )],
            vec!["`pyproject.toml`", "line 3"],
        ),
        row(
            "package-lock.json v3 without packages[\"\"]",
            vec![(
                "package-lock.json",
                "{\n  \"name\": \"demo\",\n  \"version\": \"1.2.3\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"node_modules/x\": {\n      \"version\": \"1.2.3\"\n    }\n  }\n}\n".to_owned(),
            )],
            vec!["`package-lock.json`", "line 6", "packages[\"\"]"],
        ),
        row(
            "uv.lock without the project's entry",
            vec![(
                "uv.lock",
                "version = 1\nrevision = 3\nrequires-python = \">=3.11\"\n\n[[package]]\nname = \"other\"\nversion = \"1.2.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n".to_owned(),
            )],
            vec!["`uv.lock`", "demo-pkg"],
        ),
        row(
            "relcut.toml search is not a regular expression",
            vec![("relcut.toml", chart_pattern("(?m)^version: (.*$", ""))],
            vec!["relcut.toml", "line 3", "regular expression"],
        ),
        row(
            "a pattern that matches nothing",
            vec![("relcut.toml", chart_pattern("(?m)^chartVersion: .*$", ""))],
            vec!["`helm/Chart.yaml`", "relcut.toml line 2"],
        ),
        row(
            "count = 2 with one match",
            vec![(
                "relcut.toml",
                chart_pattern("(?m)^version: .*$", "count = 2\n"),
            )],
            vec!["`helm/Chart.yaml`", "relcut.toml line 2", "line 5"],
        ),
        row(
            "pyproject.toml with a dynamic version",
            vec![(
                "pyproject.toml",
                "[project]\nname = \"demo-pkg\"\ndynamic = [\"version\"]\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n".to_owned(),
            )],
            vec!["`pyproject.toml`", "line 3", "dynamic"],
        ),
        Row {
            name: "package.json is a directory",
            files: vec![("package.json/index.js", String::from("// not a manifest\n"))],
            directories: vec!["package.json"],
            // Reading the version files fails before anything else: a version file that cannot
            // be read as one is invalid input (3), like a malformed one, not an I/O failure (1).
            code: 3,
            mentions: vec!["`package.json`", "directory"],
        },
        row(
            "a pattern file that does not exist",
            vec![(
                "relcut.toml",
                "[[files]]\npath = \"helm/Missing.yaml\"\nsearch = 'version: .*'\nreplace = 'version: {{version}}'\n".to_owned(),
            )],
            vec!["`helm/Missing.yaml`", "does not exist"],
        ),
    ];

    let mut report = String::new();
    for row in rows {
        let repo = valid_project();
        for directory in &row.directories {
            std::fs::remove_file(repo.path().join(directory)).unwrap();
        }
        for (path, text) in &row.files {
            repo.write(path, text);
        }
        repo.commit("feat: x");
        let before = Untouched::record(&repo);

        let run = repo.relcut(&["release", "--yes"]);
        assert_eq!(
            run.code, row.code,
            "{}: exit code\nstdout:\n{}\nstderr:\n{}",
            row.name, run.stdout, run.stderr
        );
        for mention in &row.mentions {
            assert!(
                run.stderr.contains(mention),
                "{}: stderr does not mention {mention}:\n{}",
                row.name,
                run.stderr
            );
        }
        before.assert_same(&repo, row.name);
        report.push_str(&format!("## {}\n{}\n", row.name, scrub(&repo, &run.stderr)));
    }
    insta::assert_snapshot!("malformed_input_errors", report);
}

// ---------------------------------------------------------------------------------------------
// 7. All or nothing

#[cfg(unix)]
#[test]
fn a_read_only_file_in_the_middle_stops_the_release_before_any_file_is_written() {
    use std::os::unix::fs::PermissionsExt;
    for changelog in [
        None,
        Some("# Changelog\n\n## [1.2.3] - 2026-01-01\n\n- First\n"),
    ] {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.2.3\n");
        repo.write(
            "package.json",
            "{\n  \"name\": \"demo-pkg\",\n  \"version\": \"1.2.3\"\n}\n",
        );
        repo.write("pyproject.toml", PYPROJECT_PEP621);
        repo.write("uv.lock", UV_LOCK);
        if let Some(text) = changelog {
            repo.write("CHANGELOG.md", text);
        }
        repo.commit("feat: first");
        repo.tag("v1.2.3");
        repo.commit("feat: x");
        let pyproject = repo.path().join("pyproject.toml");
        // git tracks only the executable bit, so the tree stays clean. relcut refuses a
        // read-only file itself, so this holds when the tests run as root too.
        std::fs::set_permissions(&pyproject, std::fs::Permissions::from_mode(0o444)).unwrap();
        let before = Untouched::record(&repo);

        // A file that cannot be written is a failed check (4), found with the others before
        // anything happens: a dry run reports it too.
        let message = "cannot write `pyproject.toml`: the file is read-only; make it writable and run relcut again";
        let dry_run = repo.relcut(&["release", "--dry-run"]).code(4);
        assert!(dry_run.stderr.contains(message), "{}", dry_run.stderr);
        let run = repo.relcut(&["release", "--yes"]).code(4);
        assert!(run.stderr.contains(message), "{}", run.stderr);
        // Same bytes everywhere, CHANGELOG.md absent or as it was, no `.*.relcut-*` left.
        before.assert_same(&repo, "read-only pyproject.toml");
        let leftovers: Vec<_> = work_tree(&repo)
            .into_keys()
            .filter(|path| path.to_string_lossy().contains(".relcut-"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
        assert_eq!(tags(&repo), ["v1.2.3"]);
        assert_eq!(
            std::fs::metadata(&pyproject).unwrap().permissions().mode() & 0o777,
            0o444
        );
        std::fs::set_permissions(&pyproject, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

/// The project the confirmation tests release: three version files, a tag and a feature.
fn project_awaiting_confirmation() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n");
    repo.write(
        "package.json",
        "{\n  \"name\": \"demo-pkg\",\n  \"version\": \"1.2.3\"\n}\n",
    );
    repo.write("pyproject.toml", PYPROJECT_PEP621);
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat: x");
    repo
}

#[test]
fn a_file_changed_while_the_person_reviews_the_plan_stops_the_release() {
    let repo = project_awaiting_confirmation();
    let mut session = repo.relcut_at_terminal(&["release", "--bump", "minor"]);
    session.wait_for("What now?");
    // An editor saves the file while the plan is on screen: the plan no longer describes it.
    let edited =
        "{\n  \"name\": \"demo-pkg\",\n  \"version\": \"1.2.3\",\n  \"private\": true\n}\n";
    repo.write("package.json", edited);
    let before = Untouched::record(&repo);
    session.type_keys("\r");
    let (screen, code) = session.finish();
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("`package.json`") && screen.contains("changed after relcut read it"),
        "{screen}"
    );
    // Nothing written: VERSION, which comes first, is as it was too; no commit, no tag.
    before.assert_same(&repo, "file changed during confirmation");
    assert_eq!(repo.read("package.json"), edited);
    assert_eq!(repo.read("VERSION"), "1.2.3\n");
    assert_eq!(tags(&repo), ["v1.2.3"]);
}

#[test]
fn a_person_confirms_or_declines_at_the_terminal() {
    let repo = project_awaiting_confirmation();
    let before = Untouched::record(&repo);
    let mut session = repo.relcut_at_terminal(&["release", "--bump", "minor"]);
    session.wait_for("What now?");
    session.type_keys("q");
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("Cancelled: nothing was changed."),
        "{screen}"
    );
    before.assert_same(&repo, "declined");

    let mut session = repo.relcut_at_terminal(&["release", "--bump", "minor"]);
    session.wait_for("What now?");
    let shown = session.screen();
    // The person saw every file and its diff before answering.
    for expected in [
        "package.json (npm package manifest, detected)",
        "+version = \"1.3.0\"",
    ] {
        assert!(shown.contains(expected), "{expected}\n{shown}");
    }
    session.type_keys("\r");
    let (screen, code) = session.finish();
    assert_eq!(code, 0, "{screen}");
    assert_eq!(tags(&repo), ["v1.2.3", "v1.3.0"]);
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
}

#[cfg(unix)]
#[test]
fn a_version_file_that_is_a_link_stays_a_link_and_the_commit_takes_its_file() {
    let repo = TestRepo::new();
    repo.write("packaging/VERSION", "1.2.3\n");
    std::os::unix::fs::symlink("packaging/VERSION", repo.path().join("VERSION")).unwrap();
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat: x");
    repo.relcut(&["release", "--yes"]).success();
    let link = std::fs::symlink_metadata(repo.path().join("VERSION")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "VERSION became a regular file"
    );
    assert_eq!(repo.read("packaging/VERSION"), "1.3.0\n");
    assert_eq!(
        files_in_head(&repo),
        ["CHANGELOG.md", "packaging/VERSION"],
        "the release commit must hold the linked file's change"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

// ---------------------------------------------------------------------------------------------
// 8. Detection

#[test]
fn files_without_a_version_are_not_touched_and_the_plan_lists_only_version() {
    let repo = TestRepo::new();
    let pyproject = "[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = [\"E\", \"F\"]\n";
    let package = "{\"private\": true}\n";
    repo.write("pyproject.toml", pyproject);
    repo.write("package.json", package);
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat: x");

    let run = repo.relcut(&["release", "--dry-run"]).success();
    let files_section: String = run
        .stdout
        .split("\nFiles:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        files_section,
        "  VERSION (the version file, detected)\n  CHANGELOG.md (the changelog, new file)\nLeft alone:\n  package.json (it has no `version`)\n  pyproject.toml (it has no `[project]` or `[tool.poetry]` version)",
        "{}",
        run.stdout
    );

    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(files_in_head(&repo), ["CHANGELOG.md", "VERSION"]);
    assert_eq!(repo.read("VERSION"), "1.3.0\n");
    assert_eq!(repo.read("pyproject.toml"), pyproject);
    assert_eq!(repo.read("package.json"), package);
}

#[test]
fn with_detection_off_only_the_listed_files_are_read() {
    let repo = TestRepo::new();
    repo.write(
        "relcut.toml",
        "detect = false\n\n[[files]]\npath = \"VERSION\"\n",
    );
    let package = "{\n  \"name\": \"demo\",\n  \"version\": \"0.0.1\"\n}\n";
    repo.write("package.json", package);
    repo.write("VERSION", "1.2.3\n");
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat: x");

    let run = repo.relcut(&["release", "--dry-run"]).success();
    assert!(
        run.stdout
            .contains("  VERSION (the version file, listed in relcut.toml)\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("package.json"), "{}", run.stdout);
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(files_in_head(&repo), ["CHANGELOG.md", "VERSION"]);
    assert_eq!(repo.read("package.json"), package);
}
