//! What `release` and `publish` read and check before they can plan a GitHub release: which
//! repository, the token and what GitHub says of it, the asset files, the other versions. Every
//! problem found joins the command's list, so they are all reported together before any effect.

use std::path::{Path, PathBuf};

use crate::cli::ReleaseFlags;
use crate::config::Settings;
use crate::error::{Problem, Result};
use crate::forge::{Forge, GitHub, RepoId, content_type_for};
use crate::plan::publish::{PlannedAsset, ReleaseChoices, ReleaseSpec, release_spec};
use crate::repo::Repo;

/// Whether and where a command publishes, decided before planning.
pub(super) enum Publishing {
    /// No GitHub release, and why (shown in the plan); no reason when there is no remote at all,
    /// where a local release is all anyone expects.
    Off(Option<String>),
    /// A release on this repository, through this client.
    On {
        /// The repository.
        repo: RepoId,
        /// The client, checked against the repository.
        forge: Box<GitHub>,
        /// The repository's web page, as GitHub gave it.
        html_url: Option<String>,
        /// The asset files, found and measured.
        assets: Vec<PlannedAsset>,
    },
}

/// Decides whether the command publishes and checks everything publishing needs: a known
/// repository, a token GitHub accepts for it (one `GET /repos/{owner}/{repo}`), and assets
/// that exist. A problem is added to `problems` and publishing stays on, so the dry run and
/// the error show everything at once.
pub(super) fn prepare(
    repo: &Repo,
    settings: &Settings,
    flags: &ReleaseFlags,
    turned_off: bool,
    problems: &mut Vec<Problem>,
) -> Result<Publishing> {
    if turned_off {
        return Ok(Publishing::Off(Some(String::from(
            "turned off with `--no-publish`",
        ))));
    }
    let remote = repo.remote();
    let id = match RepoId::resolve(&settings.forge, remote.as_ref()) {
        Ok(id) => id,
        // A repository named wrongly is a mistake to fix; no GitHub repository at all only
        // means a local release (or another forge).
        Err(error) if settings.forge.repository.is_some() => return Err(error),
        Err(error) => {
            if !flags.asset.is_empty() || flags.draft {
                problems.push(Problem {
                    message: format!(
                        "`--asset` and `--draft` are for the GitHub release, but {error}"
                    ),
                });
            }
            let why = remote.is_some().then(|| error.to_string());
            return Ok(Publishing::Off(why));
        }
    };
    let assets = find_assets(repo.root(), &flags.asset, problems);
    let forge = Box::new(GitHub::new(&settings.forge)?);
    let mut html_url = None;
    if settings.forge.token.is_none() {
        problems.push(Problem {
            message: format!(
                "publishing the GitHub release of `{id}` needs a token: set `GITHUB_TOKEN` (or `GH_TOKEN`) — in a GitHub Actions workflow, `GITHUB_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}` with `permissions: contents: write` — or pass `--no-publish`"
            ),
        });
    } else {
        match forge.repository(&id) {
            Ok(found) => html_url = Some(found.html_url),
            Err(error) => problems.push(Problem {
                message: error.to_string(),
            }),
        }
    }
    Ok(Publishing::On {
        repo: id,
        forge,
        html_url,
        assets,
    })
}

impl Publishing {
    /// The release to make for `tag`, when publishing is on.
    pub(super) fn spec(
        &self,
        repo: &Repo,
        settings: &Settings,
        flags: &ReleaseFlags,
        version: &semver::Version,
        tag: &str,
        notes: &str,
    ) -> Result<Option<ReleaseSpec>> {
        let Publishing::On {
            repo: id,
            html_url,
            assets,
            ..
        } = self
        else {
            return Ok(None);
        };
        let others: Vec<semver::Version> = repo
            .version_tags(&settings.policy.tag_pattern)?
            .into_iter()
            .filter(|candidate| candidate.name != tag)
            .map(|candidate| candidate.version)
            .collect();
        let changelog_url = match (&settings.policy.changelog_file, html_url) {
            (Some(path), Some(url)) => Some(format!(
                "{url}/blob/{tag}/{}",
                path.to_string_lossy().replace('\\', "/")
            )),
            _ => None,
        };
        let repository = id.to_string();
        Ok(Some(release_spec(
            version,
            tag,
            notes,
            ReleaseChoices {
                repository: &repository,
                name_template: &settings.release_name,
                draft: flags.draft,
                assets: assets.clone(),
                changelog_url,
                other_versions: &others,
            },
        )))
    }

    /// The client, when publishing is on.
    pub(super) fn forge(&self) -> Option<&dyn Forge> {
        match self {
            Publishing::On { forge, .. } => Some(forge.as_ref()),
            Publishing::Off(_) => None,
        }
    }

    /// The repository and its web page, when publishing is on.
    pub(super) fn repository(&self) -> Option<(&RepoId, Option<&str>)> {
        match self {
            Publishing::On { repo, html_url, .. } => Some((repo, html_url.as_deref())),
            Publishing::Off(_) => None,
        }
    }

    /// Whether the release is published.
    pub(super) fn is_on(&self) -> bool {
        matches!(self, Publishing::On { .. })
    }

    /// Why there is no release, when there is none.
    pub(super) fn off_reason(&self) -> Option<&str> {
        match self {
            Publishing::Off(why) => why.as_deref(),
            Publishing::On { .. } => None,
        }
    }
}

/// The files the `--asset` globs match (read from the current directory, as a shell would),
/// relative to the root when they are inside it. A glob that matches nothing, a match that is
/// not a file, and two files of one name are problems.
fn find_assets(root: &Path, globs: &[String], problems: &mut Vec<Problem>) -> Vec<PlannedAsset> {
    let mut assets: Vec<PlannedAsset> = Vec::new();
    let here = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    for pattern in globs {
        let absolute = here.join(pattern);
        let matches = match glob::glob(&absolute.to_string_lossy()) {
            Ok(paths) => paths
                .filter_map(std::result::Result::ok)
                .collect::<Vec<_>>(),
            Err(error) => {
                problems.push(Problem {
                    message: format!("the asset pattern `{pattern}` is not a valid glob: {error}"),
                });
                continue;
            }
        };
        let files: Vec<&PathBuf> = matches.iter().filter(|path| path.is_file()).collect();
        if files.is_empty() {
            problems.push(Problem {
                message: format!(
                    "the asset pattern `{pattern}` matches no file; build the assets before releasing, or fix the pattern"
                ),
            });
            continue;
        }
        for path in files {
            let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(twin) = assets.iter().find(|asset| asset.name == name) {
                if twin.path != shown {
                    problems.push(Problem {
                        message: format!(
                            "the assets `{}` and `{}` have the same name `{name}`, and a release's assets need distinct names; rename one",
                            twin.path.display(),
                            shown.display()
                        ),
                    });
                }
                continue;
            }
            let size = match std::fs::metadata(path) {
                Ok(metadata) => metadata.len(),
                Err(error) => {
                    problems.push(Problem {
                        message: format!("cannot read the asset `{}`: {error}", shown.display()),
                    });
                    continue;
                }
            };
            assets.push(PlannedAsset {
                content_type: content_type_for(path).to_string(),
                path: shown,
                name,
                size,
            });
        }
    }
    assets
}
