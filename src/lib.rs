//! relcut: cut releases from Conventional Commits.
//!
//! The pipeline is read (`repo`, `config`) → plan (`plan`, pure) → check (`check`) → confirm
//! (`ui`) → apply (`apply`); `commands` strings the steps together for each subcommand. `remote`
//! reads what a remote holds and decides what a push still has to do.

pub mod apply;
pub mod check;
pub mod ci;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod forge;
pub mod interruption;
pub mod outcome;
pub mod plan;
pub mod remote;
pub mod repo;
pub mod secret;
pub mod ui;
