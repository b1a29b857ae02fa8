//! The `relcut` binary: parse the command line, run the command, report the error, exit.

use std::process::ExitCode;

use clap::Parser;
use relcut::{cli::Cli, commands, ui};

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
