//! `relcut deploy VERSION --to TARGET` and `relcut rollback --to TARGET`: one target, by hand,
//! for a version that has a release tag. Checked before anything is sent: the target, the
//! version, the repository and the token; the deploy itself is the same step a release runs.

use crate::cli::{DeployArgs, ReleaseFlags, RollbackArgs, WaitFlags};
use crate::commands::deploying::{self, Follow, Where};
use crate::commands::{Gate, open, pass_gate, publishing};
use crate::config::Settings;
use crate::error::{Error, Problem, Result};
use crate::outcome::DeployOutcome;
use crate::plan::deploy::{self, DeployOnce, DeployTarget, When};
use crate::repo::Repo;
use crate::ui;

pub fn run_deploy(args: &DeployArgs) -> Result<()> {
    let (repo, settings) = open()?;
    let target = deploying::target(&settings, &args.target)?;
    let releases = deploying::releases(&repo, &settings)?;
    let (version, tag) = deploy::find_release(&args.version, &releases).map_err(Error::Usage)?;
    if target.on == When::Stable && !version.pre.is_empty() {
        return Err(Error::Usage(format!(
            "`{}` takes stable versions only (`on = \"stable\"` in relcut.toml), and {version} is a prerelease; deploy a stable version, or the prerelease to a prerelease target",
            target.name
        )));
    }
    let previous = releases
        .iter()
        .map(|(version, _)| version)
        .find(|earlier| *earlier < &version)
        .cloned();
    let by_hand = ByHand {
        command: "deploy",
        target,
        version,
        tag,
        previous,
        once: DeployOnce::PerVersion,
        again: format!("relcut deploy {} --to {}", args.version, args.target),
    };
    by_hand.run(
        &repo,
        &settings,
        &args.wait,
        args.dry_run,
        args.json,
        args.yes,
    )
}

pub fn run_rollback(args: &RollbackArgs) -> Result<()> {
    let (repo, settings) = open()?;
    let target = deploying::target(&settings, &args.target)?;
    let releases = deploying::releases(&repo, &settings)?;
    let Some((newest, newest_tag)) = deploy::newest_for(target.on, &releases) else {
        return Err(Error::Usage(format!(
            "`{}` has no release to roll back from: no release tag is a version it takes",
            target.name
        )));
    };
    let Some((version, tag)) = deploy::previous_for(target.on, &releases, &newest) else {
        return Err(Error::Usage(format!(
            "`{}` has nothing to roll back to: {newest_tag} is the only release it takes",
            target.name
        )));
    };
    let by_hand = ByHand {
        command: "rollback",
        target,
        version,
        tag,
        previous: Some(newest),
        once: DeployOnce::UnlessCurrent,
        again: format!("relcut rollback --to {}", args.target),
    };
    by_hand.run(
        &repo,
        &settings,
        &args.wait,
        args.dry_run,
        args.json,
        args.yes,
    )
}

/// One deploy asked for by hand.
struct ByHand<'s> {
    /// `deploy` or `rollback`.
    command: &'static str,
    target: &'s DeployTarget,
    version: semver::Version,
    tag: String,
    /// For a deploy, the release before it; for a rollback, the version rolled back from.
    previous: Option<semver::Version>,
    once: DeployOnce,
    again: String,
}

impl ByHand<'_> {
    fn run(
        &self,
        repo: &Repo,
        settings: &Settings,
        wait: &WaitFlags,
        dry_run: bool,
        json: bool,
        yes: bool,
    ) -> Result<()> {
        let mut problems: Vec<Problem> = Vec::new();
        let publishing = publishing::prepare(
            repo,
            settings,
            &ReleaseFlags::default(),
            false,
            &mut problems,
        )?;
        let Some((repo_id, html_url)) = publishing.repository() else {
            return Err(Error::Usage(format!(
                "a deploy is sent to GitHub, and {}",
                publishing.off_reason().unwrap_or(
                    "this repository has no GitHub remote; set `GITHUB_REPOSITORY=OWNER/REPO`"
                )
            )));
        };
        let at = Where {
            repo: repo_id,
            html_url,
        };
        let how = Follow {
            settings,
            repo,
            forge: publishing
                .forge()
                .expect("publishing is on: its repository is known"),
            at,
            wait: wait.wait,
            timeout: wait.wait_timeout,
            rollback_on_failure: false,
            again: &self.again,
        };
        let steps = deploying::by_hand_steps(
            &how,
            self.target,
            &self.version,
            &self.tag,
            self.previous.as_ref(),
            self.once,
        )?;
        problems.extend(deploying::limit_problems(settings, &steps));
        problems.extend(deploying::starts_problems(repo, settings, &steps));
        let mut outcome = DeployOutcome {
            schema_version: ui::JSON_SCHEMA_VERSION,
            dry_run: true,
            command: self.command,
            target: self.target.name.clone(),
            version: self.version.to_string(),
            tag: self.tag.clone(),
            plan_steps: steps,
            deploys: Vec::new(),
            problems: Vec::new(),
        };
        let gate = Gate {
            dry_run,
            json,
            yes,
            what: self.command,
        };
        let print_json = |problems: &[Problem]| {
            let mut shown = outcome.clone();
            shown.problems = problems.to_vec();
            ui::out_json(&shown)
        };
        let question = format!("Deploy {} to `{}`?", self.version, self.target.name);
        if !pass_gate(
            &gate,
            problems,
            &|| ui::render_deploy_plan(&outcome),
            &print_json,
            &question,
        )? {
            return Ok(());
        }
        let deployed = deploying::run_deploy_step(&how, &outcome.plan_steps)?;
        let followed = deploying::follow_deploys(&how, &[deployed])?;
        outcome.dry_run = false;
        outcome.deploys = followed.reports;
        if json {
            ui::out_json(&outcome)?;
        } else {
            ui::print_deploys(&outcome.deploys)?;
        }
        ui::actions::report(&crate::ci::Report::of_deploy(&outcome));
        match followed.failure {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}
