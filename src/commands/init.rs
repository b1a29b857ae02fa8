//! `relcut init`: finds the project's version files, release branch and tag names, and writes
//! relcut.toml and the GitHub Actions workflows that release, publish and deploy it, keeping
//! every file that already exists unless `--force`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::apply;
use crate::cli::InitArgs;
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::plan::PlannedFile;
use crate::plan::init::{self, Action, Project};
use crate::plan::version_files::{Origin, ParsedFiles, SourceFile};
use crate::repo::{Repo, Tracking, version_files};
use crate::ui;

/// The branches a release is cut from when nothing says otherwise.
const USUAL_BRANCHES: [&str; 2] = ["main", "master"];

#[derive(serde::Serialize)]
struct Report<'a> {
    schema_version: u32,
    dry_run: bool,
    branch: &'a str,
    tag_pattern: &'a str,
    version_files: Vec<VersionFileReport>,
    files: Vec<FileReport>,
}

#[derive(serde::Serialize)]
struct VersionFileReport {
    path: PathBuf,
    reason: String,
}

#[derive(serde::Serialize)]
struct FileReport {
    path: PathBuf,
    action: Action,
}

pub fn run(args: &InitArgs) -> Result<()> {
    let repo = Repo::open_from_env()?;
    let root = repo.root().to_path_buf();
    let project = read_project(&repo)?;
    let files = init::render(&project);
    let mut decided = Vec::with_capacity(files.len());
    for file in files {
        let existing = read_existing(&root, &file.path)?;
        let action = init::action(existing.as_deref(), &file.text, args.force);
        decided.push((file, existing, action));
    }
    let planned: Vec<PlannedFile> = decided
        .iter()
        .filter(|(_, _, action)| action.writes())
        .map(|(file, existing, _)| {
            let before = existing.clone().unwrap_or_default();
            PlannedFile {
                path: file.path.clone(),
                reason: String::from("written by relcut init"),
                diff: crate::plan::diff::unified(
                    &file.path,
                    &before,
                    &file.text,
                    existing.is_some(),
                ),
                before,
                exists: existing.is_some(),
                after: file.text.clone(),
            }
        })
        .collect();
    let problems = crate::check::file_problems(apply::files::unwritable(&root, &planned));
    if !problems.is_empty() {
        return Err(Error::ChecksFailed(problems));
    }
    if !args.dry_run {
        write(&root, &planned)?;
    }
    if args.json {
        return ui::out_json(&Report {
            schema_version: ui::JSON_SCHEMA_VERSION,
            dry_run: args.dry_run,
            branch: &project.branch,
            tag_pattern: &project.tag_pattern,
            version_files: project
                .version_files
                .iter()
                .map(|(path, reason)| VersionFileReport {
                    path: path.clone(),
                    reason: reason.clone(),
                })
                .collect(),
            files: decided
                .iter()
                .map(|(file, _, action)| FileReport {
                    path: file.path.clone(),
                    action: *action,
                })
                .collect(),
        });
    }
    let actions: Vec<(&Path, Action)> = decided
        .iter()
        .map(|(file, _, action)| (file.path.as_path(), *action))
        .collect();
    ui::out(&render_summary(&project, &actions, args.dry_run))?;
    if args.dry_run {
        for file in &planned {
            ui::out(&format!("\n{}", file.diff))?;
        }
        ui::note("Dry run: nothing was written.");
    } else if !planned.is_empty() {
        ui::note(&next_steps(&project));
    }
    Ok(())
}

/// What init found: the version files a release would write, the release branch, the tag
/// pattern. An existing relcut.toml is read, so the workflows follow what it says.
fn read_project(repo: &Repo) -> Result<Project> {
    let root = repo.root();
    let configured = root.join(crate::config::CONFIG_FILE).is_file();
    let settings = if configured {
        Some(Settings::load_for_versions(root)?)
    } else {
        None
    };
    let tag_pattern = match &settings {
        Some(settings) => settings.policy.tag_pattern.pattern(),
        None => {
            let names = repo.tag_names()?;
            init::tag_pattern_of(names.iter().map(String::as_str))
        }
    };
    let branch = release_branch(repo, settings.as_ref())?;
    let sources = version_sources(repo, settings.as_ref())?;
    let parsed = ParsedFiles::parse(&sources)?;
    let found = parsed.current_versions();
    // Edits to a version above every one found name each file a release writes, and why.
    let above = found
        .iter()
        .map(|found| found.version.major)
        .max()
        .map_or(1, |major| major + 1);
    let edits = parsed.plan_edits(&semver::Version::new(above, 0, 0))?;
    let publish_trigger: Vec<PathBuf> = edits
        .iter()
        .filter(|edit| found.iter().any(|found| found.path == edit.path))
        .map(|edit| edit.path.clone())
        .collect();
    let new_version_file = if found.is_empty() {
        Some(current_tagged_version(
            repo,
            settings.as_ref(),
            &tag_pattern,
        )?)
    } else {
        None
    };
    Ok(Project {
        version_files: edits
            .into_iter()
            .map(|edit| (edit.path, edit.reason))
            .collect(),
        publish_trigger,
        branch,
        tag_pattern,
        relcut_version: env!("CARGO_PKG_VERSION").to_string(),
        new_version_file,
    })
}

