//! `relcut changelog`: the changelog of the whole history, or of what is unreleased.

use std::path::Path;

use crate::apply;
use crate::cli::ChangelogArgs;
use crate::commands::{changelog_commits, open, release_timestamp, template_extras};
use crate::error::{Error, Result};
use crate::plan::PlannedFile;
use crate::plan::changelog::{self, NewRelease, PreviousRelease};
use crate::repo::WalkOrder;
use crate::ui;

pub fn run(args: &ChangelogArgs) -> Result<()> {
    let (repo, settings) = open()?;
    let extras = template_extras(&repo, &settings);
    let timestamp = release_timestamp()?;
    let upcoming = args.tag.as_deref().map(|tag| NewRelease { tag, timestamp });
    let Some(head) = repo.head_commit()? else {
        return Err(Error::NothingToRelease(String::from(
            "the repository has no commit yet, so there is no changelog to render",
        )));
    };
    let tags = repo.all_tags(settings.policy.changelog.git.tag_pattern.as_ref())?;
    let order = WalkOrder::for_changelog(settings.policy.changelog.git.topo_order_commits);

    if args.unreleased || args.prepend.is_some() {
        // The newest tag by commit time that HEAD can reach closes the released history.
        let newest_first: Vec<git2::Oid> = tags.iter().rev().map(|tag| tag.commit).collect();
        let last = repo
            .first_reachable(head, &newest_first)?
            .map(|index| &tags[tags.len() - 1 - index]);
        let commits = repo.commits_in_order(head, last.map(|tag| tag.commit), order)?;
        let commits = changelog_commits(&repo, &settings, &commits)?;
        let previous = last.map(|tag| PreviousRelease {
            tag: &tag.name,
            commit_id: tag.commit.to_string(),
            timestamp: tag.commit_time,
        });
        if let Some(file) = &args.prepend {
            let path = file.clone();
            let existing = read_optional(&path)?;
            let section = changelog::render_unreleased(
                &settings.policy.changelog,
                &extras,
                &commits,
                previous.as_ref(),
                upcoming.as_ref(),
                false,
            )?;
            if section.trim().is_empty() {
                ui::note(&format!(
                    "There is nothing unreleased; `{}` is unchanged.",
                    file.display()
                ));
                return Ok(());
            }
            let outcome = changelog::prepend_section(
                existing.as_deref(),
                settings.policy.changelog_header(),
                &section,
            );
            return write_through_apply(&path, existing, outcome.text);
        }
        let text = changelog::render_unreleased(
            &settings.policy.changelog,
            &extras,
            &commits,
            previous.as_ref(),
            upcoming.as_ref(),
            true,
        )?;
        return emit(args, &text);
    }

    let history = repo.commits_in_order(head, None, order)?;
    let commits = changelog_commits(&repo, &settings, &history)?;
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
