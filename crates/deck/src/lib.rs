//! The deck: reveal.js-flavoured markdown in, slides out. Pure Rust.
//!
//! Conventions (those of reveal.js' markdown plugin):
//! - a line holding only `^` (or `---`) separates slides;
//! - a line starting `Note:` starts the slide's speaker notes;
//! - `<!-- .element: class="..." -->` sets attributes on the element before it;
//! - `<!-- .slide: id="..." -->` sets attributes on the slide;
//! - `<!-- .demo: name -->` names the live demo shown beside the slide.
//!
//! Raw HTML is never passed through: it comes out as text.
//!
//! Built plainly, the crate is the slide tree (`Deck`, `Slide`, `Block`, `Inline`),
//! Python highlighting and the constructors of `make`: what an app ships. The
//! feature `parse` adds the parser (`Deck::parse`, on pulldown-cmark) and
//! `Deck::to_rust`, which writes a parsed deck as Rust for a build script.

mod attrs;
#[cfg(feature = "parse")]
mod codegen;
#[cfg(feature = "parse")]
mod error;
pub mod highlight;
pub mod make;
#[cfg(feature = "parse")]
mod markdown;
#[cfg(feature = "parse")]
mod parse;
#[cfg(feature = "parse")]
mod split;
mod tree;

pub use attrs::Attrs;
#[cfg(feature = "parse")]
pub use error::DeckError;
#[cfg(feature = "parse")]
pub use parse::slug;
pub use tree::{Block, Inline, ListItem};

#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub slides: Vec<Slide>,
    /// Things the parser passed over that an author may want to know about.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// Stable id for links (`#/the-gil`): the `.slide` id, else a slug of the title.
    pub id: String,
    pub title: String,
    pub attrs: Attrs,
    pub demo: Option<String>,
    pub content: Vec<Block>,
    pub notes: Vec<Block>,
}

impl Slide {
    /// The slide's Python code: its first code block in a `py…` language.
    pub fn python_code(&self) -> Option<&str> {
        self.content.iter().find_map(|b| match b {
            Block::Code { lang: Some(lang), code, .. } if lang.starts_with("py") => Some(code.as_str()),
            _ => None,
        })
    }
}

impl Deck {
    /// The slide a link names: its id, or its 1-based number as the counter shows it.
    pub fn find(&self, reference: &str) -> Option<usize> {
        if let Some(index) = self.slides.iter().position(|s| s.id == reference) {
            return Some(index);
        }
        let number: usize = reference.parse().ok()?;
        (1..=self.slides.len()).contains(&number).then(|| number - 1)
    }
}

#[cfg(test)]
mod tests;
