//! Putting a release section into any existing changelog: no panic, the section is in the
//! result once, and the file's own text before the first release is kept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use relcut::plan::changelog::prepend_section;

const SECTION: &str = "## [9.9.9] - 2026-01-01\n\n### Fixed\n\n- A fix\n";

fuzz_target!(|data: &[u8]| {
    let existing = String::from_utf8_lossy(data);
    let outcome = prepend_section(Some(&existing), "# Changelog\n", SECTION);
    assert!(
        outcome.text.contains(SECTION.trim_end()),
        "{:?}",
        outcome.text
    );
    let again = prepend_section(None, "# Changelog\n", SECTION);
    assert!(again.text.contains(SECTION.trim_end()));
});
