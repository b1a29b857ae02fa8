#!/usr/bin/env python3
"""Runs git-cliff's own test fixtures (`.github/fixtures` in orhun/git-cliff, each a `commit.sh`,
a `cliff.toml` and an `expected.md`, with the command lines of its `test-fixtures` workflow)
against `relcut changelog` and, when given, git-cliff itself, and prints which match.

Usage: benches/git_cliff_fixtures.py GIT_CLIFF_GIT_DIR RELCUT [GIT_CLIFF] [FIXTURE...]

GIT_CLIFF_GIT_DIR is a git directory of orhun/git-cliff (a snapshot or a clone). Fixtures that
need the network (GitHub, GitLab, Gitea, Bitbucket and Azure DevOps integrations, a remote
configuration URL) are skipped. Not part of the tests: it needs git-cliff's repository.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

NETWORK = re.compile(r"integration|remote-config|custom-remote-api-url|github-contributor")


def matrix(git_dir):
    workflow = subprocess.run(
        ["git", "--git-dir", git_dir, "show", "HEAD:.github/workflows/test-fixtures.yml"],
        check=True, capture_output=True, text=True).stdout
    runs = []
    for line in workflow.splitlines():
        line = line.strip()
        if line == "steps:":
            break
        if line.startswith("- fixtures-name:"):
            runs.append({"name": line.split(":", 1)[1].strip(), "command": "", "env": "",
                         "previous": "1970-01-01 00:00:00"})
        elif runs and line.startswith("command:"):
            runs[-1]["command"] = line.split(":", 1)[1].strip()
        elif runs and line.startswith("include-path-env:"):
            runs[-1]["env"] = line.split(":", 1)[1].strip().strip('"')
        elif runs and line.startswith("previous-release-timestamp:"):
            runs[-1]["previous"] = line.split(":", 1)[1].strip().strip('"')
    return runs


def extract(git_dir, name, into):
    tree = f"HEAD:.github/fixtures/{name}"
    files = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", tree],
                           check=True, capture_output=True, text=True).stdout.split()
    for path in files:
        target = os.path.join(into, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(subprocess.run(["git", "--git-dir", git_dir, "show", f"{tree}/{path}"],
                                     check=True, capture_output=True).stdout)
    os.chmod(os.path.join(into, "commit.sh"), 0o755)


def expected_text(path, previous):
    with open(path) as file:
        text = file.read()
    today = time.strftime("%Y-%m-%d")
    previous_seconds = int(subprocess.run(["date", "-d", previous, "+%s"], check=True,
                                          capture_output=True, text=True).stdout)
    days = (int(time.time()) - previous_seconds) // 86400
    return text.replace("<<DATE>>", today).replace("<<DAYS SINCE LAST RELEASE>>", str(days))


def run_one(git_dir, run, tools):
    with tempfile.TemporaryDirectory() as scratch:
        work = os.path.join(scratch, "fixture")
        os.makedirs(work)
        extract(git_dir, run["name"], work)
        env = dict(os.environ, GIT_AUTHOR_NAME="github-actions[bot]",
                   GIT_AUTHOR_EMAIL="github-actions[bot]@users.noreply.github.com",
                   GIT_COMMITTER_NAME="github-actions[bot]",
                   GIT_COMMITTER_EMAIL="github-actions[bot]@users.noreply.github.com",
                   GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        env.pop("CI", None)
        subprocess.run(["git", "init", "-q", "-b", "master"], cwd=work, env=env, check=True)
        made = subprocess.run(["./commit.sh"], cwd=work, env=env, capture_output=True, text=True)
        if made.returncode != 0:
            # Some fixtures clone a repository from GitHub: offline, they cannot be built.
            return None
        if run["env"]:
            env["GIT_CLIFF_INCLUDE_PATH"] = run["env"]
        expected_path = os.path.join(work, "expected.md")
        expected = (expected_text(expected_path, run["previous"])
                    if os.path.exists(expected_path) else None)
        results = {}
        for label, command in tools:
            output = subprocess.run(command + shlex.split(run["command"]), cwd=work, env=env,
                                    capture_output=True, text=True)
            if expected is None:
                # No expected.md: the run must fail (git-cliff's negative fixtures).
                results[label] = (output.returncode != 0, output.stderr.strip()[:200])
            else:
                got = output.stdout.replace("\r\n", "\n")
                same = got == expected.replace("\r\n", "\n")
                first = ""
                if not same:
                    for number, (a, b) in enumerate(zip(got.splitlines() + [""] * 999,
                                                        expected.splitlines())):
                        if a != b:
                            first = f"line {number + 1}: got {a!r}, want {b!r}"
                            break
                    if output.returncode != 0:
                        first = f"exit {output.returncode}: {output.stderr.strip()[:200]}"
                results[label] = (same, first)
        return results


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    git_dir, relcut = sys.argv[1], sys.argv[2]
    tools = [("relcut", [relcut, "changelog"])]
    only = sys.argv[3:]
    if only and os.path.exists(only[0]):
        tools.append(("git-cliff", [only[0], "--config", "cliff.toml"]))
        only = only[1:]
    passed = {label: 0 for label, _ in tools}
    tried = 0
    for run in matrix(git_dir):
        if NETWORK.search(run["name"]) or (only and run["name"] not in only):
            continue
        results = run_one(git_dir, run, tools)
        if results is None:
            print(f"{run['name']} | skipped: its commit.sh needs the network")
            continue
        tried += 1
        marks = []
        for label, (same, detail) in results.items():
            passed[label] += same
            marks.append(f"{label}: {'ok' if same else 'DIFFERS ' + detail}")
        print(f"{run['name']} {run['command']}".strip(), "|", " | ".join(marks))
    print(f"\n{tried} offline fixture runs:",
          ", ".join(f"{label} matches {count}" for label, count in passed.items()))


if __name__ == "__main__":
    main()
