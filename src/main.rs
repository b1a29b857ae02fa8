//! The `relcut` binary: parse the command line, run the command, report the error, exit.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::FromArgMatches;
use relcut::cli::{Cli, ColorWhen};
use relcut::error::Error;
use relcut::{ci, commands, ui};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tunes mimalloc for a process that lives milliseconds, before anything is allocated (hence a
/// constructor, not `main`): a first arena of 64 MiB rather than 1 GiB, whose bitmaps mimalloc
/// initialises page by page (about 40 page faults at every start; later arenas grow as needed),
/// and no purging of freed memory, which at exit cost a dozen `madvise` calls to hand back
/// memory that exiting hands back anyway. `MIMALLOC_*` variables set by the user still win.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR: extern "C" fn() = {
    use std::ffi::{CStr, c_char, c_int, c_long};
    unsafe extern "C" {
        // In the mimalloc that the `mimalloc` crate links (its `extended` API, which that crate
        // does not declare).
        fn mi_option_set(option: c_int, value: c_long);
        // libc's: `std::env` would allocate, and nothing may be allocated yet.
        fn getenv(name: *const c_char) -> *const c_char;
    }
    // `mi_option_purge_delay` and `mi_option_arena_reserve` in v3's `mimalloc.h`.
    const PURGE_DELAY: c_int = 15;
    const ARENA_RESERVE: c_int = 23;
    extern "C" fn tune() {
        // SAFETY: `getenv` of a C string, before any thread exists; `mi_option_set` is a plain
        // setter of mimalloc's option table, which is statically initialised.
        unsafe {
            let unset = |name: &CStr| getenv(name.as_ptr()).is_null();
            if unset(c"MIMALLOC_ARENA_RESERVE") {
                mi_option_set(ARENA_RESERVE, 64 * 1024);
            }
            if unset(c"MIMALLOC_PURGE_DELAY") && unset(c"MIMALLOC_RESET_DELAY") {
                mi_option_set(PURGE_DELAY, -1);
            }
        }
    }
    tune
};

fn main() -> ExitCode {
    // clap colours its own help and errors before `--color` is parsed, so the flag is read first.
    let color = color_flag(std::env::args_os());
    let matches = relcut::cli::parsing_command()
        .color(match color {
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        })
        .get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let environment = |name: &str| std::env::var(name).ok();
    ui::configure(ui::Console {
        color: match cli.color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        },
        verbosity: match (cli.quiet, cli.verbose) {
            (true, _) => ui::Verbosity::Quiet,
            (_, true) => ui::Verbosity::Verbose,
            _ => ui::Verbosity::Normal,
        },
        unattended: ci::unattended(commands::says_yes(&cli), &environment),
        github_actions: ci::in_github_actions(&environment),
    });
    let json = commands::wants_json(&cli);
    let reports = commands::reports_to_actions(&cli);
    ui::cliff_log::install();
    let result = commands::run(cli);
    ui::cliff_log::report();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`relcut changelog | head`) got what it wanted.
        Err(Error::Output(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            ui::error(&error);
            if reports && !ui::actions::reported() {
                ui::actions::report(&ci::Report::not_released(
                    "relcut failed",
                    &format!("error: {error}"),
                ));
            }
            if json && !ui::json_printed() {
                let _ = ui::out(&ui::error_json(&error));
            }
            ExitCode::from(error.exit_code())
        }
    }
}

/// The value of the last `--color` before `--`, as clap would take it; `auto` without one or
/// with a value clap will refuse (it says so itself).
fn color_flag(args: impl Iterator<Item = OsString>) -> ColorWhen {
    let mut color = ColorWhen::Auto;
    let mut args = args.skip(1);
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str() else { continue };
        let value = match arg {
            "--" => break,
            "--color" => args.next().and_then(|value| value.into_string().ok()),
            _ => arg.strip_prefix("--color=").map(String::from),
        };
        color = match value.as_deref() {
            Some("always") => ColorWhen::Always,
            Some("never") => ColorWhen::Never,
            Some(_) => ColorWhen::Auto,
            None => color,
        };
    }
    color
}
