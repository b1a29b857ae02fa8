//! Unified diffs of planned file changes, for the dry run and the confirmation screen.
//!
//! Pure text in, text out.

use std::path::Path;

use similar::TextDiff;

/// A unified diff with three lines of context, `a/` and `b/` headers like git's.
pub fn unified(path: &Path, before: &str, after: &str, exists: bool) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    let old_header = if exists {
        format!("a/{path}")
    } else {
        String::from("/dev/null")
    };
    TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&old_header, &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_show_only_changed_lines_with_context() {
        let diff = unified(Path::new("VERSION"), "1.2.3\n", "1.3.0\n", true);
        assert_eq!(
            diff,
            "--- a/VERSION\n+++ b/VERSION\n@@ -1 +1 @@\n-1.2.3\n+1.3.0\n"
        );
        let new = unified(Path::new("CHANGELOG.md"), "", "# Changelog\n", false);
        assert!(
            new.starts_with("--- /dev/null\n+++ b/CHANGELOG.md\n"),
            "{new}"
        );
    }
}
