//! The `Cargo.lock` kind: moving the workspace's own packages to the new version in the lock file,
//! exactly as Cargo itself would write it. Pure; must not read the disk, must not decide which
//! packages are released (the manifests do), and must not change the entry of any package from a
//! registry or git (only, where Cargo would, how references to it are spelled).
//!
//! What changes, and why:
//! - the `version` of each `[[package]]` entry that names a released workspace package and has no
//!   `source` (packages from crates.io or git always have one);
//! - references to those packages in `dependencies = [...]` lists. Cargo writes a reference as
//!   `name`, as `name version` when several versions of `name` are locked, and as
//!   `name version (source)` when one version comes from several sources; so a workspace package
//!   that shares its name with a crates.io package is referenced with its version, and a stale
//!   reference makes `cargo build --locked` fail;
//! - the order of same-name entries and references, which Cargo keeps sorted by version; out of
//!   order, the next `cargo build` rewrites the lock and leaves the release commit's tree dirty.
//!
//! Checked against Cargo 1.95: after these edits Cargo accepts the lock with `--locked` and keeps
//! it byte-for-byte without it, for a new version below, above and equal to a same-name crates.io
//! package, and for prerelease and build-metadata versions. Everything else is kept byte-for-byte:
//! the edits are splices of string literals (and, in the reordering case, whole `[[package]]`
//! blocks moved as they are).

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use semver::Version;
use toml_edit::{Document, Item, Table};

use super::SourceFile;
use super::error::{VersionFileError, line_at};
use super::format::{Context, Parsed, VersionFileModel, with_origin};
use super::text_edit::{Splice, apply};
use super::toml_source::{StringField, item_line, parse, string_item, string_value, wrong_type};

/// Reads a `Cargo.lock` into its model: the document, parsed once; its entries are read when the
/// edit is planned, since they only matter then.
///
/// # Errors
///
/// Invalid TOML.
pub(super) fn parse_lock<'f>(file: &'f SourceFile, _context: &Context) -> Parsed<'f> {
    Ok(Box::new(CargoLockFile {
        file,
        document: parse(file)?,
    }))
}

/// A `Cargo.lock`, parsed.
struct CargoLockFile<'f> {
    file: &'f SourceFile,
    document: Document<&'f str>,
}

impl VersionFileModel for CargoLockFile<'_> {
    fn splices(&self, new: &Version, context: &Context) -> Result<Vec<Splice>, VersionFileError> {
        splices_in(
            self.file,
            &self.document,
            &context.cargo_released_names(),
            new,
        )
    }

    fn reason(&self) -> String {
        with_origin(self.file, "Cargo lockfile, the workspace's own packages")
    }
}

/// The splices that move the lock entries of `released` workspace packages to `new`.
#[cfg(test)]
fn splices(
    file: &SourceFile,
    released: &BTreeSet<String>,
    new: &Version,
) -> Result<Vec<Splice>, VersionFileError> {
    splices_in(file, &parse(file)?, released, new)
}

/// The splices that move the lock entries of `released` workspace packages to `new`, in the
/// parsed `document` of `file`.
fn splices_in(
    file: &SourceFile,
    document: &Document<&str>,
    released: &BTreeSet<String>,
    new: &Version,
) -> Result<Vec<Splice>, VersionFileError> {
    let packages = read_packages(file, document)?;
    let new_text = new.to_string();

    // The entries that move: a released name and no `source`, i.e. a path package.
    let moving: Vec<bool> = packages
        .iter()
        .map(|package| package.source.is_none() && released.contains(&package.name))
        .collect();
    if !moving.contains(&true) {
        return Ok(Vec::new());
    }
    let new_versions: Vec<&str> = packages
        .iter()
        .zip(&moving)
        .map(|(package, &moves)| {
            if moves {
                new_text.as_str()
            } else {
                package.version.value.as_str()
            }
        })
        .collect();
    // Only references to these names can change: no other entry's version moves.
    let affected: BTreeSet<&str> = packages
        .iter()
        .zip(&moving)
        .filter(|(_, moves)| **moves)
        .map(|(package, _)| package.name.as_str())
        .collect();
    let lock = LockState {
        packages: &packages,
        new_versions: &new_versions,
        affected: &affected,
        counts: version_counts(document, &packages, &new_versions, &affected),
    };

    let mut splices = Vec::new();
    for (package, &moves) in packages.iter().zip(&moving) {
        if moves && package.version.value != new_text {
            splices.push(package.version.rewrite(file, &new_text));
        }
        splices.extend(lock.reference_splices(file, &package.dependencies, true));
        if let Some(replace) = &package.replace {
            splices.extend(lock.reference_splices(file, std::slice::from_ref(replace), false));
        }
    }
    Ok(reorder_blocks(file, document, &lock, splices))
}

