//! The lock that keeps two relcut commands that change one repository from running at once: a
//! file `relcut.lock` in the repository's common git directory (shared by its linked worktrees),
//! naming the process that holds it. A lock whose process is gone is taken over.
//!
//! It owns only its own files; it never reads or writes the repository's refs, index or objects.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Problem, Result};
use crate::ui;

/// The lock's file name, in the common git directory.
pub const LOCK_FILE: &str = "relcut.lock";

/// Held while one relcut takes over a stale lock, so that two of them taking it over at once
/// cannot each delete the lock the other has just taken.
const TAKEOVER_FILE: &str = "relcut.lock.takeover";

/// A takeover lasts microseconds; a takeover file older than this was left by a killed process.
const TAKEOVER_STALE_AFTER: Duration = Duration::from_secs(10);

/// The lock this process holds, for the Ctrl-C handler, which ends the process without
/// unwinding (so without [`ReleaseLock`]'s `Drop`).
static HELD: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The lock, held until dropped: the file is deleted then, on success and on error alike.
#[derive(Debug)]
pub struct ReleaseLock {
    path: PathBuf,
}

/// What a lock file says of the process that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holder {
    pid: u32,
    host: String,
    /// When it took the lock (RFC 3339, UTC).
    started: String,
    /// The command it runs: `relcut release`, …
    command: String,
}

impl Holder {
    fn text(&self) -> String {
        format!(
            "pid={}\nhost={}\nstarted={}\ncommand={}\n",
            self.pid, self.host, self.started, self.command
        )
    }

    fn parse(text: &str) -> Option<Holder> {
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix('='))
                .map(str::trim)
        };
        Some(Holder {
            pid: field("pid")?.parse().ok()?,
            host: field("host")?.to_string(),
            started: field("started").unwrap_or("an unknown time").to_string(),
            command: field("command").unwrap_or("relcut").to_string(),
        })
    }
}

impl ReleaseLock {
    /// Takes the lock in `common_git_dir` for `command` (`relcut release`, …), taking over a lock
    /// whose process is gone. A lock held by a live process, or by one on another host (which
    /// cannot be checked from here), is a failed check that says who holds it and what to do.
    pub fn take(common_git_dir: &Path, command: &str) -> Result<ReleaseLock> {
        let path = common_git_dir.join(LOCK_FILE);
        let me = Holder {
            pid: std::process::id(),
            host: host_name(),
            started: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            command: command.to_string(),
        };
        // A few rounds: the lock may be released, or taken over, between two looks at it.
        for _ in 0..3 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    if let Err(source) = file.write_all(me.text().as_bytes()) {
                        let _ = std::fs::remove_file(&path);
                        return Err(Error::io("write", &path)(source));
                    }
                    *HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) =
                        Some(path.clone());
                    return Ok(ReleaseLock { path });
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(Error::io("create", &path)(source)),
            }
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(Error::io("read", &path)(source)),
            };
            let holder = Holder::parse(&text);
            if holder.is_none() && is_abandoned(&path) {
                take_over(common_git_dir, &path, &text)?;
                ui::note(&format!(
                    "note: took over the lock `{}`, which names no process: the relcut that created it was stopped before it wrote it.",
                    path.display()
                ));
                continue;
            }
            match &holder {
                Some(holder) if is_gone(holder, &me.host) => {
                    take_over(common_git_dir, &path, &text)?;
                    ui::note(&format!(
                        "note: took over the lock `{}` left by {} (process {} on `{}`, since {}), which is no longer running.",
                        path.display(),
                        holder.command,
                        holder.pid,
                        holder.host,
                        holder.started
                    ));
                }
                _ => {
                    return Err(Error::ChecksFailed(vec![held_problem(
                        &path,
                        holder.as_ref(),
                        &me.host,
                    )]));
                }
            }
        }
        Err(Error::ChecksFailed(vec![held_problem(
            &path, None, &me.host,
        )]))
    }
}

impl Drop for ReleaseLock {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if held.as_deref() == Some(self.path.as_path()) {
            *held = None;
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Deletes the lock this process holds, if any: for a handler about to end the process.
pub fn release_held() {
    if let Some(path) = HELD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take()
    {
        let _ = std::fs::remove_file(path);
    }
}

/// Deletes the stale lock `path`, whose text was `stale`, unless another relcut replaced it
/// meanwhile (it took the lock over first).
fn take_over(common_git_dir: &Path, path: &Path, stale: &str) -> Result<()> {
    let takeover = common_git_dir.join(TAKEOVER_FILE);
    let created = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&takeover);
    match created {
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            if is_abandoned(&takeover) {
                let _ = std::fs::remove_file(&takeover);
            }
            return Err(Error::ChecksFailed(vec![Problem {
                message: format!(
                    "another relcut is taking over the stale lock `{}` right now; run the command again in a moment",
                    path.display()
                ),
            }]));
        }
        Err(source) => return Err(Error::io("create", &takeover)(source)),
    }
    let unchanged = std::fs::read_to_string(path).is_ok_and(|text| text == stale);
    let removed = if unchanged {
        std::fs::remove_file(path).or_else(|error| match error.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(error),
        })
    } else {
        Ok(())
    };
    let _ = std::fs::remove_file(&takeover);
    removed.map_err(Error::io("delete", path))
}

