//! Secrets (the forge token) and the redaction of text that came from git or the network.
//!
//! A [`Secret`] has no `Display` and a `Debug` that prints a placeholder, so no error, log line,
//! JSON document or panic message can carry it by accident. Its value is reachable only through
//! [`Secret::expose_for_authorization_header`], called where the HTTP header is built. [`redact`]
//! removes credentials from foreign text before it becomes part of an error. Nothing here does
//! input or output.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// What a secret, or a credential removed by [`redact`], is shown as.
pub const REDACTED: &str = "***";

/// A credential such as a GitHub token. Never empty.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// A secret holding `value`, or `None` when `value` is empty or only white space (an empty
    /// `GITHUB_TOKEN` counts as no token). Surrounding white space (a trailing newline from a
    /// file) is not part of the value.
    pub fn new(value: impl Into<String>) -> Option<Secret> {
        let value = value.into();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            None
        } else if trimmed.len() == value.len() {
            Some(Secret(value))
        } else {
            Some(Secret(trimmed.to_string()))
        }
    }

    /// The value itself, for the `Authorization` header of a request and nothing else.
    pub fn expose_for_authorization_header(&self) -> &str {
        &self.0
    }

    /// Whether `text` contains the value (for tests and assertions that it leaked nowhere).
    pub fn occurs_in(&self, text: &str) -> bool {
        text.contains(self.0.as_str())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

/// `scheme://userinfo@`: the credentials of a URL (a push URL may carry a token).
static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@]+@").expect("valid regex")
});

/// The shapes of GitHub's own tokens, whichever token they are.
static GITHUB_TOKEN_SHAPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})").expect("valid regex")
});

/// `text` without credentials: the user information of every URL (`https://user:pass@host`,
/// `https://token@host` → `https://***@host`), anything shaped like a GitHub token, and every
/// occurrence of `secret`'s value.
pub fn redact(text: &str, secret: Option<&Secret>) -> String {
    let mut text = match secret {
        Some(secret) => text.replace(secret.0.as_str(), REDACTED),
        None => text.to_string(),
    };
    if URL_USERINFO.is_match(&text) {
        text = URL_USERINFO
            .replace_all(&text, format!("${{scheme}}{REDACTED}@"))
            .into_owned();
    }
    if GITHUB_TOKEN_SHAPE.is_match(&text) {
        text = GITHUB_TOKEN_SHAPE.replace_all(&text, REDACTED).into_owned();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "s3cr3t-token-value";

    #[test]
    fn a_secret_never_formats_its_value() {
        let secret = Secret::new(VALUE).unwrap();
        let wrapped = Some(vec![secret.clone()]);
        let renderings = [
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{wrapped:?}"),
            format!("{wrapped:#?}"),
            format!("{:>40?}", secret),
        ];
        for rendering in renderings {
            assert!(!rendering.contains(VALUE), "{rendering}");
            assert!(rendering.contains(REDACTED), "{rendering}");
        }
        assert_eq!(secret.expose_for_authorization_header(), VALUE);
    }

    #[test]
    fn empty_values_are_no_secret() {
        let rows: &[(&str, Option<&str>)] = &[
            ("", None),
            ("   ", None),
            ("\n", None),
            ("abc", Some("abc")),
            (" abc\n", Some("abc")),
        ];
        for (value, expected) in rows {
            let secret = Secret::new(*value);
            assert_eq!(
                secret.as_ref().map(Secret::expose_for_authorization_header),
                *expected,
                "{value:?}"
            );
        }
    }

    #[test]
    fn redaction_removes_credentials() {
        let ghp = format!("ghp_{}", "a1B2".repeat(9));
        let pat = format!("github_pat_{}", "x_Y9".repeat(10));
        let rows: Vec<(String, String)> = vec![
            (
                "fatal: unable to access 'https://user:pa55@github.com/o/r.git/': 403".into(),
                "fatal: unable to access 'https://***@github.com/o/r.git/': 403".into(),
            ),
            (
                "remote: https://x-access-token:abc@ghe.example.com/o/r".into(),
                "remote: https://***@ghe.example.com/o/r".into(),
            ),
            (
                "To https://tok@github.com/o/r\n ! [rejected]".into(),
                "To https://***@github.com/o/r\n ! [rejected]".into(),
            ),
            (
                "ssh://git@host:22/o/r and http://a:b@h".into(),
                "ssh://***@host:22/o/r and http://***@h".into(),
            ),
            (
                format!("the value {VALUE} appears, twice: {VALUE}"),
                "the value *** appears, twice: ***".into(),
            ),
            (format!("token {ghp} leaked"), "token *** leaked".into()),
            (format!("Bearer {pat}"), "Bearer ***".into()),
            // Nothing to remove: scp-like addresses name a user, not a credential.
            (
                "git@github.com:o/r.git: Permission denied".into(),
                "git@github.com:o/r.git: Permission denied".into(),
            ),
            (
                "https://github.com/o/r/issues?q=@me".into(),
                "https://github.com/o/r/issues?q=@me".into(),
            ),
            (
                "mail author@example.com".into(),
                "mail author@example.com".into(),
            ),
        ];
        let secret = Secret::new(VALUE).unwrap();
        for (input, expected) in rows {
            assert_eq!(redact(&input, Some(&secret)), expected, "{input}");
        }
    }

    #[test]
    fn redaction_without_a_secret_still_removes_url_credentials() {
        assert_eq!(
            redact("https://me:pw@example.com/x", None),
            "https://***@example.com/x"
        );
    }
}
