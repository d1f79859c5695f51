//! One slide's markdown (parsed by pulldown-cmark) folded into the slide tree
//! (`tree.rs`), which the views render without ever touching raw HTML.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

use super::attrs::Attrs;
use super::tree::{Block, Inline, ListItem};

impl Block {
    fn attrs_mut(&mut self) -> Option<&mut Attrs> {
        match self {
            Block::Heading { attrs, .. }
            | Block::Paragraph { attrs, .. }
            | Block::List { attrs, .. }
            | Block::Code { attrs, .. }
            | Block::Quote { attrs, .. } => Some(attrs),
            Block::Plain { .. } | Block::Rule | Block::RawHtml { .. } => None,
        }
    }
}

/// What a slide's markdown holds besides its blocks.
pub struct Parsed {
    pub blocks: Vec<Block>,
    pub slide_attrs: Attrs,
    pub demo: Option<String>,
}

pub fn parse(markdown: &str, slide: usize, warnings: &mut Vec<String>) -> Parsed {
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH);
    let mut converter =
        Converter { events: parser, slide, warnings, slide_attrs: Attrs::default(), demo: None, parent_attrs: None };
    let blocks = converter.blocks();
    Parsed { blocks, slide_attrs: converter.slide_attrs, demo: converter.demo }
}

/// A directive comment: `<!-- .element: ... -->`, `<!-- .slide: ... -->`, `<!-- .demo: name -->`.
enum Directive {
    Element(Attrs),
    Slide(Attrs),
    Demo(String),
}

