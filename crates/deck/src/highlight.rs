//! Python syntax highlighting, line by line.
//!
//! A small tokenizer following Python's own lexical rules (`tokenize`, the
//! `keyword` module). Written here rather than pulled in because the maintained
//! Rust highlighters carry a regex engine and grammar tables that would weigh
//! more than the whole app, and because the demos need the code split into
//! lines they can light up one at a time.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Plain,
    Keyword,
    Builtin,
    String,
    Number,
    Comment,
    Decorator,
    /// The name a `def` or `class` introduces.
    Definition,
    Operator,
    Punctuation,
}

impl TokenKind {
    /// The CSS class the views give this kind.
    pub fn class(self) -> &'static str {
        match self {
            TokenKind::Plain => "tok-plain",
            TokenKind::Keyword => "tok-kw",
            TokenKind::Builtin => "tok-builtin",
            TokenKind::String => "tok-str",
            TokenKind::Number => "tok-num",
            TokenKind::Comment => "tok-comment",
            TokenKind::Decorator => "tok-deco",
            TokenKind::Definition => "tok-def",
            TokenKind::Operator => "tok-op",
            TokenKind::Punctuation => "tok-punct",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
}

/// `keyword.kwlist` of CPython 3.13.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "bytes",
    "dict",
    "enumerate",
    "Exception",
    "filter",
    "float",
    "format",
    "getattr",
    "hasattr",
    "id",
    "int",
    "isinstance",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "object",
    "open",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "sorted",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "zip",
    "self",
    "cls",
    "__name__",
];

/// Highlights Python source; returns one token list per source line.
pub fn python(code: &str) -> Vec<Vec<Token>> {
    let mut lexer = Lexer { src: code, pos: 0, tokens: Vec::new(), after_def: false };
    lexer.run();
    into_lines(lexer.tokens)
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    after_def: bool,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn emit(&mut self, kind: TokenKind, end: usize) {
        let text = &self.src[self.pos..end];
        if text.is_empty() {
            return;
        }
        match self.tokens.last_mut() {
            Some(last) if last.kind == kind && kind == TokenKind::Plain => last.text.push_str(text),
            _ => self.tokens.push(Token { kind, text: text.to_owned() }),
        }
        self.pos = end;
    }

    fn at_line_start(&self) -> bool {
        self.src[..self.pos].rsplit('\n').next().is_some_and(|before| before.trim().is_empty())
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            let start = self.pos;
            if c == '#' {
                let end = self.rest().find('\n').map_or(self.src.len(), |i| start + i);
                self.emit(TokenKind::Comment, end);
            } else if let Some(len) = string_prefix(self.rest()) {
                self.string(len);
            } else if c.is_ascii_digit() || (c == '.' && self.rest()[1..].starts_with(|d: char| d.is_ascii_digit())) {
                let end = self.number_end();
                self.emit(TokenKind::Number, end);
            } else if c.is_alphabetic() || c == '_' {
                let len = self.rest().find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(self.rest().len());
                let word = &self.rest()[..len];
                let kind = if self.after_def {
                    TokenKind::Definition
                } else if KEYWORDS.contains(&word) {
                    TokenKind::Keyword
                } else if BUILTINS.contains(&word) {
                    TokenKind::Builtin
                } else {
                    TokenKind::Plain
                };
                self.after_def = matches!(word, "def" | "class");
                self.emit(kind, start + len);
            } else if c == '@' && self.at_line_start() {
                let len = 1 + self.rest()[1..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .unwrap_or(self.rest().len() - 1);
                self.emit(TokenKind::Decorator, start + len);
            } else if c.is_whitespace() {
                let len = self.rest().find(|c: char| !c.is_whitespace()).unwrap_or(self.rest().len());
                self.emit(TokenKind::Plain, start + len);
            } else if "()[]{},;.".contains(c) {
                self.emit(TokenKind::Punctuation, start + 1);
            } else if "+-*/%=<>!&|^~@:".contains(c) {
                let len = self.rest().find(|c: char| !"+-*/%=<>!&|^~@:".contains(c)).unwrap_or(self.rest().len());
                self.emit(TokenKind::Operator, start + len);
            } else {
                self.emit(TokenKind::Plain, start + c.len_utf8());
            }
        }
    }

    fn number_end(&self) -> usize {
        let bytes = self.rest().as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let exponent_sign = (b == b'+' || b == b'-')
                && i > 0
                && matches!(bytes[i - 1], b'e' | b'E')
                && !self.rest().starts_with("0x")
                && !self.rest().starts_with("0X");
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign {
                i += 1;
            } else {
                break;
            }
        }
        self.pos + i
    }

    /// A string literal whose prefix is `prefix_len` bytes long.
    fn string(&mut self, prefix_len: usize) {
        let prefix = self.rest()[..prefix_len].to_ascii_lowercase();
        let raw = prefix.contains('r');
        let formatted = prefix.contains('f');
        let body = &self.rest()[prefix_len..];
        let quote = if body.starts_with("\"\"\"") || body.starts_with("'''") { &body[..3] } else { &body[..1] };
        let quote = quote.to_owned();
        let mut i = self.pos + prefix_len + quote.len();
        let mut segment_start = self.pos;
        loop {
            let rest = &self.src[i..];
            let Some(c) = rest.chars().next() else {
                self.emit(TokenKind::String, i);
                return;
            };
            if rest.starts_with(quote.as_str()) {
                self.pos = segment_start;
                self.emit(TokenKind::String, i + quote.len());
                return;
            }
            if c == '\n' && quote.len() == 1 {
                // An unterminated single-quoted string ends at the line's end.
                self.pos = segment_start;
                self.emit(TokenKind::String, i);
                return;
            }
            if c == '\\' && !raw {
                i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            if formatted && c == '{' {
                if rest.starts_with("{{") {
                    i += 2;
                    continue;
                }
                if let Some(close) = replacement_field_end(rest) {
                    self.pos = segment_start;
                    self.emit(TokenKind::String, i);
                    self.emit(TokenKind::Punctuation, i + 1);
                    let inner = &self.src[i + 1..i + close];
                    let mut sub = Lexer { src: inner, pos: 0, tokens: Vec::new(), after_def: false };
                    sub.run();
                    self.tokens.extend(sub.tokens);
                    self.pos = i + close;
                    self.emit(TokenKind::Punctuation, i + close + 1);
                    i += close + 1;
                    segment_start = i;
                    continue;
                }
            }
            i += c.len_utf8();
        }
    }
}