/// One `[[package]]` entry.
#[derive(Debug)]
struct LockPackage {
    name: String,
    version: StringField,
    /// `source = "…"`; `None` for path packages (the workspace's own).
    source: Option<String>,
    /// Byte offset of the `[[package]]` header.
    header_start: usize,
    dependencies: Vec<StringField>,
    replace: Option<StringField>,
}

fn read_packages(
    file: &SourceFile,
    document: &Document<&str>,
) -> Result<Vec<LockPackage>, VersionFileError> {
    let Some(item) = document.get("package") else {
        return Ok(Vec::new());
    };
    let Some(entries) = item.as_array_of_tables() else {
        return Err(wrong_type(
            file,
            item_line(file, item),
            "package",
            item.type_name(),
            "`[[package]]` entries; regenerate the file with `cargo generate-lockfile`",
        ));
    };
    entries
        .iter()
        .map(|table| read_package(file, table))
        .collect()
}

fn read_package(file: &SourceFile, table: &Table) -> Result<LockPackage, VersionFileError> {
    let header_start = table.span().map_or(0, |span| span.start);
    let required = |key: &str| -> Result<StringField, VersionFileError> {
        match table.get(key) {
            Some(item) => string_item(file, item, &format!("package.{key}"), "a string"),
            None => Err(VersionFileError::MissingField {
                path: file.path.clone(),
                line: line_at(&file.text, header_start),
                table: "[[package]]".to_owned(),
                field: key.to_owned(),
                example: "it back, or regenerate the file with `cargo generate-lockfile`"
                    .to_owned(),
            }),
        }
    };
    let name = required("name")?.value;
    let version = required("version")?;
    let source = match table.get("source") {
        Some(item) => Some(string_item(file, item, "package.source", "a string")?.value),
        None => None,
    };
    let dependencies = match table.get("dependencies") {
        None => Vec::new(),
        Some(item) => match item.as_array() {
            Some(array) => array
                .iter()
                .map(|value| string_value(file, value, "package.dependencies entry", "a string"))
                .collect::<Result<_, _>>()?,
            None => {
                return Err(wrong_type(
                    file,
                    item_line(file, item),
                    "package.dependencies",
                    item.type_name(),
                    "an array of strings",
                ));
            }
        },
    };
    let replace = match table.get("replace") {
        Some(item) => Some(string_item(file, item, "package.replace", "a string")?),
        None => None,
    };
    Ok(LockPackage {
        name,
        version,
        source,
        header_start,
        dependencies,
        replace,
    })
}

/// How many entries of each version there are per affected name, after the move; `None` for
/// version 1 lock files, which always write `name version (source)`.
type VersionCounts<'p> = Option<HashMap<&'p str, HashMap<&'p str, usize>>>;

fn version_counts<'p>(
    document: &Document<&str>,
    packages: &'p [LockPackage],
    new_versions: &[&'p str],
    affected: &BTreeSet<&str>,
) -> VersionCounts<'p> {
    // Version 1 has no top-level `version` and keeps checksums in `[metadata]`.
    let is_version_1 = document.get("version").is_none()
        && document
            .get("metadata")
            .and_then(Item::as_table_like)
            .is_some_and(|metadata| metadata.iter().any(|(key, _)| key.starts_with("checksum ")));
    if is_version_1 {
        return None;
    }
    let mut counts: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for (package, version) in packages.iter().zip(new_versions) {
        if affected.contains(package.name.as_str()) {
            *counts
                .entry(package.name.as_str())
                .or_default()
                .entry(version)
                .or_default() += 1;
        }
    }
    Some(counts)
}

/// The lock entries with their versions after the move.
struct LockState<'a> {
    packages: &'a [LockPackage],
    new_versions: &'a [&'a str],
    affected: &'a BTreeSet<&'a str>,
    counts: VersionCounts<'a>,
}

/// A parsed package reference: `name`, `name version` or `name version (source)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reference<'t> {
    name: &'t str,
    version: Option<&'t str>,
    source: Option<&'t str>,
}

