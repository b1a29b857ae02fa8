#!/usr/bin/env python3
"""Generates a large, realistic Conventional Commits repository for relcut's benchmark.

Usage:
    generate_repo.py --out DIR [--commits 100000] [--tags 1000] [--unreleased 50] [--seed 1]

Writes a git repository with a work tree at DIR (which must not exist) and DIR.meta.json with
what the benchmark checks (the last tag, the version `relcut next` must print, ...).

The history is streamed into ONE `git fast-import` process. Shape:

* `--commits` commits reachable from `main` (HEAD), pinned, increasing author/committer dates;
* `--tags` release tags v0.0.1, ... (increasing SemVer), one every ceil((commits - unreleased) /
  tags) commits, the last one exactly `--unreleased` commits behind HEAD; about 70 % annotated,
  30 % lightweight. Each tagged commit is a `chore(release): vX.Y.Z` commit that updates
  `VERSION` and prepends a section to `CHANGELOG.md`, so HEAD's `VERSION` equals the last tag;
* each release's bump level (patch, minor, major) is chosen first and its commits are drawn to
  match relcut's rules (feat -> minor, fix/perf -> patch, `!`/`BREAKING CHANGE:` -> major, which
  is a minor bump while the major version is 0); release 30 is an explicit promotion to 1.0.0;
* commit messages: feat, fix, perf, docs, chore, refactor, test, ci, build, style, revert, with
  and without scopes, some bodies and footers, a few `!` and `BREAKING CHANGE:` footers, a few
  non-conventional messages (`Update README.md`, `WIP`, git's `Revert "..."`, `fixup! ...`) and
  merge commits of short side branches that fork and merge inside one release;
* a GitHub `origin` remote with `refs/remotes/origin/main`, as in a clone.

After the import: `git reset --hard` (work tree and index), `git repack -ad` and
`git pack-refs --all`, so the repository is packed like a fresh clone.

Deterministic for a given set of arguments (the generator version is GENERATOR_VERSION; bump it
whenever the output changes so cached repositories are regenerated).
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import time

GENERATOR_VERSION = 1

START_EPOCH = 1388534400  # 2014-01-01T00:00:00Z

AUTHORS = [
    ("Alice Martin", "alice@example.com", "+0100"),
    ("Bob Chen", "bob.chen@example.com", "+0800"),
    ("Carla Rossi", "carla@example.org", "+0200"),
    ("Dmitri Ivanov", "dmitri@example.net", "+0300"),
    ("Emma Johnson", "emma.j@example.com", "-0500"),
    ("François Dupont", "francois@example.fr", "+0100"),
    ("Grace Okafor", "grace@example.com", "+0100"),
    ("Hiro Tanaka", "hiro@example.jp", "+0900"),
    ("Isabel García", "isabel@example.es", "+0100"),
    ("Jonas Müller", "jonas@example.de", "+0100"),
    ("Kavya Reddy", "kavya@example.in", "+0530"),
    ("Liam O'Brien", "liam@example.ie", "+0000"),
    ("María José Núñez", "mjnunez@example.mx", "-0600"),
    ("Noah Williams", "noah@example.com", "-0800"),
    ("Olga Petrova", "olga@example.ru", "+0300"),
    ("Pedro Alves", "pedro@example.br", "-0300"),
    ("Quinn Taylor", "quinn@example.com", "-0700"),
    ("Ravi Patel", "ravi@example.co.uk", "+0000"),
    ("Sofia Lindqvist", "sofia@example.se", "+0100"),
    ("Tomasz Kowalski", "tomasz@example.pl", "+0100"),
    ("Zoë Adeyemi", "zoe@example.ng", "+0100"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "+0000"),
]
RELEASER = ("Release Bot", "release-bot@example.com", "+0000")

SCOPES = [
    "api", "cli", "core", "parser", "config", "auth", "db", "ui", "http", "cache", "i18n",
    "storage", "scheduler", "metrics", "logging", "plugins", "sdk", "server", "client", "search",
]
AREAS = ["api", "cli", "core", "db", "http", "parser", "storage", "ui"]
FILES_PER_AREA = 25

OBJECTS = [
    "retry logic for uploads", "timezone offsets in reports", "pagination of search results",
    "connection pool sizing", "the config loader", "token refresh", "CSV export",
    "progress output", "webhook signatures", "rate limiting", "the plugin registry",
    "cache invalidation", "error messages for invalid input", "Unicode file names",
    "graceful shutdown", "the migration runner", "TLS certificate reloading",
    "streaming responses", "the query planner", "log rotation", "metrics labels",
    "session cookies", "the dark theme", "keyboard shortcuts", "large file uploads",
    "proxy support", "bulk deletes", "the health check endpoint", "SQL escaping",
    "date parsing", "memory usage during import", "concurrent writes", "feature flags",
    "the settings page", "locale fallback", "the audit log", "OpenAPI schema",
    "default timeouts", "the job queue", "duplicate notifications", "empty responses",
]
VERBS = {
    "feat": ["add", "support", "introduce", "allow configuring", "expose", "implement"],
    "fix": ["handle", "prevent a crash in", "correct", "avoid a deadlock in", "fix",
            "do not panic on", "restore"],
    "perf": ["speed up", "cache", "avoid allocations in", "parallelize", "batch"],
    "docs": ["document", "clarify", "fix typos in the docs of", "add examples for"],
    "chore": ["update dependencies for", "clean up", "bump the toolchain for", "tidy"],
    "refactor": ["simplify", "extract", "rename internals of", "split", "restructure"],
    "test": ["add tests for", "cover", "deflake tests of", "add a regression test for"],
    "ci": ["cache builds for", "run nightly checks for", "lint"],
    "build": ["update the build of", "vendor", "pin dependencies of"],
    "style": ["format", "reorder imports in"],
}
# Weights of the types of ordinary commits (feat is only drawn in minor and major releases).
TYPE_WEIGHTS = [
    ("feat", 22), ("fix", 28), ("perf", 3), ("docs", 9), ("chore", 10), ("refactor", 9),
    ("test", 7), ("ci", 4), ("build", 3), ("style", 2),
]
BODIES = [
    "The previous behaviour surprised users who relied on the documented defaults.",
    "This keeps the public interface unchanged; only the internals move.",
    "Measured on the staging data set, this is about 30% faster.",
    "Found while investigating a customer report.\n\nThe fix is small but touches a hot path, "
    "so it comes with a benchmark.",
    "Follow-up to the review of the previous change.",
    "- handles the empty case\n- handles the error case\n- adds logging",
]
FOOTERS = [
    "Refs: #{n}", "Closes #{n}", "Fixes #{n}", "Reviewed-by: {who}", "Co-authored-by: {who}",
    "Signed-off-by: {who}",
]
NON_CONVENTIONAL = [
    "Update README.md", "WIP", "fix typo", "Fix build", "Merge fixes from review",
    "Bump version", "cleanup", "Add missing file",
]
MERGE_BRANCHES = [
    "feature/{o}", "fix/{o}", "topic/{o}", "{u}/{o}",
]


def who(rng):
    name, email, _ = rng.choice(AUTHORS)
    return f"{name} <{email}>"


def slug(text):
    return "-".join(word for word in "".join(
        c if c.isalnum() else " " for c in text.lower()).split())[:40]


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.mark = 0
        self.time = START_EPOCH
        self.out = None
        self.files = {}  # path -> content (text) on main
        self.version = None
        self.changelog_sections = []
        self.meta = {}

    # ---- the stream -------------------------------------------------------------------------

    def write(self, data):
        self.out.write(data)

    def data(self, text):
        raw = text.encode("utf-8")
        self.write(b"data %d\n" % len(raw))
        self.write(raw)
        self.write(b"\n")

    def next_mark(self):
        self.mark += 1
        return self.mark

    def tick(self):
        self.time += self.rng.randint(300, 5400)
        return self.time

    def commit(self, ref, message, parent, changes, author=None, merge=None):
        """Writes one commit; `changes` is a list of (path, content); returns its mark."""
        mark = self.next_mark()
        name, email, tz = author or self.rng.choice(AUTHORS)
        previous = self.time
        committed = self.tick()
        # Now and then authored a little before it was committed (a rebase, a review); both
        # dates still increase from commit to commit.
        authored = committed - (self.rng.randint(0, committed - previous - 1)
                                if self.rng.random() < 0.2 else 0)
        self.write(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
        self.write(f"author {name} <{email}> {authored} {tz}\n".encode("utf-8"))
        self.write(f"committer {name} <{email}> {committed} {tz}\n".encode("utf-8"))
        self.data(message)
        if parent is not None:
            self.write(b"from :%d\n" % parent)
        if merge is not None:
            self.write(b"merge :%d\n" % merge)
        for path, content in changes:
            self.write(f"M 100644 inline {path}\n".encode("utf-8"))
            self.data(content)
        return mark

    # ---- content ----------------------------------------------------------------------------

    def touch(self, side=None):
        """Changes one or two source files; returns the changes (and records them)."""
        changes = []
        for _ in range(1 if self.rng.random() < 0.8 else 2):
            area = self.rng.choice(AREAS)
            path = f"src/{area}/mod_{self.rng.randrange(FILES_PER_AREA):02d}.rs"
            store = side if side is not None else self.files
            old = store.get(path, self.files.get(path, f"//! {path}\n"))
            lines = old.splitlines()[-30:]
            lines.append(f"pub fn f_{self.mark + 1}() -> u64 {{ {self.rng.randrange(1 << 32)} }}")
            content = "\n".join(lines) + "\n"
            store[path] = content
            changes.append((path, content))
        return changes

    def subject(self, kind, breaking_bang=False):
        scope = self.rng.choice(SCOPES) if self.rng.random() < 0.6 else None
        if kind == "chore" and self.rng.random() < 0.3:
            scope = "deps"
            text = f"bump {self.rng.choice(['serde', 'tokio', 'regex', 'clap', 'openssl'])} " \
                   f"from 1.{self.rng.randrange(40)}.{self.rng.randrange(9)} to " \
                   f"1.{self.rng.randrange(40, 80)}.{self.rng.randrange(9)}"
        else:
            text = f"{self.rng.choice(VERBS[kind])} {self.rng.choice(OBJECTS)}"
        head = kind + (f"({scope})" if scope else "") + ("!" if breaking_bang else "")
        return f"{head}: {text}", text

    def message(self, kind, breaking=False):
        """A conventional commit message of `kind`; breaking via `!` or a footer when asked."""
        bang = breaking and self.rng.random() < 0.5
        subject, text = self.subject(kind, bang)
        paragraphs = [subject]
        if self.rng.random() < 0.3 or (breaking and not bang):
            paragraphs.append(self.rng.choice(BODIES))
        footers = []
        if breaking and not bang:
            footers.append(
                f"BREAKING CHANGE: {self.rng.choice(OBJECTS)} now "
                f"{self.rng.choice(['requires an explicit opt-in', 'uses the new format', 'is removed; use the v2 API'])}"
            )
        if self.rng.random() < 0.25:
            for _ in range(self.rng.randint(1, 2)):
                footers.append(self.rng.choice(FOOTERS).format(n=self.rng.randint(1, 9999),
                                                              who=who(self.rng)))
        if footers:
            paragraphs.append("\n".join(footers))
        return "\n\n".join(paragraphs) + "\n", subject, text

    def ordinary_message(self, allow_feat):
        """One ordinary (non-breaking) commit; returns (message, kind or None, description)."""
        roll = self.rng.random()
        if roll < 0.02:
            return self.rng.choice(NON_CONVENTIONAL) + "\n", None, None
        if roll < 0.025:
            _, subject, _ = self.message(self.rng.choice(["fix", "docs", "refactor"]))
            return f'Revert "{subject}"\n\nThis reverts commit ' \
                   f'{self.rng.randrange(1 << 160):040x}.\n', None, None
        if roll < 0.028:
            _, subject, _ = self.message("fix")
            return f"fixup! {subject}\n", None, None
        weights = [(k, w) for k, w in TYPE_WEIGHTS if allow_feat or k != "feat"]
        kind = self.rng.choices([k for k, _ in weights], [w for _, w in weights])[0]
        message, _, text = self.message(kind)
        return message, kind, text

    # ---- versions ---------------------------------------------------------------------------

    @staticmethod
    def bump(version, level):
        major, minor, patch = version
        if level == "major":
            return (major + 1, 0, 0) if major > 0 else (0, minor + 1, 0)
        if level == "minor":
            return (major, minor + 1, 0)
        return (major, minor, patch + 1)

    # ---- one interval -----------------------------------------------------------------------

    def interval(self, tip, count, level, release_version):
        """`count` commits on main after `tip`, the last being the release commit when
        `release_version` is set. Returns the new tip and the entries for the changelog."""
        entries = []  # (kind, description, breaking)
        ordinary = count - (1 if release_version else 0)
        breaking_at = set()
        if level == "major":
            breaking_at = set(self.rng.sample(range(ordinary), min(ordinary, self.rng.randint(1, 2))))
        feat_at = self.rng.randrange(ordinary) if level in ("minor", "major") and ordinary else None
        # A short side branch merged back, inside this interval, now and then.
        side = None
        if ordinary >= 12 and self.rng.random() < 0.3:
            length = self.rng.randint(2, 4)
            start = self.rng.randrange(1, ordinary - length - 3)
            side = (start, length)  # fork after `start` main commits; merge once side is done
        side_tip = None
        side_files = None
        side_remaining = 0
        side_subjects = []
        i = 0
        produced = 0
        while produced < ordinary:
            if side and produced == side[0] and side_tip is None:
                side_tip, side_remaining, side_files = tip, side[1], {}
            in_side = side_tip is not None and side_remaining > 0 and self.rng.random() < 0.5
            remaining_slots = ordinary - produced
            if side_tip is not None and side_remaining == 0:
                # Merge the side branch (the merge counts as one commit).
                user = self.rng.choice(AUTHORS)
                branch = self.rng.choice(MERGE_BRANCHES).format(
                    o=slug(self.rng.choice(OBJECTS)), u=user[0].split()[0].lower())
                if self.rng.random() < 0.6:
                    message = f"Merge pull request #{self.rng.randint(100, 99999)} from " \
                              f"{user[0].split()[0].lower()}/{branch}\n\n{side_subjects[0]}\n"
                else:
                    message = f"Merge branch '{branch}'\n"
                changes = sorted(side_files.items())
                tip = self.commit("refs/heads/main", message, tip, changes, merge=side_mark)
                self.files.update(side_files)
                side_tip, side, side_files, side_subjects = None, None, None, []
                produced += 1
                continue
            if side_tip is not None and side_remaining >= remaining_slots - 1:
                in_side = True  # leave room for the merge
            kind_breaking = i in breaking_at
            if i == feat_at or (kind_breaking and self.rng.random() < 0.7):
                kind = "feat"
                message, _, text = self.message(kind, kind_breaking)
            elif kind_breaking:
                kind = self.rng.choice(["fix", "refactor", "perf"])
                message, _, text = self.message(kind, True)
            else:
                message, kind, text = self.ordinary_message(level != "patch")
            i += 1
            if kind:
                entries.append((kind, text, kind_breaking))
            if in_side:
                parent = side_mark if side_remaining != side[1] else side_tip
                side_mark = self.commit("refs/heads/bench-side", message, parent,
                                        self.touch(side_files))
                side_subjects.append(message.split("\n", 1)[0])
                side_remaining -= 1
            else:
                tip = self.commit("refs/heads/main", message, tip, self.touch())
            produced += 1
        if release_version:
            version = "%d.%d.%d" % release_version
            section = self.changelog_section(version, entries)
            self.changelog_sections.append(section)
            changes = [("VERSION", version + "\n"),
                       ("CHANGELOG.md", self.changelog_text())]
            tip = self.commit("refs/heads/main", f"chore(release): v{version}\n", tip, changes,
                              author=RELEASER)
        return tip, entries

    def changelog_section(self, version, entries):
        date = time.strftime("%Y-%m-%d", time.gmtime(self.time))
        groups = [("feat", "Added"), ("refactor", "Changed"), ("fix", "Fixed"),
                  ("perf", "Performance")]
        lines = [f"## [{version}] - {date}", ""]
        breaking = [text for _, text, b in entries if b]
        if breaking:
            lines += ["### ⚠ Breaking Changes", ""] + [f"- {t[0].upper()}{t[1:]}" for t in breaking] + [""]
        for kind, title in groups:
            items = [text for k, text, b in entries if k == kind and not b]
            if items:
                lines += [f"### {title}", ""] + [f"- {t[0].upper()}{t[1:]}" for t in items] + [""]
        return "\n".join(lines) + "\n"

    def changelog_text(self):
        header = ("# Changelog\n\nAll notable changes to this project are documented in this "
                  "file.\n\n")
        return header + "".join(reversed(self.changelog_sections))

    # ---- the whole history ------------------------------------------------------------------

    def run(self, out):
        self.out = out
        args = self.args
        released = args.commits - args.unreleased
        spacing = math.ceil(released / args.tags)
        first = released - (args.tags - 1) * spacing
        if first < 2 or spacing < 2:
            sys.exit("generate_repo.py: too few commits for that many tags")
        # The initial commit: README, VERSION 0.0.0 and the source tree.
        initial = [("README.md", "# widget\n\nA benchmark fixture for relcut.\n"),
                   ("VERSION", "0.0.0\n")]
        for area in AREAS:
            for n in range(FILES_PER_AREA):
                path = f"src/{area}/mod_{n:02d}.rs"
                self.files[path] = f"//! {path}\n"
                initial.append((path, self.files[path]))
        tip = self.commit("refs/heads/main", "Initial commit\n", None, initial)
        version = None
        tags = []
        for k in range(1, args.tags + 1):
            count = (first if k == 1 else spacing) - (1 if k == 1 else 0)
            if k == 1:
                level, new = "patch", (0, 0, 1)
            elif k == 30:
                level, new = "minor", (1, 0, 0)  # an explicit promotion, as projects do
            else:
                level = self.rng.choices(["patch", "minor", "major"], [40, 52, 8])[0]
                new = self.bump(version, level)
            tip, _ = self.interval(tip, count, level, new)
            version = new
            name = "v%d.%d.%d" % version
            if self.rng.random() < 0.7:
                tagger = RELEASER
                self.write(f"tag {name}\nfrom :{tip}\n".encode())
                self.write(f"tagger {tagger[0]} <{tagger[1]}> {self.time + 60} {tagger[2]}\n".encode())
                notes = f"Release {name}\n" if self.rng.random() < 0.5 else f"{name}\n"
                self.data(notes)
                kind = "annotated"
            else:
                self.write(f"reset refs/tags/{name}\nfrom :{tip}\n\n".encode())
                kind = "lightweight"
            tags.append((name, kind))
        # The unreleased commits: a minor release's worth (feat, fix, chores, ...).
        tip, entries = self.interval(tip, args.unreleased, "minor", None)
        self.write(b"reset refs/remotes/origin/main\nfrom :%d\n\n" % tip)
        self.write(b"done\n")
        last = tags[-1][0]
        self.meta = {
            "generator_version": GENERATOR_VERSION,
            "commits": args.commits,
            "tags": args.tags,
            "unreleased": args.unreleased,
            "seed": args.seed,
            "tag_spacing": spacing,
            "annotated_tags": sum(1 for _, kind in tags if kind == "annotated"),
            "lightweight_tags": sum(1 for _, kind in tags if kind == "lightweight"),
            "last_tag": last,
            "last_version": "%d.%d.%d" % version,
            "expected_next": "%d.%d.%d" % self.bump(version, "minor"),
            "unreleased_kinds": sorted({kind for kind, _, _ in entries}),
        }


def git(repo, *args, **kwargs):
    return subprocess.run(["git", "-C", repo, *args], check=True, **kwargs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out")
    parser.add_argument("--commits", type=int, default=100000)
    parser.add_argument("--tags", type=int, default=1000)
    parser.add_argument("--unreleased", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--print-version", action="store_true",
                        help="print the generator version and exit")
    args = parser.parse_args()
    if args.print_version:
        print(GENERATOR_VERSION)
        return
    if not args.out:
        parser.error("--out is required")
    if os.path.exists(args.out):
        sys.exit(f"generate_repo.py: {args.out} exists")
    started = time.monotonic()
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    for key, value in [("user.name", "Benchmark"), ("user.email", "bench@example.com"),
                       ("remote.origin.url", "https://github.com/acme/widget.git"),
                       ("remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"),
                       ("branch.main.remote", "origin"),
                       ("branch.main.merge", "refs/heads/main"),
                       ("gc.auto", "0")]:
        git(args.out, "config", key, value)
    importer = subprocess.Popen(
        ["git", "-C", args.out, "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE, bufsize=1 << 20)
    generator = Generator(args)
    generator.run(importer.stdin)
    importer.stdin.close()
    if importer.wait() != 0:
        sys.exit("generate_repo.py: git fast-import failed")
    imported = time.monotonic()
    git(args.out, "update-ref", "-d", "refs/heads/bench-side")
    git(args.out, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    git(args.out, "reset", "-q", "--hard", "main")
    git(args.out, "repack", "-adq")
    git(args.out, "pack-refs", "--all")
    git(args.out, "prune-packed")
    finished = time.monotonic()
    meta = generator.meta
    meta["import_seconds"] = round(imported - started, 1)
    meta["pack_seconds"] = round(finished - imported, 1)
    with open(args.out + ".meta.json", "w", encoding="utf-8") as handle:
        json.dump(meta, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
