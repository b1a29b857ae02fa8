//! The commands: each reads the world, plans, checks, asks, applies and reports, in that order,
//! by calling the modules that own each part.

mod changelog;
mod check;
mod deploy;
mod deploying;
mod generated;
mod guided;
mod init;
mod next;
mod publish;
mod publishing;
mod push;
mod release;
mod sync;

use std::borrow::Cow;
use std::path::Path;

use git_cliff_core::config::CommitParser;

use crate::apply;
use crate::apply::executor::Executed;
use crate::check::{Preflight, repository_problems};
use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::error::{Error, Problem, Result};
use crate::plan::changelog::TemplateExtras;
use crate::plan::resume::{ObservedHead, may_be_release_commit};
use crate::plan::version_files::{Origin, SourceFile};
use crate::plan::{LeftAlone, PlannedFile, Step};
use crate::repo::{HeadChange, RawCommit, Repo, Tracking, VersionTag, version_files};
use crate::ui;

/// Runs the command the command line names.
pub fn run(cli: Cli) -> Result<()> {
    // `-C DIR` is a change of directory before anything else, as in git: `GIT_DIR` and every
    // relative path on the command line are then read from DIR.
    if let Some(directory) = &cli.directory {
        std::env::set_current_dir(directory).map_err(|source| {
            Error::Usage(format!(
                "cannot change to the directory `{}` given with `-C`: {source}",
                directory.display()
            ))
        })?;
    }
    if let Some(what) = confirms(&cli.command)
        && !ui::unattended()
        && !ui::can_prompt()
    {
        return Err(unattended_usage(what));
    }
    // Taken before anything is read, so that a second release waits for none of the first's
    // half-written files to look like uncommitted changes; deleted when the command ends.
    let _lock = match confirms(&cli.command) {
        Some(what) => lock_repository(what)?,
        None => None,
    };
    match cli.command {
        Command::Release(args) if args.sync => sync::run(&args),
        Command::Release(args) => nothing_released_in_ci(release::run(&args), args.json),
        Command::Next(args) => next::run(&args),
        Command::Changelog(args) => changelog::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Publish(args) => publish::run(&args),
        Command::Deploy(args) => deploy::run_deploy(&args),
        Command::Rollback(args) => deploy::run_rollback(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => generated::completions(args.shell),
        Command::Man => generated::man(),
    }
}

/// What the command asks a person to confirm before it changes anything, if it does.
fn confirms(command: &Command) -> Option<&'static str> {
    match command {
        Command::Release(args) if !args.dry_run && args.sync => Some("sync"),
        Command::Release(args) if !args.dry_run => Some("release"),
        Command::Publish(args) if !args.dry_run => Some("publish"),
        Command::Deploy(args) if !args.dry_run => Some("deploy"),
        Command::Rollback(args) if !args.dry_run => Some("rollback"),
        _ => None,
    }
}

/// The lock of the repository the command runs in, for a command that changes it; `None` outside
/// a repository, which the command itself then reports.
fn lock_repository(what: &str) -> Result<Option<apply::release_lock::ReleaseLock>> {
    let Ok(repository) = git2::Repository::open_from_env() else {
        return Ok(None);
    };
    let command = match what {
        "sync" => String::from("relcut release --sync"),
        other => format!("relcut {other}"),
    };
    apply::release_lock::ReleaseLock::take(repository.commondir(), &command).map(Some)
}

/// Said at once, before anything is read, so that a job without a terminal does not wait.
fn unattended_usage(what: &str) -> Error {
    Error::Usage(format!(
        "there is no terminal to confirm the {what} on; pass `--yes` (or set `CI=true`) to {what} unattended, or `--dry-run` to see the plan"
    ))
}

/// Whether the command line says `--yes`.
pub fn says_yes(cli: &Cli) -> bool {
    match &cli.command {
        Command::Release(args) => args.yes,
        Command::Publish(args) => args.yes,
        Command::Deploy(args) => args.yes,
        Command::Rollback(args) => args.yes,
        _ => false,
    }
}

/// Whether the command reports to GitHub Actions (step outputs and summary).
pub fn reports_to_actions(cli: &Cli) -> bool {
    matches!(
        &cli.command,
        Command::Release(crate::cli::Deferred(crate::cli::ReleaseArgs {
            sync: false,
            ..
        })) | Command::Publish(_)
            | Command::Deploy(_)
            | Command::Rollback(_)
    )
}

