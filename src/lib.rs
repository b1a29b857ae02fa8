//! relcut: cut releases from Conventional Commits.
//!
//! The pipeline is read (`repo`, `config`) → plan (`plan`, pure) → check (`check`) → confirm
//! (`ui`) → apply (`apply`); `commands` strings the steps together for each subcommand.

pub mod apply;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod forge;
pub mod outcome;
pub mod plan;
pub mod repo;
pub mod secret;
pub mod ui;
