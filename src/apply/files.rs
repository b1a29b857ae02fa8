//! Writing the planned files all or nothing: every file is checked, then written beside itself
//! and renamed into place; if any step fails, the files already replaced are restored.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::PlannedFile;

/// A file replaced so far, kept to restore it if a later file fails.
struct Replaced {
    path: PathBuf,
    original: Option<Vec<u8>>,
}

/// Writes every planned file under `root`, or none of them.
pub fn write_all(root: &Path, files: &[PlannedFile]) -> Result<()> {
    write_all_with(root, files, &mut |from, to| fs::rename(from, to))
}

/// [`write_all`] with the rename step given, so tests can make it fail part way (as a full
/// disk or a vanished directory would) and prove the files already replaced come back.
fn write_all_with(
    root: &Path,
    files: &[PlannedFile],
    rename: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<()> {
    let mut targets = Vec::with_capacity(files.len());
    for file in files {
        verify_unchanged(root, file)?;
        targets.push(writable_target(root, file).map_err(|refusal| refusal.into_error(file))?);
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    for (file, target) in files.iter().zip(targets) {
        match stage(&target, file) {
            Ok(temporary) => staged.push((temporary, target)),
            Err(error) => {
                discard(&staged);
                return Err(error);
            }
        }
    }
    let mut replaced: Vec<Replaced> = Vec::with_capacity(files.len());
    for (index, (temporary, target)) in staged.iter().enumerate() {
        let original = fs::read(target).ok();
        if let Err(source) = rename(temporary, target) {
            restore(&replaced);
            discard(&staged[index..]);
            return Err(Error::Io {
                action: "replace",
                path: files[index].path.clone(),
                source,
            });
        }
        replaced.push(Replaced {
            path: target.clone(),
            original,
        });
    }
    Ok(())
}

/// Puts every planned file back as it was before the plan wrote it (removing new ones); used
/// when a later step of the release fails, so the work tree ends as it started.
pub fn put_back(root: &Path, files: &[PlannedFile]) -> Result<()> {
    for file in files.iter().rev() {
        let path = root.join(&file.path);
        let outcome = if file.exists {
            fs::write(&path, file.before.as_bytes())
        } else {
            fs::remove_file(&path)
        };
        outcome.map_err(Error::io("restore", &file.path))?;
    }
    Ok(())
}

/// Refuses to overwrite a file that changed after the plan read it.
fn verify_unchanged(root: &Path, file: &PlannedFile) -> Result<()> {
    let path = root.join(&file.path);
    match fs::read(&path) {
        Ok(bytes) if file.exists && bytes == file.before.as_bytes() => Ok(()),
        Err(error) if !file.exists && error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Ok(_) | Err(_) => Err(Error::Io {
            action: "update",
            path: file.path.clone(),
            source: std::io::Error::other(
                "the file changed after relcut read it; nothing was written, run relcut again",
            ),
        }),
    }
}

/// Why a planned file cannot be written, found before anything is.
enum Refusal {
    ReadOnly,
    LinkOutside(PathBuf),
    Unresolvable(std::io::Error),
}

impl Refusal {
    /// The clause after "cannot write `file`: ".
    fn reason(&self) -> String {
        match self {
            Refusal::ReadOnly => {
                String::from("the file is read-only; make it writable and run relcut again")
            }
            Refusal::LinkOutside(resolved) => format!(
                "it is a symbolic link to `{}`, outside the repository; relcut writes only inside it, so point the link inside or list the real file",
                resolved.display()
            ),
            Refusal::Unresolvable(error) => {
                format!("it is a symbolic link that cannot be followed ({error}); fix or remove it")
            }
        }
    }

    fn into_error(self, file: &PlannedFile) -> Error {
        let kind = match &self {
            Refusal::ReadOnly => std::io::ErrorKind::PermissionDenied,
            _ => std::io::ErrorKind::Other,
        };
        Error::Io {
            action: "write",
            path: file.path.clone(),
            source: std::io::Error::new(kind, self.reason()),
        }
    }
}

/// The planned files that cannot be written, each as a sentence, so the checks can report them
/// with the others before the release asks for confirmation or changes anything. Reads only.
pub fn unwritable(root: &Path, files: &[PlannedFile]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| {
            writable_target(root, file)
                .err()
                .map(|refusal| (file, refusal))
        })
        .map(|(file, refusal)| {
            format!(
                "cannot write `{}`: {}",
                file.path.display(),
                refusal.reason()
            )
        })
        .collect()
}

/// The file to replace for `file`: its path, or, for a symbolic link, the file it points at, so
/// the link stays a link (renaming over it would turn it into a copy). Refused: a read-only file,
/// and a link that leads out of the repository (relcut writes only inside it).
fn writable_target(root: &Path, file: &PlannedFile) -> std::result::Result<PathBuf, Refusal> {
    let path = root.join(&file.path);
    let is_link =
        fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.file_type().is_symlink());
    let target = if is_link {
        let resolved = fs::canonicalize(&path).map_err(Refusal::Unresolvable)?;
        let root = fs::canonicalize(root).map_err(Refusal::Unresolvable)?;
        if !resolved.starts_with(&root) {
            return Err(Refusal::LinkOutside(resolved));
        }
        resolved
    } else {
        path
    };
    match fs::metadata(&target) {
        Ok(metadata) if metadata.permissions().readonly() => Err(Refusal::ReadOnly),
        _ => Ok(target),
    }
}

