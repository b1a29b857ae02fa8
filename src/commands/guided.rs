//! The guided `relcut release`, for a person at a terminal: the commits, the suggested version
//! and the other choices, a preview of everything the release does, notes edited in `$EDITOR`,
//! and a last word before anything happens. Every choice is planned with the same function as
//! an unattended release, so what the preview shows is what is done.

use semver::Version;

use crate::cli::ReleaseArgs;
use crate::commands::release::{Choice, Planned, Reading, plan};
use crate::error::{Error, Result};
use crate::outcome::ReleaseOutcome;
use crate::plan::commits::CommitAnalysis;
use crate::plan::version::{BumpRequest, validate_identifier};
use crate::plan::version_files::ParsedFiles;
use crate::plan::{self as planning};
use crate::ui::{self, interactive};

/// Walks the person through the release; `None` when they cancel (nothing is changed).
pub(super) fn choose(reading: &mut Reading, args: &ReleaseArgs) -> Result<Option<ReleaseOutcome>> {
    let analysis = crate::plan::cliff_bump::analyze(
        &reading.history.commits,
        reading
            .changelog_commits
            .as_deref()
            .unwrap_or(&reading.history.commits),
        &reading.settings.policy,
    );
    let since = reading.history.last.as_ref().map(|tag| tag.name.clone());
    ui::note(&interactive::commit_summary(&analysis, since.as_deref()));

    let mut choice = Choice {
        request: args.bump.bump.clone(),
        pre: args.bump.pre.clone(),
        notes: None,
    };
    // A version named on the command line, or a release an earlier run left unfinished, is not
    // asked for again.
    let named = !matches!(args.bump.bump, BumpRequest::Auto) || args.bump.pre.is_some();
    let unfinished = !named
        && matches!(plan(reading, args, &choice), Ok(Planned { ref outcome, .. }) if outcome.plan.resumes.is_some());
    let asks_version = !named && !unfinished;
    if asks_version {
        match pick_version(reading, &analysis)? {
            Some(picked) => choice = picked,
            None => return cancelled(),
        }
    }
    loop {
        let Planned { outcome, problems } = plan(reading, args, &choice)?;
        if !problems.is_empty() {
            return Err(Error::ChecksFailed(problems));
        }
        ui::note(&ui::render_plan(&outcome));
        let mut actions = vec![Action::Release];
        if outcome.plan.resumes.is_none() {
            actions.push(Action::EditNotes);
        }
        if asks_version {
            actions.push(Action::OtherVersion);
        }
        actions.push(Action::Cancel);
        let labels: Vec<String> = actions
            .iter()
            .map(|action| action.label(&outcome.plan.tag))
            .collect();
        match actions[interactive::select("What now?", &labels, 0)?] {
            Action::Release => return Ok(Some(outcome)),
            Action::EditNotes => {
                if let Some(notes) = interactive::edit(&outcome.plan.notes)? {
                    choice.notes = Some(notes);
                }
            }
            Action::OtherVersion => match pick_version(reading, &analysis)? {
                Some(picked) => {
                    choice = Choice {
                        notes: choice.notes,
                        ..picked
                    }
                }
                None => return cancelled(),
            },
            Action::Cancel => return cancelled(),
        }
    }
}

fn cancelled() -> Result<Option<ReleaseOutcome>> {
    ui::note("Cancelled: nothing was changed.");
    Ok(None)
}

#[derive(Debug, Clone, Copy)]
enum Action {
    Release,
    EditNotes,
    OtherVersion,
    Cancel,
}

impl Action {
    fn label(self, tag: &str) -> String {
        match self {
            Action::Release => format!("Release {tag} now"),
            Action::EditNotes => String::from("Edit the release notes first (in $EDITOR)"),
            Action::OtherVersion => String::from("Choose another version"),
            Action::Cancel => String::from("Cancel: change nothing"),
        }
    }
}

/// A version choice as the command line would say it: `--bump` and `--pre`.
type Pick = (BumpRequest, Option<String>);

/// What the versions are computed from.
struct Versions<'a> {
    current: Option<Version>,
    last_stable: Option<&'a Version>,
    analysis: &'a CommitAnalysis,
    policy: &'a planning::policy::ReleasePolicy,
    taken: &'a [Version],
}

impl Versions<'_> {
    fn next(&self, request: &BumpRequest, pre: Option<&str>) -> Option<Version> {
        planning::decide_version(
            self.current.as_ref(),
            self.last_stable,
            request,
            pre,
            self.analysis,
            self.policy,
            self.taken,
        )
        .ok()
        .map(|(version, _)| version)
    }

    /// A prerelease on `channel`: of the level the commits ask for, else continuing (or
    /// starting) a prerelease.
    fn on_channel(&self, channel: &str) -> Option<(BumpRequest, Version)> {
        [BumpRequest::Auto, BumpRequest::Prerelease]
            .into_iter()
            .find_map(|request| {
                self.next(&request, Some(channel))
                    .map(|version| (request, version))
            })
    }
}

