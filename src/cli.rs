//! The command line: clap definitions only, no behaviour.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::plan::version::BumpRequest;

/// Cut releases from Conventional Commits: decide the version, write it everywhere, render the
/// changelog, commit and tag.
#[derive(Debug, Parser)]
#[command(name = "relcut", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Run as if relcut was started in DIR.
    #[arg(short = 'C', long = "directory", value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,

    /// Colour on standard error: auto (on a terminal, unless `NO_COLOR` is set), always, never.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// Say more on standard error: each git command run and each GitHub request's method and path.
    #[arg(short = 'v', long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Say nothing on standard error but errors; answers and JSON on standard output stay.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands. When parsing, each one's arguments are defined only if it runs (or its help
/// is shown), see [`Deferred`].
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Release: decide the version, write the files and the changelog, commit, tag and push.
    Release(Deferred<ReleaseArgs>),
    /// Print the next version and nothing else.
    Next(Deferred<NextArgs>),
    /// Render the changelog of the whole history (or only what is unreleased).
    Changelog(Deferred<Box<ChangelogArgs>>),
    /// Check that commits follow Conventional Commits 1.0.0.
    Check(Deferred<CheckArgs>),
    /// Publish the version the files say: tag it if needed, push the tag, and make its GitHub
    /// release with the notes from the changelog (for a bump merged from a pull request).
    Publish(Deferred<PublishArgs>),
    /// Deploy a released version to one `[deploy.*]` target of relcut.toml.
    Deploy(Deferred<DeployArgs>),
    /// Put the version before the newest one back on a target ("production is broken").
    Rollback(Deferred<RollbackArgs>),
    /// Set the project up: write a commented relcut.toml and the release, publish and deploy
    /// workflows for GitHub Actions, keeping every file that exists.
    Init(Deferred<InitArgs>),
    /// Print the shell completion script for SHELL.
    Completions(Deferred<CompletionsArgs>),
    /// Print the man page (roff).
    Man,
}

/// A subcommand's arguments, which the command built by [`parsing_command`] defines only once
/// that subcommand is parsed or its help shown ([`clap::Command::defer`]): defining every
/// subcommand's arguments at each start was most of what a `relcut next` spent in clap.
/// Everything else about the arguments is `T`'s.
#[derive(Debug, Clone)]
pub struct Deferred<T>(pub T);

impl<T> std::ops::Deref for Deferred<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(
        &mut self,
        matches: &mut clap::ArgMatches,
    ) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

/// Whether [`Deferred`] defers: only while [`parsing_command`] builds the command.
static DEFER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The command line's definition for parsing it, with each subcommand's arguments deferred.
/// Only for parsing: a deferred subcommand gets the global arguments before its own, which
/// help and errors do not show (they order arguments themselves) but completion scripts,
/// which list them as defined, would; [`Cli::command`](clap::CommandFactory::command) stays
/// the whole tree built at once.
pub fn parsing_command() -> clap::Command {
    use std::sync::atomic::Ordering;
    DEFER.store(true, Ordering::Relaxed);
    let command = <Cli as clap::CommandFactory>::command();
    DEFER.store(false, Ordering::Relaxed);
    command
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(command: clap::Command) -> clap::Command {
        if DEFER.load(std::sync::atomic::Ordering::Relaxed) {
            command.defer(|command| keeping_about(command, T::augment_args))
        } else {
            T::augment_args(command)
        }
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        if DEFER.load(std::sync::atomic::Ordering::Relaxed) {
            command.defer(|command| keeping_about(command, T::augment_args_for_update))
        } else {
            T::augment_args_for_update(command)
        }
    }
}

/// `augment` applied to a subcommand whose description is already set: the derive sets the
/// subcommand's (from its variant) after the arguments' (from their struct), so the variant's
/// must stay when the arguments come later.
fn keeping_about(
    command: clap::Command,
    augment: fn(clap::Command) -> clap::Command,
) -> clap::Command {
    let about = command.get_about().cloned();
    let long_about = command.get_long_about().cloned();
    let command = augment(command);
    let command = match about {
        Some(about) => command.about(about),
        None => command.about(None),
    };
    match long_about {
        Some(long_about) => command.long_about(long_about),
        None => command.long_about(None),
    }
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `relcut init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Replace the files that exist and say something else.
    #[arg(long)]
    pub force: bool,

    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print what was (or, with --dry-run, would be) done as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `relcut completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// How deploys are followed; shared by `release`, `publish`, `deploy` and `rollback`.
#[derive(Debug, Args, Clone)]
pub struct WaitFlags {
    /// Follow each deploy run started to its end, and fail when one does not succeed.
    #[arg(long)]
    pub wait: bool,

    /// How long `--wait` follows the runs: seconds, or with a unit (`90s`, `30m`, `1h`).
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration, requires = "wait")]
    pub wait_timeout: std::time::Duration,
}

