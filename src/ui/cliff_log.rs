//! git-cliff-core's warnings, shown as git-cliff shows them. git-cliff-core reports commits it
//! skipped (a parse error, an unmatched commit, a failed group) only as `tracing` events, which
//! nobody sees without a subscriber; a changelog that silently lost commits is the worst kind of
//! wrong. This subscriber keeps the warning and error events of git-cliff-core, once turned on
//! for a project's own changelog configuration (relcut's built-in one filters non-conventional
//! commits on purpose and reports them itself), and [`report`] prints them as warnings.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

static ENABLED: AtomicBool = AtomicBool::new(false);
static KEPT: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The events kept come from this crate only.
const TARGET: &str = "git_cliff_core";

/// Installs the subscriber for the whole process; once, at start.
pub fn install() {
    let _ = tracing::subscriber::set_global_default(CliffLog);
}

/// Keeps git-cliff-core's warnings from now on: the project renders with its own configuration.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Prints the warnings kept so far, each once, and forgets them.
pub fn report() {
    for warning in take() {
        super::note(&format!("warning: git-cliff: {warning}"));
    }
}

/// The warnings kept so far, each once, in the order they came; forgotten here.
pub fn take() -> Vec<String> {
    let mut kept = KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut unique: Vec<String> = Vec::with_capacity(kept.len());
    for warning in kept.drain(..) {
        if !unique.contains(&warning) {
            unique.push(warning);
        }
    }
    unique
}

struct CliffLog;

fn wanted(metadata: &Metadata<'_>) -> bool {
    metadata.is_event() && *metadata.level() <= Level::WARN && metadata.target().starts_with(TARGET)
}

impl Subscriber for CliffLog {
    // `sometimes`, not `always`: `always` would skip `enabled`, which reads the switch.
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if wanted(metadata) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        wanted(metadata) && ENABLED.load(Ordering::Relaxed)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut message = Message::default();
        event.record(&mut message);
        let text = message.text.trim();
        // git-cliff's own `-vv` does not exist here; the commits are in `relcut check`.
        let text = text
            .strip_suffix("(run with `-vv` for details)")
            .unwrap_or(text)
            .trim_end();
        if !text.is_empty() {
            KEPT.lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(text.to_string());
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[derive(Default)]
struct Message {
    text: String,
}

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.text.push_str(value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.text, "{value:?}");
        }
    }
}
