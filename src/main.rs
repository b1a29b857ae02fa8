//! The `relcut` binary: parse the command line, run the command, report the error, exit.

use std::process::ExitCode;

use clap::Parser;
use relcut::{cli::Cli, commands, ui};

/// Rendering a long history allocates millions of small values (git-cliff serializes every commit
/// into the template context); mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = commands::wants_json(&cli);
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            ui::error(&error);
            if json && !ui::json_printed() {
                let _ = ui::out(&ui::error_json(&error));
            }
            ExitCode::from(error.exit_code())
        }
    }
}
