//! Release notes a person edited before confirming: they replace the rendered ones in the
//! changelog section, the changelog file and the release alike, so what was read in the preview
//! is what is released.

use crate::plan::changelog::prepend_section;
use crate::plan::policy::ReleasePolicy;
use crate::plan::{FileEdit, Plan, planned_file};

/// The plan with `notes` in place of its release notes. A plan that finishes an earlier run's
/// release commit is returned as it is: its changelog is committed already.
pub fn with_notes(mut plan: Plan, notes: &str, settings: &ReleasePolicy) -> Plan {
    if plan.resumes.is_some() {
        return plan;
    }
    let notes = notes.trim_matches('\n');
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("{notes}\n")
    };
    if let Some(changelog) = plan.changelog.as_mut() {
        // The heading and the blank lines under it stay as the template made them.
        let heading = match changelog.section.strip_suffix(plan.notes.as_str()) {
            Some(heading) if !plan.notes.is_empty() => heading.to_string(),
            _ => format!("{}\n\n", changelog.section.trim_end_matches('\n')),
        };
        changelog.section = format!("{heading}{notes}");
        if let Some(file) = plan
            .files
            .iter_mut()
            .find(|file| file.path == changelog.path)
        {
            let existing = file.exists.then_some(file.before.as_str());
            let after = prepend_section(existing, settings.changelog_header(), &changelog.section);
            *file = planned_file(
                FileEdit {
                    path: file.path.clone(),
                    reason: file.reason.clone(),
                    before: file.before.clone(),
                    after: after.text,
                },
                file.exists,
            );
        }
    }
    plan.notes = notes;
    plan
}