impl<'t> Reference<'t> {
    fn parse(text: &'t str) -> Option<Self> {
        let mut parts = text.splitn(3, ' ');
        let name = parts.next()?;
        let version = parts.next();
        let source = match parts.next() {
            Some(source) => Some(source.strip_prefix('(')?.strip_suffix(')')?),
            None => None,
        };
        Some(Self {
            name,
            version,
            source,
        })
    }

    /// Cargo's order for references to one name: by version text, then without source first.
    fn order_key(&self) -> (Option<&'t str>, bool) {
        (self.version, self.source.is_some())
    }
}

/// A source as written in a reference: without the `#revision` that `[[package]]` entries carry.
fn without_revision(source: &str) -> &str {
    source.split_once('#').map_or(source, |(url, _)| url)
}

impl LockState<'_> {
    /// The package a reference points at, before the move.
    fn resolve(&self, reference: &Reference<'_>) -> Option<usize> {
        let mut candidates: Vec<usize> = (0..self.packages.len())
            .filter(|&index| {
                let package = &self.packages[index];
                package.name == reference.name
                    && reference
                        .version
                        .is_none_or(|version| package.version.value == version)
                    && reference.source.is_none_or(|source| {
                        package.source.as_deref().map(without_revision) == Some(source)
                    })
            })
            .collect();
        // A reference without a source, among same-version entries, is the path package: Cargo
        // never writes a source for those.
        if candidates.len() > 1 && reference.source.is_none() {
            candidates.retain(|&index| self.packages[index].source.is_none());
        }
        match candidates.as_slice() {
            [index] => Some(*index),
            _ => None,
        }
    }

    /// How Cargo writes a reference to `target` after the move. `written_source` is the source
    /// text the old reference used, reused so that its spelling is kept.
    fn encode(&self, target: usize, written_source: Option<&str>) -> String {
        let package = &self.packages[target];
        let version = self.new_versions[target];
        let mut show_version = true;
        let mut source = package
            .source
            .as_deref()
            .map(|source| written_source.unwrap_or_else(|| without_revision(source)));
        if let Some(versions) = self
            .counts
            .as_ref()
            .and_then(|counts| counts.get(package.name.as_str()))
            && versions.get(version) == Some(&1)
        {
            source = None;
            show_version = versions.len() > 1;
        }
        let mut text = package.name.clone();
        if show_version {
            text.push(' ');
            text.push_str(version);
        }
        if let Some(source) = source {
            text.push_str(" (");
            text.push_str(source);
            text.push(')');
        }
        text
    }

    /// Splices for the references in one list (or one `replace`), re-encoded after the move and,
    /// for a sorted `dependencies` list, re-sorted among same-name references.
    fn reference_splices(
        &self,
        file: &SourceFile,
        fields: &[StringField],
        sorted: bool,
    ) -> Vec<Splice> {
        let mut texts: Vec<String> = fields
            .iter()
            .map(|field| {
                let Some(reference) = Reference::parse(&field.value) else {
                    return field.value.clone();
                };
                if !self.affected.contains(reference.name) {
                    return field.value.clone();
                }
                match self.resolve(&reference) {
                    Some(target) => self.encode(target, reference.source),
                    // Not resolvable: not a reference relcut understands; leave it to Cargo.
                    None => field.value.clone(),
                }
            })
            .collect();
        if sorted {
            sort_same_name_runs(&mut texts, self.affected);
        }
        fields
            .iter()
            .zip(&texts)
            .filter(|(field, text)| field.value != **text)
            .map(|(field, text)| field.rewrite(file, text))
            .collect()
    }
}

/// Re-sorts each run of consecutive references to one affected name by Cargo's order. Names do
/// not change, so the runs are where they were; the sort is stable, so references whose keys tie
/// (two registries with one version) keep the order Cargo gave them.
fn sort_same_name_runs(texts: &mut [String], affected: &BTreeSet<&str>) {
    let name_of = |text: &str| text.split(' ').next().unwrap_or("").to_owned();
    let mut start = 0;
    while start < texts.len() {
        let name = name_of(&texts[start]);
        let end = start
            + texts[start..]
                .iter()
                .take_while(|text| name_of(text) == name)
                .count();
        if end - start > 1 && affected.contains(name.as_str()) {
            texts[start..end].sort_by(|left, right| {
                let left = Reference::parse(left).map(|reference| reference.order_key());
                let right = Reference::parse(right).map(|reference| reference.order_key());
                left.cmp(&right)
            });
        }
        start = end;
    }
}

