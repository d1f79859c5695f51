//! Text from a link or a field, quoted back in a message: short enough that a
//! crafted link cannot flood the page with it.

/// How many characters of someone's text a message repeats.
pub const ECHO_CHARS: usize = 60;

/// `text` in double quotes, cut to `ECHO_CHARS` characters with an ellipsis.
/// Quotes and backslashes are escaped, and so is every character that cannot be
/// seen (control characters, zero-width and direction marks), as Rust's `{:?}`
/// writes them: `"tab\there"`, `"\u{200b}"`. Written out rather than `{:?}`, whose
/// Unicode tables would ship in the slides' module for this one use.
pub fn echo(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(ECHO_CHARS).collect();
    let mut quoted = String::with_capacity(head.len() + 5);
    quoted.push('"');
    for c in head.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if unseen(c) => quoted.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    if chars.next().is_some() {
        quoted.push('…');
    }
    quoted
}

/// A character that shows nothing (or changes how the rest shows).
fn unseen(c: char) -> bool {
    c.is_control()
        || matches!(u32::from(c), 0xad | 0x34f | 0x61c | 0x115f | 0x1160 | 0x17b4 | 0x17b5 | 0x180b..=0x180f
            | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0x3164 | 0xfe00..=0xfe0f | 0xfeff | 0xffa0
            | 0xfff0..=0xfffb | 0xe0000..=0xe0fff)
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

    #[test]
    fn quotes_and_what_cannot_be_seen_are_escaped_as_rust_debug_does() {
        for text in [
            "say \"hi\"",
            "back\\slash",
            "tab\there\nnext\r",
            "zero\u{200b}width",
            "bom\u{feff}",
            "bell\u{7}",
            "rtl\u{202e}x",
            "é ü 漢字 🙂",
        ] {
            assert_eq!(echo(text), format!("{text:?}"), "{text}");
        }
    }
}
