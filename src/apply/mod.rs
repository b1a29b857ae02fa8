//! Effects: each step of a plan, executed. Nothing here decides anything; the executor probes
//! each step first and skips the work already done, so a failed command can be run again to
//! finish it.

pub mod deploy;
pub mod executor;
pub mod files;
pub mod follow;
pub mod git;
pub mod preprocess;
pub mod publish;
pub mod push;
pub mod release_lock;