/// In CI, a run with nothing to release is no failure: a workflow that runs on every push
/// releases when there is something, and its other steps read `released=false`. Elsewhere the
/// exit code says it, for scripts that ask.
fn nothing_released_in_ci(result: Result<()>, json: bool) -> Result<()> {
    let in_ci = crate::ci::in_ci(&|name| std::env::var(name).ok());
    match result {
        Err(Error::NothingToRelease(reason)) if in_ci => {
            ui::note(&format!("note: {reason}."));
            if json {
                ui::out_json(&crate::outcome::NothingReleased::new(&reason))?;
            }
            ui::actions::report(&crate::ci::Report::not_released(
                "Nothing to release",
                &format!(
                    "{}.",
                    capitalized(
                        reason
                            .strip_prefix("nothing to release: ")
                            .unwrap_or(&reason)
                    )
                ),
            ));
            Ok(())
        }
        other => other,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether the command's output is JSON, so errors are reported as JSON too.
pub fn wants_json(cli: &Cli) -> bool {
    match &cli.command {
        Command::Release(args) => args.json,
        Command::Check(args) => args.json,
        Command::Publish(args) => args.json,
        Command::Deploy(args) => args.json,
        Command::Rollback(args) => args.json,
        Command::Init(args) => args.json,
        Command::Next(_) | Command::Changelog(_) | Command::Completions(_) | Command::Man => false,
    }
}

/// What is released so far and what came since, as seen from HEAD.
struct History {
    /// The highest release tag reachable from HEAD.
    last: Option<VersionTag>,
    /// When `last` is a prerelease, the highest stable release below it.
    last_stable: Option<VersionTag>,
    /// The commits since `last`, newest first.
    commits: Vec<RawCommit>,
    /// The versions of every release tag, here or on the remote, reachable or not.
    taken: Vec<semver::Version>,
}

/// Reads the last release, the last stable release when the last one is a prerelease (only then
/// does version arithmetic need it), and the commits since the last release.
fn read_history(repo: &Repo, settings: &Settings, head: git2::Oid) -> Result<History> {
    read_history_of(repo, settings, head).map_err(missing_commit_check)
}

/// A walk that stopped on a commit missing from the store is a failed check with its fix, not
/// libgit2's words: libgit2 names the object only in its message.
fn missing_commit_check(error: Error) -> Error {
    let Error::Git { source, .. } = &error else {
        return error;
    };
    if source.code() != git2::ErrorCode::NotFound || source.class() != git2::ErrorClass::Odb {
        return error;
    }
    let message = source.message();
    let id = message
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|word| word.len() == 40 || word.len() == 64);
    match id {
        Some(id) => Error::ChecksFailed(vec![crate::check::missing_commit_problem(id)]),
        None => error,
    }
}

fn read_history_of(repo: &Repo, settings: &Settings, head: git2::Oid) -> Result<History> {
    let tags = repo.version_tags(&settings.policy.tag_pattern)?;
    let last = repo.last_release(head, &tags)?;
    let last_stable = match &last {
        Some(last) if !last.version.pre.is_empty() => {
            repo.last_stable(head, &tags, &last.version)?
        }
        _ => None,
    };
    let commits = repo.commits(head, last.as_ref().map(|tag| tag.commit))?;
    Ok(History {
        last,
        last_stable,
        commits,
        taken: tags.into_iter().map(|tag| tag.version).collect(),
    })
}

/// The repository and the settings that decide versions: without the changelog's, unless the
/// project's own git-cliff configuration renders it, whose reading of the commits then decides
/// the bump too (`plan::cliff_bump`).
fn open_for_versions() -> Result<(Repo, Settings)> {
    let repo = Repo::open_from_env()?;
    let settings = Settings::load_for_versions(repo.root())?;
    if settings.changelog_source != crate::config::ChangelogSource::Builtin {
        return open();
    }
    let repo = with_full_history(repo, &settings)?;
    Ok((repo, settings))
}

/// The commits since the last release, read as the bump reads them (see `plan::cliff_bump`).
fn analyze_commits(
    repo: &Repo,
    settings: &Settings,
    commits: &[RawCommit],
) -> Result<crate::plan::commits::CommitAnalysis> {
    let listed = match settings.policy.commit_reading {
        crate::plan::cliff_reading::CommitReading::Relcut => Cow::Borrowed(commits),
        crate::plan::cliff_reading::CommitReading::GitCliff => {
            changelog_commits(repo, settings, commits)?
        }
    };
    Ok(crate::plan::cliff_bump::analyze(
        commits,
        &listed,
        &settings.policy,
    ))
}

/// The repository and its settings.
fn open() -> Result<(Repo, Settings)> {
    let repo = Repo::open_from_env()?;
    let mut settings = Settings::load(repo.root())?;
    if settings.changelog_source != crate::config::ChangelogSource::Builtin {
        ui::cliff_log::enable();
    }
    let repo = with_full_history(repo, &settings)?;
    // git-cliff fills the first unset remote from the current branch's upstream, and templates
    // written for git-cliff rely on it (`remote.github.owner`, …).
    if let Some((owner, name)) = repo.upstream_owner_and_name() {
        let remotes = &mut settings.policy.changelog.remote;
        let slot = [
            &mut remotes.github,
            &mut remotes.gitlab,
            &mut remotes.gitea,
            &mut remotes.bitbucket,
        ]
        .into_iter()
        .find(|remote| !remote.is_set());
        if let Some(slot) = slot {
            slot.owner = owner;
            slot.repo = name;
            slot.is_custom = false;
        }
    }
    // relcut's own release commits are never changes of the project, whatever a cliff.toml's
    // parsers skip (git-cliff's skip only `chore(release): prepare for`). They are skipped, not
    // left out: a tagged release commit still closes its release.
    let own: Vec<String> = [
        &settings.policy.commit_message,
        &settings.policy.sync_message,
    ]
    .into_iter()
    .filter_map(|template| crate::plan::template::message_matcher(template))
    .map(|matcher| format!("(?:{})", matcher.as_str()))
    .collect();
    if !own.is_empty() {
        let parsers = &mut settings.policy.changelog.git.commit_parsers;
        parsers.insert(
            0,
            CommitParser {
                message: regex::Regex::new(&own.join("|")).ok(),
                skip: Some(true),
                ..CommitParser::default()
            },
        );
    }
    // git-cliff skips the commits listed in `.cliffignore` through parsers that match their ids.
    if let Some(text) = repo.read_root_file(Path::new(git_cliff_core::IGNORE_FILE))? {
        for id in listed_ids(&text) {
            settings.policy.changelog.git.commit_parsers.insert(
                0,
                CommitParser {
                    sha: Some(id.to_string()),
                    skip: Some(true),
                    ..CommitParser::default()
                },
            );
        }
    }
    Ok((repo, settings))
}

/// The commit ids an ignore file lists: one a line, blank lines and `#` comments skipped (the
/// format of both `.cliffignore` and `.git-blame-ignore-revs`).
fn listed_ids(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// The file whose listed commits `git blame` ignores; git-cliff leaves them out of changelogs too.
const BLAME_IGNORE_FILE: &str = ".git-blame-ignore-revs";

/// The commits as the changelog reads them, with git-cliff's rules: the commit preprocessors run
/// here when one runs a command (see `apply::preprocess`); commits listed in
/// `.git-blame-ignore-revs` (and commits that only touch it) are left out, `include_paths` and
/// `exclude_paths` select by changed files, and diff statistics are read when a template uses
/// them. Each rule costs a diff per commit, so it runs only when configured.
fn changelog_commits<'c>(
    repo: &Repo,
    settings: &Settings,
    commits: &'c [RawCommit],
) -> Result<Cow<'c, [RawCommit]>> {
    // `topo_order_commits = false` orders commits by time. The release's own walk is
    // topological (the bump needs no order), so its notes are put in time order here.
    let by_time =
        |one: &RawCommit, other: &RawCommit| other.committer.time.cmp(&one.committer.time);
    if !settings.policy.changelog.git.topo_order_commits
        && !commits.is_sorted_by(|one, other| by_time(one, other).is_le())
    {
        let mut ordered = commits.to_vec();
        ordered.sort_by(by_time);
        return Ok(Cow::Owned(
            changelog_commits(repo, settings, &ordered)?.into_owned(),
        ));
    }
    if settings.commit_preprocessors.is_empty() {
        return selected_commits(repo, settings, commits);
    }
    let mut rewritten = commits.to_vec();
    apply::preprocess::preprocess(repo.root(), &settings.commit_preprocessors, &mut rewritten)?;
    let kept = match selected_commits(repo, settings, &rewritten)? {
        Cow::Borrowed(_) => None,
        Cow::Owned(kept) => Some(kept),
    };
    Ok(Cow::Owned(kept.unwrap_or(rewritten)))
}

