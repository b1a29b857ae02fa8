//! The Conventional Commits parser and relcut's reading for git-cliff: any text is classified
//! without a panic, and what it reads back is part of the message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use relcut::plan::cliff_reading;
use relcut::plan::conventional::{CommitClass, classify};

fuzz_target!(|data: &[u8]| {
    let message = String::from_utf8_lossy(data);
    for parents in [1, 2] {
        if let CommitClass::Conventional(commit) = classify(&message, parents) {
            assert!(message.contains(commit.kind.as_str()));
            assert!(!commit.kind.is_empty());
            if let Some(scope) = &commit.scope {
                assert!(!scope.contains(['(', ')', '\n']), "{scope:?}");
            }
        }
        let _ = cliff_reading::for_git_cliff(&message, parents);
    }
});
