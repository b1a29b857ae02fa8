//! Byte-range splices: the only way version files are rewritten. Pure; must not parse or read
//! files, and must not touch text outside the ranges it is given.
//!
//! Why splices rather than re-serialising a `toml_edit::DocumentMut`: a splice replaces exactly the
//! bytes of one value and nothing else, so comments, key order, whitespace and quote style are kept
//! by construction, not by trusting a serialiser to reproduce them.

use std::ops::Range;

/// Replace `range` of the original text with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Splice {
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// The new text for that range.
    pub replacement: String,
}

impl Splice {
    pub(super) fn new(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Self {
            range,
            replacement: replacement.into(),
        }
    }
}

/// Applies non-overlapping splices to `text`, in any order.
///
/// # Panics
///
/// If two splices overlap or one reaches outside `text`: that is a bug in the planner, and
/// writing a half-edited file would be worse than stopping.
pub(super) fn apply(text: &str, mut splices: Vec<Splice>) -> String {
    splices.sort_by_key(|splice| (splice.range.start, splice.range.end));
    let mut out = String::with_capacity(text.len());
    let mut copied_up_to = 0;
    for splice in splices {
        assert!(
            splice.range.start >= copied_up_to && splice.range.end <= text.len(),
            "overlapping or out-of-bounds splice {:?}",
            splice.range
        );
        out.push_str(&text[copied_up_to..splice.range.start]);
        out.push_str(&splice.replacement);
        copied_up_to = splice.range.end;
    }
    out.push_str(&text[copied_up_to..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_splices_in_any_order() {
        let text = "a = \"1\"\nb = \"2\"\n";
        let after = apply(
            text,
            vec![Splice::new(12..15, "\"20\""), Splice::new(4..7, "\"10\"")],
        );
        assert_eq!(after, "a = \"10\"\nb = \"20\"\n");
    }

    #[test]
    fn no_splices_is_the_identity() {
        assert_eq!(apply("x\r\ny", Vec::new()), "x\r\ny");
    }

    #[test]
    #[should_panic(expected = "overlapping")]
    fn overlapping_splices_panic() {
        apply(
            "abcdef",
            vec![Splice::new(0..3, "x"), Splice::new(2..4, "y")],
        );
    }
}