/// Moves `[[package]]` blocks so that entries of one name stay sorted as Cargo sorts them (by
/// version, path packages first on a tie). Only needed when a workspace package shares its name
/// with another locked package and the new version passes that package's version.
///
/// The splices that fall inside moved blocks are applied to the blocks first and replaced by one
/// splice for the whole run; the others are returned as they are.
fn reorder_blocks(
    file: &SourceFile,
    document: &Document<&str>,
    lock: &LockState<'_>,
    mut splices: Vec<Splice>,
) -> Vec<Splice> {
    let text = file.text.as_str();
    let mut header_starts = Vec::new();
    collect_header_starts(document.as_table(), &mut header_starts);
    header_starts.sort_unstable();
    let block = |index: usize| -> Range<usize> {
        let header = lock.packages[index].header_start;
        let next = header_starts
            .iter()
            .find(|&&start| start > header)
            .map_or(text.len(), |&start| line_start(text, start));
        line_start(text, header)..next
    };

    let mut start = 0;
    while start < lock.packages.len() {
        let name = lock.packages[start].name.as_str();
        let end = start
            + lock.packages[start..]
                .iter()
                .take_while(|package| package.name == name)
                .count();
        let run = start..end;
        start = end;
        if run.len() < 2 || !lock.affected.contains(name) {
            continue;
        }
        let Some(order) = cargo_order(lock, run.clone()) else {
            continue;
        };
        if order.iter().copied().eq(run.clone()) {
            continue;
        }
        let blocks: Vec<Range<usize>> = run.clone().map(block).collect();
        let contiguous = blocks.windows(2).all(|pair| pair[0].end == pair[1].start);
        if !contiguous {
            // Something sits between the entries; moving blocks could carry it along. Cargo will
            // reorder on its next write.
            continue;
        }

        // Apply the splices inside each block to the block's own text.
        let mut edited_blocks = Vec::new();
        for range in &blocks {
            let (inside, outside): (Vec<Splice>, Vec<Splice>) =
                splices.into_iter().partition(|splice| {
                    splice.range.start >= range.start && splice.range.end <= range.end
                });
            splices = outside;
            let shifted = inside
                .into_iter()
                .map(|splice| {
                    Splice::new(
                        splice.range.start - range.start..splice.range.end - range.start,
                        splice.replacement,
                    )
                })
                .collect();
            edited_blocks.push(apply(&text[range.clone()], shifted));
        }
        // Each slot keeps its own trailing blank lines; only the entries move.
        let mut region = String::new();
        for (slot, &package) in order.iter().enumerate() {
            let content = trim_trailing_blank(&edited_blocks[package - run.start]);
            let original = &text[blocks[slot].clone()];
            region.push_str(content);
            region.push_str(&original[trim_trailing_blank(original).len()..]);
        }
        splices.push(Splice::new(
            blocks[0].start..blocks[blocks.len() - 1].end,
            region,
        ));
    }
    splices
}

/// The run's package indices in Cargo's order after the move, or `None` when a version does not
/// parse (then the order is left alone).
fn cargo_order(lock: &LockState<'_>, run: Range<usize>) -> Option<Vec<usize>> {
    let mut keyed = Vec::new();
    for index in run {
        let version = Version::parse(lock.new_versions[index]).ok()?;
        keyed.push(((version, lock.packages[index].source.is_some()), index));
    }
    // Stable: entries from two non-path sources with one version keep Cargo's order.
    keyed.sort_by(|left, right| left.0.cmp(&right.0));
    Some(keyed.into_iter().map(|(_, index)| index).collect())
}

fn collect_header_starts(table: &Table, out: &mut Vec<usize>) {
    for (_, item) in table.iter() {
        match item {
            Item::Table(child) => {
                if !child.is_dotted()
                    && let Some(span) = child.span()
                {
                    out.push(span.start);
                }
                collect_header_starts(child, out);
            }
            Item::ArrayOfTables(array) => {
                for child in array.iter() {
                    if let Some(span) = child.span() {
                        out.push(span.start);
                    }
                    collect_header_starts(child, out);
                }
            }
            Item::None | Item::Value(_) => {}
        }
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |newline| newline + 1)
}