/// The deploys after a release; shared by `release` and `publish`.
#[derive(Debug, Args, Clone)]
pub struct DeployFlags {
    /// Start no deploy after the release.
    #[arg(long)]
    pub no_deploy: bool,

    #[command(flatten)]
    pub wait: WaitFlags,

    /// When a deploy run fails (with `--wait`), deploy the previous version that target accepts
    /// and follow that run too.
    #[arg(long, requires = "wait")]
    pub rollback_on_failure: bool,
}

/// `relcut deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The version (`1.2.0`) or its tag (`v1.2.0`); it must have a release tag.
    #[arg(value_name = "VERSION", id = "release_version")]
    pub version: String,

    /// The `[deploy.NAME]` target.
    #[arg(long = "to", value_name = "TARGET")]
    pub target: String,

    #[command(flatten)]
    pub wait: WaitFlags,

    /// Print what would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the plan (with --dry-run) or the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
}

/// `relcut rollback`.
#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The `[deploy.NAME]` target.
    #[arg(long = "to", value_name = "TARGET")]
    pub target: String,

    #[command(flatten)]
    pub wait: WaitFlags,

    /// Print what would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the plan (with --dry-run) or the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
}

/// How the version is chosen; shared by `release` and `next`.
#[derive(Debug, Args, Clone)]
pub struct BumpArgs {
    /// auto (from the commits), patch, minor, major, prerelease (continue the current one),
    /// release (promote a prerelease), or an explicit version X.Y.Z.
    #[arg(long, value_name = "BUMP", default_value = "auto", value_parser = parse_bump)]
    pub bump: BumpRequest,

    /// Make it a prerelease on this channel, e.g. alpha, beta, rc.
    #[arg(long, value_name = "IDENTIFIER")]
    pub pre: Option<String>,
}

/// `relcut release`.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    #[command(flatten)]
    pub bump: BumpArgs,

    /// Print the plan (versions, commits, diffs, changelog, commit and tag) and change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Release even though tracked files have uncommitted changes (they are not committed).
    #[arg(long)]
    pub allow_dirty: bool,

    /// Sign the tag, with the user's git signing configuration.
    #[arg(long)]
    pub sign: bool,

    /// Print the plan (with --dry-run) or the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Refuse to release when a commit since the last release is not a Conventional Commit.
    #[arg(long)]
    pub strict: bool,

    /// Do not make the GitHub release.
    #[arg(long)]
    pub no_publish: bool,

    #[command(flatten)]
    pub release: ReleaseFlags,

    #[command(flatten)]
    pub deploy: DeployFlags,

    /// Keep the release local: do not read the remote, do not push the commit and the tag.
    #[arg(long)]
    pub no_push: bool,

    /// Instead of releasing, align every version file to the highest version any source
    /// states (the last tag included), in a commit of its own.
    #[arg(long, conflicts_with_all = ["bump", "pre", "sign", "strict", "no_publish", "draft", "asset", "no_deploy", "wait"])]
    pub sync: bool,
}

/// How the GitHub release is made; shared by `release` and `publish`.
#[derive(Debug, Args, Clone, Default)]
pub struct ReleaseFlags {
    /// Leave the GitHub release as a draft.
    #[arg(long)]
    pub draft: bool,

    /// Attach the files this glob matches to the GitHub release (repeatable); a pattern that
    /// matches no file is an error.
    #[arg(long, value_name = "GLOB")]
    pub asset: Vec<String>,
}

/// `relcut publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub release: ReleaseFlags,

    /// Print what would be tagged, pushed and published, and change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the plan (with --dry-run) or the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Sign the tag, when one is made, with the user's git signing configuration.
    #[arg(long)]
    pub sign: bool,

    #[command(flatten)]
    pub deploy: DeployFlags,
}

/// `relcut next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    #[command(flatten)]
    pub bump: BumpArgs,

    /// Compute from this version instead of the repository's (no repository needed).
    #[arg(long, value_name = "VERSION")]
    pub current: Option<String>,
}

