//! A real temporary git repository per test, a bare remote beside it when asked, and the built
//! relcut binary run inside it with a pinned clock and an isolated git configuration.

use std::path::PathBuf;
use std::process::{Command, Output};

use tempfile::TempDir;

/// The release time relcut sees in tests: 2026-11-21T12:00:00Z.
pub const RELEASE_EPOCH: &str = "1795262400";

/// A scratch repository built step by step.
pub struct TestRepo {
    dir: TempDir,
    clock: std::cell::Cell<i64>,
}

/// What a relcut run printed and how it ended.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    /// Fails the test with both streams when the run did not succeed.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(
            self.code, 0,
            "relcut failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Fails the test unless the run exited with `code`.
    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl TestRepo {
    /// `git init -b main` with an identity and no signing, isolated from the user's configuration.
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::create_dir(dir.path().join("work")).unwrap();
        std::fs::write(
            dir.path().join("gitconfig"),
            "[user]\n\tname = Test Author\n\temail = author@example.com\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        let repo = TestRepo {
            dir,
            clock: std::cell::Cell::new(1_767_225_600), // 2026-01-01T00:00:00Z
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// The work tree.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// The temporary directory holding the work tree, for scratch repositories beside it.
    pub fn scratch(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Runs git in `directory` with this repository's configuration; fails the test if git fails.
    #[track_caller]
    pub fn git_in(&self, directory: &std::path::Path, args: &[&str]) -> String {
        let output = self
            .base_command("git")
            .current_dir(directory)
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn base_command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        let now = self.clock.get();
        command
            .current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("GIT_CONFIG_GLOBAL", self.dir.path().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", format!("@{now} +0000"))
            .env("GIT_COMMITTER_DATE", format!("@{now} +0000"))
            .env("LANG", "C");
        command
    }

    /// Runs git and returns its standard output; fails the test if git fails.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.path(), args)
    }

    /// Writes a file in the work tree, creating directories.
    pub fn write(&self, path: &str, contents: &str) -> &TestRepo {
        let full = self.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(full, contents).unwrap();
        self
    }

    /// Reads a file in the work tree.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path))
            .unwrap_or_else(|error| panic!("read {path}: {error}"))
    }

    /// Stages everything and commits with a pinned date one minute after the previous commit.
    pub fn commit(&self, message: &str) -> String {
        self.clock.set(self.clock.get() + 60);
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.head()
    }

    /// Commits everything with the given author and committer time, which may go back (the
    /// clock of [`TestRepo::commit`] only goes forward).
    pub fn commit_dated(&self, message: &str, time: i64) -> String {
        self.git(&["add", "-A"]);
        let tree = self.git(&["write-tree"]).trim().to_string();
        let parent = self.head();
        let object = format!(
            "tree {tree}\nparent {parent}\nauthor Test Author <author@example.com> {time} +0000\ncommitter Test Author <author@example.com> {time} +0000\n\n{message}\n"
        );
        let file = self.path().join(".git/dated-commit");
        std::fs::write(&file, object).unwrap();
        let id = self
            .git(&["hash-object", "-t", "commit", "-w", file.to_str().unwrap()])
            .trim()
            .to_string();
        self.git(&["reset", "-q", "--hard", &id]);
        id
    }

    /// The commit at HEAD.
    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// A lightweight tag at HEAD.
    pub fn tag(&self, name: &str) {
        self.git(&["tag", name]);
    }

    /// An annotated tag at HEAD.
    pub fn tag_annotated(&self, name: &str, message: &str) {
        self.git(&["tag", "-a", name, "-m", message]);
    }

    /// Every ref with its target, to prove a run changed none.
    pub fn refs(&self) -> String {
        self.git(&["for-each-ref", "--format=%(refname) %(objectname)"])
    }

    /// The index's bytes.
    pub fn index(&self) -> Vec<u8> {
        std::fs::read(self.path().join(".git/index")).unwrap_or_default()
    }

    /// The relcut command as `relcut_with` runs it, for a test that wires its streams itself.
    pub fn relcut_command(&self, args: &[&str]) -> Command {
        self.clock.set(self.clock.get() + 60);
        let mut command = self.base_command(env!("CARGO_BIN_EXE_relcut"));
        command.args(args).env("SOURCE_DATE_EPOCH", RELEASE_EPOCH);
        command
    }

    /// Runs the built relcut binary in the work tree.
    pub fn relcut(&self, args: &[&str]) -> Run {
        self.relcut_with(args, &[])
    }

    /// Runs relcut with extra environment variables.
    pub fn relcut_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.relcut_in(&self.path(), args, env)
    }

    /// Runs relcut in another directory (with this repository's clock and git configuration).
    pub fn relcut_in(
        &self,
        directory: &std::path::Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Run {
        self.clock.set(self.clock.get() + 60);
        let mut command = self.base_command(env!("CARGO_BIN_EXE_relcut"));
        command
            .current_dir(directory)
            .args(args)
            .env("SOURCE_DATE_EPOCH", RELEASE_EPOCH);
        for (key, value) in env {
            command.env(key, value);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = command.output().expect("relcut runs");
        Run {
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            code: status.code().unwrap_or(-1),
        }
    }

    /// Appends `count` commits (`feat: change N`, one file each) with one `git fast-import`, tagging
    /// every `tag_every`-th commit `v0.N.0`; for histories too long to build commit by commit.
    pub fn import_linear_history(&self, count: usize, tag_every: usize) {
        use std::io::Write;
        let mut stream = String::new();
        for index in 1..=count {
            let time = 1_767_225_600 + index as i64 * 60;
            let message = format!("feat: change {index}");
            stream.push_str(&format!(
                "commit refs/heads/main\nmark :{index}\ncommitter Test Author <author@example.com> {time} +0000\ndata {}\n{message}\n",
                message.len()
            ));
            if index > 1 {
                stream.push_str(&format!("from :{}\n", index - 1));
            }
            let content = format!("{index}\n");
            stream.push_str(&format!(
                "M 644 inline counter\ndata {}\n{content}\n",
                content.len()
            ));
            if index % tag_every == 0 {
                stream.push_str(&format!(
                    "reset refs/tags/v0.{}.0\nfrom :{index}\n\n",
                    index / tag_every
                ));
            }
        }
        let mut child = self
            .base_command("git")
            .args(["fast-import", "--quiet"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("git fast-import runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        self.git(&["reset", "-q", "--hard", "main"]);
    }

    /// A bare repository beside the work tree, added as `origin` with the given URL shown to
    /// relcut through `url.<base>.insteadOf`, so links can be tested without a network.
    pub fn add_github_origin(&self, owner: &str, name: &str) -> PathBuf {
        let bare = self.dir.path().join("remote.git");
        let status = Command::new("git")
            .args(["init", "-q", "--bare", "-b", "main"])
            .arg(&bare)
            .env("GIT_CONFIG_GLOBAL", self.dir.path().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap();
        assert!(status.success());
        let url = format!("https://github.com/{owner}/{name}.git");
        self.git(&["remote", "add", "origin", &url]);
        self.git(&["config", &format!("url.{}.insteadOf", bare.display()), &url]);
        bare
    }
}

/// Replaces the temporary directory in output with a placeholder for snapshots.
pub fn scrub(repo: &TestRepo, text: &str) -> String {
    text.replace(&repo.path().display().to_string(), "[REPO]")
}

/// relcut running on a pseudo-terminal (through util-linux `script`), so it prompts as it does
/// for a person: the test reads what it shows and types the answers.
pub struct TerminalSession {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl TerminalSession {
    /// Waits until the screen shows `text`; a guard against hanging, not a timing assertion.
    #[track_caller]
    pub fn wait_for(&self, text: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::time::Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("the terminal never showed {text:?}:\n{}", self.screen());
    }

    /// Everything shown so far.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).replace("\r\n", "\n")
    }

    /// Types `keys`.
    pub fn type_keys(&mut self, keys: &str) {
        use std::io::Write;
        self.input.write_all(keys.as_bytes()).unwrap();
        self.input.flush().unwrap();
    }

    /// Presses each key in turn, waiting for the screen to answer each before the next: a
    /// prompt reading an escape sequence may read ahead and drop keys typed in one burst.
    #[track_caller]
    pub fn press(&mut self, keys: &[&str]) {
        for key in keys {
            let before = self.output.lock().unwrap().len();
            self.type_keys(key);
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while self.output.lock().unwrap().len() == before {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the terminal never answered {key:?}:\n{}",
                    self.screen()
                );
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }

    /// Types `text` a character at a time, as [`TerminalSession::press`] does.
    #[track_caller]
    pub fn type_text(&mut self, text: &str) {
        let keys: Vec<String> = text.chars().map(String::from).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.press(&keys);
    }

    /// Waits for relcut to exit; returns the screen and the exit code.
    pub fn finish(mut self) -> (String, i32) {
        let status = self.child.wait().unwrap();
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        (self.screen(), status.code().unwrap_or(-1))
    }
}

impl TestRepo {
    /// Starts relcut on a pseudo-terminal, with no `CI` in its environment.
    pub fn relcut_at_terminal(&self, args: &[&str]) -> TerminalSession {
        self.relcut_at_terminal_with(args, &[])
    }

    /// [`TestRepo::relcut_at_terminal`] with extra environment variables.
    pub fn relcut_at_terminal_with(&self, args: &[&str], env: &[(&str, &str)]) -> TerminalSession {
        self.clock.set(self.clock.get() + 60);
        let mut line = String::from(env!("CARGO_BIN_EXE_relcut"));
        for arg in args {
            line.push_str(&format!(" '{arg}'"));
        }
        let mut child = self
            .base_command("script")
            .args(["--quiet", "--return", "--command", &line, "/dev/null"])
            .env("SOURCE_DATE_EPOCH", RELEASE_EPOCH)
            .env("TERM", "xterm")
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("util-linux `script` runs");
        let input = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = output.clone();
        let reader = std::thread::spawn(move || {
            use std::io::Read;
            let mut buffer = [0u8; 4096];
            while let Ok(read) = stdout.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..read]);
            }
        });
        TerminalSession {
            child,
            input,
            output,
            reader: Some(reader),
        }
    }
}
