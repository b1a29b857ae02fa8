//! The publish step: the GitHub release of a tag, with its assets, made so that running the
//! command again after any failure finishes it and never makes a second release.
//!
//! The forge is asked what exists before anything is made: the published release for the tag,
//! else a draft an earlier run left (GitHub's lookup by tag never returns drafts, so drafts are
//! found by listing). A create whose answer was lost is looked up again before it is retried.
//! With assets, the release is made as a draft, the assets are uploaded, and only then is it
//! published, so a public release never lacks an asset. Nothing here decides what the release
//! says: the plan did.

use std::path::Path;

use crate::error::{Error, Result};
use crate::forge::retry::RetryPolicy;
use crate::forge::{Asset, Forge, NewRelease, Release, ReleaseUpdate, RepoId};
use crate::plan::publish::{PlannedAsset, ReleaseSpec};

/// The release as the forge has it for a tag.
#[derive(Debug, Clone)]
pub enum Found {
    /// A published release.
    Published(Release),
    /// A draft (of an earlier run, or left on purpose).
    Draft(Release),
    /// No release at all.
    Missing,
}

/// What exists for `tag`: the published release, else a draft, else nothing.
pub fn find(forge: &dyn Forge, repo: &RepoId, tag: &str) -> Result<Found> {
    if let Some(release) = forge.release_by_tag(repo, tag)? {
        return Ok(if release.draft {
            Found::Draft(release)
        } else {
            Found::Published(release)
        });
    }
    Ok(match forge.draft_for_tag(repo, tag)? {
        Some(release) => Found::Draft(release),
        None => Found::Missing,
    })
}

/// Whether the release the spec describes is complete on the forge: there, published unless a
/// draft was asked for, and holding every asset (by name and size).
pub fn is_complete(found: &Found, spec: &ReleaseSpec) -> bool {
    match found {
        Found::Published(release) => assets_complete(&release.assets, &spec.assets),
        Found::Draft(release) => spec.draft && assets_complete(&release.assets, &spec.assets),
        Found::Missing => false,
    }
}

/// Every planned asset is there, uploaded, with its size.
fn assets_complete(present: &[Asset], planned: &[PlannedAsset]) -> bool {
    planned
        .iter()
        .all(|asset| present.iter().any(|found| is_the_asset(found, asset)))
}

fn is_the_asset(found: &Asset, planned: &PlannedAsset) -> bool {
    found.name == planned.name && found.size == planned.size && found.state == "uploaded"
}

/// Makes what is missing of the release, starting from what `found` says exists, and returns
/// the release as it stands at the end.
pub fn publish(
    forge: &dyn Forge,
    repo: &RepoId,
    spec: &ReleaseSpec,
    found: Found,
    root: &Path,
    retry: &RetryPolicy,
) -> Result<Release> {
    let mut release = match found {
        Found::Published(release) | Found::Draft(release) => release,
        Found::Missing => create(forge, repo, spec, retry)?,
    };
    if !spec.assets.is_empty() {
        upload_missing(forge, repo, &release, &spec.assets, root, retry)?;
        release.assets = forge.release_assets(repo, release.id)?;
    }
    if release.draft && !spec.draft {
        let assets = std::mem::take(&mut release.assets);
        release = forge.update_release(
            repo,
            release.id,
            &ReleaseUpdate {
                draft: Some(false),
                make_latest: Some(spec.latest),
                ..ReleaseUpdate::default()
            },
        )?;
        if release.assets.is_empty() {
            release.assets = assets;
        }
    }
    Ok(release)
}

/// Creates the release — a draft when assets follow or a draft was asked for — looking it up
/// again whenever GitHub's answer leaves in doubt whether it was made.
fn create(
    forge: &dyn Forge,
    repo: &RepoId,
    spec: &ReleaseSpec,
    retry: &RetryPolicy,
) -> Result<Release> {
    let new = NewRelease {
        tag_name: spec.tag.clone(),
        // The tag is on the remote before this step; GitHub must never make one itself.
        target_commitish: None,
        name: spec.name.clone(),
        body: spec.body.clone(),
        draft: spec.draft || !spec.assets.is_empty(),
        prerelease: spec.prerelease,
        make_latest: spec.latest && !spec.draft && spec.assets.is_empty(),
    };
    let mut backoff = retry.pauses();
    loop {
        let error = match forge.create_release(repo, &new) {
            Ok(release) => return Ok(release),
            Err(error @ Error::ForgeInDoubt(_)) => error,
            // A release for the tag appeared since the probe (another run, a person): it is
            // the release, not a second one to make.
            Err(error) if is_already_exists(&error) => error,
            Err(error) => return Err(error),
        };
        match find(forge, repo, &spec.tag)? {
            Found::Published(release) | Found::Draft(release) => return Ok(release),
            Found::Missing => {}
        }
        match backoff.next_pause() {
            Some(pause) => crate::interruption::wait(pause)?,
            None => return Err(error),
        }
    }
}

fn is_already_exists(error: &Error) -> bool {
    matches!(error, Error::Forge(message) if message.contains("already_exists"))
}

/// Uploads each planned asset the release lacks. A partial or different asset of the same name
/// (an upload cut off in an earlier run) is deleted first; an upload whose answer was lost is
/// checked by listing before it is tried again.
fn upload_missing(
    forge: &dyn Forge,
    repo: &RepoId,
    release: &Release,
    planned: &[PlannedAsset],
    root: &Path,
    retry: &RetryPolicy,
) -> Result<()> {
    let mut present = forge.release_assets(repo, release.id)?;
    for asset in planned {
        if present.iter().any(|found| is_the_asset(found, asset)) {
            continue;
        }
        if let Some(stale) = present.iter().find(|found| found.name == asset.name) {
            forge.delete_asset(repo, stale.id)?;
        }
        let path = root.join(&asset.path);
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            action: "read the asset",
            path: path.clone(),
            source,
        })?;
        if bytes.len() as u64 != asset.size {
            return Err(Error::Usage(format!(
                "the asset `{}` changed since the release was planned ({} bytes then, {} now); run the command again",
                asset.path.display(),
                asset.size,
                bytes.len()
            )));
        }
        let mut backoff = retry.pauses();
        loop {
            let error = match forge.upload_asset(
                release,
                &asset.name,
                &asset.content_type,
                bytes.clone(),
            ) {
                Ok(_) => break,
                Err(error @ Error::ForgeInDoubt(_)) => error,
                Err(error) => return Err(error),
            };
            present = forge.release_assets(repo, release.id)?;
            if present.iter().any(|found| is_the_asset(found, asset)) {
                break;
            }
            if let Some(partial) = present.iter().find(|found| found.name == asset.name) {
                forge.delete_asset(repo, partial.id)?;
            }
            match backoff.next_pause() {
                Some(pause) => crate::interruption::wait(pause)?,
                None => return Err(error),
            }
        }
    }
    Ok(())
}
