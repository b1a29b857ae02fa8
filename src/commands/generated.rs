//! `relcut completions` and `relcut man`: what clap knows of the command line, as a shell's
//! completion script or a roff man page, on standard output.

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::ui;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "relcut", &mut script);
    ui::out(&String::from_utf8_lossy(&script))
}

/// Prints the man page.
pub fn man() -> Result<()> {
    let command = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(Error::Output)?;
    ui::out(&String::from_utf8_lossy(&page))
}
