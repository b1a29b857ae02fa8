//! `relcut publish`: release the version HEAD's files say, when it has no complete release yet —
//! for a bump that was merged (from a pull request, say) and a workflow that runs when `VERSION`
//! changes. Tags HEAD when the tag is missing, pushes the tag, and makes the GitHub release with
//! the notes of the changelog's section (rendered from the commits when there is none).

use crate::check;
use crate::cli::PublishArgs;
use crate::commands::deploying::{self, Follow, Where};
use crate::commands::{
    Checked, Gate, changelog_commits, execute, open, pass_gate, publishing, push,
    read_version_files, repository_checks, template_extras,
};
use crate::error::{Error, Result};
use crate::outcome::PublishOutcome;
use crate::plan::changelog::{self, NewRelease, PreviousRelease};
use crate::plan::publish::NotesSource;
use crate::plan::version_files::{ParsedFiles, SourceFile};
use crate::plan::{self, Step, TagTarget};
use crate::ui;

pub fn run(args: &PublishArgs) -> Result<()> {
    let (mut repo, settings) = open()?;
    // Read before the tags are: a release tag only the remote has counts.
    let mut remote = push::read_remote(&mut repo, &settings, false)?;
    // Publishing commits nothing, so local edits do not matter: what counts is HEAD's files.
    let Checked {
        head, mut problems, ..
    } = repository_checks(&repo, &settings, true)?;

    // The version is the one committed at HEAD, never an uncommitted edit.
    let files = read_version_files(&repo, &settings)?.files;
    let mut committed = Vec::with_capacity(files.len());
    for file in files {
        if let Some(text) = repo.file_at(head, &file.path)? {
            committed.push(SourceFile { text, ..file });
        }
    }
    let parsed = ParsedFiles::parse(&committed)?;
    let (version, _) = plan::current_version(None, &parsed)?;
    let Some(version) = version else {
        return Err(Error::Usage(String::from(
            "`relcut publish` releases the version the files say, and no version file at HEAD says one; add a `VERSION` file (or a manifest with a version), or use `relcut release`",
        )));
    };
    let tag = settings.policy.tag_pattern.tag_name(&version);
    let tagged = repo.tag_commit(&tag)?;
    // An existing tag is the release, wherever it is: HEAD may have moved on since.
    let release_commit = tagged.unwrap_or(head);

    let tags: Vec<_> = repo
        .version_tags(&settings.policy.tag_pattern)?
        .into_iter()
        .filter(|candidate| candidate.name != tag)
        .collect();
    let previous = repo.last_release(release_commit, &tags)?;
    if let Some(previous) = &previous
        && previous.version.cmp_precedence(&version).is_ge()
    {
        problems.push(check::publish_below_previous_problem(
            &version,
            &previous.name,
        ));
    }

    let changelog_text = match &settings.policy.changelog_file {
        Some(path) => repo.file_at(release_commit, path)?,
        None => None,
    };
    let section = changelog_text
        .as_deref()
        .and_then(|text| changelog::section_of(text, &version));
    let (notes, notes_source) = match (section, &settings.policy.changelog_file) {
        (Some(section), Some(path)) => (section.notes, NotesSource::Changelog(path.clone())),
        _ => {
            let commits = repo.commits(
                release_commit,
                previous.as_ref().map(|previous| previous.commit),
            )?;
            let commits = changelog_commits(&repo, &settings, &commits)?;
            let previous_time = previous
                .as_ref()
                .map(|previous| repo.commit_time(previous.commit))
                .transpose()?;
            let section = changelog::render_section(
                &settings.policy.changelog,
                &super::changelog::with_submodules(
                    template_extras(&repo, &settings)?,
                    &repo,
                    &settings,
                    &commits,
                    &[],
                    previous.as_ref().map(|previous| previous.commit),
                )?,
                &commits,
                previous
                    .as_ref()
                    .map(|previous| PreviousRelease {
                        tag: &previous.name,
                        commit_id: previous.commit.to_string(),
                        timestamp: previous_time.unwrap_or_default(),
                    })
                    .as_ref(),
                &NewRelease {
                    tag: &tag,
                    timestamp: repo.commit_time(release_commit)?,
                },
            )?;
            (section.notes, NotesSource::Commits)
        }
    };

    let mut steps = Vec::new();
    if tagged.is_none() {
        let (_, message) = plan::messages(
            &settings.policy,
            &version,
            previous.as_ref().map(|previous| &previous.version),
            previous.as_ref().map(|previous| previous.name.as_str()),
        );
        steps.push(Step::Tag {
            name: tag.clone(),
            message,
            signed: args.sign,
            target: TagTarget::Commit(head.to_string()),
        });
    }
    match remote.target.clone() {
        Some(target) => {
            problems.extend(remote.tag_problems(&release_commit.to_string(), &tag));
            steps.push(Step::Push {
                remote: target.remote.clone(),
                branch: target.branch.clone(),
                tag: tag.clone(),
            });
        }
        None => problems.push(check::publish_without_remote_problem(&tag)),
    }
    let publishing = publishing::prepare(&repo, &settings, &args.release, false, &mut problems)?;
    let Some(spec) = publishing.spec(&repo, &settings, &args.release, &version, &tag, &notes)?
    else {
        return Err(Error::Usage(format!(
            "`relcut publish` makes a GitHub release, and {}",
            publishing
                .off_reason()
                .unwrap_or("there is no GitHub repository")
        )));
    };
    steps.push(Step::Publish(spec));
    let not_deployed = deploying::off_reason(&settings, &version, args.deploy.no_deploy, None);
    if let (Some((id, html_url)), false) = (publishing.repository(), args.deploy.no_deploy) {
        let release_sha = release_commit.to_string();
        let deploys = deploying::after_release(
            &repo,
            &settings,
            &Where { repo: id, html_url },
            &deploying::Version {
                version: &version,
                tag: &tag,
                previous: previous.as_ref().map(|previous| &previous.version),
                sha: Some(&release_sha),
            },
            &mut problems,
        );
        steps.extend(deploys);
    }

    let warnings = deploying::warnings(&settings, &steps);
    let mut outcome = PublishOutcome {
        schema_version: ui::JSON_SCHEMA_VERSION,
        dry_run: true,
        version,
        tag,
        commit: release_commit.to_string(),
        tag_exists: tagged.is_some(),
        notes,
        notes_source,
        plan_steps: steps,
        steps: Vec::new(),
        release: None,
        deploys: Vec::new(),
        not_deployed,
        warnings,
        problems: Vec::new(),
    };
    let gate = Gate {
        dry_run: args.dry_run,
        json: args.json,
        yes: args.yes,
        what: "publish",
    };
    let print_json = |problems: &[crate::error::Problem]| {
        let mut shown = outcome.clone();
        shown.problems = problems.to_vec();
        ui::out_json(&shown)
    };
    let question = format!("Publish {}?", outcome.tag);
    if !pass_gate(
        &gate,
        problems,
        &|| ui::render_publish_plan(&outcome),
        &print_json,
        &question,
    )? {
        return Ok(());
    }
    // Confirmed without being shown the plan: its warnings still reach the log.
    if args.yes || ui::unattended() {
        ui::note_warnings(&outcome.warnings);
    }
    let executed = execute(
        &repo,
        &settings,
        publishing.forge(),
        &[],
        &outcome.plan_steps,
        "relcut publish",
    )?;
    outcome.dry_run = false;
    outcome.steps = executed.outcomes;
    outcome.release = executed.release;
    let failure = match (publishing.forge(), publishing.repository()) {
        (Some(forge), Some((id, html_url))) => {
            let followed = deploying::follow_deploys(
                &Follow {
                    settings: &settings,
                    repo: &repo,
                    forge,
                    at: Where { repo: id, html_url },
                    wait: args.deploy.wait.wait,
                    timeout: args.deploy.wait.wait_timeout,
                    rollback_on_failure: args.deploy.rollback_on_failure,
                    again: "relcut publish",
                },
                &executed.deploys,
            )?;
            outcome.deploys = followed.reports;
            followed.failure
        }
        _ => None,
    };
    if args.json {
        ui::out_json(&outcome)?;
    } else {
        ui::print_publish_summary(&outcome)?;
    }
    ui::actions::report(&crate::ci::Report::of_publish(&outcome));
    failure.map_or(Ok(()), Err)
}
