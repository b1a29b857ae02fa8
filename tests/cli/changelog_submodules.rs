//! `[git] recurse_submodules = true`: each release lists the commits its submodules gained, as
//! git-cliff's `submodule_commits` (checked with git-cliff 2.14.2 on this history).

use crate::harness::TestRepo;

const CLIFF_TOML: &str = r#"[changelog]
body = """
## {{ version | default(value="unreleased") }}
{% for commit in commits %}- {{ commit.message }}
{% endfor %}{% for path, commits in submodule_commits %}### {{ path }}
{% for commit in commits %}- {{ commit.message }}
{% endfor %}{% endfor %}"""
[git]
recurse_submodules = true
"#;

#[test]
fn each_release_lists_what_its_submodules_gained() {
    let library = TestRepo::new();
    library.commit("feat: the library's first feature");
    let repo = TestRepo::new();
    repo.write("cliff.toml", CLIFF_TOML);
    repo.commit("chore: start");
    let url = library.path().display().to_string();
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "lib",
    ]);
    repo.commit("feat: use the library");
    repo.tag("v0.1.0");
    library.commit("fix: a library fix");
    library.commit("feat: a library feature");
    let checkout = repo.path().join("lib");
    repo.git_in(&checkout, &["pull", "-q", "origin", "main"]);
    repo.commit("feat: update the library");

    let run = repo.relcut(&["changelog"]).success();
    assert_eq!(
        run.stdout,
        "## unreleased\n- update the library\n### lib\n- a library feature\n- a library fix\n## v0.1.0\n- start\n- use the library\n### lib\n- the library's first feature\n"
    );

    // The release notes say the same.
    let run = repo
        .relcut(&["release", "--dry-run", "--no-push", "--json"])
        .success();
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        plan["plan"]["notes"],
        "- update the library\n### lib\n- a library feature\n- a library fix\n"
    );

    // A submodule that is not checked out cannot be read, and relcut says so.
    let clone = repo.scratch().join("clone");
    repo.git(&[
        "clone",
        "-q",
        &repo.path().display().to_string(),
        &clone.display().to_string(),
    ]);
    let run = repo.relcut_in(&clone, &["changelog"], &[]).success();
    assert!(
        run.stderr
            .contains("warning: the submodule `lib` changed in commit")
            && run.stderr.contains("git submodule update --init"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("### lib"), "{}", run.stdout);
}
