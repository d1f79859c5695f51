//! The text form of messages between the page and its workers: fields joined
//! by tabs, with `\`, tab and newlines escaped inside a field.

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Builds a message field by field.
#[derive(Default)]
pub struct Writer {
    fields: Vec<String>,
}

impl Writer {
    pub fn new(tag: &str) -> Self {
        Writer { fields: vec![tag.to_owned()] }
    }

    pub fn text(mut self, text: &str) -> Self {
        self.fields.push(escape(text));
        self
    }

    pub fn num(mut self, value: impl std::fmt::Display) -> Self {
        self.fields.push(value.to_string());
        self
    }

    pub fn push_text(&mut self, text: &str) {
        self.fields.push(escape(text));
    }

    pub fn push_num(&mut self, value: impl std::fmt::Display) {
        self.fields.push(value.to_string());
    }

    pub fn finish(self) -> String {
        self.fields.join("\t")
    }
}

/// Reads a message field by field; every miss is an error message, never a panic.
pub struct Reader<'a> {
    fields: std::str::Split<'a, char>,
    what: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(message: &'a str, what: &'a str) -> Self {
        Reader { fields: message.split('\t'), what }
    }

    pub fn raw(&mut self) -> Result<&'a str, String> {
        self.fields.next().ok_or_else(|| format!("a {} message ended too early", self.what))
    }

    pub fn text(&mut self) -> Result<String, String> {
        self.raw().map(unescape)
    }

    pub fn num<T: std::str::FromStr>(&mut self) -> Result<T, String> {
        let field = self.raw()?;
        field.parse().map_err(|_| format!("a {} message has {field:?} where a number belongs", self.what))
    }

    pub fn end(&mut self) -> Result<(), String> {
        match self.fields.next() {
            None => Ok(()),
            Some(extra) => Err(format!("a {} message has an unexpected field {extra:?}", self.what)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for text in ["plain", "tab\there", "new\nline\r", "back\\slash\\t", "", "\\"] {
            assert_eq!(unescape(&escape(text)), text);
            assert!(!escape(text).contains('\t'));
        }
    }

    #[test]
    fn readers_report_what_is_wrong() {
        let mut r = Reader::new("x\t12\tabc", "test");
        assert_eq!(r.raw(), Ok("x"));
        assert_eq!(r.num::<u32>(), Ok(12));
        assert!(r.num::<u32>().unwrap_err().contains("\"abc\""));
        assert!(r.raw().unwrap_err().contains("ended too early"));
    }
}