/// The commits git-cliff's rules keep, with statistics when templates read them; see
/// [`changelog_commits`].
fn selected_commits<'c>(
    repo: &Repo,
    settings: &Settings,
    commits: &'c [RawCommit],
) -> Result<Cow<'c, [RawCommit]>> {
    let git = &settings.policy.changelog.git;
    let ignored: Vec<String> = repo
        .read_root_file(Path::new(BLAME_IGNORE_FILE))?
        .map(|text| listed_ids(&text).map(String::from).collect())
        .unwrap_or_default();
    let normalize = |pattern: &glob::Pattern| {
        let text = pattern.as_str();
        let text = if text.ends_with('/') {
            format!("{text}**")
        } else {
            text.to_string()
        };
        glob::Pattern::new(text.strip_prefix("./").unwrap_or(&text))
            .unwrap_or_else(|_| pattern.clone())
    };
    let include: Vec<glob::Pattern> = git.include_paths.iter().map(normalize).collect();
    let exclude: Vec<glob::Pattern> = git.exclude_paths.iter().map(normalize).collect();
    let statistics = settings
        .policy
        .changelog
        .uses_commit_statistics()
        .map_err(|error| Error::Changelog(error.to_string()))?;
    if ignored.is_empty() && include.is_empty() && exclude.is_empty() && !statistics {
        return Ok(Cow::Borrowed(commits));
    }
    let mut kept = Vec::with_capacity(commits.len());
    for commit in commits {
        if ignored
            .iter()
            .any(|prefix| commit.id.starts_with(prefix.as_str()))
        {
            continue;
        }
        if !ignored.is_empty() || !include.is_empty() || !exclude.is_empty() {
            let paths = repo.changed_paths(&commit.id)?;
            if !ignored.is_empty() && paths.len() == 1 && paths[0] == Path::new(BLAME_IGNORE_FILE) {
                continue;
            }
            let matches = |patterns: &[glob::Pattern], path: &Path| {
                patterns.iter().any(|p| p.matches_path(path))
            };
            let retained = match (include.is_empty(), exclude.is_empty()) {
                (true, true) => true,
                (false, true) => paths.iter().any(|path| matches(&include, path)),
                (true, false) => paths.iter().any(|path| !matches(&exclude, path)),
                (false, false) => paths
                    .iter()
                    .any(|path| matches(&include, path) && !matches(&exclude, path)),
            };
            if !retained {
                continue;
            }
        }
        kept.push(commit.clone());
    }
    if statistics {
        repo.add_statistics(&mut kept)?;
    }
    Ok(Cow::Owned(kept))
}

