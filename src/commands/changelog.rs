//! `relcut changelog`: the changelog of the whole history or of a part of it, with git-cliff's
//! command-line flags and their meanings. Selecting commits, tags and releases happens here;
//! rendering is `plan::changelog`'s.

use std::collections::HashMap;
use std::path::Path;

use git_cliff_core::config::{CommitParser, Config as CliffConfig, GitConfig};
use git2::Oid;

use crate::apply;
use crate::cli::{BumpArgs, ChangelogArgs, CommitOrder, NextArgs, StripPart};
use crate::commands::next;
use crate::commands::{changelog_commits, open, release_timestamp, template_extras};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::plan::PlannedFile;
use crate::plan::changelog::{
    self, HistoryPart, NewRelease, PreviousRelease, SubmoduleCommits, TemplateExtras,
};
use crate::plan::version::BumpRequest;
use crate::repo::{AnyTag, RawCommit, Repo, WalkOrder};
use crate::ui;

pub fn run(args: &ChangelogArgs) -> Result<()> {
    let args = &enter_directory(args)?;
    let (repo, mut settings) = open()?;
    apply_flags(args, &mut settings.policy.changelog, &|name| {
        std::env::var(name).ok()
    })?;
    let offline_from_environment = std::env::var("GIT_CLIFF_OFFLINE")
        .is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false"));
    if args.offline || offline_from_environment {
        settings.policy.changelog.remote.offline = true;
    }
    if args.no_exec {
        // relcut runs the preprocessors itself when one runs a command (`apply::preprocess`).
        for processor in &mut settings.commit_preprocessors {
            processor.replace_command = None;
        }
    }
    if args.workdir.is_some() {
        only_the_work_directory(&repo, &mut settings.policy.changelog)?;
    }
    let extras = template_extras(&repo, &settings)?;
    let timestamp = release_timestamp()?;
    let title = title(args, &settings)?;
    let upcoming = title.as_deref().map(|tag| NewRelease { tag, timestamp });
    if let Some(file) = &args.from_context {
        let text = changelog::render_from_context(
            &settings.policy.changelog,
            &extras,
            &read_context(file)?,
        )?;
        return emit(args, &text);
    }
    let Some(head) = repo.head_commit()? else {
        return Err(Error::NothingToRelease(String::from(
            "the repository has no commit yet, so there is no changelog to render",
        )));
    };
    let mut tags = repo.all_tags(settings.policy.changelog.git.tag_pattern.as_ref())?;
    let topo_order = args.topo_order || settings.policy.changelog.git.topo_order;
    if topo_order {
        // git-cliff's "topological" order of tags is the order git lists their names in.
        tags.sort_by(|one, other| one.name.as_bytes().cmp(other.name.as_bytes()));
    }
    if args.bumped_version {
        return print_bumped_version(&repo, head, &tags, upcoming.as_ref());
    }
    if args.context {
        return print_context(args, &repo, &settings, head, &tags, upcoming.as_ref());
    }
    let selected = match selection(args, &repo, head, &tags)? {
        // The latest release's message and the order of tags are decided where a part of the
        // history is rendered, so the whole history or the unreleased commits become such a part.
        selected @ (Selection::All | Selection::Unreleased)
            if args.with_tag_message.is_some() || topo_order =>
        {
            Selection::Part(
                selected_commits(
                    selected,
                    &repo,
                    head,
                    &tags,
                    topo_order,
                    WalkOrder::for_changelog(settings.policy.changelog.git.topo_order_commits),
                )?
                .0,
            )
        }
        selected => selected,
    };
    let order = WalkOrder::for_changelog(settings.policy.changelog.git.topo_order_commits);
    let history = match selected {
        Selection::All => repo.whole_history(head, order, &tags)?,
        Selection::Unreleased => {
            return run_unreleased(args, &repo, &settings, head, &tags, upcoming.as_ref());
        }
        Selection::Part(commits) => {
            return run_part(args, &repo, &settings, &commits, &tags, upcoming.as_ref());
        }
    };
    let commits = changelog_commits(&repo, &settings, &history)?;
    let extras = with_submodules(extras, &repo, &settings, &commits, &tags, None)?;
    let upcoming = upcoming.filter(|_| !is_tagged(&settings.policy.changelog.git, &tags, head));
    let text = changelog::render_history(
        &settings.policy.changelog,
        &extras,
        &history,
        &commits,
        &tags,
        upcoming.as_ref(),
        true,
    )?;
    emit(args, &text)
}

