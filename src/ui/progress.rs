//! What a person sees while the steps run: in a guided release a spinner while a network step
//! waits and a line for each step done; otherwise a note as each network step starts, on a
//! terminal only, so logs and pipes stay quiet.

use std::cell::RefCell;
use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::apply::executor::{StepProgress, StepStatus};
use crate::plan::Step;

/// The terminal's view of the steps of one run.
pub struct Progress {
    guided: bool,
    spinner: RefCell<Option<ProgressBar>>,
}

impl Progress {
    /// `guided`: a person confirmed the release at this terminal and watches it happen.
    pub fn new(guided: bool) -> Self {
        Progress {
            guided: guided && io::stderr().is_terminal(),
            spinner: RefCell::new(None),
        }
    }

    /// Takes the spinner off the screen, before a failure is reported.
    pub fn clear(&self) {
        if let Some(spinner) = self.spinner.borrow_mut().take() {
            spinner.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

impl StepProgress for Progress {
    fn starting(&self, step: &Step) {
        if !self.guided {
            super::step_starting(step);
            return;
        }
        let Some(waiting) = waiting_line(step) else {
            return;
        };
        let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .expect("a valid template")
                .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
        );
        spinner.set_message(waiting);
        spinner.enable_steady_tick(Duration::from_millis(100));
        *self.spinner.borrow_mut() = Some(spinner);
    }

    fn finished(&self, step: &Step, status: StepStatus) {
        if !self.guided {
            return;
        }
        self.clear();
        super::note(&done_line(step, status));
    }
}

/// What a network step is waiting for; `None` for the local steps, which take no time to see.
fn waiting_line(step: &Step) -> Option<String> {
    match step {
        Step::Push { remote, .. } => {
            Some(format!("Pushing the release commit and tag to `{remote}`…"))
        }
        Step::Publish(release) => Some(format!(
            "Publishing the GitHub release {} on {}…",
            release.tag, release.repository
        )),
        Step::Deploy { spec, .. } => Some(format!(
            "Starting the deploy of {} to `{}`…",
            spec.version, spec.target
        )),
        Step::WriteFiles { .. } | Step::Commit { .. } | Step::Tag { .. } => None,
    }
}

/// One line for a step that ended well.
pub(crate) fn done_line(step: &Step, status: StepStatus) -> String {
    let what = match step {
        Step::WriteFiles { paths } => format!("wrote {} file(s)", paths.len()),
        Step::Commit { message, .. } => {
            format!(
                "committed \"{}\"",
                message.lines().next().unwrap_or_default()
            )
        }
        Step::Tag { name, .. } => format!("tagged {name}"),
        Step::Push {
            remote,
            branch,
            tag,
        } => format!("pushed {branch} and {tag} to `{remote}`"),
        Step::Publish(release) => format!("published the GitHub release {}", release.tag),
        Step::Deploy { spec, .. } => format!(
            "started the deploy of {} to `{}`",
            spec.version, spec.target
        ),
    };
    match status {
        StepStatus::Done => format!("✓ {what}"),
        StepStatus::AlreadyDone => format!("✓ {what} (found done by an earlier run)"),
    }
}