struct Converter<'a, 'w, I: Iterator<Item = Event<'a>>> {
    events: I,
    slide: usize,
    warnings: &'w mut Vec<String>,
    slide_attrs: Attrs,
    demo: Option<String>,
    /// Attributes from an inline `.element` comment, for the block around it.
    parent_attrs: Option<Attrs>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Converter<'a, '_, I> {
    fn warn(&mut self, message: String) {
        self.warnings.push(format!("slide {}: {message}", self.slide));
    }

    /// Blocks up to the end of the enclosing container (or of the input).
    fn blocks(&mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut plain: Vec<Inline> = Vec::new();
        while let Some(event) = self.events.next() {
            let block = match event {
                Event::End(_) => break,
                Event::Start(Tag::Paragraph) => {
                    let content = self.inlines();
                    let attrs = self.parent_attrs.take().unwrap_or_default();
                    Some(Block::Paragraph { content, attrs })
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let content = self.inlines();
                    let attrs = self.parent_attrs.take().unwrap_or_default();
                    Some(Block::Heading { level: level as u8, content, attrs })
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    Some(Block::Quote { blocks: self.blocks(), attrs: Attrs::default() })
                }
                Event::Start(Tag::CodeBlock(kind)) => Some(self.code(kind)),
                Event::Start(Tag::List(start)) => Some(self.list(start)),
                Event::Start(Tag::HtmlBlock) => {
                    let html = self.html_block();
                    flush(&mut plain, &mut blocks);
                    self.html(&html, &mut blocks);
                    None
                }
                Event::Html(html) => {
                    flush(&mut plain, &mut blocks);
                    self.html(&html, &mut blocks);
                    None
                }
                Event::Rule => Some(Block::Rule),
                Event::Start(Tag::Item) => {
                    // Only reached for malformed nesting; keep the content.
                    let inner = self.blocks();
                    blocks.extend(inner);
                    None
                }
                Event::Start(tag) if !is_inline(&tag) => {
                    // Tables, footnotes and the like are not enabled; keep their text.
                    let inner = self.blocks();
                    blocks.extend(inner);
                    None
                }
                other => {
                    if let Some(inline) = self.inline(other) {
                        plain.push(inline);
                    }
                    None
                }
            };
            if let Some(block) = block {
                flush(&mut plain, &mut blocks);
                blocks.push(block);
            }
        }
        flush(&mut plain, &mut blocks);
        blocks
    }

    fn list(&mut self, start: Option<u64>) -> Block {
        let mut items = Vec::new();
        while let Some(event) = self.events.next() {
            match event {
                Event::Start(Tag::Item) => {
                    let blocks = self.blocks();
                    let attrs = self.parent_attrs.take().unwrap_or_default();
                    items.push(ListItem { blocks, attrs });
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        Block::List { start, items, attrs: Attrs::default() }
    }

    fn code(&mut self, kind: CodeBlockKind<'_>) -> Block {
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_owned),
            CodeBlockKind::Indented => None,
        };
        let mut code = String::new();
        for event in self.events.by_ref() {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(_) => break,
                _ => {}
            }
        }
        if code.ends_with('\n') {
            code.pop();
        }
        Block::Code { lang, code, attrs: Attrs::default() }
    }

    fn html_block(&mut self) -> String {
        let mut html = String::new();
        for event in self.events.by_ref() {
            match event {
                Event::Html(text) | Event::Text(text) => html.push_str(&text),
                Event::End(_) => break,
                _ => {}
            }
        }
        html
    }

    /// Applies directive comments; anything else becomes visible text.
    fn html(&mut self, html: &str, blocks: &mut Vec<Block>) {
        let (directives, rest) = self.directives(html);
        for directive in directives {
            match directive {
                Directive::Element(attrs) => match blocks.last_mut().and_then(Block::attrs_mut) {
                    Some(target) => target.merge(attrs),
                    None => self.warn("an `.element` comment has no element before it".into()),
                },
                Directive::Slide(attrs) => self.slide_attrs.merge(attrs),
                Directive::Demo(name) => self.demo = Some(name),
            }
        }
        let rest = rest.trim();
        if !rest.is_empty() {
            self.warn(format!("raw HTML is shown as text: {}", shorten(rest)));
            blocks.push(Block::RawHtml { text: rest.to_owned() });
        }
    }

    fn directives(&mut self, html: &str) -> (Vec<Directive>, String) {
        let mut found = Vec::new();
        let mut rest = String::new();
        let mut text = html;
        while let Some(open) = text.find("<!--") {
            rest.push_str(&text[..open]);
            let after = &text[open + 4..];
            let (body, remaining) = match after.find("-->") {
                Some(close) => (&after[..close], &after[close + 3..]),
                None => (after, ""),
            };
            text = remaining;
            let body = body.trim();
            let mut rejected = Vec::new();
            if let Some(attrs) = body.strip_prefix(".element:") {
                found.push(Directive::Element(Attrs::parse(attrs, &mut rejected)));
            } else if let Some(attrs) = body.strip_prefix(".slide:") {
                found.push(Directive::Slide(Attrs::parse(attrs, &mut rejected)));
            } else if let Some(name) = body.strip_prefix(".demo:") {
                let name = name.trim();
                if name.is_empty() {
                    self.warn("a `.demo` comment names no demo".into());
                } else {
                    found.push(Directive::Demo(name.to_owned()));
                }
            }
            for name in rejected {
                self.warn(format!("the attribute `{name}` is not allowed and was left out"));
            }
        }
        rest.push_str(text);
        (found, rest)
    }

    /// Inline content up to the end of the enclosing tag.
    fn inlines(&mut self) -> Vec<Inline> {
        let mut out = Vec::new();
        while let Some(event) = self.events.next() {
            if let Event::End(_) = event {
                break;
            }
            if let Some(inline) = self.inline(event) {
                out.push(inline);
            }
        }
        out
    }

    fn inline(&mut self, event: Event<'a>) -> Option<Inline> {
        Some(match event {
            Event::Text(text) => Inline::Text(text.into_string()),
            Event::Code(code) => Inline::Code(code.into_string()),
            Event::SoftBreak => Inline::SoftBreak,
            Event::HardBreak => Inline::HardBreak,
            Event::Start(Tag::Emphasis) => Inline::Emphasis(self.inlines()),
            Event::Start(Tag::Strong) => Inline::Strong(self.inlines()),
            Event::Start(Tag::Strikethrough) => Inline::Strikethrough(self.inlines()),
            Event::Start(Tag::Link { dest_url, title, .. }) => {
                let content = self.inlines();
                match safe_href(&dest_url) {
                    Some(href) => Inline::Link { href, title: title.into_string(), content },
                    None => {
                        self.warn(format!("the link to {:?} was turned into text", dest_url.as_ref()));
                        Inline::Emphasis(content)
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let alt = Inline::plain_text(&self.inlines());
                if is_relative(&dest_url) {
                    Inline::Image { src: dest_url.into_string(), alt }
                } else {
                    self.warn(format!(
                        "the image {:?} is not on this site and is shown as its text",
                        dest_url.as_ref()
                    ));
                    Inline::Text(alt)
                }
            }
            Event::InlineHtml(html) => {
                let trimmed = html.trim();
                if matches!(trimmed, "<br>" | "<br/>" | "<br />") {
                    return Some(Inline::HardBreak);
                }
                let (directives, rest) = self.directives(trimmed);
                for directive in directives {
                    match directive {
                        Directive::Element(attrs) => self.parent_attrs.get_or_insert_with(Attrs::default).merge(attrs),
                        Directive::Slide(attrs) => self.slide_attrs.merge(attrs),
                        Directive::Demo(name) => self.demo = Some(name),
                    }
                }
                if rest.trim().is_empty() {
                    return None;
                }
                Inline::Text(rest)
            }
            Event::Start(_) => Inline::Text(Inline::plain_text(&self.inlines())),
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => Inline::Text(t.into_string()),
            Event::Html(t) => Inline::Text(t.into_string()),
            Event::TaskListMarker(done) => Inline::Text(if done { "[x] " } else { "[ ] " }.into()),
            Event::End(_) | Event::Rule => return None,
        })
    }
}

fn flush(plain: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
    if !plain.is_empty() {
        blocks.push(Block::Plain { content: std::mem::take(plain) });
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// A scheme, if the address has one before its first `/`, `?` or `#`.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    (url.as_bytes()[end] == b':').then(|| &url[..end])
}

fn is_relative(url: &str) -> bool {
    scheme(url).is_none() && !url.starts_with("//")
}

fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    match scheme(url).map(str::to_ascii_lowercase).as_deref() {
        None => Some(url.to_owned()),
        Some("http" | "https" | "mailto") => Some(url.to_owned()),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> (Vec<Block>, Vec<String>) {
        let mut warnings = Vec::new();
        let parsed = parse(md, 1, &mut warnings);
        (parsed.blocks, warnings)
    }

    #[test]
    fn unsafe_links_become_text() {
        let (b, w) = blocks("[x](javascript:alert(1)) [y](https://a.b/) [z](./local#h)");
        let Block::Paragraph { content, .. } = &b[0] else { panic!("{b:?}") };
        assert!(matches!(&content[0], Inline::Emphasis(_)));
        assert!(matches!(&content[2], Inline::Link { href, .. } if href == "https://a.b/"));
        assert!(matches!(&content[4], Inline::Link { href, .. } if href == "./local#h"));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn remote_images_are_not_loaded() {
        let (b, _) = blocks("![a cat](https://cats.example/c.png) ![a dog](img/dog.png)");
        let Block::Paragraph { content, .. } = &b[0] else { panic!("{b:?}") };
        assert_eq!(content[0], Inline::Text("a cat".into()));
        assert_eq!(content[2], Inline::Image { src: "img/dog.png".into(), alt: "a dog".into() });
    }

    #[test]
    fn tight_list_items_hold_plain_inlines() {
        let (b, _) = blocks("* one `two`\n* **three**\n");
        let Block::List { items, start: None, .. } = &b[0] else { panic!("{b:?}") };
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].blocks,
            vec![Block::Plain { content: vec![Inline::Text("one ".into()), Inline::Code("two".into())] }]
        );
    }

    #[test]
    fn inline_element_comment_sets_the_enclosing_blocks_attributes() {
        let (b, _) = blocks("Some text <!-- .element: class=\"fragment\" -->\n");
        let Block::Paragraph { attrs, content } = &b[0] else { panic!("{b:?}") };
        assert_eq!(attrs.classes, ["fragment"]);
        assert_eq!(Inline::plain_text(content).trim(), "Some text");
    }
}