/// Prints the tag `--bump` titles the unreleased commits with; with nothing to bump, git-cliff
/// prints the last release's tag.
fn print_bumped_version(
    repo: &Repo,
    head: Oid,
    tags: &[AnyTag],
    upcoming: Option<&NewRelease<'_>>,
) -> Result<()> {
    let tag = match upcoming {
        Some(upcoming) => upcoming.tag.to_string(),
        None => last_reachable(repo, head, tags)?
            .map(|tag| tag.name.clone())
            .ok_or_else(|| {
                Error::NothingToRelease(String::from(
                    "nothing to release: the repository has neither a release nor commits to make one from",
                ))
            })?,
    };
    ui::out(&format!("{tag}\n"))
}

/// Renders a part of the history (newest commit first), or prepends it with `--prepend`.
fn run_part(
    args: &ChangelogArgs,
    repo: &Repo,
    settings: &Settings,
    commits: &[RawCommit],
    tags: &[AnyTag],
    upcoming: Option<&NewRelease<'_>>,
) -> Result<()> {
    let extras = template_extras(repo, settings)?;
    let git = &settings.policy.changelog.git;
    let upcoming = upcoming.filter(|_| {
        commits
            .first()
            .and_then(|newest| Oid::from_str(&newest.id).ok())
            .is_none_or(|newest| !is_tagged(git, tags, newest))
    });
    let history = commits;
    let commits = changelog_commits(repo, settings, history)?;
    let before = tag_before(git, tags, &commits);
    let extras = with_submodules(
        extras,
        repo,
        settings,
        &commits,
        tags,
        before.map(|tag| tag.commit),
    )?;
    let before = before.map(previous_release);
    let part = HistoryPart {
        history,
        commits_newest_first: &commits,
        tags,
        before: before.as_ref(),
        upcoming,
        latest_message: args.with_tag_message.as_deref(),
    };
    let render = |with_header_and_footer| {
        changelog::render_part_of_history(
            &settings.policy.changelog,
            &extras,
            &part,
            with_header_and_footer,
        )
    };
    match &args.prepend {
        Some(file) => prepend(file, settings, &render(false)?),
        None => emit(args, &render(true)?),
    }
}

/// Changes to the directory of `--repository` or `--workdir`, as git-cliff reads the repository
/// from there, and gives back the arguments with their paths where git-cliff takes them: the
/// output and the context file stay relative to where relcut was started, and so does
/// `--prepend`, except that `--workdir` puts it in the work directory.
fn enter_directory(args: &ChangelogArgs) -> Result<ChangelogArgs> {
    let (flag, directory) = match (&args.repository, &args.workdir) {
        (Some(repository), _) => ("--repository", repository),
        (None, Some(workdir)) => ("--workdir", workdir),
        (None, None) => return Ok(args.clone()),
    };
    let started_in = std::env::current_dir().map_err(Error::io("read", "."))?;
    std::env::set_current_dir(directory).map_err(|source| {
        Error::Usage(format!(
            "cannot change to the directory `{}` given with `{flag}`: {source}; name an existing directory",
            directory.display()
        ))
    })?;
    let from_start =
        |path: &Option<std::path::PathBuf>| path.as_ref().map(|path| started_in.join(path));
    let mut located = args.clone();
    located.output = from_start(&args.output);
    located.from_context = match &args.from_context {
        Some(file) if file == Path::new("-") => Some(file.clone()),
        other => from_start(other),
    };
    if args.workdir.is_none() {
        located.prepend = from_start(&args.prepend);
    }
    Ok(located)
}