/// Where the symbolic link at `path` points, relative to `root`, when it is a link to a file in
/// the repository.
pub fn link_destination(root: &Path, path: &Path) -> Option<PathBuf> {
    let full = root.join(path);
    if !fs::symlink_metadata(&full).ok()?.file_type().is_symlink() {
        return None;
    }
    let resolved = fs::canonicalize(&full).ok()?;
    let root = fs::canonicalize(root).ok()?;
    resolved.strip_prefix(&root).ok().map(Path::to_path_buf)
}

/// Writes the new text to a temporary file beside `target`, with the target's permissions.
fn stage(target: &Path, file: &PlannedFile) -> Result<PathBuf> {
    let directory = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = directory.join(format!(".{name}.relcut-{}", std::process::id()));
    let permissions = fs::metadata(target)
        .ok()
        .map(|metadata| metadata.permissions());
    let written = fs::write(&temporary, file.after.as_bytes()).and_then(|()| match permissions {
        Some(permissions) => fs::set_permissions(&temporary, permissions),
        None => Ok(()),
    });
    if let Err(source) = written {
        let _ = fs::remove_file(&temporary);
        return Err(Error::Io {
            action: "write",
            path: file.path.clone(),
            source,
        });
    }
    Ok(temporary)
}

fn discard(staged: &[(PathBuf, PathBuf)]) {
    for (temporary, _) in staged {
        let _ = fs::remove_file(temporary);
    }
}

