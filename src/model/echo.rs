//! Text from a link or a field, quoted back in a message: short enough that a
//! crafted link cannot flood the page with it.

/// How many characters of someone's text a message repeats.
pub const ECHO_CHARS: usize = 60;

/// `text` as Rust's `{:?}` quotes it, cut to `ECHO_CHARS` characters with an
/// ellipsis.
pub fn echo(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(ECHO_CHARS).collect();
    if chars.next().is_some() {
        format!("{:?}…", head)
    } else {
        format!("{head:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_quoted_whole_and_long_text_is_cut() {
        assert_eq!(echo("colour"), "\"colour\"");
        let long = "x".repeat(10_000);
        let quoted = echo(&long);
        assert_eq!(quoted.chars().count(), ECHO_CHARS + 3);
        assert!(quoted.ends_with('…'));
        assert_eq!(echo(&"é".repeat(61)).chars().count(), ECHO_CHARS + 3, "cut at characters, not bytes");
    }
}
