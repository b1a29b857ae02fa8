//! Ctrl-C (SIGINT) and SIGTERM while the steps run. Dying on the signal could leave the release
//! between two states (files written and staged, no commit), so while steps run the signal only
//! raises a flag: the executor stops at the next step boundary, puts back what a half-done step
//! left, and the command ends with exit code 130. Waits between requests end early on it.
//! It belongs to no layer: the executor (`apply`) and the forge client's retries (`forge`) both
//! wait through it, and neither may depend on the other. Nothing here prints.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// From now on SIGINT and SIGTERM raise the flag instead of ending the process. A failure to
/// install the handlers leaves the defaults.
pub fn catch() {
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [SIGINT, SIGTERM] {
            let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
        }
        flag
    });
}

/// Whether SIGINT or SIGTERM came since [`catch`].
pub fn interrupted() -> bool {
    FLAG.get().is_some_and(|flag| flag.load(Ordering::SeqCst))
}

/// Sleeps for `pause`, or less when a signal comes; says whether one came.
pub fn pause(pause: Duration) -> bool {
    let until = Instant::now() + pause;
    loop {
        if interrupted() {
            return true;
        }
        let now = Instant::now();
        if now >= until {
            return false;
        }
        std::thread::sleep((until - now).min(Duration::from_millis(50)));
    }
}

/// A wait between requests to GitHub, which a signal ends with an error.
pub fn wait(length: Duration) -> crate::error::Result<()> {
    if pause(length) {
        return Err(crate::error::Error::InterruptedApplying(String::from(
            "interrupted while waiting for GitHub; run the same command again to finish",
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_without_a_signal_lasts_its_length() {
        let started = Instant::now();
        assert!(!pause(Duration::from_millis(120)));
        assert!(started.elapsed() >= Duration::from_millis(120));
    }
}
