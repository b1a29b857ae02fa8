//! The media type a release asset is uploaded with, guessed from its file name.
//!
//! GitHub serves an asset with the `Content-Type` it was uploaded with, so browsers and package
//! tools see what the file is. This reads the name only, never the file.

use std::path::Path;

/// File name endings and their media types, longest first where one ends another
/// (`.tar.gz` before `.gz`). Compared in lower case.
const TYPES: &[(&str, &str)] = &[
    (".tar.gz", "application/gzip"),
    (".tgz", "application/gzip"),
    (".crate", "application/gzip"),
    (".gz", "application/gzip"),
    (".tar.xz", "application/x-xz"),
    (".txz", "application/x-xz"),
    (".xz", "application/x-xz"),
    (".tar.bz2", "application/x-bzip2"),
    (".tbz2", "application/x-bzip2"),
    (".bz2", "application/x-bzip2"),
    (".tar.zst", "application/zstd"),
    (".zst", "application/zstd"),
    (".tar", "application/x-tar"),
    (".zip", "application/zip"),
    (".7z", "application/x-7z-compressed"),
    (".jar", "application/java-archive"),
    (".json", "application/json"),
    (".txt", "text/plain"),
    (".sha256", "text/plain"),
    (".sha512", "text/plain"),
    (".sha256sum", "text/plain"),
    (".sha512sum", "text/plain"),
    (".md5", "text/plain"),
    (".md", "text/markdown"),
    (".html", "text/html"),
    (".asc", "application/pgp-signature"),
    (".sig", "application/pgp-signature"),
    (".pem", "application/x-pem-file"),
    (".deb", "application/vnd.debian.binary-package"),
    (".rpm", "application/x-rpm"),
    (".apk", "application/vnd.android.package-archive"),
    (".appimage", "application/vnd.appimage"),
    (".msi", "application/x-msi"),
    (".exe", "application/vnd.microsoft.portable-executable"),
    (".dmg", "application/x-apple-diskimage"),
    (".wasm", "application/wasm"),
];

/// What `application/octet-stream` says: bytes of no particular kind.
const DEFAULT: &str = "application/octet-stream";

/// The media type to upload `path` with, from its file name's ending (`.tar.gz`/`.tgz` →
/// `application/gzip`, `.zip`, `.json`, `.txt`/`.sha256` → `text/plain`, `.deb`, `.rpm`, `.msi`,
/// `.exe`, `.dmg`, `.wasm`, …); `application/octet-stream` when the ending is not known.
pub fn content_type_for(path: &Path) -> &'static str {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return DEFAULT;
    };
    let name = name.to_ascii_lowercase();
    TYPES
        .iter()
        // A name that is only the ending (`.json`) is a hidden file, not a JSON file.
        .find(|(ending, _)| name.len() > ending.len() && name.ends_with(ending))
        .map_or(DEFAULT, |(_, media_type)| media_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_follow_the_file_name() {
        let rows: &[(&str, &str)] = &[
            (
                "relcut-1.0.0-x86_64-unknown-linux-gnu.tar.gz",
                "application/gzip",
            ),
            ("dist/relcut-1.0.0.TGZ", "application/gzip"),
            ("relcut.tar.xz", "application/x-xz"),
            ("relcut.tar.zst", "application/zstd"),
            ("relcut.tar", "application/x-tar"),
            ("relcut-1.0.0-windows.zip", "application/zip"),
            ("sbom.spdx.json", "application/json"),
            ("SHA256SUMS.txt", "text/plain"),
            ("relcut.tar.gz.sha256", "text/plain"),
            ("NOTES.md", "text/markdown"),
            ("relcut.tar.gz.asc", "application/pgp-signature"),
            (
                "relcut_1.0.0_amd64.deb",
                "application/vnd.debian.binary-package",
            ),
            ("relcut-1.0.0-1.x86_64.rpm", "application/x-rpm"),
            ("relcut-1.0.0.msi", "application/x-msi"),
            (
                "relcut.exe",
                "application/vnd.microsoft.portable-executable",
            ),
            ("relcut.dmg", "application/x-apple-diskimage"),
            ("relcut_bg.wasm", "application/wasm"),
            ("relcut", "application/octet-stream"),
            ("relcut.unknown", "application/octet-stream"),
            (".json", "application/octet-stream"),
            ("tar.gz", "application/gzip"),
            ("", "application/octet-stream"),
        ];
        for (path, expected) in rows {
            assert_eq!(content_type_for(Path::new(path)), *expected, "{path}");
        }
    }
}
