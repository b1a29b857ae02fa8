//! What the project decided about its releases: the part of the settings that planning reads.
//! `config` builds it from relcut.toml, cliff.toml and the defaults; the plan only reads it.

use std::path::PathBuf;

use git_cliff_core::config::Config as CliffConfig;

use crate::plan::cliff_reading::CommitReading;
use crate::plan::conventional::BumpRules;
use crate::plan::tag_pattern::TagPattern;
use crate::plan::version::VersionPolicy;

/// How versions, tags, messages and the changelog of a release are made.
#[derive(Debug, Clone)]
pub struct ReleasePolicy {
    /// How release tags are named.
    pub tag_pattern: TagPattern,
    /// The release commit's message template.
    pub commit_message: String,
    /// The message of the commit `relcut release --sync` makes.
    pub sync_message: String,
    /// The annotated tag's message template.
    pub tag_message: String,
    /// The version of the first release when there is no tag and no version file.
    pub initial_version: semver::Version,
    /// Prerelease and major-zero knobs.
    pub version_policy: VersionPolicy,
    /// Commit type → bump level.
    pub bump_rules: BumpRules,
    /// The changelog file, relative to the root; `None` when the changelog is turned off.
    pub changelog_file: Option<PathBuf>,
    /// The git-cliff configuration that renders the changelog.
    pub changelog: CliffConfig,
    /// Whose reading of the commits the bump and the changelog share.
    pub commit_reading: CommitReading,
}

impl ReleasePolicy {
    /// The text a new changelog file starts with: the configured header, if any.
    pub fn changelog_header(&self) -> &str {
        self.changelog
            .changelog
            .header
            .as_deref()
            .unwrap_or_default()
    }
}
