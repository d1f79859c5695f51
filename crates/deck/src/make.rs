//! Short constructors, one a node, named after the HTML each node becomes. The
//! Rust that `Deck::to_rust` writes calls them (with `use deck::make::*`), so a
//! deck compiled into an app costs a small call per node and its strings as data.

use super::{Attrs, Block, Deck, Inline, ListItem, Slide};

pub fn deck(slides: Vec<Slide>, warnings: &[&str]) -> Deck {
    Deck { slides, warnings: warnings.iter().map(|w| String::from(*w)).collect() }
}

pub fn slide(id: &str, title: &str, attrs: Attrs, demo: Option<&str>, content: Vec<Block>, notes: Vec<Block>) -> Slide {
    Slide { id: id.into(), title: title.into(), attrs, demo: demo.map(String::from), content, notes }
}

/// No attributes.
pub fn bare() -> Attrs {
    Attrs::default()
}

pub fn attrs(id: Option<&str>, classes: &[&str], other: &[(&str, &str)]) -> Attrs {
    Attrs {
        id: id.map(String::from),
        classes: classes.iter().map(|c| String::from(*c)).collect(),
        other: other.iter().map(|(k, v)| (String::from(*k), String::from(*v))).collect(),
    }
}

pub fn h(level: u8, content: Vec<Inline>, attrs: Attrs) -> Block {
    Block::Heading { level, content, attrs }
}

pub fn p(content: Vec<Inline>, attrs: Attrs) -> Block {
    Block::Paragraph { content, attrs }
}

pub fn plain(content: Vec<Inline>) -> Block {
    Block::Plain { content }
}

pub fn list(start: Option<u64>, items: Vec<ListItem>, attrs: Attrs) -> Block {
    Block::List { start, items, attrs }
}

pub fn li(blocks: Vec<Block>, attrs: Attrs) -> ListItem {
    ListItem { blocks, attrs }
}

pub fn pre(lang: Option<&str>, code: &str, attrs: Attrs) -> Block {
    Block::Code { lang: lang.map(String::from), code: code.into(), attrs }
}

pub fn quote(blocks: Vec<Block>, attrs: Attrs) -> Block {
    Block::Quote { blocks, attrs }
}

pub fn hr() -> Block {
    Block::Rule
}

pub fn html(text: &str) -> Block {
    Block::RawHtml { text: text.into() }
}

/// Text.
pub fn t(text: &str) -> Inline {
    Inline::Text(text.into())
}

pub fn code(text: &str) -> Inline {
    Inline::Code(text.into())
}

pub fn em(content: Vec<Inline>) -> Inline {
    Inline::Emphasis(content)
}

pub fn strong(content: Vec<Inline>) -> Inline {
    Inline::Strong(content)
}

pub fn del(content: Vec<Inline>) -> Inline {
    Inline::Strikethrough(content)
}

/// A link.
pub fn a(href: &str, title: &str, content: Vec<Inline>) -> Inline {
    Inline::Link { href: href.into(), title: title.into(), content }
}

pub fn img(src: &str, alt: &str) -> Inline {
    Inline::Image { src: src.into(), alt: alt.into() }
}

/// A soft line break (a newline inside a paragraph).
pub fn nl() -> Inline {
    Inline::SoftBreak
}

pub fn br() -> Inline {
    Inline::HardBreak
}