/// Values relcut's templates use: links when the remote is on GitHub, the tag prefix, and what
/// GitHub knows of the commits when a template reads it.
fn template_extras(repo: &Repo, settings: &Settings) -> Result<TemplateExtras> {
    Ok(TemplateExtras {
        repository_url: repo
            .remote()
            .and_then(|remote| remote.github_url(&settings.forge.hosts)),
        tag_prefix: settings.policy.tag_pattern.prefix().to_string(),
        remote: remote_data_once(repo, settings)?,
        submodules: None,
        reading: settings.policy.commit_reading,
    })
}

/// [`remote_data`], read at most once per run, however many renderings need it.
fn remote_data_once(
    repo: &Repo,
    settings: &Settings,
) -> Result<Option<std::sync::Arc<crate::plan::remote_context::RemoteData>>> {
    static READ: std::sync::OnceLock<
        Option<std::sync::Arc<crate::plan::remote_context::RemoteData>>,
    > = std::sync::OnceLock::new();
    if let Some(read) = READ.get() {
        return Ok(read.clone());
    }
    let read = remote_data(repo, settings)?.map(std::sync::Arc::new);
    Ok(READ.get_or_init(|| read).clone())
}

/// The repository's commits and closed pull requests on GitHub, read only when a template
/// reads `github.*` or `commit.remote.*` (git-cliff's GitHub integration); no request otherwise.
fn remote_data(
    repo: &Repo,
    settings: &Settings,
) -> Result<Option<crate::plan::remote_context::RemoteData>> {
    if settings.policy.changelog.remote.offline {
        return Ok(None);
    }
    let changelog = &settings.policy.changelog.changelog;
    let read: Vec<String> = [
        Some(&changelog.body),
        changelog.header.as_ref(),
        changelog.footer.as_ref(),
    ]
    .into_iter()
    .flatten()
    .flat_map(|text| crate::plan::remote_context::remote_variables(text))
    .collect();
    // The first in name order, so the messages are the same at every run.
    let Some(variable) = read.into_iter().min() else {
        return Ok(None);
    };
    let configured = &settings.policy.changelog.remote.github;
    let repository = if !configured.owner.is_empty() && !configured.repo.is_empty() {
        crate::forge::RepoId {
            owner: configured.owner.clone(),
            name: configured.repo.clone(),
        }
    } else {
        crate::forge::RepoId::resolve(&settings.forge, repo.remote().as_ref()).map_err(|error| {
            Error::Changelog(format!(
                "the changelog template reads `{variable}`, which comes from GitHub: {error}"
            ))
        })?
    };
    let reading = |error: Error| {
        Error::Changelog(format!(
            "the changelog template reads `{variable}`, which comes from GitHub, and reading `{repository}` failed: {error}"
        ))
    };
    ui::note(&format!(
        "The changelog template reads `{variable}`: reading the commits and pull requests of `{repository}` from GitHub."
    ));
    let github = crate::forge::GitHub::new(&settings.forge).map_err(reading)?;
    use crate::forge::Forge;
    let commits = github.commits(&repository, None).map_err(reading)?;
    let pull_requests = github.closed_pull_requests(&repository).map_err(reading)?;
    Ok(Some(crate::plan::remote_context::RemoteData {
        commits,
        pull_requests,
    }))
}

