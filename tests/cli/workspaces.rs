//! Monorepos released in lockstep: npm, Yarn, pnpm and uv workspaces whose members move with the
//! project's version, private members at versions of their own left alone, internal dependency
//! ranges and lockfile entries following. Where npm or uv is installed, the tool reads the
//! result back (see `files.rs` for how those checks are switched on).

use crate::files::{files_in_head, npm_rewrites_lock, tool_available, tool_ok, with_tools};
use crate::harness::{TestRepo, scrub};

/// A `package.json` for a workspace member.
fn member(name: &str, version: Option<&str>, private: bool, extra: &str) -> String {
    let mut fields = vec![format!("  \"name\": \"{name}\"")];
    if let Some(version) = version {
        fields.push(format!("  \"version\": \"{version}\""));
    }
    if private {
        fields.push(String::from("  \"private\": true"));
    }
    if !extra.is_empty() {
        fields.push(extra.to_owned());
    }
    format!("{{\n{}\n}}\n", fields.join(",\n"))
}

/// The plan's `files` and `left_alone` paths, from `relcut release --dry-run --json`.
fn planned_paths(repo: &TestRepo) -> (Vec<String>, Vec<(String, String)>) {
    let run = repo.relcut(&["release", "--dry-run", "--json"]).success();
    let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let plan = &document["plan"];
    let files = plan["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap().to_owned())
        .collect();
    let alone = plan["left_alone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            (
                file["path"].as_str().unwrap().to_owned(),
                file["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (files, alone)
}

#[test]
fn a_pnpm_workspace_shaped_like_vue_releases_the_root_and_the_public_members() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"private\": true,\n  \"version\": \"3.5.41\",\n  \"packageManager\": \"pnpm@10.0.0\",\n  \"devDependencies\": {\n    \"@vue/shared\": \"workspace:*\"\n  }\n}\n",
    );
    repo.write(
        "pnpm-workspace.yaml",
        "packages:\n  - 'packages/*'\n  - 'packages-private/*'\n\ncatalog:\n  'vite': ^8.2.0\n",
    );
    repo.write(
        "pnpm-lock.yaml",
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    devDependencies:\n      '@vue/shared':\n        specifier: workspace:*\n        version: link:packages/shared\n",
    );
    repo.write(
        "packages/shared/package.json",
        &member("@vue/shared", Some("3.5.41"), false, ""),
    );
    repo.write(
        "packages/vue/package.json",
        &member(
            "vue",
            Some("3.5.41"),
            false,
            "  \"dependencies\": {\n    \"@vue/shared\": \"workspace:*\"\n  }",
        ),
    );
    // Like @vue/compat: a peer dependency pinned to the release, and one with a caret.
    let compat = member(
        "@vue/compat",
        Some("3.5.41"),
        false,
        "  \"peerDependencies\": {\n    \"vue\": \"3.5.41\"\n  },\n  \"devDependencies\": {\n    \"@vue/shared\": \"^3.5.41\",\n    \"vite\": \"^3.5.41\"\n  }",
    );
    repo.write("packages/vue-compat/package.json", &compat);
    let runtime_test = member(
        "@vue/runtime-test",
        Some("0.0.0"),
        true,
        "  \"dependencies\": {\n    \"@vue/shared\": \"workspace:*\"\n  }",
    );
    repo.write("packages/runtime-test/package.json", &runtime_test);
    repo.write("packages/global.d.ts", "");
    let playground = member("@vue/sfc-playground", Some("0.0.0"), true, "");
    repo.write("packages-private/sfc-playground/package.json", &playground);
    repo.write(
        "packages-private/vite-debug/package.json",
        &member("vite-debug", None, true, ""),
    );
    repo.write("packages-private/tsconfig.json", "{}\n");
    repo.commit("feat: first");
    repo.tag("v3.5.41");
    repo.commit("fix(shared): a bug");

    let run = repo.relcut(&["release", "--dry-run"]).success();
    insta::assert_snapshot!("pnpm_workspace_plan", scrub(&repo, &run.stdout));
    let (files, alone) = planned_paths(&repo);
    assert_eq!(
        files,
        [
            "package.json",
            "packages/shared/package.json",
            "packages/vue/package.json",
            "packages/vue-compat/package.json",
            "CHANGELOG.md",
        ]
    );
    assert_eq!(
        alone,
        [
            (
                "packages/runtime-test/package.json".to_owned(),
                "it is private and at 0.0.0, not in lockstep with the project's 3.5.41".to_owned()
            ),
            (
                "packages-private/sfc-playground/package.json".to_owned(),
                "it is private and at 0.0.0, not in lockstep with the project's 3.5.41".to_owned()
            ),
            (
                "packages-private/vite-debug/package.json".to_owned(),
                "it has no `version`".to_owned()
            ),
            (
                "pnpm-lock.yaml".to_owned(),
                "it records no version of the project's own packages; they are linked".to_owned()
            ),
        ]
    );

    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(
        files_in_head(&repo),
        [
            "CHANGELOG.md",
            "package.json",
            "packages/shared/package.json",
            "packages/vue-compat/package.json",
            "packages/vue/package.json",
        ]
    );
    assert!(
        repo.read("package.json")
            .contains("\"version\": \"3.5.42\"")
    );
    assert_eq!(
        repo.read("packages/vue-compat/package.json"),
        compat
            .replace("\"version\": \"3.5.41\"", "\"version\": \"3.5.42\"")
            .replace("\"vue\": \"3.5.41\"", "\"vue\": \"3.5.42\"")
            .replace(
                "\"@vue/shared\": \"^3.5.41\"",
                "\"@vue/shared\": \"^3.5.42\""
            ),
        "a range on a member moves with its operator; `vite` is not a member"
    );
    assert!(
        repo.read("packages/vue/package.json")
            .contains("\"workspace:*\"")
    );
    assert_eq!(
        repo.read("packages/runtime-test/package.json"),
        runtime_test
    );
    assert_eq!(
        repo.read("packages-private/sfc-playground/package.json"),
        playground
    );
}

#[test]
fn a_yarn_workspace_in_the_object_form_releases_its_members() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"monorepo\",\n  \"version\": \"1.2.3\",\n  \"private\": true,\n  \"workspaces\": {\n    \"packages\": [\"libs/*\", \"!libs/legacy\"],\n    \"nohoist\": [\"**/react-native\"]\n  }\n}\n",
    );
    repo.write(
        "libs/core/package.json",
        &member("@acme/core", Some("1.2.3"), false, ""),
    );
    repo.write(
        "libs/ui/package.json",
        &member(
            "@acme/ui",
            Some("1.2.3"),
            false,
            "  \"dependencies\": {\n    \"@acme/core\": \"~1.2.3\"\n  },\n  \"optionalDependencies\": {\n    \"@acme/core\": \"workspace:^\"\n  }",
        ),
    );
    repo.write(
        "libs/legacy/package.json",
        &member("legacy", Some("0.9.0"), false, ""),
    );
    repo.write("yarn.lock", "# yarn lockfile v1\n\n");
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat(ui): a button");
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(
        files_in_head(&repo),
        [
            "CHANGELOG.md",
            "libs/core/package.json",
            "libs/ui/package.json",
            "package.json",
        ]
    );
    let ui = repo.read("libs/ui/package.json");
    assert!(ui.contains("\"version\": \"1.3.0\""), "{ui}");
    assert!(ui.contains("\"@acme/core\": \"~1.3.0\""), "{ui}");
    assert!(ui.contains("\"@acme/core\": \"workspace:^\""), "{ui}");
}

