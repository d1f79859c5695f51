//! Attributes from `<!-- .element: ... -->` and `<!-- .slide: ... -->` comments.

/// The attributes a deck may set. Only harmless ones are kept: `id`, `class`,
/// `title`, `lang` and `data-*`; anything else (`style`, `on*`) is reported and dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub other: Vec<(String, String)>,
}

impl Attrs {
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.classes.is_empty() && self.other.is_empty()
    }

    pub fn class_string(&self) -> Option<String> {
        (!self.classes.is_empty()).then(|| self.classes.join(" "))
    }

    /// Later attributes win, classes add up (as reveal.js does).
    pub fn merge(&mut self, more: Attrs) {
        if more.id.is_some() {
            self.id = more.id;
        }
        for class in more.classes {
            if !self.classes.contains(&class) {
                self.classes.push(class);
            }
        }
        for (key, value) in more.other {
            self.other.retain(|(k, _)| *k != key);
            self.other.push((key, value));
        }
    }

    /// Parses `key="value" key='value' key=value flag`; `rejected` receives the
    /// names that were dropped.
    pub fn parse(text: &str, rejected: &mut Vec<String>) -> Attrs {
        let mut attrs = Attrs::default();
        let mut rest = text.trim();
        while !rest.is_empty() {
            let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
            let name = rest[..name_end].to_ascii_lowercase();
            rest = rest[name_end..].trim_start();
            let value = if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (value, remaining) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let body = &after[1..];
                        match body.find(q) {
                            Some(end) => (&body[..end], &body[end + 1..]),
                            None => (body, ""),
                        }
                    }
                    _ => {
                        let end = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                rest = remaining.trim_start();
                value.to_owned()
            } else {
                String::new()
            };
            if name.is_empty() {
                // A stray `="..."` with no name: its value was consumed above.
                continue;
            }
            match name.as_str() {
                "id" => attrs.id = Some(value),
                "class" => attrs.merge(Attrs {
                    classes: value.split_whitespace().map(str::to_owned).collect(),
                    ..Attrs::default()
                }),
                "title" | "lang" => attrs.other.push((name, value)),
                n if n.starts_with("data-")
                    && n.len() > 5
                    && n[5..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
                {
                    attrs.other.push((name, value))
                }
                _ => rejected.push(name),
            }
        }
        attrs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_and_bare_values() {
        let mut rejected = Vec::new();
        let a = Attrs::parse(r#"class="admonition warning" id=intro data-x='1 2' title="t""#, &mut rejected);
        assert_eq!(a.classes, ["admonition", "warning"]);
        assert_eq!(a.id.as_deref(), Some("intro"));
        assert_eq!(a.other, [("data-x".to_owned(), "1 2".to_owned()), ("title".to_owned(), "t".to_owned())]);
        assert!(rejected.is_empty());
    }

    #[test]
    fn drops_event_handlers_and_styles() {
        let mut rejected = Vec::new();
        let a = Attrs::parse(r#"onclick="alert(1)" style="color:red" class=ok"#, &mut rejected);
        assert_eq!(a.classes, ["ok"]);
        assert!(a.other.is_empty());
        assert_eq!(rejected, ["onclick", "style"]);
    }

    #[test]
    fn survives_garbage() {
        let mut rejected = Vec::new();
        let a = Attrs::parse(r#"= "" class="unterminated"#, &mut rejected);
        assert_eq!(a.classes, ["unterminated"]);
    }
}