/// Whether the file at `path` is older than a takeover's allowance: a takeover file, or a lock
/// that names no process (it is written right after it is created), left by a relcut stopped in
/// between.
fn is_abandoned(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|age| age > TAKEOVER_STALE_AFTER)
}

/// Whether the lock's process has ended: only a process on this host can be looked at.
fn is_gone(holder: &Holder, this_host: &str) -> bool {
    // A lock naming this very process was left by an earlier one that had the same id: a
    // container's processes get the same few ids on every start.
    holder.host == this_host
        && (holder.pid == std::process::id() || process_alive(holder.pid) == Some(false))
}

/// Whether a process with this id runs here; `None` when that cannot be told.
fn process_alive(pid: u32) -> Option<bool> {
    if pid == 0 {
        return Some(false);
    }
    if Path::new("/proc/self").exists() {
        return Some(Path::new("/proc").join(pid.to_string()).exists());
    }
    // Without /proc (macOS, the BSDs), `ps` answers for processes of every user, where
    // `kill -0` would call another user's process gone.
    std::process::Command::new("ps")
        .args(["-p", &pid.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()
        .map(|status| status.success())
}

/// This machine's name, to tell a lock taken here from one taken on another machine sharing the
/// directory (which cannot be checked from here).
fn host_name() -> String {
    let from_file = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .into_iter()
        .find_map(|file| {
            let name = std::fs::read_to_string(file).ok()?;
            let name = name.trim();
            (!name.is_empty()).then(|| name.to_string())
        });
    from_file
        .or_else(|| {
            let output = std::process::Command::new("hostname").output().ok()?;
            let name = String::from_utf8_lossy(&output.stdout).trim().to_string();
            (output.status.success() && !name.is_empty()).then_some(name)
        })
        .unwrap_or_else(|| String::from("unknown"))
}

/// The sentence for a lock held by another process (`None`: its file says nothing readable,
/// perhaps because it is being written this instant).
fn held_problem(path: &Path, holder: Option<&Holder>, this_host: &str) -> Problem {
    let shown = path.display();
    let message = match holder {
        Some(holder) if holder.host == this_host => format!(
            "another release is in progress in this repository: {} (process {}) has held `{shown}` since {}; wait for it to end, or delete `{shown}` if that process is gone",
            holder.command, holder.pid, holder.started
        ),
        Some(holder) => format!(
            "another release is in progress in this repository: {} (process {} on the host `{}`, which relcut cannot check from here) has held `{shown}` since {}; wait for it to end, or delete `{shown}` if that process is gone",
            holder.command, holder.pid, holder.host, holder.started
        ),
        None => format!(
            "another release is in progress in this repository: `{shown}` exists but does not say which process holds it; wait for it to end, or delete `{shown}` if no relcut is running"
        ),
    };
    Problem { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_file_is_read_back_as_it_was_written() {
        let holder = Holder {
            pid: 42,
            host: String::from("build-7"),
            started: String::from("2026-12-04T22:00:00Z"),
            command: String::from("relcut release"),
        };
        let rows: [(&str, Option<Holder>); 4] = [
            (&holder.text(), Some(holder.clone())),
            ("", None),
            ("pid=abc\nhost=x\n", None),
            (
                "pid=7\nhost=h\n",
                Some(Holder {
                    pid: 7,
                    host: String::from("h"),
                    started: String::from("an unknown time"),
                    command: String::from("relcut"),
                }),
            ),
        ];
        for (text, expected) in rows {
            assert_eq!(Holder::parse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn only_a_process_that_ended_on_this_host_or_had_this_ones_id_leaves_a_stale_lock() {
        let mine = Holder {
            pid: std::process::id(),
            host: String::from("here"),
            started: String::new(),
            command: String::new(),
        };
        let alive = Holder {
            pid: std::os::unix::process::parent_id(),
            ..mine.clone()
        };
        assert!(!is_gone(&alive, "here"));
        assert!(is_gone(&mine, "here"));
        let elsewhere = Holder {
            pid: 0,
            host: String::from("there"),
            ..mine.clone()
        };
        assert!(!is_gone(&elsewhere, "here"));
        let ended = Holder { pid: 0, ..mine };
        assert!(is_gone(&ended, "here"));
    }
}