#[test]
fn a_public_member_at_another_version_is_a_disagreement() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"version\": \"1.2.3\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    repo.write(
        "packages/a/package.json",
        &member("a", Some("1.2.3"), false, ""),
    );
    repo.write(
        "packages/b/package.json",
        &member("b", Some("0.1.0"), false, ""),
    );
    repo.commit("feat: first");
    let run = repo.relcut(&["release", "--dry-run"]).code(3);
    assert!(
        run.stderr
            .contains("packages/b/package.json line 3 (version)  0.1.0"),
        "{}",
        run.stderr
    );
}

/// An npm workspace as npm 11 writes its lockfile: two members, one depending on the other.
fn npm_workspace() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"mono\",\n  \"version\": \"1.2.3\",\n  \"private\": true,\n  \"workspaces\": [\n    \"packages/*\"\n  ]\n}\n",
    );
    repo.write(
        "packages/a/package.json",
        &member("@mono/a", Some("1.2.3"), false, ""),
    );
    repo.write(
        "packages/b/package.json",
        &member(
            "@mono/b",
            Some("1.2.3"),
            false,
            "  \"dependencies\": {\n    \"@mono/a\": \"^1.2.3\"\n  }",
        ),
    );
    repo.write(
        "packages/test/package.json",
        &member("@mono/test", Some("0.0.0"), true, ""),
    );
    repo.write("package-lock.json", NPM_LOCK);
    if tool_available("npm") {
        npm_rewrites_lock(&repo);
        assert_eq!(repo.read("package-lock.json"), NPM_LOCK, "npm's own lock");
    }
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("feat(a): more");
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(
        files_in_head(&repo),
        [
            "CHANGELOG.md",
            "package-lock.json",
            "package.json",
            "packages/a/package.json",
            "packages/b/package.json",
        ]
    );
    let lock = repo.read("package-lock.json");
    assert_eq!(
        lock,
        NPM_LOCK
            .replace("\"version\": \"1.2.3\"", "\"version\": \"1.3.0\"")
            .replace("\"^1.2.3\"", "\"^1.3.0\"")
    );
    if tool_available("npm") {
        npm_rewrites_lock(&repo);
        assert_eq!(repo.read("package-lock.json"), lock, "npm rewrote the lock");
        let listed = tool_ok(
            &repo,
            "npm",
            &["ls", "--workspaces", "--package-lock-only", "--json"],
        );
        let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
        for name in ["@mono/a", "@mono/b"] {
            assert_eq!(listed["dependencies"][name]["version"], "1.3.0", "{listed}");
        }
        assert_eq!(listed["dependencies"]["@mono/test"]["version"], "0.0.0");
    }
}