/// `relcut changelog`.
#[derive(Debug, Clone, Args)]
pub struct ChangelogArgs {
    /// The commits to render, as git reads a range (`v1.0.0..HEAD`); one revision means its
    /// whole history. As git-cliff's RANGE.
    #[arg(value_name = "RANGE")]
    pub range: Option<String>,

    /// Only the latest release: the commits between the last two tags.
    #[arg(short = 'l', long)]
    pub latest: bool,

    /// Only the release of the tag at HEAD: the commits since the tag before it.
    #[arg(long)]
    pub current: bool,

    /// Only the commits since the last release tag (wins over `--latest`, `--current` and RANGE,
    /// as in git-cliff).
    #[arg(short = 'u', long)]
    pub unreleased: bool,

    /// Write the changelog to FILE (CHANGELOG.md when FILE is left out) instead of standard output.
    #[arg(
        short = 'o',
        long,
        value_name = "FILE",
        num_args = 0..=1,
        default_missing_value = "CHANGELOG.md",
        conflicts_with = "prepend"
    )]
    pub output: Option<PathBuf>,

    /// Put the rendered releases (by default the unreleased commits) at the top of FILE's
    /// releases (CHANGELOG.md when FILE is left out).
    #[arg(
        short = 'p',
        long,
        value_name = "FILE",
        num_args = 0..=1,
        default_missing_value = "CHANGELOG.md"
    )]
    pub prepend: Option<PathBuf>,

    /// Title the unreleased commits as this tag (e.g. the version about to be released).
    #[arg(short = 't', long, value_name = "TAG", allow_hyphen_values = true)]
    pub tag: Option<String>,

    /// Title the unreleased commits with the next version, as `relcut next --bump BUMP` computes
    /// it (auto when BUMP is left out).
    #[arg(
        long,
        value_name = "BUMP",
        num_args = 0..=1,
        default_missing_value = "auto",
        value_parser = parse_bump
    )]
    pub bump: Option<BumpRequest>,

    /// Print the tag of the next version (as `--bump` titles it) and nothing else.
    #[arg(long)]
    pub bumped_version: bool,

    /// Read the repository at PATH (its relcut.toml or cliff.toml too); the output paths stay
    /// relative to the current directory.
    #[arg(short = 'r', long, value_name = "PATH", conflicts_with = "workdir")]
    pub repository: Option<PathBuf>,

    /// Work in PATH: read the repository that holds it, only the commits that change files
    /// under it, and `--prepend` FILE there.
    #[arg(short = 'w', long, value_name = "PATH")]
    pub workdir: Option<PathBuf>,

    /// Order tags as git lists their names instead of by the time of their commits, for
    /// `--latest`, `--current`, `--unreleased` and each release's `previous` (git-cliff's
    /// `--topo-order`, `[git] topo_order`).
    #[arg(long)]
    pub topo_order: bool,

    /// The message of the latest release (the newest with commits), in place of its tag's.
    #[arg(long, value_name = "MESSAGE")]
    pub with_tag_message: Option<String>,

    /// Print the context the templates read, as JSON, instead of the changelog.
    #[arg(short = 'x', long, conflicts_with = "from_context")]
    pub context: bool,

    /// Render from a context that `--context` printed (`-` reads standard input), instead of
    /// from the commits.
    #[arg(long, value_name = "FILE")]
    pub from_context: Option<PathBuf>,

    /// Leave out the configured header, footer, or both.
    #[arg(short = 's', long, value_name = "PART", value_enum)]
    pub strip: Option<StripPart>,

    /// The order of the commits inside each section (`oldest` keeps `[git] sort_commits`).
    #[arg(long, value_name = "ORDER", value_enum)]
    pub sort: Option<CommitOrder>,

    /// Only the commits that change a path matching the glob (repeatable; a space separates
    /// several in one value; default: `GIT_CLIFF_INCLUDE_PATH`).
    #[arg(long, value_name = "PATTERN", num_args = 1, value_delimiter = ' ')]
    pub include_path: Vec<String>,

    /// Leave out the commits that change only paths matching the glob (repeatable; default:
    /// `GIT_CLIFF_EXCLUDE_PATH`).
    #[arg(long, value_name = "PATTERN", num_args = 1, value_delimiter = ' ')]
    pub exclude_path: Vec<String>,

    /// Leave out the commit with this id (repeatable).
    #[arg(long, value_name = "SHA1", num_args = 1)]
    pub skip_commit: Vec<String>,

    /// Do not run the `replace_command` of commit preprocessors and postprocessors.
    #[arg(long)]
    pub no_exec: bool,

    /// Read nothing from GitHub: templates that read `github.*` or `commit.remote.*` get no
    /// data (as git-cliff's `--offline`; also `GIT_CLIFF_OFFLINE=true` and
    /// `[remote] offline = true`).
    #[arg(long)]
    pub offline: bool,

    /// The regular expression of the tags the changelog reads (git-cliff's `[git] tag_pattern`;
    /// relcut's `[release] tag_pattern` still names the tags releases make).
    #[arg(long, value_name = "REGEX", value_parser = parse_regex)]
    pub tag_pattern: Option<regex::Regex>,

    /// Tags whose releases are left out, commits and all.
    #[arg(long, value_name = "REGEX", value_parser = parse_regex)]
    pub skip_tags: Option<regex::Regex>,

    /// Tags that close no release: their commits go to the next release.
    #[arg(long, value_name = "REGEX", value_parser = parse_regex)]
    pub ignore_tags: Option<regex::Regex>,

    /// Only these tags close a release; the others' commits go to the next release.
    #[arg(long, value_name = "REGEX", value_parser = parse_regex)]
    pub count_tags: Option<regex::Regex>,
}