/// With `--workdir` inside the repository, only the commits that change files under it, as
/// git-cliff scopes its changelog to the work directory.
fn only_the_work_directory(repo: &Repo, config: &mut CliffConfig) -> Result<()> {
    let here = std::env::current_dir().map_err(Error::io("read", "."))?;
    let canonical =
        |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (here, root) = (canonical(&here), canonical(repo.root()));
    let Ok(relative) = here.strip_prefix(&root) else {
        return Ok(());
    };
    if relative.as_os_str().is_empty() {
        return Ok(());
    }
    // A trailing `/` stands for everything under the directory.
    let text = format!("{}/", relative.display());
    let pattern = glob::Pattern::new(&text).map_err(|error| {
        Error::Usage(format!(
            "the work directory `{text}` given with `--workdir` is not usable as a path pattern ({error}); rename it or use `--include-path`"
        ))
    })?;
    if !config
        .git
        .include_paths
        .iter()
        .any(|known| known.as_str() == pattern.as_str())
    {
        config.git.include_paths.push(pattern);
    }
    Ok(())
}

/// The title of the unreleased commits: `--tag`, or with `--bump` (and `--bumped-version`) the tag
/// of the version `relcut next` computes, made with `[release] tag_pattern`. With nothing
/// unreleased, `--bump` leaves them untitled, as git-cliff does.
fn title(args: &ChangelogArgs, settings: &Settings) -> Result<Option<String>> {
    if args.tag.is_some() {
        return Ok(args.tag.clone());
    }
    if args.bump.is_none() && !args.bumped_version {
        return Ok(None);
    }
    let request = NextArgs {
        bump: BumpArgs {
            bump: args.bump.clone().unwrap_or(BumpRequest::Auto),
            pre: None,
        },
        current: None,
    };
    match next::from_repository(&request) {
        Ok(version) => Ok(Some(settings.policy.tag_pattern.tag_name(&version))),
        Err(Error::NothingToRelease(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// The flags that change git-cliff's configuration, applied as git-cliff applies them: a flag
/// replaces the setting, except paths, which add to `include_paths` and `exclude_paths`.
fn apply_flags(
    args: &ChangelogArgs,
    config: &mut CliffConfig,
    environment: &dyn Fn(&str) -> Option<String>,
) -> Result<()> {
    if matches!(args.strip, Some(StripPart::Header | StripPart::All)) {
        config.changelog.header = None;
    }
    if matches!(args.strip, Some(StripPart::Footer | StripPart::All)) {
        config.changelog.footer = None;
    }
    // As in git-cliff, `--sort oldest` is its default and leaves the configuration's order.
    if args.sort == Some(CommitOrder::Newest) {
        config.git.sort_commits = String::from("newest");
    }
    if args.no_exec {
        let processors = config
            .git
            .commit_preprocessors
            .iter_mut()
            .chain(config.changelog.postprocessors.iter_mut());
        for processor in processors {
            processor.replace_command = None;
        }
    }
    for id in &args.skip_commit {
        config.git.commit_parsers.insert(
            0,
            CommitParser {
                sha: Some(id.clone()),
                skip: Some(true),
                ..CommitParser::default()
            },
        );
    }
    let include = path_patterns(
        "--include-path",
        &args.include_path,
        "GIT_CLIFF_INCLUDE_PATH",
        environment,
    )?;
    config.git.include_paths.extend(include);
    let exclude = path_patterns(
        "--exclude-path",
        &args.exclude_path,
        "GIT_CLIFF_EXCLUDE_PATH",
        environment,
    )?;
    config.git.exclude_paths.extend(exclude);
    if let Some(pattern) = &args.tag_pattern {
        config.git.tag_pattern = Some(pattern.clone());
    }
    if let Some(pattern) = &args.skip_tags {
        config.git.skip_tags = Some(pattern.clone());
    }
    // An empty `skip_tags` skips nothing (git-cliff drops it), rather than every tag.
    config.git.skip_tags = config
        .git
        .skip_tags
        .take()
        .filter(|skip| !skip.as_str().is_empty());
    if let Some(pattern) = &args.ignore_tags {
        config.git.ignore_tags = Some(pattern.clone());
    }
    if let Some(pattern) = &args.count_tags {
        config.git.count_tags = Some(pattern.clone());
    }
    Ok(())
}

/// The globs of a path flag, or of its environment variable (space-separated) when the flag is
/// not given, as git-cliff reads them.
fn path_patterns(
    flag: &str,
    given: &[String],
    variable: &str,
    environment: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<glob::Pattern>> {
    let from_environment = given.is_empty().then(|| environment(variable)).flatten();
    let texts: Vec<&str> = match &from_environment {
        Some(value) => value.split(' ').filter(|text| !text.is_empty()).collect(),
        None => given.iter().map(String::as_str).collect(),
    };
    texts
        .into_iter()
        .map(|text| {
            glob::Pattern::new(text).map_err(|error| {
                let source = match from_environment {
                    Some(_) => format!("`{variable}` holds `{text}`, which"),
                    None => format!("`{flag} {text}`"),
                };
                Error::Usage(format!(
                    "{source} is not a glob pattern ({error}); write it as for example `src/**`"
                ))
            })
        })
        .collect()
}

/// Which commits the changelog covers.
enum Selection {
    /// The whole history.
    All,
    /// The commits since the newest tag HEAD reaches.
    Unreleased,
    /// A part of the history: a range, the latest release or the current one (newest first).
    Part(Vec<RawCommit>),
}

fn selection(args: &ChangelogArgs, repo: &Repo, head: Oid, tags: &[AnyTag]) -> Result<Selection> {
    // As in git-cliff, `--unreleased` wins over `--latest` and `--current`, which win over a
    // range; without tags they select nothing, and the range or the whole history stays.
    if args.unreleased {
        return Ok(Selection::Unreleased);
    }
    if (args.latest || args.current)
        && let Some((tip, base)) = release_bounds(args.current, head, tags)?
    {
        return Ok(Selection::Part(repo.commits(tip, base)?));
    }
    if let Some(range) = &args.range {
        return Ok(Selection::Part(repo.commits_in_range(range)?));
    }
    if args.prepend.is_some() {
        return Ok(Selection::Unreleased);
    }
    Ok(Selection::All)
}

/// The tagged commit that closes the release `--latest` (the newest tag) or `--current` (the tag
/// at HEAD) names, and the tagged commit before it, with tags in git-cliff's order (by the time of
/// their commits). Without tags that is the whole history; the first tag's release is everything
/// up to it.
fn release_bounds(current: bool, head: Oid, tags: &[AnyTag]) -> Result<Option<(Oid, Option<Oid>)>> {
    // With fewer than two tags git-cliff does not look at HEAD: `--current` is `--latest`.
    match tags {
        [] => return Ok(None),
        [only] => return Ok(Some((only.commit, None))),
        _ => {}
    }
    let index = if current {
        tags.iter()
            .rposition(|tag| tag.commit == head)
            .ok_or_else(|| {
                Error::Usage(String::from(
                    "`--current` renders the release of the tag at HEAD, and HEAD has no tag; check out a release tag, or use `--latest` for the newest release",
                ))
            })?
    } else {
        tags.len() - 1
    };
    let base = index.checked_sub(1).map(|before| tags[before].commit);
    Ok(Some((tags[index].commit, base)))
}

/// The tag before the oldest release in `commits`, as git-cliff gives the first release shown as
/// its `previous`: the tag before the oldest tag among the commits, or the newest tag when none is
/// among them (a range of unreleased commits).
fn tag_before<'t>(
    git: &GitConfig,
    tags: &'t [AnyTag],
    commits: &[RawCommit],
) -> Option<&'t AnyTag> {
    let releases: Vec<&AnyTag> = tags.iter().filter(|tag| closes_release(git, tag)).collect();
    // Later tags on the same commit win, as in git-cliff's tag map.
    let by_commit: HashMap<String, &str> = releases
        .iter()
        .map(|tag| (tag.commit.to_string(), tag.name.as_str()))
        .collect();
    // The first tag met walking the commits oldest first, placed in the tags' order.
    let first = commits
        .iter()
        .rev()
        .find_map(|commit| by_commit.get(&commit.id).copied());
    match first {
        Some(name) => releases
            .iter()
            .position(|tag| tag.name == name)
            .and_then(|index| index.checked_sub(1))
            .map(|before| releases[before]),
        None => releases.last().copied(),
    }
}

/// Whether a release tag is on `commit`. `--tag` titles the newest commit only when it has none:
/// git-cliff keeps the tag that is there (and warns).
fn is_tagged(git: &GitConfig, tags: &[AnyTag], commit: Oid) -> bool {
    tags.iter()
        .any(|tag| tag.commit == commit && closes_release(git, tag))
}

/// A release tag as the `previous` of the release after it.
fn previous_release(tag: &AnyTag) -> PreviousRelease<'_> {
    PreviousRelease {
        tag: &tag.name,
        commit_id: tag.commit.to_string(),
        timestamp: tag.commit_time,
    }
}

/// With `[git] recurse_submodules`, the submodules each release changed and their commits, as
/// git-cliff adds them (`submodule_commits`): a release ends at a commit a release tag is on, and
/// at the newest commit; it starts after the end of the one before (`before` for the oldest).
pub(super) fn with_submodules(
    mut extras: TemplateExtras,
    repo: &Repo,
    settings: &Settings,
    commits_newest_first: &[RawCommit],
    tags: &[AnyTag],
    before: Option<Oid>,
) -> Result<TemplateExtras> {
    let git = &settings.policy.changelog.git;
    if git.recurse_submodules != Some(true) {
        return Ok(extras);
    }
    // Releases in the tags' order: a tagged release starts at the release tag before it, even
    // when path filters left that tag's commit out, as git-cliff's `previous` does.
    let closing: Vec<&AnyTag> = tags.iter().filter(|tag| closes_release(git, tag)).collect();
    let position: HashMap<String, usize> = closing
        .iter()
        .enumerate()
        .map(|(index, tag)| (tag.commit.to_string(), index))
        .collect();
    let newest = commits_newest_first
        .first()
        .map(|commit| commit.id.as_str());
    let mut found = SubmoduleCommits::new();
    let mut previous_end = before;
    for commit in commits_newest_first.iter().rev() {
        let tagged = position.get(&commit.id).copied();
        if tagged.is_none() && Some(commit.id.as_str()) != newest {
            continue;
        }
        let end = Oid::from_str(&commit.id)
            .map_err(Error::git(format!("`{}` is not a commit id", commit.id)))?;
        let start = match tagged {
            Some(0) => before,
            Some(index) => Some(closing[index - 1].commit),
            None => previous_end,
        };
        let changes = repo.submodule_commits(start, end, git.topo_order_commits)?;
        for path in changes.unreadable {
            ui::note(&format!(
                "warning: the submodule `{path}` changed in commit {} but is not checked out, so its commits are not in the changelog; run `git submodule update --init`",
                &commit.id[..commit.id.len().min(7)]
            ));
        }
        if !changes.read.is_empty() {
            found.insert(commit.id.clone(), changes.read);
        }
        previous_end = Some(end);
    }
    extras.submodules = Some(std::sync::Arc::new(found));
    Ok(extras)
}

/// Whether a tag counts as a release in git-cliff's eyes: `skip_tags` still close a release (whose
/// commits are then dropped), `count_tags` and `ignore_tags` choose among the others.
fn closes_release(git: &GitConfig, tag: &AnyTag) -> bool {
    if git
        .skip_tags
        .as_ref()
        .is_some_and(|skip| skip.is_match(&tag.name))
    {
        return true;
    }
    let counted = git
        .count_tags
        .as_ref()
        .is_none_or(|count| count.is_match(&tag.name));
    let ignored = git
        .ignore_tags
        .as_ref()
        .is_some_and(|ignore| !ignore.as_str().trim().is_empty() && ignore.is_match(&tag.name));
    counted && !ignored
}

/// The commits since the newest tag HEAD reaches, as one release.
fn run_unreleased(
    args: &ChangelogArgs,
    repo: &Repo,
    settings: &Settings,
    head: Oid,
    tags: &[AnyTag],
    upcoming: Option<&NewRelease<'_>>,
) -> Result<()> {
    let extras = template_extras(repo, settings)?;
    let last = last_reachable(repo, head, tags)?;
    let order = WalkOrder::for_changelog(settings.policy.changelog.git.topo_order_commits);
    let commits = repo.commits_in_order(head, last.map(|tag| tag.commit), order)?;
    let commits = changelog_commits(repo, settings, &commits)?;
    let extras = with_submodules(
        extras,
        repo,
        settings,
        &commits,
        tags,
        last.map(|tag| tag.commit),
    )?;
    let previous = last.map(previous_release);
    let render = |with_header_and_footer| {
        changelog::render_unreleased(
            &settings.policy.changelog,
            &extras,
            &commits,
            previous.as_ref(),
            upcoming,
            with_header_and_footer,
        )
    };
    match &args.prepend {
        Some(file) => prepend(file, settings, &render(false)?),
        None => emit(args, &render(true)?),
    }
}

/// Prints the JSON context of the selected commits, as git-cliff's `--context`: every commit
/// with its diff statistics, each release with the repository's path.
fn print_context(
    args: &ChangelogArgs,
    repo: &Repo,
    settings: &Settings,
    head: Oid,
    tags: &[AnyTag],
    upcoming: Option<&NewRelease<'_>>,
) -> Result<()> {
    let selected = selection(args, repo, head, tags)?;
    let topo_order = args.topo_order || settings.policy.changelog.git.topo_order;
    let order = WalkOrder::for_changelog(settings.policy.changelog.git.topo_order_commits);
    let (history, before) = selected_commits(selected, repo, head, tags, topo_order, order)?;
    let before = before.or_else(|| tag_before(&settings.policy.changelog.git, tags, &history));
    let mut commits = changelog_commits(repo, settings, &history)?.into_owned();
    if commits.iter().any(|commit| commit.statistics.is_none()) {
        repo.add_statistics(&mut commits)?;
    }
    let before = before.map(previous_release);
    let part = HistoryPart {
        history: &history,
        commits_newest_first: &commits,
        tags,
        before: before.as_ref(),
        upcoming,
        latest_message: args.with_tag_message.as_deref(),
    };
    let text = changelog::context_of_history(
        &settings.policy.changelog,
        &part,
        settings.policy.commit_reading,
        repo.root().display().to_string().trim_end_matches('/'),
    )?;
    emit(args, &text)
}

/// The commits of a selection, newest first, with the tag before them when the selection says
/// which (the last release, for the unreleased commits). In topological order, as in git-cliff,
/// the unreleased commits are those since the last tag in that order, reachable or not.
fn selected_commits<'t>(
    selected: Selection,
    repo: &Repo,
    head: Oid,
    tags: &'t [AnyTag],
    topo_order: bool,
    order: WalkOrder,
) -> Result<(Vec<RawCommit>, Option<&'t AnyTag>)> {
    Ok(match selected {
        Selection::All => (repo.whole_history(head, order, tags)?, None),
        Selection::Unreleased if topo_order => {
            let last = tags.last();
            (
                repo.commits_in_order(head, last.map(|tag| tag.commit), order)?,
                None,
            )
        }
        Selection::Unreleased => {
            let last = last_reachable(repo, head, tags)?;
            (
                repo.commits_in_order(head, last.map(|tag| tag.commit), order)?,
                last,
            )
        }
        Selection::Part(commits) => (commits, None),
    })
}

/// The context file of `--from-context`; `-` is standard input.
fn read_context(file: &Path) -> Result<String> {
    if file == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(Error::io("read", file))?;
        return Ok(text);
    }
    std::fs::read_to_string(file).map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!(
                "`--from-context {}`: there is no such file; write one with `relcut changelog --context -o FILE`",
                file.display()
            ))
        } else {
            Error::io("read", file)(error)
        }
    })
}

