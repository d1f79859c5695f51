//! A deck as Rust source, for build scripts: an app then ships the slide tree,
//! built by the constructors of `make`, and no parser.

use super::{Attrs, Block, Deck, Inline, ListItem};

impl Deck {
    /// An expression that builds this deck again: `deck(vec![slide(…), …], &[…])`,
    /// with `use deck::make::*` in scope. One slide's block a line.
    pub fn to_rust(&self) -> String {
        let mut out = String::from("deck(\n    vec![\n");
        for s in &self.slides {
            out += "        slide(\n";
            for argument in [lit(&s.id), lit(&s.title), attrs(&s.attrs), option(s.demo.as_deref())] {
                out += &format!("            {argument},\n");
            }
            for blocks in [&s.content, &s.notes] {
                if blocks.is_empty() {
                    out += "            vec![],\n";
                    continue;
                }
                out += "            vec![\n";
                for b in blocks {
                    out += &format!("                {},\n", block(b));
                }
                out += "            ],\n";
            }
            out += "        ),\n";
        }
        out += &format!("    ],\n    &[{}],\n)", list(&self.warnings, |w| lit(w)));
        out
    }
}

fn block(block: &Block) -> String {
    match block {
        Block::Heading { level, content, attrs: a } => format!("h({level}, {}, {})", inlines(content), attrs(a)),
        Block::Paragraph { content, attrs: a } => format!("p({}, {})", inlines(content), attrs(a)),
        Block::Plain { content } => format!("plain({})", inlines(content)),
        Block::List { start, items, attrs: a } => {
            let start = start.map_or_else(|| "None".to_owned(), |n| format!("Some({n})"));
            format!("list({start}, vec![{}], {})", list(items, item), attrs(a))
        }
        Block::Code { lang, code, attrs: a } => {
            format!("pre({}, {}, {})", option(lang.as_deref()), lit(code), attrs(a))
        }
        Block::Quote { blocks: b, attrs: a } => format!("quote({}, {})", blocks(b), attrs(a)),
        Block::Rule => "hr()".to_owned(),
        Block::RawHtml { text } => format!("html({})", lit(text)),
    }
}

fn item(item: &ListItem) -> String {
    format!("li({}, {})", blocks(&item.blocks), attrs(&item.attrs))
}

fn blocks(blocks: &[Block]) -> String {
    format!("vec![{}]", list(blocks, block))
}

fn inlines(inlines: &[Inline]) -> String {
    format!("vec![{}]", list(inlines, inline))
}

fn inline(inline: &Inline) -> String {
    match inline {
        Inline::Text(text) => format!("t({})", lit(text)),
        Inline::Code(text) => format!("code({})", lit(text)),
        Inline::Emphasis(content) => format!("em({})", inlines(content)),
        Inline::Strong(content) => format!("strong({})", inlines(content)),
        Inline::Strikethrough(content) => format!("del({})", inlines(content)),
        Inline::Link { href, title, content } => format!("a({}, {}, {})", lit(href), lit(title), inlines(content)),
        Inline::Image { src, alt } => format!("img({}, {})", lit(src), lit(alt)),
        Inline::SoftBreak => "nl()".to_owned(),
        Inline::HardBreak => "br()".to_owned(),
    }
}

fn attrs(attrs: &Attrs) -> String {
    if attrs.is_empty() {
        return "bare()".to_owned();
    }
    let other = list(&attrs.other, |(key, value)| format!("({}, {})", lit(key), lit(value)));
    format!("attrs({}, &[{}], &[{other}])", option(attrs.id.as_deref()), list(&attrs.classes, |c| lit(c)))
}

fn list<T>(items: &[T], each: impl Fn(&T) -> String) -> String {
    items.iter().map(each).collect::<Vec<_>>().join(", ")
}

fn option(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_owned(), |text| format!("Some({})", lit(text)))
}

/// A string literal: `Debug` quotes and escapes as Rust source does.
fn lit(text: &str) -> String {
    format!("{text:?}")
}
