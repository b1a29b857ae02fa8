//! Tag patterns and tag names: any pattern and any tag name is parsed without a panic, and a
//! version read from a tag names that tag again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use relcut::plan::tag_pattern::{TagPattern, check_tag_name};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (pattern, tag) = text.split_once('\n').unwrap_or(("v{version}", &text));
    let _ = check_tag_name(tag);
    let Ok(pattern) = TagPattern::parse(pattern) else {
        return;
    };
    if let Some(version) = pattern.version_of(tag) {
        assert_eq!(pattern.tag_name(&version), tag, "{version}");
    }
    if let Ok(version) = semver::Version::parse(tag) {
        let name = pattern.tag_name(&version);
        assert_eq!(pattern.version_of(&name).as_ref(), Some(&version), "{name}");
    }
});
