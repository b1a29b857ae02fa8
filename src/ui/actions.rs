//! What a GitHub Actions step reads from relcut: the step outputs and summary appended to the
//! files Actions names, errors as annotations, and groups that fold long steps. Nothing happens
//! unless the run is an Actions step. The content is `ci`'s; this is the writing.

use std::hash::{BuildHasher, RandomState};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::ci::{self, Report};

/// Set once the outputs are written, so a failure after them does not write them again.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Set while a group is open.
static GROUP_OPEN: AtomicBool = AtomicBool::new(false);

fn in_actions() -> bool {
    super::console().github_actions
}

/// Appends the report's outputs to `$GITHUB_OUTPUT` and its summary to `$GITHUB_STEP_SUMMARY`.
/// A file that cannot be written is a warning: the release itself is done.
pub fn report(report: &Report) {
    end_group();
    if !in_actions() || REPORTED.swap(true, Ordering::Relaxed) {
        return;
    }
    append(
        "GITHUB_OUTPUT",
        &ci::render_outputs(&report.outputs(), &mut random_delimiter),
    );
    append("GITHUB_STEP_SUMMARY", &report.summary());
}

/// Whether the outputs are written.
pub fn reported() -> bool {
    REPORTED.load(Ordering::Relaxed)
}

/// The error as an annotation, on standard error: Actions reads workflow commands from both
/// streams, and standard output may be one JSON document.
pub(super) fn annotate_error(message: &str) {
    end_group();
    if in_actions() {
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}",
            ci::error_annotation(message)
        );
    }
}

/// Opens a group named `name` (closing the one open); with `-q` there is nothing to fold.
pub fn group(name: &str) {
    end_group();
    if in_actions() && super::console().verbosity != super::Verbosity::Quiet {
        let _ = writeln!(std::io::stderr().lock(), "{}", ci::group_start(name));
        GROUP_OPEN.store(true, Ordering::Relaxed);
    }
}

/// Closes the open group, if any.
pub fn end_group() {
    if GROUP_OPEN.swap(false, Ordering::Relaxed) {
        let _ = writeln!(std::io::stderr().lock(), "{}", ci::GROUP_END);
    }
}

fn append(variable: &str, text: &str) {
    let Some(path) = std::env::var_os(variable).filter(|path| !path.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(error) = written {
        super::note(&format!(
            "warning: cannot append to `{}` (`{variable}`): {error}",
            std::path::Path::new(&path).display()
        ));
    }
}

/// `ghadelimiter_` and 128 random bits in hex, as the Actions toolkit writes them. std's
/// `RandomState` is keyed from the operating system's randomness, and each one differs.
fn random_delimiter() -> String {
    let high = RandomState::new().hash_one(0u8);
    let low = RandomState::new().hash_one(1u8);
    format!("ghadelimiter_{high:016x}{low:016x}")
}