/// The files relcut reads versions from, as a release would, except that untracked files count:
/// a project that has just been created has no commit yet. Ignored ones never would.
fn version_sources(repo: &Repo, settings: Option<&Settings>) -> Result<Vec<SourceFile>> {
    let root = repo.root();
    let mut files = if settings.is_none_or(|settings| settings.detect) {
        let mut files = version_files::discover(root)?;
        if let Some(settings) = settings {
            version_files::drop_excluded(&mut files, &settings.exclude);
        }
        files
    } else {
        Vec::new()
    };
    if let Some(settings) = settings {
        version_files::load(root, &settings.files, &mut files)?;
    }
    let mut kept = Vec::with_capacity(files.len());
    for file in files {
        if file.origin == Origin::Detected && repo.tracking(&file.path)? == Tracking::Ignored {
            continue;
        }
        kept.push(file);
    }
    Ok(kept)
}

/// The branch releases are cut from: relcut.toml's first branch that is a name (not a glob),
/// else the current branch when it is `main` or `master`, else the remote's default branch,
/// else `main`.
fn release_branch(repo: &Repo, settings: Option<&Settings>) -> Result<String> {
    if let Some(name) = settings
        .into_iter()
        .flat_map(|settings| &settings.branches)
        .find(|name| !name.contains(['*', '?', '[']))
    {
        return Ok(name.clone());
    }
    if let Some(current) = repo.branch()?
        && USUAL_BRANCHES.contains(&current.as_str())
    {
        return Ok(current);
    }
    Ok(repo
        .remote_default_branch()
        .unwrap_or_else(|| String::from(USUAL_BRANCHES[0])))
}

/// The version of the last release tag HEAD reaches, or `0.0.0` before the first release, for
/// a `VERSION` file that starts where the tags are.
fn current_tagged_version(
    repo: &Repo,
    settings: Option<&Settings>,
    tag_pattern: &str,
) -> Result<String> {
    let Some(head) = repo.head_commit()? else {
        return Ok(String::from("0.0.0"));
    };
    let pattern = match settings {
        Some(settings) => settings.policy.tag_pattern.clone(),
        None => crate::plan::tag_pattern::TagPattern::parse(tag_pattern).map_err(Error::Usage)?,
    };
    let tags = repo.version_tags(&pattern)?;
    Ok(repo
        .last_release(head, &tags)?
        .map_or_else(|| String::from("0.0.0"), |tag| tag.version.to_string()))
}

/// What a file says now, if it exists. A file that is not UTF-8 text counts as other text.
fn read_existing(root: &Path, path: &Path) -> Result<Option<String>> {
    match fs::read(root.join(path)) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes the files all or nothing, making the folders they need; a folder made for a write
/// that then failed is removed again.
fn write(root: &Path, planned: &[PlannedFile]) -> Result<()> {
    let mut made: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for file in planned {
            let Some(parent) = file.path.parent() else {
                continue;
            };
            let mut missing: Vec<PathBuf> = parent
                .ancestors()
                .filter(|folder| !folder.as_os_str().is_empty() && !root.join(folder).exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            for folder in missing {
                fs::create_dir(root.join(&folder)).map_err(Error::io("create", &folder))?;
                made.push(folder);
            }
        }
        apply::files::write_all(root, planned)
    })();
    if result.is_err() {
        for folder in made.iter().rev() {
            let _ = fs::remove_dir(root.join(folder));
        }
    }
    result
}

/// One line for what was found, then one per file with what becomes of it.
fn render_summary(project: &Project, actions: &[(&Path, Action)], dry_run: bool) -> String {
    let found = if project.version_files.is_empty() {
        String::from("no version file (a VERSION file is written)")
    } else {
        project
            .version_files
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "Version files: {found}\nRelease branch: {}\nTags: {}\n\n",
        project.branch, project.tag_pattern
    );
    for (path, action) in actions {
        let (word, why) = match (action, dry_run) {
            (Action::Create, false) => ("created", ""),
            (Action::Create, true) => ("would create", ""),
            (Action::Overwrite, false) => ("replaced", ""),
            (Action::Overwrite, true) => ("would replace", ""),
            (Action::Keep, _) => ("kept", " (it exists; --force replaces it)"),
            (Action::Unchanged, _) => ("unchanged", ""),
        };
        text.push_str(&format!("  {word:<13} {}{why}\n", path.display()));
    }
    text
}

/// What to do after init, for a person.
fn next_steps(project: &Project) -> String {
    format!(
        "Next: fill in the deploy and the health check in .github/workflows/deploy.yml, create the \
         `staging` and `production` environments in the repository's settings, commit these files \
         and push them to `{}`; then run the release workflow from the Actions tab, or `relcut release` \
         here (`--dry-run` first).",
        project.branch
    )
}