/// The newest tag by commit time that HEAD can reach: it closes the released history.
fn last_reachable<'t>(repo: &Repo, head: Oid, tags: &'t [AnyTag]) -> Result<Option<&'t AnyTag>> {
    let newest_first: Vec<Oid> = tags.iter().rev().map(|tag| tag.commit).collect();
    Ok(repo
        .first_reachable(head, &newest_first)?
        .map(|index| &tags[tags.len() - 1 - index]))
}

/// Puts `section` on top of FILE's releases; nothing to put there leaves FILE as it is.
fn prepend(file: &Path, settings: &Settings, section: &str) -> Result<()> {
    if section.trim().is_empty() {
        ui::note(&format!(
            "There is nothing to add (no commits in what was selected); `{}` is unchanged.",
            file.display()
        ));
        return Ok(());
    }
    let existing = read_optional(file)?;
    let outcome = changelog::prepend_section(
        existing.as_deref(),
        settings.policy.changelog_header(),
        section,
    );
    write_through_apply(file, existing, outcome.text)
}

/// Paths on the command line are relative to the directory relcut runs in (`-C`), as in git.
fn emit(args: &ChangelogArgs, text: &str) -> Result<()> {
    match &args.output {
        Some(file) => {
            let existing = read_optional(file)?;
            write_through_apply(file, existing, text.to_string())
        }
        None => ui::out(text),
    }
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(Error::io("read", path)(error)),
    }
}