/// A part of the changelog `--strip` leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StripPart {
    /// The header.
    Header,
    /// The footer.
    Footer,
    /// The header and the footer.
    All,
}

/// The order of commits inside a changelog section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommitOrder {
    /// Oldest first.
    Oldest,
    /// Newest first.
    Newest,
}

fn parse_regex(text: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(text).map_err(|error| error.to_string())
}

/// `relcut check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The commits to check, as git reads a range (`v1.0.0..HEAD`); default: since the last
    /// release tag.
    #[arg(value_name = "RANGE")]
    pub range: Option<String>,

    /// Print the offending commits as one JSON object.
    #[arg(long)]
    pub json: bool,
}

fn parse_bump(text: &str) -> Result<BumpRequest, String> {
    text.parse::<BumpRequest>()
        .map_err(|error| error.to_string())
}

/// A duration: seconds (`90`), or a number with `s`, `m` or `h` (`90s`, `30m`, `1h`).
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let seconds_per = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(count) if seconds_per > 0 => Ok(std::time::Duration::from_secs(
            count.saturating_mul(seconds_per),
        )),
        _ => Err(format!(
            "`{text}` is not a duration; write seconds (`90`) or a number with `s`, `m` or `h` (`90s`, `30m`, `1h`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
        parsing_command().debug_assert();
    }

    #[test]
    fn the_deferred_subcommands_are_the_whole_ones() {
        let (mut deferred, mut whole) = (parsing_command(), Cli::command());
        deferred.build();
        whole.build();
        let text = |text: Option<&clap::builder::StyledStr>| text.map(ToString::to_string);
        let ids = |command: &clap::Command| {
            let mut ids: Vec<String> = command
                .get_arguments()
                .map(|arg| arg.get_id().to_string())
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(
            deferred.get_subcommands().count(),
            whole.get_subcommands().count()
        );
        for (deferred, whole) in deferred.get_subcommands().zip(whole.get_subcommands()) {
            assert_eq!(deferred.get_name(), whole.get_name());
            assert_eq!(text(deferred.get_about()), text(whole.get_about()));
            assert_eq!(
                text(deferred.get_long_about()),
                text(whole.get_long_about())
            );
            assert_eq!(ids(deferred), ids(whole), "{}", whole.get_name());
            assert_eq!(
                deferred.clone().render_long_help().to_string(),
                whole.clone().render_long_help().to_string()
            );
        }
    }

    #[test]
    fn durations_are_seconds_or_have_a_unit() {
        let secs = std::time::Duration::from_secs;
        assert_eq!(parse_duration("90"), Ok(secs(90)));
        assert_eq!(parse_duration("90s"), Ok(secs(90)));
        assert_eq!(parse_duration("30m"), Ok(secs(1800)));
        assert_eq!(parse_duration("1h"), Ok(secs(3600)));
        assert_eq!(parse_duration("0"), Ok(secs(0)));
        for bad in ["", "m", "1.5m", "10d", "-1", "1 h x"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