fn trim_trailing_blank(text: &str) -> &str {
    text.trim_end_matches([' ', '\t', '\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::version_files::VersionFileKind;

    const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

    fn lock_file(text: &str) -> SourceFile {
        SourceFile {
            path: "Cargo.lock".into(),
            kind: VersionFileKind::CargoLock,
            origin: crate::plan::version_files::Origin::Detected,
            text: text.to_owned(),
        }
    }

    fn moved(text: &str, released: &[&str], new: &str) -> Result<String, String> {
        let file = lock_file(text);
        let released = released.iter().map(|name| (*name).to_owned()).collect();
        let splices = splices(&file, &released, &Version::parse(new).unwrap())
            .map_err(|error| error.to_string())?;
        Ok(apply(text, splices))
    }

    /// A `[[package]]` block as Cargo writes it.
    fn entry(name: &str, version: &str, source: Option<&str>, dependencies: &[&str]) -> String {
        let mut text = format!("[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n");
        if let Some(source) = source {
            text.push_str(&format!(
                "source = \"{source}\"\nchecksum = \"{}\"\n",
                "0".repeat(64)
            ));
        }
        match dependencies {
            [] => {}
            [one] => text.push_str(&format!("dependencies = [\n \"{one}\",\n]\n")),
            many => {
                text.push_str("dependencies = [\n");
                for dependency in many {
                    text.push_str(&format!(" \"{dependency}\",\n"));
                }
                text.push_str("]\n");
            }
        }
        text
    }

    fn lock(entries: &[String]) -> String {
        format!(
            "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n{}",
            entries.join("\n")
        )
    }

    #[test]
    fn only_workspace_versions_change_when_names_are_unique() {
        let before = lock(&[
            entry("app", "1.2.3", None, &["core", "serde"]),
            entry("core", "1.2.3", None, &["serde"]),
            entry("serde", "1.2.3", Some(CRATES_IO), &[]),
            entry("tool", "0.0.0", None, &["core"]),
        ]);
        let expected = lock(&[
            entry("app", "1.3.0", None, &["core", "serde"]),
            entry("core", "1.3.0", None, &["serde"]),
            entry("serde", "1.2.3", Some(CRATES_IO), &[]),
            entry("tool", "0.0.0", None, &["core"]),
        ]);
        assert_eq!(moved(&before, &["app", "core"], "1.3.0"), Ok(expected));
    }

    #[test]
    fn same_name_registry_packages_keep_their_lines_and_references_follow() {
        // Workspace `core` and `log` share their names with crates.io packages, so Cargo writes
        // references to them with versions.
        let before = lock(&[
            entry(
                "app",
                "1.2.3",
                None,
                &["core 0.9.0", "core 1.2.3", "log 1.2.3"],
            ),
            entry("core", "0.9.0", Some(CRATES_IO), &[]),
            entry("core", "1.2.3", None, &["log 0.4.22"]),
            entry("log", "0.4.22", Some(CRATES_IO), &[]),
            entry("log", "1.2.3", None, &[]),
        ]);
        let after = moved(&before, &["app", "core", "log"], "1.3.0").unwrap();
        let expected = lock(&[
            entry(
                "app",
                "1.3.0",
                None,
                &["core 0.9.0", "core 1.3.0", "log 1.3.0"],
            ),
            entry("core", "0.9.0", Some(CRATES_IO), &[]),
            entry("core", "1.3.0", None, &["log 0.4.22"]),
            entry("log", "0.4.22", Some(CRATES_IO), &[]),
            entry("log", "1.3.0", None, &[]),
        ]);
        assert_eq!(after, expected);

        // Byte for byte: every changed line held `1.2.3` and now holds `1.3.0`, nothing else.
        assert_eq!(before.lines().count(), after.lines().count());
        for (old, new) in before.lines().zip(after.lines()) {
            if old != new {
                assert_eq!(old.replace("1.2.3", "1.3.0"), new);
            }
        }
    }

    #[test]
    fn entries_are_reordered_when_the_new_version_passes_a_same_name_package() {
        let before = lock(&[
            entry("app", "0.4.0", None, &["log 0.4.0", "log 0.4.22"]),
            entry("log", "0.4.0", None, &[]),
            entry("log", "0.4.22", Some(CRATES_IO), &[]),
        ]);
        let expected = lock(&[
            entry("app", "0.5.0", None, &["log 0.4.22", "log 0.5.0"]),
            entry("log", "0.4.22", Some(CRATES_IO), &[]),
            entry("log", "0.5.0", None, &[]),
        ]);
        assert_eq!(moved(&before, &["app", "log"], "0.5.0"), Ok(expected));
    }

    #[test]
    fn reordering_at_the_end_of_the_file_keeps_the_final_newline() {
        let before = lock(&[
            entry("log", "0.4.0", None, &[]),
            entry("log", "0.4.22", Some(CRATES_IO), &[]),
        ]);
        let expected = lock(&[
            entry("log", "0.4.22", Some(CRATES_IO), &[]),
            entry("log", "0.5.0", None, &[]),
        ]);
        assert_eq!(moved(&before, &["log"], "0.5.0"), Ok(expected));
    }

    #[test]
    fn sources_appear_when_the_new_version_equals_a_registry_version() {
        let before = lock(&[
            entry("app", "1.2.3", None, &["core 1.2.3", "core 1.3.0"]),
            entry("core", "1.2.3", None, &[]),
            entry("core", "1.3.0", Some(CRATES_IO), &[]),
        ]);
        let expected = lock(&[
            entry(
                "app",
                "1.3.0",
                None,
                &["core 1.3.0", &format!("core 1.3.0 ({CRATES_IO})")],
            ),
            entry("core", "1.3.0", None, &[]),
            entry("core", "1.3.0", Some(CRATES_IO), &[]),
        ]);
        assert_eq!(moved(&before, &["app", "core"], "1.3.0"), Ok(expected));
    }

    #[test]
    fn sources_disappear_when_versions_no_longer_collide() {
        let before = lock(&[
            entry(
                "app",
                "1.2.3",
                None,
                &["core 1.2.3", &format!("core 1.2.3 ({CRATES_IO})")],
            ),
            entry("core", "1.2.3", None, &[]),
            entry("core", "1.2.3", Some(CRATES_IO), &[]),
        ]);
        let expected = lock(&[
            entry("app", "1.3.0", None, &["core 1.2.3", "core 1.3.0"]),
            entry("core", "1.2.3", Some(CRATES_IO), &[]),
            entry("core", "1.3.0", None, &[]),
        ]);
        assert_eq!(moved(&before, &["app", "core"], "1.3.0"), Ok(expected));
    }

    #[test]
    fn version_1_lock_files_always_write_versions() {
        let before = "[[package]]\nname = \"app\"\nversion = \"1.2.3\"\ndependencies = [\n \"core 1.2.3\",\n \"serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\",\n]\n\n[[package]]\nname = \"core\"\nversion = \"1.2.3\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[metadata]\n\"checksum serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\" = \"abc\"\n";
        let expected = before
            .replace("version = \"1.2.3\"", "version = \"1.3.0\"")
            .replace("\"core 1.2.3\"", "\"core 1.3.0\"");
        assert_eq!(moved(before, &["app", "core"], "1.3.0"), Ok(expected));
    }

    #[test]
    fn nothing_changes_without_released_path_packages() {
        let before = lock(&[
            entry("core", "1.2.3", Some(CRATES_IO), &[]),
            entry("tool", "0.0.0", None, &["core"]),
        ]);
        let file = lock_file(&before);
        let released = BTreeSet::from(["core".to_owned()]);
        assert_eq!(
            splices(&file, &released, &Version::parse("1.3.0").unwrap()).unwrap(),
            Vec::new()
        );
    }

    #[test]
    fn malformed_entries_are_reported() {
        let rows = [
            (
                "version = 4\n\n[[package]]\nname = \"core\"\n",
                "`Cargo.lock` line 3: `[[package]]` has no `version`; add it back, or regenerate the file with `cargo generate-lockfile`",
            ),
            (
                "version = 4\n\n[[package]]\nname = \"core\"\nversion = 1\n",
                "`Cargo.lock` line 5: `package.version` is an integer; write a string",
            ),
            (
                "version = 4\n[[package]\n",
                "`Cargo.lock` line 2: invalid TOML: unclosed array table, expected `]`; fix the syntax and run again",
            ),
        ];
        for (text, message) in rows {
            assert_eq!(
                moved(text, &["core"], "1.3.0"),
                Err(message.to_owned()),
                "{text}"
            );
        }
    }
}
