//! Integration tests: the built binary against real temporary git repositories.

mod github_double;
mod harness;

mod binary;
mod changelog;
mod changelog_config;
mod changelog_flags;
mod changelog_github;
mod changelog_releases;
mod changelog_submodules;
mod check;
mod ci_mode;
mod console;
mod deploy;
mod double;
mod files;
mod forge;
mod forge_client;
mod forge_faults;
mod forge_workflows;
mod guided;
mod hostile_inputs;
mod init;
mod interruption;
mod next;
mod publish;
mod push;
mod release;
mod release_lock;
mod repository;
mod resume;
mod secrets;
mod tags;
mod trial;
mod workspaces;