/// A shallow clone lacks the tags and commits a version is computed from, and nothing in it
/// says so: a release from it would be silently wrong. With `release.fetch` (on in CI) the
/// history is fetched; otherwise the command stops with the fix.
fn with_full_history(repo: Repo, settings: &Settings) -> Result<Repo> {
    if !repo.is_shallow() {
        return Ok(repo);
    }
    let remote = repo
        .upstream_remote_name()
        .unwrap_or_else(|| String::from("origin"));
    if !settings.fetch {
        return Err(Error::ChecksFailed(vec![crate::check::shallow_problem(
            &remote, None,
        )]));
    }
    ui::note(&format!(
        "The repository is a shallow clone; fetching its whole history and tags from `{remote}`."
    ));
    apply::git::Git::new(repo.git_dir(), repo.root())
        .fetch_unshallow(&remote)
        .map_err(|error| {
            Error::ChecksFailed(vec![crate::check::shallow_problem(
                &remote,
                Some(&error.to_string()),
            )])
        })?;
    Repo::open_from_env()
}

/// The version files a release reads, and the detected ones it leaves alone because git does
/// not track them (a commit could not take an ignored file, and an untracked one is not part of
/// the project's history).
struct VersionFiles {
    files: Vec<SourceFile>,
    untracked: Vec<LeftAlone>,
}

/// The version files: detected at the root (unless turned off) plus those configured.
fn read_version_files(repo: &Repo, settings: &Settings) -> Result<VersionFiles> {
    let mut files = if settings.detect {
        let mut files = version_files::discover(repo.root())?;
        version_files::drop_excluded(&mut files, &settings.exclude);
        files
    } else {
        Vec::new()
    };
    version_files::load(repo.root(), &settings.files, &mut files)?;
    let mut kept = Vec::with_capacity(files.len());
    let mut untracked = Vec::new();
    for file in files {
        let tracking = repo.tracking(&file.path)?;
        match (tracking, file.origin) {
            // A configured file is the user's word: it is released, and the checks say so if
            // git ignores it.
            (Tracking::Tracked, _) | (_, Origin::Configured | Origin::Matched) => kept.push(file),
            (Tracking::Ignored, Origin::Detected) => untracked.push(LeftAlone {
                path: file.path,
                reason: String::from("ignored by git, so not part of a release commit"),
            }),
            (Tracking::Untracked, Origin::Detected) => untracked.push(LeftAlone {
                path: file.path,
                reason: String::from(
                    "not tracked by git; `git add` it to release it with the others",
                ),
            }),
        }
    }
    Ok(VersionFiles {
        files: kept,
        untracked,
    })
}

