//! The slide tree: what a slide's markdown becomes, and all the views ever see.

use super::attrs::Attrs;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        content: Vec<Inline>,
        attrs: Attrs,
    },
    Paragraph {
        content: Vec<Inline>,
        attrs: Attrs,
    },
    /// Inline content straight inside a tight list item.
    Plain {
        content: Vec<Inline>,
    },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
        attrs: Attrs,
    },
    Code {
        lang: Option<String>,
        code: String,
        attrs: Attrs,
    },
    Quote {
        blocks: Vec<Block>,
        attrs: Attrs,
    },
    Rule,
    /// Raw HTML from the deck, shown as text, never as markup.
    RawHtml {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub blocks: Vec<Block>,
    pub attrs: Attrs,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    /// `href` is already checked: http(s), mailto or a relative address.
    Link {
        href: String,
        title: String,
        content: Vec<Inline>,
    },
    /// Only same-origin images are kept, so a deck never makes the page fetch elsewhere.
    Image {
        src: String,
        alt: String,
    },
    SoftBreak,
    HardBreak,
}

impl Inline {
    pub fn plain_text(inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                    out.push_str(&Inline::plain_text(c))
                }
                Inline::Link { content, .. } => out.push_str(&Inline::plain_text(content)),
                Inline::Image { alt, .. } => out.push_str(alt),
                Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            }
        }
        out
    }
}

impl Block {
    pub fn heading_text(&self) -> Option<String> {
        match self {
            Block::Heading { content, .. } => Some(Inline::plain_text(content)),
            _ => None,
        }
    }
}
