//! Effects: each step of a plan, executed. Nothing here decides anything; a step that finds its
//! work already done skips it, so a failed release can be run again to finish it.

pub mod files;
pub mod git;