/// Problems with the files a plan writes: unwritable ones, ignored ones (`git add` refuses
/// them), and — `--allow-dirty` or not — uncommitted edits inside them, which the release
/// commit would take although the plan's diff does not show them.
fn planned_file_problems(
    repo: &Repo,
    planned: &[PlannedFile],
    dirty_paths: &[String],
    allow_dirty: bool,
) -> Result<Vec<Problem>> {
    let mut problems = crate::check::file_problems(apply::files::unwritable(repo.root(), planned));
    for file in planned {
        if repo.tracking(&file.path)? == Tracking::Ignored {
            problems.push(crate::check::ignored_file_problem(&file.path));
        }
        if allow_dirty
            && dirty_paths
                .iter()
                .any(|dirty| Path::new(dirty) == file.path)
        {
            problems.push(crate::check::dirty_planned_file_problem(&file.path));
        }
    }
    Ok(problems)
}

/// What the first checks of every command that commits saw.
struct Checked {
    /// The commit at HEAD.
    head: git2::Oid,
    /// Tracked files with uncommitted changes.
    dirty: Vec<String>,
    /// The problems found so far.
    problems: Vec<Problem>,
}

/// HEAD and the problems of the repository itself (no commit yet, not on a release branch,
/// uncommitted changes, objects missing from the store): the first checks of every command that
/// commits. A repository without a commit stops here, with every problem found.
fn repository_checks(repo: &Repo, settings: &Settings, allow_dirty: bool) -> Result<Checked> {
    let head = repo.head_commit()?;
    let branch = repo.branch()?;
    let dirty = repo.dirty_paths()?;
    let mut problems = repository_problems(&Preflight {
        settings,
        branch: branch.as_deref(),
        has_commits: head.is_some(),
        dirty_paths: &dirty,
        allow_dirty,
    });
    if let Some(head) = head {
        problems.extend(crate::check::missing_objects_problem(
            &repo.missing_objects(head)?,
        ));
    }
    match head {
        Some(head) => Ok(Checked {
            head,
            dirty,
            problems,
        }),
        None => Err(Error::ChecksFailed(problems)),
    }
}

/// The plan, or the planning error: alone it speaks for itself; with other problems already
/// found, it joins them so that all are reported at once.
fn plan_or_problems<T>(planned: Result<T>, problems: &mut Vec<Problem>) -> Result<T> {
    match planned {
        Ok(plan) => Ok(plan),
        Err(error) if problems.is_empty() => Err(error),
        Err(error) => {
            problems.push(Problem {
                message: error.to_string(),
            });
            Err(Error::ChecksFailed(std::mem::take(problems)))
        }
    }
}

/// How a command that changes the repository was asked to proceed.
struct Gate<'a> {
    /// `--dry-run`: print the plan and stop.
    dry_run: bool,
    /// `--json`: the plan is printed as JSON.
    json: bool,
    /// `--yes`: do not ask.
    yes: bool,
    /// What is confirmed, for messages: `release`, `sync`.
    what: &'a str,
}

/// After the checks and before the first effect: prints the plan and stops for a dry run, stops
/// on failed checks, and asks a person unless `--yes`. `Ok(true)` means go on and apply.
fn pass_gate(
    gate: &Gate<'_>,
    problems: Vec<Problem>,
    rendered: &dyn Fn() -> String,
    print_json: &dyn Fn(&[Problem]) -> Result<()>,
    question: &str,
) -> Result<bool> {
    // What git-cliff-core warned of while the notes were rendered belongs before the plan.
    ui::cliff_log::report();
    if gate.dry_run {
        if gate.json {
            print_json(&problems)?;
        } else {
            ui::out(&rendered())?;
        }
        if !problems.is_empty() {
            return Err(Error::ChecksFailed(problems));
        }
        if !gate.json {
            ui::note("Dry run: nothing was changed.");
        }
        return Ok(false);
    }
    if !problems.is_empty() {
        return Err(Error::ChecksFailed(problems));
    }
    if !gate.yes && !ui::unattended() {
        if !ui::can_prompt() {
            return Err(unattended_usage(gate.what));
        }
        ui::note(&rendered());
        if !ui::confirm(question)? {
            ui::note("Nothing was changed.");
            return Ok(false);
        }
    }
    Ok(true)
}