/// Puts back what was replaced, newest first; best effort, since we are already failing.
fn restore(replaced: &[Replaced]) {
    for file in replaced.iter().rev() {
        let _ = match &file.original {
            Some(bytes) => fs::write(&file.path, bytes),
            None => fs::remove_file(&file.path),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(path: &str, before: &str, after: &str, exists: bool) -> PlannedFile {
        PlannedFile {
            path: PathBuf::from(path),
            reason: String::new(),
            before: before.to_string(),
            exists,
            after: after.to_string(),
            diff: String::new(),
        }
    }

    #[test]
    fn writes_every_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("VERSION"), "1.0.0\n").unwrap();
        let files = [
            planned("VERSION", "1.0.0\n", "1.1.0\n", true),
            planned("CHANGELOG.md", "", "# Changelog\n", false),
        ];
        write_all(dir.path(), &files).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("VERSION")).unwrap(),
            "1.1.0\n"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("CHANGELOG.md")).unwrap(),
            "# Changelog\n"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_name().to_string_lossy().contains("relcut-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    /// The files of `dir` other than relcut's temporaries, with their text.
    fn contents(dir: &Path) -> Vec<(String, String)> {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap())
            .map(|entry| {
                (
                    entry.file_name().to_string_lossy().into_owned(),
                    fs::read_to_string(entry.path()).unwrap(),
                )
            })
            .collect();
        entries.sort();
        entries
    }

    fn three_files(dir: &Path) -> [PlannedFile; 3] {
        fs::write(dir.join("VERSION"), "1.0.0\n").unwrap();
        fs::write(dir.join("package.json"), "{\"version\": \"1.0.0\"}\n").unwrap();
        fs::write(
            dir.join("pyproject.toml"),
            "[project]\nversion = \"1.0.0\"\n",
        )
        .unwrap();
        [
            planned("VERSION", "1.0.0\n", "1.1.0\n", true),
            planned(
                "package.json",
                "{\"version\": \"1.0.0\"}\n",
                "{\"version\": \"1.1.0\"}\n",
                true,
            ),
            planned(
                "pyproject.toml",
                "[project]\nversion = \"1.0.0\"\n",
                "[project]\nversion = \"1.1.0\"\n",
                true,
            ),
        ]
    }

    #[test]
    fn a_failure_after_some_files_were_replaced_puts_them_back() {
        for failing in 0..3 {
            let dir = tempfile::tempdir().unwrap();
            let files = three_files(dir.path());
            let before = contents(dir.path());
            let mut renames = 0;
            let error = write_all_with(dir.path(), &files, &mut |from, to| {
                renames += 1;
                if renames == failing + 1 {
                    return Err(std::io::Error::other("no space left on device"));
                }
                fs::rename(from, to)
            })
            .unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains(&files[failing].path.display().to_string()),
                "{error}"
            );
            // Everything as it was, temporaries included: nothing half-written is left.
            assert_eq!(contents(dir.path()), before, "failing rename {failing}");
        }
    }

    #[test]
    fn a_read_only_file_in_the_middle_stops_everything() {
        let dir = tempfile::tempdir().unwrap();
        let files = three_files(dir.path());
        let middle = dir.path().join("package.json");
        let mut permissions = fs::metadata(&middle).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&middle, permissions).unwrap();
        let before = contents(dir.path());
        let error = write_all(dir.path(), &files).unwrap_err();
        assert_eq!(error.to_string(), "cannot write `package.json`");
        assert_eq!(
            std::error::Error::source(&error).unwrap().to_string(),
            "the file is read-only; make it writable and run relcut again"
        );
        assert_eq!(contents(dir.path()), before);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link_and_its_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("packaging")).unwrap();
        fs::write(dir.path().join("packaging/VERSION"), "1.0.0\n").unwrap();
        std::os::unix::fs::symlink("packaging/VERSION", dir.path().join("VERSION")).unwrap();
        write_all(
            dir.path(),
            &[planned("VERSION", "1.0.0\n", "1.1.0\n", true)],
        )
        .unwrap();
        let link = fs::symlink_metadata(dir.path().join("VERSION")).unwrap();
        assert!(link.file_type().is_symlink());
        assert_eq!(
            fs::read_to_string(dir.path().join("packaging/VERSION")).unwrap(),
            "1.1.0\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_repository_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("VERSION"), "1.0.0\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Cargo.toml"), "version = \"1.0.0\"\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("VERSION"), dir.path().join("VERSION"))
            .unwrap();
        let files = [
            planned(
                "Cargo.toml",
                "version = \"1.0.0\"\n",
                "version = \"1.1.0\"\n",
                true,
            ),
            planned("VERSION", "1.0.0\n", "1.1.0\n", true),
        ];
        let error = write_all(dir.path(), &files).unwrap_err();
        assert_eq!(error.to_string(), "cannot write `VERSION`");
        let cause = std::error::Error::source(&error).unwrap().to_string();
        assert!(cause.contains("outside the repository"), "{cause}");
        assert_eq!(
            fs::read_to_string(outside.path().join("VERSION")).unwrap(),
            "1.0.0\n"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
            "version = \"1.0.0\"\n"
        );
    }

    #[test]
    fn a_file_changed_since_the_plan_stops_everything() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("VERSION"), "1.0.0\n").unwrap();
        fs::write(dir.path().join("Cargo.toml"), "edited by someone\n").unwrap();
        let files = [
            planned("VERSION", "1.0.0\n", "1.1.0\n", true),
            planned(
                "Cargo.toml",
                "version = \"1.0.0\"\n",
                "version = \"1.1.0\"\n",
                true,
            ),
        ];
        let error = write_all(dir.path(), &files).unwrap_err();
        assert!(error.to_string().contains("Cargo.toml"), "{error}");
        assert_eq!(
            fs::read_to_string(dir.path().join("VERSION")).unwrap(),
            "1.0.0\n"
        );
    }
}
