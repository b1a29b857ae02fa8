//! Ctrl-C during a guided release. At a prompt the terminal is raw and the key arrives as a
//! byte (see `interactive`); between prompts it arrives as SIGINT, which is handled here so the
//! person gets the same sentence, their cursor back and exit code 130, and not a killed process.

use std::sync::atomic::{AtomicU8, Ordering};

use signal_hook::consts::SIGINT;
use signal_hook::iterator::Signals;

use crate::error::exit_code;

/// What the guided release is doing when Ctrl-C comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Asking and planning: nothing has been changed.
    Asking = 0,
    /// The person's editor has the terminal, and Ctrl-C is the editor's.
    Editing = 1,
    /// The steps run: some may be done.
    Applying = 2,
}

static PHASE: AtomicU8 = AtomicU8::new(Phase::Asking as u8);

/// Handles SIGINT from now on, for a guided release; a failure to do so leaves the default.
pub fn watch() {
    let Ok(mut signals) = Signals::new([SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        for _ in signals.forever() {
            let message = match PHASE.load(Ordering::SeqCst) {
                // The editor's, or the executor's: it stops at the next step boundary
                // (`crate::interruption`) and says what is done.
                phase if phase == Phase::Editing as u8 || phase == Phase::Applying as u8 => {
                    continue;
                }
                _ => "error: interrupted: nothing was changed",
            };
            let _ = dialoguer::console::Term::stderr().show_cursor();
            super::note(&format!("\n{message}"));
            // The process ends here without unwinding, so the lock's `Drop` would not run.
            crate::apply::release_lock::release_held();
            std::process::exit(i32::from(exit_code::INTERRUPTED));
        }
    });
}

/// Says what the guided release is doing now.
pub fn set_phase(phase: Phase) {
    PHASE.store(phase as u8, Ordering::SeqCst);
}
