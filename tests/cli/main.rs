//! Integration tests: the built binary against real temporary git repositories.

mod harness;

mod changelog;
mod check;
mod files;
mod next;
mod release;
mod tags;