/// The length of a string prefix plus nothing else, if a string literal starts here.
fn string_prefix(rest: &str) -> Option<usize> {
    let prefix_len = rest.find(['\'', '"'])?;
    if prefix_len > 2 {
        return None;
    }
    let prefix = rest[..prefix_len].to_ascii_lowercase();
    matches!(prefix.as_str(), "" | "r" | "u" | "b" | "f" | "br" | "rb" | "fr" | "rf").then_some(prefix_len)
}

/// Where the `}` closing the replacement field that opens `rest` stands.
fn replacement_field_end(rest: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            '\n' => return None,
            _ => {}
        }
    }
    None
}

fn into_lines(tokens: Vec<Token>) -> Vec<Vec<Token>> {
    let mut lines = vec![Vec::new()];
    for token in tokens {
        let mut parts = token.text.split('\n').peekable();
        while let Some(part) = parts.next() {
            if !part.is_empty() {
                if let Some(line) = lines.last_mut() {
                    line.push(Token { kind: token.kind, text: part.to_owned() });
                }
            }
            if parts.peek().is_some() {
                lines.push(Vec::new());
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::TokenKind::*;
    use super::*;

    fn kinds(line: &[Token]) -> Vec<(TokenKind, &str)> {
        line.iter().filter(|t| !t.text.trim().is_empty()).map(|t| (t.kind, t.text.as_str())).collect()
    }

    #[test]
    fn one_token_list_per_line() {
        let code = "a = 1\n\nb = 2";
        assert_eq!(python(code).len(), 3);
        let joined: Vec<std::string::String> =
            python(code).iter().map(|l| l.iter().map(|t| t.text.as_str()).collect()).collect();
        assert_eq!(joined.join("\n"), code);
    }

    #[test]
    fn keywords_definitions_builtins_and_strings() {
        let lines =
            python("class MyThread(threading.Thread):\n    def run(self):\n        print('%s: %3d' % (self.name, i))");
        assert_eq!(kinds(&lines[0])[..2], [(Keyword, "class"), (Definition, "MyThread")]);
        assert_eq!(kinds(&lines[1])[..2], [(Keyword, "def"), (Definition, "run")]);
        assert_eq!(kinds(&lines[2])[0], (Builtin, "print"));
        assert_eq!(kinds(&lines[2])[2], (String, "'%s: %3d'"));
        assert_eq!(kinds(&lines[2])[3], (Operator, "%"));
    }

    #[test]
    fn f_string_fields_are_code() {
        let lines = python("print(f'Job #{i} is sleeping for {sleeptime}s')");
        let k = kinds(&lines[0]);
        assert!(k.contains(&(String, "f'Job #")));
        assert!(k.contains(&(Plain, "i")));
        assert!(k.contains(&(String, "s'")));
    }

    #[test]
    fn comments_numbers_and_decorators() {
        let lines = python("@functools.cache\nx = 0x1F + 1e-3  # hi\ny = 'a # not comment'");
        assert_eq!(kinds(&lines[0]), [(Decorator, "@functools.cache")]);
        assert_eq!(kinds(&lines[1])[2], (Number, "0x1F"));
        assert_eq!(kinds(&lines[1])[4], (Number, "1e-3"));
        assert_eq!(kinds(&lines[1])[5], (Comment, "# hi"));
        assert_eq!(kinds(&lines[2])[2], (String, "'a # not comment'"));
    }

    #[test]
    fn triple_quoted_strings_span_lines_and_unterminated_ones_do_not_panic() {
        let lines = python("s = \"\"\"a\nb\"\"\"\nt = 'open");
        assert_eq!(kinds(&lines[1]), [(String, "b\"\"\"")]);
        assert_eq!(kinds(&lines[2])[2], (String, "'open"));
        assert_eq!(python("f'{'").len(), 1);
        assert_eq!(python("\"\"\"").len(), 1);
    }
}