/// Runs the plan's steps; on a failure, says what is done and what is not, and how to finish.
fn execute(
    repo: &Repo,
    settings: &Settings,
    forge: Option<&dyn crate::forge::Forge>,
    files: &[PlannedFile],
    steps: &[Step],
    again: &str,
) -> Result<Executed> {
    let progress = ui::progress::Progress::new(false);
    execute_with(repo, settings, forge, files, steps, again, &progress)
}

/// [`execute`], telling `progress` of each step.
fn execute_with(
    repo: &Repo,
    settings: &Settings,
    forge: Option<&dyn crate::forge::Forge>,
    files: &[PlannedFile],
    steps: &[Step],
    again: &str,
    progress: &ui::progress::Progress,
) -> Result<Executed> {
    let git = apply::git::Git::new(repo.git_dir(), repo.root());
    let effects = apply::executor::Effects {
        git: &git,
        forge,
        retry: settings.forge.retry,
        progress,
    };
    let executed = apply::executor::execute(&effects, files, steps);
    // The last step's group ends with it: what follows is the run's summary, not the step's.
    ui::actions::end_group();
    executed.map_err(|failure| {
        progress.clear();
        ui::failure_note(&ui::render_failure(&failure, again));
        failure.error
    })
}

/// The release time: `SOURCE_DATE_EPOCH` when set (reproducible output), the clock otherwise.
fn release_timestamp() -> Result<i64> {
    if let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") {
        return text.trim().parse::<i64>().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH is \"{text}\", not a number of seconds; unset it or give seconds since 1970"
            ))
        });
    }
    Ok(chrono::Utc::now().timestamp())
}

/// What HEAD's parent held, read only when HEAD could be the release commit of an earlier run
/// (it changed nothing but release files).
pub(crate) struct BeforeHead {
    change: HeadChange,
    id: String,
    parent: String,
    files: Vec<SourceFile>,
    changelog: Option<String>,
    history: History,
    /// The release tag at HEAD, when HEAD is the last release's commit.
    tag_at_head: Option<VersionTag>,
}

impl BeforeHead {
    pub(crate) fn observed(&self) -> ObservedHead<'_> {
        ObservedHead {
            id: &self.id,
            parent: &self.parent,
            message: &self.change.message,
            changed_paths: &self.change.changed_paths,
            parent_files: &self.files,
            parent_changelog: self.changelog.as_deref(),
            previous: self.history.last.as_ref(),
            previous_stable: self.history.last_stable.as_ref(),
            commits: &self.history.commits,
            tag_at_head: self.tag_at_head.as_ref(),
        }
    }
}

pub(crate) fn read_before_head(
    repo: &Repo,
    settings: &Settings,
    head: git2::Oid,
    last: Option<&VersionTag>,
    files: &[SourceFile],
) -> Result<Option<BeforeHead>> {
    let Some(change) = repo.head_change(head)? else {
        return Ok(None);
    };
    if !may_be_release_commit(
        &change.changed_paths,
        files,
        settings.policy.changelog_file.as_deref(),
    ) {
        return Ok(None);
    }
    let mut parent_files = Vec::with_capacity(files.len());
    for file in files {
        if let Some(text) = repo.file_at(change.parent, &file.path)? {
            parent_files.push(SourceFile {
                text,
                ..file.clone()
            });
        }
    }
    let changelog = match &settings.policy.changelog_file {
        Some(path) => repo.file_at(change.parent, path)?,
        None => None,
    };
    let history = read_history(repo, settings, change.parent)?;
    Ok(Some(BeforeHead {
        id: change.id.to_string(),
        parent: change.parent.to_string(),
        tag_at_head: last.filter(|tag| tag.commit == head).cloned(),
        change,
        files: parent_files,
        changelog,
        history,
    }))
}
