//! Renders the deck's markdown tree. Text is always text: nothing here sets
//! inner HTML.

use yew::prelude::*;

use super::code::CodeBlock;
use crate::deck::{Attrs, Block, Inline};

/// Lines a running demo's lanes are at: (1-based line, lane colour, lane name).
pub type ActiveLines = Vec<(u32, usize, String)>;

pub fn blocks(blocks: &[Block]) -> Html {
    blocks_running(blocks, &[])
}

/// As `blocks`, with the lines a demo is running lit in its Python code.
pub fn blocks_running(blocks: &[Block], active: &[(u32, usize, String)]) -> Html {
    blocks.iter().map(|b| block(b, active)).collect()
}

/// A slide's content. Its first heading is the page's one `h1`, where a screen
/// reader's outline of the page starts, drawn at the size its own level gives it
/// (`look-h2` for a `##`).
pub fn slide_blocks(blocks: &[Block], active: &[(u32, usize, String)]) -> Html {
    let first = blocks.iter().position(|b| matches!(b, Block::Heading { .. }));
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| match b {
            Block::Heading { level, content, attrs } if Some(i) == first => heading(1, *level, content, attrs),
            _ => block(b, active),
        })
        .collect()
}

/// A heading of level `tag` that looks like one of level `look`.
fn heading(tag: u8, look: u8, content: &[Inline], attrs: &Attrs) -> Html {
    let (tag, look) = (tag.clamp(1, 6), look.clamp(1, 6));
    let class = classes!(attrs.class_string(), (tag != look).then(|| format!("look-h{look}")));
    html! { <@{format!("h{tag}")} id={attrs.id.clone()} class={class}>{ inlines(content) }</@> }
}

fn block(block: &Block, active: &[(u32, usize, String)]) -> Html {
    match block {
        Block::Heading { level, content, attrs } => heading(*level, *level, content, attrs),
        Block::Paragraph { content, attrs } => {
            html! { <p id={attrs.id.clone()} class={attrs.class_string()} title={attr(attrs, "title")}>{ inlines(content) }</p> }
        }
        Block::Plain { content } => inlines(content),
        Block::List { start, items, attrs } => {
            let items: Html = items
                .iter()
                .map(|item| html! { <li class={item.attrs.class_string()}>{ blocks_running(&item.blocks, active) }</li> })
                .collect();
            match start {
                Some(start) => html! {
                    <ol start={start.to_string()} id={attrs.id.clone()} class={attrs.class_string()}>{ items }</ol>
                },
                None => {
                    html! { <ul id={attrs.id.clone()} class={attrs.class_string()}>{ items }</ul> }
                }
            }
        }
        Block::Code { lang, code, attrs } => {
            html! {
                <CodeBlock lang={lang.clone()} code={AttrValue::from(code.clone())} classes={attrs.class_string()}
                           active={active.to_vec()} />
            }
        }
        Block::Quote { blocks: inner, attrs } => {
            html! { <blockquote id={attrs.id.clone()} class={attrs.class_string()}>{ blocks_running(inner, active) }</blockquote> }
        }
        Block::Rule => html! { <hr /> },
        Block::RawHtml { text } => {
            html! { <pre class="raw-html" title="Raw HTML is shown, not run">{ text.clone() }</pre> }
        }
    }
}

fn attr(attrs: &Attrs, name: &str) -> Option<AttrValue> {
    attrs.other.iter().find(|(k, _)| k == name).map(|(_, v)| AttrValue::from(v.clone()))
}

pub fn inlines(content: &[Inline]) -> Html {
    content.iter().map(inline).collect()
}

fn inline(inline: &Inline) -> Html {
    match inline {
        Inline::Text(text) => html! { { text.clone() } },
        Inline::Code(code) => html! { <code>{ code.clone() }</code> },
        Inline::Emphasis(content) => html! { <em>{ inlines(content) }</em> },
        Inline::Strong(content) => html! { <strong>{ inlines(content) }</strong> },
        Inline::Strikethrough(content) => html! { <del>{ inlines(content) }</del> },
        Inline::Link { href, title, content } => {
            let external = href.starts_with("http://") || href.starts_with("https://");
            let title = (!title.is_empty()).then(|| title.clone());
            html! {
                <a href={href.clone()} title={title}
                   target={external.then_some("_blank")} rel={external.then_some("noopener noreferrer")}>
                    { inlines(content) }
                    if external {
                        <span class="sr-only">{ " (opens in a new tab)" }</span>
                    }
                </a>
            }
        }
        Inline::Image { src, alt } => html! { <img src={src.clone()} alt={alt.clone()} /> },
        Inline::SoftBreak => html! { {" "} },
        Inline::HardBreak => html! { <br /> },
    }
}
