//! Following deploy runs to their end (`--wait`): each run is looked at in turn, with pauses
//! that grow from `[github] poll_seconds` to half a minute, until every run has completed or
//! the time given is up. The client's own retries see to failures on the way and rate limits.

use std::time::{Duration, Instant};

use crate::error::Result;
use crate::forge::{Forge, RepoId, WorkflowRun};

/// The longest pause between two looks at the same runs.
const LONGEST_PAUSE: Duration = Duration::from_secs(30);

/// The shortest pause, so that `poll_seconds = 0` does not spin.
const SHORTEST_PAUSE: Duration = Duration::from_millis(20);

/// How a followed run ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunEnd {
    /// GitHub's id of the run.
    pub id: u64,
    /// Its web page.
    pub url: String,
    /// `completed`, or the status it had when the time was up.
    pub status: String,
    /// Its conclusion (`success`, `failure`, …), once completed.
    pub conclusion: Option<String>,
}

impl RunEnd {
    /// Whether the run completed with success.
    pub fn succeeded(&self) -> bool {
        self.status == "completed" && self.conclusion.as_deref() == Some("success")
    }

    /// Whether the time was up before it completed.
    pub fn timed_out(&self) -> bool {
        self.status != "completed"
    }

    /// The end in words: `success`, `failure`, `still in_progress when the time was up`.
    pub fn describe(&self) -> String {
        match &self.conclusion {
            Some(conclusion) if self.status == "completed" => conclusion.clone(),
            _ => format!("still {} when the time was up", self.status),
        }
    }
}

/// Follows the runs `ids` until each has completed or `timeout` has passed, calling `progress`
/// whenever a run's status changes. The ends come back in the order of `ids`.
pub fn follow(
    forge: &dyn Forge,
    repo: &RepoId,
    ids: &[u64],
    first_pause: Duration,
    timeout: Duration,
    progress: &dyn Fn(&WorkflowRun),
) -> Result<Vec<RunEnd>> {
    let started = Instant::now();
    let mut ends: Vec<Option<RunEnd>> = vec![None; ids.len()];
    let mut last_status: Vec<Option<String>> = vec![None; ids.len()];
    let mut pause = first_pause.max(SHORTEST_PAUSE);
    loop {
        for (index, id) in ids.iter().enumerate() {
            if ends[index].as_ref().is_some_and(|end| !end.timed_out()) {
                continue;
            }
            let run = forge.workflow_run(repo, *id)?;
            if last_status[index].as_deref() != Some(run.status.as_str()) {
                progress(&run);
                last_status[index] = Some(run.status.clone());
            }
            ends[index] = Some(RunEnd {
                id: run.id,
                url: run.html_url.clone(),
                status: run.status.clone(),
                conclusion: run.conclusion.clone(),
            });
        }
        let open = ends
            .iter()
            .any(|end| end.as_ref().is_none_or(RunEnd::timed_out));
        if !open || started.elapsed() + pause > timeout {
            return Ok(ends.into_iter().flatten().collect());
        }
        crate::interruption::wait(pause)?;
        pause = (pause.mul_f64(1.5)).min(LONGEST_PAUSE);
    }
}
