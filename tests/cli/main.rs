//! Integration tests: the built binary against real temporary git repositories.

mod harness;

mod changelog;
mod check;
mod next;
mod release;