/// What npm 11 writes for [`npm_workspace`].
const NPM_LOCK: &str = r#"{
  "name": "mono",
  "version": "1.2.3",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "mono",
      "version": "1.2.3",
      "workspaces": [
        "packages/*"
      ]
    },
    "node_modules/@mono/a": {
      "resolved": "packages/a",
      "link": true
    },
    "node_modules/@mono/b": {
      "resolved": "packages/b",
      "link": true
    },
    "node_modules/@mono/test": {
      "resolved": "packages/test",
      "link": true
    },
    "packages/a": {
      "name": "@mono/a",
      "version": "1.2.3"
    },
    "packages/b": {
      "name": "@mono/b",
      "version": "1.2.3",
      "dependencies": {
        "@mono/a": "^1.2.3"
      }
    },
    "packages/test": {
      "name": "@mono/test",
      "version": "0.0.0"
    }
  }
}
"#;

#[test]
fn an_npm_workspace_moves_its_lockfile_entries() {
    npm_workspace();
}

#[test]
#[cfg_attr(
    relcut_missing_npm,
    ignore = "needs npm: run `.ci/setup-ecosystem-tools.sh`"
)]
fn npm_reads_the_released_workspace_back() {
    with_tools(npm_workspace);
}

/// A uv workspace: a virtual root depending on one member, a second member excluded.
fn uv_workspace() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mono\"\nversion = \"1.2.3\"\nrequires-python = \">=3.11\"\ndependencies = [\"mono-a\"]\n\n[tool.uv.sources]\nmono-a = { workspace = true }\n\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\nexclude = [\"packages/b\"]\n",
    );
    let member = |name: &str, version: &str| {
        format!(
            "[project]\nname = \"{name}\"\nversion = \"{version}\"\nrequires-python = \">=3.11\"\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n"
        )
    };
    repo.write("packages/a/pyproject.toml", &member("mono-a", "1.2.3"));
    let excluded = member("mono-b", "0.1.0");
    repo.write("packages/b/pyproject.toml", &excluded);
    // A private tool, never uploaded, at a version of its own: left alone.
    let tools = member("mono-tools", "0.0.0").replace(
        "requires-python = \">=3.11\"\n",
        "requires-python = \">=3.11\"\nclassifiers = [\"Private :: Do Not Upload\"]\n",
    );
    repo.write("packages/tools/pyproject.toml", &tools);
    if tool_available("uv") {
        tool_ok(&repo, "uv", &["lock", "--offline"]);
        assert_eq!(repo.read("uv.lock"), UV_LOCK, "uv's own lock");
    } else {
        repo.write("uv.lock", UV_LOCK);
    }
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("fix(a): a bug");
    let (_, alone) = planned_paths(&repo);
    assert_eq!(
        alone,
        [(
            "packages/tools/pyproject.toml".to_owned(),
            "it is private (`Private :: Do Not Upload`) and at 0.0.0, not in lockstep with the project's 1.2.3".to_owned()
        )]
    );
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(
        files_in_head(&repo),
        [
            "CHANGELOG.md",
            "packages/a/pyproject.toml",
            "pyproject.toml",
            "uv.lock"
        ]
    );
    assert_eq!(
        repo.read("uv.lock"),
        UV_LOCK.replace("version = \"1.2.3\"", "version = \"1.2.4\"")
    );
    assert_eq!(repo.read("packages/b/pyproject.toml"), excluded);
    assert_eq!(repo.read("packages/tools/pyproject.toml"), tools);
    if tool_available("uv") {
        tool_ok(&repo, "uv", &["lock", "--locked", "--offline"]);
    }
}