/// Asks for the version: the suggestion, a level, a prerelease, a promotion or one typed in.
/// `None` when the person cancels.
fn pick_version(reading: &Reading, analysis: &CommitAnalysis) -> Result<Option<Choice>> {
    let files = ParsedFiles::parse(&reading.files)?;
    let (current, _) = planning::current_version(reading.history.last.as_ref(), &files)?;
    let versions = Versions {
        current,
        last_stable: reading.history.last_stable.as_ref().map(|tag| &tag.version),
        analysis,
        policy: &reading.settings.policy,
        taken: &reading.history.taken,
    };
    let mut options: Vec<(String, Option<Pick>)> = Vec::new();
    if let Some(version) = versions.next(&BumpRequest::Auto, None) {
        let why = match analysis.level {
            Some(level) => interactive::suggestion_reason(analysis, level),
            None => String::from("the prerelease's own version"),
        };
        options.push((
            format!("{why} → {version} (suggested)"),
            Some((BumpRequest::Auto, None)),
        ));
    } else {
        ui::note(
            "No commit since the last release asks for a new version; pick one to release anyway.",
        );
    }
    let is_prerelease = versions
        .current
        .as_ref()
        .is_some_and(|version| !version.pre.is_empty());
    let mut levels = vec![
        ("patch", BumpRequest::Patch),
        ("minor", BumpRequest::Minor),
        ("major", BumpRequest::Major),
    ];
    if is_prerelease {
        // From a prerelease the way on is its next prerelease or its promotion; a level skips
        // past the version being prepared.
        levels.insert(0, ("promote to stable", BumpRequest::Release));
        levels.insert(0, ("next prerelease", BumpRequest::Prerelease));
    }
    for (name, request) in levels {
        if let Some(version) = versions.next(&request, None) {
            options.push((format!("{name} → {version}"), Some((request, None))));
        }
    }
    let prerelease_at = options.len();
    options.push((
        String::from("prerelease on a channel (alpha, beta, rc, …)"),
        None,
    ));
    let custom_at = options.len();
    options.push((String::from("another version, typed in"), None));
    let cancel_at = options.len();
    options.push((String::from("Cancel: change nothing"), None));

    loop {
        let labels: Vec<String> = options.iter().map(|(label, _)| label.clone()).collect();
        let picked = interactive::select("Which version?", &labels, 0)?;
        if picked == cancel_at {
            return Ok(None);
        }
        let (request, pre) = if picked == prerelease_at {
            match pick_channel(&versions)? {
                Some(found) => found,
                None => continue,
            }
        } else if picked == custom_at {
            (
                BumpRequest::Exact(ask_version(versions.current.as_ref())?),
                None,
            )
        } else {
            options[picked]
                .1
                .clone()
                .expect("every other option names its version")
        };
        return Ok(Some(Choice {
            request,
            pre,
            notes: None,
        }));
    }
}

/// Asks for the prerelease channel; `None` to go back.
fn pick_channel(versions: &Versions<'_>) -> Result<Option<Pick>> {
    let mut options: Vec<(String, Option<(BumpRequest, String)>)> = Vec::new();
    for channel in ["alpha", "beta", "rc"] {
        if let Some((request, version)) = versions.on_channel(channel) {
            options.push((
                format!("{channel} → {version}"),
                Some((request, channel.to_string())),
            ));
        }
    }
    let other_at = options.len();
    options.push((String::from("another identifier, typed in"), None));
    options.push((String::from("Back"), None));
    let labels: Vec<String> = options.iter().map(|(label, _)| label.clone()).collect();
    let picked = interactive::select("Which prerelease channel?", &labels, 0)?;
    if picked == other_at {
        let found = interactive::input("Prerelease identifier", |text| {
            validate_identifier(text).map_err(|error| error.to_string())?;
            versions
                .on_channel(text)
                .map(|(request, _)| (request, text.to_string()))
                .ok_or_else(|| format!("no version can be made on the channel `{text}` from here"))
        })?;
        return Ok(Some((found.0, Some(found.1))));
    }
    Ok(options[picked]
        .1
        .clone()
        .map(|(request, channel)| (request, Some(channel))))
}

/// Asks for a version until one parses and is above the current one.
fn ask_version(current: Option<&Version>) -> Result<Version> {
    interactive::input("Version (X.Y.Z or X.Y.Z-pre.N)", |text| {
        custom_version(text, current)
    })
}

/// A version typed in: SemVer, an optional leading `v`, above `current`.
fn custom_version(text: &str, current: Option<&Version>) -> std::result::Result<Version, String> {
    let bare = text.strip_prefix('v').unwrap_or(text);
    let version = Version::parse(bare).map_err(|error| {
        format!("`{text}` is not a SemVer version ({error}); type e.g. 1.4.0 or 2.0.0-rc.1")
    })?;
    if let Some(current) = current {
        let key = |v: &Version| (v.major, v.minor, v.patch, v.pre.clone());
        if key(&version) <= key(current) {
            return Err(format!(
                "{version} is not above the current version {current}; type a higher one"
            ));
        }
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::custom_version;

    #[test]
    fn a_typed_version_must_parse_and_be_above_the_current_one() {
        let current = semver::Version::parse("1.3.0-rc.1").unwrap();
        assert_eq!(
            custom_version("v1.3.0", Some(&current))
                .unwrap()
                .to_string(),
            "1.3.0"
        );
        assert_eq!(
            custom_version("1.3.0-rc.2", Some(&current))
                .unwrap()
                .to_string(),
            "1.3.0-rc.2"
        );
        assert_eq!(
            custom_version("1.3.0-rc.1", Some(&current)).unwrap_err(),
            "1.3.0-rc.1 is not above the current version 1.3.0-rc.1; type a higher one"
        );
        assert!(
            custom_version("1.3", Some(&current))
                .unwrap_err()
                .starts_with("`1.3` is not a SemVer version")
        );
        assert!(custom_version("0.0.1", None).is_ok());
    }
}