/// Writes the file as every effect is written: through `apply`, checked against the text it was
/// read with and renamed into place, so a failure leaves it whole.
fn write_through_apply(path: &Path, existing: Option<String>, text: String) -> Result<()> {
    let file = PlannedFile {
        path: path.to_path_buf(),
        reason: String::from("the changelog"),
        exists: existing.is_some(),
        before: existing.unwrap_or_default(),
        after: text,
        diff: String::new(),
    };
    apply::files::write_all(Path::new("."), std::slice::from_ref(&file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, commit: u8) -> AnyTag {
        AnyTag {
            name: name.to_string(),
            message: None,
            commit: Oid::from_bytes(&[commit; 20]).unwrap(),
            commit_time: i64::from(commit),
        }
    }

    fn commit(id: u8) -> RawCommit {
        let person = crate::plan::history::Person {
            name: None,
            email: None,
            time: i64::from(id),
        };
        RawCommit {
            id: Oid::from_bytes(&[id; 20]).unwrap().to_string(),
            message: String::from("feat: x"),
            author: person.clone(),
            committer: person,
            parent_count: 1,
            parents: Vec::new(),
            statistics: None,
        }
    }

    #[test]
    fn latest_and_current_pick_git_cliffs_tags() {
        let tags = [tag("v1", 1), tag("v2", 2), tag("v3", 3)];
        let id = |commit: u8| Oid::from_bytes(&[commit; 20]).unwrap();
        /// `--current`, HEAD, the tags, and the expected tip and base.
        type Row<'a> = (bool, u8, &'a [AnyTag], Option<(u8, Option<u8>)>);
        let rows: &[Row<'_>] = &[
            (false, 9, &tags, Some((3, Some(2)))),
            (false, 9, &tags[..1], Some((1, None))),
            (false, 9, &[], None),
            (true, 2, &tags, Some((2, Some(1)))),
            (true, 1, &tags, Some((1, None))),
            (true, 9, &tags[..1], Some((1, None))),
        ];
        for (current, head, tags, expected) in rows {
            let bounds = release_bounds(*current, id(*head), tags).unwrap();
            let expected = expected.map(|(tip, base)| (id(tip), base.map(id)));
            assert_eq!(bounds, expected, "current {current}, head {head}");
        }
        assert!(matches!(
            release_bounds(true, id(9), &tags),
            Err(Error::Usage(_))
        ));
    }

    #[test]
    fn the_release_before_a_part_is_git_cliffs_previous() {
        let tags = [tag("v1", 1), tag("v2", 2), tag("v3", 3)];
        let git = GitConfig::default();
        let ignore_v2 = GitConfig {
            ignore_tags: Some(regex::Regex::new("v2").unwrap()),
            ..GitConfig::default()
        };
        // Commits newest first.
        let rows: &[(&GitConfig, &[u8], Option<&str>)] = &[
            (&git, &[3, 2], Some("v1")),
            (&git, &[3, 2, 1], None),
            (&git, &[5, 4], Some("v3")),
            (&ignore_v2, &[3, 2], Some("v1")),
            (&ignore_v2, &[2], Some("v3")),
        ];
        for (git, commits, expected) in rows {
            let commits: Vec<RawCommit> = commits.iter().map(|id| commit(*id)).collect();
            let before = tag_before(git, &tags, &commits).map(|tag| tag.name.as_str());
            assert_eq!(before, *expected, "{commits:?}");
        }
    }
}