/// What `uv lock` (0.13) writes for [`uv_workspace`].
const UV_LOCK: &str = r#"version = 1
revision = 5
requires-python = ">=3.11"

[manifest]
members = [
    "mono",
    "mono-a",
    "mono-tools",
]

[[package]]
name = "mono"
version = "1.2.3"
source = { virtual = "." }
dependencies = [
    { name = "mono-a" },
]

[package.metadata]
requires-dist = [{ name = "mono-a", editable = "packages/a" }]

[[package]]
name = "mono-a"
version = "1.2.3"
source = { editable = "packages/a" }

[[package]]
name = "mono-tools"
version = "0.0.0"
source = { editable = "packages/tools" }
"#;

#[test]
fn a_uv_workspace_moves_every_member_and_its_lock_entry() {
    uv_workspace();
}

#[test]
#[cfg_attr(
    relcut_missing_uv,
    ignore = "needs uv: run `.ci/setup-ecosystem-tools.sh`"
)]
fn uv_accepts_the_released_workspace_lock() {
    with_tools(uv_workspace);
}

#[test]
fn relcut_toml_excludes_a_member_and_files_globs_exclude_paths() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"version\": \"1.2.3\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    repo.write(
        "packages/a/package.json",
        &member("a", Some("1.2.3"), false, ""),
    );
    let legacy = member("legacy", Some("0.1.0"), false, "");
    repo.write("packages/legacy/package.json", &legacy);
    repo.write("charts/api/Chart.yaml", "version: 1.2.3\n");
    repo.write("charts/old/Chart.yaml", "version: 0.1.0\n");
    repo.write(
        "relcut.toml",
        "exclude = [\"packages/legacy/**\"]\n\n[[files]]\npath = \"charts/*/Chart.yaml\"\nexclude = [\"charts/old/*\"]\nsearch = 'version: (?P<version>.*)'\nreplace = 'version: {{version}}'\n",
    );
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("fix: a bug");
    repo.relcut(&["release", "--yes"]).success();
    assert_eq!(
        files_in_head(&repo),
        [
            "CHANGELOG.md",
            "charts/api/Chart.yaml",
            "package.json",
            "packages/a/package.json",
        ]
    );
    assert_eq!(repo.read("packages/legacy/package.json"), legacy);
    assert_eq!(repo.read("charts/old/Chart.yaml"), "version: 0.1.0\n");
}

/// A repository without a workspace declaration that lists its packages by a glob (the story
/// of the issue: a private test package at 0.0.0 used to stop the release as a disagreement):
/// a private package a glob matches follows the project like a detected member, and is left
/// alone, with why, when it is not in lockstep; a public one at another version still disagrees.
#[test]
fn a_private_package_a_files_glob_matches_is_left_alone_by_rule() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n")
        .write(
            "packages/a/package.json",
            &member("a", Some("1.2.3"), false, ""),
        )
        .write(
            "packages/test/package.json",
            &member("test", Some("0.0.0"), true, ""),
        )
        .write(
            "relcut.toml",
            "[[files]]\npath = \"packages/*/package.json\"\n",
        );
    repo.commit("feat: first");
    repo.tag("v1.2.3");
    repo.commit("fix: a bug");
    let (files, alone) = planned_paths(&repo);
    assert_eq!(
        files,
        ["VERSION", "packages/a/package.json", "CHANGELOG.md"]
    );
    assert_eq!(
        alone,
        [(
            String::from("packages/test/package.json"),
            String::from("it is private and at 0.0.0, not in lockstep with the project's 1.2.3")
        )]
    );
    repo.write(
        "packages/test/package.json",
        &member("test", Some("0.0.0"), false, ""),
    );
    repo.commit("chore: the test package goes public");
    let run = repo.relcut(&["release", "--dry-run"]).code(3);
    assert!(
        run.stderr.contains("packages/test/package.json"),
        "{}",
        run.stderr
    );
}
